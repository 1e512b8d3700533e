# /profielen and /profielen/N: the profiles, their intensities and tariffs.

profiles-crumb = Profiles
profiles-title = Profiles: which help fits which situation?
profiles-lead = Youth care is divided into profiles. A profile describes the situation of your child and your family. Your youth care worker or the neighbourhood team chooses the profile that fits best together with you.
profiles-in-dutch = The region describes the profiles in Dutch.
profiles-none = No profiles have been entered yet.
profiles-intensity = How intensive is the help?
profiles-intensity-lead = Each profile also has an intensity: how much help is needed.
profile-search = Find providers for profile { $number }
tariffs-title = Rates
tariffs-lead = This is how much the municipality pays the provider for this help. You pay nothing yourself. We show the rates so that everyone can see where the money goes.
tariffs-none = This region has not recorded rates for this profile in the catalogue.
tariffs-fictional-note = Please note: these amounts are made up for the demo. The real rates of this region are not in the catalogue.
tariffs-region = Rates in region { $region }
tariffs-caption = Rates for profile { $number } in region { $region }
tariffs-now = Rate now
tariffs-from = From { $date }
tariffs-paid = Paid
tariffs-fictional = made up (demo)
tariffs-not-yet = none yet
tariffs-not-known = not known yet
paid-per-traject = per trajectory
paid-per-vier_weken = per 4 weeks
paid-per-uur = per hour
paid-per-dag = per day

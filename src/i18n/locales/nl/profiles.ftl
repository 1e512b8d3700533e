# /profielen and /profielen/N: the profiles, their intensities and tariffs.

profiles-crumb = Profielen
profiles-title = Profielen: welke hulp past bij welke situatie?
profiles-lead = Jeugdhulp is ingedeeld in profielen. Een profiel beschrijft de situatie van uw kind en uw gezin. Uw jeugdprofessional of het wijkteam kiest samen met u het profiel dat het beste past.
profiles-in-dutch = De regio beschrijft de profielen in het Nederlands.
profiles-none = Er zijn nog geen profielen ingevoerd.
profiles-intensity = Hoe intensief is de hulp?
profiles-intensity-lead = Bij elk profiel hoort ook een intensiteit: hoeveel hulp er nodig is.
profile-search = Zoek aanbieders voor profiel { $number }
tariffs-title = Tarieven
tariffs-lead = Zo veel betaalt de gemeente de aanbieder voor deze hulp. U betaalt zelf niets. Wij laten de tarieven zien, zodat iedereen kan zien waar het geld naartoe gaat.
tariffs-none = Deze regio heeft voor dit profiel geen tarieven vastgelegd in de catalogus.
tariffs-fictional-note = Let op: deze bedragen zijn verzonnen voor de demo. De echte tarieven van deze regio staan niet in de catalogus.
tariffs-region = Tarieven in regio { $region }
tariffs-caption = Tarieven profiel { $number } in regio { $region }
tariffs-now = Tarief nu
tariffs-from = Vanaf { $date }
tariffs-paid = Betaald
tariffs-fictional = verzonnen (demo)
tariffs-not-yet = nog geen
tariffs-not-known = nog niet bekend
paid-per-traject = per traject
paid-per-vier_weken = per 4 weken
paid-per-uur = per uur
paid-per-dag = per dag

# /profielen and /profielen/N: the profiles, their intensities and tariffs.

profiles-crumb = Profile
profiles-title = Profile: jaka pomoc pasuje do jakiej sytuacji?
profiles-lead = Pomoc dla młodzieży jest podzielona na profile. Profil opisuje sytuację twojego dziecka i rodziny. Twój specjalista albo zespół dzielnicowy wybiera razem z tobą profil, który pasuje najlepiej.
profiles-in-dutch = Region opisuje profile po niderlandzku.
profiles-none = Nie wprowadzono jeszcze żadnych profili.
profiles-intensity = Jak intensywna jest pomoc?
profiles-intensity-lead = Do każdego profilu należy też intensywność: ile pomocy potrzeba.
profile-search = Szukaj usługodawców dla profilu { $number }
tariffs-title = Stawki
tariffs-lead = Tyle gmina płaci usługodawcy za tę pomoc. Ty sam nic nie płacisz. Pokazujemy stawki, żeby każdy mógł zobaczyć, na co idą pieniądze.
tariffs-none = Ten region nie podał w katalogu stawek dla tego profilu.
tariffs-fictional-note = Uwaga: te kwoty są zmyślone na potrzeby wersji demonstracyjnej. Prawdziwych stawek tego regionu nie ma w katalogu.
tariffs-region = Stawki w regionie { $region }
tariffs-caption = Stawki dla profilu { $number } w regionie { $region }
tariffs-now = Stawka teraz
tariffs-from = Od { $date }
tariffs-paid = Płatność
tariffs-fictional = zmyślone (demo)
tariffs-not-yet = jeszcze brak
tariffs-not-known = jeszcze nieznana
paid-per-traject = za przypadek
paid-per-vier_weken = za 4 tygodnie
paid-per-uur = za godzinę
paid-per-dag = za dzień

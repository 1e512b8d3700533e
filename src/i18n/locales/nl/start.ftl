# The start page.

start-title = Welke hulp zoekt u?
start-lead = Hier vindt u aanbieders van jeugdhulp in uw gemeente. U ziet wat zij doen, waar zij werken en hoe lang u moet wachten.
start-help = Uw jeugdprofessional of het wijkteam helpt u kiezen. U kunt hier alvast rondkijken. Inloggen is niet nodig.
start-situation = Welke situatie past het best?
start-situation-hint = Weet u het niet zeker? Kies dan 'Weet ik nog niet'. Uw jeugdprofessional kiest het profiel samen met u.
start-not-sure = Weet ik nog niet
start-not-sure-hint = Laat alle aanbieders zien.
profile-number = Profiel { $number }
start-municipality = In welke gemeente woont het kind?
start-municipality-hint = De gemeente regelt en betaalt de jeugdhulp.
start-intensity = Hoeveel hulp is nodig? (niet verplicht)
start-query = Zoek op naam of woord (niet verplicht)
start-query-hint = Bijvoorbeeld 'autisme' of de naam van een aanbieder.
start-submit = Zoek aanbieders
start-good-to-know = Goed om te weten
start-order = De volgorde van aanbieders is willekeurig en elke dag anders. Een aanbieder kan geen betere plek kopen.
start-admitted = Alle aanbieders in de catalogus zijn toegelaten door de regio.
start-profiles-link = Lees wat de profielen betekenen

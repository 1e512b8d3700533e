# Mails to families, in the language the worker chose with them.

mail-regards = Met vriendelijke groet,
mail-signature = De jeugdhulpcatalogus
mail-link-fallback = Werkt de link niet? Kopieer dit adres in uw browser:
mail-family-greeting = Beste ouder of jongere,
mail-code = Uw code is: { $code }
mail-not-kept = Wij hebben uw e-mailadres niet bewaard. Vragen? Uw jeugdprofessional is { $worker }, bereikbaar via { $email }.
mail-experience-subject = Hoe was de jeugdhulp? Vertel het ons
mail-experience-intro = De jeugdhulp is afgelopen. Wij willen graag weten hoe het ging. Het invullen duurt ongeveer twee minuten.
mail-experience-anonymous = Uw antwoorden zijn anoniem. De aanbieder ziet alleen gemiddelden van minstens 10 gezinnen. Uw e-mailadres is na het versturen van deze e-mail gewist.
mail-experience-link = Vul de vragenlijst in
mail-link-subject = Kies uw aanbieder van jeugdhulp
mail-link-intro = Uw toegangsmedewerker stuurt u deze link. Daarmee kunt u aanbieders van jeugdhulp vergelijken en er zelf één kiezen.
mail-link-until = De link werkt tot { $date }.
mail-link-button = Bekijk en kies een aanbieder
mail-corrected-subject = Uw hulpvraag is aangepast
mail-corrected-intro = Uw jeugdprofessional heeft uw hulpvraag aangepast. Dit is veranderd:
mail-corrected-link-works = Uw link werkt nog. Bekijk de aanbieders opnieuw: de lijst kan veranderd zijn.
mail-corrected-button = Bekijk de aanbieders

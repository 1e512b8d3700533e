# Mails to families, in the language the worker chose with them.

mail-regards = Kind regards,
mail-signature = The jeugdhulpcatalogus
mail-link-fallback = Does the link not work? Copy this address into your browser:
mail-family-greeting = Dear parent or young person,
mail-code = Your code is: { $code }
mail-not-kept = We have not kept your email address. Questions? Your youth care worker is { $worker }, who you can reach at { $email }.
mail-experience-subject = How was the youth care? Tell us
mail-experience-intro = The youth care has ended. We would like to know how it went. Filling in takes about two minutes.
mail-experience-anonymous = Your answers are anonymous. The provider only sees averages of at least 10 families. Your email address was deleted after this email was sent.
mail-experience-link = Fill in the questionnaire
mail-link-subject = Choose your youth care provider
mail-link-intro = Your youth care worker sends you this link. With it you can compare youth care providers and choose one yourself.
mail-link-until = The link works until { $date }.
mail-link-button = See and choose a provider
mail-corrected-subject = Your request for help has been changed
mail-corrected-intro = Your youth care worker has changed your request for help. This has changed:
mail-corrected-link-works = Your link still works. Look at the providers again: the list may have changed.
mail-corrected-button = See the providers

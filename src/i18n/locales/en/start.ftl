# The start page.

start-title = What help are you looking for?
start-lead = Here you find providers of youth care in your municipality. You see what they do, where they work and how long you have to wait.
start-help = Your youth care worker or the neighbourhood team helps you choose. You can already look around here. You do not need to sign in.
start-situation = Which situation fits best?
start-situation-hint = Not sure? Then choose 'I do not know yet'. Your youth care worker chooses the profile together with you.
start-not-sure = I do not know yet
start-not-sure-hint = Show all providers.
profile-number = Profile { $number }
start-municipality = In which municipality does the child live?
start-municipality-hint = The municipality arranges and pays for youth care.
start-intensity = How much help is needed? (optional)
start-query = Search by name or word (optional)
start-query-hint = For example 'autism' or the name of a provider.
start-submit = Find providers
start-good-to-know = Good to know
start-order = The order of providers is random and changes every day. A provider cannot buy a better place.
start-admitted = The region has admitted every provider in the catalogue.
start-profiles-link = Read what the profiles mean

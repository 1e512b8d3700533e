//! Issue 37, item 1 in the browser: the worker records the agreed goals once the provider
//! has accepted, the provider confirms them on the request's own page, and the worker marks
//! each goal at closing.

use crate::chrome::Person;

/// On the worker's hulpvraag page, just after the provider accepted: two goals, one refused
/// first for a BSN; then the provider confirms them; the worker is back on the page.
pub(crate) fn agree(worker: &Person<'_>, provider: &Person<'_>) {
    let page = worker.path();
    worker
        .sees("Afgesproken doelen")
        .fill("[name=doel_1]", "Weer naar school, vier dagen per week.")
        .fill("[name=doel_2]", "BSN 111222333")
        .submit_refused("Doelen vastleggen")
        .sees("Dit lijkt op een burgerservicenummer")
        .fill("[name=doel_2]", "Minder ruzie thuis.")
        .submit("Doelen vastleggen")
        .sees("De doelen zijn vastgelegd")
        .sees("Wacht op bevestiging van de aanbieder")
        .sees("U legt de start vast zodra de aanbieder de doelen heeft bevestigd");
    provider
        .visit("/mijn-aanbod/aanvragen?alle=1")
        .follow("Bekijk de aanvraag en de afgesproken doelen")
        .sees("Weer naar school, vier dagen per week.")
        .sees("Minder ruzie thuis.")
        .submit("Doelen bevestigen")
        .sees("U heeft de doelen bevestigd");
    worker.visit(&page).sees("Bevestigd door de aanbieder");
}

/// On the worker's page of started help: every goal needs its mark before closing.
pub(crate) fn close_with_marks(worker: &Person<'_>, day: &str) {
    worker
        .set("[name=einddatum]", day)
        .tick("[name=reden][value='1']")
        .tick("[name=doel_1][value=behaald]")
        .submit_refused("Afsluiten")
        .sees("Kies of dit doel is behaald: Minder ruzie thuis.")
        .set("[name=einddatum]", day)
        .tick("[name=reden][value='1']")
        .tick("[name=doel_1][value=behaald]")
        .tick("[name=doel_2][value=deels_behaald]")
        .submit("Afsluiten")
        .sees("Vragenlijst voor het gezin")
        .sees("Deels behaald");
}

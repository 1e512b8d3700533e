//! Issue 37 in the browser: the worker records the agreed goals once the provider has
//! accepted, the provider confirms them on the request's own page, and the worker marks each
//! goal at closing; a client back within the year is offered the earlier trajectory first.

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
        .follow("Bekijk de aanvraag, de doelen en de wijzigingen")
        .sees("Weer naar school, vier dagen per week.")
        .sees("Minder ruzie thuis.")
        .submit("Doelen bevestigen")
        .sees("U heeft de doelen bevestigd");
    worker.visit(&page).sees("Bevestigd door de aanbieder");
}

/// On the worker's page of started help: every goal needs its mark, and the two questions
/// of closing (3.1 and 3.3) their answer, before closing.
pub(crate) fn close_with_marks(worker: &Person<'_>, day: &str) {
    worker
        .set("[name=einddatum]", day)
        .tick("[name=reden][value='1']")
        .tick("[name=doel_1][value=behaald]")
        .submit_refused("Afsluiten")
        .sees("Kies of de jongere verder kan zonder jeugdhulp.")
        .sees("Kies of de problemen kleiner zijn geworden.")
        .set("[name=einddatum]", day)
        .tick("[name=reden][value='1']")
        .tick("[name=doel_1][value=behaald]")
        .tick("[name=zonder_hulp][value=nee]")
        .tick("[name=problemen_kleiner][value=deels]")
        .submit_refused("Afsluiten")
        .sees("Kies of dit doel is behaald: Minder ruzie thuis.")
        .set("[name=einddatum]", day)
        .tick("[name=reden][value='1']")
        .tick("[name=doel_1][value=behaald]")
        .tick("[name=doel_2][value=deels_behaald]")
        .tick("[name=zonder_hulp][value=lichtere_hulp]")
        .tick("[name=problemen_kleiner][value=ja]")
        .submit("Afsluiten")
        .sees("Vragenlijst voor het gezin")
        .sees("Deels behaald");
}

/// The client of `case` comes back with the same question: the guarantee is offered before
/// anything else; choosing otherwise needs a reason; taken up, `provider` is asked again and
/// sees why.
pub(crate) fn back_within_a_year(
    worker: &Person<'_>,
    provider: &Person<'_>,
    case: &str,
    name: &str,
) {
    worker
        .visit("/toegang/hulpvragen/nieuw")
        .set("[name=profiel]", "3")
        .set("[name=intensiteit]", "intensief")
        .set("[name=leeftijd]", "12-17")
        .fill("[name=zaaknummer]", case)
        .submit("Hulpvraag maken")
        .sees("Deze cliënt valt onder de 12-maandengarantie");
    let headings = worker.texts("main h2");
    assert_eq!(
        headings.first().map(String::as_str),
        Some("Deze cliënt valt onder de 12-maandengarantie"),
        "the guarantee comes first: {headings:?}"
    );
    worker
        .submit_refused("Anders kiezen")
        .sees("Schrijf waarom u niet voor het eerdere traject kiest.")
        .submit(&format!("Eerder traject weer oppakken bij {name}"))
        .sees("Het eerdere traject wordt weer opgepakt")
        .sees("zonder nieuw tarief");
    provider
        .visit("/mijn-aanbod/aanvragen")
        .sees("Onder de 12-maandengarantie.")
        .sees("Toelichting (verplicht onder de garantie)");
}

/// On the worker's page of started help: the intensity changes to perspectief from `day`;
/// the provider confirms; the worker is back on the page.
pub(crate) fn change_intensity(worker: &Person<'_>, provider: &Person<'_>, day: &str) {
    let page = worker.path();
    worker
        .submit_refused("Wijziging vastleggen")
        .sees("Schrijf waarom het profiel of de intensiteit verandert.")
        .set("[name=intensiteit]", "perspectief")
        .set("[name=datum]", day)
        .fill(
            "[name=wijziging_reden]",
            "Het gaat beter: minder vaak hulp is genoeg.",
        )
        .submit("Wijziging vastleggen")
        .sees("De wijziging is vastgelegd")
        .sees("Wacht op bevestiging van de aanbieder.");
    provider
        .visit("/mijn-aanbod/aanvragen?alle=1")
        .follow("Bekijk de aanvraag, de doelen en de wijzigingen")
        .sees("Het gaat beter: minder vaak hulp is genoeg.")
        .submit("Wijziging bevestigen")
        .sees("U heeft de wijziging bevestigd");
    worker
        .visit(&page)
        .sees("Tarief")
        .sees("Vanaf")
        .sees("Perspectief");
}

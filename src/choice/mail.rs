//! The messages of the choice workflow. None of them names the family: the provider reads
//! the request in its work list, the worker knows the case by its own case number.

use crate::i18n::{Lang, Texts};
use crate::mail::OutgoingMail;
use crate::mail::templates::{compose, compose_in};
use crate::web::text::date_nl;

use super::commands::Answer;

pub fn new_request(to: &str, provider: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        "Nieuwe aanvraag voor jeugdhulp",
        &format!("Beste medewerker van {provider},"),
        &[
            "Een gezin heeft uw organisatie gekozen. De aanvraag staat in uw werklijst, met het profiel, de intensiteit en de gemeente.".into(),
            "Laat zo snel mogelijk weten of u de hulp kunt geven. Kunt u het niet? Dan kiest het gezin een andere aanbieder.".into(),
        ],
        Some(("Bekijk de aanvraag", url)),
    )
}

pub fn provider_answered(
    to: &str,
    case_number: &str,
    provider: &str,
    answer: &Answer,
    url: &str,
) -> OutgoingMail {
    let (subject, paragraph) = match answer {
        Answer::Accept { expected_start } => (
            format!("{provider} neemt hulpvraag {case_number} aan"),
            format!(
                "{provider} kan de hulp geven. De verwachte startdatum is {}. Leg de start vast als de hulp begonnen is.",
                date_nl(*expected_start)
            ),
        ),
        Answer::Decline { reason, .. } => (
            format!("{provider} kan hulpvraag {case_number} niet aannemen"),
            format!(
                "{provider} kan de hulp niet geven. Reden: {}. Het gezin kan met dezelfde link een andere aanbieder kiezen. U kunt ook samen kiezen.",
                reason.label().to_lowercase()
            ),
        ),
    };
    compose(
        to,
        &subject,
        "Beste toegangsmedewerker,",
        &[paragraph],
        Some(("Bekijk de hulpvraag", url)),
    )
}

pub fn family_asks_help(to: &str, case_number: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        &format!("Het gezin van hulpvraag {case_number} vraagt om hulp bij het kiezen"),
        "Beste toegangsmedewerker,",
        &["Het gezin wil graag met u overleggen voordat het een aanbieder kiest. Neem contact op met het gezin.".into()],
        Some(("Bekijk de hulpvraag", url)),
    )
}

/// A family page's address in the family's language: the link opens it so.
fn in_language(t: Texts, url: &str) -> String {
    if t.lang() == Lang::Nl {
        url.to_owned()
    } else {
        format!("{url}?taal={}", t.lang().code())
    }
}

/// To the family, once, in the language the worker chose with it; the address is not kept.
pub fn experience_invitation(t: Texts, to: &str, url: &str, code: &str) -> OutgoingMail {
    compose_in(
        t,
        to,
        &t.msg("mail-experience-subject"),
        &t.msg("mail-family-greeting"),
        &[
            t.msg("mail-experience-intro"),
            t.msg("mail-experience-anonymous"),
            t.fmt("mail-code", &[("code", code.into())]),
        ],
        Some((&t.msg("mail-experience-link"), &in_language(t, url))),
    )
}

/// The family's link, once, in the language the worker chose with it.
pub fn family_link(
    t: Texts,
    to: &str,
    url: &str,
    code: &str,
    until: Option<chrono::NaiveDateTime>,
    worker: (&str, &str),
) -> OutgoingMail {
    let mut lines = vec![t.msg("mail-link-intro")];
    if let Some(until) = until {
        lines.push(t.fmt(
            "mail-link-until",
            &[("date", t.date(crate::clock::date_of(until)).into())],
        ));
    }
    lines.push(t.fmt("mail-code", &[("code", code.into())]));
    lines.push(t.fmt(
        "mail-not-kept",
        &[("worker", worker.0.into()), ("email", worker.1.into())],
    ));
    compose_in(
        t,
        to,
        &t.msg("mail-link-subject"),
        &t.msg("mail-family-greeting"),
        &lines,
        Some((&t.msg("mail-link-button"), &in_language(t, url))),
    )
}

/// To the provider that was asked: the worker corrected the hulpvraag.
pub fn request_corrected(
    to: &str,
    provider: &str,
    reference: &str,
    changes: &[String],
    url: &str,
) -> OutgoingMail {
    let mut lines = vec![format!(
        "De toegangsmedewerker heeft de aanvraag met kenmerk {reference} aangepast. Dit is veranderd:"
    )];
    lines.extend(changes.iter().map(|c| format!("- {c}")));
    lines.push("Bekijk de aanvraag opnieuw voordat u antwoordt.".to_owned());
    compose(
        to,
        &format!("Aanvraag {reference} is aangepast"),
        &format!("Beste medewerker van {provider},"),
        &lines,
        Some(("Bekijk de aanvraag", url)),
    )
}

/// To a provider that was asked or had accepted: the hulpvraag was withdrawn.
pub fn request_withdrawn(to: &str, provider: &str, reference: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        &format!("Aanvraag {reference} is ingetrokken"),
        &format!("Beste medewerker van {provider},"),
        &[
            format!("De toegangsmedewerker heeft de aanvraag met kenmerk {reference} ingetrokken. De hulp gaat niet door bij uw organisatie."),
            "U hoeft niets meer te doen. Heeft u al een afspraak met het gezin gemaakt? Neem dan contact op met de toegangsmedewerker.".to_owned(),
        ],
        Some(("Bekijk uw aanvragen", url)),
    )
}

/// To the family, once, at an address that is not kept: its hulpvraag was corrected. The
/// changes are the worker's record, in Dutch.
pub fn family_told_of_correction(
    t: Texts,
    to: &str,
    changes: &[String],
    url: Option<&str>,
    worker: (&str, &str),
) -> OutgoingMail {
    let mut lines = vec![t.msg("mail-corrected-intro")];
    lines.extend(changes.iter().map(|c| format!("- {c}")));
    if url.is_some() {
        lines.push(t.msg("mail-corrected-link-works"));
    }
    lines.push(t.fmt(
        "mail-not-kept",
        &[("worker", worker.0.into()), ("email", worker.1.into())],
    ));
    let label = t.msg("mail-corrected-button");
    let url = url.map(|u| in_language(t, u));
    compose_in(
        t,
        to,
        &t.msg("mail-corrected-subject"),
        &t.msg("mail-family-greeting"),
        &lines,
        url.as_deref().map(|u| (label.as_str(), u)),
    )
}

pub fn goals_recorded(to: &str, reference: &str, count: usize, url: &str) -> OutgoingMail {
    let goals = if count == 1 {
        "één doel".to_owned()
    } else {
        format!("{count} doelen")
    };
    compose(
        to,
        &format!("Bevestig de doelen van aanvraag {reference}"),
        "Beste aanbieder,",
        &[
            format!("De toegangsmedewerker heeft {goals} vastgelegd voor aanvraag {reference}, zoals u ze samen met het gezin heeft afgesproken."),
            "Lees de doelen en bevestig ze. De hulp kan pas starten als u de doelen heeft bevestigd. Klopt er iets niet? Neem dan contact op met de toegangsmedewerker.".into(),
        ],
        Some(("Bekijk de doelen", url)),
    )
}

pub fn goals_confirmed(to: &str, case_number: &str, provider: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        &format!("{provider} bevestigt de doelen van hulpvraag {case_number}"),
        "Beste toegangsmedewerker,",
        &["De aanbieder heeft de afgesproken doelen bevestigd. U kunt de start vastleggen als de hulp begonnen is.".into()],
        Some(("Bekijk de hulpvraag", url)),
    )
}

pub fn guarantee_request(to: &str, provider: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        "Aanvraag onder de 12-maandengarantie",
        &format!("Beste medewerker van {provider},"),
        &[
            "Een cliënt die in de afgelopen 12 maanden hulp van u kreeg in hetzelfde profiel, heeft opnieuw hulp nodig. Volgens de afspraken van de regio pakt u het eerdere traject weer op, zonder nieuw tarief.".into(),
            "Laat zo snel mogelijk weten of u de hulp kunt geven. Afwijzen kan alleen met een toelichting.".into(),
        ],
        Some(("Bekijk de aanvraag", url)),
    )
}

pub fn shift_recorded(to: &str, reference: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        &format!("Bevestig de wijziging van aanvraag {reference}"),
        "Beste aanbieder,",
        &[
            format!("De toegangsmedewerker heeft een wijziging van profiel of intensiteit vastgelegd voor aanvraag {reference}, zoals u die samen heeft besproken."),
            "Lees de wijziging en bevestig haar. Pas daarna tellen de hulp en het tarief onder het nieuwe profiel en de nieuwe intensiteit. Klopt er iets niet? Neem dan contact op met de toegangsmedewerker.".into(),
        ],
        Some(("Bekijk de wijziging", url)),
    )
}

pub fn shift_confirmed(to: &str, case_number: &str, provider: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        &format!("{provider} bevestigt de wijziging van hulpvraag {case_number}"),
        "Beste toegangsmedewerker,",
        &["De aanbieder heeft de wijziging van profiel of intensiteit bevestigd. De hulpvraag heeft nu het nieuwe profiel en de nieuwe intensiteit.".into()],
        Some(("Bekijk de hulpvraag", url)),
    )
}

/// The worker took back what the provider was asked to confirm.
pub fn step_taken_back(to: &str, reference: &str, what: &str) -> OutgoingMail {
    compose(
        to,
        &format!("Aanvraag {reference}: u hoeft niets meer te bevestigen"),
        "Beste aanbieder,",
        &[format!(
            "De toegangsmedewerker heeft {what} voor aanvraag {reference}. U hoeft daarom niets meer te bevestigen. Heeft u vragen? Neem dan contact op met de toegangsmedewerker."
        )],
        None,
    )
}

//! The portal's messages, in plain Dutch, each as text and as HTML (maud escapes all input).

use crate::i18n::{Lang, Texts};
use maud::html;

use super::OutgoingMail;

/// A message of a greeting, a few paragraphs and at most one link.
pub fn compose(
    to: &str,
    subject: &str,
    greeting: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
) -> OutgoingMail {
    compose_in(Texts(Lang::Nl), to, subject, greeting, paragraphs, link)
}

/// A message in `t`'s language (a mail to a family): its closing, the hint under the link,
/// and the HTML part's `lang` and `dir`.
pub fn compose_in(
    t: Texts,
    to: &str,
    subject: &str,
    greeting: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
) -> OutgoingMail {
    let regards = t.msg("mail-regards");
    let signature = t.msg("mail-signature");
    let mut text = format!("{greeting}\n\n");
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    if let Some((label, url)) = link {
        text.push_str(&format!("{label}:\n{url}\n\n"));
    }
    text.push_str(&format!("{regards}\n{signature}\n"));
    let html = html! {
        (maud::DOCTYPE)
        html lang=(t.lang().code()) dir=(t.lang().dir()) {
            head { meta charset="utf-8"; title { (subject) } }
            body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a" {
                p { (greeting) }
                @for p in paragraphs { p { (p) } }
                @if let Some((label, url)) = link {
                    p { a href=(url) { (label) } }
                    p style="font-size: 0.9em" { (t.msg("mail-link-fallback")) " " (url) }
                }
                p { (regards) br; (signature) }
            }
        }
    };
    OutgoingMail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text,
        html: html.into_string(),
    }
}

pub fn verify_email(to: &str, name: &str, url: &str) -> OutgoingMail {
    verification(to, name, url, false)
}

/// A new confirmation link, sent when someone logs in before confirming: it says that the
/// link of the earlier e-mail no longer works.
pub fn verify_email_again(to: &str, name: &str, url: &str) -> OutgoingMail {
    verification(to, name, url, true)
}

fn verification(to: &str, name: &str, url: &str, again: bool) -> OutgoingMail {
    let mut lines = Vec::new();
    if again {
        lines.push("U probeerde in te loggen, maar uw e-mailadres is nog niet bevestigd. Daarom krijgt u deze nieuwe link. De link in de eerdere e-mail werkt niet meer.".to_owned());
    }
    lines.push("U heeft een account gemaakt bij de jeugdhulpcatalogus. Bevestig uw e-mailadres met de link hieronder. Daarna kunt u inloggen.".into());
    lines.push("De link werkt 48 uur en maar één keer. Heeft u geen account gemaakt? Dan kunt u deze e-mail negeren.".into());
    compose(
        to,
        if again {
            "Nieuwe link: bevestig uw e-mailadres"
        } else {
            "Bevestig uw e-mailadres"
        },
        &format!("Beste {name},"),
        &lines,
        Some(("Bevestig mijn e-mailadres", url)),
    )
}

pub fn password_reset(to: &str, name: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        "Nieuw wachtwoord instellen",
        &format!("Beste {name},"),
        &[
            "Iemand heeft gevraagd om een nieuw wachtwoord voor uw account. Was u dat? Kies dan een nieuw wachtwoord met de link hieronder.".into(),
            "De link werkt 1 uur en maar één keer. Was u dit niet? Dan hoeft u niets te doen: uw wachtwoord blijft hetzelfde.".into(),
        ],
        Some(("Nieuw wachtwoord kiezen", url)),
    )
}

/// Someone registered an organisation with an address that already has an account: the
/// owner is told (the page said the same as for any registration, so nobody learns which
/// addresses have an account).
pub fn registration_with_known_address(to: &str, name: &str, login_url: &str) -> OutgoingMail {
    compose(
        to,
        "Aanmelding met uw e-mailadres",
        &format!("Beste {name},"),
        &[
            "Iemand heeft met uw e-mailadres een organisatie aangemeld bij de jeugdhulpcatalogus. U heeft al een account, dus wij hebben niets aangemaakt.".into(),
            "Was u dat? Log dan in met uw account, of vraag op de inlogpagina een nieuw wachtwoord aan. Was u dit niet? Dan hoeft u niets te doen.".into(),
        ],
        Some(("Naar de inlogpagina", login_url)),
    )
}

pub fn new_registration(to: &str, provider: &str, region: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        &format!("Nieuwe aanmelding: {provider}"),
        "Beste contractmanager,",
        &[format!(
            "{provider} heeft zich aangemeld voor de regio {region} en de procesovereenkomst ondertekend. De aanmelding staat in uw werklijst."
        )],
        Some(("Naar de aanmeldingen", url)),
    )
}

pub fn admission_decision(
    to: &str,
    provider: &str,
    region: &str,
    decision: &str,
    reason: &str,
    url: &str,
) -> OutgoingMail {
    let mut paragraphs = vec![format!(
        "De contractmanager van de regio {region} heeft een besluit genomen over {provider}: {decision}."
    )];
    if !reason.is_empty() {
        paragraphs.push(format!("Toelichting: {reason}"));
    }
    compose(
        to,
        &format!("Besluit over uw aanmelding in {region}: {decision}"),
        "Beste aanbieder,",
        &paragraphs,
        Some(("Bekijk uw aanmeldingen", url)),
    )
}

pub fn agreement_reminder(
    to: &str,
    provider: &str,
    region: &str,
    ends_on: &str,
    url: &str,
) -> OutgoingMail {
    compose(
        to,
        &format!("Uw procesovereenkomst in {region} loopt af op {ends_on}"),
        "Beste aanbieder,",
        &[format!(
            "De procesovereenkomst van {provider} in de regio {region} loopt af op {ends_on}. Wilt u in de catalogus blijven? Meld u dan opnieuw aan voor die datum."
        )],
        Some(("Naar mijn aanbod", url)),
    )
}

/// The region gave the uitvoeringsovereenkomst for a year.
pub fn execution_granted(
    to: &str,
    provider: &str,
    region: &str,
    year: i32,
    url: &str,
) -> OutgoingMail {
    compose(
        to,
        &format!("Uitvoeringsovereenkomst {year} in {region}"),
        "Beste aanbieder,",
        &[format!(
            "De regio {region} heeft {provider} de uitvoeringsovereenkomst voor {year} gegeven. In {year} kunnen gezinnen en toegangsmedewerkers u kiezen voor hulp in deze regio."
        )],
        Some(("Naar mijn aanbod", url)),
    )
}

/// In November: next year's uitvoeringsovereenkomst has not been given yet.
pub fn execution_reminder(
    to: &str,
    provider: &str,
    region: &str,
    year: i32,
    url: &str,
) -> OutgoingMail {
    compose(
        to,
        &format!("Nog geen uitvoeringsovereenkomst voor {year} in {region}"),
        "Beste aanbieder,",
        &[
            format!(
                "{provider} heeft in de regio {region} nog geen uitvoeringsovereenkomst voor {year}. Zonder die overeenkomst blijft u in de catalogus staan, maar vanaf 1 januari {year} kunnen gezinnen en toegangsmedewerkers u niet meer kiezen en kunt u geen aanvragen accepteren."
            ),
            "Neem contact op met de contractmanager van de regio om de overeenkomst voor het nieuwe jaar af te sluiten.".into(),
        ],
        Some(("Naar mijn aanbod", url)),
    )
}

/// An invitation to a new account: the link sets a password, once, within 7 days.
pub fn invitation(to: &str, name: &str, inviter: &str, role: &str, url: &str) -> OutgoingMail {
    compose(
        to,
        "Uitnodiging voor de jeugdhulpcatalogus",
        &format!("Beste {name},"),
        &[
            format!("{inviter} nodigt u uit om in de jeugdhulpcatalogus te werken als {role}."),
            "Kies met de link hieronder een wachtwoord. Daarna kunt u inloggen met dit e-mailadres.".into(),
            format!("De link werkt 7 dagen en maar één keer. Is de link verlopen? Vraag {inviter} dan om een nieuwe uitnodiging."),
        ],
        Some(("Wachtwoord kiezen", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_escaped_in_html_and_kept_in_text() {
        let mail = verify_email(
            "a@b.nl",
            "<script>x</script>",
            "https://x/bevestigen?t=1&u=2",
        );
        assert!(mail.html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("https://x/bevestigen?t=1&amp;u=2"));
        assert!(mail.text.contains("Beste <script>x</script>,"));
        assert!(mail.text.contains("https://x/bevestigen?t=1&u=2"));
    }
}

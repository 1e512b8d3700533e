//! The worker's two forms that change a hulpvraag itself: correct it (until a provider
//! accepts) and withdraw it (until help starts).

use maud::{Markup, html};

use crate::choice::model::Hulpvraag;
use crate::reference::ReferenceData;
use crate::web::components::{Field, error_summary, textarea};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::{FieldError, SiteInfo};

use super::worker::{HulpvraagForm, detail_fields, notes_field};

/// The correction form, with the address to tell the family (not kept).
#[derive(Debug, Default, serde::Deserialize)]
pub struct CorrectionForm {
    #[serde(flatten)]
    pub details: HulpvraagForm,
    #[serde(default)]
    pub email: String,
    /// The family's language, for the mail (see `family_language_field`).
    #[serde(default)]
    pub taal: String,
}

impl CorrectionForm {
    /// The form as the hulpvraag is now.
    pub fn of(h: &Hulpvraag, reference: &ReferenceData) -> Self {
        CorrectionForm {
            details: HulpvraagForm {
                profiel: reference
                    .profile(h.profile_id)
                    .map_or_else(String::new, |p| p.number.to_string()),
                intensiteit: reference
                    .intensity(h.intensity_id)
                    .map_or_else(String::new, |i| i.code.clone()),
                kader: h.kader.as_str().to_owned(),
                leeftijd: h.age_band.as_str().to_owned(),
                zaaknummer: h.case_number.clone(),
                notities: h.notes.clone(),
            },
            email: String::new(),
            taal: String::new(),
        }
    }
}

fn crumbs(h: &Hulpvraag, here: &'static str) -> Vec<Crumb> {
    vec![
        Crumb::link("Hulpvragen", "/toegang/hulpvragen"),
        Crumb::link(
            format!("Hulpvraag {}", h.case_number),
            format!("/toegang/hulpvragen/{}", h.id),
        ),
        Crumb::here(here),
    ]
}

pub fn correct_hulpvraag(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    h: &Hulpvraag,
    form: &CorrectionForm,
    errors: &[FieldError],
) -> Markup {
    let title = format!("Hulpvraag {} aanpassen", h.case_number);
    let base = format!("/toegang/hulpvragen/{}", h.id);
    Page { title: &title, site, crumbs: crumbs(h, "Aanpassen"), section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        p.lead { "U kunt de hulpvraag aanpassen tot een aanbieder de hulp accepteert. Wat er verandert, blijft zichtbaar in de geschiedenis. De link van het gezin blijft werken." }
        p { "Past een aanbieder op de lijst niet meer bij de aangepaste hulpvraag? Dan halen wij die van de lijst en stellen wij passende aanbieders voor. Is er al een aanbieder gevraagd? Die krijgt een e-mail met wat er veranderd is." }
        (error_summary(errors))
        form method="post" action={ (base) "/aanpassen" } novalidate {
            (account.csrf.field())
            (detail_fields(reference, Some(h.region_id), &form.details, errors))
            (notes_field(&form.details, errors))
            (Field::text("email", "E-mailadres van het gezin", &form.email).kind("email").optional()
                .hint("Wij mailen het gezin één keer wat er veranderd is, en bewaren het adres niet. Het gezin ziet het ook op de eigen pagina.").render(errors))
            (super::family_language_field("taal-aanpassen", &form.taal))
            div.actions {
                button type="submit" { "Wijzigingen opslaan" }
                a href=(base) { "Terug zonder op te slaan" }
            }
        }
    })
}

/// The withdrawal form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub reden: String,
}

pub fn withdraw_hulpvraag(
    site: &SiteInfo,
    account: Account<'_>,
    h: &Hulpvraag,
    form: &WithdrawForm,
    errors: &[FieldError],
) -> Markup {
    let title = format!("Hulpvraag {} intrekken", h.case_number);
    let base = format!("/toegang/hulpvragen/{}", h.id);
    Page { title: &title, site, crumbs: crumbs(h, "Intrekken"), section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        p.lead { "Trek de hulpvraag in als de hulp niet meer nodig is of niet via deze hulpvraag loopt. Dit kan tot de hulp is gestart en kan niet ongedaan worden gemaakt." }
        ul {
            li { "Het gezin kan daarna geen aanbieder meer kiezen. Met de link ziet het dat de hulpvraag is ingetrokken." }
            li { "Heeft een aanbieder de aanvraag nog open of al geaccepteerd? Die krijgt een e-mail dat de aanvraag is ingetrokken." }
        }
        (error_summary(errors))
        form method="post" action={ (base) "/intrekken" } novalidate {
            (account.csrf.field())
            (textarea("reden", "Waarom trekt u de hulpvraag in?", &form.reden,
                Some("Bijvoorbeeld: het gezin ziet af van hulp, of de hulp loopt via een andere weg. De reden staat in de geschiedenis van de hulpvraag. Schrijf geen namen of andere persoonsgegevens."), errors))
            div.actions {
                button.button--danger type="submit" { "Hulpvraag intrekken" }
                a href=(base) { "Terug zonder in te trekken" }
            }
        }
    })
}

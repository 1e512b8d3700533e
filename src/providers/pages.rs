//! Pages of the provider side: registration, the contract managers' work list, and the
//! provider's own listing ("mijn aanbod").

use crate::web::components::scroll_region;
use maud::{Markup, html};

use super::admission::Event;
use super::agreements::Agreement;
use super::model::{AdmissionStatus, Provider};
use super::registration::RegistrationForm;
use crate::reference::ReferenceData;
use crate::web::components::{
    Field, error_summary, field_error, field_id, group_error, group_error_id, notice as notice_box,
    pagination, textarea,
};
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

pub fn registration(
    site: &SiteInfo,
    csrf: &CsrfToken,
    reference: &ReferenceData,
    agreements: &[Agreement],
    form: &RegistrationForm,
    errors: &[FieldError],
) -> Markup {
    let crumbs = vec![Crumb::here("Aanmelden als aanbieder")];
    Page { title: "Aanmelden als aanbieder", site, crumbs, section: None, account: None }.render(html! {
        h1 { "Aanmelden als aanbieder" }
        p.lead { "U kunt zich het hele jaar aanmelden. De contractmanager van de regio beoordeelt uw aanmelding. Na toelating staat u in de catalogus." }
        (error_summary(errors))
        form method="post" action="/registreren" novalidate {
            (csrf.field())
            fieldset {
                legend { h2 { "1. Uw organisatie" } }
                (Field::text("naam", "Naam van de organisatie", &form.naam).autocomplete("organization").render(errors))
                @if form.kvk_verified {
                    p { "KvK-nummer: " strong { (form.kvk) } " (uit eHerkenning, u kunt het niet wijzigen)" }
                    input type="hidden" name="kvk" value=(form.kvk);
                } @else {
                    (Field::text("kvk", "KvK-nummer", &form.kvk).hint("8 cijfers").render(errors))
                }
                (Field::text("agb", "AGB-code", &form.agb).hint("8 cijfers").render(errors))
                (Field::text("straat", "Straat en huisnummer", &form.straat).autocomplete("address-line1").render(errors))
                (Field::text("postcode", "Postcode", &form.postcode).autocomplete("postal-code").hint("Bijvoorbeeld 2511 AB").render(errors))
                (Field::text("plaats", "Plaats", &form.plaats).autocomplete("address-level2").render(errors))
                (Field::text("telefoon", "Telefoonnummer", &form.telefoon).kind("tel").autocomplete("tel").render(errors))
                (Field::text("email_organisatie", "Algemeen e-mailadres", &form.email_organisatie).kind("email").hint("Ouders en toegangsmedewerkers zien dit adres.").render(errors))
                (Field::text("website", "Website", &form.website).kind("url").hint("Begint met https://").optional().render(errors))
            }
            fieldset {
                legend { h2 { "2. Uw account" } }
                (Field::text("contactnaam", "Uw naam", &form.contactnaam).autocomplete("name").render(errors))
                (Field::text("email", "Uw e-mailadres", &form.email).kind("email").autocomplete("username").hint("Hiermee logt u in. U krijgt een e-mail om het adres te bevestigen.").render(errors))
                (Field::text("wachtwoord", "Wachtwoord", "").kind("password").autocomplete("new-password").hint("Minstens 12 tekens. Tip: gebruik een zin van een paar woorden.").render(errors))
                (Field::text("herhaling", "Wachtwoord nog een keer", "").kind("password").autocomplete("new-password").render(errors))
            }
            fieldset #(field_id("regio")) aria-describedby=[group_error_id(errors, "regio")] {
                legend { h2 { "3. In welke regio's wilt u hulp bieden?" } }
                (group_error(errors, "regio"))
                ul.choice-list {
                    @for region in &reference.regions {
                        li.choice {
                            input type="checkbox" name="regio" value=(region.slug) id={ "regio-" (region.slug) }
                                checked[form.regio.contains(&region.slug)];
                            label for={ "regio-" (region.slug) } { strong { (region.name) } (region.procurement_method) }
                        }
                    }
                }
            }
            h2 { "4. De procesovereenkomst" }
            p { "Lees de procesovereenkomst van elke regio die u kiest. Bevestig daarna de eisen één voor één. U verklaart dit zelf; de regio kan het controleren." }
            @for agreement in agreements {
                @let region = reference.region(agreement.region_id);
                @let slug = region.map_or("", |r| r.slug.as_str());
                @let field = format!("verklaring-{slug}");
                fieldset #(field_id(&field)) aria-describedby=[group_error_id(errors, &field)] {
                    legend { h3 { (agreement.title) " (versie " (agreement.version) ")" } }
                    p.hint { "Alleen nodig als u " (region.map_or("", |r| r.name.as_str())) " hierboven heeft gekozen." }
                    details {
                        summary { "Lees de tekst van de procesovereenkomst" }
                        // Scrolls in its own box: reachable and named for the keyboard.
                        div.agreement-text tabindex="0" role="region" aria-label=(agreement.title) { (agreement.body) }
                    }
                    (group_error(errors, &field))
                    ul.choice-list {
                        @for (i, requirement) in agreement.requirement_list().iter().enumerate() {
                            @let value = format!("{slug}:{}", i + 1);
                            @let id = format!("eis-{slug}-{}", i + 1);
                            li.choice {
                                input type="checkbox" name="verklaring" value=(value) id=(id) checked[form.verklaring.contains(&value)];
                                label for=(id) { (requirement) }
                            }
                        }
                    }
                }
            }
            div.form-field.form-field--invalid[field_error(errors, "ondertekenen").is_some()] #(field_id("ondertekenen")) {
                (group_error(errors, "ondertekenen"))
                div.choice {
                    input type="checkbox" name="ondertekenen" value="ja" id="ondertekenen-ja" checked[form.ondertekenen == "ja"]
                        aria-describedby=[group_error_id(errors, "ondertekenen")];
                    label for="ondertekenen-ja" { "Ik ben bevoegd om namens deze organisatie te tekenen, en ik onderteken de procesovereenkomst van de gekozen regio's." }
                }
            }
            button type="submit" { "Aanmelding versturen" }
        }
    })
}

pub fn registration_done(site: &SiteInfo) -> Markup {
    Page { title: "Aanmelding ontvangen", site, crumbs: vec![Crumb::here("Aanmelding ontvangen")], section: None, account: None }.render(html! {
        div.narrow {
            h1 { "Uw aanmelding is ontvangen" }
            (notice_box(Some("Wij hebben u een e-mail gestuurd. Klik op de link in die e-mail om uw e-mailadres te bevestigen.")))
            h2 { "Hoe gaat het verder?" }
            ol {
                li { "U bevestigt uw e-mailadres en logt in." }
                li { "U vult uw aanbod in: per profiel en intensiteit, de gemeenten en uw wachttijd." }
                li { "De contractmanager van de regio beoordeelt uw aanmelding. U krijgt een e-mail met het besluit." }
                li { "Na toelating staat uw aanbod in de catalogus." }
            }
        }
    })
}

/// One row of the contract managers' work list.
pub struct WorkItem {
    pub admission_id: i64,
    pub provider: String,
    pub city: String,
    pub region: String,
    pub status: String,
    /// The date of the newest entry in the registration's history.
    pub changed_on: chrono::NaiveDate,
}

pub fn work_list(
    site: &SiteInfo,
    account: Account<'_>,
    items: &[WorkItem],
    status: Option<AdmissionStatus>,
    page: u32,
    pages: u32,
) -> Markup {
    let crumbs = vec![Crumb::here("Aanmeldingen")];
    let href = move |n: u32| match status {
        Some(s) => format!("/beheer/aanmeldingen?status={}&pagina={n}", s.as_str()),
        None => format!("/beheer/aanmeldingen?pagina={n}"),
    };
    Page { title: "Aanmeldingen", site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Aanmeldingen en toelatingen" }
        form method="get" action="/beheer/aanmeldingen" {
            label for="status" { "Toon" }
            select #status name="status" {
                option value="" selected[status.is_none()] { "Nog te beoordelen (aangemeld en in behandeling)" }
                @for s in AdmissionStatus::ALL.iter().copied() {
                    option value=(s.as_str()) selected[status == Some(s)] { (s.label()) }
                }
            }
            " "
            button.button--secondary type="submit" { "Toon" }
        }
        @if items.is_empty() {
            p { "Er zijn geen aanmeldingen met deze status." }
        } @else {
            (scroll_region("Aanmeldingen", html! {
                table.data-table {
                    caption.visually-hidden { "Aanmeldingen" }
                    thead { tr { th scope="col" { "Aanbieder" } th scope="col" { "Regio" } th scope="col" { "Status" } th scope="col" { "Laatst gewijzigd" } } }
                    tbody {
                        @for item in items {
                            tr {
                                td { a href={ "/beheer/aanmeldingen/" (item.admission_id) } { (item.provider) } br; span.hint { (item.city) } }
                                td { (item.region) }
                                td { span.status { (AdmissionStatus::parse(&item.status).map_or("onbekend", |s| s.label())) } }
                                td { (date_nl(item.changed_on)) }
                            }
                        }
                    }
                }
            }))
            (pagination(page, pages, href))
        }
    })
}

pub struct AdmissionView<'a> {
    pub admission_id: i64,
    pub provider: &'a Provider,
    pub region: &'a str,
    pub status: AdmissionStatus,
    pub admitted_on: Option<chrono::NaiveDate>,
    pub ends_on: Option<chrono::NaiveDate>,
    pub signatures: &'a [(i32, String, chrono::NaiveDateTime, String)],
    pub history: &'a [Event],
    /// Other providers' names that look like this one.
    pub look_alikes: &'a [String],
    /// The years of its uitvoeringsovereenkomst in this region, and those that may be given.
    pub execution_years: &'a [i32],
    pub grantable: [i32; 2],
}

pub fn admission(
    site: &SiteInfo,
    account: Account<'_>,
    view: &AdmissionView<'_>,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let p = view.provider;
    let crumbs = vec![
        Crumb::link("Aanmeldingen", "/beheer/aanmeldingen"),
        Crumb::here(p.name.clone()),
    ];
    Page { title: &p.name, site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (p.name) }
        (notice_box(notice))
        (error_summary(errors))
        p.lead { "Regio " (view.region) ": " strong { (view.status.label()) } }
        @if !view.look_alikes.is_empty() {
            div.notice {
                p { strong { "Let op: deze naam lijkt op die van een andere aanbieder." } " Controleer of het niet dezelfde organisatie is, of een naam die gezinnen kan misleiden:" }
                ul { @for other in view.look_alikes { li { (other) } } }
            }
        }
        @if let (Some(from), Some(to)) = (view.admitted_on, view.ends_on) {
            p { "Toegelaten op " (date_nl(from)) ". De procesovereenkomst loopt tot en met " (date_nl(to)) "." }
        }
        h2 { "Organisatie" }
        dl {
            dt { "KvK-nummer" } dd { (p.kvk_number) }
            dt { "AGB-code" } dd { (p.agb_code) }
            dt { "Adres" } dd { (p.street) ", " (p.postal_code) " " (p.city) }
            dt { "E-mail" } dd { (p.email) }
            @if let Some(phone) = &p.phone { dt { "Telefoon" } dd { (phone) } }
            @if let Some(site) = &p.website { dt { "Website" } dd { (site) } }
        }
        h2 { "Ondertekende procesovereenkomst" }
        @if view.signatures.is_empty() {
            p { "Geen handtekening gevonden." }
        }
        @for (version, signer, at, declarations) in view.signatures {
            p { "Versie " (version) ", ondertekend door " (signer) " op " (date_nl(crate::clock::date_of(*at))) "." }
            details { summary { "Verklaarde eisen" } ul { @for line in declarations.lines() { li { (line) } } } }
        }
        h2 { "Uitvoeringsovereenkomst" }
        p { "De overeenkomst om hulp te geven, per kalenderjaar. Zonder overeenkomst voor dit jaar blijft de aanbieder in de catalogus staan, maar kan niemand hem kiezen." }
        @if view.execution_years.is_empty() {
            p { "Nog voor geen enkel jaar gegeven." }
        } @else {
            p { "Gegeven voor: " (view.execution_years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) "." }
        }
        @if matches!(view.status, AdmissionStatus::Toegelaten | AdmissionStatus::Opgeschort) {
            @for year in view.grantable.iter().filter(|y| !view.execution_years.contains(y)) {
                form method="post" action={ "/beheer/aanmeldingen/" (view.admission_id) "/uitvoeringsovereenkomst" } {
                    (account.csrf.field())
                    input type="hidden" name="jaar" value=(year);
                    button type="submit" { "Uitvoeringsovereenkomst " (year) " geven" }
                }
            }
        }
        h2 { "Besluit" }
        @if view.status.next_steps().is_empty() {
            p { "Deze aanmelding is " (view.status.label()) ". Er is geen volgende stap." }
        } @else {
            form method="post" action={ "/beheer/aanmeldingen/" (view.admission_id) } novalidate {
                (account.csrf.field())
                fieldset #(field_id("besluit")) aria-describedby=[group_error_id(errors, "besluit")] {
                    legend { "Wat is uw besluit?" }
                    (group_error(errors, "besluit"))
                    ul.choice-list {
                        @for step in view.status.next_steps() {
                            li.choice {
                                input type="radio" name="besluit" value=(step.as_str()) id={ "besluit-" (step.as_str()) };
                                label for={ "besluit-" (step.as_str()) } { (step.label()) }
                            }
                        }
                    }
                }
                (textarea("reden", "Reden of toelichting", "", Some("Verplicht bij afwijzen, opschorten en beëindigen. De aanbieder leest dit."), errors))
                button type="submit" { "Besluit opslaan" }
            }
        }
        h2 { "Geschiedenis" }
        (scroll_region("Geschiedenis", html! {
            table.data-table {
                thead { tr { th scope="col" { "Datum" } th scope="col" { "Status" } th scope="col" { "Reden" } th scope="col" { "Door" } } }
                tbody {
                    @for e in view.history {
                        tr {
                            td { (date_nl(e.effective_on)) }
                            td { (AdmissionStatus::parse(&e.status).map_or("onbekend", |s| s.label())) }
                            td { (e.reason) }
                            td { (e.by.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }))
    })
}

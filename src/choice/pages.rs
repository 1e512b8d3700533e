//! Pages of the choice workflow: the worker's list and hulpvraag, the family's choice and
//! questionnaire, the provider's requests. All in plain Dutch; every action is a form.

use crate::web::components::scroll_region;
use maud::{Markup, html};

use super::experience::{ExperienceForm, ITEMS};
use super::model::{CareRequest, DeclineReason, Event, Hulpvraag, Kader, Status, actor_label};
use super::store::{Listed, ProviderRequest};
use crate::catalogue::compare::{self, Compared};
use crate::outcomes::records::AGE_BANDS;
use crate::reference::ReferenceData;
use crate::web::components::{
    Field, error_summary, field_error, field_id, notice, pagination, select, textarea,
};
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

fn datetime_nl(at: chrono::NaiveDateTime) -> String {
    // Stored in UTC, shown as the clock on the wall in the Netherlands.
    let local = crate::clock::local(at);
    format!("{} om {}", date_nl(local.date()), local.format("%H:%M"))
}

/// Radio buttons in a fieldset, the legend as the question.
fn radios(
    name: &str,
    legend: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &[FieldError],
) -> Markup {
    let error = field_error(errors, name);
    html! {
        fieldset.form-field.form-field--invalid[error.is_some()] id=(field_id(name)) {
            legend { (legend) }
            @if let Some(e) = error { p.field-error { span.visually-hidden { "Fout: " } (e.message) } }
            @for (value, text) in options {
                div.radio {
                    input type="radio" id={ (field_id(name)) "-" (value) } name=(name) value=(value) checked[value == selected];
                    label for={ (field_id(name)) "-" (value) } { (text) }
                }
            }
        }
    }
}

fn status_badge(status: Status) -> Markup {
    html! { span.badge.{ "status-" (status.as_str()) } { (status.label()) } }
}

fn profile_label(reference: &ReferenceData, id: i64) -> String {
    reference.profile(id).map_or(String::new(), |p| {
        format!("Profiel {}: {}", p.number, p.name)
    })
}

fn intensity_label(reference: &ReferenceData, id: i64) -> String {
    reference
        .intensity(id)
        .map_or(String::new(), |i| i.name.clone())
}

fn municipality_label(reference: &ReferenceData, id: i64) -> String {
    reference
        .municipality(id)
        .map_or(String::new(), |m| m.name.clone())
}

// ---------------------------------------------------------------- worker

pub fn worker_list(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    items: &[Listed],
    status: Option<Status>,
    page: u32,
    pages: u32,
) -> Markup {
    let href = |n: u32, s: Option<Status>| {
        let mut parts = Vec::new();
        if let Some(s) = s {
            parts.push(format!("status={}", s.as_str()));
        }
        if n > 1 {
            parts.push(format!("pagina={n}"));
        }
        if parts.is_empty() {
            "/toegang/hulpvragen".to_owned()
        } else {
            format!("/toegang/hulpvragen?{}", parts.join("&"))
        }
    };
    Page { title: "Hulpvragen", site, crumbs: vec![Crumb::here("Hulpvragen")], section: None, account: Some(account) }.render(html! {
        h1 { "Hulpvragen van uw gemeente" }
        p { a.button href="/toegang/hulpvragen/nieuw" { "Nieuwe hulpvraag" } }
        nav aria-label="Filter op status" {
            ul.active-filters {
                li { a href=(href(1, None)) aria-current=[status.is_none().then_some("page")] { "Alle" } }
                @for s in Status::ALL {
                    li { a href=(href(1, Some(s))) aria-current=[(status == Some(s)).then_some("page")] { (s.label()) } }
                }
            }
        }
        @if items.is_empty() {
            p.empty-state {
                @if status.is_some() { "Er zijn geen hulpvragen met deze status." }
                @else { "Er zijn nog geen hulpvragen. Maak een nieuwe hulpvraag als u met een gezin hulp gaat zoeken." }
            }
        } @else {
            (scroll_region("Hulpvragen", html! {
                table.data-table {
                    caption.visually-hidden { "Hulpvragen" }
                    thead { tr {
                        th scope="col" { "Zaaknummer" } th scope="col" { "Profiel en intensiteit" } th scope="col" { "Kader" }
                        th scope="col" { "Status" } th scope="col" { "Aanbieder" } th scope="col" { "Laatst gewijzigd" }
                    } }
                    tbody {
                        @for item in items {
                            @let h = &item.hulpvraag;
                            tr {
                                th scope="row" { a href={ "/toegang/hulpvragen/" (h.id) } { (h.case_number) } }
                                td { (profile_label(reference, h.profile_id)) ", " (intensity_label(reference, h.intensity_id)) }
                                td { (compare::kader_label(&h.kader)) }
                                td {
                                    (status_badge(h.status()))
                                    @if h.help_asked_at.is_some() && h.status().may_choose() { br; strong { "Gezin vraagt om hulp bij kiezen" } }
                                }
                                td { (item.provider.as_deref().unwrap_or("–")) }
                                td { (datetime_nl(h.updated_at)) }
                            }
                        }
                    }
                }
            }))
            (pagination(page, pages, |n| href(n, status)))
        }
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct HulpvraagForm {
    #[serde(default)]
    pub profiel: String,
    #[serde(default)]
    pub intensiteit: String,
    #[serde(default)]
    pub kader: String,
    #[serde(default)]
    pub leeftijd: String,
    #[serde(default)]
    pub zaaknummer: String,
    #[serde(default)]
    pub notities: String,
}

pub fn new_hulpvraag(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    municipality_id: i64,
    form: &HulpvraagForm,
    errors: &[FieldError],
) -> Markup {
    let region = reference.municipality(municipality_id).map(|m| m.region_id);
    let profiles: Vec<(String, String)> = reference
        .profiles
        .iter()
        .filter(|p| Some(p.region_id) == region)
        .map(|p| {
            (
                p.number.to_string(),
                format!("Profiel {}: {}", p.number, p.name),
            )
        })
        .collect();
    let intensities: Vec<(String, String)> = reference
        .intensities
        .iter()
        .filter(|i| Some(i.region_id) == region)
        .map(|i| (i.code.clone(), i.name.clone()))
        .collect();
    let kaders = vec![
        (
            "vrijwillig".to_owned(),
            "Vrijwillig: het gezin kiest de aanbieder".to_owned(),
        ),
        (
            "gedwongen".to_owned(),
            "Gedwongen: de gecertificeerde instelling beslist (het gezin kiest niet)".to_owned(),
        ),
    ];
    let ages: Vec<(String, String)> = AGE_BANDS
        .iter()
        .map(|a| ((*a).to_owned(), format!("{a} jaar")))
        .collect();
    let crumbs = vec![
        Crumb::link("Hulpvragen", "/toegang/hulpvragen"),
        Crumb::here("Nieuwe hulpvraag"),
    ];
    Page { title: "Nieuwe hulpvraag", site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Nieuwe hulpvraag" }
        p.lead { "Voor de gemeente " (municipality_label(reference, municipality_id)) ". Vul geen naam, adres of burgerservicenummer in." }
        (error_summary(errors))
        form method="post" action="/toegang/hulpvragen" novalidate {
            (account.csrf.field())
            (select("profiel", "Profiel", &profiles, &form.profiel, Some("Het profiel dat u samen met het gezin heeft gekozen."), errors))
            (select("intensiteit", "Intensiteit", &intensities, &form.intensiteit, None, errors))
            (select("leeftijd", "Leeftijd van het kind of de jongere", &ages, &form.leeftijd, None, errors))
            (radios("kader", "Kader", &kaders, if form.kader.is_empty() { "vrijwillig" } else { &form.kader }, errors))
            (Field::text("zaaknummer", "Zaaknummer in het systeem van uw gemeente", &form.zaaknummer)
                .hint("Alleen het nummer van uw eigen zaak. Geen burgerservicenummer.").render(errors))
            (textarea("notities", "Notities voor de aanbieder (niet verplicht)", &form.notities,
                Some("De aanbieder leest dit bij de aanvraag. Schrijf geen namen of andere persoonsgegevens."), errors))
            button type="submit" { "Hulpvraag maken en aanbieders voorstellen" }
        }
    })
}

/// Everything the worker's hulpvraag page shows.
pub struct WorkerView<'a> {
    pub hulpvraag: &'a Hulpvraag,
    pub shortlist: &'a [Compared],
    /// Providers that could be added: (id, name).
    pub addable: &'a [(i64, String)],
    pub requests: &'a [CareRequest],
    pub names: &'a std::collections::HashMap<i64, String>,
    pub events: &'a [Event],
    /// The family's current link, while the family may use it.
    pub family_code: Option<&'a str>,
    /// A questionnaire code just made (shown once: only its hash is kept).
    pub experience_code: Option<&'a str>,
    pub public_url: &'a str,
    pub message: Option<&'a str>,
}

pub fn worker_hulpvraag(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    view: &WorkerView<'_>,
    errors: &[FieldError],
) -> Markup {
    let h = view.hulpvraag;
    let status = h.status();
    let title = format!("Hulpvraag {}", h.case_number);
    let crumbs = vec![
        Crumb::link("Hulpvragen", "/toegang/hulpvragen"),
        Crumb::here(title.clone()),
    ];
    let base = format!("/toegang/hulpvragen/{}", h.id);
    let name = |id: i64| view.names.get(&id).cloned().unwrap_or_default();
    let profile_number = reference.profile(h.profile_id).map_or(0, |p| p.number);
    let declined: Vec<i64> = view
        .requests
        .iter()
        .filter(|r| r.answer == "afgewezen")
        .map(|r| r.provider_id)
        .collect();
    Page { title: &title, site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        (notice(view.message))
        (error_summary(errors))
        @if let Some(code) = view.experience_code {
            h2 { "Vragenlijst voor het gezin" }
            (code_box(view.public_url, "/ervaring", code, &format!("Hij werkt {} dagen en één keer.", super::store::EXPERIENCE_LINK_DAYS)))
        }
        dl.facts {
            dt { "Status" } dd { (status_badge(status)) }
            dt { "Gemeente" } dd { (municipality_label(reference, h.municipality_id)) }
            dt { "Profiel" } dd { (profile_label(reference, h.profile_id)) }
            dt { "Intensiteit" } dd { (intensity_label(reference, h.intensity_id)) }
            dt { "Leeftijd" } dd { (h.age_band) " jaar" }
            dt { "Kader" } dd { (Kader::parse(&h.kader).map_or("", Kader::label)) }
            @if !h.notes.is_empty() { dt { "Notities voor de aanbieder" } dd { (h.notes) } }
            @if let Some(p) = h.provider_id { dt { "Aanbieder" } dd { (name(p)) } }
            @if let Some(d) = h.started_on { dt { "Gestart op" } dd { (date_nl(d)) } }
            @if let Some(d) = h.ended_on { dt { "Afgesloten op" } dd { (date_nl(d)) } }
        }
        @if h.help_asked_at.is_some() && status.may_choose() {
            div.notice role="status" { p { strong { "Het gezin vraagt om hulp bij het kiezen." } " Neem contact op met het gezin." } }
        }

        @if status.may_choose() {
            h2 #link { "Link voor het gezin" }
            @if !h.family_chooses() {
                p { "Dit is hulp in het gedwongen kader. Het gezin kan met de link de aanbieders bekijken, maar niet kiezen. Leg de keuze van de gecertificeerde instelling hieronder vast." }
            }
            @match view.family_code {
                Some(code) => {
                    (code_box(view.public_url, "/keuze", code, &h.family_token_expires_at.map_or(String::new(), |until| format!("Hij werkt tot {}.", datetime_nl(until)))))
                    form method="post" action={ (base) "/link/mail" } novalidate {
                        (account.csrf.field())
                        (Field::text("email", "E-mailadres van het gezin", "").kind("email")
                            .hint("Wij sturen de link één keer en bewaren het adres niet.").render(errors))
                        button type="submit" { "Stuur de link per e-mail" }
                    }
                    form method="post" action={ (base) "/link" } {
                        (account.csrf.field())
                        p { "Is de link bij iemand anders terechtgekomen? Maak een nieuwe link; deze werkt dan niet meer." }
                        button.button--secondary type="submit" { "Maak een nieuwe link" }
                    }
                }
                None => {
                    p { "Met een link kan het gezin thuis de aanbieders vergelijken en er zelf één kiezen." }
                    form method="post" action={ (base) "/link" } {
                        (account.csrf.field())
                        button type="submit" { "Maak een link voor het gezin" }
                    }
                }
            }
        }

        h2 { "Aanbieders op de lijst" }
        @if view.shortlist.is_empty() {
            p.empty-state { "Er staan geen aanbieders op de lijst. Voeg hieronder aanbieders toe." }
        } @else {
            (compare::how_to_read())
            (compare::table(reference, profile_number, view.shortlist, Some(&|c: &Compared| html! {
                @if declined.contains(&c.provider.id) {
                    p { strong { "Heeft afgewezen" } }
                } @else if status.may_choose() {
                    form method="post" action={ (base) "/kiezen" } {
                        (account.csrf.field())
                        input type="hidden" name="aanbieder" value=(c.provider.id);
                        button type="submit" { "Samen gekozen: " (c.provider.name) }
                    }
                    form method="post" action={ (base) "/lijst/" (c.provider.id) "/verwijderen" } {
                        (account.csrf.field())
                        button.secondary type="submit" { "Van de lijst halen" span.visually-hidden { ": " (c.provider.name) } }
                    }
                }
            })))
        }
        @if status.may_choose() {
            h3 { "Aanbieder toevoegen" }
            @if view.addable.is_empty() {
                p { "Er zijn geen andere aanbieders met dit profiel in deze gemeente voor deze leeftijd." }
            } @else {
                form method="post" action={ (base) "/lijst" } {
                    (account.csrf.field())
                    (select("aanbieder", "Aanbieder", &view.addable.iter().map(|(id, n)| (id.to_string(), n.clone())).collect::<Vec<_>>(), "",
                        Some("Aanbieders met dit profiel in deze gemeente, ook als zij nu geen nieuwe cliënten aannemen of een andere intensiteit bieden."), errors))
                    button type="submit" { "Toevoegen" }
                }
            }
        }

        @if !view.requests.is_empty() {
            h2 { "Aanvragen bij aanbieders" }
            (scroll_region("Aanvragen bij aanbieders", html! {
                table.data-table {
                    caption.visually-hidden { "Aanvragen" }
                    thead { tr { th scope="col" { "Aanbieder" } th scope="col" { "Gekozen" } th scope="col" { "Antwoord" } } }
                    tbody {
                        @for r in view.requests {
                            tr {
                                th scope="row" { (name(r.provider_id)) }
                                td { (datetime_nl(r.chosen_at)) @if r.chosen_by == "samen" { " (samen gekozen)" } @else { " (door het gezin)" } }
                                td {
                                    @match r.answer.as_str() {
                                        "geaccepteerd" => { "Geaccepteerd" @if let Some(d) = r.expected_start { ", verwachte start " (date_nl(d)) } }
                                        "afgewezen" => { "Afgewezen: " (r.decline_label().unwrap_or("")) @if !r.decline_note.is_empty() { " – " (r.decline_note) } }
                                        _ => "Nog geen antwoord",
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }

        @if status == Status::Geaccepteerd {
            h2 { "De hulp is gestart" }
            form method="post" action={ (base) "/start" } novalidate {
                (account.csrf.field())
                (Field::text("startdatum", "Startdatum", "").kind("date").hint("De dag waarop de hulp echt begon.").render(errors))
                button type="submit" { "Start vastleggen" }
            }
        }
        @if status == Status::Gestart {
            h2 { "De hulp afsluiten" }
            form method="post" action={ (base) "/afsluiten" } novalidate {
                (account.csrf.field())
                (Field::text("einddatum", "Einddatum", "").kind("date").render(errors))
                (radios("reden", "Hoe is de hulp geëindigd?", &reference_end_reasons(), "", errors))
                (radios("doelen", "Zijn de doelen bereikt?", &[
                    ("behaald".into(), "Ja, helemaal".into()),
                    ("deels_behaald".into(), "Deels".into()),
                    ("niet_behaald".into(), "Nee".into()),
                    ("onbekend".into(), "Weet ik niet".into()),
                ], "", errors))
                (Field::text("email", "E-mailadres van het gezin voor de vragenlijst", "").kind("email").optional()
                    .hint("Wij sturen de vragenlijst één keer en wissen het adres direct daarna. U kunt de link ook zelf aan het gezin geven.").render(errors))
                button type="submit" { "Afsluiten" }
            }
        }
        @if status == Status::Afgesloten {
            h2 { "Vragenlijst voor het gezin" }
            @if h.experience_answered_at.is_some() {
                p { "Het gezin heeft de vragenlijst ingevuld. Dank voor het vragen." }
            } @else {
                @if view.experience_code.is_some() {
                    p { "De link voor de vragenlijst staat bovenaan deze pagina." }
                }
                form method="post" action={ (base) "/vragenlijst" } novalidate {
                    (account.csrf.field())
                    (Field::text("email", "E-mailadres van het gezin", "").kind("email").optional()
                        .hint("Wij sturen de link één keer en wissen het adres direct daarna.").render(errors))
                    button type="submit" { "Maak een nieuwe link voor de vragenlijst" }
                }
            }
        }

        h2 { "Wat er is gebeurd" }
        ol.timeline {
            @for e in view.events {
                li {
                    (datetime_nl(e.at)) ": " (event_label(&e.kind)) " (" (actor_label(&e.actor)) ")"
                    @if let Some(p) = e.provider_id { " – " (name(p)) }
                }
            }
        }
    })
}

/// A code just made, shown once as a link and as text to read out.
fn code_box(public_url: &str, path: &str, code: &str, validity: &str) -> Markup {
    html! {
        div.code-box {
            p { "Geef het gezin deze link. " (validity) }
            p { a href={ (public_url) (path) "/" (code) } { (public_url) (path) "/" (code) } }
            p { "Of laat het gezin naar " strong { (public_url) (path) } " gaan en deze code intypen:" }
            p.code { (code) }
        }
    }
}

fn reference_end_reasons() -> Vec<(String, String)> {
    [
        (1, "Volgens plan"),
        (2, "Eerder gestopt, in overleg"),
        (3, "Eerder gestopt door het gezin of de jongere"),
        (4, "Eerder gestopt door de aanbieder"),
        (
            5,
            "Eerder gestopt door omstandigheden (bijvoorbeeld verhuizing)",
        ),
    ]
    .into_iter()
    .map(|(code, label)| (code.to_string(), label.to_owned()))
    .collect()
}

fn event_label(kind: &str) -> &'static str {
    match kind {
        "geopend" => "Hulpvraag gemaakt",
        "link_gemaakt" => "Link voor het gezin gemaakt",
        "link_gemaild" => "Link naar het gezin gemaild",
        "toegevoegd" => "Aanbieder toegevoegd aan de lijst",
        "verwijderd" => "Aanbieder van de lijst gehaald",
        "gekozen" => "Aanbieder gekozen",
        "hulp_gevraagd" => "Gezin vraagt om hulp bij kiezen",
        "geaccepteerd" => "Aanbieder accepteert",
        "afgewezen" => "Aanbieder wijst af",
        "gestart" => "Hulp gestart",
        "afgesloten" => "Hulp afgesloten",
        _ => "Stap",
    }
}

// ---------------------------------------------------------------- family

pub fn enter_code(site: &SiteInfo, action: &str, title: &str, error: Option<&str>) -> Markup {
    let errors: Vec<FieldError> = error
        .map(|e| vec![FieldError::new("code", e)])
        .unwrap_or_default();
    Page { title, site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (title) }
        (error_summary(&errors))
        form method="get" action=(action) {
            (Field::text("code", "Uw code", "").hint("U kreeg de code van uw jeugdprofessional. Bijvoorbeeld: k3m9x-7hq2d-p4wzr-b8c1n").autocomplete("off").render(&errors))
            button type="submit" { "Verder" }
        }
    })
}

/// A code that opens nothing: say so, and let the family type it again.
pub fn link_not_working(site: &SiteInfo, action: &str) -> Markup {
    let errors = [FieldError::new(
        "code",
        "Deze code werkt niet. Kijk of er geen letter mist, of vraag uw jeugdprofessional om een nieuwe link.",
    )];
    Page { title: "Deze link werkt niet", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Deze link werkt niet (meer)" }
        p.lead { "De link of code is niet goed, is verlopen of is al gebruikt." }
        p { "Heeft u de code overgetypt? Typ hem hieronder nog eens. Werkt het niet? Vraag uw jeugdprofessional om een nieuwe link." }
        form method="get" action=(action) {
            (Field::text("code", "Uw code", "").hint("Bijvoorbeeld: k3m9x-7hq2d-p4wzr-b8c1n").autocomplete("off").render(&errors))
            button type="submit" { "Verder" }
        }
    })
}

pub struct FamilyView<'a> {
    pub hulpvraag: &'a Hulpvraag,
    pub code: &'a str,
    pub shortlist: &'a [Compared],
    pub requests: &'a [CareRequest],
    pub names: &'a std::collections::HashMap<i64, String>,
}

pub fn family_choice(
    site: &SiteInfo,
    csrf: &CsrfToken,
    reference: &ReferenceData,
    view: &FamilyView<'_>,
    errors: &[FieldError],
) -> Markup {
    let h = view.hulpvraag;
    let status = h.status();
    let base = format!("/keuze/{}", view.code);
    let profile_number = reference.profile(h.profile_id).map_or(0, |p| p.number);
    let declined: Vec<i64> = view
        .requests
        .iter()
        .filter(|r| r.answer == "afgewezen")
        .map(|r| r.provider_id)
        .collect();
    let name = |id: i64| view.names.get(&id).cloned().unwrap_or_default();
    let current = view
        .requests
        .iter()
        .rev()
        .find(|r| Some(r.provider_id) == h.provider_id);
    let choose_button = |c: &Compared| {
        html! {
            @if declined.contains(&c.provider.id) {
                p { "Kan u niet helpen" }
            } @else {
                // A choice is asked once more on its own page before it is final.
                form method="get" action={ (base) "/kies" } {
                    input type="hidden" name="aanbieder" value=(c.provider.slug);
                    button type="submit" { "Kies " (c.provider.name) }
                }
            }
        }
    };
    let action: Option<&dyn Fn(&Compared) -> Markup> =
        (status.may_choose() && h.family_chooses()).then_some(&choose_button);
    Page { title: "Kies uw aanbieder", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Kies een aanbieder voor uw kind" }
        (error_summary(errors))
        p.lead { "Hieronder staan de aanbieders die passen bij de hulp die u zoekt. Vergelijk ze en kies er één." }
        (what_you_look_for(reference, h))
        @match status {
            Status::Gekozen => {
                div.notice role="status" {
                    p { "U heeft gekozen voor " strong { (h.provider_id.map(name).unwrap_or_default()) } "." }
                    p { "De aanbieder laat weten of hij u kan helpen. Uw jeugdprofessional houdt u op de hoogte. U kunt deze pagina later weer openen." }
                }
            }
            Status::Geaccepteerd => {
                div.notice role="status" {
                    p { strong { (h.provider_id.map(name).unwrap_or_default()) } " kan u helpen." }
                    @if let Some(d) = current.and_then(|r| r.expected_start) { p { "De hulp begint naar verwachting op " (date_nl(d)) "." } }
                }
            }
            Status::Gestart | Status::Afgesloten => {
                div.notice role="status" { p { "De hulp bij " strong { (h.provider_id.map(name).unwrap_or_default()) } " is gestart." } }
            }
            Status::Afgewezen => {
                @if let Some(last) = view.requests.iter().rev().find(|r| r.answer == "afgewezen") {
                    div.notice role="status" {
                        p { strong { (name(last.provider_id)) } " kan u niet helpen. Reden: " (last.decline_label().unwrap_or("").to_lowercase()) "." }
                        p { "Kies een andere aanbieder. Of vraag uw jeugdprofessional om hulp." }
                    }
                }
            }
            Status::Open => {}
        }
        @if !h.family_chooses() {
            p { strong { "U hoeft niet te kiezen." } " Bij deze hulp beslist de gecertificeerde instelling welke aanbieder helpt. Hieronder kunt u de aanbieders wel bekijken." }
        }
        @if view.shortlist.is_empty() {
            p.empty-state { "Er staan nog geen aanbieders op uw lijst. Uw jeugdprofessional vult de lijst aan." }
        } @else {
            (compare::how_to_read())
            (compare::table(reference, profile_number, view.shortlist, action))
        }
        @if status.may_choose() {
            h2 { "Twijfelt u?" }
            @if h.help_asked_at.is_some() {
                p { "U heeft uw jeugdprofessional om hulp gevraagd. Hij of zij neemt contact met u op." }
            } @else {
                p { "Wilt u eerst overleggen? Dan neemt uw jeugdprofessional contact met u op." }
                form method="post" action={ (base) "/hulp" } {
                    (csrf.field())
                    button.secondary type="submit" { "Ik wil hulp bij het kiezen" }
                }
            }
        }
        p.hint { "Deze pagina is alleen voor u. Deel de link niet met anderen." }
    })
}

/// The help the family looks for, in plain words: the profile's B1 text and the intensity
/// the worker chose, each explained.
fn what_you_look_for(reference: &ReferenceData, h: &Hulpvraag) -> Markup {
    html! {
        dl.facts {
            @if let Some(p) = reference.profile(h.profile_id) {
                dt { "Hulp voor" }
                dd { (p.description) }
            }
            @if let Some(i) = reference.intensity(h.intensity_id) {
                dt { "Hoeveel hulp" }
                dd { strong { (i.name) } ": " (crate::reference::family_text(&i.description)) }
            }
        }
    }
}

/// The family confirms its choice before it is sent to the provider.
pub fn confirm_choice(
    site: &SiteInfo,
    csrf: &CsrfToken,
    reference: &ReferenceData,
    view: &FamilyView<'_>,
    chosen: &Compared,
) -> Markup {
    let h = view.hulpvraag;
    let base = format!("/keuze/{}", view.code);
    let crumbs = vec![
        Crumb::link("Uw keuzelijst", base.clone()),
        Crumb::here("Keuze bevestigen"),
    ];
    Page { title: "Keuze bevestigen", site, crumbs, section: None, account: None }.render(html! {
        h1 { "Wilt u kiezen voor " (chosen.provider.name) "?" }
        (what_you_look_for(reference, h))
        p { "Als u bevestigt, krijgt " (chosen.provider.name) " uw aanvraag. De aanbieder laat weten of hij u kan helpen. Uw jeugdprofessional houdt u op de hoogte." }
        p { "Kan de aanbieder u niet helpen? Dan kiest u met dezelfde link opnieuw." }
        form method="post" action={ (base) "/kies" } {
            (csrf.field())
            input type="hidden" name="aanbieder" value=(chosen.provider.slug);
            div.actions {
                button type="submit" { "Ja, ik kies " (chosen.provider.name) }
                a.button.button--secondary href=(base) { "Nee, terug naar de lijst" }
            }
        }
    })
}

pub fn experience_form(
    site: &SiteInfo,
    csrf: &CsrfToken,
    code: &str,
    provider_name: &str,
    form: &ExperienceForm,
    errors: &[FieldError],
) -> Markup {
    let marks: Vec<(String, String)> = (1..=10).map(|n| (n.to_string(), n.to_string())).collect();
    Page { title: "Hoe was de hulp?", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Hoe was de hulp van " (provider_name) "?" }
        p.lead { "Zes korte vragen. Het duurt ongeveer twee minuten." }
        p { "Geef bij elke vraag een cijfer van 1 (heel slecht) tot 10 (heel goed). Uw antwoorden zijn anoniem: de aanbieder ziet alleen gemiddelden van minstens 10 gezinnen." }
        (error_summary(errors))
        form method="post" action={ "/ervaring/" (code) } novalidate {
            (csrf.field())
            @for (item, question, _) in ITEMS {
                div.marks { (radios(item, question, &marks, form.value(item), errors)) }
            }
            (textarea("opmerking", "Wilt u nog iets zeggen? (niet verplicht)", &form.opmerking,
                Some("Schrijf geen namen of andere persoonsgegevens."), errors))
            button type="submit" { "Versturen" }
        }
    })
}

pub fn experience_thanks(site: &SiteInfo) -> Markup {
    Page { title: "Dank u wel", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Dank u wel!" }
        p.lead { "Uw antwoorden zijn opgeslagen. Zo helpt u andere gezinnen een goede aanbieder te kiezen." }
        p { a href="/" { "Naar de startpagina" } }
    })
}

// ---------------------------------------------------------------- provider

/// A provider's work list, one page of it.
pub struct RequestsView<'a> {
    pub items: &'a [ProviderRequest],
    pub open_only: bool,
    pub page: u32,
    pub pages: u32,
    pub message: Option<&'a str>,
    /// Input errors of one request's answer: (request id, errors).
    pub errors: &'a [(i64, Vec<FieldError>)],
}

pub fn provider_requests(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    view: &RequestsView<'_>,
) -> Markup {
    let RequestsView {
        items,
        open_only,
        page,
        pages,
        message,
        errors,
    } = *view;
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Aanvragen"),
    ];
    let reasons: Vec<(String, String)> = DeclineReason::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    Page { title: "Aanvragen", site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Aanvragen van gezinnen" }
        (notice(message))
        p { "Een gezin heeft u gekozen. U ziet geen naam of adres: alleen wat u nodig heeft om te beslissen. Laat snel weten of u kunt helpen." }
        nav aria-label="Welke aanvragen" {
            ul.active-filters {
                li { a href="/mijn-aanbod/aanvragen" aria-current=[open_only.then_some("page")] { "Nog te beantwoorden" } }
                li { a href="/mijn-aanbod/aanvragen?alle=1" aria-current=[(!open_only).then_some("page")] { "Alle aanvragen" } }
            }
        }
        @if items.is_empty() {
            p.empty-state { @if open_only { "Er zijn geen aanvragen die op uw antwoord wachten." } @else { "U heeft nog geen aanvragen gekregen." } }
        }
        @for item in items {
            @let r = &item.request;
            @let errs = errors.iter().find(|(id, _)| *id == r.id).map(|(_, e)| e.as_slice()).unwrap_or(&[]);
            @let prefix = format!("aanvraag-{}", r.id);
            // Several requests on one page: the summary links to this request's own fields.
            @let linked: Vec<FieldError> = errs.iter().map(|e| FieldError::new(format!("{prefix}-{}", e.field), e.message.clone())).collect();
            @let start_id = field_id(&format!("{prefix}-startdatum"));
            section.request-card aria-labelledby=(prefix) {
                h2 #(prefix) { "Aanvraag van " (datetime_nl(r.chosen_at)) }
                dl.facts {
                    dt { "Profiel" } dd { (profile_label(reference, item.profile_id)) }
                    dt { "Intensiteit" } dd { (intensity_label(reference, item.intensity_id)) }
                    dt { "Gemeente" } dd { (municipality_label(reference, item.municipality_id)) }
                    dt { "Leeftijd" } dd { (item.age_band) " jaar" }
                    dt { "Kader" } dd { (compare::kader_label(&item.kader)) }
                    @if !item.notes.is_empty() { dt { "Notities van de toegangsmedewerker" } dd { (item.notes) } }
                    dt { "Antwoord" }
                    dd {
                        @match r.answer.as_str() {
                            "geaccepteerd" => { "U heeft geaccepteerd" @if let Some(d) = r.expected_start { ", verwachte start " (date_nl(d)) } }
                            "afgewezen" => { "U heeft afgewezen: " (r.decline_label().unwrap_or("")) }
                            _ => "Nog niet beantwoord",
                        }
                    }
                }
                @if r.is_open() {
                    (error_summary(&linked))
                    div.answer-forms {
                        form method="post" action={ "/mijn-aanbod/aanvragen/" (r.id) } novalidate {
                            (account.csrf.field())
                            input type="hidden" name="antwoord" value="accepteren";
                            div.form-field.form-field--invalid[field_error(errs, "startdatum").is_some()] {
                                label for=(start_id) { "Verwachte startdatum" }
                                @if let Some(e) = field_error(errs, "startdatum") { p.field-error { span.visually-hidden { "Fout: " } (e.message) } }
                                input id=(start_id) type="date" name="startdatum" required;
                            }
                            button type="submit" { "Accepteren" }
                        }
                        form method="post" action={ "/mijn-aanbod/aanvragen/" (r.id) } novalidate {
                            (account.csrf.field())
                            input type="hidden" name="antwoord" value="afwijzen";
                            fieldset.form-field.form-field--invalid[field_error(errs, "reden").is_some()] id=(field_id(&format!("{prefix}-reden"))) {
                                legend { "Waarom kunt u niet helpen?" }
                                @if let Some(e) = field_error(errs, "reden") { p.field-error { span.visually-hidden { "Fout: " } (e.message) } }
                                @for (value, text) in &reasons {
                                    div.radio {
                                        input type="radio" id={ (prefix) "-reden-" (value) } name="reden" value=(value);
                                        label for={ (prefix) "-reden-" (value) } { (text) }
                                    }
                                }
                            }
                            div.form-field {
                                label for={ (prefix) "-toelichting" } { "Toelichting (niet verplicht)" }
                                textarea id={ (prefix) "-toelichting" } name="toelichting" rows="3" {}
                            }
                            button.secondary type="submit" { "Afwijzen" }
                        }
                    }
                }
            }
        }
        (pagination(page, pages, |n| format!("/mijn-aanbod/aanvragen?{}pagina={n}", if open_only { "" } else { "alle=1&" })))
    })
}

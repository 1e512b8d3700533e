//! The worker's pages: the list, the new hulpvraag and one hulpvraag with every step.

use crate::domain::hulpvraag::{ChosenBy, RequestAnswer};
use crate::domain::ids::MunicipalityId;
use crate::domain::indicator::{ProblemsSmaller, WithoutCare};
use crate::web::components::scroll_region;
use maud::{Markup, html};

use crate::catalogue::compare::{self, Compared};
use crate::choice::model::{CareRequest, Event, EventKind, Hulpvraag, Kader, Status};
use crate::choice::queries::Listed;
use crate::domain::values::AgeBand;
use crate::reference::ReferenceData;
use crate::web::components::{Field, error_summary, notice, pagination, select, textarea};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

use super::{
    datetime_nl, intensity_label, municipality_label, profile_label, radios, status_badge,
};

/// The worker's list, as filtered.
pub struct WorkerListView<'a> {
    pub items: &'a [Listed],
    pub filter: &'a crate::choice::queries::WorkerFilter,
    /// The providers chosen on the municipality's hulpvragen (the provider filter).
    pub chosen: &'a [(i64, String)],
    pub page: u32,
    pub pages: u32,
}

pub fn worker_list(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    view: &WorkerListView<'_>,
) -> Markup {
    let (items, filter, page, pages) = (view.items, view.filter, view.page, view.pages);
    let status = filter.status;
    // Links keep the search and the provider filter.
    let href = |n: u32, s: Option<Status>| {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(s) = s {
            parts.push(("status", s.as_str().to_owned()));
        }
        if let Some(w) = &filter.words {
            parts.push(("zoek", w.clone()));
        }
        if let Some(p) = filter.provider {
            parts.push(("aanbieder", p.to_string()));
        }
        if n > 1 {
            parts.push(("pagina", n.to_string()));
        }
        let query = serde_urlencoded::to_string(&parts).unwrap_or_default();
        if query.is_empty() {
            "/toegang/hulpvragen".to_owned()
        } else {
            format!("/toegang/hulpvragen?{query}")
        }
    };
    let narrowed = filter.words.is_some() || filter.provider.is_some();
    let clear = match status {
        Some(s) => format!("/toegang/hulpvragen?status={}", s.as_str()),
        None => "/toegang/hulpvragen".to_owned(),
    };
    Page { title: "Hulpvragen", site, crumbs: vec![Crumb::here("Hulpvragen")], section: None, account: Some(account) }.render(html! {
        h1 { "Hulpvragen van uw gemeente" }
        p { a.button href="/toegang/hulpvragen/nieuw" { "Nieuwe hulpvraag" } }
        form.filters method="get" action="/toegang/hulpvragen" role="search" aria-label="Hulpvragen zoeken" {
            @if let Some(s) = status { input type="hidden" name="status" value=(s.as_str()); }
            div.field {
                label for="zoek" { "Zaaknummer of kenmerk (H-…)" }
                input #zoek type="search" name="zoek" value=[filter.words.as_deref()] maxlength="64";
            }
            div.field {
                label for="aanbieder" { "Gekozen aanbieder" }
                select #aanbieder name="aanbieder" {
                    option value="" { "Alle aanbieders" }
                    @for (id, name) in view.chosen {
                        option value=(id) selected[filter.provider == Some(*id)] { (name) }
                    }
                }
            }
            button.button--secondary type="submit" { "Zoeken" }
            @if narrowed { " " a href=(clear) { "Zoekopdracht wissen" } }
        }
        nav aria-label="Filter op status" {
            ul.status-tabs {
                li { a href=(href(1, None)) aria-current=[status.is_none().then_some("page")] { "Alle" } }
                @for s in Status::ALL.iter().copied() {
                    li { a href=(href(1, Some(s))) aria-current=[(status == Some(s)).then_some("page")] { (s.label()) } }
                }
            }
        }
        @if items.is_empty() {
            p.empty-state {
                @if page > 1 && page > pages { "Deze pagina bestaat niet. " a href="/toegang/hulpvragen" { "Ga naar de eerste pagina" } "." }
                @else if narrowed { "Er zijn geen hulpvragen die bij uw zoekopdracht passen." }
                @else if status.is_some() { "Er zijn geen hulpvragen met deze status." }
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
                                th scope="row" { a href={ "/toegang/hulpvragen/" (h.id) } { (h.case_number) } br; span.hint { (crate::choice::queries::reference_of(h.id)) } }
                                td { (profile_label(reference, h.profile_id)) ", " (intensity_label(reference, h.intensity_id)) }
                                td { (h.kader.short_label()) }
                                td {
                                    (status_badge(h.status()))
                                    @if h.help_asked_at.is_some() && h.status().may_choose() { br; strong { "Gezin vraagt om hulp bij kiezen" } }
                                }
                                td {
                                    (item.provider.as_deref().unwrap_or("–"))
                                    @if let (Some(d), Status::Geaccepteerd) = (item.expected_start, h.status()) {
                                        br; span.hint { "Geplande start " (crate::web::text::date_nl(d)) }
                                    }
                                }
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
    municipality_id: MunicipalityId,
    form: &HulpvraagForm,
    errors: &[FieldError],
) -> Markup {
    let region = reference
        .municipality(municipality_id.get())
        .map(|m| m.region_id);
    let crumbs = vec![
        Crumb::link("Hulpvragen", "/toegang/hulpvragen"),
        Crumb::here("Nieuwe hulpvraag"),
    ];
    Page { title: "Nieuwe hulpvraag", site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Nieuwe hulpvraag" }
        p.lead { "Voor de gemeente " (municipality_label(reference, municipality_id.get())) ". Vul geen naam, adres of burgerservicenummer in." }
        (error_summary(errors))
        form method="post" action="/toegang/hulpvragen" novalidate {
            (account.csrf.field())
            (detail_fields(reference, region, form, errors))
            (Field::text("zaaknummer", "Zaaknummer in het systeem van uw gemeente", &form.zaaknummer)
                .hint("Alleen het nummer van uw eigen zaak. Geen burgerservicenummer.").render(errors))
            (notes_field(form, errors))
            button type="submit" { "Hulpvraag maken en aanbieders voorstellen" }
        }
    })
}

/// Profile, intensity, age and kader: asked when a hulpvraag is made and when it is
/// corrected. A closed profile or intensity is offered only when the form already has it.
pub(super) fn detail_fields(
    reference: &ReferenceData,
    region: Option<i64>,
    form: &HulpvraagForm,
    errors: &[FieldError],
) -> Markup {
    let today = crate::clock::today();
    let profiles: Vec<(String, String)> = reference
        .profiles
        .iter()
        .filter(|p| {
            Some(p.region_id) == region
                && (p.open_on(today) || form.profiel == p.number.to_string())
        })
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
        .filter(|i| Some(i.region_id) == region && (i.open_on(today) || form.intensiteit == i.code))
        .map(|i| (i.code.clone(), i.name.clone()))
        .collect();
    let kaders = vec![
        (
            Kader::Vrijwillig.as_str().to_owned(),
            "Vrijwillig: het gezin kiest de aanbieder".to_owned(),
        ),
        (
            Kader::Gedwongen.as_str().to_owned(),
            "Gedwongen: de gecertificeerde instelling beslist (het gezin kiest niet)".to_owned(),
        ),
    ];
    let ages: Vec<(String, String)> = AgeBand::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), format!("{a} jaar")))
        .collect();
    html! {
        (select("profiel", "Profiel", &profiles, &form.profiel, Some("Het profiel dat u samen met het gezin heeft gekozen."), errors))
        (select("intensiteit", "Intensiteit", &intensities, &form.intensiteit, None, errors))
        (select("leeftijd", "Leeftijd van het kind of de jongere", &ages, &form.leeftijd, None, errors))
        (radios("kader", "Kader", &kaders, if form.kader.is_empty() { Kader::Vrijwillig.as_str() } else { &form.kader }, errors))
    }
}

pub(super) fn notes_field(form: &HulpvraagForm, errors: &[FieldError]) -> Markup {
    textarea(
        "notities",
        "Notities voor de aanbieder (niet verplicht)",
        &form.notities,
        Some(
            "De aanbieder leest dit bij de aanvraag. Schrijf geen namen of andere persoonsgegevens.",
        ),
        errors,
    )
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
    pub goals: &'a [crate::choice::commands::goals::Goal],
    pub guarantee: Option<&'a crate::choice::commands::guarantee::Offer>,
    pub shifts: &'a [crate::choice::commands::shifts::Shift],
    pub periods: &'a [crate::choice::commands::shifts::TariffPeriod],
    /// The goals as typed, shown again with their errors.
    pub typed_goals: Option<&'a [String]>,
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
        .filter(|r| r.answer == RequestAnswer::Afgewezen)
        .map(|r| r.provider_id)
        .collect();
    Page { title: &title, site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        p.hint { "Kenmerk voor aanbieders: " strong { (crate::choice::queries::reference_of(h.id)) } }
        (notice(view.message))
        (error_summary(errors))
        (super::guarantee::worker_guarantee(account, h, view.guarantee, errors))
        @if let Some(code) = view.experience_code {
            h2 { "Vragenlijst voor het gezin" }
            (code_box(view.public_url, "/ervaring", code, &format!("Hij werkt {} dagen en één keer.", crate::choice::commands::EXPERIENCE_LINK_DAYS)))
        }
        dl.facts {
            dt { "Status" } dd { (status_badge(status)) }
            dt { "Gemeente" } dd { (municipality_label(reference, h.municipality_id)) }
            dt { "Profiel" } dd { (profile_label(reference, h.profile_id)) }
            dt { "Intensiteit" } dd { (intensity_label(reference, h.intensity_id)) }
            dt { "Leeftijd" } dd { (h.age_band) " jaar" }
            dt { "Kader" } dd { (h.kader.label()) }
            @if !h.notes.is_empty() { dt { "Notities voor de aanbieder" } dd { (h.notes) } }
            @if let Some(p) = h.provider_id { dt { "Aanbieder" } dd { (name(p)) } }
            @if let Some(d) = h.started_on { dt { "Gestart op" } dd { (date_nl(d)) } }
            @if let Some(number) = &h.toewijzing { dt { "ToewijzingNummer" } dd { (number) } }
            @if let Some(d) = h.ended_on { dt { "Afgesloten op" } dd { (date_nl(d)) } }
        }
        @if h.help_asked_at.is_some() && status.may_choose() {
            div.notice role="status" { p { strong { "Het gezin vraagt om hulp bij het kiezen." } " Neem contact op met het gezin." } }
        }
        @if status == Status::Ingetrokken {
            div.notice {
                p { strong { "Deze hulpvraag is ingetrokken." } }
                @if let Some(e) = view.events.iter().rev().find(|e| e.kind == EventKind::Ingetrokken) {
                    p { "Op " (datetime_nl(e.at)) ". Reden: " (e.detail) }
                }
            }
        }
        @if status.may_correct() || status.may_withdraw() {
            ul.actions {
                @if status.may_correct() {
                    li { a href={ (base) "/aanpassen" } { "Hulpvraag aanpassen" } }
                }
                li { a href={ (base) "/intrekken" } { "Hulpvraag intrekken" } }
            }
        }

        @if status.may_choose() {
            h2 #link { "Link voor het gezin" }
            @if !h.family_chooses() {
                p { "Dit is hulp in het gedwongen kader. Het gezin kan met de link de aanbieders bekijken, maar niet kiezen. Leg de keuze van de gecertificeerde instelling hieronder vast, bij de aanbieder die zij kiest." }
            }
            @match view.family_code {
                Some(code) => {
                    (code_box(view.public_url, "/keuze", code, &h.family_token_expires_at.map_or(String::new(), |until| format!("Hij werkt tot {}.", datetime_nl(until)))))
                    form method="post" action={ (base) "/link/mail" } novalidate {
                        (account.csrf.field())
                        (Field::text("email", "E-mailadres van het gezin", "").kind("email")
                            .hint("Wij sturen de link één keer en bewaren het adres niet.").render(errors))
                        (super::family_language_field("taal-link", ""))
                        button type="submit" { "Stuur de link per e-mail" }
                    }
                    form method="post" action={ (base) "/link" } {
                        (account.csrf.field())
                        p { "Is de link bij iemand anders terechtgekomen? Maak een nieuwe link; deze werkt dan niet meer." }
                        button.button--secondary type="submit" { "Maak een nieuwe link" }
                    }
                }
                None => {
                    @if h.family_chooses() {
                        p { "Met een link kan het gezin thuis de aanbieders vergelijken en er zelf één kiezen." }
                    } @else {
                        p { "Met een link kan het gezin thuis de aanbieders bekijken." }
                    }
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
                        button type="submit" {
                            @if h.family_chooses() { "Samen gekozen: " } @else { "Gekozen door de gecertificeerde instelling: " }
                            (c.provider.name)
                        }
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
                // A refused addition (a form of another tab) lands its summary link here.
                @let error = crate::web::components::field_error(errors, "aanbieder");
                div #(crate::web::components::field_id("aanbieder")) tabindex="-1"
                    aria-describedby=[error.map(|_| format!("{}-fout", crate::web::components::field_id("aanbieder")))] {
                    @if let Some(e) = error {
                        p.field-error #{ (crate::web::components::field_id("aanbieder")) "-fout" } { span.visually-hidden { "Fout: " } (e.message) }
                    }
                    p { "Er zijn geen andere aanbieders met dit profiel en deze intensiteit in deze gemeente voor deze leeftijd." }
                }
            } @else {
                form method="post" action={ (base) "/lijst" } {
                    (account.csrf.field())
                    (select("aanbieder", "Aanbieder", &view.addable.iter().map(|(id, n)| (id.to_string(), n.clone())).collect::<Vec<_>>(), "",
                        Some("Aanbieders met dit profiel en deze intensiteit in deze gemeente, ook als zij nu geen nieuwe cliënten aannemen."), errors))
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
                                td { (datetime_nl(r.chosen_at)) @if r.chosen_by == ChosenBy::Samen { " (samen gekozen)" } @else { " (door het gezin)" } }
                                td {
                                    @match r.answer {
                                        RequestAnswer::Geaccepteerd => { "Geaccepteerd" @if let Some(d) = r.expected_start { ", verwachte start " (date_nl(d)) } }
                                        RequestAnswer::Afgewezen => { "Afgewezen: " (r.decline_label().unwrap_or("")) @if !r.decline_note.is_empty() { " – " (r.decline_note) } }
                                        RequestAnswer::Ingetrokken => "Ingetrokken",
                                        RequestAnswer::Open => "Nog geen antwoord",
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }

        (super::goals::worker_goals(account, h, view.goals, view.typed_goals, errors))
        (super::shifts::worker_shifts(account, reference, h, (view.shifts, view.periods), errors))
        @if status == Status::Geaccepteerd {
            h2 { "De hulp is gestart" }
            @if view.goals.is_empty() || h.goals_confirmed_at.is_some() {
                form method="post" action={ (base) "/start" } novalidate {
                    (account.csrf.field())
                    (Field::text("startdatum", "Startdatum", "").kind("date").hint("De dag waarop de hulp echt begon.").render(errors))
                    (Field::text("toewijzing", "ToewijzingNummer (niet verplicht)", "").hint("Het nummer uit de toewijzing aan de aanbieder (iJw-bericht JW301). Dan koppelen wij de start- en stopberichten van de aanbieder aan deze hulpvraag.").render(errors))
                    button type="submit" { "Start vastleggen" }
                }
            } @else {
                p { "U legt de start vast zodra de aanbieder de doelen heeft bevestigd. De aanbieder heeft daarover een e-mail gekregen." }
            }
        }
        @if status == Status::Gestart {
            h2 { "De hulp afsluiten" }
            form method="post" action={ (base) "/afsluiten" } novalidate {
                (account.csrf.field())
                (Field::text("einddatum", "Einddatum", "").kind("date").render(errors))
                (radios("reden", "Hoe is de hulp geëindigd?", &reference_end_reasons(), "", errors))
                (super::goals::closing_marks(view.goals, errors))
                (radios("zonder_hulp", WithoutCare::QUESTION, &answers(WithoutCare::ALL, WithoutCare::as_str, WithoutCare::label), "", errors))
                (radios("problemen_kleiner", ProblemsSmaller::QUESTION, &answers(ProblemsSmaller::ALL, ProblemsSmaller::as_str, ProblemsSmaller::label), "", errors))
                (Field::text("email", "E-mailadres van het gezin voor de vragenlijst", "").kind("email").optional()
                    .hint("Wij sturen de vragenlijst één keer en wissen het adres direct daarna. U kunt de link ook zelf aan het gezin geven.").render(errors))
                (super::family_language_field("taal-afsluiten", ""))
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
                    (super::family_language_field("taal-vragenlijst", ""))
                    button type="submit" { "Maak een nieuwe link voor de vragenlijst" }
                }
            }
        }

        h2 { "Wat er is gebeurd" }
        ol.timeline {
            @for e in view.events {
                li {
                    (datetime_nl(e.at)) ": " (e.kind.label()) " (" (e.actor.label()) ")"
                    @if let Some(p) = e.provider_id { " – " (name(p)) }
                    @if matches!(e.kind, EventKind::Aangepast | EventKind::Ingetrokken | EventKind::Verwijderd | EventKind::Toegevoegd) && !e.detail.is_empty() {
                        ": " (e.detail)
                    }
                }
            }
        }
    })
}

/// A code just made, shown once as a link and as text to read out.
pub(super) fn code_box(public_url: &str, path: &str, code: &str, validity: &str) -> Markup {
    html! {
        div.code-box {
            p { "Geef het gezin deze link. " (validity) }
            p { a href={ (public_url) (path) "/" (code) } { (public_url) (path) "/" (code) } }
            p { "Of laat het gezin naar " strong { (public_url) (path) } " gaan en deze code intypen:" }
            p.code { (code) }
        }
    }
}

/// The options of a closing question: its stored code and its label.
fn answers<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|a| (code(*a).to_owned(), label(*a).to_owned()))
        .collect()
}

pub(super) fn reference_end_reasons() -> Vec<(String, String)> {
    crate::domain::hulpvraag::END_REASONS
        .iter()
        .map(|&(code, label)| (code.to_string(), label.to_owned()))
        .collect()
}

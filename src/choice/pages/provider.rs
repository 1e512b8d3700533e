//! The provider's list of requests, with the form to accept or decline.

use crate::domain::hulpvraag::RequestAnswer;
use maud::{Markup, html};

use crate::choice::commands::goals::{Goal, version};
use crate::choice::model::{DeclineReason, Hulpvraag, Status};
use crate::choice::queries::ProviderRequest;
use crate::reference::ReferenceData;
use crate::web::components::{
    error_summary, field_error, field_id, group_error, group_error_id, notice, pagination,
};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

use super::{datetime_nl, intensity_label, municipality_label, profile_label};

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
            ul.status-tabs {
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
            @let (start, reason, note) = (format!("{prefix}-startdatum"), format!("{prefix}-reden"), format!("{prefix}-toelichting"));
            section.request-card aria-labelledby=(prefix) {
                h2 #(prefix) { "Aanvraag van " (datetime_nl(r.chosen_at)) }
                (request_facts(reference, item))
                @if r.answer == RequestAnswer::Geaccepteerd {
                    p { a href={ "/mijn-aanbod/aanvragen/" (r.id) } { "Bekijk de aanvraag, de doelen en de wijzigingen" } }
                }
                @if r.is_open() {
                    (error_summary(&linked))
                    div.answer-forms {
                        form method="post" action={ "/mijn-aanbod/aanvragen/" (r.id) } novalidate {
                            (account.csrf.field())
                            input type="hidden" name="antwoord" value="accepteren";
                            div.form-field.form-field--invalid[field_error(&linked, &start).is_some()] {
                                label for=(field_id(&start)) { "Verwachte startdatum" }
                                (group_error(&linked, &start))
                                input id=(field_id(&start)) type="date" name="startdatum" required
                                    aria-invalid=[field_error(&linked, &start).map(|_| "true")]
                                    aria-describedby=[group_error_id(&linked, &start)];
                            }
                            button type="submit" { "Accepteren" }
                        }
                        form method="post" action={ "/mijn-aanbod/aanvragen/" (r.id) } novalidate {
                            (account.csrf.field())
                            input type="hidden" name="antwoord" value="afwijzen";
                            fieldset.form-field.form-field--invalid[field_error(&linked, &reason).is_some()] id=(field_id(&reason)) aria-describedby=[group_error_id(&linked, &reason)] {
                                legend { "Waarom kunt u niet helpen?" }
                                (group_error(&linked, &reason))
                                @for (value, text) in &reasons {
                                    div.radio {
                                        input type="radio" id={ (prefix) "-reden-" (value) } name="reden" value=(value);
                                        label for={ (prefix) "-reden-" (value) } { (text) }
                                    }
                                }
                            }
                            div.form-field.form-field--invalid[field_error(&linked, &note).is_some()] {
                                label for=(field_id(&note)) { @if item.under_guarantee { "Toelichting (verplicht onder de garantie)" } @else { "Toelichting (niet verplicht)" } }
                                (group_error(&linked, &note))
                                textarea id=(field_id(&note)) name="toelichting" rows="3"
                                    aria-invalid=[field_error(&linked, &note).map(|_| "true")]
                                    aria-describedby=[group_error_id(&linked, &note)] {}
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

/// What the provider knows of a request: no name or address, only what it needs.
fn request_facts(reference: &ReferenceData, item: &ProviderRequest) -> Markup {
    let r = &item.request;
    html! {
        @if item.under_guarantee {
            p.notice { strong { "Onder de 12-maandengarantie. " } "Deze cliënt kreeg in de afgelopen 12 maanden hulp van u in hetzelfde profiel. U pakt het eerdere traject weer op, zonder nieuw tarief. Afwijzen kan alleen met een toelichting." }
        }
        dl.facts {
            dt { "Profiel" } dd { (profile_label(reference, item.profile_id)) }
            dt { "Intensiteit" } dd { (intensity_label(reference, item.intensity_id)) }
            dt { "Gemeente" } dd { (municipality_label(reference, item.municipality_id)) }
            dt { "Leeftijd" } dd { (item.age_band) " jaar" }
            dt { "Kader" } dd { (item.kader.short_label()) }
            @if !item.notes.is_empty() { dt { "Notities van de toegangsmedewerker" } dd { (item.notes) } }
            dt { "Kenmerk van de hulpvraag" } dd { (item.reference) }
            @if let Some((name, email)) = &item.worker {
                dt { "Toegangsmedewerker" } dd { (name) ", " a href={ "mailto:" (email) } { (email) } }
            }
            dt { "Antwoord" }
            dd {
                @match r.answer {
                    RequestAnswer::Geaccepteerd => { "U heeft geaccepteerd" @if let Some(d) = r.expected_start { ", verwachte start " (date_nl(d)) } }
                    RequestAnswer::Afgewezen => { "U heeft afgewezen: " (r.decline_label().unwrap_or("")) }
                    RequestAnswer::Ingetrokken => "Ingetrokken door de toegangsmedewerker. U hoeft niets meer te doen.",
                    RequestAnswer::Open => "Nog niet beantwoord",
                }
            }
        }
    }
}

/// One request on its own page: the facts, and the agreed goals to read and confirm.
pub struct RequestView<'a> {
    pub item: &'a ProviderRequest,
    pub hulpvraag: &'a Hulpvraag,
    pub goals: &'a [Goal],
    pub shifts: &'a [crate::choice::commands::shifts::Shift],
    pub periods: &'a [crate::choice::commands::shifts::TariffPeriod],
    pub message: Option<&'a str>,
}

pub fn provider_request(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    view: &RequestView<'_>,
) -> Markup {
    let RequestView {
        item,
        hulpvraag: h,
        goals,
        shifts,
        periods,
        message,
    } = *view;
    let title = format!("Aanvraag {}", item.reference);
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::link("Aanvragen", "/mijn-aanbod/aanvragen?alle=1"),
        Crumb::here(title.clone()),
    ];
    // Only the provider that accepted and helps reads the goals and changes.
    let helping = item.request.answer == RequestAnswer::Geaccepteerd
        && h.provider_id == Some(item.request.provider_id);
    let still_open = helping && h.status() == Status::Geaccepteerd;
    Page { title: &title, site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        (notice(message))
        (request_facts(reference, item))
        @if !helping {
            p { "Deze aanvraag loopt niet bij u. U hoeft niets te doen." }
        } @else {
        h2 #doelen { "Afgesproken doelen" }
        @if goals.is_empty() {
            p.empty-state {
                @if still_open { "De toegangsmedewerker heeft nog geen doelen vastgelegd. U krijgt een e-mail als dat gebeurt." }
                @else { "Er zijn vooraf geen doelen afgesproken." }
            }
        } @else {
            (super::goals::goal_list(goals))
            @match h.goals_confirmed_at {
                Some(at) => p { "U heeft deze doelen bevestigd op " (datetime_nl(at)) "." },
                None if still_open => {
                    p { "Kloppen deze doelen met wat u met het gezin en de toegangsmedewerker heeft afgesproken? Bevestig ze dan. Klopt er iets niet? Neem contact op met de toegangsmedewerker." }
                    form method="post" action={ "/mijn-aanbod/aanvragen/" (item.request.id) "/doelen" } {
                        (account.csrf.field())
                        input type="hidden" name="versie" value=(version(goals));
                        button type="submit" { "Doelen bevestigen" }
                    }
                }
                None => p { "De doelen zijn niet bevestigd." },
            }
        }
        @if h.started_on.is_some() {
            (super::shifts::provider_shifts(account, reference, item.request.id, (shifts, periods), h.status() == Status::Gestart))
        }
        }
    })
}

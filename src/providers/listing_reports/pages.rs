//! The pages of "Klopt er iets niet?": the visitor's form and receipt (family pages, in the
//! visitor's language), the provider's list with its answer forms, and the region's list of
//! reports that wait too long (staff pages, Dutch).

use maud::{Markup, html};

use super::{ANSWER_DAYS, ListingReport, MESSAGE_MAX};
use crate::domain::provider::ListingTopic;
use crate::web::components::{
    error_summary, field_error, field_id, group_error, group_error_id, pagination,
};
use crate::web::csrf::CsrfToken;
use crate::web::language::{dutch_marks, texts};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

/// What the visitor typed, kept when the form comes back.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub onderwerp: String,
    #[serde(default)]
    pub bericht: String,
}

pub fn report_form(
    site: &SiteInfo,
    csrf: &CsrfToken,
    (name, slug): (&str, &str),
    form: &ReportForm,
    errors: &[FieldError],
) -> Markup {
    let t = texts();
    let crumbs = vec![
        Crumb::link(t.msg("catalogue-crumb"), "/catalogus"),
        Crumb::link(name, format!("/aanbieders/{slug}")),
        Crumb::here(t.msg("report-crumb")),
    ];
    let message_error = field_error(errors, "bericht");
    Page { title: &t.fmt("report-title", &[("name", name.into())]), site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (t.fmt("report-title", &[("name", name.into())])) }
        (error_summary(errors))
        p.lead { (t.msg("report-lead")) }
        p { (t.msg("report-no-account")) }
        form method="post" action={ "/aanbieders/" (slug) "/melden" } novalidate {
            (csrf.field())
            fieldset.form-field.form-field--invalid[field_error(errors, "onderwerp").is_some()] id=(field_id("onderwerp")) aria-describedby=[group_error_id(errors, "onderwerp")] {
                legend { (t.msg("report-topic")) }
                (group_error(errors, "onderwerp"))
                @for topic in ListingTopic::ALL {
                    div.radio {
                        input type="radio" id={ (field_id("onderwerp")) "-" (topic.as_str()) } name="onderwerp" value=(topic.as_str()) checked[form.onderwerp == topic.as_str()];
                        label for={ (field_id("onderwerp")) "-" (topic.as_str()) } { (t.msg(&format!("report-topic-{}", topic.as_str()))) }
                    }
                }
            }
            div.form-field.form-field--invalid[message_error.is_some()] {
                label for=(field_id("bericht")) { (t.msg("report-message")) }
                p.hint #{ (field_id("bericht")) "-hint" } { (t.fmt("report-message-hint", &[("max", MESSAGE_MAX.into())])) }
                @if let Some(e) = message_error {
                    p.field-error #{ (field_id("bericht")) "-fout" } { span.visually-hidden { (t.msg("error-prefix")) " " } (e.message) }
                }
                textarea #(field_id("bericht")) name="bericht" rows="6" maxlength=(MESSAGE_MAX)
                    aria-invalid=[message_error.map(|_| "true")]
                    aria-describedby={ (field_id("bericht")) "-hint" @if message_error.is_some() { " " (field_id("bericht")) "-fout" } } { (form.bericht) }
            }
            button type="submit" { (t.msg("report-send")) }
        }
        p { a href={ "/aanbieders/" (slug) } { (t.fmt("report-back", &[("name", name.into())])) } }
    })
}

/// The reporter's receipt: the report, and the provider's answer once there is one.
pub fn receipt(
    site: &SiteInfo,
    report: &ListingReport,
    (name, slug): (&str, &str),
    code: &str,
    new: bool,
) -> Markup {
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let title = t.msg("receipt-title");
    Page { title: &title, site, crumbs: vec![Crumb::link(name, format!("/aanbieders/{slug}")), Crumb::here(title.clone())], section: None, account: None }.render(html! {
        h1 { (title) }
        @if new {
            div.notice role="status" data-focus {
                p { strong { (t.msg("receipt-thanks")) } " " (t.fmt("receipt-sent", &[("name", name.into())])) }
                p { (t.msg("receipt-keep-link")) " " code { "/meldingen/" (code) } }
            }
        }
        dl.facts {
            dt { (t.msg("receipt-about")) }
            dd { (t.msg(&format!("report-topic-{}", report.topic().as_str()))) }
            dt { (t.msg("receipt-sent-on")) }
            dd { (t.date(crate::clock::date_of(report.created_at))) }
            dt { (t.msg("receipt-your-text")) }
            dd { (report.message) }
        }
        h2 { (t.fmt("receipt-answer-of", &[("name", name.into())])) }
        @match (&report.answer, report.answered_at) {
            (Some(answer), Some(at)) => {
                p { (t.fmt("receipt-answered-on", &[("date", t.date(crate::clock::date_of(at)).into())])) }
                blockquote lang=[nl] dir=[ltr] { (answer) }
                @if report.fixed {
                    p { strong { (t.msg("receipt-fixed")) } }
                }
            }
            _ => {
                p { (t.fmt("receipt-waiting", &[("days", ANSWER_DAYS.into())])) }
            }
        }
        p { a href={ "/aanbieders/" (slug) } { (t.fmt("report-back", &[("name", name.into())])) } }
    })
}

/// The provider's reports: open ones with an answer form, answered ones with their answer.
pub fn provider_list(
    site: &SiteInfo,
    account: Account<'_>,
    reports: &[ListingReport],
    (page, pages): (i64, i64),
    errors: &[(i64, Vec<FieldError>)],
    notice: Option<&str>,
) -> Markup {
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Meldingen"),
    ];
    let all_errors: Vec<FieldError> = errors.iter().flat_map(|(_, e)| e.clone()).collect();
    Page { title: "Meldingen over uw vermelding", site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Meldingen over uw vermelding" }
        (error_summary(&all_errors))
        (crate::web::components::notice(notice))
        p.lead { "Iemand zag iets in uw vermelding dat niet klopt. Beantwoord elke melding binnen " (ANSWER_DAYS) " dagen en pas uw vermelding aan als dat nodig is. Wie de melding deed, leest uw antwoord met een eigen code. Daarna ziet de contractmanager van de regio welke meldingen nog open staan." }
        @if reports.is_empty() {
            p.empty-state { "Er zijn geen meldingen over uw vermelding." }
        }
        @for r in reports {
            @let id = format!("melding-{}", r.id);
            section.request-card aria-labelledby=(id) {
                h2 #(id) { (r.topic().label()) span.hint { " – ontvangen op " (date_nl(crate::clock::date_of(r.created_at))) } }
                blockquote { (r.message) }
                @match (&r.answer, r.answered_at) {
                    (Some(answer), Some(at)) => {
                        p { "Uw antwoord van " (date_nl(crate::clock::date_of(at))) ":" }
                        blockquote { (answer) }
                        @if r.fixed { p { "U heeft uw vermelding aangepast." } }
                    }
                    _ => {
                        @let field = format!("antwoord-{}", r.id);
                        @let mine: &[FieldError] = errors.iter().find(|(e, _)| *e == r.id).map_or(&[], |(_, e)| e.as_slice());
                        form method="post" action={ "/mijn-aanbod/meldingen/" (r.id) } novalidate {
                            (account.csrf.field())
                            div.form-field.form-field--invalid[!mine.is_empty()] {
                                label for=(field_id(&field)) { "Uw antwoord" }
                                @for e in mine {
                                    p.field-error #{ (field_id(&field)) "-fout" } { span.visually-hidden { "Fout: " } (e.message) }
                                }
                                textarea #(field_id(&field)) name="antwoord" rows="4" maxlength=(MESSAGE_MAX)
                                    aria-invalid=[(!mine.is_empty()).then_some("true")]
                                    aria-describedby=[(!mine.is_empty()).then(|| format!("{}-fout", field_id(&field)))] {}
                            }
                            div.choice {
                                input type="checkbox" id={ "aangepast-" (r.id) } name="aangepast" value="ja";
                                label for={ "aangepast-" (r.id) } { "Ik heb mijn vermelding aangepast" }
                            }
                            button type="submit" { "Antwoord versturen" }
                        }
                    }
                }
            }
        }
        (pagination(page as u32, pages as u32, |n| if n > 1 { format!("/mijn-aanbod/meldingen?pagina={n}") } else { "/mijn-aanbod/meldingen".to_owned() }))
        p { a href="/mijn-aanbod" { "Terug naar Mijn aanbod" } }
    })
}

/// The region's reports that wait longer than [`ANSWER_DAYS`] days for the provider.
pub fn overdue_list(
    site: &SiteInfo,
    account: Account<'_>,
    rows: &[(ListingReport, String, String)],
) -> Markup {
    Page { title: "Meldingen zonder antwoord", site, crumbs: vec![Crumb::here("Meldingen zonder antwoord")], section: None, account: Some(account) }.render(html! {
        h1 { "Meldingen zonder antwoord" }
        p.lead { "Meldingen van bezoekers dat een vermelding niet klopt, waarop de aanbieder na " (ANSWER_DAYS) " dagen nog niet heeft geantwoord. Oudste eerst." }
        @if rows.is_empty() {
            p.empty-state { "Er zijn geen meldingen die langer dan " (ANSWER_DAYS) " dagen wachten." }
        } @else {
            (crate::web::components::scroll_region("Meldingen zonder antwoord", html! {
                table.data-table {
                    caption.visually-hidden { "Meldingen zonder antwoord, oudste eerst" }
                    thead { tr { th scope="col" { "Aanbieder" } th scope="col" { "Onderwerp" } th scope="col" { "Ontvangen op" } th scope="col" { "Melding" } } }
                    tbody {
                        @for (r, name, slug) in rows {
                            tr {
                                th scope="row" { a href={ "/aanbieders/" (slug) } { (name) } }
                                td { (r.topic().label()) }
                                td { (date_nl(crate::clock::date_of(r.created_at))) }
                                td { (r.message) }
                            }
                        }
                    }
                }
            }))
        }
    })
}

//! The provider's review of its score reports: open a quarter, explain, submit, correct.

use crate::startup::AppState;
use crate::web::components::scroll_region;
use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use crate::db::schema::{admissions, regions, score_reports};
use crate::outcomes::compute::Quarter;
use crate::outcomes::reports::reference::ReportReference;
use crate::outcomes::reports::{self, PUBLISHED, Report, status_label};
use crate::outcomes::views::{reference_note, score_tables};
use crate::providers::AdmissionStatus;
use crate::web::auth::SessionUser;
use crate::web::components::{error_summary, notice as notice_box, textarea};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::{AppError, FieldError};

use super::{RegionsAndReports, latest_complete_quarter};

pub(super) async fn provider_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let (regions_open, reports): RegionsAndReports = state
        .db
        .run(move |conn| {
            let regions_open = admissions::table
                .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
                .filter(admissions::provider_id.eq(provider_id))
                .filter(
                    admissions::status
                        .eq_any([AdmissionStatus::Toegelaten, AdmissionStatus::Opgeschort]),
                )
                .select((regions::id, regions::name))
                .load(conn)?;
            let reports = score_reports::table
                .inner_join(regions::table.on(regions::id.eq(score_reports::region_id)))
                .filter(score_reports::provider_id.eq(provider_id))
                .order((score_reports::period.desc(), score_reports::version.desc()))
                .select((Report::as_select(), regions::name))
                .load(conn)?;
            Ok((regions_open, reports))
        })
        .await?;
    let quarter = latest_complete_quarter();
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Cijfers"),
    ];
    Ok(html_response(StatusCode::OK, Page { title: "Uw cijfers", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Uw cijfers" }
        p { "Elk kwartaal maken wij van uw trajecten een rapport. U ziet het eerst zelf en kunt per profiel uitleggen wat achter de cijfers zit. Daarna dient u het in; de contractmanager publiceert het." }
        @if regions_open.is_empty() {
            p { "U bent nog niet toegelaten. Na toelating kunt u hier uw cijfers bekijken." }
        }
        @for (region_id, name) in &regions_open {
            form method="post" action="/mijn-aanbod/cijfers" {
                (csrf.field())
                input type="hidden" name="regio" value=(region_id);
                input type="hidden" name="kwartaal" value=(quarter.code());
                button type="submit" { "Rapport " (quarter.label()) " voor " (name) " openen" }
            }
        }
        h2 { "Rapporten" }
        @if reports.is_empty() { p { "Nog geen rapporten." } } @else {
            (scroll_region("Rapporten", html! {
                table.data-table {
                    caption.visually-hidden { "Uw rapporten per kwartaal en regio" }
                    thead { tr { th scope="col" { "Periode" } th scope="col" { "Regio" } th scope="col" { "Versie" } th scope="col" { "Status" } } }
                    tbody { @for (r, region) in &reports { tr {
                        // The link names the region too: one quarter has a report per region.
                        td { a href={ "/mijn-aanbod/cijfers/" (r.id) } { (Quarter::parse(&r.period).map_or(r.period.clone(), |q| q.label())) span.visually-hidden { ", regio " (region) ", versie " (r.version) } } }
                        td { (region) } td { (r.version) } td { (status_label(r.status)) }
                    } } }
                }
            }))
        }
    })))
}

#[derive(Deserialize)]
pub(super) struct OpenForm {
    pub(super) regio: i64,
    pub(super) kwartaal: String,
}

pub(super) async fn provider_open(
    state: web::Data<AppState>,
    user: SessionUser,
    CheckedForm(form): CheckedForm<OpenForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    // The page offers the last complete quarter; a report of one up to two years back can
    // still be opened (a provider that missed a quarter), nothing older or to come.
    let latest = latest_complete_quarter();
    let earliest = (0..7).fold(latest, |q, _| q.previous());
    let quarter = Quarter::parse(&form.kwartaal)
        .filter(|q| (earliest..=latest).contains(q))
        .ok_or_else(|| {
            AppError::InvalidInput(vec![FieldError::new(
                "kwartaal",
                format!(
                    "Kies een kwartaal dat voorbij is, van {} tot en met {}.",
                    earliest.label(),
                    latest.label()
                ),
            )])
        })?;
    let region_id = form.regio;
    let id = state
        .db
        .run(move |conn| {
            let admitted: i64 = admissions::table
                .filter(admissions::provider_id.eq(provider_id))
                .filter(admissions::region_id.eq(region_id))
                .filter(
                    admissions::status
                        .eq_any([AdmissionStatus::Toegelaten, AdmissionStatus::Opgeschort]),
                )
                .count()
                .get_result(conn)?;
            if admitted == 0 {
                return Err(AppError::Forbidden(
                    "U bent in deze regio niet toegelaten.".into(),
                ));
            }
            conn.write_transaction(|conn| reports::open(conn, provider_id, region_id, quarter))
        })
        .await?;
    Ok(see_other(&format!("/mijn-aanbod/cijfers/{id}")))
}

#[derive(Deserialize)]
pub(super) struct ReportQuery {
    pub(super) opgeslagen: Option<String>,
    pub(super) ingediend: Option<String>,
}

pub(super) async fn provider_report(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let cache = state.reference.clone();
    let (reference, report, list) = state
        .db
        .run(move |conn| own_report_as_now(conn, &who, &cache, id))
        .await?;
    let notice = if query.ingediend.is_some() {
        Some(
            "Uw rapport is ingediend. De contractmanager bekijkt het en publiceert het. U krijgt daarover een e-mail.",
        )
    } else {
        query.opgeslagen.as_ref().map(|_| "Opgeslagen.")
    };
    Ok(html_response(
        StatusCode::OK,
        render_provider_report(
            &state,
            &user,
            &csrf,
            &reference,
            &report,
            &list,
            notice,
            &[],
        ),
    ))
}

/// The provider's own report with its figures as they are now (a concept's snapshot is
/// taken again first, so the page shows what a submit would send), and the reference data
/// it shows them with (a published report's own).
fn own_report_as_now(
    conn: &mut crate::db::DbConnection,
    who: &SessionUser,
    cache: &crate::reference::ReferenceCache,
    id: i64,
) -> Result<(ReportReference, Report, Vec<reports::Score>), AppError> {
    let report = reports::own(conn, who, id)?;
    let list = conn.write_transaction(|conn| reports::refresh_concept(conn, &report))?;
    let reference = cache.get(conn)?;
    let shown = reports::reference::of_report(conn, &reference, report.id, report.region_id)?;
    Ok((shown, report, list))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn render_provider_report(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    reference: &ReportReference,
    report: &Report,
    list: &[reports::Score],
    notice: Option<&str>,
    errors: &[FieldError],
) -> maud::Markup {
    let account = Account { user, csrf };
    let editable = report.status == reports::CONCEPT || report.status == reports::RETURNED;
    let period = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    let mut profiles: Vec<i64> = list.iter().map(|s| s.profile_id).collect();
    profiles.dedup();
    let region = reference.region.clone();
    let title = format!("Rapport {period}, regio {region}");
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::link("Cijfers", "/mijn-aanbod/cijfers"),
        Crumb::here(format!("{period}, {region}")),
    ];
    Page { title: &title, site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        (notice_box(notice))
        (error_summary(errors))
        p.lead { "Versie " (report.version) ": " strong { (status_label(report.status)) } }
        @if !report.comment.is_empty() { div.notice { p { "Opmerking van de contractmanager: " (report.comment) } } }
        @if !report.correction_reason.is_empty() { p { "Reden van deze correctie: " (report.correction_reason) } }
        (reference_note(reference))
        (score_tables(reference, &report.period, list, !editable, 2))
        @if editable {
            h2 { "Het verhaal achter de cijfers" }
            // One form for both buttons: an explanation typed and then submitted is kept.
            form method="post" action={ "/mijn-aanbod/cijfers/" (report.id) "/uitleg" } novalidate {
                (csrf.field())
                // The figures this page shows: a submit after they changed is refused.
                input type="hidden" name="cijfers" value=(reports::figures_seen(list));
                @for profile in &profiles {
                    @let label = reference.profile(*profile).map_or(String::new(), |p| format!("Uitleg bij profiel {} ({})", p.number, p.name));
                    @let current = list.iter().find(|s| s.profile_id == *profile).map_or("", |s| s.explanation.as_str());
                    (textarea(&format!("uitleg-{profile}"), &label, current, Some("Niet verplicht. Ouders en toegangsmedewerkers lezen dit naast uw cijfers."), errors))
                }
                p { "Klopt alles? Dien het rapport in. Uw uitleg wordt dan ook opgeslagen. Daarna kunt u niets meer wijzigen." }
                div.actions {
                    button type="submit" name="actie" value="indienen" { "Uitleg opslaan en rapport indienen" }
                    button.button--secondary type="submit" name="actie" value="opslaan" { "Alleen uitleg opslaan" }
                }
            }
        }
        @if report.status == PUBLISHED {
            h2 { "Een fout gevonden?" }
            form method="post" action={ "/mijn-aanbod/cijfers/" (report.id) "/correctie" } novalidate {
                (csrf.field())
                (textarea("reden", "Reden van de correctie", "", Some("Er komt een nieuwe versie. De gepubliceerde versie blijft zichtbaar tot de nieuwe is gepubliceerd."), errors))
                button.button--secondary type="submit" { "Correctie maken" }
            }
        }
    })
}

/// Saves the explanations and, with "indienen" (or on the old `/indienen` address), submits
/// the report in the same transaction.
pub(super) async fn provider_explain(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    req: actix_web::HttpRequest,
    CheckedForm(form): CheckedForm<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let submit =
        req.path().ends_with("/indienen") || form.get("actie").is_some_and(|a| a == "indienen");
    let seen = form.get("cijfers").cloned();
    let explanations: BTreeMap<i64, String> = form
        .into_iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("uitleg-")
                .and_then(|p| p.parse().ok())
                .map(|p| (p, v))
        })
        .collect();
    let public_url = state.public_url.clone();
    let typed = explanations.clone();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let report = reports::own(conn, &who, id)?;
                if !explanations.is_empty() {
                    reports::explain(conn, &report, &explanations)?;
                    crate::audit::action(
                        conn,
                        Some(who.id),
                        "uitleg bij cijfers",
                        "score_report",
                        Some(id),
                    )?;
                }
                if submit {
                    reports::submit(conn, &report, who.id, &public_url, seen.as_deref())?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await;
    if let Err(AppError::InvalidInput(errors)) = result {
        // Show the form again with what was typed, so nothing is lost.
        let who = user.clone();
        let cache = state.reference.clone();
        let (reference, report, mut list) = state
            .db
            .run(move |conn| own_report_as_now(conn, &who, &cache, id))
            .await?;
        for score in &mut list {
            if let Some(text) = typed.get(&score.profile_id) {
                score.explanation.clone_from(text);
            }
        }
        let page = render_provider_report(
            &state, &user, &csrf, &reference, &report, &list, None, &errors,
        );
        return Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    result?;
    let notice = if submit { "ingediend" } else { "opgeslagen" };
    Ok(see_other(&format!("/mijn-aanbod/cijfers/{id}?{notice}=1")))
}

#[derive(Deserialize)]
pub(super) struct ReasonForm {
    #[serde(default)]
    pub(super) reden: String,
}

pub(super) async fn provider_correct(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ReasonForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let new_id = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let report = reports::own(conn, &who, id)?;
                reports::correct(conn, &report, who.id, &form.reden)
            })
        })
        .await?;
    Ok(see_other(&format!("/mijn-aanbod/cijfers/{new_id}")))
}

//! The contract managers' review: the list of reports waiting, returned and published, and
//! the decision on one.

use crate::startup::AppState;
use crate::web::components::scroll_region;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use crate::db::schema::{providers, regions, score_reports};
use crate::outcomes::compute::Quarter;
use crate::outcomes::reports::{self, PUBLISHED, Report, status_label};
use crate::outcomes::views::{reference_note, score_tables};
use crate::web::auth::SessionUser;
use crate::web::components::{error_summary, textarea};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::text::date_nl;
use crate::web::{AppError, FieldError};

/// A report in the managers' list, with its provider's name, region and slug.
type Listed = (Report, String, String, String);

#[derive(Deserialize)]
pub(super) struct DecidedQuery {
    pub(super) gepubliceerd: Option<i64>,
    pub(super) teruggestuurd: Option<i64>,
    pub(super) pagina: Option<u32>,
}

/// Published reports per page of the manager's list.
pub(super) const REPORTS_PER_PAGE: i64 = 25;

pub(super) async fn manager_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<DecidedQuery>,
) -> Result<HttpResponse, AppError> {
    let region = user
        .region_scope()
        .and_then(crate::web::auth::RegionScope::filter);
    let decided_id = query.gepubliceerd;
    let page = query.pagina.unwrap_or(1).max(1);
    let (waiting, returned, published, total, decided) = state
        .db
        .run(move |conn| {
            let listed = |statuses: &[crate::outcomes::reports::ReportStatus]| {
                let mut query = score_reports::table
                    .inner_join(providers::table)
                    .inner_join(regions::table.on(regions::id.eq(score_reports::region_id)))
                    .filter(score_reports::status.eq_any(statuses.to_vec()))
                    .into_boxed();
                if let Some(region) = region {
                    query = query.filter(score_reports::region_id.eq(region));
                }
                query
            };
            let columns = (
                Report::as_select(),
                providers::name,
                regions::name,
                providers::slug,
            );
            // The report just decided, also when it is not among the rows listed.
            let decided: Option<Listed> = match decided_id {
                Some(id) => listed(&[reports::SUBMITTED, PUBLISHED])
                    .filter(score_reports::id.eq(id))
                    .select(columns)
                    .first(conn)
                    .optional()?,
                None => None,
            };
            // What waits for a decision comes first, all of it, oldest first.
            let waiting: Vec<Listed> = listed(&[reports::SUBMITTED])
                .order((score_reports::submitted_at, score_reports::id))
                .select(columns)
                .load(conn)?;
            let returned: Vec<Listed> = listed(&[reports::RETURNED])
                .order((score_reports::period.desc(), score_reports::id.desc()))
                .limit(REPORTS_PER_PAGE)
                .select(columns)
                .load(conn)?;
            let total: i64 = listed(&[PUBLISHED]).count().get_result(conn)?;
            let published: Vec<Listed> = listed(&[PUBLISHED])
                .order((
                    score_reports::period.desc(),
                    providers::name,
                    score_reports::version.desc(),
                ))
                .limit(REPORTS_PER_PAGE)
                .offset(i64::from(page - 1) * REPORTS_PER_PAGE)
                .select(columns)
                .load(conn)?;
            Ok((waiting, returned, published, total, decided))
        })
        .await?;
    let pages = u32::try_from((total + REPORTS_PER_PAGE - 1) / REPORTS_PER_PAGE).unwrap_or(1);
    if page > pages.max(1) {
        return Err(AppError::NotFound);
    }
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let table = |label: &str, rows: &[Listed]| {
        scroll_region(
            label,
            html! {
                table.data-table {
                    thead { tr { th scope="col" { "Aanbieder" } th scope="col" { "Regio" } th scope="col" { "Periode" } th scope="col" { "Versie" } th scope="col" { "Status" } } }
                    tbody { @for (r, provider, region, _) in rows { tr {
                        td { a href={ "/beheer/scores/rapporten/" (r.id) } { (provider) } }
                        td { (region) }
                        td { (Quarter::parse(&r.period).map_or(r.period.clone(), |q| q.label())) }
                        td { (r.version) }
                        td { (status_label(r.status)) }
                    } } }
                }
            },
        )
    };
    let crumbs = vec![Crumb::here("Scorerapporten")];
    Ok(html_response(StatusCode::OK, Page { title: "Scorerapporten", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Scorerapporten" }
        @if let Some((r, provider, region, slug)) = &decided {
            div.notice role="status" {
                @if r.status == PUBLISHED {
                    p { strong { "Gepubliceerd." } " De cijfers van " (provider) " over het " (Quarter::parse(&r.period).map_or(r.period.clone(), |q| q.label())) " in de regio " (region) " (versie " (r.version) ") staan nu in de catalogus. De aanbieder heeft een e-mail gekregen." }
                    p { a href={ "/aanbieders/" (slug) } { "Bekijk de openbare pagina van " (provider) } }
                }
            }
        }
        @if query.teruggestuurd.is_some() {
            div.notice role="status" { p { "Het rapport is teruggestuurd. De aanbieder heeft een e-mail gekregen met uw opmerking." } }
        }
        h2 { "Wachten op uw besluit" }
        @if waiting.is_empty() { p.empty-state { "Er zijn geen ingediende rapporten." } } @else {
            (table("Rapporten die wachten op uw besluit", &waiting))
        }
        @if !returned.is_empty() {
            h2 { "Teruggestuurd, wacht op de aanbieder" }
            (table("Teruggestuurde rapporten", &returned))
        }
        h2 { "Gepubliceerd" }
        @if published.is_empty() { p.empty-state { "Er zijn nog geen gepubliceerde rapporten." } } @else {
            p { (total) " gepubliceerde rapporten, de nieuwste eerst." }
            (table("Gepubliceerde rapporten", &published))
            (crate::web::components::pagination(page, pages, |p| format!("/beheer/scores/rapporten?pagina={p}")))
        }
    })))
}

pub(super) async fn manager_report(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render_manager_report(&state, user, csrf, id.into_inner(), &[]).await
}

pub(super) async fn render_manager_report(
    state: &AppState,
    user: SessionUser,
    csrf: CsrfToken,
    id: i64,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let who = user.clone();
    let cache = state.reference.clone();
    let (reference, report, list, provider, history) = state
        .db
        .run(move |conn| {
            let report = reports::reviewable(conn, &who, id)?;
            let provider: String = providers::table
                .find(report.provider_id)
                .select(providers::name)
                .first(conn)?;
            let history: Vec<(
                i32,
                crate::outcomes::reports::ReportStatus,
                Option<chrono::NaiveDateTime>,
                String,
            )> = score_reports::table
                .filter(score_reports::provider_id.eq(report.provider_id))
                .filter(score_reports::region_id.eq(report.region_id))
                .filter(score_reports::period.eq(&report.period))
                .order(score_reports::version)
                .select((
                    score_reports::version,
                    score_reports::status,
                    score_reports::published_at,
                    score_reports::correction_reason,
                ))
                .load(conn)?;
            let reference = cache.get(conn)?;
            Ok((
                reports::reference::of_report(conn, &reference, report.id, report.region_id)?,
                report.clone(),
                reports::scores_of(conn, report.id)?,
                provider,
                history,
            ))
        })
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let period = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    let crumbs = vec![
        Crumb::link("Scorerapporten", "/beheer/scores/rapporten"),
        Crumb::here(provider.clone()),
    ];
    Ok(crate::web::layout::form_response(errors, Page { title: &provider, site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (provider) ": " (period) }
        (error_summary(errors))
        p.lead { "Versie " (report.version) ": " strong { (status_label(report.status)) } }
        @if report.status == reports::RETURNED && !report.comment.is_empty() {
            div.notice { p { strong { "Uw opmerking bij het terugsturen: " } (report.comment) } }
        }
        (reference_note(&reference))
        (score_tables(&reference, &report.period, &list, true, 2))
        @if report.status == reports::SUBMITTED {
            h2 { "Besluit" }
            form method="post" action={ "/beheer/scores/rapporten/" (report.id) } novalidate {
                (csrf.field())
                (textarea("opmerking", "Opmerking voor de aanbieder", "", Some("Verplicht als u het rapport terugstuurt."), errors))
                button type="submit" name="besluit" value="publiceren" { "Publiceren" }
                " "
                button.button--secondary type="submit" name="besluit" value="terugsturen" { "Terugsturen" }
            }
        }
        h2 { "Versies" }
        ul { @for (version, status, published, reason) in &history {
            li { "Versie " (version) ": " (status_label(*status))
                @if let Some(p) = published { ", gepubliceerd op " (date_nl(crate::clock::date_of(*p))) }
                @if !reason.is_empty() { " (correctie: " (reason) ")" } }
        } }
    })))
}

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    #[serde(default)]
    pub(super) besluit: String,
    #[serde(default)]
    pub(super) opmerking: String,
}

pub(super) async fn manager_decide(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let publish = match form.besluit.as_str() {
        "publiceren" => true,
        "terugsturen" => false,
        _ => {
            return render_manager_report(
                &state,
                user,
                csrf,
                id,
                &[FieldError::form("Kies publiceren of terugsturen.")],
            )
            .await;
        }
    };
    let who = user.clone();
    let public_url = state.public_url.clone();
    let comment = form.opmerking.clone();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let report = reports::reviewable(conn, &who, id)?;
                reports::decide(conn, &report, &who, publish, &comment, &public_url)
            })
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/scores/rapporten?{}={id}",
            if publish {
                "gepubliceerd"
            } else {
                "teruggestuurd"
            }
        ))),
        Err(AppError::InvalidInput(errors)) => {
            render_manager_report(&state, user, csrf, id, &errors).await
        }
        Err(other) => Err(other),
    }
}

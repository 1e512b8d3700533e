//! The public monitor of each municipality: `/cijfers/gemeenten` lists them,
//! `/cijfers/gemeenten/{slug}` shows one (the staff's page with small numbers hidden), and
//! `/api/v1/municipalities/{slug}/monitor.csv` is its open data. All three read the same
//! stored figures, masked by `public::hidden` over every kept quarter.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::figures::kept_quarters;
use super::pages::{MonitorView, page};
use super::routes::{cost, trend_quarters, write_csv};
use super::scope::Scope;
use super::store;
use super::view::Figures;
use crate::outcomes::compute::Quarter;
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::csv_export::{CsvExport, Dialect};
use crate::web::layout::{Crumb, Page, html_response};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cijfers/gemeenten", web::get().to(index))
        .route("/cijfers/gemeenten/{slug}", web::get().to(municipality))
        .route(
            "/api/v1/municipalities/{slug}/monitor.csv",
            web::get().to(open_data),
        );
}

#[derive(Deserialize, Default)]
pub struct Query {
    kwartaal: Option<String>,
    pagina: Option<u32>,
}

/// The kept quarters that have ended.
fn finished() -> Vec<Quarter> {
    let today = crate::clock::today();
    kept_quarters(today)
        .into_iter()
        .filter(|q| q.last_day() < today)
        .collect()
}

async fn index(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let reference = state.reference_data().await?;
    let today = crate::clock::today();
    let body = Page {
        title: "Cijfers per gemeente",
        site: &state.site,
        crumbs: vec![Crumb::here("Cijfers per gemeente")],
        section: None,
        account: None,
    }
    .render(html! {
        h1 { "Cijfers per gemeente" }
        p { "Per gemeente: hoeveel jongeren jeugdhulp krijgen, hoe lang, hoe snel de hulp begint, waarom hulp stopt en wat de hulp kost. Per kwartaal, met de trend over twee jaar." }
        @for region in &reference.regions {
            h2 { "Regio " (region.name) }
            ul {
                @for m in reference.municipalities_of(region.id).filter(|m| m.exists_on(today)) {
                    li { a href={ "/cijfers/gemeenten/" (m.slug) } { (m.name) } }
                }
            }
        }
    });
    Ok(html_response(StatusCode::OK, body))
}

/// The municipality of the address (today's; a merged one leads to 404), its figures masked;
/// the cost per provider of the quarter shown, or of every quarter (`all_providers`).
async fn masked(
    state: &AppState,
    reference: &crate::reference::ReferenceData,
    slug: &str,
    kwartaal: Option<&str>,
    all_providers: bool,
) -> Result<(Scope, Figures), AppError> {
    let scope = Scope::of_municipality(reference, slug).ok_or(AppError::NotFound)?;
    let trend = trend_quarters(kwartaal)?;
    // Only whole quarters: the running one changes every day, and two days' files side by
    // side would show single starts and endings.
    let all = finished();
    if trend.last().is_none_or(|q| !all.contains(q)) {
        return Err(AppError::NotFound);
    }
    // Every kept quarter is masked at once: the same cells hide whichever quarter is shown.
    // The lines per provider are a group of their own in their quarter (`public::hidden`
    // never hides a total for them), so one quarter's lines mask alike alone or with all.
    let providers = if all_providers {
        all.clone()
    } else {
        trend.last().copied().into_iter().collect()
    };
    let stored = state
        .db
        .run(move |conn| Ok(store::load(conn, scope, &all, &providers)?))
        .await?;
    Ok((scope, Figures::new(stored, trend).masked()))
}

async fn municipality(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let reference = state.reference_data().await?;
    let slug = path.into_inner();
    let (scope, figures) =
        masked(&state, &reference, &slug, query.kwartaal.as_deref(), false).await?;
    let cost = cost(&state, &reference, scope, &figures, query.pagina, |q, p| {
        format!(
            "/cijfers/gemeenten/{slug}?kwartaal={}&pagina={p}#kosten-aanbieders",
            q.code()
        )
    })
    .await?;
    let today = crate::clock::today();
    let kept = finished();
    let view = MonitorView {
        scope,
        choices: &[],
        quarters: &kept,
        figures: &figures,
        reference: &reference,
        computed_at: None,
        today,
        cost,
        public: true,
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state.site, None, &view),
    ))
}

/// A municipality's monitor as open data: every kept quarter, small numbers hidden.
#[utoipa::path(get, path = "/api/v1/municipalities/{slug}/monitor.csv", tag = "monitor",
    params(
        ("slug" = String, Path, description = "The municipality, as in /api/v1/municipalities"),
        ("kwartaal" = Option<String>, Query, description = "The quarter named in the file name, e.g. 2026-K3"),
    ),
    responses(
        (status = 200, description = "One row per quarter, figure, breakdown and item; counts below 10 hidden (verborgen = ja)", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter was refused; details per field", body = crate::web::ApiErrorDoc),
        (status = 404, description = "No such municipality, or a quarter that is not kept or has not ended"),
    ))]
pub async fn open_data(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let reference = state.reference_data().await?;
    let slug = path.into_inner();
    let (scope, figures) =
        masked(&state, &reference, &slug, query.kwartaal.as_deref(), true).await?;
    let csv = write_csv(
        &state,
        &reference,
        scope,
        &figures,
        CsvExport::new(Dialect::OpenData),
    )
    .await?;
    let file = format!(
        "monitor-{slug}-{}.csv",
        figures.quarter().map(|q| q.code()).unwrap_or_default()
    );
    Ok(CsvExport::attachment(csv.into_bytes()?, &file))
}

//! `/monitor`: extract, call, render. The page and its export read the same stored figures.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::figures::kept_quarters;
use super::pages::{MonitorView, item_label, page};
use super::scope::{self, Scope};
use super::store;
use super::view::Figures;
use crate::outcomes::compute::Quarter;
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::auth::SessionUser;
use crate::web::csrf::CsrfToken;
use crate::web::csv_export::{CsvExport, Dialect};
use crate::web::layout::{Account, html_response};

/// The quarters of the trend: the one shown and the seven before it.
pub const TREND_QUARTERS: usize = 8;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(monitor))
        .route("/export.csv", web::get().to(export));
}

#[derive(Deserialize, Default)]
pub struct Query {
    /// "gemeente:delft" or "regio:haaglanden", from the page's form.
    gebied: Option<String>,
    gemeente: Option<String>,
    regio: Option<String>,
    kwartaal: Option<String>,
    formaat: Option<String>,
}

/// The scope, the quarter and its trend quarters that a request asks for.
fn asked(
    user: &SessionUser,
    reference: &crate::reference::ReferenceData,
    query: &Query,
) -> Result<(Scope, Vec<Quarter>), AppError> {
    let (mut gemeente, mut regio) = (query.gemeente.as_deref(), query.regio.as_deref());
    if let Some(area) = query.gebied.as_deref().filter(|a| !a.is_empty()) {
        match area.split_once(':') {
            Some(("gemeente", slug)) => (gemeente, regio) = (Some(slug), None),
            Some(("regio", slug)) => (gemeente, regio) = (None, Some(slug)),
            _ => return Err(AppError::NotFound),
        }
    }
    let scope = scope::resolve(user.principal, reference, gemeente, regio)?;
    let today = crate::clock::today();
    let kept = kept_quarters(today);
    let quarter = match query.kwartaal.as_deref().filter(|k| !k.is_empty()) {
        Some(code) => Quarter::parse(code)
            .filter(|q| kept.contains(q))
            .ok_or(AppError::NotFound)?,
        // The last whole quarter.
        None => Quarter::of(today).previous(),
    };
    let mut quarters = vec![quarter];
    while quarters.len() < TREND_QUARTERS {
        let before = quarters[quarters.len() - 1].previous();
        quarters.push(before);
    }
    quarters.reverse();
    Ok((scope, quarters))
}

async fn load(
    state: &AppState,
    scope: Scope,
    quarters: Vec<Quarter>,
) -> Result<(Figures, Option<chrono::NaiveDateTime>), AppError> {
    state
        .db
        .run(move |conn| {
            let stored = store::load(conn, scope, &quarters)?;
            let at = store::computed_at(conn, scope.region_id())?;
            Ok((Figures::new(stored, quarters), at))
        })
        .await
}

async fn monitor(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let reference = state.reference_data().await?;
    let (scope, quarters) = asked(&user, &reference, &query)?;
    let (figures, computed_at) = load(&state, scope, quarters).await?;
    let today = crate::clock::today();
    let choices = scope::choices(user.principal, &reference);
    let kept = kept_quarters(today);
    let view = MonitorView {
        scope,
        choices: &choices,
        quarters: &kept,
        figures: &figures,
        reference: &reference,
        computed_at,
        today,
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state.site, account, &view),
    ))
}

async fn export(
    state: web::Data<AppState>,
    user: SessionUser,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let reference = state.reference_data().await?;
    let (scope, quarters) = asked(&user, &reference, &query)?;
    let (figures, _) = load(&state, scope, quarters).await?;
    let dialect = match query.formaat.as_deref() {
        Some("excel") => Dialect::Excel,
        _ => Dialect::OpenData,
    };
    let mut csv = CsvExport::new(dialect);
    csv.row([
        "gebied",
        "kwartaal",
        "cijfer",
        "uitsplitsing",
        "onderdeel",
        "omschrijving",
        "aantal",
        "deel",
        "waarde",
    ])?;
    let name = scope.name(&reference);
    for (q, c) in figures.all() {
        csv.row([
            name.clone(),
            q.code(),
            c.figure.as_str().to_owned(),
            c.breakdown.as_str().to_owned(),
            c.item.clone(),
            item_label(&reference, scope.region_id(), c.breakdown, &c.item),
            c.count.to_string(),
            c.part.map(|p| p.to_string()).unwrap_or_default(),
            csv.number(c.value, 1),
        ])?;
    }
    let (_, slug) = scope.query(&reference);
    let file = format!(
        "monitor-{slug}-{}.csv",
        figures.quarter().map(|q| q.code()).unwrap_or_default()
    );
    Ok(CsvExport::attachment(csv.into_bytes()?, &file))
}

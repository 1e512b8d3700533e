//! `/monitor`: extract, call, render. The page and its export read the same stored figures.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::cost_pages::{self, ProviderLine};
use super::figures::{Breakdown, kept_quarters};
use super::pages::{MonitorView, item_label, page};
use super::scope::{self, Scope};
use super::store;
use super::view::{Figures, HIDDEN};
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
    /// The page of the cost lines per provider.
    pagina: Option<u32>,
}

/// The scope, the quarter and its trend quarters that a request asks for.
pub(super) fn asked(
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
    Ok((scope, trend_quarters(query.kwartaal.as_deref())?))
}

/// The quarter asked for (one of the kept ones; the last whole quarter when none is) and
/// the seven before it, oldest first.
pub(super) fn trend_quarters(kwartaal: Option<&str>) -> Result<Vec<Quarter>, AppError> {
    let today = crate::clock::today();
    let kept = kept_quarters(today);
    let quarter = match kwartaal.filter(|k| !k.is_empty()) {
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
    Ok(quarters)
}

pub(super) async fn load(
    state: &AppState,
    scope: Scope,
    quarters: Vec<Quarter>,
    all_providers: bool,
) -> Result<(Figures, Option<chrono::NaiveDateTime>), AppError> {
    state
        .db
        .run(move |conn| {
            // The page's cost lines are of the quarter shown; the file has every quarter's.
            let providers = if all_providers {
                quarters.clone()
            } else {
                quarters.last().copied().into_iter().collect()
            };
            let stored = store::load(conn, scope, &quarters, &providers)?;
            let at = store::computed_at(conn, scope.region_id())?;
            Ok((Figures::new(stored, quarters), at))
        })
        .await
}

/// The section on cost against result for the quarter shown, with page `pagina` of its
/// provider lines; `href(quarter, page)` is the address of another page.
pub(super) async fn cost(
    state: &AppState,
    reference: &std::sync::Arc<crate::reference::ReferenceData>,
    scope: Scope,
    figures: &Figures,
    pagina: Option<u32>,
    href: impl Fn(Quarter, u32) -> String,
) -> Result<maud::Markup, AppError> {
    let Some(q) = figures.quarter() else {
        return Ok(maud::html! {});
    };
    let ranked = cost_pages::ranked(figures, q);
    let pages = crate::web::components::page_count(
        i64::try_from(ranked.len()).unwrap_or(i64::MAX),
        i64::try_from(cost_pages::PER_PAGE).unwrap_or(25),
    );
    let page = pagina.unwrap_or(1).clamp(1, pages.max(1));
    let shown: Vec<(i64, i32, i64, f64)> = ranked
        .into_iter()
        .skip((page as usize - 1) * cost_pages::PER_PAGE)
        .take(cost_pages::PER_PAGE)
        .collect();
    let lines = provider_lines(state, reference, scope.region_id(), shown).await?;
    Ok(cost_pages::section(
        figures,
        q,
        reference,
        scope.region_id(),
        &lines,
        (page, pages),
        |p| href(q, p),
    ))
}

/// The names and the published uitval and doelrealisatie of these provider lines.
async fn provider_lines(
    state: &AppState,
    reference: &std::sync::Arc<crate::reference::ReferenceData>,
    region_id: i64,
    shown: Vec<(i64, i32, i64, f64)>,
) -> Result<Vec<ProviderLine>, AppError> {
    use crate::db::schema::providers;
    use crate::domain::indicator::Indicator;
    use diesel::prelude::*;
    let reference = reference.clone();
    state
        .db
        .run(move |conn| {
            let ids: Vec<i64> = shown.iter().map(|l| l.0).collect();
            let names: std::collections::HashMap<i64, (String, String)> = providers::table
                .filter(providers::id.eq_any(&ids))
                .select((providers::id, providers::name, providers::slug))
                .load::<(i64, String, String)>(conn)?
                .into_iter()
                .map(|(id, name, slug)| (id, (name, slug)))
                .collect();
            let mut published = crate::outcomes::reports::published_of(conn, &ids)?;
            Ok(shown
                .into_iter()
                .map(|(provider_id, profile, trajectories, euros)| {
                    let profile_id = reference
                        .profile_in_region(region_id, profile)
                        .map(|p| p.id);
                    let scores: Vec<crate::outcomes::reports::Score> = published
                        .get_mut(&provider_id)
                        .and_then(|list| list.iter().find(|(r, _)| r.region_id == region_id))
                        .map(|(_, s)| s.clone())
                        .unwrap_or_default();
                    let pick = |indicator: Indicator| {
                        scores
                            .iter()
                            .find(|s| Some(s.profile_id) == profile_id && s.indicator == indicator)
                            .cloned()
                    };
                    let (name, slug) = names.get(&provider_id).cloned().unwrap_or_default();
                    ProviderLine {
                        provider_id,
                        name,
                        slug,
                        profile,
                        trajectories,
                        euros,
                        uitval: pick(Indicator::Uitval),
                        doelrealisatie: pick(Indicator::Doelrealisatie),
                    }
                })
                .collect())
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
    let (figures, computed_at) = load(&state, scope, quarters, false).await?;
    let today = crate::clock::today();
    let (key, slug) = scope.query(&reference);
    let cost = cost(&state, &reference, scope, &figures, query.pagina, |q, p| {
        format!(
            "/monitor?{key}={slug}&kwartaal={}&pagina={p}#kosten-aanbieders",
            q.code()
        )
    })
    .await?;
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
        cost,
        public: false,
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state.site, Some(account), &view),
    ))
}

async fn export(
    state: web::Data<AppState>,
    user: SessionUser,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let reference = state.reference_data().await?;
    let (scope, quarters) = asked(&user, &reference, &query)?;
    let (figures, _) = load(&state, scope, quarters, true).await?;
    let dialect = match query.formaat.as_deref() {
        Some("excel") => Dialect::Excel,
        _ => Dialect::OpenData,
    };
    let csv = write_csv(&state, &reference, scope, &figures, CsvExport::new(dialect)).await?;
    let (_, slug) = scope.query(&reference);
    let file = format!(
        "monitor-{slug}-{}.csv",
        figures.quarter().map(|q| q.code()).unwrap_or_default()
    );
    Ok(CsvExport::attachment(csv.into_bytes()?, &file))
}

async fn provider_names(
    state: &AppState,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    use crate::db::schema::providers;
    use diesel::prelude::*;
    state
        .db
        .run(move |conn| {
            Ok(providers::table
                .filter(providers::id.eq_any(&ids))
                .select((providers::id, providers::name))
                .load::<(i64, String)>(conn)?
                .into_iter()
                .collect())
        })
        .await
}

/// Every cell of these figures as a file: one row per quarter, figure, breakdown and item.
/// A cell hidden from the public has no count, part or value, and says so.
pub(super) async fn write_csv(
    state: &AppState,
    reference: &crate::reference::ReferenceData,
    scope: Scope,
    figures: &Figures,
    mut csv: CsvExport,
) -> Result<CsvExport, AppError> {
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
        "verborgen",
    ])?;
    let name = scope.name(reference);
    let mut ids: Vec<i64> = figures
        .all()
        .iter()
        .filter(|(_, c)| c.breakdown == Breakdown::Provider)
        .filter_map(|(_, c)| super::cost::parse_provider_item(&c.item).map(|(p, _)| p))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names = provider_names(state, ids).await?;
    for (q, c) in figures.all() {
        let label = match super::cost::parse_provider_item(&c.item) {
            Some((provider, profile)) if c.breakdown == Breakdown::Provider => format!(
                "{}, profiel {profile}",
                names.get(&provider).map_or("", String::as_str)
            ),
            _ => item_label(reference, scope.region_id(), c.breakdown, &c.item),
        };
        let hidden = c.count == HIDDEN;
        csv.row([
            name.clone(),
            q.code(),
            c.figure.as_str().to_owned(),
            c.breakdown.as_str().to_owned(),
            c.item.clone(),
            label,
            if hidden {
                String::new()
            } else {
                c.count.to_string()
            },
            c.part.map(|p| p.to_string()).unwrap_or_default(),
            csv.number(c.value, 2),
            if hidden { "ja" } else { "nee" }.to_owned(),
        ])?;
    }
    Ok(csv)
}

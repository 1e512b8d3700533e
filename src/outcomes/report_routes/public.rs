//! Published scores for everyone: the page about the scores, the JSON and CSV open data,
//! and the block on a provider's public page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;

use crate::db::schema::{admissions, providers, score_reports, scores};
use crate::domain::provider::{AdmissionStatus, ProviderStatus};
use crate::outcomes::reports::{self, PUBLISHED, Report};
use crate::startup::AppState;
use crate::web::csv_export::{CsvExport, Dialect};
use crate::web::layout::{Crumb, Page, html_response};
use crate::web::{ApiError, AppError};

use super::CsvRow;

pub(super) async fn about_scores(state: web::Data<AppState>) -> HttpResponse {
    let t = crate::web::language::texts();
    let min = || crate::i18n::Value::from(crate::outcomes::indicators::MIN_N);
    let title = t.msg("about-scores-title");
    let crumbs = vec![Crumb::here(title.clone())];
    let m = |id: &str| t.fmt(id, &[("min", min())]);
    html_response(
        StatusCode::OK,
        Page {
            title: &title,
            site: &state.site,
            crumbs,
            section: Some("/over"),
            account: None,
        }
        .render(html! {
            h1 { (title) }
            p.lead { (t.msg("about-scores-lead")) }
            h2 { (t.msg("about-scores-which")) }
            dl {
                dt { (t.msg("about-scores-goals")) }
                dd {
                    p { (t.msg("about-scores-goals-what")) }
                    p #doelen { (t.msg("about-scores-goals-how")) }
                }
                dt #zonder-hulp { (t.msg("indicator-zonder_hulp")) }
                dd { (t.msg("about-scores-without-care")) }
                dt #problemen-kleiner { (t.msg("indicator-problemen_kleiner")) }
                dd { (t.msg("about-scores-problems")) }
                dt { (t.msg("indicator-uitval")) }
                dd { (t.msg("about-scores-dropout")) }
                dt { (t.msg("indicator-terugval")) }
                dd { (t.msg("about-scores-relapse")) }
                dt { (t.msg("about-scores-satisfaction")) }
                dd { (t.msg("about-scores-satisfaction-what")) }
            }
            h2 #profiel { (t.msg("about-scores-profile")) }
            p { (t.msg("about-scores-profile-what")) }
            h2 { (t.msg("about-scores-period")) }
            p { (t.msg("about-scores-period-what")) }
            h2 { (t.msg("about-scores-certain")) }
            p { (t.msg("about-scores-certain-n")) }
            p { (m("about-scores-certain-min")) }
            h2 #regiogemiddelde { (t.msg("about-scores-reference")) }
            p { (m("about-scores-reference-what")) }
            p { (t.msg("about-scores-reference-chance")) }
            figure {
                (funnel_picture(&t.msg("about-scores-funnel-axis")))
                figcaption { (t.msg("about-scores-funnel")) }
            }
            p { (t.msg("about-scores-verdict")) }
            p { (t.msg("about-scores-sorting")) }
            h2 #kader { (t.msg("about-scores-kader")) }
            p { (t.msg("about-scores-kader-why")) }
            p { (m("about-scores-kader-share")) }
            p { (t.msg("about-scores-kader-expected")) }
            h2 { (t.msg("compare-row-story")) }
            p { (t.msg("about-scores-story")) }
            h2 { (t.msg("experience-title")) }
            p { (t.msg("about-scores-experience")) }
            p { (m("about-scores-experience-measured")) }
            h2 { (t.msg("waiting-actual")) }
            p { (t.msg("about-scores-waiting")) }
            h2 #minstens-tien { (m("about-scores-min-title")) }
            p { (m("about-scores-min")) }
            h2 #ijw { (t.msg("about-scores-ijw")) }
            p { (t.msg("about-scores-ijw-what")) }
            p { (t.msg("about-scores-ijw-privacy")) }
            @let (lang, dir) = crate::web::language::dutch_marks(t);
            (crate::web::components::scroll_region(&t.msg("about-scores-ijw-table"), html! {
                table.data-table.data-table--wrap {
                    caption { (t.msg("about-scores-ijw-table")) }
                    thead { tr { th scope="col" { (t.msg("about-scores-ijw-code")) } th scope="col" { (t.msg("about-scores-ijw-meaning")) } th scope="col" { (t.msg("about-scores-ijw-counts")) } } }
                    tbody { @for r in crate::outcomes::ijw::JZ588 { tr { td { (r.code) } td lang=[lang] dir=[dir] { (r.meaning) } td lang=[lang] dir=[dir] { (r.counts) } } } }
                }
            }))
            p { (t.msg("about-scores-ijw-products")) }
            (crate::web::components::scroll_region(&t.msg("about-scores-ijw-categories"), html! {
                table.data-table.data-table--wrap {
                    caption { (t.msg("about-scores-ijw-categories")) }
                    thead { tr { th scope="col" { (t.msg("about-scores-ijw-code")) } th scope="col" { (t.msg("about-scores-ijw-meaning")) } th scope="col" { (t.msg("about-scores-ijw-setting")) } } }
                    tbody { @for c in crate::outcomes::ijw::JZ020 { tr { td { (c.code) } td lang=[lang] dir=[dir] { (c.meaning) } td lang=[lang] dir=[dir] { (c.setting.unwrap_or("–")) } } } }
                }
            }))
            h2 #voor-deskundigen { (t.msg("about-scores-experts")) }
            ul {
                li { (t.msg("about-scores-experts-interval")) }
                li { (m("about-scores-experts-target")) }
                li { (m("about-scores-experts-open-data")) }
                li { (t.msg("about-scores-experts-kader")) }
                li { (t.msg("about-scores-experts-sorting")) }
            }
        }),
    )
}

/// A small drawing of a funnel plot: target line, the limits narrowing as n grows, and a
/// few points, one outside. Decorative: the caption says what it shows.
fn funnel_picture(axis: &str) -> maud::Markup {
    html! {
        svg.funnel-picture viewBox="0 0 320 180" width="320" height="180" aria-hidden="true" focusable="false" {
            line x1="20" y1="160" x2="310" y2="160" stroke="currentColor" stroke-width="1" {}
            line x1="20" y1="10" x2="20" y2="160" stroke="currentColor" stroke-width="1" {}
            line x1="20" y1="85" x2="310" y2="85" stroke="currentColor" stroke-width="2" {}
            path d="M30 15 C 80 55, 160 70, 310 75" fill="none" stroke="currentColor" stroke-dasharray="5 4" {}
            path d="M30 155 C 80 115, 160 100, 310 95" fill="none" stroke="currentColor" stroke-dasharray="5 4" {}
            circle cx="45" cy="40" r="4" {}
            circle cx="80" cy="120" r="4" {}
            circle cx="130" cy="92" r="4" {}
            circle cx="190" cy="80" r="4" {}
            circle cx="240" cy="60" r="5" {}
            circle cx="285" cy="88" r="4" {}
            text x="165" y="176" font-size="11" text-anchor="middle" fill="currentColor" { (axis) " →" }
        }
    }
}

pub(super) async fn published_for_slug(
    state: &AppState,
    slug: String,
) -> Result<
    (
        std::sync::Arc<crate::reference::ReferenceData>,
        Vec<(Report, Vec<reports::Score>)>,
    ),
    AppError,
> {
    let cache = state.reference.clone();
    state
        .db
        .run(move |conn| {
            let id: i64 = providers::table
                .filter(providers::slug.eq(&slug))
                .filter(providers::in_catalogue.eq(true))
                .select(providers::id)
                .first(conn)
                .optional()?
                .ok_or(AppError::NotFound)?;
            Ok((cache.get(conn)?, reports::published(conn, id)?))
        })
        .await
}

/// One published value of a provider, with its fair comparison (issue 15).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ScoreItem<'a> {
    region: Option<&'a str>,
    period: &'a str,
    window: &'static str,
    version: i32,
    profile: Option<i32>,
    #[schema(value_type = String)]
    indicator: crate::domain::indicator::Indicator,
    n: i32,
    value: Option<f64>,
    interval: Option<[f64; 2]>,
    /// The plain average over all the region's providers, also those with fewer than 10
    /// trajectories. Not what the provider is compared with: that is `target`, the
    /// regiogemiddelde on every page.
    mean_all_providers: Option<f64>,
    regio: Option<&'a str>,
    /// The regiogemiddelde: all trajectories of the providers with at least 10, pooled (the
    /// funnel's target). The comparison and the funnel limits are read against it.
    target: Option<f64>,
    funnel_lower_95: Option<f64>,
    funnel_upper_95: Option<f64>,
    funnel_lower_998: Option<f64>,
    funnel_upper_998: Option<f64>,
    tau2: Option<f64>,
    shrunk_value: Option<f64>,
    /// `better`, `similar` or `worse`.
    #[schema(value_type = Option<String>)]
    comparison: Option<crate::domain::indicator::Comparison>,
    /// The share (0 to 1) of the cases in the gedwongen kader; only beside a value.
    forced_share: Option<f64>,
    /// The value of the vrijwillig cases alone, where both kaders have at least 10 cases.
    voluntary_value: Option<f64>,
    /// What the region's providers reach at this provider's mix of vrijwillig and
    /// gedwongen cases: the centre of the limits the comparison is read against.
    expected: Option<f64>,
    source: &'a str,
    explanation: &'a str,
}

/// `GET /api/v1/providers/{slug}/scores`: the provider's newest published reports.
#[utoipa::path(get, path = "/api/v1/providers/{slug}/scores", tag = "scores",
    params(("slug" = String, Path, description = "The provider's slug")),
    responses((status = 200, description = "The answer", body = crate::web::api::Items<ScoreItem>), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn api_provider_scores(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (reference, published) = published_for_slug(&state, slug.into_inner()).await?;
    let items: Vec<ScoreItem<'_>> = published
        .iter()
        .flat_map(|(report, list)| {
            let reference = &reference;
            let region = reference.region(report.region_id).map(|r| r.slug.as_str());
            list.iter().map(move |s| ScoreItem {
                region,
                period: &report.period,
                window: "12 maanden",
                version: report.version,
                profile: reference.profile(s.profile_id).map(|p| p.number),
                indicator: s.indicator,
                n: s.n,
                value: s.value,
                interval: s.interval().map(|(l, h)| [l, h]),
                mean_all_providers: s.average,
                regio: region,
                target: s.target,
                funnel_lower_95: s.funnel_lower_95,
                funnel_upper_95: s.funnel_upper_95,
                funnel_lower_998: s.funnel_lower_998,
                funnel_upper_998: s.funnel_upper_998,
                tau2: s.tau2,
                shrunk_value: s.shrunk_value,
                comparison: s.comparison,
                forced_share: s.forced_share().filter(|_| s.value.is_some()),
                voluntary_value: s.voluntary_value,
                expected: s.expected,
                source: &s.source,
                explanation: &s.explanation,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(crate::web::api::Items { items }))
}

/// The minimum number of cases behind a score, as the database stores counts.
pub(super) const MIN_CASES: i32 = crate::outcomes::indicators::MIN_N as i32;

/// `GET /api/v1/scores.csv`: every published value as open data (CSV, comma-separated, UTF-8).
#[utoipa::path(get, path = "/api/v1/scores.csv", tag = "scores",
    responses((status = 200, description = "The answer", content_type = "text/csv", body = String)))]
pub async fn api_scores_csv(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let cache = state.reference.clone();
    let csv = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let rows: Vec<CsvRow> = scores::table
                .inner_join(score_reports::table.inner_join(providers::table))
                // What the provider pages show: an active provider, in the regions where it
                // is admitted now (a suspended one's page answers 404, and so do its rows).
                .inner_join(
                    admissions::table.on(admissions::provider_id
                        .eq(score_reports::provider_id)
                        .and(admissions::region_id.eq(score_reports::region_id))),
                )
                .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
                .filter(providers::status.eq(ProviderStatus::Actief))
                .filter(score_reports::status.eq(PUBLISHED))
                // Below the minimum there is no score: those rows are left out.
                .filter(scores::n.ge(MIN_CASES))
                .order((
                    providers::slug,
                    score_reports::region_id,
                    score_reports::period,
                    score_reports::version,
                    scores::profile_id,
                    scores::indicator,
                ))
                .select((
                    providers::slug,
                    score_reports::region_id,
                    score_reports::period,
                    scores::profile_id,
                    score_reports::version,
                    scores::indicator,
                    scores::source,
                    scores::n,
                    scores::value,
                    scores::interval_low,
                    scores::interval_high,
                    scores::average,
                    providers::name,
                    (
                        scores::target,
                        scores::funnel_lower_95,
                        scores::funnel_upper_95,
                        scores::funnel_lower_998,
                        scores::funnel_upper_998,
                        scores::tau2,
                        scores::shrunk_value,
                        scores::comparison,
                    ),
                    (scores::forced_n, scores::voluntary_value, scores::expected),
                ))
                .load(conn)?;
            let mut writer = CsvExport::new(Dialect::OpenData);
            let header = [
                "aanbieder",
                "naam",
                "regio",
                "periode",
                "versie",
                "profiel",
                "indicator",
                "bron",
                "n",
                "waarde",
                "interval_laag",
                "interval_hoog",
                "gemiddelde_alle_aanbieders",
                "target",
                "funnel_lower_95",
                "funnel_upper_95",
                "funnel_lower_998",
                "funnel_upper_998",
                "tau2",
                "shrunk_value",
                "comparison",
                "aandeel_gedwongen",
                "waarde_alleen_vrijwillig",
                "verwacht_bij_kader",
            ];
            writer.row(header)?;
            for (
                slug,
                region,
                period,
                profile,
                version,
                indicator,
                source,
                n,
                value,
                low,
                high,
                average,
                name,
                (target, lower_95, upper_95, lower_998, upper_998, tau2, shrunk, comparison),
                (forced_n, voluntary, expected),
            ) in rows
            {
                let number = reference.profile(profile).map_or(0, |p| p.number);
                let f = |v: Option<f64>| writer.number(v, 4);
                let cells = [
                    slug,
                    name,
                    reference
                        .region(region)
                        .map_or(String::new(), |r| r.slug.clone()),
                    period,
                    version.to_string(),
                    number.to_string(),
                    indicator,
                    source,
                    n.to_string(),
                    f(value),
                    f(low),
                    f(high),
                    f(average),
                    f(target),
                    f(lower_95),
                    f(upper_95),
                    f(lower_998),
                    f(upper_998),
                    writer.number(tau2, 6),
                    f(shrunk),
                    comparison.map_or(String::new(), |c| c.as_str().to_owned()),
                    f(forced_n.map(|g| f64::from(g) / f64::from(n.max(1)))),
                    f(voluntary),
                    f(expected),
                ];
                writer.row(cells)?;
            }
            writer.into_bytes()
        })
        .await?;
    Ok(CsvExport::attachment(csv, "scores.csv"))
}

//! The contract managers' dashboard at /beheer/scores: every provider of the region for one
//! profile and indicator, with n, interval, the regional average, outliers marked, the trend
//! over the last quarters, and a CSV export.

use crate::startup::AppState;
use crate::web::components::{page_count, pagination, scroll_region};
use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::compute::{INDICATORS, Quarter, ScoreSet};
use super::fair::{Fair, Funnels};
use super::funnel::clear_outlier;
use super::funnel_plot::{Point, plot};
use super::indicators::{Comparison, REFERENCE_NAME, compare};
use crate::db::schema::{computed_scores, providers};
use crate::domain::indicator::Indicator;
use crate::web::AppError;
use crate::web::auth::SessionUser;
use crate::web::csrf::CsrfToken;
use crate::web::csv_export::{CsvExport, Dialect};
use crate::web::layout::{Account, Crumb, Page, html_response};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(dashboard))
        .route("/export.csv", web::get().to(export));
}

#[derive(Deserialize, Default, Clone)]
struct Query {
    regio: Option<String>,
    profiel: Option<i32>,
    indicator: Option<String>,
    sorteer: Option<String>,
    /// Read leniently: anything but a page number shows the first page.
    pagina: Option<String>,
}

/// Rows of the table per page: a region has thousands of providers; the funnel above shows
/// them all, the CSV export lists them all.
const PER_PAGE: usize = 50;

const TREND_QUARTERS: usize = 6;

/// provider id, name, period, n, value, interval low and high, and for the newest quarter
/// the reading against the region's funnel.
type DashboardRow = (
    i64,
    String,
    String,
    i32,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<Fair>,
);

struct Line {
    provider_id: i64,
    provider: String,
    n: i32,
    value: Option<f64>,
    interval: Option<(f64, f64)>,
    comparison: Option<Comparison>,
    fair: Option<Fair>,
    trend: Vec<Option<f64>>,
}

struct View {
    /// The page of the table shown, and how many there are.
    page: u32,
    pages: u32,
    region_id: i64,
    region_slug: String,
    profile: i32,
    indicator: Indicator,
    quarter: Quarter,
    /// The regiogemiddelde: the funnel's target, what every verdict is read against (the
    /// same value the published reports store as `target`).
    reference: Option<f64>,
    lines: Vec<Line>,
    profile_id: i64,
    funnels: Funnels,
}

/// The view; `with_trend` reads the quarters before the newest for the page shown (the
/// export has no trend).
async fn build(
    state: &AppState,
    user: &SessionUser,
    query: Query,
    with_trend: bool,
) -> Result<View, AppError> {
    let cache = state.reference.clone();
    let user = user.clone();
    state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let region = match user.region_scope() {
                Some(crate::web::auth::RegionScope::Only(own)) => reference.region(own.get()),
                _ => query
                    .regio
                    .as_deref()
                    .and_then(|slug| reference.regions.iter().find(|r| r.slug == slug))
                    .or(reference.regions.first()),
            }
            .ok_or(AppError::NotFound)?;
            let number = query.profiel.unwrap_or(1);
            let profile = reference
                .profile_in_region(region.id, number)
                .ok_or(AppError::NotFound)?;
            let indicator = query
                .indicator
                .as_deref()
                .and_then(Indicator::parse)
                .unwrap_or(Indicator::Doelrealisatie);
            let quarter = Quarter::of(crate::clock::today()).previous();
            let mut quarters = vec![quarter];
            for _ in 1..TREND_QUARTERS {
                let earlier = quarters.last().copied().unwrap_or(quarter).previous();
                quarters.push(earlier);
            }
            quarters.reverse();
            let codes: Vec<String> = quarters.iter().map(|q| q.code()).collect();
            // Every provider of the newest quarter (the table's order needs them all); the
            // quarters before only for the providers on the page shown, below.
            let sets: Vec<(i64, String, ScoreSet)> = computed_scores::table
                .inner_join(providers::table)
                .filter(computed_scores::region_id.eq(region.id))
                .filter(computed_scores::profile_id.eq(profile.id))
                .filter(computed_scores::span.eq("12m"))
                .filter(computed_scores::period.eq(quarter.code()))
                .select((providers::id, providers::name, ScoreSet::as_select()))
                .load(conn)?;
            // The newest quarter's funnel over every provider of the region, stored with the
            // scores: each provider is read against it, also those not yet published.
            let funnels = Funnels::load(conn, region.id, &quarter.code(), "12m")?;
            let rows: Vec<DashboardRow> = sets
                .into_iter()
                .filter_map(|(id, name, set)| {
                    let f = Some(set.get(indicator)).filter(|f| f.n > 0)?;
                    let (low, high) = f.interval.unzip();
                    let fair = (set.period == quarter.code())
                        .then(|| funnels.fair(profile.id, indicator, &f))
                        .flatten();
                    Some((id, name, set.period, f.n, f.value, low, high, fair))
                })
                .collect();
            let reference = funnels
                .summary(profile.id, indicator)
                .and_then(|f| f.target);
            let mut by_provider: BTreeMap<i64, Line> = BTreeMap::new();
            for (id, name, period, n, value, low, high, fair) in rows {
                let line = by_provider.entry(id).or_insert_with(|| Line {
                    provider_id: id,
                    provider: name.clone(),
                    n: 0,
                    value: None,
                    interval: None,
                    comparison: None,
                    fair: None,
                    trend: vec![None; TREND_QUARTERS],
                });
                if let Some(i) = codes.iter().position(|c| *c == period) {
                    line.trend[i] = value;
                }
                if period == quarter.code() {
                    line.n = n;
                    line.value = value;
                    line.interval = low.zip(high);
                    line.fair = fair;
                    line.comparison = fair.map(|f| f.comparison).or_else(|| {
                        line.interval
                            .zip(reference)
                            .map(|(i, a)| compare(i, a, indicator.higher_is_better()))
                    });
                }
            }
            let mut lines: Vec<Line> = by_provider.into_values().collect();
            match query.sorteer.as_deref() {
                Some("naam") => lines.sort_by(|a, b| a.provider.cmp(&b.provider)),
                Some("n") => lines.sort_by_key(|l| std::cmp::Reverse(l.n)),
                _ => {
                    let sign = if indicator.higher_is_better() {
                        -1.0
                    } else {
                        1.0
                    };
                    lines.sort_by(|a, b| match (a.value, b.value) {
                        (Some(x), Some(y)) => (x * sign).total_cmp(&(y * sign)),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => a.provider.cmp(&b.provider),
                    });
                }
            }
            let pages = page_count(lines.len() as i64, PER_PAGE as i64).max(1);
            let page = query
                .pagina
                .as_deref()
                .and_then(|p| p.trim().parse::<u32>().ok())
                .unwrap_or(1)
                .clamp(1, pages);
            if with_trend {
                let shown =
                    (page as usize - 1) * PER_PAGE..lines.len().min(page as usize * PER_PAGE);
                let ids: Vec<i64> = lines[shown.clone()].iter().map(|l| l.provider_id).collect();
                let earlier: Vec<(i64, ScoreSet)> = computed_scores::table
                    .filter(computed_scores::region_id.eq(region.id))
                    .filter(computed_scores::profile_id.eq(profile.id))
                    .filter(computed_scores::span.eq("12m"))
                    .filter(computed_scores::period.eq_any(&codes[..codes.len() - 1]))
                    .filter(computed_scores::provider_id.eq_any(&ids))
                    .select((computed_scores::provider_id, ScoreSet::as_select()))
                    .load(conn)?;
                for (id, set) in earlier {
                    let f = set.get(indicator);
                    if let (Some(line), Some(i)) = (
                        lines[shown.clone()]
                            .iter_mut()
                            .find(|l| l.provider_id == id),
                        codes.iter().position(|c| *c == set.period),
                    ) && f.n > 0
                    {
                        line.trend[i] = f.value;
                    }
                }
            }
            Ok(View {
                page,
                pages,
                region_id: region.id,
                region_slug: region.slug.clone(),
                profile: number,
                indicator,
                quarter,
                reference,
                lines,
                profile_id: profile.id,
                funnels,
            })
        })
        .await
}

fn sparkline(indicator: Indicator, values: &[Option<f64>]) -> Markup {
    let scale = |v: f64| {
        if indicator.is_mean() {
            (v - 1.0) / 9.0
        } else {
            v
        }
    };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|v| {
                format!(
                    "{:.1},{:.1}",
                    4.0 + i as f64 * 18.0,
                    26.0 - scale(v).clamp(0.0, 1.0) * 22.0
                )
            })
        })
        .collect();
    html! {
        svg width="100" height="30" viewBox="0 0 100 30" aria-hidden="true" focusable="false" {
            line x1="2" x2="98" y1="28" y2="28" stroke="#d0d5dc" {}
            @if points.len() > 1 { polyline points=(points.join(" ")) fill="none" stroke="#154273" stroke-width="2" {} }
            @for p in &points { @let (x, y) = p.split_once(',').unwrap_or(("0", "0")); circle cx=(x) cy=(y) r="2.5" fill="#154273" {} }
        }
    }
}

async fn dashboard(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let view = build(&state, &user, query.clone(), true).await?;
    let reference = state.reference_data().await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let code = view.indicator;
    let export = format!(
        "/beheer/scores/export.csv?regio={}&profiel={}&indicator={}",
        view.region_slug, view.profile, code
    );
    let (page, pages) = (view.page, view.pages);
    let shown = view
        .lines
        .iter()
        .skip((page as usize - 1) * PER_PAGE)
        .take(PER_PAGE);
    let href = |n: u32| {
        let mut href = format!(
            "/beheer/scores?regio={}&profiel={}&indicator={}",
            view.region_slug, view.profile, code
        );
        if let Some(order) = query
            .sorteer
            .as_deref()
            .filter(|o| ["naam", "n"].contains(o))
        {
            href.push_str("&sorteer=");
            href.push_str(order);
        }
        if n > 1 {
            href.push_str(&format!("&pagina={n}"));
        }
        href
    };
    Ok(html_response(StatusCode::OK, Page { title: "Scores van de regio", site: &state.site, crumbs: vec![Crumb::here("Scores")], section: None, account: Some(account) }.render(html! {
        h1 { "Scores van de regio" }
        p { "Alle aanbieders van de regio met trajecten in de 12 maanden tot en met het " (view.quarter.label()) ", en hun cijfers over die maanden. Ook cijfers die nog niet zijn gepubliceerd. " a href="/beheer/scores/rapporten" { "Naar de ingediende rapporten" } }
        form method="get" action="/beheer/scores" {
            @if user.principal.is_installation_beheerder() {
                label for="regio" { "Regio" }
                select #regio name="regio" { @for r in &reference.regions { option value=(r.slug) selected[r.id == view.region_id] { (r.name) } } }
            }
            label for="profiel" { "Profiel" }
            select #profiel name="profiel" { @for p in reference.profile_summaries() { option value=(p.number) selected[p.number == view.profile] { (p.number) " " (p.name) } } }
            label for="indicator" { "Indicator" }
            select #indicator name="indicator" { @for i in INDICATORS { option value=(i) selected[i == code] { (i.label()) } } }
            label for="sorteer" { "Sorteren op" }
            select #sorteer name="sorteer" {
                option value="" selected[query.sorteer.is_none()] { "Uitkomst (beste eerst)" }
                option value="naam" selected[query.sorteer.as_deref() == Some("naam")] { "Naam" }
                option value="n" selected[query.sorteer.as_deref() == Some("n")] { "Aantal trajecten" }
            }
            " " button.button--secondary type="submit" { "Toon" }
        }
        p { (REFERENCE_NAME) ": " strong { (view.reference.map_or("–".to_owned(), |a| code.format(a))) } ". " a href=(export) { "Sla op als CSV-bestand (voor Excel)" } }
        @if let Some(funnel) = view.funnels.summary(view.profile_id, code) {
            (funnel_section(&view, funnel))
        }
        @if view.lines.is_empty() { p { "Er zijn nog geen cijfers voor dit profiel." } } @else {
            @if pages > 1 {
                p { "Aanbieder " ((page as usize - 1) * PER_PAGE + 1) " tot en met " ((page as usize * PER_PAGE).min(view.lines.len())) " van " (view.lines.len()) ". Alle aanbieders staan in het CSV-bestand." }
            }
            (scroll_region(&format!("{} per aanbieder", code.label()), html! {
                table.data-table {
                    caption.visually-hidden { (code.label()) " per aanbieder" }
                    thead { tr { th scope="col" { "Aanbieder" } th scope="col" { "Uitkomst" } th scope="col" { "n" } th scope="col" { "Onzekerheid (95%)" } th scope="col" { "Trechter (95%)" } th scope="col" { "Vergeleken" } th scope="col" { "Verloop " (TREND_QUARTERS) " kwartalen" } } }
                    tbody { @for l in shown { tr data-figure=(format!("{}/{}/{}", l.provider_id, view.profile_id, code)) {
                        td { (l.provider) }
                        td { (l.value.map_or("te weinig gegevens".to_owned(), |v| code.format(v))) }
                        td { (l.n) }
                        td { (l.interval.map_or("–".to_owned(), |(a, b)| format!("{} tot {}", code.format(a), code.format(b)))) }
                        td {
                            (l.fair.map_or("–".to_owned(), |f| format!("{} tot {}", code.format(f.limits.lower_95), code.format(f.limits.upper_95))))
                            @if let Some(f) = l.fair.filter(|f| code.format(f.expected) != code.format(f.target)) {
                                br; span.hint { "rond " (code.format(f.expected)) ", verwacht bij dit deel gedwongen kader" }
                            }
                        }
                        td { @match l.comparison { Some(c @ (Comparison::Beter | Comparison::MinderGoed)) => strong { (c.label()) }, Some(c) => (c.label()), None => "–" } }
                        td {
                            (sparkline(code, &l.trend))
                            span.visually-hidden { (l.trend.iter().map(|v| v.map_or("geen".to_owned(), |v| code.format(v))).collect::<Vec<_>>().join(", ")) }
                        }
                    } } }
                }
            }))
            (pagination(page, pages, href))
        }
    })))
}

/// The funnel of the profile and indicator: φ, τ², the plot and the clear outliers (outside
/// the 99.8% limits).
fn funnel_section(view: &View, funnel: super::funnel::Funnel) -> Markup {
    let code = view.indicator;
    let points: Vec<Point<'_>> = view
        .lines
        .iter()
        .filter_map(|l| {
            let fair = l.fair?;
            Some(Point {
                name: &l.provider,
                n: u32::try_from(l.n).ok()?,
                // Where the provider sits once its kader mix is taken into account.
                value: fair.adjusted,
                shown: l.value?,
                outside_998: clear_outlier(l.value?, &fair.limits),
            })
        })
        .collect();
    let outliers: Vec<&Point<'_>> = points.iter().filter(|p| p.outside_998).collect();
    html! {
        section aria-labelledby="trechter" {
            h2 #trechter { "Trechterdiagram" }
            p {
                (REFERENCE_NAME) ": " strong { (funnel.target.map_or("–".to_owned(), |t| code.format(t))) }
                " over " (funnel.providers) " aanbieders met minstens 10 trajecten. "
                @if let Some(share) = view.funnels.kader(view.profile_id, code).and_then(|k| k.forced_share) {
                    "Deel gedwongen kader in de regio: " (format!("{:.0}%", share * 100.0)) ". "
                }
                @match funnel.phi {
                    Some(phi) => {
                        "Spreiding φ = " (format!("{phi:.2}")) ", τ² = " (format!("{:.5}", funnel.tau2)) ". "
                        @if funnel.adjusted() { "De aanbieders verschillen meer dan toeval verklaart; de grenzen zijn daarom verbreed." }
                        @else { "De verschillen passen bij toeval; de grenzen zijn niet verbreed." }
                    }
                    None if funnel.providers < super::funnel::MIN_PROVIDERS_FOR_DISPERSION => { "Minder dan 5 aanbieders met minstens 10 trajecten: de spreiding tussen aanbieders is niet geschat en de grenzen zijn niet verbreed." }
                    None => { "Alle aanbieders hebben dezelfde uitkomst: er is geen spreiding te schatten en de grenzen zijn niet verbreed." }
                }
            }
            @if let Some(target) = funnel.target {
                figure.funnel {
                    (plot(code, target, &points, |n| view.funnels.limits_at(view.profile_id, code, n)))
                    figcaption { (code.label()) " per aanbieder tegen het aantal trajecten. De tabel hieronder geeft per aanbieder de uitkomst, n en de grenzen van de trechter, 50 aanbieders per pagina; het CSV-bestand geeft ze allemaal." }
                }
            }
            h3 { "Duidelijke uitschieters (buiten de 99,8%-grenzen)" }
            @if outliers.is_empty() { p { "Geen." } } @else {
                ul { @for p in &outliers { li { (p.name) ": " (code.format(p.shown)) " (n = " (p.n) ")" } } }
            }
        }
    }
}

async fn export(
    state: web::Data<AppState>,
    user: SessionUser,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let view = build(&state, &user, query.into_inner(), false).await?;
    let mut csv = CsvExport::new(Dialect::Excel);
    csv.row([
        "aanbieder",
        "periode",
        "profiel",
        "indicator",
        "n",
        "uitkomst",
        "onzekerheid_laag",
        "onzekerheid_hoog",
        "regiogemiddelde",
        "trechter_95_laag",
        "trechter_95_hoog",
        "trechter_998_laag",
        "trechter_998_hoog",
        "vergeleken",
        "verwacht_bij_kader",
    ])?;
    let places = 4;
    for l in &view.lines {
        let limits = l.fair.map(|f| f.limits);
        let cells = [
            l.provider.clone(),
            view.quarter.code(),
            view.profile.to_string(),
            view.indicator.as_str().to_owned(),
            l.n.to_string(),
            csv.number(l.value, places),
            csv.number(l.interval.map(|i| i.0), places),
            csv.number(l.interval.map(|i| i.1), places),
            csv.number(view.reference, places),
            csv.number(limits.map(|f| f.lower_95), places),
            csv.number(limits.map(|f| f.upper_95), places),
            csv.number(limits.map(|f| f.lower_998), places),
            csv.number(limits.map(|f| f.upper_998), places),
            l.comparison.map_or("", |c| c.label()).to_owned(),
            csv.number(l.fair.map(|f| f.expected), places),
        ];
        csv.row(cells)?;
    }
    let file_name = format!(
        "scores-{}-{}-profiel-{}-{}.csv",
        view.region_slug,
        view.quarter.code(),
        view.profile,
        view.indicator.as_str()
    );
    Ok(CsvExport::attachment(csv.into_bytes()?, &file_name))
}

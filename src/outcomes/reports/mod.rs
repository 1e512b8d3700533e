//! Score reports: each quarter the computed scores of a provider in a region form a report.
//! The provider sees it first and explains its numbers per profile; it submits; a contract
//! manager of the region publishes it or returns it with a comment. A published version is
//! never changed: a correction is a new version with a reason.
//!
//! Here: the report, its snapshot of scores, opening and loading; `review` holds the steps
//! (explain, submit, decide, correct), `published` what the public reads and the bulk
//! history.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{score_reports, scores, trajectories};
use crate::domain::ids::ProviderId;
use crate::outcomes::compute::{Quarter, ScoreSet, averages_of, region_sets};
use crate::outcomes::fair::Funnels;
use crate::outcomes::indicators::Comparison;
use crate::web::AppError;
use crate::web::auth::SessionUser;

pub mod reference;
mod review;
pub use review::{correct, decide, explain, submit};
mod published;
pub use published::{
    PastReport, published, published_of, rebuild_published, refresh_published, repair_published,
    store_past_published,
};

use crate::domain::indicator::Indicator;
pub use crate::domain::report::ReportStatus;

pub const CONCEPT: ReportStatus = ReportStatus::Concept;
pub const SUBMITTED: ReportStatus = ReportStatus::Ingediend;
pub const RETURNED: ReportStatus = ReportStatus::Teruggestuurd;
pub const PUBLISHED: ReportStatus = ReportStatus::Gepubliceerd;

pub fn status_label(status: ReportStatus) -> &'static str {
    status.label()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = score_reports)]
pub struct Report {
    pub id: i64,
    pub provider_id: i64,
    pub region_id: i64,
    pub period: String,
    pub version: i32,
    pub status: ReportStatus,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub comment: String,
    pub correction_reason: String,
    pub submitted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = scores)]
pub struct Score {
    pub id: i64,
    pub report_id: i64,
    pub profile_id: i64,
    pub indicator: Indicator,
    pub n: i32,
    pub hits: i32,
    pub value: Option<f64>,
    pub interval_low: Option<f64>,
    pub interval_high: Option<f64>,
    pub extra: Option<f64>,
    pub average: Option<f64>,
    pub explanation: String,
    pub source: String,
    pub target: Option<f64>,
    pub funnel_lower_95: Option<f64>,
    pub funnel_upper_95: Option<f64>,
    pub funnel_lower_998: Option<f64>,
    pub funnel_upper_998: Option<f64>,
    pub tau2: Option<f64>,
    pub phi: Option<f64>,
    pub shrunk_value: Option<f64>,
    pub comparison: Option<Comparison>,
    /// The cases of `n` in the gedwongen kader (`None` in reports from before it was kept).
    pub forced_n: Option<i32>,
    /// The value of the vrijwillig cases alone, where both kaders have at least 10 cases.
    pub voluntary_value: Option<f64>,
    /// What the region reaches at this provider's kader mix ([`crate::outcomes::fair::Fair`]).
    pub expected: Option<f64>,
}

impl Score {
    pub fn interval(&self) -> Option<(f64, f64)> {
        self.interval_low.zip(self.interval_high)
    }

    /// The share of the cases in the gedwongen kader.
    pub fn forced_share(&self) -> Option<f64> {
        self.forced_n
            .filter(|_| self.n > 0)
            .map(|f| f64::from(f) / f64::from(self.n))
    }

    /// The regiogemiddelde ([`crate::outcomes::indicators::REFERENCE_NAME`]) this score was
    /// read against: the funnel's target as stored with it. Every page, export and API shows
    /// this one; `average` (over all providers, also those below the minimum) is open data
    /// under its own name only.
    pub fn reference_value(&self) -> Option<f64> {
        self.target
    }
}

/// What the provider sees of its own figures, as one short text: every score's profile,
/// indicator, n, hits, value and interval (not the region's funnel, which is read again at
/// publication). The page carries it; a submit whose figures no longer match is refused
/// ([`refresh_concept`], `review::submit`), so what was explained is what is published.
pub fn figures_seen(scores: &[Score]) -> String {
    use sha2::{Digest, Sha256};
    let mut rows: Vec<String> = scores
        .iter()
        .map(|s| {
            let bits = |v: Option<f64>| v.map_or(String::from("-"), |v| v.to_bits().to_string());
            format!(
                "{}:{}:{}:{}:{}:{}:{}:{}:{}",
                s.profile_id,
                s.indicator,
                s.n,
                s.forced_n.unwrap_or(0),
                s.hits,
                bits(s.value),
                bits(s.interval_low),
                bits(s.interval_high),
                bits(s.extra)
            )
        })
        .collect();
    rows.sort();
    let digest = Sha256::digest(rows.join(";").as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// A report still being explained shows the provider's figures as they are now: its
/// snapshot is taken again (explanations kept) before the page is drawn.
pub fn refresh_concept(conn: &mut DbConnection, report: &Report) -> QueryResult<Vec<Score>> {
    if report.status == CONCEPT || report.status == RETURNED {
        snapshot(conn, report)?;
    }
    scores_of(conn, report.id)
}

/// The window a report's scores cover: the twelve months up to the end of its quarter.
pub const REPORT_SPAN: &str = "12m";

/// Copies the computed scores of the provider in the region for the quarter into the report,
/// with today's regional averages; explanations already written are kept.
fn snapshot(conn: &mut DbConnection, report: &Report) -> QueryResult<()> {
    let kept: BTreeMap<(i64, Indicator), String> = scores::table
        .filter(scores::report_id.eq(report.id))
        .select((scores::profile_id, scores::indicator, scores::explanation))
        .load::<(i64, Indicator, String)>(conn)?
        .into_iter()
        .map(|(p, i, e)| ((p, i), e))
        .collect();
    diesel::delete(scores::table.filter(scores::report_id.eq(report.id))).execute(conn)?;
    // Every provider's sets in the region: the averages and the funnels are over all of them.
    let region_sets = region_sets(conn, report.region_id, &report.period, REPORT_SPAN)?;
    let averages = averages_of(&region_sets);
    let funnels = Funnels::of(&region_sets);
    let sets: Vec<ScoreSet> = region_sets
        .into_iter()
        .filter(|s| s.provider_id == report.provider_id)
        .collect();
    let sources = sources(conn, report)?;
    let rows = score_rows(report.id, &sets, &averages, &funnels, &kept, &sources);
    crate::bulk_insert!(&mut *conn, scores::table, &rows)?;
    Ok(())
}

/// Reads the report's scores again against the region's funnels as they are now (every
/// provider's computed scores for the quarter): at publication, so the first provider of a
/// quarter to submit is not compared with the few that had uploaded before it. The values
/// themselves stay as submitted.
pub(super) fn read_against_region(conn: &mut DbConnection, report: &Report) -> QueryResult<()> {
    let region_sets = region_sets(conn, report.region_id, &report.period, REPORT_SPAN)?;
    let funnels = Funnels::of(&region_sets);
    crate::outcomes::fair::store_region_period(
        conn,
        &funnels,
        (report.region_id, &report.period, REPORT_SPAN),
    )?;
    let averages = averages_of(&region_sets);
    for s in scores_of(conn, report.id)? {
        let figures = crate::outcomes::compute::Figures {
            n: s.n,
            hits: s.hits,
            value: s.value,
            interval: s.interval(),
            extra: s.extra,
            forced_n: s.forced_n.unwrap_or(0),
            forced_sum: 0,
        };
        // A snapshot from before the kader was kept is read against the target itself.
        let fair = if s.forced_n.is_some() {
            funnels.fair(s.profile_id, s.indicator, &figures)
        } else {
            funnels.fair_at_target(s.profile_id, s.indicator, &figures)
        };
        diesel::update(scores::table.find(s.id))
            .set((
                scores::target.eq(fair.map(|x| x.target)),
                scores::funnel_lower_95.eq(fair.map(|x| x.limits.lower_95)),
                scores::funnel_upper_95.eq(fair.map(|x| x.limits.upper_95)),
                scores::funnel_lower_998.eq(fair.map(|x| x.limits.lower_998)),
                scores::funnel_upper_998.eq(fair.map(|x| x.limits.upper_998)),
                scores::tau2.eq(fair.map(|x| x.tau2)),
                scores::phi.eq(fair.and_then(|x| x.phi)),
                scores::shrunk_value.eq(fair.map(|x| x.shrunk)),
                scores::comparison.eq(fair.map(|x| x.comparison)),
                scores::expected.eq(fair.filter(|_| s.forced_n.is_some()).map(|x| x.expected)),
                scores::average.eq(averages.get(&(s.profile_id, s.indicator)).copied()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One score row of a report.
#[derive(Insertable)]
#[diesel(table_name = scores)]
#[diesel(treat_none_as_default_value = false)]
struct NewScore<'a> {
    report_id: i64,
    profile_id: i64,
    indicator: Indicator,
    n: i32,
    hits: i32,
    value: Option<f64>,
    interval_low: Option<f64>,
    interval_high: Option<f64>,
    extra: Option<f64>,
    average: Option<f64>,
    explanation: &'a str,
    source: &'a str,
    target: Option<f64>,
    funnel_lower_95: Option<f64>,
    funnel_upper_95: Option<f64>,
    funnel_lower_998: Option<f64>,
    funnel_upper_998: Option<f64>,
    tau2: Option<f64>,
    phi: Option<f64>,
    shrunk_value: Option<f64>,
    comparison: Option<Comparison>,
    forced_n: Option<i32>,
    voluntary_value: Option<f64>,
    expected: Option<f64>,
}

/// The score rows of a report: every counted indicator of its computed score sets, with the
/// regional average, the provider's explanation (per profile and indicator) and the source.
fn score_rows<'a>(
    report_id: i64,
    sets: &[ScoreSet],
    averages: &BTreeMap<(i64, Indicator), f64>,
    funnels: &Funnels,
    explanations: &'a BTreeMap<(i64, Indicator), String>,
    sources: &'a BTreeMap<i64, String>,
) -> Vec<NewScore<'a>> {
    let mut rows = Vec::new();
    for set in sets {
        let profile = set.profile_id;
        for (indicator, f) in set.counted() {
            let key = (profile, indicator);
            let fair = funnels.fair(profile, indicator, &f);
            rows.push(NewScore {
                report_id,
                profile_id: profile,
                indicator,
                n: f.n,
                hits: f.hits,
                value: f.value,
                interval_low: f.interval.map(|i| i.0),
                interval_high: f.interval.map(|i| i.1),
                extra: f.extra,
                average: averages.get(&key).copied(),
                explanation: explanations.get(&key).map_or("", String::as_str),
                source: sources.get(&profile).map_or("aanbieder", String::as_str),
                target: fair.map(|x| x.target),
                funnel_lower_95: fair.map(|x| x.limits.lower_95),
                funnel_upper_95: fair.map(|x| x.limits.upper_95),
                funnel_lower_998: fair.map(|x| x.limits.lower_998),
                funnel_upper_998: fair.map(|x| x.limits.upper_998),
                tau2: fair.map(|x| x.tau2),
                phi: fair.and_then(|x| x.phi),
                shrunk_value: fair.map(|x| x.shrunk),
                comparison: fair.map(|x| x.comparison),
                forced_n: Some(f.forced_n),
                voluntary_value: f.voluntary(indicator),
                expected: fair.map(|x| x.expected),
            });
        }
    }
    rows
}

/// Who measured the trajectories behind each profile's scores: `aanbieder`, `gemeente` (closed
/// hulpvragen and the families' answers), or `aanbieder+gemeente`.
fn sources(conn: &mut DbConnection, report: &Report) -> QueryResult<BTreeMap<i64, String>> {
    let Some(quarter) = super::compute::Quarter::parse(&report.period) else {
        return Ok(BTreeMap::new());
    };
    let found: Vec<(i64, String)> = trajectories::table
        .filter(trajectories::provider_id.eq(report.provider_id))
        .filter(trajectories::region_id.eq(report.region_id))
        .filter(trajectories::end_date.between(quarter.twelve_months_start(), quarter.last_day()))
        .select((trajectories::profile_id, trajectories::source))
        .distinct()
        .load(conn)?;
    // Every source behind a profile, in a fixed order: "aanbieder+gemeente", "gemeente+ijw".
    let mut parts: BTreeMap<i64, std::collections::BTreeSet<String>> = BTreeMap::new();
    for (profile, source) in found {
        parts.entry(profile).or_default().insert(source);
    }
    Ok(parts
        .into_iter()
        .map(|(profile, set)| (profile, set.into_iter().collect::<Vec<_>>().join("+")))
        .collect())
}

/// The source of a score in words.
pub fn source_label(code: &str) -> &'static str {
    match code {
        "ijw" => "uit iJw-berichten",
        code if code.contains("ijw") => {
            "uit iJw-berichten, aangevuld door de aanbieder of de gemeente"
        }
        "gemeente" => "gemeten door de gemeente",
        "aanbieder+gemeente" => "gemeten door de aanbieder en door de gemeente",
        _ => "gemeten door de aanbieder",
    }
}

/// The open report of the provider for a region and quarter, made (as a concept with a fresh
/// snapshot) when there is none. A published report is not open: see [`correct`].
pub fn open(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    region_id: i64,
    quarter: Quarter,
) -> Result<i64, AppError> {
    let latest: Option<Report> = score_reports::table
        .filter(score_reports::provider_id.eq(provider_id))
        .filter(score_reports::region_id.eq(region_id))
        .filter(score_reports::period.eq(quarter.code()))
        .order(score_reports::version.desc())
        .select(Report::as_select())
        .first(conn)
        .optional()?;
    match latest {
        Some(report) => Ok(report.id),
        None => create_version(conn, provider_id, region_id, &quarter.code(), 1, ""),
    }
}

fn create_version(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    region_id: i64,
    period: &str,
    version: i32,
    reason: &str,
) -> Result<i64, AppError> {
    let id: i64 = diesel::insert_into(score_reports::table)
        .values((
            score_reports::provider_id.eq(provider_id),
            score_reports::region_id.eq(region_id),
            score_reports::period.eq(period),
            score_reports::version.eq(version),
            score_reports::status.eq(CONCEPT),
            score_reports::created_at.eq(crate::clock::now()),
            score_reports::correction_reason.eq(reason),
        ))
        .returning(score_reports::id)
        .get_result(conn)?;
    let report = load(conn, id)?;
    snapshot(conn, &report)?;
    Ok(id)
}

pub fn load(conn: &mut DbConnection, id: i64) -> QueryResult<Report> {
    score_reports::table
        .find(id)
        .select(Report::as_select())
        .first(conn)
}

pub fn scores_of(conn: &mut DbConnection, report_id: i64) -> QueryResult<Vec<Score>> {
    scores::table
        .filter(scores::report_id.eq(report_id))
        .order((scores::profile_id, scores::indicator))
        .select(Score::as_select())
        .load(conn)
}

/// A report of the user's own provider, or not found: a provider never sees another's.
pub fn own(conn: &mut DbConnection, user: &SessionUser, id: i64) -> Result<Report, AppError> {
    let provider = user.own_provider()?;
    let report = load(conn, id).optional()?.ok_or(AppError::NotFound)?;
    if provider != report.provider_id {
        return Err(AppError::NotFound);
    }
    Ok(report)
}

/// A report a contract manager may review: of its own region, and submitted, published or
/// returned (to read back the comment; deciding needs a submitted one).
pub fn reviewable(
    conn: &mut DbConnection,
    user: &SessionUser,
    id: i64,
) -> Result<Report, AppError> {
    let report = load(conn, id).optional()?.ok_or(AppError::NotFound)?;
    if !user.may_decide_for_region(report.region_id) {
        return Err(AppError::Forbidden(
            "Dit rapport hoort bij een andere regio.".into(),
        ));
    }
    if report.status == CONCEPT {
        return Err(AppError::NotFound);
    }
    Ok(report)
}

/// How many reports are in one of these statuses, for one provider or one region (or all).
pub fn count(
    conn: &mut DbConnection,
    provider_id: Option<i64>,
    region_id: Option<i64>,
    statuses: &[ReportStatus],
) -> QueryResult<i64> {
    let mut query = score_reports::table
        .filter(score_reports::status.eq_any(statuses))
        .into_boxed();
    if let Some(provider) = provider_id {
        query = query.filter(score_reports::provider_id.eq(provider));
    }
    if let Some(region) = region_id {
        query = query.filter(score_reports::region_id.eq(region));
    }
    query.count().get_result(conn)
}

//! Score reports: each quarter the computed scores of a provider in a region form a report.
//! The provider sees it first and explains its numbers per profile; it submits; a contract
//! manager of the region publishes it or returns it with a comment. A published version is
//! never changed: a correction is a new version with a reason.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::compute::{Quarter, ScoreSet, regional_averages};
use crate::accounts::model as users;
use crate::db::DbConnection;
use crate::db::schema::{
    computed_scores, providers, published_scores, regions, score_reports, scores, trajectories,
};
use crate::mail::{self, templates};
use crate::providers::admission::provider_addresses;
use crate::web::auth::SessionUser;
use crate::web::{AppError, FieldError};

pub const CONCEPT: &str = "concept";
pub const SUBMITTED: &str = "ingediend";
pub const RETURNED: &str = "teruggestuurd";
pub const PUBLISHED: &str = "gepubliceerd";

pub fn status_label(status: &str) -> &'static str {
    match status {
        CONCEPT => "concept",
        SUBMITTED => "ingediend, wacht op de contractmanager",
        RETURNED => "teruggestuurd door de contractmanager",
        PUBLISHED => "gepubliceerd",
        _ => "onbekend",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = score_reports)]
pub struct Report {
    pub id: i64,
    pub provider_id: i64,
    pub region_id: i64,
    pub period: String,
    pub version: i32,
    pub status: String,
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
    pub indicator: String,
    pub n: i32,
    pub hits: i32,
    pub value: Option<f64>,
    pub interval_low: Option<f64>,
    pub interval_high: Option<f64>,
    pub extra: Option<f64>,
    pub average: Option<f64>,
    pub explanation: String,
    pub source: String,
}

impl Score {
    pub fn interval(&self) -> Option<(f64, f64)> {
        self.interval_low.zip(self.interval_high)
    }
}

/// The window a report's scores cover: the twelve months up to the end of its quarter.
pub const REPORT_SPAN: &str = "12m";

/// Copies the computed scores of the provider in the region for the quarter into the report,
/// with today's regional averages; explanations already written are kept.
fn snapshot(conn: &mut DbConnection, report: &Report) -> QueryResult<()> {
    let kept: BTreeMap<(i64, String), String> = scores::table
        .filter(scores::report_id.eq(report.id))
        .select((scores::profile_id, scores::indicator, scores::explanation))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(p, i, e)| ((p, i), e))
        .collect();
    diesel::delete(scores::table.filter(scores::report_id.eq(report.id))).execute(conn)?;
    let averages = regional_averages(conn, report.region_id, &report.period, REPORT_SPAN)?;
    let sets: Vec<ScoreSet> = computed_scores::table
        .filter(computed_scores::provider_id.eq(report.provider_id))
        .filter(computed_scores::region_id.eq(report.region_id))
        .filter(computed_scores::period.eq(&report.period))
        .filter(computed_scores::span.eq(REPORT_SPAN))
        .select(ScoreSet::as_select())
        .load(conn)?;
    let sources = sources(conn, report)?;
    let rows = score_rows(report.id, &sets, &averages, &kept, &sources);
    crate::bulk_insert!(&mut *conn, scores::table, &rows, 2000)?;
    Ok(())
}

/// One score row of a report.
#[derive(Insertable)]
#[diesel(table_name = scores)]
#[diesel(treat_none_as_default_value = false)]
struct NewScore<'a> {
    report_id: i64,
    profile_id: i64,
    indicator: &'static str,
    n: i32,
    hits: i32,
    value: Option<f64>,
    interval_low: Option<f64>,
    interval_high: Option<f64>,
    extra: Option<f64>,
    average: Option<f64>,
    explanation: &'a str,
    source: &'a str,
}

/// The score rows of a report: every counted indicator of its computed score sets, with the
/// regional average, the provider's explanation (per profile and indicator) and the source.
fn score_rows<'a>(
    report_id: i64,
    sets: &[ScoreSet],
    averages: &BTreeMap<(i64, String), f64>,
    explanations: &'a BTreeMap<(i64, String), String>,
    sources: &'a BTreeMap<i64, String>,
) -> Vec<NewScore<'a>> {
    let mut rows = Vec::new();
    for set in sets {
        let profile = set.profile_id;
        for (indicator, f) in set.counted() {
            let key = (profile, indicator.to_owned());
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
    let mut out: BTreeMap<i64, String> = BTreeMap::new();
    for (profile, source) in found {
        out.entry(profile)
            .and_modify(|s| {
                if *s != source {
                    *s = "aanbieder+gemeente".to_owned();
                }
            })
            .or_insert(source);
    }
    Ok(out)
}

/// The source of a score in words.
pub fn source_label(code: &str) -> &'static str {
    match code {
        "gemeente" => "gemeten door de gemeente",
        "aanbieder+gemeente" => "gemeten door de aanbieder en door de gemeente",
        _ => "gemeten door de aanbieder",
    }
}

/// The open report of the provider for a region and quarter, made (as a concept with a fresh
/// snapshot) when there is none. A published report is not open: see [`correct`].
pub fn open(
    conn: &mut DbConnection,
    provider_id: i64,
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
    provider_id: i64,
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
    if report.provider_id != provider {
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

/// Saves the provider's explanations (per profile) while the report is still editable.
pub fn explain(
    conn: &mut DbConnection,
    report: &Report,
    explanations: &BTreeMap<i64, String>,
) -> Result<(), AppError> {
    if report.status != CONCEPT && report.status != RETURNED {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Dit rapport is ingediend of gepubliceerd en kan niet meer worden gewijzigd.",
        )]));
    }
    for (profile, text) in explanations {
        if text.chars().count() > 2000 {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                format!("uitleg-{profile}"),
                "Gebruik hoogstens 2000 tekens.",
            )]));
        }
        // Public text, beside the scores: never a BSN in it.
        if crate::web::input::contains_bsn(text) {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                format!("uitleg-{profile}"),
                crate::web::input::BSN_MESSAGE,
            )]));
        }
        diesel::update(
            scores::table
                .filter(scores::report_id.eq(report.id))
                .filter(scores::profile_id.eq(profile)),
        )
        .set(scores::explanation.eq(text.trim()))
        .execute(conn)?;
    }
    Ok(())
}

/// The provider submits: the numbers are refreshed once more and the managers are mailed.
pub fn submit(
    conn: &mut DbConnection,
    report: &Report,
    user_id: i64,
    public_url: &str,
) -> Result<(), AppError> {
    let changed = diesel::update(
        score_reports::table
            .find(report.id)
            .filter(score_reports::status.eq_any([CONCEPT, RETURNED])),
    )
    .set((
        score_reports::status.eq(SUBMITTED),
        score_reports::submitted_at.eq(Some(crate::clock::now())),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Dit rapport is al ingediend.",
        )]));
    }
    snapshot(conn, report)?;
    crate::audit::action(
        conn,
        Some(user_id),
        "scorerapport ingediend",
        "score_report",
        Some(report.id),
    )?;
    let (provider, region) = names(conn, report)?;
    let quarter = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    for manager in users::contract_managers(conn, report.region_id)? {
        mail::queue(
            conn,
            &templates::compose(
                &manager.email,
                &format!("Cijfers ter beoordeling: {provider}"),
                "Beste contractmanager,",
                &[format!(
                    "{provider} heeft de cijfers van het {quarter} in de regio {region} ingediend. Wilt u ze beoordelen?"
                )],
                Some((
                    "Naar de rapporten",
                    &format!("{public_url}/beheer/scores/rapporten/{}", report.id),
                )),
            ),
        )?;
    }
    Ok(())
}

fn names(conn: &mut DbConnection, report: &Report) -> QueryResult<(String, String)> {
    let provider: String = providers::table
        .find(report.provider_id)
        .select(providers::name)
        .first(conn)?;
    let region: String = regions::table
        .find(report.region_id)
        .select(regions::name)
        .first(conn)?;
    Ok((provider, region))
}

/// A contract manager publishes or returns a submitted report.
pub fn decide(
    conn: &mut DbConnection,
    report: &Report,
    by: &SessionUser,
    publish: bool,
    comment: &str,
    public_url: &str,
) -> Result<(), AppError> {
    if !by.may_decide_for_region(report.region_id) {
        return Err(AppError::Forbidden(
            "Dit rapport hoort bij een andere regio.".into(),
        ));
    }
    if !publish && comment.trim().is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "opmerking",
            "Schrijf op wat de aanbieder moet aanpassen.",
        )]));
    }
    let now = crate::clock::now();
    let changed = diesel::update(
        score_reports::table
            .find(report.id)
            .filter(score_reports::status.eq(SUBMITTED)),
    )
    .set((
        score_reports::status.eq(if publish { PUBLISHED } else { RETURNED }),
        score_reports::published_at.eq(publish.then_some(now)),
        score_reports::comment.eq(comment.trim()),
        score_reports::decided_by.eq(Some(by.id)),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Over dit rapport is al besloten. Vernieuw de pagina.",
        )]));
    }
    if publish {
        // The catalogue sorts on `published_scores`: without this the sort on results never
        // saw a publication.
        refresh_published(conn, report.provider_id)?;
    }
    crate::audit::action(
        conn,
        Some(by.id),
        if publish {
            "scorerapport gepubliceerd"
        } else {
            "scorerapport teruggestuurd"
        },
        "score_report",
        Some(report.id),
    )?;
    let (provider, region) = names(conn, report)?;
    let quarter = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    let mut lines = vec![if publish {
        format!(
            "De cijfers van {provider} over het {quarter} in de regio {region} zijn gepubliceerd. Ze staan nu in de catalogus."
        )
    } else {
        format!(
            "De contractmanager heeft de cijfers van {provider} over het {quarter} in de regio {region} teruggestuurd."
        )
    }];
    if !comment.trim().is_empty() {
        lines.push(format!("Opmerking: {}", comment.trim()));
    }
    for email in provider_addresses(conn, report.provider_id)? {
        mail::queue(
            conn,
            &templates::compose(
                &email,
                &if publish {
                    format!("Uw cijfers zijn gepubliceerd ({region})")
                } else {
                    format!("Uw cijfers zijn teruggestuurd ({region})")
                },
                "Beste aanbieder,",
                &lines,
                Some((
                    "Naar uw cijfers",
                    &format!("{public_url}/mijn-aanbod/cijfers/{}", report.id),
                )),
            ),
        )?;
    }
    Ok(())
}

/// A correction of a published report: a new concept version with a reason; the published
/// version stays as it was (and public) until the new one is published.
pub fn correct(
    conn: &mut DbConnection,
    report: &Report,
    user_id: i64,
    reason: &str,
) -> Result<i64, AppError> {
    if report.status != PUBLISHED {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Alleen een gepubliceerd rapport kan worden gecorrigeerd.",
        )]));
    }
    if reason.trim().is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Schrijf op waarom de cijfers worden gecorrigeerd.",
        )]));
    }
    let newest: i32 = score_reports::table
        .filter(score_reports::provider_id.eq(report.provider_id))
        .filter(score_reports::region_id.eq(report.region_id))
        .filter(score_reports::period.eq(&report.period))
        .select(diesel::dsl::max(score_reports::version))
        .first::<Option<i32>>(conn)?
        .unwrap_or(report.version);
    if newest > report.version {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Er is al een nieuwere versie van dit rapport.",
        )]));
    }
    let id = create_version(
        conn,
        report.provider_id,
        report.region_id,
        &report.period,
        newest + 1,
        reason.trim(),
    )?;
    crate::audit::action(
        conn,
        Some(user_id),
        "correctie scorerapport",
        "score_report",
        Some(id),
    )?;
    Ok(id)
}

/// The published scores shown to the public for a provider: per region, the newest published
/// version of the newest published quarter.
pub fn published(
    conn: &mut DbConnection,
    provider_id: i64,
) -> QueryResult<Vec<(Report, Vec<Score>)>> {
    let reports: Vec<Report> = score_reports::table
        .filter(score_reports::provider_id.eq(provider_id))
        .filter(score_reports::status.eq(PUBLISHED))
        .order((
            score_reports::region_id,
            score_reports::period.desc(),
            score_reports::version.desc(),
        ))
        .select(Report::as_select())
        .load(conn)?;
    let mut out: Vec<(Report, Vec<Score>)> = Vec::new();
    for report in reports {
        if out
            .last()
            .is_some_and(|(r, _)| r.region_id == report.region_id)
        {
            continue;
        }
        let list = scores_of(conn, report.id)?;
        out.push((report, list));
    }
    Ok(out)
}

/// Rebuilds `published_scores` for every provider that has a published report but no
/// published values: repairs databases whose publications happened before publishing
/// refreshed them (on any node). Its key needs no region: a profile belongs to one region.
pub fn repair_published(conn: &mut DbConnection) -> QueryResult<()> {
    let with_values: std::collections::HashSet<i64> = published_scores::table
        .select(published_scores::provider_id)
        .distinct()
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let providers: Vec<i64> = score_reports::table
        .filter(score_reports::status.eq(PUBLISHED))
        .select(score_reports::provider_id)
        .distinct()
        .load(conn)?;
    for provider_id in providers.into_iter().filter(|p| !with_values.contains(p)) {
        refresh_published(conn, provider_id)?;
    }
    Ok(())
}

/// Rebuilds the provider's rows in `published_scores` from its newest published reports.
pub fn refresh_published(conn: &mut DbConnection, provider_id: i64) -> QueryResult<()> {
    diesel::delete(published_scores::table.filter(published_scores::provider_id.eq(provider_id)))
        .execute(conn)?;
    for (_, list) in published(conn, provider_id)? {
        for s in list {
            diesel::insert_into(published_scores::table)
                .values((
                    published_scores::provider_id.eq(provider_id),
                    published_scores::profile_id.eq(s.profile_id),
                    published_scores::indicator.eq(&s.indicator),
                    published_scores::value.eq(s.value),
                    published_scores::n.eq(s.n),
                ))
                .execute(conn)?;
        }
    }
    // Searches sorted on results read these.
    crate::catalogue::cache::bump(conn)
}

/// A report that went through review before this database held it (the demo's history, or
/// an import from another system): published, with its dates and explanations per profile.
#[derive(Debug, Clone)]
pub struct PastReport {
    pub provider_id: i64,
    pub created_at: NaiveDateTime,
    pub submitted_at: NaiveDateTime,
    pub published_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    pub explanations: BTreeMap<i64, String>,
}

#[derive(Insertable)]
#[diesel(table_name = score_reports)]
#[diesel(treat_none_as_default_value = false)]
struct NewReport<'a> {
    provider_id: i64,
    region_id: i64,
    period: &'a str,
    version: i32,
    status: &'static str,
    published_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    comment: &'static str,
    correction_reason: &'static str,
    submitted_at: Option<NaiveDateTime>,
    decided_by: Option<i64>,
}

/// Stores past published reports (version 1), per region and quarter, in one pass each: the
/// same snapshot as [`submit`] takes (computed scores, regional averages, sources), read once
/// for a whole region and quarter instead of once per report. Reports of providers without
/// computed scores for their quarter are left out. Call [`rebuild_published`] after.
pub fn store_past_published(
    conn: &mut DbConnection,
    batches: &[(i64, Quarter, Vec<PastReport>)],
) -> QueryResult<usize> {
    let Some(oldest) = batches
        .iter()
        .map(|(_, q, _)| q.twelve_months_start())
        .min()
    else {
        return Ok(0);
    };
    // The trajectories the municipality measured are few: one read for every batch. A
    // profile's source follows from how many of its ended trajectories they are.
    let municipal: Vec<(i64, i64, i64, NaiveDate)> = trajectories::table
        .filter(trajectories::source.eq("gemeente"))
        .filter(trajectories::end_date.ge(oldest))
        .select((
            trajectories::region_id,
            trajectories::provider_id,
            trajectories::profile_id,
            trajectories::end_date.assume_not_null(),
        ))
        .load(conn)?;
    let mut stored = 0;
    for (region_id, quarter, reports) in batches {
        let (from, to) = (quarter.twelve_months_start(), quarter.last_day());
        let mut by_municipality: BTreeMap<(i64, i64), i32> = BTreeMap::new();
        for (region, provider, profile, end) in &municipal {
            if region == region_id && *end >= from && *end <= to {
                *by_municipality.entry((*provider, *profile)).or_default() += 1;
            }
        }
        stored += store_past_quarter(conn, *region_id, *quarter, reports, &by_municipality)?;
    }
    Ok(stored)
}

fn store_past_quarter(
    conn: &mut DbConnection,
    region_id: i64,
    quarter: Quarter,
    reports: &[PastReport],
    municipal: &BTreeMap<(i64, i64), i32>,
) -> QueryResult<usize> {
    let period = quarter.code();
    let sets: Vec<ScoreSet> = computed_scores::table
        .filter(computed_scores::region_id.eq(region_id))
        .filter(computed_scores::period.eq(&period))
        .filter(computed_scores::span.eq(REPORT_SPAN))
        .order((computed_scores::provider_id, computed_scores::profile_id))
        .select(ScoreSet::as_select())
        .load(conn)?;
    let averages = super::compute::averages_of(&sets);
    let mut sources: BTreeMap<i64, BTreeMap<i64, String>> = BTreeMap::new();
    let mut by_provider: BTreeMap<i64, Vec<ScoreSet>> = BTreeMap::new();
    for set in sets {
        if let Some(count) = municipal.get(&(set.provider_id, set.profile_id)) {
            // uitval counts every trajectory that ended in the window.
            let source = if *count >= set.ended() {
                "gemeente"
            } else {
                "aanbieder+gemeente"
            };
            sources
                .entry(set.provider_id)
                .or_default()
                .insert(set.profile_id, source.to_owned());
        }
        by_provider.entry(set.provider_id).or_default().push(set);
    }
    let kept: Vec<&PastReport> = reports
        .iter()
        .filter(|r| by_provider.contains_key(&r.provider_id))
        .collect();
    let rows: Vec<NewReport<'_>> = kept
        .iter()
        .map(|r| NewReport {
            provider_id: r.provider_id,
            region_id,
            period: &period,
            version: 1,
            status: PUBLISHED,
            published_at: Some(r.published_at),
            created_at: r.created_at,
            comment: "",
            correction_reason: "",
            submitted_at: Some(r.submitted_at),
            decided_by: r.decided_by,
        })
        .collect();
    crate::bulk_insert!(&mut *conn, score_reports::table, &rows, 2000)?;
    let ids: BTreeMap<i64, i64> = score_reports::table
        .filter(score_reports::region_id.eq(region_id))
        .filter(score_reports::period.eq(&period))
        .filter(score_reports::version.eq(1))
        .select((score_reports::provider_id, score_reports::id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let none = BTreeMap::new();
    let mut explanations: Vec<BTreeMap<(i64, String), String>> = Vec::with_capacity(kept.len());
    for r in &kept {
        let mut per_indicator = BTreeMap::new();
        for (profile, text) in &r.explanations {
            for indicator in super::compute::INDICATORS {
                per_indicator.insert((*profile, indicator.to_owned()), text.clone());
            }
        }
        explanations.push(per_indicator);
    }
    let mut score_list = Vec::new();
    for (r, explained) in kept.iter().zip(&explanations) {
        let (Some(id), Some(sets)) = (ids.get(&r.provider_id), by_provider.get(&r.provider_id))
        else {
            continue;
        };
        let from = sources.get(&r.provider_id).unwrap_or(&none);
        score_list.extend(score_rows(*id, sets, &averages, explained, from));
    }
    crate::bulk_insert!(&mut *conn, scores::table, &score_list, 2000)?;
    Ok(kept.len())
}

/// Rebuilds all of `published_scores` from the newest published reports, in bulk (after
/// [`store_past_published`]); [`refresh_published`] does the same for one provider.
pub fn rebuild_published(conn: &mut DbConnection) -> QueryResult<usize> {
    let reports: Vec<(i64, i64, i64)> = score_reports::table
        .filter(score_reports::status.eq(PUBLISHED))
        .order((
            score_reports::provider_id,
            score_reports::region_id,
            score_reports::period.desc(),
            score_reports::version.desc(),
        ))
        .select((
            score_reports::id,
            score_reports::provider_id,
            score_reports::region_id,
        ))
        .load(conn)?;
    let mut newest: Vec<(i64, i64)> = Vec::new();
    let mut last: Option<(i64, i64)> = None;
    for (id, provider, region) in reports {
        if last != Some((provider, region)) {
            newest.push((id, provider));
            last = Some((provider, region));
        }
    }
    diesel::delete(published_scores::table).execute(conn)?;
    let mut written = 0;
    for chunk in newest.chunks(5000) {
        let owner: std::collections::HashMap<i64, i64> = chunk.iter().copied().collect();
        let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        let list: Vec<(i64, i64, String, Option<f64>, i32)> = scores::table
            .filter(scores::report_id.eq_any(&ids))
            .select((
                scores::report_id,
                scores::profile_id,
                scores::indicator,
                scores::value,
                scores::n,
            ))
            .load(conn)?;
        let rows: Vec<_> = list
            .iter()
            .filter_map(|(report, profile, indicator, value, n)| {
                Some((
                    published_scores::provider_id.eq(*owner.get(report)?),
                    published_scores::profile_id.eq(*profile),
                    published_scores::indicator.eq(indicator.as_str()),
                    published_scores::value.eq(*value),
                    published_scores::n.eq(*n),
                ))
            })
            .collect();
        for part in rows.chunks(5000) {
            written += crate::batch_insert!(&mut *conn, published_scores::table, part)?;
        }
    }
    crate::catalogue::cache::bump(conn)?;
    Ok(written)
}

/// How many reports are in one of these statuses, for one provider or one region (or all).
pub fn count(
    conn: &mut DbConnection,
    provider_id: Option<i64>,
    region_id: Option<i64>,
    statuses: &[&str],
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

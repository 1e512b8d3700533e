//! Score reports: each quarter the computed scores of a provider in a region form a report.
//! The provider sees it first and explains its numbers per profile; it submits; a contract
//! manager of the region publishes it or returns it with a comment. A published version is
//! never changed: a correction is a new version with a reason.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
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
    for set in &sets {
        let profile = set.profile_id;
        for (indicator, f) in set.counted() {
            let key = (profile, indicator.to_owned());
            diesel::insert_into(scores::table)
                .values((
                    scores::report_id.eq(report.id),
                    scores::profile_id.eq(profile),
                    scores::indicator.eq(indicator),
                    scores::n.eq(f.n),
                    scores::hits.eq(f.hits),
                    scores::value.eq(f.value),
                    scores::interval_low.eq(f.interval.map(|i| i.0)),
                    scores::interval_high.eq(f.interval.map(|i| i.1)),
                    scores::extra.eq(f.extra),
                    scores::average.eq(averages.get(&key).copied()),
                    scores::explanation.eq(kept.get(&key).map_or("", String::as_str)),
                    scores::source.eq(sources.get(&profile).map_or("aanbieder", String::as_str)),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
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

/// A report a contract manager may review: of its own region, and submitted or published.
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
    if report.status == CONCEPT || report.status == RETURNED {
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

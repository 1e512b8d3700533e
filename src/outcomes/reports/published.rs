//! What the public reads (the newest published version per region) and the read model the
//! catalogue sorts on, refreshed per provider or rebuilt in bulk; past reports stored in bulk.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{computed_scores, published_scores, score_reports, scores, trajectories};
use crate::outcomes::compute::{Quarter, ScoreSet};

use super::{PUBLISHED, REPORT_SPAN, Report, Score, score_rows};
use crate::domain::indicator::{Comparison, Indicator};

/// Per region, the report shown and its scores.
pub type Published = Vec<(Report, Vec<Score>)>;

/// The published scores shown to the public for a provider: per region, the newest published
/// version of the newest published quarter.
pub fn published(conn: &mut DbConnection, provider_id: i64) -> QueryResult<Published> {
    Ok(published_of(conn, &[provider_id])?
        .remove(&provider_id)
        .unwrap_or_default())
}

/// [`published`] for several providers at once, in two statements whatever their number:
/// the comparison and the provider page read this on a cache miss.
pub fn published_of(
    conn: &mut DbConnection,
    provider_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, Published>> {
    let reports: Vec<Report> = score_reports::table
        .filter(score_reports::provider_id.eq_any(provider_ids))
        .filter(score_reports::status.eq(PUBLISHED))
        .order((
            score_reports::provider_id,
            score_reports::region_id,
            score_reports::period.desc(),
            score_reports::version.desc(),
        ))
        .select(Report::as_select())
        .load(conn)?;
    let mut newest: Vec<Report> = Vec::new();
    for report in reports {
        if newest.last().is_some_and(|r: &Report| {
            r.provider_id == report.provider_id && r.region_id == report.region_id
        }) {
            continue;
        }
        newest.push(report);
    }
    let ids: Vec<i64> = newest.iter().map(|r| r.id).collect();
    let mut scores_by_report: std::collections::HashMap<i64, Vec<Score>> =
        std::collections::HashMap::new();
    if !ids.is_empty() {
        for score in scores::table
            .filter(scores::report_id.eq_any(&ids))
            .order((scores::report_id, scores::profile_id, scores::indicator))
            .select(Score::as_select())
            .load::<Score>(conn)?
        {
            scores_by_report
                .entry(score.report_id)
                .or_default()
                .push(score);
        }
    }
    let mut out: std::collections::HashMap<i64, Published> = std::collections::HashMap::new();
    for report in newest {
        let list = scores_by_report.remove(&report.id).unwrap_or_default();
        out.entry(report.provider_id)
            .or_default()
            .push((report, list));
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
                    published_scores::shrunk_value.eq(s.shrunk_value),
                    published_scores::comparison.eq(s.comparison),
                ))
                .execute(conn)?;
        }
    }
    // Searches sorted on results read these.
    crate::read_model::scores_changed(conn)
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
pub(super) struct NewReport<'a> {
    pub(super) provider_id: i64,
    pub(super) region_id: i64,
    pub(super) period: &'a str,
    pub(super) version: i32,
    pub(super) status: super::ReportStatus,
    pub(super) published_at: Option<NaiveDateTime>,
    pub(super) created_at: NaiveDateTime,
    pub(super) comment: &'static str,
    pub(super) correction_reason: &'static str,
    pub(super) submitted_at: Option<NaiveDateTime>,
    pub(super) decided_by: Option<i64>,
    pub(super) reference_snapshot_id: Option<i64>,
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

pub(super) fn store_past_quarter(
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
    let averages = crate::outcomes::compute::averages_of(&sets);
    let funnels = crate::outcomes::fair::Funnels::of(&sets);
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
    let kept_reference = super::reference::keep(conn, region_id)?;
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
            reference_snapshot_id: Some(kept_reference),
        })
        .collect();
    crate::bulk_insert!(&mut *conn, score_reports::table, &rows)?;
    let ids: BTreeMap<i64, i64> = score_reports::table
        .filter(score_reports::region_id.eq(region_id))
        .filter(score_reports::period.eq(&period))
        .filter(score_reports::version.eq(1))
        .select((score_reports::provider_id, score_reports::id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let none = BTreeMap::new();
    let mut explanations: Vec<BTreeMap<(i64, Indicator), String>> = Vec::with_capacity(kept.len());
    for r in &kept {
        let mut per_indicator = BTreeMap::new();
        for (profile, text) in &r.explanations {
            for indicator in crate::outcomes::compute::INDICATORS {
                per_indicator.insert((*profile, indicator), text.clone());
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
        score_list.extend(score_rows(*id, sets, &averages, &funnels, explained, from));
    }
    crate::bulk_insert!(&mut *conn, scores::table, &score_list)?;
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
        #[allow(clippy::type_complexity)]
        let list: Vec<(
            i64,
            i64,
            String,
            Option<f64>,
            i32,
            Option<f64>,
            Option<Comparison>,
        )> = scores::table
            .filter(scores::report_id.eq_any(&ids))
            .select((
                scores::report_id,
                scores::profile_id,
                scores::indicator,
                scores::value,
                scores::n,
                scores::shrunk_value,
                scores::comparison,
            ))
            .load(conn)?;
        let rows: Vec<_> = list
            .iter()
            .filter_map(
                |(report, profile, indicator, value, n, shrunk, comparison)| {
                    Some((
                        published_scores::provider_id.eq(*owner.get(report)?),
                        published_scores::profile_id.eq(*profile),
                        published_scores::indicator.eq(indicator),
                        published_scores::value.eq(*value),
                        published_scores::n.eq(*n),
                        published_scores::shrunk_value.eq(*shrunk),
                        published_scores::comparison.eq(*comparison),
                    ))
                },
            )
            .collect();
        written += crate::batch_insert!(&mut *conn, published_scores::table, &rows)?;
    }
    crate::read_model::scores_changed(conn)?;
    Ok(written)
}

//! Turning trajectories into `computed_scores`. A recomputation reads the trajectories of one
//! provider and profile at a time, so an upload recomputes only what it touched, and a full
//! recomputation is the same work for every pair.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::indicators::{self, Ended, GoalResult, MeanScore, Proportion};
pub use super::quarter::Quarter;
pub use super::recompute::{
    recompute_all, recompute_all_pipelined, recompute_client, recompute_profiles,
};
use crate::db::DbConnection;
use crate::db::schema::{computed_scores, trajectories};
use crate::domain::indicator::Indicator;

pub const INDICATORS: [Indicator; 4] = Indicator::EVERY;

#[derive(Queryable)]
pub(super) struct Row {
    pub(super) client_key: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    end_reason: Option<i32>,
    goal_result: GoalResult,
    satisfaction: Option<i32>,
}

fn from_proportion(p: Proportion, extra: Option<f64>) -> Figures {
    Figures {
        n: i32::try_from(p.n).unwrap_or(i32::MAX),
        hits: i32::try_from(p.hits).unwrap_or(i32::MAX),
        value: p.value(),
        interval: p.interval(),
        extra: extra.filter(|_| p.shown()),
    }
}

/// Every indicator over the trajectories that ended between `from` and `to` (inclusive), in
/// the order of [`INDICATORS`].
fn indicators_between(
    rows: &[Row],
    returned: &[bool],
    from: NaiveDate,
    to: NaiveDate,
) -> [Figures; 4] {
    let in_window: Vec<&Row> = rows
        .iter()
        .filter(|r| r.end_date.is_some_and(|e| e >= from && e <= to))
        .collect();
    let returns = rows
        .iter()
        .zip(returned)
        .filter(|(r, back)| **back && r.end_date.is_some_and(|e| e >= from && e <= to))
        .count();
    let ended: Vec<Ended<'_>> = in_window
        .iter()
        .map(|r| Ended {
            client_key: &r.client_key,
            end_date: r.end_date.unwrap_or(from),
            cbs_reason: u8::try_from(r.end_reason.unwrap_or(0)).unwrap_or(0),
            goal: r.goal_result,
        })
        .collect();
    let (fully, partly) = indicators::doelrealisatie(&ended);
    let scores: Vec<u8> = in_window
        .iter()
        .filter_map(|r| r.satisfaction.and_then(|s| u8::try_from(s).ok()))
        .collect();
    let satisfaction = MeanScore::from_scores(&scores);
    [
        from_proportion(fully, partly.value()),
        from_proportion(indicators::uitval(&ended), None),
        from_proportion(
            Proportion::new(
                u32::try_from(returns).unwrap_or(u32::MAX),
                u32::try_from(ended.len()).unwrap_or(u32::MAX),
            ),
            None,
        ),
        Figures {
            n: i32::try_from(satisfaction.n).unwrap_or(i32::MAX),
            hits: i32::try_from(satisfaction.seven_or_more.hits).unwrap_or(i32::MAX),
            value: satisfaction.value(),
            interval: satisfaction.interval(),
            extra: satisfaction
                .seven_or_more
                .value()
                .filter(|_| satisfaction.shown()),
        },
    ]
}

/// For every trajectory: did the same client start youth care again within the return
/// window after its end? `starts` gives the sorted start dates the client could return to
/// (see [`indicators::terugval`] for which). The same rule as the definition, in
/// O(n log n) instead of O(n²).
fn returned_flags<'a>(rows: &[Row], starts: impl Fn(&str) -> Option<&'a [NaiveDate]>) -> Vec<bool> {
    rows.iter()
        .map(|r| {
            let (Some(end), Some(list)) = (r.end_date, starts(&r.client_key)) else {
                return false;
            };
            let first_after = list.partition_point(|s| *s <= end);
            list.get(first_after).is_some_and(|s| {
                *s <= end + chrono::TimeDelta::days(indicators::RETURN_WINDOW_DAYS)
            })
        })
        .collect()
}

/// The start dates of the municipality's pseudonyms per region, sorted: a client of the
/// municipality who returns to any provider in the region counts as terugval.
#[derive(Debug, Default)]
pub(super) struct RegionStarts(HashMap<i64, HashMap<String, Vec<NaiveDate>>>);

impl RegionStarts {
    pub(super) fn new(rows: impl IntoIterator<Item = (i64, String, NaiveDate)>) -> RegionStarts {
        let mut map: HashMap<i64, HashMap<String, Vec<NaiveDate>>> = HashMap::new();
        for (region, key, start) in rows {
            map.entry(region)
                .or_default()
                .entry(key)
                .or_default()
                .push(start);
        }
        for list in map.values_mut().flat_map(HashMap::values_mut) {
            list.sort_unstable();
        }
        RegionStarts(map)
    }

    fn get(&self, region: i64, key: &str) -> Option<&[NaiveDate]> {
        self.0.get(&region)?.get(key).map(Vec::as_slice)
    }
}

/// One indicator's stored figures. `n` = 0: nothing to count (no trajectory ended with a
/// known goal, no score given).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub n: i32,
    /// Dropouts, goals reached, returns, scores of 7 or more.
    pub hits: i32,
    /// The share of hits, or for satisfaction the mean score; None below the minimum n.
    pub value: Option<f64>,
    pub interval: Option<(f64, f64)>,
    /// Doelrealisatie: the share partly reached; satisfaction: the share scoring 7 or more.
    pub extra: Option<f64>,
}

/// A row of `computed_scores`: one provider, profile, period and span, the four indicators
/// side by side (a quarter of the rows one per indicator would need).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = computed_scores)]
// None is NULL, not DEFAULT: COPY has no DEFAULT, and SQLite would insert row by row.
#[diesel(treat_none_as_default_value = false)]
pub struct ScoreSet {
    pub provider_id: i64,
    pub region_id: i64,
    pub profile_id: i64,
    pub period: String,
    pub span: String,
    doel_n: i32,
    doel_hits: i32,
    doel_value: Option<f64>,
    doel_low: Option<f64>,
    doel_high: Option<f64>,
    doel_extra: Option<f64>,
    uitval_n: i32,
    uitval_hits: i32,
    uitval_value: Option<f64>,
    uitval_low: Option<f64>,
    uitval_high: Option<f64>,
    uitval_extra: Option<f64>,
    terugval_n: i32,
    terugval_hits: i32,
    terugval_value: Option<f64>,
    terugval_low: Option<f64>,
    terugval_high: Option<f64>,
    terugval_extra: Option<f64>,
    tevreden_n: i32,
    tevreden_hits: i32,
    tevreden_value: Option<f64>,
    tevreden_low: Option<f64>,
    tevreden_high: Option<f64>,
    tevreden_extra: Option<f64>,
    pub computed_at: chrono::NaiveDateTime,
}

impl ScoreSet {
    /// The four indicators' figures, in the order of [`INDICATORS`].
    pub fn all(&self) -> [Figures; 4] {
        let figures = |n, hits, value, low: Option<f64>, high, extra| Figures {
            n,
            hits,
            value,
            interval: low.zip(high),
            extra,
        };
        [
            figures(
                self.doel_n,
                self.doel_hits,
                self.doel_value,
                self.doel_low,
                self.doel_high,
                self.doel_extra,
            ),
            figures(
                self.uitval_n,
                self.uitval_hits,
                self.uitval_value,
                self.uitval_low,
                self.uitval_high,
                self.uitval_extra,
            ),
            figures(
                self.terugval_n,
                self.terugval_hits,
                self.terugval_value,
                self.terugval_low,
                self.terugval_high,
                self.terugval_extra,
            ),
            figures(
                self.tevreden_n,
                self.tevreden_hits,
                self.tevreden_value,
                self.tevreden_low,
                self.tevreden_high,
                self.tevreden_extra,
            ),
        ]
    }

    /// The figures of one indicator.
    pub fn get(&self, indicator: Indicator) -> Figures {
        let i = INDICATORS
            .iter()
            .position(|i| *i == indicator)
            .unwrap_or_default();
        self.all()[i]
    }

    /// The trajectories that ended in the window: the denominator of uitval.
    pub fn ended(&self) -> i32 {
        self.uitval_n
    }

    /// Every indicator with something counted, in the order of [`INDICATORS`].
    pub fn counted(&self) -> impl Iterator<Item = (Indicator, Figures)> {
        INDICATORS
            .into_iter()
            .zip(self.all())
            .filter(|(_, f)| f.n > 0)
    }

    fn new(
        key: (i64, i64, i64, String, &str),
        [doel, uitval, terugval, tevreden]: [Figures; 4],
        computed_at: chrono::NaiveDateTime,
    ) -> ScoreSet {
        let (provider_id, region_id, profile_id, period, span) = key;
        ScoreSet {
            provider_id,
            region_id,
            profile_id,
            period,
            span: span.to_owned(),
            doel_n: doel.n,
            doel_hits: doel.hits,
            doel_value: doel.value,
            doel_low: doel.interval.map(|i| i.0),
            doel_high: doel.interval.map(|i| i.1),
            doel_extra: doel.extra,
            uitval_n: uitval.n,
            uitval_hits: uitval.hits,
            uitval_value: uitval.value,
            uitval_low: uitval.interval.map(|i| i.0),
            uitval_high: uitval.interval.map(|i| i.1),
            uitval_extra: uitval.extra,
            terugval_n: terugval.n,
            terugval_hits: terugval.hits,
            terugval_value: terugval.value,
            terugval_low: terugval.interval.map(|i| i.0),
            terugval_high: terugval.interval.map(|i| i.1),
            terugval_extra: terugval.extra,
            tevreden_n: tevreden.n,
            tevreden_hits: tevreden.hits,
            tevreden_value: tevreden.value,
            tevreden_low: tevreden.interval.map(|i| i.0),
            tevreden_high: tevreden.interval.map(|i| i.1),
            tevreden_extra: tevreden.extra,
            computed_at,
        }
    }
}

/// The scores of one provider and profile for every quarter in which something ended (and
/// the three after it, which still hold it in their twelve months).
fn scores_for(
    (provider_id, region_id, profile_id): (i64, i64, i64),
    rows: &[Row],
    returned: &[bool],
    out: &mut Vec<ScoreSet>,
) {
    let mut quarters = BTreeSet::new();
    for end in rows.iter().filter_map(|r| r.end_date) {
        let mut q = Quarter::of(end);
        for _ in 0..4 {
            quarters.insert(q);
            q = Quarter::of(q.last_day().succ_opt().unwrap_or(q.last_day()));
        }
    }
    let today = crate::clock::today();
    let now = crate::clock::now();
    for quarter in quarters.into_iter().filter(|q| q.first_day() <= today) {
        // Only the twelve months up to each quarter's end: a single quarter holds too few
        // cases for most providers, and reports, dashboard and trends all use this window.
        for (span, from) in [("12m", quarter.twelve_months_start())] {
            let computed = indicators_between(rows, returned, from, quarter.last_day());
            if computed.iter().all(|f| f.n == 0) {
                continue;
            }
            out.push(ScoreSet::new(
                (provider_id, region_id, profile_id, quarter.code(), span),
                computed,
                now,
            ));
        }
    }
}

pub(super) fn write(conn: &mut DbConnection, rows: &[ScoreSet]) -> QueryResult<usize> {
    crate::bulk_insert_owned!(&mut *conn, computed_scores::table, rows)
}

pub(super) const ROW_COLUMNS: (
    trajectories::client_key,
    trajectories::start_date,
    trajectories::end_date,
    trajectories::end_reason,
    trajectories::goal_result,
    trajectories::satisfaction,
) = (
    trajectories::client_key,
    trajectories::start_date,
    trajectories::end_date,
    trajectories::end_reason,
    trajectories::goal_result,
    trajectories::satisfaction,
);

/// Computes the scores of rows ordered by provider and profile, one provider at a time
/// (terugval looks at all the provider's profiles), one profile at a time within it.
pub(super) fn scores_per_group(
    rows: impl IntoIterator<Item = (i64, i64, Row)>,
    regions: &HashMap<i64, i64>,
    region_starts: &RegionStarts,
) -> Vec<ScoreSet> {
    let mut out = Vec::new();
    let mut profiles: Vec<i64> = Vec::new();
    let mut group: Vec<Row> = Vec::new();
    let mut current: Option<i64> = None;
    for (provider, profile, row) in rows {
        if current.is_some_and(|c| c != provider) {
            provider_scores(
                current.unwrap_or_default(),
                (&profiles, &group),
                regions,
                region_starts,
                &mut out,
            );
            profiles.clear();
            group.clear();
        }
        current = Some(provider);
        profiles.push(profile);
        group.push(row);
    }
    if let Some(provider) = current {
        provider_scores(
            provider,
            (&profiles, &group),
            regions,
            region_starts,
            &mut out,
        );
    }
    out
}

/// The scores of one provider's rows, ordered by profile.
fn provider_scores(
    provider: i64,
    (profiles, rows): (&[i64], &[Row]),
    regions: &HashMap<i64, i64>,
    region_starts: &RegionStarts,
    out: &mut Vec<ScoreSet>,
) {
    let mut own: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for r in rows {
        own.entry(r.client_key.as_str())
            .or_default()
            .push(r.start_date);
    }
    for list in own.values_mut() {
        list.sort_unstable();
    }
    let mut first = 0;
    while first < rows.len() {
        let profile = profiles[first];
        let last = first
            + profiles[first..]
                .iter()
                .take_while(|p| **p == profile)
                .count();
        let region = regions.get(&profile).copied().unwrap_or(0);
        let group = &rows[first..last];
        let returned = returned_flags(group, |key| {
            if key.starts_with(super::records::MUNICIPAL_CLIENT_PREFIX) {
                region_starts.get(region, key)
            } else {
                own.get(key).map(Vec::as_slice)
            }
        });
        scores_for((provider, region, profile), group, &returned, out);
        first = last;
    }
}

/// The regional average per profile and indicator for one period and span: pooled over all
/// providers (hits ÷ n for proportions; for satisfaction the mean of the providers' means,
/// weighted by n).
pub fn regional_averages(
    conn: &mut DbConnection,
    region_id: i64,
    period: &str,
    span: &str,
) -> QueryResult<BTreeMap<(i64, Indicator), f64>> {
    Ok(averages_of(&region_sets(conn, region_id, period, span)?))
}

/// Every provider's score sets of one region, period and span: what the regional averages
/// and the funnels are taken over.
pub fn region_sets(
    conn: &mut DbConnection,
    region_id: i64,
    period: &str,
    span: &str,
) -> QueryResult<Vec<ScoreSet>> {
    computed_scores::table
        .filter(computed_scores::region_id.eq(region_id))
        .filter(computed_scores::period.eq(period))
        .filter(computed_scores::span.eq(span))
        .select(ScoreSet::as_select())
        .load(conn)
}

/// The pooled averages of these score sets (one region, period and span), as
/// [`regional_averages`] describes them.
pub fn averages_of(sets: &[ScoreSet]) -> BTreeMap<(i64, Indicator), f64> {
    let mut sums: BTreeMap<(i64, Indicator), (f64, f64)> = BTreeMap::new();
    for set in sets {
        for (indicator, f) in set.counted() {
            let entry = sums.entry((set.profile_id, indicator)).or_default();
            if indicator.is_mean() {
                // Providers below the minimum have no stored mean; they are left out.
                if let Some(mean) = f.value {
                    entry.0 += mean * f64::from(f.n);
                    entry.1 += f64::from(f.n);
                }
            } else {
                entry.0 += f64::from(f.hits);
                entry.1 += f64::from(f.n);
            }
        }
    }
    sums.into_iter()
        .filter(|(_, (_, n))| *n > 0.0)
        .map(|(k, (sum, n))| (k, sum / n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_terugval_agrees_with_the_definition() {
        let day = |n: i64| {
            NaiveDate::from_ymd_opt(2025, 1, 1).expect("date") + chrono::TimeDelta::days(n)
        };
        let mut rng = fastrand::Rng::with_seed(11);
        let rows: Vec<Row> = (0..400)
            .map(|i| {
                let start = day(rng.i64(0..900));
                let end = (i % 3 != 0).then(|| start + chrono::TimeDelta::days(rng.i64(1..300)));
                Row {
                    client_key: format!("k{}", rng.u32(0..60)),
                    start_date: start,
                    end_date: end,
                    end_reason: end.map(|_| 1),
                    goal_result: GoalResult::Behaald,
                    satisfaction: None,
                }
            })
            .collect();
        let mut own: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
        for r in &rows {
            own.entry(r.client_key.as_str())
                .or_default()
                .push(r.start_date);
        }
        own.values_mut().for_each(|l| l.sort_unstable());
        let flags = returned_flags(&rows, |k| own.get(k).map(Vec::as_slice));
        let starts: Vec<(&str, NaiveDate)> = rows
            .iter()
            .map(|r| (r.client_key.as_str(), r.start_date))
            .collect();
        for (row, flag) in rows.iter().zip(&flags) {
            let Some(end) = row.end_date else { continue };
            let one = [Ended {
                client_key: &row.client_key,
                end_date: end,
                cbs_reason: 1,
                goal: GoalResult::Behaald,
            }];
            assert_eq!(indicators::terugval(&one, &starts).hits == 1, *flag);
        }
    }
}

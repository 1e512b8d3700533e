//! Turning trajectories into `computed_scores`. A recomputation reads the trajectories of one
//! provider and profile at a time, so an upload recomputes only what it touched, and a full
//! recomputation is the same work for every pair.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::indicators::{self, GoalResult, Proportion};
#[cfg(test)]
use super::indicators::{Ended, MeanScore};
pub use super::quarter::Quarter;
pub use super::recompute::{
    ensure_scores, recompute_all, recompute_all_pipelined, recompute_client, recompute_profiles,
    recompute_providers,
};
pub use super::score_set::{Figures, ScoreSet};
use crate::db::DbConnection;
use crate::db::schema::{computed_scores, trajectories};
use crate::domain::hulpvraag::Kader;
use crate::domain::indicator::{Indicator, ProblemsSmaller, WithoutCare};

pub const INDICATORS: [Indicator; 6] = Indicator::EVERY;

#[derive(Queryable)]
pub(super) struct Row {
    pub(super) client_key: String,
    pub(super) start_date: NaiveDate,
    pub(super) end_date: Option<NaiveDate>,
    pub(super) end_reason: Option<i32>,
    pub(super) goal_result: GoalResult,
    pub(super) satisfaction: Option<i32>,
    // Read as flags (`row_columns`): a million texts to allocate and parse cost the
    // recomputation a fifth of its time.
    #[diesel(deserialize_as = super::tally::KaderFlag)]
    pub(super) kader: Kader,
    #[diesel(deserialize_as = super::tally::WithoutCareFlags)]
    pub(super) without_care: Option<WithoutCare>,
    #[diesel(deserialize_as = super::tally::ProblemsSmallerFlags)]
    pub(super) problems_smaller: Option<ProblemsSmaller>,
}

pub(super) fn from_proportion(p: Proportion, extra: Option<f64>) -> Figures {
    Figures {
        n: i32::try_from(p.n).unwrap_or(i32::MAX),
        hits: i32::try_from(p.hits).unwrap_or(i32::MAX),
        value: p.value(),
        interval: p.interval(),
        extra: extra.filter(|_| p.shown()),
        forced_n: 0,
        forced_sum: 0,
    }
}

pub(super) fn int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Every indicator over the trajectories that ended between `from` and `to` (inclusive), in
/// the order of [`INDICATORS`], each with the part of its cases in the gedwongen kader: one
/// pass over the rows ([`super::tally`]), the definitions' result without their allocations.
fn indicators_between(
    rows: &[Row],
    returned: &[bool],
    from: NaiveDate,
    to: NaiveDate,
) -> [Figures; 6] {
    let mut tally = super::tally::Tally::default();
    for (row, back) in rows.iter().zip(returned) {
        if row.end_date.is_some_and(|e| e >= from && e <= to) {
            tally.add(row, *back);
        }
    }
    tally.figures()
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

/// The columns a [`Row`] is read from: the kader as "is it gedwongen", each answer as "is it
/// the first" and "is it the middle one".
pub(super) type RowColumns = (
    trajectories::client_key,
    trajectories::start_date,
    trajectories::end_date,
    trajectories::end_reason,
    trajectories::goal_result,
    trajectories::satisfaction,
    diesel::dsl::Eq<trajectories::kader, Kader>,
    (
        diesel::dsl::Eq<trajectories::without_care, WithoutCare>,
        diesel::dsl::Eq<trajectories::without_care, WithoutCare>,
    ),
    (
        diesel::dsl::Eq<trajectories::problems_smaller, ProblemsSmaller>,
        diesel::dsl::Eq<trajectories::problems_smaller, ProblemsSmaller>,
    ),
);

pub(super) fn row_columns() -> RowColumns {
    (
        trajectories::client_key,
        trajectories::start_date,
        trajectories::end_date,
        trajectories::end_reason,
        trajectories::goal_result,
        trajectories::satisfaction,
        trajectories::kader.eq(Kader::Gedwongen),
        (
            trajectories::without_care.eq(WithoutCare::Ja),
            trajectories::without_care.eq(WithoutCare::LichtereHulp),
        ),
        (
            trajectories::problems_smaller.eq(ProblemsSmaller::Ja),
            trajectories::problems_smaller.eq(ProblemsSmaller::Deels),
        ),
    )
}

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
            if super::records::is_regional_key(key) {
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

/// [`indicators_between`] as the definitions in [`indicators`] say it, one indicator at a
/// time: what the one-pass tally is tested against.
#[cfg(test)]
mod definition {
    use super::*;

    /// Every indicator over the trajectories that ended between `from` and `to` (inclusive), in
    /// the order of [`INDICATORS`], each with the part of its cases in the gedwongen kader.
    pub(super) fn indicators_between_by_definition(
        rows: &[Row],
        returned: &[bool],
        from: NaiveDate,
        to: NaiveDate,
    ) -> [Figures; 6] {
        let window: Vec<(&Row, bool)> = rows
            .iter()
            .zip(returned.iter().copied())
            .filter(|(r, _)| r.end_date.is_some_and(|e| e >= from && e <= to))
            .collect();
        let mut all = figures_of(&window, from);
        let forced: Vec<(&Row, bool)> = window
            .iter()
            .copied()
            .filter(|(r, _)| r.kader == Kader::Gedwongen)
            .collect();
        let parts = if forced.is_empty() {
            [Figures::default(); 6]
        } else {
            figures_of(&forced, from)
        };
        for (total, part) in all.iter_mut().zip(parts) {
            total.forced_n = part.n;
            total.forced_sum = part.forced_sum;
        }
        all
    }

    /// The six indicators over these ended trajectories (with their return flags). Each
    /// figure's `forced_sum` holds its hits, or for satisfaction the sum of the scores: what the
    /// gedwongen part of a provider contributes ([`Figures::voluntary`]).
    pub(super) fn figures_of(window: &[(&Row, bool)], from: NaiveDate) -> [Figures; 6] {
        let returns = window.iter().filter(|(_, back)| *back).count();
        let ended: Vec<Ended<'_>> = window
            .iter()
            .map(|(r, _)| Ended {
                client_key: &r.client_key,
                end_date: r.end_date.unwrap_or(from),
                cbs_reason: u8::try_from(r.end_reason.unwrap_or(0)).unwrap_or(0),
                goal: r.goal_result,
            })
            .collect();
        let (fully, partly) = indicators::doelrealisatie(&ended);
        let (without, lighter) = indicators::answered(
            window.iter().map(|(r, _)| r.without_care),
            WithoutCare::Ja,
            WithoutCare::LichtereHulp,
        );
        let (smaller, partly_smaller) = indicators::answered(
            window.iter().map(|(r, _)| r.problems_smaller),
            ProblemsSmaller::Ja,
            ProblemsSmaller::Deels,
        );
        let scores: Vec<u8> = window
            .iter()
            .filter_map(|(r, _)| r.satisfaction.and_then(|s| u8::try_from(s).ok()))
            .collect();
        let satisfaction = MeanScore::from_scores(&scores);
        let mut figures = [
            from_proportion(fully, partly.value()),
            from_proportion(without, lighter.value()),
            from_proportion(smaller, partly_smaller.value()),
            from_proportion(indicators::uitval(&ended), None),
            from_proportion(
                Proportion::new(
                    u32::try_from(returns).unwrap_or(u32::MAX),
                    u32::try_from(ended.len()).unwrap_or(u32::MAX),
                ),
                None,
            ),
            Figures {
                n: int(scores.len()),
                hits: i32::try_from(satisfaction.seven_or_more.hits).unwrap_or(i32::MAX),
                value: satisfaction.value(),
                interval: satisfaction.interval(),
                extra: satisfaction
                    .seven_or_more
                    .value()
                    .filter(|_| satisfaction.shown()),
                forced_n: 0,
                forced_sum: 0,
            },
        ];
        for f in &mut figures[..5] {
            f.forced_sum = f.hits;
        }
        figures[5].forced_sum = int(scores.iter().map(|s| usize::from(*s)).sum());
        figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass tally gives exactly what the definitions give, window by window, on
    /// rows of every kind: ended or not, each goal result, answers or none, both kaders.
    #[test]
    fn the_tally_agrees_with_the_definitions() {
        let day = |n: i64| {
            NaiveDate::from_ymd_opt(2025, 1, 1).expect("date") + chrono::TimeDelta::days(n)
        };
        let mut rng = fastrand::Rng::with_seed(37);
        for _ in 0..50 {
            let rows: Vec<Row> = (0..rng.usize(0..80))
                .map(|i| {
                    let start = day(rng.i64(0..500));
                    let end =
                        (rng.u8(..4) > 0).then(|| start + chrono::TimeDelta::days(rng.i64(1..300)));
                    Row {
                        client_key: format!("k{i}"),
                        start_date: start,
                        end_date: end,
                        end_reason: end.map(|_| rng.i32(1..=5)),
                        goal_result: GoalResult::ALL[rng.usize(..GoalResult::ALL.len())],
                        satisfaction: (rng.bool()).then(|| rng.i32(1..=10)),
                        kader: Kader::ALL[rng.usize(..Kader::ALL.len())],
                        without_care: (rng.u8(..4) > 0).then(|| WithoutCare::ALL[rng.usize(..3)]),
                        problems_smaller: (rng.u8(..4) > 0)
                            .then(|| ProblemsSmaller::ALL[rng.usize(..3)]),
                    }
                })
                .collect();
            let returned: Vec<bool> = rows.iter().map(|_| rng.bool()).collect();
            let (from, to) = (day(100), day(465));
            assert_eq!(
                indicators_between(&rows, &returned, from, to),
                super::definition::indicators_between_by_definition(&rows, &returned, from, to)
            );
        }
    }

    /// Each figure keeps its gedwongen part; the vrijwillig-only value is the rest, and is
    /// shown only where both parts have at least ten cases.
    #[test]
    fn every_figure_keeps_its_gedwongen_part() {
        let end = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let row = |i: usize, kader: Kader, satisfaction: i32, reason: i32| Row {
            client_key: format!("k{i}"),
            start_date: end - chrono::TimeDelta::days(100),
            end_date: Some(end),
            end_reason: Some(reason),
            goal_result: GoalResult::Behaald,
            satisfaction: Some(satisfaction),
            kader,
            without_care: i.is_multiple_of(2).then_some(WithoutCare::Ja),
            problems_smaller: Some(match (kader, i % 3) {
                (Kader::Gedwongen, _) | (_, 0) => ProblemsSmaller::Deels,
                (_, 1) => ProblemsSmaller::Ja,
                _ => ProblemsSmaller::Nee,
            }),
        };
        // 12 vrijwillig (score 8, none stopped early), then 10 gedwongen (score 5, 4 stopped).
        let mut rows: Vec<Row> = (0..12).map(|i| row(i, Kader::Vrijwillig, 8, 1)).collect();
        rows.extend((12..22).map(|i| row(i, Kader::Gedwongen, 5, if i < 16 { 3 } else { 1 })));
        let returned = vec![false; rows.len()];
        let from = end - chrono::TimeDelta::days(365);
        let figures = indicators_between(&rows, &returned, from, end);
        let get = |i: Indicator| figures[INDICATORS.iter().position(|x| *x == i).unwrap_or(0)];
        let uitval = get(Indicator::Uitval);
        assert_eq!(
            (uitval.n, uitval.hits, uitval.forced_n, uitval.forced_sum),
            (22, 4, 10, 4)
        );
        assert_eq!(uitval.voluntary(Indicator::Uitval), Some(0.0));
        assert_eq!(uitval.forced_share(), Some(10.0 / 22.0));
        let tevreden = get(Indicator::Clienttevredenheid);
        assert_eq!((tevreden.forced_n, tevreden.forced_sum), (10, 50));
        let voluntary = tevreden
            .voluntary(Indicator::Clienttevredenheid)
            .expect("both ≥ 10");
        assert!((voluntary - 8.0).abs() < 1e-9, "{voluntary}");
        // 3.1 answered by every other trajectory: 11, of which 5 gedwongen; too few for a
        // vrijwillig-only value.
        let without = get(Indicator::ZonderHulp);
        assert_eq!((without.n, without.hits, without.forced_n), (11, 11, 5));
        assert_eq!(without.voluntary(Indicator::ZonderHulp), None);
        // 3.3 answered by all 22: "ja" by 4 vrijwillig (i % 3 == 1), "deels" by the other 4 of
        // them with i % 3 == 0 and by all 10 gedwongen.
        let smaller = get(Indicator::ProblemenKleiner);
        assert_eq!(
            (
                smaller.n,
                smaller.hits,
                smaller.forced_n,
                smaller.forced_sum
            ),
            (22, 4, 10, 0)
        );
        assert_eq!(smaller.extra.map(|e| (e * 22.0).round()), Some(14.0));
        assert_eq!(
            smaller.voluntary(Indicator::ProblemenKleiner),
            Some(4.0 / 12.0)
        );
    }

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
                    kader: Kader::Vrijwillig,
                    without_care: None,
                    problems_smaller: None,
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

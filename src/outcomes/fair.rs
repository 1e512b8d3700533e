//! The fair comparison of a region's providers, per profile and indicator, from the computed
//! score sets of one region, period and span: the funnel of [`super::funnel`] built over
//! every provider there, and read for each provider's own value. The report's snapshot
//! stores the result with every score, so no page computes it.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::compute::{Figures, ScoreSet};
use super::funnel::{
    self, Comparison, Count, Funnel, Limits, Mean, MeanFunnel, proportion_limits, shrunk_proportion,
};
use super::indicators::t_critical;
use crate::db::DbConnection;
use crate::db::schema::{funnels, funnels_stale};
use crate::domain::indicator::Indicator;

/// One value read against its region's funnel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fair {
    pub target: f64,
    pub limits: Limits,
    pub tau2: f64,
    /// φ of the region's providers; `None` when there were too few to estimate it.
    pub phi: Option<f64>,
    pub shrunk: f64,
    pub comparison: Comparison,
}

#[derive(Debug, Clone, Copy)]
enum Group {
    Proportion(Funnel),
    Mean(MeanFunnel),
}

/// The funnels of one region, period and span, per profile and indicator.
#[derive(Debug, Default)]
pub struct Funnels(BTreeMap<(i64, Indicator), Group>);

fn count(f: &Figures) -> Count {
    Count {
        events: u32::try_from(f.hits).unwrap_or(0),
        n: u32::try_from(f.n).unwrap_or(0),
    }
}

/// A mean score's sample variance, from its stored t interval: the interval is
/// mean ± t·sd/√n, clamped to 1..10, so the wider side is the unclamped half.
fn mean_of(f: &Figures) -> Option<Mean> {
    let mean = f.value?;
    let (low, high) = f.interval?;
    let n = u32::try_from(f.n).ok().filter(|n| *n > 1)?;
    let half = (mean - low).max(high - mean);
    let sd = half * f64::from(n).sqrt() / t_critical(n - 1);
    Some(Mean {
        mean,
        variance: sd * sd,
        n,
    })
}

/// One stored funnel: what [`Funnels`] keeps of a region × profile × indicator × period ×
/// span, computed with the scores so that pages only read it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = funnels)]
#[diesel(treat_none_as_default_value = false)]
pub struct FunnelRow {
    pub region_id: i64,
    pub profile_id: i64,
    pub period: String,
    pub span: String,
    pub indicator: Indicator,
    pub target: Option<f64>,
    pub providers: i32,
    pub phi: Option<f64>,
    pub tau2: f64,
    pub pooled_variance: Option<f64>,
}

impl Funnels {
    /// The funnels over these score sets (all of one region, period and span).
    pub fn of<'a>(sets: impl IntoIterator<Item = &'a ScoreSet>) -> Funnels {
        let mut counts: BTreeMap<(i64, Indicator), Vec<Count>> = BTreeMap::new();
        let mut means: BTreeMap<(i64, Indicator), Vec<Mean>> = BTreeMap::new();
        for set in sets {
            for (indicator, f) in set.counted() {
                let key = (set.profile_id, indicator);
                if indicator.is_mean() {
                    means.entry(key).or_default().extend(mean_of(&f));
                } else {
                    counts.entry(key).or_default().push(count(&f));
                }
            }
        }
        let mut groups = BTreeMap::new();
        for (key, list) in counts {
            groups.insert(key, Group::Proportion(funnel::proportion_funnel(&list)));
        }
        for (key, list) in means {
            groups.insert(key, Group::Mean(funnel::mean_funnel(&list)));
        }
        Funnels(groups)
    }

    /// The rows to store for these funnels of one region, period and span.
    pub fn rows(&self, region_id: i64, period: &str, span: &str) -> Vec<FunnelRow> {
        self.0
            .iter()
            .map(|(&(profile_id, indicator), group)| {
                let (funnel, pooled_variance) = match group {
                    Group::Proportion(funnel) => (*funnel, None),
                    Group::Mean(mean) => (mean.funnel, Some(mean.pooled_variance)),
                };
                FunnelRow {
                    region_id,
                    profile_id,
                    period: period.to_owned(),
                    span: span.to_owned(),
                    indicator,
                    target: funnel.target,
                    providers: i32::try_from(funnel.providers).unwrap_or(i32::MAX),
                    phi: funnel.phi,
                    tau2: funnel.tau2,
                    pooled_variance,
                }
            })
            .collect()
    }

    /// The funnels back from their stored rows (of one region, period and span).
    pub fn from_rows(rows: impl IntoIterator<Item = FunnelRow>) -> Funnels {
        Funnels(
            rows.into_iter()
                .map(|row| {
                    let funnel = Funnel {
                        target: row.target,
                        providers: usize::try_from(row.providers).unwrap_or(0),
                        phi: row.phi,
                        tau2: row.tau2,
                    };
                    let group = match row.pooled_variance {
                        Some(pooled_variance) if row.indicator.is_mean() => {
                            Group::Mean(MeanFunnel {
                                funnel,
                                pooled_variance,
                            })
                        }
                        _ => Group::Proportion(funnel),
                    };
                    ((row.profile_id, row.indicator), group)
                })
                .collect(),
        )
    }

    /// The stored funnels of one region, period and span.
    pub fn load(
        conn: &mut DbConnection,
        region_id: i64,
        period: &str,
        span: &str,
    ) -> QueryResult<Funnels> {
        let rows: Vec<FunnelRow> = funnels::table
            .filter(funnels::region_id.eq(region_id))
            .filter(funnels::period.eq(period))
            .filter(funnels::span.eq(span))
            .select(FunnelRow::as_select())
            .load(conn)?;
        Ok(Funnels::from_rows(rows))
    }

    /// The funnel of one profile and indicator: target, φ, τ² and the number of providers.
    pub fn summary(&self, profile_id: i64, indicator: Indicator) -> Option<Funnel> {
        match self.0.get(&(profile_id, indicator))? {
            Group::Proportion(funnel) => Some(*funnel),
            Group::Mean(mean_funnel) => Some(mean_funnel.funnel),
        }
    }

    /// The limits at `n` cases: the funnel's curves, for drawing it.
    pub fn limits_at(&self, profile_id: i64, indicator: Indicator, n: u32) -> Option<Limits> {
        match self.0.get(&(profile_id, indicator))? {
            Group::Proportion(funnel) => proportion_limits(funnel, n),
            Group::Mean(mean_funnel) => mean_funnel.limits(n),
        }
    }

    /// The fair reading of one provider's figures; `None` below the minimum n or without a
    /// target (no provider in the region with enough cases).
    pub fn fair(&self, profile_id: i64, indicator: Indicator, f: &Figures) -> Option<Fair> {
        let value = f.value?;
        let n = u32::try_from(f.n).ok()?;
        let (target, limits, shrunk, funnel) = match self.0.get(&(profile_id, indicator))? {
            Group::Proportion(funnel) => (
                funnel.target?,
                proportion_limits(funnel, n)?,
                shrunk_proportion(funnel, count(f))?,
                *funnel,
            ),
            Group::Mean(mean_funnel) => {
                let own = mean_of(f)?;
                (
                    mean_funnel.funnel.target?,
                    mean_funnel.limits(n)?,
                    mean_funnel.shrunk(own)?,
                    mean_funnel.funnel,
                )
            }
        };
        Some(Fair {
            target,
            limits,
            tau2: funnel.tau2,
            phi: funnel.phi,
            shrunk,
            comparison: funnel::compare(value, &limits, indicator.higher_is_better()),
        })
    }
}

/// The funnel rows of these score sets, which may mix regions, periods and spans: each
/// region × period × span among them is taken whole.
pub fn funnel_rows<'a>(sets: impl IntoIterator<Item = &'a ScoreSet>) -> Vec<FunnelRow> {
    let mut sorted: Vec<&ScoreSet> = sets.into_iter().collect();
    let key = |s: &ScoreSet| (s.region_id, s.period.clone(), s.span.clone());
    sorted
        .sort_by(|a, b| (a.region_id, &a.period, &a.span).cmp(&(b.region_id, &b.period, &b.span)));
    sorted
        .chunk_by(|a, b| key(a) == key(b))
        .flat_map(|group| {
            let first = group[0];
            Funnels::of(group.iter().copied()).rows(first.region_id, &first.period, &first.span)
        })
        .collect()
}

/// The advisory lock every writer of the stored funnels holds (PostgreSQL; SQLite writes one
/// at a time anyway).
const FUNNELS_LOCK: &str = "funnels";

/// A region × profile pair marked as having a funnel older than its scores, with the
/// generation of the mark.
pub type StaleMark = (i64, i64, i64);

/// Marks the region × profile of each of these profiles: their scores changed, so their
/// funnels are to be recomputed ([`refresh_stale`]). Runs in the transaction that changed
/// the scores, as one statement (one round trip on PostgreSQL).
pub fn mark_stale(conn: &mut DbConnection, profile_ids: &[i64]) -> QueryResult<()> {
    if profile_ids.is_empty() {
        return Ok(());
    }
    use crate::db::schema::profiles;
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    // With the ids bound, PostgreSQL keeps the statement prepared (a text query was parsed
    // and planned for every upload); SQLite's `IN (?, …)` varies with the count, as before.
    // Written per backend: diesel's MultiBackend does not build an upsert from a select.
    macro_rules! upsert {
        ($conn:expr) => {
            diesel::insert_into(funnels_stale::table)
                .values(
                    profiles::table
                        .filter(profiles::id.eq_any(profile_ids))
                        .select((profiles::region_id, profiles::id, sql::<BigInt>("1"))),
                )
                .into_columns((
                    funnels_stale::region_id,
                    funnels_stale::profile_id,
                    funnels_stale::generation,
                ))
                .on_conflict((funnels_stale::region_id, funnels_stale::profile_id))
                .do_update()
                .set(funnels_stale::generation.eq(funnels_stale::generation + 1))
                .execute($conn)
        };
    }
    match conn {
        DbConnection::Postgresql(pg) => upsert!(pg)?,
        DbConnection::Sqlite(lite) => upsert!(lite)?,
    };
    Ok(())
}

/// Every marked pair with its generation: those marked since their last refresh.
pub fn stale_marks(conn: &mut DbConnection) -> QueryResult<Vec<StaleMark>> {
    funnels_stale::table
        .filter(funnels_stale::generation.gt(funnels_stale::done_generation))
        .order((funnels_stale::region_id, funnels_stale::profile_id))
        .select((
            funnels_stale::region_id,
            funnels_stale::profile_id,
            funnels_stale::generation,
        ))
        .load(conn)
}

/// Records a mark as done if it is still the one seen and nobody did it yet; false when the
/// pair was marked again since (its scores changed after they were read, so its funnel is to
/// be computed once more) or another node refreshed it. The row stays, so a pair's generation
/// only grows and a mark seen once is never mistaken for a newer one.
fn unmark(conn: &mut DbConnection, (region, profile, generation): StaleMark) -> QueryResult<bool> {
    let done = diesel::update(
        funnels_stale::table
            .filter(funnels_stale::region_id.eq(region))
            .filter(funnels_stale::profile_id.eq(profile))
            .filter(funnels_stale::generation.eq(generation))
            .filter(funnels_stale::done_generation.lt(generation)),
    )
    .set(funnels_stale::done_generation.eq(generation))
    .execute(conn)?;
    Ok(done == 1)
}

/// Recomputes the funnels of these marked pairs: each region's score sets of its marked
/// profiles are read in one statement (the region's index has no profile prefix, so one read
/// per pair would scan the region once per pair) and the funnels computed outside any
/// transaction, so that the write lock is held only to swap a pair's rows, and only while its
/// mark is still the one seen. Returns the number of pairs refreshed.
pub fn refresh_marked(conn: &mut DbConnection, marks: &[StaleMark]) -> QueryResult<usize> {
    use crate::db::schema::computed_scores;
    let mut by_region: BTreeMap<i64, Vec<StaleMark>> = BTreeMap::new();
    for &mark in marks {
        by_region.entry(mark.0).or_default().push(mark);
    }
    let mut refreshed = 0;
    for (region_id, marks) in by_region {
        let profile_ids: Vec<i64> = marks.iter().map(|&(_, profile, _)| profile).collect();
        // Read after the marks: a later change raises the generation, and the swap below
        // then leaves the mark for the next round.
        let mut by_profile: BTreeMap<i64, Vec<ScoreSet>> = BTreeMap::new();
        for set in computed_scores::table
            .filter(computed_scores::region_id.eq(region_id))
            .filter(computed_scores::profile_id.eq_any(&profile_ids))
            .select(ScoreSet::as_select())
            .load::<ScoreSet>(conn)?
        {
            by_profile.entry(set.profile_id).or_default().push(set);
        }
        for mark in marks {
            let sets = by_profile.remove(&mark.1).unwrap_or_default();
            refreshed += usize::from(swap_funnels(conn, mark, &funnel_rows(&sets))?);
        }
    }
    Ok(refreshed)
}

/// Replaces the stored funnels of a marked pair by these rows, if its mark is still the one
/// seen; false when it was marked again in between.
fn swap_funnels(conn: &mut DbConnection, mark: StaleMark, rows: &[FunnelRow]) -> QueryResult<bool> {
    let (region_id, profile_id, _) = mark;
    conn.write_transaction(|conn| {
        conn.serialise_on(FUNNELS_LOCK)?;
        if !unmark(conn, mark)? {
            return Ok(false);
        }
        diesel::delete(
            funnels::table
                .filter(funnels::region_id.eq(region_id))
                .filter(funnels::profile_id.eq(profile_id)),
        )
        .execute(conn)?;
        crate::bulk_insert!(&mut *conn, funnels::table, rows)?;
        QueryResult::Ok(true)
    })
}

/// Recomputes the funnels of every marked pair at once (the job runner waits for them to
/// settle first: [`Settling`]).
pub fn refresh_stale(conn: &mut DbConnection) -> QueryResult<usize> {
    let marks = stale_marks(conn)?;
    if marks.is_empty() {
        return Ok(0);
    }
    refresh_marked(conn, &marks)
}

/// Which marked pairs the job runner refreshes on a round: all of them once a round passed
/// without a new or raised mark (the uploads are over), and otherwise those that have waited
/// `longest` (under a steady stream of uploads; a pair marked again after its refresh waits
/// anew, so a refresh comes at most every `longest` while its scores keep changing).
/// Nothing is lost here: the marks are read from the database every round. A funnel read while uploads still change its region's
/// scores is work done twice (the swap finds the mark raised and leaves it, or the next
/// upload marks it again), and the read of a region's score sets competes with the uploads
/// for the cores, the disk and, on SQLite, the write lock.
#[derive(Debug)]
pub struct Settling {
    longest: std::time::Duration,
    /// Per waiting pair: the generation seen last round, and since when it waits.
    seen: std::collections::HashMap<(i64, i64), (i64, std::time::Instant)>,
}

impl Settling {
    pub fn new(longest: std::time::Duration) -> Self {
        Settling {
            longest,
            seen: std::collections::HashMap::new(),
        }
    }

    /// The marks to refresh now, from every mark there is at `now`; the others are kept in
    /// view for the next round.
    pub fn due(&mut self, marks: &[StaleMark], now: std::time::Instant) -> Vec<StaleMark> {
        // Quiet: no mark is new or raised since the last round. A mark that is gone was
        // refreshed (here, by another node or by a full recomputation): no reason to wait.
        let quiet = marks.iter().all(|&(region, profile, generation)| {
            self.seen
                .get(&(region, profile))
                .is_some_and(|&(seen, _)| seen == generation)
        });
        let mut due = Vec::new();
        let mut waiting = std::collections::HashMap::with_capacity(marks.len());
        for &(region, profile, generation) in marks {
            let since = self
                .seen
                .get(&(region, profile))
                .map_or(now, |&(_, since)| since);
            if quiet || now.duration_since(since) >= self.longest {
                due.push((region, profile, generation));
            } else {
                waiting.insert((region, profile), (generation, since));
            }
        }
        self.seen = waiting;
        due
    }
}

/// After a full recomputation stored every funnel: the marks seen before it started are done.
pub fn unmark_all(conn: &mut DbConnection, marks: &[StaleMark]) -> QueryResult<()> {
    for &mark in marks {
        unmark(conn, mark)?;
    }
    Ok(())
}

/// Stores the funnels a publication read the report against, for its region, period and
/// span: the contract manager's dashboard then reads the very target and verdict that were
/// published, also before the refresh job comes round (issue 34: one figure everywhere).
/// The pair's stale mark stays: other periods of it may still be due.
pub fn store_region_period(
    conn: &mut DbConnection,
    funnels: &Funnels,
    (region_id, period, span): (i64, &str, &str),
) -> QueryResult<usize> {
    // Two publications at once, or one beside the job's swap, would both insert the same
    // keys on PostgreSQL (read committed): every writer of `funnels` takes this lock.
    conn.serialise_on(FUNNELS_LOCK)?;
    diesel::delete(
        funnels::table
            .filter(funnels::region_id.eq(region_id))
            .filter(funnels::period.eq(period))
            .filter(funnels::span.eq(span)),
    )
    .execute(conn)?;
    crate::bulk_insert!(
        &mut *conn,
        funnels::table,
        &funnels.rows(region_id, period, span)
    )
}

/// Replaces every stored funnel by the funnels of these score sets (all there are).
pub fn store_all_funnels(conn: &mut DbConnection, sets: &[ScoreSet]) -> QueryResult<usize> {
    conn.serialise_on(FUNNELS_LOCK)?;
    diesel::delete(funnels::table).execute(conn)?;
    crate::bulk_insert!(&mut *conn, funnels::table, &funnel_rows(sets))
}

/// At start-up: a database whose scores were computed before the funnels were stored gets
/// them now, once.
pub fn ensure_funnels(conn: &mut DbConnection) -> QueryResult<()> {
    use crate::db::schema::computed_scores;
    let stored: i64 = funnels::table.count().get_result(conn)?;
    if stored > 0 {
        return Ok(());
    }
    let sets: Vec<ScoreSet> = computed_scores::table
        .select(ScoreSet::as_select())
        .load(conn)?;
    if !sets.is_empty() {
        store_all_funnels(conn, &sets)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcomes::indicators::MeanScore;

    /// The sd read back from a stored t interval is the sample sd the interval was made from,
    /// also when the interval is clamped at 10 on one side.
    #[test]
    fn a_mean_scores_spread_is_read_back_from_its_interval() {
        for scores in [
            vec![6u8, 7, 8, 9, 10, 10, 10, 10, 9, 8, 7, 10],
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ] {
            let score = MeanScore::from_scores(&scores);
            let figures = Figures {
                n: i32::try_from(score.n).unwrap_or(0),
                hits: 0,
                value: score.value(),
                interval: score.interval(),
                extra: None,
            };
            let mean = mean_of(&figures).expect("a mean");
            assert!((mean.variance.sqrt() - score.sd).abs() < 1e-9, "{scores:?}");
        }
    }

    /// A table of rounds one second apart: the marked pairs are refreshed the round after
    /// no mark changed, or one by one once they waited `longest` under a steady stream.
    #[test]
    fn marked_pairs_are_refreshed_once_the_marks_settle_or_they_waited_long_enough() {
        use std::time::{Duration, Instant};
        let start = Instant::now();
        let round = |k: u64| start + Duration::from_secs(k);
        let mut settling = Settling::new(Duration::from_secs(3));
        // (round, marks there are, marks due)
        let table: [(u64, Vec<StaleMark>, Vec<StaleMark>); 11] = [
            (0, vec![(1, 10, 1), (1, 11, 4)], vec![]),
            // 11 marked again: nothing settled, both wait.
            (1, vec![(1, 10, 1), (1, 11, 5)], vec![]),
            // A new pair is a change as well.
            (2, vec![(1, 10, 1), (1, 11, 5), (2, 10, 1)], vec![]),
            // 10 and 11 have waited 3 rounds; the new pair waits on while 11 is marked.
            (
                3,
                vec![(1, 10, 1), (1, 11, 6), (2, 10, 1)],
                vec![(1, 10, 1), (1, 11, 6)],
            ),
            // 11 marked again after its refresh (the swap left it): it waits anew.
            (4, vec![(1, 11, 7), (2, 10, 1)], vec![]),
            // Quiet: everything left is due.
            (
                5,
                vec![(1, 11, 7), (2, 10, 1)],
                vec![(1, 11, 7), (2, 10, 1)],
            ),
            (6, vec![], vec![]),
            (7, vec![(3, 12, 1)], vec![]),
            (8, vec![(3, 12, 1)], vec![(3, 12, 1)]),
            (9, vec![(4, 1, 1), (4, 2, 1)], vec![]),
            // (4, 1) was refreshed elsewhere: a mark that is gone does not break the quiet.
            (10, vec![(4, 2, 1)], vec![(4, 2, 1)]),
        ];
        for (k, marks, expected) in table {
            assert_eq!(settling.due(&marks, round(k)), expected, "round {k}");
        }
        assert!(
            settling.seen.is_empty(),
            "nothing is kept once no mark waits"
        );
    }
}

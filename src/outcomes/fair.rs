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

pub use super::funnel_inputs::{
    FUNNELS_MARKED, FunnelInputs, forget_changes, refresh_marked_keeping,
};
pub use super::kader::KaderSplit;
pub use super::settling::Settling;

/// One value read against its region's funnel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fair {
    /// The region's pooled value ([`super::indicators::REFERENCE_NAME`]).
    pub target: f64,
    /// What the region's providers reach with this provider's mix of vrijwillig and
    /// gedwongen cases: the region's value per kader, weighted by the provider's cases in
    /// each. Equal to the target at the region's own mix.
    pub expected: f64,
    /// The provider's value moved by the difference between target and expected: where it
    /// sits in the region's funnel once its kader mix is taken into account (the plot).
    pub adjusted: f64,
    /// The 95% and 99.8% limits at the provider's n, around `expected`.
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
pub struct Funnels(BTreeMap<(i64, Indicator), (Group, KaderSplit)>);

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
    pub target_voluntary: Option<f64>,
    pub target_forced: Option<f64>,
    pub forced_share: Option<f64>,
}

impl Funnels {
    /// The funnels over these score sets (all of one region, period and span), taken in the
    /// order of their providers' ids whatever order they come in: the sums then come out the
    /// same to the last bit however the sets were read (whole, or kept by [`FunnelInputs`]).
    pub fn of<'a>(sets: impl IntoIterator<Item = &'a ScoreSet>) -> Funnels {
        let mut sets: Vec<&ScoreSet> = sets.into_iter().collect();
        if !sets.is_sorted_by_key(|s| s.provider_id) {
            sets.sort_by_key(|s| s.provider_id);
        }
        let mut counts: BTreeMap<(i64, Indicator), Vec<Count>> = BTreeMap::new();
        let mut means: BTreeMap<(i64, Indicator), Vec<Mean>> = BTreeMap::new();
        let mut all: BTreeMap<(i64, Indicator), Vec<Figures>> = BTreeMap::new();
        for set in sets {
            for (indicator, f) in set.counted_for_funnels() {
                let key = (set.profile_id, indicator);
                all.entry(key).or_default().push(f);
                if indicator.is_mean() {
                    means.entry(key).or_default().extend(mean_of(&f));
                } else {
                    counts.entry(key).or_default().push(count(&f));
                }
            }
        }
        let split = |key: &(i64, Indicator)| {
            all.get(key)
                .map(|figures| KaderSplit::of(figures, key.1))
                .unwrap_or_default()
        };
        let mut groups = BTreeMap::new();
        for (key, list) in counts {
            let split = split(&key);
            let mut funnel = funnel::proportion_funnel(&list);
            if let Some(p0) = funnel.target.filter(|_| funnel.phi.is_some()) {
                let figures = all.get(&key).map_or(&[][..], Vec::as_slice);
                (funnel.phi, funnel.tau2) =
                    split.dispersion(figures, p0, |f| p0 * (1.0 - p0) / f64::from(f.n));
            }
            groups.insert(key, (Group::Proportion(funnel), split));
        }
        for (key, list) in means {
            let split = split(&key);
            let mut mean = funnel::mean_funnel(&list);
            if let Some(target) = mean.funnel.target.filter(|_| mean.funnel.phi.is_some()) {
                let figures = all.get(&key).map_or(&[][..], Vec::as_slice);
                let pooled = mean.pooled_variance;
                (mean.funnel.phi, mean.funnel.tau2) =
                    split.dispersion(figures, target, |f| pooled / f64::from(f.n));
            }
            groups.insert(key, (Group::Mean(mean), split));
        }
        Funnels(groups)
    }

    /// The rows to store for these funnels of one region, period and span.
    pub fn rows(&self, region_id: i64, period: &str, span: &str) -> Vec<FunnelRow> {
        self.0
            .iter()
            .map(|(&(profile_id, indicator), (group, split))| {
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
                    target_voluntary: split.voluntary,
                    target_forced: split.forced,
                    forced_share: split.forced_share,
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
                    let split = KaderSplit {
                        voluntary: row.target_voluntary,
                        forced: row.target_forced,
                        forced_share: row.forced_share,
                    };
                    ((row.profile_id, row.indicator), (group, split))
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
        match self.0.get(&(profile_id, indicator))?.0 {
            Group::Proportion(funnel) => Some(funnel),
            Group::Mean(mean_funnel) => Some(mean_funnel.funnel),
        }
    }

    /// The region's value per kader of one profile and indicator.
    pub fn kader(&self, profile_id: i64, indicator: Indicator) -> Option<KaderSplit> {
        self.0
            .get(&(profile_id, indicator))
            .map(|(_, split)| *split)
    }

    /// The limits at `n` cases: the funnel's curves, for drawing it.
    pub fn limits_at(&self, profile_id: i64, indicator: Indicator, n: u32) -> Option<Limits> {
        match &self.0.get(&(profile_id, indicator))?.0 {
            Group::Proportion(funnel) => proportion_limits(funnel, n),
            Group::Mean(mean_funnel) => mean_funnel.limits(n),
        }
    }

    /// The fair reading of one provider's figures; `None` below the minimum n or without a
    /// target (no provider in the region with enough cases). Like is compared with like: the
    /// limits (and so the verdict) are centred on the value expected at the provider's own
    /// mix of vrijwillig and gedwongen cases, with the width of the region's funnel. The
    /// shrunk value the catalogue sorts on stays pulled towards the region's target: with
    /// no spread beyond chance the list follows the figures families see, not the mix.
    pub fn fair(&self, profile_id: i64, indicator: Indicator, f: &Figures) -> Option<Fair> {
        let (_, split) = self.0.get(&(profile_id, indicator))?;
        self.fair_with(profile_id, indicator, f, split)
    }

    /// [`Funnels::fair`] for figures whose kader is not known (a report snapshot from before
    /// it was kept): read against the target itself.
    pub fn fair_at_target(
        &self,
        profile_id: i64,
        indicator: Indicator,
        f: &Figures,
    ) -> Option<Fair> {
        self.fair_with(profile_id, indicator, f, &KaderSplit::default())
    }

    fn fair_with(
        &self,
        profile_id: i64,
        indicator: Indicator,
        f: &Figures,
        split: &KaderSplit,
    ) -> Option<Fair> {
        let value = f.value?;
        let n = u32::try_from(f.n).ok()?;
        let (group, _) = self.0.get(&(profile_id, indicator))?;
        let centred = |funnel: &Funnel, expected: f64| Funnel {
            target: Some(expected),
            ..*funnel
        };
        let (target, expected, limits, shrunk, funnel) = match group {
            Group::Proportion(funnel) => {
                let target = funnel.target?;
                let expected = split.expected(target, f).clamp(0.0, 1.0);
                let own = centred(funnel, expected);
                (
                    target,
                    expected,
                    proportion_limits(&own, n)?,
                    shrunk_proportion(funnel, count(f))?,
                    *funnel,
                )
            }
            Group::Mean(mean_funnel) => {
                let target = mean_funnel.funnel.target?;
                let expected = split.expected(target, f);
                let own = MeanFunnel {
                    funnel: centred(&mean_funnel.funnel, expected),
                    pooled_variance: mean_funnel.pooled_variance,
                };
                (
                    target,
                    expected,
                    own.limits(n)?,
                    mean_funnel.shrunk(mean_of(f)?)?,
                    mean_funnel.funnel,
                )
            }
        };
        Some(Fair {
            target,
            expected,
            adjusted: value - expected + target,
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
    let key = |s: &'a ScoreSet| (s.region_id, s.period.as_str(), s.span.as_str());
    sorted.sort_unstable_by(|a, b| (key(a), a.provider_id).cmp(&(key(b), b.provider_id)));
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
pub(super) const FUNNELS_LOCK: &str = "funnels";

/// A region × profile pair marked as having a funnel older than its scores, with the
/// generation of the mark.
pub type StaleMark = (i64, i64, i64);

/// Marks the region × profile of each of these profiles: their scores changed, so their
/// funnels are to be recomputed ([`refresh_stale`]). Runs in the transaction that changed
/// the scores, as one statement (one round trip on PostgreSQL); with the provider whose
/// scores changed, when it is one ([`FunnelInputs`]). The job runner hears of it at commit.
pub fn mark_stale(
    conn: &mut DbConnection,
    profile_ids: &[i64],
    provider_id: Option<i64>,
) -> QueryResult<()> {
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
    if let Some(provider_id) = provider_id {
        super::funnel_inputs::log_change(conn, profile_ids, provider_id)?;
    }
    FUNNELS_MARKED.ring_after_commit();
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
pub(super) fn unmark(
    conn: &mut DbConnection,
    (region, profile, generation): StaleMark,
) -> QueryResult<bool> {
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

/// Recomputes the funnels of these marked pairs, reading their score sets whole
/// ([`refresh_marked_keeping`] with nothing kept). Returns the number of pairs refreshed.
pub fn refresh_marked(conn: &mut DbConnection, marks: &[StaleMark]) -> QueryResult<usize> {
    refresh_marked_keeping(conn, &mut FunnelInputs::with_limit(0), marks)
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

/// Recomputes now the funnels of these profiles' marked pairs: after a region's history was
/// loaded, so that its funnels are current when the command ends rather than on the job
/// runner's next round. Returns the number of pairs refreshed.
pub fn refresh_profiles(conn: &mut DbConnection, profile_ids: &[i64]) -> QueryResult<usize> {
    if profile_ids.is_empty() {
        return Ok(0);
    }
    let marks: Vec<StaleMark> = funnels_stale::table
        .filter(funnels_stale::generation.gt(funnels_stale::done_generation))
        .filter(funnels_stale::profile_id.eq_any(profile_ids))
        .order((funnels_stale::region_id, funnels_stale::profile_id))
        .select((
            funnels_stale::region_id,
            funnels_stale::profile_id,
            funnels_stale::generation,
        ))
        .load(conn)?;
    refresh_marked(conn, &marks)
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
                ..Figures::default()
            };
            let mean = mean_of(&figures).expect("a mean");
            assert!((mean.variance.sqrt() - score.sd).abs() < 1e-9, "{scores:?}");
        }
    }
}

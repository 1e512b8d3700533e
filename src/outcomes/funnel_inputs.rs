//! The refresh of marked funnels, and what a node keeps of the score sets it read for them
//! (issue 41). A pair's funnel is computed over every provider of its region, so a refresh
//! read all of the profile's score sets in the region: 0.3 s for the 14,000 sets of a profile
//! in a region of 3,300 providers, once per pair an upload touched. Each raise of a mark
//! that stands for one provider's new scores is logged with that provider
//! (`funnels_changes`), so a node that kept the pair's sets from its last refresh reads only
//! the providers changed since. A raise without a log row (a region's history, a full
//! recomputation: [`forget_changes`]) makes it read them all, as does a node that kept
//! nothing. Every funnel is computed from the sets in provider order, read whole or in part,
//! so both ways give the same figures.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;

use super::compute::ScoreSet;
use super::fair::{FUNNELS_LOCK, FunnelRow, Funnels, StaleMark, unmark};
use crate::db::schema::{computed_scores, funnels, funnels_changes, funnels_stale};
use crate::db::{CommitSignal, DbConnection};

/// Rung after every commit that marked a funnel: the job runner refreshes at once rather than
/// on its next round.
pub static FUNNELS_MARKED: CommitSignal = CommitSignal::new();

/// The most score sets a node keeps (about 420 bytes each, so some 170 MB at the limit): the
/// sets of the largest region of the scale demo (270,000 in 3,300 providers after a history of
/// a million trajectories) fit; beyond it the pairs refreshed longest ago are dropped and read
/// whole when next marked.
const KEEP_SETS: usize = 400_000;

/// The change rows kept per pair, counted in raises back from the generation last swapped in:
/// a node whose kept sets are fewer raises behind than this reads only what changed since.
const KEEP_GENERATIONS: i64 = 64;

/// One pair's score sets as this node last read them, per period and span and in each per
/// provider (the order [`super::fair::funnel_rows`] computes in), current at least as of `generation`
/// (later changes of a provider are read again when their raise is applied).
#[derive(Debug)]
struct Kept {
    region_id: i64,
    generation: i64,
    groups: BTreeMap<(String, String), BTreeMap<i64, ScoreSet>>,
    /// Each group's funnel rows as last computed, and the groups changed since.
    computed: BTreeMap<(String, String), Vec<FunnelRow>>,
    changed: BTreeSet<(String, String)>,
    sets: usize,
    used: u64,
}

impl Kept {
    fn of(region_id: i64, generation: i64, sets: Vec<ScoreSet>) -> Kept {
        let mut kept = Kept {
            region_id,
            generation,
            groups: BTreeMap::new(),
            computed: BTreeMap::new(),
            changed: BTreeSet::new(),
            sets: 0,
            used: 0,
        };
        kept.add(sets);
        kept
    }

    fn add(&mut self, sets: Vec<ScoreSet>) {
        for set in sets {
            let key = (set.period.clone(), set.span.clone());
            if !self.changed.contains(&key) {
                self.changed.insert(key.clone());
            }
            if self
                .groups
                .entry(key)
                .or_default()
                .insert(set.provider_id, set)
                .is_none()
            {
                self.sets += 1;
            }
        }
    }

    fn remove(&mut self, provider_id: i64) {
        for (key, group) in &mut self.groups {
            if group.remove(&provider_id).is_some() {
                self.sets -= 1;
                self.changed.insert(key.clone());
            }
        }
        self.groups.retain(|_, group| !group.is_empty());
    }

    /// What [`super::fair::funnel_rows`] gives over these sets, without sorting them again:
    /// the groups changed since the last call computed anew, the others as they were.
    fn rows(&mut self) -> Vec<FunnelRow> {
        for key in std::mem::take(&mut self.changed) {
            match self.groups.get(&key) {
                Some(group) => {
                    let rows = Funnels::of(group.values()).rows(self.region_id, &key.0, &key.1);
                    self.computed.insert(key, rows);
                }
                None => {
                    self.computed.remove(&key);
                }
            }
        }
        self.computed.values().flatten().cloned().collect()
    }
}

/// What one node keeps of the score sets of the pairs it refreshed (the job runner's).
#[derive(Debug)]
pub struct FunnelInputs {
    pairs: HashMap<(i64, i64), Kept>,
    limit: usize,
    clock: u64,
    whole_reads: usize,
}

impl Default for FunnelInputs {
    fn default() -> Self {
        FunnelInputs::new()
    }
}

impl FunnelInputs {
    pub fn new() -> FunnelInputs {
        FunnelInputs::with_limit(KEEP_SETS)
    }

    /// Keeping at most `limit` score sets (0: none, every refresh reads the sets whole).
    pub fn with_limit(limit: usize) -> FunnelInputs {
        FunnelInputs {
            pairs: HashMap::new(),
            limit,
            clock: 0,
            whole_reads: 0,
        }
    }

    /// How many pairs' sets were read whole so far.
    pub fn whole_reads(&self) -> usize {
        self.whole_reads
    }

    /// How many score sets are kept.
    pub fn kept(&self) -> usize {
        self.pairs.values().map(|k| k.sets).sum()
    }

    /// Brings a kept pair up to `generation` by reading again the sets of the providers whose
    /// raises since are logged; false (and the pair dropped) when a raise is not.
    fn catch_up(&mut self, conn: &mut DbConnection, mark: StaleMark) -> QueryResult<bool> {
        let (region, profile, generation) = mark;
        let Some(kept) = self.pairs.get(&(region, profile)) else {
            return Ok(false);
        };
        if kept.generation > generation {
            self.pairs.remove(&(region, profile));
            return Ok(false);
        }
        let since = kept.generation;
        if since == generation {
            return Ok(true);
        }
        let mut providers: Vec<i64> = funnels_changes::table
            .filter(funnels_changes::region_id.eq(region))
            .filter(funnels_changes::profile_id.eq(profile))
            .filter(funnels_changes::generation.gt(since))
            .filter(funnels_changes::generation.le(generation))
            .select(funnels_changes::provider_id)
            .load(conn)?;
        if i64::try_from(providers.len()).ok() != Some(generation - since) {
            self.pairs.remove(&(region, profile));
            return Ok(false);
        }
        providers.sort_unstable();
        providers.dedup();
        let fresh: Vec<ScoreSet> = computed_scores::table
            .filter(computed_scores::provider_id.eq_any(&providers))
            .filter(computed_scores::profile_id.eq(profile))
            .filter(computed_scores::region_id.eq(region))
            .select(ScoreSet::as_select())
            .load(conn)?;
        let Some(kept) = self.pairs.get_mut(&(region, profile)) else {
            return Ok(false);
        };
        for &provider in &providers {
            kept.remove(provider);
        }
        kept.add(fresh);
        kept.generation = generation;
        Ok(true)
    }

    /// Keeps these pairs' sets, then drops the pairs used longest ago while more are kept
    /// than the limit.
    fn keep(&mut self, pairs: Vec<((i64, i64), Kept)>) {
        for (key, mut kept) in pairs {
            self.clock += 1;
            kept.used = self.clock;
            self.pairs.insert(key, kept);
        }
        let mut total = self.kept();
        while total > self.limit {
            let Some(oldest) = self
                .pairs
                .iter()
                .min_by_key(|(_, k)| k.used)
                .map(|(key, _)| *key)
            else {
                break;
            };
            total -= self.pairs.remove(&oldest).map_or(0, |k| k.sets);
        }
    }
}

/// Records, in the transaction that raised the marks of these profiles, that the raise stands
/// for this provider's new scores ([`FunnelInputs`]); old rows of the pairs go.
pub(super) fn log_change(
    conn: &mut DbConnection,
    profile_ids: &[i64],
    provider_id: i64,
) -> QueryResult<()> {
    use diesel::sql_types::BigInt;
    macro_rules! log {
        ($conn:expr) => {
            diesel::insert_into(funnels_changes::table)
                .values(
                    funnels_stale::table
                        .filter(funnels_stale::profile_id.eq_any(profile_ids))
                        .select((
                            funnels_stale::region_id,
                            funnels_stale::profile_id,
                            funnels_stale::generation,
                            provider_id.into_sql::<BigInt>(),
                        )),
                )
                .into_columns((
                    funnels_changes::region_id,
                    funnels_changes::profile_id,
                    funnels_changes::generation,
                    funnels_changes::provider_id,
                ))
                .execute($conn)
        };
    }
    match conn {
        DbConnection::Postgresql(pg) => log!(pg)?,
        DbConnection::Sqlite(lite) => log!(lite)?,
    };
    Ok(())
}

/// After a full recomputation stored every funnel: no node's kept sets are current, so
/// every pair's generation moves on without a logged change (a done pair stays done), and
/// the log goes. Every pair is raised, the marked ones too: on PostgreSQL an upload may
/// commit a raise and its log row after the log was emptied, and a node that kept the pair
/// from before the recomputation must still find a raise without a row.
pub fn forget_changes(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::delete(funnels_changes::table).execute(conn)?;
    diesel::update(
        funnels_stale::table.filter(funnels_stale::generation.eq(funnels_stale::done_generation)),
    )
    .set((
        funnels_stale::generation.eq(funnels_stale::generation + 1),
        funnels_stale::done_generation.eq(funnels_stale::generation + 1),
    ))
    .execute(conn)?;
    // A pair still marked (or marked meanwhile: it was done above, so it is raised twice).
    diesel::update(
        funnels_stale::table.filter(funnels_stale::generation.gt(funnels_stale::done_generation)),
    )
    .set(funnels_stale::generation.eq(funnels_stale::generation + 1))
    .execute(conn)?;
    Ok(())
}

/// Recomputes the funnels of these marked pairs, reading whole only the pairs this node kept
/// nothing current of: each region's in one statement (the region's index has no profile
/// prefix, so one read per pair would scan the region once per pair). The funnels are
/// computed outside any transaction; the write lock is held only to swap the pairs' rows
/// (in one transaction), each only while its mark is still the one seen. Every marked pair's
/// sets are in memory at once during the round. Returns the number of pairs refreshed.
pub fn refresh_marked_keeping(
    conn: &mut DbConnection,
    inputs: &mut FunnelInputs,
    marks: &[StaleMark],
) -> QueryResult<usize> {
    let mut whole: BTreeMap<i64, Vec<StaleMark>> = BTreeMap::new();
    let mut ready = Vec::new();
    for &mark in marks {
        if inputs.catch_up(conn, mark)? {
            if let Some(kept) = inputs.pairs.remove(&(mark.0, mark.1)) {
                ready.push((mark, kept));
            }
        } else {
            inputs.whole_reads += 1;
            whole.entry(mark.0).or_default().push(mark);
        }
    }
    for (region_id, marks) in whole {
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
            ready.push((mark, Kept::of(region_id, mark.2, sets)));
        }
    }
    // The computing of the pairs is spread over the cores; the swaps follow in one
    // transaction (one commit, where one per pair cost more than computing them).
    let computed = compute_all(&mut ready);
    let refreshed = conn.write_transaction(|conn| {
        conn.serialise_on(FUNNELS_LOCK)?;
        let mut refreshed = 0;
        for ((mark, _), rows) in ready.iter().zip(&computed) {
            refreshed += usize::from(swap_funnels(conn, *mark, rows)?);
        }
        QueryResult::Ok(refreshed)
    })?;
    inputs.keep(
        ready
            .into_iter()
            .map(|((region, profile, _), kept)| ((region, profile), kept))
            .collect(),
    );
    Ok(refreshed)
}

/// The funnel rows of each pair, computed on every core.
fn compute_all(ready: &mut [(StaleMark, Kept)]) -> Vec<Vec<FunnelRow>> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if cores < 2 || ready.len() < 2 {
        return ready.iter_mut().map(|(_, kept)| kept.rows()).collect();
    }
    let per = ready.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let parts: Vec<_> = ready
            .chunks_mut(per)
            .map(|part| {
                scope.spawn(move || part.iter_mut().map(|(_, k)| k.rows()).collect::<Vec<_>>())
            })
            .collect();
        // Every pair's rows, in order: a part that panicked panics here too.
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// In the caller's transaction, holding [`FUNNELS_LOCK`]: replaces the stored funnels of a
/// marked pair by these rows, if its mark is still the one seen; false when it was marked
/// again in between. The pair's change rows older than [`KEEP_GENERATIONS`] go with it.
fn swap_funnels(conn: &mut DbConnection, mark: StaleMark, rows: &[FunnelRow]) -> QueryResult<bool> {
    let (region_id, profile_id, generation) = mark;
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
    diesel::delete(
        funnels_changes::table
            .filter(funnels_changes::region_id.eq(region_id))
            .filter(funnels_changes::profile_id.eq(profile_id))
            .filter(funnels_changes::generation.le(generation - KEEP_GENERATIONS)),
    )
    .execute(conn)?;
    Ok(true)
}

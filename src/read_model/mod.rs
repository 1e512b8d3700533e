//! The catalogue's read model, below every feature: `catalogue_entries` (one row per public
//! offer and municipality, and `providers.in_catalogue`) and the `catalogue_version` counter.
//! Every change that can alter what the public sees calls in to here in its own transaction:
//! a provider's status, an admission or an offer calls [`providers_changed`] for that
//! provider, publishing scores calls [`scores_changed`], a started care request or a family's
//! answer [`families_changed`]. The catalogue only reads it; the
//! search never joins admissions or providers, and a search result kept in a process is used
//! only while [`version`] is unchanged. It depends on the database and the domain only, so
//! the features that change the catalogue need not know the catalogue.

mod versioned;

pub use versioned::{Versioned, Weigh};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    admissions, catalogue_entries, catalogue_version, offer_municipalities, offers, providers,
};
use crate::domain::provider::{AdmissionStatus, ProviderStatus};

/// The current catalogue version.
pub fn version(conn: &mut DbConnection) -> QueryResult<i64> {
    catalogue_version::table
        .select(catalogue_version::version)
        .first(conn)
}

/// The catalogue version as this process last read it, so that a request served from the
/// process's caches needs no database round trip. It is read again when it is older than
/// the poll interval (another node's change shows within that time) and at once after this
/// process committed a write (its own change shows on the next request).
pub struct VersionWatch {
    poll: Duration,
    seen: Mutex<Option<Seen>>,
    /// Set while one request reads a version that is only older than the poll interval:
    /// the others use the last one read meanwhile instead of queueing on the pool.
    refreshing: Arc<AtomicBool>,
    /// `db::committed_writes`, or a fixed count in unit tests.
    writes: fn() -> u64,
    /// Taken by the requests that must read a new version (after a write of this process,
    /// or before the first read): one reads, the ones queued behind it use what it read.
    turn: tokio::sync::Mutex<()>,
}

#[derive(Clone, Copy)]
struct Seen {
    version: i64,
    at: Instant,
    /// `db::committed_writes()` just before the version was read.
    writes: u64,
    /// The newest version read after a write of this process (or the first read): a page
    /// of an older version never stands in for a newer one ([`VersionWatch::floor`]).
    floor: i64,
    /// When the version last rose.
    since: Instant,
}

/// How long after the version rose a page of the version before may stand in while the new
/// one is made: long enough for a node to make its pages again after another node's
/// publication, short enough that such a change shows within a few poll intervals however
/// busy the node is.
pub const STAND_IN_FOR: Duration = Duration::from_secs(2);

/// What a request does about the version: use the one known, or read it.
pub enum Lookup {
    Known(i64),
    /// The known version only aged: use it, and have it read again (with
    /// [`VersionWatch::read`], outside the request) while holding the claim, so that no
    /// other request reads it meanwhile.
    Refresh(i64, ReadClaim),
    /// Read it before going on: after a write of this node, or before any read. Carries the
    /// count of this node's raises the request saw: a read that began after it will do
    /// ([`VersionWatch::known_after`]).
    Read(u64),
}

/// The one read of a version that only aged past the poll interval; dropped after the read
/// (also when it failed or was abandoned), which lets the next one read.
pub struct ReadClaim(Arc<AtomicBool>);

impl Drop for ReadClaim {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl VersionWatch {
    /// A zero interval reads the version on every request.
    pub fn new(poll: Duration) -> Self {
        VersionWatch {
            poll,
            seen: Mutex::new(None),
            refreshing: Arc::new(AtomicBool::new(false)),
            writes: crate::db::committed_writes,
            turn: tokio::sync::Mutex::new(()),
        }
    }

    /// Waits for the turn to read a version that must be new: when the request before in
    /// line read one that counts (begun after the raises this one saw),
    /// [`VersionWatch::known_after`] has it and no read is needed. Held until the read is done, so that a burst of requests
    /// after a publication reads the version once instead of queueing on the pool.
    /// With a zero interval every request reads on its own (nothing is ever known). The
    /// caller bounds the wait: a read that hangs must not hold up everyone behind it.
    pub async fn turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        if self.poll.is_zero() {
            return None;
        }
        Some(self.turn.lock().await)
    }

    /// The version, when a read that began once this node had counted `writes` raises of
    /// its own is within the poll interval: what a request that saw that count may use,
    /// also when more raises followed meanwhile (it would not have seen them either).
    pub fn known_after(&self, writes: u64) -> Option<i64> {
        let seen = (*self.seen.lock().ok()?)?;
        (seen.writes >= writes && seen.at.elapsed() < self.poll).then_some(seen.version)
    }

    /// The version, when it was read within the poll interval and this process has
    /// committed no write since.
    pub fn known(&self) -> Option<i64> {
        // A read records the count before it, which never exceeds the count now.
        self.known_after((self.writes)())
    }

    /// Single flight for a version that only aged: one task reads it again, and every
    /// request meanwhile uses the one read last (another node's change shows a read's time
    /// later). After a write of this process, or before any read, or with a zero interval,
    /// the version is read before the page: its own change must show on the next page.
    pub fn lookup(&self) -> Lookup {
        let writes = (self.writes)();
        let Some(seen) = self.seen.lock().ok().and_then(|s| *s) else {
            return Lookup::Read(writes);
        };
        if seen.writes != writes || self.poll.is_zero() {
            return Lookup::Read(writes);
        }
        if seen.at.elapsed() < self.poll {
            return Lookup::Known(seen.version);
        }
        match self
            .refreshing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Lookup::Refresh(seen.version, ReadClaim(Arc::clone(&self.refreshing))),
            Err(_) => Lookup::Known(seen.version),
        }
    }

    /// The version: as known, or else read now.
    pub fn read(&self, conn: &mut DbConnection) -> QueryResult<i64> {
        if let Some(version) = self.known() {
            return Ok(version);
        }
        // Counted before reading: a write committed after this count but before the read
        // makes the count stale, so the next request reads again.
        let writes = (self.writes)();
        let version = version(conn)?;
        self.record(version, writes);
        Ok(version)
    }

    /// Records a version read after `writes` of this process's raises.
    fn record(&self, version: i64, writes: u64) {
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        // Read after a raise of this process (or first): it holds this process's own change.
        let own = seen.is_none_or(|old| old.writes != writes);
        let floor =
            seen.map_or(i64::MIN, |old| old.floor)
                .max(if own { version } else { i64::MIN });
        // A read that finishes after a newer one leaves the newer in place: versions only
        // rise, and a page kept under the newer must not be made from the older.
        let now = Instant::now();
        match seen.as_mut() {
            Some(old) if old.version > version => old.floor = floor,
            Some(old) => {
                let since = if version > old.version {
                    now
                } else {
                    old.since
                };
                *old = Seen {
                    version,
                    at: now,
                    writes,
                    floor,
                    since,
                };
            }
            None => {
                *seen = Some(Seen {
                    version,
                    at: now,
                    writes,
                    floor,
                    since: now,
                })
            }
        }
    }

    /// The oldest version whose pages may still be sent while the page of a newer version is
    /// made: the one read after this process's last write, so that its own change shows on
    /// every page at once; only another node's change may show a moment later, and only for
    /// [`STAND_IN_FOR`] after the version rose. `i64::MAX` (nothing stands in) before any
    /// read, after that time, and with a zero poll interval (every change shows at once).
    pub fn floor(&self) -> i64 {
        if self.poll.is_zero() {
            return i64::MAX;
        }
        self.seen
            .lock()
            .ok()
            .and_then(|s| *s)
            .filter(|seen| seen.since.elapsed() < STAND_IN_FOR)
            .map_or(i64::MAX, |seen| seen.floor)
    }
}

/// Raises the catalogue version; call in the transaction that changed what searches read
/// (published scores; [`providers_changed`] calls it itself).
pub fn scores_changed(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(catalogue_version::table)
        .set(catalogue_version::version.eq(catalogue_version::version + 1))
        .execute(conn)?;
    // Outside a transaction the new version is committed now; inside one the commit counts
    // again (`VersionWatch` reads the version anew after either).
    crate::db::committed();
    Ok(())
}

/// Raises the catalogue version for a change in what families' experience shows on the
/// provider page and the comparison: a care request that started (the waiting time) or a
/// family's answer (the experience). Call in the transaction that made it.
pub fn families_changed(conn: &mut DbConnection) -> QueryResult<()> {
    scores_changed(conn)
}

/// Marks the municipal monitors of these regions to be computed again; the job runner
/// computes each once for all the changes in between (`monitor::store::refresh_due`). Call
/// in the transaction that changed trajectories or hulpvragen.
pub fn monitor_changed(conn: &mut DbConnection, region_ids: &[i64]) -> QueryResult<()> {
    use crate::db::schema::monitor_stale;
    let mut regions = region_ids.to_vec();
    regions.sort_unstable();
    regions.dedup();
    for region in regions {
        macro_rules! upsert {
            ($conn:expr) => {
                diesel::insert_into(monitor_stale::table)
                    .values((
                        monitor_stale::region_id.eq(region),
                        monitor_stale::generation.eq(1),
                        monitor_stale::done_generation.eq(0),
                    ))
                    .on_conflict(monitor_stale::region_id)
                    .do_update()
                    .set(monitor_stale::generation.eq(monitor_stale::generation + 1))
                    .execute($conn)
            };
        }
        match conn {
            DbConnection::Postgresql(pg) => upsert!(pg)?,
            DbConnection::Sqlite(lite) => upsert!(lite)?,
        };
    }
    Ok(())
}

/// Brings the entries of these providers in line with their current offers and admissions.
pub fn providers_changed(conn: &mut DbConnection, provider_ids: &[i64]) -> QueryResult<()> {
    refresh_entries(conn, provider_ids)?;
    scores_changed(conn)
}

/// One catalogue entry: municipality, profile, intensity, provider (the key) and offer.
type Entry = (i64, i64, i64, i64, i64);

/// What [`refresh_entries`] wrote: entry rows inserted, updated and deleted, and providers
/// whose `in_catalogue` flag flipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    pub flags: usize,
}

/// Writes only the entries that differ from what the offers and admissions say (an offer
/// saved with a new waiting time changes none; one more municipality adds its rows): a
/// delete and re-insert of every row left dead rows behind on PostgreSQL with each save.
pub fn refresh_entries(conn: &mut DbConnection, provider_ids: &[i64]) -> QueryResult<Written> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut written = Written::default();
    for chunk in provider_ids.chunks(500) {
        let wanted: BTreeMap<(i64, i64, i64, i64), i64> = offers::table
            .inner_join(offer_municipalities::table)
            .inner_join(providers::table)
            .inner_join(
                admissions::table.on(admissions::provider_id
                    .eq(offers::provider_id)
                    .and(admissions::region_id.eq(offers::region_id))),
            )
            .filter(offers::provider_id.eq_any(chunk))
            .filter(providers::status.eq(ProviderStatus::Actief))
            .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
            .select((
                offer_municipalities::municipality_id,
                offers::profile_id,
                offers::intensity_id,
                offers::provider_id,
                offers::id,
            ))
            .load::<Entry>(conn)?
            .into_iter()
            .map(|(m, p, i, provider, offer)| ((m, p, i, provider), offer))
            .collect();
        let have: BTreeMap<(i64, i64, i64, i64), i64> = catalogue_entries::table
            .filter(catalogue_entries::provider_id.eq_any(chunk))
            .select((
                catalogue_entries::municipality_id,
                catalogue_entries::profile_id,
                catalogue_entries::intensity_id,
                catalogue_entries::provider_id,
                catalogue_entries::offer_id,
            ))
            .load::<Entry>(conn)?
            .into_iter()
            .map(|(m, p, i, provider, offer)| ((m, p, i, provider), offer))
            .collect();
        let listed: BTreeSet<i64> = wanted.keys().map(|k| k.3).collect();
        // A provider that leaves the catalogue: its rows in one statement.
        let leaving: Vec<i64> = chunk
            .iter()
            .copied()
            .filter(|p| !listed.contains(p))
            .collect();
        if !leaving.is_empty() {
            written.deleted += diesel::delete(
                catalogue_entries::table.filter(catalogue_entries::provider_id.eq_any(&leaving)),
            )
            .execute(conn)?;
        }
        for ((m, p, i, provider), _) in have
            .iter()
            .filter(|(k, _)| listed.contains(&k.3) && !wanted.contains_key(k))
        {
            written.deleted += diesel::delete(
                catalogue_entries::table
                    .filter(catalogue_entries::municipality_id.eq(m))
                    .filter(catalogue_entries::profile_id.eq(p))
                    .filter(catalogue_entries::intensity_id.eq(i))
                    .filter(catalogue_entries::provider_id.eq(provider)),
            )
            .execute(conn)?;
        }
        let mut new_rows = Vec::new();
        for (&(m, p, i, provider), &offer) in &wanted {
            match have.get(&(m, p, i, provider)) {
                None => new_rows.push((
                    catalogue_entries::municipality_id.eq(m),
                    catalogue_entries::profile_id.eq(p),
                    catalogue_entries::intensity_id.eq(i),
                    catalogue_entries::provider_id.eq(provider),
                    catalogue_entries::offer_id.eq(offer),
                )),
                Some(&old) if old != offer => {
                    written.updated += diesel::update(
                        catalogue_entries::table
                            .filter(catalogue_entries::municipality_id.eq(m))
                            .filter(catalogue_entries::profile_id.eq(p))
                            .filter(catalogue_entries::intensity_id.eq(i))
                            .filter(catalogue_entries::provider_id.eq(provider)),
                    )
                    .set(catalogue_entries::offer_id.eq(offer))
                    .execute(conn)?;
                }
                Some(_) => {}
            }
        }
        if !new_rows.is_empty() {
            written.inserted +=
                crate::batch_insert!(&mut *conn, catalogue_entries::table, &new_rows)?;
        }
        // The flag only where it changes.
        let listed: Vec<i64> = listed.into_iter().collect();
        written.flags += diesel::update(
            providers::table
                .filter(providers::id.eq_any(&listed))
                .filter(providers::in_catalogue.eq(false)),
        )
        .set(providers::in_catalogue.eq(true))
        .execute(conn)?;
        written.flags += diesel::update(
            providers::table
                .filter(providers::id.eq_any(chunk))
                .filter(providers::id.ne_all(&listed))
                .filter(providers::in_catalogue.eq(true)),
        )
        .set(providers::in_catalogue.eq(false))
        .execute(conn)?;
    }
    Ok(written)
}

/// Rebuilds every entry: for repairs, and to check that the incremental refreshes agree.
pub fn rebuild(conn: &mut DbConnection) -> QueryResult<()> {
    let ids: Vec<i64> = providers::table.select(providers::id).load(conn)?;
    diesel::delete(catalogue_entries::table).execute(conn)?;
    providers_changed(conn, &ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch_that_read(poll: Duration, version: i64, ago: Duration) -> VersionWatch {
        let mut watch = VersionWatch::new(poll);
        // Other unit tests commit writes meanwhile: this watch sees none.
        watch.writes = || 0;
        *watch.seen.lock().expect("lock") = Some(Seen {
            version,
            at: Instant::now() - ago,
            writes: 0,
            floor: version,
            since: Instant::now() - ago,
        });
        watch
    }

    /// Pages of older versions may stand in only for another node's change: the floor is
    /// the version read after this process's own write.
    #[test]
    fn the_floor_is_the_version_read_after_this_process_wrote() {
        let mut watch = VersionWatch::new(Duration::from_secs(1));
        watch.writes = || 0;
        assert_eq!(watch.floor(), i64::MAX, "nothing read: nothing stands in");
        watch.record(3, 0);
        assert_eq!(watch.floor(), 3, "the first read");
        watch.record(5, 0);
        assert_eq!(
            (watch.known(), watch.floor()),
            (Some(5), 3),
            "another node's change"
        );
        watch.record(6, 1);
        assert_eq!(watch.floor(), 6, "read after a write of this process");
        // A read begun before that write (an older count) that finishes after it.
        watch.record(5, 0);
        assert_eq!(
            (watch.known_after(1), watch.floor()),
            (Some(6), 6),
            "a late read lowers nothing"
        );
        watch.record(7, 2);
        assert_eq!(watch.floor(), 7, "the first read after the next write");
        watch.record(8, 2);
        assert_eq!(watch.floor(), 7, "another node's change again");
        // Only for a while after the version rose; never with a zero poll interval.
        if let Some(seen) = watch.seen.lock().expect("lock").as_mut() {
            seen.since = Instant::now() - STAND_IN_FOR;
        }
        assert_eq!(
            watch.floor(),
            i64::MAX,
            "too long: the new page is waited for"
        );
        watch.record(8, 2);
        assert_eq!(
            watch.floor(),
            i64::MAX,
            "the same version read again is no rise"
        );
        watch.record(9, 2);
        assert_eq!(watch.floor(), 7, "a rise again");
        let mut every_request = VersionWatch::new(Duration::ZERO);
        every_request.writes = || 0;
        every_request.record(3, 0);
        every_request.record(4, 0);
        assert_eq!(every_request.floor(), i64::MAX);
    }

    #[test]
    fn an_aged_version_is_read_again_once_while_every_request_uses_the_last() {
        let watch = watch_that_read(Duration::from_millis(250), 7, Duration::from_secs(1));
        let Lookup::Refresh(7, claim) = watch.lookup() else {
            panic!("the first request after the interval has the version read again");
        };
        for _ in 0..32 {
            assert!(
                matches!(watch.lookup(), Lookup::Known(7)),
                "the others do not queue for the same read"
            );
        }
        drop(claim);
        assert!(
            matches!(watch.lookup(), Lookup::Refresh(7, _)),
            "a read that is over (or failed) lets the next one read"
        );
    }

    #[test]
    fn a_read_begun_after_the_raises_a_request_saw_will_do_for_it() {
        let watch = watch_that_read(Duration::from_secs(60), 9, Duration::ZERO);
        if let Ok(mut seen) = watch.seen.lock()
            && let Some(seen) = seen.as_mut()
        {
            seen.writes = 5;
        }
        assert_eq!(watch.known_after(5), Some(9));
        assert_eq!(
            watch.known_after(4),
            Some(9),
            "more raises followed meanwhile"
        );
        assert_eq!(watch.known_after(6), None, "begun before a raise it saw");
    }

    #[test]
    fn a_fresh_version_is_used_and_a_zero_interval_always_reads() {
        let fresh = watch_that_read(Duration::from_secs(60), 3, Duration::ZERO);
        assert!(matches!(fresh.lookup(), Lookup::Known(3)));
        let zero = watch_that_read(Duration::ZERO, 3, Duration::ZERO);
        for _ in 0..3 {
            assert!(matches!(zero.lookup(), Lookup::Read(0)));
        }
        assert!(matches!(
            VersionWatch::new(Duration::from_secs(1)).lookup(),
            Lookup::Read(_)
        ));
    }
}

//! Recomputing the stored scores from the trajectories: one provider's profiles after an
//! upload, or everything (in chunks of providers, on one connection or pipelined over two).

use std::collections::BTreeSet;

use diesel::prelude::*;

use super::compute::{RegionStarts, Row, ScoreSet, row_columns, scores_per_group, write};
use super::records::{IJW_CLIENT_PREFIX, MUNICIPAL_CLIENT_PREFIX, is_regional_key};
use crate::db::DbConnection;
use crate::db::schema::{computed_scores, profiles, trajectories};

/// Recomputes a provider's scores (after an upload or a closing): one read, one delete and
/// one bulk insert. All its profiles, since a return in one profile is terugval in another;
/// `profile_ids` adds profiles that may have lost their last trajectory.
pub fn recompute_profiles(
    conn: &mut DbConnection,
    provider_id: i64,
    profile_ids: &BTreeSet<i64>,
) -> QueryResult<usize> {
    // Each trajectory carries its profile's region: no separate lookup.
    let rows: Vec<(i64, i64, Row)> = trajectories::table
        .filter(trajectories::provider_id.eq(provider_id))
        .order(trajectories::profile_id)
        .select((
            trajectories::profile_id,
            trajectories::region_id,
            row_columns(),
        ))
        .load(conn)?;
    let regions: std::collections::HashMap<i64, i64> = rows
        .iter()
        .map(|(profile, region, _)| (*profile, *region))
        .collect();
    let municipal: Vec<&str> = rows
        .iter()
        .map(|(_, _, row)| row.client_key.as_str())
        .filter(|key| is_regional_key(key))
        .collect();
    let region_starts = region_starts_of(conn, &municipal)?;
    let mut ids: BTreeSet<i64> = regions.keys().copied().collect();
    ids.extend(profile_ids);
    let ids: Vec<i64> = ids.into_iter().collect();
    diesel::delete(computed_scores::table.filter(computed_scores::provider_id.eq(provider_id)))
        .execute(conn)?;
    let out = scores_per_group(
        rows.into_iter()
            .map(|(profile, _, row)| (provider_id, profile, row)),
        &regions,
        &region_starts,
    );
    let written = write(conn, &out)?;
    // The funnels of these profiles (each in its region) are recomputed by the job runner,
    // once for all the uploads in between.
    super::fair::mark_stale(conn, &ids, Some(provider_id))?;
    // The monitor of every region whose profiles these are (also one left without trajectories).
    let region_ids: Vec<i64> = profiles::table
        .filter(profiles::id.eq_any(&ids))
        .select(profiles::region_id)
        .load(conn)?;
    crate::read_model::monitor_changed(conn, &region_ids)?;
    Ok(written)
}

/// After a trajectory of the municipality's client `key` was stored: recomputes the other
/// providers in the region with trajectories of that client, whose terugval it may change.
pub fn recompute_client(
    conn: &mut DbConnection,
    region_id: i64,
    key: &str,
    except_provider: i64,
) -> QueryResult<()> {
    let others: Vec<i64> = trajectories::table
        .filter(trajectories::region_id.eq(region_id))
        .filter(trajectories::client_key.eq(key))
        .filter(trajectories::provider_id.ne(except_provider))
        .select(trajectories::provider_id)
        .distinct()
        .load(conn)?;
    for provider in others {
        recompute_profiles(conn, provider, &BTreeSet::new())?;
    }
    Ok(())
}

/// Recomputes the scores of these providers (after a region's history was loaded), a chunk
/// of providers per read, on the caller's connection and in its transaction; marks the
/// funnels of every profile they have scores in, or had (`profile_ids`), and their regions'
/// monitors. Returns the number of scores written and the profiles marked.
pub fn recompute_providers(
    conn: &mut DbConnection,
    provider_ids: &[i64],
    profile_ids: &BTreeSet<i64>,
) -> QueryResult<(usize, Vec<i64>)> {
    let regions: Regions = profiles::table
        .select((profiles::id, profiles::region_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let region_starts = all_region_starts(conn)?;
    let mut touched = profile_ids.clone();
    let mut written = 0;
    for chunk in provider_ids.chunks(CHUNK) {
        let rows: Vec<(i64, i64, Row)> = trajectories::table
            .filter(trajectories::provider_id.eq_any(chunk))
            .order((trajectories::provider_id, trajectories::profile_id))
            .select((
                trajectories::provider_id,
                trajectories::profile_id,
                row_columns(),
            ))
            .load(conn)?;
        touched.extend(rows.iter().map(|(_, profile, _)| *profile));
        let out = scores_per_group(rows, &regions, &region_starts);
        diesel::delete(computed_scores::table.filter(computed_scores::provider_id.eq_any(chunk)))
            .execute(conn)?;
        written += write(conn, &out)?;
    }
    let touched: Vec<i64> = touched.into_iter().collect();
    super::fair::mark_stale(conn, &touched, None)?;
    let mut region_ids: Vec<i64> = touched
        .iter()
        .filter_map(|p| regions.get(p))
        .copied()
        .collect();
    region_ids.sort_unstable();
    region_ids.dedup();
    crate::read_model::monitor_changed(conn, &region_ids)?;
    Ok((written, touched))
}

/// The starts of these municipal client keys, in every region they occur.
fn region_starts_of(conn: &mut DbConnection, keys: &[&str]) -> QueryResult<RegionStarts> {
    let mut rows: Vec<(i64, String, chrono::NaiveDate)> = Vec::new();
    for chunk in keys.chunks(1000) {
        rows.extend(
            trajectories::table
                .filter(trajectories::client_key.eq_any(chunk))
                .select((
                    trajectories::region_id,
                    trajectories::client_key,
                    trajectories::start_date,
                ))
                .load::<(i64, String, chrono::NaiveDate)>(conn)?,
        );
    }
    Ok(RegionStarts::new(rows))
}

/// The starts of every municipal client key, for a full recomputation.
fn all_region_starts(conn: &mut DbConnection) -> QueryResult<RegionStarts> {
    let rows = trajectories::table
        .filter(
            trajectories::client_key
                .like(format!("{MUNICIPAL_CLIENT_PREFIX}%"))
                .or(trajectories::client_key.like(format!("{IJW_CLIENT_PREFIX}%"))),
        )
        .select((
            trajectories::region_id,
            trajectories::client_key,
            trajectories::start_date,
        ))
        .load::<(i64, String, chrono::NaiveDate)>(conn)?;
    Ok(RegionStarts::new(rows))
}

/// Providers per chunk of a full recomputation.
const CHUNK: usize = 250;

/// The trajectories of providers `first..=last`, ordered by provider and profile, and their
/// score sets.
fn chunk_scores(
    conn: &mut DbConnection,
    (first, last): (i64, i64),
    (regions, region_starts): (&Regions, &RegionStarts),
) -> QueryResult<Vec<ScoreSet>> {
    let rows: Vec<(i64, i64, Row)> = trajectories::table
        .filter(trajectories::provider_id.between(first, last))
        .order((trajectories::provider_id, trajectories::profile_id))
        .select((
            trajectories::provider_id,
            trajectories::profile_id,
            row_columns(),
        ))
        .load(conn)?;
    Ok(scores_per_group(rows, regions, region_starts))
}

/// Each profile's region.
type Regions = std::collections::HashMap<i64, i64>;
/// What every chunk reads beside its trajectories: the regions and the municipal starts.
type Known = (Regions, RegionStarts);

/// What a full recomputation starts from: every provider with trajectories, in chunks of
/// (first, last) provider id, each profile's region, and the municipal clients' starts.
fn chunks_and_regions(conn: &mut DbConnection) -> QueryResult<(Vec<(i64, i64)>, Known)> {
    let provider_ids: Vec<i64> = trajectories::table
        .select(trajectories::provider_id)
        .distinct()
        .order(trajectories::provider_id)
        .load(conn)?;
    let regions = profiles::table
        .select((profiles::id, profiles::region_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let chunks = provider_ids
        .chunks(CHUNK)
        .map(|c| (c[0], c[c.len() - 1]))
        .collect();
    Ok((chunks, (regions, all_region_starts(conn)?)))
}

/// At start-up: the full recomputation a migration asked for (`score_recomputations`), once
/// for all nodes: in one transaction with the request's removal, so a start that is
/// stopped half-way leaves it asked for, and serialised, so a second node starting at the
/// same time finds it done.
pub fn ensure_scores(conn: &mut DbConnection) -> QueryResult<()> {
    use crate::db::schema::score_recomputations;
    conn.write_transaction(|conn| {
        conn.serialise_on("ensure_scores")?;
        let asked: i64 = score_recomputations::table.count().get_result(conn)?;
        if asked > 0 {
            recompute_all(conn)?;
            diesel::delete(score_recomputations::table).execute(conn)?;
        }
        Ok(())
    })
}

/// Recomputes everything on one connection, a few hundred providers per transaction (or
/// savepoint, inside the caller's transaction); returns the number of scores written.
pub fn recompute_all(conn: &mut DbConnection) -> QueryResult<usize> {
    let (chunks, (regions, region_starts)) = chunks_and_regions(conn)?;
    // Marks of earlier uploads: the funnels stored at the end cover them.
    let marks = super::fair::stale_marks(conn)?;
    let mut written = 0;
    let mut every = Vec::new();
    for (first, last) in chunks {
        written += conn.write_transaction(|conn| {
            let out = chunk_scores(conn, (first, last), (&regions, &region_starts))?;
            diesel::delete(
                computed_scores::table.filter(computed_scores::provider_id.between(first, last)),
            )
            .execute(conn)?;
            let written = write(conn, &out)?;
            every.extend(out);
            Ok::<_, diesel::result::Error>(written)
        })?;
    }
    // The funnels are over every provider of a region: computed once all are written.
    conn.write_transaction(|conn| {
        super::fair::store_all_funnels(conn, &every)?;
        super::fair::unmark_all(conn, &marks)?;
        super::fair::forget_changes(conn)
    })?;
    Ok(written)
}

/// Recomputes everything with two connections of the pool, as one transaction: while the
/// writer stores one chunk's scores, a reader reads and computes the next (on another core).
/// The writer takes the write lock first (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL a share
/// lock on `trajectories`), so no upload commits in between and the reader's trajectories
/// are the ones the transaction replaces the scores of; uploads wait until it commits.
/// Returns the number of scores written.
pub fn recompute_all_pipelined(db: &crate::db::Db) -> anyhow::Result<usize> {
    let mut writer = db.conn()?;
    let mut reader = db.conn()?;
    Ok(writer.write_transaction(|writer| {
        if let DbConnection::Postgresql(pg) = writer {
            diesel::sql_query("LOCK TABLE trajectories IN SHARE MODE").execute(pg)?;
        }
        let (chunks, (regions, region_starts)) = chunks_and_regions(writer)?;
        let marks = super::fair::stale_marks(writer)?;
        let (send, receive) = std::sync::mpsc::sync_channel::<QueryResult<Vec<ScoreSet>>>(2);
        let mut written = 0;
        let mut every = Vec::new();
        std::thread::scope(|scope| {
            let known = (&regions, &region_starts);
            let chunks = &chunks;
            let reader = &mut *reader;
            scope.spawn(move || {
                for &chunk in chunks {
                    let result = chunk_scores(reader, chunk, known);
                    let failed = result.is_err();
                    // The writer stops receiving only when it failed itself.
                    if send.send(result).is_err() || failed {
                        return;
                    }
                }
            });
            // Each chunk's old scores are deleted just before its new ones are written (with
            // those of providers in between that no longer have trajectories): the pages freed
            // are the ones written next, where one delete of everything up front would free
            // (and, with secure_delete, overwrite) the whole table first.
            let mut done = i64::MIN;
            for (out, &(_, last)) in receive.into_iter().zip(chunks) {
                let out = out?;
                diesel::delete(
                    computed_scores::table
                        .filter(computed_scores::provider_id.gt(done))
                        .filter(computed_scores::provider_id.le(last)),
                )
                .execute(writer)?;
                written += write(writer, &out)?;
                every.extend(out);
                done = last;
            }
            diesel::delete(computed_scores::table.filter(computed_scores::provider_id.gt(done)))
                .execute(writer)?;
            QueryResult::Ok(())
        })?;
        super::fair::store_all_funnels(writer, &every)?;
        super::fair::unmark_all(writer, &marks)?;
        super::fair::forget_changes(writer)?;
        QueryResult::Ok(written)
    })?)
}

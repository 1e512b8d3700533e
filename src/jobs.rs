//! The one job runner: background work as rows in `jobs`, so that with several nodes on one
//! database each run happens once. A node claims a due job with a lease (on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so nodes never wait for each other; on SQLite inside an
//! immediate transaction), runs it, marks it done and schedules the next run as a new row. A
//! node that dies mid-job leaves a lease that runs out, and another node takes the job over.
//! Daily jobs: ending agreements that ran out, reminders before they do, and purging what
//! must not be kept; hourly: carrying out the municipalities' mergers and moves on their day.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{
    hulpvragen, jobs, login_attempts, mail_outbox, one_time_tokens, pending_uploads,
    revoked_sessions, sign_in_attempts,
};
use crate::db::{Db, DbConnection};

/// How long a claimed job stays one node's.
const LEASE_MINUTES: i64 = 10;

crate::stored_enum! {
    pub enum Kind("job kind") {
        /// Ends every admission whose procesovereenkomst ran out.
        EndAgreements = "overeenkomsten_beeindigen",
        /// Mails providers whose agreement ends within sixty days, and whose listing or
        /// waiting times are due to be confirmed.
        Reminders = "herinneringen",
        /// Deletes what must not be kept: old uploads, expired codes and links, old attempts.
        Purge = "opruimen",
        /// Carries out the mergers and moves of municipalities whose day has come.
        MunicipalityChanges = "gemeenten_bijwerken",
    }
}

impl Kind {
    /// When the next run is due after one finished.
    fn every(self) -> TimeDelta {
        match self {
            // Within the hour of the day a merger or move takes effect.
            Kind::MunicipalityChanges => TimeDelta::hours(1),
            _ => TimeDelta::hours(24),
        }
    }

    /// When the next run is due after one finished at `now`: a day later, or for the
    /// hourly job the start of the next hour (so a change dated today happens just after
    /// midnight, not up to an hour into the day).
    fn next_run(self, now: NaiveDateTime) -> NaiveDateTime {
        let next = now + self.every();
        if self.every() == TimeDelta::hours(1) {
            next.date()
                .and_hms_opt(chrono::Timelike::hour(&next), 0, 5)
                .unwrap_or(next)
        } else {
            next
        }
    }

    fn run(self, conn: &mut DbConnection, public_url: &str) -> anyhow::Result<usize> {
        let today = crate::clock::today();
        Ok(match self {
            Kind::EndAgreements => {
                crate::providers::admission::end_expired(conn, today, public_url)?
            }
            Kind::Reminders => {
                crate::providers::admission::queue_reminders(conn, today, public_url)?
                    + crate::providers::execution::queue_reminders(conn, today, public_url)?
                    + crate::providers::checks::queue_reminders(conn, today, public_url)?
            }
            Kind::Purge => purge(conn)?,
            Kind::MunicipalityChanges => {
                crate::reference::municipalities::carry_out_due(conn, today)?
            }
        })
    }
}

/// Makes sure every daily job has a pending run (due now when it never ran).
pub fn ensure_scheduled(conn: &mut DbConnection) -> QueryResult<()> {
    let now = crate::clock::now();
    for &kind in Kind::ALL {
        conn.write_transaction(|conn| {
            let pending: i64 = jobs::table
                .filter(jobs::kind.eq(kind))
                .filter(jobs::done_at.is_null())
                .count()
                .get_result(conn)?;
            if pending == 0 {
                diesel::insert_into(jobs::table)
                    .values((
                        jobs::kind.eq(kind),
                        jobs::run_at.eq(now),
                        jobs::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            QueryResult::Ok(())
        })
        .or_else(|error| match error {
            // Another node scheduled it at the same moment: one pending run is what we want.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => Ok(()),
            other => Err(other),
        })?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
}

/// Takes one due job for this node, or `None` when none is due or all are taken.
pub fn claim(conn: &mut DbConnection) -> QueryResult<Option<(i64, String)>> {
    let now = crate::clock::now();
    let until = now + TimeDelta::minutes(LEASE_MINUTES);
    match conn {
        DbConnection::Postgresql(pg) => {
            let claimed: Option<Claimed> = diesel::sql_query(
                "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 \
                 WHERE id = (SELECT id FROM jobs \
                             WHERE done_at IS NULL AND run_at <= $2 \
                               AND (locked_until IS NULL OR locked_until < $2) \
                             ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 RETURNING id, kind",
            )
            .bind::<diesel::sql_types::Timestamp, _>(until)
            .bind::<diesel::sql_types::Timestamp, _>(now)
            .get_result(pg)
            .optional()?;
            Ok(claimed.map(|c| (c.id, c.kind)))
        }
        DbConnection::Sqlite(_) => conn.write_transaction(|conn| {
            let due: Option<(i64, String)> = jobs::table
                .filter(jobs::done_at.is_null())
                .filter(jobs::run_at.le(now))
                .filter(jobs::locked_until.is_null().or(jobs::locked_until.lt(now)))
                .order((jobs::run_at, jobs::id))
                .select((jobs::id, jobs::kind))
                .first(conn)
                .optional()?;
            if let Some((id, _)) = &due {
                diesel::update(jobs::table.find(id))
                    .set((
                        jobs::locked_until.eq(Some(until)),
                        jobs::attempts.eq(jobs::attempts + 1),
                    ))
                    .execute(conn)?;
            }
            Ok(due)
        }),
    }
}

/// Runs every due job once; returns how many ran.
pub fn run_due(conn: &mut DbConnection, public_url: &str) -> QueryResult<usize> {
    let mut ran = 0;
    while let Some((id, code)) = claim(conn)? {
        ran += 1;
        let outcome = match Kind::parse(&code) {
            Some(kind) => kind.run(conn, public_url).map(|n| (kind, n)),
            None => Err(anyhow::anyhow!("unknown job kind {code}")),
        };
        let now = crate::clock::now();
        match outcome {
            Ok((kind, done)) => {
                tracing::info!(job = code, done, "job done");
                conn.write_transaction(|conn| {
                    diesel::update(jobs::table.find(id))
                        .set((
                            jobs::done_at.eq(Some(now)),
                            jobs::locked_until.eq(None::<NaiveDateTime>),
                            jobs::last_error.eq(None::<String>),
                        ))
                        .execute(conn)?;
                    diesel::insert_into(jobs::table)
                        .values((
                            jobs::kind.eq(kind),
                            jobs::run_at.eq(kind.next_run(now)),
                            jobs::created_at.eq(now),
                        ))
                        .execute(conn)?;
                    QueryResult::Ok(())
                })?;
            }
            Err(error) => {
                let message = format!("{error:#}");
                tracing::warn!(job = code, error = %message, "job failed; trying again later");
                diesel::update(jobs::table.find(id))
                    .set((
                        jobs::locked_until.eq(None::<NaiveDateTime>),
                        jobs::last_error.eq(Some(message)),
                        jobs::run_at.eq(now + TimeDelta::minutes(15)),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(ran)
}

/// What the portal must not keep. Returns the number of rows deleted or cleared.
pub fn purge(conn: &mut DbConnection) -> QueryResult<usize> {
    let now = crate::clock::now();
    conn.write_transaction(|conn| {
        // Uploads waiting for a confirmation (up to 25 MB each) for more than a day.
        let mut done = diesel::delete(
            pending_uploads::table.filter(pending_uploads::created_at.lt(now - TimeDelta::days(1))),
        )
        .execute(conn)?;
        // Family links and questionnaire codes that no longer work.
        done += diesel::update(
            hulpvragen::table
                .filter(hulpvragen::family_token_expires_at.lt(now))
                .filter(hulpvragen::family_token_hash.is_not_null()),
        )
        .set((
            hulpvragen::family_token_hash.eq(None::<String>),
            hulpvragen::family_code_nonce.eq(None::<String>),
        ))
        .execute(conn)?;
        done += diesel::update(
            hulpvragen::table
                .filter(hulpvragen::experience_expires_at.lt(now))
                .filter(hulpvragen::experience_token_hash.is_not_null()),
        )
        .set(hulpvragen::experience_token_hash.eq(None::<String>))
        .execute(conn)?;
        // Single-use links that were used or ran out.
        done += diesel::delete(
            one_time_tokens::table.filter(
                one_time_tokens::used_at
                    .is_not_null()
                    .or(one_time_tokens::expires_at.lt(now)),
            ),
        )
        .execute(conn)?;
        // Revoked sessions that would have expired anyway, and old login attempts.
        done +=
            diesel::delete(revoked_sessions::table.filter(revoked_sessions::expires_at.lt(now)))
                .execute(conn)?;
        done += diesel::delete(
            login_attempts::table.filter(login_attempts::at.lt(now - TimeDelta::days(1))),
        )
        .execute(conn)?;
        // Sign-ins with an organisation account or eHerkenning that never came back.
        done += diesel::delete(
            sign_in_attempts::table
                .filter(sign_in_attempts::created_at.lt(now - TimeDelta::days(1))),
        )
        .execute(conn)?;
        // Runs of jobs done more than a month ago (the hourly one adds 24 a day).
        done += diesel::delete(
            jobs::table
                .filter(jobs::done_at.is_not_null())
                .filter(jobs::done_at.lt(now - TimeDelta::days(31))),
        )
        .execute(conn)?;
        // Mail held for an address never confirmed (its link ran out long ago).
        done += diesel::delete(
            mail_outbox::table
                .filter(mail_outbox::held_for_user.is_not_null())
                .filter(mail_outbox::created_at.lt(now - TimeDelta::days(14))),
        )
        .execute(conn)?;
        // Sent mail after its retention: the outbox is no archive.
        done += diesel::delete(mail_outbox::table.filter(mail_outbox::sent_at.lt(now - MAIL_KEPT)))
            .execute(conn)?;
        QueryResult::Ok(done)
    })
}

/// How long a sent message stays in the outbox (to answer "did it go out?").
pub const MAIL_KEPT: TimeDelta = TimeDelta::days(30);

/// The longest a marked funnel waits for its uploads to stop before it is refreshed anyway.
const FUNNEL_LONGEST_WAIT: Duration = Duration::from_secs(10);

/// Computes the municipal monitors that changes marked, or whose day moved on.
fn refresh_monitors(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    let reference = crate::reference::ReferenceData::load(&mut conn)?;
    let done = crate::monitor::store::refresh_due(&mut conn, &reference, crate::clock::today())?;
    if done > 0 {
        tracing::info!(regions = done, "monitor computed");
    }
    Ok(())
}

/// The runner of this node until stopped: looks for due jobs every minute and, when
/// `funnel_refresh` is set, recomputes the marked funnels as soon as an upload of this node
/// commits ([`crate::outcomes::fair::FUNNELS_MARKED`]): every marked pair then, other nodes'
/// marks too. It keeps the score sets it read, so that a pair it refreshed before costs a read
/// of the providers changed since, whichever node changed them
/// ([`crate::outcomes::fair::FunnelInputs`]); a pair new to it is read whole once. Without a
/// commit here, every `funnel_refresh` it refreshes what other nodes marked once their marks
/// settle ([`crate::outcomes::fair::Settling`]). Every `monitor_refresh` (when set), the
/// municipal monitors that changes marked, and each once a day.
pub fn spawn(
    db: Db,
    public_url: String,
    stop: Arc<AtomicBool>,
    funnel_refresh: Option<Duration>,
    monitor_refresh: Option<Duration>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let tick = funnel_refresh.map_or(Duration::from_secs(1), |d| d.min(Duration::from_secs(1)));
    std::thread::Builder::new()
        .name("jobs".into())
        .spawn(move || {
            let mut jobs_due = Instant::now();
            let mut funnels_due = Instant::now();
            let mut monitors_due = Instant::now();
            let mut settling = crate::outcomes::fair::Settling::new(FUNNEL_LONGEST_WAIT);
            let mut inputs = crate::outcomes::fair::FunnelInputs::new();
            let marked = &crate::outcomes::fair::FUNNELS_MARKED;
            let mut heard = marked.rung();
            let mut woken = false;
            while !stop.load(Ordering::Relaxed) {
                let now = Instant::now();
                if now >= jobs_due {
                    jobs_due = now + Duration::from_secs(60);
                    let result = db.conn().map_err(anyhow::Error::from).and_then(|mut conn| {
                        ensure_scheduled(&mut conn)?;
                        Ok(run_due(&mut conn, &public_url)?)
                    });
                    if let Err(error) = result {
                        tracing::warn!(error = %format!("{error:#}"), "job runner could not read its jobs");
                    }
                }
                if let Some(every) = monitor_refresh
                    && now >= monitors_due
                {
                    monitors_due = now + every;
                    if let Err(error) = refresh_monitors(&db) {
                        tracing::warn!(error = %format!("{error:#}"), "monitor could not be computed");
                    }
                }
                if let Some(every) = funnel_refresh
                    && (woken || now >= funnels_due)
                {
                    funnels_due = now + every;
                    let result = db.conn().map_err(anyhow::Error::from).and_then(|mut conn| {
                        let marks = crate::outcomes::fair::stale_marks(&mut conn)?;
                        // Woken by a commit here: everything marked is refreshed now, the
                        // pairs kept cheaply; otherwise once the marks settle.
                        let due = if woken {
                            marks
                        } else {
                            settling.due(&marks, now)
                        };
                        if due.is_empty() {
                            return Ok(0);
                        }
                        Ok(crate::outcomes::fair::refresh_marked_keeping(
                            &mut conn,
                            &mut inputs,
                            &due,
                        )?)
                    });
                    match result {
                        Ok(0) => {}
                        Ok(pairs) => tracing::info!(pairs, "funnels refreshed"),
                        Err(error) => {
                            tracing::warn!(error = %format!("{error:#}"), "funnels could not be refreshed")
                        }
                    }
                }
                // A commit that marked funnels (on any database of this process: the marks
                // say whether there is anything to do here) ends the wait early.
                let rung = marked.wait_past(heard, tick);
                woken = rung > heard;
                heard = rung;
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_job_runs_at_the_start_of_each_hour_the_daily_ones_a_day_later() {
        let at = |h, m, s| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31)
                .and_then(|d| d.and_hms_opt(h, m, s))
                .expect("time")
        };
        let next = Kind::MunicipalityChanges.next_run(at(23, 0, 7));
        assert_eq!(
            next.to_string(),
            "2027-01-01 00:00:05",
            "just after midnight"
        );
        assert_eq!(
            Kind::MunicipalityChanges.next_run(at(10, 59, 59)),
            at(11, 0, 5),
            "the start of the next hour"
        );
        assert_eq!(
            Kind::Purge.next_run(at(10, 15, 0)),
            at(10, 15, 0) + TimeDelta::hours(24)
        );
    }
}

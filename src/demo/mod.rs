//! Fictional demo data that shows the whole product: providers of every size in every region,
//! two years of trajectories, score reports in every state, hulpvragen in every status and
//! families' answers, and demo accounts that play together (the demo provider is admitted in
//! the demo contract manager's region and serves the demo worker's municipality).
//! Deterministic from a seed (and the day), the same on SQLite and PostgreSQL. The scale mode
//! (`seed-demo --providers 10000`) makes the same world large, for benchmarks.

pub mod accounts;
mod execution;
pub mod history;
pub mod hulpvragen;
pub mod listings;
pub mod tariffs;
mod trajectory_rules;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{app_settings, mail_outbox, municipalities, providers, regions};
use crate::reference::ReferenceData;

/// The default demo: 20 providers a region.
pub const DEMO_PROVIDERS: usize = 60;
/// Years of trajectories.
pub const DEMO_YEARS: u32 = 2;
/// The demo accounts play together: the demo contract manager's region, and the demo
/// worker's municipality, where the first provider (the demo provider's) is admitted.
pub const DEMO_REGION: &str = "haaglanden";
pub const DEMO_MUNICIPALITY: &str = "delft";
pub const DEMO_SEED: u64 = 2026;
const DEMO_FLAG: &str = "demo_data";

/// How big a demo to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub providers: usize,
    pub years: u32,
    pub seed: u64,
}

impl Default for Size {
    fn default() -> Size {
        Size {
            providers: DEMO_PROVIDERS,
            years: DEMO_YEARS,
            seed: DEMO_SEED,
        }
    }
}

/// What the demo made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub providers: usize,
    pub trajectories: usize,
    pub published_reports: usize,
    pub hulpvragen: usize,
    pub answers: usize,
}

/// Does this database hold the demo data (so every page must say so)?
pub fn is_demo(conn: &mut DbConnection) -> QueryResult<bool> {
    let flag: Option<String> = app_settings::table
        .filter(app_settings::key.eq(DEMO_FLAG))
        .select(app_settings::value)
        .first(conn)
        .optional()?;
    Ok(flag.as_deref() == Some("true"))
}

/// Adds the demo, with its accounts, when there are no providers yet, in one transaction;
/// makes sure the demo accounts exist either way. Returns what it made (None: nothing).
pub fn seed_if_empty(
    conn: &mut DbConnection,
    secret: &str,
    public_url: &str,
    size: Size,
) -> anyhow::Result<Option<Counts>> {
    let count: i64 = providers::table.count().get_result(conn)?;
    if count > 0 {
        accounts::ensure_demo_users(conn, secret)?;
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let counts = conn.write_transaction(|conn| {
        let counts = seed(conn, secret, public_url, size)?;
        diesel::insert_into(app_settings::table)
            .values((
                app_settings::key.eq(DEMO_FLAG),
                app_settings::value.eq("true"),
            ))
            .execute(conn)?;
        anyhow::Ok(counts)
    })?;
    tracing::info!(
        providers = counts.providers,
        trajectories = counts.trajectories,
        published_reports = counts.published_reports,
        hulpvragen = counts.hulpvragen,
        ms = started.elapsed().as_millis(),
        "demo data added"
    );
    Ok(Some(counts))
}

/// Makes the whole demo world; call inside a transaction on a database without providers.
pub fn seed(
    conn: &mut DbConnection,
    secret: &str,
    public_url: &str,
    size: Size,
) -> anyhow::Result<Counts> {
    let reference = ReferenceData::load(conn)?;
    let mut rng = fastrand::Rng::with_seed(size.seed);
    let outbox_before: i64 = mail_outbox::table
        .select(diesel::dsl::max(mail_outbox::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    let started = std::time::Instant::now();
    let phase = |name: &str| tracing::debug!(ms = started.elapsed().as_millis(), "demo: {name}");
    tariffs::seed(conn, &reference, &mut rng)?;
    let listed = listings::seed(conn, size.providers, size.years, size.seed)?;
    phase("listings");
    accounts::ensure_demo_users(conn, secret)?;
    let mut counts = Counts {
        providers: listed.len(),
        ..Counts::default()
    };
    counts.trajectories =
        history::seed_trajectories(conn, &reference, &listed, size.years, &mut rng)?;
    phase("trajectories and scores");

    let region: i64 = regions::table
        .filter(regions::slug.eq(DEMO_REGION))
        .select(regions::id)
        .first(conn)?;
    let manager = history::session_user(conn, accounts::CONTRACT_MANAGER)?;
    let played = history::choose_played(conn, &listed, region)?;
    let none = history::Played {
        concept: 0,
        submitted: 0,
        returned: 0,
        corrected: 0,
    };
    counts.published_reports = history::seed_reports(
        conn,
        &reference,
        &listed,
        played.as_ref().unwrap_or(&none),
        region,
        manager.as_ref().map(|m| m.id),
        &mut rng,
    )?;
    if let (Some(played), Some(manager)) = (&played, &manager) {
        history::play_reports(conn, played, region, manager, public_url)?;
    }
    phase("reports");

    let town: i64 = municipalities::table
        .filter(municipalities::slug.eq(DEMO_MUNICIPALITY))
        .select(municipalities::id)
        .first(conn)?;
    if let Some(worker) = history::session_user(conn, accounts::ACCESS_WORKER)? {
        let made = hulpvragen::seed(
            conn, &reference, &listed, &worker, region, town, public_url, &mut rng,
        )?;
        counts.hulpvragen = made.hulpvragen;
        counts.answers = made.answers;
    }
    phase("hulpvragen");
    // The workflow queued mail to fictional addresses: the demo sends none of it.
    diesel::delete(mail_outbox::table.filter(mail_outbox::id.gt(outbox_before))).execute(conn)?;
    Ok(counts)
}

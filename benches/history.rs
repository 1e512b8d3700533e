//! Bulk history and incremental uploads on the scale demo (issue 41): the region with the
//! most providers (about 3,300) loads 1,000,000 past trajectories in one go
//! (`outcomes::history::import`, what `jeugdhulpcatalogus import-history` runs), then ten of
//! its providers upload 1,000 trajectories each as the upload's confirmation stores them,
//! followed by the refresh of the region's funnels those uploads marked (which the job runner
//! does once uploads settle): the time until scores and funnels are current. Prints rows per
//! second and the time per upload; asserts nothing.
//!
//!     cargo bench --bench history
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench history
//!
//! Options (after `--`): --providers N (10000), --uploads-only. `BENCH_SEED_CACHE=dir` keeps the seeded
//! scale demo for the next run. The files are written before the clock starts.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{NaiveDate, TimeDelta};
use common::server::binary;
use common::{BenchDatabase, options};
use diesel::prelude::*;
use jeugdhulpcatalogus::db::Db;
use jeugdhulpcatalogus::db::schema::{admissions, catalogue_entries, funnels_stale, providers};
use jeugdhulpcatalogus::domain::ids::ProviderId;
use jeugdhulpcatalogus::outcomes::history::{self, PROVIDER_COLUMN};
use jeugdhulpcatalogus::outcomes::records::ALL_COLUMNS;
use jeugdhulpcatalogus::outcomes::{fair, store};
use jeugdhulpcatalogus::reference::ReferenceData;

const HISTORY_ROWS: usize = 1_000_000;
const UPLOAD_ROWS: usize = 1_000;
const UPLOADS: usize = 10;

/// A provider's offers in the region as (municipality slug, profile number, intensity code).
type Offers = Vec<(String, i32, String)>;

/// One CSV line (without the provider column): ended in the three years before `today`
/// or (one in ten) still running; one in five in the gedwongen kader; goals agreed and
/// the two questions of closing mostly answered.
fn line(
    out: &mut String,
    rng: &mut fastrand::Rng,
    offer: &(String, i32, String),
    reference: &str,
    today: NaiveDate,
) {
    let (town, profile, intensity) = offer;
    let running = rng.u8(0..10) == 0;
    let end = today - TimeDelta::days(rng.i64(5..1095));
    let start = end - TimeDelta::days(rng.i64(30..400));
    let kader = if rng.u8(0..5) == 0 {
        "gedwongen"
    } else {
        "vrijwillig"
    };
    let client = rng.usize(0..5000);
    if running {
        let _ = writeln!(
            out,
            "{reference},{town},{profile},{intensity},{start},,,onbekend,K-{client},12-17,{kader},,{},,,,",
            rng.u8(1..5)
        );
        return;
    }
    let reason = [1, 1, 1, 2, 2, 3, 4, 5][rng.usize(0..8)];
    let goal = [
        "behaald",
        "behaald",
        "deels behaald",
        "niet behaald",
        "onbekend",
    ][rng.usize(0..5)];
    // Half with the goals as counts (doelresultaat then follows from them), half without.
    let (goal, counts) = if rng.bool() {
        let agreed = rng.u8(1..5);
        let reached = rng.u8(0..=agreed);
        let partly = rng.u8(0..=agreed - reached);
        ("", format!("{agreed},{reached},{partly}"))
    } else {
        (goal, ",,".to_owned())
    };
    let _ = writeln!(
        out,
        "{reference},{town},{profile},{intensity},{start},{end},{reason},{goal},K-{client},12-17,{kader},{},{counts},{},{}",
        rng.u8(4..=10),
        ["ja", "lichtere_hulp", "nee", ""][rng.usize(0..4)],
        ["ja", "deels", "nee", ""][rng.usize(0..4)]
    );
}

fn main() -> anyhow::Result<()> {
    let options = options();
    let database = BenchDatabase::new()?;
    common::seed_scale_demo_kept(&binary(), &database, options.providers)?;
    let db = Db::connect(&database.url, 4)?;
    common::vacuum_after_seeding(&mut *db.conn()?)?;
    common::settle_background_work(&db)?;
    let backend = db.backend().name();
    let today = jeugdhulpcatalogus::clock::today();
    let mut conn = db.conn()?;
    let reference = ReferenceData::load(&mut conn)?;
    let (region_id, admitted): (i64, i64) = admissions::table
        .filter(admissions::status.eq("toegelaten"))
        .group_by(admissions::region_id)
        .select((admissions::region_id, diesel::dsl::count_star()))
        .order(diesel::dsl::count_star().desc())
        .first(&mut conn)?;
    let region = reference
        .region(region_id)
        .ok_or_else(|| anyhow::anyhow!("no region {region_id}"))?
        .clone();
    // Each admitted provider's offers in the region.
    let entries: Vec<(i64, String, i64, i64, i64)> = catalogue_entries::table
        .inner_join(providers::table)
        .filter(
            catalogue_entries::provider_id.eq_any(
                admissions::table
                    .filter(admissions::region_id.eq(region_id))
                    .filter(admissions::status.eq("toegelaten"))
                    .select(admissions::provider_id),
            ),
        )
        .order((
            catalogue_entries::provider_id,
            catalogue_entries::profile_id,
            catalogue_entries::intensity_id,
            catalogue_entries::municipality_id,
        ))
        .select((
            catalogue_entries::provider_id,
            providers::slug,
            catalogue_entries::profile_id,
            catalogue_entries::intensity_id,
            catalogue_entries::municipality_id,
        ))
        .load(&mut conn)?;
    let mut offers: HashMap<(i64, String), Offers> = HashMap::new();
    for (provider, slug, profile, intensity, town) in entries {
        let (Some(p), Some(i), Some(m)) = (
            reference.profile(profile),
            reference.intensity(intensity),
            reference.municipality(town),
        ) else {
            continue;
        };
        if m.region_id == region_id {
            offers.entry((provider, slug)).or_default().push((
                m.slug.clone(),
                p.number,
                i.code.clone(),
            ));
        }
    }
    let mut offers: Vec<((i64, String), Offers)> = offers.into_iter().collect();
    offers.sort_by_key(|((id, _), _)| *id);
    anyhow::ensure!(!offers.is_empty(), "no provider with offers in the region");

    // The history: 1,000,000 rows over the region's providers, by the name in their address.
    let mut rng = fastrand::Rng::with_seed(41);
    let mut csv = format!("{PROVIDER_COLUMN},{}\n", ALL_COLUMNS.join(","));
    for k in 0..HISTORY_ROWS {
        let ((_, slug), list) = &offers[k % offers.len()];
        csv.push_str(slug);
        csv.push(',');
        let offer = &list[rng.usize(0..list.len())];
        line(&mut csv, &mut rng, offer, &format!("H-{k}"), today);
    }
    println!(
        "\nbackend {backend}: region {} ({admitted} admitted providers, {} with offers); history file {:.0} MB, {} rows; {} cores",
        region.slug,
        offers.len(),
        csv.len() as f64 / 1e6,
        HISTORY_ROWS,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    drop(conn);
    if !std::env::args().any(|a| a == "--uploads-only") {
        bulk_history(&db, &region.slug, &csv, today)?;
    }
    drop(csv);
    uploads(&db, &reference, region_id, &offers, today)
}

/// The history of 1,000,000 rows in one go.
fn bulk_history(db: &Db, region: &str, csv: &str, today: NaiveDate) -> anyhow::Result<()> {
    let backend = db.backend().name();
    let started = Instant::now();
    let loaded = history::import(db, region, csv.as_bytes(), today)?.map_err(|r| {
        anyhow::anyhow!(
            "refused: {} problems, first {:?}",
            r.total,
            r.problems.first()
        )
    })?;
    let total = started.elapsed().as_secs_f64();
    let load = (loaded.read + loaded.stored).as_secs_f64();
    println!("| bulk history ({backend}) | rows | s | rows/s |");
    println!("|---|---:|---:|---:|");
    println!(
        "| read and checked ({} cores) | {} | {:.2} | {:.0} |",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        loaded.rows,
        loaded.read.as_secs_f64(),
        loaded.rows as f64 / loaded.read.as_secs_f64()
    );
    println!(
        "| stored ({}) | {} | {:.2} | {:.0} |",
        if backend == "postgres" {
            "COPY"
        } else {
            "one transaction"
        },
        loaded.rows,
        loaded.stored.as_secs_f64(),
        loaded.rows as f64 / loaded.stored.as_secs_f64()
    );
    println!(
        "| of which finding what it replaces | | {:.2} | |",
        loaded.replacing.as_secs_f64()
    );
    println!(
        "| **loaded** (goal ≥ 100,000 rows/s) | {} | {load:.2} | **{:.0}** |",
        loaded.rows,
        loaded.rows as f64 / load
    );
    println!(
        "| scores of {} providers ({} sets) and the region's funnels | | {:.2} | |",
        loaded.providers,
        loaded.scores,
        loaded.recomputed.as_secs_f64()
    );
    println!(
        "| all of it | {} | {total:.2} | {:.0} |",
        loaded.rows,
        loaded.rows as f64 / total
    );

    Ok(())
}

/// Uploads of 1,000 rows by providers of the region, each as the upload's confirmation
/// stores it: parse, check, store, the provider's scores, the region's funnels.
fn uploads(
    db: &Db,
    reference: &ReferenceData,
    region_id: i64,
    offers: &[((i64, String), Offers)],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let backend = db.backend().name();
    let mut conn = db.conn()?;
    // What the job runner of the node keeps of the sets it read (its first refresh of a pair
    // reads them whole).
    let mut inputs = fair::FunnelInputs::new();
    let mut times = Vec::new();
    let uploaders: Vec<_> = offers
        .iter()
        .step_by(offers.len() / UPLOADS)
        .take(UPLOADS)
        .collect();
    // Each provider uploads twice: the first refresh of a pair on the node reads its sets
    // whole, the second reads only what changed since.
    for (k, ((id, _), list)) in uploaders.iter().chain(&uploaders).copied().enumerate() {
        let mut file = format!("{}\n", ALL_COLUMNS.join(","));
        let mut rng = fastrand::Rng::with_seed(k as u64);
        // The second upload of a provider replaces half of its first one.
        let first = (k / UPLOADS) * UPLOAD_ROWS / 2;
        let k = k % UPLOADS;
        for i in first..first + UPLOAD_ROWS {
            let offer = &list[rng.usize(0..list.len())];
            line(&mut file, &mut rng, offer, &format!("U-{k}-{i}"), today);
        }
        let provider = ProviderId(*id);
        let started = Instant::now();
        let rows = store::parse_csv(file.as_bytes()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let allowed = store::reportable_profiles(&mut conn, provider)?;
        let checked = store::check_all(&rows, reference, &allowed, today)
            .map_err(|e| anyhow::anyhow!("{:?}", &e[..e.len().min(3)]))?;
        let stored_at = Instant::now();
        conn.write_transaction(|conn| store::save_all(conn, provider, &checked))?;
        let saved_at = Instant::now();
        let marks: Vec<fair::StaleMark> = fair::stale_marks(&mut conn)?
            .into_iter()
            .filter(|(_, profile, _)| allowed.contains(profile))
            .collect();
        let refreshed = fair::refresh_marked_keeping(&mut conn, &mut inputs, &marks)?;
        let done = Instant::now();
        let left: i64 = funnels_stale::table
            .filter(funnels_stale::region_id.eq(region_id))
            .filter(funnels_stale::generation.gt(funnels_stale::done_generation))
            .count()
            .get_result(&mut conn)?;
        anyhow::ensure!(left == 0, "{left} funnels of the region still marked");
        times.push((
            (stored_at - started).as_secs_f64() * 1000.0,
            (saved_at - stored_at).as_secs_f64() * 1000.0,
            (done - saved_at).as_secs_f64() * 1000.0,
            (done - started).as_secs_f64() * 1000.0,
            refreshed,
        ));
    }
    println!(
        "\n| upload of {UPLOAD_ROWS} rows ({backend}) | read and checked ms | stored, scores ms | funnels ms (pairs) | **total ms** (goal ≤ 100) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (k, (read, saved, funnels, total, pairs)) in times.iter().enumerate() {
        println!(
            "| upload {}{} | {read:.1} | {saved:.1} | {funnels:.1} ({pairs}) | **{total:.1}** |",
            k % UPLOADS + 1,
            if k < UPLOADS {
                " (pairs new to the node)"
            } else {
                " again (pairs kept)"
            }
        );
    }
    for (round, part) in ["first", "second"].iter().zip(times.chunks(UPLOADS)) {
        let mut totals: Vec<f64> = part.iter().map(|t| t.3).collect();
        totals.sort_by(f64::total_cmp);
        println!(
            "| median / max, {round} uploads | | | | **{:.1} / {:.1}** |",
            totals[totals.len() / 2],
            totals[totals.len() - 1]
        );
    }
    println!(
        "\nscore sets kept by the node: {}; the bench's {}",
        inputs.kept(),
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s
                .lines()
                .find(|l| l.starts_with("VmRSS"))
                .map(str::to_owned))
            .unwrap_or_default()
    );
    Ok(())
}

//! Catalogue benchmark: seeds 10,000 providers, then measures the search query on its own
//! and the rendered `/catalogus?profiel=…&gemeente=…` page (and its API twin) at 32
//! concurrent keep-alive connections on loopback. Prints a table; asserts nothing.
//!
//!     cargo bench --bench catalogue                      # SQLite
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench catalogue
//!
//! Options (after `--`): --providers N (10000), --seconds S (10), --connections C (32),
//! --pool P (database connections, 10 as in production).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{BenchDatabase, Figures, load, options, print_table, serve, warm_up};

use diesel::prelude::*;
use jeugdhulpcatalogus::catalogue::model;
use jeugdhulpcatalogus::catalogue::search::SearchParams;
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::reference::ReferenceData;
use jeugdhulpcatalogus::startup::prepare_database;

/// The profile × municipality pairs requested, in turn.
fn search_paths(reference: &ReferenceData, prefix: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for m in &reference.municipalities {
        for p in reference.profile_summaries() {
            paths.push(format!("{prefix}?profiel={}&gemeente={}", p.number, m.slug));
        }
    }
    paths
}

fn time_queries(
    db: &jeugdhulpcatalogus::db::Db,
    paths: &[String],
    seconds: u64,
) -> anyhow::Result<Figures> {
    let mut conn = db.conn()?;
    let cache = jeugdhulpcatalogus::reference::ReferenceCache::default();
    let today = chrono::Utc::now().date_naive();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut rows = 0;
    for path in paths.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let query = path.split_once('?').map_or("", |(_, q)| q);
        let t = Instant::now();
        let reference = cache.get(&mut conn)?;
        let (params, _) = SearchParams::from_query(query);
        let search = params
            .resolve(&reference, jeugdhulpcatalogus::i18n::Texts::default())
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        // A fresh match cache each time: this row measures the search itself.
        let found = model::search(
            &mut conn,
            &Default::default(),
            &search.filter,
            search.order,
            search.page,
            today,
        )?;
        latencies.push(t.elapsed());
        rows += found.total;
    }
    std::hint::black_box(rows);
    Ok(Figures {
        label: "query only (1 thread, no HTTP, no cache)".into(),
        requests: latencies.len(),
        errors: 0,
        elapsed: started.elapsed(),
        latencies,
    })
}

fn main() -> anyhow::Result<()> {
    let options = options();
    let database = BenchDatabase::new()?;
    let mut config = Config::for_database(database.url.clone());
    config.workers = None;
    config.pool_size = options.pool;
    let db = prepare_database(&config)?;
    let backend = db.backend().name();

    let seeding = Instant::now();
    db.conn()?.transaction(|conn| {
        jeugdhulpcatalogus::demo::listings::seed(conn, options.providers, 2, 7)
    })?;
    common::vacuum_after_seeding(&mut *db.conn()?)?;
    let seeded = seeding.elapsed();
    let reference = ReferenceData::load(&mut *db.conn()?)?;
    let offers: i64 = jeugdhulpcatalogus::db::schema::offers::table
        .count()
        .get_result(&mut *db.conn()?)?;
    println!(
        "\nbackend {backend}: {} providers, {offers} offers seeded in {:.1} s; {} s per run, {} connections, {} cores",
        options.providers,
        seeded.as_secs_f64(),
        options.seconds,
        options.connections,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    let pages = Arc::new(search_paths(&reference, "/catalogus"));
    let api = Arc::new(search_paths(&reference, "/api/v1/providers"));
    let mut rows = vec![time_queries(&db, &pages, options.seconds.min(5))?];

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    // The server runs in its own actix system on its own threads, as in production.
    let address = serve(&config, db.clone())?;
    runtime.block_on(warm_up(&address, &pages));
    rows.push(runtime.block_on(load(
        &address,
        pages,
        "GET /catalogus?profiel&gemeente",
        &options,
    )));
    rows.push(runtime.block_on(load(
        &address,
        api,
        "GET /api/v1/providers?profiel&gemeente",
        &options,
    )));
    let all = Arc::new(vec!["/catalogus".to_owned()]);
    rows.push(runtime.block_on(load(&address, all, "GET /catalogus (no filter)", &options)));

    print_table(&mut rows);
    Ok(())
}

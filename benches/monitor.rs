//! Monitor benchmark on the scale demo (10,000 providers, about 1,000,000 trajectories): how
//! long the job runner takes to compute every region's monitor, then the first visit of
//! every monitor page (each municipality and region, for every kept quarter; a signed-in
//! page is never kept, so every visit reads the stored figures anew) as a beleidsmedewerker
//! and a contract manager, next to actix-web's "Hello, World!" on the same connection; then
//! the pages under load at 32 keep-alive connections. Prints tables; asserts nothing.
//!
//!     cargo bench --bench monitor
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench monitor
//!
//! Options (after `--`): --providers N (10000), --seconds S (8), --connections C (32).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{BenchDatabase, first_visits, hello_world, load, options, print_table, serve};
use jeugdhulpcatalogus::accounts::{Affiliation, Role, password};
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::db::Db;
use jeugdhulpcatalogus::monitor::figures::kept_quarters;
use jeugdhulpcatalogus::reference::ReferenceData;

const PASSWORD: &str = "een lange zin als wachtwoord voor de bench";

fn ms(sorted: &[Duration], p: f64) -> f64 {
    common::percentile_ms(sorted, p)
}

fn main() -> anyhow::Result<()> {
    let mut options = options();
    if !std::env::args().any(|a| a == "--seconds") {
        options.seconds = 8;
    }
    let database = BenchDatabase::new()?;
    let seeding = Instant::now();
    common::seed_scale_demo(
        env!("CARGO_BIN_EXE_jeugdhulpcatalogus"),
        &database.url,
        options.providers,
    )?;
    let db = Db::connect(&database.url, 10)?;
    common::vacuum_after_seeding(&mut *db.conn()?)?;
    let backend = db.backend().name();
    let (reference, trajectories) = {
        let mut conn = db.conn()?;
        let reference = ReferenceData::load(&mut conn)?;
        use diesel::prelude::*;
        let n: i64 = jeugdhulpcatalogus::db::schema::trajectories::table
            .count()
            .get_result(&mut *conn)?;
        (reference, n)
    };
    println!(
        "\nbackend {backend}: {} providers, {trajectories} trajectories, seeded in {:.0} s",
        options.providers,
        seeding.elapsed().as_secs_f64()
    );

    // The job runner's work: every region's monitor, computed and stored.
    let today = jeugdhulpcatalogus::clock::today();
    let t = Instant::now();
    let regions =
        jeugdhulpcatalogus::monitor::store::refresh_due(&mut *db.conn()?, &reference, today)?;
    let computed = t.elapsed();
    let rows: i64 = {
        use diesel::prelude::*;
        jeugdhulpcatalogus::db::schema::monitor_figures::table
            .count()
            .get_result(&mut *db.conn()?)?
    };
    println!(
        "monitor of {regions} regions computed in {:.2} s ({rows} stored figures)",
        computed.as_secs_f64()
    );

    let delft = reference
        .municipality_by_slug("delft")
        .ok_or_else(|| anyhow::anyhow!("no Delft"))?;
    let haaglanden = delft.region_id;
    let hash = password::hash(PASSWORD)?;
    common::add_users(
        &mut *db.conn()?,
        &hash,
        &[
            (
                "beleid@bench.example",
                Role::Beleidsmedewerker,
                Affiliation::Municipality(delft.id),
            ),
            (
                "cm@bench.example",
                Role::Contractmanager,
                Affiliation::Region(haaglanden),
            ),
        ],
    )?;
    let config = Config::for_database(&database.url);
    let address = serve(&config, db.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let hello = hello_world()?;

    let quarters: Vec<String> = kept_quarters(today).iter().map(|q| q.code()).collect();
    let mut region_pages = Vec::new();
    for q in &quarters {
        region_pages.push(format!("/monitor?kwartaal={q}"));
        for m in reference.municipalities_of(haaglanden) {
            region_pages.push(format!("/monitor?gemeente={}&kwartaal={q}", m.slug));
        }
    }
    let policy_pages: Vec<String> = quarters
        .iter()
        .map(|q| format!("/monitor?kwartaal={q}"))
        .collect();
    // The public sees whole quarters only: not the running one (the last kept).
    let finished = &quarters[..quarters.len() - 1];
    let public_pages: Vec<String> = reference
        .municipalities_of(haaglanden)
        .flat_map(|m| {
            finished
                .iter()
                .map(move |q| format!("/cijfers/gemeenten/{}?kwartaal={q}", m.slug))
        })
        .collect();
    let export_pages: Vec<String> = quarters
        .iter()
        .map(|q| format!("/monitor/export.csv?regio=haaglanden&kwartaal={q}"))
        .collect();
    let policy = runtime.block_on(common::session(&address, "beleid@bench.example", PASSWORD))?;
    let manager = runtime.block_on(common::session(&address, "cm@bench.example", PASSWORD))?;

    println!(
        "\n| first visit of every address, one connection | addresses | median ms | p99 ms | worst ms | mean KB |"
    );
    println!(
        "|{:-<46}|{:->11}|{:->11}|{:->8}|{:->10}|{:->9}|",
        "", "", "", "", "", ""
    );
    let hello_paths = vec!["/".to_owned(); 50];
    let rows: Vec<(&str, &str, Option<&String>, &Vec<String>)> = vec![
        (
            "actix-web Hello, World!",
            hello.as_str(),
            None,
            &hello_paths,
        ),
        (
            "/monitor as beleidsmedewerker Delft",
            address.as_str(),
            Some(&policy),
            &policy_pages,
        ),
        (
            "/monitor region and municipalities (cm)",
            address.as_str(),
            Some(&manager),
            &region_pages,
        ),
        (
            "/monitor/export.csv region (cm)",
            address.as_str(),
            Some(&manager),
            &export_pages,
        ),
        (
            "/cijfers/gemeenten/{slug} (public)",
            address.as_str(),
            None,
            &public_pages,
        ),
    ];
    for (label, at, cookie, paths) in &rows {
        let visits = runtime.block_on(async {
            let mut c = common::HttpConnection::open(at).await?;
            c.cookie = cookie.cloned();
            let mut out = Vec::new();
            for path in paths.iter() {
                let t = Instant::now();
                let status = c.get(path).await?;
                anyhow::ensure!(status == 200, "{path}: {status}");
                out.push((t.elapsed(), c.last_length));
            }
            anyhow::Ok(out)
        })?;
        let kb = visits.iter().map(|(_, l)| *l as f64).sum::<f64>() / 1024.0 / visits.len() as f64;
        let mut latencies: Vec<Duration> = visits.iter().map(|(t, _)| *t).collect();
        latencies.sort_unstable();
        println!(
            "| {:<44} | {:>9} | {:>9.2} | {:>6.2} | {:>8.2} | {:>7.1} |",
            label,
            visits.len(),
            ms(&latencies, 0.5),
            ms(&latencies, 0.99),
            ms(&latencies, 1.0),
            kb
        );
    }
    let _ = first_visits;

    println!(
        "\nunder load, {} connections, {} s each:",
        options.connections, options.seconds
    );
    let mut figures = vec![runtime.block_on(load(
        &hello,
        Arc::new(vec!["/".to_owned()]),
        "actix-web Hello, World!",
        &options,
    ))];
    options.cookie = Some(manager.clone());
    figures.push(runtime.block_on(load(
        &address,
        Arc::new(region_pages.clone()),
        "/monitor (cm, every scope and quarter)",
        &options,
    )));
    options.cookie = None;
    figures.push(runtime.block_on(load(
        &address,
        Arc::new(public_pages),
        "/cijfers/gemeenten/{slug}",
        &options,
    )));
    print_table(&mut figures);
    Ok(())
}

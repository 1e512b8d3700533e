//! Page benchmark: every public page of the demo's scale mode (10,000 providers, about
//! 1,000,000 trajectories) at 32 keep-alive connections, next to an actix-web
//! "Hello, World!" measured in the same run with the same load generator; then the first
//! request after a listing change and after a publication (a cache miss), and the server's
//! peak resident memory; last, one node against two on the same database (pinned to a core
//! each when there are three or more). The portal runs as its own process (the release binary, as a
//! region would run it), so that its memory is its own. Prints a table; asserts nothing.
//!
//!     cargo bench --bench pages
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench pages
//!
//! Options (after `--`): --providers N (10000), --seconds S (8), --connections C (32),
//! --only TEXT (only the pages whose label contains TEXT; `--only scale-out` for one node
//! against two).
//! `BENCH_PORTAL_BIN=path` runs another build of the portal (seeding and serving).

mod common;
#[path = "pages/phases.rs"]
mod phases;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::server::{Server, VERSION_POLL_MS, binary};
use common::{BenchDatabase, HttpConnection, first_visits, hello_world, load, options, warm_up};
use diesel::prelude::*;
use jeugdhulpcatalogus::db::Db;
use jeugdhulpcatalogus::db::schema::{catalogue_entries, providers};
use jeugdhulpcatalogus::reference::ReferenceData;

/// The realistic addresses of each page, rotated over during its run.
struct Paths {
    pages: Vec<(&'static str, Vec<String>)>,
    /// The issue-41 table's addresses.
    sets: phases::Sets,
    provider: String,
    compare: String,
    catalogue: String,
}

fn paths(db: &Db) -> anyhow::Result<Paths> {
    let mut conn = db.conn()?;
    let reference = ReferenceData::load(&mut conn)?;
    let entries: Vec<(i64, i64, String)> = catalogue_entries::table
        .inner_join(providers::table)
        .select((
            catalogue_entries::profile_id,
            catalogue_entries::municipality_id,
            providers::slug,
        ))
        .distinct()
        .order((catalogue_entries::profile_id, providers::slug))
        .load(&mut conn)?;
    let mut filtered = Vec::new();
    let mut sorted = Vec::new();
    let mut api = Vec::new();
    for m in &reference.municipalities {
        for p in reference.profile_summaries() {
            let query = format!("profiel={}&gemeente={}", p.number, m.slug);
            filtered.push(format!("/catalogus?{query}"));
            api.push(format!("/api/v1/providers?{query}"));
            sorted.push(format!("/catalogus?{query}&volgorde=doelrealisatie"));
        }
    }
    let mut slugs: Vec<String> = entries.iter().map(|(_, _, s)| s.clone()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    let mut rng = fastrand::Rng::with_seed(17);
    rng.shuffle(&mut slugs);
    let provider: Vec<String> = slugs
        .iter()
        .take(2_000)
        .map(|s| format!("/aanbieders/{s}"))
        .collect();
    // Two to four providers that offer the same profile, as a family picks them.
    let mut compare = Vec::new();
    let mut by_profile: Vec<(i32, Vec<String>)> = Vec::new();
    for (profile, _, slug) in &entries {
        let Some(number) = reference.profile(*profile).map(|p| p.number) else {
            continue;
        };
        match by_profile.last_mut() {
            Some((n, list)) if *n == number => {
                if list.last() != Some(slug) {
                    list.push(slug.clone());
                }
            }
            _ => by_profile.push((number, vec![slug.clone()])),
        }
    }
    for (number, list) in &mut by_profile {
        list.sort_unstable();
        list.dedup();
        rng.shuffle(list);
        for (i, group) in list.chunks(4).take(150).enumerate() {
            let take = 2 + i % 3;
            if group.len() >= take {
                let chosen: Vec<String> = group[..take]
                    .iter()
                    .map(|s| format!("aanbieder={s}"))
                    .collect();
                compare.push(format!("/vergelijk?profiel={number}&{}", chosen.join("&")));
            }
        }
    }
    rng.shuffle(&mut compare);
    let profiles: Vec<String> = std::iter::once("/profielen".to_owned())
        .chain(
            reference
                .profile_summaries()
                .into_iter()
                .map(|p| format!("/profielen/{}", p.number)),
        )
        .collect();
    let services: Vec<String> = (1..=20)
        .map(|page| format!("/hsds/services?page={page}&per_page=50"))
        .collect();
    let organizations: Vec<String> = (1..=20)
        .map(|page| format!("/hsds/organizations?page={page}&per_page=50"))
        .collect();
    let sets = phases::Sets {
        catalogue: filtered.clone(),
        providers: provider.iter().take(380).cloned().collect(),
        comparisons: phases::comparisons_of_three(&by_profile, 126),
    };
    let out = Paths {
        sets,
        provider: provider.first().cloned().unwrap_or_default(),
        compare: compare.first().cloned().unwrap_or_default(),
        catalogue: filtered.first().cloned().unwrap_or_default(),
        pages: vec![
            ("/ (home)", vec!["/".to_owned()]),
            ("/catalogus?profiel&gemeente", filtered),
            ("/catalogus (no filter)", vec!["/catalogus".to_owned()]),
            ("/catalogus?…&volgorde=doelrealisatie", sorted),
            ("/aanbieders/{slug}", provider),
            ("/vergelijk?profiel&2–4 providers", compare),
            ("/profielen, /profielen/{n}", profiles),
            ("/over-de-cijfers", vec!["/over-de-cijfers".to_owned()]),
            ("/api/v1/providers?profiel&gemeente", api),
            ("/hsds/services?page", services),
            ("/hsds/organizations?page", organizations),
        ],
    };
    Ok(out)
}

/// The first request after each change, `rounds` times: median and worst in ms.
fn cache_misses(
    db: &Db,
    runtime: &tokio::runtime::Runtime,
    address: &str,
    path: &str,
    change: &dyn Fn(&mut jeugdhulpcatalogus::db::DbConnection) -> QueryResult<()>,
    rounds: usize,
) -> anyhow::Result<(f64, f64)> {
    let mut times = Vec::new();
    let mut connection = runtime.block_on(HttpConnection::open(address))?;
    for _ in 0..rounds {
        db.conn()?.transaction(|conn| change(conn))?;
        std::thread::sleep(Duration::from_millis(VERSION_POLL_MS + 20));
        let t = Instant::now();
        let status = runtime.block_on(connection.get(path))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(status == 200, "{path}: {status}");
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], times[times.len() - 1]))
}

fn main() -> anyhow::Result<()> {
    let mut options = options();
    if !std::env::args().any(|a| a == "--seconds") {
        options.seconds = 8;
    }
    let database = BenchDatabase::new()?;
    let seeding = Instant::now();
    common::seed_scale_demo_kept(&binary(), &database, options.providers)?;
    let db = Db::connect(&database.url, 2)?;
    let backend = db.backend().name();
    common::vacuum_after_seeding(&mut *db.conn()?)?;
    common::settle_background_work(&db)?;
    let trajectories: i64 = jeugdhulpcatalogus::db::schema::trajectories::table
        .count()
        .get_result(&mut *db.conn()?)?;
    println!(
        "\nbackend {backend}: {} providers, {trajectories} trajectories, seeded in {:.0} s; {} s a page, {} connections, {} cores",
        options.providers,
        seeding.elapsed().as_secs_f64(),
        options.seconds,
        options.connections,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let paths = paths(&db)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;

    anyhow::ensure!(
        common::wrk::available(),
        "the page benchmark loads with wrk: apt-get install wrk"
    );
    let hello_address = hello_world()?;
    runtime.block_on(warm_up(&hello_address, &["/".to_owned()]));
    // `--only TEXT`: only the pages whose label contains TEXT (for working on one page);
    // `--only issue` the issue-41 table alone.
    let only = options.only.clone();
    if "issue".contains(only.as_str()) {
        let load = phases::Load {
            hello: &hello_address,
            seconds: 6,
            connections: options.connections,
        };
        let before = std::env::var("BENCH_BEFORE_BIN")
            .ok()
            .filter(|b| !b.is_empty())
            .map(|bin| phases::measure(&bin, &database.url, &db, &runtime, &paths.sets, &load))
            .transpose()?;
        let now = phases::measure(&binary(), &database.url, &db, &runtime, &paths.sets, &load)?;
        phases::print(backend, &now, before.as_ref());
        if only == "issue" {
            return Ok(());
        }
    }
    let hello = common::wrk::run(
        &hello_address,
        &["/".to_owned()],
        "actix-web Hello, World!",
        options.seconds,
        options.connections,
        None,
    )?;

    let server = Server::start(&database.url, None)?;
    let (started_mb, ..) = server.memory();
    let mut rows = Vec::new();
    let mut first: Vec<(&str, Vec<(Duration, usize)>)> = Vec::new();
    for (label, list) in paths.pages.iter().filter(|(l, _)| l.contains(&only)) {
        // Every address once first (each a miss: the version is new to these addresses),
        // then the load on kept pages, which is how a region's portal spends its day.
        first.push((
            label,
            runtime.block_on(first_visits(&server.address, list))?,
        ));
        rows.push(common::wrk::run(
            &server.address,
            list,
            label,
            options.seconds,
            options.connections,
            None,
        )?);
    }

    println!(
        "\nwrk -t2 -c{}\n| {:<38} | {:>9} | {:>7} | {:>8} | {:>8} | {:>9} | {:>6} |",
        options.connections, "page", "req/s", "hello", "p50 ms", "p99 ms", "requests", "errors"
    );
    println!(
        "|{:-<40}|{:->11}|{:->9}|{:->10}|{:->10}|{:->11}|{:->8}|",
        "", "", "", "", "", "", ""
    );
    for row in std::iter::once(&hello).chain(rows.iter()) {
        println!(
            "| {:<38} | {:>9.0} | {:>6.1}% | {:>8.2} | {:>8.2} | {:>9} | {:>6} |",
            row.label,
            row.rate,
            100.0 * row.rate / hello.rate,
            row.p50_ms,
            row.p99_ms,
            row.requests,
            row.errors
        );
    }

    println!(
        "\n| first visit of every address, one connection | addresses | median ms | p99 ms | worst ms | mean KB |"
    );
    println!(
        "|{:-<46}|{:->11}|{:->11}|{:->8}|{:->10}|{:->9}|",
        "", "", "", "", "", ""
    );
    for (label, visits) in first {
        let kb = visits.iter().map(|(_, len)| *len as f64).sum::<f64>()
            / 1024.0
            / visits.len().max(1) as f64;
        let mut latencies: Vec<Duration> = visits.iter().map(|(t, _)| *t).collect();
        latencies.sort_unstable();
        let at = |p: f64| common::percentile_ms(&latencies, p);
        println!(
            "| {:<44} | {:>9} | {:>9.2} | {:>6.2} | {:>8.2} | {:>7.1} |",
            label,
            visits.len(),
            at(0.5),
            at(0.99),
            at(1.0),
            kb
        );
    }

    // The first request after a change: a listing change (one provider's entries rebuilt)
    // and a publication (the scores' version raised).
    let some_provider: i64 = providers::table
        .filter(providers::in_catalogue.eq(true))
        .select(providers::id)
        .order(providers::id)
        .first(&mut *db.conn()?)?;
    let listing = move |conn: &mut jeugdhulpcatalogus::db::DbConnection| {
        jeugdhulpcatalogus::read_model::providers_changed(conn, &[some_provider])
    };
    let publication = jeugdhulpcatalogus::read_model::scores_changed;
    println!("\n| first request after a change (20 rounds) | median ms | worst ms |");
    println!("|{:-<42}|{:->11}|{:->10}|", "", "", "");
    for (what, path) in [
        ("catalogue", &paths.catalogue),
        ("provider page", &paths.provider),
        ("comparison", &paths.compare),
    ] {
        for (change, f) in [
            (
                "listing change",
                &listing as &dyn Fn(&mut _) -> QueryResult<()>,
            ),
            ("publication", &publication),
        ] {
            let (median, worst) = cache_misses(&db, &runtime, &server.address, path, f, 20)?;
            println!(
                "| {:<40} | {:>9.2} | {:>8.2} |",
                format!("{what}, after a {change}"),
                median,
                worst
            );
        }
    }
    let (peak, now, heap, files) = server.memory();
    println!(
        "\nportal process: resident memory {started_mb:.0} MB after start, {now:.0} MB at the end ({heap:.0} MB heap, {files:.0} MB mapped files), peak {peak:.0} MB"
    );
    drop(server);
    if "scale-out".contains(only.as_str()) {
        scale_out(&database.url, &runtime, &paths, &options)?;
    }
    Ok(())
}

/// One node against two on the same database, as a region scales out: the catalogue,
/// provider pages and comparisons mixed. With three cores or more each node is pinned to
/// its own core and the load generator to the others; with fewer they share, and the
/// ratio says more about the machine than about the portal.
fn scale_out(
    database_url: &str,
    runtime: &tokio::runtime::Runtime,
    paths: &Paths,
    options: &common::Options,
) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pinned = cores >= 3;
    if pinned {
        // This process (the load generator, all its threads) on the cores the nodes leave.
        let status = Command::new("taskset")
            .args(["-a", "-p", "-c", &format!("2-{}", cores - 1)])
            .arg(std::process::id().to_string())
            .stdout(Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "taskset failed");
    }
    let mut mix: Vec<String> = Vec::new();
    for (label, list) in &paths.pages {
        if [
            "/catalogus?profiel&gemeente",
            "/aanbieders/{slug}",
            "/vergelijk?profiel&2–4 providers",
        ]
        .contains(label)
        {
            mix.extend(list.iter().cloned());
        }
    }
    fastrand::Rng::with_seed(5).shuffle(&mut mix);
    let mix = Arc::new(mix);
    let first = Server::start(database_url, pinned.then_some(0))?;
    runtime.block_on(first_visits(&first.address, &mix))?;
    let mut one = runtime.block_on(load(&first.address, mix.clone(), "one node", options));
    let second = Server::start(database_url, pinned.then_some(1))?;
    runtime.block_on(first_visits(&second.address, &mix))?;
    let addresses = [first.address.clone(), second.address.clone()];
    let mut two = runtime.block_on(common::load_spread(&addresses, mix, "two nodes", options));
    println!(
        "\n| scale-out: catalogue, provider pages, comparisons mixed | req/s | p50 ms | p99 ms | errors |"
    );
    println!("|{:-<58}|{:->11}|{:->8}|{:->8}|{:->8}|", "", "", "", "", "");
    let one_rate = one.requests as f64 / one.elapsed.as_secs_f64();
    for row in [&mut one, &mut two] {
        let rate = row.requests as f64 / row.elapsed.as_secs_f64();
        let (p50, p99) = row.percentiles();
        println!(
            "| {:<56} | {:>9.0} | {:>6.2} | {:>6.2} | {:>6} |",
            format!("{} ({:.2}× one node)", row.label, rate / one_rate),
            rate,
            p50,
            p99,
            row.errors
        );
    }
    println!(
        "{}",
        if pinned {
            format!(
                "each node pinned to its own core (0, 1), the load generator on cores 2-{}",
                cores - 1
            )
        } else {
            format!(
                "{cores} cores: nodes and load generator share them (not pinned); the ratio needs three cores or more to mean anything"
            )
        }
    );
    Ok(())
}

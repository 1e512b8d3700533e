//! Signed-in pages on the scale demo (10,000 providers, about 1,000,000 trajectories): the
//! first visit of every page a region's people use, as each role, in the region with the
//! most providers (about 3,300), as the release binary serves it in its own process. A
//! signed-in page is never kept, so every visit is made anew. Prints per page the time of
//! the first visit (gzip asked for, as browsers do), the bytes sent that way and the page's
//! own size, beside "Hello, World!" on the same kind of connection, and marks what is over
//! the goals of issue 41 (50 ms, 200 KB). Asserts nothing.
//!
//!     cargo bench --bench staff
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench staff
//!
//! Options (after `--`): --providers N (10000), --only TEXT (only pages whose address
//! contains TEXT). `BENCH_SEED_CACHE=dir` keeps the seeded database for the next run.

mod common;

use std::time::{Duration, Instant};

use common::server::{Server, binary};
use common::{BenchDatabase, HttpConnection, hello_world, options};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role, password};
use jeugdhulpcatalogus::db::Db;
use jeugdhulpcatalogus::db::schema::{admissions, trajectories};
use jeugdhulpcatalogus::reference::ReferenceData;

const PASSWORD: &str = "een lange zin als wachtwoord voor de bench";
const GOAL_MS: f64 = 50.0;
const GOAL_KB: f64 = 200.0;

/// One visit: time, bytes sent with gzip, bytes of the page itself.
struct Visit {
    ms: f64,
    sent: usize,
    page: usize,
}

async fn visit(address: &str, cookie: &str, path: &str) -> anyhow::Result<Visit> {
    let mut c = HttpConnection::open(address).await?;
    c.cookie = Some(cookie.to_owned());
    let t = Instant::now();
    let status = c.get(path).await?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(status == 200, "{path}: {status}");
    let sent = c.last_length;
    c.gzip = false;
    c.get(path).await?;
    Ok(Visit {
        ms,
        sent,
        page: c.last_length,
    })
}

fn main() -> anyhow::Result<()> {
    let options = options();
    let only = options.only.clone();
    let database = BenchDatabase::new()?;
    common::seed_scale_demo_kept(&binary(), &database, options.providers)?;
    let db = Db::connect(&database.url, 4)?;
    common::vacuum_after_seeding(&mut *db.conn()?)?;
    common::settle_background_work(&db)?;
    let backend = db.backend().name();
    let mut conn = db.conn()?;
    let reference = ReferenceData::load(&mut conn)?;
    // The region with the most admitted providers, and its provider with the most
    // trajectories (the heaviest "Mijn aanbod").
    let (region_id, admitted): (i64, i64) = admissions::table
        .filter(admissions::status.eq("toegelaten"))
        .group_by(admissions::region_id)
        .select((admissions::region_id, diesel::dsl::count_star()))
        .order(diesel::dsl::count_star().desc())
        .first(&mut conn)?;
    let region = reference
        .region(region_id)
        .ok_or_else(|| anyhow::anyhow!("no region {region_id}"))?;
    let municipality = reference
        .municipalities_of(region_id)
        .next()
        .ok_or_else(|| anyhow::anyhow!("a region without municipalities"))?;
    let (provider, cases): (i64, i64) = trajectories::table
        .inner_join(admissions::table.on(admissions::provider_id.eq(trajectories::provider_id)))
        .filter(admissions::region_id.eq(region_id))
        .group_by(trajectories::provider_id)
        .select((trajectories::provider_id, diesel::dsl::count_star()))
        .order(diesel::dsl::count_star().desc())
        .first(&mut conn)?;
    let hash = password::hash(PASSWORD)?;
    let people = [
        (
            "beheer@bench.example",
            Role::Beheerder,
            Affiliation::Region(region_id),
        ),
        (
            "cm@bench.example",
            Role::Contractmanager,
            Affiliation::Region(region_id),
        ),
        (
            "beleid@bench.example",
            Role::Beleidsmedewerker,
            Affiliation::Municipality(municipality.id),
        ),
        (
            "toegang@bench.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(municipality.id),
        ),
        (
            "aanbieder@bench.example",
            Role::Aanbieder,
            Affiliation::Provider(provider),
        ),
    ];
    common::add_users(&mut conn, &hash, &people)?;
    drop(conn);
    println!(
        "\nbackend {backend}: {} providers; region {} with {admitted} admitted providers; its provider with the most trajectories has {cases}",
        options.providers, region.slug
    );

    let r = &region.slug;
    let pages: Vec<(&str, Vec<String>)> = vec![
        (
            "beheer@bench.example",
            [
                "/mijn-werk".to_owned(),
                "/account".to_owned(),
                "/beheer/gebruikers".to_owned(),
                "/beheer/gemeenten".to_owned(),
                "/beheer/regios".to_owned(),
                format!("/beheer/regios/{r}"),
                format!("/beheer/regios/{r}/productcodes"),
                format!("/beheer/regios/{r}/profielen/nieuw"),
                "/beheer/tarieven".to_owned(),
                "/beheer/procesovereenkomst".to_owned(),
                format!("/beheer/procesovereenkomst/{r}"),
                "/beheer/aanmeldingen".to_owned(),
                "/beheer/meldingen".to_owned(),
                "/beheer/scores/rapporten".to_owned(),
                "/monitor".to_owned(),
            ]
            .to_vec(),
        ),
        ("cm@bench.example", {
            let mut list = vec![
                "/mijn-werk".to_owned(),
                "/beheer/aanmeldingen".to_owned(),
                "/beheer/meldingen".to_owned(),
                "/beheer/scores/rapporten".to_owned(),
                "/monitor".to_owned(),
            ];
            for p in reference.profile_summaries() {
                for indicator in ["doelrealisatie", "uitval", "tevredenheid"] {
                    list.push(format!(
                        "/beheer/scores?profiel={}&indicator={indicator}",
                        p.number
                    ));
                }
            }
            list
        }),
        (
            "beleid@bench.example",
            vec!["/mijn-werk".to_owned(), "/monitor".to_owned()],
        ),
        (
            "toegang@bench.example",
            vec![
                "/mijn-werk".to_owned(),
                "/toegang/hulpvragen".to_owned(),
                "/toegang/hulpvragen/nieuw".to_owned(),
            ],
        ),
        (
            "aanbieder@bench.example",
            [
                "/mijn-werk",
                "/mijn-aanbod",
                "/mijn-aanbod/aanbod/nieuw",
                "/mijn-aanbod/resultaten",
                "/mijn-aanbod/cijfers",
                "/mijn-aanbod/aanvragen",
                "/mijn-aanbod/ijw",
                "/mijn-aanbod/wachttijden",
                "/mijn-aanbod/meldingen",
                "/mijn-aanbod/collegas",
                "/mijn-aanbod/api-tokens",
            ]
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
        ),
    ];

    let server = Server::start(&database.url, None)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let hello = hello_world()?;
    let hello_ms = runtime.block_on(async {
        let mut c = HttpConnection::open(&hello).await?;
        let mut times = Vec::new();
        for _ in 0..100 {
            let t = Instant::now();
            c.get("/").await?;
            times.push(t.elapsed());
        }
        times.sort_unstable();
        anyhow::Ok(common::percentile_ms(&times, 0.5))
    })?;
    println!("Hello, World! on a kept connection: {hello_ms:.2} ms (median of 100)");
    println!("\n| role | page | first visit ms | sent KB (gzip) | page KB | over the goal |");
    println!("|---|---|---:|---:|---:|---|");
    let mut worst: (f64, String) = (0.0, String::new());
    let mut largest: (f64, String) = (0.0, String::new());
    for (email, list) in &pages {
        let cookie = runtime.block_on(common::session(&server.address, email, PASSWORD))?;
        let role = email.split('@').next().unwrap_or_default();
        for path in list.iter().filter(|p| p.contains(&only)) {
            let v = runtime.block_on(visit(&server.address, &cookie, path))?;
            let (sent, page) = (v.sent as f64 / 1024.0, v.page as f64 / 1024.0);
            let over = match (v.ms > GOAL_MS, page > GOAL_KB) {
                (true, true) => "time, size",
                (true, false) => "time",
                (false, true) => "size",
                (false, false) => "",
            };
            println!(
                "| {role} | `{path}` | {:.1} | {sent:.1} | {page:.1} | {over} |",
                v.ms
            );
            if v.ms > worst.0 {
                worst = (v.ms, path.clone());
            }
            if page > largest.0 {
                largest = (page, path.clone());
            }
        }
    }
    println!(
        "\nslowest first visit: {:.1} ms ({}); largest page: {:.1} KB ({})",
        worst.0, worst.1, largest.0, largest.1
    );
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}

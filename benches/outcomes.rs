//! Outcomes benchmark: seeds 10,000 providers, imports 1,000,000 trajectories (through the
//! CSV path for most providers and through POST /api/v1/trajectories for twelve of them,
//! 10,000 a call; half the files and calls one after another, half two at a time),
//! recomputes every score, publishes them, and loads the catalogue sorted on a score.
//! Prints a table; asserts nothing.
//!
//!     cargo bench --bench outcomes
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench outcomes
//!
//! Options (after `--`): --providers N (10000), --seconds S (10), --connections C (32),
//! --pool P (10). Each provider gets 100 trajectories.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use chrono::{TimeDelta, Utc};
use common::{BenchDatabase, load, options, print_table, serve, warm_up};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::secrets::token_hash;
use jeugdhulpcatalogus::accounts::{Affiliation, NewUser, Role};
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::db::DbConnection;
use jeugdhulpcatalogus::db::schema::{
    api_tokens, catalogue_entries, computed_scores, funnels_stale, providers, published_scores,
};
use jeugdhulpcatalogus::domain::ids::ProviderId;
use jeugdhulpcatalogus::outcomes::compute::{Quarter, ScoreSet, recompute_all_pipelined};
use jeugdhulpcatalogus::outcomes::fair::{self, Funnels};
use jeugdhulpcatalogus::outcomes::records::{ANSWER_COLUMNS, COLUMNS};
use jeugdhulpcatalogus::outcomes::store;
use jeugdhulpcatalogus::reference::ReferenceData;
use jeugdhulpcatalogus::startup::prepare_database;

const PER_PROVIDER: usize = 100;
const API_PROVIDERS: usize = 12;
/// Providers uploading at the same time in the second half of the CSV import: one per core
/// of this machine's benchmarks.
const UPLOADERS: usize = 2;

/// 100 CSV lines for a provider across its offers, ended within the twelve months up to the
/// last complete quarter; some clients come back, one in five is in the gedwongen kader, and
/// most answer the two questions of closing (3.1, 3.3).
fn csv_for(offers: &[(String, i32, String)], seed: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(seed);
    let quarter_end = Quarter::of(Utc::now().date_naive()).previous().last_day();
    let mut out = format!("{},{}\n", COLUMNS.join(","), ANSWER_COLUMNS.join(","));
    for i in 0..PER_PROVIDER {
        let (town, profile, intensity) = &offers[i % offers.len()];
        let end = quarter_end - TimeDelta::days(rng.i64(5..360));
        let start = end - TimeDelta::days(rng.i64(30..400));
        let reason = [1, 1, 1, 2, 2, 3, 4, 5][rng.usize(0..8)];
        let goal = [
            "behaald",
            "behaald",
            "deels behaald",
            "niet behaald",
            "onbekend",
        ][rng.usize(0..5)];
        let kader = if rng.u8(0..5) == 0 {
            "gedwongen"
        } else {
            "vrijwillig"
        };
        let _ = writeln!(
            out,
            "R-{seed}-{i},{town},{profile},{intensity},{start},{end},{reason},{goal},K-{},12-17,{kader},{},{},{}",
            rng.usize(0..80),
            rng.u8(4..=10),
            ["ja", "lichtere_hulp", "nee", ""][rng.usize(0..4)],
            ["ja", "deels", "nee", ""][rng.usize(0..4)]
        );
    }
    out
}

/// 100,000 messages (start and stop of 50,000 fictional clients) for one provider, zipped
/// before the clock starts; then one upload's work: (messages, seconds).
fn ijw_import(
    db: &jeugdhulpcatalogus::db::Db,
    reference: &ReferenceData,
    provider_id: i64,
) -> anyhow::Result<(usize, f64)> {
    use jeugdhulpcatalogus::outcomes::ijw::example::{Care, fictional_bsns, zip_of};
    let mut conn = db.conn()?;
    let (agb, offers): (String, Vec<(i64, i64, i64)>) = {
        use jeugdhulpcatalogus::db::schema::{offer_municipalities, offers};
        let agb = providers::table
            .find(provider_id)
            .select(providers::agb_code)
            .first(&mut *conn)?;
        let offers = offers::table
            .inner_join(offer_municipalities::table)
            .filter(offers::provider_id.eq(provider_id))
            .select((
                offer_municipalities::municipality_id,
                offers::profile_id,
                offers::intensity_id,
            ))
            .load(&mut *conn)?;
        (agb, offers)
    };
    let places: Vec<(String, String)> = offers
        .iter()
        .filter_map(|(m, p, i)| {
            let (m, p, i) = (
                reference.municipality(*m)?,
                reference.profile(*p)?,
                reference.intensity(*i)?,
            );
            let letter: String = i
                .code
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .collect();
            Some((m.cbs_code.clone(), format!("J{}{letter}", p.number)))
        })
        .collect();
    anyhow::ensure!(!places.is_empty(), "the provider has no offers");
    let today = Utc::now().date_naive();
    let mut rng = fastrand::Rng::with_seed(7);
    let bsns = fictional_bsns(50_000);
    let cares: Vec<Care> = (0..50_000u32)
        .map(|n| {
            let (municipality_code, product_code) = places[n as usize % places.len()].clone();
            let begin = today - TimeDelta::days(rng.i64(200..700));
            Care {
                toewijzing: 1_000_000 + n,
                bsn: bsns[n as usize].clone(),
                born: begin - TimeDelta::days(rng.i64(5 * 365..17 * 365)),
                municipality_code,
                product_code,
                begin,
                end: Some((begin + TimeDelta::days(rng.i64(30..190)), "31")),
            }
        })
        .collect();
    let zip = zip_of(&agb, &cares).map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = NewUser {
        email: "ijw@bench.example",
        name: "Bench",
        password_hash: "x",
        role: Role::Aanbieder,
        affiliation: Affiliation::Provider(provider_id),
        verified: true,
    }
    .insert(&mut conn)?;
    let keys = jeugdhulpcatalogus::outcomes::ijw::PseudonymKey::new(
        "a bench key of at least thirty-two characters",
    );
    let files = vec![("jaar.zip".to_owned(), zip)];
    let started = Instant::now();
    let applied = jeugdhulpcatalogus::outcomes::ijw::receive::receive(
        &mut conn,
        ProviderId(provider_id),
        user,
        &files,
        &keys,
        reference,
        today,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?
    .map_err(|problems| anyhow::anyhow!("{:?}", &problems[..problems.len().min(3)]))?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(applied.new == 50_000, "{applied:?}");
    Ok((2 * cares.len(), seconds))
}

fn main() -> anyhow::Result<()> {
    let options = options();
    let database = BenchDatabase::new()?;
    let mut config = Config::for_database(database.url.clone());
    config.workers = None;
    config.pool_size = options.pool;
    config.mail_poll_ms = 60_000;
    let db = prepare_database(&config)?;
    let backend = db.backend().name();
    db.conn()?.transaction(|conn| {
        jeugdhulpcatalogus::demo::listings::seed(conn, options.providers, 2, 7)
    })?;
    let reference = ReferenceData::load(&mut *db.conn()?)?;

    // Each provider's offers as (municipality slug, profile number, intensity code).
    // Only public offers: those in regions where the provider is admitted.
    let rows: Vec<(i64, i64, i64, i64)> = catalogue_entries::table
        .order((
            catalogue_entries::provider_id,
            catalogue_entries::profile_id,
            catalogue_entries::intensity_id,
            catalogue_entries::municipality_id,
        ))
        .select((
            catalogue_entries::provider_id,
            catalogue_entries::profile_id,
            catalogue_entries::intensity_id,
            catalogue_entries::municipality_id,
        ))
        .load(&mut *db.conn()?)?;
    let mut by_provider: HashMap<i64, Vec<(String, i32, String)>> = HashMap::new();
    for (provider, profile, intensity, town) in rows {
        let (Some(p), Some(i), Some(m)) = (
            reference.profile(profile),
            reference.intensity(intensity),
            reference.municipality(town),
        ) else {
            continue;
        };
        by_provider
            .entry(provider)
            .or_default()
            .push((m.slug.clone(), p.number, i.code.clone()));
    }
    let mut provider_ids: Vec<i64> = by_provider.keys().copied().collect();
    provider_ids.sort_unstable();
    let (api_ids, csv_ids) = provider_ids.split_at(API_PROVIDERS.min(provider_ids.len()));
    println!(
        "\nbackend {backend}: {} providers, {} trajectories each; {} connections, {} cores",
        provider_ids.len(),
        PER_PROVIDER,
        options.connections,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // iJw: one upload of 100,000 JW305/JW307 messages (50,000 clients' start and stop) in a
    // zip, read, checked, pseudonymised and stored as the upload page and the API do it.
    let ijw = ijw_import(&db, &reference, provider_ids[0])?;
    println!(
        "| {:<44} | {:>10.0} m/s |",
        format!("iJw import ({} messages, one upload)", ijw.0),
        ijw.0 as f64 / ijw.1
    );
    if std::env::args().any(|a| a == "--only-ijw") {
        return Ok(());
    }

    // CSV path: parse, check and store (with the incremental recomputation) per provider.
    // The files are written before the clock starts: writing them is not the portal's work.
    let today = Utc::now().date_naive();
    let files: Vec<(i64, String)> = csv_ids
        .iter()
        .map(|id| {
            (
                *id,
                csv_for(&by_provider[id], u64::try_from(*id).unwrap_or(0)),
            )
        })
        .collect();
    // One file is parsed, checked and stored as the upload's confirmation does it.
    let import = |conn: &mut DbConnection, id: i64, csv: &str| -> anyhow::Result<usize> {
        let rows = store::parse_csv(csv.as_bytes()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let allowed = store::reportable_profiles(conn, ProviderId(id))?;
        let list = store::check_all(&rows, &reference, &allowed, today)
            .map_err(|e| anyhow::anyhow!("{:?}", &e[..e.len().min(3)]))?;
        conn.write_transaction(|conn| store::save_all(conn, ProviderId(id), &list))?;
        Ok(list.len())
    };
    // Half the files one after another (what one upload waits for), the other half by
    // UPLOADERS providers at once (what the portal takes when several upload).
    let (one_by_one, side_by_side) = files.split_at(files.len() / 2);
    let started = Instant::now();
    let mut imported = 0usize;
    {
        let mut conn = db.conn()?;
        for (id, csv) in one_by_one {
            imported += import(&mut conn, *id, csv)?;
        }
    }
    let csv_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let imported_side_by_side = std::thread::scope(|scope| {
        let uploaders: Vec<_> = (0..UPLOADERS)
            .map(|k| {
                let (db, import) = (&db, &import);
                scope.spawn(move || -> anyhow::Result<usize> {
                    let mut conn = db.conn()?;
                    let mut stored = 0;
                    for (id, csv) in side_by_side.iter().skip(k).step_by(UPLOADERS) {
                        stored += import(&mut conn, *id, csv)?;
                    }
                    Ok(stored)
                })
            })
            .collect();
        uploaders
            .into_iter()
            .map(|u| {
                u.join()
                    .map_err(|_| anyhow::anyhow!("an uploader panicked"))
                    .and_then(|stored| stored)
            })
            .sum::<anyhow::Result<usize>>()
    })?;
    let side_by_side_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "CSV import done in {:.1} s",
        csv_seconds + side_by_side_seconds
    );
    // The uploads marked their region × profiles; the job runner's refresh, once for all.
    let started = Instant::now();
    let refreshed = fair::refresh_stale(&mut *db.conn()?)?;
    let refresh_seconds = started.elapsed().as_secs_f64();

    // API path: 10 providers, 10,000 trajectories in one call each.
    let mut tokens = Vec::new();
    {
        let mut conn = db.conn()?;
        for id in api_ids {
            let user = NewUser {
                email: &format!("api-{id}@bench.example"),
                name: "Bench",
                password_hash: "x",
                role: Role::Aanbieder,
                affiliation: Affiliation::Provider(*id),
                verified: true,
            }
            .insert(&mut conn)?;
            let token = format!("jhc_bench{id:0>59}");
            diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::provider_id.eq(*id),
                    api_tokens::user_id.eq(user),
                    api_tokens::name.eq("bench"),
                    api_tokens::token_hash.eq(token_hash(&token)),
                    api_tokens::created_at.eq(Utc::now().naive_utc()),
                    api_tokens::expires_at.eq(Utc::now().naive_utc() + TimeDelta::days(1)),
                ))
                .execute(&mut conn)?;
            tokens.push((*id, token));
        }
    }
    let address = serve(&config, db.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let client = reqwest::Client::new();
    // Encoded before the clock starts: the client's JSON encoding is not the portal's work.
    let bodies: Vec<(String, usize, Vec<u8>)> = tokens
        .iter()
        .map(|(id, token)| {
            // 100 files' worth of rows for one provider, as one call of 10,000.
            let items: Vec<serde_json::Value> = (0..100u64)
                .flat_map(|part| {
                    let csv = csv_for(
                        &by_provider[id],
                        u64::try_from(*id).unwrap_or(0) * 1000 + part,
                    );
                    store::parse_csv(csv.as_bytes())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(_, r)| {
                            let fields: serde_json::Map<String, serde_json::Value> = r
                                .fields()
                                .iter()
                                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
                                .collect();
                            serde_json::Value::Object(fields)
                        })
                })
                .collect();
            let count = items.len();
            let body = serde_json::to_vec(&serde_json::json!({ "trajectories": items }))
                .unwrap_or_default();
            (token.clone(), count, body)
        })
        .collect();
    eprintln!("API import starts");
    // Half the calls one after another, the other half by UPLOADERS providers at once.
    let post = |token: String, body: Vec<u8>| {
        let request = client
            .post(format!("http://{address}/api/v1/trajectories"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body);
        async move {
            let response = request.send().await?;
            anyhow::ensure!(
                response.status().is_success(),
                "API import failed: {}",
                response.status()
            );
            Ok(())
        }
    };
    let mut bodies = bodies;
    let side_by_side_bodies = bodies.split_off(bodies.len() / 2);
    let started = Instant::now();
    let mut api_rows = 0usize;
    for (token, count, body) in bodies {
        runtime.block_on(post(token, body))?;
        api_rows += count;
    }
    let api_seconds = started.elapsed().as_secs_f64();
    let api_rows_side_by_side: usize = side_by_side_bodies.iter().map(|(_, n, _)| n).sum();
    let mut streams: Vec<Vec<(String, Vec<u8>)>> = vec![Vec::new(); UPLOADERS];
    for (k, (token, _, body)) in side_by_side_bodies.into_iter().enumerate() {
        streams[k % UPLOADERS].push((token, body));
    }
    let started = Instant::now();
    runtime.block_on(async {
        let calls = streams.into_iter().map(|stream| async {
            for (token, body) in stream {
                post(token, body).await?;
            }
            anyhow::Ok(())
        });
        futures_util::future::try_join_all(calls).await
    })?;
    let api_side_by_side_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "API import done in {:.1} s",
        api_seconds + api_side_by_side_seconds
    );

    // The server's job runner refreshes the funnels the API calls marked; the recomputation
    // is timed once it is done, so that the two do not share the cores and the write lock.
    let waited = Instant::now();
    while funnels_stale::table
        .count()
        .get_result::<i64>(&mut *db.conn()?)?
        > 0
        && waited.elapsed().as_secs() < 60
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // Full recomputation (as `jeugdhulpcatalogus recompute` runs it).
    let started = Instant::now();
    let written = recompute_all_pipelined(&db)?;
    let recompute_seconds = started.elapsed().as_secs_f64();
    eprintln!("recomputation done in {recompute_seconds:.2} s");

    // Publish the latest quarter for everyone (as contract managers would, in bulk).
    let period = Quarter::of(today).previous().code();
    let fair_seconds: f64;
    let mut fair_values = 0usize;
    {
        let mut conn = db.conn()?;
        let sets: Vec<ScoreSet> = computed_scores::table
            .filter(computed_scores::period.eq(&period))
            .filter(computed_scores::span.eq("12m"))
            .select(ScoreSet::as_select())
            .load(&mut conn)?;
        // The fair comparison of issue 15: per region the funnels of every profile and
        // indicator, and each provider's value read against them (limits, shrunk value).
        let fair_started = Instant::now();
        let mut by_region: HashMap<i64, Vec<ScoreSet>> = HashMap::new();
        for set in &sets {
            by_region
                .entry(set.region_id)
                .or_default()
                .push(set.clone());
        }
        let mut published = Vec::new();
        for region_sets in by_region.values() {
            let funnels = Funnels::of(region_sets);
            for set in region_sets {
                for (indicator, f) in set.counted() {
                    let fair = funnels.fair(set.profile_id, indicator, &f);
                    fair_values += usize::from(fair.is_some());
                    published.push((
                        published_scores::provider_id.eq(set.provider_id),
                        published_scores::profile_id.eq(set.profile_id),
                        published_scores::indicator.eq(indicator),
                        published_scores::value.eq(f.value),
                        published_scores::n.eq(f.n),
                        published_scores::shrunk_value.eq(fair.map(|x| x.shrunk)),
                        published_scores::comparison.eq(fair.map(|x| x.comparison)),
                    ));
                }
            }
        }
        fair_seconds = fair_started.elapsed().as_secs_f64();
        for chunk in published.chunks(5000) {
            jeugdhulpcatalogus::batch_insert!(&mut *conn, published_scores::table, chunk)?;
        }
        common::vacuum_after_seeding(&mut conn)?;
    }
    let total: i64 = jeugdhulpcatalogus::db::schema::trajectories::table
        .count()
        .get_result(&mut *db.conn()?)?;
    let named: i64 = providers::table.count().get_result(&mut *db.conn()?)?;
    println!("| {:<44} | {:>14} |", "what", "figure");
    println!("|{:-<46}|{:->16}|", "", "");
    println!("| {:<44} | {:>14} |", "trajectories stored", total);
    println!("| {:<44} | {:>14} |", "providers", named);
    println!(
        "| {:<44} | {:>10.0} r/s |",
        format!("CSV import ({imported} rows, one file at a time)"),
        imported as f64 / csv_seconds
    );
    println!(
        "| {:<44} | {:>10.0} r/s |",
        format!("CSV import ({imported_side_by_side} rows, {UPLOADERS} at a time)"),
        imported_side_by_side as f64 / side_by_side_seconds
    );
    println!(
        "| {:<44} | {:>12.2} s |",
        format!("funnels of {refreshed} uploaded region × profiles"),
        refresh_seconds
    );
    println!(
        "| {:<44} | {:>10.0} r/s |",
        format!("API import ({api_rows} rows, one call at a time)"),
        api_rows as f64 / api_seconds
    );
    println!(
        "| {:<44} | {:>10.0} r/s |",
        format!("API import ({api_rows_side_by_side} rows, {UPLOADERS} at a time)"),
        api_rows_side_by_side as f64 / api_side_by_side_seconds
    );
    println!(
        "| {:<44} | {:>10.0} m/s |",
        format!("iJw import ({} messages, one upload)", ijw.0),
        ijw.0 as f64 / ijw.1
    );
    println!(
        "| {:<44} | {:>12.2} s |",
        format!("full recomputation ({written} sets, funnels)"),
        recompute_seconds
    );
    println!(
        "| {:<44} | {:>12.2} s |",
        format!("reading at publication ({fair_values} values)"),
        fair_seconds
    );
    println!(
        "| {:<44} | {:>12.2} s |",
        "recomputation and reading at publication",
        recompute_seconds + fair_seconds
    );

    let mut paths = Vec::new();
    for m in &reference.municipalities {
        for p in reference.profile_summaries() {
            paths.push(format!(
                "/catalogus?profiel={}&gemeente={}&volgorde=uitval",
                p.number, m.slug
            ));
        }
    }
    let paths = Arc::new(paths);
    runtime.block_on(warm_up(&address, &paths));
    let mut rows = vec![runtime.block_on(load(
        &address,
        paths,
        "GET /catalogus?…&volgorde=uitval",
        &options,
    ))];
    print_table(&mut rows);
    Ok(())
}

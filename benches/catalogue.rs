//! Catalogue benchmark: seeds 10,000 providers, then measures the search query on its own
//! and the rendered `/catalogus?profiel=…&gemeente=…` page (and its API twin) at 32
//! concurrent keep-alive connections on loopback. Prints a table; asserts nothing.
//!
//!     cargo bench --bench catalogue                      # SQLite
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench catalogue
//!
//! Options (after `--`): --providers N (10000), --seconds S (10), --connections C (32),
//! --pool P (database connections, 10 as in production).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use jeugdhulpcatalogus::catalogue::model;
use jeugdhulpcatalogus::catalogue::search::SearchParams;
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::reference::ReferenceData;
use jeugdhulpcatalogus::startup::{Application, prepare_database};

struct Options {
    providers: usize,
    seconds: u64,
    connections: usize,
    pool: u32,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    Options {
        providers: value("--providers", 10_000) as usize,
        seconds: value("--seconds", 10),
        connections: value("--connections", 32) as usize,
        pool: value("--pool", 10) as u32,
    }
}

/// A fresh database for the run, removed afterwards.
struct BenchDatabase {
    url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl BenchDatabase {
    fn new() -> anyhow::Result<Self> {
        match std::env::var("BENCH_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("jhc_bench_{}", std::process::id());
                let mut conn = PgConnection::establish(&admin)?;
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn)?;
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn)?;
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Ok(BenchDatabase {
                    url: format!("{base}/{name}"),
                    cleanup: Some((admin, name)),
                    _dir: None,
                })
            }
            _ => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                Ok(BenchDatabase {
                    url,
                    cleanup: None,
                    _dir: Some(dir),
                })
            }
        }
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.cleanup {
            if let Ok(mut conn) = PgConnection::establish(admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

struct Figures {
    label: String,
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Figures {
    fn row(&mut self) -> String {
        self.latencies.sort_unstable();
        let pct = |p: f64| {
            let i = ((self.latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
            self.latencies
                .get(i)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        format!(
            "| {:<34} | {:>9.0} | {:>8.2} | {:>8.2} | {:>8} | {:>6} |",
            self.label,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            self.requests,
            self.errors
        )
    }
}

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
            .resolve(&reference)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let found = model::search(&mut conn, &search.filter, search.order, search.page, today)?;
        latencies.push(t.elapsed());
        rows += found.total;
    }
    std::hint::black_box(rows);
    Ok(Figures {
        label: "query only (1 thread, no HTTP)".into(),
        requests: latencies.len(),
        errors: 0,
        elapsed: started.elapsed(),
        latencies,
    })
}

/// One simulated user: a keep-alive HTTP/1.1 connection sending GETs one after another.
/// A hand-rolled client, because on a 2-core machine the load generator shares the CPU with
/// the server and a full HTTP client would measure itself as much as the portal.
struct HttpConnection {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
}

impl HttpConnection {
    async fn open(address: &str) -> std::io::Result<Self> {
        let stream = tokio::net::TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(HttpConnection {
            stream: tokio::io::BufReader::new(stream),
        })
    }

    /// Sends one GET and reads the whole response; returns its status code.
    async fn get(&mut self, path: &str) -> std::io::Result<u16> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n");
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("status line"))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(bad("connection closed"));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding")
                    && value.contains("chunked")
                {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size =
                    usize::from_str_radix(line.trim_end(), 16).map_err(|_| bad("chunk size"))?;
                body.resize(size + 2, 0);
                self.stream.read_exact(&mut body).await?;
                if size == 0 {
                    break;
                }
            }
        } else {
            body.resize(length.ok_or_else(|| bad("no length"))?, 0);
            self.stream.read_exact(&mut body).await?;
        }
        Ok(status)
    }
}

async fn load(address: &str, paths: Arc<Vec<String>>, label: &str, options: &Options) -> Figures {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..options.connections {
        let (paths, stop, address) = (paths.clone(), stop.clone(), address.to_owned());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0);
            let mut connection = None;
            let mut i = worker * 7;
            while !stop.load(Ordering::Relaxed) {
                if connection.is_none() {
                    match HttpConnection::open(&address).await {
                        Ok(c) => connection = Some(c),
                        Err(_) => {
                            errors += 1;
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        }
                    }
                }
                let Some(c) = connection.as_mut() else {
                    continue;
                };
                let path = &paths[i % paths.len()];
                i += 1;
                let t = Instant::now();
                match c.get(path).await {
                    Ok(200) => latencies.push(t.elapsed()),
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        connection = None;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    tokio::time::sleep(Duration::from_secs(options.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut figures = Figures {
        label: label.into(),
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: vec![],
    };
    for task in tasks {
        if let Ok((latencies, errors)) = task.await {
            figures.requests += latencies.len();
            figures.latencies.extend(latencies);
            figures.errors += errors;
        }
    }
    figures.elapsed = started.elapsed();
    figures
}

/// Warm-up: fill the pool, the caches and the page cache before anything is timed.
async fn warm_up(address: &str, paths: &[String]) {
    if let Ok(mut c) = HttpConnection::open(address).await {
        for path in paths.iter().take(100) {
            let _ = c.get(path).await;
        }
    }
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
    db.conn()?
        .transaction(|conn| jeugdhulpcatalogus::demo::seed(conn, options.providers, 7))?;
    if backend == "postgres" {
        // What autovacuum does soon after a bulk load: row counts for the planner, and the
        // visibility map that lets the catalogue search read only the index.
        diesel::sql_query("VACUUM ANALYZE").execute(&mut *db.conn()?)?;
    }
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
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let (server_config, server_db) = (config.clone(), db.clone());
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match Application::build_with_db(&server_config, server_db) {
                Ok(app) => {
                    let _ = port_tx.send(Ok(app.port()));
                    let _ = app.run_until_stopped().await;
                }
                Err(e) => {
                    let _ = port_tx.send(Err(e));
                }
            }
        })
    });
    let address = format!("127.0.0.1:{}", port_rx.recv()??);
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

    println!(
        "| {:<34} | {:>9} | {:>8} | {:>8} | {:>8} | {:>6} |",
        "what", "req/s", "p50 ms", "p99 ms", "requests", "errors"
    );
    println!(
        "|{:-<36}|{:->11}|{:->10}|{:->10}|{:->10}|{:->8}|",
        "", "", "", "", "", ""
    );
    for row in &mut rows {
        println!("{}", row.row());
    }
    Ok(())
}

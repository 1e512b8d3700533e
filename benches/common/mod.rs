//! What the benchmarks share: options, a fresh database per run, the result table, and a
//! minimal keep-alive HTTP/1.1 load generator.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;

pub mod server;
pub mod wrk;

pub struct Options {
    pub providers: usize,
    pub seconds: u64,
    pub connections: usize,
    pub pool: u32,
    /// Sent with every request of the load (a signed-in user's session).
    pub cookie: Option<String>,
    /// `--only TEXT`: only what the bench labels with TEXT (empty: everything).
    pub only: String,
}

pub fn options() -> Options {
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
        cookie: None,
        only: args
            .iter()
            .position(|a| a == "--only")
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_default(),
    }
}

/// A fresh database for the run, removed afterwards.
pub struct BenchDatabase {
    pub url: String,
    pub cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl BenchDatabase {
    pub fn new() -> anyhow::Result<Self> {
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
        if let Some((admin, name)) = &self.cleanup
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn);
        }
    }
}

/// What autovacuum does soon after a bulk load, done at once on PostgreSQL: row counts for
/// the planner, and the visibility map that lets the catalogue search read only the index.
/// SQLite needs nothing.
pub fn vacuum_after_seeding(conn: &mut jeugdhulpcatalogus::db::DbConnection) -> QueryResult<()> {
    if let jeugdhulpcatalogus::db::DbConnection::Postgresql(_) = conn {
        diesel::sql_query("VACUUM ANALYZE").execute(conn)?;
    }
    Ok(())
}

pub struct Figures {
    pub label: String,
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

/// The latency below which a share `p` of these (sorted) latencies lie, in ms; 0 for none.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

impl Figures {
    /// The median and the 99th percentile latency, in ms.
    pub fn percentiles(&mut self) -> (f64, f64) {
        self.latencies.sort_unstable();
        (
            percentile_ms(&self.latencies, 0.50),
            percentile_ms(&self.latencies, 0.99),
        )
    }

    pub fn row(&mut self) -> String {
        let (p50, p99) = self.percentiles();
        format!(
            "| {:<38} | {:>9.0} | {:>8.2} | {:>8.2} | {:>8} | {:>6} |",
            self.label,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            p50,
            p99,
            self.requests,
            self.errors
        )
    }
}

/// One simulated user: a keep-alive HTTP/1.1 connection sending GETs one after another.
/// A hand-rolled client, because on a 2-core machine the load generator shares the CPU with
/// the server and a full HTTP client would measure itself as much as the portal.
pub struct HttpConnection {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
    /// The body length of the last response (after dechunking), in bytes.
    pub last_length: usize,
    /// A `Cookie` header's value, sent with every request.
    pub cookie: Option<String>,
    /// Whether gzip is asked for, as browsers do (the default).
    pub gzip: bool,
}

impl HttpConnection {
    pub async fn open(address: &str) -> std::io::Result<Self> {
        let stream = tokio::net::TcpStream::connect(address).await?;
        stream.set_nodelay(true)?;
        Ok(HttpConnection {
            stream: tokio::io::BufReader::new(stream),
            last_length: 0,
            cookie: None,
            gzip: true,
        })
    }

    /// Sends one GET and reads the whole response; returns its status code.
    pub async fn get(&mut self, path: &str) -> std::io::Result<u16> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        // As a browser asks: every browser takes gzip, and the portal sends kept pages so.
        let cookie = self
            .cookie
            .as_ref()
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let encoding = if self.gzip {
            "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        } else {
            ""
        };
        let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\n{encoding}{cookie}\r\n");
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
        self.last_length = 0;
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size =
                    usize::from_str_radix(line.trim_end(), 16).map_err(|_| bad("chunk size"))?;
                body.resize(size + 2, 0);
                self.stream.read_exact(&mut body).await?;
                self.last_length += size;
                if size == 0 {
                    break;
                }
            }
        } else {
            body.resize(length.ok_or_else(|| bad("no length"))?, 0);
            self.stream.read_exact(&mut body).await?;
            self.last_length = body.len();
        }
        Ok(status)
    }
}

pub async fn load(
    address: &str,
    paths: Arc<Vec<String>>,
    label: &str,
    options: &Options,
) -> Figures {
    load_spread(&[address.to_owned()], paths, label, options).await
}

/// [`load`] with the connections spread evenly over several servers (nodes of one portal).
pub async fn load_spread(
    addresses: &[String],
    paths: Arc<Vec<String>>,
    label: &str,
    options: &Options,
) -> Figures {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..options.connections {
        let address = addresses[worker % addresses.len()].clone();
        let (paths, stop) = (paths.clone(), stop.clone());
        let cookie = options.cookie.clone();
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0);
            let mut connection = None;
            let mut i = worker * 7;
            while !stop.load(Ordering::Relaxed) {
                if connection.is_none() {
                    match HttpConnection::open(&address).await {
                        Ok(mut c) => {
                            c.cookie = cookie.clone();
                            connection = Some(c);
                        }
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

/// Every address once, one after another on one connection: per request the latency and
/// the body length, in the order of `paths`. The first visit of an address in a catalogue
/// version is a cache miss, so this measures the misses of the whole rotation.
pub async fn first_visits(
    address: &str,
    paths: &[String],
) -> std::io::Result<Vec<(Duration, usize)>> {
    let mut c = HttpConnection::open(address).await?;
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let t = Instant::now();
        let status = c.get(path).await?;
        if status != 200 {
            return Err(std::io::Error::other(format!("{path}: {status}")));
        }
        out.push((t.elapsed(), c.last_length));
    }
    Ok(out)
}

/// Warm-up: fill the pool, the caches and the page cache before anything is timed.
pub async fn warm_up(address: &str, paths: &[String]) {
    if let Ok(mut c) = HttpConnection::open(address).await {
        for path in paths.iter().take(100) {
            let _ = c.get(path).await;
        }
    }
}

/// Prints the table of figures.
pub fn print_table(rows: &mut [Figures]) {
    println!(
        "| {:<38} | {:>9} | {:>8} | {:>8} | {:>8} | {:>6} |",
        "what", "req/s", "p50 ms", "p99 ms", "requests", "errors"
    );
    println!(
        "|{:-<40}|{:->11}|{:->10}|{:->10}|{:->10}|{:->8}|",
        "", "", "", "", "", ""
    );
    for row in rows {
        println!("{}", row.row());
    }
}

/// Starts the application in its own actix system and thread; returns "127.0.0.1:port".
pub fn serve(
    config: &jeugdhulpcatalogus::config::Config,
    db: jeugdhulpcatalogus::db::Db,
) -> anyhow::Result<String> {
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    let config = config.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match jeugdhulpcatalogus::startup::Application::build_with_db(&config, db) {
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
    Ok(format!("127.0.0.1:{}", port_rx.recv()??))
}

/// actix-web's "Hello, World!", on its own threads with as many workers as the portal.
pub fn hello_world() -> anyhow::Result<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(|| {
                actix_web::App::new()
                    .route("/", actix_web::web::get().to(|| async { "Hello, World!" }))
            })
            .bind(("127.0.0.1", 0));
            match server {
                Ok(server) => {
                    let _ = tx.send(Ok(server.addrs()[0].port()));
                    let _ = server.run().await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        })
    });
    Ok(format!("127.0.0.1:{}", rx.recv()??))
}

/// Does at once what the job runner would do in a portal's first seconds after seeding
/// (the municipal monitors and the funnels that seeding marked), so that a measurement of
/// pages is not one of the job runner's work beside them.
pub fn settle_background_work(db: &jeugdhulpcatalogus::db::Db) -> anyhow::Result<()> {
    let mut conn = db.conn()?;
    let reference = jeugdhulpcatalogus::reference::ReferenceData::load(&mut conn)?;
    let today = jeugdhulpcatalogus::clock::today();
    jeugdhulpcatalogus::monitor::store::refresh_due(&mut conn, &reference, today)?;
    let marks = jeugdhulpcatalogus::outcomes::fair::stale_marks(&mut conn)?;
    jeugdhulpcatalogus::outcomes::fair::refresh_marked(&mut conn, &marks)?;
    Ok(())
}

/// [`seed_scale_demo`] once per schema and size: with `BENCH_SEED_CACHE=dir` the first run
/// keeps what it seeded (SQLite: a file in `dir`; PostgreSQL: a template database) and later
/// runs copy it, which saves minutes when a benchmark is run again and again. Without it,
/// every run seeds.
pub fn seed_scale_demo_kept(
    binary: &str,
    database: &BenchDatabase,
    providers: usize,
) -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("BENCH_SEED_CACHE").filter(|d| !d.is_empty()) else {
        return seed_scale_demo(binary, &database.url, providers);
    };
    let mut schema: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
    schema.sort();
    let schema = schema.last().cloned().unwrap_or_default();
    let name = format!("scale_{providers}_{}", &schema[..schema.len().min(17)]).replace('-', "_");
    match &database.cleanup {
        Some((admin, bench)) => {
            let mut conn = PgConnection::establish(admin)?;
            let template = format!("jhc_seed_{name}");
            let exists: i64 = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                &format!("(SELECT count(*) FROM pg_database WHERE datname = '{template}')"),
            ))
            .get_result(&mut conn)?;
            if exists == 0 {
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                diesel::sql_query(format!("CREATE DATABASE {template}")).execute(&mut conn)?;
                let url = format!("{base}/{template}");
                seed_scale_demo(binary, &url, providers)?;
                settle_background_work(&jeugdhulpcatalogus::db::Db::connect(&url, 1)?)?;
            }
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {bench}")).execute(&mut conn)?;
            diesel::sql_query(format!("CREATE DATABASE {bench} TEMPLATE {template}"))
                .execute(&mut conn)?;
        }
        None => {
            let kept = std::path::Path::new(&dir).join(format!("{name}.db"));
            if !kept.exists() {
                std::fs::create_dir_all(&dir)?;
                let url = format!("sqlite://{}", kept.display());
                seed_scale_demo(binary, &url, providers)?;
                settle_background_work(&jeugdhulpcatalogus::db::Db::connect(&url, 1)?)?;
                // One file: the write-ahead log folded in.
                let mut conn = SqliteConnection::establish(&url)?;
                diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn)?;
            }
            let path = database.url.trim_start_matches("sqlite://");
            std::fs::copy(&kept, path)?;
        }
    }
    Ok(())
}

/// Adds signed-in users with one password (already hashed), as the benches' roles.
pub fn add_users(
    conn: &mut jeugdhulpcatalogus::db::DbConnection,
    password_hash: &str,
    people: &[(
        &str,
        jeugdhulpcatalogus::accounts::Role,
        jeugdhulpcatalogus::accounts::Affiliation,
    )],
) -> anyhow::Result<()> {
    for (email, role, affiliation) in people {
        jeugdhulpcatalogus::accounts::NewUser {
            email,
            name: "Bench",
            password_hash,
            role: *role,
            affiliation: *affiliation,
            verified: true,
        }
        .insert(conn)?;
    }
    Ok(())
}

/// Seeds the demo's scale mode (`providers` providers, two years) into an empty database
/// with the portal binary, as a region would.
pub fn seed_scale_demo(binary: &str, database_url: &str, providers: usize) -> anyhow::Result<()> {
    let seeded = std::process::Command::new(binary)
        .args(["seed-demo", "--providers", &providers.to_string()])
        .args(["--years", "2"])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env("MAIL_DIR", std::env::temp_dir().join("jhc-bench-mail"))
        .stdout(std::process::Stdio::null())
        .status()?;
    anyhow::ensure!(seeded.success(), "seed-demo failed");
    Ok(())
}

/// A signed-in session's cookie, through the login form.
pub async fn session(address: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = format!("http://{address}");
    let page = client
        .get(format!("{base}/inloggen"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf\" value=\"";
    let at = page
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no CSRF field"))?
        + marker.len();
    let token: String = page[at..].chars().take_while(|c| *c != '"').collect();
    let response = client
        .post(format!("{base}/inloggen"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("wachtwoord", password),
        ])
        .send()
        .await?;
    anyhow::ensure!(response.status() == 303, "login: {}", response.status());
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let csrf = format!("jhc_csrf={token}");
    Ok(std::iter::once(csrf)
        .chain(cookies)
        .collect::<Vec<_>>()
        .join("; "))
}

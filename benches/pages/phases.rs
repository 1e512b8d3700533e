//! The table issue 41 asks for: the catalogue, provider pages and comparisons measured with
//! wrk (two threads, 32 connections, gzip asked for) beside "Hello, World!" in the same
//! run: warm, in the first seconds after the portal starts (every page a miss, the pool
//! new), and in the first seconds after a publication by another node (every page a miss
//! once the node has read the new version). With `BENCH_BEFORE_BIN=path` the same phases
//! run against that build too, and the table shows both.

use std::time::Duration;

use jeugdhulpcatalogus::db::Db;

use super::common::first_visits;
use super::common::server::{Server, VERSION_POLL_MS};
use super::common::wrk::{self, WrkFigures};

/// The three sets of addresses of the table.
pub struct Sets {
    pub catalogue: Vec<String>,
    pub providers: Vec<String>,
    pub comparisons: Vec<String>,
}

impl Sets {
    fn each(&self) -> [(&'static str, &Vec<String>); 3] {
        [
            ("catalogue", &self.catalogue),
            ("provider pages", &self.providers),
            ("comparisons", &self.comparisons),
        ]
    }
}

/// One build's figures, row by row (labels in [`labels`] order).
pub struct Measured {
    pub hello: WrkFigures,
    pub rows: Vec<WrkFigures>,
}

/// How each phase loads the portal: for how long, with how many connections, and where
/// "Hello, World!" runs.
#[derive(Clone, Copy)]
pub struct Load<'a> {
    pub hello: &'a str,
    pub seconds: u64,
    pub connections: usize,
}

/// Every phase for one build of the portal.
pub fn measure(
    binary: &str,
    database_url: &str,
    db: &Db,
    runtime: &tokio::runtime::Runtime,
    sets: &Sets,
    load: &Load<'_>,
) -> anyhow::Result<Measured> {
    let Load {
        hello,
        seconds,
        connections,
    } = *load;
    let hello = wrk::run(
        hello,
        &["/".to_owned()],
        "actix-web Hello, World!",
        seconds,
        connections,
        None,
    )?;
    let mut rows = Vec::new();
    // Warm: every address visited once, then the load on kept pages.
    {
        let server = Server::start_binary(binary, database_url, None)?;
        for (name, list) in sets.each() {
            runtime.block_on(first_visits(&server.address, list))?;
            rows.push(wrk::run(
                &server.address,
                list,
                &format!("{name}, warm"),
                seconds,
                connections,
                None,
            )?);
        }
    }
    // The first seconds after a start: nothing kept, the load from the first moment.
    for (name, list) in sets.each() {
        let server = Server::start_binary(binary, database_url, None)?;
        rows.push(wrk::run(
            &server.address,
            list,
            &format!("{name}, first {seconds} s after start"),
            seconds,
            connections,
            None,
        )?);
    }
    // The first seconds after a publication on another node: the load already running
    // when this node reads the new version (within its poll interval).
    let server = Server::start_binary(binary, database_url, None)?;
    for (name, list) in sets.each() {
        runtime.block_on(first_visits(&server.address, list))?;
        let publish = {
            let db = db.clone();
            std::thread::spawn(move || -> anyhow::Result<()> {
                std::thread::sleep(Duration::from_millis(VERSION_POLL_MS / 2));
                db.conn()?
                    .write_transaction(jeugdhulpcatalogus::read_model::scores_changed)?;
                Ok(())
            })
        };
        rows.push(wrk::run(
            &server.address,
            list,
            &format!("{name}, first {seconds} s after a publication"),
            seconds,
            connections,
            None,
        )?);
        publish
            .join()
            .map_err(|_| anyhow::anyhow!("publication thread"))??;
    }
    Ok(Measured { hello, rows })
}

fn cell(row: &WrkFigures, hello: &WrkFigures) -> String {
    format!(
        "{:>8.0} ({:.2}) | {:>6.2}",
        row.rate,
        row.rate / hello.rate,
        row.p99_ms
    )
}

/// Prints the table: this build, and the build before when it was measured too.
pub fn print(backend: &str, now: &Measured, before: Option<&Measured>) {
    let who = |m: &Measured| {
        format!(
            "hello {:.0} req/s, p99 {:.2} ms",
            m.hello.rate, m.hello.p99_ms
        )
    };
    println!(
        "\nwrk -t2 -c32, {backend}; this build: {}{}",
        who(now),
        before.map_or(String::new(), |b| format!("; before: {}", who(b)))
    );
    print!("| {:<46} | req/s (× hello) | p99 ms | errors |", "");
    if before.is_some() {
        print!(" before: req/s (× hello) | p99 ms |");
    }
    println!();
    print!("|{:-<48}|{:->17}|{:->8}|{:->8}|", "", "", "", "");
    if before.is_some() {
        print!("{:->25}|{:->8}|", "", "");
    }
    println!();
    for (i, row) in now.rows.iter().enumerate() {
        print!(
            "| {:<46} | {} | {:>6} |",
            row.label,
            cell(row, &now.hello),
            row.errors
        );
        if let Some(b) = before.and_then(|b| b.rows.get(i).map(|r| (r, &b.hello))) {
            print!(" {} |", cell(b.0, b.1));
        }
        println!();
    }
    for row in now
        .rows
        .iter()
        .chain(before.iter().flat_map(|b| b.rows.iter()))
    {
        if !row.error_lines.is_empty() {
            println!("{}: {}", row.label, row.error_lines.join("; "));
        }
    }
}

/// The comparisons of exactly three providers of one profile, as the table counts
/// them (126 on the scale demo), from the profile's providers in a seeded order.
pub fn comparisons_of_three(by_profile: &[(i32, Vec<String>)], most: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (number, list) in by_profile {
        for group in list.chunks(3).take(most.div_ceil(by_profile.len().max(1))) {
            if let [a, b, c] = group {
                out.push(format!(
                    "/vergelijk?profiel={number}&aanbieder={a}&aanbieder={b}&aanbieder={c}"
                ));
            }
        }
    }
    out.truncate(most);
    out
}

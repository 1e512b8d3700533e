//! The portal as the benchmarks run it: the release binary as its own process, on its own
//! port, so that its memory and its start are its own.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The portal binary this build made; `BENCH_PORTAL_BIN` names another (an earlier build,
/// for before-and-after figures from the same benchmark).
pub fn binary() -> String {
    std::env::var("BENCH_PORTAL_BIN")
        .ok()
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_jeugdhulpcatalogus").to_owned())
}

/// The portal's default: how long it trusts the catalogue version it read. The benchmark
/// changes the database as another node would, so it waits this long before the request.
pub const VERSION_POLL_MS: u64 = 250;

/// The portal as a child process; stopped when dropped.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    /// The portal on its own port; on `core` only when given (through `taskset`, so that
    /// it also sizes its workers to that one core).
    pub fn start(database_url: &str, core: Option<usize>) -> anyhow::Result<Server> {
        Server::start_binary(&binary(), database_url, core)
    }

    /// [`Server::start`] with another build of the portal.
    pub fn start_binary(
        binary: &str,
        database_url: &str,
        core: Option<usize>,
    ) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut command = match core {
            Some(core) => {
                let mut c = Command::new("taskset");
                c.args(["-c", &core.to_string(), binary]);
                c
            }
            None => Command::new(binary),
        };
        let child = command
            .env("DATABASE_URL", database_url)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .env("VERSION_POLL_MS", VERSION_POLL_MS.to_string())
            .env("MAIL_DIR", std::env::temp_dir().join("jhc-bench-mail"))
            .stdout(Stdio::null())
            .spawn()?;
        let address = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(120);
        while std::net::TcpStream::connect(&address).is_err() {
            anyhow::ensure!(Instant::now() < deadline, "the portal did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Server { child, address })
    }

    /// Peak and current resident memory, and of the current its anonymous part (the heap)
    /// and the part that maps files (SQLite's memory-mapped database), in MB, from /proc.
    pub fn memory(&self) -> (f64, f64, f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        };
        (
            field("VmHWM:"),
            field("VmRSS:"),
            field("RssAnon:"),
            field("RssFile:"),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

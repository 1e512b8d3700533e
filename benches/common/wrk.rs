//! Load as users' traffic makes it: `wrk` (Debian's package) with two threads and 32
//! keep-alive connections by default, rotating over a list of addresses with a Lua script,
//! and asking for gzip as browsers do. The bench's own one-thread client hid the one-second
//! tails that wrk's two threads showed on PostgreSQL (issue 41), so the tables use wrk.

use std::io::Write;
use std::process::Command;

/// One wrk run's figures.
pub struct WrkFigures {
    pub label: String,
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Responses other than 2xx/3xx and socket errors.
    pub errors: u64,
    /// wrk's own lines about them, when there were any.
    pub error_lines: Vec<String>,
}

/// Whether wrk can be run here (`apt-get install wrk`).
pub fn available() -> bool {
    Command::new("wrk")
        .arg("--version")
        .output()
        .is_ok_and(|o| !o.stdout.is_empty() || !o.stderr.is_empty())
}

/// wrk's latency figure ("162.00us", "1.04ms", "1.27s", "2.00m") in ms.
fn ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => value / 1000.0,
        "ms" => value,
        "s" => value * 1000.0,
        "m" => value * 60_000.0,
        _ => return None,
    })
}

/// The figures in wrk's report (run with `--latency`).
fn parse(label: &str, report: &str) -> anyhow::Result<WrkFigures> {
    let mut figures = WrkFigures {
        label: label.to_owned(),
        rate: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        requests: 0,
        errors: 0,
        error_lines: Vec::new(),
    };
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", value] => figures.p50_ms = ms(value).unwrap_or(f64::NAN),
            ["99%", value] => figures.p99_ms = ms(value).unwrap_or(f64::NAN),
            ["Requests/sec:", value] => figures.rate = value.parse()?,
            [count, "requests", "in", ..] => figures.requests = count.parse()?,
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                figures.errors += count.parse::<u64>()?;
                figures.error_lines.push(line.to_owned());
            }
            ["Socket", "errors:", rest @ ..] => {
                figures.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
                figures.error_lines.push(line.to_owned());
            }
            _ => {}
        }
    }
    anyhow::ensure!(figures.requests > 0, "wrk reported no requests:\n{report}");
    Ok(figures)
}

/// `wrk -t{threads} -c{connections} -d{seconds}s --latency` at `address`, each thread
/// rotating over `paths` from its own starting point; `cookie` is sent with every request.
pub fn run(
    address: &str,
    paths: &[String],
    label: &str,
    seconds: u64,
    connections: usize,
    cookie: Option<&str>,
) -> anyhow::Result<WrkFigures> {
    anyhow::ensure!(!paths.is_empty(), "no addresses for {label}");
    let dir = tempfile::tempdir()?;
    let list = dir.path().join("paths.txt");
    std::fs::write(&list, paths.join("\n") + "\n")?;
    let script = dir.path().join("rotate.lua");
    let mut lua = std::fs::File::create(&script)?;
    write!(
        lua,
        r#"local paths = {{}}
for line in io.lines("{list}") do paths[#paths + 1] = line end
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end
local i = 0
function init(args) i = offset or 0 end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"#,
        list = list.display()
    )?;
    drop(lua);
    let mut command = Command::new("wrk");
    command
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .args(["--latency", "-s"])
        .arg(&script)
        .args(["-H", "Accept-Encoding: gzip, deflate, br"]);
    if let Some(cookie) = cookie {
        command.args(["-H", &format!("Cookie: {cookie}")]);
    }
    let output = command.arg(format!("http://{address}/")).output()?;
    anyhow::ensure!(
        output.status.success(),
        "wrk failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse(label, &String::from_utf8_lossy(&output.stdout))
}

#[test]
fn wrk_reports_are_read() {
    let report = "Running 6s test @ http://127.0.0.1:8080/
  2 threads and 32 connections
  Latency Distribution
     50%  162.00us
     75%  300.00us
     90%  500.00us
     99%    1.27s
  1183413 requests in 6.10s, 146.72MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec: 193988.03
Transfer/sec:     24.05MB
";
    let figures = parse("x", report).expect("parsed");
    assert_eq!(figures.requests, 1_183_413);
    assert!((figures.p50_ms - 0.162).abs() < 1e-9);
    assert!((figures.p99_ms - 1270.0).abs() < 1e-9);
    assert_eq!(figures.errors, 8);
    assert!((figures.rate - 193_988.03).abs() < 1e-6);
}

//! A small SMTP server on loopback for the tests: the portal's real lettre client talks the
//! real protocol to it over TCP, and the tests read what arrived. It can be told to refuse
//! mail (451, try again later) to test the outbox's retries.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    /// The raw message: headers and (possibly encoded) body.
    pub data: String,
}

impl ReceivedMail {
    /// The message with quoted-printable soft line breaks and `=3D` undone, enough to find
    /// links and words in it.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }

    /// The message with its base64 parts decoded (lettre sends text that is mostly not
    /// ASCII, Arabic or Ukrainian, as base64), and [`text`](Self::text)'s undoing of the rest.
    pub fn decoded(&self) -> String {
        let text = self.text();
        let mut out = String::new();
        let mut in_base64 = false;
        let mut chunk = String::new();
        for line in text.split("\r\n") {
            if line.eq_ignore_ascii_case("content-transfer-encoding: base64") {
                in_base64 = true;
                out.push_str(line);
                out.push('\n');
                continue;
            }
            if in_base64 {
                if line.starts_with("--") {
                    out.push_str(&String::from_utf8_lossy(&base64(&chunk)));
                    chunk.clear();
                    in_base64 = false;
                } else {
                    chunk.push_str(line.trim());
                    continue;
                }
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&String::from_utf8_lossy(&base64(&chunk)));
        out
    }

    /// The first link in the message that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        let rest = &text[start..];
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
            .unwrap_or(rest.len());
        Some(rest[..end].to_owned())
    }
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    refusing: Arc<AtomicBool>,
    /// Milliseconds to wait before accepting each message: a slow server.
    delay_ms: Arc<std::sync::atomic::AtomicU64>,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP");
        let port = listener.local_addr().expect("address").port();
        let server = SmtpServer {
            port,
            received: Arc::default(),
            refusing: Arc::default(),
            delay_ms: Arc::default(),
        };
        let shared = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || {
                    let _ = shared.session(stream);
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Answer every message with "451 try again later" while set.
    pub fn refuse(&self, refusing: bool) {
        self.refusing.store(refusing, Ordering::SeqCst);
    }

    /// Wait this long before accepting each message.
    pub fn slow_down(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.delay_ms.store(ms, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits until `count` messages arrived to `to`, and returns them all.
    pub fn wait_for(&self, to: &str, count: usize) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found: Vec<ReceivedMail> = self
                .received()
                .into_iter()
                .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))
                .collect();
            if found.len() >= count || Instant::now() > deadline {
                assert!(
                    found.len() >= count,
                    "expected {count} mail(s) to {to}, got {}: {:?}",
                    found.len(),
                    self.received().iter().map(|m| &m.to).collect::<Vec<_>>()
                );
                return found;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn session(&self, stream: TcpStream) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        let mut writer = stream.try_clone()?;
        let mut reader = BufReader::new(stream);
        writer.write_all(b"220 localhost test SMTP\r\n")?;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_owned();
            let upper = command.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                writer.write_all(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                writer.write_all(b"250 OK\r\n")?;
            } else if upper.starts_with("MAIL FROM") || upper.starts_with("RSET") {
                to.clear();
                writer.write_all(b"250 OK\r\n")?;
            } else if upper.starts_with("RCPT TO") {
                let address = command
                    .split_once(':')
                    .map(|(_, a)| {
                        a.trim()
                            .trim_start_matches('<')
                            .split('>')
                            .next()
                            .unwrap_or("")
                            .to_owned()
                    })
                    .unwrap_or_default();
                to.push(address);
                writer.write_all(b"250 OK\r\n")?;
            } else if upper == "DATA" {
                if self.refusing.load(Ordering::SeqCst) {
                    writer.write_all(b"451 Try again later\r\n")?;
                    continue;
                }
                writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                std::thread::sleep(Duration::from_millis(self.delay_ms.load(Ordering::SeqCst)));
                self.received.lock().expect("lock").push(ReceivedMail {
                    to: std::mem::take(&mut to),
                    data,
                });
                writer.write_all(b"250 OK queued\r\n")?;
            } else if upper.starts_with("QUIT") {
                writer.write_all(b"221 Bye\r\n")?;
                return Ok(());
            } else {
                writer.write_all(b"502 Command not implemented\r\n")?;
            }
        }
    }
}

/// Standard base64 (with padding, whitespace ignored), for the test's reading of mails.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter_map(value) {
        buffer = (buffer << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

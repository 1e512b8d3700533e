//! What a provider sends: XML files (each one message, or several after one another) and
//! zip archives of them. Limits hold before anything is kept in memory at full size.

use std::io::Read;

use super::message::{self, Message, Problem};

/// The most messages one upload may hold.
pub const MAX_MESSAGES: usize = 100_000;
/// The most bytes the messages of one upload may take once unpacked.
pub const MAX_UNPACKED: u64 = 400 * 1024 * 1024;

/// The most bytes one file in a zip may take unpacked (a file of many messages).
const MAX_ENTRY: u64 = 64 * 1024 * 1024;
/// At most this many problems are kept: enough to mend a file, not so many that a bad upload
/// fills the memory.
pub const MAX_PROBLEMS: usize = 1000;

/// Reads every message in the files sent. Problems are listed per message; the messages that
/// could be read are returned beside them (a later check reports on those too). `limited`
/// says a limit of the upload was passed: then nothing more is worth checking.
pub fn read_all(files: &[(String, Vec<u8>)]) -> Unpacked {
    let mut messages = Vec::new();
    let mut problems = Vec::new();
    let mut unpacked: u64 = 0;
    let mut limited = false;
    let counters = message::Counters::default();
    for (name, bytes) in files {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            read_zip(
                name,
                bytes,
                &counters,
                &mut unpacked,
                &mut messages,
                &mut problems,
            );
        } else {
            unpacked += bytes.len() as u64;
            let (found, wrong) = message::read(name, bytes, &counters);
            messages.extend(found);
            problems.extend(wrong);
        }
        if counters.over() {
            problems.push(message::too_many("upload"));
            limited = true;
        } else if unpacked > MAX_UNPACKED {
            problems.push(too_large());
            limited = true;
        }
        if limited || problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if messages.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            files.first().map_or("upload", |(name, _)| name.as_str()),
            "bestand",
            "Wij vonden geen JW305- of JW307-bericht in wat u stuurde.",
        ));
    }
    cap(&mut problems);
    Unpacked {
        messages,
        problems,
        limited,
    }
}

/// A name as a sender or a packing program wrote it, safe to show and repeat: no control
/// characters, at most 80 characters.
pub fn short_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    if clean.chars().count() == 80 {
        format!("{clean}…")
    } else {
        clean
    }
}

/// What the files held.
pub struct Unpacked {
    pub messages: Vec<Message>,
    pub problems: Vec<Problem>,
    /// A limit of the upload was passed.
    pub limited: bool,
}

/// Keeps the first [`MAX_PROBLEMS`] problems and says there were more.
pub fn cap(problems: &mut Vec<Problem>) {
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem::new(
            "upload",
            "bestand",
            format!(
                "En nog {} fouten of meer: verbeter eerst deze.",
                crate::web::text::number_nl(more as u64)
            ),
        ));
    }
}

fn too_large() -> Problem {
    Problem::new(
        "upload",
        "bestand",
        "Uitgepakt zijn de berichten groter dan 400 MB. Stuur ze in delen.",
    )
}

/// Reads a zip's messages, one share of its files per core.
fn read_zip(
    name: &str,
    bytes: &[u8],
    counters: &message::Counters,
    unpacked: &mut u64,
    messages: &mut Vec<Message>,
    problems: &mut Vec<Problem>,
) {
    let archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(_) => {
            problems.push(Problem::new(
                name,
                "bestand",
                "Dit zip-bestand kunnen wij niet openen. Maak het opnieuw, met gewone compressie (deflate).",
            ));
            return;
        }
    };
    // Inflating and reading is the upload's largest part: one share of the files per core,
    // each in its own copy of the archive (a copy shares the bytes), joined in file order.
    let entries = archive.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4)
        .min(entries.max(1));
    let budget = std::sync::atomic::AtomicU64::new(*unpacked);
    let share = entries.div_ceil(threads);
    let parts: Vec<(Vec<Message>, Vec<Problem>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let mut archive = archive.clone();
                let budget = &budget;
                scope.spawn(move || {
                    let range = (t * share)..((t + 1) * share).min(entries);
                    read_entries(name, &mut archive, range, budget, counters)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    (
                        Vec::new(),
                        vec![Problem::new(
                            name,
                            "bestand",
                            "Dit zip-bestand kunnen wij niet lezen.",
                        )],
                    )
                })
            })
            .collect()
    });
    *unpacked = budget.into_inner();
    for (read, wrong) in parts {
        messages.extend(read);
        problems.extend(wrong);
    }
}

/// Reads the entries in `range`: their messages and problems. Stops when the upload's limits
/// (shared by every thread) are passed; the caller reports that.
fn read_entries(
    name: &str,
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    range: std::ops::Range<usize>,
    budget: &std::sync::atomic::AtomicU64,
    counters: &message::Counters,
) -> (Vec<Message>, Vec<Problem>) {
    use std::sync::atomic::Ordering::Relaxed;
    let (mut messages, mut problems) = (Vec::new(), Vec::new());
    let mut buffer = Vec::new();
    for index in range {
        if budget.load(Relaxed) > MAX_UNPACKED || counters.over() || problems.len() >= MAX_PROBLEMS
        {
            break;
        }
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(_) => {
                problems.push(Problem::new(
                    name,
                    "bestand",
                    format!("Bestand {} in het zip-bestand kunnen wij niet uitpakken. Gebruik gewone compressie (deflate).", index + 1),
                ));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let inner = short_name(&entry.name().unwrap_or_default());
        // Files a packing program adds beside the messages.
        let base = inner.rsplit('/').next().unwrap_or(&inner);
        if base.starts_with('.') || inner.starts_with("__MACOSX/") {
            continue;
        }
        let place = format!("{name} › {inner}");
        if !inner.to_lowercase().ends_with(".xml") {
            problems.push(Problem::new(
                &place,
                "bestand",
                "Dit is geen XML-bestand. Zet alleen JW305- en JW307-berichten in het zip-bestand.",
            ));
            continue;
        }
        buffer.clear();
        // The size the archive states may lie: the budget is taken before each piece is read.
        let mut piece = [0u8; 64 * 1024];
        let mut broken = false;
        loop {
            match entry.read(&mut piece) {
                Ok(0) => break,
                Ok(n) => {
                    let before = budget.fetch_add(n as u64, Relaxed);
                    if before + n as u64 > MAX_UNPACKED
                        || buffer.len() as u64 + n as u64 > MAX_ENTRY
                    {
                        broken = true;
                        break;
                    }
                    buffer.extend_from_slice(&piece[..n]);
                }
                Err(_) => {
                    problems.push(Problem::new(
                        &place,
                        "bestand",
                        "Dit bestand kunnen wij niet uitpakken. Maak het zip-bestand opnieuw.",
                    ));
                    broken = true;
                    break;
                }
            }
        }
        if broken {
            if budget.load(Relaxed) <= MAX_UNPACKED {
                problems.push(Problem::new(
                    &place,
                    "bestand",
                    "Dit bestand is uitgepakt groter dan 64 MB. Zet de berichten in kleinere bestanden.",
                ));
            }
            continue;
        }
        let (read, wrong) = message::read(&place, &buffer, counters);
        messages.extend(read);
        problems.extend(wrong);
    }
    (messages, problems)
}

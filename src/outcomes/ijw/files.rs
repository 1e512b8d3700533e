//! What a provider sends: XML files (each one message, or several after one another) and
//! zip archives of them. Limits hold before anything is kept in memory at full size.

use std::io::Read;

use super::message::{self, Message, Problem};

/// The most messages one upload may hold.
pub const MAX_MESSAGES: usize = 100_000;
/// The most bytes the messages of one upload may take once unpacked.
pub const MAX_UNPACKED: u64 = 400 * 1024 * 1024;

/// Reads every message in the files sent. Problems are listed per message; the messages that
/// could be read are returned beside them (a later check reports on those too).
pub fn read_all(files: &[(String, Vec<u8>)]) -> (Vec<Message>, Vec<Problem>) {
    let mut messages = Vec::new();
    let mut problems = Vec::new();
    let mut unpacked: u64 = 0;
    for (name, bytes) in files {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            read_zip(name, bytes, &mut unpacked, &mut messages, &mut problems);
        } else {
            unpacked += bytes.len() as u64;
            let (found, wrong) = message::read(name, bytes);
            messages.extend(found);
            problems.extend(wrong);
        }
        if messages.len() > MAX_MESSAGES {
            problems.push(too_many());
            break;
        }
        if unpacked > MAX_UNPACKED {
            problems.push(too_large());
            break;
        }
    }
    (messages, problems)
}

fn too_many() -> Problem {
    Problem::new(
        "upload",
        "bestand",
        format!(
            "Stuur hoogstens {} berichten tegelijk. Splits de berichten over meer bestanden.",
            crate::web::text::number_nl(MAX_MESSAGES as u64)
        ),
    )
}

fn too_large() -> Problem {
    Problem::new(
        "upload",
        "bestand",
        "Uitgepakt zijn de berichten groter dan 400 MB. Stuur ze in delen.",
    )
}

fn read_zip(
    name: &str,
    bytes: &[u8],
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
    let found = std::sync::atomic::AtomicUsize::new(messages.len());
    let share = entries.div_ceil(threads);
    let parts: Vec<(Vec<Message>, Vec<Problem>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let mut archive = archive.clone();
                let (budget, found) = (&budget, &found);
                scope.spawn(move || {
                    let range = (t * share)..((t + 1) * share).min(entries);
                    read_entries(name, &mut archive, range, budget, found)
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
    for (found, wrong) in parts {
        messages.extend(found);
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
    found: &std::sync::atomic::AtomicUsize,
) -> (Vec<Message>, Vec<Problem>) {
    use std::sync::atomic::Ordering::Relaxed;
    let (mut messages, mut problems) = (Vec::new(), Vec::new());
    let mut buffer = Vec::new();
    for index in range {
        if budget.load(Relaxed) > MAX_UNPACKED || found.load(Relaxed) > MAX_MESSAGES {
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
        let inner = entry.name().unwrap_or_default().into_owned();
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
        // The size the archive states may lie: read no more than the limit allows.
        let room = MAX_UNPACKED.saturating_sub(budget.load(Relaxed)) + 1;
        if (&mut entry).take(room).read_to_end(&mut buffer).is_err() {
            problems.push(Problem::new(
                &place,
                "bestand",
                "Dit bestand kunnen wij niet uitpakken. Maak het zip-bestand opnieuw.",
            ));
            continue;
        }
        budget.fetch_add(buffer.len() as u64, Relaxed);
        let (read, wrong) = message::read(&place, &buffer);
        found.fetch_add(read.len(), Relaxed);
        messages.extend(read);
        problems.extend(wrong);
    }
    (messages, problems)
}

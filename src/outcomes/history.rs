//! A region's past trajectories loaded in one go (`jeugdhulpcatalogus import-history`): one
//! CSV file with the upload's columns and the provider in [`PROVIDER_COLUMN`]. The file is
//! read and checked on every core, stored in one transaction (COPY on PostgreSQL, prepared
//! many-row inserts on SQLite), and the scores of every provider in it are recomputed once,
//! with the region's funnels. All or nothing; a trajectory already stored under the same
//! provider and reference is replaced, so loading a file again changes nothing.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::records::{Trajectory, check};
use super::store::{self, Layout, RowProblem};
use crate::db::schema::{admissions, providers, trajectories};
use crate::db::{Db, DbConnection};
use crate::providers::AdmissionStatus;
use crate::reference::ReferenceData;

/// The column that names the provider: the name in its catalogue address (`/aanbieders/…`)
/// or its AGB code.
pub const PROVIDER_COLUMN: &str = "aanbieder";

/// The most problems kept to report; [`Refused::total`] counts them all.
pub const MAX_PROBLEMS: usize = 200;

/// Rows per insert call: one COPY on PostgreSQL; bounds the rows held twice in memory.
const INSERT_CHUNK: usize = 50_000;

/// What a load stored, and where its time went.
#[derive(Debug, Clone, Copy, Default)]
pub struct Loaded {
    pub rows: usize,
    /// Of `rows`, those that replaced a stored trajectory.
    pub replaced: usize,
    pub providers: usize,
    pub scores: usize,
    /// Reading and checking the file.
    pub read: Duration,
    /// Finding and removing the trajectories the file replaces (part of `stored`).
    pub replacing: Duration,
    /// Removing the replaced trajectories and storing the new ones.
    pub stored: Duration,
    /// Recomputing the providers' scores, committing, and the region's funnels.
    pub recomputed: Duration,
}

/// Why nothing was stored: the first problems, and how many there were.
#[derive(Debug, Clone, Default)]
pub struct Refused {
    pub problems: Vec<RowProblem>,
    pub total: usize,
}

impl Refused {
    fn one(row: u64, column: &'static str, message: String) -> Refused {
        Refused {
            problems: vec![RowProblem {
                row,
                column,
                message,
            }],
            total: 1,
        }
    }

    fn add(&mut self, problem: RowProblem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
        self.total += 1;
    }

    fn extend(&mut self, other: Refused) {
        let room = MAX_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(other.problems.into_iter().take(room));
        self.total += other.total;
    }
}

/// A checked row: its line, its provider and the trajectory.
type Checked = (u64, i64, Trajectory);

/// Loads `bytes` (the CSV file) as the history of the region with this slug.
pub fn import(
    db: &Db,
    region_slug: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> anyhow::Result<Result<Loaded, Refused>> {
    let started = Instant::now();
    let mut conn = db.conn()?;
    let reference = ReferenceData::load(&mut conn)?;
    let Some(region) = reference.regions.iter().find(|r| r.slug == region_slug) else {
        return Ok(Err(Refused::one(
            0,
            "regio",
            format!("Er is geen regio '{region_slug}'."),
        )));
    };
    let names = ProviderNames::of(&mut conn, region.id)?;
    let allowed: Vec<i64> = reference
        .profiles
        .iter()
        .filter(|p| p.region_id == region.id)
        .map(|p| p.id)
        .collect();
    let checking = Checking {
        reference: &reference,
        names: &names,
        allowed: &allowed,
        today,
    };
    let rows = match read_all(bytes, &checking) {
        Ok(rows) => rows,
        Err(refused) => return Ok(Err(refused)),
    };
    let read = started.elapsed();
    let started = Instant::now();
    let mut rows = rows;
    // In the order of the provider's index: each index page is written once per file,
    // rather than once per row that lands on it.
    rows.sort_unstable_by(|a, b| (a.1, &a.2.reference).cmp(&(b.1, &b.2.reference)));
    let mut provider_ids: Vec<i64> = rows.iter().map(|(_, provider, _)| *provider).collect();
    provider_ids.dedup();
    let sqlite = matches!(*conn, DbConnection::Sqlite(_));
    if sqlite {
        // The trajectories' indexes are written all over: with the connection's usual 8 MB
        // every insert read its pages from the file again.
        diesel::sql_query(format!("PRAGMA cache_size = -{LOAD_CACHE_KIB}")).execute(&mut *conn)?;
    }
    let outcome = store_and_recompute(
        &mut conn,
        &rows,
        (region.id, &provider_ids),
        (read, started),
    );
    let reset = if sqlite {
        diesel::sql_query(format!(
            "PRAGMA cache_size = {}",
            crate::db::SQLITE_CACHE_SIZE
        ))
        .execute(&mut *conn)
        .map(|_| ())
    } else {
        Ok(())
    };
    let (loaded, touched) = match outcome? {
        Ok(stored) => stored,
        Err(refused) => return Ok(Err(refused)),
    };
    // Stored: what follows is told, not a reason to say the load failed.
    if let Err(error) = reset {
        tracing::warn!(%error, "the page cache of a connection was not set back");
    }
    // The funnels of the marked region × profiles, now rather than on the job's next round
    // (which does them if this fails).
    if let Err(error) = super::fair::refresh_profiles(&mut conn, &touched) {
        tracing::warn!(%error, "funnels left to the job runner after a history load");
    }
    Ok(Ok(Loaded {
        recomputed: started.elapsed().saturating_sub(loaded.stored),
        ..loaded
    }))
}

/// SQLite's page cache while a history is stored, in KiB.
const LOAD_CACHE_KIB: i64 = 262_144;

/// Stores the rows in one transaction, replacing what they replace, and recomputes the
/// providers' scores; the loaded figures and the profiles whose funnels are marked.
fn store_and_recompute(
    conn: &mut DbConnection,
    rows: &[Checked],
    (region_id, provider_ids): (i64, &[i64]),
    (read, started): (Duration, Instant),
) -> anyhow::Result<Result<(Loaded, Vec<i64>), Refused>> {
    conn.write_transaction(|conn| {
        let removed = remove_replaced(conn, (region_id, provider_ids), rows)?;
        let (replaced, old_profiles) = match removed {
            Ok(removed) => removed,
            // Nothing written yet: the transaction ends without a change.
            Err(refused) => return anyhow::Ok(Err(refused)),
        };
        let replacing = started.elapsed();
        let now = crate::clock::now();
        for chunk in rows.chunks(INSERT_CHUNK) {
            let list: Vec<(i64, &Trajectory)> = chunk.iter().map(|(_, p, t)| (*p, t)).collect();
            store::insert_many(conn, &list, "aanbieder", now)?;
        }
        let stored = started.elapsed();
        let (scores, touched) =
            super::compute::recompute_providers(conn, provider_ids, &old_profiles)?;
        anyhow::Ok(Ok((
            Loaded {
                rows: rows.len(),
                replaced,
                providers: provider_ids.len(),
                scores,
                read,
                replacing,
                stored,
                recomputed: Duration::ZERO,
            },
            touched,
        )))
    })
}

/// The providers that may have a history in the region (admitted now or before), by the name
/// in their address and by AGB code (which two providers may share).
struct ProviderNames {
    by_slug: HashMap<String, i64>,
    by_agb: HashMap<String, Vec<i64>>,
}

impl ProviderNames {
    fn of(conn: &mut DbConnection, region_id: i64) -> QueryResult<ProviderNames> {
        let rows: Vec<(i64, String, String)> = providers::table
            .filter(
                providers::id.eq_any(
                    admissions::table
                        .filter(admissions::region_id.eq(region_id))
                        .filter(admissions::status.eq_any([
                            AdmissionStatus::Toegelaten,
                            AdmissionStatus::Opgeschort,
                            AdmissionStatus::Beeindigd,
                        ]))
                        .select(admissions::provider_id),
                ),
            )
            .select((providers::id, providers::slug, providers::agb_code))
            .load(conn)?;
        let mut names = ProviderNames {
            by_slug: HashMap::with_capacity(rows.len()),
            by_agb: HashMap::with_capacity(rows.len()),
        };
        for (id, slug, agb) in rows {
            names.by_slug.insert(slug, id);
            names.by_agb.entry(agb).or_default().push(id);
        }
        Ok(names)
    }

    fn find(&self, value: &str) -> Result<i64, String> {
        let value = value.trim();
        if let Some(id) = self.by_slug.get(&value.to_lowercase()) {
            return Ok(*id);
        }
        match self.by_agb.get(value).map(Vec::as_slice) {
            Some([id]) => Ok(*id),
            Some(_) => Err(format!("Meer dan één aanbieder in de regio heeft AGB-code '{value}'. Gebruik de naam uit het adres van de aanbieder in de catalogus.")),
            None if value.is_empty() => Err("Vul de aanbieder in: de naam uit het adres van de aanbieder in de catalogus, of de AGB-code.".into()),
            None => Err(format!("'{value}' is geen aanbieder die in deze regio is of was toegelaten. Gebruik de naam uit het adres van de aanbieder in de catalogus, of de AGB-code.")),
        }
    }
}

/// What every row is checked against.
struct Checking<'a> {
    reference: &'a ReferenceData,
    names: &'a ProviderNames,
    allowed: &'a [i64],
    today: NaiveDate,
}

/// Reads and checks every row, a part of the file per core; then no reference twice for one
/// provider.
fn read_all(bytes: &[u8], checking: &Checking<'_>) -> Result<Vec<Checked>, Refused> {
    let refused = |problems: Vec<RowProblem>| Refused {
        total: problems.len(),
        problems,
    };
    let text = store::csv_text(bytes).map_err(refused)?;
    let delimiter = store::delimiter_of(text);
    let header_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut header = store::csv_reader(delimiter, true, &text.as_bytes()[..header_end]);
    let headers = store::header_names(&mut header).map_err(refused)?;
    let layout = Layout::of(&headers, &[PROVIDER_COLUMN]).map_err(refused)?;
    let Some(provider_at) = headers.iter().position(|h| h == PROVIDER_COLUMN) else {
        return Err(Refused::one(
            1,
            PROVIDER_COLUMN,
            format!(
                "De kolom '{PROVIDER_COLUMN}' ontbreekt. Zet daarin per regel de naam uit het adres van de aanbieder in de catalogus, of de AGB-code."
            ),
        ));
    };
    let body = &text[header_end..];
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let parts = split_lines(body, cores);
    let results: Vec<Part> = std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|(first_line, part)| {
                let layout = &layout;
                scope.spawn(move || {
                    read_part(
                        (first_line, part),
                        (delimiter, layout, provider_at),
                        checking,
                    )
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut rows = Vec::with_capacity(results.iter().map(|(r, _, _)| r.len()).sum());
    let mut refused_keys = Vec::new();
    let mut problems = Refused::default();
    for (part_rows, part_keys, part_problems) in results {
        rows.extend(part_rows);
        refused_keys.extend(part_keys);
        problems.extend(part_problems);
    }
    // Every reference used twice by one provider, also where one of the rows has another
    // problem, named against its first line.
    let mut keys: Vec<(u64, i64, &str)> = rows
        .iter()
        .map(|(line, provider, t)| (*line, *provider, t.reference.as_str()))
        .chain(
            refused_keys
                .iter()
                .map(|(line, p, r)| (*line, *p, r.as_str())),
        )
        .collect();
    keys.sort_unstable_by_key(|k| k.0);
    let mut seen: HashMap<(i64, &str), u64> = HashMap::with_capacity(keys.len());
    for (line, provider, reference) in keys {
        let first = *seen.entry((provider, reference)).or_insert(line);
        if first != line {
            problems.add(RowProblem {
                row: line,
                column: "referentie",
                message: format!("Deze aanbieder heeft deze referentie ook op regel {first}. Elke referentie mag per aanbieder één keer voorkomen."),
            });
        }
    }
    drop(seen);
    if problems.total > 0 {
        problems.problems.sort_by_key(|p| p.row);
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(Refused::one(
            2,
            "bestand",
            "Het bestand bevat geen trajecten.".into(),
        ));
    }
    Ok(rows)
}

/// The text in about `parts` pieces of whole lines, each with the file line it starts on
/// (the header is line 1). A file with quotes is read as one piece: a quoted value may hold
/// a line break.
fn split_lines(body: &str, parts: usize) -> Vec<(u64, &str)> {
    if parts <= 1 || body.contains('"') {
        return vec![(2, body)];
    }
    let bytes = body.as_bytes();
    let mut pieces = Vec::with_capacity(parts);
    let (mut start, mut line) = (0usize, 2u64);
    for k in 1..parts {
        let aim = (bytes.len() * k / parts).max(start);
        let Some(newline) = bytes[aim..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let end = aim + newline + 1;
        pieces.push((line, &body[start..end]));
        line += bytecount(&bytes[start..end]);
        start = end;
    }
    pieces.push((line, &body[start..]));
    pieces
}

fn bytecount(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// What a piece of the file gave: its checked rows, the line, provider and reference of
/// the rows refused for another reason (for the check on references used twice), and the
/// problems.
type Part = (Vec<Checked>, Vec<(u64, i64, String)>, Refused);

/// Reads and checks one piece of the file.
fn read_part(
    (first_line, part): (u64, &str),
    (delimiter, layout, provider_at): (u8, &Layout, usize),
    checking: &Checking<'_>,
) -> Part {
    let mut reader = store::csv_reader(delimiter, false, part.as_bytes());
    let mut rows = Vec::with_capacity(part.len() / 100);
    let mut refused_keys = Vec::new();
    let mut problems = Refused::default();
    let mut record = csv::StringRecord::new();
    // Positions count lines from 1 within the piece.
    let line_of = |position: Option<&csv::Position>| {
        first_line + position.map_or(0, |p| p.line().saturating_sub(1))
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                problems.add(store::unreadable(line_of(e.position())));
                continue;
            }
        }
        let line = line_of(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let named = record.get(provider_at).unwrap_or("");
        // Refused as every other column's value is, and then not repeated in the message.
        let provider = if crate::web::input::has_control(named) {
            Err(crate::web::input::CONTROL_MESSAGE.to_owned())
        } else if crate::web::input::contains_bsn(named) {
            Err("Dit lijkt een BSN. Zet hier de naam uit het adres van de aanbieder in de catalogus, of de AGB-code.".to_owned())
        } else {
            checking.names.find(named)
        }
        .map_err(|message| RowProblem {
            row: line,
            column: PROVIDER_COLUMN,
            message,
        });
        let raw = layout.raw(&record);
        let trajectory = check(&raw, checking.reference, checking.allowed, checking.today);
        match (provider, trajectory) {
            (Ok(provider), Ok(t)) => rows.push((line, provider, t)),
            (provider, trajectory) => {
                match provider {
                    // A row refused for another reason still takes its reference.
                    Ok(provider) if !raw.referentie.trim().is_empty() => {
                        refused_keys.push((line, provider, raw.referentie.trim().to_owned()));
                    }
                    Ok(_) => {}
                    Err(problem) => problems.add(problem),
                }
                for p in trajectory.err().into_iter().flatten() {
                    problems.add(RowProblem {
                        row: line,
                        column: p.column,
                        message: p.message,
                    });
                }
            }
        }
    }
    (rows, refused_keys, problems)
}

/// Removes the stored trajectories the rows replace (same provider and reference); returns
/// how many, and the profiles they were in (one may be left without trajectories).
///
/// A reference the provider used for a trajectory in another region is refused: a region
/// loads its own history and never replaces another region's.
fn remove_replaced(
    conn: &mut DbConnection,
    (region_id, provider_ids): (i64, &[i64]),
    rows: &[Checked],
) -> QueryResult<Result<(usize, BTreeSet<i64>), Refused>> {
    let wanted: HashMap<(i64, &str), u64> = rows
        .iter()
        .map(|(line, p, t)| ((*p, t.reference.as_str()), *line))
        .collect();
    let mut replaced: Vec<i64> = Vec::new();
    let mut profiles = BTreeSet::new();
    let mut elsewhere = Refused::default();
    for chunk in provider_ids.chunks(500) {
        let stored: Vec<(i64, String, i64, i64, i64)> = trajectories::table
            .filter(trajectories::provider_id.eq_any(chunk))
            .select((
                trajectories::provider_id,
                trajectories::reference,
                trajectories::id,
                trajectories::profile_id,
                trajectories::region_id,
            ))
            .load(conn)?;
        for (provider, reference, id, profile, region) in stored {
            match wanted.get(&(provider, reference.as_str())) {
                Some(&line) if region != region_id => elsewhere.add(RowProblem {
                    row: line,
                    column: "referentie",
                    message: format!("De aanbieder gebruikt referentie '{reference}' al voor een traject in een andere regio. Een referentie hoort bij één traject van de aanbieder: kies een andere."),
                }),
                Some(_) => {
                    replaced.push(id);
                    profiles.insert(profile);
                }
                None => {}
            }
        }
    }
    if elsewhere.total > 0 {
        elsewhere.problems.sort_by_key(|p| p.row);
        return Ok(Err(elsewhere));
    }
    for chunk in replaced.chunks(10_000) {
        diesel::delete(trajectories::table.filter(trajectories::id.eq_any(chunk))).execute(conn)?;
    }
    Ok(Ok((replaced.len(), profiles)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_split_on_line_ends_with_its_line_numbers() {
        let body = "a\nb\nc\nd\ne\n";
        let parts = split_lines(body, 3);
        assert_eq!(parts.concat_text(), body);
        let mut line = 2;
        for (first, text) in &parts {
            assert_eq!(*first, line, "{parts:?}");
            assert!(text.ends_with('\n') || text.is_empty());
            line += bytecount(text.as_bytes());
        }
        assert_eq!(split_lines("\"a\nb\"\nc\n", 2), vec![(2, "\"a\nb\"\nc\n")]);
        assert_eq!(split_lines("a\n", 4).concat_text(), "a\n");
    }

    trait Concat {
        fn concat_text(&self) -> String;
    }

    impl Concat for Vec<(u64, &str)> {
        fn concat_text(&self) -> String {
            self.iter().map(|(_, t)| *t).collect()
        }
    }
}

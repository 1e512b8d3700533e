//! A new region from files (`/beheer/regios` and `jeugdhulpcatalogus import-region DIR`), in
//! the formats of the reference tables: `regions.csv` (slug, name, procurement method),
//! `municipalities.csv` (region, municipality, CBS code), `profiles.csv` (number, official
//! name), `intensities.csv` (code, name, how it is paid), optionally
//! `profile-descriptions.csv` (number, B1 description) and a tariff file (`tariffs*.csv`).
//! Every file is checked before anything is stored, every problem named with its file and
//! line, and all of it is stored in one transaction or nothing is.

mod closing;
pub mod edit;
mod edit_pages;
mod edit_routes;
mod pages;
pub mod products;
pub mod routes;
mod usage;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::{intensities, municipalities, profiles, regions};
use crate::reference::model::ReferenceData;
use crate::reference::seed::{
    DescriptionRow, MunicipalityRow, ProfileRow, RegionRow, SatisfactionItemRow,
};

use edit::METHODS;

/// The files, as read from a directory or an upload.
#[derive(Debug, Default, Clone)]
pub struct RegionFiles {
    pub regions: Option<Vec<u8>>,
    pub municipalities: Option<Vec<u8>>,
    pub profiles: Option<Vec<u8>>,
    pub intensities: Option<Vec<u8>>,
    pub descriptions: Option<Vec<u8>>,
    /// The questions families are asked; without it, the default ones.
    pub satisfaction: Option<Vec<u8>>,
    pub tariffs: Option<Vec<u8>>,
    /// From when the tariffs are valid.
    pub tariffs_from: Option<NaiveDate>,
}

impl RegionFiles {
    /// Reads the files of a directory; a missing optional file is `None`.
    pub fn from_dir(dir: &std::path::Path) -> std::io::Result<RegionFiles> {
        let read = |name: &str| -> std::io::Result<Option<Vec<u8>>> {
            let path = dir.join(name);
            if path.exists() {
                std::fs::read(path).map(Some)
            } else {
                Ok(None)
            }
        };
        let mut tariffs = None;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("tariffs") && name.ends_with(".csv") {
                tariffs = Some(std::fs::read(&path)?);
            }
        }
        Ok(RegionFiles {
            regions: read("regions.csv")?,
            municipalities: read("municipalities.csv")?,
            profiles: read("profiles.csv")?,
            intensities: read("intensities.csv")?,
            descriptions: read("profile-descriptions.csv")?,
            satisfaction: read("satisfaction-items.csv")?,
            tariffs,
            tariffs_from: None,
        })
    }
}

/// A problem: the file, the line (1 is the header) and what is wrong, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, regel {}: {}", self.file, self.line, self.message)
    }
}

/// What was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub regions: usize,
    pub municipalities: usize,
    pub profiles: usize,
    pub intensities: usize,
    pub tariffs: usize,
}

/// A line of `intensities.csv`. Unlike the compiled table (`seed`), a region's own file
/// may leave the B1 description out.
#[derive(Deserialize)]
struct IntensityRow {
    code: String,
    name_nl: String,
    paid_per: String,
    #[serde(default)]
    description_b1: String,
}

/// The rows of one file, each with its line; a line that does not fit is a problem.
fn rows<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    bytes: Option<&[u8]>,
    required: bool,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, T)> {
    let Some(bytes) = bytes else {
        if required {
            problems.push(Problem {
                file,
                line: 0,
                message: "Dit bestand ontbreekt.".into(),
            });
        }
        return Vec::new();
    };
    let text = String::from_utf8_lossy(bytes);
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Vec::new();
    for (n, record) in reader.deserialize::<T>().enumerate() {
        match record {
            Ok(row) => out.push((n + 2, row)),
            Err(error) => problems.push(Problem {
                file,
                line: n + 2,
                message: format!("Deze regel past niet in het formaat ({error})."),
            }),
        }
    }
    if out.is_empty() && required && problems.iter().all(|p| p.file != file) {
        problems.push(Problem {
            file,
            line: 1,
            message: "Dit bestand heeft geen regels.".into(),
        });
    }
    out
}

/// How an intensity is paid, as the reference file says it.
fn paid_per(typed: &str) -> Option<&'static str> {
    match typed.trim() {
        "trajectory" | "traject" => Some("traject"),
        "4 weeks" | "vier_weken" => Some("vier_weken"),
        "hour" | "uur" => Some("uur"),
        "day" | "dag" => Some("dag"),
        _ => None,
    }
}

/// Every question once, with a short code a form field can carry, and a name.
fn check_satisfaction(
    given: bool,
    items: &[(usize, SatisfactionItemRow)],
    problems: &mut Vec<Problem>,
) {
    if given && items.is_empty() && problems.iter().all(|p| p.file != "satisfaction-items.csv") {
        problems.push(Problem {
            file: "satisfaction-items.csv",
            line: 0,
            message: "Dit bestand heeft geen vragen. Gezinnen moeten minstens één vraag krijgen."
                .into(),
        });
    }
    let mut codes = HashSet::new();
    for (line, item) in items {
        let code = crate::web::text::slugify(&item.code);
        let mut say = |message: String| {
            problems.push(Problem {
                file: "satisfaction-items.csv",
                line: *line,
                message,
            })
        };
        if code.is_empty()
            || code != item.code.trim()
            || ["opmerking", "csrf"].contains(&code.as_str())
            || !codes.insert(code)
        {
            say(format!(
                "\"{}\": een code is kort, in kleine letters, en komt één keer voor.",
                item.code.trim()
            ));
        }
        if item.name_nl.trim().is_empty() {
            say("Vul de naam in (name_nl).".into());
        }
    }
}

/// Checks the files against each other and against what the database has; stores them in
/// one transaction. The inner `Err` lists every problem; nothing is stored then.
pub fn import(
    conn: &mut DbConnection,
    by: Option<i64>,
    files: &RegionFiles,
) -> Result<Result<Summary, Vec<Problem>>, diesel::result::Error> {
    let existing = ReferenceData::load(conn)?;
    let mut problems = Vec::new();
    let region_rows: Vec<(usize, RegionRow)> =
        rows("regions.csv", files.regions.as_deref(), true, &mut problems);
    let municipality_rows: Vec<(usize, MunicipalityRow)> = rows(
        "municipalities.csv",
        files.municipalities.as_deref(),
        true,
        &mut problems,
    );
    let profile_rows: Vec<(usize, ProfileRow)> = rows(
        "profiles.csv",
        files.profiles.as_deref(),
        true,
        &mut problems,
    );
    let intensity_rows: Vec<(usize, IntensityRow)> = rows(
        "intensities.csv",
        files.intensities.as_deref(),
        true,
        &mut problems,
    );
    let description_rows: Vec<(usize, DescriptionRow)> = rows(
        "profile-descriptions.csv",
        files.descriptions.as_deref(),
        false,
        &mut problems,
    );
    let satisfaction_rows: Vec<(usize, SatisfactionItemRow)> = rows(
        "satisfaction-items.csv",
        files.satisfaction.as_deref(),
        false,
        &mut problems,
    );
    check_satisfaction(
        files.satisfaction.is_some(),
        &satisfaction_rows,
        &mut problems,
    );

    let mut names = HashMap::new();
    for (line, r) in &region_rows {
        let mut say = |message: String| {
            problems.push(Problem {
                file: "regions.csv",
                line: *line,
                message,
            })
        };
        let slug = crate::web::text::slugify(&r.slug);
        if slug.is_empty() || slug != r.slug.trim() {
            say(format!(
                "\"{}\" is geen goede korte naam: gebruik kleine letters, cijfers en streepjes.",
                r.slug
            ));
        }
        if existing
            .regions
            .iter()
            .any(|e| e.slug == r.slug.trim() || e.name == r.name.trim())
        {
            say(format!(
                "De regio {} bestaat al in de catalogus.",
                r.name.trim()
            ));
        }
        if !METHODS
            .iter()
            .any(|(code, _)| *code == r.procurement_method.trim())
        {
            let codes: Vec<&str> = METHODS.iter().map(|(code, _)| *code).collect();
            say(format!("Kies als inkoopmethode {}.", codes.join(", ")));
        }
        if names
            .insert(r.name.trim().to_owned(), r.slug.trim().to_owned())
            .is_some()
        {
            say(format!(
                "De regio {} staat twee keer in het bestand.",
                r.name.trim()
            ));
        }
    }
    let mut codes: HashSet<String> = existing
        .municipalities
        .iter()
        .map(|m| m.cbs_code.clone())
        .collect();
    let mut slugs: HashSet<String> = existing
        .municipalities
        .iter()
        .map(|m| m.slug.clone())
        .collect();
    for (line, m) in &municipality_rows {
        let mut say = |message: String| {
            problems.push(Problem {
                file: "municipalities.csv",
                line: *line,
                message,
            })
        };
        if !names.contains_key(m.region.trim()) {
            say(format!(
                "De regio \"{}\" staat niet in regions.csv.",
                m.region.trim()
            ));
        }
        match super::municipalities::cbs_code(&m.cbs_code) {
            None => say(format!(
                "\"{}\" is geen CBS-gemeentecode: vier cijfers.",
                m.cbs_code.trim()
            )),
            Some(code) if !codes.insert(code.clone()) => {
                say(format!("De CBS-code {code} heeft al een andere gemeente."))
            }
            Some(_) => {}
        }
        let slug = crate::web::text::slugify(&m.municipality);
        if slug.is_empty() || !slugs.insert(slug) {
            say(format!(
                "De gemeente {} bestaat al of staat twee keer in het bestand.",
                m.municipality.trim()
            ));
        }
    }
    let mut numbers = HashSet::new();
    for (line, p) in &profile_rows {
        if p.number < 1 || !numbers.insert(p.number) || p.name_nl.trim().is_empty() {
            problems.push(Problem {
                file: "profiles.csv",
                line: *line,
                message: format!("Profiel {} heeft geen naam, geen goed nummer of staat twee keer in het bestand.", p.number),
            });
        }
    }
    for (line, d) in &description_rows {
        if !numbers.contains(&d.number) {
            problems.push(Problem {
                file: "profile-descriptions.csv",
                line: *line,
                message: format!("Profiel {} staat niet in profiles.csv.", d.number),
            });
        }
    }
    let mut intensity_codes = HashSet::new();
    for (line, i) in &intensity_rows {
        let mut say = |message: String| {
            problems.push(Problem {
                file: "intensities.csv",
                line: *line,
                message,
            })
        };
        if paid_per(&i.paid_per).is_none() {
            say(format!(
                "\"{}\" kennen we niet. Schrijf trajectory, 4 weeks, hour of day (per traject, per 4 weken, per uur of per dag).",
                i.paid_per.trim()
            ));
        }
        let code = crate::web::text::slugify(&i.code);
        if code.is_empty() || code != i.code.trim() || !intensity_codes.insert(code) {
            say(format!(
                "\"{}\" is geen goede code of staat twee keer in het bestand.",
                i.code.trim()
            ));
        }
    }
    if region_rows.len() > 1 && files.tariffs.is_some() {
        problems.push(Problem {
            file: "tariffs.csv",
            line: 0,
            message: "Een tarievenbestand hoort bij één regio. Voer de tarieven per regio in op Tarieven.".into(),
        });
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let descriptions: HashMap<i32, &str> = description_rows
        .iter()
        .map(|(_, d)| (d.number, d.description_b1.as_str()))
        .collect();

    let stored = conn.write_transaction(|conn| -> Result<Summary, Stop> {
        let mut summary = Summary::default();
        let mut region_ids = HashMap::new();
        for (_, r) in &region_rows {
            let id: i64 = diesel::insert_into(regions::table)
                .values((
                    regions::slug.eq(r.slug.trim()),
                    regions::name.eq(r.name.trim()),
                    regions::procurement_method.eq(r.procurement_method.trim()),
                ))
                .returning(regions::id)
                .get_result(conn)?;
            region_ids.insert(r.name.trim().to_owned(), id);
            if files.satisfaction.is_some() {
                let items: Vec<SatisfactionItemRow> = satisfaction_rows
                    .iter()
                    .map(|(_, i)| SatisfactionItemRow {
                        code: i.code.clone(),
                        name_nl: i.name_nl.clone(),
                        question_nl: i.question_nl.clone(),
                    })
                    .collect();
                crate::reference::seed::add_satisfaction_items(conn, id, &items)?;
            } else {
                crate::reference::seed::add_default_satisfaction_items(conn, id)?;
            }
            summary.regions += 1;
            for (_, p) in &profile_rows {
                let description = match p.description_b1.trim() {
                    "" => descriptions.get(&p.number).copied().unwrap_or(""),
                    own => own,
                };
                diesel::insert_into(profiles::table)
                    .values((
                        profiles::region_id.eq(id),
                        profiles::number.eq(p.number),
                        profiles::name.eq(p.name_nl.trim()),
                        profiles::description.eq(description.trim()),
                    ))
                    .execute(conn)?;
                summary.profiles += 1;
            }
            for (order, (_, i)) in (1..).zip(&intensity_rows) {
                diesel::insert_into(intensities::table)
                    .values((
                        intensities::region_id.eq(id),
                        intensities::code.eq(i.code.trim()),
                        intensities::name.eq(i.name_nl.trim()),
                        intensities::description.eq(i.description_b1.trim()),
                        intensities::paid_per.eq(paid_per(&i.paid_per).unwrap_or("traject")),
                        intensities::sort_order.eq(order),
                    ))
                    .execute(conn)?;
                summary.intensities += 1;
            }
            crate::audit::record(
                conn,
                &crate::audit::Change {
                    user_id: by,
                    action: "regio toegevoegd",
                    entity: "region",
                    entity_id: Some(id),
                    field: "naam",
                    old_value: None,
                    new_value: Some(r.name.trim()),
                },
            )?;
        }
        for (_, m) in &municipality_rows {
            let region = region_ids.get(m.region.trim()).copied().unwrap_or_default();
            diesel::insert_into(municipalities::table)
                .values((
                    municipalities::region_id.eq(region),
                    municipalities::slug.eq(crate::web::text::slugify(&m.municipality)),
                    municipalities::name.eq(m.municipality.trim()),
                    municipalities::cbs_code.eq(m.cbs_code.trim()),
                ))
                .execute(conn)?;
            summary.municipalities += 1;
        }
        if let (Some(bytes), Some(region)) = (&files.tariffs, region_ids.values().next()) {
            let reference = ReferenceData::load(conn)?;
            let amounts = match super::tariffs::file::parse(&reference, *region, bytes) {
                Ok(amounts) => amounts,
                Err(found) => {
                    // Nothing is kept: the transaction ends here without a commit.
                    let problems = found
                        .into_iter()
                        .map(|p| Problem {
                            file: "tariffs.csv",
                            line: p.line,
                            message: p.message,
                        })
                        .collect();
                    return Err(Stop::Problems(problems));
                }
            };
            let from = files.tariffs_from.unwrap_or_else(|| {
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&crate::clock::today()), 1, 1)
                    .unwrap_or_else(crate::clock::today)
            });
            match super::tariffs::set(conn, by, &reference, *region, from, &amounts)? {
                Ok(n) => summary.tariffs = n,
                Err(refusal) => {
                    return Err(Stop::Problems(vec![Problem {
                        file: "tariffs.csv",
                        line: 0,
                        message: refusal.message().into(),
                    }]));
                }
            }
        }
        crate::read_model::scores_changed(conn)?;
        Ok(summary)
    });
    match stored {
        Ok(summary) => Ok(Ok(summary)),
        Err(Stop::Problems(problems)) => Ok(Err(problems)),
        Err(Stop::Database(error)) => Err(error),
    }
}

/// Why the storing transaction stopped: the database, or problems found only once the
/// region's rows exist (its tariff file); either way nothing is kept.
enum Stop {
    Database(diesel::result::Error),
    Problems(Vec<Problem>),
}

impl From<diesel::result::Error> for Stop {
    fn from(error: diesel::result::Error) -> Self {
        Stop::Database(error)
    }
}

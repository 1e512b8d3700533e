//! Reading uploads and storing trajectories: all or nothing, and idempotent (a trajectory is
//! known by the provider's own reference, so sending it again updates it).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::records::{ALL_COLUMNS, COLUMNS, Problem, RawTrajectory, Trajectory, check};
use crate::db::DbConnection;
use crate::db::bind::{BindDate, BindTimestamp};
use crate::db::schema::{admissions, profiles, trajectories};
use crate::domain::hulpvraag::Kader;
use crate::domain::ids::ProviderId;
use crate::domain::indicator::{GoalResult, ProblemsSmaller, WithoutCare};
use crate::domain::values::AgeBand;
use crate::providers::AdmissionStatus;
use crate::reference::ReferenceData;

/// The most rows one CSV file may hold.
pub const MAX_CSV_ROWS: usize = 100_000;
/// The most trajectories one API call may hold.
pub const MAX_API_ITEMS: usize = 10_000;

/// A problem in one row of an upload: the CSV line number (or the API item number), the
/// column, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowProblem {
    pub row: u64,
    pub column: &'static str,
    pub message: String,
}

/// Reads a CSV file (comma or semicolon separated, UTF-8, with a header line) into rows with
/// their line numbers. Unknown or missing columns are reported against line 1.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<(u64, RawTrajectory)>, Vec<RowProblem>> {
    let text = csv_text(bytes)?;
    let delimiter = delimiter_of(text);
    let mut reader = csv_reader(delimiter, true, text.as_bytes());
    let headers = header_names(&mut reader)?;
    let layout = Layout::of(&headers, &[])?;
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(unreadable(e.position().map_or(0, |p| p.line())));
                continue;
            }
        };
        if rows.len() >= MAX_CSV_ROWS {
            return Err(vec![RowProblem {
                row: 1,
                column: "bestand",
                message: format!(
                    "Een bestand mag hoogstens {} trajecten bevatten. Splits het bestand.",
                    crate::web::text::number_nl(MAX_CSV_ROWS as u64)
                ),
            }]);
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows.push((line, layout.raw(&record)));
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(RowProblem {
            row: 2,
            column: "bestand",
            message: "Het bestand bevat geen trajecten.".into(),
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A file's text: UTF-8, without a byte order mark.
pub(super) fn csv_text(bytes: &[u8]) -> Result<&str, Vec<RowProblem>> {
    std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|_| {
        vec![RowProblem {
            row: 1,
            column: "bestand",
            message: "Het bestand is geen tekst in UTF-8. Sla het op als 'CSV UTF-8'.".into(),
        }]
    })
}

/// Semicolons when the header line has more of them than commas (Dutch spreadsheets).
pub(super) fn delimiter_of(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// The reader every upload's CSV is read with: values trimmed, short rows allowed.
pub(super) fn csv_reader(delimiter: u8, headers: bool, bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(headers)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes)
}

/// The column names of the header line, trimmed and in lower case.
pub(super) fn header_names(
    reader: &mut csv::Reader<&[u8]>,
) -> Result<Vec<String>, Vec<RowProblem>> {
    Ok(reader
        .headers()
        .map_err(|_| {
            vec![RowProblem {
                row: 1,
                column: "bestand",
                message: "De eerste regel met kolomnamen ontbreekt.".into(),
            }]
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect())
}

/// The problem of a line the CSV reader could not read.
pub(super) fn unreadable(line: u64) -> RowProblem {
    RowProblem {
        row: line,
        column: "bestand",
        message: "Deze regel kan niet gelezen worden. Staan er aanhalingstekens verkeerd?".into(),
    }
}

/// Where each of [`ALL_COLUMNS`] is in a file's records (the header line's order).
pub(super) struct Layout {
    columns: [Option<usize>; 17],
}

impl Layout {
    /// The layout of these column names; `extra` names the columns a caller reads itself.
    /// Every required column missing and every unknown one is a problem on line 1.
    pub(super) fn of(headers: &[String], extra: &[&str]) -> Result<Layout, Vec<RowProblem>> {
        let mut problems = Vec::new();
        for column in COLUMNS {
            if !headers.iter().any(|h| h == column) {
                problems.push(RowProblem {
                    row: 1,
                    column,
                    message: format!(
                        "De kolom '{column}' ontbreekt. Gebruik het voorbeeldbestand."
                    ),
                });
            }
        }
        for header in headers {
            if !ALL_COLUMNS.contains(&header.as_str()) && !extra.contains(&header.as_str()) {
                problems.push(RowProblem { row: 1, column: "bestand", message: format!("De kolom '{header}' kennen wij niet. Haal hem weg of gebruik het voorbeeldbestand.") });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Layout {
            columns: ALL_COLUMNS.map(|name| headers.iter().position(|h| h == name)),
        })
    }

    /// A record's values by column (empty where the column or the value is absent).
    pub(super) fn raw(&self, record: &csv::StringRecord) -> RawTrajectory {
        let [
            referentie,
            gemeente,
            profiel,
            intensiteit,
            startdatum,
            einddatum,
            reden_einde,
            doelresultaat,
            clientsleutel,
            leeftijdsgroep,
            kader,
            tevredenheid,
            doelen_afgesproken,
            doelen_behaald,
            doelen_deels,
            zonder_hulp,
            problemen_kleiner,
        ] = self
            .columns
            .map(|at| at.and_then(|i| record.get(i)).unwrap_or("").to_owned());
        RawTrajectory {
            referentie,
            gemeente,
            profiel,
            intensiteit,
            startdatum,
            einddatum,
            reden_einde,
            doelresultaat,
            clientsleutel,
            leeftijdsgroep,
            kader,
            tevredenheid,
            doelen_afgesproken,
            doelen_behaald,
            doelen_deels,
            zonder_hulp,
            problemen_kleiner,
        }
    }
}

/// The profiles a provider may report on: those of every region where it is or was admitted.
pub fn reportable_profiles(
    conn: &mut DbConnection,
    provider_id: ProviderId,
) -> QueryResult<Vec<i64>> {
    let regions = admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .filter(admissions::status.eq_any([
            AdmissionStatus::Toegelaten,
            AdmissionStatus::Opgeschort,
            AdmissionStatus::Beeindigd,
        ]))
        .select(admissions::region_id);
    // One statement: an upload pays a round trip per statement.
    profiles::table
        .filter(profiles::region_id.eq_any(regions))
        .select(profiles::id)
        .load(conn)
}

/// Checks every row; all problems of all rows, or every trajectory.
pub fn check_all(
    rows: &[(u64, RawTrajectory)],
    reference: &ReferenceData,
    allowed_profiles: &[i64],
    today: NaiveDate,
) -> Result<Vec<Trajectory>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut good = Vec::with_capacity(rows.len());
    for (row, raw) in rows {
        let key = raw.referentie.trim().to_owned();
        if !key.is_empty() {
            if let Some(first) = seen.get(&key) {
                problems.push(RowProblem { row: *row, column: "referentie", message: format!("Deze referentie staat ook op regel {first}. Elke referentie mag één keer voorkomen.") });
            } else {
                seen.insert(key, *row);
            }
        }
        match check(raw, reference, allowed_profiles, today) {
            Ok(t) => good.push(t),
            Err(list) => {
                problems.extend(
                    list.into_iter()
                        .map(|Problem { column, message }| RowProblem {
                            row: *row,
                            column,
                            message,
                        }),
                )
            }
        }
    }
    if problems.is_empty() {
        Ok(good)
    } else {
        Err(problems)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub new: usize,
    pub updated: usize,
}

#[derive(Insertable)]
#[diesel(table_name = trajectories)]
// None is NULL, not DEFAULT: only then can SQLite insert many rows in one statement (with
// DEFAULT, diesel falls back to one statement per row).
#[diesel(treat_none_as_default_value = false)]
// Owned ('static) so that SQLite prepares each array-sized insert once per connection
// (`bulk_insert_owned!`) instead of parsing a 1,000-row insert anew for every chunk.
pub(super) struct Row {
    pub(super) provider_id: i64,
    pub(super) reference: String,
    pub(super) region_id: i64,
    pub(super) municipality_id: i64,
    pub(super) profile_id: i64,
    pub(super) intensity_id: i64,
    pub(super) start_date: BindDate,
    pub(super) end_date: Option<BindDate>,
    pub(super) end_reason: Option<i32>,
    pub(super) goal_result: GoalResult,
    pub(super) client_key: String,
    pub(super) age_band: AgeBand,
    pub(super) kader: Kader,
    pub(super) satisfaction: Option<i32>,
    pub(super) source: &'static str,
    pub(super) created_at: BindTimestamp,
    pub(super) updated_at: BindTimestamp,
    pub(super) goals_agreed: Option<i32>,
    pub(super) goals_reached: Option<i32>,
    pub(super) goals_partly: Option<i32>,
    pub(super) without_care: Option<WithoutCare>,
    pub(super) problems_smaller: Option<ProblemsSmaller>,
    pub(super) toewijzing: Option<String>,
    pub(super) product_category: Option<String>,
}

/// Stores checked trajectories and recomputes the scores of the profiles they touch; call
/// inside a transaction so an upload is all or nothing. Existing references are replaced, so
/// sending a file twice changes nothing.
pub fn save_all(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    list: &[Trajectory],
) -> QueryResult<Saved> {
    let now = crate::clock::now();
    let mut saved = Saved::default();
    let mut touched: std::collections::BTreeSet<i64> = list.iter().map(|t| t.profile_id).collect();
    for chunk in list.chunks(1000) {
        let references: Vec<&str> = chunk.iter().map(|t| t.reference.as_str()).collect();
        let existing = stored_under(conn, provider_id, &references)?;
        if !existing.is_empty() {
            // A trajectory may have moved to another profile: recompute the old one too.
            touched.extend(existing.iter().map(|e| e.profile_id));
            let ids: Vec<i64> = existing.iter().map(|e| e.id).collect();
            diesel::delete(trajectories::table.filter(trajectories::id.eq_any(&ids)))
                .execute(conn)?;
        }
        saved.updated += existing.len();
        saved.new += chunk.len() - existing.len();
        let rows: Vec<(i64, &Trajectory)> = chunk.iter().map(|t| (provider_id.get(), t)).collect();
        insert_many(conn, &rows, "aanbieder", now)?;
    }
    super::compute::recompute_profiles(conn, provider_id.get(), &touched)?;
    Ok(saved)
}

/// How many of these trajectories the provider has stored already (an upload's preview:
/// "n new, m updated"), by the same lookup [`save_all`] replaces them with.
pub fn count_stored(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    list: &[Trajectory],
) -> QueryResult<usize> {
    let mut known = 0;
    for chunk in list.chunks(5000) {
        let references: Vec<&str> = chunk.iter().map(|t| t.reference.as_str()).collect();
        known += stored_under(conn, provider_id, &references)?.len();
    }
    Ok(known)
}

#[derive(QueryableByName, Queryable)]
struct Stored {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    profile_id: i64,
}

/// The provider's stored trajectories with these references, in one statement.
///
/// On PostgreSQL the references are joined as an array, so each is one probe of the unique
/// index on (provider, reference). With `reference = ANY($2)` the generic plan of the cached
/// statement read all the provider's rows and compared each with every reference: an upload
/// of 10,000 slowed down with every chunk of 1,000 it had stored (10, 20, … 94 ms a select).
fn stored_under(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    references: &[&str],
) -> QueryResult<Vec<Stored>> {
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT t.id, t.profile_id FROM unnest($2) AS r(reference) \
             JOIN trajectories t ON t.provider_id = $1 AND t.reference = r.reference",
        )
        .bind::<diesel::sql_types::BigInt, _>(provider_id.get())
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(references)
        .load(pg),
        DbConnection::Sqlite(_) => trajectories::table
            .filter(trajectories::provider_id.eq(provider_id))
            .filter(trajectories::reference.eq_any(references))
            .select((trajectories::id, trajectories::profile_id))
            .load(conn),
    }
}

/// Stores checked trajectories of any providers as they are, without replacing or
/// recomputing anything: for [`save_all`], and for histories loaded in bulk (the demo).
pub fn insert_many(
    conn: &mut DbConnection,
    list: &[(i64, &Trajectory)],
    source: &'static str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let rows: Vec<Row> = list
        .iter()
        .map(|(provider_id, t)| Row {
            provider_id: *provider_id,
            reference: t.reference.clone(),
            region_id: t.region_id,
            municipality_id: t.municipality_id,
            profile_id: t.profile_id,
            intensity_id: t.intensity_id,
            start_date: BindDate(t.start_date),
            end_date: t.end_date.map(BindDate),
            end_reason: t.end_reason.map(i32::from),
            goal_result: t.goal,
            client_key: t.client_key.clone(),
            age_band: t.age_band,
            kader: t.kader,
            satisfaction: t.satisfaction.map(i32::from),
            source,
            created_at: BindTimestamp(now),
            updated_at: BindTimestamp(now),
            goals_agreed: t.goals.map(|g| i32::from(g.agreed)),
            // Marks belong to an ended trajectory only.
            goals_reached: t
                .goals
                .filter(|_| t.end_date.is_some())
                .map(|g| i32::from(g.reached)),
            goals_partly: t
                .goals
                .filter(|_| t.end_date.is_some())
                .map(|g| i32::from(g.partly)),
            without_care: t.without_care,
            problems_smaller: t.problems_smaller,
            toewijzing: None,
            product_category: None,
        })
        .collect();
    insert_rows(conn, &rows)
}

/// Stores rows as they are, many to a statement (COPY on PostgreSQL).
pub(super) fn insert_rows(conn: &mut DbConnection, rows: &[Row]) -> QueryResult<usize> {
    crate::bulk_insert_owned!(&mut *conn, trajectories::table, rows)
}

/// The CSV template offered for download: the header and three example rows (agreed goals
/// reached in part with both closing questions answered, a running trajectory with agreed
/// goals, one without goals or answers).
pub fn template() -> String {
    format!(
        "{}\n\
         T-2026-001,delft,3,intensief,2025-09-01,2026-03-31,1,deels behaald,client-0042,12-17,vrijwillig,8,3,2,1,lichtere_hulp,ja\n\
         T-2026-002,den-haag,5,perspectief,2026-02-15,,,onbekend,client-0107,4-11,vrijwillig,,2,,,,\n\
         T-2026-003,delft,3,intensief,2025-06-01,2026-01-31,1,behaald,client-0311,12-17,vrijwillig,,,,,,\n",
        ALL_COLUMNS.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_files_are_read_with_either_separator_and_line_numbers() {
        let comma = parse_csv(template().as_bytes()).expect("template parses");
        assert_eq!(comma.len(), 3);
        assert_eq!(comma[0].1.doelen_behaald, "2");
        assert_eq!(comma[0].0, 2);
        assert_eq!(comma[1].1.gemeente, "den-haag");
        let semicolon = template().replace(',', ";");
        let rows =
            parse_csv(format!("\u{feff}{semicolon}").as_bytes()).expect("semicolons and BOM");
        assert_eq!(rows[1].1.profiel, "5");
    }

    #[test]
    fn missing_and_unknown_columns_are_named() {
        let problems = parse_csv(b"referentie,gemeente,bsn\nx,delft,1\n").expect_err("bad header");
        assert!(problems.iter().any(|p| p.column == "profiel" && p.row == 1));
        assert!(problems.iter().any(|p| p.message.contains("'bsn'")));
        let empty = parse_csv(format!("{}\n", COLUMNS.join(",")).as_bytes()).expect_err("no rows");
        assert!(empty[0].message.contains("geen trajecten"));
    }
}

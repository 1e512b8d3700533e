//! The whole database as one comparable value: per table, its rows as text (SQLite) or their
//! digest (PostgreSQL). A test takes one before and after a request that must change nothing.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::Text;
use jeugdhulpcatalogus::db::DbConnection;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    digest: String,
}

/// Per table, what it holds. Diesel's own migrations table is left out.
pub fn of(conn: &mut DbConnection) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match conn {
        DbConnection::Sqlite(lite) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
            )
            .load(lite)
            .expect("tables");
            for table in tables {
                let columns: Vec<Name> = diesel::sql_query("SELECT name FROM pragma_table_info(?)")
                    .bind::<Text, _>(&table.name)
                    .load(lite)
                    .expect("columns");
                let row = columns
                    .iter()
                    .map(|c| format!("quote(\"{}\")", c.name))
                    .collect::<Vec<_>>()
                    .join(" || ',' || ");
                let digest: Digest = diesel::sql_query(format!(
                    "SELECT coalesce(group_concat(r, '|'), '') AS digest \
                     FROM (SELECT {row} AS r FROM \"{}\" ORDER BY 1)",
                    table.name
                ))
                .get_result(lite)
                .expect("rows");
                out.insert(table.name, digest.digest);
            }
        }
        DbConnection::Postgresql(pg) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '__diesel_schema_migrations'",
            )
            .load(pg)
            .expect("tables");
            for table in tables {
                let digest: Digest = diesel::sql_query(format!(
                    "SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS digest \
                     FROM \"{}\" x",
                    table.name
                ))
                .get_result(pg)
                .expect("rows");
                out.insert(table.name, digest.digest);
            }
        }
    }
    out
}

/// The tables whose content differs between two fingerprints.
pub fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|t| before.get(*t) != after.get(*t))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

//! The database layer: one connection type over SQLite and PostgreSQL, the pool, the
//! migrations and the schema. Backend differences stay in here; feature code never asks
//! which database it runs on.
//!
//! Error rules: queries return `diesel::QueryResult`; this layer imports nothing from `web`
//! or a feature. Handlers reach the database through `web::Database::run`, which turns
//! errors into `AppError`.

mod connection;
pub mod schema;

/// Inserts many rows in one statement. diesel renders batch inserts per backend and
/// `MultiBackend` cannot, so this runs the identical insert on the concrete connection.
/// Rows must give every column (SQLite has no `DEFAULT` in a multi-row insert).
#[macro_export]
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::db::DbConnection::Postgresql(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}

/// Stores many rows at once, the fastest way each backend offers: `COPY … FROM STDIN` on
/// PostgreSQL (several times a multi-row `INSERT` there), multi-row inserts of `$chunk` rows
/// on SQLite (keep `$chunk` × columns under SQLite's 32,766 bound values). The row struct needs
/// `#[diesel(treat_none_as_default_value = false)]`: COPY has no `DEFAULT`, and with it SQLite
/// would fall back to one statement per row. Returns the number of rows stored.
#[macro_export]
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr, $chunk:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                let mut stored = 0;
                for chunk in rows.chunks($chunk) {
                    stored += diesel::insert_into($table).values(chunk).execute(c)?;
                }
                diesel::QueryResult::Ok(stored)
            }
            $crate::db::DbConnection::Postgresql(c) => {
                if rows.is_empty() {
                    diesel::QueryResult::Ok(0)
                } else {
                    diesel::copy_from($table).from_insertable(rows).execute(c)
                }
            }
        }
    }};
}

pub use connection::{
    Backend, Db, DbConnection, DbUrlError, MultiBackend, POSTGRES_MIGRATIONS, PoolError,
    SQLITE_MIGRATIONS, holding_connection,
};

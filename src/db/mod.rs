//! The database layer: one connection type over SQLite and PostgreSQL, the pool, the
//! migrations and the schema. Backend differences stay in here; feature code never asks
//! which database it runs on.
//!
//! Error rules: queries return `diesel::QueryResult`; handlers turn that into
//! `crate::web::AppError` through `Db::run`.

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

pub use connection::{
    Backend, Db, DbConnection, DbUrlError, MultiBackend, POSTGRES_MIGRATIONS, PoolError,
    SQLITE_MIGRATIONS,
};

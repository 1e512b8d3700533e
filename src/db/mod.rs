//! The database layer: one connection type over SQLite and PostgreSQL, the pool, the
//! migrations and the schema. Backend differences stay in here; feature code never asks
//! which database it runs on.
//!
//! Error rules: queries return `diesel::QueryResult`; this layer imports nothing from `web`
//! or a feature. Handlers reach the database through `web::Database::run`, which turns
//! errors into `AppError`.

pub mod bind;
mod connection;
pub mod schema;

/// `%` and `_` in what people type are letters, not wildcards: a `LIKE … ESCAPE '\\'`
/// pattern that finds the word anywhere.
pub fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

diesel::define_sql_function! {
    /// `lower(text)`, the same on both backends: a search that ignores case.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// The most bound values one statement may carry: SQLite's `SQLITE_MAX_VARIABLE_NUMBER`
/// (32,766 since 3.32) and PostgreSQL's protocol limit (65,535).
pub const SQLITE_MAX_PARAMETERS: usize = 32_766;
pub const POSTGRES_MAX_PARAMETERS: usize = 65_535;

/// The number of columns of a table (its `AllColumns` tuple), so that the rows per statement
/// follow from the backend's limit instead of being written at every call.
pub trait ColumnCount {
    const COUNT: usize;
}

macro_rules! column_count {
    ($($column:ident),+) => {
        impl<$($column),+> ColumnCount for ($($column,)+) {
            const COUNT: usize = [$(stringify!($column)),+].len();
        }
    };
}

/// Every tuple of 1 to 64 columns (diesel's `64-column-tables`): one impl per length.
macro_rules! column_counts {
    ($first:ident $(, $rest:ident)*) => {
        column_count!($first $(, $rest)*);
        column_counts!($($rest),*);
    };
    () => {};
}
column_counts!(
    C64, C63, C62, C61, C60, C59, C58, C57, C56, C55, C54, C53, C52, C51, C50, C49, C48, C47, C46,
    C45, C44, C43, C42, C41, C40, C39, C38, C37, C36, C35, C34, C33, C32, C31, C30, C29, C28, C27,
    C26, C25, C24, C23, C22, C21, C20, C19, C18, C17, C16, C15, C14, C13, C12, C11, C10, C9, C8,
    C7, C6, C5, C4, C3, C2, C1
);

/// How many full rows of this table fit in one statement under `limit` bound values.
pub fn rows_per_statement<T>(_table: &T, limit: usize) -> usize
where
    T: diesel::Table,
    T::AllColumns: ColumnCount,
{
    (limit / <T::AllColumns as ColumnCount>::COUNT).max(1)
}

/// Multi-row `INSERT`s on one concrete connection, as many rows per statement as `$limit`
/// bound values allow for this table. The building block of [`batch_insert!`] and
/// [`bulk_insert!`].
#[doc(hidden)]
#[macro_export]
macro_rules! insert_in_chunks {
    ($c:expr, $table:expr, $rows:expr, $limit:expr) => {{
        let per = $crate::db::rows_per_statement(&$table, $limit);
        let mut stored = 0;
        for chunk in $rows.chunks(per) {
            stored += diesel::insert_into($table).values(chunk).execute($c)?;
        }
        diesel::QueryResult::Ok(stored)
    }};
}

/// Multi-row `INSERT`s on a SQLite connection in statements of 256, 32, 4 and 1 rows. diesel
/// prepares an insert of a `Vec` anew each time (its SQL varies with the length), and parsing
/// a statement of a thousand rows was a tenth of a full recomputation; an insert of an array
/// has a fixed type, so each of the four sizes is prepared once per connection and cached.
/// At most 128 columns (256 rows stay under SQLite's 32,766 bound values).
#[doc(hidden)]
#[macro_export]
macro_rules! insert_cached_chunks {
    ($c:expr, $table:expr, $rows:expr) => {{
        let mut rest = &$rows[..];
        let mut stored = 0;
        $crate::insert_arrays!($c, $table, rest, stored, 256, 32, 4, 1);
        diesel::QueryResult::Ok(stored)
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! insert_arrays {
    ($c:expr, $table:expr, $rest:ident, $stored:ident, $($n:literal),*) => {
        $(
            while $rest.len() >= $n {
                let (head, tail) = $rest.split_at($n);
                if let Ok(array) = <&[_; $n]>::try_from(head) {
                    $stored += diesel::insert_into($table).values(array).execute($c)?;
                }
                $rest = tail;
            }
        )*
    };
}

/// Inserts many rows with multi-row `INSERT`s, as many rows per statement as the backend's
/// parameter limit allows for this table. diesel renders batch inserts per backend and
/// `MultiBackend` cannot, so this runs the identical insert on the concrete connection.
/// Rows must give every column (SQLite has no `DEFAULT` in a multi-row insert). Returns the
/// number of rows stored.
#[macro_export]
macro_rules! batch_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                $crate::insert_in_chunks!(c, $table, rows, $crate::db::SQLITE_MAX_PARAMETERS)
            }
            $crate::db::DbConnection::Postgresql(c) => {
                $crate::insert_in_chunks!(c, $table, rows, $crate::db::POSTGRES_MAX_PARAMETERS)
            }
        }
    }};
}

/// Stores many rows at once, the fastest way each backend offers: `COPY … FROM STDIN` on
/// PostgreSQL (several times a multi-row `INSERT` there), multi-row inserts on SQLite with as
/// many rows per statement as its parameter limit allows for this table. The row struct needs
/// `#[diesel(treat_none_as_default_value = false)]`: COPY has no `DEFAULT`, and with it SQLite
/// would fall back to one statement per row. Returns the number of rows stored.
#[macro_export]
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                $crate::insert_in_chunks!(c, $table, rows, $crate::db::SQLITE_MAX_PARAMETERS)
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

/// [`bulk_insert!`] for rows that own their data (`'static`, as diesel's statement cache
/// needs): on SQLite in array-sized statements prepared once per connection
/// ([`insert_cached_chunks!`]), COPY on PostgreSQL. Returns the number of rows stored.
#[macro_export]
macro_rules! bulk_insert_owned {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => $crate::insert_cached_chunks!(c, $table, rows),
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
    Backend, CommitSignal, Db, DbConnection, DbUrlError, MultiBackend, POSTGRES_MIGRATIONS,
    PoolError, SQLITE_CACHE_SIZE, SQLITE_MIGRATIONS, committed, committed_writes,
    holding_connection,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_size_set_back_is_the_one_every_connection_gets() {
        assert!(
            connection::SQLITE_PRAGMAS
                .contains(&format!("PRAGMA cache_size = {SQLITE_CACHE_SIZE};"))
        );
    }

    /// The rows per statement follow from the table's width: 39 columns of computed scores,
    /// 2 of offer municipalities; never more bound values than the backend takes.
    #[test]
    fn rows_per_statement_follow_from_the_limit_and_the_columns() {
        let wide = rows_per_statement(&schema::computed_scores::table, SQLITE_MAX_PARAMETERS);
        assert_eq!(wide, 32_766 / 39);
        assert!(wide * 39 <= SQLITE_MAX_PARAMETERS);
        let narrow = rows_per_statement(
            &schema::offer_municipalities::table,
            POSTGRES_MAX_PARAMETERS,
        );
        assert_eq!(narrow, 65_535 / 2);
    }
}

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection, either backend. `diesel::MultiConnection` generates `MultiBackend`,
/// the backend type every query in the application is written against.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type PoolError = r2d2::PoolError;

/// Commits of this process that raised the catalogue version (and each raise made outside a
/// transaction): a value kept in the process that was read before the latest of them may be
/// out of date. See `read_model::VersionWatch`. Other writes (a session, a log line, a draft)
/// leave it alone, so that a node busy with signed-in work still serves kept public pages
/// without reading the version for each.
static COMMITTED_WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

thread_local! {
    /// Set when the transaction running on this thread raised the catalogue version; its
    /// commit counts (a transaction runs on one thread, inside one blocking task).
    static RAISED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The signals the transaction running on this thread rings when it commits.
    static PENDING: std::cell::RefCell<Vec<&'static CommitSignal>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// Whether a [`DbConnection::write_transaction`] is open on this thread.
    static IN_WRITE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Counts a raise of the catalogue version: at once (a statement on its own is committed
/// now), and again when the transaction around it commits ([`DbConnection::write_transaction`]),
/// since a version read between the two is the old one.
pub fn committed() {
    RAISED.with(|raised| raised.set(true));
    COMMITTED_WRITES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// After a commit: counts it when it raised the version, and rings the signals it asked for.
fn count_commit() {
    if RAISED.with(|raised| raised.replace(false)) {
        COMMITTED_WRITES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    for signal in PENDING.take() {
        signal.ring();
    }
}

/// After a rollback: the raise never happened, nor anything to signal.
fn forget_raise() {
    RAISED.with(|raised| raised.set(false));
    PENDING.take();
}

/// A process-wide signal rung after the commit of a transaction that asked for it
/// ([`CommitSignal::ring_after_commit`]), so that a background thread waits for it instead
/// of polling the database: it learns of a committed change at once, and of none whose
/// transaction was rolled back (a savepoint rolled back inside a committed one still rings).
/// It says only that something may have changed; the database says what.
pub struct CommitSignal {
    rung: std::sync::Mutex<u64>,
    changed: std::sync::Condvar,
}

impl CommitSignal {
    pub const fn new() -> CommitSignal {
        CommitSignal {
            rung: std::sync::Mutex::new(0),
            changed: std::sync::Condvar::new(),
        }
    }

    /// Rings this signal when the write transaction running on this thread commits, or now
    /// when none is open (a statement on its own is committed at once).
    pub fn ring_after_commit(&'static self) {
        if !IN_WRITE.get() {
            self.ring();
            return;
        }
        PENDING.with_borrow_mut(|pending| {
            if !pending.iter().any(|s| std::ptr::eq(*s, self)) {
                pending.push(self);
            }
        });
    }

    fn ring(&self) {
        let mut rung = self
            .rung
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *rung += 1;
        self.changed.notify_all();
    }

    /// How often it rang so far.
    pub fn rung(&self) -> u64 {
        *self
            .rung
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until it rang more often than `seen`, or `timeout` passed; returns the count.
    pub fn wait_past(&self, seen: u64, timeout: Duration) -> u64 {
        let rung = self
            .rung
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (rung, _) = self
            .changed
            .wait_timeout_while(rung, timeout, |rung| *rung <= seen)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *rung
    }
}

impl Default for CommitSignal {
    fn default() -> Self {
        CommitSignal::new()
    }
}

/// How many raises of the version this process has counted so far.
pub fn committed_writes() -> u64 {
    COMMITTED_WRITES.load(std::sync::atomic::Ordering::SeqCst)
}

impl DbConnection {
    /// After deleting personal data: on SQLite the write-ahead log still holds the old pages
    /// until a checkpoint, so one is made and the log truncated. PostgreSQL needs nothing here
    /// (its dead rows are vacuumed; its files are not handed out).
    pub fn forget_deleted(&mut self) -> diesel::QueryResult<()> {
        use diesel::connection::SimpleConnection;
        if let DbConnection::Sqlite(c) = self {
            c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")?;
        }
        Ok(())
    }

    /// Inside a write transaction: waits until no other transaction holds the same key, so
    /// a read-check-write on it (a duplicate check, a count against a limit) runs one at a
    /// time. PostgreSQL takes a transaction-scoped advisory lock; SQLite's `BEGIN IMMEDIATE`
    /// ([`DbConnection::write_transaction`]) already lets one writer in at a time.
    pub fn serialise_on(&mut self, key: &str) -> QueryResult<()> {
        if let DbConnection::Postgresql(pg) = self {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind::<diesel::sql_types::Text, _>(key)
                .execute(pg)?;
        }
        Ok(())
    }

    /// A transaction that writes; every change goes through one. On SQLite it starts with
    /// `BEGIN IMMEDIATE`: a deferred transaction that reads first and writes later fails at
    /// once with "database is locked" when another connection committed in between (WAL cannot
    /// upgrade a stale snapshot, whatever the busy timeout), while an immediate one waits for
    /// the write lock up front. Nested calls become savepoints, as with `transaction`.
    pub fn write_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let nested = match self {
            DbConnection::Sqlite(inner) => {
                AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?
            }
            DbConnection::Postgresql(inner) => {
                AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?
            }
        }
        .is_some();
        // A savepoint's release commits nothing yet: only the outer commit counts.
        if nested {
            return self.transaction(f);
        }
        // The flag is this transaction's own: one that runs meanwhile on this thread (on
        // another connection) neither takes nor clears it.
        let outer = RAISED.with(|raised| raised.replace(false));
        let outer_pending = PENDING.take();
        let outer_in_write = IN_WRITE.replace(true);
        let result = self.outer_write_transaction(f);
        RAISED.with(|raised| raised.set(outer));
        PENDING.set(outer_pending);
        IN_WRITE.set(outer_in_write);
        result
    }

    /// [`DbConnection::write_transaction`] when no transaction is open; counts its commit
    /// when it raised the catalogue version.
    fn outer_write_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let DbConnection::Sqlite(inner) = self else {
            return self
                .transaction(f)
                .inspect(|_| count_commit())
                .inspect_err(|_| forget_raise());
        };
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
        // The multi-connection's transaction manager delegates to the inner one, which now
        // knows it is in a transaction.
        type Manager = <DbConnection as Connection>::TransactionManager;
        match f(self) {
            Ok(value) => {
                Manager::commit_transaction(self).inspect_err(|_| forget_raise())?;
                count_commit();
                Ok(value)
            }
            Err(error) => {
                forget_raise();
                match Manager::rollback_transaction(self) {
                    Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                    Err(rollback) => Err(rollback.into()),
                }
            }
        }
    }
}

/// Which database a `DATABASE_URL` names, decided by its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("DATABASE_URL is not usable: {0}")]
pub struct DbUrlError(String);

/// A parsed database location: the backend and what its driver expects.
#[derive(Debug, Clone)]
struct DbTarget {
    backend: Backend,
    /// A libpq URL for PostgreSQL, a file path (or `:memory:`) for SQLite.
    address: String,
}

impl DbTarget {
    fn parse(url: &str) -> Result<Self, DbUrlError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbTarget {
                backend: Backend::Postgres,
                address: url.to_owned(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err(DbUrlError("the SQLite path is empty".into()));
        }
        if url.contains("://") && !url.starts_with("sqlite://") {
            return Err(DbUrlError(format!(
                "unknown scheme in {url:?}; use postgres://… or sqlite://path"
            )));
        }
        Ok(DbTarget {
            backend: Backend::Sqlite,
            address: path.to_owned(),
        })
    }
}

/// Hands out connections of the backend the URL names, with SQLite's per-connection
/// settings applied. `DbConnection::establish` would try each backend in turn, and SQLite
/// accepts any string as a path, so the choice is made here instead.
#[derive(Debug)]
pub struct ConnectionManager {
    target: DbTarget,
}

/// WAL lets readers run beside the one writer; the busy timeout makes a writer wait for
/// the lock instead of failing; foreign keys are off by default in SQLite.
// secure_delete: deleted rows are overwritten in the file, so personal data that is deleted
// (a family's address after its mail went out) is gone, not merely unlinked.
pub(super) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON; \
     PRAGMA cache_size = -8000; PRAGMA mmap_size = 0;";

/// The page cache [`SQLITE_PRAGMAS`] gives each connection (KiB, negative), for a caller that
/// enlarges it for a while (a region's history) to set it back.
pub const SQLITE_CACHE_SIZE: i64 = -8000;

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.target.backend {
            Backend::Postgres => diesel::PgConnection::establish(&self.target.address)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.target.address)
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        r2d2::R2D2Connection::is_broken(conn)
    }
}

/// The pool plus the backend it talks to; cheap to clone into every worker.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
}

impl Db {
    /// Opens the pool (failing fast when the database cannot be reached) and brings the
    /// schema up to date.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let target = DbTarget::parse(url)?;
        let backend = target.backend;
        if backend == Backend::Sqlite
            && target.address != ":memory:"
            && let Some(dir) = Path::new(&target.address).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("cannot create the folder {} for SQLite: {e}", dir.display())
            })?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(5))
            .build(ConnectionManager { target })
            .map_err(|e| {
                anyhow::anyhow!("cannot connect to the {} database: {e}", backend.name())
            })?;
        let db = Db { pool, backend };
        db.migrate()?;
        Ok(db)
    }

    /// A pool that opens no connection and runs no migration until it is used: for tools
    /// that must come up while the database is away, and for tests of exactly that.
    pub fn connect_lazily(url: &str, pool_size: u32, timeout: Duration) -> anyhow::Result<Db> {
        let target = DbTarget::parse(url)?;
        let backend = target.backend;
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(timeout)
            .build_unchecked(ConnectionManager { target });
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection for start-up work, command-line tasks and tests; request handlers
    /// use `web::Database::run`.
    pub fn conn(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, PoolError> {
        self.pool.get()
    }

    fn migrate(&self) -> anyhow::Result<()> {
        let mut conn = self.conn()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgresql(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        }
        .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?;
        if applied > 0 {
            tracing::info!(
                applied,
                backend = self.backend.name(),
                "database migrations applied"
            );
        }
        Ok(())
    }

    /// Runs blocking diesel work on this thread with a pooled connection, marked as holding
    /// it (see [`holding_connection`]). Request handlers go through `web::Database::run`,
    /// which calls this on the blocking thread pool.
    pub fn with_connection<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<PoolError>,
    {
        let mut conn = self.pool.get()?;
        let _held = Holding::start();
        work(&mut conn)
    }
}

thread_local! {
    static HELD: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Marks the thread as holding a pooled connection while a [`Db::with_connection`] closure runs.
struct Holding;

impl Holding {
    fn start() -> Holding {
        HELD.with(|held| held.set(held.get() + 1));
        Holding
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        HELD.with(|held| held.set(held.get().saturating_sub(1)));
    }
}

/// Whether this thread is inside a [`Db::with_connection`] closure, holding one of the pool's few
/// connections. Slow CPU work (argon2) asserts that it is not, so that a hash never keeps
/// a connection from other requests.
pub fn holding_connection() -> bool {
    HELD.with(|held| held.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_closure_is_known_to_hold_a_connection() {
        assert!(!holding_connection());
        {
            let _held = Holding::start();
            assert!(holding_connection());
        }
        assert!(!holding_connection());
    }

    #[test]
    fn database_urls_choose_their_backend_by_scheme() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1/x",
                Backend::Postgres,
                "postgres://postgres@127.0.0.1/x",
            ),
            ("postgresql://h/x", Backend::Postgres, "postgresql://h/x"),
            ("sqlite://data/app.db", Backend::Sqlite, "data/app.db"),
            ("sqlite:app.db", Backend::Sqlite, "app.db"),
            ("/tmp/app.db", Backend::Sqlite, "/tmp/app.db"),
            ("sqlite://:memory:", Backend::Sqlite, ":memory:"),
        ];
        for (url, backend, address) in cases {
            let target = DbTarget::parse(url).expect(url);
            assert_eq!(
                (target.backend, target.address.as_str()),
                (backend, address),
                "{url}"
            );
        }
    }

    fn raised() -> bool {
        RAISED.with(std::cell::Cell::get)
    }

    #[test]
    fn only_a_commit_that_raised_the_version_counts_and_only_the_outer_one() {
        use diesel::Connection;
        let mut conn = DbConnection::Sqlite(
            diesel::SqliteConnection::establish(":memory:").expect("in memory"),
        );
        // A write that raises nothing (a session, a draft) leaves no mark.
        conn.write_transaction(|_| Ok::<_, diesel::result::Error>(()))
            .expect("plain write");
        assert!(!raised());
        // A raise inside a savepoint counts at the outer commit, not at the release.
        let before = committed_writes();
        conn.write_transaction(|conn| {
            conn.write_transaction(|_| {
                committed();
                Ok::<_, diesel::result::Error>(())
            })?;
            assert!(raised(), "the savepoint's release is no commit");
            Ok::<_, diesel::result::Error>(())
        })
        .expect("raise");
        assert!(!raised());
        // Counted at the raise and at the commit (other tests may count meanwhile).
        assert!(committed_writes() >= before + 2);
        // A rolled-back raise is forgotten.
        let failed = conn.write_transaction(|_| {
            committed();
            Err::<(), _>(diesel::result::Error::RollbackTransaction)
        });
        assert!(failed.is_err());
        assert!(!raised());
    }

    #[test]
    fn unknown_schemes_and_empty_paths_are_refused() {
        assert!(DbTarget::parse("mysql://root@localhost/x").is_err());
        assert!(DbTarget::parse("sqlite://").is_err());
    }
}

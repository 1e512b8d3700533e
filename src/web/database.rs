//! The database as request handlers use it: blocking diesel work on the blocking thread pool,
//! with errors as [`AppError`]. Everything else of the pool (`conn`, `backend`) is the
//! [`Db`]'s own, reached through `Deref`.

use crate::db::{Db, DbConnection};
use crate::web::AppError;

#[derive(Clone)]
pub struct Database(Db);

impl Database {
    pub fn new(db: Db) -> Database {
        Database(db)
    }

    /// Runs blocking diesel work on the blocking thread pool, with a pooled connection.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.0.clone();
        // The work's refusals are worded in the page's language (`language::texts`).
        let lang = super::context::current_lang();
        actix_web::web::block(move || crate::i18n::with_lang(lang, || db.with_connection(work)))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// Like [`Database::run`] for work that only reads: when the connection breaks under it
    /// (a server restart, a terminated connection), it is tried once more on a fresh one.
    pub async fn read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: Fn(&mut DbConnection) -> Result<T, AppError> + Send + Sync + 'static,
        T: Send + 'static,
    {
        let work = std::sync::Arc::new(work);
        let again = work.clone();
        match self.run(move |conn| work(conn)).await {
            Err(error) if matches!(error, AppError::ConnectionLost(_)) => {
                tracing::warn!(%error, "database connection lost; reading once more");
                self.run(move |conn| again(conn)).await
            }
            other => other,
        }
    }
}

impl std::ops::Deref for Database {
    type Target = Db;

    fn deref(&self) -> &Db {
        &self.0
    }
}

//! What the admin pages of `reference` share: the actor's region scope, and the runner that
//! gives a change the reference data and drops this node's copy after it (other nodes see
//! the new catalogue version).

use crate::startup::AppState;
use crate::web::auth::{RegionScope, SessionUser};
use crate::web::{AppError, FieldError};

pub fn scope(user: &SessionUser) -> Result<RegionScope, AppError> {
    user.region_scope().ok_or(AppError::NotFound)
}

/// Runs a change with the reference data and the actor's scope.
pub async fn change<T, F>(
    state: &AppState,
    user: &SessionUser,
    command: F,
) -> Result<Result<T, Vec<FieldError>>, AppError>
where
    T: Send + 'static,
    F: FnOnce(
            &mut crate::db::DbConnection,
            RegionScope,
            &crate::reference::ReferenceData,
        ) -> Result<Result<T, Vec<FieldError>>, diesel::result::Error>
        + Send
        + 'static,
{
    let scope = scope(user)?;
    let cache = state.reference.clone();
    let result = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            Ok(command(conn, scope, &reference)?)
        })
        .await?;
    state.reference.invalidate();
    Ok(result)
}

//! One error type for the whole application. Handlers return `Result<_, AppError>` (pages)
//! or `Result<_, ApiError>` (JSON); both map the same variants to the same status codes.
//! The cause is logged, never shown: users get a plain Dutch message.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::layout;

pub use crate::domain::values::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not authenticated")]
    Unauthorized,
    /// The request cannot be carried out in the current state (chosen twice, answered
    /// twice); the message says why, and nothing was changed.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid input: {0:?}")]
    InvalidInput(Vec<FieldError>),
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(#[from] crate::db::PoolError),
    /// The database connection broke during the request (the server restarted, a
    /// connection was terminated), or the database stayed locked past the busy timeout
    /// (SQLite, another process writing): 503, try again.
    #[error("database connection lost or busy: {0}")]
    ConnectionLost(#[source] diesel::result::Error),
    #[error("database error: {0}")]
    Database(#[source] diesel::result::Error),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => AppError::NotFound,
            other if connection_lost(&other) => AppError::ConnectionLost(other),
            other => AppError::Database(other),
        }
    }
}

/// Whether a database error means the connection itself is gone, or the database is held
/// by another writer (SQLite's "database is locked" after its busy timeout): not a bad
/// query, so trying again later may work.
pub fn connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message().to_lowercase();
            [
                "database is locked",
                "terminating connection",
                "server closed the connection",
                "no connection to the server",
                "connection to server",
                "could not receive data from server",
                "could not send data to server",
                "connection not open",
                "broken pipe",
            ]
            .iter()
            .any(|m| message.contains(m))
        }
        _ => false,
    }
}

impl AppError {
    /// Whether trying again (on another connection) may work.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            AppError::ConnectionLost(_) | AppError::DatabaseUnavailable(_)
        )
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Forbidden(_) => "forbidden",
            AppError::Unauthorized => "unauthorized",
            AppError::Conflict(_) => "conflict",
            AppError::InvalidInput(_) => "invalid_parameter",
            AppError::DatabaseUnavailable(_) | AppError::ConnectionLost(_) => {
                "database_unavailable"
            }
            AppError::Database(_) | AppError::Internal(_) => "internal_error",
        }
    }

    /// What we tell the user, in plain Dutch.
    pub fn message(&self) -> String {
        // The page's language on a family page; Dutch everywhere else (the API included).
        let t = super::language::texts();
        match self {
            AppError::NotFound => t.msg("error-not-found"),
            AppError::Forbidden(message) | AppError::Conflict(message) => message.clone(),
            AppError::Unauthorized => {
                "Stuur een geldige API-sleutel mee: Authorization: Bearer <sleutel>.".into()
            }
            AppError::InvalidInput(errors) => match errors.as_slice() {
                [one] => one.message.clone(),
                _ => t.msg("error-several"),
            },
            AppError::DatabaseUnavailable(_) | AppError::ConnectionLost(_) => {
                t.msg("error-unreachable")
            }
            AppError::Database(_) | AppError::Internal(_) => t.msg("error-ours"),
        }
    }

    pub(crate) fn log(&self) {
        match self {
            AppError::NotFound
            | AppError::InvalidInput(_)
            | AppError::Unauthorized
            | AppError::Conflict(_) => {}
            AppError::Forbidden(_) => tracing::warn!(error = %self, "request refused"),
            AppError::DatabaseUnavailable(_) | AppError::ConnectionLost(_) => {
                tracing::warn!(error = %self, "request failed")
            }
            AppError::Database(_) | AppError::Internal(_) => {
                tracing::error!(error = %self, "request failed")
            }
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::InvalidInput(_) => StatusCode::BAD_REQUEST,
            AppError::DatabaseUnavailable(_) | AppError::ConnectionLost(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let mut response = layout::error_page(self.status_code(), self);
        retry_after(self, &mut response);
        response
    }
}

/// A database that is away for a moment: say when to try again.
fn retry_after(error: &AppError, response: &mut HttpResponse) {
    if error.is_transient() {
        response.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("5"),
        );
    }
}

/// The same error, answered as JSON: `{"error": "snake_case_code", "message": "…"}`,
/// with the field errors under `details` where there are any.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

#[derive(Serialize)]
struct ApiErrorBody<'a> {
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    details: &'a [FieldError],
}

/// The error body as the OpenAPI description gives it (the same fields as the answer).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ApiErrorDoc {
    /// A stable code in snake_case, e.g. `not_found` or `invalid_input`.
    error: String,
    /// What went wrong, in Dutch.
    message: String,
    /// Per field, when the input was refused.
    details: Option<Vec<FieldError>>,
}

/// Whether a path answers errors as JSON: the API and the HSDS API.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/hsds" || path.starts_with("/hsds/")
}

impl ApiError {
    pub fn json_response(error: &AppError) -> HttpResponse {
        let details = match error {
            AppError::InvalidInput(errors) => errors.as_slice(),
            _ => &[],
        };
        let mut response = HttpResponse::build(error.status_code());
        if matches!(error, AppError::Unauthorized) {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        let mut response = response.json(ApiErrorBody {
            error: error.code(),
            message: error.message(),
            details,
        });
        retry_after(error, &mut response);
        response
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log();
        ApiError::json_response(&self.0)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        ApiError(error.into())
    }
}

/// Errors that did not come from our handlers (actix's own: a path segment that is not a
/// number, an unreadable query string, a body that is too large or not JSON) answer in our
/// format too: the Dutch page, or `{error, message}` under `/api/`, with their status.
pub async fn uniform_errors(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let api = is_api_path(req.path());
    let response = next.call(req).await?.map_into_boxed_body();
    let foreign = response
        .response()
        .error()
        .is_some_and(|e| e.as_error::<AppError>().is_none() && e.as_error::<ApiError>().is_none());
    if !foreign {
        return Ok(response);
    }
    let status = response.status();
    let error = match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::InvalidInput(vec![FieldError::form(
            "Wat u stuurde is te groot. Stuur minder tegelijk.",
        )]),
        s if s.is_client_error() => AppError::InvalidInput(vec![FieldError::form(
            "Het adres of wat u stuurde is niet goed leesbaar. Controleer het en probeer het opnieuw.",
        )]),
        _ => AppError::Internal(anyhow::anyhow!("request failed with {status}")),
    };
    let mut ours = if api {
        ApiError::json_response(&error)
    } else {
        error.log();
        layout::error_page(status, &error)
    };
    *ours.status_mut() = status;
    Ok(response.into_response(ours))
}

//! One gate for what a provider may change, on the web and through the API alike: a
//! provider that is inactive, or whose every admission is suspended, ended or refused, may
//! read its pages but change nothing (its listing, trajectories, reports, answers and API
//! keys), except withdrawing a key. A provider still waiting for its first admission may
//! prepare its listing.

use actix_web::HttpMessage;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use diesel::prelude::*;

use super::{AdmissionStatus, ProviderStatus};
use crate::db::DbConnection;
use crate::db::schema::{admissions, providers};
use crate::domain::ids::ProviderId;
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::auth::SessionUser;

/// What the provider is told on the web and through the API.
pub const STOPPED: &str = "Uw organisatie is opgeschort of werkt niet meer onder een procesovereenkomst. U kunt uw gegevens bekijken, maar niets wijzigen. Vragen? Neem contact op met de contractmanager van uw regio.";

/// Refuses with [`STOPPED`] when the provider may change nothing now.
pub fn check_may_act(conn: &mut DbConnection, provider_id: ProviderId) -> Result<(), AppError> {
    let status: ProviderStatus = providers::table
        .find(provider_id)
        .select(providers::status)
        .first(conn)?;
    let all: Vec<AdmissionStatus> = admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .select(admissions::status)
        .load(conn)?;
    let stopped = |s: &AdmissionStatus| {
        matches!(
            s,
            AdmissionStatus::Opgeschort | AdmissionStatus::Beeindigd | AdmissionStatus::Afgewezen
        )
    };
    if status != ProviderStatus::Actief || (!all.is_empty() && all.iter().all(stopped)) {
        return Err(AppError::Forbidden(STOPPED.into()));
    }
    Ok(())
}

/// Posts that stay open to a stopped provider: withdrawing an API key only lowers access.
fn always_allowed(path: &str) -> bool {
    path.starts_with("/mijn-aanbod/api-tokens/") && path.ends_with("/intrekken")
}

/// Middleware for the provider's scope (inside its role gate): every change goes through
/// [`check_may_act`].
pub async fn refuse_stopped_providers(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let reads = matches!(*req.method(), Method::GET | Method::HEAD);
    let provider = req
        .extensions()
        .get::<SessionUser>()
        .and_then(|u| u.own_provider().ok());
    let state = req.app_data::<actix_web::web::Data<AppState>>().cloned();
    if let (false, false, Some(provider), Some(state)) =
        (reads, always_allowed(req.path()), provider, state)
        && let Err(error) = state
            .db
            .run(move |conn| check_may_act(conn, provider))
            .await
    {
        let response = actix_web::ResponseError::error_response(&error);
        return Ok(req.into_response(response));
    }
    next.call(req).await
}

//! Who calls the API: the bearer token of a provider's own system, checked against its
//! hash, its expiry, its user and its provider's admissions. Used by every provider API
//! (the listing here, the trajectories in `outcomes`).

use actix_web::HttpRequest;
use diesel::prelude::*;

use crate::accounts::secrets::token_hash;
use crate::db::schema::api_tokens;
use crate::domain::ids::ProviderId;
use crate::startup::AppState;
use crate::web::AppError;

/// The provider an API token acts for.
#[derive(Debug, Clone, Copy)]
pub struct ApiProvider {
    pub provider_id: ProviderId,
    pub user_id: i64,
}

/// Checks the bearer token: it must exist, not be revoked and not be expired.
pub async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<ApiProvider, AppError> {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with("jhc_") && t.len() < 200)
        .ok_or(AppError::Unauthorized)?
        .to_owned();
    let hash = token_hash(&token);
    state
        .db
        .run(move |conn| {
            let now = crate::clock::now();
            let found: Option<(i64, ProviderId, i64)> = api_tokens::table
                .filter(api_tokens::token_hash.eq(&hash))
                .filter(api_tokens::revoked_at.is_null())
                .filter(api_tokens::expires_at.gt(now))
                .select((api_tokens::id, api_tokens::provider_id, api_tokens::user_id))
                .first(conn)
                .optional()?;
            let (id, provider_id, user_id) = found.ok_or(AppError::Unauthorized)?;
            // The token works only while its user may still act for the provider, and the
            // provider still works under a procesovereenkomst somewhere.
            let user_active: Option<bool> = crate::db::schema::users::table
                .find(user_id)
                .filter(crate::db::schema::users::provider_id.eq(provider_id))
                .select(crate::db::schema::users::active)
                .first(conn)
                .optional()?;
            if user_active != Some(true) {
                return Err(AppError::Unauthorized);
            }
            // The same gate as the provider's web pages.
            super::gate::check_may_act(conn, provider_id).map_err(|error| match error {
                AppError::Forbidden(_) => AppError::Forbidden(
                    "Uw organisatie is opgeschort of werkt niet meer onder een procesovereenkomst. Deze koppeling werkt daarom niet.".into(),
                ),
                other => other,
            })?;
            diesel::update(api_tokens::table.find(id))
                .set(api_tokens::last_used_at.eq(Some(now)))
                .execute(conn)?;
            Ok(ApiProvider {
                provider_id,
                user_id,
            })
        })
        .await
}

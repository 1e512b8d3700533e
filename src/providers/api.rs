//! The API for providers' own systems, authenticated by an API token sent as
//! `Authorization: Bearer <token>`. A token acts for its own provider only.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{Admission, Offer};
use super::{AdmissionStatus, ProviderStatus};
use crate::accounts::secrets::token_hash;
use crate::catalogue::listing;
use crate::db::schema::{admissions, api_tokens, offer_municipalities, offers, providers};
use crate::web::{ApiError, AppError, AppState, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/mijn-aanbod", web::get().to(own_listing))
        .route(
            "/api/v1/mijn-aanbod/aanbod/{id}",
            web::put().to(update_offer),
        );
}

/// The provider an API token acts for.
#[derive(Debug, Clone, Copy)]
pub struct ApiProvider {
    pub provider_id: i64,
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
            let found: Option<(i64, i64, i64)> = api_tokens::table
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
            let provider_status: String = crate::db::schema::providers::table
                .find(provider_id)
                .select(crate::db::schema::providers::status)
                .first(conn)?;
            let admissions: Vec<String> = crate::db::schema::admissions::table
                .filter(crate::db::schema::admissions::provider_id.eq(provider_id))
                .select(crate::db::schema::admissions::status)
                .load(conn)?;
            let stopped = |s: &String| {
                [
                    AdmissionStatus::Opgeschort,
                    AdmissionStatus::Beeindigd,
                    AdmissionStatus::Afgewezen,
                ]
                .iter()
                .any(|a| a.as_str() == s)
            };
            if provider_status != ProviderStatus::Actief.as_str()
                || (!admissions.is_empty() && admissions.iter().all(stopped))
            {
                return Err(AppError::Forbidden(
                    "Uw organisatie is opgeschort of werkt niet meer onder een procesovereenkomst. Deze koppeling werkt daarom niet.".into(),
                ));
            }
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

#[derive(Serialize)]
struct OwnListing {
    slug: String,
    name: String,
    admissions: Vec<AdmissionItem>,
    offers: Vec<OfferItem>,
}

#[derive(Serialize)]
struct AdmissionItem {
    region: String,
    status: String,
    admitted_on: Option<chrono::NaiveDate>,
    agreement_ends_on: Option<chrono::NaiveDate>,
}

#[derive(Serialize)]
struct OfferItem {
    id: i64,
    region: String,
    profile: i32,
    intensity: String,
    min_age: i32,
    max_age: i32,
    setting: String,
    languages: Vec<String>,
    waiting_weeks: i32,
    accepts_new_clients: bool,
    municipalities: Vec<String>,
}

async fn own_listing(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let caller = authenticate(&state, &req).await?;
    let cache = state.reference.clone();
    let listing = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let (slug, name): (String, String) = providers::table
                .find(caller.provider_id)
                .select((providers::slug, providers::name))
                .first(conn)?;
            let admissions: Vec<Admission> = admissions::table
                .filter(admissions::provider_id.eq(caller.provider_id))
                .select(Admission::as_select())
                .load(conn)?;
            let offers: Vec<Offer> = offers::table
                .filter(offers::provider_id.eq(caller.provider_id))
                .order(offers::id)
                .select(Offer::as_select())
                .load(conn)?;
            let ids: Vec<i64> = offers.iter().map(|o| o.id).collect();
            let towns: Vec<(i64, i64)> = offer_municipalities::table
                .filter(offer_municipalities::offer_id.eq_any(&ids))
                .select((
                    offer_municipalities::offer_id,
                    offer_municipalities::municipality_id,
                ))
                .load(conn)?;
            let region = |id: i64| {
                reference
                    .region(id)
                    .map_or(String::new(), |r| r.slug.clone())
            };
            Ok(OwnListing {
                slug,
                name,
                admissions: admissions
                    .iter()
                    .map(|a| AdmissionItem {
                        region: region(a.region_id),
                        status: a.status.clone(),
                        admitted_on: a.admitted_on,
                        agreement_ends_on: a.ends_on,
                    })
                    .collect(),
                offers: offers
                    .iter()
                    .map(|o| OfferItem {
                        id: o.id,
                        region: region(o.region_id),
                        profile: reference.profile(o.profile_id).map_or(0, |p| p.number),
                        intensity: reference
                            .intensity(o.intensity_id)
                            .map_or(String::new(), |i| i.code.clone()),
                        min_age: o.min_age,
                        max_age: o.max_age,
                        setting: o.setting.clone(),
                        languages: o.language_codes().map(str::to_owned).collect(),
                        waiting_weeks: o.waiting_weeks,
                        accepts_new_clients: o.accepts_new_clients,
                        municipalities: towns
                            .iter()
                            .filter(|(offer, _)| *offer == o.id)
                            .filter_map(|(_, m)| reference.municipality(*m))
                            .map(|m| m.slug.clone())
                            .collect(),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(listing))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Availability {
    waiting_weeks: i32,
    accepts_new_clients: bool,
}

/// Updates the waiting time and whether new clients are taken: what changes most often.
async fn update_offer(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let caller = authenticate(&state, &req).await?;
    let availability: Availability = serde_json::from_slice(&body).map_err(|e| {
        AppError::InvalidInput(vec![FieldError::new(
            "body",
            format!("Stuur JSON met waiting_weeks (0 tot en met 104) en accepts_new_clients (true of false): {e}"),
        )])
    })?;
    if !(0..=104).contains(&availability.waiting_weeks) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "waiting_weeks",
            "De wachttijd is een aantal hele weken van 0 tot en met 104.",
        )])
        .into());
    }
    let offer_id = id.into_inner();
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let old: Offer = offers::table
                    .filter(offers::id.eq(offer_id))
                    .filter(offers::provider_id.eq(caller.provider_id))
                    .select(Offer::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(AppError::NotFound)?;
                diesel::update(offers::table.find(offer_id))
                    .set((
                        offers::waiting_weeks.eq(availability.waiting_weeks),
                        offers::accepts_new_clients.eq(availability.accepts_new_clients),
                        offers::updated_at.eq(crate::clock::now()),
                    ))
                    .execute(conn)?;
                crate::audit::fields(
                    conn,
                    Some(caller.user_id),
                    "offer",
                    offer_id,
                    &[
                        (
                            "wachttijd",
                            old.waiting_weeks.to_string(),
                            availability.waiting_weeks.to_string(),
                        ),
                        (
                            "nieuwe_clienten",
                            old.accepts_new_clients.to_string(),
                            availability.accepts_new_clients.to_string(),
                        ),
                    ],
                )?;
                listing::refresh(conn, &[caller.provider_id])?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "id": offer_id,
        "waiting_weeks": availability.waiting_weeks,
        "accepts_new_clients": availability.accepts_new_clients,
    })))
}

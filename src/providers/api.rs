//! The API for providers' own systems, authenticated by an API token sent as
//! `Authorization: Bearer <token>`. A token acts for its own provider only.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{Admission, Offer};
use crate::db::schema::{admissions, offer_municipalities, offers, providers};
use crate::domain::values::WaitingWeeks;
use crate::read_model;
use crate::startup::AppState;
use crate::web::{ApiError, AppError, FieldError};

use super::api_access::authenticate;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/mijn-aanbod", web::get().to(own_listing))
        .route(
            "/api/v1/mijn-aanbod/aanbod/{id}",
            web::put().to(update_offer),
        );
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OwnListing {
    slug: String,
    name: String,
    admissions: Vec<AdmissionItem>,
    offers: Vec<OfferItem>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AdmissionItem {
    region: String,
    status: String,
    admitted_on: Option<chrono::NaiveDate>,
    agreement_ends_on: Option<chrono::NaiveDate>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferItem {
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

/// `GET /api/v1/mijn-aanbod`: the own listing, admitted or not.
#[utoipa::path(get, path = "/api/v1/mijn-aanbod", tag = "provider", security(("provider_token" = [])),
    responses((status = 200, description = "The answer", body = OwnListing), (status = 401, description = "No valid provider token", body = crate::web::ApiErrorDoc)))]
pub async fn own_listing(
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
                        status: a.status.as_str().to_owned(),
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
                        setting: o.setting.as_str().to_owned(),
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

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "an object with `waiting_weeks` and `accepts_new_clients`"
)]
pub struct Availability {
    #[schema(minimum = 0, maximum = 104)]
    waiting_weeks: i32,
    accepts_new_clients: bool,
}

/// Updates the waiting time and whether new clients are taken: what changes most often.
#[utoipa::path(put, path = "/api/v1/mijn-aanbod/aanbod/{id}", tag = "provider", security(("provider_token" = [])),
    params(("id" = i64, Path, description = "The offer's id, from /api/v1/mijn-aanbod")),
    request_body = Availability,
    responses((status = 200, description = "The answer", body = Updated), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc),
        (status = 401, description = "No valid provider token", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn update_offer(
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
    WaitingWeeks::try_from(availability.waiting_weeks)
        .map_err(|refused| AppError::InvalidInput(vec![refused.at("waiting_weeks")]))?;
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
                        offers::waiting_checked_at.eq(crate::clock::now()),
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
                read_model::providers_changed(conn, &[caller.provider_id.get()])?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(Updated {
        id: offer_id,
        waiting_weeks: availability.waiting_weeks,
        accepts_new_clients: availability.accepts_new_clients,
    }))
}

/// The offer's availability as it is now saved.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Updated {
    id: i64,
    waiting_weeks: i32,
    accepts_new_clients: bool,
}

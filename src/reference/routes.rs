use actix_web::{HttpResponse, web};
use maud::Markup;
use serde::Serialize;

use super::model;
use super::pages;
use crate::startup::AppState;
use crate::web::api::Items;
use crate::web::{ApiError, AppError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/profielen", web::get().to(profiles_page))
        .route("/profielen/{number}", web::get().to(profile_page))
        .route("/api/v1/regions", web::get().to(api_regions))
        .route("/api/v1/municipalities", web::get().to(api_municipalities))
        .route("/api/v1/profiles", web::get().to(api_profiles));
}

async fn profiles_page(state: web::Data<AppState>) -> Result<Markup, AppError> {
    let reference = state.reference_data().await?;
    Ok(pages::profiles(&state.site, &reference))
}

async fn profile_page(
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<Markup, AppError> {
    // Anything that is not a profile number is simply a page that does not exist.
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let cache = state.reference.clone();
    let (reference, tariffs) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                model::tariffs_for_profile_number(conn, number)?,
            ))
        })
        .await?;
    let profile = reference
        .profile_summary(number)
        .ok_or(AppError::NotFound)?;
    Ok(pages::profile(&state.site, &reference, &profile, &tariffs))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegionView<'a> {
    slug: &'a str,
    name: &'a str,
    procurement_method: &'a str,
    municipalities: Vec<&'a str>,
}

/// `GET /api/v1/regions`: the regions and their municipalities.
#[utoipa::path(get, path = "/api/v1/regions", tag = "reference",
    responses((status = 200, description = "The answer", body = Items<RegionView>)))]
pub async fn api_regions(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let reference = state.reference_data().await?;
    let regions: Vec<RegionView<'_>> = reference
        .regions
        .iter()
        .map(|r| RegionView {
            slug: &r.slug,
            name: &r.name,
            procurement_method: &r.procurement_method,
            municipalities: reference
                .municipalities_of(r.id)
                .map(|m| m.slug.as_str())
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Items { items: regions }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MunicipalityView<'a> {
    slug: &'a str,
    name: &'a str,
    /// The CBS gemeentecode: four digits, as iJw messages name the municipality.
    #[schema(pattern = "^[0-9]{4}$")]
    cbs_code: &'a str,
    region: &'a str,
    /// The municipality it merged into (its slug), from `merged_on`; absent while it exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    merged_into: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merged_on: Option<chrono::NaiveDate>,
}

/// `GET /api/v1/municipalities`.
#[utoipa::path(get, path = "/api/v1/municipalities", tag = "reference",
    responses((status = 200, description = "The answer", body = Items<MunicipalityView>)))]
pub async fn api_municipalities(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let reference = state.reference_data().await?;
    let items: Vec<MunicipalityView<'_>> = reference
        .municipalities
        .iter()
        .map(|m| MunicipalityView {
            slug: &m.slug,
            name: &m.name,
            cbs_code: &m.cbs_code,
            region: reference
                .region(m.region_id)
                .map_or("", |r| r.slug.as_str()),
            merged_into: m
                .merged_into_id
                .and_then(|id| reference.municipality(id))
                .map(|n| n.slug.as_str()),
            merged_on: m.merged_on,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Items { items }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProfileView<'a> {
    region: &'a str,
    number: i32,
    name: &'a str,
    description: &'a str,
    tariffs: Vec<TariffView<'a>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TariffView<'a> {
    intensity: &'a str,
    paid_per: &'a str,
    amount_cents: i64,
    valid_from: chrono::NaiveDate,
    valid_until: Option<chrono::NaiveDate>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IntensityView<'a> {
    region: &'a str,
    code: &'a str,
    name: &'a str,
    description: &'a str,
    paid_per: &'a str,
}

/// The profiles with their tariffs, and the intensities.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProfileList<'a> {
    items: Vec<ProfileView<'a>>,
    intensities: Vec<IntensityView<'a>>,
}

/// `GET /api/v1/profiles`: every region's profiles with tariffs, and the intensities.
#[utoipa::path(get, path = "/api/v1/profiles", tag = "reference",
    responses((status = 200, description = "The answer", body = ProfileList)))]
pub async fn api_profiles(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let cache = state.reference.clone();
    let (reference, tariffs) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, model::all_tariffs(conn)?)))
        .await?;
    let region_slug = |id: i64| reference.region(id).map_or("", |r| r.slug.as_str());
    let profiles: Vec<ProfileView<'_>> = reference
        .profiles
        .iter()
        .map(|p| ProfileView {
            region: region_slug(p.region_id),
            number: p.number,
            name: &p.name,
            description: &p.description,
            tariffs: tariffs
                .iter()
                .filter(|t| t.profile_id == p.id)
                .filter_map(|t| {
                    let intensity = reference.intensity(t.intensity_id)?;
                    Some(TariffView {
                        intensity: &intensity.code,
                        paid_per: &intensity.paid_per,
                        amount_cents: t.amount_cents,
                        valid_from: t.valid_from,
                        valid_until: t.valid_until,
                    })
                })
                .collect(),
        })
        .collect();
    let intensities: Vec<IntensityView<'_>> = reference
        .intensities
        .iter()
        .map(|i| IntensityView {
            region: region_slug(i.region_id),
            code: &i.code,
            name: &i.name,
            description: &i.description,
            paid_per: &i.paid_per,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ProfileList {
        items: profiles,
        intensities,
    }))
}

//! `/hsds/…`: the handlers, their query parameters and HSDS's paging.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use super::model::{About, Page, Taxonomy, TaxonomyTerm};
use super::queries::{self, Filter};
use super::taxonomy;
use super::{ids, mapping};
use crate::reference::ReferenceData;
use crate::startup::AppState;
use crate::web::{ApiError, AppError};

/// Items per database round trip when `format=ndjson` streams everything.
const STREAM_BATCH: i64 = 200;

pub use super::params::{DEFAULT_PER_PAGE, Format, ListQuery, MAX_PER_PAGE};
use super::params::{List, find};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/hsds",
        web::get().to(|| async {
            HttpResponse::PermanentRedirect()
                .insert_header(("Location", "/hsds/"))
                .finish()
        }),
    )
    .route("/hsds/", web::get().to(about))
    .route("/hsds/services", web::get().to(list_services))
    .route("/hsds/services/{id}", web::get().to(get_service))
    .route("/hsds/organizations", web::get().to(list_organizations))
    .route("/hsds/organizations/{id}", web::get().to(get_organization))
    .route("/hsds/taxonomies", web::get().to(list_taxonomies))
    .route("/hsds/taxonomies/{id}", web::get().to(get_taxonomy))
    .route("/hsds/taxonomy_terms", web::get().to(list_terms))
    .route("/hsds/taxonomy_terms/{id}", web::get().to(get_term))
    .route(
        "/hsds/service_at_locations",
        web::get().to(list_service_at_locations),
    )
    .route(
        "/hsds/service_at_locations/{id}",
        web::get().to(get_service_at_location),
    );
}

fn parse_path_id(raw: &str) -> Result<Uuid, ApiError> {
    // Not a UUID: no such object (the id is part of the address).
    Uuid::parse_str(raw).map_err(|_| ApiError(AppError::NotFound))
}

fn json<T: serde::Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}

/// One JSON object a line, streamed in batches of [`STREAM_BATCH`] from the database.
fn ndjson<T, F>(state: web::Data<AppState>, load: F) -> HttpResponse
where
    T: serde::Serialize + Send + 'static,
    F: Fn(
            &mut crate::db::DbConnection,
            &ReferenceData,
            i64,
        ) -> Result<(Vec<T>, Option<i64>), AppError>
        + Clone
        + Send
        + 'static,
{
    let stream = futures_util::stream::unfold(Some(0i64), move |after| {
        let state = state.clone();
        let load = load.clone();
        async move {
            let after = after?;
            let cache = state.reference.clone();
            let batch = state
                .db
                .run(move |conn| {
                    let reference = cache.get(conn)?;
                    load(conn, &reference, after)
                })
                .await;
            match batch {
                Ok((items, next)) => {
                    let mut body = Vec::new();
                    for item in &items {
                        if serde_json::to_writer(&mut body, item).is_err() {
                            return None;
                        }
                        body.push(b'\n');
                    }
                    Some((Ok::<_, actix_web::Error>(web::Bytes::from(body)), next))
                }
                Err(error) => {
                    error.log();
                    Some((Err(actix_web::Error::from(ApiError(error))), None))
                }
            }
        }
    });
    HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .streaming(stream)
}

/// `GET /hsds/`: which HSDS version and profile this API follows.
#[utoipa::path(get, path = "/hsds/", tag = "hsds", responses((status = 200, description = "The answer", body = About)))]
pub async fn about(state: web::Data<AppState>) -> HttpResponse {
    json(&About {
        version: "3.0",
        // No HSDS profile: the base standard, as Open Referral documents it.
        profile: "https://docs.openreferral.org/".to_owned(),
        openapi_url: format!("{}/api/openapi.json", state.public_url),
    })
}

async fn checked(state: &web::Data<AppState>, query: ListQuery) -> Result<List, ApiError> {
    let cache = state.reference.clone();
    Ok(state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            query.parse(conn, &reference)
        })
        .await?)
}

/// `GET /hsds/services`: a page of services (their one-to-one fields), or every service in
/// full with `format=ndjson`.
#[utoipa::path(get, path = "/hsds/services", tag = "hsds", params(ListQuery),
    responses((status = 200, description = "A page (json), or every item in full, one a line (ndjson)", content((Page<super::model::Service> = "application/json"), (super::model::Service = "application/x-ndjson"))), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc)))]
pub async fn list_services(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = checked(&state, query.into_inner()).await?;
    let public_url = state.public_url.clone();
    if list.ndjson {
        let filter = list.filter;
        return Ok(ndjson(state, move |conn, reference, after| {
            let ids = queries::services_after(conn, &filter, after, STREAM_BATCH)?;
            let next = (ids.len() == usize::try_from(STREAM_BATCH).unwrap_or(0))
                .then(|| ids.last().copied())
                .flatten();
            let rows = queries::service_rows(conn, &ids)?;
            Ok((
                rows.iter()
                    .map(|r| mapping::service(reference, &public_url, r, true))
                    .collect(),
                next,
            ))
        }));
    }
    let cache = state.reference.clone();
    let page = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let total = queries::count_services(conn, &list.filter)?;
            let ids = queries::service_page(conn, &list.filter, list.page, list.per_page)?;
            let rows = queries::service_rows(conn, &ids)?;
            let contents = rows
                .iter()
                .map(|r| mapping::service(&reference, &public_url, r, false))
                .collect();
            Ok(Page::new(contents, total, list.page, list.per_page))
        })
        .await?;
    Ok(json(&page))
}

/// `GET /hsds/services/{id}`: one service in full.
#[utoipa::path(get, path = "/hsds/services/{id}", tag = "hsds", params(("id" = String, Path, description = "The service's id (UUID)")),
    responses((status = 200, description = "The answer", body = super::model::Service), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn get_service(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_path_id(&path)?;
    let cache = state.reference.clone();
    let public_url = state.public_url.clone();
    let service = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let keys = queries::published_service_ids(conn)?;
            let key = find(&keys, id, ids::service).ok_or(AppError::NotFound)?;
            let rows = queries::service_rows(conn, &[key])?;
            let row = rows.first().ok_or(AppError::NotFound)?;
            Ok(mapping::service(&reference, &public_url, row, true))
        })
        .await?;
    Ok(json(&service))
}

/// `GET /hsds/service_at_locations`: each service at the provider's address.
#[utoipa::path(get, path = "/hsds/service_at_locations", tag = "hsds", params(ListQuery),
    responses((status = 200, description = "A page (json), or every item in full, one a line (ndjson)", content((Page<super::model::ServiceAtLocation> = "application/json"), (super::model::ServiceAtLocation = "application/x-ndjson"))), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc)))]
pub async fn list_service_at_locations(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = checked(&state, query.into_inner()).await?;
    if list.ndjson {
        let filter = list.filter;
        return Ok(ndjson(state, move |conn, reference, after| {
            let ids = queries::services_after(conn, &filter, after, STREAM_BATCH)?;
            let next = (ids.len() == usize::try_from(STREAM_BATCH).unwrap_or(0))
                .then(|| ids.last().copied())
                .flatten();
            let rows = queries::service_rows(conn, &ids)?;
            Ok((
                rows.iter()
                    .map(|r| {
                        mapping::service_at_location(
                            r.offer.id,
                            mapping::location(reference, &r.provider),
                        )
                    })
                    .collect(),
                next,
            ))
        }));
    }
    let cache = state.reference.clone();
    let page = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let total = queries::count_services(conn, &list.filter)?;
            let ids = queries::service_page(conn, &list.filter, list.page, list.per_page)?;
            let rows = queries::service_rows(conn, &ids)?;
            let contents = rows
                .iter()
                .map(|r| {
                    mapping::service_at_location(
                        r.offer.id,
                        mapping::location(&reference, &r.provider),
                    )
                })
                .collect();
            Ok(Page::new(contents, total, list.page, list.per_page))
        })
        .await?;
    Ok(json(&page))
}

/// `GET /hsds/service_at_locations/{id}`.
#[utoipa::path(get, path = "/hsds/service_at_locations/{id}", tag = "hsds", params(("id" = String, Path, description = "The id (UUID)")),
    responses((status = 200, description = "The answer", body = super::model::ServiceAtLocation), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn get_service_at_location(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_path_id(&path)?;
    let cache = state.reference.clone();
    let found = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let keys = queries::published_service_ids(conn)?;
            let key = find(&keys, id, ids::service_at_location).ok_or(AppError::NotFound)?;
            let rows = queries::service_rows(conn, &[key])?;
            let row = rows.first().ok_or(AppError::NotFound)?;
            Ok(mapping::service_at_location(
                row.offer.id,
                mapping::location(&reference, &row.provider),
            ))
        })
        .await?;
    Ok(json(&found))
}

/// `GET /hsds/organizations`: a page of organizations (their one-to-one fields), or every
/// organization in full with `format=ndjson`.
#[utoipa::path(get, path = "/hsds/organizations", tag = "hsds", params(ListQuery),
    responses((status = 200, description = "A page (json), or every item in full, one a line (ndjson)", content((Page<super::model::Organization> = "application/json"), (super::model::Organization = "application/x-ndjson"))), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc)))]
pub async fn list_organizations(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = checked(&state, query.into_inner()).await?;
    let public_url = state.public_url.clone();
    if list.ndjson {
        let filter = list.filter;
        return Ok(ndjson(state, move |conn, reference, after| {
            let found = queries::organizations_after(conn, &filter, after, STREAM_BATCH)?;
            let next = (found.len() == usize::try_from(STREAM_BATCH).unwrap_or(0))
                .then(|| found.last().map(|p| p.id))
                .flatten();
            Ok((
                found
                    .iter()
                    .map(|p| mapping::organization(reference, &public_url, p, true))
                    .collect(),
                next,
            ))
        }));
    }
    let cache = state.reference.clone();
    let page = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let total = queries::count_organizations(conn, &list.filter)?;
            let found = queries::organization_page(conn, &list.filter, list.page, list.per_page)?;
            let contents = found
                .iter()
                .map(|p| mapping::organization(&reference, &public_url, p, false))
                .collect();
            Ok(Page::new(contents, total, list.page, list.per_page))
        })
        .await?;
    Ok(json(&page))
}

/// `GET /hsds/organizations/{id}`: one organization in full.
#[utoipa::path(get, path = "/hsds/organizations/{id}", tag = "hsds", params(("id" = String, Path, description = "The organization's id (UUID)")),
    responses((status = 200, description = "The answer", body = super::model::Organization), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn get_organization(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_path_id(&path)?;
    let cache = state.reference.clone();
    let public_url = state.public_url.clone();
    let found = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let keys = queries::published_provider_ids(conn)?;
            let key = find(&keys, id, ids::organization).ok_or(AppError::NotFound)?;
            let filter = Filter {
                provider_ids: Some(vec![key]),
                ..Filter::default()
            };
            let found = queries::organization_page(conn, &filter, 1, 1)?;
            let provider = found.first().ok_or(AppError::NotFound)?;
            Ok(mapping::organization(
                &reference,
                &public_url,
                provider,
                true,
            ))
        })
        .await?;
    Ok(json(&found))
}

/// A page of an in-memory list (taxonomies and terms are few).
fn page_of<T: serde::Serialize>(items: Vec<T>, list: &List) -> HttpResponse {
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    if list.ndjson {
        let mut body = Vec::new();
        for item in &items {
            if serde_json::to_writer(&mut body, item).is_ok() {
                body.push(b'\n');
            }
        }
        return HttpResponse::Ok()
            .content_type("application/x-ndjson")
            .body(body);
    }
    let skip = usize::try_from((list.page - 1).saturating_mul(list.per_page)).unwrap_or(usize::MAX);
    let take = usize::try_from(list.per_page).unwrap_or(0);
    let contents: Vec<T> = items.into_iter().skip(skip).take(take).collect();
    json(&Page::new(contents, total, list.page, list.per_page))
}

fn matches(words: &[String], texts: &[&str]) -> bool {
    let text = crate::web::text::fold(&texts.join(" "));
    words.iter().all(|w| text.contains(w.as_str()))
}

/// `GET /hsds/taxonomies`.
#[utoipa::path(get, path = "/hsds/taxonomies", tag = "hsds", params(ListQuery),
    responses((status = 200, description = "A page (json), or every item in full, one a line (ndjson)", content((Page<Taxonomy> = "application/json"), (Taxonomy = "application/x-ndjson"))), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc)))]
pub async fn list_taxonomies(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = checked(&state, query.into_inner()).await?;
    let items: Vec<Taxonomy> = taxonomy::taxonomies()
        .into_iter()
        .filter(|t| matches(&list.filter.words, &[t.name, t.description]))
        .collect();
    Ok(page_of(items, &list))
}

/// `GET /hsds/taxonomies/{id}`.
#[utoipa::path(get, path = "/hsds/taxonomies/{id}", tag = "hsds", params(("id" = String, Path, description = "The taxonomy's id (UUID)")),
    responses((status = 200, description = "The answer", body = Taxonomy), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn get_taxonomy(path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let id = parse_path_id(&path)?;
    let found = taxonomy::taxonomies()
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(ApiError(AppError::NotFound))?;
    Ok(json(&found))
}

/// `GET /hsds/taxonomy_terms`.
#[utoipa::path(get, path = "/hsds/taxonomy_terms", tag = "hsds", params(ListQuery),
    responses((status = 200, description = "A page (json), or every item in full, one a line (ndjson)", content((Page<TaxonomyTerm> = "application/json"), (TaxonomyTerm = "application/x-ndjson"))), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc)))]
pub async fn list_terms(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = checked(&state, query.into_inner()).await?;
    let reference = state.reference_data().await?;
    let items: Vec<TaxonomyTerm> = taxonomy::terms(&reference)
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| list.taxonomy_id.is_none_or(|id| t.taxonomy_id == id))
        .filter(|t| matches(&list.filter.words, &[&t.name, &t.description, &t.code]))
        .collect();
    Ok(page_of(items, &list))
}

/// `GET /hsds/taxonomy_terms/{id}`.
#[utoipa::path(get, path = "/hsds/taxonomy_terms/{id}", tag = "hsds", params(("id" = String, Path, description = "The term's id (UUID)")),
    responses((status = 200, description = "The answer", body = TaxonomyTerm), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn get_term(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_path_id(&path)?;
    let reference = state.reference_data().await?;
    let found = taxonomy::terms(&reference)
        .into_iter()
        .map(|(t, _)| t)
        .find(|t| t.id == id)
        .ok_or(ApiError(AppError::NotFound))?;
    Ok(json(&found))
}

//! Open Referral's Human Services Data Specification (HSDS 3.0) under `/hsds/`: the
//! published catalogue, read-only, for the municipalities' other systems (wijkteam software,
//! the sociale kaart, national directories). A provider is an `organization`, an offer (region
//! × profile × intensity) a `service`, the provider's address a `location`; profiles,
//! intensities, settings, the wait and the published outcomes are taxonomy terms attached as
//! `attributes`. Only what the public provider page shows, and no unpublished number.

pub mod ids;
pub mod mapping;
pub mod model;
pub mod queries;
pub mod routes;
pub mod taxonomy;

pub use routes::routes;

/// The OpenAPI 3.1 description of `/hsds/`, generated from the handlers and their types.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Jeugdhulpcatalogus: Open Referral HSDS 3.0",
        description = "The published catalogue of youth-care providers in Open Referral's Human Services Data Specification 3.0. Read-only and public."
    ),
    paths(
        routes::about,
        routes::list_services,
        routes::get_service,
        routes::list_organizations,
        routes::get_organization,
        routes::list_service_at_locations,
        routes::get_service_at_location,
        routes::list_taxonomies,
        routes::get_taxonomy,
        routes::list_terms,
        routes::get_term,
    ),
    tags((name = "hsds", description = "Open Referral HSDS 3.0"))
)]
pub struct HsdsApi;

/// `GET /api/openapi.json`: the OpenAPI 3.1 description (for now of `/hsds/`).
pub async fn openapi_json() -> actix_web::HttpResponse {
    use utoipa::OpenApi;
    actix_web::HttpResponse::Ok().json(HsdsApi::openapi())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::OpenApi;

    /// The description is OpenAPI 3.1 and names exactly the routes `routes()` registers
    /// (read from its source, so a route added without its description fails here).
    #[test]
    fn the_description_lists_every_registered_hsds_route() {
        let spec = serde_json::to_value(super::HsdsApi::openapi()).expect("JSON");
        assert_eq!(spec["openapi"], "3.1.0");
        let described: BTreeSet<String> = spec["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .cloned()
            .collect();
        let source = include_str!("routes.rs");
        let registered: BTreeSet<String> = source
            .split(".route(")
            .skip(1)
            .filter_map(|call| {
                let start = call.find('"')? + 1;
                let end = start + call[start..].find('"')?;
                Some(call[start..end].to_owned())
            })
            .filter(|path| path != "/hsds")
            .collect();
        assert_eq!(registered.len(), 11, "{registered:?}");
        assert_eq!(described, registered);
        for path in &described {
            assert!(
                spec["paths"][path]["get"]["responses"]["200"].is_object(),
                "{path}"
            );
        }
    }
}

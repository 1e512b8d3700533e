//! The HSDS 3.0 objects the API answers with: only the fields the portal fills, each as the
//! standard names and types it (absent rather than null, since the standard's schemas allow
//! no null). `tests/hsds.rs` validates every answer against Open Referral's compiled schemas.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// `GET /hsds/`: which HSDS version and profile this API follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct About {
    pub version: &'static str,
    pub profile: String,
    pub openapi_url: String,
}

/// HSDS's `Page`: one page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub total_items: i64,
    pub total_pages: i64,
    pub page_number: i64,
    pub size: i64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<T>,
}

impl<T> Page<T> {
    pub fn new(contents: Vec<T>, total_items: i64, page_number: i64, per_page: i64) -> Page<T> {
        let total_pages = (total_items + per_page - 1) / per_page;
        Page {
            total_items,
            total_pages,
            page_number,
            size: i64::try_from(contents.len()).unwrap_or(i64::MAX),
            first_page: page_number == 1,
            last_page: page_number >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The provider's page in the catalogue.
    pub uri: String,
    /// Only in the full organization (`/hsds/organizations/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_identifiers: Option<Vec<OrganizationIdentifier>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<Phone>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<Location>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationIdentifier {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub identifier_scheme: &'static str,
    pub identifier_type: &'static str,
    pub identifier: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Phone {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub number: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Location {
    pub id: Uuid,
    pub location_type: &'static str,
    pub organization_id: Uuid,
    pub name: String,
    pub addresses: Vec<Address>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Address {
    pub id: Uuid,
    pub location_id: Uuid,
    pub address_1: String,
    pub city: String,
    /// The province, where the city is one of the reference municipalities; empty otherwise
    /// (the standard requires the field).
    pub state_province: String,
    pub postal_code: String,
    pub country: &'static str,
    pub address_type: &'static str,
}

/// A service. The lists give its one-to-one fields only (HSDS's `service_list`); the
/// service itself and `format=ndjson` also give the arrays.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Service {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub description: String,
    /// The provider's page in the catalogue.
    pub url: String,
    pub email: String,
    /// `active` while admitted and taking new clients, `inactive` otherwise.
    pub status: &'static str,
    pub minimum_age: i32,
    pub maximum_age: i32,
    /// Deprecated in HSDS 3.0, so also an attribute (taxonomy `wachttijd`).
    pub wait_time: String,
    /// The day the provider last saved (confirmed) this part of the listing.
    pub assured_date: String,
    /// RFC 3339.
    pub last_modified: String,
    /// The arrays: only in the full service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_areas: Option<Vec<ServiceArea>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<Language>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<Attribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_at_locations: Option<Vec<ServiceAtLocation>>,
}

/// The arrays of a full service.
pub struct ServiceArrays {
    pub service_areas: Vec<ServiceArea>,
    pub languages: Vec<Language>,
    pub attributes: Vec<Attribute>,
    pub service_at_locations: Vec<ServiceAtLocation>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceArea {
    pub id: Uuid,
    pub service_id: Uuid,
    /// The municipality's name.
    pub name: String,
    pub extent_type: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Language {
    pub id: Uuid,
    pub service_id: Uuid,
    pub name: &'static str,
    /// ISO 639-1.
    pub code: &'static str,
}

/// A taxonomy term attached to a service, with its value where the term has one (the wait
/// in weeks, a published score and its n).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attribute {
    pub id: Uuid,
    pub link_id: Uuid,
    pub link_type: &'static str,
    pub link_entity: &'static str,
    pub taxonomy_term_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub taxonomy_term: TaxonomyTerm,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceAtLocation {
    pub id: Uuid,
    pub service_id: Uuid,
    pub location_id: Uuid,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Taxonomy {
    pub id: Uuid,
    pub name: &'static str,
    pub description: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaxonomyTerm {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub description: String,
    /// The taxonomy's name.
    pub taxonomy: &'static str,
    pub taxonomy_id: Uuid,
}

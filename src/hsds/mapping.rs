//! From the portal's rows to HSDS objects (the mapping README.md writes down).

use uuid::Uuid;

use super::ids;
use super::model::{
    Address, Attribute, Language, Location, Organization, OrganizationIdentifier, Phone, Service,
    ServiceArea, ServiceArrays, ServiceAtLocation, TaxonomyTerm,
};
use super::queries::ServiceRow;
use super::taxonomy;
use crate::providers::{Provider, model::language_name};
use crate::reference::ReferenceData;

/// The province of a reference region, for an address's `state_province`.
fn province(region_slug: &str) -> &'static str {
    match region_slug {
        "haaglanden" => "Zuid-Holland",
        "alkmaar" => "Noord-Holland",
        "west-brabant-west" => "Noord-Brabant",
        _ => "",
    }
}

/// The province of a city, where it is one of the reference municipalities.
fn province_of_city(reference: &ReferenceData, city: &str) -> &'static str {
    let folded = crate::web::text::fold(city);
    reference
        .municipalities
        .iter()
        .find(|m| crate::web::text::fold(&m.name) == folded)
        .and_then(|m| reference.region(m.region_id))
        .map_or("", |r| province(&r.slug))
}

fn page_url(public_url: &str, provider: &Provider) -> String {
    format!("{public_url}/aanbieders/{}", provider.slug)
}

/// The website, only when it is an absolute http(s) address (HSDS says `uri`).
fn website(provider: &Provider) -> Option<String> {
    provider
        .website
        .as_deref()
        .map(str::trim)
        .filter(|w| {
            (w.starts_with("https://") || w.starts_with("http://"))
                && !w.contains(char::is_whitespace)
                && w.len() > 8
        })
        .map(str::to_owned)
}

pub fn location(reference: &ReferenceData, provider: &Provider) -> Location {
    let id = ids::location(provider.id);
    Location {
        id,
        location_type: "physical",
        organization_id: ids::organization(provider.id),
        name: provider.name.clone(),
        addresses: vec![Address {
            id: ids::address(provider.id),
            location_id: id,
            address_1: provider.street.clone(),
            city: provider.city.clone(),
            state_province: province_of_city(reference, &provider.city).to_owned(),
            postal_code: provider.postal_code.clone(),
            country: "NL",
            address_type: "physical",
        }],
    }
}

/// The organization; `full` adds its identifiers, phone and location.
pub fn organization(
    reference: &ReferenceData,
    public_url: &str,
    provider: &Provider,
    full: bool,
) -> Organization {
    let id = ids::organization(provider.id);
    let identifier =
        |scheme: &'static str, kind: &'static str, value: &str| OrganizationIdentifier {
            id: ids::identifier(provider.id, scheme),
            organization_id: id,
            identifier_scheme: scheme,
            identifier_type: kind,
            identifier: value.to_owned(),
        };
    Organization {
        id,
        name: provider.name.clone(),
        description: provider.description.clone(),
        email: provider.email.clone(),
        website: website(provider),
        uri: page_url(public_url, provider),
        organization_identifiers: full.then(|| {
            vec![
                identifier("NL-KVK", "KvK-nummer", &provider.kvk_number),
                identifier("NL-AGB", "AGB-code", &provider.agb_code),
            ]
        }),
        phones: full.then(|| {
            provider
                .phone
                .iter()
                .filter(|p| !p.trim().is_empty())
                .map(|number| Phone {
                    id: ids::phone(provider.id),
                    organization_id: id,
                    number: number.clone(),
                })
                .collect()
        }),
        locations: full.then(|| vec![location(reference, provider)]),
    }
}

fn attribute(service: Uuid, term: TaxonomyTerm, value: Option<String>) -> Attribute {
    Attribute {
        id: ids::attribute(service, term.id),
        link_id: service,
        link_type: "service",
        link_entity: "service",
        taxonomy_term_id: term.id,
        value,
        taxonomy_term: term,
    }
}

/// The service of one offer; `full` adds its areas, languages, attributes and location.
pub fn service(
    reference: &ReferenceData,
    public_url: &str,
    row: &ServiceRow,
    full: bool,
) -> Service {
    let offer = &row.offer;
    let id = ids::service(offer.id);
    let profile = reference.profile(offer.profile_id);
    let intensity = reference.intensity(offer.intensity_id);
    let region = reference.region(offer.region_id);
    let name = format!(
        "{}: profiel {} {}, {} ({})",
        row.provider.name,
        profile.map_or(0, |p| p.number),
        profile.map_or("", |p| p.name.as_str()),
        intensity.map_or("", |i| i.name.as_str()).to_lowercase(),
        region.map_or("", |r| r.name.as_str()),
    );
    let description = format!(
        "{} Vorm: {}.",
        profile.map_or("", |p| p.description.as_str()),
        offer.setting.label()
    )
    .trim()
    .to_owned();
    let arrays = full.then(|| {
        let mut attributes = Vec::new();
        if let Some(p) = profile {
            attributes.push(attribute(
                id,
                taxonomy::profile_term(p.number, &p.name, &p.description),
                None,
            ));
        }
        if let Some(i) = intensity {
            attributes.push(attribute(
                id,
                taxonomy::intensity_term(&i.code, &i.name, &i.description),
                None,
            ));
        }
        attributes.push(attribute(id, taxonomy::setting_term(offer.setting), None));
        attributes.push(attribute(
            id,
            taxonomy::wait_term(),
            Some(offer.waiting_weeks.to_string()),
        ));
        for &(indicator, value, n) in &row.scores {
            attributes.push(attribute(
                id,
                taxonomy::score_term(indicator),
                Some(format!("{value:.4}")),
            ));
            attributes.push(attribute(
                id,
                taxonomy::score_count_term(indicator),
                Some(n.to_string()),
            ));
        }
        let location = location(reference, &row.provider);
        ServiceArrays {
            service_areas: row
                .municipality_ids
                .iter()
                .filter_map(|m| reference.municipality(*m))
                .map(|m| ServiceArea {
                    id: ids::service_area(offer.id, m.id),
                    service_id: id,
                    name: m.name.clone(),
                    extent_type: "gemeente",
                })
                .collect(),
            languages: offer
                .language_codes()
                .map(|code| Language {
                    id: ids::language(offer.id, code),
                    service_id: id,
                    name: language_name(code).unwrap_or(code),
                    code,
                })
                .collect(),
            attributes,
            service_at_locations: vec![service_at_location(offer.id, location)],
        }
    });
    let (service_areas, languages, attributes, service_at_locations) = match arrays {
        Some(a) => (
            Some(a.service_areas),
            Some(a.languages),
            Some(a.attributes),
            Some(a.service_at_locations),
        ),
        None => (None, None, None, None),
    };
    Service {
        id,
        organization_id: ids::organization(row.provider.id),
        name,
        description,
        url: page_url(public_url, &row.provider),
        email: row.provider.email.clone(),
        status: if offer.accepts_new_clients {
            "active"
        } else {
            "inactive"
        },
        minimum_age: offer.min_age,
        maximum_age: offer.max_age,
        wait_time: match offer.waiting_weeks {
            1 => "1 week".to_owned(),
            n => format!("{n} weken"),
        },
        assured_date: row.updated_at.date().to_string(),
        last_modified: row.updated_at.and_utc().to_rfc3339(),
        service_areas,
        languages,
        attributes,
        service_at_locations,
    }
}

pub fn service_at_location(offer_id: i64, location: Location) -> ServiceAtLocation {
    ServiceAtLocation {
        id: ids::service_at_location(offer_id),
        service_id: ids::service(offer_id),
        location_id: location.id,
        location,
    }
}

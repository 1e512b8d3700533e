//! The JSON shapes of API v1: separate from the table rows, so the database can change
//! without breaking the systems that read this.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{ProviderDetail, SearchResult};
use super::search::{PAGE_SIZE, Search};
use crate::providers::Offer;
use crate::reference::ReferenceData;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProviderList<'a> {
    total: i64,
    page: u32,
    per_page: i64,
    pages: u32,
    order: &'static str,
    items: Vec<ProviderItem<'a>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProviderItem<'a> {
    slug: &'a str,
    name: &'a str,
    city: &'a str,
    url: String,
    verlengde_jeugdhulp: bool,
    offers: Vec<OfferView<'a>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfferView<'a> {
    region: &'a str,
    profile: i32,
    intensity: &'a str,
    setting: &'a str,
    min_age: i32,
    max_age: i32,
    languages: Vec<&'a str>,
    waiting_weeks: i32,
    accepts_new_clients: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    municipalities: Option<Vec<&'a str>>,
}

fn offer_view<'a>(
    reference: &'a ReferenceData,
    offer: &'a Offer,
    municipalities: Option<Vec<&'a str>>,
) -> OfferView<'a> {
    OfferView {
        region: reference
            .region(offer.region_id)
            .map_or("", |r| r.slug.as_str()),
        profile: reference.profile(offer.profile_id).map_or(0, |p| p.number),
        intensity: reference
            .intensity(offer.intensity_id)
            .map_or("", |i| i.code.as_str()),
        setting: offer.setting.as_str(),
        min_age: offer.min_age,
        max_age: offer.max_age,
        languages: offer.language_codes().collect(),
        waiting_weeks: offer.waiting_weeks,
        accepts_new_clients: offer.accepts_new_clients,
        municipalities,
    }
}

pub fn provider_list<'a>(
    reference: &'a ReferenceData,
    search: &Search,
    found: &'a SearchResult,
) -> ProviderList<'a> {
    ProviderList {
        total: found.total,
        page: search.page,
        per_page: PAGE_SIZE,
        pages: found.pages(),
        order: search.order.param(),
        items: found
            .providers
            .iter()
            .map(|p| ProviderItem {
                slug: &p.slug,
                name: &p.name,
                city: &p.city,
                url: format!("/aanbieders/{}", p.slug),
                verlengde_jeugdhulp: p.verlengde_jeugdhulp,
                offers: found
                    .offers_of(p.id)
                    .map(|o| offer_view(reference, o, None))
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProviderDetailView<'a> {
    slug: &'a str,
    name: &'a str,
    kvk_number: &'a str,
    agb_code: &'a str,
    description: &'a str,
    approach: &'a str,
    partners: &'a str,
    website: Option<&'a str>,
    email: &'a str,
    phone: Option<&'a str>,
    address: Address<'a>,
    verlengde_jeugdhulp: bool,
    regions: Vec<AdmissionView<'a>>,
    offers: Vec<OfferView<'a>>,
    /// Published scores are at `/api/v1/providers/{slug}/scores`; always empty here.
    #[schema(value_type = Vec<Object>)]
    scores: Vec<()>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProviderAddress)]
pub struct Address<'a> {
    street: &'a str,
    postal_code: &'a str,
    city: &'a str,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AdmissionView<'a> {
    region: &'a str,
    admitted_on: Option<NaiveDate>,
    agreement_ends_on: Option<NaiveDate>,
}

pub fn provider_detail<'a>(
    reference: &'a ReferenceData,
    detail: &'a ProviderDetail,
) -> ProviderDetailView<'a> {
    let p = &detail.provider;
    ProviderDetailView {
        slug: &p.slug,
        name: &p.name,
        kvk_number: &p.kvk_number,
        agb_code: &p.agb_code,
        description: &p.description,
        approach: &p.approach,
        partners: &p.partners,
        website: p.website.as_deref(),
        email: &p.email,
        phone: p.phone.as_deref(),
        address: Address {
            street: &p.street,
            postal_code: &p.postal_code,
            city: &p.city,
        },
        verlengde_jeugdhulp: p.verlengde_jeugdhulp,
        regions: detail
            .admissions
            .iter()
            .map(|a| AdmissionView {
                region: reference
                    .region(a.region_id)
                    .map_or("", |r| r.slug.as_str()),
                admitted_on: a.admitted_on,
                agreement_ends_on: a.ends_on,
            })
            .collect(),
        offers: detail
            .offers
            .iter()
            .map(|o| {
                let towns = detail
                    .offer_municipalities
                    .iter()
                    .filter(|(offer, _)| *offer == o.id)
                    .filter_map(|(_, m)| reference.municipality(*m).map(|m| m.slug.as_str()))
                    .collect();
                offer_view(reference, o, Some(towns))
            })
            .collect(),
        scores: vec![],
    }
}

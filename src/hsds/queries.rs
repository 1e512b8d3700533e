//! What the HSDS API may show, read from the database: active providers admitted in at least
//! one region (the same rule as the public provider page), their offers in the regions that
//! admitted them, and the published scores only.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::db::schema::{admissions, offer_municipalities, offers, providers, published_scores};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::indicator::Indicator;
use crate::domain::provider::Setting;
use crate::providers::{AdmissionStatus, Offer, Provider, ProviderStatus};

/// The filters of a list, combined with AND. `Some(vec![])` matches nothing (an id that is
/// no provider or term).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Folded words that must all occur in the provider's text.
    pub words: Vec<String>,
    pub provider_ids: Option<Vec<i64>>,
    pub profile_ids: Option<Vec<i64>>,
    pub intensity_ids: Option<Vec<i64>>,
    pub setting: Option<Setting>,
    /// Only services with a published value of this indicator.
    pub scored: Option<Indicator>,
    pub modified_after: Option<NaiveDateTime>,
}

/// One service's rows: the offer, its provider, the municipalities it serves and the
/// provider's published scores for the offer's profile.
pub struct ServiceRow {
    pub offer: Offer,
    pub updated_at: NaiveDateTime,
    pub provider: Provider,
    pub municipality_ids: Vec<i64>,
    /// Published values only.
    pub scores: Vec<Published>,
}

/// A published score: (indicator, value, n).
pub type Published = (Indicator, f64, i32);

/// The published services that match, as a boxed query of offer ids.
fn services(filter: &Filter) -> offers::BoxedQuery<'_, MultiBackend> {
    let mut query = offers::table
        .filter(
            offers::provider_id.eq_any(
                providers::table
                    .filter(providers::status.eq(ProviderStatus::Actief))
                    .select(providers::id),
            ),
        )
        .filter(exists(
            admissions::table
                .filter(admissions::provider_id.eq(offers::provider_id))
                .filter(admissions::region_id.eq(offers::region_id))
                .filter(admissions::status.eq(AdmissionStatus::Toegelaten)),
        ))
        .into_boxed();
    for word in &filter.words {
        query = query.filter(
            offers::provider_id.eq_any(
                providers::table
                    .filter(
                        providers::search_text
                            .like(crate::catalogue::model::like_pattern(word))
                            .escape('\\'),
                    )
                    .select(providers::id),
            ),
        );
    }
    if let Some(ids) = &filter.provider_ids {
        query = query.filter(offers::provider_id.eq_any(ids));
    }
    if let Some(ids) = &filter.profile_ids {
        query = query.filter(offers::profile_id.eq_any(ids));
    }
    if let Some(ids) = &filter.intensity_ids {
        query = query.filter(offers::intensity_id.eq_any(ids));
    }
    if let Some(setting) = filter.setting {
        query = query.filter(offers::setting.eq(setting));
    }
    if let Some(indicator) = filter.scored {
        query = query.filter(exists(
            published_scores::table
                .filter(published_scores::provider_id.eq(offers::provider_id))
                .filter(published_scores::profile_id.eq(offers::profile_id))
                .filter(published_scores::indicator.eq(indicator))
                .filter(published_scores::value.is_not_null()),
        ));
    }
    if let Some(after) = filter.modified_after {
        query = query.filter(offers::updated_at.ge(after));
    }
    query
}

pub fn count_services(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    services(filter).count().get_result(conn)
}

/// The ids of one page (1-based), in id order.
pub fn service_page(
    conn: &mut DbConnection,
    filter: &Filter,
    page: i64,
    per_page: i64,
) -> QueryResult<Vec<i64>> {
    services(filter)
        .order(offers::id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .select(offers::id)
        .load(conn)
}

/// Up to `limit` ids after `after`, in id order: the batches of `format=ndjson`.
pub fn services_after(
    conn: &mut DbConnection,
    filter: &Filter,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    services(filter)
        .filter(offers::id.gt(after))
        .order(offers::id)
        .limit(limit)
        .select(offers::id)
        .load(conn)
}

/// Whether this offer is published (for `/hsds/services/{id}`).
pub fn published_service_ids(conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
    services(&Filter::default()).select(offers::id).load(conn)
}

/// The rows of these services, in the order of `ids`.
pub fn service_rows(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ServiceRow>> {
    let found: Vec<(Offer, NaiveDateTime, Provider)> = offers::table
        .inner_join(providers::table)
        .filter(offers::id.eq_any(ids))
        .select((
            Offer::as_select(),
            offers::updated_at,
            Provider::as_select(),
        ))
        .load(conn)?;
    let mut areas: HashMap<i64, Vec<i64>> = HashMap::new();
    for (offer, municipality) in offer_municipalities::table
        .filter(offer_municipalities::offer_id.eq_any(ids))
        .order((
            offer_municipalities::offer_id,
            offer_municipalities::municipality_id,
        ))
        .select((
            offer_municipalities::offer_id,
            offer_municipalities::municipality_id,
        ))
        .load::<(i64, i64)>(conn)?
    {
        areas.entry(offer).or_default().push(municipality);
    }
    let provider_ids: Vec<i64> = found.iter().map(|(o, _, _)| o.provider_id).collect();
    let mut scores: BTreeMap<(i64, i64), Vec<Published>> = BTreeMap::new();
    for (provider, profile, indicator, value, n) in published_scores::table
        .filter(published_scores::provider_id.eq_any(&provider_ids))
        .filter(published_scores::value.is_not_null())
        .select((
            published_scores::provider_id,
            published_scores::profile_id,
            published_scores::indicator,
            published_scores::value.assume_not_null(),
            published_scores::n,
        ))
        .load::<(i64, i64, Indicator, f64, i32)>(conn)?
    {
        scores
            .entry((provider, profile))
            .or_default()
            .push((indicator, value, n));
    }
    let mut by_id: HashMap<i64, ServiceRow> = found
        .into_iter()
        .map(|(offer, updated_at, provider)| {
            let mut own = scores
                .get(&(provider.id, offer.profile_id))
                .cloned()
                .unwrap_or_default();
            own.sort_by_key(|(i, _, _)| Indicator::EVERY.iter().position(|e| e == i));
            (
                offer.id,
                ServiceRow {
                    municipality_ids: areas.remove(&offer.id).unwrap_or_default(),
                    scores: own,
                    offer,
                    updated_at,
                    provider,
                },
            )
        })
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The providers the API shows: active, and admitted in at least one region.
fn organizations(filter: &Filter) -> providers::BoxedQuery<'_, MultiBackend> {
    let mut query = providers::table
        .filter(providers::status.eq(ProviderStatus::Actief))
        .filter(exists(
            admissions::table
                .filter(admissions::provider_id.eq(providers::id))
                .filter(admissions::status.eq(AdmissionStatus::Toegelaten)),
        ))
        .into_boxed();
    for word in &filter.words {
        query = query.filter(
            providers::search_text
                .like(crate::catalogue::model::like_pattern(word))
                .escape('\\'),
        );
    }
    if let Some(ids) = &filter.provider_ids {
        query = query.filter(providers::id.eq_any(ids));
    }
    if let Some(after) = filter.modified_after {
        query = query.filter(providers::updated_at.ge(after));
    }
    query
}

pub fn count_organizations(conn: &mut DbConnection, filter: &Filter) -> QueryResult<i64> {
    organizations(filter).count().get_result(conn)
}

pub fn organization_page(
    conn: &mut DbConnection,
    filter: &Filter,
    page: i64,
    per_page: i64,
) -> QueryResult<Vec<Provider>> {
    organizations(filter)
        .order(providers::id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .select(Provider::as_select())
        .load(conn)
}

pub fn organizations_after(
    conn: &mut DbConnection,
    filter: &Filter,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<Provider>> {
    organizations(filter)
        .filter(providers::id.gt(after))
        .order(providers::id)
        .limit(limit)
        .select(Provider::as_select())
        .load(conn)
}

/// The ids of every provider the API shows (to find one by its HSDS id).
pub fn published_provider_ids(conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
    organizations(&Filter::default())
        .select(providers::id)
        .load(conn)
}

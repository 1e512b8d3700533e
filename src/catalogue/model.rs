//! The catalogue's queries. A search is three statements whatever the page size: the
//! matching providers (ids and names, to count and order), the cards of one page, and the
//! matching offers of those providers.

use chrono::NaiveDate;
use diesel::dsl;
use diesel::prelude::*;

use super::search::{CatalogueFilter, Order, PAGE_SIZE, SHUFFLE_MODULUS, daily_shuffle_key};
use crate::db::schema::{admissions, offer_municipalities, offers, providers};
use crate::db::{DbConnection, MultiBackend};
use crate::providers::{Admission, AdmissionStatus, Offer, Provider, ProviderStatus};
use crate::web::text::fold;

/// What a result card shows of a provider.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = providers)]
pub struct ProviderCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub city: String,
    pub description: String,
    pub verlengde_jeugdhulp: bool,
}

pub struct SearchResult {
    pub total: i64,
    pub providers: Vec<ProviderCard>,
    /// The offers that matched, of the providers on this page only.
    pub offers: Vec<Offer>,
}

impl SearchResult {
    pub fn offers_of(&self, provider_id: i64) -> impl Iterator<Item = &Offer> {
        self.offers
            .iter()
            .filter(move |o| o.provider_id == provider_id)
    }

    pub fn pages(&self) -> u32 {
        u32::try_from((self.total + PAGE_SIZE - 1) / PAGE_SIZE).unwrap_or(u32::MAX)
    }
}

/// Offers joined to their provider and to the provider's admission in the offer's region.
type OfferJoin = dsl::InnerJoinOn<
    dsl::InnerJoinOn<
        offers::table,
        admissions::table,
        dsl::And<
            dsl::Eq<admissions::provider_id, offers::provider_id>,
            dsl::Eq<admissions::region_id, offers::region_id>,
        >,
    >,
    providers::table,
    dsl::Eq<providers::id, offers::provider_id>,
>;

/// The public offers that match a filter: provider active, admitted in the offer's region.
/// Callers choose the columns. (diesel cannot render a boxed sub-select for `MultiBackend`,
/// so the filter is one boxed join rather than nested `IN (SELECT …)` queries.)
fn matching_offers(filter: &CatalogueFilter) -> dsl::IntoBoxed<'_, OfferJoin, MultiBackend> {
    let mut query = offers::table
        .inner_join(
            admissions::table.on(admissions::provider_id
                .eq(offers::provider_id)
                .and(admissions::region_id.eq(offers::region_id))),
        )
        .inner_join(providers::table.on(providers::id.eq(offers::provider_id)))
        .into_boxed()
        .filter(admissions::status.eq(AdmissionStatus::Toegelaten.as_str()))
        .filter(providers::status.eq(ProviderStatus::Actief.as_str()))
        .filter(offers::region_id.eq_any(&filter.region_ids));
    if let Some(ids) = &filter.profile_ids {
        query = query.filter(offers::profile_id.eq_any(ids));
    }
    if let Some(ids) = &filter.intensity_ids {
        query = query.filter(offers::intensity_id.eq_any(ids));
    }
    if let Some(municipality) = filter.municipality_id {
        query = query.filter(
            offers::id.eq_any(
                offer_municipalities::table
                    .filter(offer_municipalities::municipality_id.eq(municipality))
                    .select(offer_municipalities::offer_id),
            ),
        );
    }
    for word in &filter.words {
        query = query.filter(providers::search_text.like(like_pattern(word)).escape('\\'));
    }
    query
}

/// `%` and `_` in what people type are letters, not wildcards.
fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The order of the whole result, before paging. Sorting happens here rather than in SQL
/// because the daily shuffle must be the same on both backends.
fn sort(matches: &mut [(i64, String)], order: Order, today: NaiveDate) {
    match order {
        Order::Name => matches.sort_by_cached_key(|(id, name)| (fold(name), *id)),
        Order::Daily => {
            let (a, b) = daily_shuffle_key(today);
            matches.sort_by_key(|(id, _)| {
                (
                    (id.wrapping_mul(a).wrapping_add(b)).rem_euclid(SHUFFLE_MODULUS),
                    *id,
                )
            });
        }
    }
}

pub fn search(
    conn: &mut DbConnection,
    filter: &CatalogueFilter,
    order: Order,
    page: u32,
    today: NaiveDate,
) -> QueryResult<SearchResult> {
    let mut matches: Vec<(i64, String)> = matching_offers(filter)
        .select((providers::id, providers::name))
        .distinct()
        .load(conn)?;
    let total = i64::try_from(matches.len()).unwrap_or(i64::MAX);
    sort(&mut matches, order, today);
    let offset = usize::try_from(page.saturating_sub(1))
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE as usize);
    let page_ids: Vec<i64> = matches
        .iter()
        .skip(offset)
        .take(PAGE_SIZE as usize)
        .map(|(id, _)| *id)
        .collect();
    if page_ids.is_empty() {
        return Ok(SearchResult {
            total,
            providers: vec![],
            offers: vec![],
        });
    }
    let mut cards: Vec<ProviderCard> = providers::table
        .filter(providers::id.eq_any(&page_ids))
        .select(ProviderCard::as_select())
        .load(conn)?;
    cards.sort_by_key(|c| page_ids.iter().position(|id| *id == c.id));
    let offers = matching_offers(filter)
        .filter(offers::provider_id.eq_any(&page_ids))
        .select(Offer::as_select())
        .load(conn)?;
    Ok(SearchResult {
        total,
        providers: cards,
        offers,
    })
}

/// Everything the public provider page shows.
pub struct ProviderDetail {
    pub provider: Provider,
    /// Regions where the provider is admitted.
    pub admissions: Vec<Admission>,
    /// Offers in those regions only.
    pub offers: Vec<Offer>,
    /// (offer id, municipality id)
    pub offer_municipalities: Vec<(i64, i64)>,
}

/// The provider behind a slug, if it is active and admitted in at least one region.
pub fn provider_detail(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<ProviderDetail>> {
    let Some(provider) = providers::table
        .filter(providers::slug.eq(slug))
        .filter(providers::status.eq(ProviderStatus::Actief.as_str()))
        .select(Provider::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let admissions: Vec<Admission> = admissions::table
        .filter(admissions::provider_id.eq(provider.id))
        .filter(admissions::status.eq(AdmissionStatus::Toegelaten.as_str()))
        .select(Admission::as_select())
        .load(conn)?;
    if admissions.is_empty() {
        return Ok(None);
    }
    let regions: Vec<i64> = admissions.iter().map(|a| a.region_id).collect();
    let offers: Vec<Offer> = offers::table
        .filter(offers::provider_id.eq(provider.id))
        .filter(offers::region_id.eq_any(&regions))
        .select(Offer::as_select())
        .load(conn)?;
    let offer_ids: Vec<i64> = offers.iter().map(|o| o.id).collect();
    let offer_municipalities = offer_municipalities::table
        .filter(offer_municipalities::offer_id.eq_any(&offer_ids))
        .select((
            offer_municipalities::offer_id,
            offer_municipalities::municipality_id,
        ))
        .load(conn)?;
    Ok(Some(ProviderDetail {
        provider,
        admissions,
        offers,
        offer_municipalities,
    }))
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_in_input_are_escaped() {
        assert_eq!(like_pattern("100%"), "%100\\%%");
        assert_eq!(like_pattern("a_b"), "%a\\_b%");
        assert_eq!(like_pattern("c\\d"), "%c\\\\d%");
    }
}

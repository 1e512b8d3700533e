//! The catalogue's queries, over the read model in `catalogue_entries` (see `listing`).
//! A search is a fixed handful of statements whatever the page size: the matching provider
//! ids (to count and order them), the cards of one page, and the matching offers of those.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::cache::CatalogueCache;
use super::search::{CatalogueFilter, Order, PAGE_SIZE, daily_order};
use crate::db::schema::{
    admissions, catalogue_entries, offer_municipalities, offers, providers, published_scores,
};
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
    /// When the provider last confirmed its listing: on the card, with a warning when long ago.
    pub listing_checked_at: chrono::NaiveDateTime,
}

/// A published score as a card shows it: the value (none below the minimum), n and the
/// verdict, of the providers on one page for the profile searched.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = published_scores)]
pub struct CardScore {
    pub provider_id: i64,
    pub profile_id: i64,
    pub indicator: crate::domain::indicator::Indicator,
    pub value: Option<f64>,
    pub n: i32,
    pub comparison: Option<crate::domain::indicator::Comparison>,
}

#[derive(Clone)]
pub struct SearchResult {
    pub total: i64,
    pub providers: Vec<ProviderCard>,
    /// The offers that matched, of the providers on this page only.
    pub offers: Vec<Offer>,
    /// With a profile searched: the published scores of the providers on this page.
    pub scores: Vec<CardScore>,
}

impl SearchResult {
    pub fn scores_of(&self, provider_id: i64) -> impl Iterator<Item = &CardScore> {
        self.scores
            .iter()
            .filter(move |s| s.provider_id == provider_id)
    }

    pub fn offers_of(&self, provider_id: i64) -> impl Iterator<Item = &Offer> {
        self.offers
            .iter()
            .filter(move |o| o.provider_id == provider_id)
    }

    pub fn pages(&self) -> u32 {
        crate::web::components::page_count(self.total, PAGE_SIZE)
    }

    /// A page past the last of a non-empty result (an old link after the list got shorter).
    pub fn past_last_page(&self) -> bool {
        self.total > 0 && self.providers.is_empty()
    }
}

/// The entries that match the offer filters (profile, intensity, municipality). Callers
/// choose the columns; every filter sits on one table and its keys.
fn matching_entries(filter: &CatalogueFilter) -> catalogue_entries::BoxedQuery<'_, MultiBackend> {
    let mut query = catalogue_entries::table.into_boxed();
    if let Some(municipality) = filter.municipality_id {
        query = query.filter(catalogue_entries::municipality_id.eq(municipality));
    }
    if let Some(ids) = &filter.profile_ids {
        query = query.filter(catalogue_entries::profile_id.eq_any(ids));
    }
    if let Some(ids) = &filter.intensity_ids {
        query = query.filter(catalogue_entries::intensity_id.eq_any(ids));
    }
    if let Some(age) = filter.age {
        query = query.filter(
            catalogue_entries::offer_id.eq_any(
                offers::table
                    .filter(offers::min_age.le(age))
                    .filter(offers::max_age.ge(age))
                    .select(offers::id),
            ),
        );
    }
    query
}

fn has_offer_filter(filter: &CatalogueFilter) -> bool {
    filter.municipality_id.is_some()
        || filter.profile_ids.is_some()
        || filter.intensity_ids.is_some()
        || filter.age.is_some()
}

pub(crate) use crate::db::like_pattern;

/// Ids of the listed providers that match the filter, in no particular order.
fn matching_provider_ids(
    conn: &mut DbConnection,
    filter: &CatalogueFilter,
) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = if has_offer_filter(filter) {
        matching_entries(filter)
            .select(catalogue_entries::provider_id)
            .distinct()
            .load(conn)?
    } else {
        providers::table
            .filter(providers::in_catalogue.eq(true))
            .select(providers::id)
            .load(conn)?
    };
    if !filter.words.is_empty() {
        let mut query = providers::table.select(providers::id).into_boxed();
        for word in &filter.words {
            query = query.filter(providers::search_text.like(like_pattern(word)).escape('\\'));
        }
        let with_words: HashSet<i64> = query.load::<i64>(conn)?.into_iter().collect();
        ids.retain(|id| with_words.contains(id));
    }
    Ok(ids)
}

/// The order of the whole result, before paging. The daily shuffle needs only the ids; the
/// alphabetical order reads the names of the matches.
fn sort(
    conn: &mut DbConnection,
    cache: (&CatalogueCache, i64),
    ids: &mut Vec<i64>,
    filter: &CatalogueFilter,
    order: Order,
    today: NaiveDate,
) -> QueryResult<()> {
    let shuffle = daily_order(today);
    match order {
        Order::Daily => {
            ids.sort_by_key(|id| shuffle(*id));
        }
        Order::Score(indicator) => {
            // The shrunk estimate per provider for the chosen profile; best first, ties and
            // providers without a value in the daily order.
            let profiles = filter.profile_ids.clone().unwrap_or_default();
            let (cache, version) = cache;
            let values =
                cache
                    .scores
                    .get_or_load(version, (profiles.clone(), indicator), || {
                        published_values(conn, &profiles, indicator)
                    })?;
            let sign = if indicator.higher_is_better() {
                -1.0
            } else {
                1.0
            };
            // Keys computed once per provider, not once per comparison.
            // (no value, (shrunk, shown), the day's position).
            type Key = (bool, (f64, f64), (i64, i64));
            let mut keyed: Vec<Key> = ids
                .iter()
                .map(|id| {
                    let value = values
                        .get(id)
                        .map(|(shrunk, shown)| (shrunk * sign, shown * sign));
                    (value.is_none(), value.unwrap_or((0.0, 0.0)), shuffle(*id))
                })
                .collect();
            keyed.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| a.1.0.total_cmp(&b.1.0))
                    .then_with(|| a.1.1.total_cmp(&b.1.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            *ids = keyed.into_iter().map(|(_, _, (_, id))| id).collect();
        }
        Order::Name => {
            let mut named: Vec<(String, i64)> = Vec::with_capacity(ids.len());
            // Within SQLite's limit of bound values per statement.
            for chunk in ids.chunks(10_000) {
                let rows: Vec<(i64, String)> = providers::table
                    .filter(providers::id.eq_any(chunk))
                    .select((providers::id, providers::name))
                    .load(conn)?;
                named.extend(rows.into_iter().map(|(id, name)| (fold(&name), id)));
            }
            named.sort_unstable();
            *ids = named.into_iter().map(|(_, id)| id).collect();
        }
    }
    Ok(())
}

/// What each provider is ranked on for these profiles and this indicator: the shrunk
/// estimate of the fair comparison (a provider with few cases is pulled towards the region's
/// value, so it does not top the list by luck), or the published value where a score has
/// none (published before the fair comparison existed); then the published value. Where the
/// providers differ no more than chance explains (τ² = 0) every shrunk estimate is the
/// region's value, and the list follows the figures the family sees.
fn published_values(
    conn: &mut DbConnection,
    profiles: &[i64],
    indicator: crate::domain::indicator::Indicator,
) -> QueryResult<super::cache::RankValues> {
    Ok(published_scores::table
        .filter(published_scores::profile_id.eq_any(profiles))
        .filter(published_scores::indicator.eq(indicator))
        .filter(published_scores::value.is_not_null())
        .select((
            published_scores::provider_id,
            published_scores::value.assume_not_null(),
            published_scores::shrunk_value,
        ))
        .load::<(i64, f64, Option<f64>)>(conn)?
        .into_iter()
        .map(|(id, value, shrunk)| (id, (shrunk.unwrap_or(value), value)))
        .collect())
}

/// One page of the search, from the process's cache while the catalogue is unchanged.
pub fn search(
    conn: &mut DbConnection,
    cache: &CatalogueCache,
    filter: &CatalogueFilter,
    order: Order,
    page: u32,
    today: NaiveDate,
) -> QueryResult<SearchResult> {
    let version = cache.version.read(conn)?;
    let found = cache
        .pages
        .get_or_load(version, (filter.clone(), order, page, today), || {
            search_page(conn, (cache, version), filter, order, page, today)
        })?;
    Ok(SearchResult::clone(&found))
}

fn search_page(
    conn: &mut DbConnection,
    cache: (&CatalogueCache, i64),
    filter: &CatalogueFilter,
    order: Order,
    page: u32,
    today: NaiveDate,
) -> QueryResult<SearchResult> {
    let mut ids = cache
        .0
        .matches
        .get_or_load(cache.1, filter.clone(), || {
            matching_provider_ids(conn, filter)
        })?
        .to_vec();
    let total = i64::try_from(ids.len()).unwrap_or(i64::MAX);
    sort(conn, cache, &mut ids, filter, order, today)?;
    let offset = usize::try_from(page.saturating_sub(1))
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE as usize);
    let page_ids: Vec<i64> = ids
        .into_iter()
        .skip(offset)
        .take(PAGE_SIZE as usize)
        .collect();
    if page_ids.is_empty() {
        return Ok(SearchResult {
            total,
            providers: vec![],
            offers: vec![],
            scores: vec![],
        });
    }
    let mut cards: Vec<ProviderCard> = providers::table
        .filter(providers::id.eq_any(&page_ids))
        .select(ProviderCard::as_select())
        .load(conn)?;
    cards.sort_by_key(|c| page_ids.iter().position(|id| *id == c.id));
    let offer_ids: Vec<i64> = matching_entries(filter)
        .filter(catalogue_entries::provider_id.eq_any(&page_ids))
        .select(catalogue_entries::offer_id)
        .distinct()
        .load(conn)?;
    let offers = offers::table
        .filter(offers::id.eq_any(&offer_ids))
        .select(Offer::as_select())
        .load(conn)?;
    let scores = match &filter.profile_ids {
        Some(profiles) => published_scores::table
            .filter(published_scores::provider_id.eq_any(&page_ids))
            .filter(published_scores::profile_id.eq_any(profiles))
            .select(CardScore::as_select())
            .load(conn)?,
        None => Vec::new(),
    };
    Ok(SearchResult {
        total,
        providers: cards,
        offers,
        scores,
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
        .filter(providers::status.eq(ProviderStatus::Actief))
        .select(Provider::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let admissions: Vec<Admission> = admissions::table
        .filter(admissions::provider_id.eq(provider.id))
        .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
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

/// What the public provider page reads: the provider, the families' figures and the
/// published scores. Kept per catalogue version and day ([`CatalogueCache::providers`]), so
/// a family's visit costs one lookup; everything it reads raises the version when it changes
/// (listings, publications, a started care request, a family's answer).
pub struct ProviderPage {
    pub detail: ProviderDetail,
    pub waiting: Option<crate::outcomes::waiting::WaitingTime>,
    pub experience: crate::outcomes::experience::Summaries,
    pub published: Vec<(
        crate::outcomes::reports::Report,
        Vec<crate::outcomes::reports::Score>,
    )>,
    /// Per published report (same order), the reference data it was published with.
    pub references: Vec<Option<crate::outcomes::reports::reference::ReportReference>>,
}

/// The provider page's data, or `None` for a provider not (or no longer) listed.
pub fn provider_page(
    conn: &mut DbConnection,
    slug: &str,
    today: NaiveDate,
) -> QueryResult<Option<ProviderPage>> {
    let Some(detail) = provider_detail(conn, slug)? else {
        return Ok(None);
    };
    let id = detail.provider.id;
    let published = crate::outcomes::reports::published(conn, id)?;
    Ok(Some(ProviderPage {
        waiting: crate::outcomes::waiting::actual(conn, &[id], today)?.remove(&id),
        experience: crate::outcomes::experience::summaries(conn, &[id])?,
        references: published
            .iter()
            .map(|(report, _)| crate::outcomes::reports::reference::kept(conn, report.id))
            .collect::<QueryResult<_>>()?,
        published,
        detail,
    }))
}

/// The provider page's data, read once per catalogue version and day.
pub fn cached_provider_page(
    conn: &mut DbConnection,
    cache: &CatalogueCache,
    slug: &str,
    today: NaiveDate,
) -> QueryResult<std::sync::Arc<Option<ProviderPage>>> {
    let version = cache.version.read(conn)?;
    cache
        .providers
        .get_or_load(version, (slug.to_owned(), today), || {
            provider_page(conn, slug, today)
        })
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

//! What a search reads changes only when a listing changes or a report is published, yet
//! reading it is most of a search's work. Each process keeps search results, tagged with the
//! `catalogue_version` they were read under; every change to `catalogue_entries` or
//! `published_scores` raises that counter in its own transaction (`read_model::providers_changed`,
//! `read_model::scores_changed`). A kept result is used only while the counter is unchanged,
//! so a change shows at once, on every node, while a repeated search costs one lookup.

use std::collections::HashMap;

pub use crate::read_model::{Versioned, Weigh};

use chrono::NaiveDate;

use super::model::{ProviderPage, SearchResult};
use super::search::{CatalogueFilter, Order};

impl Weigh for CatalogueFilter {
    fn weigh(&self) -> usize {
        let ids = |list: &Option<Vec<i64>>| list.as_ref().map_or(0, |l| l.len() * 8);
        ids(&self.profile_ids)
            + ids(&self.intensity_ids)
            + self.region_ids.len() * 8
            + self.intensity_code.as_deref().map_or(0, str::len)
            + self.words.iter().map(|w| w.len() + 24).sum::<usize>()
    }
}

impl Weigh for (Vec<i64>, crate::domain::indicator::Indicator) {
    fn weigh(&self) -> usize {
        self.0.weigh()
    }
}

impl Weigh for (CatalogueFilter, Order, u32, NaiveDate) {
    fn weigh(&self) -> usize {
        self.0.weigh()
    }
}

impl Weigh for (Option<i32>, Option<i64>, Vec<String>, NaiveDate) {
    fn weigh(&self) -> usize {
        self.2.iter().map(|s| s.len() + 24).sum()
    }
}

impl Weigh for Vec<i64> {
    fn weigh(&self) -> usize {
        self.len() * 8
    }
}

/// Per provider, what a sorted list ranks on: (shrunk estimate, shown value).
pub type RankValues = HashMap<i64, (f64, f64)>;

impl Weigh for RankValues {
    fn weigh(&self) -> usize {
        // hashbrown: the entry and a control byte per slot, at most 8/7 full.
        self.capacity() * 25
    }
}

impl Weigh for crate::providers::Provider {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Self>()
            + [
                &self.slug,
                &self.name,
                &self.kvk_number,
                &self.agb_code,
                &self.description,
                &self.approach,
                &self.partners,
                &self.email,
                &self.street,
                &self.postal_code,
                &self.city,
            ]
            .iter()
            .map(|s| s.len())
            .sum::<usize>()
            + self.website.as_deref().map_or(0, str::len)
            + self.phone.as_deref().map_or(0, str::len)
    }
}

impl Weigh for crate::providers::Offer {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Self>() + self.languages.len()
    }
}

impl Weigh for crate::outcomes::reports::Score {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Self>() + self.explanation.len() + self.source.len()
    }
}

impl Weigh for crate::outcomes::reports::Report {
    fn weigh(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.period.len()
            + self.comment.len()
            + self.correction_reason.len()
    }
}

impl<T: Weigh> Weigh for [T] {
    fn weigh(&self) -> usize {
        self.iter().map(Weigh::weigh).sum()
    }
}

impl Weigh for SearchResult {
    fn weigh(&self) -> usize {
        let cards: usize = self
            .providers
            .iter()
            .map(|c| {
                std::mem::size_of_val(c)
                    + c.slug.len()
                    + c.name.len()
                    + c.city.len()
                    + c.description.len()
            })
            .sum();
        cards + self.offers.weigh() + self.scores.len() * 64
    }
}

/// A region's published report and its scores.
impl Weigh
    for (
        crate::outcomes::reports::Report,
        Vec<crate::outcomes::reports::Score>,
    )
{
    fn weigh(&self) -> usize {
        self.0.weigh() + self.1.weigh()
    }
}

fn experience_weight(summaries: usize) -> usize {
    summaries * std::mem::size_of::<crate::outcomes::experience::Summary>() * 2
}

impl Weigh for Option<ProviderPage> {
    fn weigh(&self) -> usize {
        self.as_ref().map_or(0, |page| {
            let detail = &page.detail;
            detail.provider.weigh()
                + detail.admissions.len() * 64
                + detail.offers.weigh()
                + detail.offer_municipalities.len() * 16
                + experience_weight(page.experience.len())
                + page.published.weigh()
        })
    }
}

impl Weigh for Comparison {
    fn weigh(&self) -> usize {
        self.1.as_deref().map_or(0, |items| {
            items
                .iter()
                .map(|c| {
                    c.provider.weigh()
                        + c.offers.weigh()
                        + c.scores.weigh()
                        + experience_weight(c.experience.len())
                })
                .sum()
        })
    }
}

/// The search results one process keeps.
pub struct CatalogueCache {
    /// The catalogue version the kept values are checked against.
    pub version: std::sync::Arc<crate::read_model::VersionWatch>,
    /// The ids of the listed providers a filter matches, in no particular order.
    pub matches: Versioned<CatalogueFilter, Vec<i64>>,
    /// The published value per provider for (profiles, indicator), for sorting on results.
    pub scores: Versioned<(Vec<i64>, crate::domain::indicator::Indicator), RankValues>,
    /// Whole result pages; the day is part of the key because the shuffle follows it.
    pub pages: Versioned<(CatalogueFilter, Order, u32, NaiveDate), SearchResult>,
    /// What each provider page reads, per slug and day (waiting times count back from today).
    pub providers: Versioned<(String, NaiveDate), Option<ProviderPage>>,
    /// Comparisons per profile number and providers chosen (in order), and day: how many of
    /// the slugs are listed, and what the comparison shows.
    pub comparisons: Versioned<ComparisonKey, Comparison>,
}

/// A comparison as read: the number of the chosen providers that are listed, and the
/// providers compared when the profile exists.
pub type Comparison = (usize, Option<Vec<super::compare::Compared>>);

/// A comparison's key: profile number, region, the providers' slugs, the day.
pub type ComparisonKey = (Option<i32>, Option<i64>, Vec<String>, NaiveDate);

const MB: usize = 1024 * 1024;

impl Default for CatalogueCache {
    fn default() -> Self {
        CatalogueCache::new(std::time::Duration::ZERO)
    }
}

impl CatalogueCache {
    /// Caches that read the catalogue version again after `poll` (zero: on every request).
    pub fn new(poll: std::time::Duration) -> Self {
        CatalogueCache {
            version: std::sync::Arc::new(crate::read_model::VersionWatch::new(poll)),
            matches: Versioned::new(4 * MB),
            scores: Versioned::new(4 * MB),
            pages: Versioned::new(16 * MB),
            providers: Versioned::new(16 * MB),
            comparisons: Versioned::new(8 * MB),
        }
    }
}

//! What a search reads changes only when a listing changes or a report is published, yet
//! reading it is most of a search's work. Each process keeps search results, tagged with the
//! `catalogue_version` they were read under; every change to `catalogue_entries` or
//! `published_scores` raises that counter in its own transaction (`read_model::providers_changed`,
//! `read_model::scores_changed`). A kept result is used only while the counter is unchanged,
//! so a change shows at once, on every node, while a repeated search costs one lookup.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use super::model::{ProviderPage, SearchResult};
use super::search::{CatalogueFilter, Order};

/// Values per key, each valid for the version it was read under.
pub struct Versioned<K, V> {
    entries: RwLock<HashMap<K, (i64, Arc<V>)>>,
    /// Free-text searches could otherwise grow it without end.
    max_entries: usize,
}

impl<K: Hash + Eq, V> Versioned<K, V> {
    pub fn new(max_entries: usize) -> Self {
        Versioned {
            entries: RwLock::default(),
            max_entries,
        }
    }

    /// The value kept for `key` under `version`, or else the one `load` reads.
    pub fn get_or_load<E>(
        &self,
        version: i64,
        key: K,
        load: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Ok(entries) = self.entries.read()
            && let Some((seen, value)) = entries.get(&key)
            && *seen == version
        {
            return Ok(Arc::clone(value));
        }
        let value = Arc::new(load()?);
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= self.max_entries {
                entries.retain(|_, (seen, _)| *seen == version);
                if entries.len() >= self.max_entries {
                    entries.clear();
                }
            }
            entries.insert(key, (version, Arc::clone(&value)));
        }
        Ok(value)
    }
}

/// The search results one process keeps.
pub struct CatalogueCache {
    /// The catalogue version the kept values are checked against.
    pub version: crate::read_model::VersionWatch,
    /// The ids of the listed providers a filter matches, in no particular order.
    pub matches: Versioned<CatalogueFilter, Vec<i64>>,
    /// The published value per provider for (profiles, indicator), for sorting on results.
    pub scores: Versioned<(Vec<i64>, crate::domain::indicator::Indicator), HashMap<i64, f64>>,
    /// Whole result pages; the day is part of the key because the shuffle follows it.
    pub pages: Versioned<(CatalogueFilter, Order, u32, NaiveDate), SearchResult>,
    /// What each provider page reads, per slug and day (waiting times count back from today).
    pub providers: Versioned<(String, NaiveDate), Option<ProviderPage>>,
    /// Comparisons per profile number and providers chosen (in order), and day: how many of
    /// the slugs are listed, and what the comparison shows.
    pub comparisons: Versioned<(Option<i32>, Vec<String>, NaiveDate), Comparison>,
}

/// A comparison as read: the number of the chosen providers that are listed, and the
/// providers compared when the profile exists.
pub type Comparison = (usize, Option<Vec<super::compare::Compared>>);

impl Default for CatalogueCache {
    fn default() -> Self {
        CatalogueCache::new(std::time::Duration::ZERO)
    }
}

impl CatalogueCache {
    /// Caches that read the catalogue version again after `poll` (zero: on every request).
    pub fn new(poll: std::time::Duration) -> Self {
        CatalogueCache {
            version: crate::read_model::VersionWatch::new(poll),
            matches: Versioned::new(2_000),
            scores: Versioned::new(200),
            pages: Versioned::new(5_000),
            providers: Versioned::new(4_000),
            comparisons: Versioned::new(2_000),
        }
    }
}

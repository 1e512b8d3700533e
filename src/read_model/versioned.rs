//! Values kept per key and catalogue version, bounded in bytes: the catalogue's search
//! results and page data, and the whole public pages. A value is used only under the version
//! it was read under ([`super::VersionWatch`]); values of an older version are never read
//! again and are evicted like any value not read again.

use std::hash::Hash;
use std::sync::Arc;

/// An estimate of the bytes a kept value holds: its own size and what its strings and lists
/// own. It bounds the caches in bytes (a comparison of four providers with their texts is a
/// hundred times a list of ids), so it counts what grows and leaves out what does not.
pub trait Weigh {
    fn weigh(&self) -> usize;
}

/// A kept value with its weight, worked out once when it is kept.
struct Kept<V> {
    version: i64,
    weight: u64,
    value: Arc<V>,
}

impl<V> Clone for Kept<V> {
    fn clone(&self) -> Self {
        Kept {
            version: self.version,
            weight: self.weight,
            value: Arc::clone(&self.value),
        }
    }
}

const SHARDS: usize = 8;

#[derive(Clone)]
struct ByWeight;

impl<K, V> quick_cache::Weighter<K, Kept<V>> for ByWeight {
    fn weight(&self, _key: &K, kept: &Kept<V>) -> u64 {
        kept.weight
    }
}

/// Values per key, each valid for the version it was read under, at most `max_bytes` in
/// all. Eviction is quick_cache's (S3-FIFO: values read once go before values read again),
/// so a rotation over more addresses than fit keeps the popular ones instead of emptying
/// itself; a value of an older version is replaced when its key is read again, or evicted.
pub struct Versioned<K, V> {
    entries: quick_cache::sync::Cache<K, Kept<V>, ByWeight>,
}

/// The address of a kept page or provider, and the day.
impl Weigh for (String, chrono::NaiveDate) {
    fn weigh(&self) -> usize {
        self.0.len()
    }
}

impl Weigh for (String, chrono::NaiveDate, crate::i18n::Lang) {
    fn weigh(&self) -> usize {
        self.0.len()
    }
}

impl<K: Hash + Eq + Clone + Weigh, V: Weigh> Versioned<K, V> {
    pub fn new(max_bytes: usize) -> Self {
        Versioned {
            entries: quick_cache::sync::Cache::with_options(
                quick_cache::OptionsBuilder::new()
                    // Only sizes the table up front: a guess of 2 KB a value.
                    .estimated_items_capacity((max_bytes / 2048).max(SHARDS * 32))
                    .weight_capacity(max_bytes as u64)
                    // Fixed rather than by cores, so that a shard's share of the bytes
                    // (an eighth) does not shrink below a large page on a large machine.
                    .shards(SHARDS)
                    .build()
                    .expect("both capacities are set"),
                ByWeight,
                Default::default(),
                Default::default(),
            ),
        }
    }

    /// The value kept for `key` under `version`.
    pub fn get(&self, version: i64, key: &K) -> Option<Arc<V>> {
        self.entries
            .get(key)
            .filter(|kept| kept.version == version)
            .map(|kept| kept.value)
    }

    /// The value kept for `key` under whatever version, with that version: what a request
    /// may be sent while the value of the current version is being made.
    pub fn get_any(&self, key: &K) -> Option<(i64, Arc<V>)> {
        self.entries.get(key).map(|kept| (kept.version, kept.value))
    }

    /// Forgets what is kept for `key` (its page of this version could not be kept, so one of
    /// an older version must not stand in for it).
    pub fn remove(&self, key: &K) {
        self.entries.remove(key);
    }

    /// Keeps `value` for `key` under `version`; key and value both count (a key can be a
    /// visitor's long address). A value near an eighth of the whole is not kept:
    /// quick_cache splits the capacity over its shards.
    pub fn put(&self, version: i64, key: K, value: Arc<V>) {
        // A request that knew an older version never replaces a newer value.
        if self
            .entries
            .get(&key)
            .is_some_and(|kept| kept.version > version)
        {
            return;
        }
        let weight = (key.weigh() + value.weigh() + std::mem::size_of::<(K, Kept<V>)>()) as u64;
        self.entries.insert(
            key,
            Kept {
                version,
                weight,
                value,
            },
        );
    }

    /// The value kept for `key` under `version`, or else the one `load` reads.
    pub fn get_or_load<E>(
        &self,
        version: i64,
        key: K,
        load: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        if let Some(value) = self.get(version, &key) {
            return Ok(value);
        }
        let value = Arc::new(load()?);
        self.put(version, key, Arc::clone(&value));
        Ok(value)
    }

    /// The estimated bytes kept now.
    pub fn bytes(&self) -> u64 {
        self.entries.weight()
    }
}

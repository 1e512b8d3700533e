//! The published values a list is sorted on change only when a report is published, yet a
//! sorted search needs those of every provider of the profile. Each process keeps them per
//! profile and indicator for a minute (cleared at once when this process publishes), so a
//! sorted search costs about what a shuffled one does.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::published_scores;

type Values = Arc<HashMap<i64, f64>>;
/// (profile ids, indicator) -> (loaded at, values).
type Entries = HashMap<(Vec<i64>, &'static str), (Instant, Values)>;

pub struct ScoreOrderCache {
    ttl: Duration,
    entries: RwLock<Entries>,
}

impl Default for ScoreOrderCache {
    fn default() -> Self {
        ScoreOrderCache {
            ttl: Duration::from_secs(60),
            entries: RwLock::default(),
        }
    }
}

impl ScoreOrderCache {
    /// The published value per provider for these profiles and this indicator.
    pub fn values(
        &self,
        conn: &mut DbConnection,
        profiles: &[i64],
        indicator: &'static str,
    ) -> QueryResult<Values> {
        let key = (profiles.to_vec(), indicator);
        if let Ok(entries) = self.entries.read()
            && let Some((loaded, values)) = entries.get(&key)
            && loaded.elapsed() < self.ttl
        {
            return Ok(Arc::clone(values));
        }
        let values: Values = Arc::new(
            published_scores::table
                .filter(published_scores::profile_id.eq_any(profiles))
                .filter(published_scores::indicator.eq(indicator))
                .filter(published_scores::value.is_not_null())
                .select((
                    published_scores::provider_id,
                    published_scores::value.assume_not_null(),
                ))
                .load::<(i64, f64)>(conn)?
                .into_iter()
                .collect(),
        );
        if let Ok(mut entries) = self.entries.write() {
            entries.insert(key, (Instant::now(), Arc::clone(&values)));
        }
        Ok(values)
    }

    /// Forgets everything, after this process published a report.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

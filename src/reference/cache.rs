//! Reference data changes a few times a year but is read by nearly every request, so each
//! process keeps a copy for a short while. The time limit keeps several nodes on one
//! PostgreSQL database in step without any messaging between them.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use diesel::QueryResult;

use super::ReferenceData;
use crate::db::DbConnection;

pub struct ReferenceCache {
    ttl: Duration,
    current: RwLock<Option<(Instant, Arc<ReferenceData>)>>,
}

impl ReferenceCache {
    pub fn new(ttl: Duration) -> Self {
        ReferenceCache {
            ttl,
            current: RwLock::new(None),
        }
    }

    /// The cached reference data, loaded again once it is older than the time limit.
    /// Call it on a blocking thread: a miss reads the database.
    pub fn get(&self, conn: &mut DbConnection) -> QueryResult<Arc<ReferenceData>> {
        if let Ok(guard) = self.current.read()
            && let Some((loaded, data)) = guard.as_ref()
            && loaded.elapsed() < self.ttl
        {
            return Ok(Arc::clone(data));
        }
        let data = Arc::new(ReferenceData::load(conn)?);
        if let Ok(mut guard) = self.current.write() {
            *guard = Some((Instant::now(), Arc::clone(&data)));
        }
        Ok(data)
    }

    /// Forgets the copy, for a node that has just changed reference data itself.
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.current.write() {
            *guard = None;
        }
    }
}

impl Default for ReferenceCache {
    fn default() -> Self {
        ReferenceCache::new(Duration::from_secs(60))
    }
}

//! Reference data changes a few times a year but is read by nearly every request, so each
//! process keeps a copy. A change raises the catalogue version (in its own transaction), and
//! the copy is checked against that version at most once per `check_every`: every node
//! sees a new municipality, tariff or profile within that time, without messaging.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use diesel::QueryResult;

use super::ReferenceData;
use crate::db::DbConnection;

struct Loaded {
    checked: Instant,
    /// The catalogue version the copy was read under.
    version: i64,
    data: Arc<ReferenceData>,
}

pub struct ReferenceCache {
    check_every: Duration,
    current: RwLock<Option<Loaded>>,
}

impl ReferenceCache {
    pub fn new(check_every: Duration) -> Self {
        ReferenceCache {
            check_every,
            current: RwLock::new(None),
        }
    }

    /// The kept reference data; once it was last checked longer ago than `check_every`, the
    /// catalogue version is read and the data loaded again if the version moved. Call it on
    /// a blocking thread: a check reads the database.
    pub fn get(&self, conn: &mut DbConnection) -> QueryResult<Arc<ReferenceData>> {
        let kept = match self.current.read() {
            Ok(guard) => guard.as_ref().map(|l| {
                (
                    l.checked.elapsed() < self.check_every,
                    l.version,
                    Arc::clone(&l.data),
                )
            }),
            Err(_) => None,
        };
        if let Some((true, _, data)) = &kept {
            return Ok(Arc::clone(data));
        }
        let version = crate::read_model::version(conn)?;
        let data = match kept {
            Some((_, seen, data)) if seen == version => data,
            _ => Arc::new(ReferenceData::load(conn)?),
        };
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(Loaded {
                checked: Instant::now(),
                version,
                data: Arc::clone(&data),
            });
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
        ReferenceCache::new(Duration::from_secs(1))
    }
}

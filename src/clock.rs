//! The portal's clock. Every "now" and "today" of the application comes from here, so the
//! date can be moved: `--today 2027-03-14` (or `TODAY=2027-03-14`) runs the process as if it
//! were that day, the time of day going on as usual. Tests use it to prove that nothing
//! depends on the day they happen to run on; a demo can show a fixed date.
//!
//! The offset is per process: every application in one test binary runs on the same date.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Utc};

static OFFSET_SECONDS: AtomicI64 = AtomicI64::new(0);

/// Moves the clock so that today is `day`; `None` leaves it as it is (the real date unless
/// moved before), so starting a second application without a date in a test that moved
/// the clock does not move it back.
pub fn set_today(day: Option<NaiveDate>) {
    if let Some(day) = day {
        let offset = (day - Utc::now().date_naive()).num_seconds();
        OFFSET_SECONDS.store(offset, Ordering::Relaxed);
    }
}

/// The current moment (UTC, as stored in the database).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc() + TimeDelta::seconds(OFFSET_SECONDS.load(Ordering::Relaxed))
}

/// Today's date.
pub fn today() -> NaiveDate {
    now().date()
}

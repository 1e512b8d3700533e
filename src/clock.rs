//! The portal's clock. Every "now" and "today" of the application comes from here, so the
//! date can be moved: `--today 2027-03-14` (or `TODAY=2027-03-14`) runs the process as if it
//! were that day, the time of day going on as usual. Tests use it to prove that nothing
//! depends on the day they happen to run on; a demo can show a fixed date.
//!
//! The offset is per process: every application in one test binary runs on the same date.
//!
//! Moments are UTC (as stored); calendar dates are Dutch: between midnight and two o'clock in
//! the Netherlands the UTC date is still yesterday, and a start "today" would be refused as
//! in the future. So [`today`] is the date in Europe/Amsterdam, and so is [`date_of`].

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Europe::Amsterdam;

static OFFSET_SECONDS: AtomicI64 = AtomicI64::new(0);

/// Moves the clock so that today is `day`; `None` leaves it as it is (the real date unless
/// moved before), so starting a second application without a date in a test that moved
/// the clock does not move it back.
pub fn set_today(day: Option<NaiveDate>) {
    if let Some(day) = day {
        let offset = (day - date_of(Utc::now().naive_utc())).num_seconds();
        OFFSET_SECONDS.store(offset, Ordering::Relaxed);
    }
}

/// Moves the clock so that it is now `moment` (UTC), the time going on from there: for tests
/// of what happens at a given hour, such as just after midnight in the Netherlands.
pub fn set_now(moment: NaiveDateTime) {
    let offset = (moment - Utc::now().naive_utc()).num_seconds();
    OFFSET_SECONDS.store(offset, Ordering::Relaxed);
}

/// The current moment (UTC, as stored in the database).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc() + TimeDelta::seconds(OFFSET_SECONDS.load(Ordering::Relaxed))
}

/// Today's date in the Netherlands.
pub fn today() -> NaiveDate {
    date_of(now())
}

/// A stored (UTC) moment as the time in the Netherlands, for display.
pub fn local(moment: NaiveDateTime) -> NaiveDateTime {
    moment.and_utc().with_timezone(&Amsterdam).naive_local()
}

/// The Dutch calendar date of a stored (UTC) moment.
pub fn date_of(moment: NaiveDateTime) -> NaiveDate {
    moment.and_utc().with_timezone(&Amsterdam).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_dates_follow_amsterdam_not_utc() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("moment");
        // 23:30 UTC in winter is 00:30 the next day in the Netherlands (UTC+1)...
        assert_eq!(date_of(at("2026-12-31 23:30")).to_string(), "2027-01-01");
        // ...and in summer 22:30 UTC is 00:30 (UTC+2).
        assert_eq!(date_of(at("2026-06-30 22:30")).to_string(), "2026-07-01");
        assert_eq!(date_of(at("2026-06-30 21:59")).to_string(), "2026-06-30");
    }
}

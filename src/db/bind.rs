//! Dates and timestamps for bulk inserts. SQLite stores them as text, and diesel writes that
//! text with chrono's `format("%F %T%.f")`, which parses the format string anew for every
//! value: in an import of 10,000 trajectories (four dates each) that was 7% of the database
//! thread's time. These wrappers write the same text directly; PostgreSQL binds them as its
//! own date and timestamp, as before.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use diesel::pg::Pg;
use diesel::serialize::{IsNull, Output, ToSql};
use diesel::sql_types::{Date, Timestamp};
use diesel::sqlite::Sqlite;

/// A date bound as `YYYY-MM-DD` on SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::AsExpression)]
#[diesel(sql_type = Date)]
pub struct BindDate(pub NaiveDate);

/// A timestamp bound as `YYYY-MM-DD HH:MM:SS[.fff…]` on SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::AsExpression)]
#[diesel(sql_type = Timestamp)]
pub struct BindTimestamp(pub NaiveDateTime);

/// The text chrono's `%F` gives, or `None` for a year it writes otherwise (signed or
/// longer than four digits).
fn write_date(out: &mut String, date: NaiveDate) -> Option<()> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    write!(out, "{year:04}-{:02}-{:02}", date.month(), date.day()).ok()
}

/// `%F %T%.f`: no fraction for whole seconds, else 3, 6 or 9 digits, whichever is exact.
fn write_timestamp(out: &mut String, at: NaiveDateTime) -> Option<()> {
    let nanos = at.nanosecond();
    if nanos >= 1_000_000_000 {
        return None; // A leap second: chrono writes :60.
    }
    write_date(out, at.date())?;
    write!(
        out,
        " {:02}:{:02}:{:02}",
        at.hour(),
        at.minute(),
        at.second()
    )
    .ok()?;
    match nanos {
        0 => Some(()),
        n if n % 1_000_000 == 0 => write!(out, ".{:03}", n / 1_000_000).ok(),
        n if n % 1_000 == 0 => write!(out, ".{:06}", n / 1_000).ok(),
        n => write!(out, ".{n:09}").ok(),
    }
}

fn date_text(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    match write_date(&mut out, date) {
        Some(()) => out,
        None => date.format("%F").to_string(),
    }
}

fn timestamp_text(at: NaiveDateTime) -> String {
    let mut out = String::with_capacity(26);
    match write_timestamp(&mut out, at) {
        Some(()) => out,
        None => at.format("%F %T%.f").to_string(),
    }
}

impl ToSql<Date, Sqlite> for BindDate {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> diesel::serialize::Result {
        out.set_value(date_text(self.0));
        Ok(IsNull::No)
    }
}

impl ToSql<Date, Pg> for BindDate {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
        ToSql::<Date, Pg>::to_sql(&self.0, out)
    }
}

impl ToSql<Timestamp, Sqlite> for BindTimestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> diesel::serialize::Result {
        out.set_value(timestamp_text(self.0));
        Ok(IsNull::No)
    }
}

impl ToSql<Timestamp, Pg> for BindTimestamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
        ToSql::<Timestamp, Pg>::to_sql(&self.0, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fallbacks: years chrono writes signed or with five digits, and a leap second.
    #[test]
    fn odd_years_and_leap_seconds_are_written_as_chrono_writes_them() {
        for year in [-1, 0, 1, 9999, 10_000] {
            let date = NaiveDate::from_ymd_opt(year, 1, 2).expect("date");
            assert_eq!(date_text(date), date.format("%F").to_string(), "{year}");
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .expect("leap second");
        assert_eq!(timestamp_text(leap), "2016-12-31 23:59:60.500");
        assert_eq!(timestamp_text(leap), leap.format("%F %T%.f").to_string());
    }

    proptest! {
        /// Byte for byte the text diesel's own binding writes (SQLite compares these as
        /// text, so one stored timestamp written differently would sort wrongly).
        #[test]
        fn the_text_is_chronos_own(
            days in -1_000_000i32..4_000_000,
            seconds in 0u32..86_400,
            nanos in prop_oneof![
                Just(0u32),
                (0u32..1000).prop_map(|ms| ms * 1_000_000),
                (0u32..1_000_000).prop_map(|us| us * 1_000),
                0u32..2_000_000_000,
            ],
        ) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).expect("in range");
            prop_assert_eq!(date_text(date), date.format("%F").to_string());
            let at = date.and_time(
                chrono::NaiveTime::from_num_seconds_from_midnight_opt(seconds, nanos)
                    .unwrap_or_default(),
            );
            prop_assert_eq!(timestamp_text(at), at.format("%F %T%.f").to_string());
        }
    }
}

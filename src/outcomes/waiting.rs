//! The actual waiting time of a provider: the days from the family's choice to the start of
//! care, median over the starts of the last twelve months, with the number of starts.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::care_requests;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingTime {
    /// Median in whole days (the lower of the two middle values for an even count, so the
    /// figure is always a waiting time that really happened).
    pub median_days: i64,
    pub n: usize,
}

impl WaitingTime {
    pub fn of(mut days: Vec<i64>) -> Option<WaitingTime> {
        if days.is_empty() {
            return None;
        }
        days.sort_unstable();
        Some(WaitingTime {
            median_days: days[(days.len() - 1) / 2],
            n: days.len(),
        })
    }

    /// Whether the figure may be shown to the public: the floor of every figure made from
    /// clients ([`crate::outcomes::indicators::MIN_N`]); below it only the count is shown.
    pub fn shown(&self) -> bool {
        self.n >= crate::outcomes::indicators::MIN_N as usize
    }

    /// "3 weken (21 dagen)", "5 dagen".
    pub fn label(&self) -> String {
        let days = self.median_days;
        let day_word = if days == 1 { "dag" } else { "dagen" };
        if days < 14 {
            format!("{days} {day_word}")
        } else {
            format!("{} weken ({days} {day_word})", days / 7)
        }
    }
}

/// The actual waiting time of each of the providers that started care in the twelve months
/// up to `today`; providers without starts are absent.
pub fn actual(
    conn: &mut DbConnection,
    provider_ids: &[i64],
    today: NaiveDate,
) -> QueryResult<HashMap<i64, WaitingTime>> {
    let since = today - TimeDelta::days(365);
    let rows: Vec<(i64, NaiveDateTime, Option<NaiveDate>)> = care_requests::table
        .filter(care_requests::provider_id.eq_any(provider_ids))
        .filter(care_requests::started_on.ge(since))
        .select((
            care_requests::provider_id,
            care_requests::chosen_at,
            care_requests::started_on,
        ))
        .load(conn)?;
    let mut per_provider: HashMap<i64, Vec<i64>> = HashMap::new();
    for (provider, chosen_at, started_on) in rows {
        if let Some(start) = started_on {
            per_provider
                .entry(provider)
                .or_default()
                .push((start - crate::clock::date_of(chosen_at)).num_days().max(0));
        }
    }
    Ok(per_provider
        .into_iter()
        .filter_map(|(p, days)| WaitingTime::of(days).map(|w| (p, w)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::WaitingTime;

    #[test]
    fn the_median_is_a_waiting_time_that_happened() {
        type Case<'a> = (&'a [i64], Option<(i64, usize)>);
        let cases: [Case<'_>; 5] = [
            (&[], None),
            (&[9], Some((9, 1))),
            (&[30, 2], Some((2, 2))),
            (&[40, 1, 7], Some((7, 3))),
            (&[5, 5, 100, 0, 14, 21], Some((5, 6))),
        ];
        for (days, expected) in cases {
            let got = WaitingTime::of(days.to_vec()).map(|w| (w.median_days, w.n));
            assert_eq!(got, expected, "{days:?}");
        }
    }

    #[test]
    fn labels_switch_to_weeks_from_two_weeks() {
        let label = |d| {
            WaitingTime {
                median_days: d,
                n: 1,
            }
            .label()
        };
        assert_eq!(label(1), "1 dag");
        assert_eq!(label(13), "13 dagen");
        assert_eq!(label(14), "2 weken (14 dagen)");
        assert_eq!(label(23), "3 weken (23 dagen)");
    }
}

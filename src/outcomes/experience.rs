//! What families said of a provider: the questionnaire's items, and the aggregates per
//! provider, profile and kader over twelve months, shown only from ten responses (the same
//! minimum as every score). The questionnaire itself is `choice::experience`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};
use diesel::prelude::*;

use super::indicators::{MIN_N, MeanScore};
use crate::db::DbConnection;
use crate::db::schema::experience_responses;
use crate::domain::hulpvraag::Kader;

/// The questions: the five sub-indicators of the region and the bejegening, in plain words.
pub const ITEMS: [(&str, &str, &str); 6] = [
    (
        "effectiviteit",
        "Heeft de hulp geholpen?",
        "ervaren effectiviteit",
    ),
    (
        "inspraak",
        "Kon u meebeslissen over de hulp?",
        "tevredenheid over inspraak",
    ),
    (
        "toegankelijkheid",
        "Was het makkelijk om de hulp te krijgen?",
        "ervaren toegankelijkheid",
    ),
    (
        "klantvriendelijkheid",
        "Was de aanbieder vriendelijk en duidelijk?",
        "ervaren klantvriendelijkheid",
    ),
    (
        "veiligheid",
        "Voelden u en uw kind zich veilig?",
        "cliëntveiligheid",
    ),
    (
        "bejegening",
        "Hoe gingen de hulpverleners met u om?",
        "bejegening",
    ),
];

/// The experience of families with one provider, profile and kader over twelve months.
#[derive(Debug, Clone)]
pub struct Summary {
    pub overall: MeanScore,
    /// The mean per item, in the order of [`ITEMS`]; meaningful only when shown.
    pub items: [f64; 6],
    pub since: NaiveDate,
}

impl Summary {
    pub fn shown(&self) -> bool {
        self.overall.n >= MIN_N
    }
}

/// (provider, profile, kader) → summary, over the responses of the last twelve months.
pub type Summaries = BTreeMap<(i64, i64, Kader), Summary>;

pub fn summaries(conn: &mut DbConnection, provider_ids: &[i64]) -> QueryResult<Summaries> {
    let today = crate::clock::today();
    let since = today - TimeDelta::days(365);
    let since = NaiveDate::from_ymd_opt(since.year(), since.month(), 1).unwrap_or(since);
    type Row = (i64, i64, Kader, i32, i32, i32, i32, i32, i32);
    let rows: Vec<Row> = experience_responses::table
        .filter(experience_responses::provider_id.eq_any(provider_ids))
        .filter(experience_responses::responded_on.ge(since))
        .select((
            experience_responses::provider_id,
            experience_responses::profile_id,
            experience_responses::kader,
            experience_responses::effectiviteit,
            experience_responses::inspraak,
            experience_responses::toegankelijkheid,
            experience_responses::klantvriendelijkheid,
            experience_responses::veiligheid,
            experience_responses::bejegening,
        ))
        .load(conn)?;
    let mut grouped: BTreeMap<(i64, i64, Kader), Vec<[u8; 6]>> = BTreeMap::new();
    for (provider, profile, kader, a, b, c, d, e, f) in rows {
        let score = |v: i32| u8::try_from(v.clamp(1, 10)).unwrap_or(1);
        grouped
            .entry((provider, profile, kader))
            .or_default()
            .push([a, b, c, d, e, f].map(score));
    }
    Ok(grouped
        .into_iter()
        .map(|(key, list)| (key, summarise(&list, since)))
        .collect())
}

/// A family's overall mark: the mean of its six answers, rounded.
pub fn overall_mark(scores: &[u8; 6]) -> u8 {
    let sum: u32 = scores.iter().map(|s| u32::from(*s)).sum();
    // Round half up: (2 * sum + 6) / 12 == round(sum / 6).
    u8::try_from((2 * sum + 6) / 12).unwrap_or(10)
}

fn summarise(list: &[[u8; 6]], since: NaiveDate) -> Summary {
    let overall: Vec<u8> = list.iter().map(overall_mark).collect();
    let mut items = [0.0; 6];
    for (i, item) in items.iter_mut().enumerate() {
        let sum: f64 = list.iter().map(|s| f64::from(s[i])).sum();
        *item = if list.is_empty() {
            0.0
        } else {
            sum / list.len() as f64
        };
    }
    Summary {
        overall: MeanScore::from_scores(&overall),
        items,
        since,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overall_mark_is_the_rounded_mean() {
        let overall = |scores: [u8; 6]| overall_mark(&scores);
        assert_eq!(overall([8; 6]), 8);
        assert_eq!(overall([7, 7, 7, 8, 8, 8]), 8, "7.5 rounds up");
        assert_eq!(overall([7, 7, 7, 7, 8, 8]), 7, "7.33 rounds down");
        assert_eq!(overall([1; 6]), 1);
        assert_eq!(overall([10; 6]), 10);
    }

    #[test]
    fn a_summary_shows_from_ten_responses() {
        let since = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let nine = summarise(&[[8; 6]; 9], since);
        assert!(!nine.shown());
        let ten = summarise(&[[6, 6, 6, 6, 6, 6]; 10], since);
        assert!(ten.shown());
        assert_eq!(ten.overall.n, 10);
        assert!((ten.items[5] - 6.0).abs() < 1e-9);
        assert_eq!(ten.overall.seven_or_more.hits, 0);
    }
}

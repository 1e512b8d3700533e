//! What families said of a provider: the questionnaire's items, and the aggregates per
//! provider, profile and kader over twelve months, shown only from ten responses (the same
//! minimum as every score). The questionnaire itself is `choice::experience`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, TimeDelta};
use diesel::prelude::*;

use super::indicators::{MIN_N, MeanScore};
use crate::db::DbConnection;
use crate::db::schema::{experience_answers, experience_responses, satisfaction_items};
use crate::domain::hulpvraag::Kader;

/// The mean of one question over the responses that answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemMean {
    /// The question as families read it (the region's satisfaction item).
    pub question: String,
    pub mean: f64,
    /// How many families answered it (a question added or closed within the year has fewer
    /// answers than the whole).
    pub n: u32,
}

impl ItemMean {
    /// Shown only from as many answers as every figure made from clients.
    pub fn shown(&self) -> bool {
        self.n >= MIN_N
    }
}

/// The experience of families with one provider, profile and kader over twelve months.
#[derive(Debug, Clone)]
pub struct Summary {
    pub overall: MeanScore,
    /// The mean per question, in the region's order; meaningful only when shown.
    pub items: Vec<ItemMean>,
    pub since: NaiveDate,
}

impl Summary {
    pub fn shown(&self) -> bool {
        self.overall.n >= MIN_N
    }
}

/// (provider, profile, kader) → summary, over the responses of the last twelve months.
pub type Summaries = BTreeMap<(i64, i64, Kader), Summary>;

/// A family's answers as (question's order, question, score).
type Answers = Vec<(i32, String, u8)>;

/// One response: its key (provider, profile, kader) and its answers.
type Response = ((i64, i64, Kader), Answers);

pub fn summaries(conn: &mut DbConnection, provider_ids: &[i64]) -> QueryResult<Summaries> {
    let today = crate::clock::today();
    let since = today - TimeDelta::days(365);
    let since = NaiveDate::from_ymd_opt(since.year(), since.month(), 1).unwrap_or(since);
    type Row = (i64, i64, i64, i64, Kader, String, i32);
    let rows: Vec<Row> = experience_answers::table
        .inner_join(experience_responses::table)
        .filter(experience_responses::provider_id.eq_any(provider_ids))
        .filter(experience_responses::responded_on.ge(since))
        .select((
            experience_responses::id,
            experience_responses::provider_id,
            experience_responses::profile_id,
            experience_responses::region_id,
            experience_responses::kader,
            experience_answers::item_code,
            experience_answers::score,
        ))
        .order(experience_responses::id)
        .load(conn)?;
    let regions: BTreeSet<i64> = rows.iter().map(|r| r.3).collect();
    let questions: BTreeMap<(i64, String), (i32, String)> = satisfaction_items::table
        .filter(satisfaction_items::region_id.eq_any(regions))
        .select((
            satisfaction_items::region_id,
            satisfaction_items::code,
            satisfaction_items::sort_order,
            satisfaction_items::question,
        ))
        .load::<(i64, String, i32, String)>(conn)?
        .into_iter()
        .map(|(region, code, order, question)| ((region, code), (order, question)))
        .collect();
    let mut responses: BTreeMap<i64, Response> = BTreeMap::new();
    for (id, provider, profile, region, kader, code, score) in rows {
        let (order, question) = questions
            .get(&(region, code.clone()))
            .cloned()
            .unwrap_or((i32::MAX, code));
        let score = u8::try_from(score.clamp(1, 10)).unwrap_or(1);
        responses
            .entry(id)
            .or_insert_with(|| ((provider, profile, kader), Vec::new()))
            .1
            .push((order, question, score));
    }
    let mut grouped: BTreeMap<(i64, i64, Kader), Vec<Answers>> = BTreeMap::new();
    for (key, answers) in responses.into_values() {
        grouped.entry(key).or_default().push(answers);
    }
    Ok(grouped
        .into_iter()
        .map(|(key, list)| (key, summarise(&list, since)))
        .collect())
}

/// A family's overall mark: the mean of its answers, rounded half up.
pub fn overall_mark(scores: &[u8]) -> u8 {
    let n = u32::try_from(scores.len()).unwrap_or(u32::MAX).max(1);
    let sum: u32 = scores.iter().map(|s| u32::from(*s)).sum();
    // (2 * sum + n) / (2 * n) == round(sum / n), halves up.
    u8::try_from((2 * sum + n) / (2 * n)).unwrap_or(10)
}

fn summarise(list: &[Answers], since: NaiveDate) -> Summary {
    let overall: Vec<u8> = list
        .iter()
        .map(|answers| overall_mark(&answers.iter().map(|a| a.2).collect::<Vec<_>>()))
        .collect();
    let mut per_question: BTreeMap<(i32, &str), (u32, u32)> = BTreeMap::new();
    for (order, question, score) in list.iter().flatten() {
        let entry = per_question.entry((*order, question)).or_default();
        entry.0 += u32::from(*score);
        entry.1 += 1;
    }
    Summary {
        overall: MeanScore::from_scores(&overall),
        items: per_question
            .into_iter()
            .map(|((_, question), (sum, n))| ItemMean {
                question: question.to_owned(),
                mean: f64::from(sum) / f64::from(n),
                n,
            })
            .collect(),
        since,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(scores: &[u8]) -> Vec<(i32, String, u8)> {
        (1..)
            .zip(scores)
            .map(|(order, s)| (order, format!("Vraag {order}?"), *s))
            .collect()
    }

    #[test]
    fn the_overall_mark_is_the_rounded_mean() {
        assert_eq!(overall_mark(&[8; 6]), 8);
        assert_eq!(overall_mark(&[7, 7, 7, 8, 8, 8]), 8, "7.5 rounds up");
        assert_eq!(overall_mark(&[7, 7, 7, 7, 8, 8]), 7, "7.33 rounds down");
        assert_eq!(overall_mark(&[6, 7, 7]), 7, "6.67 rounds up");
        assert_eq!(overall_mark(&[1; 6]), 1);
        assert_eq!(overall_mark(&[10; 4]), 10);
    }

    #[test]
    fn a_summary_shows_from_ten_responses_with_a_mean_per_question_in_order() {
        let since = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let nine = summarise(&vec![answers(&[8; 6]); 9], since);
        assert!(!nine.shown());
        let mut list = vec![answers(&[6, 6, 6, 6, 6, 6]); 9];
        // One family was asked a question fewer (closed in between): it counts where it answered.
        list.push(answers(&[6, 6, 6, 6, 9]));
        let ten = summarise(&list, since);
        assert!(ten.shown());
        assert_eq!(ten.overall.n, 10);
        let questions: Vec<&str> = ten.items.iter().map(|i| i.question.as_str()).collect();
        assert_eq!(
            questions,
            [
                "Vraag 1?", "Vraag 2?", "Vraag 3?", "Vraag 4?", "Vraag 5?", "Vraag 6?"
            ]
        );
        assert!((ten.items[4].mean - 6.3).abs() < 1e-9, "(9 × 6 + 9) / 10");
        assert!((ten.items[5].mean - 6.0).abs() < 1e-9, "nine answers");
        assert!(ten.items[4].shown());
        assert!(
            !ten.items[5].shown(),
            "a question nine families answered shows no mean"
        );
        assert_eq!(
            ten.overall.seven_or_more.hits, 1,
            "33 / 5 = 6.6 rounds to 7"
        );
    }
}

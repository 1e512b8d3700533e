//! The family's experience: a short questionnaire after care ends. A response is stored
//! without any link to its hulpvraag; its aggregates per provider, profile and kader are
//! `outcomes::experience` (shown only as part of at least ten, like every score).

use crate::i18n::{Lang, Texts};
use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use super::model::{Hulpvraag, Status};
use crate::db::DbConnection;
use crate::db::schema::{experience_answers, experience_responses, hulpvragen, trajectories};
pub use crate::outcomes::experience::{Summaries, Summary, summaries};
use crate::reference::model::SatisfactionItem;
use crate::web::{AppError, FieldError};

pub const REMARK_MAX: usize = 1000;

/// The questionnaire as sent: a mark per question (its item code) and the remark.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct ExperienceForm(pub HashMap<String, String>);

impl ExperienceForm {
    pub fn value(&self, item: &str) -> &str {
        self.0.get(item).map_or("", String::as_str)
    }

    pub fn remark(&self) -> &str {
        self.value("opmerking")
    }
}

/// Checked answers: a mark per question asked, in the region's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub scores: Vec<(String, u8)>,
    pub remark: String,
}

impl Answers {
    /// The family's overall mark: the mean of its answers, rounded.
    pub fn overall(&self) -> u8 {
        let marks: Vec<u8> = self.scores.iter().map(|(_, s)| *s).collect();
        crate::outcomes::experience::overall_mark(&marks)
    }
}

/// A question as the family reads it: the region's own words in Dutch; in another language
/// the translation of the question every region starts with, where the region kept that
/// one, else the region's Dutch words.
pub fn question(t: Texts, item: &SatisfactionItem) -> String {
    let standard = format!("question-{}", item.code);
    if t.lang() != Lang::Nl && t.has(&standard) && Texts(Lang::Nl).msg(&standard) == item.question {
        t.msg(&standard)
    } else {
        item.question.clone()
    }
}

/// Checks a mark from 1 to 10 for every question asked, and the remark; what is wrong is
/// said in the page's language.
pub fn check(
    form: &ExperienceForm,
    questions: &[&SatisfactionItem],
) -> Result<Answers, Vec<FieldError>> {
    let t = crate::web::language::texts();
    let mut errors = Vec::new();
    if questions.is_empty() {
        errors.push(FieldError::form(t.msg("experience-no-questions")));
    }
    let mut scores = Vec::new();
    for item in questions {
        match form.value(&item.code).trim().parse::<u8>() {
            Ok(n) if (1..=10).contains(&n) => scores.push((item.code.clone(), n)),
            _ => errors.push(FieldError::new(
                &item.code,
                t.fmt(
                    "experience-choose-mark",
                    &[("question", question(t, item).into())],
                ),
            )),
        }
    }
    let remark = form.remark().trim().to_owned();
    if remark.chars().count() > REMARK_MAX {
        errors.push(FieldError::new(
            "opmerking",
            t.fmt("experience-remark-too-long", &[("max", REMARK_MAX.into())]),
        ));
    } else if crate::web::input::contains_bsn(&remark) {
        errors.push(FieldError::new("opmerking", t.msg("experience-remark-bsn")));
    }
    if errors.is_empty() && !scores.is_empty() {
        Ok(Answers { scores, remark })
    } else {
        Err(errors)
    }
}

/// Stores the answers once. The response keeps only provider, profile, kader and month; the
/// trajectory the municipality recorded gets the overall mark, so it counts in the
/// provider's cliënttevredenheid with the municipality as its source.
pub fn save(conn: &mut DbConnection, h: &Hulpvraag, answers: &Answers) -> Result<(), AppError> {
    let Some(provider_id) = h.provider_id.filter(|_| h.status() == Status::Afgesloten) else {
        return Err(AppError::NotFound);
    };
    let now = crate::clock::now();
    let used = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::experience_answered_at.is_null()),
    )
    .set((
        hulpvragen::experience_answered_at.eq(Some(now)),
        hulpvragen::experience_token_hash.eq(None::<String>),
    ))
    .execute(conn)?;
    if used != 1 {
        return Err(AppError::Conflict(
            crate::web::language::texts().msg("experience-answered"),
        ));
    }
    let today = crate::clock::date_of(now);
    let month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let response: i64 = diesel::insert_into(experience_responses::table)
        .values((
            experience_responses::provider_id.eq(provider_id),
            experience_responses::region_id.eq(h.region_id),
            experience_responses::profile_id.eq(h.profile_id),
            experience_responses::kader.eq(&h.kader),
            experience_responses::responded_on.eq(month),
            experience_responses::remark.eq(&answers.remark),
        ))
        .returning(experience_responses::id)
        .get_result(conn)?;
    for (code, score) in &answers.scores {
        diesel::insert_into(experience_answers::table)
            .values((
                experience_answers::response_id.eq(response),
                experience_answers::item_code.eq(code),
                experience_answers::score.eq(i32::from(*score)),
            ))
            .execute(conn)?;
    }
    // The provider page and the comparison show the families' experience.
    crate::read_model::families_changed(conn)?;
    let trajectory: Option<i64> = hulpvragen::table
        .find(h.id)
        .select(hulpvragen::trajectory_id)
        .first(conn)?;
    if let Some(id) = trajectory {
        diesel::update(trajectories::table.find(id))
            .set((
                trajectories::satisfaction.eq(Some(i32::from(answers.overall()))),
                trajectories::updated_at.eq(now),
            ))
            .execute(conn)?;
        crate::outcomes::compute::recompute_profiles(
            conn,
            provider_id,
            &BTreeSet::from([h.profile_id]),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<SatisfactionItem> {
        [
            "effectiviteit",
            "inspraak",
            "toegankelijkheid",
            "klantvriendelijkheid",
            "veiligheid",
            "bejegening",
        ]
        .iter()
        .zip(1..)
        .map(|(code, order)| SatisfactionItem {
            id: i64::from(order),
            region_id: 1,
            code: (*code).to_owned(),
            name: (*code).to_owned(),
            question: format!("Vraag over {code}?"),
            sort_order: order,
            closed_from: None,
        })
        .collect()
    }

    fn form(scores: [&str; 6], remark: &str) -> ExperienceForm {
        let mut fields: HashMap<String, String> = questions()
            .iter()
            .zip(scores)
            .map(|(q, s)| (q.code.clone(), s.to_owned()))
            .collect();
        fields.insert("opmerking".into(), remark.into());
        ExperienceForm(fields)
    }

    #[test]
    fn every_question_needs_a_mark_from_one_to_ten() {
        let list = questions();
        let asked: Vec<&SatisfactionItem> = list.iter().collect();
        let errors =
            check(&form(["8", "", "0", "11", "x", "10"], ""), &asked).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "inspraak",
                "toegankelijkheid",
                "klantvriendelijkheid",
                "veiligheid"
            ]
        );
        assert!(errors[0].message.contains("Vraag over inspraak?"));
        let ok = check(&form(["8", "7", "6", "9", "10", "1"], " fijn "), &asked).expect("valid");
        let marks: Vec<u8> = ok.scores.iter().map(|(_, s)| *s).collect();
        assert_eq!(marks, [8, 7, 6, 9, 10, 1]);
        assert_eq!(ok.remark, "fijn");
        // A region that asks two questions checks those two only.
        let two = check(&form(["8", "7", "", "", "", ""], ""), &asked[..2]).expect("two asked");
        assert_eq!(two.scores.len(), 2);
        assert_eq!(two.overall(), 8, "7.5 rounds up");
    }

    #[test]
    fn a_remark_with_a_bsn_or_too_long_is_refused() {
        let list = questions();
        let asked: Vec<&SatisfactionItem> = list.iter().collect();
        // 111222333 passes the elfproef.
        let errors = check(&form(["8"; 6], "mijn nummer is 111222333"), &asked).expect_err("bsn");
        assert_eq!(errors[0].field, "opmerking");
        let long = "a".repeat(REMARK_MAX + 1);
        assert!(check(&form(["8"; 6], &long), &asked).is_err());
        assert!(check(&form(["8"; 6], "bel 0612345678 niet"), &asked).is_ok());
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;
    use crate::domain::hulpvraag::DeclineReason;

    #[test]
    fn the_standard_questions_and_reasons_say_in_dutch_what_they_said_before() {
        let csv = include_str!("../reference/data/satisfaction-items.csv");
        for line in csv.lines().skip(1) {
            let mut cells = line.split(',');
            let (Some(code), Some(_), Some(question)) = (cells.next(), cells.next(), cells.next())
            else {
                panic!("{line}");
            };
            assert_eq!(Texts(Lang::Nl).msg(&format!("question-{code}")), question);
            let item = SatisfactionItem {
                id: 1,
                region_id: 1,
                code: code.to_owned(),
                name: code.to_owned(),
                question: question.to_owned(),
                sort_order: 1,
                closed_from: None,
            };
            assert_ne!(super::question(Texts(Lang::En), &item), question, "{code}");
            // A region's own wording is not replaced by a translation of another one.
            let own = SatisfactionItem {
                question: "Hoe was het?".into(),
                ..item
            };
            assert_eq!(super::question(Texts(Lang::En), &own), "Hoe was het?");
        }
        for reason in DeclineReason::ALL {
            assert_eq!(
                Texts(Lang::Nl).msg(&format!("decline-{}", reason.as_str())),
                reason.label().to_lowercase()
            );
        }
    }
}

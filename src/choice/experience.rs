//! The family's experience: a short questionnaire after care ends. A response is stored
//! without any link to its hulpvraag; its aggregates per provider, profile and kader are
//! `outcomes::experience` (shown only as part of at least ten, like every score).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use super::model::{Hulpvraag, Status};
use crate::db::DbConnection;
use crate::db::schema::{experience_responses, hulpvragen, trajectories};
pub use crate::outcomes::experience::{ITEMS, Summaries, Summary, summaries};
use crate::web::{AppError, FieldError};

pub const REMARK_MAX: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExperienceForm {
    #[serde(default)]
    pub effectiviteit: String,
    #[serde(default)]
    pub inspraak: String,
    #[serde(default)]
    pub toegankelijkheid: String,
    #[serde(default)]
    pub klantvriendelijkheid: String,
    #[serde(default)]
    pub veiligheid: String,
    #[serde(default)]
    pub bejegening: String,
    #[serde(default)]
    pub opmerking: String,
}

impl ExperienceForm {
    pub fn value(&self, item: &str) -> &str {
        match item {
            "effectiviteit" => &self.effectiviteit,
            "inspraak" => &self.inspraak,
            "toegankelijkheid" => &self.toegankelijkheid,
            "klantvriendelijkheid" => &self.klantvriendelijkheid,
            "veiligheid" => &self.veiligheid,
            "bejegening" => &self.bejegening,
            _ => "",
        }
    }
}

/// Checked answers, in the order of [`ITEMS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub scores: [u8; 6],
    pub remark: String,
}

impl Answers {
    /// The family's overall mark: the mean of its six answers, rounded.
    pub fn overall(&self) -> u8 {
        crate::outcomes::experience::overall_mark(&self.scores)
    }
}

pub fn check(form: &ExperienceForm) -> Result<Answers, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut scores = [0u8; 6];
    for (i, (item, question, _)) in ITEMS.iter().enumerate() {
        match form.value(item).trim().parse::<u8>() {
            Ok(n) if (1..=10).contains(&n) => scores[i] = n,
            _ => errors.push(FieldError::new(
                *item,
                format!("Kies een cijfer van 1 tot 10 bij: {question}"),
            )),
        }
    }
    let remark = form.opmerking.trim().to_owned();
    if remark.chars().count() > REMARK_MAX {
        errors.push(FieldError::new(
            "opmerking",
            format!("Uw opmerking is te lang. Gebruik hoogstens {REMARK_MAX} tekens."),
        ));
    } else if crate::web::input::contains_bsn(&remark) {
        errors.push(FieldError::new(
            "opmerking",
            "Uw opmerking bevat iets dat lijkt op een burgerservicenummer. Laat dat weg: wij bewaren geen persoonsgegevens.",
        ));
    }
    if errors.is_empty() {
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
            "Deze vragenlijst is al ingevuld. Dank u wel!".into(),
        ));
    }
    let today = crate::clock::date_of(now);
    let month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let s = answers.scores;
    diesel::insert_into(experience_responses::table)
        .values((
            experience_responses::provider_id.eq(provider_id),
            experience_responses::region_id.eq(h.region_id),
            experience_responses::profile_id.eq(h.profile_id),
            experience_responses::kader.eq(&h.kader),
            experience_responses::responded_on.eq(month),
            experience_responses::effectiviteit.eq(i32::from(s[0])),
            experience_responses::inspraak.eq(i32::from(s[1])),
            experience_responses::toegankelijkheid.eq(i32::from(s[2])),
            experience_responses::klantvriendelijkheid.eq(i32::from(s[3])),
            experience_responses::veiligheid.eq(i32::from(s[4])),
            experience_responses::bejegening.eq(i32::from(s[5])),
            experience_responses::remark.eq(&answers.remark),
        ))
        .execute(conn)?;
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

    fn form(scores: [&str; 6], remark: &str) -> ExperienceForm {
        ExperienceForm {
            effectiviteit: scores[0].into(),
            inspraak: scores[1].into(),
            toegankelijkheid: scores[2].into(),
            klantvriendelijkheid: scores[3].into(),
            veiligheid: scores[4].into(),
            bejegening: scores[5].into(),
            opmerking: remark.into(),
        }
    }

    #[test]
    fn every_question_needs_a_mark_from_one_to_ten() {
        let errors = check(&form(["8", "", "0", "11", "x", "10"], "")).expect_err("invalid");
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
        let ok = check(&form(["8", "7", "6", "9", "10", "1"], " fijn ")).expect("valid");
        assert_eq!(ok.scores, [8, 7, 6, 9, 10, 1]);
        assert_eq!(ok.remark, "fijn");
    }

    #[test]
    fn a_remark_with_a_bsn_or_too_long_is_refused() {
        // 111222333 passes the elfproef.
        let errors = check(&form(["8"; 6], "mijn nummer is 111222333")).expect_err("bsn");
        assert_eq!(errors[0].field, "opmerking");
        let long = "a".repeat(REMARK_MAX + 1);
        assert!(check(&form(["8"; 6], &long)).is_err());
        assert!(check(&form(["8"; 6], "bel 0612345678 niet")).is_ok());
    }
}

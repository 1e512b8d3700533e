//! The words of the choice workflow: a hulpvraag's status, the kader, the requests to
//! providers and their answers.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{care_requests, hulpvraag_events, hulpvragen};

pub use crate::domain::hulpvraag::{
    Actor, ChosenBy, DeclineReason, EventKind, Guarantee, Kader, RequestAnswer, Status,
};
pub use crate::domain::values::AgeBand;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hulpvragen)]
pub struct Hulpvraag {
    pub id: i64,
    pub region_id: i64,
    pub municipality_id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub kader: Kader,
    pub age_band: AgeBand,
    pub case_number: String,
    pub notes: String,
    pub worker_id: i64,
    pub status: Status,
    pub provider_id: Option<i64>,
    pub family_token_expires_at: Option<NaiveDateTime>,
    pub help_asked_at: Option<NaiveDateTime>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub experience_expires_at: Option<NaiveDateTime>,
    pub experience_answered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub family_code_nonce: Option<String>,
    /// The SHA-256 of the family's current code (never the code itself).
    pub family_token_hash: Option<String>,
    /// When the provider confirmed the agreed goals as they stand (none: not yet, or none
    /// agreed).
    pub goals_confirmed_at: Option<NaiveDateTime>,
    /// The 12-month guarantee, where the client returns within a year.
    pub guarantee: Option<Guarantee>,
    /// The trajectory the guarantee is about.
    pub guarantee_trajectory_id: Option<i64>,
    /// Why the worker chose otherwise.
    pub guarantee_reason: String,
    /// The municipality's ToewijzingNummer, as the worker recorded it at the start: joins
    /// the trajectory built from the provider's iJw messages to this hulpvraag.
    pub toewijzing: Option<String>,
}

impl Hulpvraag {
    pub fn status(&self) -> Status {
        self.status
    }

    pub fn kader(&self) -> Kader {
        self.kader
    }

    /// In the gedwongen kader the family link offers no choice.
    pub fn family_chooses(&self) -> bool {
        self.kader() == Kader::Vrijwillig
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = care_requests)]
pub struct CareRequest {
    pub id: i64,
    pub hulpvraag_id: i64,
    pub provider_id: i64,
    pub chosen_by: ChosenBy,
    pub chosen_at: NaiveDateTime,
    pub answer: RequestAnswer,
    pub answered_at: Option<NaiveDateTime>,
    pub expected_start: Option<NaiveDate>,
    pub decline_reason: Option<DeclineReason>,
    pub decline_note: String,
    pub started_on: Option<NaiveDate>,
}

impl CareRequest {
    pub fn is_open(&self) -> bool {
        self.answer == RequestAnswer::Open
    }

    pub fn decline_label(&self) -> Option<&'static str> {
        self.decline_reason.map(DeclineReason::label)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hulpvraag_events)]
pub struct Event {
    pub at: NaiveDateTime,
    pub actor: Actor,
    pub kind: EventKind,
    pub provider_id: Option<i64>,
    pub detail: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A hulpvraag just opened, for unit tests to change what they need.
    pub(crate) fn hulpvraag() -> Hulpvraag {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default();
        Hulpvraag {
            id: 1,
            region_id: 1,
            municipality_id: 1,
            profile_id: 1,
            intensity_id: 1,
            kader: Kader::Vrijwillig,
            age_band: AgeBand::Teenager,
            case_number: "Z-1".into(),
            notes: String::new(),
            worker_id: 1,
            status: Status::Open,
            provider_id: None,
            family_token_expires_at: None,
            help_asked_at: None,
            started_on: None,
            ended_on: None,
            experience_expires_at: None,
            experience_answered_at: None,
            created_at: at,
            updated_at: at,
            family_code_nonce: None,
            family_token_hash: None,
            goals_confirmed_at: None,
            guarantee: None,
            guarantee_trajectory_id: None,
            guarantee_reason: String::new(),
            toewijzing: None,
        }
    }
}

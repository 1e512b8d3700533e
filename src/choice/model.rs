//! The words of the choice workflow: a hulpvraag's status, the kader, the requests to
//! providers and their answers.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{care_requests, hulpvraag_events, hulpvragen};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Opened; the family has not chosen yet (or chooses again after a decline).
    Open,
    /// A provider was chosen and has not answered yet.
    Gekozen,
    Geaccepteerd,
    /// The chosen provider declined; the family chooses again.
    Afgewezen,
    Gestart,
    Afgesloten,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Open,
        Status::Gekozen,
        Status::Geaccepteerd,
        Status::Afgewezen,
        Status::Gestart,
        Status::Afgesloten,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Gekozen => "gekozen",
            Status::Geaccepteerd => "geaccepteerd",
            Status::Afgewezen => "afgewezen",
            Status::Gestart => "gestart",
            Status::Afgesloten => "afgesloten",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Open: nog geen keuze",
            Status::Gekozen => "Gekozen: wacht op antwoord aanbieder",
            Status::Geaccepteerd => "Geaccepteerd door aanbieder",
            Status::Afgewezen => "Afgewezen: opnieuw kiezen",
            Status::Gestart => "Hulp is gestart",
            Status::Afgesloten => "Afgesloten",
        }
    }

    /// The family (or the worker for it) may choose a provider now.
    pub fn may_choose(self) -> bool {
        matches!(self, Status::Open | Status::Afgewezen)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kader {
    Vrijwillig,
    /// Court-ordered help: a gecertificeerde instelling decides, the family does not choose.
    Gedwongen,
}

impl Kader {
    pub fn as_str(self) -> &'static str {
        match self {
            Kader::Vrijwillig => "vrijwillig",
            Kader::Gedwongen => "gedwongen",
        }
    }

    pub fn parse(code: &str) -> Option<Kader> {
        match code {
            "vrijwillig" => Some(Kader::Vrijwillig),
            "gedwongen" => Some(Kader::Gedwongen),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kader::Vrijwillig => "Vrijwillig",
            Kader::Gedwongen => "Gedwongen (gecertificeerde instelling beslist)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineReason {
    GeenPlek,
    PastNiet,
    Anders,
}

impl DeclineReason {
    pub const ALL: [DeclineReason; 3] = [
        DeclineReason::GeenPlek,
        DeclineReason::PastNiet,
        DeclineReason::Anders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::GeenPlek => "geen_plek",
            DeclineReason::PastNiet => "past_niet",
            DeclineReason::Anders => "anders",
        }
    }

    pub fn parse(code: &str) -> Option<DeclineReason> {
        DeclineReason::ALL.into_iter().find(|r| r.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeclineReason::GeenPlek => "Geen plek",
            DeclineReason::PastNiet => "Past niet bij ons aanbod",
            DeclineReason::Anders => "Anders",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hulpvragen)]
pub struct Hulpvraag {
    pub id: i64,
    pub region_id: i64,
    pub municipality_id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub kader: String,
    pub age_band: String,
    pub case_number: String,
    pub notes: String,
    pub worker_id: i64,
    pub status: String,
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
}

impl Hulpvraag {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Open)
    }

    pub fn kader(&self) -> Kader {
        Kader::parse(&self.kader).unwrap_or(Kader::Vrijwillig)
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
    pub chosen_by: String,
    pub chosen_at: NaiveDateTime,
    pub answer: String,
    pub answered_at: Option<NaiveDateTime>,
    pub expected_start: Option<NaiveDate>,
    pub decline_reason: Option<String>,
    pub decline_note: String,
    pub started_on: Option<NaiveDate>,
}

impl CareRequest {
    pub fn is_open(&self) -> bool {
        self.answer == "open"
    }

    pub fn decline_label(&self) -> Option<&'static str> {
        self.decline_reason
            .as_deref()
            .and_then(DeclineReason::parse)
            .map(DeclineReason::label)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = hulpvraag_events)]
pub struct Event {
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: String,
    pub provider_id: Option<i64>,
    pub detail: String,
}

/// Who took a step.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    Medewerker,
    Gezin,
    Aanbieder,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Medewerker => "medewerker",
            Actor::Gezin => "gezin",
            Actor::Aanbieder => "aanbieder",
        }
    }
}

pub fn actor_label(code: &str) -> &'static str {
    match code {
        "medewerker" => "Toegangsmedewerker",
        "gezin" => "Gezin",
        "aanbieder" => "Aanbieder",
        _ => "Onbekend",
    }
}

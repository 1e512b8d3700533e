//! The worker corrects a hulpvraag (until a provider accepts) or withdraws it (until help
//! starts). The history keeps every change; the family's link keeps working; a provider
//! that was asked is told.

use diesel::prelude::*;

use crate::choice::model::{Actor, AgeBand, EventKind, Hulpvraag, Kader, RequestAnswer, Status};
use crate::db::DbConnection;
use crate::db::schema::{care_requests, hulpvraag_shortlist, hulpvragen, providers};
use crate::reference::ReferenceData;
use crate::web::AppError;

use super::{PROPOSAL_SIZE, candidates, event, load, now, shortlist, with_intensity};

/// What the worker may correct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub profile_id: i64,
    pub intensity_id: i64,
    pub age_band: AgeBand,
    pub kader: Kader,
    pub notes: String,
}

impl Correction {
    pub fn of(h: &Hulpvraag) -> Self {
        Correction {
            profile_id: h.profile_id,
            intensity_id: h.intensity_id,
            age_band: h.age_band,
            kader: h.kader,
            notes: h.notes.clone(),
        }
    }

    /// The changes from `before`, in words for the history and the family. Notes are only
    /// said to have changed: they are for the provider.
    pub fn changes_from(&self, before: &Correction, reference: &ReferenceData) -> Vec<String> {
        let profile = |id| {
            reference
                .profile(id)
                .map_or_else(String::new, |p| format!("profiel {}", p.number))
        };
        let intensity = |id| {
            reference
                .intensity(id)
                .map_or_else(String::new, |i| i.name.to_lowercase())
        };
        let mut changes = Vec::new();
        if self.profile_id != before.profile_id {
            changes.push(format!(
                "Profiel: van {} naar {}",
                profile(before.profile_id),
                profile(self.profile_id)
            ));
        }
        if self.intensity_id != before.intensity_id {
            changes.push(format!(
                "Intensiteit: van {} naar {}",
                intensity(before.intensity_id),
                intensity(self.intensity_id)
            ));
        }
        if self.age_band != before.age_band {
            changes.push(format!(
                "Leeftijd: van {} naar {} jaar",
                before.age_band, self.age_band
            ));
        }
        if self.kader != before.kader {
            changes.push(format!(
                "Kader: van {} naar {}",
                before.kader.short_label().to_lowercase(),
                self.kader.short_label().to_lowercase()
            ));
        }
        if self.notes != before.notes {
            changes.push("Notities voor de aanbieder aangepast".to_owned());
        }
        changes
    }

    /// Whether the shortlist must be checked again.
    fn changes_the_match(&self, before: &Correction) -> bool {
        self.profile_id != before.profile_id
            || self.intensity_id != before.intensity_id
            || self.age_band != before.age_band
    }
}

/// What a correction changed, for the page and the mails.
#[derive(Debug, Default)]
pub struct Corrected {
    pub changes: Vec<String>,
    /// The provider whose open request now reads the corrected hulpvraag: (email, name).
    pub asked_provider: Option<(String, String)>,
}

/// Corrects the hulpvraag. Providers on the list that no longer offer the corrected profile,
/// intensity or age leave it (the provider already asked stays, and is told); the list is
/// topped up from the proposal.
pub fn correct(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    new: &Correction,
    reference: &ReferenceData,
) -> Result<Corrected, AppError> {
    if !h.status().may_correct() {
        return Err(AppError::Conflict(
            "Deze hulpvraag kan niet meer worden aangepast: een aanbieder heeft al geaccepteerd, of de hulpvraag is ingetrokken of gestart.".into(),
        ));
    }
    let before = Correction::of(h);
    let changes = new.changes_from(&before, reference);
    if changes.is_empty() {
        return Ok(Corrected::default());
    }
    let at = now();
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq_any([Status::Open, Status::Gekozen, Status::Afgewezen]))
            .filter(hulpvragen::updated_at.eq(h.updated_at)),
    )
    .set((
        hulpvragen::profile_id.eq(new.profile_id),
        hulpvragen::intensity_id.eq(new.intensity_id),
        hulpvragen::age_band.eq(new.age_band),
        hulpvragen::kader.eq(new.kader),
        hulpvragen::notes.eq(&new.notes),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            "De hulpvraag is net door iemand anders veranderd. Bekijk hoe het er nu voor staat en pas hem zo nodig opnieuw aan.".into(),
        ));
    }
    // Another profile may have another earlier trajectory, or none: an undecided offer is
    // made again for the corrected hulpvraag.
    if h.guarantee
        .is_none_or(|g| g == crate::choice::model::Guarantee::Aangeboden)
    {
        let corrected = super::load(conn, h.id)?;
        super::guarantee::offer_again(conn, &corrected)?;
    }
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::Aangepast,
        None,
        &changes.join("; "),
    )?;
    if new.changes_the_match(&before) {
        refit_shortlist(conn, h.id)?;
    }
    let asked_provider = match (h.status(), h.provider_id) {
        (Status::Gekozen, Some(provider)) => Some(
            providers::table
                .find(provider)
                .select((providers::email, providers::name))
                .first(conn)?,
        ),
        _ => None,
    };
    Ok(Corrected {
        changes,
        asked_provider,
    })
}

/// After a correction: drop the providers that no longer match (not the one already asked),
/// then top the list up from the proposal.
fn refit_shortlist(conn: &mut DbConnection, id: i64) -> Result<(), AppError> {
    let h = load(conn, id)?;
    let today = crate::clock::today();
    let listed = shortlist(conn, id)?;
    let offering = candidates(conn, &h, false, today)?;
    let matching = with_intensity(conn, &h, &offering)?;
    for provider in listed.iter().copied() {
        if matching.contains(&provider) || h.provider_id == Some(provider) {
            continue;
        }
        diesel::delete(
            hulpvraag_shortlist::table
                .filter(hulpvraag_shortlist::hulpvraag_id.eq(id))
                .filter(hulpvraag_shortlist::provider_id.eq(provider)),
        )
        .execute(conn)?;
        event(
            conn,
            id,
            Actor::Medewerker,
            EventKind::Verwijderd,
            Some(provider),
            "past niet bij de aangepaste hulpvraag",
        )?;
    }
    let kept = shortlist(conn, id)?;
    let room = PROPOSAL_SIZE.saturating_sub(kept.len());
    let fresh: Vec<i64> = candidates(conn, &h, true, today)?
        .into_iter()
        .filter(|p| !kept.contains(p))
        .take(room)
        .collect();
    for provider in fresh {
        diesel::insert_into(hulpvraag_shortlist::table)
            .values((
                hulpvraag_shortlist::hulpvraag_id.eq(id),
                hulpvraag_shortlist::provider_id.eq(provider),
                hulpvraag_shortlist::added_at.eq(now()),
            ))
            .execute(conn)?;
        event(
            conn,
            id,
            Actor::Medewerker,
            EventKind::Toegevoegd,
            Some(provider),
            "voorgesteld bij de aangepaste hulpvraag",
        )?;
    }
    Ok(())
}

/// Withdraws the hulpvraag before help starts. A request the provider has not answered, or
/// has accepted, is withdrawn too; returns those providers (email, name) to tell them.
pub fn withdraw(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    reason: &str,
) -> Result<Vec<(String, String)>, AppError> {
    if !h.status().may_withdraw() {
        return Err(AppError::Conflict(
            "Deze hulpvraag kan niet meer worden ingetrokken: de hulp is al gestart, of de hulpvraag is al ingetrokken.".into(),
        ));
    }
    let at = now();
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq_any([
                Status::Open,
                Status::Gekozen,
                Status::Afgewezen,
                Status::Geaccepteerd,
            ])),
    )
    .set((
        hulpvragen::status.eq(Status::Ingetrokken),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            "De hulpvraag is net veranderd. Bekijk hoe het er nu voor staat.".into(),
        ));
    }
    let asked: Vec<i64> = care_requests::table
        .filter(care_requests::hulpvraag_id.eq(h.id))
        .filter(care_requests::answer.eq_any([RequestAnswer::Open, RequestAnswer::Geaccepteerd]))
        .filter(care_requests::started_on.is_null())
        .select(care_requests::provider_id)
        .load(conn)?;
    diesel::update(
        care_requests::table
            .filter(care_requests::hulpvraag_id.eq(h.id))
            .filter(care_requests::provider_id.eq_any(&asked)),
    )
    .set(care_requests::answer.eq(RequestAnswer::Ingetrokken))
    .execute(conn)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::Ingetrokken,
        None,
        reason,
    )?;
    Ok(providers::table
        .filter(providers::id.eq_any(&asked))
        .select((providers::email, providers::name))
        .load(conn)?)
}

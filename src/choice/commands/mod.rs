//! The hulpvraag workflow: every step is one transaction that checks the current state,
//! changes it with a conditional update (so two clicks cannot both win), records an event
//! and queues the e-mail it causes.
//!
//! Here: opening a hulpvraag, the proposal, loading and the family codes; `steps` holds
//! every later step (shortlist, choice, answer, start, close); `changes` the worker's
//! correction and withdrawal. The worker's and the
//! provider's lists are read in `choice::queries`.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::choice::code;
use crate::choice::model::{
    Actor, AgeBand, CareRequest, Event, EventKind, Hulpvraag, Kader, Status,
};
use crate::db::DbConnection;
use crate::db::schema::{
    care_requests, catalogue_entries, execution_agreements, hulpvraag_events, hulpvraag_shortlist,
    hulpvragen, offers,
};
use crate::domain::values::CaseNumber;
use crate::web::AppError;
use crate::web::auth::SessionUser;

mod changes;
pub mod goals;
pub mod guarantee;
pub mod shifts;
pub use changes::{Corrected, Correction, correct, withdraw};
mod steps;
pub mod toewijzing;
pub use steps::{
    Answer, ChosenBy, Closing, add_to_shortlist, answer, ask_for_help, check_choice, choose, close,
    new_experience_code, remove_from_shortlist, request_for_provider, start,
};

/// How long a family's choice link works.
pub const FAMILY_LINK_DAYS: i64 = 30;
/// How long the questionnaire link works.
pub const EXPERIENCE_LINK_DAYS: i64 = 60;
/// At most this many providers are proposed; the worker can add more.
pub const PROPOSAL_SIZE: usize = 12;

fn now() -> NaiveDateTime {
    crate::clock::now()
}

/// A checked new hulpvraag.
#[derive(Debug, Clone)]
pub struct NewHulpvraag {
    pub region_id: i64,
    pub municipality_id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub kader: Kader,
    pub age_band: AgeBand,
    pub case_number: CaseNumber,
    pub notes: String,
}

/// Serialises the steps on one hulpvraag that read more than the row they update (goals,
/// changes, start, close): each takes this lock first, on PostgreSQL; SQLite writes one
/// transaction at a time anyway.
pub(super) fn lock(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<()> {
    conn.serialise_on(&format!("hulpvraag:{hulpvraag_id}"))
}

/// Tells the hulpvraag's worker what its provider did: the mail `write` makes from the
/// worker's address, the case number, the provider's name and the hulpvraag's page. Nobody
/// is mailed when the worker's account is gone.
pub(super) fn tell_worker(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
    public_url: &str,
    write: impl FnOnce(&str, &str, &str, &str) -> crate::mail::OutgoingMail,
) -> QueryResult<()> {
    let Some(email) = steps::worker_email(conn, h)? else {
        return Ok(());
    };
    let name: String = crate::db::schema::providers::table
        .find(provider_id)
        .select(crate::db::schema::providers::name)
        .first(conn)?;
    let page = format!("{public_url}/toegang/hulpvragen/{}", h.id);
    crate::mail::queue(conn, &write(&email, &h.case_number, &name, &page))
}

pub fn event(
    conn: &mut DbConnection,
    hulpvraag_id: i64,
    actor: Actor,
    kind: EventKind,
    provider_id: Option<i64>,
    detail: &str,
) -> QueryResult<()> {
    diesel::insert_into(hulpvraag_events::table)
        .values((
            hulpvraag_events::hulpvraag_id.eq(hulpvraag_id),
            hulpvraag_events::at.eq(now()),
            hulpvraag_events::actor.eq(actor),
            hulpvraag_events::kind.eq(kind),
            hulpvraag_events::provider_id.eq(provider_id),
            hulpvraag_events::detail.eq(detail),
        ))
        .execute(conn)?;
    // Every step of a hulpvraag can change the monitor (requests, choices, declines, starts).
    let region: i64 = hulpvragen::table
        .find(hulpvraag_id)
        .select(hulpvragen::region_id)
        .first(conn)?;
    crate::read_model::monitor_changed(conn, &[region])
}

/// Opens a hulpvraag and proposes its shortlist.
pub fn open(conn: &mut DbConnection, worker: &SessionUser, new: &NewHulpvraag) -> QueryResult<i64> {
    let at = now();
    let id: i64 = diesel::insert_into(hulpvragen::table)
        .values((
            hulpvragen::region_id.eq(new.region_id),
            hulpvragen::municipality_id.eq(new.municipality_id),
            hulpvragen::profile_id.eq(new.profile_id),
            hulpvragen::intensity_id.eq(new.intensity_id),
            hulpvragen::kader.eq(new.kader),
            hulpvragen::age_band.eq(new.age_band),
            hulpvragen::case_number.eq(new.case_number.as_str()),
            hulpvragen::notes.eq(&new.notes),
            hulpvragen::worker_id.eq(worker.id),
            hulpvragen::status.eq(Status::Open),
            hulpvragen::created_at.eq(at),
            hulpvragen::updated_at.eq(at),
        ))
        .returning(hulpvragen::id)
        .get_result(conn)?;
    event(conn, id, Actor::Medewerker, EventKind::Geopend, None, "")?;
    let hulpvraag = load(conn, id)?;
    let proposal = candidates(conn, &hulpvraag, true, crate::clock::today())?;
    for provider_id in proposal.iter().take(PROPOSAL_SIZE) {
        diesel::insert_into(hulpvraag_shortlist::table)
            .values((
                hulpvraag_shortlist::hulpvraag_id.eq(id),
                hulpvraag_shortlist::provider_id.eq(*provider_id),
                hulpvraag_shortlist::added_at.eq(at),
            ))
            .execute(conn)?;
    }
    guarantee::offer_at_intake(conn, &hulpvraag)?;
    Ok(id)
}

/// The ages of an age band, to match against an offer's age range.
/// Listed providers that offer the hulpvraag's profile in its municipality for the child's
/// age; with `strict`, only at its intensity and only those taking new clients. In the day's
/// random order: a proposal is never ordered by anything a provider can buy.
pub fn candidates(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    strict: bool,
    today: NaiveDate,
) -> QueryResult<Vec<i64>> {
    let (young, old) = h.age_band.range();
    // A hulpvraag of a municipality that merged since is served where it is now.
    let municipality = crate::reference::municipalities::current(conn, h.municipality_id)?;
    let mut query = catalogue_entries::table
        .inner_join(offers::table)
        .filter(catalogue_entries::municipality_id.eq(municipality))
        .filter(catalogue_entries::profile_id.eq(h.profile_id))
        .filter(offers::min_age.le(old))
        .filter(offers::max_age.ge(young))
        // Only providers with this year's uitvoeringsovereenkomst in the region.
        .filter(diesel::dsl::exists(
            execution_agreements::table
                .filter(execution_agreements::provider_id.eq(catalogue_entries::provider_id))
                .filter(execution_agreements::region_id.eq(h.region_id))
                .filter(execution_agreements::year.eq(chrono::Datelike::year(&today))),
        ))
        .select(catalogue_entries::provider_id)
        .distinct()
        .into_boxed();
    if strict {
        query = query
            .filter(catalogue_entries::intensity_id.eq(h.intensity_id))
            .filter(offers::accepts_new_clients.eq(true));
    }
    let mut ids: Vec<i64> = query.load(conn)?;
    let order = crate::catalogue::search::daily_order(today);
    ids.sort_by_key(|id| order(*id));
    Ok(ids)
}

/// Of these providers, the ones that offer the hulpvraag's profile with its intensity in its
/// municipality (taking new clients or not).
pub fn with_intensity(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_ids: &[i64],
) -> QueryResult<Vec<i64>> {
    catalogue_entries::table
        .filter(catalogue_entries::municipality_id.eq(h.municipality_id))
        .filter(catalogue_entries::profile_id.eq(h.profile_id))
        .filter(catalogue_entries::intensity_id.eq(h.intensity_id))
        .filter(catalogue_entries::provider_id.eq_any(provider_ids))
        .select(catalogue_entries::provider_id)
        .distinct()
        .load(conn)
}

pub fn load(conn: &mut DbConnection, id: i64) -> QueryResult<Hulpvraag> {
    hulpvragen::table
        .find(id)
        .select(Hulpvraag::as_select())
        .first(conn)
}

/// A hulpvraag the worker may see: one of its own municipality. Others answer 404, so a
/// worker cannot even learn which ids exist elsewhere.
pub fn for_worker(
    conn: &mut DbConnection,
    user: &SessionUser,
    id: i64,
) -> Result<Hulpvraag, AppError> {
    let municipality = user.own_municipality()?;
    let handled = crate::reference::municipalities::handled_by(conn, municipality.get())?;
    hulpvragen::table
        .find(id)
        .filter(hulpvragen::municipality_id.eq_any(handled))
        .select(Hulpvraag::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The hulpvraag behind a family's code, if the code is right and has not expired.
pub fn by_family_code(conn: &mut DbConnection, typed: &str) -> QueryResult<Option<Hulpvraag>> {
    let Some(hash) = code::hash(typed) else {
        return Ok(None);
    };
    hulpvragen::table
        .filter(hulpvragen::family_token_hash.eq(hash))
        .filter(hulpvragen::family_token_expires_at.gt(now()))
        .select(Hulpvraag::as_select())
        .first(conn)
        .optional()
}

/// The hulpvraag behind a questionnaire code, if it is right, unused and not expired.
pub fn by_experience_code(conn: &mut DbConnection, typed: &str) -> QueryResult<Option<Hulpvraag>> {
    let Some(hash) = code::hash(typed) else {
        return Ok(None);
    };
    hulpvragen::table
        .filter(hulpvragen::experience_token_hash.eq(hash))
        .filter(hulpvragen::experience_expires_at.gt(now()))
        .select(Hulpvraag::as_select())
        .first(conn)
        .optional()
}

/// A new family link; an earlier one stops working.
pub fn new_family_code(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    key: &code::LinkKey,
) -> Result<String, AppError> {
    guarantee::require_decided(h)?;
    let nonce = crate::accounts::secrets::random_token()?;
    let fresh = key.family_code(h.id, &nonce);
    let hash =
        code::hash(&fresh).ok_or_else(|| anyhow::anyhow!("generated code does not parse"))?;
    diesel::update(hulpvragen::table.find(h.id))
        .set((
            hulpvragen::family_token_hash.eq(Some(hash)),
            hulpvragen::family_code_nonce.eq(Some(nonce)),
            hulpvragen::family_token_expires_at.eq(Some(now() + TimeDelta::days(FAMILY_LINK_DAYS))),
            hulpvragen::updated_at.eq(now()),
        ))
        .execute(conn)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::LinkGemaakt,
        None,
        "",
    )?;
    Ok(fresh)
}

/// Notes in the hulpvraag's history that the link was mailed (not to whom).
pub fn record_link_mailed(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<()> {
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::LinkGemaild,
        None,
        "",
    )
}

/// The family link the worker can show or send: while the family may choose and the link
/// has not expired, and only if it is still the link that opens the hulpvraag (after a
/// change of the secret key the derived code would open nothing).
pub fn current_family_code(h: &Hulpvraag, key: &code::LinkKey) -> Option<String> {
    if !h.status().may_choose() {
        return None;
    }
    live_family_code(h, key)
}

/// The family's link while it opens the hulpvraag, whatever its status: to tell the family
/// of a change in a mail.
pub fn live_family_code(h: &Hulpvraag, key: &code::LinkKey) -> Option<String> {
    let nonce = h.family_code_nonce.as_deref()?;
    if h.family_token_expires_at.is_none_or(|until| until <= now()) {
        return None;
    }
    let derived = key.family_code(h.id, nonce);
    let stored = h.family_token_hash.as_deref()?;
    (code::hash(&derived).as_deref() == Some(stored)).then_some(derived)
}

pub fn shortlist(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<Vec<i64>> {
    hulpvraag_shortlist::table
        .filter(hulpvraag_shortlist::hulpvraag_id.eq(hulpvraag_id))
        .order((
            hulpvraag_shortlist::added_at,
            hulpvraag_shortlist::provider_id,
        ))
        .select(hulpvraag_shortlist::provider_id)
        .load(conn)
}

pub fn requests(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<Vec<CareRequest>> {
    care_requests::table
        .filter(care_requests::hulpvraag_id.eq(hulpvraag_id))
        .order(care_requests::chosen_at)
        .select(CareRequest::as_select())
        .load(conn)
}

pub fn events(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<Vec<Event>> {
    hulpvraag_events::table
        .filter(hulpvraag_events::hulpvraag_id.eq(hulpvraag_id))
        .order((hulpvraag_events::at, hulpvraag_events::id))
        .select(Event::as_select())
        .load(conn)
}

/// The worker's corrections of a hulpvraag, oldest first: when, and what changed.
pub fn corrections(
    conn: &mut DbConnection,
    hulpvraag_id: i64,
) -> QueryResult<Vec<(NaiveDateTime, String)>> {
    hulpvraag_events::table
        .filter(hulpvraag_events::hulpvraag_id.eq(hulpvraag_id))
        .filter(hulpvraag_events::kind.eq(EventKind::Aangepast))
        .order((hulpvraag_events::at, hulpvraag_events::id))
        .select((hulpvraag_events::at, hulpvraag_events::detail))
        .load(conn)
}

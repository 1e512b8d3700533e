//! The hulpvraag workflow: every step is one transaction that checks the current state,
//! changes it with a conditional update (so two clicks cannot both win), records an event
//! and queues the e-mail it causes.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::code;
use super::model::{Actor, CareRequest, DeclineReason, Event, Hulpvraag, Status};
use crate::accounts::Role;
use crate::db::DbConnection;
use crate::db::schema::{
    care_requests, catalogue_entries, hulpvraag_events, hulpvraag_shortlist, hulpvragen, offers,
    providers, trajectories, users,
};
use crate::outcomes::indicators::GoalResult;
use crate::web::auth::SessionUser;
use crate::web::{AppError, FieldError};

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
    pub kader: &'static str,
    pub age_band: String,
    pub case_number: String,
    pub notes: String,
}

pub fn event(
    conn: &mut DbConnection,
    hulpvraag_id: i64,
    actor: Actor,
    kind: &str,
    provider_id: Option<i64>,
    detail: &str,
) -> QueryResult<()> {
    diesel::insert_into(hulpvraag_events::table)
        .values((
            hulpvraag_events::hulpvraag_id.eq(hulpvraag_id),
            hulpvraag_events::at.eq(now()),
            hulpvraag_events::actor.eq(actor.as_str()),
            hulpvraag_events::kind.eq(kind),
            hulpvraag_events::provider_id.eq(provider_id),
            hulpvraag_events::detail.eq(detail),
        ))
        .execute(conn)
        .map(|_| ())
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
            hulpvragen::age_band.eq(&new.age_band),
            hulpvragen::case_number.eq(&new.case_number),
            hulpvragen::notes.eq(&new.notes),
            hulpvragen::worker_id.eq(worker.id),
            hulpvragen::status.eq(Status::Open.as_str()),
            hulpvragen::created_at.eq(at),
            hulpvragen::updated_at.eq(at),
        ))
        .returning(hulpvragen::id)
        .get_result(conn)?;
    event(conn, id, Actor::Medewerker, "geopend", None, "")?;
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
    Ok(id)
}

/// The ages of an age band, to match against an offer's age range.
fn age_range(band: &str) -> (i32, i32) {
    match band {
        "0-3" => (0, 3),
        "4-11" => (4, 11),
        "12-17" => (12, 17),
        _ => (18, 23),
    }
}

/// Listed providers that offer the hulpvraag's profile in its municipality for the child's
/// age; with `strict`, only at its intensity and only those taking new clients. In the day's
/// random order: a proposal is never ordered by anything a provider can buy.
pub fn candidates(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    strict: bool,
    today: NaiveDate,
) -> QueryResult<Vec<i64>> {
    let (young, old) = age_range(&h.age_band);
    let mut query = catalogue_entries::table
        .inner_join(offers::table)
        .filter(catalogue_entries::municipality_id.eq(h.municipality_id))
        .filter(catalogue_entries::profile_id.eq(h.profile_id))
        .filter(offers::min_age.le(old))
        .filter(offers::max_age.ge(young))
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
    let municipality = own_municipality(user)?;
    hulpvragen::table
        .find(id)
        .filter(hulpvragen::municipality_id.eq(municipality))
        .select(Hulpvraag::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The municipality a toegangsmedewerker works for, or 403.
pub fn own_municipality(user: &SessionUser) -> Result<i64, AppError> {
    match (user.role, user.municipality_id) {
        (Role::Toegangsmedewerker, Some(id)) => Ok(id),
        _ => Err(AppError::Forbidden(
            "Deze pagina is alleen voor toegangsmedewerkers van een gemeente.".into(),
        )),
    }
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
    event(conn, h.id, Actor::Medewerker, "link_gemaakt", None, "")?;
    Ok(fresh)
}

/// Notes in the hulpvraag's history that the link was mailed (not to whom).
pub fn record_link_mailed(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<()> {
    event(conn, h.id, Actor::Medewerker, "link_gemaild", None, "")
}

/// The family link the worker can show or send: while the family may choose and the link
/// has not expired, and only if it is still the link that opens the hulpvraag (after a
/// change of the secret key the derived code would open nothing).
pub fn current_family_code(h: &Hulpvraag, key: &code::LinkKey) -> Option<String> {
    let nonce = h.family_code_nonce.as_deref()?;
    let live = h.family_token_expires_at.is_some_and(|until| until > now());
    if !(live && h.status().may_choose()) {
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

fn still_open(h: &Hulpvraag) -> Result<(), AppError> {
    if matches!(h.status(), Status::Open | Status::Afgewezen) {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "De keuze is al gemaakt. De lijst kan niet meer veranderen.".into(),
        ))
    }
}

/// Adds a provider that offers the profile in the municipality.
pub fn add_to_shortlist(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
) -> Result<(), AppError> {
    still_open(h)?;
    let allowed = candidates(conn, h, false, crate::clock::today())?;
    if !allowed.contains(&provider_id) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "aanbieder",
            "Deze aanbieder biedt dit profiel niet aan in deze gemeente voor deze leeftijd.",
        )]));
    }
    if shortlist(conn, h.id)?.contains(&provider_id) {
        return Ok(());
    }
    let added = diesel::insert_into(hulpvraag_shortlist::table)
        .values((
            hulpvraag_shortlist::hulpvraag_id.eq(h.id),
            hulpvraag_shortlist::provider_id.eq(provider_id),
            hulpvraag_shortlist::added_at.eq(now()),
        ))
        .execute(conn)?;
    if added == 1 {
        event(
            conn,
            h.id,
            Actor::Medewerker,
            "toegevoegd",
            Some(provider_id),
            "",
        )?;
    }
    Ok(())
}

pub fn remove_from_shortlist(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
) -> Result<(), AppError> {
    still_open(h)?;
    let removed = diesel::delete(
        hulpvraag_shortlist::table
            .filter(hulpvraag_shortlist::hulpvraag_id.eq(h.id))
            .filter(hulpvraag_shortlist::provider_id.eq(provider_id)),
    )
    .execute(conn)?;
    if removed == 1 {
        event(
            conn,
            h.id,
            Actor::Medewerker,
            "verwijderd",
            Some(provider_id),
            "",
        )?;
    }
    Ok(())
}

/// Who chose: the family through its link, or family and worker together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenBy {
    Gezin,
    Samen,
}

/// Whether this provider may be chosen now: the guards of [`choose`], also asked by the
/// family's confirmation page before it offers the final button.
pub fn check_choice(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
    by: ChosenBy,
) -> Result<(), AppError> {
    if by == ChosenBy::Gezin && !h.family_chooses() {
        return Err(AppError::Forbidden(
            "Bij hulp in het gedwongen kader kiest de gecertificeerde instelling de aanbieder."
                .into(),
        ));
    }
    if !h.status().may_choose() {
        return Err(AppError::Conflict(match h.status() {
            Status::Gekozen => {
                "Er is al een aanbieder gekozen. Wacht op het antwoord van die aanbieder.".into()
            }
            _ => "Er is al een aanbieder gekozen die de hulp geeft.".into(),
        }));
    }
    if !shortlist(conn, h.id)?.contains(&provider_id) {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Deze aanbieder staat niet op de lijst. Kies een aanbieder van de lijst.",
        )]));
    }
    let asked_before = care_requests::table
        .filter(care_requests::hulpvraag_id.eq(h.id))
        .filter(care_requests::provider_id.eq(provider_id))
        .count()
        .get_result::<i64>(conn)?;
    if asked_before > 0 {
        return Err(AppError::Conflict(
            "Deze aanbieder heeft al laten weten dat hij u niet kan helpen. Kies een andere aanbieder.".into(),
        ));
    }
    Ok(())
}

/// Records the choice of a provider on the shortlist and tells the provider. Choosing when a
/// choice is pending, or a provider that is not on the list or declined before, changes
/// nothing and says why.
pub fn choose(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
    by: ChosenBy,
    public_url: &str,
) -> Result<(), AppError> {
    check_choice(conn, h, provider_id, by)?;
    let at = now();
    // Only one of two simultaneous choices can move the status on.
    let moved =
        diesel::update(hulpvragen::table.find(h.id).filter(
            hulpvragen::status.eq_any([Status::Open.as_str(), Status::Afgewezen.as_str()]),
        ))
        .set((
            hulpvragen::status.eq(Status::Gekozen.as_str()),
            hulpvragen::provider_id.eq(Some(provider_id)),
            hulpvragen::updated_at.eq(at),
        ))
        .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            "Er is net al een aanbieder gekozen. Kijk hieronder hoe het er nu voor staat.".into(),
        ));
    }
    let (by_code, actor) = match by {
        ChosenBy::Gezin => ("gezin", Actor::Gezin),
        ChosenBy::Samen => ("samen", Actor::Medewerker),
    };
    diesel::insert_into(care_requests::table)
        .values((
            care_requests::hulpvraag_id.eq(h.id),
            care_requests::provider_id.eq(provider_id),
            care_requests::chosen_by.eq(by_code),
            care_requests::chosen_at.eq(at),
        ))
        .execute(conn)?;
    event(conn, h.id, actor, "gekozen", Some(provider_id), by_code)?;
    let (email, name): (String, String) = providers::table
        .find(provider_id)
        .select((providers::email, providers::name))
        .first(conn)?;
    crate::mail::queue(
        conn,
        &super::mail::new_request(
            &email,
            &name,
            &format!("{public_url}/mijn-aanbod/aanvragen"),
        ),
    )?;
    Ok(())
}

/// The family asks its worker for help with choosing.
pub fn ask_for_help(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    public_url: &str,
) -> Result<(), AppError> {
    if h.help_asked_at.is_some() {
        return Ok(());
    }
    diesel::update(hulpvragen::table.find(h.id))
        .set((
            hulpvragen::help_asked_at.eq(Some(now())),
            hulpvragen::updated_at.eq(now()),
        ))
        .execute(conn)?;
    event(conn, h.id, Actor::Gezin, "hulp_gevraagd", None, "")?;
    if let Some(email) = worker_email(conn, h)? {
        crate::mail::queue(
            conn,
            &super::mail::family_asks_help(
                &email,
                &h.case_number,
                &format!("{public_url}/toegang/hulpvragen/{}", h.id),
            ),
        )?;
    }
    Ok(())
}

fn worker_email(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<Option<String>> {
    users::table
        .find(h.worker_id)
        .filter(users::active.eq(true))
        .select(users::email)
        .first(conn)
        .optional()
}

/// A request addressed to the provider user's own provider; any other answers 404.
pub fn request_for_provider(
    conn: &mut DbConnection,
    user: &SessionUser,
    request_id: i64,
) -> Result<(CareRequest, Hulpvraag), AppError> {
    let provider = user.own_provider()?;
    let request: CareRequest = care_requests::table
        .find(request_id)
        .filter(care_requests::provider_id.eq(provider))
        .select(CareRequest::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let h = load(conn, request.hulpvraag_id)?;
    Ok((request, h))
}

/// The provider's answer.
#[derive(Debug, Clone)]
pub enum Answer {
    Accept { expected_start: NaiveDate },
    Decline { reason: DeclineReason, note: String },
}

pub fn answer(
    conn: &mut DbConnection,
    request: &CareRequest,
    h: &Hulpvraag,
    answer: &Answer,
    public_url: &str,
) -> Result<(), AppError> {
    let at = now();
    let (code, set_request) = match answer {
        Answer::Accept { expected_start } => (
            "geaccepteerd",
            diesel::update(care_requests::table.find(request.id))
                .filter(care_requests::answer.eq("open"))
                .set((
                    care_requests::answer.eq("geaccepteerd"),
                    care_requests::answered_at.eq(Some(at)),
                    care_requests::expected_start.eq(Some(*expected_start)),
                ))
                .execute(conn)?,
        ),
        Answer::Decline { reason, note } => (
            "afgewezen",
            diesel::update(care_requests::table.find(request.id))
                .filter(care_requests::answer.eq("open"))
                .set((
                    care_requests::answer.eq("afgewezen"),
                    care_requests::answered_at.eq(Some(at)),
                    care_requests::decline_reason.eq(Some(reason.as_str())),
                    care_requests::decline_note.eq(note),
                ))
                .execute(conn)?,
        ),
    };
    if set_request != 1 {
        return Err(AppError::Conflict(
            "U heeft deze aanvraag al beantwoord. Uw eerste antwoord blijft staan.".into(),
        ));
    }
    let status = if code == "geaccepteerd" {
        Status::Geaccepteerd
    } else {
        Status::Afgewezen
    };
    diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Gekozen.as_str()))
            .filter(hulpvragen::provider_id.eq(request.provider_id)),
    )
    .set((
        hulpvragen::status.eq(status.as_str()),
        hulpvragen::provider_id.eq((status == Status::Geaccepteerd).then_some(request.provider_id)),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    let detail = match answer {
        Answer::Accept { expected_start } => format!("verwachte start {expected_start}"),
        Answer::Decline { reason, .. } => reason.label().to_owned(),
    };
    event(
        conn,
        h.id,
        Actor::Aanbieder,
        code,
        Some(request.provider_id),
        &detail,
    )?;
    if let Some(email) = worker_email(conn, h)? {
        let name: String = providers::table
            .find(request.provider_id)
            .select(providers::name)
            .first(conn)?;
        crate::mail::queue(
            conn,
            &super::mail::provider_answered(
                &email,
                &h.case_number,
                &name,
                answer,
                &format!("{public_url}/toegang/hulpvragen/{}", h.id),
            ),
        )?;
    }
    Ok(())
}

/// The worker records that care started.
pub fn start(conn: &mut DbConnection, h: &Hulpvraag, on: NaiveDate) -> Result<(), AppError> {
    let Some(provider_id) = h.provider_id.filter(|_| h.status() == Status::Geaccepteerd) else {
        return Err(AppError::Conflict(
            "De hulp kan pas starten als een aanbieder de aanvraag heeft geaccepteerd.".into(),
        ));
    };
    let chosen_at: NaiveDateTime = care_requests::table
        .filter(care_requests::hulpvraag_id.eq(h.id))
        .filter(care_requests::provider_id.eq(provider_id))
        .select(care_requests::chosen_at)
        .first(conn)?;
    if on < crate::clock::date_of(chosen_at) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "startdatum",
            "De startdatum ligt voor de dag van de keuze. Vul de echte startdatum in.",
        )]));
    }
    if on > crate::clock::today() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "startdatum",
            "De startdatum ligt in de toekomst. Leg de start vast als de hulp echt begonnen is.",
        )]));
    }
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Geaccepteerd.as_str())),
    )
    .set((
        hulpvragen::status.eq(Status::Gestart.as_str()),
        hulpvragen::started_on.eq(Some(on)),
        hulpvragen::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict("De start is al vastgelegd.".into()));
    }
    diesel::update(
        care_requests::table
            .filter(care_requests::hulpvraag_id.eq(h.id))
            .filter(care_requests::provider_id.eq(provider_id)),
    )
    .set(care_requests::started_on.eq(Some(on)))
    .execute(conn)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        "gestart",
        Some(provider_id),
        &on.to_string(),
    )?;
    Ok(())
}

/// How care ended, as the worker records it.
#[derive(Debug, Clone)]
pub struct Closing {
    pub ended_on: NaiveDate,
    pub cbs_reason: u8,
    pub goal: GoalResult,
}

/// Closes the hulpvraag: it becomes a trajectory measured by the municipality, counted in
/// the provider's scores, and the family gets a questionnaire code (returned).
pub fn close(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    closing: &Closing,
) -> Result<String, AppError> {
    let (Some(provider_id), Some(started_on), Status::Gestart) =
        (h.provider_id, h.started_on, h.status())
    else {
        return Err(AppError::Conflict(
            "Alleen hulp die gestart is, kan worden afgesloten.".into(),
        ));
    };
    if closing.ended_on < started_on || closing.ended_on > crate::clock::today() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "einddatum",
            "De einddatum moet tussen de startdatum en vandaag liggen.",
        )]));
    }
    let experience = code::generate()?;
    let hash =
        code::hash(&experience).ok_or_else(|| anyhow::anyhow!("generated code does not parse"))?;
    let at = now();
    let trajectory_id: i64 = diesel::insert_into(trajectories::table)
        .values((
            trajectories::provider_id.eq(provider_id),
            trajectories::reference.eq(format!(
                "{}hulpvraag-{}",
                crate::outcomes::records::MUNICIPAL_REFERENCE_PREFIX,
                h.id
            )),
            trajectories::region_id.eq(h.region_id),
            trajectories::municipality_id.eq(h.municipality_id),
            trajectories::profile_id.eq(h.profile_id),
            trajectories::intensity_id.eq(h.intensity_id),
            trajectories::start_date.eq(started_on),
            trajectories::end_date.eq(Some(closing.ended_on)),
            trajectories::end_reason.eq(Some(i32::from(closing.cbs_reason))),
            trajectories::goal_result.eq(closing.goal.as_str()),
            trajectories::client_key.eq(client_key(h)),
            trajectories::age_band.eq(&h.age_band),
            trajectories::kader.eq(&h.kader),
            trajectories::source.eq("gemeente"),
            trajectories::created_at.eq(at),
            trajectories::updated_at.eq(at),
        ))
        .returning(trajectories::id)
        .get_result(conn)?;
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Gestart.as_str())),
    )
    .set((
        hulpvragen::status.eq(Status::Afgesloten.as_str()),
        hulpvragen::ended_on.eq(Some(closing.ended_on)),
        hulpvragen::trajectory_id.eq(Some(trajectory_id)),
        hulpvragen::experience_token_hash.eq(Some(hash)),
        hulpvragen::experience_expires_at.eq(Some(at + TimeDelta::days(EXPERIENCE_LINK_DAYS))),
        // The choice link has done its work.
        hulpvragen::family_token_hash.eq(None::<String>),
        hulpvragen::family_code_nonce.eq(None::<String>),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            "Deze hulpvraag is al afgesloten.".into(),
        ));
    }
    crate::outcomes::compute::recompute_profiles(
        conn,
        provider_id,
        &BTreeSet::from([h.profile_id]),
    )?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        "afgesloten",
        Some(provider_id),
        &closing.cbs_reason.to_string(),
    )?;
    Ok(experience)
}

/// A new questionnaire code for a closed hulpvraag whose family has not answered yet (the
/// first one was lost, or is to be e-mailed).
pub fn new_experience_code(conn: &mut DbConnection, h: &Hulpvraag) -> Result<String, AppError> {
    if h.status() != Status::Afgesloten || h.experience_answered_at.is_some() {
        return Err(AppError::Conflict(
            "Voor deze hulpvraag kan geen nieuwe vragenlijst worden gemaakt.".into(),
        ));
    }
    let experience = code::generate()?;
    let hash =
        code::hash(&experience).ok_or_else(|| anyhow::anyhow!("generated code does not parse"))?;
    diesel::update(hulpvragen::table.find(h.id))
        .set((
            hulpvragen::experience_token_hash.eq(Some(hash)),
            hulpvragen::experience_expires_at
                .eq(Some(now() + TimeDelta::days(EXPERIENCE_LINK_DAYS))),
        ))
        .execute(conn)?;
    Ok(experience)
}

/// The municipality's pseudonym for a client: the same case number in the same municipality
/// gives the same key, so a return within a year counts as terugval, and the key says
/// nothing about the case number.
fn client_key(h: &Hulpvraag) -> String {
    let digest = crate::accounts::secrets::token_hash(&format!(
        "{}:{}",
        h.municipality_id,
        h.case_number.trim().to_lowercase()
    ));
    format!("gemeente-{}", &digest[..24])
}

/// One line of a worker's list.
pub struct Listed {
    pub hulpvraag: Hulpvraag,
    pub provider: Option<String>,
}

pub fn list_for_worker(
    conn: &mut DbConnection,
    user: &SessionUser,
    status: Option<Status>,
    page: u32,
    per_page: i64,
) -> Result<(Vec<Listed>, i64), AppError> {
    let municipality = own_municipality(user)?;
    let filtered = || {
        let mut q = hulpvragen::table
            .filter(hulpvragen::municipality_id.eq(municipality))
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(hulpvragen::status.eq(s.as_str()));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<Hulpvraag> = filtered()
        .order((hulpvragen::updated_at.desc(), hulpvragen::id.desc()))
        .limit(per_page)
        .offset(i64::from(page.saturating_sub(1)) * per_page)
        .select(Hulpvraag::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().filter_map(|h| h.provider_id).collect();
    let names: HashMap<i64, String> = providers::table
        .filter(providers::id.eq_any(&ids))
        .select((providers::id, providers::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok((
        rows.into_iter()
            .map(|h| Listed {
                provider: h.provider_id.and_then(|p| names.get(&p).cloned()),
                hulpvraag: h,
            })
            .collect(),
        total,
    ))
}

/// One request in a provider's work list: what the provider needs to know, no person.
pub struct ProviderRequest {
    pub request: CareRequest,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub municipality_id: i64,
    pub age_band: String,
    pub kader: String,
    pub notes: String,
}

/// profile, intensity, municipality, age band, kader, notes
type RequestContext = (i64, i64, i64, String, String, String);

pub fn list_for_provider(
    conn: &mut DbConnection,
    user: &SessionUser,
    open_only: bool,
    page: u32,
    per_page: i64,
) -> Result<(Vec<ProviderRequest>, i64), AppError> {
    let provider = user.own_provider()?;
    let filtered = || {
        let mut q = care_requests::table
            .inner_join(hulpvragen::table)
            .filter(care_requests::provider_id.eq(provider))
            .into_boxed();
        if open_only {
            q = q.filter(care_requests::answer.eq("open"));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<(CareRequest, RequestContext)> = filtered()
        .order((care_requests::chosen_at.desc(), care_requests::id.desc()))
        .limit(per_page)
        .offset(i64::from(page.saturating_sub(1)) * per_page)
        .select((
            CareRequest::as_select(),
            (
                hulpvragen::profile_id,
                hulpvragen::intensity_id,
                hulpvragen::municipality_id,
                hulpvragen::age_band,
                hulpvragen::kader,
                hulpvragen::notes,
            ),
        ))
        .load(conn)?;
    Ok((
        rows.into_iter()
            .map(
                |(request, (profile_id, intensity_id, municipality_id, age_band, kader, notes))| {
                    ProviderRequest {
                        request,
                        profile_id,
                        intensity_id,
                        municipality_id,
                        age_band,
                        kader,
                        notes,
                    }
                },
            )
            .collect(),
        total,
    ))
}

/// How many hulpvragen of a municipality are in each status, for the worker's start page.
pub fn count_by_status(
    conn: &mut DbConnection,
    municipality_id: i64,
) -> QueryResult<HashMap<String, i64>> {
    use diesel::dsl::count_star;
    Ok(hulpvragen::table
        .filter(hulpvragen::municipality_id.eq(municipality_id))
        .group_by(hulpvragen::status)
        .select((hulpvragen::status, count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}

/// How many requests wait for the provider's answer.
pub fn count_unanswered(conn: &mut DbConnection, provider_id: i64) -> QueryResult<i64> {
    care_requests::table
        .filter(care_requests::provider_id.eq(provider_id))
        .filter(care_requests::answer.eq("open"))
        .count()
        .get_result(conn)
}

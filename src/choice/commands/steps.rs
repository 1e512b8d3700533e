//! Every step after opening: the shortlist, the choice, the provider's answer, the start
//! and the close. One transaction each, with a conditional update and an event.

use crate::domain::hulpvraag::RequestAnswer;
use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::choice::code;
use crate::choice::model::{Actor, CareRequest, DeclineReason, EventKind, Hulpvraag, Status};
use crate::db::DbConnection;
use crate::db::schema::{
    care_requests, hulpvraag_shortlist, hulpvragen, providers, trajectories, users,
};
use crate::domain::indicator::{GoalMark, ProblemsSmaller, WithoutCare};
use crate::outcomes::indicators::GoalResult;
use crate::providers::execution;
use crate::web::auth::SessionUser;
use crate::web::{AppError, FieldError};

use super::{EXPERIENCE_LINK_DAYS, candidates, event, load, now, shortlist};

pub(super) fn still_open(h: &Hulpvraag) -> Result<(), AppError> {
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
    let today = crate::clock::today();
    if !execution::granted(
        conn,
        provider_id,
        h.region_id,
        chrono::Datelike::year(&today),
    )? {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "aanbieder",
            execution::missing(chrono::Datelike::year(&today)),
        )]));
    }
    let allowed = candidates(conn, h, false, today)?;
    if !allowed.contains(&provider_id) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "aanbieder",
            "Deze aanbieder biedt dit profiel niet aan in deze gemeente voor deze leeftijd.",
        )]));
    }
    if super::with_intensity(conn, h, &[provider_id])?.is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "aanbieder",
            "Deze aanbieder biedt dit profiel niet aan met de intensiteit van deze hulpvraag. Kies een aanbieder die deze intensiteit aanbiedt, of pas de hulpvraag aan.",
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
            EventKind::Toegevoegd,
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
            EventKind::Verwijderd,
            Some(provider_id),
            "",
        )?;
    }
    Ok(())
}

pub use crate::domain::hulpvraag::ChosenBy;

/// Whether this provider may be chosen now: the guards of [`choose`], also asked by the
/// family's confirmation page before it offers the final button.
pub fn check_choice(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
    by: ChosenBy,
) -> Result<(), AppError> {
    super::guarantee::require_decided(h)?;
    // Families read these on their own pages, in their language.
    let t = crate::web::language::texts();
    if by == ChosenBy::Gezin && !h.family_chooses() {
        return Err(AppError::Forbidden(t.msg("choice-forced")));
    }
    if !h.status().may_choose() {
        return Err(AppError::Conflict(match h.status() {
            Status::Gekozen => t.msg("choice-pending"),
            _ => t.msg("choice-taken"),
        }));
    }
    if !shortlist(conn, h.id)?.contains(&provider_id) {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            t.msg("choice-not-listed"),
        )]));
    }
    // On the list since last year, without this year's agreement.
    execution::require(conn, provider_id, h.region_id, crate::clock::today())?;
    let asked_before = care_requests::table
        .filter(care_requests::hulpvraag_id.eq(h.id))
        .filter(care_requests::provider_id.eq(provider_id))
        .count()
        .get_result::<i64>(conn)?;
    if asked_before > 0 {
        return Err(AppError::Conflict(t.msg("choice-declined-before")));
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
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq_any([Status::Open, Status::Afgewezen])),
    )
    .set((
        hulpvragen::status.eq(Status::Gekozen),
        hulpvragen::provider_id.eq(Some(provider_id)),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            crate::web::language::texts().msg("choice-just-taken"),
        ));
    }
    let actor = match by {
        ChosenBy::Gezin => Actor::Gezin,
        ChosenBy::Samen => Actor::Medewerker,
    };
    diesel::insert_into(care_requests::table)
        .values((
            care_requests::hulpvraag_id.eq(h.id),
            care_requests::provider_id.eq(provider_id),
            care_requests::chosen_by.eq(by),
            care_requests::chosen_at.eq(at),
        ))
        .execute(conn)?;
    event(
        conn,
        h.id,
        actor,
        EventKind::Gekozen,
        Some(provider_id),
        by.as_str(),
    )?;
    let (email, name): (String, String) = providers::table
        .find(provider_id)
        .select((providers::email, providers::name))
        .first(conn)?;
    let bound = super::guarantee::binds(conn, h, provider_id)?;
    crate::mail::queue(
        conn,
        &super::guarantee::request_mail(
            bound,
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
    event(conn, h.id, Actor::Gezin, EventKind::HulpGevraagd, None, "")?;
    if let Some(email) = worker_email(conn, h)? {
        crate::mail::queue(
            conn,
            &crate::choice::mail::family_asks_help(
                &email,
                &h.case_number,
                &format!("{public_url}/toegang/hulpvragen/{}", h.id),
            ),
        )?;
    }
    Ok(())
}

pub(super) fn worker_email(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<Option<String>> {
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
    super::guarantee::check_decline(conn, h, request.provider_id, answer)?;
    let at = now();
    let year = chrono::Datelike::year(&crate::clock::today());
    if matches!(answer, Answer::Accept { .. })
        && !execution::granted(conn, request.provider_id, h.region_id, year)?
    {
        return Err(AppError::Conflict(execution::missing_for_provider(year)));
    }
    let (status, kind, set_request) = match answer {
        Answer::Accept { expected_start } => (
            Status::Geaccepteerd,
            EventKind::Geaccepteerd,
            diesel::update(care_requests::table.find(request.id))
                .filter(care_requests::answer.eq(RequestAnswer::Open))
                .set((
                    care_requests::answer.eq(RequestAnswer::Geaccepteerd),
                    care_requests::answered_at.eq(Some(at)),
                    care_requests::expected_start.eq(Some(*expected_start)),
                ))
                .execute(conn)?,
        ),
        Answer::Decline { reason, note } => (
            Status::Afgewezen,
            EventKind::Afgewezen,
            diesel::update(care_requests::table.find(request.id))
                .filter(care_requests::answer.eq(RequestAnswer::Open))
                .set((
                    care_requests::answer.eq(RequestAnswer::Afgewezen),
                    care_requests::answered_at.eq(Some(at)),
                    care_requests::decline_reason.eq(Some(reason)),
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
    diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Gekozen))
            .filter(hulpvragen::provider_id.eq(request.provider_id)),
    )
    .set((
        hulpvragen::status.eq(status),
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
        kind,
        Some(request.provider_id),
        &detail,
    )?;
    super::tell_worker(
        conn,
        h,
        request.provider_id,
        public_url,
        |to, case, name, page| crate::choice::mail::provider_answered(to, case, name, answer, page),
    )?;
    Ok(())
}

/// The worker records that care started.
pub fn start(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    on: NaiveDate,
    toewijzing: Option<&str>,
) -> Result<(), AppError> {
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
    super::goals::require_confirmed(conn, h)?;
    if let Some(number) = toewijzing {
        super::toewijzing::require_free(conn, h, provider_id, number)?;
    }
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Geaccepteerd)),
    )
    .set((
        hulpvragen::status.eq(Status::Gestart),
        hulpvragen::started_on.eq(Some(on)),
        hulpvragen::toewijzing.eq(toewijzing),
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
    // The provider's waiting time on its public page counts this start.
    crate::read_model::families_changed(conn)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::Gestart,
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
    /// The yes/no of before, asked only where no goals were agreed.
    pub goal: Option<GoalResult>,
    /// The mark of each agreed goal, in their order.
    pub marks: Vec<Option<GoalMark>>,
    /// 3.1 and 3.3, asked of every closing.
    pub without_care: WithoutCare,
    pub problems_smaller: ProblemsSmaller,
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
    super::shifts::check_close(conn, h, closing.ended_on)?;
    // Agreed goals decide doelrealisatie; without them the worker's yes/no does.
    let counts = super::goals::mark(conn, h, &closing.marks)?;
    let goal = match (counts, closing.goal) {
        (Some(counts), _) => counts.result(),
        (None, Some(goal)) => goal,
        (None, None) => {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                "doelen",
                "Kies of de doelen zijn bereikt.",
            )]));
        }
    };
    let key = client_key(h);
    let experience = code::generate()?;
    let hash =
        code::hash(&experience).ok_or_else(|| anyhow::anyhow!("generated code does not parse"))?;
    let at = now();
    let joined = super::toewijzing::complete(conn, h, provider_id, closing, goal, counts, &key)?;
    let trajectory_id: i64 = if let Some(id) = joined {
        id
    } else {
        diesel::insert_into(trajectories::table)
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
                trajectories::goal_result.eq(goal),
                trajectories::goals_agreed.eq(counts.map(|c| i32::from(c.agreed))),
                trajectories::goals_reached.eq(counts.map(|c| i32::from(c.reached))),
                trajectories::goals_partly.eq(counts.map(|c| i32::from(c.partly))),
                trajectories::without_care.eq(Some(closing.without_care)),
                trajectories::problems_smaller.eq(Some(closing.problems_smaller)),
                trajectories::client_key.eq(&key),
                trajectories::age_band.eq(&h.age_band),
                trajectories::kader.eq(&h.kader),
                trajectories::source.eq("gemeente"),
                trajectories::toewijzing.eq(&h.toewijzing),
                trajectories::created_at.eq(at),
                trajectories::updated_at.eq(at),
            ))
            .returning(trajectories::id)
            .get_result(conn)?
    };
    // Not under a profile that a change confirmed a moment ago replaced.
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Gestart))
            .filter(hulpvragen::profile_id.eq(h.profile_id))
            .filter(hulpvragen::intensity_id.eq(h.intensity_id)),
    )
    .set((
        hulpvragen::status.eq(Status::Afgesloten),
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
    // A return of the municipality's client is terugval for whoever helped it before.
    crate::outcomes::compute::recompute_client(conn, h.region_id, &key, provider_id)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::Afgesloten,
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
pub(super) fn client_key(h: &Hulpvraag) -> String {
    let digest = crate::accounts::secrets::token_hash(&format!(
        "{}:{}",
        h.municipality_id,
        h.case_number.trim().to_lowercase()
    ));
    format!(
        "{}{}",
        crate::outcomes::records::MUNICIPAL_CLIENT_PREFIX,
        &digest[..24]
    )
}

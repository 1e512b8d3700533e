//! The join of a hulpvraag and the trajectory its provider's iJw messages built: the worker
//! records the municipality's ToewijzingNummer at the start, and the trajectory of that
//! number's delivery period that began closest to the worker's start (same provider and
//! municipality) is the one the closing completes. iJw gives the date care began; the worker's closing gives the end and its
//! reason (where no stop came yet), the agreed goals and the two questions, the family's
//! questionnaire the satisfaction. What comes first does not matter: the first message after
//! the closing takes up the trajectory the closing made (`outcomes::ijw::apply`).

use diesel::prelude::*;

use super::steps::Closing;
use crate::choice::model::Hulpvraag;
use crate::db::DbConnection;
use crate::db::schema::trajectories;
use crate::domain::indicator::{GoalCounts, GoalResult};
use crate::web::AppError;

/// Completes the trajectory of this allocation, if iJw made one; its id. Takes the
/// provider's iJw lock first: an upload at the same moment sees the closing whole.
pub(super) fn complete(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
    closing: &Closing,
    goal: GoalResult,
    counts: Option<GoalCounts>,
    client_key: &str,
) -> Result<Option<i64>, AppError> {
    let Some(number) = h.toewijzing.as_deref() else {
        return Ok(None);
    };
    conn.serialise_on(&crate::outcomes::ijw::receive::lock_key(provider_id))?;
    // The allocation's delivery periods: care may have started again under the number. The
    // closing completes the one that began closest to the worker's start (within
    // `SAME_START_DAYS`), and not after the end.
    let periods: Vec<(i64, chrono::NaiveDate)> = trajectories::table
        .filter(trajectories::provider_id.eq(provider_id))
        .filter(trajectories::municipality_id.eq(h.municipality_id))
        .filter(trajectories::toewijzing.eq(number))
        .select((trajectories::id, trajectories::start_date))
        .load(conn)?;
    // Only a period that began near the worker's start is this hulpvraag's care; without one,
    // the closing makes a trajectory of its own, which such a period takes up when it comes.
    let started = h.started_on.unwrap_or(closing.ended_on);
    let near: Vec<(i64, chrono::NaiveDate)> = periods
        .into_iter()
        .filter(|(_, start)| {
            (*start - started).num_days().abs() <= crate::outcomes::ijw::apply::SAME_START_DAYS
        })
        .collect();
    let Some(earliest) = near.iter().map(|(_, start)| *start).min() else {
        return Ok(None);
    };
    let Some((id, _)) = near
        .iter()
        .filter(|(_, start)| *start <= closing.ended_on)
        .min_by_key(|(id, start)| ((*start - started).num_days().abs(), *id))
        .copied()
    else {
        return Err(AppError::InvalidInput(vec![crate::web::FieldError::new(
            "einddatum",
            format!(
                "Volgens de iJw-berichten van de aanbieder begon de hulp op {}. De einddatum kan niet eerder zijn. Klopt het ToewijzingNummer?",
                crate::web::text::date_nl(earliest)
            ),
        )]));
    };
    diesel::update(trajectories::table.find(id))
        .set((
            trajectories::profile_id.eq(h.profile_id),
            trajectories::intensity_id.eq(h.intensity_id),
            trajectories::goal_result.eq(goal),
            trajectories::goals_agreed.eq(counts.map(|c| i32::from(c.agreed))),
            trajectories::goals_reached.eq(counts.map(|c| i32::from(c.reached))),
            trajectories::goals_partly.eq(counts.map(|c| i32::from(c.partly))),
            trajectories::without_care.eq(Some(closing.without_care)),
            trajectories::problems_smaller.eq(Some(closing.problems_smaller)),
            // The municipality's pseudonym: the 12-month guarantee looks the client up by it.
            trajectories::client_key.eq(client_key),
            trajectories::kader.eq(h.kader),
            // The municipality's measurement of the end stands, also over a stop message
            // that came first.
            trajectories::end_date.eq(Some(closing.ended_on)),
            trajectories::end_reason.eq(Some(i32::from(closing.cbs_reason))),
            trajectories::updated_at.eq(crate::clock::now()),
        ))
        .execute(conn)?;
    Ok(Some(id))
}

/// The number as recorded: digits only, as a number (0300201 is 300201); none when empty.
pub fn parse(typed: &str) -> Result<Option<String>, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    if typed.len() > 9 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::InvalidInput(vec![crate::web::FieldError::new(
            "toewijzing",
            "Het ToewijzingNummer is een getal van hoogstens 9 cijfers, zoals in de toewijzing (JW301).",
        )]));
    }
    let number = typed.trim_start_matches('0');
    Ok(Some(
        if number.is_empty() { "0" } else { number }.to_owned(),
    ))
}

/// One allocation is one hulpvraag: refused when another hulpvraag of the municipality with
/// this provider recorded the number already.
pub(super) fn require_free(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider_id: i64,
    number: &str,
) -> Result<(), AppError> {
    use crate::db::schema::hulpvragen;
    let taken: i64 = hulpvragen::table
        .filter(hulpvragen::municipality_id.eq(h.municipality_id))
        .filter(hulpvragen::provider_id.eq(provider_id))
        .filter(hulpvragen::toewijzing.eq(number))
        .filter(hulpvragen::id.ne(h.id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::InvalidInput(vec![crate::web::FieldError::new(
            "toewijzing",
            "Dit ToewijzingNummer staat al bij een andere hulpvraag met deze aanbieder. Controleer het nummer.",
        )]));
    }
    Ok(())
}

//! The 12-month guarantee at intake: "wanneer een cliënt binnen 12 maanden terugstroomt naar
//! jeugdhulp met eenzelfde zorgvraag, wordt het eerdere traject opgepakt", without a new
//! tariff. Opening a hulpvraag whose client (the municipality's pseudonym) closed a
//! trajectory in the same profile less than 12 months ago offers that trajectory again; the
//! worker takes it up (the same provider is asked, and may decline only with a reason) or
//! chooses otherwise, with a reason. Nothing else happens to the hulpvraag until then.

use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;

use crate::choice::model::{Actor, ChosenBy, EventKind, Guarantee, Hulpvraag, Status};
use crate::db::DbConnection;
use crate::db::schema::{hulpvraag_shortlist, hulpvragen, providers, trajectories};
use crate::mail::OutgoingMail;
use crate::outcomes::indicators::RETURN_WINDOW_DAYS;
use crate::web::{AppError, FieldError};

use super::steps::{Answer, client_key};
use super::{event, load, now};

/// The earlier trajectory a returning client is offered again.
#[derive(Debug, Clone)]
pub struct Offer {
    pub trajectory_id: i64,
    pub provider_id: i64,
    pub provider_name: String,
    pub ended_on: NaiveDate,
}

/// At opening: the latest trajectory of this client in the same profile that ended within
/// the last 12 months (365 days, as terugval counts) is offered under the guarantee.
pub(super) fn offer_at_intake(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<bool> {
    let today = crate::clock::today();
    let earlier: Option<i64> = trajectories::table
        .filter(trajectories::region_id.eq(h.region_id))
        .filter(trajectories::client_key.eq(client_key(h)))
        .filter(trajectories::profile_id.eq(h.profile_id))
        .filter(trajectories::end_date.ge(today - TimeDelta::days(RETURN_WINDOW_DAYS)))
        .filter(trajectories::end_date.le(today))
        .order((trajectories::end_date.desc(), trajectories::id.desc()))
        .select(trajectories::id)
        .first(conn)
        .optional()?;
    let Some(id) = earlier else {
        return Ok(false);
    };
    diesel::update(hulpvragen::table.find(h.id))
        .set((
            hulpvragen::guarantee.eq(Some(Guarantee::Aangeboden)),
            hulpvragen::guarantee_trajectory_id.eq(Some(id)),
        ))
        .execute(conn)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::GarantieAangeboden,
        None,
        "",
    )?;
    Ok(true)
}

/// After a correction: the offer as the corrected hulpvraag gets it (or none).
pub(super) fn offer_again(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<bool> {
    diesel::update(hulpvragen::table.find(h.id))
        .set((
            hulpvragen::guarantee.eq(None::<Guarantee>),
            hulpvragen::guarantee_trajectory_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    offer_at_intake(conn, h)
}

/// The trajectory offered (or taken up, or waived) under the guarantee.
pub fn offer(conn: &mut DbConnection, h: &Hulpvraag) -> QueryResult<Option<Offer>> {
    let Some(id) = h.guarantee_trajectory_id else {
        return Ok(None);
    };
    trajectories::table
        .inner_join(providers::table)
        .filter(trajectories::id.eq(id))
        .select((
            trajectories::id,
            trajectories::provider_id,
            providers::name,
            trajectories::end_date,
        ))
        .first::<(i64, i64, String, Option<NaiveDate>)>(conn)
        .optional()
        .map(|found| {
            found.and_then(|(trajectory_id, provider_id, provider_name, end)| {
                Some(Offer {
                    trajectory_id,
                    provider_id,
                    provider_name,
                    ended_on: end?,
                })
            })
        })
}

/// Refuses what would choose a provider while the guarantee waits for the worker's decision
/// (an offer whose trajectory was deleted since waits for nothing).
pub fn require_decided(h: &Hulpvraag) -> Result<(), AppError> {
    if h.guarantee == Some(Guarantee::Aangeboden) && h.guarantee_trajectory_id.is_some() {
        return Err(AppError::Conflict(
            "Beslis eerst over de 12-maandengarantie bovenaan de hulpvraag: het eerdere traject weer oppakken, of anders kiezen met een reden."
                .into(),
        ));
    }
    Ok(())
}

fn decide(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    to: Guarantee,
    reason: &str,
) -> Result<Offer, AppError> {
    let Some(offer) = offer(conn, h)?.filter(|_| h.guarantee == Some(Guarantee::Aangeboden)) else {
        return Err(AppError::Conflict(
            "Over de garantie is al beslist. Kijk hieronder hoe het er nu voor staat.".into(),
        ));
    };
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Open))
            .filter(hulpvragen::guarantee.eq(Some(Guarantee::Aangeboden))),
    )
    .set((
        hulpvragen::guarantee.eq(Some(to)),
        hulpvragen::guarantee_reason.eq(reason),
        hulpvragen::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            "Over de garantie is al beslist. Kijk hieronder hoe het er nu voor staat.".into(),
        ));
    }
    Ok(offer)
}

/// The worker takes the guarantee up: the provider of the earlier trajectory is asked to pick
/// it up again (chosen together, as a worker's choice), without a new tariff.
pub fn take_up(conn: &mut DbConnection, h: &Hulpvraag, public_url: &str) -> Result<(), AppError> {
    let offer = decide(conn, h, Guarantee::Heropend, "")?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::GarantieHeropend,
        Some(offer.provider_id),
        &offer.ended_on.to_string(),
    )?;
    // The same provider, also when its offer no longer lists this intensity; it still needs
    // this year's uitvoeringsovereenkomst (`choose` says so, and the worker may waive).
    let listed = super::shortlist(conn, h.id)?;
    if !listed.contains(&offer.provider_id) {
        diesel::insert_into(hulpvraag_shortlist::table)
            .values((
                hulpvraag_shortlist::hulpvraag_id.eq(h.id),
                hulpvraag_shortlist::provider_id.eq(offer.provider_id),
                hulpvraag_shortlist::added_at.eq(now()),
            ))
            .execute(conn)?;
    }
    let h = load(conn, h.id)?;
    super::choose(conn, &h, offer.provider_id, ChosenBy::Samen, public_url)
}

/// The worker chooses otherwise; the reason is kept with the hulpvraag.
pub fn waive(conn: &mut DbConnection, h: &Hulpvraag, reason: &str) -> Result<(), AppError> {
    let offer = decide(conn, h, Guarantee::Afgezien, reason)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::GarantieAfgezien,
        Some(offer.provider_id),
        reason,
    )
    .map_err(AppError::from)
}

/// Whether `provider` is asked under the guarantee: it was taken up, and this is the
/// provider of the earlier trajectory (another provider asked after it is not).
pub fn binds(conn: &mut DbConnection, h: &Hulpvraag, provider: i64) -> QueryResult<bool> {
    if h.guarantee != Some(Guarantee::Heropend) {
        return Ok(false);
    }
    Ok(offer(conn, h)?.is_some_and(|o| o.provider_id == provider))
}

/// Under the guarantee the provider of the earlier trajectory declines only with a written
/// reason.
pub fn check_decline(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    provider: i64,
    answer: &Answer,
) -> Result<(), AppError> {
    if let Answer::Decline { note, .. } = answer
        && note.trim().is_empty()
        && binds(conn, h, provider)?
    {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "toelichting",
            "Dit gezin valt onder de 12-maandengarantie. Schrijf waarom u het eerdere traject niet weer kunt oppakken.",
        )]));
    }
    Ok(())
}

/// The provider's mail for a request: under the guarantee it says so.
pub(super) fn request_mail(
    under_guarantee: bool,
    to: &str,
    provider: &str,
    url: &str,
) -> OutgoingMail {
    if under_guarantee {
        crate::choice::mail::guarantee_request(to, provider, url)
    } else {
        crate::choice::mail::new_request(to, provider, url)
    }
}

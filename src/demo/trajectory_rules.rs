//! The rules along a trajectory in the demo (issue 37): a client back within the year under
//! the 12-month guarantee (offered once, taken up once), and a running trajectory that moved
//! to another profile. Agreed goals are played in `hulpvragen` with every accepted hulpvraag.

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::choice::commands::{self, NewHulpvraag};
use crate::choice::model::{Kader, RequestAnswer};
use crate::db::DbConnection;
use crate::db::schema::hulpvragen;
use crate::domain::values::CaseNumber;
use crate::reference::ReferenceData;
use crate::web::auth::SessionUser;

/// Two clients of the demo provider come back within the year with the same question: the
/// 12-month guarantee is offered for one (waiting for the worker's decision) and taken up for
/// the other (the demo provider is asked again).
pub(super) fn returns_within_a_year(
    conn: &mut DbConnection,
    worker: &SessionUser,
    provider: i64,
    public_url: &str,
) -> anyhow::Result<usize> {
    let closed: Vec<crate::choice::model::Hulpvraag> = hulpvragen::table
        .filter(hulpvragen::provider_id.eq(provider))
        .filter(hulpvragen::status.eq(crate::choice::model::Status::Afgesloten))
        .filter(hulpvragen::kader.eq(Kader::Vrijwillig))
        .order(hulpvragen::id)
        .limit(2)
        .select(crate::choice::model::Hulpvraag::as_select())
        .load(conn)?;
    for (n, earlier) in closed.iter().enumerate() {
        let id = commands::open(
            conn,
            worker,
            &NewHulpvraag {
                region_id: earlier.region_id,
                municipality_id: earlier.municipality_id,
                profile_id: earlier.profile_id,
                intensity_id: earlier.intensity_id,
                kader: earlier.kader,
                age_band: earlier.age_band,
                case_number: CaseNumber::try_from(earlier.case_number.as_str())?,
                notes: "Het gaat weer minder goed thuis.".into(),
            },
        )?;
        if n == 1 {
            let h = commands::load(conn, id)?;
            commands::guarantee::take_up(conn, &h, public_url)?;
        }
    }
    Ok(closed.len())
}

/// One of the demo provider's running trajectories moved to another profile, discussed with
/// the worker and confirmed by the provider: both see the history and the tariff per stretch.
pub(super) fn change_during_care(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    provider: i64,
    public_url: &str,
) -> anyhow::Result<()> {
    use crate::choice::commands::shifts;
    let running: Option<crate::choice::model::Hulpvraag> = hulpvragen::table
        .filter(hulpvragen::provider_id.eq(provider))
        .filter(hulpvragen::status.eq(crate::choice::model::Status::Gestart))
        .filter(hulpvragen::kader.eq(Kader::Vrijwillig))
        .order(hulpvragen::id)
        .select(crate::choice::model::Hulpvraag::as_select())
        .first(conn)
        .optional()?;
    let Some(h) = running else { return Ok(()) };
    let Some(number) = reference.profile(h.profile_id).map(|p| p.number) else {
        return Ok(());
    };
    let Some(to) =
        reference.profile_in_region(h.region_id, if number == 9 { 8 } else { number + 1 })
    else {
        return Ok(());
    };
    let on = h.started_on.unwrap_or_else(crate::clock::today) + TimeDelta::days(1);
    let new = shifts::NewShift {
        on: on.min(crate::clock::today()),
        profile_id: to.id,
        intensity_id: h.intensity_id,
        reason: "Het gaat vooral om de ontwikkeling van het kind; dat past beter bij dit profiel."
            .into(),
    };
    shifts::record(conn, &h, &new, public_url)?;
    let request = commands::requests(conn, h.id)?
        .into_iter()
        .find(|r| r.provider_id == provider && r.answer == RequestAnswer::Geaccepteerd)
        .ok_or_else(|| anyhow::anyhow!("hulpvraag {} has no accepted request", h.id))?;
    let waiting = shifts::load(conn, h.id)?;
    if let Some(shift) = waiting.last() {
        shifts::confirm(conn, &request, &h, shift.id, public_url)?;
    }
    Ok(())
}

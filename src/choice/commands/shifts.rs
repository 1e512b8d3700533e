//! Profile and intensity changes during care ("verschuivingen in profielen en intensiteiten
//! worden met de casusmanager besproken"): the worker records the change with its date and
//! reason, the provider confirms it, and only then does the hulpvraag take the new profile
//! and intensity. The trajectory made at closing counts under the ones it ended in; the
//! tariff follows the change date ([`tariff_periods`]).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::choice::model::{Actor, CareRequest, EventKind, Hulpvraag, Status};
use crate::db::DbConnection;
use crate::db::schema::{hulpvraag_shifts, hulpvragen};
use crate::reference::model::Tariff;
use crate::web::{AppError, FieldError};

use super::{event, now};

/// One recorded change, confirmed or waiting for the provider.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = hulpvraag_shifts)]
pub struct Shift {
    pub id: i64,
    pub on_date: NaiveDate,
    pub from_profile_id: i64,
    pub from_intensity_id: i64,
    pub to_profile_id: i64,
    pub to_intensity_id: i64,
    pub reason: String,
    pub recorded_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
}

/// A checked change as the worker asks it.
#[derive(Debug, Clone)]
pub struct NewShift {
    pub on: NaiveDate,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub reason: String,
}

/// The changes of a hulpvraag, in the order they were recorded.
pub fn load(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<Vec<Shift>> {
    hulpvraag_shifts::table
        .filter(hulpvraag_shifts::hulpvraag_id.eq(hulpvraag_id))
        .order(hulpvraag_shifts::id)
        .select(Shift::as_select())
        .load(conn)
}

fn pending(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<Option<Shift>> {
    hulpvraag_shifts::table
        .filter(hulpvraag_shifts::hulpvraag_id.eq(hulpvraag_id))
        .filter(hulpvraag_shifts::confirmed_at.is_null())
        .select(Shift::as_select())
        .first(conn)
        .optional()
}

/// The provider and start of help that runs, under the hulpvraag's lock; the conditional
/// update refuses help closed since the page was read.
fn started(conn: &mut DbConnection, h: &Hulpvraag) -> Result<(i64, NaiveDate), AppError> {
    super::lock(conn, h.id)?;
    let running = || {
        AppError::Conflict(
            "Een wijziging van profiel of intensiteit legt u vast zolang de hulp loopt.".into(),
        )
    };
    let (Status::Gestart, Some(provider), Some(started_on)) =
        (h.status(), h.provider_id, h.started_on)
    else {
        return Err(running());
    };
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Gestart)),
    )
    .set(hulpvragen::updated_at.eq(now()))
    .execute(conn)?;
    if moved != 1 {
        return Err(running());
    }
    Ok((provider, started_on))
}

/// The day from which a new change may be dated: the start, or the latest change's date.
pub fn earliest_next(h: &Hulpvraag, shifts: &[Shift]) -> Option<NaiveDate> {
    shifts.iter().map(|s| s.on_date).chain(h.started_on).max()
}

/// Refuses to close while a change waits for the provider, or with an end before the last
/// change.
pub fn check_close(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    ended_on: NaiveDate,
) -> Result<(), AppError> {
    super::lock(conn, h.id)?;
    let shifts = load(conn, h.id)?;
    if shifts.iter().any(|s| s.confirmed_at.is_none()) {
        return Err(AppError::Conflict(
            "Er wacht nog een wijziging van profiel of intensiteit op de aanbieder. Wacht op de bevestiging, of trek de wijziging in, en sluit dan af.".into(),
        ));
    }
    if let Some(last) = shifts.iter().map(|s| s.on_date).max()
        && ended_on < last
    {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "einddatum",
            format!(
                "Kies een einddatum op of na {}, de dag van de laatste wijziging.",
                crate::web::text::date_nl(last)
            ),
        )]));
    }
    Ok(())
}

/// Records a change and asks the provider to confirm it.
pub fn record(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    new: &NewShift,
    public_url: &str,
) -> Result<(), AppError> {
    let (provider_id, started_on) = started(conn, h)?;
    if pending(conn, h.id)?.is_some() {
        return Err(AppError::Conflict(
            "Er wacht al een wijziging op de aanbieder. Wacht op de bevestiging, of trek die wijziging eerst in.".into(),
        ));
    }
    let mut errors = Vec::new();
    if new.profile_id == h.profile_id && new.intensity_id == h.intensity_id {
        errors.push(FieldError::new(
            "profiel",
            "Kies een ander profiel of een andere intensiteit dan nu.",
        ));
    }
    let earliest = earliest_next(h, &load(conn, h.id)?).unwrap_or(started_on);
    if new.on < earliest || new.on > crate::clock::today() {
        errors.push(FieldError::new(
            "datum",
            format!(
                "Kies een datum van {} tot en met vandaag: niet voor de start of de vorige wijziging.",
                crate::web::text::date_nl(earliest)
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::InvalidInput(errors));
    }
    diesel::insert_into(hulpvraag_shifts::table)
        .values((
            hulpvraag_shifts::hulpvraag_id.eq(h.id),
            hulpvraag_shifts::on_date.eq(new.on),
            hulpvraag_shifts::from_profile_id.eq(h.profile_id),
            hulpvraag_shifts::from_intensity_id.eq(h.intensity_id),
            hulpvraag_shifts::to_profile_id.eq(new.profile_id),
            hulpvraag_shifts::to_intensity_id.eq(new.intensity_id),
            hulpvraag_shifts::reason.eq(&new.reason),
            hulpvraag_shifts::recorded_at.eq(now()),
        ))
        .execute(conn)?;
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::WijzigingVoorgesteld,
        Some(provider_id),
        &new.reason,
    )?;
    let reference = crate::choice::queries::reference_of(h.id);
    let request = super::goals::accepted_request(conn, h.id, provider_id)?;
    let url = format!("{public_url}/mijn-aanbod/aanvragen/{request}");
    crate::providers::admission::mail_provider(conn, provider_id, |to| {
        crate::choice::mail::shift_recorded(to, &reference, &url)
    })?;
    Ok(())
}

/// The worker takes back a change the provider has not confirmed.
pub fn withdraw(conn: &mut DbConnection, h: &Hulpvraag) -> Result<(), AppError> {
    let (provider_id, _) = started(conn, h)?;
    let removed = diesel::delete(
        hulpvraag_shifts::table
            .filter(hulpvraag_shifts::hulpvraag_id.eq(h.id))
            .filter(hulpvraag_shifts::confirmed_at.is_null()),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(AppError::Conflict(
            "Er wacht geen wijziging op de aanbieder. Bekijk hieronder hoe het er nu voor staat."
                .into(),
        ));
    }
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::WijzigingIngetrokken,
        Some(provider_id),
        "",
    )?;
    let reference = crate::choice::queries::reference_of(h.id);
    crate::providers::admission::mail_provider(conn, provider_id, |to| {
        crate::choice::mail::step_taken_back(
            to,
            &reference,
            "de wijziging van profiel of intensiteit ingetrokken",
        )
    })?;
    Ok(())
}

/// The provider confirms change `shift`: the hulpvraag takes its profile and intensity.
pub fn confirm(
    conn: &mut DbConnection,
    request: &CareRequest,
    h: &Hulpvraag,
    shift: i64,
    public_url: &str,
) -> Result<(), AppError> {
    let (provider_id, _) = started(conn, h)?;
    if provider_id != request.provider_id {
        return Err(AppError::NotFound);
    }
    let Some(waiting) = pending(conn, h.id)?.filter(|s| s.id == shift) else {
        return Err(AppError::Conflict(
            "Deze wijziging wacht niet meer op u: u heeft haar al bevestigd, of de toegangsmedewerker heeft haar ingetrokken.".into(),
        ));
    };
    let at = now();
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Gestart))
            .filter(hulpvragen::profile_id.eq(waiting.from_profile_id))
            .filter(hulpvragen::intensity_id.eq(waiting.from_intensity_id)),
    )
    .set((
        hulpvragen::profile_id.eq(waiting.to_profile_id),
        hulpvragen::intensity_id.eq(waiting.to_intensity_id),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict(
            "De hulpvraag is intussen veranderd. Bekijk de aanvraag opnieuw.".into(),
        ));
    }
    diesel::update(hulpvraag_shifts::table.find(waiting.id))
        .set(hulpvraag_shifts::confirmed_at.eq(Some(at)))
        .execute(conn)?;
    event(
        conn,
        h.id,
        Actor::Aanbieder,
        EventKind::WijzigingBevestigd,
        Some(provider_id),
        &waiting.on_date.to_string(),
    )?;
    super::tell_worker(
        conn,
        h,
        provider_id,
        public_url,
        crate::choice::mail::shift_confirmed,
    )?;
    Ok(())
}

/// One stretch of care under one profile and intensity, and the tariff in force on its
/// first day (none where the region has no tariff for that cell).
#[derive(Debug, Clone, PartialEq)]
pub struct TariffPeriod {
    pub from: NaiveDate,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub amount_cents: Option<i64>,
    /// The earlier trajectory picked up again under the 12-month guarantee: no new tariff.
    pub guarantee: bool,
}

/// The stretches of care from the start: the first under the profile and intensity care
/// started with (without a new tariff where the guarantee picked an earlier trajectory up
/// again), then one from each confirmed change's date.
pub fn tariff_periods(
    h: &Hulpvraag,
    shifts: &[Shift],
    tariffs: &[Tariff],
    under_guarantee: bool,
) -> Vec<TariffPeriod> {
    let Some(started_on) = h.started_on else {
        return Vec::new();
    };
    let confirmed: Vec<&Shift> = shifts.iter().filter(|s| s.confirmed_at.is_some()).collect();
    let (profile_id, intensity_id) = confirmed
        .first()
        .map_or((h.profile_id, h.intensity_id), |s| {
            (s.from_profile_id, s.from_intensity_id)
        });
    let period = |from: NaiveDate, profile_id: i64, intensity_id: i64| TariffPeriod {
        from,
        profile_id,
        intensity_id,
        amount_cents: crate::reference::tariffs::in_force(tariffs, profile_id, intensity_id, from)
            .map(|t| t.amount_cents),
        guarantee: false,
    };
    let first = period(started_on, profile_id, intensity_id);
    let first = if under_guarantee {
        TariffPeriod {
            amount_cents: None,
            guarantee: true,
            ..first
        }
    } else {
        first
    };
    std::iter::once(first)
        .chain(
            confirmed
                .iter()
                .map(|s| period(s.on_date, s.to_profile_id, s.to_intensity_id)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    #[test]
    fn the_tariff_follows_the_change_date() {
        let tariff = |id, profile_id, intensity_id, amount_cents, valid_from| Tariff {
            id,
            profile_id,
            intensity_id,
            amount_cents,
            valid_from,
            valid_until: None,
            fictional: false,
        };
        let tariffs = [
            tariff(1, 3, 2, 500_000, day(1, 1)),
            tariff(2, 5, 3, 300_000, day(1, 1)),
            tariff(3, 5, 3, 320_000, day(6, 1)),
        ];
        let at = day(5, 1).and_hms_opt(9, 0, 0).expect("time");
        let shift = |id, on_date, confirmed: bool| Shift {
            id,
            on_date,
            from_profile_id: 3,
            from_intensity_id: 2,
            to_profile_id: 5,
            to_intensity_id: 3,
            reason: "minder hulp".into(),
            recorded_at: at,
            confirmed_at: confirmed.then_some(at),
        };
        let h = Hulpvraag {
            started_on: Some(day(2, 1)),
            profile_id: 5,
            intensity_id: 3,
            ..crate::choice::model::tests::hulpvraag()
        };
        let periods = tariff_periods(&h, &[shift(1, day(6, 15), true)], &tariffs, false);
        assert_eq!(
            periods,
            [
                TariffPeriod {
                    from: day(2, 1),
                    profile_id: 3,
                    intensity_id: 2,
                    amount_cents: Some(500_000),
                    guarantee: false,
                },
                TariffPeriod {
                    from: day(6, 15),
                    profile_id: 5,
                    intensity_id: 3,
                    amount_cents: Some(320_000),
                    guarantee: false,
                },
            ]
        );
        // A change the provider has not confirmed changes nothing yet.
        let h = Hulpvraag {
            profile_id: 3,
            intensity_id: 2,
            ..h
        };
        assert_eq!(
            tariff_periods(&h, &[shift(1, day(6, 15), false)], &tariffs, false).len(),
            1
        );
        // Under the guarantee the first stretch has no new tariff; a change after it has.
        let again = tariff_periods(&h, &[shift(1, day(6, 15), true)], &tariffs, true);
        assert_eq!((again[0].amount_cents, again[0].guarantee), (None, true));
        assert_eq!(again[1].amount_cents, Some(320_000));
    }
}

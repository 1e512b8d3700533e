//! Tariffs per year: per region × profile × intensity an amount with a valid-from date.
//! Next year's tariffs are entered in advance; a tariff in force is never changed (history
//! is kept): a new one starts from a later date, and the one before it ends the day before.

pub mod file;
mod pages;
pub mod routes;

use chrono::{Datelike, NaiveDate, TimeDelta};
use diesel::prelude::*;

use super::model::{ReferenceData, Tariff};
use crate::db::DbConnection;
use crate::db::schema::{profiles, tariffs};

/// The first of January after `today`: when next year's tariffs start.
pub fn next_new_year(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).unwrap_or(today)
}

/// Every tariff of a region's profiles, oldest first per cell.
pub fn of_region(conn: &mut DbConnection, region_id: i64) -> QueryResult<Vec<Tariff>> {
    tariffs::table
        .inner_join(profiles::table)
        .filter(profiles::region_id.eq(region_id))
        .order((
            tariffs::profile_id,
            tariffs::intensity_id,
            tariffs::valid_from,
        ))
        .select(Tariff::as_select())
        .load(conn)
}

/// The tariff of a cell in force on a day.
pub fn in_force<'a>(
    tariffs: impl IntoIterator<Item = &'a Tariff>,
    profile: i64,
    intensity: i64,
    on: NaiveDate,
) -> Option<&'a Tariff> {
    tariffs
        .into_iter()
        .filter(|t| t.profile_id == profile && t.intensity_id == intensity)
        .filter(|t| t.valid_from <= on && t.valid_until.is_none_or(|u| u >= on))
        .max_by_key(|t| t.valid_from)
}

/// One amount to set: the cell and its new amount in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewAmount {
    pub profile_id: i64,
    pub intensity_id: i64,
    pub cents: i64,
}

/// Why a set of tariffs is refused, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The date is today or earlier and the cell already has a tariff: history stays.
    InForce,
    /// A cell that is not the region's.
    Unknown,
}

impl Refusal {
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::InForce => {
                "Een tarief dat al geldt, verandert niet. Kies een datum na vandaag, bijvoorbeeld 1 januari van volgend jaar."
            }
            Refusal::Unknown => "Dit profiel of deze intensiteit hoort niet bij de regio.",
        }
    }
}

/// Sets the amounts from `valid_from` for a region, in one transaction with the audit log:
/// a new tariff per cell (or a changed amount of one that has not started yet); the one
/// before ends the day before. Returns how many cells changed.
pub fn set(
    conn: &mut DbConnection,
    by: Option<i64>,
    reference: &ReferenceData,
    region_id: i64,
    valid_from: NaiveDate,
    amounts: &[NewAmount],
) -> Result<Result<usize, Refusal>, diesel::result::Error> {
    let belongs = |a: &NewAmount| {
        reference
            .profile(a.profile_id)
            .is_some_and(|p| p.region_id == region_id)
            && reference
                .intensity(a.intensity_id)
                .is_some_and(|i| i.region_id == region_id)
    };
    if !amounts.iter().all(belongs) {
        return Ok(Err(Refusal::Unknown));
    }
    let today = crate::clock::today();
    conn.write_transaction(|conn| {
        let existing = of_region(conn, region_id)?;
        let cell = |a: &NewAmount| -> Vec<&Tariff> {
            existing
                .iter()
                .filter(|t| t.profile_id == a.profile_id && t.intensity_id == a.intensity_id)
                .collect()
        };
        // An amount that is what already holds on that date changes nothing (the form
        // shows those amounts, and a file of them is read back as it was written).
        let amounts: Vec<&NewAmount> = amounts
            .iter()
            .filter(|a| {
                in_force(cell(a), a.profile_id, a.intensity_id, valid_from)
                    .is_none_or(|t| t.amount_cents != a.cents || t.fictional)
            })
            .collect();
        // Checked before anything is written: a refusal leaves every tariff as it was.
        if valid_from <= today && amounts.iter().any(|a| !cell(a).is_empty()) {
            return Ok(Err(Refusal::InForce));
        }
        let mut changed = 0;
        for a in amounts {
            let same_day = cell(a).into_iter().find(|t| t.valid_from == valid_from);
            let old = same_day.map(|t| crate::web::text::euro(t.amount_cents));
            match same_day {
                Some(t) => {
                    diesel::update(tariffs::table.find(t.id))
                        .set((
                            tariffs::amount_cents.eq(a.cents),
                            tariffs::fictional.eq(false),
                        ))
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(tariffs::table)
                        .values((
                            tariffs::profile_id.eq(a.profile_id),
                            tariffs::intensity_id.eq(a.intensity_id),
                            tariffs::amount_cents.eq(a.cents),
                            tariffs::valid_from.eq(valid_from),
                        ))
                        .execute(conn)?;
                }
            }
            chain(conn, a.profile_id, a.intensity_id, valid_from)?;
            let what = format!(
                "profiel {} {} vanaf {valid_from}",
                reference.profile(a.profile_id).map_or(0, |p| p.number),
                reference
                    .intensity(a.intensity_id)
                    .map_or("", |i| i.code.as_str()),
            );
            crate::audit::record(
                conn,
                &crate::audit::Change {
                    user_id: by,
                    action: "tarief vastgesteld",
                    entity: "region",
                    entity_id: Some(region_id),
                    field: &what,
                    old_value: old.as_deref(),
                    new_value: Some(&crate::web::text::euro(a.cents)),
                },
            )?;
            changed += 1;
        }
        if changed > 0 {
            // /profielen and the API show tariffs: their kept pages are made anew.
            crate::read_model::scores_changed(conn)?;
        }
        Ok(Ok(changed))
    })
}

/// A new tariff from `from` ends the one before it the day before (if that one ran
/// longer), and itself ends the day before the next one starts. Other ends stay as they
/// were set: a tariff that was ended on purpose is not extended.
fn chain(
    conn: &mut DbConnection,
    profile: i64,
    intensity: i64,
    from: NaiveDate,
) -> QueryResult<()> {
    let rows: Vec<(i64, NaiveDate, Option<NaiveDate>)> = tariffs::table
        .filter(tariffs::profile_id.eq(profile))
        .filter(tariffs::intensity_id.eq(intensity))
        .order(tariffs::valid_from)
        .select((tariffs::id, tariffs::valid_from, tariffs::valid_until))
        .load(conn)?;
    let day_before = from - TimeDelta::days(1);
    if let Some((id, _, until)) = rows.iter().rfind(|r| r.1 < from)
        && until.is_none_or(|u| u > day_before)
    {
        diesel::update(tariffs::table.find(*id))
            .set(tariffs::valid_until.eq(Some(day_before)))
            .execute(conn)?;
    }
    if let (Some((id, _, _)), Some(next)) = (
        rows.iter().find(|r| r.1 == from),
        rows.iter().find(|r| r.1 > from),
    ) {
        diesel::update(tariffs::table.find(*id))
            .set(tariffs::valid_until.eq(Some(next.1 - TimeDelta::days(1))))
            .execute(conn)?;
    }
    Ok(())
}

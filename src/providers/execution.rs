//! The uitvoeringsovereenkomst: beside the procesovereenkomst (admission to the catalogue),
//! the inkoopkader has a one-year agreement to deliver, per provider, region and calendar
//! year, granted by the region's contract manager. Admission gives the agreement for the
//! year of the admission; every next year is granted anew. A provider without one for the
//! current year stays listed, but is not put on a shortlist, chosen, or able to accept.
//! In November the providers without next year's agreement are reminded, once.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::model::AdmissionStatus;
use crate::db::DbConnection;
use crate::db::schema::{
    admissions, execution_agreements, execution_reminders, providers, regions,
};
use crate::mail::templates;
use crate::web::AppError;

/// From this month to the end of the year the reminders for next year go out.
pub const REMINDER_MONTH: u32 = 11;

/// The admission states in which a provider has (and may be given) the agreement: a
/// suspension does not end it.
const HOLDS: [AdmissionStatus; 2] = [AdmissionStatus::Toegelaten, AdmissionStatus::Opgeschort];

/// The sentence every refusal for want of an agreement says.
pub fn missing(year: i32) -> String {
    format!(
        "Deze aanbieder heeft nog geen uitvoeringsovereenkomst voor {year}. De aanbieder staat wel in de catalogus, maar kan pas hulp geven als de regio de overeenkomst voor {year} heeft gegeven. Kies een andere aanbieder."
    )
}

/// The same, told to the provider that wants to accept.
pub fn missing_for_provider(year: i32) -> String {
    format!(
        "U heeft in deze regio nog geen uitvoeringsovereenkomst voor {year}. U kunt deze aanvraag pas accepteren als de contractmanager van de regio die overeenkomst heeft gegeven. Neem contact op met de contractmanager."
    )
}

/// Whether the provider has the agreement for this region and year.
pub fn granted(
    conn: &mut DbConnection,
    provider_id: i64,
    region_id: i64,
    year: i32,
) -> QueryResult<bool> {
    let found: i64 = execution_agreements::table
        .filter(execution_agreements::provider_id.eq(provider_id))
        .filter(execution_agreements::region_id.eq(region_id))
        .filter(execution_agreements::year.eq(year))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The agreement for the year of `today`, or a conflict that says it is missing.
pub fn require(
    conn: &mut DbConnection,
    provider_id: i64,
    region_id: i64,
    today: NaiveDate,
) -> Result<(), AppError> {
    if granted(conn, provider_id, region_id, today.year())? {
        Ok(())
    } else {
        Err(AppError::Conflict(missing(today.year())))
    }
}

/// The years this provider has the agreement for in this region, oldest first.
pub fn years(conn: &mut DbConnection, provider_id: i64, region_id: i64) -> QueryResult<Vec<i32>> {
    execution_agreements::table
        .filter(execution_agreements::provider_id.eq(provider_id))
        .filter(execution_agreements::region_id.eq(region_id))
        .order(execution_agreements::year)
        .select(execution_agreements::year)
        .load(conn)
}

/// Grants the agreement (once: a second grant changes nothing, also when two arrive at the
/// same moment). Returns whether it is new.
pub fn grant(
    conn: &mut DbConnection,
    provider_id: i64,
    region_id: i64,
    year: i32,
    by: Option<i64>,
) -> QueryResult<bool> {
    if granted(conn, provider_id, region_id, year)? {
        return Ok(false);
    }
    // In a savepoint: a concurrent grant's key violation undoes only this insert.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(execution_agreements::table)
            .values((
                execution_agreements::provider_id.eq(provider_id),
                execution_agreements::region_id.eq(region_id),
                execution_agreements::year.eq(year),
                execution_agreements::granted_by.eq(by),
                execution_agreements::granted_at.eq(crate::clock::now()),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The contract manager (or beheerder) of the admission's region grants the agreement for
/// `year` to an admitted provider: one transaction with the admission's event, the audit
/// line and a mail to the provider.
pub fn grant_for_admission(
    conn: &mut DbConnection,
    admission_id: i64,
    by: &crate::web::auth::SessionUser,
    year: i32,
    public_url: &str,
) -> Result<bool, AppError> {
    let today = crate::clock::today();
    conn.write_transaction(|conn| {
        let (provider_id, region_id, status): (i64, i64, AdmissionStatus) = admissions::table
            .find(admission_id)
            .select((
                admissions::provider_id,
                admissions::region_id,
                admissions::status,
            ))
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound)?;
        if !by.may_decide_for_region(region_id) {
            return Err(AppError::Forbidden(
                "Deze aanmelding hoort bij een andere regio.".into(),
            ));
        }
        if !HOLDS.contains(&status) {
            return Err(AppError::Conflict(
                "Alleen een toegelaten (of opgeschorte) aanbieder krijgt een uitvoeringsovereenkomst."
                    .into(),
            ));
        }
        if !grantable(today).contains(&year) {
            return Err(AppError::InvalidInput(vec![crate::web::FieldError::form(
                "Een uitvoeringsovereenkomst geeft u voor dit jaar of het volgende jaar.",
            )]));
        }
        if !grant(conn, provider_id, region_id, year, Some(by.id))? {
            return Ok(false);
        }
        let text = format!("Uitvoeringsovereenkomst {year} gegeven");
        super::admission::record_event(
            conn,
            provider_id,
            region_id,
            status,
            &text,
            today,
            Some(by.id),
        )?;
        crate::audit::action(conn, Some(by.id), &text, "admission", Some(admission_id))?;
        let (provider, region): (String, String) = providers::table
            .find(provider_id)
            .inner_join(admissions::table)
            .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
            .filter(admissions::id.eq(admission_id))
            .select((providers::name, regions::name))
            .first(conn)?;
        super::admission::mail_provider(conn, provider_id, |email| {
            templates::execution_granted(
                email,
                &provider,
                &region,
                year,
                &format!("{public_url}/mijn-aanbod"),
            )
        })?;
        Ok(true)
    })
}

/// The years an admission on `day` gives: its own, and from November (when the reminders
/// for next year go out) next year's as well, so a provider admitted late in the year is
/// not dropped on 1 January.
pub fn with_admission(day: NaiveDate) -> Vec<i32> {
    if day.month() >= REMINDER_MONTH {
        vec![day.year(), day.year() + 1]
    } else {
        vec![day.year()]
    }
}

/// The years a contract manager may grant on `today`: this year and the next.
pub fn grantable(today: NaiveDate) -> [i32; 2] {
    [today.year(), today.year() + 1]
}

/// In November: mails each admitted provider without next year's agreement in a region,
/// once per region and year. Returns the number of mails queued.
pub fn queue_reminders(
    conn: &mut DbConnection,
    today: NaiveDate,
    public_url: &str,
) -> QueryResult<usize> {
    // November and December: a provider admitted in December is reminded too.
    if today.month() < REMINDER_MONTH {
        return Ok(0);
    }
    let next = today.year() + 1;
    let due: Vec<(i64, i64, String, String)> = admissions::table
        .inner_join(providers::table)
        .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
        .filter(
            admissions::status
                .eq(HOLDS[0])
                .or(admissions::status.eq(HOLDS[1])),
        )
        .filter(diesel::dsl::not(diesel::dsl::exists(
            execution_agreements::table
                .filter(execution_agreements::provider_id.eq(admissions::provider_id))
                .filter(execution_agreements::region_id.eq(admissions::region_id))
                .filter(execution_agreements::year.eq(next)),
        )))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            execution_reminders::table
                .filter(execution_reminders::provider_id.eq(admissions::provider_id))
                .filter(execution_reminders::region_id.eq(admissions::region_id))
                .filter(execution_reminders::year.eq(next)),
        )))
        .select((
            admissions::provider_id,
            admissions::region_id,
            providers::name,
            regions::name,
        ))
        .load(conn)?;
    let mut queued = 0;
    for (provider_id, region_id, provider, region) in due {
        conn.write_transaction(|conn| {
            // The row is the claim: a second run (or node) finds it and reminds no one;
            // two at the very same moment collide on the key and one fails.
            let done: i64 = execution_reminders::table
                .filter(execution_reminders::provider_id.eq(provider_id))
                .filter(execution_reminders::region_id.eq(region_id))
                .filter(execution_reminders::year.eq(next))
                .count()
                .get_result(conn)?;
            let claimed = if done == 0 {
                diesel::insert_into(execution_reminders::table)
                    .values((
                        execution_reminders::provider_id.eq(provider_id),
                        execution_reminders::region_id.eq(region_id),
                        execution_reminders::year.eq(next),
                        execution_reminders::sent_on.eq(today),
                    ))
                    .execute(conn)?
            } else {
                0
            };
            if claimed == 1 {
                queued += super::admission::mail_provider(conn, provider_id, |email| {
                    templates::execution_reminder(
                        email,
                        &provider,
                        &region,
                        next,
                        &format!("{public_url}/mijn-aanbod"),
                    )
                })?;
            }
            QueryResult::Ok(())
        })?;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admission_from_november_gives_next_year_too() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(with_admission(day(2027, 10, 31)), vec![2027]);
        assert_eq!(with_admission(day(2027, 11, 1)), vec![2027, 2028]);
        assert_eq!(with_admission(day(2027, 12, 31)), vec![2027, 2028]);
        assert_eq!(grantable(day(2027, 1, 1)), [2027, 2028]);
    }
}

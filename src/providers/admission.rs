//! The admission workflow per provider and region: aangemeld → in behandeling → toegelaten,
//! or afgewezen; later opgeschort or beëindigd. Every step is an event that is never
//! overwritten; `admissions` holds the current state for the catalogue.

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::model::{Admission, AdmissionStatus};
use crate::db::DbConnection;
use crate::db::schema::{admission_events, admissions, providers, regions, users};
use crate::mail::{self, templates};
use crate::web::auth::SessionUser;
use crate::web::{AppError, FieldError};

/// The agreement runs three years from admission.
pub const AGREEMENT_MONTHS: u32 = 36;
/// The reminder goes out this many days before the end.
pub const REMINDER_DAYS: i64 = 60;

#[derive(Debug, Clone, Queryable)]
pub struct Event {
    pub status: String,
    pub reason: String,
    pub effective_on: NaiveDate,
    pub by: Option<String>,
    pub at: NaiveDateTime,
}

/// Records a step in the history.
pub fn record_event(
    conn: &mut DbConnection,
    provider_id: i64,
    region_id: i64,
    status: AdmissionStatus,
    reason: &str,
    effective_on: NaiveDate,
    user_id: Option<i64>,
) -> QueryResult<()> {
    diesel::insert_into(admission_events::table)
        .values((
            admission_events::provider_id.eq(provider_id),
            admission_events::region_id.eq(region_id),
            admission_events::status.eq(status),
            admission_events::reason.eq(reason),
            admission_events::effective_on.eq(effective_on),
            admission_events::user_id.eq(user_id),
            admission_events::created_at.eq(crate::clock::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn history(
    conn: &mut DbConnection,
    provider_id: i64,
    region_id: i64,
) -> QueryResult<Vec<Event>> {
    admission_events::table
        .left_join(users::table.on(users::id.nullable().eq(admission_events::user_id)))
        .filter(admission_events::provider_id.eq(provider_id))
        .filter(admission_events::region_id.eq(region_id))
        .order((admission_events::created_at, admission_events::id))
        .select((
            admission_events::status,
            admission_events::reason,
            admission_events::effective_on,
            users::name.nullable(),
            admission_events::created_at,
        ))
        .load(conn)
}

pub struct Decision {
    pub to: AdmissionStatus,
    pub reason: String,
    pub effective_on: NaiveDate,
}

/// A contract manager's decision: checked against the region, the allowed steps and the
/// reason; stored with its event, the catalogue refreshed and the provider mailed, in the
/// caller's transaction.
pub fn decide(
    conn: &mut DbConnection,
    admission_id: i64,
    by: &SessionUser,
    decision: &Decision,
    public_url: &str,
) -> Result<(), AppError> {
    let admission: Admission = admissions::table
        .find(admission_id)
        .select(Admission::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !by.may_decide_for_region(admission.region_id) {
        return Err(AppError::Forbidden(
            "U kunt alleen besluiten over aanmeldingen in uw eigen regio.".into(),
        ));
    }
    let current = admission.status();
    if !current.next_steps().contains(&decision.to) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "besluit",
            format!(
                "Deze aanmelding is {}. De stap naar '{}' kan niet (meer). Vernieuw de pagina.",
                current.label(),
                decision.to.label()
            ),
        )]));
    }
    let reason = decision.reason.trim();
    if decision.to.needs_reason() && reason.is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Schrijf op waarom. De aanbieder krijgt deze reden te lezen.",
        )]));
    }
    // The reason is kept in the history and mailed to the provider: never a BSN there.
    if crate::web::input::contains_bsn(reason) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            crate::web::input::BSN_MESSAGE,
        )]));
    }
    // A new admission needs the provider's signature under the region's procesovereenkomst
    // (lifting a suspension keeps the term it was signed for).
    if decision.to == AdmissionStatus::Toegelaten
        && current != AdmissionStatus::Opgeschort
        && !has_signed(conn, admission.provider_id, admission.region_id)?
    {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "besluit",
            "Deze aanbieder heeft de procesovereenkomst van deze regio niet ondertekend. Toelaten kan pas na ondertekening.",
        )]));
    }
    apply(conn, &admission, current, decision, Some(by.id), public_url)
}

/// Whether the provider signed a version of the region's procesovereenkomst.
pub fn has_signed(conn: &mut DbConnection, provider_id: i64, region_id: i64) -> QueryResult<bool> {
    use crate::db::schema::{agreement_signatures, process_agreements};
    let signed: i64 = agreement_signatures::table
        .inner_join(process_agreements::table)
        .filter(agreement_signatures::provider_id.eq(provider_id))
        .filter(process_agreements::region_id.eq(region_id))
        .count()
        .get_result(conn)?;
    Ok(signed > 0)
}

/// Carries out a checked change of an admission: the status with its event, the catalogue,
/// the audit row and the mail to the provider (in the caller's transaction). `by` is the
/// deciding user, or `None` for the portal itself (an agreement that ran out).
fn apply(
    conn: &mut DbConnection,
    admission: &Admission,
    current: AdmissionStatus,
    decision: &Decision,
    by: Option<i64>,
    public_url: &str,
) -> Result<(), AppError> {
    let admission_id = admission.id;
    let reason = decision.reason.trim();
    let (admitted_on, ends_on) = match (decision.to, current) {
        // Lifting a suspension keeps the original term.
        (AdmissionStatus::Toegelaten, AdmissionStatus::Opgeschort) => {
            (admission.admitted_on, admission.ends_on)
        }
        (AdmissionStatus::Toegelaten, _) => (
            Some(decision.effective_on),
            decision
                .effective_on
                .checked_add_months(Months::new(AGREEMENT_MONTHS)),
        ),
        _ => (admission.admitted_on, admission.ends_on),
    };
    // Only the first, open-ended change of state counts: a stale form cannot overwrite a
    // decision taken meanwhile by someone else.
    let changed = diesel::update(
        admissions::table
            .find(admission_id)
            .filter(admissions::status.eq(current)),
    )
    .set((
        admissions::status.eq(decision.to),
        admissions::admitted_on.eq(admitted_on),
        admissions::ends_on.eq(ends_on),
        admissions::updated_at.eq(crate::clock::now()),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "besluit",
            "Iemand anders heeft net over deze aanmelding besloten. Vernieuw de pagina.",
        )]));
    }
    if decision.to == AdmissionStatus::Toegelaten && current != AdmissionStatus::Opgeschort {
        diesel::update(admissions::table.find(admission_id))
            .set(admissions::reminder_sent_on.eq(None::<NaiveDate>))
            .execute(conn)?;
        // The admission gives the uitvoeringsovereenkomst for its own year (and from
        // November the next).
        for year in super::execution::with_admission(decision.effective_on) {
            super::execution::grant(conn, admission.provider_id, admission.region_id, year, by)?;
        }
    }
    record_event(
        conn,
        admission.provider_id,
        admission.region_id,
        decision.to,
        reason,
        decision.effective_on,
        by,
    )?;
    crate::read_model::providers_changed(conn, &[admission.provider_id])?;
    crate::audit::record(
        conn,
        &crate::audit::Change {
            user_id: by,
            action: "besluit toelating",
            entity: "admission",
            entity_id: Some(admission_id),
            field: "status",
            old_value: Some(current.as_str()),
            new_value: Some(decision.to.as_str()),
        },
    )?;
    let (provider, region): (String, String) = providers::table
        .inner_join(admissions::table)
        .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
        .filter(admissions::id.eq(admission_id))
        .select((providers::name, regions::name))
        .first(conn)?;
    let mut label = decision.to.label().to_owned();
    if let Some(ends_on) = ends_on.filter(|_| decision.to == AdmissionStatus::Toegelaten) {
        label.push_str(&format!(
            " (de procesovereenkomst loopt tot en met {})",
            crate::web::text::date_nl(ends_on)
        ));
    }
    for email in provider_addresses(conn, admission.provider_id)? {
        mail::queue(
            conn,
            &templates::admission_decision(
                &email,
                &provider,
                &region,
                &label,
                reason,
                &format!("{public_url}/mijn-aanbod"),
            ),
        )?;
    }
    Ok(())
}

/// Ends every admission whose procesovereenkomst ran out before `today` (its three-year
/// term): status beëindigd, with the event, the catalogue refresh and the mail, each in one
/// transaction. Returns how many were ended.
pub fn end_expired(
    conn: &mut DbConnection,
    today: NaiveDate,
    public_url: &str,
) -> Result<usize, AppError> {
    let expired: Vec<Admission> = admissions::table
        .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
        .filter(admissions::ends_on.lt(today))
        .select(Admission::as_select())
        .load(conn)?;
    let mut ended = 0;
    for admission in expired {
        let decision = Decision {
            to: AdmissionStatus::Beeindigd,
            reason: "De procesovereenkomst is afgelopen. Meld u opnieuw aan om weer in de catalogus te staan.".into(),
            effective_on: admission.ends_on.unwrap_or(today),
        };
        conn.write_transaction(|conn| {
            apply(
                conn,
                &admission,
                AdmissionStatus::Toegelaten,
                &decision,
                None,
                public_url,
            )
        })?;
        ended += 1;
    }
    Ok(ended)
}

/// The addresses of a provider's active users, or the organisation's when it has none.
pub fn provider_addresses(conn: &mut DbConnection, provider_id: i64) -> QueryResult<Vec<String>> {
    let people: Vec<String> = users::table
        .filter(users::provider_id.eq(provider_id))
        .filter(users::active.eq(true))
        .select(users::email)
        .load(conn)?;
    if !people.is_empty() {
        return Ok(people);
    }
    // No one with an account (yet, or any more): the organisation's own address, which
    // registration requires, so a decision the page says is mailed is mailed.
    providers::table
        .find(provider_id)
        .select(providers::email)
        .load::<String>(conn)
        .map(|found| found.into_iter().filter(|e| !e.trim().is_empty()).collect())
}

/// Queues the reminder for every agreement that ends within 60 days and has had none.
/// Returns how many were queued. Safe to run on several nodes: the conditional update
/// lets one of them win.
pub fn queue_reminders(
    conn: &mut DbConnection,
    today: NaiveDate,
    public_url: &str,
) -> QueryResult<usize> {
    let horizon = today + TimeDelta::days(REMINDER_DAYS);
    let due: Vec<(i64, i64, NaiveDate, String, String)> = admissions::table
        .inner_join(providers::table)
        .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
        .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
        .filter(admissions::reminder_sent_on.is_null())
        .filter(admissions::ends_on.le(horizon))
        .select((
            admissions::id,
            admissions::provider_id,
            admissions::ends_on.assume_not_null(),
            providers::name,
            regions::name,
        ))
        .load(conn)?;
    let mut queued = 0;
    for (id, provider_id, ends_on, provider, region) in due {
        conn.write_transaction(|conn| {
            let claimed = diesel::update(
                admissions::table
                    .find(id)
                    .filter(admissions::reminder_sent_on.is_null()),
            )
            .set(admissions::reminder_sent_on.eq(Some(today)))
            .execute(conn)?;
            if claimed == 1 {
                queued += mail_provider(conn, provider_id, |email| {
                    templates::agreement_reminder(
                        email,
                        &provider,
                        &region,
                        &crate::web::text::date_nl(ends_on),
                        &format!("{public_url}/mijn-aanbod"),
                    )
                })?;
            }
            QueryResult::Ok(())
        })?;
    }
    Ok(queued)
}

/// Queues one mail to each address of the provider ([`provider_addresses`]); returns how
/// many.
pub fn mail_provider(
    conn: &mut DbConnection,
    provider_id: i64,
    mail_to: impl Fn(&str) -> mail::OutgoingMail,
) -> QueryResult<usize> {
    let addresses = provider_addresses(conn, provider_id)?;
    for email in &addresses {
        mail::queue(conn, &mail_to(email))?;
    }
    Ok(addresses.len())
}

/// How many registrations wait for a decision, in one region (or in all).
pub fn count_undecided(conn: &mut DbConnection, region_id: Option<i64>) -> QueryResult<i64> {
    let mut query = admissions::table
        .filter(
            admissions::status.eq_any([AdmissionStatus::Aangemeld, AdmissionStatus::InBehandeling]),
        )
        .into_boxed();
    if let Some(region) = region_id {
        query = query.filter(admissions::region_id.eq(region));
    }
    query.count().get_result(conn)
}

//! Listings that stay true (issue 39): a provider confirms its listing every 6 months (one
//! click when nothing changed) and its waiting times every month. The public sees when each
//! was last checked; a listing not confirmed for 7 months says so on its card and page, and
//! keeps its place in the order (the order is never a reward). Reminders go out by mail
//! before each date, once per period.

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::dsl::min;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{offers, providers};
use crate::domain::provider::ProviderStatus;
use crate::mail::templates::compose;
use crate::web::AppError;

/// A listing is confirmed every this many months.
pub const LISTING_MONTHS: u32 = 6;
/// Not confirmed for this many months: the public is told.
pub const STALE_MONTHS: u32 = 7;
/// Waiting times are confirmed every this many months.
pub const WAITING_MONTHS: u32 = 1;
/// The listing's reminder goes out this many days before its date.
pub const LISTING_REMINDER_DAYS: i64 = 14;
/// The waiting times' reminder goes out this many days before their date.
pub const WAITING_REMINDER_DAYS: i64 = 7;

fn plus_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}

/// The day a listing checked on `checked` should be confirmed again.
pub fn listing_due(checked: NaiveDate) -> NaiveDate {
    plus_months(checked, LISTING_MONTHS)
}

/// Whether a listing last checked on `checked` is, on `today`, too long unconfirmed.
pub fn is_stale(checked: NaiveDate, today: NaiveDate) -> bool {
    today >= plus_months(checked, STALE_MONTHS)
}

/// The day waiting times checked on `checked` should be confirmed again.
pub fn waiting_due(checked: NaiveDate) -> NaiveDate {
    plus_months(checked, WAITING_MONTHS)
}

/// The provider confirms its listing as it is: one click when nothing changed.
pub fn confirm_listing(
    conn: &mut DbConnection,
    provider_id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let now = crate::clock::now();
    let before: NaiveDateTime = providers::table
        .find(provider_id)
        .select(providers::listing_checked_at)
        .first(conn)?;
    diesel::update(providers::table.find(provider_id))
        .set(providers::listing_checked_at.eq(now))
        .execute(conn)?;
    crate::audit::fields(
        conn,
        Some(user_id),
        "provider",
        provider_id,
        &[("gecontroleerd", before.to_string(), now.to_string())],
    )?;
    // The date is on the public card and page.
    crate::read_model::providers_changed(conn, &[provider_id])?;
    Ok(())
}

/// Mails each provider in the catalogue whose listing or waiting times are due within the
/// reminder's days, once per period (a reminder sent after the last check is not sent
/// again). Returns how many mails were queued.
pub fn queue_reminders(
    conn: &mut DbConnection,
    today: NaiveDate,
    public_url: &str,
) -> QueryResult<usize> {
    let now = crate::clock::now();
    let active = providers::table
        .filter(providers::in_catalogue.eq(true))
        .filter(providers::status.eq(ProviderStatus::Actief));
    let listings: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>)> = active
        .select((
            providers::id,
            providers::name,
            providers::listing_checked_at,
            providers::listing_reminded_at,
        ))
        .load(conn)?;
    let mut queued = 0;
    for (id, name, checked, reminded) in listings {
        let due = listing_due(crate::clock::date_of(checked));
        if due - TimeDelta::days(LISTING_REMINDER_DAYS) > today
            || reminded.is_some_and(|r| r >= checked)
        {
            continue;
        }
        queued += conn.write_transaction(|conn| {
            let claimed = diesel::update(providers::table.find(id).filter(
                providers::listing_reminded_at.is_null().or(
                    providers::listing_reminded_at.lt(providers::listing_checked_at.nullable()),
                ),
            ))
            .set(providers::listing_reminded_at.eq(Some(now)))
            .execute(conn)?;
            if claimed != 1 {
                return QueryResult::Ok(0);
            }
            super::admission::mail_provider(conn, id, |email| {
                listing_reminder(email, &name, due, &format!("{public_url}/mijn-aanbod"))
            })
        })?;
    }
    let waits: Vec<(i64, Option<NaiveDateTime>)> = offers::table
        .inner_join(providers::table)
        .filter(providers::in_catalogue.eq(true))
        .filter(providers::status.eq(ProviderStatus::Actief))
        .group_by(offers::provider_id)
        .select((offers::provider_id, min(offers::waiting_checked_at)))
        .load(conn)?;
    for (id, oldest) in waits {
        let Some(oldest) = oldest else { continue };
        let due = waiting_due(crate::clock::date_of(oldest));
        let window = due - TimeDelta::days(WAITING_REMINDER_DAYS);
        if window > today {
            continue;
        }
        // Once per date that is due, and once a month while it stays overdue: a reminder sent
        // since then counts, even when the provider confirmed some offers but not the oldest.
        let opened = window
            .max(
                today
                    .checked_sub_months(Months::new(WAITING_MONTHS))
                    .unwrap_or(today),
            )
            .and_time(chrono::NaiveTime::MIN);
        queued += conn.write_transaction(|conn| {
            let claimed = diesel::update(
                providers::table.find(id).filter(
                    providers::waiting_reminded_at
                        .is_null()
                        .or(providers::waiting_reminded_at.lt(opened)),
                ),
            )
            .set(providers::waiting_reminded_at.eq(Some(now)))
            .execute(conn)?;
            if claimed != 1 {
                return QueryResult::Ok(0);
            }
            let name: String = providers::table
                .find(id)
                .select(providers::name)
                .first(conn)?;
            super::admission::mail_provider(conn, id, |email| {
                waiting_reminder(
                    email,
                    &name,
                    due,
                    &format!("{public_url}/mijn-aanbod/wachttijden"),
                )
            })
        })?;
    }
    Ok(queued)
}

fn listing_reminder(
    to: &str,
    provider: &str,
    due: NaiveDate,
    url: &str,
) -> crate::mail::OutgoingMail {
    compose(
        to,
        "Klopt uw vermelding in de jeugdhulpcatalogus nog?",
        &format!("Beste medewerker van {provider},"),
        &[
            format!(
                "Wilt u voor {} nakijken of uw vermelding nog klopt? Elk half jaar vragen wij dat aan elke aanbieder. Ouders en jongeren zien op welke dag u het laatst controleerde.",
                crate::web::text::date_nl(due)
            ),
            "Klopt alles nog? Dan is het één klik: 'Alles klopt nog'. Is er iets veranderd? Pas het dan aan.".to_owned(),
            "Controleert u het niet binnen een maand na die dag, dan staat bij uw vermelding dat die lang niet is gecontroleerd. Uw plaats in de lijst verandert niet.".to_owned(),
        ],
        Some(("Bekijk uw vermelding", url)),
    )
}

fn waiting_reminder(
    to: &str,
    provider: &str,
    due: NaiveDate,
    url: &str,
) -> crate::mail::OutgoingMail {
    compose(
        to,
        "Kloppen uw wachttijden nog?",
        &format!("Beste medewerker van {provider},"),
        &[
            format!(
                "Wilt u voor {} uw wachttijden nakijken? Elke maand vragen wij dat. Bij elke wachttijd ziet iedereen wanneer die het laatst is bijgewerkt.",
                crate::web::text::date_nl(due)
            ),
            "Kloppen ze nog? Kies dan 'Opslaan' zonder iets te veranderen: dat telt als gecontroleerd.".to_owned(),
        ],
        Some(("Werk uw wachttijden bij", url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_listing_is_due_after_six_months_and_stale_after_seven() {
        let checked = day(2026, 5, 31);
        assert_eq!(listing_due(checked), day(2026, 11, 30));
        assert!(!is_stale(checked, day(2026, 12, 30)));
        assert!(is_stale(checked, day(2026, 12, 31)));
        assert_eq!(waiting_due(day(2026, 1, 31)), day(2026, 2, 28));
    }
}

//! The one use case behind the upload page and the API: read, check, combine, store, all or
//! nothing.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::apply::Applied;
use super::check::{Context, Line};
use super::message::Problem;
use super::pseudonym::PseudonymKey;
use crate::db::DbConnection;
use crate::db::schema::{admissions, product_codes, providers};
use crate::domain::ids::ProviderId;
use crate::providers::AdmissionStatus;
use crate::reference::ReferenceData;
use crate::web::AppError;

/// The region's own product codes, and the codes every region has: `J`, the profile number
/// and the first letter of the intensity (`J3I`: profile 3, intensief).
pub fn product_codes(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    regions: &[i64],
) -> QueryResult<HashMap<(i64, String), (i64, i64)>> {
    let mut codes = HashMap::new();
    for region in regions {
        for profile in reference.profiles.iter().filter(|p| p.region_id == *region) {
            for intensity in reference
                .intensities
                .iter()
                .filter(|i| i.region_id == *region)
            {
                let letter = intensity
                    .code
                    .chars()
                    .next()
                    .map_or(String::new(), |c| c.to_uppercase().collect());
                codes.insert(
                    (*region, format!("J{}{letter}", profile.number)),
                    (profile.id, intensity.id),
                );
            }
        }
    }
    let own: Vec<(i64, String, i64, i64)> = product_codes::table
        .filter(product_codes::region_id.eq_any(regions))
        .select((
            product_codes::region_id,
            product_codes::code,
            product_codes::profile_id,
            product_codes::intensity_id,
        ))
        .load(conn)?;
    for (region, code, profile, intensity) in own {
        codes.insert((region, code), (profile, intensity));
    }
    Ok(codes)
}

/// The regions whose municipalities a provider's messages may go to: those that admit it,
/// suspended it or admitted it before (its history still counts there).
pub fn regions_of(conn: &mut DbConnection, provider_id: ProviderId) -> QueryResult<Vec<i64>> {
    admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .filter(admissions::status.eq_any([
            AdmissionStatus::Toegelaten,
            AdmissionStatus::Opgeschort,
            AdmissionStatus::Beeindigd,
        ]))
        .select(admissions::region_id)
        .load(conn)
}

/// What the checks need to know of the provider, read from the database.
pub struct Facts {
    pub agb_code: String,
    pub regions: Vec<i64>,
    pub products: HashMap<(i64, String), (i64, i64)>,
}

pub fn facts(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    provider_id: ProviderId,
) -> QueryResult<Facts> {
    let agb_code: String = providers::table
        .find(provider_id)
        .select(providers::agb_code)
        .first(conn)?;
    let regions = regions_of(conn, provider_id)?;
    let products = product_codes(conn, reference, &regions)?;
    Ok(Facts {
        agb_code: agb_code.trim().to_owned(),
        regions,
        products,
    })
}

/// Reads and checks the files: the lines to store, or every problem. Work for the
/// processor only (no connection is held meanwhile).
pub fn read_and_check(
    files: &[(String, Vec<u8>)],
    facts: &Facts,
    reference: &ReferenceData,
    keys: &PseudonymKey,
    today: NaiveDate,
) -> Result<Vec<Line>, Vec<Problem>> {
    let unpacked = super::files::read_all(files);
    let mut problems = unpacked.problems;
    if unpacked.limited || problems.len() >= super::files::MAX_PROBLEMS {
        return Err(problems);
    }
    let context = Context {
        reference,
        agb_code: &facts.agb_code,
        regions: &facts.regions,
        products: &facts.products,
        keys,
        today,
    };
    match super::check::lines(&unpacked.messages, &context) {
        Ok(lines) if problems.is_empty() => Ok(lines),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            super::files::cap(&mut problems);
            Err(problems)
        }
    }
}

/// The lock a provider's uploads and the closings of its allocations share.
pub fn lock_key(provider_id: i64) -> String {
    format!("ijw:{provider_id}")
}

/// Stores checked lines in one transaction, with a line in the audit log.
pub fn store(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    user_id: i64,
    lines: Vec<Line>,
) -> Result<Result<Applied, Vec<Problem>>, AppError> {
    conn.write_transaction(|conn| {
        // One upload of a provider at a time, and not beside a worker's closing of one of its
        // allocations (PostgreSQL; SQLite writes one transaction at a time anyway).
        conn.serialise_on(&lock_key(provider_id.get()))?;
        let applied = match super::apply::apply(conn, provider_id, lines)? {
            Ok(applied) => applied,
            Err(mut problems) => {
                super::files::cap(&mut problems);
                return Ok(Err(problems));
            }
        };
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: Some(user_id),
                action: "iJw-berichten ontvangen",
                entity: "provider",
                entity_id: Some(provider_id.get()),
                field: "trajecten",
                old_value: None,
                new_value: Some(&format!(
                    "{} regels, {} eerder ontvangen, {} nieuw, {} bijgewerkt, {} ingetrokken",
                    applied.lines, applied.known, applied.new, applied.changed, applied.withdrawn
                )),
            },
        )?;
        Ok::<_, AppError>(Ok(applied))
    })
}

/// Reads, checks and stores the files a provider sent, on one connection (the benchmark;
/// the routes do the reading without holding one). Problems: nothing was stored.
pub fn receive(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    user_id: i64,
    files: &[(String, Vec<u8>)],
    keys: &PseudonymKey,
    reference: &ReferenceData,
    today: NaiveDate,
) -> Result<Result<Applied, Vec<Problem>>, AppError> {
    let facts = facts(conn, reference, provider_id)?;
    match read_and_check(files, &facts, reference, keys, today) {
        Ok(lines) => store(conn, provider_id, user_id, lines),
        Err(problems) => Ok(Err(problems)),
    }
}

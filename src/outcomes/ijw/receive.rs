//! The one use case behind the upload page and the API: read, check, combine, store, all or
//! nothing.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::apply::Applied;
use super::check::Context;
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

/// Reads, checks and stores the files a provider sent. Problems: nothing was stored.
pub fn receive(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    user_id: i64,
    files: &[(String, Vec<u8>)],
    keys: &PseudonymKey,
    reference: &ReferenceData,
    today: NaiveDate,
) -> Result<Result<Applied, Vec<Problem>>, AppError> {
    let (messages, mut problems) = super::files::read_all(files);
    let agb_code: String = providers::table
        .find(provider_id)
        .select(providers::agb_code)
        .first(conn)?;
    let regions = regions_of(conn, provider_id)?;
    let products = product_codes(conn, reference, &regions)?;
    let context = Context {
        reference,
        agb_code: agb_code.trim(),
        regions: &regions,
        products: &products,
        keys,
        today,
    };
    let lines = match super::check::lines(&messages, &context) {
        Ok(lines) => lines,
        Err(more) => {
            problems.extend(more);
            return Ok(Err(problems));
        }
    };
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    drop(messages);
    conn.write_transaction(|conn| {
        let applied = match super::apply::apply(conn, provider_id, lines)? {
            Ok(applied) => applied,
            Err(problems) => return Ok(Err(problems)),
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

//! The demo's uitvoeringsovereenkomsten (`providers::execution`).

use crate::db::DbConnection;
use crate::providers::AdmissionStatus;

/// Every admitted provider has this year's uitvoeringsovereenkomst, and all but one next
/// year's as well: the first admitted provider after the demo provider's shows a newcomer
/// what a missing one does in January (and gets the November reminder).
pub fn store(
    conn: &mut DbConnection,
    admitted: &[(i64, i64, AdmissionStatus, Option<chrono::NaiveDate>)],
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    use crate::db::schema::execution_agreements;
    use chrono::Datelike;
    use diesel::prelude::*;
    let now = crate::clock::now();
    let first = admitted.first().map(|(provider, ..)| *provider);
    let without_next = admitted
        .iter()
        .find(|(provider, _, status, _)| {
            Some(*provider) != first && *status == AdmissionStatus::Toegelaten
        })
        .map(|(provider, ..)| *provider);
    let mut rows = Vec::new();
    for (provider, region, status, _) in admitted {
        if !matches!(
            status,
            AdmissionStatus::Toegelaten | AdmissionStatus::Opgeschort
        ) {
            continue;
        }
        for year in [today.year(), today.year() + 1] {
            if year > today.year() && Some(*provider) == without_next {
                continue;
            }
            rows.push((
                execution_agreements::provider_id.eq(*provider),
                execution_agreements::region_id.eq(*region),
                execution_agreements::year.eq(year),
                execution_agreements::granted_at.eq(now),
            ));
        }
    }
    crate::batch_insert!(&mut *conn, execution_agreements::table, &rows)?;
    Ok(())
}

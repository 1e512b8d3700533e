//! Tariffs for the regions whose real tariff table the catalogue does not have: invented from
//! West-Brabant-West's table (same profile number and intensity, a regional factor), and
//! stored as fictional so every page says so.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::tariffs;
use crate::reference::ReferenceData;

pub fn seed(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<usize> {
    let existing: Vec<(i64, i64, i64)> = tariffs::table
        .select((
            tariffs::profile_id,
            tariffs::intensity_id,
            tariffs::amount_cents,
        ))
        .load(conn)?;
    // (profile number, intensity code) → amount, from the region that has a table.
    let mut known: HashMap<(i32, &str), i64> = HashMap::new();
    let mut priced_regions = std::collections::HashSet::new();
    for (profile, intensity, cents) in &existing {
        if let (Some(p), Some(i)) = (reference.profile(*profile), reference.intensity(*intensity)) {
            known.insert((p.number, i.code.as_str()), *cents);
            priced_regions.insert(p.region_id);
        }
    }
    let year = crate::clock::today().year();
    let valid_from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut rows = Vec::new();
    for region in reference
        .regions
        .iter()
        .filter(|r| !priced_regions.contains(&r.id))
    {
        // Each region pays a little more or less, rounded to five euros.
        let factor = 0.9 + f64::from(rng.u8(..=20)) / 100.0;
        for profile in reference
            .profiles
            .iter()
            .filter(|p| p.region_id == region.id)
        {
            for intensity in reference
                .intensities
                .iter()
                .filter(|i| i.region_id == region.id)
            {
                let Some(base) = known.get(&(profile.number, intensity.code.as_str())) else {
                    continue;
                };
                let cents = ((*base as f64 * factor / 500.0).round() as i64) * 500;
                rows.push((
                    tariffs::profile_id.eq(profile.id),
                    tariffs::intensity_id.eq(intensity.id),
                    tariffs::amount_cents.eq(cents),
                    tariffs::valid_from.eq(valid_from),
                    tariffs::fictional.eq(true),
                ));
            }
        }
    }
    Ok(crate::batch_insert!(&mut *conn, tariffs::table, &rows)?)
}

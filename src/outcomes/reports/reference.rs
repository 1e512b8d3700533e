//! The reference data a report was published with: the region's name and procurement
//! method, its municipalities, its profiles (number, official name, plain description) and
//! the minimum number of cases behind a score. Kept once per distinct content in
//! `reference_snapshots`; a published report points to it, so renaming a profile or merging
//! municipalities later never changes what a published report says. A report not (yet)
//! published reads the reference data as it is now, in the same shape.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::DbConnection;
use crate::db::schema::{reference_snapshots, score_reports};
use crate::reference::ReferenceData;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportProfile {
    pub id: i64,
    pub number: i32,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportReference {
    pub region: String,
    pub procurement_method: String,
    pub municipalities: Vec<String>,
    pub profiles: Vec<ReportProfile>,
    /// The fewest cases behind a score that is shown.
    pub minimum_n: u32,
    /// When it was taken (the publication); `None` for the reference data as it is now.
    #[serde(skip)]
    pub taken_at: Option<chrono::NaiveDateTime>,
}

impl ReportReference {
    /// The region's reference data as it is now.
    pub fn current(reference: &ReferenceData, region_id: i64) -> ReportReference {
        let region = reference.region(region_id);
        let mut profiles: Vec<ReportProfile> = reference
            .profiles
            .iter()
            .filter(|p| p.region_id == region_id)
            .map(|p| ReportProfile {
                id: p.id,
                number: p.number,
                name: p.name.clone(),
                description: p.description.clone(),
            })
            .collect();
        profiles.sort_by_key(|p| p.number);
        ReportReference {
            region: region.map_or_else(String::new, |r| r.name.clone()),
            procurement_method: region.map_or_else(String::new, |r| r.procurement_method.clone()),
            municipalities: reference
                .municipalities_of(region_id)
                .map(|m| m.name.clone())
                .collect(),
            profiles,
            minimum_n: crate::outcomes::indicators::MIN_N,
            taken_at: None,
        }
    }

    pub fn profile(&self, id: i64) -> Option<&ReportProfile> {
        self.profiles.iter().find(|p| p.id == id)
    }
}

/// Keeps the region's reference data as it is now and returns the snapshot's id: an
/// existing one when nothing changed since (one row per distinct content).
pub fn keep(conn: &mut DbConnection, region_id: i64) -> QueryResult<i64> {
    use sha2::{Digest, Sha256};
    let reference = ReferenceData::load(conn)?;
    let body = serde_json::to_string(&ReportReference::current(&reference, region_id))
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let hash = format!("{:x}", Sha256::digest(body.as_bytes()));
    let found: Option<i64> = reference_snapshots::table
        .filter(reference_snapshots::region_id.eq(region_id))
        .filter(reference_snapshots::hash.eq(&hash))
        .select(reference_snapshots::id)
        .first(conn)
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    diesel::insert_into(reference_snapshots::table)
        .values((
            reference_snapshots::region_id.eq(region_id),
            reference_snapshots::hash.eq(&hash),
            reference_snapshots::body.eq(&body),
            reference_snapshots::taken_at.eq(crate::clock::now()),
        ))
        .returning(reference_snapshots::id)
        .get_result(conn)
}

/// What the report shows its figures with: the snapshot it was published with, or else
/// the reference data as it is now.
pub fn of_report(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    report_id: i64,
    region_id: i64,
) -> QueryResult<ReportReference> {
    Ok(kept(conn, report_id)?.unwrap_or_else(|| ReportReference::current(reference, region_id)))
}

/// The snapshot the report was published with, if it has one.
pub fn kept(conn: &mut DbConnection, report_id: i64) -> QueryResult<Option<ReportReference>> {
    let kept: Option<(String, chrono::NaiveDateTime)> = score_reports::table
        .inner_join(reference_snapshots::table)
        .filter(score_reports::id.eq(report_id))
        .select((reference_snapshots::body, reference_snapshots::taken_at))
        .first(conn)
        .optional()?;
    Ok(kept.and_then(|(body, taken_at)| {
        serde_json::from_str::<ReportReference>(&body)
            .ok()
            .map(|r| ReportReference {
                taken_at: Some(taken_at),
                ..r
            })
    }))
}

//! Loads the reference tables on first start from the project's own copy of the regions'
//! reference data (`src/reference/data/`, compiled in). Runs once: a database that already
//! has regions is left as it is, because a beheerder may have changed it since.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::{
    end_reasons, intensities, municipalities, profiles, regions, satisfaction_items, tariffs,
};
use crate::web::text::slugify;

const REGIONS: &str = include_str!("data/regions.csv");
const MUNICIPALITIES: &str = include_str!("data/municipalities.csv");
const MUNICIPALITY_MERGES: &str = include_str!("data/municipality-merges.csv");
const PROFILES: &str = include_str!("data/profiles.csv");
const PROFILE_DESCRIPTIONS: &str = include_str!("data/profile-descriptions.csv");
const INTENSITIES: &str = include_str!("data/intensities.csv");
const TARIFFS_WBW_2016: &str = include_str!("data/tariffs-wbw-2016.csv");
const END_REASONS: &str = include_str!("data/end-reasons.csv");
const SATISFACTION_ITEMS: &str = include_str!("data/satisfaction-items.csv");

/// The region whose tariff table we have (West-Brabant-West, 2016).
const WBW: &str = "west-brabant-west";
const WBW_TARIFFS_FROM: (i32, u32, u32) = (2016, 1, 1);

/// A line of `regions.csv`; also read by the import of a new region (`super::regions`).
#[derive(Deserialize)]
pub(super) struct RegionRow {
    pub(super) slug: String,
    pub(super) name: String,
    pub(super) procurement_method: String,
}

#[derive(Deserialize)]
struct MergeRow {
    municipality: String,
    merged_into: String,
    from: chrono::NaiveDate,
}

/// A line of `municipalities.csv`.
#[derive(Deserialize)]
pub(super) struct MunicipalityRow {
    pub(super) region: String,
    pub(super) municipality: String,
    pub(super) cbs_code: String,
}

/// A line of `profiles.csv`; a region's own file may carry the B1 description in it.
#[derive(Deserialize)]
pub(super) struct ProfileRow {
    pub(super) number: i32,
    pub(super) name_nl: String,
    #[serde(default)]
    pub(super) description_b1: String,
}

/// A line of `profile-descriptions.csv`.
#[derive(Deserialize)]
pub(super) struct DescriptionRow {
    pub(super) number: i32,
    pub(super) description_b1: String,
}

#[derive(Deserialize)]
struct IntensityRow {
    code: String,
    name_nl: String,
    paid_per: String,
    description_b1: String,
}

#[derive(Deserialize)]
struct TariffRow {
    profile: i32,
    perspectief_eur: i64,
    intensief_eur: i64,
    acuut_eur: i64,
    duurzaam_eur_per_4_weeks: i64,
}

#[derive(Deserialize)]
struct EndReasonRow {
    cbs_code: i32,
    ijw_jz588_code: String,
    name_nl: String,
    counts_as: String,
}

#[derive(Deserialize)]
pub struct SatisfactionItemRow {
    pub code: String,
    pub name_nl: String,
    /// The question as families read it; a region's own file may leave it out.
    #[serde(default)]
    pub question_nl: String,
}

/// The questions every region starts with (satisfaction-items.csv): the national
/// sub-indicators and the bejegening, as families read them.
fn default_satisfaction_items() -> Vec<SatisfactionItemRow> {
    // Compiled in and counted by a unit test, so it always parses.
    rows::<SatisfactionItemRow>("satisfaction items", SATISFACTION_ITEMS).unwrap_or_default()
}

/// Gives a region the questions every region starts with.
pub fn add_default_satisfaction_items(conn: &mut DbConnection, region_id: i64) -> QueryResult<()> {
    add_satisfaction_items(conn, region_id, &default_satisfaction_items())
}

/// Gives a region these questions, in this order. An item without a question gets the one
/// of the same item in the default list, or else a plain one made from its name.
pub fn add_satisfaction_items(
    conn: &mut DbConnection,
    region_id: i64,
    items: &[SatisfactionItemRow],
) -> QueryResult<()> {
    let defaults = default_satisfaction_items();
    for (order, item) in (1..).zip(items) {
        let question = match item.question_nl.trim() {
            "" => defaults
                .iter()
                .find(|d| d.code == item.code.trim())
                .map_or_else(
                    || format!("Welk cijfer geeft u voor: {}?", item.name_nl.trim()),
                    |d| d.question_nl.clone(),
                ),
            own => own.to_owned(),
        };
        diesel::insert_into(satisfaction_items::table)
            .values((
                satisfaction_items::region_id.eq(region_id),
                satisfaction_items::code.eq(item.code.trim()),
                satisfaction_items::name.eq(item.name_nl.trim()),
                satisfaction_items::question.eq(question),
                satisfaction_items::sort_order.eq(order),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn rows<T: for<'de> Deserialize<'de>>(name: &str, csv_text: &str) -> anyhow::Result<Vec<T>> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .with_context(|| format!("reference table {name} is malformed"))
}

/// The codes of the compiled reference tables: profile numbers, municipality slugs and
/// intensity codes (what the search accepts, for the API's description).
pub fn codes() -> (Vec<String>, Vec<String>, Vec<String>) {
    let profiles = rows::<ProfileRow>("profiles", PROFILES)
        .unwrap_or_default()
        .iter()
        .map(|p| p.number.to_string())
        .collect();
    let municipalities = rows::<MunicipalityRow>("municipalities", MUNICIPALITIES)
        .unwrap_or_default()
        .iter()
        .map(|m| slugify(&m.municipality))
        .collect();
    let intensities = rows::<IntensityRow>("intensities", INTENSITIES)
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.code)
        .collect();
    (profiles, municipalities, intensities)
}

/// Returns true when it loaded the data, false when the database already had it. Either
/// way the compiled municipalities and mergers are brought in (a database made before
/// Dijk en Waard gets it, and the merger of 2022).
pub fn ensure_reference_data(conn: &mut DbConnection) -> anyhow::Result<bool> {
    let present: i64 = regions::table.count().get_result(conn)?;
    if present == 0 {
        conn.write_transaction(load_reference_data)?;
        tracing::info!("reference data loaded");
    }
    conn.write_transaction(ensure_municipalities_and_mergers)?;
    Ok(present == 0)
}

/// Adds the compiled municipalities a database lacks (in regions it has), and makes the
/// compiled mergers that have not been made, through the same merge a beheerder uses, so
/// each municipality's history shows it (Langedijk and Heerhugowaard → Dijk en Waard, 2022).
fn ensure_municipalities_and_mergers(conn: &mut DbConnection) -> anyhow::Result<()> {
    let reference = super::ReferenceData::load(conn)?;
    for m in rows::<MunicipalityRow>("municipalities", MUNICIPALITIES)? {
        let slug = slugify(&m.municipality);
        let region = reference.regions.iter().find(|r| r.name == m.region);
        if let (None, Some(region)) = (reference.municipality_by_slug(&slug), region) {
            diesel::insert_into(municipalities::table)
                .values((
                    municipalities::region_id.eq(region.id),
                    municipalities::slug.eq(&slug),
                    municipalities::name.eq(&m.municipality),
                    municipalities::cbs_code.eq(&m.cbs_code),
                ))
                .execute(conn)?;
        }
    }
    let reference = super::ReferenceData::load(conn)?;
    let find = |name: &str| reference.municipality_by_slug(&slugify(name));
    for m in rows::<MergeRow>("municipality merges", MUNICIPALITY_MERGES)? {
        let (Some(old), Some(into)) = (find(&m.municipality), find(&m.merged_into)) else {
            continue;
        };
        if old.merged_into_id.is_some() {
            continue;
        }
        super::municipalities::merge(
            conn,
            None,
            crate::domain::principal::RegionScope::All,
            &reference,
            &[old.id],
            into.id,
            m.from,
        )?
        .map_err(|refused| anyhow::anyhow!("merger of {}: {refused:?}", m.municipality))?;
    }
    Ok(())
}

fn load_reference_data(conn: &mut DbConnection) -> anyhow::Result<()> {
    let region_rows: Vec<RegionRow> = rows("regions", REGIONS)?;
    let region_names: HashMap<&str, &str> = region_rows
        .iter()
        .map(|r| (r.name.as_str(), r.slug.as_str()))
        .collect();
    for r in &region_rows {
        diesel::insert_into(regions::table)
            .values((
                regions::slug.eq(&r.slug),
                regions::name.eq(&r.name),
                regions::procurement_method.eq(&r.procurement_method),
            ))
            .execute(conn)?;
    }
    let region_ids: HashMap<String, i64> = regions::table
        .select((regions::slug, regions::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let region_id = |slug: &str| {
        region_ids
            .get(slug)
            .copied()
            .with_context(|| format!("unknown region {slug}"))
    };

    let municipality_rows: Vec<MunicipalityRow> = rows("municipalities", MUNICIPALITIES)?;
    for m in &municipality_rows {
        let slug = region_names.get(m.region.as_str()).with_context(|| {
            format!(
                "municipality {} names unknown region {}",
                m.municipality, m.region
            )
        })?;
        diesel::insert_into(municipalities::table)
            .values((
                municipalities::region_id.eq(region_id(slug)?),
                municipalities::slug.eq(slugify(&m.municipality)),
                municipalities::name.eq(&m.municipality),
                municipalities::cbs_code.eq(&m.cbs_code),
            ))
            .execute(conn)?;
    }

    let profile_rows: Vec<ProfileRow> = rows("profiles", PROFILES)?;
    let descriptions: HashMap<i32, String> =
        rows::<DescriptionRow>("profile descriptions", PROFILE_DESCRIPTIONS)?
            .into_iter()
            .map(|d| (d.number, d.description_b1))
            .collect();
    let intensity_rows: Vec<IntensityRow> = rows("intensities", INTENSITIES)?;
    // Every region starts with the nine WBW profiles and four intensities; a beheerder can
    // change a region's set later.
    for r in &region_rows {
        let rid = region_id(&r.slug)?;
        for p in &profile_rows {
            let description = descriptions.get(&p.number).cloned().unwrap_or_default();
            diesel::insert_into(profiles::table)
                .values((
                    profiles::region_id.eq(rid),
                    profiles::number.eq(p.number),
                    profiles::name.eq(&p.name_nl),
                    profiles::description.eq(description),
                ))
                .execute(conn)?;
        }
        for (order, i) in (1..).zip(&intensity_rows) {
            diesel::insert_into(intensities::table)
                .values((
                    intensities::region_id.eq(rid),
                    intensities::code.eq(&i.code),
                    intensities::name.eq(&i.name_nl),
                    intensities::description.eq(&i.description_b1),
                    intensities::paid_per.eq(&i.paid_per),
                    intensities::sort_order.eq(order),
                ))
                .execute(conn)?;
        }
    }

    let wbw = region_id(WBW)?;
    let profile_ids: HashMap<i32, i64> = profiles::table
        .filter(profiles::region_id.eq(wbw))
        .select((profiles::number, profiles::id))
        .load::<(i32, i64)>(conn)?
        .into_iter()
        .collect();
    let intensity_ids: HashMap<String, i64> = intensities::table
        .filter(intensities::region_id.eq(wbw))
        .select((intensities::code, intensities::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let (y, m, d) = WBW_TARIFFS_FROM;
    let valid_from = NaiveDate::from_ymd_opt(y, m, d).context("tariff start date")?;
    for t in rows::<TariffRow>("tariffs", TARIFFS_WBW_2016)? {
        let profile_id = *profile_ids
            .get(&t.profile)
            .with_context(|| format!("tariff for unknown profile {}", t.profile))?;
        let amounts = [
            ("perspectief", t.perspectief_eur),
            ("intensief", t.intensief_eur),
            ("acuut", t.acuut_eur),
            ("duurzaam", t.duurzaam_eur_per_4_weeks),
        ];
        for (code, euros) in amounts {
            let intensity_id = *intensity_ids
                .get(code)
                .with_context(|| format!("unknown intensity {code}"))?;
            diesel::insert_into(tariffs::table)
                .values((
                    tariffs::profile_id.eq(profile_id),
                    tariffs::intensity_id.eq(intensity_id),
                    tariffs::amount_cents.eq(euros * 100),
                    tariffs::valid_from.eq(valid_from),
                ))
                .execute(conn)?;
        }
    }

    for r in rows::<EndReasonRow>("end reasons", END_REASONS)? {
        diesel::insert_into(end_reasons::table)
            .values((
                end_reasons::cbs_code.eq(r.cbs_code),
                end_reasons::ijw_code.eq(r.ijw_jz588_code),
                end_reasons::name.eq(r.name_nl),
                end_reasons::counts_as.eq(r.counts_as),
            ))
            .execute(conn)?;
    }
    let seeded: Vec<i64> = regions::table.select(regions::id).load(conn)?;
    for region in seeded {
        add_default_satisfaction_items(conn, region)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_in_reference_table_parses() -> anyhow::Result<()> {
        assert_eq!(rows::<RegionRow>("regions", REGIONS)?.len(), 3);
        assert_eq!(
            rows::<MunicipalityRow>("municipalities", MUNICIPALITIES)?.len(),
            27,
            "the 26 of the reference list and Dijk en Waard"
        );
        assert_eq!(rows::<MergeRow>("merges", MUNICIPALITY_MERGES)?.len(), 2);
        assert_eq!(rows::<ProfileRow>("profiles", PROFILES)?.len(), 9);
        assert_eq!(
            rows::<DescriptionRow>("descriptions", PROFILE_DESCRIPTIONS)?.len(),
            9
        );
        assert_eq!(rows::<IntensityRow>("intensities", INTENSITIES)?.len(), 4);
        assert_eq!(rows::<TariffRow>("tariffs", TARIFFS_WBW_2016)?.len(), 9);
        assert_eq!(rows::<EndReasonRow>("end reasons", END_REASONS)?.len(), 5);
        assert_eq!(
            rows::<SatisfactionItemRow>("items", SATISFACTION_ITEMS)?.len(),
            6,
            "the five of the region and the bejegening"
        );
        Ok(())
    }

    #[test]
    fn every_municipality_names_a_known_region() -> anyhow::Result<()> {
        let regions: Vec<RegionRow> = rows("regions", REGIONS)?;
        for m in rows::<MunicipalityRow>("municipalities", MUNICIPALITIES)? {
            assert!(regions.iter().any(|r| r.name == m.region), "{}", m.region);
        }
        Ok(())
    }

    /// Every municipality has its own CBS gemeentecode of four digits; the two the issue
    /// names are the real ones.
    #[test]
    fn every_municipality_has_its_own_cbs_code() -> anyhow::Result<()> {
        let list = rows::<MunicipalityRow>("municipalities", MUNICIPALITIES)?;
        let codes: std::collections::BTreeSet<&str> =
            list.iter().map(|m| m.cbs_code.as_str()).collect();
        assert_eq!(codes.len(), list.len(), "a code twice");
        assert!(
            list.iter()
                .all(|m| m.cbs_code.len() == 4 && m.cbs_code.bytes().all(|b| b.is_ascii_digit()))
        );
        let code = |name: &str| {
            list.iter()
                .find(|m| m.municipality == name)
                .map(|m| m.cbs_code.as_str())
        };
        assert_eq!(
            (code("Delft"), code("Den Haag")),
            (Some("0503"), Some("0518"))
        );
        Ok(())
    }
}

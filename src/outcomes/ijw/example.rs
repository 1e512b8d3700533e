//! A year of a provider's JW305 and JW307 messages about fictional clients, as a zip: to try
//! the upload in the demo, and for the journeys and the benchmark. The clients' BSNs pass the
//! elfproef, as real ones do, and start with 999 (the range of test numbers); their
//! names are made up.

use std::fmt::Write as _;
use std::io::Write as _;

use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{offer_municipalities, offers, providers};
use crate::domain::ids::ProviderId;
use crate::reference::ReferenceData;
use crate::web::AppError;

/// One product of one fictional client.
pub struct Care {
    pub toewijzing: u32,
    pub bsn: String,
    pub born: NaiveDate,
    pub municipality_code: String,
    pub product_code: String,
    pub begin: NaiveDate,
    /// The end and its JZ588 reason.
    pub end: Option<(NaiveDate, &'static str)>,
}

/// The first `count` fictional BSNs: 999, five digits, and the check digit that makes the
/// elfproef hold (at most about 90,000).
pub fn fictional_bsns(count: usize) -> Vec<String> {
    (0u32..100_000)
        .filter_map(|n| {
            let stem = format!("999{n:05}");
            let sum: u32 = stem
                .chars()
                .filter_map(|c| c.to_digit(10))
                .zip((2..=9).rev())
                .map(|(d, w)| d * w)
                .sum();
            let check = sum % 11;
            (check <= 9).then(|| format!("{stem}{check}"))
        })
        .take(count)
        .collect()
}

/// The XML of one message: a start (JW305) or a stop (JW307) of one product.
pub fn message_xml(
    agb: &str,
    message_id: &str,
    dated: NaiveDate,
    care: &Care,
    stop: bool,
) -> String {
    let (ns, code, list, line) = if stop {
        ("jw307", 440, "StopProducten", "StopProduct")
    } else {
        ("jw305", 438, "StartProducten", "StartProduct")
    };
    let category = "45";
    let mut xml = String::with_capacity(1600);
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<{ns}:Bericht xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema" xmlns:{ns}="http://www.istandaarden.nl/ijw/3_2/{ns}/schema">
  <{ns}:Header>
    <{ns}:BerichtCode>{code}</{ns}:BerichtCode>
    <{ns}:BerichtVersie>3</{ns}:BerichtVersie>
    <{ns}:BerichtSubversie>2</{ns}:BerichtSubversie>
    <{ns}:Afzender>{agb}</{ns}:Afzender>
    <{ns}:Ontvanger>{municipality}</{ns}:Ontvanger>
    <{ns}:BerichtIdentificatie>
      <ijw:Identificatie>{message_id}</ijw:Identificatie>
      <ijw:Dagtekening>{dated}</ijw:Dagtekening>
    </{ns}:BerichtIdentificatie>
    <{ns}:XsdVersie>
      <ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
      <ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
    </{ns}:XsdVersie>
  </{ns}:Header>
  <{ns}:Client>
    <{ns}:Bsn>{bsn}</{ns}:Bsn>
    <{ns}:Geboortedatum>
      <ijw:Datum>{born}</ijw:Datum>
    </{ns}:Geboortedatum>
    <{ns}:Geslacht>2</{ns}:Geslacht>
    <{ns}:Naam>
      <ijw:Geslachtsnaam>
        <ijw:Achternaam>Fictief-Berichtenkind</ijw:Achternaam>
      </ijw:Geslachtsnaam>
      <ijw:Voorletters>V</ijw:Voorletters>
    </{ns}:Naam>
    <{ns}:{list}>
      <{ns}:{line}>
        <{ns}:ToewijzingNummer>{toewijzing}</{ns}:ToewijzingNummer>
        <{ns}:Product>
          <ijw:Categorie>{category}</ijw:Categorie>
          <ijw:Code>{product}</ijw:Code>
        </{ns}:Product>
        <{ns}:ToewijzingIngangsdatum>{begin}</{ns}:ToewijzingIngangsdatum>
        <{ns}:Begindatum>{begin}</{ns}:Begindatum>
"#,
        municipality = care.municipality_code,
        bsn = care.bsn,
        born = care.born,
        toewijzing = care.toewijzing,
        product = care.product_code,
        begin = care.begin,
    );
    if let (true, Some((end, reason))) = (stop, care.end) {
        let _ = write!(
            xml,
            "        <{ns}:RedenBeeindiging>{reason}</{ns}:RedenBeeindiging>\n        <{ns}:Einddatum>{end}</{ns}:Einddatum>\n"
        );
    }
    let _ = write!(
        xml,
        "        <{ns}:StatusAanlevering>1</{ns}:StatusAanlevering>\n      </{ns}:{line}>\n    </{ns}:{list}>\n  </{ns}:Client>\n</{ns}:Bericht>\n"
    );
    xml
}

/// A zip with each care's start and (where it ended) stop as files of their own.
pub fn zip_of(agb: &str, cares: &[Care]) -> Result<Vec<u8>, AppError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for care in cares {
        let start_id = format!("S{:09}", care.toewijzing);
        zip.start_file(format!("jw305-{start_id}.xml"), options)
            .map_err(|e| anyhow::anyhow!("zip: {e}"))?;
        zip.write_all(message_xml(agb, &start_id, care.begin, care, false).as_bytes())
            .map_err(|e| anyhow::anyhow!("zip: {e}"))?;
        if let Some((end, _)) = care.end {
            let stop_id = format!("E{:09}", care.toewijzing);
            zip.start_file(format!("jw307-{stop_id}.xml"), options)
                .map_err(|e| anyhow::anyhow!("zip: {e}"))?;
            zip.write_all(message_xml(agb, &stop_id, end, care, true).as_bytes())
                .map_err(|e| anyhow::anyhow!("zip: {e}"))?;
        }
    }
    let done = zip.finish().map_err(|e| anyhow::anyhow!("zip: {e}"))?;
    Ok(done.into_inner())
}

/// A year of care of this provider: 60 clients in the municipalities and profiles of its
/// offers, started over the past year; most ended, a few came back.
pub fn for_provider(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    provider_id: ProviderId,
    today: NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let agb: String = providers::table
        .find(provider_id)
        .select(providers::agb_code)
        .first(conn)?;
    let offered: Vec<(i64, i64, i64)> = offers::table
        .inner_join(offer_municipalities::table)
        .filter(offers::provider_id.eq(provider_id))
        .select((
            offer_municipalities::municipality_id,
            offers::profile_id,
            offers::intensity_id,
        ))
        .order((offers::id, offer_municipalities::municipality_id))
        .load(conn)?;
    let mut places = Vec::new();
    for (municipality, profile, intensity) in offered {
        let (Some(m), Some(p), Some(i)) = (
            reference.municipality(municipality),
            reference.profile(profile),
            reference.intensity(intensity),
        ) else {
            continue;
        };
        let letter: String = i
            .code
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .collect();
        places.push((m.cbs_code.clone(), format!("J{}{letter}", p.number)));
    }
    if places.is_empty() {
        return Err(AppError::Conflict(
            "U heeft nog geen aanbod in een gemeente: het voorbeeld gebruikt de gemeenten en profielen van uw aanbod.".into(),
        ));
    }
    let mut rng = fastrand::Rng::with_seed(provider_id.get().unsigned_abs());
    let reasons = [
        "31", "31", "31", "31", "34", "34", "32", "33", "35", "38", "02",
    ];
    // Each provider its own clients: 60 numbers from its own block of the fictional range.
    let block = usize::try_from(provider_id.get() % 1000).unwrap_or(0) * 60;
    let bsns = fictional_bsns(block + 60);
    let mut cares = Vec::new();
    for n in 0..60u32 {
        let (municipality_code, product_code) = places[n as usize % places.len()].clone();
        let begin = today - TimeDelta::days(rng.i64(60..365));
        let end = (rng.u8(0..10) < 8).then(|| {
            let end = (begin + TimeDelta::days(rng.i64(30..300))).min(today - TimeDelta::days(1));
            (end, reasons[rng.usize(0..reasons.len())])
        });
        // Every tenth client is an earlier client who came back.
        let client = if n % 10 == 9 { n - 5 } else { n };
        cares.push(Care {
            toewijzing: 700_000 + n + 1000 * u32::try_from(provider_id.get() % 100).unwrap_or(0),
            bsn: bsns[block + client as usize].clone(),
            born: begin - TimeDelta::days(365 * rng.i64(5..17) + rng.i64(0..365)),
            municipality_code,
            product_code,
            begin,
            end,
        });
    }
    zip_of(&agb, &cares)
}

/// The message text of a list of cares, one after another in one file (for tests).
pub fn concatenated(agb: &str, cares: &[Care]) -> String {
    let mut out = String::new();
    for care in cares {
        out.push_str(&message_xml(
            agb,
            &format!("S{:09}", care.toewijzing),
            care.begin,
            care,
            false,
        ));
    }
    out
}

//! Tariffs as a file in the reference format (`../shared/reference/tariffs-*.csv`): a line
//! per profile number, a column per intensity, named by its code and how it is paid:
//! `intensief_eur` per trajectory, `duurzaam_eur_per_4_weeks`, `…_eur_per_hour`,
//! `…_eur_per_day`. One file is one region's tariffs from one date.

use chrono::NaiveDate;

use super::{NewAmount, in_force};
use crate::domain::values::Cents;
use crate::reference::model::{Intensity, ReferenceData, Tariff};

/// The column of an intensity.
pub fn column(intensity: &Intensity) -> String {
    let suffix = match intensity.paid_per.as_str() {
        "vier_weken" => "_per_4_weeks",
        "uur" => "_per_hour",
        "dag" => "_per_day",
        _ => "",
    };
    format!("{}_eur{suffix}", intensity.code)
}

fn intensities_of(reference: &ReferenceData, region: i64) -> Vec<&Intensity> {
    let mut list: Vec<&Intensity> = reference
        .intensities
        .iter()
        .filter(|i| i.region_id == region)
        .collect();
    list.sort_by_key(|i| i.sort_order);
    list
}

/// The region's tariffs in force on `on`, as the reference file; an empty cell has none.
pub fn export(
    reference: &ReferenceData,
    region: i64,
    tariffs: &[Tariff],
    on: NaiveDate,
) -> Vec<Vec<String>> {
    let intensities = intensities_of(reference, region);
    let mut rows = vec![
        std::iter::once("profile".to_owned())
            .chain(intensities.iter().map(|i| column(i)))
            .collect::<Vec<_>>(),
    ];
    for profile in reference.profiles.iter().filter(|p| p.region_id == region) {
        let mut row = vec![profile.number.to_string()];
        for intensity in &intensities {
            row.push(in_force(tariffs, profile.id, intensity.id, on).map_or_else(
                String::new,
                |t| {
                    if t.amount_cents % 100 == 0 {
                        (t.amount_cents / 100).to_string()
                    } else {
                        format!("{}.{:02}", t.amount_cents / 100, t.amount_cents % 100)
                    }
                },
            ));
        }
        rows.push(row);
    }
    rows
}

/// A problem with the file: the line (1 is the header) and what is wrong, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Reads a file for a region: every problem at once, or every amount. An empty cell leaves
/// that tariff as it is.
pub fn parse(
    reference: &ReferenceData,
    region: i64,
    bytes: &[u8],
) -> Result<Vec<NewAmount>, Vec<Problem>> {
    let problem = |line: usize, message: String| Problem { line, message };
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(if text.lines().next().is_some_and(|l| l.contains(';')) {
            b';'
        } else {
            b','
        })
        .from_reader(text.as_bytes());
    let Ok(header) = reader.headers().cloned() else {
        return Err(vec![problem(1, "Het bestand heeft geen kopregel.".into())]);
    };
    let intensities = intensities_of(reference, region);
    let mut problems = Vec::new();
    if header.get(0).map(str::trim) != Some("profile") {
        problems.push(problem(
            1,
            "De eerste kolom heet \"profile\": het nummer van het profiel.".into(),
        ));
    }
    let mut columns = Vec::new();
    for (index, name) in header.iter().enumerate().skip(1) {
        match intensities.iter().find(|i| column(i) == name.trim()) {
            Some(intensity) => columns.push((index, *intensity)),
            None => problems.push(problem(
                1,
                format!(
                    "De kolom \"{}\" kennen wij niet in deze regio. Gebruik: {}.",
                    name.trim(),
                    intensities
                        .iter()
                        .map(|i| column(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    let mut amounts = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let Ok(record) = record else {
            problems.push(problem(line, "Deze regel kunnen wij niet lezen.".into()));
            continue;
        };
        let number = record.get(0).unwrap_or("").trim();
        let profile = number
            .parse::<i32>()
            .ok()
            .and_then(|n| reference.profile_in_region(region, n));
        let Some(profile) = profile else {
            problems.push(problem(
                line,
                format!("Profiel \"{number}\" bestaat niet in deze regio."),
            ));
            continue;
        };
        for (index, intensity) in &columns {
            let typed = record.get(*index).unwrap_or("").trim();
            if typed.is_empty() {
                continue;
            }
            match Cents::try_from(typed) {
                Ok(cents) => amounts.push(NewAmount {
                    profile_id: profile.id,
                    intensity_id: intensity.id,
                    cents: cents.get(),
                }),
                Err(refused) => problems.push(problem(
                    line,
                    format!("Profiel {number}, {}: {}", intensity.name, refused.0),
                )),
            }
        }
    }
    if problems.is_empty() && amounts.is_empty() {
        problems.push(problem(1, "Het bestand heeft geen bedragen.".into()));
    }
    if problems.is_empty() {
        Ok(amounts)
    } else {
        Err(problems)
    }
}

//! The offer form and its checks: one offer per region, profile and intensity.

use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::admissions;
use crate::domain::ids::ProviderId;
use crate::domain::values::{WaitingWeeks, parse_field};
use crate::providers::model::{AdmissionStatus, Offer, Setting};
use crate::reference::ReferenceData;
use crate::web::FieldError;

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub(super) struct OfferForm {
    pub(super) regio: String,
    pub(super) profiel: String,
    pub(super) intensiteit: String,
    pub(super) gemeente: Vec<String>,
    pub(super) min_leeftijd: String,
    pub(super) max_leeftijd: String,
    pub(super) setting: String,
    /// Language codes from the list; older clients sent one comma-separated field.
    pub(super) talen: Vec<String>,
    pub(super) wachttijd: String,
    pub(super) nieuwe_clienten: String,
}

impl OfferForm {
    pub(super) fn from_offer(o: &Offer, reference: &ReferenceData, towns: &[i64]) -> Self {
        OfferForm {
            regio: reference
                .region(o.region_id)
                .map_or(String::new(), |r| r.slug.clone()),
            profiel: reference
                .profile(o.profile_id)
                .map_or(String::new(), |p| p.number.to_string()),
            intensiteit: reference
                .intensity(o.intensity_id)
                .map_or(String::new(), |i| i.code.clone()),
            gemeente: towns
                .iter()
                .filter_map(|m| reference.municipality(*m))
                .map(|m| m.slug.clone())
                .collect(),
            min_leeftijd: o.min_age.to_string(),
            max_leeftijd: o.max_age.to_string(),
            setting: o.setting.as_str().to_owned(),
            talen: o.language_codes().map(str::to_owned).collect(),
            wachttijd: o.waiting_weeks.to_string(),
            nieuwe_clienten: if o.accepts_new_clients {
                "ja".into()
            } else {
                "nee".into()
            },
        }
    }
}

/// The offer as it will be stored, after every check.
pub(super) struct CheckedOffer {
    pub(super) region_id: i64,
    pub(super) profile_id: i64,
    pub(super) intensity_id: i64,
    pub(super) municipality_ids: Vec<i64>,
    pub(super) min_age: i32,
    pub(super) max_age: i32,
    pub(super) setting: Setting,
    pub(super) languages: Vec<String>,
    pub(super) waiting_weeks: i32,
    pub(super) accepts_new_clients: bool,
}

pub(super) fn check_offer(
    form: &OfferForm,
    reference: &ReferenceData,
    allowed_regions: &[i64],
) -> Result<CheckedOffer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let region = reference
        .regions
        .iter()
        .find(|r| r.slug == form.regio && allowed_regions.contains(&r.id));
    if region.is_none() {
        errors.push(FieldError::new(
            "regio",
            "Kies een regio waar u bent aangemeld of toegelaten.",
        ));
    }
    let region_id = region.map_or(0, |r| r.id);
    let profile = form
        .profiel
        .parse::<i32>()
        .ok()
        .and_then(|n| reference.profile_in_region(region_id, n));
    let today = crate::clock::today();
    match profile {
        None => errors.push(FieldError::new("profiel", "Kies een profiel.")),
        Some(p) if !p.open_on(today) => errors.push(FieldError::new(
            "profiel",
            format!(
                "Profiel {} is gesloten: de regio koopt het niet meer in. Kies een ander profiel.",
                p.number
            ),
        )),
        Some(_) => {}
    }
    let intensity = reference.intensity_in_region(region_id, &form.intensiteit);
    match intensity {
        None => errors.push(FieldError::new("intensiteit", "Kies een intensiteit.")),
        Some(i) if !i.open_on(today) => errors.push(FieldError::new(
            "intensiteit",
            format!("De intensiteit {} is gesloten. Kies een andere.", i.name),
        )),
        Some(_) => {}
    }
    let mut municipality_ids = Vec::new();
    for slug in &form.gemeente {
        match reference.current_by_slug(slug) {
            Some(m) if m.region_id == region_id => municipality_ids.push(m.id),
            Some(m) => errors.push(FieldError::new(
                "gemeente",
                format!("{} hoort niet bij de gekozen regio.", m.name),
            )),
            None => errors.push(FieldError::new("gemeente", "Kies gemeenten uit de lijst.")),
        }
    }
    if form.gemeente.is_empty() {
        errors.push(FieldError::new(
            "gemeente",
            "Kies minstens één gemeente waar u deze hulp geeft.",
        ));
    }
    let age = |value: &str| {
        value
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|a| (0..=23).contains(a))
    };
    let (min_age, max_age) = (age(&form.min_leeftijd), age(&form.max_leeftijd));
    if min_age.is_none() {
        errors.push(FieldError::new(
            "min_leeftijd",
            "Vul een leeftijd in van 0 tot en met 23 jaar.",
        ));
    }
    if max_age.is_none() {
        errors.push(FieldError::new(
            "max_leeftijd",
            "Vul een leeftijd in van 0 tot en met 23 jaar.",
        ));
    }
    if let (Some(min), Some(max)) = (min_age, max_age)
        && min > max
    {
        errors.push(FieldError::new(
            "max_leeftijd",
            "De hoogste leeftijd moet gelijk zijn aan of hoger zijn dan de laagste.",
        ));
    }
    let setting = Setting::parse(&form.setting);
    if setting.is_none() {
        errors.push(FieldError::new(
            "setting",
            "Kies waar de hulp gegeven wordt.",
        ));
    }
    let mut languages: Vec<String> = form
        .talen
        .iter()
        .flat_map(|field| field.split(','))
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    languages.dedup();
    if languages.is_empty() {
        errors.push(FieldError::new(
            "talen",
            "Kies minstens één taal waarin u de hulp geeft.",
        ));
    } else if languages
        .iter()
        .any(|l| crate::providers::model::language_name(l).is_none())
    {
        errors.push(FieldError::new("talen", "Kies de talen uit de lijst."));
    }
    // Each language once, in the order of the list.
    languages.sort_by_key(|l| {
        crate::providers::model::LANGUAGES
            .iter()
            .position(|(c, _)| c == l)
    });
    languages.dedup();
    let waiting = parse_field::<WaitingWeeks>(&mut errors, "wachttijd", &form.wachttijd);
    if !matches!(form.nieuwe_clienten.as_str(), "ja" | "nee") {
        errors.push(FieldError::new(
            "nieuwe_clienten",
            "Kies of u nu nieuwe cliënten aanneemt.",
        ));
    }
    match (profile, intensity, min_age, max_age, setting, waiting) {
        (Some(p), Some(i), Some(min), Some(max), Some(setting), Some(waiting_weeks))
            if errors.is_empty() =>
        {
            Ok(CheckedOffer {
                region_id,
                profile_id: p.id,
                intensity_id: i.id,
                municipality_ids,
                min_age: min,
                max_age: max,
                setting,
                languages,
                waiting_weeks: waiting_weeks.weeks(),
                accepts_new_clients: form.nieuwe_clienten == "ja",
            })
        }
        _ => Err(errors),
    }
}

/// Regions where the provider may keep an offer: every admission that is not rejected or ended.
pub(super) fn open_regions(
    conn: &mut DbConnection,
    provider_id: ProviderId,
) -> QueryResult<Vec<i64>> {
    admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .filter(admissions::status.ne_all([AdmissionStatus::Afgewezen, AdmissionStatus::Beeindigd]))
        .select(admissions::region_id)
        .load(conn)
}

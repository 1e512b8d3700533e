//! Fictional demo data: providers with varied offers in every region, so that each profile
//! has several providers everywhere. Deterministic (seeded), so the demo looks the same on
//! every machine. The benchmark uses the same generator at a larger size.

pub mod accounts;

use std::collections::HashSet;

use chrono::Days;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{app_settings, providers};
use crate::providers::model::{insert_offers, insert_providers, set_admission};
use crate::providers::{AdmissionStatus, NewOffer, NewProvider, Setting};
use crate::reference::ReferenceData;
use crate::web::text::slugify;

pub const DEMO_PROVIDERS: usize = 60;
/// The demo accounts play together: the demo contract manager's region, and the demo
/// worker's municipality, where the first provider (the demo provider's) is admitted.
pub const DEMO_REGION: &str = "haaglanden";
pub const DEMO_MUNICIPALITY: &str = "delft";
const DEMO_SEED: u64 = 2026;
const DEMO_FLAG: &str = "demo_data";

const NAME_WORDS: [&str; 30] = [
    "Kompas",
    "Lindeboom",
    "Zonnewijzer",
    "Vlieger",
    "Waterlelie",
    "Wilgenhof",
    "Klaproos",
    "Vuurtoren",
    "Zeester",
    "Duinroos",
    "Boomgaard",
    "Kameleon",
    "Lantaarn",
    "Molenwiek",
    "Regenboogvis",
    "Sterrenkijker",
    "Uilenest",
    "Vlinderhof",
    "Walnoot",
    "Zandloper",
    "Bosuil",
    "Eikelmuis",
    "Havik",
    "Kastanje",
    "Meerkoet",
    "Paardenbloem",
    "Rietkraag",
    "Sleedoorn",
    "Tjiftjaf",
    "Veldkers",
];
const NAME_FORMS: [&str; 8] = [
    "Jeugdhulp {}",
    "Praktijk {}",
    "Gezinscoaching {}",
    "Stichting De {}",
    "{} Jeugd & Gezin",
    "Centrum {}",
    "{} Opvoedhulp",
    "Zorgboerderij De {}",
];
const FOCUS: [&str; 10] = [
    "vragen over opvoeden",
    "ruzie en spanning thuis",
    "autisme en ADHD",
    "angst en somberheid",
    "een scheiding",
    "leren en begrijpen",
    "gedrag op school",
    "rouw en verlies",
    "verslaving in het gezin",
    "een lichamelijke beperking",
];
const APPROACH: [&str; 6] = [
    "Wij werken met het hele gezin, thuis of op school.",
    "Elk kind heeft één vaste begeleider.",
    "Wij maken samen met u een plan met duidelijke doelen.",
    "Ouders doen mee in de behandeling.",
    "Wij werken met groepen van hooguit zes kinderen.",
    "Jongeren vanaf 17 jaar helpen wij ook op weg naar hun 18e.",
];
const STREETS: [&str; 8] = [
    "Lindelaan",
    "Kerkstraat",
    "Molenweg",
    "Stationsplein",
    "Parkstraat",
    "Dorpsstraat",
    "Havenkade",
    "Schoolstraat",
];
const LANGUAGES: [&str; 6] = ["en", "ar", "tr", "pl", "pap", "uk"];

/// Does this database hold the demo data (so every page must say so)?
pub fn is_demo(conn: &mut DbConnection) -> QueryResult<bool> {
    let flag: Option<String> = app_settings::table
        .filter(app_settings::key.eq(DEMO_FLAG))
        .select(app_settings::value)
        .first(conn)
        .optional()?;
    Ok(flag.as_deref() == Some("true"))
}

/// Adds the demo when there are no providers yet. Returns whether it did.
pub fn seed_if_empty(conn: &mut DbConnection) -> anyhow::Result<bool> {
    let count: i64 = providers::table.count().get_result(conn)?;
    if count > 0 {
        return Ok(false);
    }
    conn.write_transaction(|conn| {
        seed(conn, DEMO_PROVIDERS, DEMO_SEED)?;
        diesel::insert_into(app_settings::table)
            .values((
                app_settings::key.eq(DEMO_FLAG),
                app_settings::value.eq("true"),
            ))
            .execute(conn)?;
        anyhow::Ok(())
    })?;
    tracing::info!(providers = DEMO_PROVIDERS, "demo data added");
    Ok(true)
}

/// Adds `count` fictional providers with offers and admissions.
pub fn seed(conn: &mut DbConnection, count: usize, seed: u64) -> anyhow::Result<()> {
    let reference = ReferenceData::load(conn)?;
    anyhow::ensure!(
        !reference.regions.is_empty(),
        "load the reference data before the demo"
    );
    let mut rng = fastrand::Rng::with_seed(seed);
    let today = crate::clock::today();

    let mut slugs = HashSet::new();
    let mut homes = Vec::with_capacity(count);
    let mut new_providers = Vec::with_capacity(count);
    let demo_region = reference
        .regions
        .iter()
        .find(|r| r.slug == DEMO_REGION)
        .unwrap_or(&reference.regions[0]);
    for i in 0..count {
        // The first provider is the demo provider's: in the demo manager's region.
        let region = if i == 0 {
            demo_region
        } else {
            &reference.regions[i % reference.regions.len()]
        };
        let towns: Vec<_> = reference.municipalities_of(region.id).collect();
        let town = towns
            .get(rng.usize(..towns.len().max(1)))
            .map_or("", |m| m.name.as_str());
        let word = NAME_WORDS[(i / NAME_FORMS.len()) % NAME_WORDS.len()];
        let mut name = NAME_FORMS[i % NAME_FORMS.len()].replace("{}", word);
        if i >= NAME_WORDS.len() * NAME_FORMS.len() {
            name = format!("{name} {}", i / (NAME_WORDS.len() * NAME_FORMS.len()) + 1);
        }
        let mut slug = slugify(&name);
        while !slugs.insert(slug.clone()) {
            slug = format!("{slug}-{i}");
        }
        let focus = FOCUS[rng.usize(..FOCUS.len())];
        let focus2 = FOCUS[rng.usize(..FOCUS.len())];
        new_providers.push(NewProvider {
            description: format!(
                "{name} helpt kinderen, jongeren en hun ouders bij {focus} en {focus2}. Wij zitten in {town} en komen ook bij u thuis."
            ),
            approach: APPROACH[rng.usize(..APPROACH.len())].to_owned(),
            partners: if rng.u8(..10) == 0 { "Werkt samen met andere aanbieders in de regio.".into() } else { String::new() },
            website: Some(format!("https://{slug}.example")),
            email: format!("info@{slug}.example"),
            phone: None,
            street: format!("{} {}", STREETS[rng.usize(..STREETS.len())], rng.u16(1..200)),
            postal_code: format!("{} {}{}", rng.u16(1000..9999), rng.uppercase(), rng.uppercase()),
            city: town.to_owned(),
            kvk_number: format!("9{:07}", rng.u32(..10_000_000)),
            agb_code: format!("98{:06}", rng.u32(..1_000_000)),
            verlengde_jeugdhulp: rng.u8(..10) < 3,
            name,
            slug,
        });
        homes.push(region.id);
    }
    let ids = insert_providers(conn, &new_providers)?;
    anyhow::ensure!(ids.len() == count, "not every demo provider was stored");

    let mut offers = Vec::new();
    for (i, (provider_id, home)) in ids.iter().zip(&homes).enumerate() {
        let mut regions = vec![*home];
        if rng.u8(..4) == 0 {
            let other = &reference.regions[rng.usize(..reference.regions.len())];
            if other.id != *home {
                regions.push(other.id);
            }
        }
        for region_id in regions {
            // Most are admitted; a few wait or are suspended, and must not be public. The
            // demo provider is admitted, so the demo accounts can play a journey together.
            let status = match (i % 20, rng.u8(..100)) {
                (0, _) if i == 0 => AdmissionStatus::Toegelaten,
                (7, _) => AdmissionStatus::Aangemeld,
                (13, _) => AdmissionStatus::Opgeschort,
                (_, r) if r < 3 => AdmissionStatus::InBehandeling,
                _ => AdmissionStatus::Toegelaten,
            };
            let admitted_on = (status != AdmissionStatus::Aangemeld)
                .then(|| today.checked_sub_days(Days::new(rng.u64(30..1000))))
                .flatten();
            set_admission(conn, *provider_id, region_id, status, admitted_on)?;
            let mut made = demo_offers(&mut rng, &reference, *provider_id, region_id);
            if i == 0 {
                serve_demo_municipality(&reference, &mut made);
            }
            offers.extend(made);
        }
    }
    insert_offers(conn, &offers)?;
    Ok(())
}

/// The demo provider serves the demo worker's municipality with every offer.
fn serve_demo_municipality(reference: &ReferenceData, offers: &mut [NewOffer]) {
    let Some(town) = reference
        .municipalities
        .iter()
        .find(|m| m.slug == DEMO_MUNICIPALITY)
    else {
        return;
    };
    for offer in offers.iter_mut().filter(|o| o.region_id == town.region_id) {
        if !offer.municipality_ids.contains(&town.id) {
            offer.municipality_ids.push(town.id);
        }
        offer.accepts_new_clients = true;
    }
}

fn demo_offers(
    rng: &mut fastrand::Rng,
    reference: &ReferenceData,
    provider_id: i64,
    region_id: i64,
) -> Vec<NewOffer> {
    let profiles: Vec<_> = reference
        .profiles
        .iter()
        .filter(|p| p.region_id == region_id)
        .collect();
    let intensities: Vec<_> = reference
        .intensities
        .iter()
        .filter(|i| i.region_id == region_id)
        .collect();
    let towns: Vec<i64> = reference
        .municipalities_of(region_id)
        .map(|m| m.id)
        .collect();
    if profiles.is_empty() || intensities.is_empty() {
        return vec![];
    }
    let start = rng.usize(..profiles.len());
    let profile_count = rng.usize(3..=5).min(profiles.len());
    let step = if rng.bool() { 1 } else { 2 };
    let mut chosen = Vec::new();
    for k in 0..profile_count {
        let p = profiles[(start + k * step) % profiles.len()];
        if !chosen
            .iter()
            .any(|c: &&crate::reference::Profile| c.id == p.id)
        {
            chosen.push(p);
        }
    }
    let served: Vec<i64> = if rng.u8(..3) == 0 {
        towns.clone()
    } else {
        let mut t = towns.clone();
        rng.shuffle(&mut t);
        t.truncate(rng.usize(3..=6).min(towns.len()));
        t
    };
    let mut out = Vec::new();
    for profile in chosen {
        let first = rng.usize(..intensities.len());
        let count = rng.usize(1..=3);
        for k in 0..count {
            let intensity = intensities[(first + k) % intensities.len()];
            if out
                .iter()
                .any(|o: &NewOffer| o.profile_id == profile.id && o.intensity_id == intensity.id)
            {
                continue;
            }
            let (min_age, max_age) =
                [(0, 12), (4, 18), (12, 18), (12, 23), (0, 18)][rng.usize(..5)];
            let setting = match rng.u8(..20) {
                0..=11 => Setting::Ambulant,
                12..=16 => Setting::Dagbehandeling,
                _ => Setting::Verblijf,
            };
            let mut languages = vec!["nl".to_owned()];
            if rng.bool() {
                languages.push(LANGUAGES[rng.usize(..LANGUAGES.len())].to_owned());
            }
            out.push(NewOffer {
                provider_id,
                region_id,
                profile_id: profile.id,
                intensity_id: intensity.id,
                min_age,
                max_age,
                setting,
                languages,
                waiting_weeks: if intensity.code == "acuut" {
                    0
                } else {
                    i32::from(rng.u8(..17))
                },
                accepts_new_clients: rng.u8(..10) < 8,
                municipality_ids: served.clone(),
            });
        }
    }
    out
}

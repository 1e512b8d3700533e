//! The demo's providers and their listings: every size, in every region, and consistent with
//! themselves (ages and verlengde jeugdhulp, one waiting time per provider, one set of
//! languages, settings that fit the intensity).

use std::collections::HashSet;

use chrono::Days;

use super::{DEMO_MUNICIPALITY, DEMO_REGION};
use crate::db::DbConnection;
use crate::providers::model::{insert_admissions, insert_offers, insert_providers};
use crate::providers::{AdmissionStatus, NewOffer, NewProvider, Setting};
use crate::reference::ReferenceData;
use crate::web::text::slugify;

/// How much a provider does: its trajectories a year, over all its offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A small practice: too few cases a year for a score on most profiles.
    Klein,
    Middel,
    Groot,
}

impl Size {
    pub fn trajectories_a_year(self, rng: &mut fastrand::Rng) -> usize {
        match self {
            Size::Klein => rng.usize(5..=14),
            Size::Middel => rng.usize(30..=60),
            Size::Groot => rng.usize(120..=200),
        }
    }
}

/// A demo provider as made: its id, size, and its offers per region with the admission.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: i64,
    pub size: Size,
    pub regions: Vec<(i64, AdmissionStatus)>,
    pub offers: Vec<NewOffer>,
}

impl Listed {
    /// Offers in regions where the provider works (or worked, before a suspension).
    pub fn working_offers(&self) -> impl Iterator<Item = &NewOffer> {
        self.offers.iter().filter(|o| {
            self.regions.iter().any(|(r, s)| {
                *r == o.region_id
                    && matches!(s, AdmissionStatus::Toegelaten | AdmissionStatus::Opgeschort)
            })
        })
    }
}

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
/// What providers help with, per age group they work with (young children, school age,
/// teenagers), so a description never promises school help to toddlers.
const FOCUS: [[&str; 5]; 3] = [
    [
        "vragen over opvoeden",
        "slapen, eten en huilen",
        "ruzie en spanning thuis",
        "een scheiding",
        "een lichamelijke beperking",
    ],
    [
        "autisme en ADHD",
        "leren en begrijpen",
        "gedrag op school",
        "angst en somberheid",
        "rouw en verlies",
    ],
    [
        "angst en somberheid",
        "verslaving in het gezin",
        "school en werk",
        "ruzie en spanning thuis",
        "rouw en verlies",
    ],
];
/// How they work, per setting; ambulant help comes to the family.
const APPROACH: [&str; 4] = [
    "Elk kind heeft één vaste begeleider.",
    "Wij maken samen met u een plan met duidelijke doelen.",
    "Ouders doen mee in de behandeling.",
    "Wij bespreken elke drie maanden met u hoe het gaat.",
];
const GROUPS: &str = "Wij werken met groepen van hooguit zes kinderen.";
const EIGHTEEN: &str = "Jongeren vanaf 17 jaar helpen wij ook op weg naar hun 18e.";
/// A phone number in the region's area code that reaches nobody: no subscriber number
/// starts with 0 (`070 000 12 34`). Made from the provider's place in the list, so the
/// demo's random draws stay as they were.
fn demo_phone(region: &str, index: usize) -> String {
    let area = match region {
        "haaglanden" => "070",
        "west-brabant-west" => "076",
        "alkmaar" => "072",
        _ => "030",
    };
    let n = index % 10_000;
    format!("{area} 000 {:02} {:02}", n / 100, n % 100)
}

/// Postcodes as they are in each region (the first two digits), so addresses look right.
fn postcode_range(region: &str) -> std::ops::Range<u16> {
    match region {
        "haaglanden" => 2200..2800,
        "west-brabant-west" => 4600..4800,
        "alkmaar" => 1800..1900,
        _ => 1000..10000,
    }
}
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

/// Adds `count` fictional providers with offers and admissions. The first is the demo
/// provider's: admitted in the demo manager's region, serving the demo worker's town. In that
/// region one provider waits for admission, one is being assessed and one is suspended.
pub fn seed(
    conn: &mut DbConnection,
    count: usize,
    years: u32,
    seed: u64,
) -> anyhow::Result<Vec<Listed>> {
    let reference = ReferenceData::load(conn)?;
    anyhow::ensure!(
        !reference.regions.is_empty(),
        "load the reference data before the demo"
    );
    let mut rng = fastrand::Rng::with_seed(seed);
    let today = crate::clock::today();
    // The demo region first, so providers 0, 3, 6, … are at home there.
    let mut regions: Vec<_> = reference.regions.iter().collect();
    regions.sort_by_key(|r| r.slug != DEMO_REGION);

    let mut slugs = HashSet::new();
    let mut plans = Vec::with_capacity(count);
    let mut new_providers = Vec::with_capacity(count);
    for i in 0..count {
        let region = regions[i % regions.len()];
        let towns: Vec<_> = reference.municipalities_of(region.id).collect();
        let town = towns
            .get(rng.usize(..towns.len().max(1)))
            .map_or("", |m| m.name.as_str());
        // Thirty different words before a word comes back in another form.
        let word = NAME_WORDS[i % NAME_WORDS.len()];
        let mut name = NAME_FORMS[(i / NAME_WORDS.len()) % NAME_FORMS.len()].replace("{}", word);
        if i >= NAME_WORDS.len() * NAME_FORMS.len() {
            name = format!("{name} {}", i / (NAME_WORDS.len() * NAME_FORMS.len()) + 1);
        }
        let mut slug = slugify(&name);
        while !slugs.insert(slug.clone()) {
            slug = format!("{slug}-{i}");
        }
        let size = match (i, rng.u8(..100)) {
            (0, _) => Size::Middel,
            (_, 0..=24) => Size::Klein,
            (_, 25..=79) => Size::Middel,
            _ => Size::Groot,
        };
        let verlengde = rng.u8(..10) < 3;
        let profile = Profile::draw(&mut rng, size, verlengde);
        let focus = &FOCUS[profile.age_group];
        let first = rng.usize(..focus.len());
        let second = (first + 1 + rng.usize(..focus.len() - 1)) % focus.len();
        let whom = match profile.age_group {
            0 => "jonge kinderen en hun ouders",
            1 => "kinderen en hun ouders",
            _ => "jongeren en hun ouders",
        };
        let where_help = match profile.setting {
            Setting::Ambulant => format!("Wij zitten in {town} en komen bij u thuis of op school."),
            Setting::Dagbehandeling => {
                format!("Uw kind komt overdag bij ons op de groep in {town}.")
            }
            Setting::Verblijf => {
                format!("In {town} kunnen kinderen bij ons wonen als dat thuis even niet gaat.")
            }
        };
        let approach = if verlengde {
            EIGHTEEN
        } else if profile.setting != Setting::Ambulant && rng.bool() {
            GROUPS
        } else {
            APPROACH[rng.usize(..APPROACH.len())]
        };
        new_providers.push(NewProvider {
            description: format!(
                "{name} helpt {whom} bij {} en {}. {where_help}",
                focus[first], focus[second]
            ),
            approach: approach.to_owned(),
            partners: if rng.u8(..10) == 0 {
                "Werkt samen met andere aanbieders in de regio.".into()
            } else {
                String::new()
            },
            website: Some(format!("https://{slug}.example")),
            email: format!("info@{slug}.example"),
            phone: Some(demo_phone(&region.slug, new_providers.len())),
            street: format!(
                "{} {}",
                STREETS[rng.usize(..STREETS.len())],
                rng.u16(1..200)
            ),
            postal_code: format!(
                "{} {}{}",
                rng.u16(postcode_range(&region.slug)),
                rng.uppercase(),
                rng.uppercase()
            ),
            city: town.to_owned(),
            kvk_number: format!("9{:07}", rng.u32(..10_000_000)),
            agb_code: format!("98{:06}", rng.u32(..1_000_000)),
            verlengde_jeugdhulp: verlengde,
            name,
            slug,
        });
        plans.push((region.id, size, profile));
    }
    let started = std::time::Instant::now();
    let ids = insert_providers(conn, &new_providers)?;
    tracing::debug!(ms = started.elapsed().as_millis(), "demo: providers stored");
    anyhow::ensure!(ids.len() == count, "not every demo provider was stored");

    let mut listed = Vec::with_capacity(count);
    let mut offers = Vec::new();
    let mut admitted = Vec::new();
    for (i, (id, (home, size, profile))) in ids.iter().zip(plans).enumerate() {
        let mut in_regions = vec![home];
        if size != Size::Klein && rng.u8(..4) == 0 {
            let other = regions[rng.usize(..regions.len())];
            if other.id != home {
                in_regions.push(other.id);
            }
        }
        let mut provider = Listed {
            id: *id,
            size,
            regions: vec![],
            offers: vec![],
        };
        for region_id in in_regions {
            let status = admission(i, region_id == home, rng.u8(..100));
            // Working providers were admitted before the history starts; the others are
            // not admitted (yet).
            let admitted_on = matches!(
                status,
                AdmissionStatus::Toegelaten | AdmissionStatus::Opgeschort
            )
            .then(|| today.checked_sub_days(Days::new(u64::from(years) * 365 + rng.u64(60..300))))
            .flatten();
            admitted.push((*id, region_id, status, admitted_on));
            let mut made = profile.offers(&mut rng, &reference, *id, region_id);
            if i == 0 {
                serve_demo_municipality(&reference, &mut made);
            }
            provider.regions.push((region_id, status));
            provider.offers.extend(made);
        }
        offers.extend(provider.offers.iter().cloned());
        listed.push(provider);
    }
    insert_admissions(conn, &admitted)?;
    store_history(conn, &admitted, today, &mut rng)?;
    super::execution::store(conn, &admitted, today)?;
    tracing::debug!(
        ms = started.elapsed().as_millis(),
        "demo: admissions stored"
    );
    // Storing the offers puts the admitted providers in the catalogue.
    insert_offers(conn, &offers)?;
    Ok(listed)
}

/// The admission history the contract manager reads: registered, assessed, admitted, and
/// for a suspension the reason.
fn store_history(
    conn: &mut DbConnection,
    admitted: &[(i64, i64, AdmissionStatus, Option<chrono::NaiveDate>)],
    today: chrono::NaiveDate,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<()> {
    use crate::db::schema::admission_events;
    use diesel::prelude::*;
    let now = crate::clock::now();
    let ago = |rng: &mut fastrand::Rng, range: std::ops::Range<u64>| {
        today
            .checked_sub_days(Days::new(rng.u64(range)))
            .unwrap_or(today)
    };
    let mut events: Vec<(i64, i64, AdmissionStatus, &'static str, chrono::NaiveDate)> = Vec::new();
    for (provider, region, status, admitted_on) in admitted {
        let (provider, region) = (*provider, *region);
        match (status, admitted_on) {
            (AdmissionStatus::Aangemeld, _) => {
                events.push((provider, region, *status, "", ago(rng, 1..15)));
            }
            (AdmissionStatus::InBehandeling, _) => {
                events.push((
                    provider,
                    region,
                    AdmissionStatus::Aangemeld,
                    "",
                    ago(rng, 12..30),
                ));
                events.push((
                    provider,
                    region,
                    *status,
                    "De contractmanager bekijkt de stukken.",
                    ago(rng, 1..10),
                ));
            }
            (_, Some(on)) => {
                let registered = on
                    .checked_sub_days(Days::new(rng.u64(14..40)))
                    .unwrap_or(*on);
                events.push((provider, region, AdmissionStatus::Aangemeld, "", registered));
                events.push((
                    provider,
                    region,
                    AdmissionStatus::Toegelaten,
                    "Voldoet aan alle eisen van de procesovereenkomst.",
                    *on,
                ));
                if *status == AdmissionStatus::Opgeschort {
                    events.push((provider, region, *status, "Twee kwartalen geen resultaten aangeleverd. Na herstel kan de aanbieder weer in de catalogus.", ago(rng, 10..60)));
                }
            }
            _ => {}
        }
    }
    let rows: Vec<_> = events
        .iter()
        .map(|(provider, region, status, reason, on)| {
            (
                admission_events::provider_id.eq(*provider),
                admission_events::region_id.eq(*region),
                admission_events::status.eq(status),
                admission_events::reason.eq(*reason),
                admission_events::effective_on.eq(*on),
                admission_events::created_at.eq(on.and_hms_opt(10, 0, 0).unwrap_or(now)),
            )
        })
        .collect();
    crate::batch_insert!(&mut *conn, admission_events::table, &rows)?;
    store_signatures(conn, &events)?;
    Ok(())
}

/// Every demo provider signed its region's procesovereenkomst when it registered (the first
/// event of each admission), before this database held it: a signer's name, no account.
fn store_signatures(
    conn: &mut DbConnection,
    events: &[(i64, i64, AdmissionStatus, &'static str, chrono::NaiveDate)],
) -> anyhow::Result<()> {
    use crate::db::schema::agreement_signatures;
    use diesel::prelude::*;
    let agreements = crate::providers::agreements::current(conn)?;
    let mut registered: std::collections::BTreeMap<(i64, i64), chrono::NaiveDate> =
        std::collections::BTreeMap::new();
    for (provider, region, _, _, on) in events {
        registered
            .entry((*provider, *region))
            .and_modify(|first| *first = (*first).min(*on))
            .or_insert(*on);
    }
    let now = crate::clock::now();
    let mut rows = Vec::with_capacity(registered.len());
    for ((provider, region), on) in registered {
        let Some(agreement) = agreements.iter().find(|a| a.region_id == region) else {
            continue;
        };
        rows.push((
            agreement_signatures::provider_id.eq(provider),
            agreement_signatures::agreement_id.eq(agreement.id),
            agreement_signatures::user_id.eq(None::<i64>),
            agreement_signatures::signer_name.eq("de bestuurder (demo)"),
            agreement_signatures::declarations.eq(agreement.requirement_list().join("\n")),
            agreement_signatures::signed_at.eq(on.and_hms_opt(9, 0, 0).unwrap_or(now)),
        ));
    }
    crate::batch_insert!(&mut *conn, agreement_signatures::table, &rows)?;
    Ok(())
}

/// Most providers are admitted. Providers 0, 3, 6, … are at home in the demo region: there
/// the 8th waits for admission, the 15th is being assessed and the 12th is suspended, so the
/// demo contract manager has something of each; elsewhere a few of each.
fn admission(i: usize, at_home: bool, roll: u8) -> AdmissionStatus {
    match (i, at_home) {
        (0, _) => AdmissionStatus::Toegelaten,
        (21, true) => AdmissionStatus::Aangemeld,
        (42, true) => AdmissionStatus::InBehandeling,
        (33, true) => AdmissionStatus::Opgeschort,
        _ if i % 20 == 7 => AdmissionStatus::Aangemeld,
        _ if i % 20 == 13 => AdmissionStatus::Opgeschort,
        _ if roll < 3 => AdmissionStatus::InBehandeling,
        _ => AdmissionStatus::Toegelaten,
    }
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

/// What holds for all of a provider's offers: so the card, the page and the comparison tell
/// the same story.
struct Profile {
    /// 0: young children (0-11), 1: school age (4-17), 2: teenagers (12-17, or to 23).
    age_group: usize,
    profiles: usize,
    verlengde: bool,
    wait: i32,
    full: bool,
    setting: Setting,
    languages: Vec<String>,
}

impl Profile {
    fn draw(rng: &mut fastrand::Rng, size: Size, verlengde: bool) -> Profile {
        let mut languages = vec!["nl".to_owned()];
        if rng.bool() {
            languages.push(LANGUAGES[rng.usize(..LANGUAGES.len())].to_owned());
        }
        Profile {
            age_group: if verlengde { 2 } else { rng.usize(..3) },
            profiles: match size {
                Size::Klein => rng.usize(2..=3),
                Size::Middel => rng.usize(3..=5),
                Size::Groot => rng.usize(5..=7),
            },
            verlengde,
            wait: i32::from(rng.u8(..15)),
            // One in ten takes nobody new at the moment.
            full: rng.u8(..10) == 0,
            setting: match rng.u8(..20) {
                0..=13 => Setting::Ambulant,
                14..=17 => Setting::Dagbehandeling,
                _ => Setting::Verblijf,
            },
            languages,
        }
    }

    fn offers(
        &self,
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
        let served: Vec<i64> = if rng.u8(..3) == 0 {
            towns.clone()
        } else {
            let mut t = towns.clone();
            rng.shuffle(&mut t);
            t.truncate(rng.usize(3..=6).min(towns.len()));
            t
        };
        let mut chosen: Vec<&crate::reference::Profile> = profiles.clone();
        rng.shuffle(&mut chosen);
        chosen.truncate(self.profiles.min(profiles.len()));
        let mut out = Vec::new();
        for (k, profile) in chosen.into_iter().enumerate() {
            let first = rng.usize(..intensities.len());
            for step in 0..rng.usize(1..=3) {
                let intensity = intensities[(first + step) % intensities.len()];
                // Ages: verlengde jeugdhulp (18 to 23) only where the provider says so, and
                // then on its first offer at least.
                let (min_age, max_age) = if self.verlengde && (k == 0 || rng.bool()) {
                    [(12, 23), (16, 23)][rng.usize(..2)]
                } else {
                    match self.age_group {
                        0 => [(0, 5), (0, 11), (4, 11)][rng.usize(..3)],
                        1 => [(4, 17), (6, 17), (4, 11)][rng.usize(..3)],
                        _ => [(12, 17), (10, 17)][rng.usize(..2)],
                    }
                };
                // Residential care only for intensive and lasting help.
                let setting = match (self.setting, intensity.code.as_str()) {
                    (Setting::Verblijf, "intensief" | "duurzaam") => Setting::Verblijf,
                    (Setting::Verblijf, _) => Setting::Dagbehandeling,
                    (s, _) => s,
                };
                out.push(NewOffer {
                    provider_id,
                    region_id,
                    profile_id: profile.id,
                    intensity_id: intensity.id,
                    min_age,
                    max_age,
                    setting,
                    languages: self.languages.clone(),
                    // One waiting time per provider; acute help starts at once.
                    waiting_weeks: if intensity.code == "acuut" {
                        0
                    } else {
                        self.wait + i32::from(rng.u8(..2))
                    },
                    accepts_new_clients: !self.full,
                    municipality_ids: served.clone(),
                });
            }
        }
        out
    }
}

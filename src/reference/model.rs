use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbConnection;
use crate::db::schema::{
    intensities, municipalities, profiles, regions, satisfaction_items, tariffs,
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = regions)]
pub struct Region {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub procurement_method: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = municipalities)]
pub struct Municipality {
    pub id: i64,
    pub region_id: i64,
    pub slug: String,
    pub name: String,
    /// The CBS gemeentecode, four digits ("0503" for Delft): how iJw messages name it.
    pub cbs_code: String,
    /// The municipality it merged into, and from when.
    pub merged_into_id: Option<i64>,
    pub merged_on: Option<NaiveDate>,
    /// A move to another region that is yet to come, and from when.
    pub moves_to_region_id: Option<i64>,
    pub moves_on: Option<NaiveDate>,
}

impl Municipality {
    /// Whether it still exists on this day (not merged into another by then).
    pub fn exists_on(&self, day: NaiveDate) -> bool {
        self.merged_on.is_none_or(|on| on > day)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = profiles)]
pub struct Profile {
    pub id: i64,
    pub region_id: i64,
    pub number: i32,
    pub name: String,
    pub description: String,
    /// Not chosen for new hulpvragen and offers from this day on; what uses it keeps it.
    pub closed_from: Option<NaiveDate>,
}

impl Profile {
    /// Open for new hulpvragen and offers on this day.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.closed_from.is_none_or(|from| from > day)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = intensities)]
pub struct Intensity {
    pub id: i64,
    pub region_id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub paid_per: String,
    pub sort_order: i32,
    /// Not chosen for new hulpvragen and offers from this day on; what uses it keeps it.
    pub closed_from: Option<NaiveDate>,
}

/// How an intensity is paid: per trajectory, per 4 weeks, or (P×Q) per hour or per day.
pub const PAID_PER: [(&str, &str); 4] = [
    ("traject", "per traject"),
    ("vier_weken", "per 4 weken"),
    ("uur", "per uur"),
    ("dag", "per dag"),
];

impl Intensity {
    pub fn paid_per_label(&self) -> &'static str {
        PAID_PER
            .iter()
            .find(|(code, _)| *code == self.paid_per)
            .map_or("per traject", |(_, label)| label)
    }

    /// Open for new hulpvragen and offers on this day.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.closed_from.is_none_or(|from| from > day)
    }
}

/// A question the region asks families after care (a satisfaction sub-indicator).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = satisfaction_items)]
pub struct SatisfactionItem {
    pub id: i64,
    pub region_id: i64,
    pub code: String,
    /// The sub-indicator, e.g. "ervaren effectiviteit".
    pub name: String,
    /// As families read it, e.g. "Heeft de hulp geholpen?".
    pub question: String,
    pub sort_order: i32,
    /// Not asked from this day on; the answers given keep counting.
    pub closed_from: Option<NaiveDate>,
}

impl SatisfactionItem {
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.closed_from.is_none_or(|from| from > day)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tariffs)]
pub struct Tariff {
    pub id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub amount_cents: i64,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// Invented for the demo (a region whose real tariffs we do not have).
    pub fictional: bool,
}

/// All reference tables at once: a few dozen rows, read together so pages and filters can
/// resolve slugs, numbers and codes without further queries.
#[derive(Debug, Clone, Default)]
pub struct ReferenceData {
    pub regions: Vec<Region>,
    pub municipalities: Vec<Municipality>,
    pub profiles: Vec<Profile>,
    pub intensities: Vec<Intensity>,
    pub satisfaction_items: Vec<SatisfactionItem>,
}

/// A profile number as the public sees it, across regions: the description of the first
/// region that uses it.
pub struct ProfileSummary<'a> {
    pub number: i32,
    pub name: &'a str,
    pub description: &'a str,
}

/// An intensity code across regions.
pub struct IntensitySummary<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
}

impl ReferenceData {
    pub fn load(conn: &mut DbConnection) -> QueryResult<Self> {
        Ok(ReferenceData {
            regions: regions::table
                .order(regions::name)
                .select(Region::as_select())
                .load(conn)?,
            municipalities: municipalities::table
                .order(municipalities::name)
                .select(Municipality::as_select())
                .load(conn)?,
            profiles: profiles::table
                .order((profiles::number, profiles::region_id))
                .select(Profile::as_select())
                .load(conn)?,
            intensities: intensities::table
                .order((intensities::sort_order, intensities::region_id))
                .select(Intensity::as_select())
                .load(conn)?,
            satisfaction_items: satisfaction_items::table
                .order((
                    satisfaction_items::region_id,
                    satisfaction_items::sort_order,
                ))
                .select(SatisfactionItem::as_select())
                .load(conn)?,
        })
    }

    /// The questions a family of this region is asked on this day, in order.
    pub fn questions(&self, region_id: i64, day: NaiveDate) -> Vec<&SatisfactionItem> {
        self.satisfaction_items
            .iter()
            .filter(|i| i.region_id == region_id && i.open_on(day))
            .collect()
    }

    pub fn satisfaction_item(&self, id: i64) -> Option<&SatisfactionItem> {
        self.satisfaction_items.iter().find(|i| i.id == id)
    }

    pub fn region(&self, id: i64) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The municipality of this slug as it was, merged or not (what a trajectory names).
    pub fn municipality_by_slug(&self, slug: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.slug == slug)
    }

    /// The municipality an address names today: a merged one leads to the one it became
    /// (`?gemeente=langedijk` finds Dijk en Waard).
    pub fn current_by_slug(&self, slug: &str) -> Option<&Municipality> {
        let today = crate::clock::today();
        let mut found = self.municipality_by_slug(slug)?;
        // A chain of mergers ends; a loop in bad data stops after as many steps as there are.
        for _ in 0..self.municipalities.len() {
            if found.exists_on(today) {
                return Some(found);
            }
            found = self.municipality(found.merged_into_id?)?;
        }
        None
    }

    pub fn municipality(&self, id: i64) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.id == id)
    }

    /// The municipalities of a region today (merged ones left out).
    pub fn municipalities_of(&self, region_id: i64) -> impl Iterator<Item = &Municipality> {
        let today = crate::clock::today();
        self.municipalities
            .iter()
            .filter(move |m| m.region_id == region_id && m.exists_on(today))
    }

    pub fn profile(&self, id: i64) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    pub fn intensity(&self, id: i64) -> Option<&Intensity> {
        self.intensities.iter().find(|i| i.id == id)
    }

    /// Profile numbers in use anywhere, in order, each once.
    pub fn profile_summaries(&self) -> Vec<ProfileSummary<'_>> {
        let mut out: Vec<ProfileSummary<'_>> = self
            .profiles
            .iter()
            .map(|p| ProfileSummary {
                number: p.number,
                name: &p.name,
                description: &p.description,
            })
            .collect();
        // A stable sort: for each number the first region's wording stays.
        out.sort_by_key(|p| p.number);
        out.dedup_by_key(|p| p.number);
        out
    }

    /// The region's profile with this number.
    pub fn profile_in_region(&self, region_id: i64, number: i32) -> Option<&Profile> {
        self.profiles
            .iter()
            .find(|p| p.region_id == region_id && p.number == number)
    }

    /// The region's intensity with this code.
    pub fn intensity_in_region(&self, region_id: i64, code: &str) -> Option<&Intensity> {
        self.intensities
            .iter()
            .find(|i| i.region_id == region_id && i.code == code)
    }

    pub fn profile_summary(&self, number: i32) -> Option<ProfileSummary<'_>> {
        self.profile_summaries()
            .into_iter()
            .find(|p| p.number == number)
    }

    /// Intensity codes in use anywhere, in their usual order, each once.
    pub fn intensity_summaries(&self) -> Vec<IntensitySummary<'_>> {
        let mut out: Vec<IntensitySummary<'_>> = Vec::new();
        for i in &self.intensities {
            if !out.iter().any(|s| s.code == i.code) {
                out.push(IntensitySummary {
                    code: &i.code,
                    name: &i.name,
                    description: &i.description,
                });
            }
        }
        out
    }
}

/// Tariffs of every region for one profile number, with the profile and intensity they
/// belong to, ordered by region and intensity.
pub fn tariffs_for_profile_number(
    conn: &mut DbConnection,
    number: i32,
) -> QueryResult<Vec<(Tariff, Profile, Intensity)>> {
    tariffs::table
        .inner_join(profiles::table)
        .inner_join(intensities::table)
        .filter(profiles::number.eq(number))
        .order((
            profiles::region_id,
            intensities::sort_order,
            tariffs::valid_from.desc(),
        ))
        .select((
            Tariff::as_select(),
            Profile::as_select(),
            Intensity::as_select(),
        ))
        .load(conn)
}

pub fn all_tariffs(conn: &mut DbConnection) -> QueryResult<Vec<Tariff>> {
    tariffs::table
        .order((
            tariffs::profile_id,
            tariffs::intensity_id,
            tariffs::valid_from.desc(),
        ))
        .select(Tariff::as_select())
        .load(conn)
}

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{admissions, offer_municipalities, offers, providers};
use crate::web::text::fold;

pub use crate::domain::provider::{AdmissionStatus, ProviderStatus};

pub use crate::domain::provider::Setting;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = providers)]
pub struct Provider {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kvk_number: String,
    pub agb_code: String,
    pub description: String,
    pub approach: String,
    pub partners: String,
    pub website: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub verlengde_jeugdhulp: bool,
    pub status: ProviderStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the provider last confirmed its listing (every 6 months; see `checks`).
    pub listing_checked_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admissions)]
pub struct Admission {
    pub id: i64,
    pub provider_id: i64,
    pub region_id: i64,
    pub status: AdmissionStatus,
    pub admitted_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

impl Admission {
    pub fn status(&self) -> AdmissionStatus {
        self.status
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub struct Offer {
    pub id: i64,
    pub provider_id: i64,
    pub region_id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub min_age: i32,
    pub max_age: i32,
    pub setting: Setting,
    pub languages: String,
    pub waiting_weeks: i32,
    pub accepts_new_clients: bool,
    /// When the offer was last changed.
    pub updated_at: NaiveDateTime,
    /// When the provider last changed or confirmed its waiting time: shown as "bijgewerkt
    /// op" beside it (confirmed every month; see `checks`).
    pub waiting_checked_at: NaiveDateTime,
}

/// The languages an offer can be given in, as chosen from a list (codes after ISO 639):
/// the languages most spoken in Dutch families besides Dutch.
pub const LANGUAGES: [(&str, &str); 11] = [
    ("nl", "Nederlands"),
    ("en", "Engels"),
    ("ar", "Arabisch"),
    ("tr", "Turks"),
    ("pl", "Pools"),
    ("pap", "Papiaments"),
    ("uk", "Oekraïens"),
    ("de", "Duits"),
    ("fr", "Frans"),
    ("so", "Somalisch"),
    ("ti", "Tigrinya"),
];

/// The Dutch name of a language code from [`LANGUAGES`].
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The code of a language as stored or typed: a code from [`LANGUAGES`] or its Dutch name
/// in any case ("engels"), as offers typed before the list was introduced hold them.
pub fn language_code(text: &str) -> Option<&'static str> {
    let text = text.trim();
    LANGUAGES
        .iter()
        .find(|(code, name)| {
            code.eq_ignore_ascii_case(text) || name.to_lowercase() == text.to_lowercase()
        })
        .map(|(code, _)| *code)
}

impl Offer {
    /// The offer's languages as known codes, each once, in the order of the list; anything
    /// that is no known language or name of one is left out.
    pub fn language_codes(&self) -> impl Iterator<Item = &'static str> {
        let mut codes: Vec<&'static str> = self
            .languages
            .split(',')
            .filter_map(language_code)
            .collect();
        codes.sort_by_key(|c| LANGUAGES.iter().position(|(code, _)| code == c));
        codes.dedup();
        codes.into_iter()
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    #[test]
    fn typed_language_names_read_as_codes_once() {
        let offer = |languages: &str| Offer {
            id: 1,
            provider_id: 1,
            region_id: 1,
            profile_id: 1,
            intensity_id: 1,
            min_age: 0,
            max_age: 18,
            setting: Setting::Ambulant,
            languages: languages.into(),
            waiting_weeks: 0,
            accepts_new_clients: true,
            updated_at: NaiveDateTime::default(),
            waiting_checked_at: NaiveDateTime::default(),
        };
        let codes = |l: &str| offer(l).language_codes().collect::<Vec<_>>();
        assert_eq!(codes("Nederlands, engels, nederlands"), ["nl", "en"]);
        assert_eq!(codes("ar,nl"), ["nl", "ar"]);
        assert_eq!(codes("klingon, "), Vec::<&str>::new());
    }
}

/// A provider as it is first stored. Validation of KvK-nummer and AGB-code happens where
/// the input enters (registration); the database checks the lengths once more.
#[derive(Debug, Clone, Default)]
pub struct NewProvider {
    pub slug: String,
    pub name: String,
    pub kvk_number: String,
    pub agb_code: String,
    pub description: String,
    pub approach: String,
    pub partners: String,
    pub website: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub verlengde_jeugdhulp: bool,
}

#[derive(Insertable)]
#[diesel(table_name = providers)]
struct ProviderRow<'a> {
    slug: &'a str,
    name: &'a str,
    kvk_number: &'a str,
    agb_code: &'a str,
    description: &'a str,
    approach: &'a str,
    partners: &'a str,
    website: Option<&'a str>,
    email: &'a str,
    phone: Option<&'a str>,
    street: &'a str,
    postal_code: &'a str,
    city: &'a str,
    verlengde_jeugdhulp: bool,
    status: ProviderStatus,
    search_text: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    listing_checked_at: NaiveDateTime,
}

impl NewProvider {
    /// What the catalogue's text search looks in, folded once here.
    pub fn search_text(&self) -> String {
        fold(
            &[
                &self.name,
                &self.city,
                &self.description,
                &self.approach,
                &self.partners,
            ]
            .map(|s| s.as_str())
            .join(" "),
        )
    }

    fn row(&self, now: NaiveDateTime) -> ProviderRow<'_> {
        ProviderRow {
            slug: &self.slug,
            name: &self.name,
            kvk_number: &self.kvk_number,
            agb_code: &self.agb_code,
            description: &self.description,
            approach: &self.approach,
            partners: &self.partners,
            website: self.website.as_deref(),
            email: &self.email,
            phone: self.phone.as_deref(),
            street: &self.street,
            postal_code: &self.postal_code,
            city: &self.city,
            verlengde_jeugdhulp: self.verlengde_jeugdhulp,
            status: ProviderStatus::Actief,
            search_text: self.search_text(),
            created_at: now,
            updated_at: now,
            // A new listing is as its provider just wrote it.
            listing_checked_at: now,
        }
    }

    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i64> {
        diesel::insert_into(providers::table)
            .values(self.row(crate::clock::now()))
            .returning(providers::id)
            .get_result(conn)
    }
}

/// Many providers in as few statements as the backends allow; returns their ids in order.
pub fn insert_providers(conn: &mut DbConnection, new: &[NewProvider]) -> QueryResult<Vec<i64>> {
    let now = crate::clock::now();
    let mut ids = Vec::with_capacity(new.len());
    // A thousand at a time: the insert chunks itself, the lookup of the new ids by slug is
    // one `IN` list per thousand.
    for chunk in new.chunks(1000) {
        let rows: Vec<ProviderRow<'_>> = chunk.iter().map(|p| p.row(now)).collect();
        crate::batch_insert!(&mut *conn, providers::table, &rows)?;
        let slugs: Vec<&str> = chunk.iter().map(|p| p.slug.as_str()).collect();
        let by_slug: HashMap<String, i64> = providers::table
            .filter(providers::slug.eq_any(&slugs))
            .select((providers::slug, providers::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        ids.extend(chunk.iter().filter_map(|p| by_slug.get(&p.slug).copied()));
    }
    Ok(ids)
}

pub fn set_admission(
    conn: &mut DbConnection,
    provider_id: i64,
    region_id: i64,
    status: AdmissionStatus,
    admitted_on: Option<NaiveDate>,
) -> QueryResult<()> {
    let ends_on = agreement_ends(admitted_on);
    let now = crate::clock::now();
    let changed = diesel::update(admissions::table)
        .filter(admissions::provider_id.eq(provider_id))
        .filter(admissions::region_id.eq(region_id))
        .set((
            admissions::status.eq(status),
            admissions::admitted_on.eq(admitted_on),
            admissions::ends_on.eq(ends_on),
            admissions::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(admissions::table)
            .values((
                admissions::provider_id.eq(provider_id),
                admissions::region_id.eq(region_id),
                admissions::status.eq(status),
                admissions::admitted_on.eq(admitted_on),
                admissions::ends_on.eq(ends_on),
                admissions::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    // Admitted today: the uitvoeringsovereenkomst comes with the admission.
    if status == AdmissionStatus::Toegelaten {
        for year in super::execution::with_admission(crate::clock::today()) {
            super::execution::grant(conn, provider_id, region_id, year, None)?;
        }
    }
    crate::read_model::providers_changed(conn, &[provider_id])
}

/// The procesovereenkomst runs three years from admission.
fn agreement_ends(admitted_on: Option<NaiveDate>) -> Option<NaiveDate> {
    admitted_on.and_then(|d| d.checked_add_months(chrono::Months::new(36)))
}

/// Stores the admissions of providers that have none yet, in bulk (the demo at scale), as
/// [`set_admission`] would one by one. The catalogue follows when their offers are stored.
pub fn insert_admissions(
    conn: &mut DbConnection,
    list: &[(i64, i64, AdmissionStatus, Option<NaiveDate>)],
) -> QueryResult<usize> {
    let now = crate::clock::now();
    let rows: Vec<_> = list
        .iter()
        .map(|(provider, region, status, admitted_on)| {
            (
                admissions::provider_id.eq(*provider),
                admissions::region_id.eq(*region),
                admissions::status.eq(status),
                admissions::admitted_on.eq(*admitted_on),
                admissions::ends_on.eq(agreement_ends(*admitted_on)),
                admissions::updated_at.eq(now),
            )
        })
        .collect();
    crate::batch_insert!(&mut *conn, admissions::table, &rows)
}

/// One line of a provider's offer, with the municipalities where it is given.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub provider_id: i64,
    pub region_id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub min_age: i32,
    pub max_age: i32,
    pub setting: Setting,
    pub languages: Vec<String>,
    pub waiting_weeks: i32,
    pub accepts_new_clients: bool,
    pub municipality_ids: Vec<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = offers)]
struct OfferRow {
    provider_id: i64,
    region_id: i64,
    profile_id: i64,
    intensity_id: i64,
    min_age: i32,
    max_age: i32,
    setting: Setting,
    languages: String,
    waiting_weeks: i32,
    accepts_new_clients: bool,
    updated_at: NaiveDateTime,
    waiting_checked_at: NaiveDateTime,
}

/// Inserts offers with their municipalities, batched.
pub fn insert_offers(conn: &mut DbConnection, new: &[NewOffer]) -> QueryResult<()> {
    let now = crate::clock::now();
    let mut touched = Vec::new();
    for chunk in new.chunks(2000) {
        let rows: Vec<OfferRow> = chunk
            .iter()
            .map(|o| OfferRow {
                provider_id: o.provider_id,
                region_id: o.region_id,
                profile_id: o.profile_id,
                intensity_id: o.intensity_id,
                min_age: o.min_age,
                max_age: o.max_age,
                setting: o.setting,
                languages: o.languages.join(","),
                waiting_weeks: o.waiting_weeks,
                accepts_new_clients: o.accepts_new_clients,
                updated_at: now,
                waiting_checked_at: now,
            })
            .collect();
        crate::batch_insert!(&mut *conn, offers::table, &rows)?;
        // An offer is unique per provider, profile and intensity: read the new ids back by that.
        let provider_ids: Vec<i64> = chunk.iter().map(|o| o.provider_id).collect();
        let ids: HashMap<(i64, i64, i64), i64> = offers::table
            .filter(offers::provider_id.eq_any(&provider_ids))
            .select((
                offers::provider_id,
                offers::profile_id,
                offers::intensity_id,
                offers::id,
            ))
            .load::<(i64, i64, i64, i64)>(conn)?
            .into_iter()
            .map(|(p, pr, i, id)| ((p, pr, i), id))
            .collect();
        let links: Vec<_> = chunk
            .iter()
            .filter_map(|o| {
                ids.get(&(o.provider_id, o.profile_id, o.intensity_id))
                    .map(|id| (o, *id))
            })
            .flat_map(|(o, id)| {
                o.municipality_ids.iter().map(move |m| {
                    (
                        offer_municipalities::offer_id.eq(id),
                        offer_municipalities::municipality_id.eq(*m),
                    )
                })
            })
            .collect();
        crate::batch_insert!(&mut *conn, offer_municipalities::table, &links)?;
        touched.extend(provider_ids);
    }
    touched.sort_unstable();
    touched.dedup();
    crate::read_model::providers_changed(conn, &touched)?;
    Ok(())
}

/// What a provider still has to do or wait for before it is in the catalogue.
pub struct NextSteps {
    /// Its offers, in any region.
    pub offers: i64,
    /// Its registrations that the regions have not decided on yet.
    pub undecided: i64,
}

pub fn next_steps(
    conn: &mut DbConnection,
    provider: crate::domain::ids::ProviderId,
) -> QueryResult<NextSteps> {
    let offers = offers::table
        .filter(offers::provider_id.eq(provider))
        .count()
        .get_result(conn)?;
    let undecided = admissions::table
        .filter(admissions::provider_id.eq(provider))
        .filter(
            admissions::status.eq_any([AdmissionStatus::Aangemeld, AdmissionStatus::InBehandeling]),
        )
        .count()
        .get_result(conn)?;
    Ok(NextSteps { offers, undecided })
}

/// The names of other providers that look like this one: the same letters and digits once
/// case, accents, spaces and punctuation are set aside, or at most two letters apart (for
/// names of six letters or more). Shown to the contract manager before admission.
pub fn look_alikes(
    conn: &mut DbConnection,
    provider_id: i64,
    name: &str,
) -> QueryResult<Vec<String>> {
    let skeleton =
        |text: &str| -> String { fold(text).chars().filter(|c| c.is_alphanumeric()).collect() };
    let own = skeleton(name);
    let others: Vec<String> = providers::table
        .filter(providers::id.ne(provider_id))
        .select(providers::name)
        .load(conn)?;
    Ok(others
        .into_iter()
        .filter(|other| {
            let theirs = skeleton(other);
            theirs == own || (own.chars().count() >= 6 && within_two_edits(&own, &theirs))
        })
        .take(5)
        .collect())
}

/// Whether two words are at most two single-letter edits apart (Levenshtein, bounded).
fn within_two_edits(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|m| *m > 2) {
            return false;
        }
        previous = current;
    }
    previous[b.len()] <= 2
}

#[cfg(test)]
mod look_alike_tests {
    #[test]
    fn names_two_letters_apart_look_alike() {
        assert!(super::within_two_edits("jeugdhulpkompas", "jeugdhulpkompa"));
        assert!(super::within_two_edits(
            "jeugdhulpkompas",
            "jeugdhulpkornpas"
        ));
        assert!(!super::within_two_edits("jeugdhulpkompas", "zorgboerderij"));
    }
}

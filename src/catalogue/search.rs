//! The catalogue's search parameters: read from the query string, checked against the
//! reference data, each problem with its own Dutch message.

use chrono::{Datelike, NaiveDate};

use crate::domain::indicator::Indicator;
use crate::i18n::Texts;
use crate::reference::ReferenceData;
use crate::web::FieldError;
use crate::web::query::{QueryParams, shorten};
use crate::web::text::fold;

pub const PAGE_SIZE: i64 = 20;
const MAX_QUERY_CHARS: usize = 100;
const MAX_WORDS: usize = 8;
const MAX_PAGE: u32 = 100_000;

/// The oldest age youth care (verlengde jeugdhulp included) is for.
pub const MAX_AGE: i32 = 23;

/// The parameters as typed, kept as text so a form sent back with errors shows them again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub profiel: Option<String>,
    pub gemeente: Option<String>,
    pub intensiteit: Option<String>,
    pub leeftijd: Option<String>,
    pub q: Option<String>,
    pub pagina: Option<String>,
    pub volgorde: Option<String>,
}

impl SearchParams {
    pub const NAMES: [&'static str; 7] = [
        "profiel",
        "gemeente",
        "intensiteit",
        "leeftijd",
        "q",
        "pagina",
        "volgorde",
    ];

    /// Known parameters, plus an error for each unknown one.
    pub fn from_query(query: &str) -> (Self, Vec<FieldError>) {
        match QueryParams::parse(query, &Self::NAMES) {
            Ok(params) => (Self::from_params(&params), vec![]),
            Err(errors) => {
                // Read what we do know, so the form still shows it.
                let known: Vec<(String, String)> =
                    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|(k, _)| Self::NAMES.contains(&k.as_str()))
                        .collect();
                let known = serde_urlencoded::to_string(known).unwrap_or_default();
                let params = QueryParams::parse(&known, &Self::NAMES)
                    .map(|p| Self::from_params(&p))
                    .unwrap_or_default();
                (params, errors)
            }
        }
    }

    fn from_params(params: &QueryParams) -> Self {
        let get = |key: &str| params.get(key).map(str::to_owned);
        SearchParams {
            profiel: get("profiel"),
            gemeente: get("gemeente"),
            intensiteit: get("intensiteit"),
            leeftijd: get("leeftijd"),
            q: get("q"),
            pagina: get("pagina"),
            volgorde: get("volgorde"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("profiel", &self.profiel),
            ("gemeente", &self.gemeente),
            ("intensiteit", &self.intensiteit),
            ("leeftijd", &self.leeftijd),
            ("q", &self.q),
            ("volgorde", &self.volgorde),
            ("pagina", &self.pagina),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }

    /// The catalogue URL for these parameters after `change`.
    pub fn href(&self, change: impl FnOnce(&mut SearchParams)) -> String {
        let mut next = self.clone();
        change(&mut next);
        let query = serde_urlencoded::to_string(next.pairs()).unwrap_or_default();
        if query.is_empty() {
            "/catalogus".to_owned()
        } else {
            format!("/catalogus?{query}")
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// Shuffled, the same all day and different every day.
    Daily,
    Name,
    /// On a published indicator of the chosen profile, best first; providers without a
    /// published value follow in the daily order.
    Score(Indicator),
}

/// The indicators a list can be sorted on: (parameter value, indicator code, label).
pub const SCORE_ORDERS: [(&str, Indicator, &str); 6] = [
    (
        "doelrealisatie",
        Indicator::Doelrealisatie,
        "Doelen bereikt (hoogste eerst)",
    ),
    (
        "zonder_hulp",
        Indicator::ZonderHulp,
        "Verder zonder jeugdhulp (hoogste eerst)",
    ),
    (
        "problemen_kleiner",
        Indicator::ProblemenKleiner,
        "Problemen kleiner (hoogste eerst)",
    ),
    (
        "uitval",
        Indicator::Uitval,
        "Voortijdig gestopt (laagste eerst)",
    ),
    (
        "terugval",
        Indicator::Terugval,
        "Weer hulp nodig (laagste eerst)",
    ),
    (
        "tevredenheid",
        Indicator::Clienttevredenheid,
        "Tevredenheid (hoogste eerst)",
    ),
];

impl Order {
    /// The value of the `volgorde` parameter.
    pub fn param(self) -> &'static str {
        match self {
            Order::Daily => "willekeurig",
            Order::Name => "naam",
            Order::Score(code) => SCORE_ORDERS
                .iter()
                .find(|o| o.1 == code)
                .map_or("willekeurig", |o| o.0),
        }
    }
}

/// A search whose every part is known to exist.
#[derive(Debug, Clone)]
pub struct Search {
    pub filter: CatalogueFilter,
    pub page: u32,
    pub order: Order,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CatalogueFilter {
    pub profile_number: Option<i32>,
    /// The profiles with that number, in the regions searched.
    pub profile_ids: Option<Vec<i64>>,
    pub intensity_code: Option<String>,
    pub intensity_ids: Option<Vec<i64>>,
    pub municipality_id: Option<i64>,
    /// The child's age: only offers whose age range holds it.
    pub age: Option<i32>,
    /// The regions searched: the municipality's region, or all.
    pub region_ids: Vec<i64>,
    /// Folded words that must all occur in the provider's text.
    pub words: Vec<String>,
}

impl SearchParams {
    /// The search these parameters ask for, or what is wrong with them (in `t`'s language).
    pub fn resolve(&self, reference: &ReferenceData, t: Texts) -> Result<Search, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut filter = CatalogueFilter::default();

        let municipality = self.gemeente.as_deref().and_then(|raw| {
            let found = reference.current_by_slug(&raw.to_lowercase());
            if found.is_none() {
                errors.push(FieldError::new(
                    "gemeente",
                    t.fmt(
                        "search-unknown-municipality",
                        &[("name", shorten(raw).into())],
                    ),
                ));
            }
            found
        });
        filter.municipality_id = municipality.map(|m| m.id);
        filter.region_ids = match municipality {
            Some(m) => vec![m.region_id],
            None => reference.regions.iter().map(|r| r.id).collect(),
        };

        if let Some(raw) = self.profiel.as_deref() {
            match raw.parse::<i32>() {
                Err(_) => errors.push(FieldError::new(
                    "profiel",
                    t.fmt("search-not-a-profile", &[("value", shorten(raw).into())]),
                )),
                Ok(number) => {
                    let ids: Vec<i64> = reference
                        .profiles
                        .iter()
                        .filter(|p| p.number == number && filter.region_ids.contains(&p.region_id))
                        .map(|p| p.id)
                        .collect();
                    if ids.is_empty() {
                        let known = reference.profile_summaries();
                        let message = match (municipality, known.first(), known.last()) {
                            (Some(m), _, _)
                                if reference.profiles.iter().any(|p| p.number == number) =>
                            {
                                let region = reference
                                    .region(m.region_id)
                                    .map_or("", |r| r.name.as_str());
                                t.fmt(
                                    "search-profile-not-in-region",
                                    &[("number", number.into()), ("region", region.into())],
                                )
                            }
                            (_, Some(first), Some(last)) => t.fmt(
                                "search-no-such-profile",
                                &[
                                    ("number", number.into()),
                                    ("first", first.number.into()),
                                    ("last", last.number.into()),
                                ],
                            ),
                            _ => t.msg("search-no-profiles"),
                        };
                        errors.push(FieldError::new("profiel", message));
                    } else {
                        filter.profile_number = Some(number);
                        filter.profile_ids = Some(ids);
                    }
                }
            }
        }

        if let Some(raw) = self.intensiteit.as_deref() {
            let code = raw.to_lowercase();
            let ids: Vec<i64> = reference
                .intensities
                .iter()
                .filter(|i| i.code == code && filter.region_ids.contains(&i.region_id))
                .map(|i| i.id)
                .collect();
            if ids.is_empty() {
                let names: Vec<String> = reference
                    .intensity_summaries()
                    .iter()
                    .map(|i| i.code.to_owned())
                    .collect();
                errors.push(FieldError::new(
                    "intensiteit",
                    t.fmt(
                        "search-not-an-intensity",
                        &[
                            ("value", shorten(raw).into()),
                            ("choices", names.join(", ").into()),
                        ],
                    ),
                ));
            } else {
                filter.intensity_code = Some(code);
                filter.intensity_ids = Some(ids);
            }
        }

        if let Some(raw) = self.leeftijd.as_deref().filter(|r| !r.trim().is_empty()) {
            match raw.trim().parse::<i32>() {
                Ok(age @ 0..=MAX_AGE) => filter.age = Some(age),
                _ => errors.push(FieldError::new(
                    "leeftijd",
                    t.fmt("search-age", &[("max", MAX_AGE.into())]),
                )),
            }
        }

        if let Some(raw) = self.q.as_deref() {
            if raw.chars().count() > MAX_QUERY_CHARS {
                errors.push(FieldError::new(
                    "q",
                    t.fmt("search-query-too-long", &[("max", MAX_QUERY_CHARS.into())]),
                ));
            } else {
                filter.words = fold(raw)
                    .split_whitespace()
                    .take(MAX_WORDS)
                    .map(str::to_owned)
                    .collect();
            }
        }

        let page = match self.pagina.as_deref() {
            None => 1,
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                _ => {
                    let max = crate::web::words::number(t, MAX_PAGE.into());
                    let args = [("value", shorten(raw).into()), ("max", max.into())];
                    errors.push(FieldError::new("pagina", t.fmt("search-page", &args)));
                    1
                }
            },
        };

        let order = match self.volgorde.as_deref() {
            None | Some("willekeurig") => Order::Daily,
            Some("naam") => Order::Name,
            Some(raw) => match SCORE_ORDERS.iter().find(|o| o.0 == raw) {
                Some(_)
                    if filter.profile_ids.is_none()
                        && !errors.iter().any(|e| e.field == "profiel") =>
                {
                    errors.push(FieldError::new(
                        "volgorde",
                        t.msg("search-order-needs-profile"),
                    ));
                    Order::Daily
                }
                Some((_, code, _)) => Order::Score(*code),
                None => {
                    errors.push(FieldError::new(
                        "volgorde",
                        t.fmt("search-unknown-order", &[("value", shorten(raw).into())]),
                    ));
                    Order::Daily
                }
            },
        };

        if errors.is_empty() {
            Ok(Search {
                filter,
                page,
                order,
            })
        } else {
            // In the order of the form, so the summary reads top to bottom like the page.
            errors.sort_by_key(|e| Self::NAMES.iter().position(|n| *n == e.field));
            Err(errors)
        }
    }
}

/// SplitMix64's finaliser: a well-mixed 64-bit value from any input.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The sort key of the day's order: a hash of the day and the provider's id, then the id.
/// Each provider's place is drawn anew every day, independently of its id and name, so
/// nobody can buy or predict a place. (An affine map `(a·id + b) mod p` kept neighbouring
/// ids in order: for twenty providers added one after another, one day in twenty listed them
/// in the order they were added, or reversed — found by review, issue 34.)
pub fn daily_order(day: NaiveDate) -> impl Fn(i64) -> (i64, i64) {
    let seed = mix(u64::from(day.num_days_from_ce().unsigned_abs()));
    move |id: i64| {
        // The id's bits as they are; the top bit of the hash dropped to keep the key positive.
        #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
        let place = (mix(seed ^ id as u64) >> 1) as i64;
        (place, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Intensity, Municipality, Profile, Region};

    fn reference() -> ReferenceData {
        let region = |id, slug: &str| Region {
            id,
            slug: slug.into(),
            name: slug.into(),
            procurement_method: "outputgericht".into(),
        };
        let profile = |id, region_id, number| Profile {
            id,
            region_id,
            number,
            name: format!("P{number}"),
            description: String::new(),
            closed_from: None,
        };
        ReferenceData {
            regions: vec![region(1, "noord"), region(2, "zuid")],
            municipalities: vec![
                Municipality {
                    id: 10,
                    region_id: 1,
                    slug: "delft".into(),
                    name: "Delft".into(),
                    cbs_code: "0503".into(),
                    merged_into_id: None,
                    merged_on: None,
                    moves_to_region_id: None,
                    moves_on: None,
                },
                Municipality {
                    id: 20,
                    region_id: 2,
                    slug: "zundert".into(),
                    name: "Zundert".into(),
                    cbs_code: "0879".into(),
                    merged_into_id: None,
                    merged_on: None,
                    moves_to_region_id: None,
                    moves_on: None,
                },
            ],
            profiles: vec![profile(100, 1, 1), profile(101, 1, 2), profile(200, 2, 1)],
            intensities: vec![Intensity {
                id: 7,
                region_id: 2,
                code: "acuut".into(),
                name: "Acuut".into(),
                description: String::new(),
                paid_per: "traject".into(),
                sort_order: 1,
                closed_from: None,
            }],
            satisfaction_items: Vec::new(),
        }
    }

    fn params(query: &str) -> SearchParams {
        let (params, errors) = SearchParams::from_query(query);
        assert!(errors.is_empty(), "{errors:?}");
        params
    }

    fn error_fields(query: &str) -> Vec<String> {
        let (params, mut errors) = SearchParams::from_query(query);
        if let Err(more) = params.resolve(&reference(), Texts::default()) {
            errors.extend(more);
        }
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_profile_number_resolves_to_that_profile_in_every_region_searched() {
        let search = params("profiel=1")
            .resolve(&reference(), Texts::default())
            .expect("valid");
        assert_eq!(search.filter.profile_ids, Some(vec![100, 200]));
        assert_eq!(search.filter.region_ids, vec![1, 2]);
        let search = params("profiel=1&gemeente=zundert")
            .resolve(&reference(), Texts::default())
            .expect("valid");
        assert_eq!(search.filter.profile_ids, Some(vec![200]));
        assert_eq!(search.filter.municipality_id, Some(20));
    }

    #[test]
    fn each_bad_parameter_gets_its_own_message() {
        let cases = [
            ("profiel=abc", vec!["profiel"]),
            ("profiel=12", vec!["profiel"]),
            ("profiel=2&gemeente=zundert", vec!["profiel"]),
            ("gemeente=atlantis", vec!["gemeente"]),
            ("intensiteit=heel-erg", vec!["intensiteit"]),
            ("intensiteit=acuut&gemeente=delft", vec!["intensiteit"]),
            ("pagina=0", vec!["pagina"]),
            ("pagina=-1", vec!["pagina"]),
            ("pagina=1.5", vec!["pagina"]),
            ("volgorde=beste", vec!["volgorde"]),
            ("kleur=rood", vec!["kleur"]),
            ("profiel=x&pagina=y", vec!["profiel", "pagina"]),
            (
                "pagina=y&gemeente=nergens&profiel=x",
                vec!["profiel", "gemeente", "pagina"],
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(error_fields(query), expected, "{query}");
        }
        let long = format!("q={}", "a".repeat(101));
        assert_eq!(error_fields(&long), vec!["q"]);
    }

    #[test]
    fn unknown_profile_message_names_the_valid_range() {
        let errors = params("profiel=12")
            .resolve(&reference(), Texts::default())
            .expect_err("invalid");
        assert_eq!(
            errors[0].message,
            "Profiel 12 bestaat niet. Kies een profiel van 1 tot en met 2."
        );
    }

    #[test]
    fn search_words_are_folded_and_limited() {
        let search = params("q=Cliënt++Zorg")
            .resolve(&reference(), Texts::default())
            .expect("valid");
        assert_eq!(search.filter.words, vec!["client", "zorg"]);
        let many = params("q=a+b+c+d+e+f+g+h+i+j")
            .resolve(&reference(), Texts::default())
            .expect("valid");
        assert_eq!(many.filter.words.len(), MAX_WORDS);
    }

    #[test]
    fn unknown_parameters_keep_the_known_ones_for_the_form() {
        let (params, errors) = SearchParams::from_query("profiel=3&utm=x");
        assert_eq!(params.profiel.as_deref(), Some("3"));
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn hrefs_keep_the_other_parameters_and_drop_the_changed_one() {
        let p = params("profiel=3&gemeente=delft&pagina=2");
        assert_eq!(
            p.href(|p| p.gemeente = None),
            "/catalogus?profiel=3&pagina=2"
        );
        assert_eq!(
            p.href(|p| p.pagina = Some("3".into())),
            "/catalogus?profiel=3&gemeente=delft&pagina=3"
        );
        assert_eq!(SearchParams::default().href(|_| {}), "/catalogus");
    }

    /// Held to what a shuffle must do, not to its formula written out again (issue 34,
    /// item 11): a permutation, the same all day, another the next day, unlike the ids'
    /// order, and every place about as likely for a provider over a year of days.
    #[test]
    fn the_daily_shuffle_changes_daily_and_is_a_permutation() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let order_of = |day: NaiveDate, ids: std::ops::RangeInclusive<i64>| {
            let key = daily_order(day);
            let mut ids: Vec<i64> = ids.collect();
            ids.sort_by_key(|id| key(*id));
            ids
        };
        let today = order_of(day, 1..=10_000);
        let mut sorted = today.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (1..=10_000).collect::<Vec<_>>(), "a permutation");
        let distinct: std::collections::BTreeSet<i64> =
            (1..=10_000).map(|id| daily_order(day)(id).0).collect();
        assert_eq!(distinct.len(), 10_000, "no ties to fall back on the id");
        assert_eq!(today, order_of(day, 1..=10_000), "the same all day");
        let next = day.succ_opt().expect("date");
        assert_ne!(today, order_of(next, 1..=10_000), "another the next day");
        assert_ne!(today, sorted, "not the ids' order");
        // Twenty providers added one after another: over ten years of days their order is
        // never the order they were added in, nor its reverse.
        for offset in 0..3650 {
            let date = day + chrono::TimeDelta::days(offset);
            let order = order_of(date, 1..=20);
            let ascending: Vec<i64> = (1..=20).collect();
            let descending: Vec<i64> = (1..=20).rev().collect();
            assert!(
                order != ascending && order != descending,
                "{date}: {order:?}"
            );
        }
        // Ten providers, a year: provider 1 stands in each of the ten places about 36.5
        // times; a fair shuffle keeps every count between 15 and 60 (binomial, p = 0.1,
        // n = 365: the bounds lie over four standard deviations out).
        let mut places = [0_u32; 10];
        for offset in 0..365 {
            let date = day + chrono::TimeDelta::days(offset);
            let order = order_of(date, 1..=10);
            let place = order.iter().position(|id| *id == 1).expect("listed");
            places[place] += 1;
        }
        assert!(places.iter().all(|n| (15..=60).contains(n)), "{places:?}");
    }
}

//! One figure, one source (issue 34, items 2 and 3): for every provider × profile × indicator of
//! a published report, the value, n, interval, regiogemiddelde and verdict are the same on
//! every surface that shows them: the provider page, `/vergelijk`, the family's and the
//! worker's pages, the search cards, the scores API, `scores.csv`, the contract manager's page
//! and export, and HSDS. And a profile with fewer than 10 trajectories shows no figure on any
//! of them, nor counts in the sort.
//!
//! The pages mark each figure with `data-figure`; this test reads the visible text inside it.

mod common;

use std::collections::BTreeMap;

use common::{Browser, OfferSpec, ProviderSpec, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";
use common::figures::{
    close, figures, figures_html, hsds_figures, number, records, shown, text, text_of, verdict,
};
use common::reports::{publish, trajectories, upload};

/// A provider in Delft with `profiles`, signed in, that uploads `files` and submits its report
/// of the last quarter; returns its slug and the report's address.
async fn submitted(
    app: &TestApp,
    name: &str,
    profiles: &[i32],
    files: Vec<String>,
) -> (String, String) {
    let slug = app.add_provider(ProviderSpec {
        offers: profiles
            .iter()
            .map(|p| OfferSpec::new(*p, "intensief", &["delft"]))
            .collect(),
        ..ProviderSpec::admitted_in_delft(name, 3)
    });
    let browser = app
        .signed_in_user(
            &format!("cijfers@{slug}.example"),
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        )
        .await;
    for file in files {
        upload(&browser, file).await;
    }
    let report = common::reports::open(app, &browser).await;
    common::reports::submit(&browser, &report).await;
    (slug, report)
}

/// One published figure as the scores API gives it: the source the other surfaces are held to.
#[derive(Debug, Clone)]
struct Figure {
    slug: String,
    provider_id: i64,
    profile: i32,
    profile_id: i64,
    indicator: String,
    n: i64,
    value: Option<f64>,
    interval: Option<(f64, f64)>,
    target: Option<f64>,
    comparison: Option<String>,
    /// The share in the gedwongen kader, beside every shown value.
    forced_share: Option<f64>,
}

impl Figure {
    fn key(&self) -> String {
        format!(
            "{}/{}/{}",
            self.provider_id, self.profile_id, self.indicator
        )
    }
    fn value(&self) -> String {
        shown(&self.indicator, self.value.expect("value"))
    }
    fn target(&self) -> String {
        shown(&self.indicator, self.target.expect("target"))
    }
    fn verdict(&self) -> &'static str {
        verdict(self.comparison.as_deref().expect("comparison"))
    }
}

/// Every phrase must be in the one element the page marks for the figure.
fn holds(page: &str, key: &str, phrases: &[String], surface: &str) {
    let found = figures(page, key);
    assert!(!found.is_empty(), "{surface}: no figure {key}\n{page}");
    for text in &found {
        for phrase in phrases {
            assert!(
                text.contains(phrase.as_str()),
                "{surface}, {key}: {phrase:?} not in {text:?}"
            );
        }
    }
}

async fn api_figures(app: &TestApp, slug: &str) -> Vec<Figure> {
    let (status, api) = app
        .get_json(&format!("/api/v1/providers/{slug}/scores"))
        .await;
    assert_eq!(status, 200, "{api}");
    let region = app.region_id("haaglanden");
    let provider_id = app.provider_id(slug);
    api["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let profile = item["profile"].as_i64().expect("profile") as i32;
            Figure {
                slug: slug.to_owned(),
                provider_id,
                profile,
                profile_id: profile_id(app, region, profile),
                indicator: item["indicator"].as_str().expect("indicator").to_owned(),
                n: item["n"].as_i64().expect("n"),
                value: item["value"].as_f64(),
                interval: item["interval"]
                    .as_array()
                    .map(|i| (i[0].as_f64().expect("low"), i[1].as_f64().expect("high"))),
                target: item["target"].as_f64(),
                comparison: item["comparison"].as_str().map(str::to_owned),
                forced_share: item["forced_share"].as_f64(),
            }
        })
        .collect()
}

fn profile_id(app: &TestApp, region: i64, number: i32) -> i64 {
    use jeugdhulpcatalogus::db::schema::profiles;
    profiles::table
        .filter(profiles::region_id.eq(region))
        .filter(profiles::number.eq(number))
        .select(profiles::id)
        .first(&mut *app.conn())
        .expect("profile")
}

#[tokio::test]
async fn every_surface_shows_the_one_published_figure_and_none_below_ten() {
    let app = spawn_app().await;
    let haaglanden = app.region_id("haaglanden");
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(haaglanden),
    );
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    let delft = app.municipality_id("delft");
    app.add_user(
        "wijkteam@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(delft),
    );

    // Profile 3: a mixed record (25), a strong one that lost a fifth early (40), and one that
    // kept everyone but reached no goals (30): the region's average sits between them, the
    // verdicts differ, and doelrealisatie and uitval rank them differently (item 10). Two
    // more without figures, named to come first and last in the alphabet. Profile 5: Alfa has 9 trajectories
    // (too few), Echo 12 that all stopped early without reaching their goals.
    let (alfa, report_a) = submitted(
        &app,
        "Alfa Jeugdhulp",
        &[3, 5],
        vec![
            trajectories("A", 3, 25, |i| {
                (
                    1 + (i % 5) as u8,
                    if i % 4 == 0 {
                        "niet_behaald"
                    } else {
                        "behaald"
                    },
                    5 + (i % 6) as u8,
                )
            }),
            trajectories("A", 5, 9, |_| (1, "behaald", 10)),
        ],
    )
    .await;
    let (bravo, report_b) = submitted(
        &app,
        "Bravo Zorg",
        &[3],
        vec![trajectories("B", 3, 40, |i| {
            (if i % 5 == 0 { 3 } else { 1 }, "behaald", 8 + (i % 3) as u8)
        })],
    )
    .await;
    let (charlie, report_c) = submitted(
        &app,
        "Charlie Hulp",
        &[3],
        vec![trajectories("C", 3, 30, |i| {
            (1, "niet_behaald", 2 + (i % 4) as u8)
        })],
    )
    .await;
    let (echo, report_e) = submitted(
        &app,
        "Echo Gezinshulp",
        &[5],
        vec![trajectories("E", 5, 12, |_| (3, "niet_behaald", 3))],
    )
    .await;

    for name in ["Aap Jeugdzorg", "Zebra Zorg"] {
        app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    }
    for report in [&report_a, &report_b, &report_c, &report_e] {
        publish(&manager, report).await;
    }
    let mut all: Vec<Figure> = Vec::new();
    for slug in [&alfa, &bravo, &charlie, &echo] {
        all.extend(api_figures(&app, slug).await);
    }
    let (shown_figures, too_few): (Vec<Figure>, Vec<Figure>) =
        all.iter().cloned().partition(|f| f.value.is_some());
    // Item 2: the 9-case profile has a null value, no interval, and no verdict in the API.
    let alfa_5: Vec<&Figure> = all
        .iter()
        .filter(|f| f.slug == alfa && f.profile == 5)
        .collect();
    assert_eq!(alfa_5.len(), 4, "{all:?}");
    for f in &alfa_5 {
        assert_eq!(
            (f.n, f.value, f.interval, f.comparison.as_deref()),
            (9, None, None, None),
            "{f:?}"
        );
    }
    assert_eq!(
        too_few.len(),
        alfa_5.len(),
        "only Alfa's profile 5 is below ten: {too_few:?}"
    );
    assert!(shown_figures.iter().all(|f| f.n >= 10));
    let verdicts: std::collections::BTreeSet<&str> = shown_figures
        .iter()
        .filter_map(|f| f.comparison.as_deref())
        .collect();
    assert!(
        verdicts.len() >= 2,
        "the world should give different verdicts: {verdicts:?}"
    );

    // The pages. Each figure with a value shows the same value, n, interval, average, verdict.
    let compare_3 = text_of(&app, &format!("/vergelijk?profiel=3&gemeente=delft&aanbieder={alfa}&aanbieder={bravo}&aanbieder={charlie}")).await;
    let compare_5 = text_of(
        &app,
        &format!("/vergelijk?profiel=5&gemeente=delft&aanbieder={alfa}&aanbieder={echo}"),
    )
    .await;
    let cards_3 = text_of(&app, "/catalogus?profiel=3&gemeente=delft").await;
    let cards_5 = text_of(&app, "/catalogus?profiel=5&gemeente=delft").await;
    let worker = app.browser();
    worker.login("wijkteam@delft.example", PASSWORD).await;
    let (worker_page, family_page) = hulpvraag_pages(&app, &worker).await;
    let mut provider_pages = BTreeMap::new();
    for slug in [&alfa, &bravo, &charlie, &echo] {
        provider_pages.insert(
            slug.clone(),
            text_of(&app, &format!("/aanbieders/{slug}")).await,
        );
    }
    for f in &shown_figures {
        let key = f.key();
        let page = &provider_pages[&f.slug];
        let own = format!("{}/{}", f.profile_id, f.indicator);
        // Cell after cell, in one run: a figure of another column cannot stand in.
        let (low, high) = f.interval.expect("interval");
        let (low, high) = (shown(&f.indicator, low), shown(&f.indicator, high));
        holds(
            page,
            &own,
            &[format!(
                " {} {:.0}% {low} tot {high} {} {} ",
                f.n,
                f.forced_share.expect("a share beside a shown value") * 100.0,
                f.target(),
                f.verdict()
            )],
            "provider page",
        );
        for html in figures_html(page, &own) {
            let strong = html
                .split("<strong>")
                .nth(1)
                .and_then(|r| r.split("</strong>").next());
            assert_eq!(
                strong,
                Some(f.value().as_str()),
                "provider page, {own}: {html}"
            );
        }
        let compared = [
            format!(
                " {} gebaseerd op {} trajecten Het echte cijfer ligt waarschijnlijk tussen {low} en {high} Regiogemiddelde: {}",
                f.value(),
                f.n,
                f.target()
            ),
            format!(" {} ", f.verdict()),
        ];
        let (compare, cards) = if f.profile == 3 {
            (&compare_3, &cards_3)
        } else {
            (&compare_5, &cards_5)
        };
        holds(compare, &key, &compared, "/vergelijk");
        holds(
            cards,
            &key,
            &[format!(
                " {} ({} trajecten), {} ",
                f.value(),
                f.n,
                f.verdict()
            )],
            "search card",
        );
        if f.profile == 3 {
            holds(&worker_page, &key, &compared, "the worker's hulpvraag");
            holds(&family_page, &key, &compared, "the family's page");
        }
        let (status, dashboard) = manager
            .get(&format!(
                "/beheer/scores?profiel={}&indicator={}",
                f.profile, f.indicator
            ))
            .await;
        assert_eq!(status, 200);
        holds(
            &dashboard,
            &key,
            &[
                format!(" {} {} {low} tot {high} ", f.value(), f.n),
                format!(" {} ", f.verdict()),
            ],
            "contract manager",
        );
        assert!(
            text(&dashboard).contains(&format!("Regiogemiddelde: {}", f.target())),
            "contract manager's average for {key}"
        );
    }
    // Item 2: below ten, no figure on any page, and the count said.
    for f in &too_few {
        let own = format!("{}/{}", f.profile_id, f.indicator);
        holds(
            &provider_pages[&alfa],
            &own,
            &["Te weinig gegevens".to_owned(), "trajecten: 9)".to_owned()],
            "provider page, 9 cases",
        );
        holds(
            &compare_5,
            &f.key(),
            &["Te weinig trajecten (9)".to_owned()],
            "/vergelijk, 9 cases",
        );
        holds(
            &cards_5,
            &f.key(),
            &["te weinig gegevens (9)".to_owned()],
            "search card, 9 cases",
        );
        for text in figures(&compare_5, &f.key())
            .iter()
            .chain(&figures(&cards_5, &f.key()))
        {
            assert!(!text.contains('%') && !text.contains("gemiddeld"), "{text}");
        }
    }

    // The exports and the open data hold the same numbers, unrounded.
    let open_data = records(&text_of(&app, "/api/v1/scores.csv").await);
    let hsds = hsds_figures(&app).await;
    for f in &all {
        let row = open_data.iter().find(|r| {
            r["aanbieder"] == f.slug
                && r["profiel"] == f.profile.to_string()
                && r["indicator"] == f.indicator
        });
        let Some(row) = row else {
            assert!(f.value.is_none(), "scores.csv lacks {f:?}");
            assert!(
                !hsds.contains_key(&(f.slug.clone(), f.profile, f.indicator.clone())),
                "HSDS shows {f:?}"
            );
            continue;
        };
        assert_eq!(row["n"], f.n.to_string(), "scores.csv n of {f:?}");
        close(number(&row["waarde"]), f.value, "scores.csv value");
        close(
            number(&row["interval_laag"]),
            f.interval.map(|i| i.0),
            "scores.csv low",
        );
        close(
            number(&row["interval_hoog"]),
            f.interval.map(|i| i.1),
            "scores.csv high",
        );
        close(number(&row["target"]), f.target, "scores.csv target");
        assert_eq!(
            row["comparison"],
            f.comparison.clone().unwrap_or_default(),
            "scores.csv verdict"
        );
        let (value, n) = &hsds[&(f.slug.clone(), f.profile, f.indicator.clone())];
        assert_eq!(*n, f.n, "HSDS n of {f:?}");
        close(number(value), f.value, "HSDS value");
    }
    for f in &shown_figures {
        let (status, export) = manager
            .get(&format!(
                "/beheer/scores/export.csv?regio=haaglanden&profiel={}&indicator={}",
                f.profile, f.indicator
            ))
            .await;
        assert_eq!(status, 200);
        let rows = records(&export);
        let name = provider_pages[&f.slug]
            .split("<h1>")
            .nth(1)
            .and_then(|h| h.split('<').next())
            .expect("h1")
            .trim()
            .to_owned();
        let row = rows
            .iter()
            .find(|r| r["aanbieder"] == name)
            .unwrap_or_else(|| panic!("{name} not in {export}"));
        assert_eq!(row["n"], f.n.to_string());
        close(number(&row["uitkomst"]), f.value, "export value");
        close(
            number(&row["onzekerheid_laag"]),
            f.interval.map(|i| i.0),
            "export low",
        );
        close(
            number(&row["onzekerheid_hoog"]),
            f.interval.map(|i| i.1),
            "export high",
        );
        close(number(&row["regiogemiddelde"]), f.target, "export average");
        assert_eq!(row["vergeleken"], f.verdict(), "export verdict");
    }

    // Item 10: sorted on a result, the providers with a figure come first in its order. The
    // two orders differ, so neither one day's shuffle nor the alphabet can give both.
    for (order, expected) in [
        ("doelrealisatie", [&bravo, &alfa, &charlie]),
        ("uitval", [&charlie, &bravo, &alfa]),
        ("tevredenheid", [&bravo, &alfa, &charlie]),
    ] {
        let (_, list) = app
            .get_json(&format!(
                "/api/v1/providers?profiel=3&gemeente=delft&volgorde={order}"
            ))
            .await;
        let slugs = common::slugs(&list);
        assert_eq!(slugs.len(), 5, "{slugs:?}");
        assert_eq!(&slugs[..3], expected.map(String::as_str), "{order}");
        let page = text_of(
            &app,
            &format!("/catalogus?profiel=3&gemeente=delft&volgorde={order}"),
        )
        .await;
        let titles: Vec<String> = page
            .split("class=\"card__title\"")
            .skip(1)
            .filter_map(|rest| rest.split("href=\"/aanbieders/").nth(1))
            .map(|rest| rest.split('"').next().unwrap_or("").to_owned())
            .collect();
        assert_eq!(
            titles, slugs,
            "the page lists them as the API does ({order})"
        );
    }

    // Item 2 in the sort: Echo's poor 12 cases rank above Alfa's perfect 9, on every result.
    for order in ["doelrealisatie", "uitval", "tevredenheid"] {
        let (_, list) = app
            .get_json(&format!(
                "/api/v1/providers?profiel=5&gemeente=delft&volgorde={order}"
            ))
            .await;
        assert_eq!(
            common::slugs(&list),
            [echo.clone(), alfa.clone()],
            "{order}"
        );
    }
}

/// The worker opens a hulpvraag for profile 3 and makes the family link: both pages compare
/// the shortlist.
async fn hulpvraag_pages(app: &TestApp, worker: &Browser) -> (String, String) {
    let form = common::hulpvragen::new_form("Z-1", "vrijwillig", "");
    let id = common::hulpvragen::open(worker, &form).await;
    let code = common::hulpvragen::family_code(worker, id).await;
    let (hulpvraag, family) = (
        format!("/toegang/hulpvragen/{id}"),
        format!("/keuze/{code}"),
    );
    let (status, worker_page) = worker.get(&hulpvraag).await;
    assert_eq!(status, 200, "{worker_page}");
    let (status, family_page) = app.browser().get(&family).await;
    assert_eq!(status, 200, "{family_page}");
    (worker_page, family_page)
}

//! The fair comparison (issue 15) end to end: six providers in one region publish their
//! doelrealisatie; the published scores carry the region's target, funnel limits, τ² and the
//! shrunk value in the open data, and the catalogue's sort on results ranks on the shrunk
//! value, so a provider with 10 of 10 goals reached does not outrank one with 285 of 300.

mod common;

use common::{Browser, ProviderSpec, TestApp, spawn_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::outcomes::compute::Quarter;

const PASSWORD: &str = "een lange zin als wachtwoord";
const HEADER: &str = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid";

fn quarter() -> Quarter {
    Quarter::of(jeugdhulpcatalogus::clock::today()).previous()
}

/// `n` trajectories that ended in the last complete quarter, the first `reached` with all
/// goals reached and the rest with none.
fn csv(reached: usize, n: usize) -> String {
    let end = quarter().last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    let mut csv = format!("{HEADER}\n");
    for i in 0..n {
        let goal = if i < reached {
            "behaald"
        } else {
            "niet_behaald"
        };
        csv.push_str(&format!(
            "T-{i},delft,3,intensief,{start},{end},1,{goal},client-{i},12-17,vrijwillig,\n"
        ));
    }
    csv
}

/// A provider that uploads its trajectories and submits its report; returns the report's
/// address.
async fn submitted(app: &TestApp, name: &str, reached: usize, n: usize) -> String {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let id = app.provider_id(&slug);
    let email = format!("info@{slug}.example");
    app.add_user(&email, PASSWORD, Role::Aanbieder, Affiliation::Provider(id));
    let browser: Browser = app.browser();
    browser.login(&email, PASSWORD).await;
    let (status, _, preview) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            csv(reached, n).into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    let start = preview
        .find("/mijn-aanbod/resultaten/")
        .expect("confirm form");
    let action: String = preview[start..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(browser.post(&action, &[]).await.0, 303);
    let region = app.region_id("haaglanden").to_string();
    let (status, report, body) = browser
        .post(
            "/mijn-aanbod/cijfers",
            &[("regio", region.as_str()), ("kwartaal", &quarter().code())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        browser.post(&format!("{report}/indienen"), &[]).await.0,
        303
    );
    report
}

#[tokio::test]
async fn published_scores_are_read_against_the_funnel_and_ranked_on_the_shrunk_value() {
    let app = spawn_app().await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // (name, goals reached, n): hand-computed with the funnel's formulas, p₀ = 503/570 =
    // 0.882456, φ = 4.2173, τ² = 0.0055525, M = 17.681; shrunk 10/10 → 0.9249 and
    // 285/300 → 0.9462, so the large provider ranks first although 10/10 is the higher
    // raw value. Every value lies inside its widened 95% limits: "similar".
    let providers = [
        ("Aardig Klein", 10, 10),
        ("Groot Huis", 285, 300),
        ("Drie", 38, 50),
        ("Vier", 42, 50),
        ("Vijf", 48, 60),
        ("Zes", 80, 100),
    ];
    let mut reports = Vec::new();
    for (name, reached, n) in providers {
        reports.push(submitted(&app, name, reached, n).await);
    }
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    for report in &reports {
        let id = report.rsplit('/').next().expect("id");
        let (status, _, body) = manager
            .post(
                &format!("/beheer/scores/rapporten/{id}"),
                &[("besluit", "publiceren"), ("opmerking", "")],
            )
            .await;
        assert_eq!(status, 303, "{body}");
    }

    // The open data carries the fair comparison with every published value.
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "regio",
        "target",
        "funnel_lower_95",
        "funnel_upper_95",
        "funnel_lower_998",
        "funnel_upper_998",
        "tau2",
        "shrunk_value",
        "comparison",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column} in {header:?}"
        );
    }
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = |slug: &str| {
        rows.iter()
            .find(|r| &r[0] == slug && &r[at("indicator")] == "doelrealisatie")
            .unwrap_or_else(|| panic!("no doelrealisatie row for {slug}"))
            .clone()
    };
    let number = |r: &csv::StringRecord, column: &str| {
        r[at(column)]
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("{column}: {:?}", &r[at(column)]))
    };
    let small = row("aardig-klein");
    let large = row("groot-huis");
    assert_eq!(&small[at("regio")], "haaglanden");
    assert!(
        (number(&small, "target") - 0.8825).abs() < 1e-4,
        "{small:?}"
    );
    assert!(
        (number(&small, "tau2") - 0.005_552).abs() < 1e-5,
        "{small:?}"
    );
    assert!(
        (number(&small, "shrunk_value") - 0.9249).abs() < 1e-4,
        "{small:?}"
    );
    assert!(
        (number(&large, "shrunk_value") - 0.9462).abs() < 1e-4,
        "{large:?}"
    );
    assert!(number(&small, "funnel_lower_95") < number(&large, "funnel_lower_95"));
    assert_eq!(&small[at("comparison")], "similar");
    assert_eq!(&large[at("comparison")], "similar");
    let (_, api) = app.get_json("/api/v1/providers/aardig-klein/scores").await;
    let item = api["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["indicator"] == "doelrealisatie")
        .expect("doelrealisatie")
        .clone();
    assert_eq!(item["comparison"], "similar");
    assert_eq!(item["regio"], "haaglanden");
    assert!(
        item["shrunk_value"]
            .as_f64()
            .is_some_and(|v| (v - 0.9249).abs() < 1e-4)
    );

    // Sorted on doelrealisatie: 285 of 300 before 10 of 10, whatever the day's order.
    let (status, list) = app
        .get_json("/api/v1/providers?profiel=3&gemeente=delft&volgorde=doelrealisatie")
        .await;
    assert_eq!(status, 200);
    let order = common::slugs(&list);
    let position = |slug: &str| order.iter().position(|s| s == slug).expect("listed");
    assert_eq!(
        order.first().map(String::as_str),
        Some("groot-huis"),
        "{order:?}"
    );
    assert!(
        position("groot-huis") < position("aardig-klein"),
        "{order:?}"
    );
    // The page says so, in one plain sentence.
    let (_, page) = app
        .get_html("/catalogus?profiel=3&gemeente=delft&volgorde=doelrealisatie")
        .await;
    assert!(page.contains("komt niet bovenaan door toeval"));
    // The provider page reads the stored comparison.
    let (_, public) = app.get_html("/aanbieders/aardig-klein").await;
    assert!(public.contains("vergelijkbaar met gemiddeld"));
}

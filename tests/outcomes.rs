//! Trajectory data in: the CSV upload with its preview, and the API. Everything is checked
//! first; nothing is stored until all is right; sending the same data twice changes nothing.

mod common;

use common::{Browser, ProviderSpec, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::trajectories;

const PASSWORD: &str = "een lange zin als wachtwoord";
const HEADER: &str = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid";

async fn provider(app: &TestApp, name: &str, email: &str) -> (Browser, i64) {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let id = app.provider_id(&slug);
    app.add_user(email, PASSWORD, Role::Aanbieder, Affiliation::Provider(id));
    let browser = app.browser();
    browser.login(email, PASSWORD).await;
    (browser, id)
}

fn stored(app: &TestApp, provider: i64) -> i64 {
    trajectories::table
        .filter(trajectories::provider_id.eq(provider))
        .count()
        .get_result(&mut *app.conn())
        .expect("count")
}

/// A date `days` before the (injected) today: every trajectory date is relative, so the
/// suite passes on any day (issue 34, item 12).
fn days_ago(days: i64) -> String {
    (jeugdhulpcatalogus::clock::today() - chrono::TimeDelta::days(days)).to_string()
}

/// The end of the trajectories, two months ago; and two starts before it.
fn end() -> String {
    days_ago(60)
}
fn first_start() -> String {
    days_ago(500)
}
fn later_start() -> String {
    days_ago(350)
}

fn good_csv(rows: usize) -> String {
    let mut csv = format!("{HEADER}\n");
    for i in 0..rows {
        let reason = 1 + i % 5;
        let start = days_ago(160 + 30 * (i as i64 % 9));
        csv.push_str(&format!(
            "T-{i},delft,3,intensief,{start},{},{reason},behaald,client-{i},12-17,vrijwillig,{}\n",
            end(),
            1 + i % 10
        ));
    }
    csv
}

#[tokio::test]
async fn every_error_is_listed_with_its_line_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (browser, id) = provider(&app, "De Kompas", "a@kompas.example").await;
    let (status, page) = browser.get("/mijn-aanbod/resultaten").await;
    assert_eq!(status, 200);
    assert!(page.contains("voorbeeld.csv"));
    let template = browser
        .client
        .get(format!(
            "{}/mijn-aanbod/resultaten/voorbeeld.csv",
            app.address
        ))
        .send()
        .await
        .expect("sent");
    assert!(
        template.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    assert!(template.text().await.expect("body").starts_with(HEADER));

    let csv = format!(
        "{HEADER}\n\
         T-1,delft,3,intensief,S1,END,1,behaald,c1,12-17,vrijwillig,8\n\
         T-2,delft,3,intensief,2025-02-30,,,onbekend,c2,12-17,vrijwillig,\n\
         T-3,delft,3,intensief,LATE,EARLY,1,behaald,c3,12-17,vrijwillig,\n\
         T-4,nergenshuizen,3,intensief,S1,,,onbekend,c4,12-17,vrijwillig,\n\
         T-5,zundert,3,intensief,S1,,,onbekend,c5,12-17,vrijwillig,\n\
         T-1,delft,3,intensief,S1,,,onbekend,c6,12-17,vrijwillig,\n\
         T-7,delft,3,intensief,S1,,,onbekend,111222333,12-17,vrijwillig,\n\
         T-8,delft,3,intensief,S1,,,onbekend,111.222.333,12-17,vrijwillig,\n\
         T-9,delft,3,intensief,S1,,,onbekend,111 222 333,12-17,vrijwillig,\n\
         T-10,delft,3,intensief,S1,,,onbekend,bsn-123456782,12-17,vrijwillig,\n\
         T-11,nergens,12,heel,S1,,,onbekend,c11,12-17,vrijwillig,\n\
         T-12,delft,12,intensief,S1,,,onbekend,111222333,12-17,vrijwillig,\n\
         T-13,delft,3,intensief,0000-01-01,,,onbekend,c13,12-17,vrijwillig,\n\
         T-14,delft,3,intensief,-0001-01-01,,,onbekend,c14,12-17,vrijwillig,\n\
         T-15,delft,3,intensief,2014-12-31,2014-12-31,1,onbekend,c15,12-17,vrijwillig,\n"
    )
    .replace("S1", &first_start())
    .replace("END", &end())
    .replace("LATE", &days_ago(100))
    .replace("EARLY", &days_ago(130));
    let (status, _, body) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "trajecten.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(status, 422);
    for (line, message) in [
        ("3", "Schrijf de datum als 2026-03-31"),
        ("4", "De einddatum ligt vóór de startdatum."),
        ("5", "&#39;nergenshuizen&#39; is geen gemeente"),
        ("6", "U bent niet toegelaten voor profiel 3"),
        ("7", "Deze referentie staat ook op regel 2."),
        ("8", "Dit lijkt een BSN."),
        ("9", "Dit lijkt een BSN."),
        ("10", "Dit lijkt een BSN."),
        ("11", "Dit lijkt een BSN."),
        // An unknown municipality does not hide a profile or intensity no region has.
        ("12", "&#39;nergens&#39; is geen gemeente"),
        ("12", "&#39;12&#39; is geen profiel"),
        ("12", "Gebruik acuut, intensief, perspectief of duurzaam."),
        // A BSN does not hide the row's other errors.
        ("13", "Dit lijkt een BSN."),
        ("13", "&#39;12&#39; is geen profiel"),
        // Nothing before the Jeugdwet.
        ("14", "vóór 1 januari 2015"),
        ("15", "vóór 1 januari 2015"),
        ("16", "vóór 1 januari 2015"),
    ] {
        // The message in a row of this line.
        let shown = body.split("<tr").any(|row| {
            row.contains(&format!("<td>{line}</td>"))
                && (row.contains(message) || row.contains(&message.replace("&#39;", "'")))
        });
        assert!(shown, "line {line}: {message}");
    }
    assert!(body.contains("Wij vonden 18 fouten"), "{body}");
    assert_eq!(stored(&app, id), 0, "nothing stored");
}

/// One file waits for confirmation per provider (issue 33, item 28): a new preview replaces
/// the one before, so unconfirmed previews cannot fill the database.
#[tokio::test]
async fn a_new_preview_replaces_the_one_before() {
    use jeugdhulpcatalogus::db::schema::pending_uploads;
    let app = spawn_app().await;
    let (browser, id) = provider(&app, "De Kompas", "a@kompas.example").await;
    let mut actions = Vec::new();
    for rows in [10, 11, 12] {
        let (status, _, preview) = browser
            .upload(
                "/mijn-aanbod/resultaten",
                "bestand",
                "t.csv",
                good_csv(rows).into_bytes(),
            )
            .await;
        assert_eq!(status, 200, "{preview}");
        let start = preview
            .find("/mijn-aanbod/resultaten/")
            .expect("confirm form");
        actions.push(
            preview[start..]
                .chars()
                .take_while(|c| *c != '"')
                .collect::<String>(),
        );
    }
    let waiting: i64 = pending_uploads::table
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(waiting, 1);
    let (status, _, body) = browser.post(&actions[0], &[]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("vervangt dit"), "{body}");
    assert_eq!(stored(&app, id), 0);
    assert_eq!(browser.post(&actions[2], &[]).await.0, 303);
    assert_eq!(stored(&app, id), 12);
}

#[tokio::test]
async fn a_good_file_is_previewed_then_stored_and_sending_it_again_changes_nothing() {
    let app = spawn_app().await;
    let (browser, id) = provider(&app, "De Kompas", "a@kompas.example").await;
    let csv = good_csv(25).replace(',', ";");
    let (status, _, preview) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            csv.clone().into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("25 nieuw, 0 bijgewerkt"));
    assert_eq!(stored(&app, id), 0, "nothing stored before confirming");
    let start = preview
        .find("/mijn-aanbod/resultaten/")
        .expect("confirm form");
    let action: String = preview[start..].chars().take_while(|c| *c != '"').collect();

    // Another provider cannot confirm this upload.
    let (other, _) = provider(&app, "Het Anker", "b@anker.example").await;
    assert_eq!(other.post(&action, &[]).await.0, 409);

    let (status, location, _) = browser.post(&action, &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/mijn-aanbod/resultaten?opgeslagen=25&bijgewerkt=0")
    );
    assert_eq!(stored(&app, id), 25);
    let (status, _, again) = browser.post(&action, &[]).await;
    assert_eq!(status, 409, "a preview is confirmed once");
    assert!(again.contains("al opgeslagen"), "{again}");

    let (_, _, preview) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            csv.into_bytes(),
        )
        .await;
    assert!(preview.contains("0 nieuw, 25 bijgewerkt"));
    let start = preview
        .find("/mijn-aanbod/resultaten/")
        .expect("confirm form");
    let action: String = preview[start..].chars().take_while(|c| *c != '"').collect();
    browser.post(&action, &[]).await;
    assert_eq!(stored(&app, id), 25, "idempotent");
}

#[tokio::test]
async fn the_api_takes_the_same_rows_with_errors_per_item() {
    let app = spawn_app().await;
    let (browser, id) = provider(&app, "De Kompas", "a@kompas.example").await;
    let (_, _, page) = browser
        .post(
            "/mijn-aanbod/api-tokens",
            &[("naam", "ECD"), ("dagen", "30")],
        )
        .await;
    let start = page.find("jhc_").expect("token");
    let token: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();

    let item = |reference: &str, start: &str| {
        serde_json::json!({
            "referentie": reference, "gemeente": "delft", "profiel": "3", "intensiteit": "intensief",
            "startdatum": start, "einddatum": end(), "reden_einde": "32", "doelresultaat": "deels behaald",
            "clientsleutel": "k1", "leeftijdsgroep": "4-11", "kader": "vrijwillig", "tevredenheid": ""
        })
    };
    let post = |body: serde_json::Value| {
        app.client
            .post(format!("{}/api/v1/trajectories", app.address))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    // A start in the future is refused; "the future" counts from the portal's today.
    let future = (jeugdhulpcatalogus::clock::today() + chrono::TimeDelta::days(30)).to_string();
    let response = post(serde_json::json!({ "trajectories": [item("A-1", &first_start()), item("A-2", &future), item("A-1", &first_start())] })).await.expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    let details = body["details"].as_array().expect("details");
    assert!(
        details
            .iter()
            .any(|d| d["item"] == 2 && d["field"] == "startdatum")
    );
    assert!(
        details
            .iter()
            .any(|d| d["item"] == 3 && d["field"] == "referentie")
    );
    assert_eq!(stored(&app, id), 0);
    // A NUL byte is refused per field, the same on both backends (PostgreSQL cannot store it).
    let mut nul = item("A-9", &first_start());
    nul["clientsleutel"] = serde_json::Value::from("k\u{0}1");
    let response = post(serde_json::json!([nul])).await.expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(
        body["details"]
            .as_array()
            .expect("details")
            .iter()
            .any(|d| d["field"] == "clientsleutel"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("stuurteken"))),
        "{body}"
    );
    assert_eq!(stored(&app, id), 0);

    let response = post(serde_json::json!([
        item("A-1", &first_start()),
        item("A-2", &later_start())
    ]))
    .await
    .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["saved"]["new"], 2);
    assert_eq!(stored(&app, id), 2);

    // The list may come after white space; an object without `trajectories` is refused.
    let spaced = format!("\n  {}", serde_json::json!([item("A-2", &later_start())]));
    let response = app
        .client
        .post(format!("{}/api/v1/trajectories", app.address))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(spaced)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["saved"]["updated"], 1);
    let response = post(serde_json::json!({ "trajecten": [item("A-3", &later_start())] }))
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(body.to_string().contains("Stuur JSON"), "{body}");
    assert_eq!(stored(&app, id), 2);
    // A misspelt field is refused, not dropped (its value would be lost without a word).
    let mut typo = item("A-2", &later_start());
    typo["tevredenhied"] = serde_json::Value::from("9");
    let response = post(serde_json::json!([typo])).await.expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let body = response.text().await.expect("text");
    assert!(body.contains("tevredenhied"), "{body}");
    // The detail says what was expected in words, not in the portal's type names.
    for (wrong, expected) in [
        (serde_json::json!(5), "an object with `trajectories`"),
        (serde_json::json!([5]), "a trajectory: an object of texts"),
    ] {
        let response = post(wrong).await.expect("sent");
        assert_eq!(response.status().as_u16(), 400);
        let body = response.text().await.expect("text");
        assert!(body.contains(expected), "{body}");
        assert!(!body.contains("struct"), "{body}");
    }

    let too_many: Vec<serde_json::Value> = (0..10_001)
        .map(|i| item(&format!("B-{i}"), &first_start()))
        .collect();
    let response = post(serde_json::json!(too_many)).await.expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let unauthenticated = app
        .client
        .post(format!("{}/api/v1/trajectories", app.address))
        .json(&serde_json::json!([]))
        .send()
        .await
        .expect("sent");
    assert_eq!(unauthenticated.status().as_u16(), 401);
}

//! API tokens: made in the browser and shown once, stored hashed, accepted as Bearer for the
//! own provider only; forged, revoked and expired tokens fail.

mod common;

use common::{ProviderSpec, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{api_tokens, offers};

const PASSWORD: &str = "een lange zin als wachtwoord";

async fn provider_with_token(app: &TestApp, name: &str, email: &str) -> (String, i64) {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let provider_id = app.provider_id(&slug);
    app.add_user(
        email,
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(provider_id),
    );
    let browser = app.browser();
    browser.login(email, PASSWORD).await;
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
    assert_eq!(token.len(), 68);
    let (_, again) = browser.get("/mijn-aanbod/api-tokens").await;
    assert!(!again.contains(&token), "shown once");
    let stored: String = api_tokens::table
        .select(api_tokens::token_hash)
        .first(&mut *app.conn())
        .expect("stored");
    assert!(!stored.contains(&token[4..]), "stored as a hash");
    (token, provider_id)
}

async fn get_with(app: &TestApp, token: &str) -> (u16, serde_json::Value) {
    let response = app
        .client
        .get(format!("{}/api/v1/mijn-aanbod", app.address))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_token_reads_and_updates_its_own_listing_only() {
    let app = spawn_app().await;
    let (token, provider) = provider_with_token(&app, "De Kompas", "a@kompas.example").await;
    let (status, body) = get_with(&app, &token).await;
    assert_eq!(status, 200);
    assert_eq!(body["slug"], "de-kompas");
    let offer = body["offers"][0]["id"].as_i64().expect("offer id");

    let response = app
        .client
        .put(format!("{}/api/v1/mijn-aanbod/aanbod/{offer}", app.address))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "waiting_weeks": 9, "accepts_new_clients": false }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let weeks: i32 = offers::table
        .find(offer)
        .select(offers::waiting_weeks)
        .first(&mut *app.conn())
        .expect("offer");
    assert_eq!(weeks, 9);

    let response = app
        .client
        .put(format!("{}/api/v1/mijn-aanbod/aanbod/{offer}", app.address))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "waiting_weeks": 500, "accepts_new_clients": false }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["error"], "invalid_parameter");
    // A body of the wrong shape is told what is expected, not the portal's type names.
    let response = app
        .client
        .put(format!("{}/api/v1/mijn-aanbod/aanbod/{offer}", app.address))
        .bearer_auth(&token)
        .json(&serde_json::json!(5))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 400);
    let body = response.text().await.expect("text");
    assert!(body.contains("`accepts_new_clients`"), "{body}");
    assert!(!body.contains("struct"), "{body}");

    // Another provider's token cannot touch this offer.
    let (other, _) = provider_with_token(&app, "Het Anker", "b@anker.example").await;
    let response = app
        .client
        .put(format!("{}/api/v1/mijn-aanbod/aanbod/{offer}", app.address))
        .bearer_auth(&other)
        .json(&serde_json::json!({ "waiting_weeks": 1, "accepts_new_clients": true }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 404);
    let weeks: i32 = offers::table
        .find(offer)
        .select(offers::waiting_weeks)
        .first(&mut *app.conn())
        .expect("offer");
    assert_eq!(weeks, 9);
    assert_eq!(provider, app.provider_id("de-kompas"));
}

#[tokio::test]
async fn forged_revoked_and_expired_tokens_are_refused() {
    let app = spawn_app().await;
    let (token, _) = provider_with_token(&app, "De Kompas", "a@kompas.example").await;
    for bad in [
        "",
        "jhc_",
        "jhc_0000000000000000000000000000000000000000000000000000000000000000",
        token.trim_start_matches("jhc_"),
    ] {
        let (status, body) = get_with(&app, bad).await;
        assert_eq!(status, 401, "{bad}");
        assert_eq!(body["error"], "unauthorized");
    }
    let response = app
        .client
        .get(format!("{}/api/v1/mijn-aanbod", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");

    // Expired.
    diesel::update(api_tokens::table)
        .set(
            api_tokens::expires_at
                .eq(jeugdhulpcatalogus::clock::now() - chrono::TimeDelta::minutes(1)),
        )
        .execute(&mut *app.conn())
        .expect("expire");
    assert_eq!(get_with(&app, &token).await.0, 401);

    // Revoked, through the page.
    diesel::update(api_tokens::table)
        .set(
            api_tokens::expires_at
                .eq(jeugdhulpcatalogus::clock::now() + chrono::TimeDelta::days(1)),
        )
        .execute(&mut *app.conn())
        .expect("renew");
    assert_eq!(get_with(&app, &token).await.0, 200);
    let id: i64 = api_tokens::table
        .select(api_tokens::id)
        .first(&mut *app.conn())
        .expect("id");
    let browser = app.browser();
    browser.login("a@kompas.example", PASSWORD).await;
    let (status, _, _) = browser
        .post(&format!("/mijn-aanbod/api-tokens/{id}/intrekken"), &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(get_with(&app, &token).await.0, 401);
}

/// A token stops working when its user is deactivated, or its provider is suspended or no
/// longer works under a procesovereenkomst (issue 13 item 18).
#[tokio::test]
async fn a_token_dies_with_its_user_and_its_providers_admission() {
    use jeugdhulpcatalogus::db::schema::{admissions, users};
    use jeugdhulpcatalogus::providers::{AdmissionStatus, model::set_admission};
    let app = spawn_app().await;
    let (token, provider_id) = provider_with_token(&app, "De Kompas", "a@kompas.example").await;
    let call = || {
        app.client
            .get(format!("{}/api/v1/mijn-aanbod", app.address))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(call().await.expect("sent").status().as_u16(), 200);

    diesel::update(users::table.filter(users::email.eq("a@kompas.example")))
        .set(users::active.eq(false))
        .execute(&mut *app.conn())
        .expect("deactivated");
    assert_eq!(call().await.expect("sent").status().as_u16(), 401);
    diesel::update(users::table.filter(users::email.eq("a@kompas.example")))
        .set(users::active.eq(true))
        .execute(&mut *app.conn())
        .expect("active again");
    assert_eq!(call().await.expect("sent").status().as_u16(), 200);

    let regions: Vec<i64> = admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .select(admissions::region_id)
        .load(&mut *app.conn())
        .expect("admissions");
    for region in regions {
        set_admission(
            &mut app.conn(),
            provider_id,
            region,
            AdmissionStatus::Opgeschort,
            None,
        )
        .expect("suspended");
    }
    let response = call().await.expect("sent");
    assert_eq!(response.status().as_u16(), 403);
    let body: serde_json::Value = response.json().await.expect("json");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("opgeschort")),
        "{body}"
    );
}

/// One gate for the web and the API (issue 33, item 30): a suspended provider can read its
/// pages but not upload trajectories, change an offer or its organisation, open a report or
/// make a key; it can still withdraw a key.
#[tokio::test]
async fn a_suspended_provider_changes_nothing_on_the_web_either() {
    use jeugdhulpcatalogus::db::schema::{admissions, offers};
    use jeugdhulpcatalogus::providers::{AdmissionStatus, model::set_admission};
    let app = spawn_app().await;
    let (_, provider_id) = provider_with_token(&app, "De Kompas", "a@kompas.example").await;
    let browser = app.browser();
    browser.login("a@kompas.example", PASSWORD).await;
    let regions: Vec<i64> = admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .select(admissions::region_id)
        .load(&mut *app.conn())
        .expect("admissions");
    for region in &regions {
        set_admission(
            &mut app.conn(),
            provider_id,
            *region,
            AdmissionStatus::Opgeschort,
            None,
        )
        .expect("suspended");
    }
    let offer: i64 = offers::table
        .filter(offers::provider_id.eq(provider_id))
        .select(offers::id)
        .first(&mut *app.conn())
        .expect("offer");
    assert_eq!(
        browser.get("/mijn-aanbod").await.0,
        200,
        "it can still read"
    );
    let csv = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid\n";
    let (status, _, body) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, 403, "upload: {body}");
    assert!(body.contains("opgeschort"), "{body}");
    let region = regions[0].to_string();
    for (path, fields) in [
        (
            "/mijn-aanbod/api-tokens".to_owned(),
            vec![("naam", "Nog een"), ("dagen", "30")],
        ),
        (format!("/mijn-aanbod/aanbod/{offer}/verwijderen"), vec![]),
        (
            format!("/mijn-aanbod/aanbod/{offer}"),
            vec![("wachttijd", "2")],
        ),
        (
            "/mijn-aanbod/cijfers".to_owned(),
            vec![("regio", region.as_str()), ("kwartaal", "2026-K1")],
        ),
    ] {
        let (status, _, body) = browser.post(&path, &fields).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert!(body.contains("opgeschort"), "{path}: {body}");
    }
    let count: i64 = offers::table
        .filter(offers::provider_id.eq(provider_id))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert!(count >= 1, "the offer is still there");
    let id: i64 = api_tokens::table
        .select(api_tokens::id)
        .first(&mut *app.conn())
        .expect("id");
    let (status, _, _) = browser
        .post(&format!("/mijn-aanbod/api-tokens/{id}/intrekken"), &[])
        .await;
    assert_eq!(status, 303, "withdrawing a key stays possible");
}

//! The 12-month guarantee (issue 37, item 3): a client who returns within 12 months in the
//! same profile is offered the earlier trajectory again before anything else; taken up, the
//! same provider is asked and may decline only with a reason; the worker may choose
//! otherwise with a reason. Terugval (3.2) counts a return with any provider in the region.

mod common;

use chrono::TimeDelta;
use common::{Browser, ProviderSpec, TestApp, hulpvragen, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{computed_scores, hulpvragen as table, trajectories};

struct World {
    app: TestApp,
    worker: Browser,
    first: Browser,
    second: Browser,
    slugs: [String; 2],
}

async fn world() -> World {
    let app = spawn_app().await;
    let a = app.add_provider(ProviderSpec::admitted_in_delft("Eerste Hulp", 3));
    let b = app.add_provider(ProviderSpec::admitted_in_delft("Tweede Kans", 3));
    let first = app
        .signed_in_user(
            "a@eerste.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&a)),
        )
        .await;
    let second = app
        .signed_in_user(
            "b@tweede.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&b)),
        )
        .await;
    let worker = app
        .signed_in_user(
            "w@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        )
        .await;
    World {
        app,
        worker,
        first,
        second,
        slugs: [a, b],
    }
}

/// Help with the first provider for case `case`, closed today.
async fn helped_before(w: &World, case: &str) -> i64 {
    let (id, _) =
        hulpvragen::accepted(&w.worker, &w.app.browser(), &w.first, &w.slugs[0], case).await;
    hulpvragen::start_and_close(&w.worker, id).await;
    id
}

fn guarantee_of(app: &TestApp, id: i64) -> (Option<String>, String) {
    table::table
        .find(id)
        .select((table::guarantee, table::guarantee_reason))
        .first(&mut *app.conn())
        .expect("hulpvraag")
}

#[tokio::test]
async fn a_return_within_a_year_is_offered_the_earlier_trajectory_first() {
    let w = world().await;
    helped_before(&w, "G-1").await;
    // The same case number in the same profile: the guarantee comes before anything else.
    let id = hulpvragen::open(&w.worker, &hulpvragen::new_form("g-1 ", "vrijwillig", "")).await;
    let (_, page) = w.worker.get(&format!("/toegang/hulpvragen/{id}")).await;
    let offer = page
        .find("valt onder de 12-maandengarantie")
        .expect("the offer");
    let link = page
        .find("Link voor het gezin")
        .expect("the family link section");
    assert!(offer < link, "the guarantee comes first");
    assert!(
        page.contains("Eerder traject weer oppakken bij Eerste Hulp"),
        "{page}"
    );
    // Nothing chooses a provider until the worker decides.
    let (status, _, page) = w
        .worker
        .post(&format!("/toegang/hulpvragen/{id}/link"), &[])
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("Beslis eerst over de 12-maandengarantie"),
        "{page}"
    );

    let (status, location, body) = w
        .worker
        .post(&format!("/toegang/hulpvragen/{id}/garantie"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("gelukt=garantie"));
    assert_eq!(guarantee_of(&w.app, id).0.as_deref(), Some("heropend"));
    // Deciding twice changes nothing.
    assert_eq!(
        w.worker
            .post(&format!("/toegang/hulpvragen/{id}/garantie"), &[])
            .await
            .0,
        409
    );
    let (_, page) = w.worker.get(&format!("/toegang/hulpvragen/{id}")).await;
    assert!(
        page.contains("is weer opgepakt, zonder nieuw tarief"),
        "{page}"
    );

    // The provider is told, and declines only with a reason.
    w.app.outbox_settled();
    let mails = w.app.mail.received();
    assert!(
        mails
            .iter()
            .any(|m| m.text().contains("zonder nieuw tarief")),
        "the provider's mail says so"
    );
    let (_, list) = w.first.get("/mijn-aanbod/aanvragen").await;
    assert!(list.contains("Onder de 12-maandengarantie."), "{list}");
    let request = hulpvragen::after(&list, "action=\"/mijn-aanbod/aanvragen/");
    let decline = [("antwoord", "afwijzen"), ("reden", "geen_plek")];
    let (status, _, page) = w
        .first
        .post(&format!("/mijn-aanbod/aanvragen/{request}"), &decline)
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("Schrijf waarom u het eerdere traject niet weer kunt oppakken"),
        "{page}"
    );
    let mut with_note = decline.to_vec();
    with_note.push(("toelichting", "Ons team voor dit profiel is gestopt."));
    let (status, _, body) = w
        .first
        .post(&format!("/mijn-aanbod/aanvragen/{request}"), &with_note)
        .await;
    assert_eq!(status, 303, "{body}");

    // The next provider asked is not bound by the earlier provider's guarantee.
    let second = w.app.provider_id(&w.slugs[1]).to_string();
    let (status, _, body) = w
        .worker
        .post(
            &format!("/toegang/hulpvragen/{id}/kiezen"),
            &[("aanbieder", &second)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, list) = w.second.get("/mijn-aanbod/aanvragen").await;
    assert!(!list.contains("12-maandengarantie"), "{list}");
    let request = hulpvragen::after(&list, "action=\"/mijn-aanbod/aanvragen/");
    let (status, _, body) = w
        .second
        .post(&format!("/mijn-aanbod/aanvragen/{request}"), &decline)
        .await;
    assert_eq!(status, 303, "declines without a note: {body}");
}

#[tokio::test]
async fn the_worker_may_choose_otherwise_with_a_reason() {
    let w = world().await;
    helped_before(&w, "G-2").await;
    let id = hulpvragen::open(&w.worker, &hulpvragen::new_form("G-2", "vrijwillig", "")).await;
    let path = format!("/toegang/hulpvragen/{id}/garantie/afzien");
    let (status, _, page) = w.worker.post(&path, &[]).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Schrijf waarom u niet voor het eerdere traject kiest"),
        "{page}"
    );
    let (status, _, page) = w.worker.post(&path, &[("reden", "BSN 111222333")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("burgerservicenummer"), "{page}");
    let reason = "Het gezin wil een aanbieder dichter bij huis.";
    let (status, _, body) = w.worker.post(&path, &[("reden", reason)]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        guarantee_of(&w.app, id),
        (Some("afgezien".into()), reason.to_owned())
    );
    // Now the family may choose, another provider too.
    let code = hulpvragen::family_code(&w.worker, id).await;
    let (status, _, body) = w
        .app
        .browser()
        .post(
            &format!("/keuze/{code}/kies"),
            &[("aanbieder", &w.slugs[1])],
        )
        .await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn no_offer_in_another_profile_after_a_year_or_elsewhere() {
    let w = world().await;
    let earlier = helped_before(&w, "G-3").await;
    // Another municipality's worker with the same case number: another client.
    let elsewhere = w
        .app
        .signed_in_user(
            "w@den-haag.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(w.app.municipality_id("den-haag")),
        )
        .await;
    let other = hulpvragen::open(&elsewhere, &hulpvragen::new_form("G-3", "vrijwillig", "")).await;
    assert_eq!(guarantee_of(&w.app, other).0, None);
    // Another profile.
    let mut form = hulpvragen::new_form("G-3", "vrijwillig", "");
    form[0] = ("profiel", "5");
    let id = hulpvragen::open(&w.worker, &form).await;
    assert_eq!(guarantee_of(&w.app, id).0, None);
    // Day 365 still counts; day 366 not.
    let trajectory: i64 = table::table
        .find(earlier)
        .select(table::trajectory_id.assume_not_null())
        .first(&mut *w.app.conn())
        .expect("trajectory");
    for (days, offered) in [(365, true), (366, false)] {
        let end = jeugdhulpcatalogus::clock::today() - TimeDelta::days(days);
        diesel::update(trajectories::table.find(trajectory))
            .set((
                trajectories::start_date.eq(end - TimeDelta::days(30)),
                trajectories::end_date.eq(Some(end)),
            ))
            .execute(&mut *w.app.conn())
            .expect("dated back");
        let id = hulpvragen::open(&w.worker, &hulpvragen::new_form("G-3", "vrijwillig", "")).await;
        assert_eq!(guarantee_of(&w.app, id).0.is_some(), offered, "{days} days");
    }
}

/// The highest terugval count of a provider's stored scores.
fn returns(app: &TestApp, provider: i64) -> i32 {
    computed_scores::table
        .filter(computed_scores::provider_id.eq(provider))
        .select(diesel::dsl::max(computed_scores::terugval_hits))
        .first::<Option<i32>>(&mut *app.conn())
        .expect("scores")
        .unwrap_or(0)
}

#[tokio::test]
async fn terugval_counts_a_return_to_another_provider_in_the_region() {
    let w = world().await;
    let first = w.app.provider_id(&w.slugs[0]);
    helped_before(&w, "G-4").await;
    assert_eq!(returns(&w.app, first), 0);
    // The client returns within the year, to the other provider (the worker waives).
    let id = hulpvragen::open(&w.worker, &hulpvragen::new_form("G-4", "vrijwillig", "")).await;
    let reason = [(
        "reden",
        "Het gezin koos samen met mij een andere aanbieder.",
    )];
    let (status, _, _) = w
        .worker
        .post(
            &format!("/toegang/hulpvragen/{id}/garantie/afzien"),
            &reason,
        )
        .await;
    assert_eq!(status, 303);
    let code = hulpvragen::family_code(&w.worker, id).await;
    let (status, _, _) = w
        .app
        .browser()
        .post(
            &format!("/keuze/{code}/kies"),
            &[("aanbieder", &w.slugs[1])],
        )
        .await;
    assert_eq!(status, 303);
    let (_, list) = w.second.get("/mijn-aanbod/aanvragen").await;
    let request = hulpvragen::after(&list, "action=\"/mijn-aanbod/aanvragen/");
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, _) = w
        .second
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "accepteren"), ("startdatum", &today)],
        )
        .await;
    assert_eq!(status, 303);
    // The return starts the day after the first help ended.
    let ended: chrono::NaiveDate = trajectories::table
        .filter(trajectories::provider_id.eq(first))
        .select(trajectories::end_date.assume_not_null())
        .first(&mut *w.app.conn())
        .expect("ended");
    diesel::update(trajectories::table.filter(trajectories::provider_id.eq(first)))
        .set((
            trajectories::start_date.eq(ended - TimeDelta::days(60)),
            trajectories::end_date.eq(Some(ended - TimeDelta::days(1))),
        ))
        .execute(&mut *w.app.conn())
        .expect("dated back");
    hulpvragen::start_and_close(&w.worker, id).await;
    assert_eq!(returns(&w.app, first), 1, "the first provider's terugval");
    assert_eq!(returns(&w.app, w.app.provider_id(&w.slugs[1])), 0);
}

/// A new API token of this provider user.
async fn token(provider: &Browser) -> String {
    let (_, _, page) = provider
        .post(
            "/mijn-aanbod/api-tokens",
            &[("naam", "ECD"), ("dagen", "30")],
        )
        .await;
    let start = page.find("jhc_").expect("token");
    page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_providers_own_pseudonyms_stay_its_own() {
    let w = world().await;
    let day = |n: i64| (jeugdhulpcatalogus::clock::today() - TimeDelta::days(n)).to_string();
    let item = |reference: &str, key: &str, start: String, end: Option<String>, profile: &str| {
        serde_json::json!({
            "referentie": reference, "gemeente": "delft", "profiel": profile, "intensiteit": "intensief",
            "startdatum": start, "einddatum": end.clone().unwrap_or_default(),
            "reden_einde": if end.is_some() { "1" } else { "" }, "doelresultaat": "behaald",
            "clientsleutel": key, "leeftijdsgroep": "12-17", "kader": "vrijwillig", "tevredenheid": ""
        })
    };
    let post = |token: String, body: serde_json::Value| {
        w.app
            .client
            .post(format!("{}/api/v1/trajectories", w.app.address))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let first = token(&w.first).await;
    let second = token(&w.second).await;
    // A key of the municipality's form is refused in an upload.
    let response = post(
        first.clone(),
        serde_json::json!([item("X", "gemeente-abc", day(200), None, "3")]),
    )
    .await
    .expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    // The first provider's client-1 ends; the second provider's client-1 (someone else)
    // starts a month later: no terugval. The first provider's own client-2 returns to it in
    // another profile: terugval.
    let ended = serde_json::json!([
        item("A-1", "client-1", day(200), Some(day(100)), "3"),
        item("A-2", "client-2", day(200), Some(day(100)), "3"),
        item("A-3", "client-2", day(70), None, "5"),
    ]);
    assert_eq!(
        post(first, ended).await.expect("sent").status().as_u16(),
        200
    );
    let other = serde_json::json!([item("B-1", "client-1", day(70), None, "3")]);
    assert_eq!(
        post(second, other).await.expect("sent").status().as_u16(),
        200
    );
    assert_eq!(returns(&w.app, w.app.provider_id(&w.slugs[0])), 1);
}

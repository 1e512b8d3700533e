//! The agreed result (issue 37, item 1): the worker records one to five goals once the
//! provider has accepted, the provider confirms them, care starts only then, each goal is
//! marked at closing, and doelrealisatie follows from the marks. Uploads and the API carry
//! the same as counts; rows without goals keep the yes/no.

mod common;

use common::{Browser, ProviderSpec, TestApp, hulpvragen, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{hulpvraag_goals, trajectories};

fn today() -> String {
    jeugdhulpcatalogus::clock::today().to_string()
}

fn days_ago(days: i64) -> String {
    (jeugdhulpcatalogus::clock::today() - chrono::TimeDelta::days(days)).to_string()
}

/// The value of the hidden input `name` in a page.
fn hidden(page: &str, name: &str) -> String {
    hulpvragen::after(page, &format!("name=\"{name}\" value=\""))
}

struct World {
    app: TestApp,
    worker: Browser,
    provider: Browser,
    other_provider: Browser,
    slug: String,
    other_slug: String,
}

async fn world() -> World {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Doelgericht", 3));
    let other = app.add_provider(ProviderSpec::admitted_in_delft("Anderzijds", 3));
    let provider = app
        .signed_in_user(
            "a@doelgericht.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        )
        .await;
    let other_provider = app
        .signed_in_user(
            "a@anderzijds.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&other)),
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
        provider,
        other_provider,
        slug,
        other_slug: other,
    }
}

/// A hulpvraag chosen by the family and accepted by the provider: (hulpvraag, request).
async fn accepted(w: &World, case_number: &str) -> (i64, String) {
    hulpvragen::accepted(
        &w.worker,
        &w.app.browser(),
        &w.provider,
        &w.slug,
        case_number,
    )
    .await
}

fn stored_goals(app: &TestApp, id: i64) -> Vec<(String, Option<String>)> {
    hulpvraag_goals::table
        .filter(hulpvraag_goals::hulpvraag_id.eq(id))
        .order(hulpvraag_goals::position)
        .select((hulpvraag_goals::text, hulpvraag_goals::result))
        .load(&mut *app.conn())
        .expect("goals")
}

#[tokio::test]
async fn agreed_goals_are_confirmed_marked_and_decide_doelrealisatie() {
    let w = world().await;
    let (id, request) = accepted(&w, "DOEL-1").await;
    let page_path = format!("/toegang/hulpvragen/{id}");
    let (_, page) = w.worker.get(&page_path).await;
    assert!(page.contains("Afgesproken doelen"), "{page}");

    // A BSN in a goal is refused, and what was typed comes back.
    let (status, _, page) = w
        .worker
        .post(
            &format!("{page_path}/doelen"),
            &[("doel_1", "Weer naar school"), ("doel_2", "bsn 111222333")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("burgerservicenummer"), "{page}");
    assert!(page.contains("value=\"Weer naar school\""), "{page}");
    assert!(stored_goals(&w.app, id).is_empty());

    let goals = [
        ("doel_1", "Weer naar school"),
        ("doel_2", ""),
        ("doel_3", "Rust in huis"),
        ("doel_4", "Een vriend maken"),
    ];
    let (status, location, body) = w.worker.post(&format!("{page_path}/doelen"), &goals).await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("gelukt=doelen"), "{location}");
    assert_eq!(
        stored_goals(&w.app, id),
        vec![
            ("Weer naar school".to_owned(), None),
            ("Rust in huis".to_owned(), None),
            ("Een vriend maken".to_owned(), None),
        ]
    );
    // The provider is asked by mail, with a link to the request's own page.
    let mail = w.app.mail_exactly("a@doelgericht.example", 1);
    assert!(
        mail.iter().any(|m| m
            .text()
            .contains(&format!("/mijn-aanbod/aanvragen/{request}"))),
        "the mail links to the request"
    );

    // Care cannot start before the provider confirms.
    let start = [("startdatum", today())];
    let start: Vec<(&str, &str)> = start.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, page) = w.worker.post(&format!("{page_path}/start"), &start).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("nog niet bevestigd"), "{page}");

    // Another provider cannot see or confirm them.
    let detail = format!("/mijn-aanbod/aanvragen/{request}");
    assert_eq!(w.other_provider.get(&detail).await.0, 404);
    let (_, page) = w.provider.get(&detail).await;
    assert!(page.contains("Rust in huis"), "{page}");
    let seen = hidden(&page, "versie");
    assert_eq!(
        w.other_provider
            .post(&format!("{detail}/doelen"), &[("versie", &seen)])
            .await
            .0,
        404
    );

    // A confirmation of goals that changed since the page was shown confirms nothing.
    let (status, _, _) = w
        .worker
        .post(
            &format!("{page_path}/doelen"),
            &[
                ("doel_1", "Weer naar school, vier dagen per week"),
                ("doel_2", "Rust in huis"),
                ("doel_3", "Een vriend maken"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, page) = w
        .provider
        .post(&format!("{detail}/doelen"), &[("versie", &seen)])
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("intussen gewijzigd"), "{page}");
    let (_, page) = w.provider.get(&detail).await;
    let fresh = hidden(&page, "versie");
    let (status, location, body) = w
        .provider
        .post(&format!("{detail}/doelen"), &[("versie", &fresh)])
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = w.provider.get(&location).await;
    assert!(page.contains("U heeft de doelen bevestigd"), "{page}");
    // Twice is refused, not counted twice.
    assert_eq!(
        w.provider
            .post(&format!("{detail}/doelen"), &[("versie", &fresh)])
            .await
            .0,
        409
    );
    assert_eq!(
        w.app
            .mail_exactly("w@delft.example", 2)
            .iter()
            .filter(|m| m.text().contains("afgesproken doelen bevestigd"))
            .count(),
        1
    );

    let (status, _, body) = w.worker.post(&format!("{page_path}/start"), &start).await;
    assert_eq!(status, 303, "{body}");
    // After the start the goals are fixed.
    assert_eq!(
        w.worker
            .post(&format!("{page_path}/doelen"), &[("doel_1", "Iets anders")])
            .await
            .0,
        409
    );

    // At closing every goal needs its mark; the overall yes/no is not asked.
    let ended = today();
    let mut close = vec![
        ("einddatum", ended.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "ja"),
        ("problemen_kleiner", "deels"),
    ];
    let (status, _, page) = w
        .worker
        .post(&format!("{page_path}/afsluiten"), &close)
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("Kies of dit doel is behaald: Rust in huis"),
        "{page}"
    );
    assert!(!page.contains("Zijn de doelen bereikt?"), "{page}");
    close.extend([
        ("doel_1", "behaald"),
        ("doel_2", "deels_behaald"),
        ("doel_3", "niet_behaald"),
    ]);
    let (status, _, page) = w
        .worker
        .post(&format!("{page_path}/afsluiten"), &close)
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Deels behaald"), "{page}");

    let stored: (String, Option<i32>, Option<i32>, Option<i32>) = trajectories::table
        .filter(trajectories::reference.eq(format!("gemeente-hulpvraag-{id}")))
        .select((
            trajectories::goal_result,
            trajectories::goals_agreed,
            trajectories::goals_reached,
            trajectories::goals_partly,
        ))
        .first(&mut *w.app.conn())
        .expect("the trajectory");
    assert_eq!(stored, ("deels_behaald".into(), Some(3), Some(1), Some(1)));
    // The words stay with the hulpvraag, each with its mark.
    assert_eq!(
        stored_goals(&w.app, id)
            .into_iter()
            .map(|(_, mark)| mark.unwrap_or_default())
            .collect::<Vec<_>>(),
        ["behaald", "deels_behaald", "niet_behaald"]
    );
}

#[tokio::test]
async fn a_provider_that_declined_does_not_read_the_goals_agreed_with_another() {
    let w = world().await;
    let id = hulpvragen::open(&w.worker, &hulpvragen::new_form("DOEL-5", "vrijwillig", "")).await;
    let code = hulpvragen::family_code(&w.worker, id).await;
    let family = w.app.browser();
    let (status, _, body) = family
        .post(
            &format!("/keuze/{code}/kies"),
            &[("aanbieder", &w.other_slug)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, list) = w.other_provider.get("/mijn-aanbod/aanvragen").await;
    let declined = hulpvragen::after(&list, "action=\"/mijn-aanbod/aanvragen/");
    let (status, _, body) = w
        .other_provider
        .post(
            &format!("/mijn-aanbod/aanvragen/{declined}"),
            &[("antwoord", "afwijzen"), ("reden", "geen_plek")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = family
        .post(&format!("/keuze/{code}/kies"), &[("aanbieder", &w.slug)])
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, list) = w.provider.get("/mijn-aanbod/aanvragen").await;
    let request = hulpvragen::after(&list, "action=\"/mijn-aanbod/aanvragen/");
    let today = today();
    let accept = [("antwoord", "accepteren"), ("startdatum", today.as_str())];
    let (status, _, _) = w
        .provider
        .post(&format!("/mijn-aanbod/aanvragen/{request}"), &accept)
        .await;
    assert_eq!(status, 303);
    let goal = [("doel_1", "Een geheim doel van dit gezin")];
    let (status, _, _) = w
        .worker
        .post(&format!("/toegang/hulpvragen/{id}/doelen"), &goal)
        .await;
    assert_eq!(status, 303);
    let (status, page) = w
        .other_provider
        .get(&format!("/mijn-aanbod/aanvragen/{declined}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Deze aanvraag loopt niet bij u"), "{page}");
    assert!(!page.contains("Een geheim doel"), "{page}");
}

#[tokio::test]
async fn goals_can_be_taken_away_before_the_start_and_closing_asks_the_yes_or_no() {
    let w = world().await;
    let (id, _) = accepted(&w, "DOEL-2").await;
    let path = format!("/toegang/hulpvragen/{id}");
    // Nothing typed: the first field says what is needed.
    let (status, _, page) = w.worker.post(&format!("{path}/doelen"), &[]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Vul minstens één doel in"), "{page}");
    let (status, _, _) = w
        .worker
        .post(&format!("{path}/doelen"), &[("doel_1", "Weer naar school")])
        .await;
    assert_eq!(status, 303);
    let (status, location, _) = w.worker.post(&format!("{path}/doelen/weghalen"), &[]).await;
    assert_eq!(status, 303);
    assert!(location.contains("doelen_weg"));
    assert!(stored_goals(&w.app, id).is_empty());
    assert_eq!(
        w.worker
            .post(&format!("{path}/doelen/weghalen"), &[])
            .await
            .0,
        409
    );
    let today = today();
    let (status, _, body) = w
        .worker
        .post(&format!("{path}/start"), &[("startdatum", &today)])
        .await;
    assert_eq!(status, 303, "{body}");
    // The two questions of closing (3.1, 3.3) are asked of every closing.
    let close = [
        ("einddatum", today.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "misschien"),
    ];
    let (status, _, page) = w.worker.post(&format!("{path}/afsluiten"), &close).await;
    assert_eq!(status, 422);
    for message in [
        "Kies of de jongere verder kan zonder jeugdhulp.",
        "Kies of de problemen kleiner zijn geworden.",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    let close = [
        ("einddatum", today.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "lichtere_hulp"),
        ("problemen_kleiner", "nee"),
    ];
    let (status, _, page) = w.worker.post(&format!("{path}/afsluiten"), &close).await;
    assert_eq!(status, 422);
    assert!(page.contains("Kies of de doelen zijn bereikt."), "{page}");
    let mut close = close.to_vec();
    close.push(("doelen", "behaald"));
    let (status, _, page) = w.worker.post(&format!("{path}/afsluiten"), &close).await;
    assert_eq!(status, 200, "{page}");
    type Stored = (String, Option<i32>, Option<String>, Option<String>);
    let stored: Stored = trajectories::table
        .filter(trajectories::reference.eq(format!("gemeente-hulpvraag-{id}")))
        .select((
            trajectories::goal_result,
            trajectories::goals_agreed,
            trajectories::without_care,
            trajectories::problems_smaller,
        ))
        .first(&mut *w.app.conn())
        .expect("the trajectory");
    assert_eq!(
        stored,
        (
            "behaald".into(),
            None,
            Some("lichtere_hulp".into()),
            Some("nee".into())
        )
    );
}

#[tokio::test]
async fn goals_are_only_for_an_accepted_hulpvraag_of_the_own_municipality() {
    let w = world().await;
    let open = hulpvragen::open(&w.worker, &hulpvragen::new_form("DOEL-3", "vrijwillig", "")).await;
    let goal = [("doel_1", "Weer naar school")];
    let (status, _, page) = w
        .worker
        .post(&format!("/toegang/hulpvragen/{open}/doelen"), &goal)
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("nadat de aanbieder heeft geaccepteerd"),
        "{page}"
    );
    let (accepted_id, _) = accepted(&w, "DOEL-4").await;
    let elsewhere = w
        .app
        .signed_in_user(
            "w@den-haag.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(w.app.municipality_id("den-haag")),
        )
        .await;
    for path in ["doelen", "doelen/weghalen"] {
        let status = elsewhere
            .post(&format!("/toegang/hulpvragen/{accepted_id}/{path}"), &goal)
            .await
            .0;
        assert_eq!(status, 404, "{path}");
    }
    assert!(stored_goals(&w.app, accepted_id).is_empty());
}

#[tokio::test]
async fn uploads_give_goals_as_counts_and_doelrealisatie_follows() {
    let w = world().await;
    let (_, _, page) = w
        .provider
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
    let item = |reference: &str, result: &str, goals: [&str; 3], end: bool| {
        serde_json::json!({
            "referentie": reference, "gemeente": "delft", "profiel": "3", "intensiteit": "intensief",
            "startdatum": days_ago(200), "einddatum": if end { days_ago(20) } else { String::new() },
            "reden_einde": if end { "1" } else { "" }, "doelresultaat": result,
            "clientsleutel": reference, "leeftijdsgroep": "12-17", "kader": "vrijwillig", "tevredenheid": "",
            "doelen_afgesproken": goals[0], "doelen_behaald": goals[1], "doelen_deels": goals[2]
        })
    };
    let post = |body: serde_json::Value| {
        w.app
            .client
            .post(format!("{}/api/v1/trajectories", w.app.address))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let bad = serde_json::json!([
        item("B-1", "behaald", ["3", "1", "1"], true),
        item("B-2", "", ["3", "", ""], true),
        item("B-3", "", ["2", "1", ""], false),
        item("B-4", "", ["", "1", ""], true),
        item("B-5", "", ["3", "2", "2"], true),
        item("B-6", "", ["6", "6", ""], true),
    ]);
    let response = post(bad).await.expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    let body: serde_json::Value = response.json().await.expect("json");
    let details = body["details"].as_array().expect("details").clone();
    for (item, field, words) in [
        (1, "doelresultaat", "past niet bij de doelen"),
        (2, "doelen_behaald", "Vul in hoeveel"),
        (3, "doelen_behaald", "loopt nog"),
        (4, "doelen_afgesproken", "Vul in hoeveel doelen"),
        (5, "doelen_behaald", "niet meer zijn"),
        (6, "doelen_afgesproken", "0 tot en met 5"),
    ] {
        assert!(
            details.iter().any(|d| d["item"] == item
                && d["field"] == field
                && d["message"].as_str().is_some_and(|m| m.contains(words))),
            "item {item} {field}: {details:?}"
        );
    }
    let good = serde_json::json!([
        item("G-1", "", ["3", "3", ""], true),
        item("G-2", "deels behaald", ["3", "0", "1"], true),
        item("G-3", "", ["2", "0", "0"], true),
        item("G-4", "onbekend", ["2", "", ""], false),
        item("G-5", "behaald", ["", "", ""], true),
    ]);
    let response = post(good).await.expect("sent");
    assert_eq!(
        response.status().as_u16(),
        200,
        "{:?}",
        response.text().await
    );
    type Stored = (String, String, Option<i32>, Option<i32>, Option<i32>);
    let rows: Vec<Stored> = trajectories::table
        .order(trajectories::reference)
        .select((
            trajectories::reference,
            trajectories::goal_result,
            trajectories::goals_agreed,
            trajectories::goals_reached,
            trajectories::goals_partly,
        ))
        .load(&mut *w.app.conn())
        .expect("rows");
    assert_eq!(
        rows,
        vec![
            ("G-1".into(), "behaald".into(), Some(3), Some(3), Some(0)),
            (
                "G-2".into(),
                "deels_behaald".into(),
                Some(3),
                Some(0),
                Some(1)
            ),
            (
                "G-3".into(),
                "niet_behaald".into(),
                Some(2),
                Some(0),
                Some(0)
            ),
            ("G-4".into(), "onbekend".into(), Some(2), None, None),
            ("G-5".into(), "behaald".into(), None, None, None),
        ]
    );
}

/// The CSV template's rows pass every check: a newcomer who fills it in as shown succeeds.
#[tokio::test]
async fn the_csv_template_with_goal_columns_is_accepted() {
    let w = world().await;
    let (status, template) = w
        .provider
        .get("/mijn-aanbod/resultaten/voorbeeld.csv")
        .await;
    assert_eq!(status, 200);
    assert!(template.lines().next().is_some_and(|h| h.ends_with(
        ",doelen_afgesproken,doelen_behaald,doelen_deels,zonder_hulp,problemen_kleiner"
    )));
    // Dated in the past of any test day, in municipalities the provider serves.
    let csv = template
        .replace("2025-09-01", &days_ago(300))
        .replace("2026-03-31", &days_ago(30))
        .replace("2026-02-15", &days_ago(60))
        .replace("2025-06-01", &days_ago(400))
        .replace("2026-01-31", &days_ago(90))
        .replace("den-haag,5", "delft,3");
    let (status, _, page) = w
        .provider
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "voorbeeld.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Het bestand klopt"), "{page}");
}

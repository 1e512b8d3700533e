//! Role and scope on every route (issue 34, item 7). From the route table: every route ×
//! every role and the anonymous visitor gets past the gate exactly when the table says so.
//! Then every route on one object, tried by a user of the right role from another
//! municipality, provider or region: refused (403 or 404), and a refused post changes nothing.

mod common;

use common::routes::{ROUTES, Who, concrete};
use common::{Browser, ProviderSpec, TestApp, fingerprint, spawn_with};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

/// A signed-in browser, with the CSRF token of its session.
async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let browser = app.browser();
    browser.login(email, PASSWORD).await;
    browser.get("/").await;
    browser
}

/// The gate's answer to a visitor who is not signed in (logging out goes to
/// `/inloggen?uitgelogd=1`, which is not this).
fn to_sign_in(location: &str) -> bool {
    location == "/inloggen" || location.starts_with("/inloggen?terug=")
}

async fn request(browser: &Browser, method: &str, path: &str) -> (u16, String) {
    match method {
        "get" => {
            let response = browser
                .client
                .get(format!("{}{path}", browser.address))
                .send()
                .await
                .expect("sent");
            let (status, location, _) = common::answer(response).await;
            (status, location)
        }
        "post" => {
            let (status, location, _) = browser.post(path, &[]).await;
            (status, location)
        }
        other => {
            let response = browser
                .client
                .request(
                    other.to_uppercase().parse().expect("method"),
                    format!("{}{path}", browser.address),
                )
                .json(&serde_json::json!({}))
                .send()
                .await
                .expect("sent");
            (response.status().as_u16(), String::new())
        }
    }
}

#[tokio::test]
async fn every_route_opens_for_the_roles_the_table_names_and_no_other() {
    // Both other ways in configured (a provider of our own on loopback), so their routes
    // are there for everyone.
    let signing = common::oidc::ForgingProvider::start(
        common::oidc::Forgery::Nothing,
        serde_json::json!({"sub": "niemand"}),
    );
    let url = signing.url.clone();
    let app = spawn_with(move |config| {
        config.oidc_issuer_url = Some(url.clone());
        config.oidc_client_id = Some("portaal".into());
        config.eherkenning_issuer_url = Some(url);
        config.eherkenning_client_id = Some("portaal".into());
    })
    .await;
    let provider = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let people = [
        (
            Some(Role::Aanbieder),
            "aanbieder@alfa.example",
            Affiliation::Provider(app.provider_id(&provider)),
        ),
        (
            Some(Role::Toegangsmedewerker),
            "wijkteam@delft.example",
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            Some(Role::Beleidsmedewerker),
            "beleid@delft.example",
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            Some(Role::Contractmanager),
            "cm@haaglanden.example",
            Affiliation::Region(app.region_id("haaglanden")),
        ),
        (
            Some(Role::Beheerder),
            "beheer@regio.example",
            Affiliation::None,
        ),
    ];
    for (role, email, affiliation) in &people {
        app.add_user(email, PASSWORD, role.expect("role"), *affiliation);
    }
    let mut tried = 0;
    for (role, email, _) in
        people
            .iter()
            .map(|(r, e, a)| (*r, *e, a))
            .chain([(None, "", &Affiliation::None)])
    {
        let name = role.map_or("anonymous", |r| r.as_str());
        let mut browser = match role {
            Some(_) => signed_in(&app, email).await,
            None => app.browser(),
        };
        for route in ROUTES {
            let path = concrete(route.pattern);
            let (status, location) = request(&browser, route.method, &path).await;
            let what = format!("{name}: {} {path} → {status} {location}", route.method);
            match (route.who, role) {
                (Who::Token, _) => assert_eq!(status, 401, "{what}: a session is no API token"),
                (Who::Public, _) => {
                    assert!(![401, 403].contains(&status), "{what}");
                    assert!(!to_sign_in(&location), "{what}");
                    assert!(route.pattern.contains('{') || status != 404, "{what}");
                }
                (Who::Roles(_), None) => {
                    assert_eq!(status, 303, "{what}");
                    assert!(to_sign_in(&location), "{what}");
                }
                (Who::Roles(roles), Some(role)) if roles.contains(&role) => {
                    assert!(![401, 403].contains(&status), "{what}");
                    assert!(!to_sign_in(&location), "{what}");
                    // A route without parameters is there: a 404 means the table's path is
                    // not the one the app serves (the source check matches only its end).
                    assert!(route.pattern.contains('{') || status != 404, "{what}");
                }
                (Who::Roles(_), Some(_)) => assert_eq!(status, 403, "{what}"),
            }
            tried += 1;
            // A post may have ended the session (logging out): sign in again.
            if route.method == "post" && role.is_some() {
                browser = signed_in(&app, email).await;
            }
        }
    }
    assert_eq!(tried, ROUTES.len() * 6);
}

/// Tries a route on another's object: refused with 403 or 404, and nothing changed.
async fn refused(
    app: &TestApp,
    who: &str,
    browser: &Browser,
    method: &str,
    path: &str,
    fields: &[(&str, &str)],
) {
    // Mail of earlier steps goes out in the background: sent before the count.
    app.background_settled();
    let before = fingerprint::of(&mut app.conn());
    let (status, body) = match method {
        "get" => browser.get(path).await,
        _ => {
            let (status, _, body) = browser.post(path, fields).await;
            (status, body)
        }
    };
    // Confirming an upload that is not (or no longer) waiting answers 409 to everyone, its
    // owner's second click included: it says nothing of whose upload the number was.
    let conflict = path.ends_with("/bevestigen") && status == 409;
    assert!(
        [403, 404].contains(&status) || conflict,
        "{who}: {method} {path} → {status}\n{body}"
    );
    // A mail a refused post queued would be sent now, and show.
    app.background_settled();
    let changed = fingerprint::changed(&before, &fingerprint::of(&mut app.conn()));
    assert!(
        changed.is_empty(),
        "{who}: {method} {path} refused, yet {changed:?} changed"
    );
}

async fn owner_sees(browser: &Browser, path: &str) {
    let (status, body) = browser.get(path).await;
    assert_eq!(status, 200, "the owner's own {path}: {body}");
}

#[tokio::test]
async fn another_municipality_provider_or_region_is_refused_on_every_route_of_an_object() {
    use jeugdhulpcatalogus::db::schema::{
        admissions, api_tokens, care_requests, offers, pending_uploads,
    };
    // No funnel refresh on a timer: it would write between two fingerprints.
    let app = spawn_with(|config| config.funnel_refresh_ms = 0).await;
    let alfa = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let bravo = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdzorg Bravo", 3));
    let (alfa_id, bravo_id) = (app.provider_id(&alfa), app.provider_id(&bravo));
    let owner = app
        .signed_in_user(
            "a@alfa.example",
            Role::Aanbieder,
            Affiliation::Provider(alfa_id),
        )
        .await;
    let other_provider = app
        .signed_in_user(
            "b@bravo.example",
            Role::Aanbieder,
            Affiliation::Provider(bravo_id),
        )
        .await;
    let worker = app
        .signed_in_user(
            "w@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        )
        .await;
    let other_worker = app
        .signed_in_user(
            "w@denhaag.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("den-haag")),
        )
        .await;
    let manager = app
        .signed_in_user(
            "cm@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let other_manager = app
        .signed_in_user(
            "cm@alkmaar.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let today = jeugdhulpcatalogus::clock::today().to_string();

    // The worker's hulpvraag, and a second one on which the worker chose Alfa: a request.
    let new = common::hulpvragen::new_form("Z-1", "vrijwillig", "");
    let hulpvraag = common::hulpvragen::open(&worker, &new).await;
    let chosen = common::hulpvragen::open(&worker, &new).await;
    let alfa_field = alfa_id.to_string();
    let (status, _, body) = worker
        .post(
            &format!("/toegang/hulpvragen/{chosen}/kiezen"),
            &[("aanbieder", alfa_field.as_str())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    // Alfa's offer, a token, an upload waiting to be confirmed, and a report.
    let mut conn = app.conn();
    let offer: i64 = offers::table
        .filter(offers::provider_id.eq(alfa_id))
        .select(offers::id)
        .first(&mut *conn)
        .expect("offer");
    let request: i64 = care_requests::table
        .filter(care_requests::provider_id.eq(alfa_id))
        .select(care_requests::id)
        .first(&mut *conn)
        .expect("request");
    let admission: i64 = admissions::table
        .filter(admissions::provider_id.eq(alfa_id))
        .select(admissions::id)
        .first(&mut *conn)
        .expect("admission");
    drop(conn);
    let (status, _, body) = owner
        .post(
            "/mijn-aanbod/api-tokens",
            &[("naam", "Koppeling"), ("dagen", "30")],
        )
        .await;
    assert!([200, 303].contains(&status), "{body}");
    let csv = common::reports::trajectories("T", 3, 1, |_| (1, "behaald", 8));
    common::reports::upload(&owner, csv.clone()).await;
    // A second upload left waiting for its confirmation.
    let (status, _, body) = owner
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mut conn = app.conn();
    let token: i64 = api_tokens::table
        .filter(api_tokens::provider_id.eq(alfa_id))
        .select(api_tokens::id)
        .first(&mut *conn)
        .expect("token");
    let upload: i64 = pending_uploads::table
        .filter(pending_uploads::provider_id.eq(alfa_id))
        .select(pending_uploads::id)
        .first(&mut *conn)
        .expect("upload");
    drop(conn);
    let location = common::reports::open(&app, &owner).await;
    let report: i64 = common::hulpvragen::after(&location, "/mijn-aanbod/cijfers/")
        .parse()
        .expect("report id");

    // The owners reach their objects: the ids below are real.
    owner_sees(&worker, &format!("/toegang/hulpvragen/{hulpvraag}")).await;
    owner_sees(&owner, &format!("/mijn-aanbod/cijfers/{report}")).await;
    owner_sees(&owner, &format!("/mijn-aanbod/aanbod/{offer}")).await;
    owner_sees(&manager, &format!("/beheer/aanmeldingen/{admission}")).await;

    // A worker of another municipality, on every route of the hulpvraag.
    let h = format!("/toegang/hulpvragen/{hulpvraag}");
    let bravo_field = bravo_id.to_string();
    let who = "a worker of Den Haag";
    for page in ["", "/aanpassen", "/intrekken"] {
        refused(&app, who, &other_worker, "get", &format!("{h}{page}"), &[]).await;
    }
    let mut tried_posts = Vec::new();
    for (action, fields) in [
        ("/link", vec![]),
        ("/link/mail", vec![("email", "ouder@example.nl")]),
        ("/lijst", vec![("aanbieder", bravo_field.as_str())]),
        (&*format!("/lijst/{alfa_id}/verwijderen"), vec![]),
        ("/aanpassen", new[..4].to_vec()),
        ("/intrekken", vec![("reden", "De hulp is niet meer nodig.")]),
        ("/kiezen", vec![("aanbieder", alfa_field.as_str())]),
        ("/start", vec![("startdatum", today.as_str())]),
        (
            "/afsluiten",
            vec![
                ("einddatum", today.as_str()),
                ("reden", "1"),
                ("doelen", "behaald"),
                ("zonder_hulp", "ja"),
                ("problemen_kleiner", "ja"),
            ],
        ),
        ("/vragenlijst", vec![("email", "ouder@example.nl")]),
    ] {
        refused(
            &app,
            who,
            &other_worker,
            "post",
            &format!("{h}{action}"),
            &fields,
        )
        .await;
        tried_posts.push(format!("{h}{action}"));
    }
    // Another provider, on every route of Alfa's objects.
    let who = "Bravo";
    for page in [
        format!("/mijn-aanbod/cijfers/{report}"),
        format!("/mijn-aanbod/aanbod/{offer}"),
    ] {
        refused(&app, who, &other_provider, "get", &page, &[]).await;
    }
    for (path, fields) in [
        (
            format!("/mijn-aanbod/cijfers/{report}/uitleg"),
            vec![("uitleg", "Anders geteld.")],
        ),
        (format!("/mijn-aanbod/cijfers/{report}/indienen"), vec![]),
        (
            format!("/mijn-aanbod/cijfers/{report}/correctie"),
            vec![("reden", "Een fout in het bestand.")],
        ),
        (
            format!("/mijn-aanbod/aanbod/{offer}"),
            vec![("wachttijd", "2")],
        ),
        (format!("/mijn-aanbod/aanbod/{offer}/verwijderen"), vec![]),
        (format!("/mijn-aanbod/api-tokens/{token}/intrekken"), vec![]),
        (
            format!("/mijn-aanbod/resultaten/{upload}/bevestigen"),
            vec![],
        ),
        (
            format!("/mijn-aanbod/aanvragen/{request}"),
            vec![("antwoord", "accepteren"), ("startdatum", today.as_str())],
        ),
    ] {
        refused(&app, who, &other_provider, "post", &path, &fields).await;
    }

    // The steps after a choice, where the owner can take them: Alfa accepts the request;
    // then each step is refused to the worker of Den Haag with the very form that works for
    // the worker of Delft right after (so the refusal was the municipality, not the form).
    let (status, _, body) = owner
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "accepteren"), ("startdatum", today.as_str())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let who = "a worker of Den Haag";
    for (action, fields) in [
        ("/start", vec![("startdatum", today.as_str())]),
        (
            "/afsluiten",
            vec![
                ("einddatum", today.as_str()),
                ("reden", "1"),
                ("doelen", "behaald"),
                ("zonder_hulp", "ja"),
                ("problemen_kleiner", "ja"),
            ],
        ),
        ("/vragenlijst", vec![("email", "ouder@example.nl")]),
    ] {
        let path = format!("/toegang/hulpvragen/{chosen}{action}");
        refused(&app, who, &other_worker, "post", &path, &fields).await;
        // Closing and a new questionnaire show the family's one-time link on the answer.
        let (status, _, body) = worker.post(&path, &fields).await;
        assert!([200, 303].contains(&status), "the owner's {action}: {body}");
        assert!(
            !body.contains("error-summary"),
            "the owner's {action}: {body}"
        );
    }

    // A contract manager of another region, on Haaglanden's admission and report.
    let who = "the contract manager of Alkmaar";
    let a = format!("/beheer/aanmeldingen/{admission}");
    refused(&app, who, &other_manager, "get", &a, &[]).await;
    refused(
        &app,
        who,
        &other_manager,
        "post",
        &a,
        &[("besluit", "schorsen"), ("reden", "Zomaar.")],
    )
    .await;
    assert_eq!(
        owner
            .post(&format!("/mijn-aanbod/cijfers/{report}/indienen"), &[])
            .await
            .0,
        303
    );
    let r = format!("/beheer/scores/rapporten/{report}");
    owner_sees(&manager, &r).await;
    refused(&app, who, &other_manager, "get", &r, &[]).await;
    refused(
        &app,
        who,
        &other_manager,
        "post",
        &r,
        &[("besluit", "publiceren"), ("opmerking", "")],
    )
    .await;
    // Their own region's dashboard and export, whatever region the address asks for.
    for path in [
        "/beheer/scores?regio=haaglanden&profiel=3",
        "/beheer/scores/export.csv?regio=haaglanden&profiel=3",
    ] {
        let (status, body) = other_manager.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("Gezinshuis Alfa"), "{path}: {body}");
        let (_, own) = manager.get(path).await;
        assert!(own.contains("Gezinshuis Alfa"), "{path}: {own}");
    }

    // A beheerder of another region, on Haaglanden's people and agreement.
    let who = "the beheerder of Alkmaar";
    let other_beheerder = app
        .signed_in_user(
            "beheer@alkmaar.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let own_beheerder = app
        .signed_in_user(
            "beheer@haaglanden.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let (status, _, body) = own_beheerder
        .post(
            "/beheer/gebruikers/uitnodigen",
            &[
                ("naam", "Nieuwe Collega"),
                ("email", "nieuw@haaglanden.example"),
                ("rol", "toegangsmedewerker"),
                ("gemeente", &app.municipality_id("delft").to_string()),
            ],
        )
        .await;
    assert_eq!(status, 303, "the own region's beheerder invites: {body}");
    let id_of = |email: &str| -> i64 {
        use jeugdhulpcatalogus::db::schema::users;
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(&mut *app.conn())
            .expect("user")
    };
    let installation = app.add_user(
        "beheer@alle-regios.example",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    // Not the installation's beheerder's account, and no one made beheerder of every region.
    refused(
        &app,
        "the beheerder of Haaglanden",
        &own_beheerder,
        "get",
        &format!("/beheer/gebruikers/{installation}"),
        &[],
    )
    .await;
    for regio in ["", "alle"] {
        let before = fingerprint::of(&mut app.conn());
        let (status, _, _) = own_beheerder
            .post(
                "/beheer/gebruikers/uitnodigen",
                &[
                    ("naam", "Nieuwe Baas"),
                    ("email", "baas@haaglanden.example"),
                    ("rol", "beheerder"),
                    ("regio", regio),
                ],
            )
            .await;
        assert_eq!(status, 422, "regio {regio:?}");
        app.background_settled();
        assert!(fingerprint::changed(&before, &fingerprint::of(&mut app.conn())).is_empty());
    }
    let (staff, invited) = (
        id_of("cm@haaglanden.example"),
        id_of("nieuw@haaglanden.example"),
    );
    owner_sees(&own_beheerder, &format!("/beheer/gebruikers/{staff}")).await;
    let alkmaar_municipality = app.municipality_id("heiloo").to_string();
    for (method, path, fields) in [
        ("get", format!("/beheer/gebruikers/{staff}"), vec![]),
        (
            "post",
            format!("/beheer/gebruikers/{staff}"),
            vec![
                ("rol", "toegangsmedewerker"),
                ("gemeente", alkmaar_municipality.as_str()),
            ],
        ),
        (
            "post",
            format!("/beheer/gebruikers/{staff}/deactiveren"),
            vec![],
        ),
        (
            "post",
            format!("/beheer/gebruikers/{staff}/activeren"),
            vec![],
        ),
        (
            "post",
            format!("/beheer/gebruikers/{invited}/opnieuw-uitnodigen"),
            vec![],
        ),
        (
            "post",
            format!("/beheer/gebruikers/{invited}/intrekken"),
            vec![],
        ),
        (
            "get",
            "/beheer/procesovereenkomst/haaglanden".to_owned(),
            vec![],
        ),
        (
            "get",
            "/beheer/regios/haaglanden/productcodes".to_owned(),
            vec![],
        ),
        (
            "post",
            "/beheer/regios/haaglanden/productcodes".to_owned(),
            vec![],
        ),
        (
            "post",
            "/beheer/procesovereenkomst/haaglanden".to_owned(),
            vec![
                ("titel", "Zomaar"),
                ("tekst", "Zomaar."),
                ("eisen", ""),
                ("ingangsdatum", today.as_str()),
            ],
        ),
    ] {
        refused(&app, who, &other_beheerder, method, &path, &fields).await;
    }
    // Their own list holds none of Haaglanden's people, whatever the filter asks.
    let (status, list) = other_beheerder
        .get(&format!(
            "/beheer/gebruikers?regio={}",
            app.region_id("haaglanden")
        ))
        .await;
    assert_eq!(status, 200);
    assert!(!list.contains("haaglanden.example"), "{list}");
    // Inviting into another region is refused, and nothing is stored.
    let before = fingerprint::of(&mut app.conn());
    let (status, _, _) = other_beheerder
        .post(
            "/beheer/gebruikers/uitnodigen",
            &[
                ("naam", "Indringer"),
                ("email", "x@haaglanden.example"),
                ("rol", "contractmanager"),
                ("regio", &app.region_id("haaglanden").to_string()),
            ],
        )
        .await;
    assert_eq!(status, 422);
    app.background_settled();
    assert!(fingerprint::changed(&before, &fingerprint::of(&mut app.conn())).is_empty());
}

//! Signing in with the organisation's account (issue 36), against a real OpenID Connect
//! provider on loopback: `oidc-provider-mock` from PyPI, driven through its own login form.
//! Ignored, with the reason, where it is not installed; `.ci/run` installs it and sets
//! `JHC_OIDC_TESTS=required`, so there a missing provider fails. eHerkenning is in
//! `sign_in_eherkenning.rs`, the forged tokens in `sign_in_forged.rs`.

mod common;

use common::oidc::{MockProvider, get_url, log_in_at_mock, portal, sign_in, signed_in, start};
use common::{Browser, TestApp};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{access_requests, user_identities, users};
use serde_json::json;

const PASSWORD: &str = "een lange zin als wachtwoord";
const ORGANISATION: &str = "/inloggen/organisatie";

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = mock_trials![
        staff_sign_in_links_a_verified_address_once_and_signs_out_at_the_provider,
        an_unverified_address_is_not_linked_and_the_beheerder_approves_the_request,
        an_unknown_person_gets_no_session_and_a_request_the_beheerder_can_deny,
        a_deactivated_account_is_refused_and_its_sessions_end,
        a_missing_required_role_is_refused_and_ends_the_sessions,
        a_changed_state_and_a_replayed_code_are_refused,
    ];
    libtest_mimic::run(&args, trials).exit();
}

/// A toegangsmedewerker of Delft with this address, and the person the provider knows as
/// `sub` with these claims. Returns the account's id.
async fn worker_known_at(
    app: &TestApp,
    provider: &MockProvider,
    email: &str,
    sub: &str,
    claims: serde_json::Value,
) -> i64 {
    let delft = app.municipality_id("delft");
    let id = app.add_user(
        email,
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(delft),
    );
    provider.put_user(sub, claims).await;
    id
}

fn identities_of(app: &TestApp, user_id: i64) -> i64 {
    user_identities::table
        .filter(user_identities::user_id.eq(user_id))
        .count()
        .get_result(&mut *app.conn())
        .expect("count")
}

fn requests(app: &TestApp) -> Vec<(i64, String)> {
    access_requests::table
        .select((access_requests::id, access_requests::email))
        .order(access_requests::id)
        .load(&mut *app.conn())
        .expect("requests")
}

async fn staff_sign_in_links_a_verified_address_once_and_signs_out_at_the_provider(
    binary: std::path::PathBuf,
) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    let claims = json!({"email": "W.de.Vries@delft.example", "email_verified": true, "name": "Wim de Vries"});
    let worker = worker_known_at(
        &app,
        &provider,
        "w.de.vries@delft.example",
        "medewerker-1",
        claims,
    )
    .await;

    let browser = app.browser();
    let (status, page) = browser.get("/inloggen").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Inloggen met uw organisatieaccount"),
        "{page}"
    );
    assert!(page.contains("Inloggen met eHerkenning"));
    let (status, location, body) = sign_in(&browser, ORGANISATION, "medewerker-1").await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"), "{body}");
    assert!(signed_in(&browser));
    assert_eq!(browser.get("/mijn-werk").await.0, 200);
    assert_eq!(identities_of(&app, worker), 1);

    // The next time the account is found by issuer and subject, whatever the address says.
    provider
        .put_user(
            "medewerker-1",
            json!({"email": "iemand.anders@delft.example", "email_verified": true}),
        )
        .await;
    let other = app.browser();
    let (status, location, _) = sign_in(&other, ORGANISATION, "medewerker-1").await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"));
    assert_eq!(identities_of(&app, worker), 1);

    // Signing out ends the portal's session and sends the browser to the provider's end.
    let (status, location, _) = other.post("/uitloggen", &[]).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with(&format!("{}/oauth2/end_session", provider.url)),
        "{location}"
    );
    assert!(
        location.contains("client_id=jeugdhulpcatalogus"),
        "{location}"
    );
    assert!(location.contains("post_logout_redirect_uri="), "{location}");
    let (status, _) = other.get("/mijn-werk").await;
    assert_eq!(status, 303, "signed out");
    // A password sign-in still works where the organisation allows it (the default).
    let password = app.browser();
    password.login("w.de.vries@delft.example", PASSWORD).await;
}

/// Approves the request whose address is `email` as a toegangsmedewerker of Delft.
async fn approve(app: &TestApp, beheerder: &Browser, email: &str) -> (u16, String, String) {
    let (id, _) = requests(app)
        .into_iter()
        .find(|(_, e)| e == email)
        .expect("a request");
    let (status, page) = beheerder.get("/beheer/gebruikers").await;
    assert_eq!(status, 200);
    assert!(page.contains("Aanvragen voor toegang (1)"), "{page}");
    assert!(page.contains(&format!("/beheer/gebruikers/aanvragen/{id}")));
    let (status, page) = beheerder
        .get(&format!("/beheer/gebruikers/aanvragen/{id}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(email));
    let delft = app.municipality_id("delft").to_string();
    beheerder
        .post(
            &format!("/beheer/gebruikers/aanvragen/{id}"),
            &[
                ("naam", "Nieuwe Medewerker"),
                ("email", email),
                ("rol", "toegangsmedewerker"),
                ("gemeente", &delft),
                ("regio", ""),
            ],
        )
        .await
}

async fn an_unverified_address_is_not_linked_and_the_beheerder_approves_the_request(
    binary: std::path::PathBuf,
) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    let worker = worker_known_at(
        &app,
        &provider,
        "a.jansen@delft.example",
        "medewerker-2",
        json!({"email": "a.jansen@delft.example", "email_verified": false}),
    )
    .await;
    let browser = app.browser();
    let (status, _, page) = sign_in(&browser, ORGANISATION, "medewerker-2").await;
    assert_eq!(status, 403);
    assert!(page.contains("U heeft nog geen toegang"), "{page}");
    assert!(!signed_in(&browser));
    assert_eq!(
        identities_of(&app, worker),
        0,
        "an unverified address links nothing"
    );

    let beheerder = app
        .signed_in_user(
            "beheer@haaglanden.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let (status, location, body) = approve(&app, &beheerder, "a.jansen@delft.example").await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location,
        format!("/beheer/gebruikers/{worker}?gedaan=gekoppeld"),
        "linked to the existing account"
    );
    assert!(requests(&app).is_empty());
    let again = app.browser();
    let (status, location, _) = sign_in(&again, ORGANISATION, "medewerker-2").await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"));
}

async fn an_unknown_person_gets_no_session_and_a_request_the_beheerder_can_deny(
    binary: std::path::PathBuf,
) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    provider
        .put_user(
            "nieuw-1",
            json!({"email": "nieuw@delft.example", "email_verified": true, "name": "Nel Nieuw"}),
        )
        .await;
    provider
        .put_user(
            "vreemd-1",
            json!({"email": "vreemd@elders.example", "email_verified": true}),
        )
        .await;
    for sub in ["nieuw-1", "vreemd-1"] {
        let browser = app.browser();
        let (status, _, page) = sign_in(&browser, ORGANISATION, sub).await;
        assert_eq!(status, 403);
        assert!(page.contains("U heeft nog geen toegang"));
        assert!(!signed_in(&browser));
    }
    assert_eq!(requests(&app).len(), 2);
    // Nobody but a beheerder sees or decides a request.
    let manager = app
        .signed_in_user(
            "cm@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let (id, _) = requests(&app)[1].clone();
    assert_eq!(
        manager
            .get(&format!("/beheer/gebruikers/aanvragen/{id}"))
            .await
            .0,
        403
    );
    assert_eq!(
        manager
            .post(&format!("/beheer/gebruikers/aanvragen/{id}/afwijzen"), &[])
            .await
            .0,
        403
    );

    let beheerder = app
        .signed_in_user(
            "beheer@haaglanden.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let (status, location, _) = beheerder
        .post(&format!("/beheer/gebruikers/aanvragen/{id}/afwijzen"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/beheer/gebruikers?gedaan=afgewezen")
    );
    assert_eq!(requests(&app).len(), 1);
    // A regional beheerder gives no role outside its region.
    let (request, _) = requests(&app)[0].clone();
    let alkmaar = app.region_id("alkmaar").to_string();
    let (status, _, page) = beheerder
        .post(
            &format!("/beheer/gebruikers/aanvragen/{request}"),
            &[
                ("naam", "Nel Nieuw"),
                ("email", "nieuw@delft.example"),
                ("rol", "contractmanager"),
                ("regio", &alkmaar),
                ("gemeente", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    let (status, _, body) = approve(&app, &beheerder, "nieuw@delft.example").await;
    assert_eq!(status, 303, "{body}");
    let browser = app.browser();
    let (status, location, _) = sign_in(&browser, ORGANISATION, "nieuw-1").await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"));
    let (_, page) = browser.get("/mijn-werk").await;
    assert!(
        page.contains("Nieuwe Medewerker"),
        "the name the beheerder gave"
    );
    // The new account has no password: nothing signs in with one.
    let (status, _, _) = app
        .browser()
        .post(
            "/inloggen",
            &[("email", "nieuw@delft.example"), ("wachtwoord", "!extern")],
        )
        .await;
    assert_eq!(status, 422);
    // Nor does it get one by "wachtwoord vergeten": that would pass by the organisation.
    let (status, _, _) = app
        .browser()
        .post("/wachtwoord-vergeten", &[("email", "nieuw@delft.example")])
        .await;
    assert_eq!(status, 200);
    app.mail_exactly("nieuw@delft.example", 0);
}

async fn a_deactivated_account_is_refused_and_its_sessions_end(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    let worker = worker_known_at(
        &app,
        &provider,
        "b@delft.example",
        "medewerker-3",
        json!({"email": "b@delft.example", "email_verified": true}),
    )
    .await;
    let first = app.browser();
    assert_eq!(sign_in(&first, ORGANISATION, "medewerker-3").await.0, 303);
    // Switched off in the database alone: the sign-in itself must end the sessions.
    diesel::update(users::table.find(worker))
        .set(users::active.eq(false))
        .execute(&mut *app.conn())
        .expect("deactivate");
    refused_and_ended(&app, &first, "medewerker-3", "Uw account is gedeactiveerd").await;
}

async fn a_missing_required_role_is_refused_and_ends_the_sessions(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, Some("jeugdhulpcatalogus")).await;
    let claims = json!({"email": "c@delft.example", "email_verified": true, "roles": ["jeugdhulpcatalogus", "intranet"]});
    worker_known_at(&app, &provider, "c@delft.example", "medewerker-4", claims).await;
    let first = app.browser();
    assert_eq!(sign_in(&first, ORGANISATION, "medewerker-4").await.0, 303);
    assert_eq!(first.get("/mijn-werk").await.0, 200);
    provider
        .put_user(
            "medewerker-4",
            json!({"email": "c@delft.example", "email_verified": true, "roles": ["intranet"]}),
        )
        .await;
    // Checked at every sign-in.
    refused_and_ended(
        &app,
        &first,
        "medewerker-4",
        "Geen toegang via uw organisatie",
    )
    .await;
}

/// A new sign-in as `sub` is refused with `heading` and no session, and the session the
/// browser `first` had has ended.
async fn refused_and_ended(app: &TestApp, first: &Browser, sub: &str, heading: &str) {
    let second = app.browser();
    let (status, _, page) = sign_in(&second, ORGANISATION, sub).await;
    assert_eq!(status, 403);
    assert!(page.contains(heading), "{page}");
    assert!(!signed_in(&second));
    assert_eq!(
        first.get("/mijn-werk").await.0,
        303,
        "the earlier session has ended"
    );
}

async fn a_changed_state_and_a_replayed_code_are_refused(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    worker_known_at(
        &app,
        &provider,
        "d@delft.example",
        "medewerker-5",
        json!({"email": "d@delft.example", "email_verified": true}),
    )
    .await;
    // A changed state.
    let browser = app.browser();
    let authorize = start(&browser, ORGANISATION).await;
    let back = log_in_at_mock(&browser, &authorize, "medewerker-5").await;
    let changed = back.replace("state=", "state=0");
    let (status, _, page) = get_url(&browser, &changed).await;
    assert_eq!(status, 400);
    assert!(page.contains("Inloggen is niet gelukt"), "{page}");
    assert!(!signed_in(&browser));
    // The same code twice: the first signs in, the second is refused.
    let browser = app.browser();
    let authorize = start(&browser, ORGANISATION).await;
    let back = log_in_at_mock(&browser, &authorize, "medewerker-5").await;
    let state = back
        .split("state=")
        .nth(1)
        .expect("state")
        .split('&')
        .next()
        .expect("state")
        .to_owned();
    assert_eq!(get_url(&browser, &back).await.0, 303);
    let thief = app.browser();
    thief.get("/inloggen").await;
    thief.set_cookie(&format!("jhc_inlog={state}; Path=/inloggen"));
    let (status, _, page) = get_url(&thief, &back).await;
    assert_eq!(status, 400, "{page}");
    assert!(!signed_in(&thief));

    // A victim's code with the attacker's own attempt (state and cookie): the provider
    // refuses the exchange, since the code was bound to the victim's PKCE challenge.
    let victim = app.browser();
    let authorize = start(&victim, ORGANISATION).await;
    let victims_way_back = log_in_at_mock(&victim, &authorize, "medewerker-5").await;
    let code = victims_way_back
        .split("code=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("code")
        .to_owned();
    let attacker = app.browser();
    let authorize = start(&attacker, ORGANISATION).await;
    let attackers_way_back = log_in_at_mock(&attacker, &authorize, "medewerker-5").await;
    let own_code = attackers_way_back
        .split("code=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .expect("code");
    let injected = attackers_way_back.replace(own_code, &code);
    let (status, _, page) = get_url(&attacker, &injected).await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("niet kunnen vertrouwen"), "{page}");
    assert!(!signed_in(&attacker));
}

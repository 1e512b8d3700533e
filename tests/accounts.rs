//! Accounts over HTTP: login and its limits, sessions, CSRF, password reset by e-mail
//! (through the SMTP server on loopback), and "log out everywhere".

mod common;

use common::spawn_app;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

#[tokio::test]
async fn a_user_logs_in_and_out_and_anonymous_visitors_are_sent_to_the_login_page() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let browser = app.browser();

    let (status, location, _) = browser.post_raw("/inloggen", &[]).await;
    assert_eq!(status, 403, "no CSRF token: {location}");

    let response = browser
        .client
        .get(format!("{}/account", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/inloggen?terug=%2Faccount");

    let (status, location, _) = browser
        .post(
            "/inloggen",
            &[
                ("email", "Bea@Example.nl "),
                ("wachtwoord", PASSWORD),
                ("terug", "/account"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/account"));
    let session = browser.cookie("jhc_sessie").expect("session cookie");
    assert_eq!(session.split('.').count(), 3, "a JWT");

    let (status, html) = browser.get("/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("bea@example.nl"));
    assert!(html.contains("Uitloggen"));

    let (status, location, _) = browser.post("/uitloggen", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/?uitgelogd=1"));
    assert!(browser.cookie("jhc_sessie").is_none());
    let (status, _) = browser.get("/account").await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn the_login_never_says_whether_an_address_exists_and_stops_after_five_failures() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let browser = app.browser();

    let (_, _, unknown) = browser
        .post(
            "/inloggen",
            &[("email", "niemand@example.nl"), ("wachtwoord", PASSWORD)],
        )
        .await;
    let (_, _, wrong) = browser
        .post(
            "/inloggen",
            &[
                ("email", "bea@example.nl"),
                ("wachtwoord", "fout wachtwoord!!"),
            ],
        )
        .await;
    let message = "Het e-mailadres of het wachtwoord klopt niet.";
    assert!(unknown.contains(message) && wrong.contains(message));
    assert!(
        wrong.contains(r#"value="bea@example.nl""#),
        "the address typed is kept"
    );
    assert!(
        !wrong.contains("fout wachtwoord"),
        "the password is never sent back"
    );
    // An empty field is named, not answered as a wrong password.
    let (status, _, empty) = browser
        .post(
            "/inloggen",
            &[("email", "bea@example.nl"), ("wachtwoord", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(empty.contains("Vul uw wachtwoord in."), "{empty}");
    assert!(!empty.contains(message), "{empty}");
    let (_, _, empty) = browser
        .post("/inloggen", &[("email", " "), ("wachtwoord", "")])
        .await;
    assert!(empty.contains("Vul uw e-mailadres in."), "{empty}");
    common::assert_error_links_resolve(&empty);

    for _ in 0..4 {
        browser
            .post(
                "/inloggen",
                &[
                    ("email", "bea@example.nl"),
                    ("wachtwoord", "nog steeds fout"),
                ],
            )
            .await;
    }
    let (status, _, body) = browser
        .post(
            "/inloggen",
            &[("email", "bea@example.nl"), ("wachtwoord", PASSWORD)],
        )
        .await;
    assert_eq!(status, 429, "blocked even with the right password");
    assert!(body.contains("Wacht 15 minuten"));

    // Another address from the same place still works (the per-IP limit is higher).
    app.add_user(
        "carla@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    app.browser().login("carla@example.nl", PASSWORD).await;
}

#[tokio::test]
async fn forms_refuse_a_missing_or_forged_csrf_token_and_foreign_origins() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let browser = app.browser();
    browser.login("bea@example.nl", PASSWORD).await;

    let (status, _, body) = browser.post_raw("/account/overal-uitloggen", &[]).await;
    assert_eq!(status, 403);
    assert!(body.contains("Dit formulier is verlopen"));
    let forged = "0".repeat(64);
    let (status, _, _) = browser
        .post_raw("/account/overal-uitloggen", &[("csrf", forged.as_str())])
        .await;
    assert_eq!(status, 403);

    let token = browser.cookie("jhc_csrf").expect("token");
    let response = browser
        .client
        .post(format!("{}/account/overal-uitloggen", app.address))
        .header("Origin", "https://evil.example")
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 403);

    // Still logged in: none of the attempts did anything.
    assert_eq!(browser.get("/account").await.0, 200);
}

#[tokio::test]
async fn forged_and_foreign_session_tokens_are_not_accepted() {
    let app = spawn_app().await;
    let id = app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let other_key = jeugdhulpcatalogus::accounts::session::SessionKeys::new(
        "somebody else's key of 32+ characters",
        false,
    );
    let forged = other_key.issue(id, 1).expect("token");
    for cookie in [
        forged.as_str(),
        "not-a-jwt",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwidmVyIjoxLCJleHAiOjk5OTk5OTk5OTl9.",
    ] {
        let response = app
            .client
            .get(format!("{}/account", app.address))
            .header("Cookie", format!("jhc_sessie={cookie}"))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 303, "{cookie}");
    }
}

#[tokio::test]
async fn a_password_reset_link_arrives_by_mail_works_once_and_ends_old_sessions() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let old = app.browser();
    old.login("bea@example.nl", PASSWORD).await;

    let browser = app.browser();
    let (status, _, body) = browser
        .post("/wachtwoord-vergeten", &[("email", "bea@example.nl")])
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("Als dit e-mailadres bij ons bekend is"));
    let (_, _, unknown) = browser
        .post("/wachtwoord-vergeten", &[("email", "niemand@example.nl")])
        .await;
    assert!(
        unknown.contains("Als dit e-mailadres bij ons bekend is"),
        "same answer"
    );

    let mails = app.mail.wait_for("bea@example.nl", 1);
    let mail = &mails[0];
    assert!(mail.text().contains("Subject: Nieuw wachtwoord instellen"));
    assert!(
        mail.text().contains("Content-Type: text/html"),
        "an HTML part"
    );
    assert!(
        mail.text().contains("Content-Type: text/plain"),
        "a text part"
    );
    let link = mail
        .link(&format!("{}/wachtwoord-herstellen/", app.address))
        .expect("link in mail");
    let path = link.trim_start_matches(&app.address).to_owned();
    // A live reset link is not kept in the outbox once the message is out: whoever can read
    // the database must not be able to use it (the token itself is kept as a hash only).
    let token = path.rsplit('/').next().expect("token").to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        use diesel::prelude::*;
        use jeugdhulpcatalogus::db::schema::mail_outbox;
        let bodies: Vec<(String, String)> = mail_outbox::table
            .select((mail_outbox::body_text, mail_outbox::body_html))
            .load(&mut *app.conn())
            .expect("outbox");
        if !bodies
            .iter()
            .any(|(t, h)| t.contains(&token) || h.contains(&token))
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the reset link is still in the outbox"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    assert_eq!(browser.get(&path).await.0, 200);
    let (status, _, body) = browser
        .post(&path, &[("wachtwoord", "kort"), ("herhaling", "kort")])
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("minstens 12 tekens"));
    let new_password = "drie gele kanaries zingen";
    let (status, location, _) = browser
        .post(
            &path,
            &[("wachtwoord", new_password), ("herhaling", new_password)],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/inloggen?hersteld=1"));

    let (status, _, _) = browser
        .post(
            &path,
            &[
                ("wachtwoord", "weer een ander wachtwoord"),
                ("herhaling", "weer een ander wachtwoord"),
            ],
        )
        .await;
    assert_eq!(status, 410, "a reset link works once");
    assert_eq!(
        old.get("/account").await.0,
        303,
        "the old session has ended"
    );
    app.browser().login("bea@example.nl", new_password).await;
}

/// Reset requests have their own limit per address: 21 of them for unknown addresses from
/// one place (a school, a municipal office behind one address) do not lock its logins.
#[tokio::test]
async fn reset_requests_do_not_use_up_the_logins_of_their_address() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let browser = app.browser();
    for n in 0..21 {
        let email = format!("onbekend{n}@example.nl");
        let (status, _, body) = browser
            .post("/wachtwoord-vergeten", &[("email", email.as_str())])
            .await;
        assert!(status == 200 || status == 429, "{status}: {body}");
    }
    app.browser().login("bea@example.nl", PASSWORD).await;
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    let laptop = app.browser();
    let phone = app.browser();
    laptop.login("bea@example.nl", PASSWORD).await;
    phone.login("bea@example.nl", PASSWORD).await;
    let (status, location, _) = laptop.post("/account/overal-uitloggen", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/inloggen?uitgelogd=1"));
    assert_eq!(phone.get("/account").await.0, 303);
    laptop.login("bea@example.nl", PASSWORD).await;
    assert_eq!(laptop.get("/account").await.0, 200);
}

#[tokio::test]
async fn mail_waits_in_the_outbox_while_the_mail_server_is_down() {
    let app = spawn_app().await;
    app.add_user(
        "bea@example.nl",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    app.mail.refuse(true);
    app.browser()
        .post("/wachtwoord-vergeten", &[("email", "bea@example.nl")])
        .await;
    {
        use diesel::prelude::*;
        use jeugdhulpcatalogus::db::schema::mail_outbox;
        // Wait for the refused attempt itself, not for a fixed time (issue 34, item 13).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let (attempts, error) = loop {
            let (attempts, error): (i32, Option<String>) = mail_outbox::table
                .select((mail_outbox::attempts, mail_outbox::last_error))
                .first(&mut *app.conn())
                .expect("queued");
            if attempts > 0 || std::time::Instant::now() > deadline {
                break (attempts, error);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert!(app.mail.received().is_empty());
        assert_eq!(attempts, 1);
        assert!(error.is_some_and(|e| e.contains("451")));
        // Skip the wait before the next attempt.
        diesel::update(mail_outbox::table)
            .set(mail_outbox::next_attempt_at.eq(jeugdhulpcatalogus::clock::now()))
            .execute(&mut *app.conn())
            .expect("update");
    }
    app.mail.refuse(false);
    app.mail.wait_for("bea@example.nl", 1);
}

/// Every role gate the application puts together in `startup::routes`, tried by every role
/// and by an anonymous visitor: each page opens for its own roles only (403 for the others,
/// the login page for a visitor).
#[tokio::test]
async fn each_scope_opens_for_its_roles_only() {
    use common::ProviderSpec;
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("De Kompas", 3));
    let people = [
        (
            "aanbieder",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        ),
        (
            "toegang",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            "contractmanager",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        ),
        ("beheerder", Role::Beheerder, Affiliation::None),
    ];
    // Path, and the roles it is for.
    let pages: [(&str, &[&str]); 6] = [
        (
            "/mijn-werk",
            &["aanbieder", "toegang", "contractmanager", "beheerder"],
        ),
        ("/mijn-aanbod", &["aanbieder"]),
        ("/mijn-aanbod/aanvragen", &["aanbieder"]),
        ("/beheer/scores", &["contractmanager", "beheerder"]),
        (
            "/beheer/scores/rapporten",
            &["contractmanager", "beheerder"],
        ),
        ("/toegang/hulpvragen", &["toegang"]),
    ];
    let visitor = app.browser();
    for (path, _) in pages {
        let (status, _) = visitor.get(path).await;
        assert_eq!(status, 303, "anonymous {path}");
    }
    for (name, role, affiliation) in people {
        let email = format!("{name}@example.nl");
        app.add_user(&email, PASSWORD, role, affiliation);
        let browser = app.browser();
        browser.login(&email, PASSWORD).await;
        for (path, roles) in pages {
            let expected = if roles.contains(&name) { 200 } else { 403 };
            let (status, _) = browser.get(path).await;
            assert_eq!(status, expected, "{name} {path}");
        }
    }
}

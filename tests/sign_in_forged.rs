//! Every forged step of an organisation sign-in is refused with a Dutch page and no session
//! (issue 36): an ID token with another nonce, issuer or audience, an expired one, one with
//! `alg: none`, one signed by another key under the provider's key id; a state from another
//! browser. The provider is our own small one on loopback (`common::oidc::ForgingProvider`),
//! which answers the token request with the forgery; the valid token first shows that the
//! same provider does let a person in, so each refusal is the forgery's doing.

mod common;

use common::oidc::{Forgery, ForgingProvider, get_url, start};
use common::{Browser, TestApp, spawn_with};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

async fn portal(provider: &ForgingProvider, password_for_staff: bool) -> TestApp {
    let url = provider.url.clone();
    let app = spawn_with(move |config| {
        config.oidc_issuer_url = Some(url);
        config.oidc_client_id = Some("portaal".into());
        config.password_login_staff = password_for_staff;
    })
    .await;
    let delft = app.municipality_id("delft");
    app.add_user(
        "w@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(delft),
    );
    app
}

fn claims() -> serde_json::Value {
    serde_json::json!({"sub": "medewerker-9", "email": "w@delft.example", "email_verified": true})
}

/// Start, the provider's immediate redirect back, and the portal's answer to it.
async fn round_trip(browser: &Browser) -> (u16, String, String) {
    let authorize = start(browser, "/inloggen/organisatie").await;
    let (status, back, _) = get_url(browser, &authorize).await;
    assert_eq!(status, 302, "the provider redirects back");
    get_url(browser, &back).await
}

#[tokio::test]
async fn each_forged_id_token_is_refused_with_a_dutch_page_and_no_session() {
    let provider = ForgingProvider::start(Forgery::Nothing, claims());
    let app = portal(&provider, true).await;
    for forgery in [
        Forgery::Nonce,
        Forgery::Issuer,
        Forgery::Audience,
        Forgery::Expired,
        Forgery::AlgNone,
        Forgery::OtherKey,
    ] {
        provider.set(forgery);
        let browser = app.browser();
        let (status, _, page) = round_trip(&browser).await;
        assert_eq!(
            status,
            400,
            "{forgery:?}: {}",
            page.split("<main").nth(1).unwrap_or(&page)
        );
        assert!(page.contains("Inloggen is niet gelukt"), "{forgery:?}");
        assert!(page.contains("niet kunnen vertrouwen"), "{forgery:?}");
        assert!(browser.cookie("jhc_sessie").is_none(), "{forgery:?}");
        assert_eq!(browser.get("/mijn-werk").await.0, 303, "{forgery:?}");
    }
    // The control: the same provider with a valid token lets the person in.
    provider.set(Forgery::Nothing);
    let browser = app.browser();
    let (status, location, page) = round_trip(&browser).await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"), "{page}");
    assert_eq!(browser.get("/mijn-werk").await.0, 200);
}

/// The keys are kept; a token under a key id they do not have makes the portal fetch them
/// again (a rotation), and a token signed by another key under a known id does not pass.
#[tokio::test]
async fn a_new_key_id_fetches_the_keys_again() {
    let provider = ForgingProvider::start(Forgery::Nothing, claims());
    let app = portal(&provider, true).await;
    assert_eq!(
        round_trip(&app.browser()).await.0,
        303,
        "keys fetched and kept"
    );
    provider.set(Forgery::Rotated);
    let browser = app.browser();
    let (status, location, page) = round_trip(&browser).await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"), "{page}");
    provider.set(Forgery::OtherKey);
    assert_eq!(round_trip(&app.browser()).await.0, 400);
}

#[tokio::test]
async fn a_state_from_another_browser_or_without_an_attempt_is_refused() {
    let provider = ForgingProvider::start(Forgery::Nothing, claims());
    let app = portal(&provider, true).await;
    // Someone sends a victim the link back from their own sign-in.
    let attacker = app.browser();
    let authorize = start(&attacker, "/inloggen/organisatie").await;
    let (_, back, _) = get_url(&attacker, &authorize).await;
    let victim = app.browser();
    victim.get("/inloggen").await;
    let (status, _, page) = get_url(&victim, &back).await;
    assert_eq!(status, 400);
    assert!(page.contains("niet in deze browser begonnen"), "{page}");
    assert!(victim.cookie("jhc_sessie").is_none());
    // A made-up state with a matching cookie: no attempt, no session.
    let guesser = app.browser();
    guesser.get("/inloggen").await;
    guesser.set_cookie("jhc_inlog=verzonnen; Path=/inloggen");
    let (status, _, page) = get_url(
        &guesser,
        &format!(
            "{}/inloggen/organisatie/terug?code=x&state=verzonnen",
            app.address
        ),
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("al gebruikt of verlopen"), "{page}");
    assert!(guesser.cookie("jhc_sessie").is_none());
    // A provider that says no: no session either.
    let refused = app.browser();
    let authorize = start(&refused, "/inloggen/organisatie").await;
    let (_, back, _) = get_url(&refused, &authorize).await;
    let denied = back.replace("code=de-code", "error=access_denied");
    let (status, _, page) = get_url(&refused, &denied).await;
    assert_eq!(status, 400);
    assert!(page.contains("afgebroken of geweigerd"), "{page}");
}

#[tokio::test]
async fn without_password_login_for_staff_only_providers_use_a_password() {
    let provider = ForgingProvider::start(Forgery::Nothing, claims());
    let app = portal(&provider, false).await;
    let (_, page) = app.browser().get("/inloggen").await;
    assert!(page.contains("Alleen voor aanbieders"), "{page}");
    let staff = app.browser();
    let (status, _, page) = staff
        .post(
            "/inloggen",
            &[("email", "w@delft.example"), ("wachtwoord", PASSWORD)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("loggen in met hun organisatieaccount"),
        "{page}"
    );
    assert!(staff.cookie("jhc_sessie").is_none());
    // A wrong password says only that it is wrong, not which way the account signs in.
    let (_, _, page) = staff
        .post(
            "/inloggen",
            &[
                ("email", "w@delft.example"),
                ("wachtwoord", "fout fout fout fout"),
            ],
        )
        .await;
    assert!(!page.contains("Kies hierboven"), "{page}");
    let slug = app.add_provider(common::ProviderSpec::admitted_in_delft(
        "Zorg Wachtwoord",
        3,
    ));
    app.add_user(
        "p@zorg.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&slug)),
    );
    app.browser().login("p@zorg.example", PASSWORD).await;
    // And the organisation's account works.
    let browser = app.browser();
    assert_eq!(round_trip(&browser).await.0, 303);
}

#[tokio::test]
async fn without_a_provider_there_is_no_organisation_sign_in() {
    let app = common::spawn_app().await;
    let (_, page) = app.browser().get("/inloggen").await;
    assert!(!page.contains("organisatieaccount"));
    assert!(!page.contains("eHerkenning"));
    let browser = app.browser();
    let (status, _, _) = browser.post("/inloggen/organisatie", &[]).await;
    assert_eq!(status, 404);
    let (status, _, _) = browser.post("/inloggen/eherkenning", &[]).await;
    assert_eq!(status, 404);
    let (status, _) = browser
        .get("/inloggen/organisatie/terug?code=x&state=y")
        .await;
    assert_eq!(status, 404);
}

/// The binary as it runs in production, with every log line its dependencies write at
/// `debug`: after a sign-in that reaches the token exchange and one that is refused, the log
/// holds neither the code, the state, the nonce nor any part of a token.
#[tokio::test]
async fn nothing_of_a_token_a_code_or_a_state_reaches_the_log() {
    let provider = ForgingProvider::start(Forgery::Nothing, claims());
    let dir = tempfile::tempdir().expect("dir");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let port = common::oidc::free_port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_jeugdhulpcatalogus"))
        .envs(common::today_for_the_binary())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("log.db").display()),
        )
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("RUST_LOG", "debug")
        .env("MAIL_DIR", dir.path().join("mail"))
        .env("OIDC_ISSUER_URL", &provider.url)
        .env("OIDC_CLIENT_ID", "portaal")
        .env("OIDC_CLIENT_SECRET", "een-geheim-van-de-client")
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("the binary starts");
    let address = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    while reqwest::get(format!("{address}/healthz")).await.is_err() {
        assert!(started.elapsed().as_secs() < 60, "the binary did not start");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut secrets = vec!["de-code".to_owned(), "een-geheim-van-de-client".to_owned()];
    for forgery in [Forgery::Nothing, Forgery::Nonce] {
        provider.set(forgery);
        let browser = Browser::at(&address);
        let authorize = start(&browser, "/inloggen/organisatie").await;
        let query = authorize.split_once('?').map_or("", |(_, q)| q).to_owned();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).expect("query");
        for (key, value) in pairs {
            if matches!(key.as_str(), "state" | "nonce" | "code_challenge") {
                secrets.push(value);
            }
        }
        let (_, back, _) = get_url(&browser, &authorize).await;
        let (status, _, _) = get_url(&browser, &back).await;
        // Unknown to the portal (no account), then a forged nonce: both went past the
        // token exchange.
        assert_eq!(
            status,
            if forgery == Forgery::Nothing {
                403
            } else {
                400
            }
        );
    }
    let _ = server.kill();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(
        log.contains("sign-in refused"),
        "the log was captured: {log}"
    );
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "{secret} is in the log");
    }
    assert!(!log.contains("eyJ"), "a token is in the log");
}

//! CSRF on every form (issue 34, item 6): every POST route of the source, from the route
//! table, refuses a missing token, a forged token and a foreign Origin with 403 and changes
//! nothing; the same request with the browser's token is let through (so the 403 was the
//! CSRF check, not the role gate).

mod common;

#[test]
fn the_route_table_lists_every_route_of_the_source() {
    common::routes::assert_table_matches_source();
}

use common::routes::{ROUTES, Who, concrete};
use common::{Browser, ProviderSpec, TestApp, fingerprint, spawn_with};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";
const FOREIGN: &str = "https://evil.example";

/// One user per role; returns the address of each.
fn users(app: &TestApp) -> Vec<(Role, &'static str)> {
    let provider = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let people = [
        (
            Role::Aanbieder,
            "aanbieder@alfa.example",
            Affiliation::Provider(app.provider_id(&provider)),
        ),
        (
            Role::Toegangsmedewerker,
            "wijkteam@delft.example",
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            Role::Beleidsmedewerker,
            "beleid@delft.example",
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            Role::Contractmanager,
            "cm@haaglanden.example",
            Affiliation::Region(app.region_id("haaglanden")),
        ),
        (Role::Beheerder, "beheer@regio.example", Affiliation::None),
    ];
    people
        .into_iter()
        .map(|(role, email, affiliation)| {
            app.add_user(email, PASSWORD, role, affiliation);
            (role, email)
        })
        .collect()
}

/// A browser that gets past the route's gate: signed in with the first role it admits.
async fn browser_for(app: &TestApp, who: Who, users: &[(Role, &str)]) -> Browser {
    let browser = app.browser();
    if let Who::Roles(roles) = who {
        let email = users
            .iter()
            .find(|(role, _)| *role == roles[0])
            .map(|(_, email)| *email)
            .expect("a user of the role");
        browser.login(email, PASSWORD).await;
    }
    // Signing in renews the token: the next page hands out the new one.
    browser.get("/").await;
    browser
}

/// A form post with exactly these fields, and an Origin header when given.
async fn post(
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    origin: Option<&str>,
    multipart: bool,
) -> (u16, String) {
    let mut request = browser.client.post(format!("{}{path}", browser.address));
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    request = if multipart {
        // In document order, as a browser sends the form: the token first, then the file.
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let form = form.part(
            "bestand",
            reqwest::multipart::Part::bytes(b"referentie\n".to_vec()).file_name("t.csv"),
        );
        request.multipart(form)
    } else {
        request.form(fields)
    };
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn every_post_route_refuses_a_missing_or_forged_token_and_a_foreign_origin() {
    // No funnel refresh on a timer: it would write between two fingerprints.
    let app = spawn_with(|config| config.funnel_refresh_ms = 0).await;
    let users = users(&app);
    let (mut tried, mut changed_by_control) = (0, 0);
    for route in ROUTES.iter().filter(|r| r.method == "post") {
        // The API takes a bearer token, never a cookie: there is nothing to forge.
        if route.who == Who::Token {
            continue;
        }
        let path = concrete(route.pattern);
        // The forms that send a file.
        let multipart = [
            "/mijn-aanbod/resultaten",
            "/mijn-aanbod/ijw",
            "/beheer/tarieven/import",
            "/beheer/regios/import",
            "/beheer/regios/{region}/productcodes",
        ]
        .contains(&route.pattern);
        let browser = browser_for(&app, route.who, &users).await;
        let token = browser
            .cookie("jhc_csrf")
            .unwrap_or_else(|| panic!("no CSRF cookie for {path}"));
        let forged = "0".repeat(64);
        app.background_settled();
        let before = fingerprint::of(&mut app.conn());
        for (what, fields, origin) in [
            ("no token", vec![("naam", "x")], None),
            ("a forged token", vec![("csrf", forged.as_str())], None),
            (
                "a foreign origin",
                vec![("csrf", token.as_str())],
                Some(FOREIGN),
            ),
            ("origin null", vec![("csrf", token.as_str())], Some("null")),
        ] {
            let (status, body) = post(&browser, &path, &fields, origin, multipart).await;
            assert_eq!(status, 403, "POST {path} with {what}: {body}");
            assert!(
                body.contains("komt niet van deze website"),
                "POST {path} with {what}: {body}"
            );
        }
        app.background_settled();
        let changed = fingerprint::changed(&before, &fingerprint::of(&mut app.conn()));
        assert!(
            changed.is_empty(),
            "POST {path} refused, yet {changed:?} changed"
        );
        // The control: the browser's own token gets past the check.
        let (status, body) = post(
            &browser,
            &path,
            &[("csrf", token.as_str())],
            None,
            multipart,
        )
        .await;
        assert!(
            status != 403 && status != 401,
            "POST {path} with its token: {status} {body}"
        );
        app.background_settled();
        let after = fingerprint::of(&mut app.conn());
        changed_by_control += usize::from(!fingerprint::changed(&before, &after).is_empty());
        tried += 1;
    }
    assert!(tried >= 40, "{tried}");
    // The fingerprint sees a change: some posts with their token did change something.
    assert!(changed_by_control > 0);
}

/// An upload whose file comes before its token is refused before the file is read: every
/// form here puts the token first, as browsers send fields in document order.
#[tokio::test]
async fn an_upload_with_its_file_before_the_token_is_refused() {
    let app = spawn_with(|_| {}).await;
    let provider = app.add_provider(common::ProviderSpec::admitted_in_delft(
        "Gezinshuis Alfa",
        3,
    ));
    let browser = app
        .signed_in_user(
            "a@alfa.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&provider)),
        )
        .await;
    let token = browser.cookie("jhc_csrf").expect("token");
    let form = reqwest::multipart::Form::new()
        .part(
            "bestand",
            reqwest::multipart::Part::bytes(b"referentie\n".to_vec()).file_name("t.csv"),
        )
        .text("csrf", token.clone());
    let response = browser
        .client
        .post(format!("{}/mijn-aanbod/resultaten", browser.address))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 403);
    let (status, _) = post(
        &browser,
        "/mijn-aanbod/resultaten",
        &[("csrf", token.as_str())],
        None,
        true,
    )
    .await;
    assert_eq!(
        status, 422,
        "the token first: the file is read (and has no rows)"
    );
}

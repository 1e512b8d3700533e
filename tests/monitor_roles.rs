//! Issue 38: who reads which monitor. A beleidsmedewerker its own municipality only, by
//! every way of asking; a contract manager its region and each municipality in it; and a
//! beleidsmedewerker is invited like the other staff.

mod common;

use common::spawn_app;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

#[tokio::test]
async fn a_beleidsmedewerker_reads_only_its_own_municipality() {
    let app = spawn_app().await;
    let delft = app.municipality_id("delft");
    let den_haag = app.municipality_id("den-haag");
    for (email, role, affiliation) in [
        (
            "beleid@delft.example",
            Role::Beleidsmedewerker,
            Affiliation::Municipality(delft),
        ),
        (
            "beleid@denhaag.example",
            Role::Beleidsmedewerker,
            Affiliation::Municipality(den_haag),
        ),
        (
            "cm@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        ),
        (
            "cm@alkmaar.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("alkmaar")),
        ),
        (
            "wijkteam@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(delft),
        ),
    ] {
        app.add_user(email, PASSWORD, role, affiliation);
    }
    app.compute_monitor();
    let as_user = |email: &'static str| {
        let browser = app.browser();
        async move {
            browser.login(email, PASSWORD).await;
            browser
        }
    };
    let policy = as_user("beleid@delft.example").await;
    let (status, page) = policy.get("/monitor").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Monitor Delft"),
        "its own municipality by default"
    );
    assert!(!page.contains("name=\"gebied\""), "nothing else to choose");
    for path in [
        "/monitor?gemeente=den-haag",
        "/monitor?regio=haaglanden",
        "/monitor?gebied=gemeente:den-haag",
        "/monitor?gebied=regio:haaglanden",
        "/monitor/export.csv?gemeente=den-haag",
        "/monitor/export.csv?regio=haaglanden",
        "/monitor/export.csv?gemeente=alkmaar",
    ] {
        let (status, body) = policy.get(path).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    assert_eq!(policy.get("/monitor?kwartaal=1999-K1").await.0, 404);
    assert_eq!(policy.get("/monitor?gemeente=atlantis").await.0, 404);
    let other = as_user("beleid@denhaag.example").await;
    let (_, page) = other.get("/monitor").await;
    assert!(page.contains("Monitor Den Haag"), "{page}");
    assert_eq!(other.get("/monitor?gemeente=delft").await.0, 403);

    let manager = as_user("cm@haaglanden.example").await;
    for path in [
        "/monitor",
        "/monitor?gemeente=delft",
        "/monitor?gebied=gemeente:den-haag",
        "/monitor/export.csv?gemeente=delft",
    ] {
        assert_eq!(manager.get(path).await.0, 200, "{path}");
    }
    let (_, page) = manager.get("/monitor").await;
    assert!(
        page.contains("Monitor regio Haaglanden") && page.contains("name=\"gebied\""),
        "{page}"
    );
    assert_eq!(manager.get("/monitor?gemeente=alkmaar").await.0, 403);
    let far = as_user("cm@alkmaar.example").await;
    assert_eq!(far.get("/monitor?gemeente=delft").await.0, 403);
    assert_eq!(far.get("/monitor/export.csv?regio=haaglanden").await.0, 403);
    let worker = as_user("wijkteam@delft.example").await;
    assert_eq!(worker.get("/monitor").await.0, 403);
}

/// Invited like the other staff: a regional beheerder invites a beleidsmedewerker of one of
/// its municipalities (not of another region's), who sets a password from the mail and
/// finds the monitor of that municipality on "Mijn werk".
#[tokio::test]
async fn a_beleidsmedewerker_is_invited_like_other_staff_and_finds_its_monitor() {
    let app = spawn_app().await;
    app.compute_monitor();
    let admin = app
        .signed_in_user(
            "beheer@haaglanden.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let invite = |email: &'static str, municipality: i64| {
        let admin = &admin;
        async move {
            let id = municipality.to_string();
            admin
                .post(
                    "/beheer/gebruikers/uitnodigen",
                    &[
                        ("naam", "Bo Beleid"),
                        ("email", email),
                        ("rol", "beleidsmedewerker"),
                        ("gemeente", id.as_str()),
                    ],
                )
                .await
        }
    };
    let (status, _, body) = invite("bo@alkmaar.example", app.municipality_id("alkmaar")).await;
    assert_eq!(status, 422, "another region's municipality: {body}");
    assert!(
        body.contains("U kunt alleen rollen geven binnen uw eigen regio"),
        "{body}"
    );
    let (status, _, body) = invite("bo@delft.example", app.municipality_id("delft")).await;
    assert_eq!(status, 303, "{body}");
    let mails = app.mail.wait_for("bo@delft.example", 1);
    let link = mails[0]
        .link(&format!("{}/uitnodiging/", app.address))
        .expect("the invitation link");
    let link = link.trim_start_matches(&app.address).to_owned();
    let person = app.browser();
    assert_eq!(person.get(&link).await.0, 200);
    let (status, _, _) = person
        .post(&link, &[("wachtwoord", PASSWORD), ("herhaling", PASSWORD)])
        .await;
    assert_eq!(status, 303);
    person.login("bo@delft.example", PASSWORD).await;
    let (_, work) = person.get("/mijn-werk").await;
    assert!(
        work.contains("Monitor van uw gemeente") && work.contains("href=\"/monitor\""),
        "{work}"
    );
    let (status, page) = person.get("/monitor").await;
    assert_eq!(status, 200);
    assert!(page.contains("Monitor Delft"), "{page}");
    // Read-only: no work of a worker, a provider or a contract manager.
    for path in [
        "/toegang/hulpvragen",
        "/mijn-aanbod",
        "/beheer/scores",
        "/beheer/gebruikers",
    ] {
        assert_eq!(person.get(path).await.0, 403, "{path}");
    }
}

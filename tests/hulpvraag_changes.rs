//! The worker corrects a hulpvraag until a provider accepts, and withdraws it until help
//! starts (issue 33, item 6): the history keeps the change, the family's link keeps working
//! and says what changed, the provider asked is told, withdrawn ones leave every count.

mod common;

use common::{Browser, OfferSpec, ProviderSpec, TestApp, spawn_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

use common::hulpvragen::after;

/// A start date a month from the (injected) today.
fn in_a_month() -> String {
    (jeugdhulpcatalogus::clock::today() + chrono::TimeDelta::days(30)).to_string()
}

struct World {
    app: TestApp,
    worker: Browser,
    /// Alfa: profile 3; Beta: profiles 3 and 5; Gamma: profile 5 (all intensief, Delft).
    slugs: [String; 3],
    providers: [Browser; 3],
}

async fn world() -> World {
    let app = spawn_app().await;
    app.add_user(
        "wijkteam@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(app.municipality_id("delft")),
    );
    let worker = app.browser();
    worker.login("wijkteam@delft.example", PASSWORD).await;
    let specs = [
        ("Gezinshuis Alfa", vec![3]),
        ("Jeugdzorg Beta", vec![3, 5]),
        ("Praktijk Gamma", vec![5]),
    ];
    let mut slugs = Vec::new();
    let mut providers = Vec::new();
    for (name, profiles) in specs {
        let slug = app.add_provider(ProviderSpec {
            offers: profiles
                .iter()
                .map(|p| OfferSpec::new(*p, "intensief", &["delft"]))
                .collect(),
            ..ProviderSpec::admitted_in_delft(name, 3)
        });
        let email = format!("medewerker@{slug}.example");
        app.add_user(
            &email,
            PASSWORD,
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        );
        let browser = app.browser();
        browser.login(&email, PASSWORD).await;
        slugs.push(slug);
        providers.push(browser);
    }
    World {
        app,
        worker,
        slugs: slugs.try_into().expect("three"),
        providers: providers.try_into().unwrap_or_else(|_| panic!("three")),
    }
}

/// Opens a profile-3 hulpvraag, makes the family link and lets the family choose provider
/// `p`. Returns the hulpvraag id and the family's code.
async fn chosen(w: &World, case_number: &str, p: usize) -> (i64, String) {
    let form = common::hulpvragen::new_form(case_number, "vrijwillig", "");
    let id = common::hulpvragen::open(&w.worker, &form).await;
    let code = common::hulpvragen::family_code(&w.worker, id).await;
    let family = w.app.browser();
    family.get(&format!("/keuze/{code}")).await;
    let (status, _, body) = family
        .post(
            &format!("/keuze/{code}/kies"),
            &[("aanbieder", &w.slugs[p])],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    (id, code)
}

#[tokio::test]
async fn the_worker_corrects_a_hulpvraag_until_a_provider_accepts() {
    let w = world().await;
    let (id, code) = chosen(&w, "Z-AANPAS-1", 0).await;
    let page = format!("/toegang/hulpvragen/{id}");

    let (status, form) = w.worker.get(&format!("{page}/aanpassen")).await;
    assert_eq!(status, 200, "{form}");
    assert!(
        form.contains("value=\"3\" selected"),
        "the form starts from the hulpvraag as it is: {form}"
    );

    // Wrong input: said per field, nothing changed.
    let (status, _, body) = w
        .worker
        .post(
            &format!("{page}/aanpassen"),
            &[
                ("profiel", "99"),
                ("intensiteit", "intensief"),
                ("leeftijd", "12-17"),
                ("kader", "vrijwillig"),
                ("notities", "Bel na 15 uur"),
                ("email", "geen-adres"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Kies het profiel."), "{body}");
    assert!(body.contains("Dit e-mailadres klopt niet"), "{body}");
    common::assert_error_links_resolve(&body);

    let (status, location, body) = w
        .worker
        .post(
            &format!("{page}/aanpassen"),
            &[
                ("profiel", "5"),
                ("intensiteit", "intensief"),
                ("leeftijd", "12-17"),
                ("kader", "vrijwillig"),
                ("notities", "Bel na 15 uur"),
                ("email", "gezin@thuis.example"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.ends_with("gelukt=aangepast_gemaild"), "{location}");
    let (_, shown) = w.worker.get(&location).await;
    assert!(
        shown.contains("Profiel: van profiel 3 naar profiel 5"),
        "the history keeps the change: {shown}"
    );
    assert!(shown.contains("Notities voor de aanbieder aangepast"));
    // Alfa (asked already) stays; Beta offers profile 5 too; Gamma is proposed.
    for name in ["Gezinshuis Alfa", "Jeugdzorg Beta", "Praktijk Gamma"] {
        assert!(shown.contains(name), "{name}: {shown}");
    }

    // The family's link keeps working and says what changed; its mail says so too.
    let family = w.app.browser();
    let (status, family_page) = family.get(&format!("/keuze/{code}")).await;
    assert_eq!(status, 200);
    assert!(
        family_page.contains("Uw jeugdprofessional heeft uw hulpvraag aangepast"),
        "{family_page}"
    );
    assert!(family_page.contains("Profiel: van profiel 3 naar profiel 5"));
    let mail = w.app.mail_exactly("gezin@thuis.example", 1);
    let text = mail[0].text();
    assert!(text.contains("Uw hulpvraag is aangepast"), "{text}");
    assert!(text.contains(&format!("/keuze/{code}")), "{text}");
    // The provider already asked is told what changed.
    let alfa_mail = format!("info@{}.example", w.slugs[0]);
    // The new request, and the correction: once each.
    let told: Vec<String> = w
        .app
        .mail_exactly(&alfa_mail, 2)
        .iter()
        .map(|m| m.text())
        .collect();
    assert!(
        told.iter()
            .any(|m| m.contains(&format!("Aanvraag H-{id} is aangepast"))),
        "{told:?}"
    );

    // Nothing changed: said so, no history line.
    let (status, location, _) = w
        .worker
        .post(
            &format!("{page}/aanpassen"),
            &[
                ("profiel", "5"),
                ("intensiteit", "intensief"),
                ("leeftijd", "12-17"),
                ("kader", "vrijwillig"),
                ("notities", "Bel na 15 uur"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("gelukt=niets_aangepast"), "{location}");

    // Once the provider accepts, the hulpvraag stays as it is.
    let request = after(
        &w.providers[0].get("/mijn-aanbod/aanvragen").await.1,
        "action=\"/mijn-aanbod/aanvragen/",
    );
    let (status, _, body) = w.providers[0]
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "accepteren"), ("startdatum", &in_a_month())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, shown) = w.worker.get(&page).await;
    assert!(
        !shown.contains("/aanpassen\""),
        "no correction link: {shown}"
    );
    let (status, _, _) = w
        .worker
        .post(
            &format!("{page}/aanpassen"),
            &[
                ("profiel", "3"),
                ("intensiteit", "intensief"),
                ("leeftijd", "12-17"),
                ("kader", "vrijwillig"),
            ],
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_withdrawn_hulpvraag_leaves_every_count_and_tells_the_provider() {
    let w = world().await;
    let (id, code) = chosen(&w, "Z-INTREK-1", 1).await;
    let page = format!("/toegang/hulpvragen/{id}");
    let beta = &w.providers[1];
    let (_, open) = beta.get("/mijn-aanbod/aanvragen").await;
    let request = after(&open, "action=\"/mijn-aanbod/aanvragen/");
    let (_, work) = w.worker.get("/mijn-werk").await;
    assert!(work.contains("1 zaak wacht op iemand anders"), "{work}");

    let (status, form) = w.worker.get(&format!("{page}/intrekken")).await;
    assert_eq!(status, 200, "{form}");
    let (status, _, body) = w
        .worker
        .post(&format!("{page}/intrekken"), &[("reden", "  ")])
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Schrijf waarom u de hulpvraag intrekt."),
        "{body}"
    );
    common::assert_error_links_resolve(&body);
    let (status, _, body) = w
        .worker
        .post(
            &format!("{page}/intrekken"),
            &[("reden", "Het gezin vindt zelf een oplossing.")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, shown) = w.worker.get(&page).await;
    assert!(shown.contains("Deze hulpvraag is ingetrokken."), "{shown}");
    assert!(shown.contains("Reden: Het gezin vindt zelf een oplossing."));
    assert!(!shown.contains("/intrekken\""), "no second withdrawal");

    // Out of every count: the worker's work and the provider's open requests.
    let (_, work) = w.worker.get("/mijn-werk").await;
    assert!(work.contains("Er wacht nu niets op u."), "{work}");
    assert!(!work.contains("wacht op iemand anders"), "{work}");
    let (_, open) = beta.get("/mijn-aanbod/aanvragen").await;
    assert!(
        open.contains("Er zijn geen aanvragen die op uw antwoord wachten."),
        "{open}"
    );
    let (_, all) = beta.get("/mijn-aanbod/aanvragen?alle=1").await;
    assert!(
        all.contains("Ingetrokken door de toegangsmedewerker"),
        "{all}"
    );
    let (_, list) = w.worker.get("/toegang/hulpvragen?status=ingetrokken").await;
    assert!(list.contains("Z-INTREK-1"), "{list}");
    let beta_mail = format!("info@{}.example", w.slugs[1]);
    let told: Vec<String> = w
        .app
        .mail_exactly(&beta_mail, 2)
        .iter()
        .map(|m| m.text())
        .collect();
    assert!(
        told.iter()
            .any(|m| m.contains(&format!("Aanvraag H-{id} is ingetrokken"))),
        "{told:?}"
    );

    // The provider can no longer accept; the family sees it and cannot choose.
    let (status, _, _) = beta
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "accepteren"), ("startdatum", &in_a_month())],
        )
        .await;
    assert_eq!(status, 409);
    // A decline without a reason from a stale tab: said why, not a form without its card.
    let (status, _, body) = beta
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "afwijzen")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("al beantwoord of ingetrokken"), "{body}");
    let family = w.app.browser();
    let (status, family_page) = family.get(&format!("/keuze/{code}")).await;
    assert_eq!(status, 200);
    assert!(family_page.contains("Deze hulpvraag is ingetrokken."));
    let (status, _, _) = family
        .post(
            &format!("/keuze/{code}/kies"),
            &[("aanbieder", &w.slugs[0])],
        )
        .await;
    assert_ne!(status, 303, "no choice on a withdrawn hulpvraag");
    let (status, _, _) = w
        .worker
        .post(&format!("{page}/intrekken"), &[("reden", "Nog eens")])
        .await;
    assert_eq!(status, 409);
}

/// Who may correct and withdraw: only a worker of the hulpvraag's own municipality.
#[tokio::test]
async fn only_the_own_municipality_corrects_or_withdraws() {
    let w = world().await;
    let (id, _) = chosen(&w, "Z-ROL-1", 0).await;
    w.app.add_user(
        "wijkteam@denhaag.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(w.app.municipality_id("den-haag")),
    );
    let other = w.app.browser();
    other.login("wijkteam@denhaag.example", PASSWORD).await;
    let anonymous = w.app.browser();
    for step in ["aanpassen", "intrekken"] {
        let path = format!("/toegang/hulpvragen/{id}/{step}");
        let fields = [("reden", "weg"), ("profiel", "3")];
        assert_eq!(other.get(&path).await.0, 404, "{path}");
        assert_eq!(other.post(&path, &fields).await.0, 404, "{path}");
        assert_eq!(w.providers[0].get(&path).await.0, 403, "{path}");
        assert_eq!(w.providers[0].post(&path, &fields).await.0, 403, "{path}");
        assert_eq!(anonymous.get(&path).await.0, 303, "{path}");
        assert_eq!(anonymous.post(&path, &fields).await.0, 303, "{path}");
        let (status, _, _) = w.worker.post_raw(&path, &fields).await;
        assert_eq!(status, 403, "no CSRF token: {path}");
    }
    let (_, shown) = w.worker.get(&format!("/toegang/hulpvragen/{id}")).await;
    assert!(!shown.contains("ingetrokken."), "nothing was withdrawn");
}

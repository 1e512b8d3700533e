//! Signing in with eHerkenning through a broker (issue 36), against `oidc-provider-mock` on
//! loopback standing in for the broker, with the claims brokers send: a known and an unknown
//! KVK number, and a level of assurance below the minimum. Ignored where the provider is not
//! installed, as in `sign_in.rs`.

mod common;

use common::oidc::{MockProvider, portal, sign_in, signed_in};
use common::{ProviderSpec, TestApp};
use diesel::prelude::*;
use jeugdhulpcatalogus::db::schema::{providers, users};
use jeugdhulpcatalogus::providers::AdmissionStatus;
use serde_json::json;

const PASSWORD: &str = "een lange zin als wachtwoord";
const EHERKENNING: &str = "/inloggen/eherkenning";
const LOA3: &str = "urn:etoegang:core:assurance-class:loa3";

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = mock_trials![
        an_employee_of_a_known_kvk_number_signs_in_with_eherkenning,
        an_unknown_kvk_number_registers_with_the_number_locked,
        a_level_below_the_minimum_is_refused_with_the_reason,
        nobody_joins_a_provider_by_guess,
    ];
    libtest_mimic::run(&args, trials).exit();
}

async fn eherkenning_person(provider: &MockProvider, sub: &str, kvk: &str, level: &str) {
    provider
        .put_user(
            sub,
            json!({
                "urn:etoegang:core:LegalSubjectID": kvk,
                "urn:etoegang:core:ActingSubjectID": format!("pseudoniem-{sub}"),
                "urn:etoegang:1.9:ServiceRestriction:Vestigingsnr": "000012345678",
                "urn:etoegang:core:LevelOfAssurance": level,
            }),
        )
        .await;
}

async fn an_employee_of_a_known_kvk_number_signs_in_with_eherkenning(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Zorg Herkend", 3));
    diesel::update(providers::table.filter(providers::slug.eq(&slug)))
        .set(providers::kvk_number.eq("40000001"))
        .execute(&mut *app.conn())
        .expect("kvk");
    eherkenning_person(&provider, "eh-1", "40000001", LOA3).await;
    let browser = app.browser();
    let (status, location, body) = sign_in(&browser, EHERKENNING, "eh-1").await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"), "{body}");
    assert_eq!(browser.get("/mijn-aanbod").await.0, 200);
    let provider_id = app.provider_id(&slug);
    let count = || -> i64 {
        users::table
            .filter(users::provider_id.eq(provider_id))
            .count()
            .get_result(&mut *app.conn())
            .expect("count")
    };
    let before = count();
    let again = app.browser();
    assert_eq!(sign_in(&again, EHERKENNING, "eh-1").await.0, 303);
    assert_eq!(count(), before, "the same employee is the same account");
    // eHerkenning does not open a staff page.
    assert_eq!(again.get("/beheer/gebruikers").await.0, 403);
}

async fn an_unknown_kvk_number_registers_with_the_number_locked(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    eherkenning_person(
        &provider,
        "eh-2",
        "40000002",
        "urn:etoegang:core:assurance-class:loa4",
    )
    .await;
    let browser = app.browser();
    let (status, location, _) = sign_in(&browser, EHERKENNING, "eh-2").await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/registreren?eherkenning=1")
    );
    assert!(!signed_in(&browser));
    let (status, page) = browser.get("/registreren?eherkenning=1").await;
    assert_eq!(status, 200);
    assert!(page.contains("40000002"), "the number filled in");
    assert!(page.contains("uit eHerkenning"), "and locked");
    // Whatever number the form sends, the verified one is registered.
    let mut fields: Vec<(&str, String)> = vec![
        ("naam", "Nieuw Herkend".into()),
        ("kvk", "99999999".into()),
        ("agb", "98765432".into()),
        ("straat", "Laan van Zorg 1".into()),
        ("postcode", "2511ab".into()),
        ("plaats", "Den Haag".into()),
        ("telefoon", "070 123 45 67".into()),
        ("email_organisatie", "info@herkend.example".into()),
        ("website", "https://herkend.example".into()),
        ("contactnaam", "Hanna Herkend".into()),
        ("email", "hanna@herkend.example".into()),
        ("wachtwoord", PASSWORD.into()),
        ("herhaling", PASSWORD.into()),
        ("ondertekenen", "ja".into()),
        ("regio", "haaglanden".into()),
    ];
    for n in 1..=6 {
        fields.push(("verklaring", format!("haaglanden:{n}")));
    }
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location, body) = browser.post("/registreren", &borrowed).await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/registreren/ontvangen"),
        "{body}"
    );
    let kvk: String = providers::table
        .filter(providers::name.eq("Nieuw Herkend"))
        .select(providers::kvk_number)
        .first(&mut *app.conn())
        .expect("registered");
    assert_eq!(kvk, "40000002");
    // From now on the employee signs in with eHerkenning as the registered account, once the
    // address is confirmed.
    let early = app.browser();
    let (status, _, page) = sign_in(&early, EHERKENNING, "eh-2").await;
    assert_eq!(status, 403);
    assert!(page.contains("Bevestig eerst uw e-mailadres"), "{page}");
    let mails = app.mail.wait_for("hanna@herkend.example", 1);
    let link = mails[0]
        .link(&format!("{}/bevestigen/", app.address))
        .expect("a confirmation link");
    let path = link.trim_start_matches(&app.address).to_owned();
    assert_eq!(early.post(&path, &[]).await.0, 303);
    let later = app.browser();
    let (status, location, _) = sign_in(&later, EHERKENNING, "eh-2").await;
    assert_eq!((status, location.as_str()), (303, "/mijn-werk"));
    let (_, page) = later.get("/account").await;
    assert!(page.contains("hanna@herkend.example"), "{page}");
}

async fn a_level_below_the_minimum_is_refused_with_the_reason(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    eherkenning_person(
        &provider,
        "eh-3",
        "40000003",
        "urn:etoegang:core:assurance-class:loa2plus",
    )
    .await;
    let browser = app.browser();
    let (status, _, page) = sign_in(&browser, EHERKENNING, "eh-3").await;
    assert_eq!(status, 403);
    assert!(page.contains("betrouwbaarheidsniveau EH2+"), "{page}");
    assert!(page.contains("minstens niveau EH3"), "{page}");
    assert!(!signed_in(&browser));
}

/// A provider with this KVK number, with its admission in Delft set to `status`.
fn provider_with(app: &TestApp, name: &str, kvk: &str, status: AdmissionStatus) -> String {
    use jeugdhulpcatalogus::db::schema::admissions;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let id = app.provider_id(&slug);
    diesel::update(providers::table.find(id))
        .set(providers::kvk_number.eq(kvk))
        .execute(&mut *app.conn())
        .expect("kvk");
    diesel::update(admissions::table.filter(admissions::provider_id.eq(id)))
        .set(admissions::status.eq(status))
        .execute(&mut *app.conn())
        .expect("status");
    slug
}

/// Two providers with one number, a provider nobody has admitted yet, an RSIN, and a
/// deactivated employee: nobody is let in, and each is told why.
async fn nobody_joins_a_provider_by_guess(binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let app = portal(&provider, None).await;
    provider_with(
        &app,
        "Tweeling Een",
        "40000020",
        AdmissionStatus::Toegelaten,
    );
    provider_with(
        &app,
        "Tweeling Twee",
        "40000020",
        AdmissionStatus::Toegelaten,
    );
    provider_with(
        &app,
        "Nog Niet Toegelaten",
        "40000021",
        AdmissionStatus::Aangemeld,
    );
    provider_with(
        &app,
        "Wel Toegelaten",
        "40000022",
        AdmissionStatus::Toegelaten,
    );
    eherkenning_person(&provider, "eh-twee", "40000020", LOA3).await;
    eherkenning_person(&provider, "eh-nieuw", "40000021", LOA3).await;
    eherkenning_person(&provider, "eh-weg", "40000022", LOA3).await;
    provider
        .put_user(
            "eh-rsin",
            json!({
                "urn:etoegang:core:LegalSubjectID": {"value": "123456789", "namequalifier": "urn:etoegang:1.9:EntityConcernedID:RSIN"},
                "urn:etoegang:core:ActingSubjectID": "pseudoniem-rsin",
                "urn:etoegang:core:LevelOfAssurance": LOA3,
            }),
        )
        .await;
    for (sub, says) in [
        ("eh-twee", "meer aanbieders met het KvK-nummer"),
        ("eh-nieuw", "Uw organisatie is nog niet toegelaten"),
        ("eh-rsin", "RSIN"),
    ] {
        let browser = app.browser();
        let (status, _, page) = sign_in(&browser, EHERKENNING, sub).await;
        assert_eq!(status, 403, "{sub}");
        assert!(page.contains(says), "{sub}: {page}");
        assert!(!signed_in(&browser), "{sub}");
    }
    let users_of_twins: i64 = users::table
        .inner_join(providers::table)
        .filter(providers::kvk_number.eq("40000020"))
        .filter(users::name.like("Medewerker via eHerkenning%"))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(users_of_twins, 0, "no account made by guess");

    let first = app.browser();
    assert_eq!(sign_in(&first, EHERKENNING, "eh-weg").await.0, 303);
    diesel::update(users::table.filter(users::name.like("Medewerker via eHerkenning%")))
        .set(users::active.eq(false))
        .execute(&mut *app.conn())
        .expect("deactivate");
    let again = app.browser();
    let (status, _, page) = sign_in(&again, EHERKENNING, "eh-weg").await;
    assert_eq!(status, 403);
    assert!(page.contains("Uw account is gedeactiveerd"), "{page}");
    assert_eq!(
        first.get("/mijn-werk").await.0,
        303,
        "its session has ended"
    );
}

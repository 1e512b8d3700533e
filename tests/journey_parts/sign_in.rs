//! Issue 36 in the browser: a worker signs in with the organisation's account and a provider
//! with eHerkenning, each on the provider's own login page (`oidc-provider-mock`); a person
//! without an account is told so and a beheerder gives access; an unknown KVK number lands on
//! the registration form with the number locked. Every page of the portal on the way is
//! checked like the other journeys' pages; the provider's page is not ours and is not.

use crate::chrome::{self, Chrome};
use crate::common::oidc::{MockProvider, binary_for_trial};
use crate::common::{ProviderSpec, spawn_with};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use serde_json::json;

const PASSWORD: &str = "een lange zin als wachtwoord";

/// The journey as a trial: ignored where Chromium, axe-core or the provider is missing
/// (failed where `.ci/run` requires them).
pub fn trial() -> libtest_mimic::Trial {
    let name = "staff_and_a_provider_sign_in_on_their_own_providers_login_page";
    libtest_mimic::Trial::ignorable_test(name, move || {
        let tools = match chrome::tools() {
            Ok(tools) => tools,
            Err(reason) => return Ok(libtest_mimic::Completion::ignored_with(reason)),
        };
        let binary = match binary_for_trial() {
            Ok(binary) => binary,
            Err(end) => return end,
        };
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("runtime: {e}"))?
            .block_on(journey(tools, binary));
        Ok(libtest_mimic::Completion::Completed)
    })
}

async fn journey(tools: chrome::Tools, binary: std::path::PathBuf) {
    let provider = MockProvider::start(&binary).await;
    let url = provider.url.clone();
    let app = spawn_with(move |config| {
        config.oidc_issuer_url = Some(url.clone());
        config.oidc_client_id = Some("jeugdhulpcatalogus".into());
        config.oidc_client_secret = Some("geheim".into());
        config.eherkenning_issuer_url = Some(url);
        config.eherkenning_client_id = Some("jeugdhulpcatalogus-eh".into());
        config.eherkenning_client_secret = Some("ook-geheim".into());
    })
    .await;
    let delft = app.municipality_id("delft");
    app.add_user(
        "wendy@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(delft),
    );
    app.add_user(
        "beheer@haaglanden.example",
        PASSWORD,
        Role::Beheerder,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Herkend", 3));
    {
        use diesel::prelude::*;
        use jeugdhulpcatalogus::db::schema::providers;
        diesel::update(providers::table.filter(providers::slug.eq(&slug)))
            .set(providers::kvk_number.eq("40000009"))
            .execute(&mut *app.conn())
            .expect("kvk");
    }
    provider
        .put_user("wendy", json!({"email": "wendy@delft.example", "email_verified": true, "name": "Wendy Wijkteam"}))
        .await;
    provider
        .put_user(
            "nieuwe-collega",
            json!({"email": "nina@delft.example", "email_verified": true, "name": "Nina Nieuw"}),
        )
        .await;
    for (sub, kvk) in [("eh-herkend", "40000009"), ("eh-onbekend", "40000010")] {
        provider
            .put_user(
                sub,
                json!({
                    "urn:etoegang:core:LegalSubjectID": kvk,
                    "urn:etoegang:core:ActingSubjectID": format!("pseudoniem-{sub}"),
                    "urn:etoegang:core:LevelOfAssurance": "urn:etoegang:core:assurance-class:loa3",
                }),
            )
            .await;
    }

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "inloggen-organisatie");
        let worker = chrome.person("toegangsmedewerker");
        let newcomer = chrome.person("nieuwe collega");
        let beheerder = chrome.person("beheerder");
        let company = chrome.person("aanbieder");
        let stranger = chrome.person("nieuwe aanbieder");

        worker
            .visit("/inloggen")
            .sees("Werkt u bij een gemeente of regio?")
            .submit_to_provider("Inloggen met uw organisatieaccount")
            .sign_in_at_provider("wendy")
            .sees("Mijn werk")
            .sees("Uitloggen");
        assert_eq!(worker.path(), "/mijn-werk");

        newcomer
            .visit("/inloggen")
            .submit_to_provider("Inloggen met uw organisatieaccount")
            .refused_after_provider("nieuwe-collega", 403)
            .sees("U heeft nog geen toegang");
        crate::log_in(&beheerder, "beheer@haaglanden.example", PASSWORD);
        beheerder
            .visit("/beheer/gebruikers")
            .sees("Aanvragen voor toegang (1)")
            .follow("Nina Nieuw")
            .sees("Aanvraag voor toegang")
            .set("[name=rol]", "toegangsmedewerker")
            .set("[name=gemeente]", &delft.to_string())
            .submit("Toegang geven")
            .sees("De persoon heeft toegang.");
        newcomer
            .visit("/inloggen")
            .submit_to_provider("Inloggen met uw organisatieaccount")
            .sign_in_at_provider("nieuwe-collega")
            .sees("Mijn werk");

        company
            .visit("/inloggen")
            .sees("Werkt u bij een aanbieder?")
            .submit_to_provider("Inloggen met eHerkenning")
            .sign_in_at_provider("eh-herkend")
            .sees("Mijn werk");
        company.visit("/mijn-aanbod").sees("Gezinshuis Herkend");

        stranger
            .visit("/inloggen")
            .submit_to_provider("Inloggen met eHerkenning")
            .sign_in_at_provider("eh-onbekend")
            .sees("Aanmelden als aanbieder")
            .sees("40000010")
            .sees("uit eHerkenning");
        chrome.assert_clean();
    });
}

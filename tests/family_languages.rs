//! A family that reads Arabic or English (issue 39): the worker mails the link in the
//! family's language, the link opens the family's pages in it, the choice and the
//! questionnaire speak it, refusals included; the worker's own pages stay Dutch.

mod common;

use common::hulpvragen::{after, family_code, new_form, open, start_and_close};
use common::{ProviderSpec, spawn_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lang wachtwoord voor de test";

fn html_root(html: &str) -> String {
    let start = html.find("<html").expect("an html element");
    html[start..start + html[start..].find('>').expect("its end") + 1].to_owned()
}

#[tokio::test]
async fn a_family_chooses_in_arabic_and_answers_in_english() {
    let app = spawn_app().await;
    app.add_user(
        "wijkteam@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(app.municipality_id("delft")),
    );
    let worker = app.browser();
    worker.login("wijkteam@delft.example", PASSWORD).await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp Het Anker", 3));
    app.add_user(
        "zorg@linde.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&slug)),
    );
    let provider = app.browser();
    provider.login("zorg@linde.example", PASSWORD).await;

    let id = open(&worker, &new_form("Z-TAAL-1", "vrijwillig", "")).await;
    let code = family_code(&worker, id).await;
    let page = format!("/toegang/hulpvragen/{id}");
    // The worker's page offers the six languages for the mail, and stays Dutch.
    let (_, shown) = worker.get(&page).await;
    assert!(
        shown.contains(r#"<option value="ar" lang="ar">العربية</option>"#),
        "{shown}"
    );
    assert_eq!(html_root(&shown), r#"<html lang="nl" dir="ltr">"#);

    let (status, _, body) = worker
        .post(
            &format!("{page}/link/mail"),
            &[("email", "gezin@thuis.example"), ("taal", "ar")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let mail = app.mail_exactly("gezin@thuis.example", 1);
    let text = mail[0].decoded();
    assert!(text.contains("عزيزي الوالد أو الشاب"), "{text}");
    assert!(text.contains(r#"<html lang="ar" dir="rtl">"#), "{text}");
    assert!(text.contains(&code), "the code");
    let link = format!("{}/keuze/{code}?taal=ar", app.address);
    assert!(
        text.contains(&link),
        "the link opens the pages in Arabic: {text}"
    );

    // The family follows the link: Arabic, remembered for the next pages.
    let family = app.browser();
    let (status, list) = family.get(&format!("/keuze/{code}?taal=ar")).await;
    assert_eq!(status, 200);
    assert_eq!(html_root(&list), r#"<html lang="ar" dir="rtl">"#);
    assert!(list.contains("اختر مقدم خدمة لطفلك"), "{list}");
    assert_eq!(family.cookie("taal").as_deref(), Some("ar"));
    let (_, confirm) = family
        .get(&format!("/keuze/{code}/kies?aanbieder={slug}"))
        .await;
    // Names inside Arabic sentences keep their own direction (Unicode isolates).
    assert!(
        confirm.contains("هل تريد أن تختار \u{2068}Jeugdhulp De Linde\u{2069}"),
        "{confirm}"
    );
    // A refusal in the family's language: a provider that is not on the list.
    let (status, refused) = family
        .get(&format!("/keuze/{code}/kies?aanbieder=bestaat-niet"))
        .await;
    assert_eq!(status, 422);
    assert!(
        refused.contains("مقدم الخدمة هذا ليس في القائمة"),
        "{refused}"
    );
    let (status, _, body) = family
        .post(&format!("/keuze/{code}/kies"), &[("aanbieder", &slug)])
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, chosen) = family.get(&format!("/keuze/{code}")).await;
    assert!(chosen.contains("لقد اخترت"), "{chosen}");

    // The provider accepts, the worker starts and closes; the questionnaire goes in English.
    let (_, requests) = provider.get("/mijn-aanbod/aanvragen").await;
    let request = after(&requests, "action=\"/mijn-aanbod/aanvragen/");
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, body) = provider
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "accepteren"), ("startdatum", &today)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    start_and_close(&worker, id).await;
    let (status, _, body) = worker
        .post(
            &format!("{page}/vragenlijst"),
            &[("email", "gezin@thuis.example"), ("taal", "en")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = app.mail_exactly("gezin@thuis.example", 2);
    let text = mail[1].decoded();
    assert!(text.contains("How was the youth care? Tell us"), "{text}");
    let link = mail[1]
        .link(&format!("{}/ervaring/", app.address))
        .expect("the questionnaire's link");
    assert!(link.ends_with("?taal=en"), "{link}");
    let path = link.trim_start_matches(&app.address).to_owned();
    let answerer = app.browser();
    let (status, form) = answerer.get(&path).await;
    assert_eq!(status, 200);
    assert!(
        form.contains("How was the help from Jeugdhulp De Linde?"),
        "{form}"
    );
    assert!(form.contains("Did the help help?"), "{form}");
    let action = path.split('?').next().expect("path").to_owned();
    let (status, _, refused) = answerer.post(&action, &[("opmerking", "")]).await;
    assert_eq!(status, 422);
    assert!(
        refused.contains("Choose a mark from 1 to 10 for: Did the help help?"),
        "{refused}"
    );
    assert!(refused.contains("<title>Error: "), "{refused}");
    let marks: Vec<(&str, &str)> = [
        "effectiviteit",
        "inspraak",
        "toegankelijkheid",
        "klantvriendelijkheid",
        "veiligheid",
        "bejegening",
    ]
    .into_iter()
    .map(|item| (item, "8"))
    .collect();
    let (status, _, thanks) = answerer.post(&action, &marks).await;
    assert_eq!(status, 200, "{thanks}");
    assert!(thanks.contains("Thank you!"), "{thanks}");
}

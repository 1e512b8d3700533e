//! Just after midnight in the Netherlands the UTC date is still yesterday. Calendar dates are
//! Dutch (issue 13, item 20): at 00:30 a start and end "today" are accepted, tomorrow is not.
//! The clock is per process, so this test has a binary of its own.

mod common;

use chrono::NaiveDateTime;
use common::{ProviderSpec, spawn_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";
const HEADER: &str = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid";

#[tokio::test]
async fn at_half_past_midnight_today_is_the_dutch_date() {
    let app = spawn_app().await;
    // 00:30 on New Year's Day in the Netherlands (UTC+1) is 23:30 on 31 December in UTC;
    // on 1 July (UTC+2) it is 22:30 on 30 June.
    for (utc, today, tomorrow) in [
        ("2026-12-31 23:30", "2027-01-01", "2027-01-02"),
        ("2027-06-30 22:30", "2027-07-01", "2027-07-02"),
    ] {
        let moment = NaiveDateTime::parse_from_str(utc, "%Y-%m-%d %H:%M").expect("moment");
        jeugdhulpcatalogus::clock::set_now(moment);
        let email = format!("a{today}@kompas.example");
        let slug = app.add_provider(ProviderSpec::admitted_in_delft(
            &format!("Kompas {today}"),
            3,
        ));
        let id = app.provider_id(&slug);
        app.add_user(&email, PASSWORD, Role::Aanbieder, Affiliation::Provider(id));
        let browser = app.browser();
        browser.login(&email, PASSWORD).await;

        let row = |day: &str| {
            format!(
                "{HEADER}\nT-1,delft,3,intensief,{day},{day},1,behaald,client-1,12-17,vrijwillig,8\n"
            )
        };
        let (status, _, page) = browser
            .upload(
                "/mijn-aanbod/resultaten",
                "bestand",
                "t.csv",
                row(today).into_bytes(),
            )
            .await;
        assert_eq!(status, 200, "{utc}: today ({today}) is no future: {page}");
        assert!(page.contains("1 nieuw"), "{page}");

        let (status, _, page) = browser
            .upload(
                "/mijn-aanbod/resultaten",
                "bestand",
                "t.csv",
                row(tomorrow).into_bytes(),
            )
            .await;
        assert_eq!(status, 422, "{utc}: {tomorrow} is");
        assert!(
            page.contains("De startdatum ligt in de toekomst."),
            "{page}"
        );
    }
}

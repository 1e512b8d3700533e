//! The uitvoeringsovereenkomst (issue 37, item 6): per provider, region and calendar year.
//! A provider without one for the current year stays listed but is not proposed, cannot be
//! put on a list, chosen, or accept; the contract manager of its region gives it; in
//! November the providers without next year's are reminded, once.

mod common;

use chrono::{Datelike, NaiveDate};
use common::{ProviderSpec, TestApp, hulpvragen, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{admissions, execution_agreements};

fn year() -> i32 {
    jeugdhulpcatalogus::clock::today().year()
}

fn take_away_this_years(app: &TestApp, provider: i64) {
    diesel::delete(
        execution_agreements::table
            .filter(execution_agreements::provider_id.eq(provider))
            .filter(execution_agreements::year.eq(year())),
    )
    .execute(&mut *app.conn())
    .expect("delete");
}

/// How many mails to `to` say `words`, once the outbox is empty. (The daily jobs run when
/// the app starts; in November and December the reminder may be among the mails, so a test
/// counts the mails it is about, not all.)
fn mails_saying(app: &TestApp, to: &str, words: &str) -> usize {
    app.outbox_settled();
    app.mail
        .received()
        .iter()
        .filter(|m| m.to.iter().any(|t| t == to) && m.text().contains(words))
        .count()
}

fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text.find(marker).map_or(0, |i| i + marker.len());
    let rest = &text[start..];
    &rest[..rest.find(['"', '?', '/']).unwrap_or(rest.len())]
}

#[tokio::test]
async fn without_this_years_agreement_a_provider_is_listed_but_nobody_can_choose_it() {
    let app = spawn_app().await;
    let lacking = app.add_provider(ProviderSpec::admitted_in_delft("Zonder Overeenkomst", 3));
    let lacking_id = app.provider_id(&lacking);
    let provider = app
        .signed_in_user(
            "a@zonder.example",
            Role::Aanbieder,
            Affiliation::Provider(lacking_id),
        )
        .await;
    let worker = app
        .signed_in_user(
            "w@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        )
        .await;
    let missing = format!("nog geen uitvoeringsovereenkomst voor {}", year());

    // Chosen while it had this year's agreement, it cannot accept once the agreement is gone.
    let first = hulpvragen::open(&worker, &hulpvragen::new_form("UO-1", "vrijwillig", "")).await;
    let code = hulpvragen::family_code(&worker, first).await;
    let family = app.browser();
    let (status, _, body) = family
        .post(&format!("/keuze/{code}/kies"), &[("aanbieder", &lacking)])
        .await;
    assert_eq!(status, 303, "{body}");
    take_away_this_years(&app, lacking_id);
    let (_, list) = provider.get("/mijn-aanbod/aanvragen").await;
    let request = after(&list, "action=\"/mijn-aanbod/aanvragen/").to_owned();
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let accept = [("antwoord", "accepteren"), ("startdatum", today.as_str())];
    let (status, _, page) = provider
        .post(&format!("/mijn-aanbod/aanvragen/{request}"), &accept)
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains(&missing), "{page}");

    // Still listed; not proposed for a new hulpvraag, and the worker cannot add it.
    assert_eq!(app.get_html(&format!("/aanbieders/{lacking}")).await.0, 200);
    let second = hulpvragen::open(&worker, &hulpvragen::new_form("UO-2", "vrijwillig", "")).await;
    let (_, page) = worker.get(&format!("/toegang/hulpvragen/{second}")).await;
    assert!(!page.contains("Zonder Overeenkomst"), "not proposed");
    let id = lacking_id.to_string();
    let (status, _, page) = worker
        .post(
            &format!("/toegang/hulpvragen/{second}/lijst"),
            &[("aanbieder", &id)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains(&missing), "{page}");

    // Only the contract manager of its region gives it, for this year or the next.
    let admission: i64 = admissions::table
        .filter(admissions::provider_id.eq(lacking_id))
        .select(admissions::id)
        .first(&mut *app.conn())
        .expect("admission");
    let path = format!("/beheer/aanmeldingen/{admission}/uitvoeringsovereenkomst");
    let elsewhere = app
        .signed_in_user(
            "cm@alkmaar.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let this_year = year().to_string();
    assert_eq!(elsewhere.post(&path, &[("jaar", &this_year)]).await.0, 403);
    assert_eq!(provider.post(&path, &[("jaar", &this_year)]).await.0, 403);
    let manager = app
        .signed_in_user(
            "cm@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let far = (year() + 5).to_string();
    // Not a year the form offers (a changed hidden field): refused with the reason.
    let (status, _, page) = manager.post(&path, &[("jaar", &far)]).await;
    assert_eq!(status, 400);
    assert!(page.contains("dit jaar of het volgende jaar"), "{page}");
    let (_, page) = manager
        .get(&format!("/beheer/aanmeldingen/{admission}"))
        .await;
    assert!(
        page.contains(&format!("Uitvoeringsovereenkomst {} geven", year())),
        "{page}"
    );
    let (status, location, body) = manager.post(&path, &[("jaar", &this_year)]).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = manager.get(&location).await;
    assert!(page.contains("De uitvoeringsovereenkomst is gegeven."));
    assert!(page.contains(&format!("Uitvoeringsovereenkomst {} gegeven", year())));
    let given = format!("de uitvoeringsovereenkomst voor {} gegeven", year());
    assert_eq!(mails_saying(&app, "a@zonder.example", &given), 1);

    // A second click gives nothing new and mails nothing.
    let (status, location, _) = manager.post(&path, &[("jaar", &this_year)]).await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/beheer/aanmeldingen/{admission}").as_str())
    );
    app.mail_exactly("a@zonder.example", 1);
    // The beheerder of all regions gives next year's, also while the provider is suspended.
    diesel::update(admissions::table.find(admission))
        .set(admissions::status.eq(jeugdhulpcatalogus::providers::AdmissionStatus::Opgeschort))
        .execute(&mut *app.conn())
        .expect("suspend");
    let beheerder = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let next_year = (year() + 1).to_string();
    assert_eq!(beheerder.post(&path, &[("jaar", &next_year)]).await.0, 303);
    diesel::update(admissions::table.find(admission))
        .set(admissions::status.eq(jeugdhulpcatalogus::providers::AdmissionStatus::Toegelaten))
        .execute(&mut *app.conn())
        .expect("lift");

    // Now it accepts.
    let (status, _, page) = provider
        .post(&format!("/mijn-aanbod/aanvragen/{request}"), &accept)
        .await;
    assert_eq!(status, 303, "{page}");
}

#[tokio::test]
async fn in_november_a_provider_without_next_years_agreement_is_reminded_once() {
    use jeugdhulpcatalogus::providers::execution::{grant, queue_reminders};
    let app = spawn_app().await;
    let reminded = app.add_provider(ProviderSpec::admitted_in_delft("Nog Niet Verlengd", 3));
    let renewed = app.add_provider(ProviderSpec::admitted_in_delft("Al Verlengd", 3));
    for (slug, email) in [(&reminded, "a@nog.example"), (&renewed, "a@al.example")] {
        app.add_user(
            email,
            "een lange zin als wachtwoord",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(slug)),
        );
    }
    let haaglanden = app.region_id("haaglanden");
    let mut conn = app.conn();
    // Admitted earlier in the year: only this year's (an admission from November on would
    // have given next year's too). Only this provider's is taken away: the app's daily job
    // runs at start on the real date, and in November or December it would remind the
    // other provider too if its agreement were gone for a moment.
    diesel::delete(
        execution_agreements::table
            .filter(execution_agreements::year.eq(year() + 1))
            .filter(execution_agreements::provider_id.eq(app.provider_id(&reminded))),
    )
    .execute(&mut *conn)
    .expect("delete");
    grant(
        &mut conn,
        app.provider_id(&renewed),
        haaglanden,
        year() + 1,
        None,
    )
    .expect("grant");
    let day = |m, d| NaiveDate::from_ymd_opt(year(), m, d).expect("date");
    assert_eq!(
        queue_reminders(&mut conn, day(10, 31), &app.address).expect("run"),
        0
    );
    // The app's own daily job may have reminded already (it runs at start, on the real
    // date): whoever reminds first, it happens once.
    queue_reminders(&mut conn, day(11, 1), &app.address).expect("run");
    queue_reminders(&mut conn, day(11, 2), &app.address).expect("run");
    assert_eq!(
        queue_reminders(&mut conn, day(11, 3), &app.address).expect("run"),
        0
    );
    drop(conn);
    let reminder = format!("nog geen uitvoeringsovereenkomst voor {}", year() + 1);
    // To the provider's user, or to its own address if the job ran before the user was
    // added: once.
    let to_provider = |slug: &str, user: &str| {
        mails_saying(&app, user, &reminder)
            + mails_saying(&app, &format!("info@{slug}.example"), &reminder)
    };
    assert_eq!(to_provider(&reminded, "a@nog.example"), 1);
    assert_eq!(to_provider(&renewed, "a@al.example"), 0);
    // Still in December: nobody is reminded twice.
    let mut conn = app.conn();
    assert_eq!(
        queue_reminders(&mut conn, day(12, 5), &app.address).expect("run"),
        0
    );
    drop(conn);
}

/// The demo shows what a missing agreement does: every admitted provider has this year's,
/// all but one next year's.
#[tokio::test]
async fn the_demo_leaves_one_admitted_provider_without_next_years_agreement() {
    use jeugdhulpcatalogus::providers::AdmissionStatus;
    let app = common::spawn_demo_app().await;
    let admitted: Vec<(i64, i64)> = admissions::table
        .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
        .select((admissions::provider_id, admissions::region_id))
        .load(&mut *app.conn())
        .expect("admissions");
    let has = |year: i32| -> Vec<(i64, i64)> {
        execution_agreements::table
            .filter(execution_agreements::year.eq(year))
            .select((
                execution_agreements::provider_id,
                execution_agreements::region_id,
            ))
            .load(&mut *app.conn())
            .expect("agreements")
    };
    let this_year = has(year());
    let next_year = has(year() + 1);
    assert!(admitted.iter().all(|a| this_year.contains(a)));
    let without: std::collections::BTreeSet<i64> = admitted
        .iter()
        .filter(|a| !next_year.contains(a))
        .map(|(provider, _)| *provider)
        .collect();
    assert_eq!(without.len(), 1, "{without:?}");
}

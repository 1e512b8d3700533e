//! Listings that stay true (issue 39): the provider confirms its listing (every 6 months,
//! one click) and its waiting times (every month); the public sees when; a listing not
//! confirmed for 7 months says so and keeps its place; reminders go out once per period.

mod common;

use chrono::TimeDelta;
use common::{ProviderSpec, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::clock;
use jeugdhulpcatalogus::db::schema::{offers, providers};
use jeugdhulpcatalogus::i18n::{Lang, Texts};
use jeugdhulpcatalogus::providers::checks::queue_reminders;

const PASSWORD: &str = "een lange zin als wachtwoord";

fn set_checked(app: &common::TestApp, slug: &str, days_ago: i64) {
    let at = clock::now() - TimeDelta::days(days_ago);
    diesel::update(providers::table.filter(providers::slug.eq(slug)))
        .set(providers::listing_checked_at.eq(at))
        .execute(&mut *app.conn())
        .expect("backdate the check");
    // The change reaches the public pages as any listing change does.
    jeugdhulpcatalogus::read_model::providers_changed(&mut app.conn(), &[app.provider_id(slug)])
        .expect("version");
}

fn slugs_in_order(page: &str) -> Vec<String> {
    page.match_indices("<h3 class=\"card__title\"")
        .filter_map(|(at, _)| {
            let rest = &page[at..];
            let start = rest.find("/aanbieders/")? + "/aanbieders/".len();
            Some(rest[start..start + rest[start..].find('"')?].to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_provider_confirms_in_one_click_and_the_public_sees_when() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    app.add_user(
        "zorg@linde.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&slug)),
    );
    let provider = app.browser();
    provider.login("zorg@linde.example", PASSWORD).await;
    set_checked(&app, &slug, 7 * 31);
    let today = Texts(Lang::Nl).date(clock::today());

    let (_, page) = provider.get("/mijn-aanbod").await;
    assert!(page.contains("Klopt uw vermelding nog?"), "{page}");
    assert!(
        page.contains("al meer dan 7 maanden niet gecontroleerd"),
        "{page}"
    );
    let (_, public) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert!(
        public.contains("Lang niet gecontroleerd: laatst op"),
        "{public}"
    );
    assert!(public.contains("Vraag bij de aanbieder na of ze nog kloppen."));

    let (status, location, body) = provider.post("/mijn-aanbod/gecontroleerd", &[]).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = provider.get(&location).await;
    assert!(page.contains("Uw vermelding is gecontroleerd"), "{page}");
    assert!(!page.contains("niet gecontroleerd."), "{page}");
    for path in [
        format!("/aanbieders/{slug}"),
        "/catalogus?gemeente=delft".to_owned(),
    ] {
        let (_, public) = app.get_html(&path).await;
        assert!(
            public.contains(&format!("Gecontroleerd op {today}")),
            "{path}: {public}"
        );
        assert!(!public.contains("Lang niet gecontroleerd"), "{path}");
    }
    // In English too.
    let (_, english) = app.get_html(&format!("/aanbieders/{slug}?taal=en")).await;
    assert!(
        english.contains(&format!(
            "Checked on {}",
            Texts(Lang::En).date(clock::today())
        )),
        "{english}"
    );

    // Waiting times: saved as they are, they are confirmed and dated today.
    let id: i64 = offers::table
        .filter(offers::provider_id.eq(app.provider_id(&slug)))
        .select(offers::id)
        .first(&mut *app.conn())
        .expect("offer");
    diesel::update(offers::table.find(id))
        .set(offers::waiting_checked_at.eq(clock::now() - TimeDelta::days(40)))
        .execute(&mut *app.conn())
        .expect("backdate");
    let (_, form) = provider.get("/mijn-aanbod/wachttijden").await;
    let weeks = common::hulpvragen::after(&form, &format!("name=\"wachttijd-{id}\" value=\""));
    let aanbod = format!("aanbod-{id}");
    let wachttijd = format!("wachttijd-{id}");
    let nieuw = format!("nieuw-{id}");
    let (status, location, body) = provider
        .post(
            "/mijn-aanbod/wachttijden",
            &[(&aanbod, "1"), (&wachttijd, &weeks), (&nieuw, "ja")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, saved) = provider.get(&location).await;
    assert!(saved.contains("Uw wachttijden zijn bevestigd"), "{saved}");
    let checked: chrono::NaiveDateTime = offers::table
        .find(id)
        .select(offers::waiting_checked_at)
        .first(&mut *app.conn())
        .expect("offer");
    assert_eq!(clock::date_of(checked), clock::today());
    let (_, public) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert!(
        public.contains(&format!("bijgewerkt op {today}")),
        "{public}"
    );
}

#[tokio::test]
async fn a_listing_long_unchecked_says_so_and_keeps_its_place() {
    let app = spawn_app().await;
    let mut slugs = Vec::new();
    for name in ["Alfa", "Beta", "Gamma", "Delta", "Epsilon"] {
        slugs.push(app.add_provider(ProviderSpec::admitted_in_delft(name, 3)));
    }
    let (_, before) = app.get_html("/catalogus?gemeente=delft").await;
    let order = slugs_in_order(&before);
    assert_eq!(order.len(), 5, "{before}");
    set_checked(&app, &order[0], 7 * 31);
    let (_, after) = app.get_html("/catalogus?gemeente=delft").await;
    assert_eq!(slugs_in_order(&after), order, "the order is not a reward");
    assert_eq!(
        after.matches("Lang niet gecontroleerd").count(),
        1,
        "{after}"
    );
    // Just under seven months: no warning yet.
    set_checked(&app, &order[0], 200);
    let (_, after) = app.get_html("/catalogus?gemeente=delft").await;
    assert_eq!(after.matches("Lang niet gecontroleerd").count(), 0);
}

#[tokio::test]
async fn reminders_go_out_before_the_date_once_per_period() {
    let app = spawn_app().await;
    let due = app.add_provider(ProviderSpec::admitted_in_delft("Bijna Aan De Beurt", 3));
    let fresh = app.add_provider(ProviderSpec::admitted_in_delft("Net Gecontroleerd", 3));
    app.add_user(
        "zorg@beurt.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&due)),
    );
    let today = clock::today();
    // Six months less ten days ago: due in ten days, within the fourteen of the reminder.
    set_checked(&app, &due, 173);
    diesel::update(offers::table.filter(offers::provider_id.eq(app.provider_id(&due))))
        .set(offers::waiting_checked_at.eq(clock::now() - TimeDelta::days(25)))
        .execute(&mut *app.conn())
        .expect("backdate");
    let run = || queue_reminders(&mut app.conn(), today, &app.address).expect("reminders");
    // Whoever ran first (the app's own daily job may have): two mails, once.
    let first = run() + run();
    assert!(first <= 2, "{first}");
    assert_eq!(run(), 0, "once per period");
    let mails = app.mail_exactly("zorg@beurt.example", 2);
    let subjects: Vec<String> = mails.iter().map(|m| m.text()).collect();
    assert!(
        subjects
            .iter()
            .any(|m| m.contains("Klopt uw vermelding in de jeugdhulpcatalogus nog?"))
    );
    assert!(
        subjects
            .iter()
            .any(|m| m.contains("Kloppen uw wachttijden nog?"))
    );
    assert_eq!(
        app.mail
            .received()
            .iter()
            .filter(|m| m.to.iter().any(|t| t.contains(fresh.as_str())))
            .count(),
        0,
        "a fresh listing is not reminded"
    );
    // Confirmed, then due again half a year later: reminded again.
    let provider = app.browser();
    provider.login("zorg@beurt.example", PASSWORD).await;
    let (status, _, _) = provider.post("/mijn-aanbod/gecontroleerd", &[]).await;
    assert_eq!(status, 303);
    assert_eq!(run(), 0, "just confirmed");
    let later = today + TimeDelta::days(175);
    let again = queue_reminders(&mut app.conn(), later, &app.address).expect("reminders");
    assert!(again >= 1, "{again}");
}

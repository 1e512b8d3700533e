//! "Klopt er iets niet?" (issue 39): a visitor reports, without an account, that a listing
//! is wrong; the provider answers in its "Mijn werk"; the reporter reads the answer with its
//! receipt; the region sees reports unanswered after 14 days; one address cannot flood.

mod common;

use chrono::TimeDelta;
use common::hulpvragen::after;
use common::{ProviderSpec, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::listing_reports;

const PASSWORD: &str = "een lange zin als wachtwoord";

#[tokio::test]
async fn a_visitor_reports_the_provider_answers_and_the_visitor_reads_it() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    let other = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp Het Anker", 3));
    for (email, provider) in [
        ("zorg@linde.example", &slug),
        ("zorg@anker.example", &other),
    ] {
        app.add_user(
            email,
            PASSWORD,
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(provider)),
        );
    }
    let (_, page) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert!(
        page.contains(&format!("href=\"/aanbieders/{slug}/melden\"")),
        "{page}"
    );

    // In English, refusals included.
    let visitor = app.browser();
    let (status, form) = visitor
        .get(&format!("/aanbieders/{slug}/melden?taal=en"))
        .await;
    assert_eq!(status, 200);
    assert!(
        form.contains("Is something not right about Jeugdhulp De Linde?"),
        "{form}"
    );
    let path = format!("/aanbieders/{slug}/melden");
    let (status, _, refused) = visitor
        .post(&path, &[("onderwerp", ""), ("bericht", "")])
        .await;
    assert_eq!(status, 422);
    assert!(
        refused.contains("Choose what your report is about."),
        "{refused}"
    );
    common::assert_error_links_resolve(&refused);
    let (status, _, refused) = visitor
        .post(
            &path,
            &[
                ("onderwerp", "anders"),
                ("bericht", "Mijn nummer is 111222333"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(refused.contains("citizen service number"), "{refused}");
    assert_eq!(
        listing_reports::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .expect("count"),
        0,
        "nothing kept of a refused report"
    );

    let (status, location, body) = visitor
        .post(
            &path,
            &[
                ("onderwerp", "wachttijd"),
                ("bericht", "De wachttijd is nu twaalf weken, niet vier."),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(location.starts_with("/meldingen/"), "{location}");
    let (_, receipt) = visitor.get(&location).await;
    assert!(
        receipt.contains("Jeugdhulp De Linde has received your report."),
        "{receipt}"
    );
    assert!(
        receipt.contains("The provider has not answered yet."),
        "{receipt}"
    );
    let receipt_path = location.split('?').next().expect("path").to_owned();
    // A secret link: never stored by a browser or a proxy, never indexed.
    let response = app.get(&receipt_path).await;
    let cache = response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cache.contains("no-store"), "{cache}");
    // Only the receipt's hash is kept.
    let code = after(&receipt_path, "/meldingen/");
    let stored: String = listing_reports::table
        .select(listing_reports::receipt_hash)
        .first(&mut *app.conn())
        .expect("report");
    assert_ne!(stored, code);
    assert!(!stored.contains(&code));

    // The provider sees it in Mijn werk; the other provider does not, and cannot answer it.
    let provider = app.browser();
    provider.login("zorg@linde.example", PASSWORD).await;
    let (_, work) = provider.get("/mijn-werk").await;
    assert!(
        work.contains("Meldingen over uw vermelding beantwoorden"),
        "{work}"
    );
    let (_, list) = provider.get("/mijn-aanbod/meldingen").await;
    assert!(
        list.contains("De wachttijd is nu twaalf weken, niet vier."),
        "{list}"
    );
    let id = after(&list, "action=\"/mijn-aanbod/meldingen/");
    let stranger = app.browser();
    stranger.login("zorg@anker.example", PASSWORD).await;
    let (_, theirs) = stranger.get("/mijn-aanbod/meldingen").await;
    assert!(!theirs.contains("twaalf weken"), "{theirs}");
    let (status, _, _) = stranger
        .post(
            &format!("/mijn-aanbod/meldingen/{id}"),
            &[("antwoord", "Niet van ons.")],
        )
        .await;
    assert_eq!(status, 404, "another provider's report");

    let answer_path = format!("/mijn-aanbod/meldingen/{id}");
    let (status, _, refused) = provider.post(&answer_path, &[("antwoord", " ")]).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused.contains("Schrijf een antwoord"), "{refused}");
    let (status, location, body) = provider
        .post(
            &answer_path,
            &[
                ("antwoord", "Klopt, wij hebben de wachttijd aangepast."),
                ("aangepast", "ja"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, list) = provider.get(&location).await;
    assert!(list.contains("Uw antwoord is verstuurd"), "{list}");
    let (status, _, _) = provider
        .post(&answer_path, &[("antwoord", "Nog eens.")])
        .await;
    assert_eq!(status, 409, "answered once");

    let (_, receipt) = visitor.get(&receipt_path).await;
    assert!(
        receipt.contains("Klopt, wij hebben de wachttijd aangepast."),
        "{receipt}"
    );
    assert!(
        receipt.contains("The provider has changed the listing."),
        "{receipt}"
    );
    let (status, _) = visitor.get("/meldingen/bestaat-niet-00000").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_region_sees_what_waits_longer_than_fourteen_days() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    let visitor = app.browser();
    let path = format!("/aanbieders/{slug}/melden");
    for text in ["Het telefoonnummer werkt niet.", "Het adres is verhuisd."] {
        let (status, _, body) = visitor
            .post(&path, &[("onderwerp", "contact"), ("bericht", text)])
            .await;
        assert_eq!(status, 303, "{body}");
    }
    // One of them waits fifteen days.
    let first: i64 = listing_reports::table
        .order(listing_reports::id)
        .select(listing_reports::id)
        .first(&mut *app.conn())
        .expect("report");
    diesel::update(listing_reports::table.find(first))
        .set(listing_reports::created_at.eq(jeugdhulpcatalogus::clock::now() - TimeDelta::days(15)))
        .execute(&mut *app.conn())
        .expect("backdate");

    for (email, region, sees) in [
        ("cm@haaglanden.example", "haaglanden", true),
        ("cm@alkmaar.example", "alkmaar", false),
    ] {
        app.add_user(
            email,
            PASSWORD,
            Role::Contractmanager,
            Affiliation::Region(app.region_id(region)),
        );
        let manager = app.browser();
        manager.login(email, PASSWORD).await;
        let (status, page) = manager.get("/beheer/meldingen").await;
        assert_eq!(status, 200);
        assert_eq!(
            page.contains("Het telefoonnummer werkt niet."),
            sees,
            "{region}: {page}"
        );
        assert!(
            !page.contains("Het adres is verhuisd."),
            "not yet 14 days: {page}"
        );
    }
}

#[tokio::test]
async fn one_address_cannot_flood_a_provider_and_an_unlisted_one_has_no_form() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    let visitor = app.browser();
    let path = format!("/aanbieders/{slug}/melden");
    for n in 0..5 {
        let text = format!("Melding nummer {n}.");
        let (status, _, body) = visitor
            .post(&path, &[("onderwerp", "anders"), ("bericht", &text)])
            .await;
        assert_eq!(status, 303, "{body}");
    }
    let (status, _, body) = visitor
        .post(&path, &[("onderwerp", "anders"), ("bericht", "Nog een.")])
        .await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("Wacht 15 minuten"), "{body}");
    let (status, _) = visitor.get("/aanbieders/bestaat-niet/melden").await;
    assert_eq!(status, 404);
}

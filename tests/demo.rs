//! The demo data: marked on every page, and rich enough to show every profile everywhere.

mod common;

use common::{spawn_app, spawn_demo_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::db::schema::{admissions, offers, profiles, regions};

#[tokio::test]
async fn demo_pages_say_they_are_a_demo_and_real_ones_do_not() {
    let demo = spawn_demo_app().await;
    let (_, html) = demo.get_html("/catalogus").await;
    assert!(html.contains("Dit is een demo."));
    let real = spawn_app().await;
    let (_, html) = real.get_html("/catalogus").await;
    assert!(!html.contains("Dit is een demo."));
}

#[tokio::test]
async fn every_profile_has_several_admitted_providers_in_every_region() {
    let app = spawn_demo_app().await;
    let mut conn = app.conn();
    let rows: Vec<(String, i32, i64)> = offers::table
        .inner_join(profiles::table)
        .inner_join(regions::table.on(regions::id.eq(offers::region_id)))
        .inner_join(
            admissions::table.on(admissions::provider_id
                .eq(offers::provider_id)
                .and(admissions::region_id.eq(offers::region_id))),
        )
        .filter(admissions::status.eq("toegelaten"))
        .select((regions::slug, profiles::number, offers::provider_id))
        .distinct()
        .load(&mut *conn)
        .expect("offers");
    for region in ["haaglanden", "west-brabant-west", "alkmaar"] {
        for number in 1..=9 {
            let providers = rows
                .iter()
                .filter(|(r, n, _)| r == region && *n == number)
                .count();
            assert!(
                providers >= 3,
                "{region} profile {number}: {providers} providers"
            );
        }
    }
}

#[tokio::test]
async fn the_demo_is_added_once() {
    let app = spawn_demo_app().await;
    let mut conn = app.conn();
    let added = jeugdhulpcatalogus::demo::seed_if_empty(&mut conn).expect("seed");
    assert!(!added);
    let (_, list) = app.get_json("/api/v1/providers").await;
    let total = list["total"].as_i64().expect("total");
    assert!((40..=60).contains(&total), "{total} public demo providers");
}

#[tokio::test]
async fn the_read_model_agrees_with_a_full_rebuild_and_follows_admissions() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::catalogue::listing;
    use jeugdhulpcatalogus::db::schema::{admissions, catalogue_entries, providers};
    use jeugdhulpcatalogus::providers::{AdmissionStatus, model::set_admission};

    type Entry = (i64, i64, i64, i64, i64);
    fn entries(conn: &mut jeugdhulpcatalogus::db::DbConnection) -> Vec<Entry> {
        catalogue_entries::table
            .select((
                catalogue_entries::municipality_id,
                catalogue_entries::profile_id,
                catalogue_entries::intensity_id,
                catalogue_entries::provider_id,
                catalogue_entries::offer_id,
            ))
            .order((
                catalogue_entries::municipality_id,
                catalogue_entries::profile_id,
                catalogue_entries::intensity_id,
                catalogue_entries::provider_id,
            ))
            .load(conn)
            .expect("entries")
    }

    let app = spawn_demo_app().await;
    let (_, before) = app.get_json("/api/v1/providers").await;
    let total = before["total"].as_i64().expect("total");
    let mut conn = app.conn();
    let incremental = entries(&mut conn);
    assert!(!incremental.is_empty());
    listing::rebuild(&mut conn).expect("rebuild");
    assert_eq!(entries(&mut conn), incremental);

    // Suspend every admission of one listed provider: it leaves the catalogue at once.
    let (provider_id, slug): (i64, String) = providers::table
        .filter(providers::in_catalogue.eq(true))
        .select((providers::id, providers::slug))
        .order(providers::id)
        .first(&mut *conn)
        .expect("a listed provider");
    let regions: Vec<i64> = admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .select(admissions::region_id)
        .load(&mut *conn)
        .expect("admissions");
    for region in regions {
        set_admission(
            &mut conn,
            provider_id,
            region,
            AdmissionStatus::Opgeschort,
            None,
        )
        .expect("suspended");
    }
    drop(conn);
    let (_, after) = app.get_json("/api/v1/providers").await;
    assert_eq!(after["total"].as_i64(), Some(total - 1));
    let (status, _) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert_eq!(status, 404, "a suspended provider has no public page");
}

/// The demo accounts can play a journey together: the demo provider is admitted in the demo
/// contract manager's region and serves the demo worker's municipality, and the start page
/// says which account shows what (never a password).
#[tokio::test]
async fn the_demo_accounts_play_together() {
    use jeugdhulpcatalogus::db::schema::{municipalities, providers, users};
    let app = spawn_demo_app().await;
    let affiliation = |email: &str| -> (Option<i64>, Option<i64>, Option<i64>) {
        users::table
            .filter(users::email.eq(email))
            .select((users::provider_id, users::municipality_id, users::region_id))
            .first(&mut *app.conn())
            .expect("demo user")
    };
    let (provider, _, _) = affiliation("aanbieder@demo.jeugdhulpcatalogus.nl");
    let (_, town, _) = affiliation("toegang@demo.jeugdhulpcatalogus.nl");
    let (_, _, region) = affiliation("contractmanager@demo.jeugdhulpcatalogus.nl");
    let town = town.expect("the worker's municipality");
    let town_region: i64 = municipalities::table
        .find(town)
        .select(municipalities::region_id)
        .first(&mut *app.conn())
        .expect("municipality");
    assert_eq!(
        Some(town_region),
        region,
        "the worker's town is in the manager's region"
    );
    let slug: String = providers::table
        .find(provider.expect("the demo provider"))
        .select(providers::slug)
        .first(&mut *app.conn())
        .expect("provider");
    let town_slug: String = municipalities::table
        .find(town)
        .select(municipalities::slug)
        .first(&mut *app.conn())
        .expect("slug");
    let (_, list) = app
        .get_json(&format!("/api/v1/providers?gemeente={town_slug}"))
        .await;
    assert!(
        common::slugs(&list).contains(&slug),
        "the demo provider is listed in the worker's municipality"
    );
    let (_, start) = app.get_html("/").await;
    assert!(start.contains("Probeer de demo"));
    assert!(start.contains("toegang@demo.jeugdhulpcatalogus.nl"));
    for account in jeugdhulpcatalogus::demo::accounts::demo_accounts(
        "a test key that is at least thirty-two characters long",
    ) {
        assert!(
            !start.contains(&account.password),
            "no password on the page"
        );
    }
}

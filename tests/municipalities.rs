//! Municipalities managed in the portal (issue 35): added with their CBS code, renamed,
//! merged on a date. The merger moves offers and workers; hulpvragen keep theirs; old
//! addresses lead to the new municipality; the 2022 merger of Dijk en Waard is in place.

mod common;

use common::{OfferSpec, ProviderSpec, TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{audit_log, hulpvragen, municipalities, users};

fn id_of(app: &TestApp, slug: &str) -> i64 {
    municipalities::table
        .filter(municipalities::slug.eq(slug))
        .select(municipalities::id)
        .first(&mut *app.conn())
        .expect("municipality")
}

#[tokio::test]
async fn dijk_en_waard_is_in_place_and_old_addresses_lead_to_it() {
    let app = spawn_app().await;
    let (_, list) = app.get_json("/api/v1/municipalities").await;
    let langedijk = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|m| m["slug"] == "langedijk")
        .expect("langedijk stays, for the trajectories that name it");
    assert_eq!(langedijk["merged_into"], "dijk-en-waard");
    assert_eq!(langedijk["merged_on"], "2022-01-01");
    let (_, regions) = app.get_json("/api/v1/regions").await;
    let text = regions.to_string();
    assert!(
        text.contains("dijk-en-waard") && !text.contains("\"langedijk\""),
        "{text}"
    );
    let (status, page) = app.get_html("/catalogus?gemeente=langedijk").await;
    assert_eq!(status, 200);
    assert!(page.contains("Gemeente Dijk en Waard"), "{page}");
    let (status, _) = app
        .get_json("/api/v1/providers?gemeente=heerhugowaard")
        .await;
    assert_eq!(status, 200);
    let merged: i64 = audit_log::table
        .filter(audit_log::action.eq("gemeente samengevoegd"))
        .count()
        .get_result(&mut *app.conn())
        .expect("audit");
    assert_eq!(merged, 2, "the 2022 merger made through the merge itself");
}

#[tokio::test]
async fn a_beheerder_adds_and_merges_and_offers_and_workers_move_while_hulpvragen_stay() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let haaglanden = app.region_id("haaglanden").to_string();
    let mut spec = ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3);
    spec.offers = vec![OfferSpec::new(3, "intensief", &["delft", "rijswijk"])];
    app.add_provider(spec);
    let worker = app
        .signed_in_user(
            "wijk@rijswijk.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(id_of(&app, "rijswijk")),
        )
        .await;
    let hulpvraag = common::hulpvragen::open(
        &worker,
        &common::hulpvragen::new_form("Z-1", "vrijwillig", ""),
    )
    .await;

    // Refused: no code, a taken code, a merger in the future.
    let (status, _, body) = admin
        .post(
            "/beheer/gemeenten",
            &[
                ("naam", "Nieuwdorp"),
                ("cbs", "12a"),
                ("regio", &haaglanden),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Vul de CBS-gemeentecode in"), "{body}");
    let (status, _, body) = admin
        .post(
            "/beheer/gemeenten",
            &[
                ("naam", "Nieuwdorp"),
                ("cbs", "0503"),
                ("regio", &haaglanden),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Deze CBS-code heeft al een andere gemeente."),
        "{body}"
    );
    let (status, _, _) = admin
        .post(
            "/beheer/gemeenten",
            &[
                ("naam", "Nieuwdorp"),
                ("cbs", "1999"),
                ("regio", &haaglanden),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let nieuwdorp = id_of(&app, "nieuwdorp").to_string();
    let rijswijk = id_of(&app, "rijswijk").to_string();
    // Merged today.
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, location, body) = admin
        .post(
            "/beheer/gemeenten/samenvoegen",
            &[
                ("gemeente", &rijswijk),
                ("in", &nieuwdorp),
                ("datum", &today),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = admin.get(&location).await;
    assert!(
        page.contains("De gemeenten zijn samengevoegd.") && page.contains("Opgegaan in Nieuwdorp"),
        "{page}"
    );
    let (_, found) = app.get_json("/api/v1/providers?gemeente=nieuwdorp").await;
    assert_eq!(common::slugs(&found).len(), 1, "the offer moved: {found}");
    let (_, old) = app.get_json("/api/v1/providers?gemeente=rijswijk").await;
    assert_eq!(
        common::slugs(&old).len(),
        1,
        "the old address leads to it: {old}"
    );
    let moved: Option<i64> = users::table
        .filter(users::email.eq("wijk@rijswijk.example"))
        .select(users::municipality_id)
        .first(&mut *app.conn())
        .expect("worker");
    assert_eq!(moved.map(|m| m.to_string()), Some(nieuwdorp.clone()));
    let kept: i64 = hulpvragen::table
        .find(hulpvraag)
        .select(hulpvragen::municipality_id)
        .first(&mut *app.conn())
        .expect("hulpvraag");
    assert_eq!(
        kept.to_string(),
        rijswijk,
        "a hulpvraag keeps its municipality"
    );
    // The moved worker still handles it: in the list, and on its page with the provider.
    let (status, page) = worker
        .get(&format!("/toegang/hulpvragen/{hulpvraag}"))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Gezinshuis Alfa"),
        "its candidates follow the merger: {page}"
    );
    let (_, list) = worker.get("/toegang/hulpvragen").await;
    assert!(list.contains("Z-1"), "{list}");

    // Renamed: the address stays.
    let (status, _, _) = admin
        .post(
            &format!("/beheer/gemeenten/{nieuwdorp}/naam"),
            &[("naam", "Nieuwdorp aan Zee")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get_html("/catalogus?gemeente=nieuwdorp").await;
    assert!(page.contains("Nieuwdorp aan Zee"), "{page}");
}

/// A regional beheerder manages its own region's municipalities only.
#[tokio::test]
async fn a_regional_beheerder_changes_only_its_own_municipalities() {
    let app = spawn_app().await;
    let alkmaar = app
        .signed_in_user(
            "beheer@alkmaar.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let (status, page) = alkmaar.get("/beheer/gemeenten").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Regio Alkmaar") && !page.contains("Regio Haaglanden"),
        "{page}"
    );
    let delft = id_of(&app, "delft").to_string();
    let rijswijk = id_of(&app, "rijswijk").to_string();
    let (status, _, _) = alkmaar
        .post(&format!("/beheer/gemeenten/{delft}/naam"), &[("naam", "X")])
        .await;
    assert_eq!(status, 404);
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, _) = alkmaar
        .post(
            "/beheer/gemeenten/samenvoegen",
            &[("gemeente", &rijswijk), ("in", &delft), ("datum", &today)],
        )
        .await;
    assert_eq!(status, 422);
    let (status, _, _) = alkmaar
        .post(
            "/beheer/gemeenten",
            &[
                ("naam", "Elders"),
                ("cbs", "1998"),
                ("regio", &app.region_id("haaglanden").to_string()),
            ],
        )
        .await;
    assert_eq!(status, 422);
    let merged: i64 = municipalities::table
        .filter(municipalities::merged_into_id.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(merged, 2, "only the 2022 merger");
}

/// Another node's copy of the reference data follows a change once it checks the catalogue
/// version; until then it keeps its copy (no database read per request).
#[tokio::test]
async fn another_nodes_reference_copy_follows_the_catalogue_version() {
    use jeugdhulpcatalogus::reference::ReferenceCache;
    let app = spawn_app().await;
    let checking = ReferenceCache::new(std::time::Duration::ZERO);
    let keeping = ReferenceCache::new(std::time::Duration::from_secs(3600));
    let count = |cache: &ReferenceCache| {
        cache
            .get(&mut app.conn())
            .expect("reference")
            .municipalities
            .len()
    };
    let before = count(&checking);
    assert_eq!(count(&keeping), before);
    // The change as a beheerder on another node makes it: the row and the version in one go.
    let admin_scope = jeugdhulpcatalogus::domain::principal::RegionScope::All;
    let reference = checking.get(&mut app.conn()).expect("reference");
    jeugdhulpcatalogus::reference::municipalities::add(
        &mut app.conn(),
        None,
        admin_scope,
        &reference,
        "Nieuwdorp",
        "1999",
        app.region_id("haaglanden"),
    )
    .expect("query")
    .expect("added");
    assert_eq!(count(&checking), before + 1, "the new version is seen");
    assert_eq!(count(&keeping), before, "kept until its next check");
}

/// A database made before the merger gets it at the next start, through the same merge.
#[tokio::test]
async fn an_older_database_gets_the_merger_at_its_next_start() {
    let app = spawn_app().await;
    diesel::update(municipalities::table)
        .set((
            municipalities::merged_into_id.eq(None::<i64>),
            municipalities::merged_on.eq(None::<chrono::NaiveDate>),
        ))
        .execute(&mut *app.conn())
        .expect("as before 2022");
    let mut config = jeugdhulpcatalogus::config::Config::for_database(app.database_url());
    config.today = common::test_today();
    jeugdhulpcatalogus::startup::prepare_database(&config).expect("started again");
    let merged: Vec<String> = municipalities::table
        .filter(municipalities::merged_into_id.is_not_null())
        .select(municipalities::slug)
        .order(municipalities::slug)
        .load(&mut *app.conn())
        .expect("merged");
    assert_eq!(merged, ["heerhugowaard", "langedijk"]);
}

/// A municipality moves to another region: the old region's offers no longer cover it, its
/// workers follow it, a hulpvraag keeps the region it had; a regional beheerder gives no
/// municipality away.
#[tokio::test]
async fn a_municipality_moves_to_another_region() {
    use jeugdhulpcatalogus::db::schema::offer_municipalities;
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let mut spec = ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3);
    spec.offers = vec![OfferSpec::new(3, "intensief", &["delft", "rijswijk"])];
    app.add_provider(spec);
    let rijswijk = id_of(&app, "rijswijk");
    let alkmaar = app.region_id("alkmaar").to_string();
    let regional = app
        .signed_in_user(
            "beheer@haaglanden.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("haaglanden")),
        )
        .await;
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let rijswijk_id = rijswijk.to_string();
    let refused = [
        ("verhuis_gemeente", rijswijk_id.as_str()),
        ("verhuis_regio", alkmaar.as_str()),
        ("verhuis_datum", today.as_str()),
    ];
    let (status, _, body) = regional.post("/beheer/gemeenten/verhuizen", &refused).await;
    assert_eq!(status, 422);
    assert!(body.contains("Deze regio beheert u niet."), "{body}");
    let (status, location, body) = admin.post("/beheer/gemeenten/verhuizen", &refused).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = admin.get(&location).await;
    assert!(
        page.contains("De gemeente hoort nu bij de andere regio."),
        "{page}"
    );
    let left: i64 = offer_municipalities::table
        .filter(offer_municipalities::municipality_id.eq(rijswijk))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(left, 0, "Haaglanden's offer no longer covers it");
    let (_, found) = app.get_json("/api/v1/providers?gemeente=rijswijk").await;
    assert!(common::slugs(&found).is_empty(), "{found}");
    let (_, regions) = app.get_json("/api/v1/regions").await;
    let alkmaar_region = regions["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["slug"] == "alkmaar")
        .expect("alkmaar")
        .to_string();
    assert!(alkmaar_region.contains("rijswijk"), "{alkmaar_region}");
}

/// A merger and a move dated tomorrow are planned, not done (issue 35): the page says so,
/// offers and workers stay; on the day the hourly job carries both out, once.
#[tokio::test]
async fn a_merger_and_a_move_dated_in_the_future_happen_on_their_day() {
    use jeugdhulpcatalogus::db::schema::offer_municipalities;
    use jeugdhulpcatalogus::reference::municipalities::carry_out_due;
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let delft = id_of(&app, "delft");
    let worker = app.add_user(
        "w@delft.example",
        "een lange zin als wachtwoord",
        Role::Toegangsmedewerker,
        Affiliation::Municipality(delft),
    );
    let today = jeugdhulpcatalogus::clock::today();
    let tomorrow = today + chrono::TimeDelta::days(1);
    let (status, location, body) = admin
        .post(
            "/beheer/gemeenten/samenvoegen",
            &[
                ("gemeente", &delft.to_string()),
                ("in", &id_of(&app, "rijswijk").to_string()),
                ("datum", &tomorrow.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = admin.get(&location).await;
    assert!(page.contains("De samenvoeging is gepland."), "{page}");
    assert!(page.contains("Gaat op in Rijswijk op"), "{page}");
    let (status, location, body) = admin
        .post(
            "/beheer/gemeenten/verhuizen",
            &[
                ("verhuis_gemeente", &id_of(&app, "voorschoten").to_string()),
                ("verhuis_regio", &app.region_id("alkmaar").to_string()),
                ("verhuis_datum", &tomorrow.to_string()),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = admin.get(&location).await;
    assert!(page.contains("De verhuizing is gepland."), "{page}");
    assert!(page.contains("Gaat naar regio Alkmaar op"), "{page}");

    let worker_at = |app: &TestApp| -> Option<i64> {
        users::table
            .find(worker)
            .select(users::municipality_id)
            .first(&mut *app.conn())
            .expect("worker")
    };
    let offers_in = |app: &TestApp, id: i64| -> i64 {
        offer_municipalities::table
            .filter(offer_municipalities::municipality_id.eq(id))
            .count()
            .get_result(&mut *app.conn())
            .expect("count")
    };
    let region_of = |app: &TestApp, slug: &str| -> i64 {
        municipalities::table
            .filter(municipalities::slug.eq(slug))
            .select(municipalities::region_id)
            .first(&mut *app.conn())
            .expect("region")
    };
    assert_eq!(worker_at(&app), Some(delft), "not yet");
    assert_eq!(offers_in(&app, delft), 1, "not yet");
    let (_, found) = app.get_json("/api/v1/providers?gemeente=delft").await;
    assert_eq!(common::slugs(&found).len(), 1, "Delft still exists today");
    assert_eq!(region_of(&app, "voorschoten"), app.region_id("haaglanden"));

    assert_eq!(
        carry_out_due(&mut app.conn(), today).expect("job"),
        0,
        "a day early"
    );
    assert_eq!(carry_out_due(&mut app.conn(), tomorrow).expect("job"), 2);
    assert_eq!(worker_at(&app), Some(id_of(&app, "rijswijk")));
    assert_eq!(offers_in(&app, delft), 0);
    assert_eq!(offers_in(&app, id_of(&app, "rijswijk")), 1);
    assert_eq!(region_of(&app, "voorschoten"), app.region_id("alkmaar"));
    assert_eq!(
        carry_out_due(&mut app.conn(), tomorrow).expect("job"),
        0,
        "once"
    );
}

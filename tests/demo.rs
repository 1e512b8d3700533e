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
    let added = jeugdhulpcatalogus::demo::seed_if_empty(
        &mut conn,
        "another key",
        "http://localhost",
        jeugdhulpcatalogus::demo::Size::default(),
    )
    .expect("seed");
    assert!(added.is_none(), "a second seed adds nothing");
    let (_, list) = app.get_json("/api/v1/providers").await;
    let total = list["total"].as_i64().expect("total");
    assert!((40..=60).contains(&total), "{total} public demo providers");
}

/// Every catalogue entry (municipality, profile, intensity, provider, offer), in key order.
fn entries(conn: &mut jeugdhulpcatalogus::db::DbConnection) -> Vec<(i64, i64, i64, i64, i64)> {
    use jeugdhulpcatalogus::db::schema::catalogue_entries;
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

#[tokio::test]
async fn the_read_model_agrees_with_a_full_rebuild_and_follows_admissions() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::{admissions, providers};
    use jeugdhulpcatalogus::providers::{AdmissionStatus, model::set_admission};
    use jeugdhulpcatalogus::read_model;

    let app = spawn_demo_app().await;
    let (_, before) = app.get_json("/api/v1/providers").await;
    let total = before["total"].as_i64().expect("total");
    let mut conn = app.conn();
    let incremental = entries(&mut conn);
    assert!(!incremental.is_empty());
    read_model::rebuild(&mut conn).expect("rebuild");
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

/// The demo shows the whole product on first start (issue 12): published scores with enough
/// cases, providers better and worse than average, results that sort the catalogue, charts,
/// reports for the contract manager, hulpvragen in every status and a request to answer.
#[tokio::test]
async fn the_demo_shows_the_whole_product() {
    use jeugdhulpcatalogus::choice::model::Status;
    use jeugdhulpcatalogus::demo::accounts::demo_accounts;
    let app = spawn_demo_app().await;

    // Published scores, each with at least ten cases behind it.
    let csv = app
        .get("/api/v1/scores.csv")
        .await
        .text()
        .await
        .expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(rows.len() > 100, "{} published rows", rows.len());
    let number = |r: &csv::StringRecord, i: usize| r[i].parse::<f64>().ok();
    for row in &rows {
        assert!(
            number(row, 8).expect("n") >= 10.0,
            "a row below n = 10: {row:?}"
        );
        assert!(number(row, 9).is_some(), "a row without a value: {row:?}");
    }
    // Better and worse than the regional average, for the same profile and indicator.
    let mut above = std::collections::HashSet::new();
    let mut below = std::collections::HashSet::new();
    for row in &rows {
        // Region, period, profile and indicator.
        let key = (
            row[2].to_owned(),
            row[3].to_owned(),
            row[5].to_owned(),
            row[6].to_owned(),
        );
        let (Some(low), Some(high), Some(average)) =
            (number(row, 10), number(row, 11), number(row, 12))
        else {
            continue;
        };
        if low > average {
            above.insert(key.clone());
        }
        if high < average {
            below.insert(key);
        }
    }
    assert!(
        above.intersection(&below).next().is_some(),
        "no profile with providers both above and below the average"
    );
    // The fair comparison (issue 15): some provider lies outside its region's funnel for
    // some profile and indicator, and every published value carries its reading.
    let header: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let comparisons: Vec<&str> = rows.iter().map(|r| &r[at("comparison")]).collect();
    assert!(
        comparisons.iter().any(|c| *c == "better" || *c == "worse"),
        "no provider outside the funnel"
    );
    assert!(
        comparisons
            .iter()
            .all(|c| ["better", "similar", "worse"].contains(c)),
        "a published value without its comparison"
    );
    assert!(
        rows.iter()
            .all(|r| r[at("shrunk_value")].parse::<f64>().is_ok())
    );

    // Sorted on uitval, the providers with a published value come first.
    let mut mixed = 0;
    let mut charted = None;
    for profile in 1..=9 {
        let (_, list) = app
            .get_json(&format!(
                "/api/v1/providers?gemeente=delft&profiel={profile}&volgorde=uitval"
            ))
            .await;
        let mut seen_without = false;
        let mut kinds = std::collections::HashSet::new();
        for slug in common::slugs(&list) {
            let (_, scores) = app
                .get_json(&format!("/api/v1/providers/{slug}/scores"))
                .await;
            let has = scores["items"].as_array().expect("items").iter().any(|s| {
                s["region"] == "haaglanden"
                    && s["profile"] == profile
                    && s["indicator"] == "uitval"
                    && !s["value"].is_null()
            });
            kinds.insert(has);
            if has && charted.is_none() {
                charted = Some(slug.clone());
            }
            assert!(
                !(has && seen_without),
                "profile {profile}: {slug} has a published uitval but comes after one without"
            );
            seen_without |= !has;
        }
        mixed += usize::from(kinds.len() == 2);
    }
    assert!(
        mixed > 0,
        "no profile lists providers with and without a value"
    );

    // A provider page with published scores shows its charts.
    let slug = charted.expect("a listed provider with published scores");
    let (status, page) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg"), "no chart on /aanbieders/{slug}");

    // Families' experience shows for the demo provider (at least ten answers on a profile).
    let (_, providers) = app.get_json("/api/v1/providers?gemeente=delft").await;
    let mut shown = 0;
    for slug in common::slugs(&providers) {
        let (_, page) = app.get_html(&format!("/aanbieders/{slug}")).await;
        if page.contains("Ervaring van gezinnen")
            && (10..40).any(|n| page.contains(&format!("<td>{n} gezinnen</td>")))
        {
            shown += 1;
        }
    }
    assert!(shown >= 1, "no provider shows families' experience");

    let accounts = demo_accounts("a test key that is at least thirty-two characters long");
    let password = |email: &str| {
        accounts
            .iter()
            .find(|a| a.email == email)
            .map(|a| a.password.clone())
            .expect("demo account")
    };

    let manager = app.browser();
    let email = "contractmanager@demo.jeugdhulpcatalogus.nl";
    manager.login(email, &password(email)).await;
    let (status, scores) = manager.get("/beheer/scores").await;
    assert_eq!(status, 200);
    assert!(!scores.contains("Er zijn nog geen cijfers"));
    assert!(scores.contains("<td"), "no rows on /beheer/scores");
    // The funnel the dashboard draws was stored by the demo's full recomputation.
    assert!(
        scores.contains("class=\"funnel-plot\""),
        "no funnel on /beheer/scores"
    );
    let (_, reports) = manager.get("/beheer/scores/rapporten").await;
    assert!(reports.contains("ingediend"), "a report waits for review");

    let worker = app.browser();
    let email = "toegang@demo.jeugdhulpcatalogus.nl";
    worker.login(email, &password(email)).await;
    for status in Status::ALL {
        let (_, list) = worker
            .get(&format!("/toegang/hulpvragen?status={}", status.as_str()))
            .await;
        assert!(
            list.contains(&format!("status-{}", status.as_str()))
                && !list.contains("Er zijn geen hulpvragen met deze status."),
            "no hulpvraag with status {}",
            status.as_str()
        );
    }

    let provider = app.browser();
    let email = "aanbieder@demo.jeugdhulpcatalogus.nl";
    provider.login(email, &password(email)).await;
    let (_, requests) = provider.get("/mijn-aanbod/aanvragen").await;
    assert!(
        requests.contains("Aanvraag van "),
        "the demo provider has an open request"
    );

    // Its organisation can be saved as it is (the form asks for a phone number, which the
    // demo listings once lacked).
    {
        use jeugdhulpcatalogus::db::schema::{providers, users};
        let id: Option<i64> = users::table
            .filter(users::email.eq(email))
            .select(users::provider_id)
            .first(&mut *app.conn())
            .expect("demo user");
        #[allow(clippy::type_complexity)]
        let row: (
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            String,
            bool,
        ) = providers::table
            .find(id.expect("provider"))
            .select((
                providers::description,
                providers::approach,
                providers::partners,
                providers::email,
                providers::phone,
                providers::website,
                providers::street,
                providers::postal_code,
                providers::city,
                providers::verlengde_jeugdhulp,
            ))
            .first(&mut *app.conn())
            .expect("provider");
        let phone = row.4.clone().unwrap_or_default();
        let website = row.5.clone().unwrap_or_default();
        let (status, _, body) = provider
            .post(
                "/mijn-aanbod/organisatie",
                &[
                    ("beschrijving", row.0.as_str()),
                    ("werkwijze", row.1.as_str()),
                    ("partners", row.2.as_str()),
                    ("email", row.3.as_str()),
                    ("telefoon", phone.as_str()),
                    ("website", website.as_str()),
                    ("straat", row.6.as_str()),
                    ("postcode", row.7.as_str()),
                    ("plaats", row.8.as_str()),
                    ("verlengde_jeugdhulp", if row.9 { "ja" } else { "" }),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
    }
}

/// The demo publishes its history in bulk; a correction takes the snapshot the review way.
/// Both must give the same numbers (outside the demo region nothing changed in between).
#[tokio::test]
async fn the_bulk_history_matches_the_review_snapshot() {
    use jeugdhulpcatalogus::db::schema::score_reports;
    use jeugdhulpcatalogus::outcomes::reports;
    let app = spawn_demo_app().await;
    let mut conn = app.conn();
    let alkmaar: i64 = regions::table
        .filter(regions::slug.eq("alkmaar"))
        .select(regions::id)
        .first(&mut *conn)
        .expect("region");
    let ids: Vec<i64> = score_reports::table
        .filter(score_reports::region_id.eq(alkmaar))
        .filter(score_reports::status.eq("gepubliceerd"))
        .order(score_reports::id)
        .select(score_reports::id)
        .limit(5)
        .load(&mut *conn)
        .expect("reports");
    assert_eq!(ids.len(), 5);
    let numbers = |list: Vec<reports::Score>| -> Vec<_> {
        list.into_iter()
            .map(|s| {
                (
                    s.profile_id,
                    s.indicator,
                    s.n,
                    s.hits,
                    s.value.map(f64::to_bits),
                    s.interval_low
                        .zip(s.interval_high)
                        .map(|(l, h)| (l.to_bits(), h.to_bits())),
                    s.average.map(|a| format!("{a:.12}")),
                    s.source,
                )
            })
            .collect()
    };
    for id in ids {
        let report = reports::load(&mut conn, id).expect("report");
        let again = reports::correct(&mut conn, &report, 1, "controle").expect("correction");
        let bulk = numbers(reports::scores_of(&mut conn, id).expect("scores"));
        assert!(!bulk.is_empty());
        assert_eq!(
            bulk,
            numbers(reports::scores_of(&mut conn, again).expect("scores")),
            "report {id}"
        );
    }
}

/// The demo is deterministic from its seed (and the day): made on the suite's backend and on
/// SQLite, every trajectory, report, published value and hulpvraag is the same.
#[test]
fn the_demo_is_the_same_on_every_backend() {
    use jeugdhulpcatalogus::config::Config;
    use jeugdhulpcatalogus::db::DbConnection;
    use jeugdhulpcatalogus::db::schema::{
        experience_responses, hulpvragen, published_scores, score_reports, trajectories,
    };
    type Fingerprint = (
        Vec<(
            i64,
            String,
            chrono::NaiveDate,
            Option<chrono::NaiveDate>,
            String,
            String,
        )>,
        Vec<(i64, i64, String, i32, String)>,
        Vec<(i64, i64, String, Option<String>)>,
        Vec<(i64, String, Option<i64>)>,
        i64,
    );
    fn fingerprint(conn: &mut DbConnection) -> Fingerprint {
        (
            trajectories::table
                .order(trajectories::id)
                .select((
                    trajectories::provider_id,
                    trajectories::reference,
                    trajectories::start_date,
                    trajectories::end_date,
                    trajectories::goal_result,
                    trajectories::client_key,
                ))
                .load(conn)
                .expect("trajectories"),
            score_reports::table
                .order(score_reports::id)
                .select((
                    score_reports::provider_id,
                    score_reports::region_id,
                    score_reports::period,
                    score_reports::version,
                    score_reports::status,
                ))
                .load(conn)
                .expect("reports"),
            published_scores::table
                .order((
                    published_scores::provider_id,
                    published_scores::profile_id,
                    published_scores::indicator,
                ))
                .select((
                    published_scores::provider_id,
                    published_scores::profile_id,
                    published_scores::indicator,
                    published_scores::value,
                ))
                .load::<(i64, i64, String, Option<f64>)>(conn)
                .expect("published")
                .into_iter()
                .map(|(a, b, c, v)| (a, b, c, v.map(|v| format!("{v:.9}"))))
                .collect(),
            hulpvragen::table
                .order(hulpvragen::id)
                .select((hulpvragen::id, hulpvragen::status, hulpvragen::provider_id))
                .load(conn)
                .expect("hulpvragen"),
            experience_responses::table
                .count()
                .get_result(conn)
                .expect("answers"),
        )
    }
    let make = |database: &common::TestDatabase| {
        let mut config = Config::for_database(database.url.clone());
        config.demo = true;
        config.secret_key = Some("a test key that is at least thirty-two characters long".into());
        config.today = common::test_today();
        let db = jeugdhulpcatalogus::startup::prepare_database(&config).expect("demo");
        fingerprint(&mut db.conn().expect("connection"))
    };
    let suite = common::TestDatabase::new();
    let sqlite = common::TestDatabase::sqlite();
    let (a, b) = (make(&suite), make(&sqlite));
    assert!(a.0.len() > 1000 && a.3.len() > 20, "a demo was made");
    assert!(a == b, "the demo differs between {} and SQLite", suite.url);
}

/// Admission needs the provider's signature under the region's procesovereenkomst, and the
/// mail the page promises is written, also to a provider without an account (issue 33,
/// item 5). The demo's registrations carry the signature they were made with.
#[tokio::test]
async fn admission_needs_a_signature_and_the_promised_mail_goes_out() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::{admissions, providers, regions};
    use jeugdhulpcatalogus::providers::AdmissionStatus;
    let app = spawn_demo_app().await;
    let accounts = jeugdhulpcatalogus::demo::accounts::demo_accounts(
        "a test key that is at least thirty-two characters long",
    );
    let email = "contractmanager@demo.jeugdhulpcatalogus.nl";
    let password = accounts
        .iter()
        .find(|a| a.email == email)
        .map(|a| a.password.clone())
        .expect("demo account");
    let manager = app.browser();
    manager.login(email, &password).await;

    // A registration of the demo, waiting in the manager's region: signed, admitted, mailed.
    let (id, org_email): (i64, String) = admissions::table
        .inner_join(providers::table)
        .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
        .filter(regions::slug.eq("haaglanden"))
        .filter(admissions::status.eq(AdmissionStatus::Aangemeld))
        .select((admissions::id, providers::email))
        .order(admissions::id)
        .first(&mut *app.conn())
        .expect("a waiting registration");
    // The list says when its history last changed (issue 33, item 16), not when the row
    // was written (the demo's rows are all written today).
    let (name, last): (String, chrono::NaiveDate) = {
        use jeugdhulpcatalogus::db::schema::admission_events;
        let (provider, region): (i64, i64) = admissions::table
            .find(id)
            .select((admissions::provider_id, admissions::region_id))
            .first(&mut *app.conn())
            .expect("admission");
        let name = providers::table
            .find(provider)
            .select(providers::name)
            .first(&mut *app.conn())
            .expect("name");
        let last = admission_events::table
            .filter(admission_events::provider_id.eq(provider))
            .filter(admission_events::region_id.eq(region))
            .select(diesel::dsl::max(admission_events::effective_on))
            .first::<Option<chrono::NaiveDate>>(&mut *app.conn())
            .expect("events")
            .expect("an event");
        (name, last)
    };
    assert!(last < jeugdhulpcatalogus::clock::today());
    let (_, list) = manager.get("/beheer/aanmeldingen").await;
    let row = list
        .split("<tr>")
        .find(|row| row.contains(&format!(">{}</a>", name.replace('&', "&amp;"))))
        .expect("the registration is listed");
    assert!(
        row.contains(&jeugdhulpcatalogus::web::text::date_nl(last)),
        "{row}"
    );
    let path = format!("/beheer/aanmeldingen/{id}");
    let (status, page) = manager.get(&path).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Geen handtekening gevonden"), "{page}");
    assert!(
        page.contains("ondertekend door de bestuurder (demo)"),
        "{page}"
    );
    let (status, _, body) = manager
        .post(&path, &[("besluit", "toegelaten"), ("reden", "")])
        .await;
    assert_eq!(status, 303, "{body}");
    app.mail.wait_for(&org_email, 1);

    // A registration without a signature cannot be admitted; the reason is shown.
    let slug = app.add_provider(common::ProviderSpec {
        admissions: vec![("haaglanden", AdmissionStatus::Aangemeld)],
        ..common::ProviderSpec::admitted_in_delft("Zonder Handtekening", 3)
    });
    let unsigned: i64 = admissions::table
        .inner_join(providers::table)
        .filter(providers::slug.eq(&slug))
        .select(admissions::id)
        .first(&mut *app.conn())
        .expect("admission");
    let path = format!("/beheer/aanmeldingen/{unsigned}");
    let (_, page) = manager.get(&path).await;
    assert!(page.contains("Geen handtekening gevonden"));
    let (status, _, body) = manager
        .post(&path, &[("besluit", "toegelaten"), ("reden", "")])
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("niet ondertekend. Toelaten kan pas na ondertekening."),
        "{body}"
    );
    common::assert_error_links_resolve(&body);
    let status: String = admissions::table
        .find(unsigned)
        .select(admissions::status)
        .first(&mut *app.conn())
        .expect("status");
    assert_eq!(status, AdmissionStatus::Aangemeld.as_str());
}

/// A save that changes nothing public writes no catalogue row; one municipality less
/// deletes its rows only (issue 33, item 34: each offer save rewrote ~150 rows, which left
/// 460,000 dead rows on PostgreSQL without autovacuum).
#[tokio::test]
async fn the_catalogue_rows_of_a_provider_are_written_only_where_they_change() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::{
        catalogue_entries, offer_municipalities, offers, providers,
    };
    use jeugdhulpcatalogus::read_model::{self, Written};
    let app = spawn_demo_app().await;
    let mut conn = app.conn();
    let provider: i64 = providers::table
        .filter(providers::in_catalogue.eq(true))
        .select(providers::id)
        .order(providers::id)
        .first(&mut *conn)
        .expect("a listed provider");
    let before: i64 = catalogue_entries::table
        .filter(catalogue_entries::provider_id.eq(provider))
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert!(before > 1);
    assert_eq!(
        read_model::refresh_entries(&mut conn, &[provider]).expect("refresh"),
        Written::default(),
        "nothing changed, nothing written"
    );
    // One municipality of one offer less: only the rows of that municipality go.
    let (offer, municipality): (i64, i64) = offer_municipalities::table
        .inner_join(offers::table)
        .filter(offers::provider_id.eq(provider))
        .filter(
            offer_municipalities::municipality_id.eq_any(
                catalogue_entries::table
                    .filter(catalogue_entries::provider_id.eq(provider))
                    .select(catalogue_entries::municipality_id),
            ),
        )
        .select((
            offer_municipalities::offer_id,
            offer_municipalities::municipality_id,
        ))
        .first(&mut *conn)
        .expect("a public offer");
    diesel::delete(
        offer_municipalities::table
            .filter(offer_municipalities::offer_id.eq(offer))
            .filter(offer_municipalities::municipality_id.eq(municipality)),
    )
    .execute(&mut *conn)
    .expect("removed");
    let written = read_model::refresh_entries(&mut conn, &[provider]).expect("refresh");
    assert_eq!(
        (
            written.inserted,
            written.updated,
            written.deleted,
            written.flags
        ),
        (0, 0, 1, 0)
    );
    let after: i64 = catalogue_entries::table
        .filter(catalogue_entries::provider_id.eq(provider))
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert_eq!(after, before - 1);
    // The same as a full rebuild.
    let incremental = entries(&mut conn);
    read_model::rebuild(&mut conn).expect("rebuild");
    assert_eq!(entries(&mut conn), incremental);
}

/// Every provider page of the demo: each scrolling region is named by a heading of its own
/// (axe's landmark-unique: one profile in two regions once gave two regions one name), each
/// score table has its own caption, and the bars have a legend and no empty column (issue
/// 33, items 23 and 41).
#[tokio::test]
async fn provider_pages_name_each_region_and_table_apart() {
    let app = spawn_demo_app().await;
    let slugs: Vec<String> = {
        use jeugdhulpcatalogus::db::schema::providers;
        providers::table
            .filter(providers::in_catalogue.eq(true))
            .select(providers::slug)
            .load(&mut *app.conn())
            .expect("slugs")
    };
    let mut with_scores = 0;
    for slug in slugs {
        let (status, page) = app.get_html(&format!("/aanbieders/{slug}")).await;
        assert_eq!(status, 200);
        let names: Vec<String> = page
            .split("aria-labelledby=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(|id| {
                page.split(&format!("id=\"{id}\">"))
                    .nth(1)
                    .and_then(|rest| rest.split('<').next())
                    .unwrap_or(id)
                    .to_owned()
            })
            .collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{slug}: {names:?}");
        let captions: Vec<&str> = page
            .split("<caption>")
            .skip(1)
            .filter_map(|rest| rest.split("</caption>").next())
            .collect();
        let mut distinct = captions.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), captions.len(), "{slug}: {captions:?}");
        if page.contains("class=\"score-bar\"") {
            with_scores += 1;
            assert!(page.contains("class=\"score-legend\""), "{slug}");
            assert!(!page.contains(">Grafiek<"), "{slug}");
        }
    }
    assert!(with_scores > 0, "no provider page shows scores");
}

//! A region onboarded from files (issue 35): checked as a whole, every problem with its
//! file and line, stored together or not at all; through the page and the command.

mod common;

use common::{TestDatabase, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{municipalities, regions};

const BINARY: &str = env!("CARGO_BIN_EXE_jeugdhulpcatalogus");

const REGIONS: &str =
    "slug,name,procurement_method\nzaanstreek-waterland,Zaanstreek-Waterland,taakgericht\n";
const MUNICIPALITIES: &str = "region,municipality,cbs_code\nZaanstreek-Waterland,Zaanstad,0479\nZaanstreek-Waterland,Purmerend,0439\n";
const PROFILES: &str = "number,name_nl\n1,Jeugdigen met psychosociale problemen\n2,Jeugdigen met ontwikkelings- en gedragsproblemen\n";
const DESCRIPTIONS: &str = "number,description_b1\n1,Hulp als het thuis niet goed gaat.\n";
const INTENSITIES: &str = "code,name_nl,paid_per\nlicht,Licht,trajectory\nzwaar,Zwaar,4 weeks\n";
const TARIFFS: &str = "profile,licht_eur,zwaar_eur_per_4_weeks\n1,900,1200\n2,950,1250\n";
/// The region's own questions: one of the default list without its question, one of its own.
const SATISFACTION: &str = "code,name_nl,question_nl\neffectiviteit,ervaren effectiviteit,\nuitleg,ervaren informatie,Kreeg u genoeg uitleg?\n";

/// The bad files: a method that does not exist, a municipality in an unknown region with a
/// taken CBS code, a profile without a name, an intensity paid per month, a question code
/// twice.
const BAD: [(&str, &str); 5] = [
    (
        "regions.csv",
        "slug,name,procurement_method\nzaanstreek-waterland,Zaanstreek-Waterland,goedkoop\n",
    ),
    (
        "municipalities.csv",
        "region,municipality,cbs_code\nNergens,Zaanstad,0503\n",
    ),
    ("profiles.csv", "number,name_nl\n1,\n"),
    (
        "intensities.csv",
        "code,name_nl,paid_per\nlicht,Licht,month\n",
    ),
    (
        "satisfaction-items.csv",
        "code,name_nl\nuitleg,ervaren informatie\nuitleg,nog eens\n",
    ),
];

fn dir_with(files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("jhc-regio-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&dir).expect("dir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("file");
    }
    dir
}

fn good() -> Vec<(&'static str, &'static str)> {
    vec![
        ("regions.csv", REGIONS),
        ("municipalities.csv", MUNICIPALITIES),
        ("profiles.csv", PROFILES),
        ("profile-descriptions.csv", DESCRIPTIONS),
        ("intensities.csv", INTENSITIES),
        ("tariffs-2026.csv", TARIFFS),
        ("satisfaction-items.csv", SATISFACTION),
    ]
}

#[test]
fn the_command_names_every_problem_and_stores_nothing_then_imports_the_region() {
    let database = TestDatabase::new();
    let run = |dir: &std::path::Path| {
        std::process::Command::new(BINARY)
            .envs(common::today_for_the_binary())
            .args(["--database-url", &database.url, "import-region"])
            .arg(dir)
            .output()
            .expect("binary runs")
    };
    let output = run(&dir_with(&BAD));
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    for problem in [
        "regions.csv, regel 2: Kies als inkoopmethode",
        "municipalities.csv, regel 2: De regio \"Nergens\" staat niet in regions.csv.",
        "municipalities.csv, regel 2: De CBS-code 0503 heeft al een andere gemeente.",
        "profiles.csv, regel 2: Profiel 1 heeft geen naam",
        "intensities.csv, regel 2: \"month\"",
        "satisfaction-items.csv, regel 3: \"uitleg\": een code is kort",
    ] {
        assert!(said.contains(problem), "{problem}: {said}");
    }
    let db = jeugdhulpcatalogus::db::Db::connect(&database.url, 1).expect("db");
    let mut conn = db.conn().expect("conn");
    let count = |conn: &mut jeugdhulpcatalogus::db::DbConnection| -> i64 {
        regions::table.count().get_result(conn).expect("count")
    };
    assert_eq!(count(&mut conn), 3, "nothing stored");

    let output = run(&dir_with(&good()));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("1 regions, 2 municipalities, 2 profiles, 2 intensities, 4 tariffs"),
        "{said}"
    );
    assert_eq!(count(&mut conn), 4);
    let questions: Vec<String> = {
        use jeugdhulpcatalogus::db::schema::satisfaction_items;
        satisfaction_items::table
            .inner_join(regions::table)
            .filter(regions::slug.eq("zaanstreek-waterland"))
            .order(satisfaction_items::sort_order)
            .select(satisfaction_items::question)
            .load(&mut conn)
            .expect("questions")
    };
    assert_eq!(
        questions,
        ["Heeft de hulp geholpen?", "Kreeg u genoeg uitleg?"],
        "its own questions; a known item without one gets the default"
    );
    // Again: the region is there already, nothing doubles.
    let output = run(&dir_with(&good()));
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("De regio Zaanstreek-Waterland bestaat al")
    );
}

async fn upload(browser: &common::Browser, files: &[(&str, &str)]) -> (u16, String) {
    let token = browser.cookie("jhc_csrf").expect("csrf");
    let mut form = reqwest::multipart::Form::new().text("csrf", token);
    for (name, text) in files {
        let field = name
            .trim_end_matches(".csv")
            .replace("profile-", "")
            .replace("tariffs-2026", "tariffs");
        form = form.part(
            field,
            reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name(name.to_string()),
        );
    }
    let response = browser
        .client
        .post(format!("{}/beheer/regios/import", browser.address))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn the_installation_beheerder_adds_a_region_from_files_on_the_page() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let regional = app
        .signed_in_user(
            "beheer@alkmaar.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let (status, _) = upload(&regional, &good()).await;
    assert_eq!(status, 403, "a regional beheerder adds no region");
    let (status, body) = upload(&admin, &BAD).await;
    assert_eq!(status, 422);
    assert!(body.contains("municipalities.csv, regel 2"), "{body}");
    let (status, body) = upload(&admin, &good()).await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = admin.get("/beheer/regios").await;
    assert!(
        page.contains("Zaanstreek-Waterland") && page.contains("taakgericht"),
        "{page}"
    );
    let zaanstad: i64 = municipalities::table
        .filter(municipalities::slug.eq("zaanstad"))
        .select(municipalities::id)
        .first(&mut *app.conn())
        .expect("zaanstad");
    assert!(zaanstad > 0);
    let (status, _) = app.get_html("/catalogus?gemeente=zaanstad").await;
    assert_eq!(status, 200);
    let (_, profile) = app.get_html("/profielen/1").await;
    assert!(
        profile.contains("Regio Zaanstreek-Waterland") && profile.contains("€ 900,00"),
        "{profile}"
    );
}

/// The id of a region's profile with this number, or of its intensity with this code.
fn profile_id(app: &common::TestApp, region: &str, number: i32) -> i64 {
    use jeugdhulpcatalogus::db::schema::profiles;
    profiles::table
        .filter(profiles::region_id.eq(app.region_id(region)))
        .filter(profiles::number.eq(number))
        .select(profiles::id)
        .first(&mut *app.conn())
        .expect("profile")
}

/// A region added by hand (issue 35): its method, a profile and an intensity paid per hour
/// (P×Q); what is wrong said per field; one that nothing uses deleted with its tariffs.
#[actix_web::test]
async fn a_beheerder_adds_a_region_by_hand_with_an_intensity_paid_per_hour() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let (status, _, page) = admin
        .post(
            "/beheer/regios",
            &[("naam", "Zaanstreek-Waterland"), ("methode", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Kies de inkoopmethode van de regio."),
        "{page}"
    );
    let (status, location, _) = admin
        .post(
            "/beheer/regios",
            &[
                ("naam", "Zaanstreek-Waterland"),
                ("methode", "inspanningsgericht"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/beheer/regios/zaanstreek-waterland?gedaan=regio")
    );
    let (status, _, _) = admin
        .post(
            "/beheer/regios",
            &[("naam", "Zaanstreek-Waterland"), ("methode", "taakgericht")],
        )
        .await;
    assert_eq!(status, 422, "a second region of that name");

    let base = "/beheer/regios/zaanstreek-waterland";
    let profile = [
        ("nummer", "1"),
        ("naam", "Jeugdigen met psychosociale problemen"),
        ("omschrijving", "Hulp als het thuis niet goed gaat."),
    ];
    let (status, _, _) = admin.post(&format!("{base}/profielen"), &profile).await;
    assert_eq!(status, 303);
    let (status, _, page) = admin.post(&format!("{base}/profielen"), &profile).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Deze regio heeft al een profiel met dit nummer."),
        "{page}"
    );
    let hourly = [
        ("code", "ambulant-uur"),
        ("naam", "Ambulant per uur"),
        ("omschrijving", "Begeleiding thuis, per uur."),
        ("betaald_per", "uur"),
    ];
    let (status, _, page) = admin
        .post(
            &format!("{base}/intensiteiten"),
            &[("code", "Ambulant Uur"), ("betaald_per", "maand")],
        )
        .await;
    assert_eq!(status, 422);
    for message in [
        "Vul een korte code in",
        "Vul de naam in",
        "Kies hoe de intensiteit betaald wordt",
    ] {
        assert!(page.contains(message), "{message}: {page}");
    }
    let (status, _, _) = admin.post(&format!("{base}/intensiteiten"), &hourly).await;
    assert_eq!(status, 303);
    let (status, page) = admin.get(base).await;
    assert_eq!(status, 200);
    for shown in [
        "Inspanningsgericht",
        "Jeugdigen met psychosociale problemen",
        "Ambulant per uur",
        "per uur",
    ] {
        assert!(page.contains(shown), "{shown}");
    }
    let (_, tariffs) = admin
        .get("/beheer/tarieven?regio=zaanstreek-waterland")
        .await;
    assert!(tariffs.contains("per uur"), "{tariffs}");

    // Nothing uses the new profile yet: it can be deleted.
    let id = profile_id(&app, "zaanstreek-waterland", 1);
    let (_, page) = admin.get(&format!("{base}/profielen/{id}")).await;
    assert!(page.contains("Niets gebruikt dit profiel nog."), "{page}");
    let (status, location, _) = admin
        .post(&format!("{base}/profielen/{id}/verwijderen"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (
            303,
            "/beheer/regios/zaanstreek-waterland?gedaan=profielen-verwijderd"
        )
    );
    let (status, _) = admin.get(&format!("{base}/profielen/{id}")).await;
    assert_eq!(status, 404);

    // Families always get at least one question: the last open one is not closed.
    let questions: Vec<i64> = {
        use jeugdhulpcatalogus::db::schema::satisfaction_items;
        satisfaction_items::table
            .filter(satisfaction_items::region_id.eq(app.region_id("zaanstreek-waterland")))
            .order(satisfaction_items::sort_order)
            .select(satisfaction_items::id)
            .load(&mut *app.conn())
            .expect("questions")
    };
    assert_eq!(questions.len(), 6, "every region starts with the six");
    let today = jeugdhulpcatalogus::clock::today().to_string();
    for q in &questions[..5] {
        let (status, _, _) = admin
            .post(&format!("{base}/vragen/{q}/sluiten"), &[("datum", &today)])
            .await;
        assert_eq!(status, 303);
    }
    let last = questions[5];
    let (status, _, page) = admin
        .post(
            &format!("{base}/vragen/{last}/sluiten"),
            &[("datum", &today)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Dit is de laatste vraag die gezinnen krijgen."),
        "{page}"
    );
    let (status, _, _) = admin
        .post(&format!("{base}/vragen/{last}/verwijderen"), &[])
        .await;
    assert_eq!(status, 422);
}

/// A profile in use is closed from a date, never deleted: new hulpvragen and offers cannot
/// choose it from then, what has it keeps it; reopened, it can be chosen again. A regional
/// beheerder edits its own region only, and adds no regions.
#[actix_web::test]
async fn a_profile_in_use_is_closed_not_deleted_and_only_in_its_own_region() {
    use common::{ProviderSpec, hulpvragen};
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    let worker = app
        .signed_in_user(
            "w@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        )
        .await;
    let id = profile_id(&app, "haaglanden", 3);
    let item = format!("/beheer/regios/haaglanden/profielen/{id}");
    let (_, page) = admin.get(&item).await;
    assert!(
        page.contains("U kunt dit profiel niet verwijderen"),
        "{page}"
    );
    let (status, _, page) = admin.post(&format!("{item}/verwijderen"), &[]).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("U kunt dit profiel niet verwijderen"),
        "{page}"
    );
    assert_eq!(profile_id(&app, "haaglanden", 3), id, "still there");

    let (status, _, page) = admin
        .post(&format!("{item}/sluiten"), &[("datum", "")])
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Vul de datum in vanaf wanneer het gesloten is"),
        "{page}"
    );
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, _) = admin
        .post(&format!("{item}/sluiten"), &[("datum", &today)])
        .await;
    assert_eq!(status, 303);
    let (_, page) = admin.get("/beheer/regios/haaglanden").await;
    assert!(page.contains("Gesloten sinds"), "{page}");
    let (_, form) = worker.get("/toegang/hulpvragen/nieuw").await;
    assert!(
        !form.contains("Profiel 3:"),
        "a closed profile is not offered"
    );
    let (status, _, page) = worker
        .post(
            "/toegang/hulpvragen",
            &hulpvragen::new_form("Z-1", "vrijwillig", ""),
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Profiel 3 is gesloten"), "{page}");
    let (status, _, _) = admin.post(&format!("{item}/openen"), &[]).await;
    assert_eq!(status, 303);
    let (status, _, _) = worker
        .post(
            "/toegang/hulpvragen",
            &hulpvragen::new_form("Z-2", "vrijwillig", ""),
        )
        .await;
    assert_eq!(status, 303, "open again");

    // A new name reaches the public profile page at once.
    let (status, _, _) = admin
        .post(
            &item,
            &[
                ("naam", "Een nieuwe naam voor drie"),
                ("omschrijving", "Uitleg."),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, public) = app.browser().get("/profielen/3").await;
    assert!(public.contains("Een nieuwe naam voor drie"), "{public}");

    let regional = app
        .signed_in_user(
            "beheer@alkmaar.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let (status, _) = regional.get(&item).await;
    assert_eq!(status, 404);
    let (status, _) = regional.get("/beheer/regios/haaglanden").await;
    assert_eq!(status, 404);
    for action in ["sluiten", "openen", "verwijderen"] {
        let (status, _, _) = regional
            .post(&format!("{item}/{action}"), &[("datum", &today)])
            .await;
        assert_eq!(status, 404, "{action}");
    }
    let (status, _, _) = regional
        .post(&item, &[("naam", "Gekaapt"), ("omschrijving", "Nee.")])
        .await;
    assert_eq!(status, 404);
    let (status, _, page) = regional
        .post(
            "/beheer/regios",
            &[("naam", "Eigen regio"), ("methode", "taakgericht")],
        )
        .await;
    assert_eq!(status, 403);
    assert!(
        page.contains("Alleen de beheerder van alle regio"),
        "{page}"
    );
    let (status, _) = regional.get("/beheer/regios/alkmaar").await;
    assert_eq!(status, 200);
}

//! A region's history loaded in one go (issue 41): `import-history` checks every row before
//! it stores any, names each problem with its line, stores all or nothing, replaces what it
//! loaded before, and leaves the providers' scores and the region's funnels current (the job
//! runner's refresh is off here, so only the command's own refresh can make them so).

mod common;

use common::{ProviderSpec, TestApp, spawn_with, today_for_the_binary};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{providers, trajectories};
use jeugdhulpcatalogus::outcomes::compute::{Quarter, region_sets};
use jeugdhulpcatalogus::outcomes::fair::{self, Funnels};

const BINARY: &str = env!("CARGO_BIN_EXE_jeugdhulpcatalogus");
const HEADER: &str = "aanbieder,referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid";

fn quarter() -> Quarter {
    Quarter::of(jeugdhulpcatalogus::clock::today()).previous()
}

/// `n` rows of `provider` (its address name or AGB code), ended in the last complete quarter,
/// every other one with its goals reached.
fn rows(provider: &str, prefix: &str, n: usize) -> String {
    let end = quarter().last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    (0..n)
        .map(|i| {
            let goal = if i % 2 == 0 { "behaald" } else { "niet behaald" };
            format!("{provider},{prefix}-{i},delft,3,intensief,{start},{end},1,{goal},client-{i},12-17,vrijwillig,8\n")
        })
        .collect()
}

/// Runs `import-history` on the app's database with this file; (success, stdout, stderr).
fn import(app: &TestApp, region: &str, csv: &str) -> (bool, String, String) {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("historie.csv");
    std::fs::write(&file, csv).expect("file written");
    let output = std::process::Command::new(BINARY)
        .envs(today_for_the_binary())
        .args([
            "--database-url",
            app.database_url(),
            "import-history",
            "--region",
            region,
        ])
        .arg(&file)
        .output()
        .expect("binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn stored(app: &TestApp) -> i64 {
    trajectories::table
        .count()
        .get_result(&mut *app.conn())
        .expect("count")
}

#[tokio::test]
async fn a_regions_history_is_checked_whole_and_loaded_all_or_nothing() {
    let app = spawn_with(|config| config.funnel_refresh_ms = 0).await;
    let first = app.add_provider(ProviderSpec::admitted_in_delft("Historie Een", 3));
    let second = app.add_provider(ProviderSpec::admitted_in_delft("Historie Twee", 3));
    // Both share the AGB code the test providers get; the second gets its own.
    diesel::update(providers::table.filter(providers::slug.eq(&second)))
        .set(providers::agb_code.eq("12312312"))
        .execute(&mut *app.conn())
        .expect("agb");
    let third = app.add_provider(ProviderSpec::admitted_in_delft("Historie Drie", 3));

    // Every problem of every line, and nothing stored.
    let bad = format!(
        "{HEADER}\n{}nergens,X-1,delft,3,intensief,2025-01-01,2025-03-01,1,behaald,c,12-17,vrijwillig,\n{first},X-2,atlantis,3,intensief,2025-01-01,2025-03-01,1,behaald,c,12-17,vrijwillig,\n98765432,X-3,delft,3,intensief,2025-01-01,2025-03-01,1,behaald,c,12-17,vrijwillig,\n{}111222333,X-4,delft,3,intensief,2025-01-01,2025-03-01,1,behaald,c,12-17,vrijwillig,\n{first},X-2,delft,3,intensief,2025-01-01,2025-03-01,1,behaald,c,12-17,vrijwillig,\n",
        rows(&first, "A", 2),
        rows(&first, "A", 1)
    );
    let (ok, _, said) = import(&app, "haaglanden", &bad);
    assert!(!ok, "{said}");
    for problem in [
        "regel 4, aanbieder: 'nergens' is geen aanbieder die in deze regio is of was toegelaten",
        "regel 5, gemeente: 'atlantis' is geen gemeente",
        "regel 6, aanbieder: Meer dan één aanbieder in de regio heeft AGB-code '98765432'",
        "regel 7, referentie: Deze aanbieder heeft deze referentie ook op regel 2.",
        "regel 8, aanbieder: Dit lijkt een BSN.",
        // Also where the first row has another problem.
        "regel 9, referentie: Deze aanbieder heeft deze referentie ook op regel 5.",
        "nothing loaded: 6 problems",
    ] {
        assert!(said.contains(problem), "{problem}: {said}");
    }
    assert!(!said.contains("111222333"), "a BSN is not repeated: {said}");
    assert_eq!(stored(&app), 0, "nothing stored");
    let (ok, _, said) = import(
        &app,
        "haaglanden",
        &format!(
            "{}\n{}",
            &HEADER["aanbieder,".len()..],
            "A-1,delft,3,intensief,2025-01-01,2025-03-01,1,behaald,c,12-17,vrijwillig,\n"
        ),
    );
    assert!(
        !ok && said.contains("De kolom 'aanbieder' ontbreekt"),
        "{said}"
    );
    let (ok, _, said) = import(
        &app,
        "nergens",
        &format!("{HEADER}\n{}", rows(&first, "A", 1)),
    );
    assert!(!ok && said.contains("Er is geen regio 'nergens'"), "{said}");
    assert_eq!(stored(&app), 0);

    // The first provider by the name in its address, the second by its AGB code.
    let good = format!(
        "{HEADER}\n{}{}",
        rows(&first, "A", 30),
        rows("12312312", "B", 20)
    );
    let (ok, said, errors) = import(&app, "haaglanden", &good);
    assert!(ok, "{said}{errors}");
    assert!(
        said.contains("Loaded 50 trajectories of 2 providers (0 replaced)"),
        "{said}"
    );
    assert_eq!(stored(&app), 50);

    // Scores and funnels are current without the job runner.
    let region = app.region_id("haaglanden");
    let period = quarter().code();
    {
        let mut conn = app.conn();
        let sets = region_sets(&mut conn, region, &period, "12m").expect("sets");
        let ended = |slug: &str| -> i32 {
            let id = app.provider_id(slug);
            sets.iter()
                .filter(|s| s.provider_id == id)
                .map(|s| s.ended())
                .sum()
        };
        assert_eq!((ended(&first), ended(&second), ended(&third)), (30, 20, 0));
        let fresh = Funnels::of(&sets).rows(region, &period, "12m");
        assert!(!fresh.is_empty());
        assert_eq!(
            Funnels::load(&mut conn, region, &period, "12m")
                .expect("stored")
                .rows(region, &period, "12m"),
            fresh
        );
        assert!(fair::stale_marks(&mut conn).expect("marks").is_empty());
    }
    // The contract manager sees both among the region's scores.
    let manager = app
        .signed_in_user(
            "contract@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(region),
        )
        .await;
    let (status, page) = manager.get("/beheer/scores?profiel=3").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Historie Een") && page.contains("Historie Twee"),
        "{page}"
    );

    // The same file again replaces what it loaded: nothing doubles.
    let (ok, said, errors) = import(&app, "haaglanden", &good);
    assert!(ok, "{said}{errors}");
    assert!(said.contains("(50 replaced)"), "{said}");
    assert_eq!(stored(&app), 50);

    // A reference the provider used in another region is not replaced from this one.
    let elsewhere: i64 = jeugdhulpcatalogus::db::schema::regions::table
        .filter(jeugdhulpcatalogus::db::schema::regions::slug.ne("haaglanden"))
        .select(jeugdhulpcatalogus::db::schema::regions::id)
        .first(&mut *app.conn())
        .expect("another region");
    diesel::update(trajectories::table.filter(trajectories::reference.eq("A-3")))
        .set(trajectories::region_id.eq(elsewhere))
        .execute(&mut *app.conn())
        .expect("moved");
    let (ok, _, said) = import(&app, "haaglanden", &good);
    assert!(!ok, "{said}");
    assert!(
        said.contains("regel 5, referentie: De aanbieder gebruikt referentie 'A-3' al voor een traject in een andere regio."),
        "{said}"
    );
    let kept: i64 = trajectories::table
        .filter(trajectories::region_id.eq(elsewhere))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!((kept, stored(&app)), (1, 50), "nothing changed");
}

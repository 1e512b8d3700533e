//! Tariffs per year (issue 35): next year's entered in advance on the page or from a file in
//! the reference format, today's kept; `/profielen/{n}` shows both; history is never
//! rewritten; every change is in the audit log.

mod common;

use chrono::Datelike;
use common::{TestApp, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{audit_log, intensities, profiles, regions, tariffs};

fn cell(app: &TestApp, number: i32, code: &str) -> (i64, i64) {
    let region: i64 = regions::table
        .filter(regions::slug.eq("west-brabant-west"))
        .select(regions::id)
        .first(&mut *app.conn())
        .expect("region");
    let profile = profiles::table
        .filter(profiles::region_id.eq(region))
        .filter(profiles::number.eq(number))
        .select(profiles::id)
        .first(&mut *app.conn())
        .expect("profile");
    let intensity = intensities::table
        .filter(intensities::region_id.eq(region))
        .filter(intensities::code.eq(code))
        .select(intensities::id)
        .first(&mut *app.conn())
        .expect("intensity");
    (profile, intensity)
}

fn amounts(
    app: &TestApp,
    (profile, intensity): (i64, i64),
) -> Vec<(i64, chrono::NaiveDate, Option<chrono::NaiveDate>)> {
    tariffs::table
        .filter(tariffs::profile_id.eq(profile))
        .filter(tariffs::intensity_id.eq(intensity))
        .order(tariffs::valid_from)
        .select((
            tariffs::amount_cents,
            tariffs::valid_from,
            tariffs::valid_until,
        ))
        .load(&mut *app.conn())
        .expect("tariffs")
}

#[tokio::test]
async fn next_years_tariffs_are_entered_in_advance_and_today_keeps_its_own() {
    let app = spawn_app().await;
    let admin = app
        .signed_in_user("beheer@regio.example", Role::Beheerder, Affiliation::None)
        .await;
    let today = jeugdhulpcatalogus::clock::today();
    let new_year = chrono::NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).expect("date");
    let intensief = cell(&app, 3, "intensief");
    let field = format!("t-{}-{}", intensief.0, intensief.1);
    let base = [("regio", "west-brabant-west")];

    let (status, page) = admin.get("/beheer/tarieven?regio=west-brabant-west").await;
    assert_eq!(status, 200);
    assert!(page.contains("Nu: € 2.250,00"), "{page}");

    // A wrong amount and a change of a tariff in force are refused; nothing changes.
    let vanaf = new_year.to_string();
    let (status, _, body) = admin
        .post(
            "/beheer/tarieven",
            &[base[0], ("vanaf", &vanaf), (&field, "veel")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Vul een bedrag in euro"), "{body}");
    let (status, _, body) = admin
        .post(
            "/beheer/tarieven",
            &[base[0], ("vanaf", &today.to_string()), (&field, "2300")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Een tarief dat al geldt, verandert niet."),
        "{body}"
    );
    assert_eq!(amounts(&app, intensief).len(), 1);

    // Next year's: today's ends the day before; the profile page shows both.
    let (status, location, _) = admin
        .post(
            "/beheer/tarieven",
            &[base[0], ("vanaf", &vanaf), (&field, "2.400")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("gedaan=1"), "{location}");
    let stored = amounts(&app, intensief);
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].2, Some(new_year - chrono::TimeDelta::days(1)));
    assert_eq!(
        (stored[1].0, stored[1].1, stored[1].2),
        (240_000, new_year, None)
    );
    let (_, profile) = app.get_html("/profielen/3").await;
    assert!(
        profile.contains(&format!("Vanaf 1 januari {}", new_year.year())),
        "{profile}"
    );
    assert!(
        profile.contains("€ 2.250,00") && profile.contains("€ 2.400,00"),
        "{profile}"
    );

    // The whole form sent back as shown: what holds already adds nothing, and the demo's
    // mark is kept where nothing changed.
    let total = || -> i64 {
        tariffs::table
            .count()
            .get_result(&mut *app.conn())
            .expect("count")
    };
    let before = total();
    let cells: Vec<(String, &str)> = [
        ("perspectief", "563"),
        ("intensief", "2400"),
        ("acuut", "1150"),
        ("duurzaam", "1050"),
    ]
    .into_iter()
    .map(|(code, amount)| {
        let (p, i) = cell(&app, 3, code);
        (format!("t-{p}-{i}"), amount)
    })
    .collect();
    let mut form: Vec<(&str, &str)> = vec![base[0], ("vanaf", &vanaf)];
    form.extend(cells.iter().map(|(f, a)| (f.as_str(), *a)));
    let (status, _, _) = admin.post("/beheer/tarieven", &form).await;
    assert_eq!(status, 303);
    assert_eq!(total(), before, "no copies of tariffs that hold already");
    // A refusal leaves every cell as it was, also the ones before the refused one.
    let acuut = cell(&app, 3, "acuut");
    let new_cell = cell(&app, 4, "acuut");
    let (status, _, _) = admin
        .post(
            "/beheer/tarieven",
            &[
                base[0],
                ("vanaf", &today.to_string()),
                (&format!("t-{}-{}", acuut.0, acuut.1), "1"),
                (&format!("t-{}-{}", new_cell.0, new_cell.1), "2"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(total(), before);
    let (status, _, body) = admin
        .post(
            "/beheer/tarieven",
            &[base[0], ("vanaf", "morgen"), (&field, "2500")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Vul de datum in vanaf wanneer de tarieven gelden"),
        "{body}"
    );

    // The file: exported in the reference format, changed, read back in.
    let response = admin
        .client
        .get(format!(
            "{}/beheer/tarieven/export.csv?regio=west-brabant-west&vanaf={vanaf}",
            app.address
        ))
        .send()
        .await
        .expect("export");
    assert_eq!(response.status().as_u16(), 200);
    let csv = response.text().await.expect("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("profile,acuut_eur,intensief_eur,perspectief_eur,duurzaam_eur_per_4_weeks")
    );
    let three = csv
        .lines()
        .find(|l| l.starts_with("3,"))
        .expect("profile 3");
    assert!(three.contains(",2400,"), "{three}");
    let changed = csv.replace(three, &three.replace(",2400,", ",2500,"));
    let (status, _, body) = admin
        .upload_form(
            "/beheer/tarieven/import",
            &[base[0], ("vanaf", &vanaf)],
            "bestand",
            "tarieven.csv",
            "profile,intensief_eur,galop_eur\n3,veel\n99,100\n"
                .as_bytes()
                .to_vec(),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    for problem in [
        "Regel 1: De kolom &quot;galop_eur&quot; kennen wij niet",
        "Regel 2: Profiel 3, Intensief",
        "Regel 3: Profiel &quot;99&quot; bestaat niet",
    ] {
        assert!(body.contains(problem), "{problem}: {body}");
    }
    assert_eq!(
        amounts(&app, intensief)[1].0,
        240_000,
        "nothing stored from a refused file"
    );
    let (status, _, body) = admin
        .upload_form(
            "/beheer/tarieven/import",
            &[base[0], ("vanaf", &vanaf)],
            "bestand",
            "tarieven.csv",
            changed.into_bytes(),
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(amounts(&app, intensief)[1].0, 250_000);
    assert_eq!(
        amounts(&app, intensief).len(),
        2,
        "the same date: changed, not added"
    );

    let logged: i64 = audit_log::table
        .filter(audit_log::action.eq("tarief vastgesteld"))
        .count()
        .get_result(&mut *app.conn())
        .expect("audit");
    assert!(logged >= 2, "{logged}");
}

/// A regional beheerder sees and sets its own region's tariffs only.
#[tokio::test]
async fn a_regional_beheerder_sets_only_its_own_regions_tariffs() {
    let app = spawn_app().await;
    let alkmaar = app
        .signed_in_user(
            "beheer@alkmaar.example",
            Role::Beheerder,
            Affiliation::Region(app.region_id("alkmaar")),
        )
        .await;
    let (status, page) = alkmaar.get("/beheer/tarieven").await;
    assert_eq!(status, 200);
    assert!(page.contains("Tarieven Alkmaar"), "{page}");
    assert!(!page.contains("West-Brabant-West"), "{page}");
    assert_eq!(
        alkmaar
            .get("/beheer/tarieven?regio=west-brabant-west")
            .await
            .0,
        404
    );
    let intensief = cell(&app, 3, "intensief");
    let field = format!("t-{}-{}", intensief.0, intensief.1);
    let (status, _, _) = alkmaar
        .post(
            "/beheer/tarieven",
            &[
                ("regio", "west-brabant-west"),
                ("vanaf", "2099-01-01"),
                (&field, "1"),
            ],
        )
        .await;
    assert_eq!(status, 404);
    // Another region's cell under its own region's name is refused too.
    let (status, _, _) = alkmaar
        .post(
            "/beheer/tarieven",
            &[("regio", "alkmaar"), ("vanaf", "2099-01-01"), (&field, "1")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(amounts(&app, intensief).len(), 1);
}

//! Issue 38: the municipal monitor. A small hand-made region (two providers' uploads in Delft
//! and Den Haag, and two hulpvragen through the portal) is counted again here, independently
//! of the portal's code, and every figure of the export and the page must agree with it.
//! Who reads which monitor: a beleidsmedewerker its own municipality only.

mod common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta};
use common::{Browser, OfferSpec, ProviderSpec, TestApp, hulpvragen, reports, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::outcomes::compute::Quarter;

const PASSWORD: &str = "een lange zin als wachtwoord";

/// One trajectory as the test writes it down.
#[derive(Clone)]
struct T {
    provider: char,
    town: &'static str,
    profile: i32,
    intensity: &'static str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: Option<u8>,
    age: &'static str,
    kader: &'static str,
}

fn day(q: Quarter, offset: i64) -> NaiveDate {
    q.first_day() + TimeDelta::days(offset)
}

/// The uploaded trajectories, around the last two complete quarters.
fn uploaded() -> Vec<T> {
    let q = reports::last_quarter();
    let p = q.previous();
    let t = |provider, town, profile, intensity, start, end, reason, age, kader| T {
        provider,
        town,
        profile,
        intensity,
        start,
        end,
        reason,
        age,
        kader,
    };
    vec![
        t(
            'a',
            "delft",
            3,
            "intensief",
            day(p, 5),
            None,
            None,
            "12-17",
            "vrijwillig",
        ),
        t(
            'a',
            "delft",
            3,
            "intensief",
            day(p, 10),
            Some(day(q, 20)),
            Some(1),
            "12-17",
            "vrijwillig",
        ),
        t(
            'a',
            "delft",
            3,
            "acuut",
            day(q, 1),
            Some(day(q, 15)),
            Some(3),
            "4-11",
            "vrijwillig",
        ),
        t(
            'a',
            "den-haag",
            3,
            "intensief",
            day(q, 2),
            None,
            None,
            "18-23",
            "gedwongen",
        ),
        t(
            'b',
            "delft",
            5,
            "intensief",
            day(q, 30),
            None,
            None,
            "18-23",
            "gedwongen",
        ),
        t(
            'b',
            "delft",
            5,
            "intensief",
            day(p, 0),
            Some(q.last_day()),
            Some(2),
            "12-17",
            "vrijwillig",
        ),
        t(
            'b',
            "delft",
            5,
            "intensief",
            day(q, 40),
            Some(day(q, 50)),
            Some(4),
            "12-17",
            "vrijwillig",
        ),
    ]
}

fn csv(rows: &[(usize, &T)]) -> String {
    let mut out = format!("{}\n", reports::HEADER);
    for (i, t) in rows {
        let end = t.end.map(|d| d.to_string()).unwrap_or_default();
        let reason = t.reason.map(|r| r.to_string()).unwrap_or_default();
        let goal = if t.end.is_some() {
            "behaald"
        } else {
            "onbekend"
        };
        out.push_str(&format!(
            "M-{i},{},{},{},{},{end},{reason},{goal},client-{i},{},{},\n",
            t.town, t.profile, t.intensity, t.start, t.age, t.kader
        ));
    }
    out
}

// The definitions, written again from the page's "Zo tellen wij".
fn last(q: Quarter, today: NaiveDate) -> NaiveDate {
    q.last_day().min(today)
}
fn inside(d: NaiveDate, q: Quarter, today: NaiveDate) -> bool {
    q.first_day() <= d && d <= last(q, today)
}
fn in_care(t: &T, q: Quarter, today: NaiveDate) -> bool {
    t.start <= last(q, today) && t.end.is_none_or(|e| e > last(q, today))
}
fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}
fn vorm(t: &T) -> &'static str {
    match (t.intensity, t.provider) {
        ("acuut", _) => "crisis",
        (_, 'b') => "verblijf",
        _ => "ambulant",
    }
}

/// (quarter, figure, breakdown, item) → (count, part, value), from the export.
type Exported = BTreeMap<(String, String, String, String), (i64, String, String)>;

async fn exported(browser: &Browser, query: &str) -> Exported {
    let (status, body) = browser.get(&format!("/monitor/export.csv?{query}")).await;
    assert_eq!(status, 200, "{body}");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let mut out = Exported::new();
    for record in reader.records() {
        let r = record.expect("a CSV row");
        out.insert(
            (
                r[1].to_owned(),
                r[2].to_owned(),
                r[3].to_owned(),
                r[4].to_owned(),
            ),
            (
                r[6].parse().expect("count"),
                r[7].to_owned(),
                r[8].to_owned(),
            ),
        );
    }
    out
}

fn value(
    e: &Exported,
    q: Quarter,
    figure: &str,
    breakdown: &str,
    item: &str,
) -> (i64, String, String) {
    e.get(&(q.code(), figure.into(), breakdown.into(), item.into()))
        .cloned()
        .unwrap_or((0, String::new(), String::new()))
}

fn days(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// The tariff in euros of a profile and intensity in Haaglanden on a day, from the table.
fn tariff(app: &TestApp, profile: i32, intensity: &str, on: NaiveDate) -> f64 {
    use jeugdhulpcatalogus::db::schema::{intensities, profiles, tariffs};
    let region = app.region_id("haaglanden");
    let cents: i64 = tariffs::table
        .inner_join(profiles::table)
        .inner_join(intensities::table)
        .filter(profiles::region_id.eq(region))
        .filter(profiles::number.eq(profile))
        .filter(intensities::code.eq(intensity))
        .filter(tariffs::valid_from.le(on))
        .filter(
            tariffs::valid_until
                .is_null()
                .or(tariffs::valid_until.ge(on)),
        )
        .order(tariffs::valid_from.desc())
        .select(tariffs::amount_cents)
        .first(&mut *app.conn())
        .expect("a tariff");
    cents as f64 / 100.0
}

/// Cost: intensief and acuut are paid per trajectory, at the tariff of the start day, in
/// the quarter help started; per provider and profile too.
fn check_cost(app: &TestApp, e: &Exported, rows: &[&T], q: Quarter, today: NaiveDate, label: &str) {
    let started: Vec<&&T> = rows.iter().filter(|t| inside(t.start, q, today)).collect();
    let total: f64 = started
        .iter()
        .map(|t| tariff(app, t.profile, t.intensity, t.start))
        .sum();
    let cost = value(e, q, "kosten", "totaal", "");
    assert_eq!(cost.0, started.len() as i64, "{label} {}", q.code());
    assert_eq!(cost.2, format!("{total:.2}"), "{label} {}", q.code());
    for (who, slug) in [('a', "alfa-ambulant"), ('b', "bravo-verblijf")] {
        let id = app.provider_id(slug);
        for profile in [3, 5] {
            let mine: Vec<&&&T> = started
                .iter()
                .filter(|t| t.provider == who && t.profile == profile)
                .collect();
            let sum: f64 = mine
                .iter()
                .map(|t| tariff(app, t.profile, t.intensity, t.start))
                .sum();
            let cell = value(e, q, "kosten", "aanbieder", &format!("{id}:{profile}"));
            let expected = if mine.is_empty() {
                String::new()
            } else {
                format!("{sum:.2}")
            };
            assert_eq!(
                (cell.0, cell.2),
                (mine.len() as i64, expected),
                "{label} {slug} {profile}"
            );
        }
    }
    assert_eq!(value(e, q, "kosten_onbekend", "totaal", "").0, 0, "{label}");
}

/// Every figure of `rows` (the scope's trajectories) and the portal's hulpvragen in quarter `q`.
fn check(e: &Exported, rows: &[&T], q: Quarter, today: NaiveDate, label: &str) {
    let count = |f: &dyn Fn(&T) -> bool| rows.iter().filter(|t| f(t)).count() as i64;
    let what = format!("{label} {}", q.code());
    let care = count(&|t| in_care(t, q, today));
    assert_eq!(
        value(e, q, "in_zorg", "totaal", "").0,
        care,
        "in care, {what}"
    );
    for profile in [3, 5] {
        assert_eq!(
            value(e, q, "in_zorg", "profiel", &profile.to_string()).0,
            count(&|t| in_care(t, q, today) && t.profile == profile),
            "in care in profile {profile}, {what}"
        );
    }
    for v in ["ambulant", "verblijf", "crisis"] {
        assert_eq!(
            value(e, q, "gestart", "vorm", v).0,
            count(&|t| inside(t.start, q, today) && vorm(t) == v),
            "starts {v}, {what}"
        );
    }
    assert_eq!(
        value(e, q, "gestart", "intensiteit", "acuut").0,
        count(&|t| inside(t.start, q, today) && t.intensity == "acuut"),
        "acuut starts, {what}"
    );
    let ended: Vec<&&T> = rows
        .iter()
        .filter(|t| t.end.is_some_and(|d| inside(d, q, today)))
        .collect();
    assert_eq!(
        value(e, q, "gestart", "totaal", "").0,
        count(&|t| inside(t.start, q, today)),
        "starts, {what}"
    );
    assert_eq!(
        value(e, q, "beeindigd", "totaal", "").0,
        ended.len() as i64,
        "endings, {what}"
    );
    for reason in 1..=5u8 {
        assert_eq!(
            value(e, q, "beeindigd", "reden", &reason.to_string()).0,
            ended.iter().filter(|t| t.reason == Some(reason)).count() as i64,
            "endings for reason {reason}, {what}"
        );
    }
    let durations: Vec<i64> = ended
        .iter()
        .map(|t| (t.end.expect("ended") - t.start).num_days())
        .collect();
    let duration = value(e, q, "duur", "totaal", "");
    assert_eq!(duration.0, durations.len() as i64, "{what}");
    assert_eq!(
        duration.2,
        days(median(durations)),
        "median duration, {what}"
    );
    let forced = value(e, q, "gedwongen", "totaal", "");
    assert_eq!(
        (forced.0, forced.1),
        (
            care,
            count(&|t| in_care(t, q, today) && t.kader == "gedwongen").to_string()
        ),
        "gedwongen, {what}"
    );
    let extended = value(e, q, "verlengd", "totaal", "");
    assert_eq!(
        (extended.0, extended.1),
        (
            care,
            count(&|t| in_care(t, q, today) && t.age == "18-23").to_string()
        ),
        "verlengd, {what}"
    );
}

struct World {
    app: TestApp,
    policy: Browser,
    manager: Browser,
    rows: Vec<T>,
    today: NaiveDate,
}

/// Two providers' uploads, one hulpvraag that started and closed today (the family chose),
/// one that the provider declined (chosen with the worker); then the monitor is computed.
async fn world() -> World {
    use jeugdhulpcatalogus::db::schema::{care_requests, offers};
    let app = spawn_app().await;
    let mut a = ProviderSpec::admitted_in_delft("Alfa Ambulant", 3);
    a.offers = vec![
        OfferSpec::new(3, "intensief", &["delft", "den-haag"]),
        OfferSpec::new(3, "acuut", &["delft"]),
    ];
    let a = app.add_provider(a);
    let b = app.add_provider(ProviderSpec::admitted_in_delft("Bravo Verblijf", 5));
    diesel::update(offers::table.filter(offers::provider_id.eq(app.provider_id(&b))))
        .set(offers::setting.eq("verblijf"))
        .execute(&mut *app.conn())
        .expect("setting");
    let mut users = BTreeMap::new();
    for (email, role, affiliation) in [
        (
            "a@alfa.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&a)),
        ),
        (
            "b@bravo.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&b)),
        ),
        (
            "wijkteam@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            "beleid@delft.example",
            Role::Beleidsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        ),
        (
            "cm@haaglanden.example",
            Role::Contractmanager,
            Affiliation::Region(app.region_id("haaglanden")),
        ),
    ] {
        app.add_user(email, PASSWORD, role, affiliation);
        let browser = app.browser();
        browser.login(email, PASSWORD).await;
        users.insert(email, browser);
    }
    // Haaglanden's tariffs (the test seed has none): paid per trajectory.
    {
        use jeugdhulpcatalogus::db::schema::{intensities, profiles, tariffs};
        let region = app.region_id("haaglanden");
        let mut conn = app.conn();
        for (profile, intensity, cents) in [
            (3, "intensief", 225_000i64),
            (3, "acuut", 115_000),
            (5, "intensief", 465_000),
        ] {
            let profile_id: i64 = profiles::table
                .filter(profiles::region_id.eq(region))
                .filter(profiles::number.eq(profile))
                .select(profiles::id)
                .first(&mut *conn)
                .expect("profile");
            let intensity_id: i64 = intensities::table
                .filter(intensities::region_id.eq(region))
                .filter(intensities::code.eq(intensity))
                .select(intensities::id)
                .first(&mut *conn)
                .expect("intensity");
            diesel::insert_into(tariffs::table)
                .values((
                    tariffs::profile_id.eq(profile_id),
                    tariffs::intensity_id.eq(intensity_id),
                    tariffs::amount_cents.eq(cents),
                    tariffs::valid_from.eq(NaiveDate::from_ymd_opt(2020, 1, 1).expect("day")),
                    tariffs::fictional.eq(false),
                ))
                .execute(&mut *conn)
                .expect("tariff");
        }
    }
    let rows = uploaded();
    for (who, email) in [('a', "a@alfa.example"), ('b', "b@bravo.example")] {
        let mine: Vec<(usize, &T)> = rows
            .iter()
            .enumerate()
            .filter(|(_, t)| t.provider == who)
            .collect();
        reports::upload(&users[email], csv(&mine)).await;
    }
    // Alfa's report of the last quarter, published: the cost table shows its figures.
    let report = reports::open(&app, &users["a@alfa.example"]).await;
    reports::submit(&users["a@alfa.example"], &report).await;
    reports::publish(&users["cm@haaglanden.example"], &report).await;
    let today = jeugdhulpcatalogus::clock::today();
    let (worker, provider) = (&users["wijkteam@delft.example"], &users["a@alfa.example"]);
    let (started, _) = hulpvragen::accepted(worker, &app.browser(), provider, &a, "Z-1").await;
    hulpvragen::start_and_close(worker, started).await;
    let declined = hulpvragen::open(worker, &hulpvragen::new_form("Z-2", "vrijwillig", "")).await;
    let alfa = app.provider_id(&a).to_string();
    let (status, _, body) = worker
        .post(
            &format!("/toegang/hulpvragen/{declined}/kiezen"),
            &[("aanbieder", alfa.as_str())],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let request: i64 = care_requests::table
        .filter(care_requests::hulpvraag_id.eq(declined))
        .select(care_requests::id)
        .first(&mut *app.conn())
        .expect("request");
    let (status, _, body) = provider
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "afwijzen"), ("reden", "geen_plek")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let mut all = rows;
    all.push(T {
        provider: 'a',
        town: "delft",
        profile: 3,
        intensity: "intensief",
        start: today,
        end: Some(today),
        reason: Some(1),
        age: "12-17",
        kader: "vrijwillig",
    });
    assert!(app.compute_monitor() >= 1);
    let mut users = users;
    World {
        policy: users.remove("beleid@delft.example").expect("policy"),
        manager: users.remove("cm@haaglanden.example").expect("manager"),
        app,
        rows: all,
        today,
    }
}

#[tokio::test]
async fn every_figure_of_a_hand_made_region_is_what_its_definition_counts() {
    let w = world().await;
    let now = Quarter::of(w.today);
    let quarters = [now.previous().previous(), now.previous(), now];
    let delft_rows: Vec<&T> = w.rows.iter().filter(|t| t.town == "delft").collect();
    let delft = exported(&w.policy, &format!("kwartaal={}", now.code())).await;
    for q in quarters {
        check(&delft, &delft_rows, q, w.today, "Delft");
        check_cost(&w.app, &delft, &delft_rows, q, w.today, "Delft");
    }
    let all_rows: Vec<&T> = w.rows.iter().collect();
    let region = exported(
        &w.manager,
        &format!("regio=haaglanden&kwartaal={}", now.code()),
    )
    .await;
    for q in quarters {
        check(&region, &all_rows, q, w.today, "Haaglanden");
        check_cost(&w.app, &region, &all_rows, q, w.today, "Haaglanden");
    }
    // Access, this quarter: one hulpvraag started the day it was asked (within the norm),
    // one was declined for want of a place; of the two first choices, the family made one.
    assert_eq!(
        value(&delft, now, "wachttijd", "totaal", ""),
        (1, "1".into(), "0.00".into())
    );
    assert_eq!(value(&delft, now, "wachttijd", "profiel", "3").0, 1);
    assert_eq!(value(&delft, now, "afgewezen", "reden", "geen_plek").0, 1);
    assert_eq!(
        value(&delft, now, "gezin_koos", "totaal", ""),
        (2, "1".into(), String::new())
    );
    // The same stored figures on the page as in the file.
    let q = now.previous();
    let (status, page) = w
        .policy
        .get(&format!("/monitor?kwartaal={}", q.code()))
        .await;
    assert_eq!(status, 200, "{page}");
    let shown = |label: &str| -> String {
        let at = page
            .find(&format!("<dt>{label}</dt><dd>"))
            .unwrap_or_else(|| panic!("{label} on the page"));
        let rest = &page[at + label.len() + 13..];
        rest[..rest.find("</dd>").expect("end of dd")].to_owned()
    };
    assert_eq!(
        shown("Jongeren met hulp aan het eind van het kwartaal"),
        value(&delft, q, "in_zorg", "totaal", "").0.to_string()
    );
    assert_eq!(
        shown("Gestart in het kwartaal"),
        value(&delft, q, "gestart", "totaal", "").0.to_string()
    );
    assert_eq!(
        shown("Beëindigd in het kwartaal"),
        value(&delft, q, "beeindigd", "totaal", "").0.to_string()
    );
    assert!(page.contains("Monitor Delft"), "{page}");
    assert!(page.contains("<svg class=\"chart\""), "the trend chart");
    // Beside the cost, Alfa's published uitval and doelrealisatie of profile 3: the numbers
    // of the scores API.
    let (status, api) = w
        .app
        .get_json("/api/v1/providers/alfa-ambulant/scores")
        .await;
    assert_eq!(status, 200, "{api}");
    let row_at = page.find(">Alfa Ambulant</a>").expect("Alfa's cost line");
    let row = &page[row_at..row_at + page[row_at..].find("</tr>").expect("end of row")];
    for indicator in ["uitval", "doelrealisatie"] {
        let item = api["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["indicator"] == indicator && i["profile"] == 3)
            .unwrap_or_else(|| panic!("{indicator} in {api}"));
        let cell_at = row
            .find(&format!("data-figure=\"{indicator}\">"))
            .expect("the cell");
        let cell = &row[cell_at..cell_at + row[cell_at..].find("</td>").expect("end of cell")];
        assert!(
            cell.contains(&format!("(n = {})", item["n"])),
            "{indicator}: {cell} against {item}"
        );
    }
    // Excel's dialect: the same figures with semicolons.
    let (status, excel) = w
        .policy
        .get(&format!(
            "/monitor/export.csv?kwartaal={}&formaat=excel",
            q.code()
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        excel.starts_with('\u{feff}') && excel.contains("gebied;kwartaal;cijfer"),
        "{excel}"
    );
}

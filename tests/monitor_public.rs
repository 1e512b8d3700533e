//! Issue 38: the public monitor as a visitor reads it. Every municipality of the demo's
//! Haaglanden: no count under 10 shown, and no hidden cell that the shown ones give away.

mod common;

use std::collections::BTreeMap;

use common::TestApp;
use jeugdhulpcatalogus::outcomes::compute::Quarter;

/// One row of a monitor file: (quarter, figure, breakdown, item) → (count or None when
/// hidden, part).
type Row = ((String, String, String, String), (Option<i64>, String));

async fn public_file(app: &TestApp, slug: &str) -> Vec<Row> {
    let (status, body) = app
        .get_html(&format!("/api/v1/municipalities/{slug}/monitor.csv"))
        .await;
    assert_eq!(status, 200, "{slug}: {body}");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            let hidden = &r[9] == "ja";
            assert_eq!(hidden, r[6].is_empty(), "a hidden cell has no count: {r:?}");
            (
                (
                    r[1].to_owned(),
                    r[2].to_owned(),
                    r[3].to_owned(),
                    r[4].to_owned(),
                ),
                (
                    (!hidden).then(|| r[6].parse().expect("count")),
                    r[7].to_owned(),
                ),
            )
        })
        .collect()
}

/// What a visitor could work out of a public file: no count below 10 is shown, no share
/// tells of fewer than 10, and no hidden cell is the one unknown of a total and its parts
/// or of a quarter's flow. Checked on every municipality of the demo's Haaglanden, which
/// also shows a year of care in each.
#[tokio::test]
async fn the_public_monitor_hides_small_numbers_and_what_would_give_them_away() {
    let app = common::spawn_demo_app().await;
    app.compute_monitor();
    let additive = [
        "in_zorg",
        "gestart",
        "beeindigd",
        "afgewezen",
        "kosten",
        "wachttijd",
    ];
    let this = Quarter::of(jeugdhulpcatalogus::clock::today());
    for slug in [
        "delft",
        "den-haag",
        "leidschendam-voorburg",
        "midden-delfland",
        "pijnacker-nootdorp",
        "rijswijk",
        "voorschoten",
        "wassenaar",
        "westland",
        "zoetermeer",
    ] {
        let rows = public_file(&app, slug).await;
        let cells: BTreeMap<_, _> = rows.iter().cloned().collect();
        let get = |q: &str, f: &str, b: &str, i: &str| -> Option<i64> {
            // A cell that is not there is a zero everyone can see.
            cells
                .get(&(q.to_owned(), f.to_owned(), b.to_owned(), i.to_owned()))
                .map_or(Some(0), |(n, _)| *n)
        };
        // A year of care: young people with help at the end of each of the last four quarters.
        let mut q = this;
        for _ in 0..4 {
            q = q.previous();
            assert_ne!(
                get(&q.code(), "in_zorg", "totaal", ""),
                Some(0),
                "{slug} {}",
                q.code()
            );
        }
        for ((quarter, figure, breakdown, _), (count, part)) in &rows {
            if let Some(n) = count {
                if additive.contains(&figure.as_str()) || figure == "kosten_onbekend" {
                    assert!(
                        *n == 0 || *n >= 10,
                        "{slug}: {quarter} {figure} {breakdown} shows {n}"
                    );
                }
                if let Ok(p) = part.parse::<i64>() {
                    for small in [p, n - p] {
                        assert!(
                            small == 0 || small >= 10,
                            "{slug}: {quarter} {figure} part {p} of {n}"
                        );
                    }
                }
            }
        }
        // Totals and parts.
        let mut groups: BTreeMap<(String, String, String), Vec<Option<i64>>> = BTreeMap::new();
        for ((quarter, figure, breakdown, _), (count, _)) in &rows {
            if additive.contains(&figure.as_str()) && breakdown != "totaal" {
                groups
                    .entry((quarter.clone(), figure.clone(), breakdown.clone()))
                    .or_default()
                    .push(*count);
            }
        }
        for ((quarter, figure, breakdown), parts) in &groups {
            let total = get(quarter, figure, "totaal", "");
            let hidden =
                parts.iter().filter(|p| p.is_none()).count() + usize::from(total.is_none());
            assert_ne!(
                hidden, 1,
                "{slug}: {quarter} {figure} per {breakdown}: one unknown in {total:?} = {parts:?}"
            );
        }
        // A count shown twice: crisis is acuut; a median's cases are its endings; the base of
        // a share of those in care is their number.
        for ((quarter, figure, breakdown, item), (count, _)) in &rows {
            let same = match (figure.as_str(), breakdown.as_str(), item.as_str()) {
                ("in_zorg" | "gestart" | "beeindigd", "vorm", "crisis") => {
                    get(quarter, figure, "intensiteit", "acuut")
                }
                ("in_zorg" | "gestart" | "beeindigd", "intensiteit", "acuut") => {
                    get(quarter, figure, "vorm", "crisis")
                }
                ("duur", _, _) => get(quarter, "beeindigd", breakdown, item),
                ("gedwongen" | "verlengd", "totaal", _) => get(quarter, "in_zorg", "totaal", ""),
                _ => continue,
            };
            assert!(
                same.is_some() || count.is_none(),
                "{slug}: {quarter} {figure} {breakdown} {item} shows what is hidden elsewhere"
            );
        }
        // A profile's cost and its lines per provider.
        let mut lines: BTreeMap<(String, String), Vec<Option<i64>>> = BTreeMap::new();
        for ((quarter, figure, breakdown, item), (count, _)) in &rows {
            if figure == "kosten" && breakdown == "aanbieder" {
                let profile = item.split(':').nth(1).expect("provider:profile").to_owned();
                lines
                    .entry((quarter.clone(), profile))
                    .or_default()
                    .push(*count);
            }
        }
        for ((quarter, profile), parts) in &lines {
            let total = get(quarter, "kosten", "profiel", profile);
            let hidden =
                parts.iter().filter(|p| p.is_none()).count() + usize::from(total.is_none());
            assert_ne!(
                hidden, 1,
                "{slug}: {quarter} cost of profile {profile}: {total:?} = {parts:?}"
            );
        }
        // The flow: with help at the end = at the end before + started − ended.
        for ((quarter, figure, breakdown, item), _) in &rows {
            let Some(q) = Quarter::parse(quarter).filter(|_| figure == "in_zorg") else {
                continue;
            };
            let before = q.previous().code();
            if !rows.iter().any(|((qq, ..), _)| *qq == before) {
                continue;
            }
            let terms = [
                get(quarter, "in_zorg", breakdown, item),
                get(&before, "in_zorg", breakdown, item),
                get(quarter, "gestart", breakdown, item),
                get(quarter, "beeindigd", breakdown, item),
            ];
            let hidden = terms.iter().filter(|t| t.is_none()).count();
            assert_ne!(hidden, 1, "{slug}: {quarter} {breakdown} {item}: {terms:?}");
        }
    }
    // The page says what it hides, and the staff's own page shows it all.
    let (status, page) = app.get_html("/cijfers/gemeenten/midden-delfland").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Cijfers jeugdhulp Midden-Delfland")
            && page.contains("Aantallen onder de 10 tonen wij niet")
    );
    let (status, index) = app.get_html("/cijfers/gemeenten").await;
    assert_eq!(status, 200);
    assert!(index.contains("/cijfers/gemeenten/zoetermeer"), "{index}");
    assert_eq!(app.get_html("/cijfers/gemeenten/atlantis").await.0, 404);
    // The running quarter changes daily: not public until it has ended.
    let running = format!("/cijfers/gemeenten/delft?kwartaal={}", this.code());
    assert_eq!(app.get_html(&running).await.0, 404);
    assert!(rows_of_quarter(&public_file(&app, "delft").await, &this).is_empty());
    assert_eq!(
        app.get_html("/api/v1/municipalities/atlantis/monitor.csv")
            .await
            .0,
        404
    );
}

fn rows_of_quarter<'a>(rows: &'a [Row], q: &Quarter) -> Vec<&'a Row> {
    rows.iter()
        .filter(|((quarter, ..), _)| *quarter == q.code())
        .collect()
}

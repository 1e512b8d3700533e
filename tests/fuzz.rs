//! Fuzzing the two ways trajectories come in: any bytes as a CSV file, CSV-shaped text with
//! odd values, and the JSON API's items (the same checks). Nothing may panic, and every
//! refusal names its line (or item) and column. Generated input with shrinking (proptest).
//!
//!     cargo test --test fuzz                      # 256 cases per property
//!     FUZZ_CASES=200000 cargo test --release --test fuzz -- --nocapture   # the long run

use std::sync::OnceLock;

use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::outcomes::records::{self, COLUMNS, RawTrajectory};
use jeugdhulpcatalogus::outcomes::store;
use jeugdhulpcatalogus::reference::ReferenceData;
use proptest::prelude::*;

/// The real reference data, loaded once into a scratch SQLite database.
fn reference() -> &'static (ReferenceData, Vec<i64>) {
    static REFERENCE: OnceLock<(ReferenceData, Vec<i64>)> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir").keep();
        let url = format!("sqlite://{}", dir.join("fuzz.db").display());
        let db = jeugdhulpcatalogus::startup::prepare_database(&Config::for_database(url))
            .expect("database");
        let reference = ReferenceData::load(&mut db.conn().expect("conn")).expect("reference");
        // Every profile counts as admitted: the deeper checks run too.
        let profiles = reference.profiles.iter().map(|p| p.id).collect();
        (reference, profiles)
    })
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
}

/// One seed per run, printed with every test's output (shown when it fails), so a failure
/// replays with `FUZZ_SEED=<seed> cargo test --test fuzz` (issue 34, item 13).
fn seed() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| {
        std::env::var("FUZZ_SEED")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(16, |d| d.as_nanos() as u64)
            })
    })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let seed = seed();
    eprintln!("fuzz seed: {seed} (replay with FUZZ_SEED={seed})");
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(seed),
        ..ProptestConfig::default()
    }
}

/// Values that look like what providers send, and values that do not.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("delft".to_owned()),
        Just("zundert".to_owned()),
        Just("3".to_owned()),
        Just("intensief".to_owned()),
        Just("2025-01-31".to_owned()),
        Just("31-01-2026".to_owned()),
        Just("2025-02-30".to_owned()),
        Just("32".to_owned()),
        Just("behaald".to_owned()),
        Just("deels behaald".to_owned()),
        Just("12-17".to_owned()),
        Just("vrijwillig".to_owned()),
        Just("lichtere_hulp".to_owned()),
        Just("deels".to_owned()),
        Just("111.222.333".to_owned()),
        Just("gemeente-1".to_owned()),
        "[0-9]{1,12}",
        "[a-z -]{0,20}",
        any::<String>(),
        ".{0,300}",
    ]
}

fn raw_trajectory() -> impl Strategy<Value = RawTrajectory> {
    proptest::collection::vec(value(), 17).prop_map(|v| RawTrajectory {
        referentie: v[0].clone(),
        gemeente: v[1].clone(),
        profiel: v[2].clone(),
        intensiteit: v[3].clone(),
        startdatum: v[4].clone(),
        einddatum: v[5].clone(),
        reden_einde: v[6].clone(),
        doelresultaat: v[7].clone(),
        clientsleutel: v[8].clone(),
        leeftijdsgroep: v[9].clone(),
        kader: v[10].clone(),
        tevredenheid: v[11].clone(),
        doelen_afgesproken: v[12].clone(),
        doelen_behaald: v[13].clone(),
        doelen_deels: v[14].clone(),
        zonder_hulp: v[15].clone(),
        problemen_kleiner: v[16].clone(),
    })
}

/// Parses and checks a file as an upload does; asserts that every refusal is placed.
fn check_file(bytes: &[u8]) {
    let (reference, profiles) = reference();
    match store::parse_csv(bytes) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(p.row >= 1, "{p:?}");
                assert!(!p.column.is_empty() && !p.message.is_empty(), "{p:?}");
            }
        }
        Ok(rows) => {
            for (line, _) in &rows {
                assert!(*line >= 2, "data starts on line 2");
            }
            if let Err(problems) = store::check_all(&rows, reference, profiles, today()) {
                for p in problems {
                    assert!(p.row >= 1, "{p:?}");
                    assert!(!p.column.is_empty() && !p.message.is_empty(), "{p:?}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_as_a_csv_file(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        check_file(&bytes);
    }

    #[test]
    fn csv_shaped_text_with_odd_values(
        header in prop_oneof![Just(true), Just(true), Just(false)],
        semicolon in any::<bool>(),
        rows in proptest::collection::vec(proptest::collection::vec(value(), 0..15), 0..25),
    ) {
        let separator = if semicolon { ";" } else { "," };
        let mut text = String::new();
        if header {
            text.push_str(&COLUMNS.join(separator));
            text.push('\n');
        }
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| if v.contains(['"', ',', ';', '\n']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v.clone() })
                .collect();
            text.push_str(&cells.join(separator));
            text.push('\n');
        }
        check_file(text.as_bytes());
    }

    #[test]
    fn api_items_are_checked_field_by_field(items in proptest::collection::vec(raw_trajectory(), 1..20)) {
        // The JSON API reads the same struct (all values as text) and runs the same checks.
        let json = serde_json::to_string(&serde_json::json!({ "trajectories": items.iter().map(|r| {
            r.fields().iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v))).collect::<serde_json::Map<_, _>>()
        }).collect::<Vec<_>>() })).expect("json");
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("parses");
        let (reference, profiles) = reference();
        for item in parsed["trajectories"].as_array().expect("items") {
            let raw: RawTrajectory = serde_json::from_value(item.clone()).expect("raw");
            if let Err(problems) = records::check(&raw, reference, profiles, today()) {
                for p in problems {
                    prop_assert!(records::ALL_COLUMNS.contains(&p.column), "{:?}", p);
                    prop_assert!(!p.message.is_empty());
                }
            }
        }
    }
}

//! The pages families use most (catalogue, comparison, choice, questionnaire), in a real browser: Debian's Chromium, headless, checked with
//! axe-core for WCAG 2.1 A and AA violations (none allowed), with a screenshot of each page
//! under `test-output/screenshots/`.
//!
//! Needs `chromium` (or `CHROMIUM=/path`) and axe-core's `axe.min.js` (`AXE_CORE_JS=/path`, or
//! `npm install --prefix target/axe axe-core`). `.ci/run` provides both and sets
//! `JHC_BROWSER_TESTS=required`; without them and without that variable the test says why it
//! did not run instead of failing on a machine that has no browser.

mod common;

use std::path::PathBuf;

use common::{Browser, ProviderSpec, TestApp, spawn_app};
use headless_chrome::protocol::cdp::Page;
use headless_chrome::{Browser as Chromium, LaunchOptions};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

struct Tools {
    chromium: PathBuf,
    axe: String,
}

fn tools() -> Option<Tools> {
    let required = std::env::var("JHC_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let axe_path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    let axe = std::fs::read_to_string(&axe_path).ok();
    match (chromium.exists(), axe) {
        (true, Some(axe)) => Some(Tools { chromium, axe }),
        (has_chromium, axe) => {
            let missing = format!(
                "browser test needs Chromium at {} ({}) and axe-core at {} ({})",
                chromium.display(),
                if has_chromium { "found" } else { "missing" },
                axe_path.display(),
                if axe.is_some() { "found" } else { "missing" },
            );
            assert!(!required, "{missing}");
            eprintln!("SKIPPED: {missing}; .ci/run installs both");
            None
        }
    }
}

/// What axe-core found, as "rule (impact): help – nodes" lines.
fn violations(tab: &headless_chrome::Tab, axe: &str) -> Vec<String> {
    tab.evaluate(axe, false).expect("axe-core loads");
    let script = r#"
        axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations']
        }).then(r => JSON.stringify({
            checked: r.passes.length + r.violations.length,
            violations: r.violations.map(v =>
                v.id + ' (' + v.impact + '): ' + v.help + ' – ' +
                v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', '))
        }))
    "#;
    let result = tab.evaluate(script, true).expect("axe-core runs");
    let json = result
        .value
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("axe-core result");
    let report: serde_json::Value = serde_json::from_str(&json).expect("axe-core JSON");
    // An empty page passes everything; make sure rules were really applied.
    assert!(
        report["checked"].as_u64().unwrap_or(0) >= 10,
        "axe-core applied too few rules: {report}"
    );
    report["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

fn screenshot(tab: &headless_chrome::Tab, name: &str) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-output/screenshots");
    std::fs::create_dir_all(&folder).expect("screenshot folder");
    let png = tab
        .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    std::fs::write(folder.join(format!("{name}.png")), png).expect("screenshot saved");
}

/// A worker, three providers in Delft for profile 3, and a hulpvraag with a family link;
/// returns the family's path.
async fn a_family_link(app: &TestApp) -> (Vec<String>, String, Browser) {
    let mut slugs = Vec::new();
    for name in ["Gezinshuis Alfa", "Jeugdzorg Beta", "Praktijk Gamma"] {
        slugs.push(app.add_provider(ProviderSpec::admitted_in_delft(name, 3)));
    }
    app.add_user(
        "wijkteam@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(app.municipality_id("delft")),
    );
    let worker: Browser = app.browser();
    worker.login("wijkteam@delft.example", PASSWORD).await;
    let (status, location, body) = worker
        .post(
            "/toegang/hulpvragen",
            &[
                ("profiel", "3"),
                ("intensiteit", "intensief"),
                ("leeftijd", "4-11"),
                ("kader", "vrijwillig"),
                ("zaaknummer", "Z-1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let id = location
        .trim_start_matches("/toegang/hulpvragen/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    let (status, _, _) = worker
        .post(&format!("/toegang/hulpvragen/{id}/link"), &[])
        .await;
    assert_eq!(status, 303);
    let (_, body) = worker.get(&format!("/toegang/hulpvragen/{id}")).await;
    let start = body.find("/keuze/").expect("family link");
    let path: String = body[start..].chars().take_while(|c| *c != '"').collect();
    (slugs, path, worker)
}

/// Takes a second hulpvraag through to its end with the first provider; returns the path of
/// the family's questionnaire.
async fn a_questionnaire(app: &TestApp, worker: &Browser, slug: &str) -> String {
    let provider_id = app.provider_id(slug);
    app.add_user(
        "aanbieder@alfa.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(provider_id),
    );
    let provider = app.browser();
    provider.login("aanbieder@alfa.example", PASSWORD).await;
    let (_, location, _) = worker
        .post(
            "/toegang/hulpvragen",
            &[
                ("profiel", "3"),
                ("intensiteit", "intensief"),
                ("leeftijd", "4-11"),
                ("kader", "vrijwillig"),
                ("zaaknummer", "Z-2"),
            ],
        )
        .await;
    let base = location.split('?').next().expect("path").to_owned();
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let id = provider_id.to_string();
    assert_eq!(
        worker
            .post(&format!("{base}/kiezen"), &[("aanbieder", &id)])
            .await
            .0,
        303
    );
    let (_, list) = provider.get("/mijn-aanbod/aanvragen").await;
    let start = list
        .find("/mijn-aanbod/aanvragen/")
        .expect("the request's form");
    let action: String = list[start..].chars().take_while(|c| *c != '"').collect();
    let accept = [("antwoord", "accepteren"), ("startdatum", today.as_str())];
    assert_eq!(provider.post(&action, &accept).await.0, 303);
    assert_eq!(
        worker
            .post(&format!("{base}/start"), &[("startdatum", &today)])
            .await
            .0,
        303
    );
    let (status, _, body) = worker
        .post(
            &format!("{base}/afsluiten"),
            &[("einddatum", &today), ("reden", "1"), ("doelen", "behaald")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let start = body.find("/ervaring/").expect("questionnaire link");
    body[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn catalogue_comparison_and_choice_pages_have_no_wcag_violations() {
    let Some(tools) = tools() else { return };
    let app = spawn_app().await;
    let (slugs, family_path, worker) = a_family_link(&app).await;
    let questionnaire = a_questionnaire(&app, &worker, &slugs[0]).await;
    let pages = [
        (
            "catalogus",
            "/catalogus?profiel=3&gemeente=delft".to_owned(),
        ),
        (
            "vergelijking",
            format!(
                "/vergelijk?profiel=3&aanbieder={}&aanbieder={}&aanbieder={}",
                slugs[0], slugs[1], slugs[2]
            ),
        ),
        ("keuze", family_path),
        ("vragenlijst", questionnaire),
        ("startpagina", "/".to_owned()),
        ("aanbieder", format!("/aanbieders/{}", slugs[0])),
    ];
    let address = app.address.clone();
    let report = tokio::task::spawn_blocking(move || {
        let options = LaunchOptions::default_builder()
            .path(Some(tools.chromium))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1280, 1000)))
            .args(vec![
                std::ffi::OsStr::new("--disable-background-networking"),
                std::ffi::OsStr::new("--disable-dev-shm-usage"),
            ])
            .idle_browser_timeout(std::time::Duration::from_secs(120))
            .build()
            .expect("launch options");
        let chromium = Chromium::new(options).expect("Chromium starts");
        let tab = chromium.new_tab().expect("tab");
        // The site's CSP allows only its own scripts; axe-core comes in through DevTools.
        tab.call_method(Page::SetBypassCSP { enabled: true })
            .expect("bypass CSP for axe-core");
        let mut report = Vec::new();
        for (name, path) in &pages {
            tab.navigate_to(&format!("{address}{path}"))
                .and_then(|t| t.wait_until_navigated())
                .unwrap_or_else(|e| panic!("{path} loads: {e}"));
            let title = tab.get_title().unwrap_or_default();
            assert!(!title.contains("niet gevonden"), "{path}: {title}");
            screenshot(&tab, name);
            for v in violations(&tab, &tools.axe) {
                report.push(format!("{path}: {v}"));
            }
        }
        report
    })
    .await
    .expect("browser run");
    assert!(
        report.is_empty(),
        "WCAG 2.1 AA violations:\n{}",
        report.join("\n")
    );
}

//! A provider's trajectories and reports over HTTP, as the provider and the contract manager
//! click through them: upload and confirm a file, open and submit the report of the last
//! complete quarter, publish it.

use jeugdhulpcatalogus::outcomes::compute::Quarter;

use super::{Browser, TestApp};

/// The columns of the trajectories file, in the order the template gives them.
pub const HEADER: &str = "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid";

/// The last complete quarter: the one a report is opened for.
pub fn last_quarter() -> Quarter {
    Quarter::of(jeugdhulpcatalogus::clock::today()).previous()
}

/// A file of trajectories of one profile, intensief, in Delft, that ended ten days before the
/// last complete quarter did; `row(i)` gives the end reason (CBS code), the goal result and the
/// mark of trajectory `i`. `key` keeps references and clients apart between files.
pub fn trajectories(
    key: &str,
    profile: i32,
    rows: usize,
    row: impl Fn(usize) -> (u8, &'static str, u8),
) -> String {
    let end = last_quarter().last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    let mut csv = format!("{HEADER}\n");
    for i in 0..rows {
        let (reason, goal, mark) = row(i);
        csv.push_str(&format!(
            "{key}-{profile}-{i},delft,{profile},intensief,{start},{end},{reason},{goal},{key}-client-{profile}-{i},12-17,vrijwillig,{mark}\n"
        ));
    }
    csv
}

/// Uploads a file of trajectories and confirms its preview.
pub async fn upload(browser: &Browser, csv: String) {
    let (status, _, preview) = browser
        .upload(
            "/mijn-aanbod/resultaten",
            "bestand",
            "t.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    let start = preview
        .find("/mijn-aanbod/resultaten/")
        .expect("confirm form");
    let action: String = preview[start..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(browser.post(&action, &[]).await.0, 303);
}

/// Opens the provider's report of the last quarter in Haaglanden; returns its address.
pub async fn open(app: &TestApp, browser: &Browser) -> String {
    let region = app.region_id("haaglanden").to_string();
    let (status, location, body) = browser
        .post(
            "/mijn-aanbod/cijfers",
            &[
                ("regio", region.as_str()),
                ("kwartaal", &last_quarter().code()),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    location
}

/// Submits the report at this address.
pub async fn submit(browser: &Browser, report: &str) {
    assert_eq!(
        browser.post(&format!("{report}/indienen"), &[]).await.0,
        303
    );
}

/// The contract manager publishes the report at this address.
pub async fn publish(manager: &Browser, report: &str) {
    let id = report.rsplit('/').next().expect("id");
    let (status, _, body) = manager
        .post(
            &format!("/beheer/scores/rapporten/{id}"),
            &[("besluit", "publiceren"), ("opmerking", "")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
}

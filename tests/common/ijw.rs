//! What the iJw tests share: the golden messages of `tests/data/ijw/`, moved in time, and a
//! provider and a worker with a care request the provider accepted.

use jeugdhulpcatalogus::accounts::{Affiliation, Role};

use super::{Browser, ProviderSpec, TestApp};

pub fn golden(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/ijw/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("golden message")
}

/// A golden message moved in time: each date replaced by a day relative to today, as a
/// worker's dates (which are today's) need.
pub fn moved(name: &str, dates: &[(&str, i64)]) -> Vec<u8> {
    let today = jeugdhulpcatalogus::clock::today();
    let mut text = String::from_utf8(golden(name)).expect("text");
    for (from, days_ago) in dates {
        text = text.replace(
            from,
            &(today - chrono::TimeDelta::days(*days_ago)).to_string(),
        );
    }
    text.into_bytes()
}

pub fn ago(days: i64) -> chrono::NaiveDate {
    jeugdhulpcatalogus::clock::today() - chrono::TimeDelta::days(days)
}

/// Berichtenhuis in Delft and a Delft worker, both signed in, and a care request (with this
/// case number) the provider accepted: the provider's id, the provider, the worker and the
/// hulpvraag's id.
pub async fn accepted_in_delft(app: &TestApp, case_number: &str) -> (i64, Browser, Browser, i64) {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Berichtenhuis", 3));
    let provider_id = app.provider_id(&slug);
    let provider = app
        .signed_in_user(
            "p@berichtenhuis.example",
            Role::Aanbieder,
            Affiliation::Provider(provider_id),
        )
        .await;
    let worker = app
        .signed_in_user(
            "w@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        )
        .await;
    let (id, _) =
        super::hulpvragen::accepted(&worker, &app.browser(), &provider, &slug, case_number).await;
    (provider_id, provider, worker, id)
}

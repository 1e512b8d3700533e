//! A worker's hulpvraag over HTTP: the form of a new one, opening it, the family's link.

use super::Browser;

/// The form of a new hulpvraag: profile 3, intensief, ages 12 to 17.
pub fn new_form<'a>(
    case_number: &'a str,
    kader: &'a str,
    notes: &'a str,
) -> [(&'static str, &'a str); 6] {
    [
        ("profiel", "3"),
        ("intensiteit", "intensief"),
        ("leeftijd", "12-17"),
        ("kader", kader),
        ("zaaknummer", case_number),
        ("notities", notes),
    ]
}

/// The text right after `marker` up to the next quote, angle bracket, `?` or `/`.
pub fn after(body: &str, marker: &str) -> String {
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in page"))
        + marker.len();
    body[start..]
        .chars()
        .take_while(|c| !matches!(c, '"' | '<' | '?' | '/'))
        .collect()
}

/// Opens a hulpvraag with this form as the worker; returns its id.
pub async fn open(worker: &Browser, form: &[(&str, &str)]) -> i64 {
    let (status, location, body) = worker.post("/toegang/hulpvragen", form).await;
    assert_eq!(status, 303, "{body}");
    after(&location, "/toegang/hulpvragen/")
        .parse()
        .expect("hulpvraag id")
}

/// Makes the family link of hulpvraag `id`; returns the family's code.
pub async fn family_code(worker: &Browser, id: i64) -> String {
    let (status, location, body) = worker
        .post(&format!("/toegang/hulpvragen/{id}/link"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    let (status, page) = worker.get(&location).await;
    assert_eq!(status, 200, "{page}");
    after(&page, "/keuze/")
}

/// Opens a hulpvraag (profile 3, vrijwillig), lets a family choose the provider `slug`
/// through its link, and has the provider accept it today: (hulpvraag, request).
pub async fn accepted(
    worker: &Browser,
    family: &Browser,
    provider: &Browser,
    slug: &str,
    case_number: &str,
) -> (i64, String) {
    let id = open(worker, &new_form(case_number, "vrijwillig", "")).await;
    let code = family_code(worker, id).await;
    let (status, _, body) = family
        .post(&format!("/keuze/{code}/kies"), &[("aanbieder", slug)])
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, list) = provider.get("/mijn-aanbod/aanvragen").await;
    let request = after(&list, "action=\"/mijn-aanbod/aanvragen/");
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, body) = provider
        .post(
            &format!("/mijn-aanbod/aanvragen/{request}"),
            &[("antwoord", "accepteren"), ("startdatum", &today)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    (id, request)
}

/// Starts and closes an accepted hulpvraag today, with the goals "behaald" (none agreed).
pub async fn start_and_close(worker: &Browser, id: i64) {
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let path = format!("/toegang/hulpvragen/{id}");
    let (status, _, body) = worker
        .post(&format!("{path}/start"), &[("startdatum", &today)])
        .await;
    assert_eq!(status, 303, "{body}");
    let close = [
        ("einddatum", today.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "ja"),
        ("problemen_kleiner", "deels"),
        ("doelen", "behaald"),
    ];
    let (status, _, body) = worker.post(&format!("{path}/afsluiten"), &close).await;
    assert_eq!(status, 200, "{body}");
}

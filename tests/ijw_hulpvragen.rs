//! iJw messages beside the worker's hulpvraag: the ToewijzingNummer the worker records joins
//! the provider's messages and the worker's closing into one trajectory, whichever comes
//! first, and a closing that came first is taken up by the period it belongs to.

mod common;

use std::io::Write as _;

use common::ijw::{accepted_in_delft, ago, moved};
use common::spawn_app;
use diesel::prelude::*;
use jeugdhulpcatalogus::db::schema::trajectories;

/// id, reference, source, end reason, goal result, without care.
type Joined = (i64, String, String, Option<i32>, String, Option<String>);

/// The worker records the ToewijzingNummer at the start; the provider's iJw messages and the
/// worker's closing make one trajectory, whichever comes first.
#[tokio::test]
async fn the_worker_s_toewijzing_joins_the_hulpvraag_to_the_ijw_trajectory() {
    let app = spawn_app().await;
    let (provider_id, provider, worker, id) = accepted_in_delft(&app, "Z-77").await;
    let path = format!("/toegang/hulpvragen/{id}");
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, page) = worker
        .post(
            &format!("{path}/start"),
            &[("startdatum", &today), ("toewijzing", "30020x")],
        )
        .await;
    assert_eq!(status, 422, "a number only");
    assert!(page.contains("hoogstens 9 cijfers"), "{page}");
    let (status, _, page) = worker
        .post(
            &format!("{path}/start"),
            &[("startdatum", &today), ("toewijzing", "0300201")],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    // The provider's start of this care, three days before the worker recorded it.
    let start = moved(
        "jw305-start.xml",
        &[("2025-03-03", 3), ("2025-03-17", 2), ("2025-03-04", 0)],
    );
    let (status, _, page) = provider
        .upload("/mijn-aanbod/ijw", "berichten", "start.xml", start)
        .await;
    assert_eq!(status, 200, "{page}");
    let close = [
        ("einddatum", today.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "ja"),
        ("problemen_kleiner", "deels"),
        ("doelen", "behaald"),
    ];
    let (status, _, page) = worker.post(&format!("{path}/afsluiten"), &close).await;
    assert_eq!(status, 200, "{page}");
    // The stop after the closing finds the same trajectory.
    let stop = moved(
        "jw307-stop.xml",
        &[("2025-03-03", 3), ("2025-09-30", 1), ("2025-10-01", 0)],
    );
    let (status, _, page) = provider
        .upload("/mijn-aanbod/ijw", "berichten", "stop.xml", stop)
        .await;
    assert_eq!(status, 200, "{page}");
    let rows: Vec<Joined> = trajectories::table
        .filter(trajectories::provider_id.eq(provider_id))
        .order(trajectories::reference)
        .select((
            trajectories::id,
            trajectories::reference,
            trajectories::source,
            trajectories::end_reason,
            trajectories::goal_result,
            trajectories::without_care,
        ))
        .load(&mut *app.conn())
        .expect("trajectories");
    assert_eq!(
        rows.len(),
        2,
        "no second trajectory for the closed hulpvraag: {rows:?}"
    );
    let joined = &rows[0];
    assert_eq!(
        (joined.1.clone(), joined.2.as_str()),
        (format!("ijw-0503-300201-{}", ago(3)), "ijw")
    );
    assert_eq!(joined.3, Some(1), "the stop's reason");
    assert_eq!(
        (joined.4.as_str(), joined.5.as_deref()),
        ("behaald", Some("ja")),
        "the worker's closing"
    );
    let bound: Option<i64> = jeugdhulpcatalogus::db::schema::hulpvragen::table
        .find(id)
        .select(jeugdhulpcatalogus::db::schema::hulpvragen::trajectory_id)
        .first(&mut *app.conn())
        .expect("hulpvraag");
    assert_eq!(
        bound,
        Some(joined.0),
        "the family's questionnaire completes this trajectory"
    );
}

/// A worker closes before any message came: the period that began closest to the worker's
/// start takes the closing up, another period of the same number is a trajectory of its own;
/// a withdrawn period hands the closing back until its correction comes.
#[tokio::test]
async fn a_closing_that_came_first_is_taken_up_by_its_period() {
    let app = spawn_app().await;
    let (provider_id, provider, worker, id) = accepted_in_delft(&app, "Z-78").await;
    let path = format!("/toegang/hulpvragen/{id}");
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, page) = worker
        .post(
            &format!("{path}/start"),
            &[("startdatum", &today), ("toewijzing", "300201")],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let close = [
        ("einddatum", today.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "ja"),
        ("problemen_kleiner", "ja"),
        ("doelen", "behaald"),
    ];
    let (status, _, page) = worker.post(&format!("{path}/afsluiten"), &close).await;
    assert_eq!(status, 200, "{page}");
    let bound = || -> Option<i64> {
        jeugdhulpcatalogus::db::schema::hulpvragen::table
            .find(id)
            .select(jeugdhulpcatalogus::db::schema::hulpvragen::trajectory_id)
            .first(&mut *app.conn())
            .expect("hulpvraag")
    };
    let closed = bound().expect("a trajectory");
    // Two periods of 300201 arrive in one upload: the one that began closest to the
    // worker's start takes the closing up.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        (
            "eerder.xml",
            moved(
                "jw305-start.xml",
                &[("2025-03-03", 200), ("2025-03-17", 190)],
            ),
        ),
        ("nu.xml", moved("jw305-restart.xml", &[("2025-11-03", 3)])),
    ] {
        zip.start_file(name, options).expect("zip");
        zip.write_all(&bytes).expect("zip");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    let (status, _, page) = provider
        .upload("/mijn-aanbod/ijw", "berichten", "twee.zip", bytes)
        .await;
    assert_eq!(status, 200, "{page}");
    let row = |id: i64| -> (String, chrono::NaiveDate, String) {
        trajectories::table
            .find(id)
            .select((
                trajectories::source,
                trajectories::start_date,
                trajectories::goal_result,
            ))
            .first(&mut *app.conn())
            .expect("trajectory")
    };
    assert_eq!(bound(), Some(closed), "the same trajectory");
    assert_eq!(row(closed), ("ijw".into(), ago(3), "behaald".into()));
    let of_number: i64 = trajectories::table
        .filter(trajectories::provider_id.eq(provider_id))
        .filter(trajectories::toewijzing.eq("300201"))
        .count()
        .get_result(&mut *app.conn())
        .expect("count");
    assert_eq!(
        of_number, 2,
        "the earlier period is a trajectory of its own"
    );
    // The period is withdrawn: the closing waits again, whole; its correction takes it up.
    let withdrawn = String::from_utf8(moved("jw305-restart.xml", &[("2025-11-03", 3)]))
        .expect("text")
        .replace("A00000000006", "A00000000007")
        .replace("StatusAanlevering>1<", "StatusAanlevering>3<");
    let (status, _, page) = provider
        .upload(
            "/mijn-aanbod/ijw",
            "berichten",
            "in.xml",
            withdrawn.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(row(closed), ("gemeente".into(), ago(3), "behaald".into()));
    let corrected = String::from_utf8(moved("jw305-restart.xml", &[("2025-11-03", 1)]))
        .expect("text")
        .replace("A00000000006", "A00000000008");
    let (status, _, page) = provider
        .upload(
            "/mijn-aanbod/ijw",
            "berichten",
            "nieuw.xml",
            corrected.into_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(row(closed), ("ijw".into(), ago(1), "behaald".into()));
}

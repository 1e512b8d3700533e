//! Profile and intensity changes during care (issue 37, item 4): the worker records a change
//! with its date and reason, the provider confirms it, both see the history, and the outcome
//! counts under the profile and intensity the help ended in.

mod common;

use common::{Browser, ProviderSpec, TestApp, hulpvragen, spawn_app};
use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::db::schema::{hulpvragen as table, intensities, profiles, trajectories};

struct World {
    app: TestApp,
    worker: Browser,
    provider: Browser,
    other: Browser,
    /// The started hulpvraag and its request.
    id: i64,
    request: String,
}

async fn started() -> World {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Meebeweger", 3));
    let other_slug = app.add_provider(ProviderSpec::admitted_in_delft("Elders", 3));
    let provider = app
        .signed_in_user(
            "a@meebeweger.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        )
        .await;
    let other = app
        .signed_in_user(
            "a@elders.example",
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&other_slug)),
        )
        .await;
    let worker = app
        .signed_in_user(
            "w@delft.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(app.municipality_id("delft")),
        )
        .await;
    let (id, request) =
        hulpvragen::accepted(&worker, &app.browser(), &provider, &slug, "WIJ-1").await;
    let today = jeugdhulpcatalogus::clock::today().to_string();
    let (status, _, body) = worker
        .post(
            &format!("/toegang/hulpvragen/{id}/start"),
            &[("startdatum", &today)],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    World {
        app,
        worker,
        provider,
        other,
        id,
        request,
    }
}

/// The hulpvraag's profile number and intensity code now.
fn cell(app: &TestApp, id: i64) -> (i32, String) {
    table::table
        .inner_join(profiles::table)
        .inner_join(intensities::table.on(intensities::id.eq(table::intensity_id)))
        .filter(table::id.eq(id))
        .select((profiles::number, intensities::code))
        .first(&mut *app.conn())
        .expect("hulpvraag")
}

#[tokio::test]
async fn a_confirmed_change_moves_the_outcome_to_the_new_profile_and_intensity() {
    let w = started().await;
    let path = format!("/toegang/hulpvragen/{}/wijziging", w.id);
    let today = jeugdhulpcatalogus::clock::today();
    let day = today.to_string();
    // Every missing field is named; the same cell or a day before the start is refused.
    let (status, _, page) = w.worker.post(&path, &[]).await;
    assert_eq!(status, 422);
    for words in [
        "Vul de datum van de wijziging in",
        "Schrijf waarom",
        "Kies het profiel",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    let same = [
        ("profiel", "3"),
        ("intensiteit", "intensief"),
        ("datum", &day),
        ("wijziging_reden", "x"),
    ];
    let (status, _, page) = w.worker.post(&path, &same).await;
    assert_eq!(status, 422);
    assert!(page.contains("Kies een ander profiel"), "{page}");
    let before = (today - chrono::TimeDelta::days(1)).to_string();
    let early = [
        ("profiel", "5"),
        ("intensiteit", "perspectief"),
        ("datum", &before),
        ("wijziging_reden", "x"),
    ];
    let (status, _, page) = w.worker.post(&path, &early).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("niet voor de start of de vorige wijziging"),
        "{page}"
    );

    let change = [
        ("profiel", "5"),
        ("intensiteit", "perspectief"),
        ("datum", day.as_str()),
        (
            "wijziging_reden",
            "Het gaat beter; minder vaak hulp is genoeg.",
        ),
    ];
    let (status, location, body) = w.worker.post(&path, &change).await;
    assert_eq!(status, 303, "{body}");
    assert!(location.contains("gelukt=wijziging"));
    assert_eq!(
        cell(&w.app, w.id),
        (3, "intensief".into()),
        "not before the provider confirms"
    );
    assert_eq!(
        w.worker.post(&path, &change).await.0,
        409,
        "one change waits at a time"
    );
    let mail = w.app.mail_exactly("a@meebeweger.example", 1);
    assert!(
        mail[0]
            .text()
            .contains(&format!("/mijn-aanbod/aanvragen/{}", w.request))
    );

    // The provider sees it on its request page and confirms; another provider cannot.
    let detail = format!("/mijn-aanbod/aanvragen/{}", w.request);
    let (_, page) = w.provider.get(&detail).await;
    assert!(
        page.contains("Het gaat beter; minder vaak hulp is genoeg."),
        "{page}"
    );
    assert!(
        page.contains("Wacht op bevestiging van de aanbieder."),
        "{page}"
    );
    let shift = hulpvragen::after(&page, "name=\"wijziging\" value=\"");
    assert_eq!(
        w.other
            .post(&format!("{detail}/wijziging"), &[("wijziging", &shift)])
            .await
            .0,
        404
    );
    let (status, location, body) = w
        .provider
        .post(&format!("{detail}/wijziging"), &[("wijziging", &shift)])
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = w.provider.get(&location).await;
    assert!(page.contains("U heeft de wijziging bevestigd"), "{page}");
    assert!(page.contains("Bevestigd door de aanbieder op"), "{page}");
    assert_eq!(
        w.provider
            .post(&format!("{detail}/wijziging"), &[("wijziging", &shift)])
            .await
            .0,
        409,
        "twice"
    );
    assert_eq!(cell(&w.app, w.id), (5, "perspectief".into()));
    // A next change is not dated before this one.
    let earlier = [
        ("profiel", "5"),
        ("intensiteit", "duurzaam"),
        ("datum", before.as_str()),
        ("wijziging_reden", "x"),
    ];
    let (status, _, page) = w.worker.post(&path, &earlier).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("niet voor de start of de vorige wijziging"),
        "{page}"
    );
    assert!(w.app.mail_exactly("w@delft.example", 2).iter().any(|m| {
        m.text()
            .contains("wijziging van profiel of intensiteit bevestigd")
    }));
    let (_, page) = w.worker.get(&format!("/toegang/hulpvragen/{}", w.id)).await;
    assert!(page.contains("Bevestigd door de aanbieder op"), "{page}");
    assert!(page.contains("Tarief"), "{page}");

    // Closed, the trajectory counts under profile 5, perspectief.
    let close = [
        ("einddatum", day.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "ja"),
        ("problemen_kleiner", "deels"),
        ("doelen", "behaald"),
    ];
    let (status, _, body) = w
        .worker
        .post(&format!("/toegang/hulpvragen/{}/afsluiten", w.id), &close)
        .await;
    assert_eq!(status, 200, "{body}");
    let ended: (i32, String) = trajectories::table
        .inner_join(profiles::table.on(profiles::id.eq(trajectories::profile_id)))
        .inner_join(intensities::table.on(intensities::id.eq(trajectories::intensity_id)))
        .filter(trajectories::reference.eq(format!("gemeente-hulpvraag-{}", w.id)))
        .select((profiles::number, intensities::code))
        .first(&mut *w.app.conn())
        .expect("trajectory");
    assert_eq!(ended, (5, "perspectief".into()));
}

#[tokio::test]
async fn a_waiting_change_can_be_withdrawn_and_then_not_confirmed() {
    let w = started().await;
    let day = jeugdhulpcatalogus::clock::today().to_string();
    let change = [
        ("profiel", "3"),
        ("intensiteit", "perspectief"),
        ("datum", day.as_str()),
        ("wijziging_reden", "Minder vaak is genoeg."),
    ];
    let base = format!("/toegang/hulpvragen/{}", w.id);
    assert_eq!(
        w.worker.post(&format!("{base}/wijziging"), &change).await.0,
        303
    );
    let detail = format!("/mijn-aanbod/aanvragen/{}", w.request);
    let (_, page) = w.provider.get(&detail).await;
    let shift = hulpvragen::after(&page, "name=\"wijziging\" value=\"");
    // Not closed while a change waits for the provider.
    let close = [
        ("einddatum", day.as_str()),
        ("reden", "1"),
        ("zonder_hulp", "ja"),
        ("problemen_kleiner", "deels"),
        ("doelen", "behaald"),
    ];
    let (status, _, page) = w.worker.post(&format!("{base}/afsluiten"), &close).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("Er wacht nog een wijziging"), "{page}");
    // Another municipality's worker cannot take it back.
    let elsewhere = w
        .app
        .signed_in_user(
            "w@den-haag.example",
            Role::Toegangsmedewerker,
            Affiliation::Municipality(w.app.municipality_id("den-haag")),
        )
        .await;
    assert_eq!(
        elsewhere
            .post(&format!("{base}/wijziging/intrekken"), &[])
            .await
            .0,
        404
    );
    let (status, location, _) = w
        .worker
        .post(&format!("{base}/wijziging/intrekken"), &[])
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("wijziging_weg"));
    assert_eq!(
        w.worker
            .post(&format!("{base}/wijziging/intrekken"), &[])
            .await
            .0,
        409
    );
    let (status, _, page) = w
        .provider
        .post(&format!("{detail}/wijziging"), &[("wijziging", &shift)])
        .await;
    assert_eq!(status, 409, "{page}");
    assert_eq!(cell(&w.app, w.id), (3, "intensief".into()));
}

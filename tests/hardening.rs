//! Defects a black-box security and fault probe found (issue 13), each tried again here.

mod common;

use common::spawn_app;

/// A NUL byte (or another control character) anywhere a visitor can type answers a Dutch 400,
/// never a 500, on both backends (PostgreSQL refuses NUL in text; SQLite would store it).
#[tokio::test]
async fn control_characters_are_refused_at_the_edge_with_a_dutch_message() {
    let app = spawn_app().await;
    for path in [
        "/catalogus?q=a%00b",
        "/aanbieders/a%00b",
        "/catalogus?gemeente=delft&q=%1B%5B31m",
    ] {
        let (status, page) = app.get_html(path).await;
        assert_eq!(status, 400, "{path}");
        assert!(page.contains("stuurteken"), "{path}: {page}");
    }
    let (status, json) = app.get_json("/api/v1/providers?q=a%00b").await;
    assert_eq!(status, 400);
    assert_eq!(json["error"], "invalid_parameter", "{json}");

    let browser = app.browser();
    let (status, _, page) = browser
        .post(
            "/inloggen",
            &[("email", "a\u{0}@b.nl"), ("wachtwoord", "wat dan ook")],
        )
        .await;
    assert_eq!(status, 400);
    assert!(page.contains("stuurteken"), "{page}");
    // Ordinary text with line breaks and tabs passes the same gate.
    let (status, _) = app.get_html("/catalogus?q=Zo%C3%AB%09caf%C3%A9").await;
    assert_eq!(status, 200);
}

//! No BSN, name or birth date from an iJw message reaches the database, the log or a page:
//! the binary as it runs in production (demo data, every log line at `debug`), the demo
//! provider uploading its example year and two refused messages.

mod common;

use std::io::Read as _;

use common::Browser;

const SECRET: &str = "a secret key for this test of at least 32 characters";

/// The text of every `<…:tag>` element in an XML text.
fn values(xml: &str, tag: &str) -> Vec<String> {
    xml.split(&format!(":{tag}>"))
        .skip(1)
        .step_by(2)
        .filter_map(|rest| rest.split('<').next().map(str::to_owned))
        .filter(|v| !v.trim().is_empty())
        .collect()
}

#[tokio::test]
async fn no_bsn_name_or_birth_date_is_stored_logged_or_shown() {
    let dir = tempfile::tempdir().expect("dir");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let db_path = dir.path().join("ijw.db");
    let port = common::oidc::free_port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_jeugdhulpcatalogus"))
        .arg("--demo")
        .envs(common::today_for_the_binary())
        .env("DATABASE_URL", format!("sqlite://{}", db_path.display()))
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("RUST_LOG", "debug")
        .env("SECRET_KEY", SECRET)
        .env("MAIL_DIR", dir.path().join("mail"))
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("the binary starts");
    let address = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    while reqwest::get(format!("{address}/healthz")).await.is_err() {
        assert!(
            started.elapsed().as_secs() < 120,
            "the binary did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let account = jeugdhulpcatalogus::demo::accounts::demo_accounts(SECRET)
        .into_iter()
        .find(|a| a.role == jeugdhulpcatalogus::accounts::Role::Aanbieder)
        .expect("a demo provider");
    let browser = Browser::at(&address);
    browser.login(account.email, &account.password).await;
    let example = browser
        .client
        .get(format!("{address}/mijn-aanbod/ijw/voorbeeld.zip"))
        .send()
        .await
        .expect("example");
    assert_eq!(example.status().as_u16(), 200);
    let zip_bytes = example.bytes().await.expect("zip").to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes.clone())).expect("zip");
    let (mut bsns, mut births, mut names) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..archive.len() {
        let mut text = String::new();
        archive
            .by_index(i)
            .expect("entry")
            .read_to_string(&mut text)
            .expect("xml");
        bsns.extend(values(&text, "Bsn"));
        births.extend(values(&text, "Datum"));
        names.extend(values(&text, "Achternaam"));
    }
    assert!(bsns.len() >= 60, "the example holds the clients' BSNs");
    let (status, _, page) = browser
        .upload("/mijn-aanbod/ijw", "berichten", "jaar.zip", zip_bytes)
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("nieuwe trajecten"), "{page}");
    // Refused: a message with a wrong BSN, one with a right BSN and a wrong product.
    let mut pages = vec![page];
    for name in ["bad-bsn.xml", "bad-product.xml"] {
        let bytes = std::fs::read(format!(
            "{}/tests/data/ijw/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("golden");
        let text = String::from_utf8(bytes.clone()).expect("text");
        bsns.extend(values(&text, "Bsn"));
        births.extend(values(&text, "Datum"));
        names.extend(values(&text, "Achternaam"));
        let (status, _, page) = browser
            .upload("/mijn-aanbod/ijw", "berichten", name, bytes)
            .await;
        assert_eq!(status, 422, "{page}");
        pages.push(page);
    }
    let _ = server.kill();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log_path).expect("log");
    assert!(log.contains("/mijn-aanbod/ijw"), "the log was captured");
    let mut stored = std::fs::read(&db_path).expect("database");
    stored.extend(std::fs::read(dir.path().join("ijw.db-wal")).unwrap_or_default());
    let stored = String::from_utf8_lossy(&stored).into_owned();
    assert!(stored.contains("ijw-"), "the trajectories were stored");
    for bsn in &bsns {
        assert!(!stored.contains(bsn.as_str()), "a BSN is in the database");
        assert!(!log.contains(bsn.as_str()), "a BSN is in the log");
        assert!(
            pages.iter().all(|p| !p.contains(bsn.as_str())),
            "a BSN is on a page"
        );
    }
    for name in &names {
        assert!(!stored.contains(name.as_str()), "a name is in the database");
        assert!(!log.contains(name.as_str()), "a name is in the log");
        assert!(
            pages.iter().all(|p| !p.contains(name.as_str())),
            "a name is on a page"
        );
    }
    for born in &births {
        assert!(!log.contains(born.as_str()), "a birth date is in the log");
        assert!(
            pages.iter().all(|p| !p.contains(born.as_str())),
            "a birth date is on a page"
        );
    }
}

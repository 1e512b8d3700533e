//! Starts the real application on a free port with a fresh database per test: a new SQLite
//! file, or, when `TEST_DATABASE_URL` names a PostgreSQL server, a new database on it that
//! is dropped afterwards. Tests talk to it over HTTP only, so they run in parallel.
#![allow(dead_code)]

pub mod browser;
pub mod figures;
pub mod fingerprint;
pub mod hulpvragen;
pub mod ijw;
pub mod oidc;
pub mod reports;
pub mod routes;
pub mod smtp;

pub use browser::{Browser, answer};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use diesel::prelude::*;
use jeugdhulpcatalogus::accounts::{Affiliation, NewUser, Role};
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::db::schema::{intensities, municipalities, profiles, regions};
use jeugdhulpcatalogus::db::{Db, DbConnection};
use jeugdhulpcatalogus::providers::model::{insert_offers, set_admission};
use jeugdhulpcatalogus::providers::{AdmissionStatus, NewOffer, NewProvider, Setting};
use jeugdhulpcatalogus::startup::{Application, prepare_database};

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: reqwest::Client,
    /// The SMTP server on loopback that the app sends its mail to.
    pub mail: smtp::SmtpServer,
    mail_stop: Arc<AtomicBool>,
    _database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.mail_stop.store(true, Ordering::Relaxed);
    }
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: String,
    kind: Kind,
}

enum Kind {
    /// The folder holding the SQLite file, removed with it.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

/// The test databases are on loopback: no TLS. (libpq's OpenSSL registers exit handlers that
/// can free its state while a test's background threads still hold connections, which
/// aborted a test binary at exit once: "double free or corruption".)
fn without_tls(url: &str) -> String {
    if url.contains("sslmode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

impl TestDatabase {
    pub fn new() -> TestDatabase {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let admin_url = without_tls(&admin_url);
                let name = format!(
                    "jhc_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    fastrand::u32(..)
                );
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                let (base, rest) = admin_url
                    .rsplit_once('/')
                    .expect("a database URL with a path");
                let query = rest.split_once('?').map_or("", |(_, q)| q);
                let url = format!("{base}/{name}?{query}");
                TestDatabase {
                    url,
                    kind: Kind::Postgres { admin_url, name },
                }
            }
            _ => TestDatabase::sqlite(),
        }
    }

    /// A SQLite database whatever the suite runs on (to compare the backends).
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDatabase {
            url,
            kind: Kind::Sqlite(dir),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Kind::Postgres { admin_url, name } = &self.kind
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// The date the suite runs on: `TEST_TODAY=2027-02-28 cargo test` runs every application as
/// if it were that day, to prove that no test depends on the day it runs.
pub fn test_today() -> Option<chrono::NaiveDate> {
    let value = std::env::var("TEST_TODAY").ok().filter(|v| !v.is_empty())?;
    Some(
        value
            .parse()
            .unwrap_or_else(|e| panic!("TEST_TODAY={value}: {e}")),
    )
}

/// The injected today for a binary a test starts (its `TODAY` setting), if one is set.
pub fn today_for_the_binary() -> Vec<(&'static str, String)> {
    test_today()
        .map(|day| vec![("TODAY", day.to_string())])
        .unwrap_or_default()
}

/// When `add_provider` admits a provider: a year before the (injected) today, so its
/// three-year agreement runs on whatever day the suite runs.
pub fn admitted_on() -> chrono::NaiveDate {
    jeugdhulpcatalogus::clock::today() - chrono::TimeDelta::days(365)
}

/// The end of the agreement of a provider `add_provider` admitted.
pub fn agreement_ends() -> chrono::NaiveDate {
    admitted_on()
        .checked_add_months(chrono::Months::new(36))
        .expect("a date")
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_demo_app() -> TestApp {
    spawn_with(|config| config.demo = true).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_on(TestDatabase::new(), adjust).await
}

/// On this database, whatever `TEST_DATABASE_URL` says: for a test of one backend's own
/// mechanism.
pub async fn spawn_on(database: TestDatabase, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_database(database.url.clone());
    let mail = smtp::SmtpServer::start();
    config.smtp_url = Some(mail.url());
    config.secret_key = Some("a test key that is at least thirty-two characters long".into());
    config.today = test_today();
    adjust(&mut config);
    let db = prepare_database(&config).expect("database prepared");
    let app = Application::build_with_db(&config, db.clone()).expect("application built");
    let address = format!("http://127.0.0.1:{}", app.port());
    let mail_stop = app.mail_stop_flag();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    TestApp {
        address,
        db,
        client,
        mail,
        mail_stop,
        _database: database,
    }
}

impl TestApp {
    /// The URL of this test's database, to start a second application on it.
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    pub fn browser(&self) -> Browser {
        Browser::at(&self.address)
    }

    /// A new verified user of this role and affiliation, signed in: its browser, holding the
    /// CSRF token of the new session.
    pub async fn signed_in_user(
        &self,
        email: &str,
        role: Role,
        affiliation: Affiliation,
    ) -> Browser {
        self.add_user(email, "een lange zin als wachtwoord", role, affiliation);
        let browser = self.browser();
        browser.login(email, "een lange zin als wachtwoord").await;
        browser.get("/").await;
        browser
    }

    /// Creates a verified user with this role and affiliation; returns its id.
    pub fn add_user(
        &self,
        email: &str,
        password: &str,
        role: Role,
        affiliation: Affiliation,
    ) -> i64 {
        let hash = jeugdhulpcatalogus::accounts::password::hash(password).expect("hash");
        NewUser {
            email,
            name: "Test Gebruiker",
            password_hash: &hash,
            role,
            affiliation,
            verified: true,
        }
        .insert(&mut self.conn())
        .expect("user stored")
    }

    pub fn region_id(&self, slug: &str) -> i64 {
        region_id(&mut self.conn(), slug)
    }

    pub fn municipality_id(&self, slug: &str) -> i64 {
        municipalities::table
            .filter(municipalities::slug.eq(slug))
            .select(municipalities::id)
            .first(&mut *self.conn())
            .expect("municipality")
    }

    pub fn provider_id(&self, slug: &str) -> i64 {
        use jeugdhulpcatalogus::db::schema::providers;
        providers::table
            .filter(providers::slug.eq(slug))
            .select(providers::id)
            .first(&mut *self.conn())
            .expect("provider")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    pub fn conn(&self) -> impl std::ops::DerefMut<Target = DbConnection> {
        self.db.conn().expect("database connection")
    }

    /// Computes the municipal monitor of every region that is due, as the job runner does on
    /// its timer (which tests leave off); returns how many regions it computed.
    pub fn compute_monitor(&self) -> usize {
        let mut conn = self.conn();
        let reference =
            jeugdhulpcatalogus::reference::ReferenceData::load(&mut conn).expect("reference");
        jeugdhulpcatalogus::monitor::store::refresh_due(
            &mut conn,
            &reference,
            jeugdhulpcatalogus::clock::today(),
        )
        .expect("monitor computed")
    }

    /// Waits until the app's background work is done: no due job unfinished, the outbox
    /// empty. A test that compares the database before and after a request calls it first;
    /// it starts the app with `funnel_refresh_ms = 0`, the one worker that writes on a timer.
    pub fn background_settled(&self) {
        use jeugdhulpcatalogus::db::schema::jobs;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let due: i64 = jobs::table
                .filter(jobs::done_at.is_null())
                .filter(jobs::run_at.le(jeugdhulpcatalogus::clock::now()))
                .count()
                .get_result(&mut *self.conn())
                .expect("jobs");
            if due == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{due} due job(s) still unfinished after 10 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        self.outbox_settled();
    }

    /// Waits until the outbox has nothing left to send (every message sent, or held for an
    /// unconfirmed address).
    pub fn outbox_settled(&self) {
        use jeugdhulpcatalogus::db::schema::mail_outbox;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let waiting: i64 = mail_outbox::table
                .filter(mail_outbox::sent_at.is_null())
                .filter(mail_outbox::held_for_user.is_null())
                .count()
                .get_result(&mut *self.conn())
                .expect("outbox");
            if waiting == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{waiting} mail(s) still unsent after 10 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Waits until the outbox has nothing left to send (every message sent, or held for an
    /// unconfirmed address), then returns the mails `to` received: exactly `count`, not "at
    /// least" (issue 34, item 8).
    pub fn mail_exactly(&self, to: &str, count: usize) -> Vec<smtp::ReceivedMail> {
        self.outbox_settled();
        let found: Vec<smtp::ReceivedMail> = self
            .mail
            .received()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))
            .collect();
        assert_eq!(
            found.len(),
            count,
            "mails to {to}: {:?}",
            found.iter().map(|m| m.text()).collect::<Vec<_>>()
        );
        found
    }

    /// Adds a provider with its admissions and offers; returns its slug.
    pub fn add_provider(&self, spec: ProviderSpec<'_>) -> String {
        let mut conn = self.conn();
        let conn = &mut *conn;
        let slug = jeugdhulpcatalogus::web::text::slugify(spec.name);
        let id = NewProvider {
            slug: slug.clone(),
            name: spec.name.to_owned(),
            kvk_number: "12345678".into(),
            agb_code: "98765432".into(),
            description: spec.description.to_owned(),
            email: format!("info@{slug}.example"),
            city: spec.city.to_owned(),
            ..NewProvider::default()
        }
        .insert(conn)
        .expect("provider stored");
        // One transaction, as the portal admits: the app's daily job (run at start) never
        // sees an admission without the uitvoeringsovereenkomst that comes with it.
        conn.write_transaction(|conn| {
            for (region, status) in &spec.admissions {
                let region_id = region_id(conn, region);
                set_admission(conn, id, region_id, *status, Some(admitted_on()))?;
            }
            diesel::QueryResult::Ok(())
        })
        .expect("admission stored");
        let offers: Vec<NewOffer> = spec
            .offers
            .iter()
            .map(|o| {
                let towns: Vec<(i64, i64)> = municipalities::table
                    .filter(municipalities::slug.eq_any(&o.municipalities))
                    .select((municipalities::id, municipalities::region_id))
                    .load(conn)
                    .expect("municipalities");
                assert_eq!(
                    towns.len(),
                    o.municipalities.len(),
                    "unknown municipality in {:?}",
                    o.municipalities
                );
                let region = towns[0].1;
                let profile_id = profiles::table
                    .filter(profiles::region_id.eq(region))
                    .filter(profiles::number.eq(o.profile))
                    .select(profiles::id)
                    .first(conn)
                    .expect("profile");
                let intensity_id = intensities::table
                    .filter(intensities::region_id.eq(region))
                    .filter(intensities::code.eq(o.intensity))
                    .select(intensities::id)
                    .first(conn)
                    .expect("intensity");
                NewOffer {
                    provider_id: id,
                    region_id: region,
                    profile_id,
                    intensity_id,
                    min_age: o.ages.0,
                    max_age: o.ages.1,
                    setting: Setting::Ambulant,
                    languages: vec!["nl".into()],
                    waiting_weeks: o.waiting_weeks,
                    accepts_new_clients: o.accepts_new_clients,
                    municipality_ids: towns.iter().map(|(m, _)| *m).collect(),
                }
            })
            .collect();
        insert_offers(conn, &offers).expect("offers stored");
        slug
    }
}

fn region_id(conn: &mut DbConnection, slug: &str) -> i64 {
    regions::table
        .filter(regions::slug.eq(slug))
        .select(regions::id)
        .first(conn)
        .expect("region")
}

pub struct ProviderSpec<'a> {
    pub name: &'a str,
    pub city: &'a str,
    pub description: &'a str,
    pub admissions: Vec<(&'a str, AdmissionStatus)>,
    pub offers: Vec<OfferSpec<'a>>,
}

impl<'a> ProviderSpec<'a> {
    /// Admitted in Haaglanden, offering `profile` (intensief) in Delft.
    pub fn admitted_in_delft(name: &'a str, profile: i32) -> Self {
        ProviderSpec {
            name,
            city: "Delft",
            description: "Hulp voor het hele gezin.",
            admissions: vec![("haaglanden", AdmissionStatus::Toegelaten)],
            offers: vec![OfferSpec::new(profile, "intensief", &["delft"])],
        }
    }
}

pub struct OfferSpec<'a> {
    pub profile: i32,
    pub intensity: &'a str,
    pub municipalities: Vec<&'a str>,
    pub waiting_weeks: i32,
    pub accepts_new_clients: bool,
    pub ages: (i32, i32),
}

impl<'a> OfferSpec<'a> {
    pub fn new(profile: i32, intensity: &'a str, municipalities: &[&'a str]) -> Self {
        OfferSpec {
            profile,
            intensity,
            municipalities: municipalities.to_vec(),
            waiting_weeks: 4,
            accepts_new_clients: true,
            ages: (0, 18),
        }
    }
}

/// The slugs in an API v1 provider list, in the order given.
pub fn slugs(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["slug"].as_str().expect("slug").to_owned())
        .collect()
}

/// Every link in a page's error summary leads to an element of the page, and the field or
/// group it names is described by its error message (a screen reader reads it there).
pub fn assert_error_links_resolve(page: &str) {
    let summary = page
        .split(r#"class="error-summary""#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_else(|| panic!("no error summary: {page}"));
    let targets: Vec<&str> = summary
        .split(r##"href="#"##)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!targets.is_empty(), "no links in the summary: {summary}");
    for target in targets {
        assert!(
            page.contains(&format!(r#"id="{target}""#)),
            "the summary links to #{target}, which is not on the page"
        );
        // The message's id, and a field or group that names it in aria-describedby.
        let message = format!("{target}-fout");
        assert!(
            page.contains(&format!(r#"id="{message}""#)) && page.matches(&message).count() >= 2,
            "#{target} does not point to its error message"
        );
    }
}

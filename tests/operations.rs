//! Running the portal: configuration, start-up failures, database outages, migrations.

mod common;

use std::process::Command;
use std::time::Duration;

use actix_web::test as atest;
use actix_web::{App, web};
use common::TestDatabase;
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::db::Db;
use jeugdhulpcatalogus::startup::AppState;
use jeugdhulpcatalogus::startup::{prepare_database, routes};
use jeugdhulpcatalogus::web::SiteInfo;

const BINARY: &str = env!("CARGO_BIN_EXE_jeugdhulpcatalogus");

#[test]
fn help_explains_every_setting() {
    let output = Command::new(BINARY)
        .envs(common::today_for_the_binary())
        .arg("--help")
        .output()
        .expect("binary runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for setting in [
        "DATABASE_URL",
        "HOST",
        "PORT",
        "RUST_LOG",
        "DEMO",
        "seed-demo",
        "migrate",
        "create-user",
        "SMTP_URL",
        "SECRET_KEY",
        "PUBLIC_URL",
    ] {
        assert!(help.contains(setting), "--help does not mention {setting}");
    }
}

#[test]
fn an_unreachable_database_stops_the_start_with_a_clear_message() {
    let output = Command::new(BINARY)
        .envs(common::today_for_the_binary())
        .args([
            "--database-url",
            "postgres://postgres@127.0.0.1:1/nergens",
            "migrate",
        ])
        .env_remove("DATABASE_URL")
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot connect to the postgres database"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unknown_database_scheme_is_refused() {
    let output = Command::new(BINARY)
        .envs(common::today_for_the_binary())
        .args(["--database-url", "mysql://root@localhost/x", "migrate"])
        .env_remove("DATABASE_URL")
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown scheme"));
}

/// The application's state on a database that cannot be reached.
fn unreachable_state() -> web::Data<AppState> {
    state_on("postgres://postgres@127.0.0.1:1/nergens")
}

/// The application's state on this database, connected when first needed.
fn state_on(url: &str) -> web::Data<AppState> {
    let db = Db::connect_lazily(url, 1, Duration::from_millis(300)).expect("lazy pool");
    web::Data::new(AppState {
        db: jeugdhulpcatalogus::web::Database::new(db),
        site: SiteInfo::default(),
        reference: Default::default(),
        catalogue: Default::default(),
        keys: jeugdhulpcatalogus::accounts::session::SessionKeys::new(
            "a test key that is at least thirty-two characters long",
            false,
        ),
        link_key: jeugdhulpcatalogus::choice::code::LinkKey::new(
            "a test key that is at least thirty-two characters long",
        ),
        pseudonyms: Some(jeugdhulpcatalogus::outcomes::ijw::PseudonymKey::new(
            "a test key that is at least thirty-two characters long",
        )),
        public_url: "http://127.0.0.1".into(),
        sign_in: std::sync::Arc::new(
            jeugdhulpcatalogus::accounts::oidc::SignIn::from_config(
                &jeugdhulpcatalogus::config::Config::for_database(url),
                "http://127.0.0.1",
                "a test key that is at least thirty-two characters long",
            )
            .expect("no providers configured"),
        ),
    })
}

/// The request log names the route pattern, never the path: family codes and one-time
/// links in a log would be usable by whoever reads it.
#[actix_web::test]
async fn request_logs_name_the_route_never_the_code() {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // The test runtime runs on this thread, so a thread-local subscriber sees every line.
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = atest::init_service(
        App::new()
            .app_data(unreachable_state())
            .wrap(actix_web::middleware::from_fn(
                jeugdhulpcatalogus::web::logging::log_request,
            ))
            .configure(routes),
    )
    .await;
    let secrets = [
        "/keuze/k3m90-7hq2d-p4wzr-b8c1n",
        "/ervaring/k3m90-7hq2d-p4wzr-b8c1n",
        "/bevestigen/16b73f30c68999aea2d4fcd0922e49d0",
        "/wachtwoord-herstellen/16b73f30c68999aea2d4fcd0922e49d0",
    ];
    for path in secrets {
        atest::call_service(&app, atest::TestRequest::get().uri(path).to_request()).await;
    }
    let log = String::from_utf8(captured.0.lock().expect("log").clone()).expect("utf-8");
    for pattern in ["/keuze/{code}", "/ervaring/{code}", "/bevestigen/{token}"] {
        assert!(log.contains(pattern), "{pattern} not logged:\n{log}");
    }
    assert!(!log.contains("k3m90"), "a family code in the log:\n{log}");
    assert!(
        !log.contains("16b73f30"),
        "a one-time token in the log:\n{log}"
    );
}

#[actix_web::test]
async fn a_database_outage_gives_a_503_page_not_a_crash() {
    let state = unreachable_state();
    let app = atest::init_service(App::new().app_data(state).configure(routes)).await;

    let response = atest::call_service(
        &app,
        atest::TestRequest::get()
            .uri("/catalogus?profiel=3")
            .to_request(),
    )
    .await;
    assert_eq!(response.status().as_u16(), 503);
    let html = String::from_utf8_lossy(&atest::read_body(response).await).into_owned();
    assert!(
        html.contains("De catalogus is even niet bereikbaar"),
        "{html}"
    );

    let response = atest::call_service(
        &app,
        atest::TestRequest::get()
            .uri("/api/v1/providers")
            .to_request(),
    )
    .await;
    assert_eq!(response.status().as_u16(), 503);
    let json: serde_json::Value = atest::read_body_json(response).await;
    assert_eq!(json["error"], "database_unavailable");

    let response =
        atest::call_service(&app, atest::TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(response.status().as_u16(), 503);
    let json: serde_json::Value = atest::read_body_json(response).await;
    assert_eq!(json["status"], "error");
}

/// The catalogue page, the API and the health check on this state: 503 each, the first two
/// with `Retry-After` (README: "a lost database connection answers 503 with Retry-After").
async fn answers_503_with_retry_after(state: web::Data<AppState>, what: &str) {
    let app = atest::init_service(App::new().app_data(state).configure(routes)).await;
    for path in ["/catalogus?profiel=3", "/api/v1/providers", "/healthz"] {
        let response =
            atest::call_service(&app, atest::TestRequest::get().uri(path).to_request()).await;
        assert_eq!(response.status().as_u16(), 503, "{what}: {path}");
        if path != "/healthz" {
            let retry = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u32>().ok());
            assert!(
                retry.is_some_and(|s| s > 0),
                "{what}: {path} without Retry-After"
            );
        }
    }
}

/// SQLite outages (issue 34, item 14): a file in a folder that does not exist, a file that is
/// not a database, and a database another process holds locked.
#[actix_web::test]
async fn sqlite_a_file_that_cannot_be_opened_or_is_locked_gives_503_with_retry_after() {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let folder = tempfile::tempdir().expect("folder");
    let missing = folder.path().join("bestaat-niet").join("catalogus.db");
    answers_503_with_retry_after(
        state_on(&format!("sqlite://{}", missing.display())),
        "no such folder",
    )
    .await;
    let garbage = folder.path().join("geen-database.db");
    std::fs::write(&garbage, vec![0x42_u8; 8192]).expect("written");
    answers_503_with_retry_after(
        state_on(&format!("sqlite://{}", garbage.display())),
        "not a database",
    )
    .await;
    // A real database, held by another connection in exclusive locking mode with a write
    // open: nobody else reads or writes until it lets go.
    let file = folder.path().join("vast.db");
    let url = format!("sqlite://{}", file.display());
    prepare_database(&Config::for_database(url.clone())).expect("migrated");
    let mut holder =
        diesel::SqliteConnection::establish(&file.display().to_string()).expect("open");
    holder
        .batch_execute(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; \
             UPDATE regions SET name = name;",
        )
        .expect("locked");
    answers_503_with_retry_after(state_on(&url), "locked").await;
    holder
        .batch_execute("ROLLBACK; PRAGMA locking_mode = NORMAL; SELECT 1 FROM regions;")
        .expect("released");
    drop(holder);
    // Under a connection opened before: readers go on (WAL), a write waits its busy timeout
    // and then gets "database is locked" from the statement itself.
    let state = state_on(&url);
    let app = atest::init_service(
        App::new()
            .app_data(state)
            .wrap(actix_web::middleware::from_fn(
                jeugdhulpcatalogus::web::csrf::ensure_token,
            ))
            .configure(routes),
    )
    .await;
    let warm = atest::call_service(
        &app,
        atest::TestRequest::get()
            .uri("/api/v1/regions")
            .to_request(),
    )
    .await;
    assert_eq!(warm.status().as_u16(), 200);
    let mut writer =
        diesel::SqliteConnection::establish(&file.display().to_string()).expect("open");
    writer
        .batch_execute("BEGIN IMMEDIATE; UPDATE regions SET name = name;")
        .expect("write lock");
    let token = "ab".repeat(32);
    let response = atest::call_service(
        &app,
        atest::TestRequest::post()
            .uri("/inloggen")
            .cookie(actix_web::cookie::Cookie::new("jhc_csrf", token.clone()))
            .set_form([
                ("csrf", token.as_str()),
                ("email", "iemand@example.nl"),
                ("wachtwoord", "een lange zin als wachtwoord"),
            ])
            .to_request(),
    )
    .await;
    let status = response.status().as_u16();
    let retry = response.headers().contains_key("retry-after");
    let body = String::from_utf8_lossy(&atest::read_body(response).await).into_owned();
    assert_eq!((status, retry), (503, true), "a write under a lock: {body}");
    writer.batch_execute("ROLLBACK").expect("released");
}

/// How many migrations this backend has (both have the same).
fn migration_count() -> usize {
    use diesel::migration::MigrationSource;
    let sqlite = MigrationSource::<diesel::sqlite::Sqlite>::migrations(
        &jeugdhulpcatalogus::db::SQLITE_MIGRATIONS,
    )
    .expect("sqlite migrations")
    .len();
    let postgres =
        MigrationSource::<diesel::pg::Pg>::migrations(&jeugdhulpcatalogus::db::POSTGRES_MIGRATIONS)
            .expect("postgres migrations")
            .len();
    assert_eq!(sqlite, postgres, "both backends have the same migrations");
    sqlite
}

#[test]
fn migrations_revert_and_apply_again_on_this_backend() {
    use diesel_migrations::MigrationHarness;
    use jeugdhulpcatalogus::db::DbConnection;

    let database = TestDatabase::new();
    let db = prepare_database(&Config::for_database(database.url.clone())).expect("migrated");
    let mut conn = db.conn().expect("connection");
    // The down migrations must drop everything, reference data included, in an order the
    // foreign keys allow.
    let reverted = match &mut *conn {
        DbConnection::Sqlite(c) => c
            .revert_all_migrations(jeugdhulpcatalogus::db::SQLITE_MIGRATIONS)
            .map(|v| v.len()),
        DbConnection::Postgresql(c) => c
            .revert_all_migrations(jeugdhulpcatalogus::db::POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    }
    .expect("every down.sql runs");
    assert_eq!(reverted, migration_count());
    drop(conn);
    drop(db);
    // A second start on the emptied database migrates and loads the reference data again.
    let db = prepare_database(&Config::for_database(database.url.clone())).expect("migrated again");
    let reference =
        jeugdhulpcatalogus::reference::ReferenceData::load(&mut db.conn().expect("connection"))
            .expect("loaded");
    assert_eq!(reference.municipalities.len(), 27, "26 and Dijk en Waard");
}

#[test]
fn the_score_sets_migration_keeps_every_computed_score_both_ways() {
    use diesel::prelude::*;
    use diesel_migrations::MigrationHarness;
    use jeugdhulpcatalogus::db::DbConnection;
    use jeugdhulpcatalogus::db::schema::{profiles, providers};

    fn step(conn: &mut DbConnection, back: bool) {
        match conn {
            DbConnection::Sqlite(c) if back => c
                .revert_last_migration(jeugdhulpcatalogus::db::SQLITE_MIGRATIONS)
                .map(|_| ()),
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(jeugdhulpcatalogus::db::SQLITE_MIGRATIONS)
                .map(|_| ()),
            DbConnection::Postgresql(c) if back => c
                .revert_last_migration(jeugdhulpcatalogus::db::POSTGRES_MIGRATIONS)
                .map(|_| ()),
            DbConnection::Postgresql(c) => c
                .run_pending_migrations(jeugdhulpcatalogus::db::POSTGRES_MIGRATIONS)
                .map(|_| ()),
        }
        .expect("migration step");
    }
    /// Runs the pending migrations up to the one named `before` (not run): a later one
    /// that empties the computed scores (37) is beyond what this test looks at. Returns how
    /// many ran.
    fn forward_to(conn: &mut DbConnection, before: &str) -> usize {
        let mut ran = 0;
        macro_rules! until {
            ($c:expr, $source:expr) => {
                while let Some(next) = $c.pending_migrations($source).expect("pending").first() {
                    if next.name().to_string().contains(before) {
                        break;
                    }
                    $c.run_next_migration($source).expect("migration step");
                    ran += 1;
                }
            };
        }
        match conn {
            DbConnection::Sqlite(c) => until!(c, jeugdhulpcatalogus::db::SQLITE_MIGRATIONS),
            DbConnection::Postgresql(c) => {
                until!(c, jeugdhulpcatalogus::db::POSTGRES_MIGRATIONS)
            }
        }
        ran
    }
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Long {
        #[diesel(sql_type = diesel::sql_types::Text)]
        indicator: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        n: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        hits: i32,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
        value: Option<f64>,
    }

    let database = TestDatabase::new();
    let db = prepare_database(&Config::for_database(database.url.clone())).expect("migrated");
    let mut conn = db.conn().expect("connection");
    jeugdhulpcatalogus::demo::listings::seed(&mut conn, 1, 2, 3).expect("a provider");
    let provider: i64 = providers::table
        .select(providers::id)
        .first(&mut *conn)
        .expect("provider");
    let (profile, region): (i64, i64) = profiles::table
        .select((profiles::id, profiles::region_id))
        .first(&mut *conn)
        .expect("profile");

    // Scores as the one-row-per-indicator table held them (before migration 8 and every
    // later one).
    let after_seven = migration_count() - 7;
    for _ in 0..after_seven {
        step(&mut conn, true);
    }
    for (indicator, n, hits, value) in [
        ("doelrealisatie", 12, 6, "0.5"),
        ("uitval", 14, 2, "0.142857"),
        ("clienttevredenheid", 4, 3, "NULL"),
    ] {
        diesel::sql_query(format!(
            "INSERT INTO computed_scores (provider_id, region_id, profile_id, period, span, \
             indicator, n, hits, value, interval_low, interval_high, extra, computed_at) \
             VALUES ({provider}, {region}, {profile}, '2001-K1', '12m', '{indicator}', {n}, \
             {hits}, {value}, NULL, NULL, NULL, '2001-04-01 12:00:00')"
        ))
        .execute(&mut *conn)
        .expect("old row");
    }
    let ran = forward_to(&mut conn, "closing_questions_and_kader");
    // Read by name: the wide row as migration 8 made it (later columns may not exist yet).
    #[derive(QueryableByName, Debug, PartialEq)]
    struct Wide {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        provider_id: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        profile_id: i64,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        doel_n: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        doel_hits: i32,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
        doel_value: Option<f64>,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        uitval_n: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        terugval_n: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        tevreden_n: i32,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
        tevreden_value: Option<f64>,
    }
    let sets: Vec<Wide> = diesel::sql_query(
        "SELECT provider_id, profile_id, doel_n, doel_hits, doel_value, uitval_n, terugval_n, \
         tevreden_n, tevreden_value FROM computed_scores WHERE period = '2001-K1'",
    )
    .load(&mut *conn)
    .expect("sets");
    assert_eq!(
        sets,
        [Wide {
            provider_id: provider,
            profile_id: profile,
            doel_n: 12,
            doel_hits: 6,
            doel_value: Some(0.5),
            uitval_n: 14,
            terugval_n: 0,
            tevreden_n: 4,
            tevreden_value: None,
        }]
    );

    // And back: the same three rows, nothing made up for terugval.
    for _ in 0..ran {
        step(&mut conn, true);
    }
    let mut rows: Vec<Long> = diesel::sql_query(
        "SELECT indicator, n, hits, value FROM computed_scores WHERE period = '2001-K1'",
    )
    .load(&mut *conn)
    .expect("long rows");
    rows.sort_by(|a, b| a.indicator.cmp(&b.indicator));
    let names: Vec<&str> = rows.iter().map(|r| r.indicator.as_str()).collect();
    assert_eq!(names, ["clienttevredenheid", "doelrealisatie", "uitval"]);
    assert_eq!(rows[2].hits, 2);
    assert_eq!(rows[0].value, None);
    step(&mut conn, false);
}

#[test]
fn reference_rows_in_use_cannot_be_deleted_on_this_backend() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::{intensities, municipalities, profiles, regions};

    let database = TestDatabase::new();
    let db = prepare_database(&Config::for_database(database.url.clone())).expect("migrated");
    let mut conn = db.conn().expect("connection");
    // Trajectories refer to these; on PostgreSQL no per-row foreign key guards them.
    for result in [
        diesel::delete(municipalities::table).execute(&mut *conn),
        diesel::delete(regions::table).execute(&mut *conn),
    ] {
        let message = result.expect_err("refused").to_string();
        assert!(message.contains("never deleted"), "{message}");
    }
    // Profiles and intensities in use (tariffs, offers, trajectories, scores) stay too; one
    // that nothing uses may go (a region deletes one it added by mistake).
    for result in [
        diesel::delete(intensities::table).execute(&mut *conn),
        diesel::delete(profiles::table).execute(&mut *conn),
    ] {
        result.expect_err("refused: the tariffs refer to them");
    }
    let region: i64 = regions::table
        .select(regions::id)
        .first(&mut *conn)
        .expect("region");
    let unused: i64 = diesel::insert_into(profiles::table)
        .values((
            profiles::region_id.eq(region),
            profiles::number.eq(77),
            profiles::name.eq("Per ongeluk"),
            profiles::description.eq(""),
        ))
        .returning(profiles::id)
        .get_result(&mut *conn)
        .expect("profile");
    let deleted = diesel::delete(profiles::table.find(unused))
        .execute(&mut *conn)
        .expect("an unused profile goes");
    assert_eq!(deleted, 1);
    let left: i64 = regions::table
        .count()
        .get_result(&mut *conn)
        .expect("count");
    assert!(left > 0);
}

#[test]
fn create_user_makes_a_beheerder_from_the_command_line() {
    use std::io::Write;
    let database = TestDatabase::new();
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(BINARY)
            .envs(common::today_for_the_binary())
            .args(["--database-url", &database.url, "create-user"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("binary runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write");
        child.wait_with_output().expect("finished")
    };
    let weak = run(
        &[
            "--role",
            "beheerder",
            "--email",
            "bea@example.nl",
            "--password-stdin",
        ],
        "welkom123\n",
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password refused"));

    let made = run(
        &[
            "--role",
            "beheerder",
            "--email",
            "bea@example.nl",
            "--password-stdin",
        ],
        "een lange zin als wachtwoord\n",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let again = run(
        &[
            "--role",
            "beheerder",
            "--email",
            "BEA@example.nl",
            "--password-stdin",
        ],
        "een lange zin als wachtwoord\n",
    );
    assert!(!again.status.success(), "one account per address");
    let manager = run(
        &["--role", "contractmanager", "--email", "cm@example.nl"],
        "",
    );
    assert!(
        !manager.status.success(),
        "a contract manager needs --region"
    );
    let manager = run(
        &[
            "--role",
            "contractmanager",
            "--email",
            "cm@example.nl",
            "--region",
            "alkmaar",
        ],
        "",
    );
    assert!(
        manager.status.success(),
        "{}",
        String::from_utf8_lossy(&manager.stderr)
    );
    assert!(String::from_utf8_lossy(&manager.stdout).contains("Password (shown once): "));

    let db = prepare_database(&Config::for_database(database.url.clone())).expect("database");
    let user = jeugdhulpcatalogus::accounts::model::find_by_email(
        &mut db.conn().expect("conn"),
        "bea@example.nl",
    )
    .expect("query")
    .expect("user");
    assert_eq!(user.role.as_str(), "beheerder");
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(jeugdhulpcatalogus::accounts::password::verify(
        "een lange zin als wachtwoord",
        &user.password_hash
    ));
}

#[test]
fn write_transactions_commit_roll_back_and_nest_on_this_backend() {
    use diesel::prelude::*;
    use diesel::result::Error;
    use jeugdhulpcatalogus::db::DbConnection;
    use jeugdhulpcatalogus::db::schema::app_settings;

    fn set(conn: &mut DbConnection, key: &str) -> Result<(), Error> {
        diesel::insert_into(app_settings::table)
            .values((app_settings::key.eq(key), app_settings::value.eq("x")))
            .execute(conn)
            .map(|_| ())
    }
    let database = TestDatabase::new();
    let db = prepare_database(&Config::for_database(database.url.clone())).expect("migrated");
    let mut conn = db.conn().expect("connection");
    conn.write_transaction(|c| set(c, "t-a"))
        .expect("committed");
    let failed: Result<(), Error> = conn.write_transaction(|c| {
        set(c, "t-b")?;
        Err(Error::RollbackTransaction)
    });
    assert!(failed.is_err());
    conn.write_transaction(|c| {
        set(c, "t-c")?;
        // A nested write is a savepoint: its failure leaves the outer work standing.
        let inner: Result<(), Error> = c.write_transaction(|c| {
            set(c, "t-d")?;
            Err(Error::RollbackTransaction)
        });
        assert!(inner.is_err());
        Ok::<_, Error>(())
    })
    .expect("outer committed");
    let mut keys: Vec<String> = app_settings::table
        .filter(app_settings::key.like("t-%"))
        .select(app_settings::key)
        .load(&mut *conn)
        .expect("keys");
    keys.sort();
    assert_eq!(keys, ["t-a", "t-c"]);
}

/// Providers are never deleted by the portal; when one is deleted by hand, its trajectories
/// and computed scores go with it (a foreign key on SQLite, a statement trigger on
/// PostgreSQL, migration 19), and those of other providers stay.
#[test]
fn deleting_a_provider_removes_its_trajectories_and_scores() {
    use chrono::NaiveDate;
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::{computed_scores, providers, trajectories};
    use jeugdhulpcatalogus::domain::hulpvraag::Kader;
    use jeugdhulpcatalogus::domain::ids::ProviderId;
    use jeugdhulpcatalogus::domain::indicator::GoalResult;
    use jeugdhulpcatalogus::domain::values::AgeBand;
    use jeugdhulpcatalogus::outcomes::records::Trajectory;
    use jeugdhulpcatalogus::outcomes::store;
    use jeugdhulpcatalogus::reference::ReferenceData;

    let database = TestDatabase::new();
    let db = prepare_database(&Config::for_database(database.url.clone())).expect("migrated");
    let mut conn = db.conn().expect("connection");
    jeugdhulpcatalogus::demo::listings::seed(&mut conn, 2, 2, 3).expect("two providers");
    let reference = ReferenceData::load(&mut conn).expect("reference");
    let ids: Vec<i64> = providers::table
        .order(providers::id)
        .select(providers::id)
        .load(&mut *conn)
        .expect("providers");
    let profile = &reference.profiles[0];
    let town = reference
        .municipalities_of(profile.region_id)
        .next()
        .expect("a municipality in the profile's region");
    let intensity = reference
        .intensities
        .iter()
        .find(|i| i.region_id == profile.region_id)
        .expect("an intensity in the region");
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2025, m, d).expect("a date");
    for id in &ids {
        let list: Vec<Trajectory> = (0..12)
            .map(|i| Trajectory {
                reference: format!("R-{i}"),
                region_id: profile.region_id,
                municipality_id: town.id,
                profile_id: profile.id,
                intensity_id: intensity.id,
                start_date: day(1, 10),
                end_date: Some(day(6, 20)),
                end_reason: Some(1),
                goal: GoalResult::Behaald,
                client_key: format!("K-{i}"),
                age_band: AgeBand::Teenager,
                kader: Kader::Vrijwillig,
                satisfaction: Some(8),
                goals: None,
                without_care: None,
                problems_smaller: None,
            })
            .collect();
        conn.transaction(|c| store::save_all(c, ProviderId(*id), &list))
            .expect("saved");
    }
    let count = |conn: &mut jeugdhulpcatalogus::db::DbConnection, id: i64| -> (i64, i64) {
        (
            trajectories::table
                .filter(trajectories::provider_id.eq(id))
                .count()
                .get_result(conn)
                .expect("count"),
            computed_scores::table
                .filter(computed_scores::provider_id.eq(id))
                .count()
                .get_result(conn)
                .expect("count"),
        )
    };
    let before = count(&mut conn, ids[0]);
    assert_eq!(before.0, 12);
    assert!(before.1 > 0, "the upload computed scores");
    diesel::delete(providers::table.find(ids[0]))
        .execute(&mut *conn)
        .expect("deleted");
    assert_eq!(count(&mut conn, ids[0]), (0, 0));
    assert_eq!(
        count(&mut conn, ids[1]),
        before,
        "the other provider keeps its own"
    );
}

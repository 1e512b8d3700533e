//! Stopping the portal waits for its background work: when `run_until_stopped` returns, the
//! mail worker and the job runner have finished and are gone. Threads are counted per
//! process, so this test has a binary of its own.

mod common;

use common::TestDatabase;
use jeugdhulpcatalogus::config::Config;
use jeugdhulpcatalogus::startup::{Application, prepare_database};

/// How many threads of this process have this name (Linux: /proc/self/task/*/comm).
fn threads_named(name: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .filter_map(Result::ok)
                .filter(|task| {
                    std::fs::read_to_string(task.path().join("comm"))
                        .is_ok_and(|comm| comm.trim() == name)
                })
                .count()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn stopping_waits_for_the_mail_worker_and_the_job_runner() {
    // Without /proc this test cannot count threads: it fails rather than passing unchecked
    // (issue 34, item 5). Linux, where CI runs, has it.
    assert!(
        std::path::Path::new("/proc/self/task").exists(),
        "no /proc/self/task to count threads in: this test needs Linux"
    );
    let database = TestDatabase::new();
    let mail = tempfile::tempdir().expect("mail folder");
    let mut config = Config::for_database(database.url.clone());
    config.secret_key = Some("a test key that is at least thirty-two characters long".into());
    config.mail_dir = mail.path().display().to_string();
    config.today = common::test_today();
    let db = prepare_database(&config).expect("database prepared");
    let app = Application::build_with_db(&config, db).expect("application built");
    // A thread names itself once it runs: wait (up to ten seconds) until both have.
    for _ in 0..200 {
        if threads_named("mail-worker") == 1 && threads_named("jobs") == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(threads_named("mail-worker"), 1);
    assert_eq!(threads_named("jobs"), 1);
    let handle = app.stop_handle();
    let running = tokio::spawn(app.run_until_stopped());
    handle.stop(true).await;
    running.await.expect("joined").expect("stopped cleanly");
    assert_eq!(
        threads_named("mail-worker"),
        0,
        "the mail worker has finished"
    );
    assert_eq!(threads_named("jobs"), 0, "the job runner has finished");
}

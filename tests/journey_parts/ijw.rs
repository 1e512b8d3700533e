//! Issue 40 in the browser, every page checked by axe-core and at 320 px: the demo provider
//! finds the iJw upload in Mijn werk, sends the zip of a year of its messages (the example the
//! page offers), reads what was stored, and sees a refused message named by file, element and
//! reason.

use crate::chrome::{self, Chrome};
use crate::common::spawn_demo_app;
use jeugdhulpcatalogus::accounts::Role;

pub(crate) async fn the_demo_provider_sends_a_year_of_ijw_messages(tools: chrome::Tools) {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::providers;
    let app = spawn_demo_app().await;
    let provider_id: i64 = providers::table
        .order(providers::id)
        .select(providers::id)
        .first(&mut *app.conn())
        .expect("the demo provider");
    // The example the page offers for download, as the route makes it.
    let zip = {
        let mut conn = app.conn();
        let reference =
            jeugdhulpcatalogus::reference::ReferenceData::load(&mut conn).expect("reference");
        jeugdhulpcatalogus::outcomes::ijw::example::for_provider(
            &mut conn,
            &reference,
            jeugdhulpcatalogus::domain::ids::ProviderId(provider_id),
            jeugdhulpcatalogus::clock::today(),
        )
        .expect("example")
    };
    let dir = tempfile::tempdir().expect("dir");
    let zip_path = dir.path().join("ijw-berichten-voorbeeld.zip");
    std::fs::write(&zip_path, zip).expect("zip written");
    let bad_path = dir.path().join("bad-bsn.xml");
    std::fs::copy(
        format!("{}/tests/data/ijw/bad-bsn.xml", env!("CARGO_MANIFEST_DIR")),
        &bad_path,
    )
    .expect("golden copied");
    let accounts = jeugdhulpcatalogus::demo::accounts::demo_accounts(
        "a test key that is at least thirty-two characters long",
    );
    let account = accounts
        .iter()
        .find(|a| a.role == Role::Aanbieder)
        .expect("demo provider account");

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "ijw");
        let provider = chrome.person("aanbieder");
        crate::log_in(&provider, account.email, &account.password);
        provider
            .follow("iJw-berichten sturen")
            .sees("JW305- en JW307-berichten")
            .sees("Download een voorbeeld")
            .sees("Reden beëindiging (JZ588)")
            .needs_no_sideways_scrolling_on_a_phone()
            .attach("[name=berichten]", &zip_path)
            .submit("Berichten versturen")
            .sees("Alle berichten zijn gelezen en opgeslagen")
            .sees("nieuwe trajecten")
            .needs_no_sideways_scrolling_on_a_phone();
        // The same year again: nothing changes.
        provider
            .attach("[name=berichten]", &zip_path)
            .submit("Berichten versturen")
            .sees("0 nieuwe trajecten");
        // A message of another sender with a BSN that fails the elfproef: refused, named.
        provider
            .attach("[name=berichten]", &bad_path)
            .submit_refused("Berichten versturen")
            .sees("Er is niets opgeslagen")
            .sees("bad-bsn.xml")
            .sees("Header/Afzender")
            .sees("Client/Bsn")
            .needs_no_sideways_scrolling_on_a_phone();
        // What iJw made is explained to the public.
        provider
            .visit("/over-de-cijfers")
            .sees("Cijfers uit iJw-berichten");
        chrome.assert_clean();
    });
}

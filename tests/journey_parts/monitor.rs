//! Issue 38 in the browser: the demo's beleidsmedewerker of Delft opens the monitor from
//! "Mijn werk", picks an earlier quarter with the page's own form, and is refused another
//! municipality; the contract manager switches from the region to one of its municipalities;
//! a visitor finds a municipality's public figures from the footer.

use crate::chrome::{self, Chrome};
use crate::common::spawn_demo_app;
use jeugdhulpcatalogus::accounts::Role;
use jeugdhulpcatalogus::outcomes::compute::Quarter;

pub(crate) async fn a_beleidsmedewerker_and_a_contract_manager_read_the_monitor(
    tools: chrome::Tools,
) {
    let app = spawn_demo_app().await;
    app.compute_monitor();
    let accounts = jeugdhulpcatalogus::demo::accounts::demo_accounts(
        "a test key that is at least thirty-two characters long",
    );
    let account = |role: Role| {
        accounts
            .iter()
            .find(|a| a.role == role)
            .map(|a| (a.email, a.password.clone()))
            .expect("demo account")
    };
    let earlier = Quarter::of(jeugdhulpcatalogus::clock::today())
        .previous()
        .previous();

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "monitor");
        let policy = chrome.person("beleidsmedewerker");
        let (email, secret) = account(Role::Beleidsmedewerker);
        crate::log_in(&policy, email, &secret);
        policy
            .follow("Monitor van uw gemeente")
            .sees("Monitor Delft")
            .sees("In het kort")
            .sees("Trend over acht kwartalen")
            .sees("Waarom de hulp stopte")
            .sees("Toegang: hoe snel begint de hulp?")
            .sees("Zo tellen wij")
            .shows("svg.chart")
            .set("[name=kwartaal]", &earlier.code())
            .submit("Toon")
            .sees(&earlier.label())
            .sees("Monitor Delft");
        assert!(
            !policy.texts("a[href^='/monitor/export.csv']").is_empty(),
            "the downloads"
        );
        policy.visit_expecting("/monitor?gemeente=den-haag", 403);

        let manager = chrome.person("contractmanager");
        let (email, secret) = account(Role::Contractmanager);
        crate::log_in(&manager, email, &secret);
        manager
            .follow("Monitor")
            .sees("Monitor regio Haaglanden")
            .set("[name=gebied]", "gemeente:zoetermeer")
            .submit("Toon")
            .sees("Monitor Zoetermeer")
            .sees("Per vorm van hulp");
        // The public page of a municipality, from the footer.
        let public = chrome.person("bezoeker");
        public
            .visit("/")
            .follow("Cijfers per gemeente")
            .follow("Midden-Delfland")
            .sees("Cijfers jeugdhulp Midden-Delfland")
            .sees("Aantallen onder de 10 tonen wij niet")
            .set("[name=kwartaal]", &earlier.code())
            .submit("Toon")
            .sees(&earlier.label());
        chrome.assert_clean();
    });
}

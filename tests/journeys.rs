//! Every role's journey, clicked through in a real browser (Debian's Chromium, headless):
//! real pages, real form posts, the cookies each person's browser keeps. Every page on the
//! way is checked with axe-core (WCAG 2.1 A/AA, landmarks, heading order) and for reflow at
//! 320 px, and photographed under `test-output/journeys/`; a refused form post fails the
//! journey. See `tests/chrome/mod.rs` for the checks and for what the journeys need.

mod chrome;
mod common;
#[path = "journey_parts/ijw.rs"]
mod ijw_journey;
#[path = "journey_parts/languages.rs"]
mod languages_journey;
#[path = "journey_parts/monitor.rs"]
mod monitor_journey;
#[path = "journey_parts/trajectory_rules.rs"]
mod rules_journey;
#[path = "journey_parts/sign_in.rs"]
mod sign_in_journey;

use chrome::{Chrome, Person};
use common::{OfferSpec, ProviderSpec, TestApp, spawn_app, spawn_demo_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};
use jeugdhulpcatalogus::outcomes::compute::Quarter;
use jeugdhulpcatalogus::providers::AdmissionStatus;

const PASSWORD: &str = "een lange zin als wachtwoord";
const PROVIDER_PASSWORD: &str = "paarse olifanten dansen samen";

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = vec![
        chrome::journey(
            "a_provider_registers_reports_and_is_published_and_sorted_on_results",
            a_provider_registers_reports_and_is_published_and_sorted_on_results,
        ),
        chrome::journey(
            "a_family_compares_chooses_is_declined_chooses_again_is_helped_and_answers",
            a_family_compares_chooses_is_declined_chooses_again_is_helped_and_answers,
        ),
        chrome::journey(
            "demo_pages_error_pages_included_say_they_are_a_demo_inside_a_landmark",
            demo_pages_error_pages_included_say_they_are_a_demo_inside_a_landmark,
        ),
        chrome::journey(
            "the_demo_accounts_play_a_quarter_together",
            the_demo_accounts_play_a_quarter_together,
        ),
        chrome::journey(
            "a_beheerder_invites_a_worker_and_a_regional_beheerder_stays_in_its_region",
            a_beheerder_invites_a_worker_and_a_regional_beheerder_stays_in_its_region,
        ),
        chrome::journey(
            "a_beleidsmedewerker_and_a_contract_manager_read_the_monitor",
            monitor_journey::a_beleidsmedewerker_and_a_contract_manager_read_the_monitor,
        ),
        chrome::journey(
            "the_demo_provider_sends_a_year_of_ijw_messages",
            ijw_journey::the_demo_provider_sends_a_year_of_ijw_messages,
        ),
        chrome::journey(
            "families_read_english_and_arabic_and_report_a_wrong_listing",
            languages_journey::families_read_english_and_arabic_and_report_a_wrong_listing,
        ),
        sign_in_journey::trial(),
    ];
    libtest_mimic::run(&args, trials).exit();
}

fn today() -> chrono::NaiveDate {
    jeugdhulpcatalogus::clock::today()
}

/// Logs a person in through the login form; they land on "Mijn werk".
pub(crate) fn log_in(person: &Person<'_>, email: &str, password: &str) {
    person
        .visit("/inloggen")
        .fill("[name=email]", email)
        .fill("[name=wachtwoord]", password)
        // The password form's own button: where other ways in are offered, theirs come first.
        .press("form[action='/inloggen'] button[type=submit]")
        .sees("Mijn werk")
        .sees("Uitloggen");
    assert_eq!(person.path(), "/mijn-werk");
}

/// 25 trajectories for profile 3 in Delft that ended in the last complete quarter; reasons
/// 1-5 in turn, so 15 of 25 (60%) stopped early.
fn trajectories_csv() -> String {
    let quarter = Quarter::of(today()).previous();
    let end = quarter.last_day() - chrono::TimeDelta::days(10);
    let start = end - chrono::TimeDelta::days(120);
    let mut csv = String::from(
        "referentie,gemeente,profiel,intensiteit,startdatum,einddatum,reden_einde,doelresultaat,clientsleutel,leeftijdsgroep,kader,tevredenheid\n",
    );
    for i in 0..25 {
        csv.push_str(&format!(
            "T-{i},delft,3,intensief,{start},{end},{},behaald,client-{i},12-17,vrijwillig,{}\n",
            1 + i % 5,
            1 + i % 10
        ));
    }
    csv
}

/// A provider whose report was published before the journey: 25 trajectories, four in five
/// stopped early (uitval 80%), every family gave a 9.
async fn published_beforehand(app: &TestApp, name: &str) {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft(name, 3));
    let provider = app
        .signed_in_user(
            &format!("cijfers@{slug}.example"),
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        )
        .await;
    let csv = common::reports::trajectories("A", 3, 25, |i| {
        (if i % 5 == 0 { 1 } else { 3 }, "behaald", 9)
    });
    common::reports::upload(&provider, csv).await;
    let report = common::reports::open(app, &provider).await;
    common::reports::submit(&provider, &report).await;
    let manager = app.browser();
    manager.login("cm@haaglanden.example", PASSWORD).await;
    common::reports::publish(&manager, &report).await;
}

/// The link in the newest mail to `to` that starts with the site's address and `path`.
pub(crate) fn link_in_mail(app: &TestApp, to: &str, count: usize, path: &str) -> String {
    let mails = app.mail.wait_for(to, count);
    mails[count - 1]
        .link(&format!("{}{path}", app.address))
        .unwrap_or_else(|| panic!("no {path} link in the mail to {to}"))
}

async fn a_provider_registers_reports_and_is_published_and_sorted_on_results(tools: chrome::Tools) {
    let app = spawn_app().await;
    app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    // One provider without published scores, and one published over HTTP that is worse on
    // uitval but better on satisfaction: the two orders differ, so neither a day's shuffle
    // nor the alphabet passes both (issue 34, item 10).
    app.add_provider(ProviderSpec::admitted_in_delft("Zorgzaam Gezin", 3));
    published_beforehand(&app, "Aardig Jeugdwerk").await;
    let csv_dir = tempfile::tempdir().expect("folder");
    let csv_path = csv_dir.path().join("trajecten.csv");
    std::fs::write(&csv_path, trajectories_csv()).expect("csv written");

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "aanbieder");
        let provider = chrome.person("aanbieder");
        let manager = chrome.person("contractmanager");
        let public = chrome.person("bezoeker");

        // The provider registers; a form with nothing filled in says what is missing.
        provider
            .visit("/")
            .follow("Meld uw organisatie aan")
            .submit_refused("Aanmelding versturen");
        provider
            .sees("Vul de naam van uw organisatie in")
            .fill("[name=naam]", "Zorg op Maat Delft")
            .fill("[name=kvk]", "1234 5678")
            .fill("[name=agb]", "98765432")
            .fill("[name=straat]", "Laan van Zorg 1")
            .fill("[name=postcode]", "2611 AB")
            .fill("[name=plaats]", "Delft")
            .fill("[name=telefoon]", "015 123 45 67")
            .fill("[name=email_organisatie]", "info@zorgopmaat.example")
            .fill("[name=contactnaam]", "Noor Bakker")
            .fill("[name=email]", "noor@zorgopmaat.example")
            .fill("[name=wachtwoord]", PROVIDER_PASSWORD)
            .fill("[name=herhaling]", PROVIDER_PASSWORD)
            .tick("#regio-haaglanden");
        for n in 1..=6 {
            provider.tick(&format!("#eis-haaglanden-{n}"));
        }
        provider
            .tick("#ondertekenen-ja")
            .submit("Aanmelding versturen")
            .sees("e-mail");

        // Logging in before confirming says that a new link was sent and the first is void.
        let first_link = link_in_mail(&app, "noor@zorgopmaat.example", 1, "/bevestigen/");
        provider
            .visit("/inloggen")
            .fill("[name=email]", "noor@zorgopmaat.example")
            .fill("[name=wachtwoord]", PROVIDER_PASSWORD)
            .submit_refused("Inloggen")
            .sees("De link in de eerdere e-mail werkt niet meer");
        let new_link = link_in_mail(&app, "noor@zorgopmaat.example", 2, "/bevestigen/");
        assert_ne!(first_link, new_link);
        assert!(
            app.mail
                .received()
                .iter()
                .any(|m| m.text().contains("werkt niet meer")),
            "the new mail says so too"
        );
        provider
            .visit_expecting(&first_link, 410)
            .sees("al gebruikt of verlopen");
        provider
            .visit(&new_link)
            .submit("Bevestig mijn e-mailadres")
            .sees("Uw e-mailadres is bevestigd");
        log_in(&provider, "noor@zorgopmaat.example", PROVIDER_PASSWORD);
        provider.visit("/catalogus").sees("Uitloggen");
        provider.visit("/inloggen").sees("U bent al ingelogd");

        // The contract manager finds the registration from "Mijn werk" and admits it.
        log_in(&manager, "cm@haaglanden.example", PASSWORD);
        manager
            .sees("Aanmeldingen beoordelen")
            .follow("Aanmeldingen beoordelen")
            .follow("Zorg op Maat Delft")
            .submit_refused("Besluit opslaan");
        manager
            .tick(&format!(
                "[name=besluit][value={}]",
                AdmissionStatus::Toegelaten.as_str()
            ))
            .submit("Besluit opslaan")
            .sees("toegelaten");
        // The admission gave this year's uitvoeringsovereenkomst (from November next year's
        // too); the manager gives next year's where the admission did not.
        let given = jeugdhulpcatalogus::providers::execution::with_admission(today());
        let years: Vec<String> = given.iter().map(i32::to_string).collect();
        manager.sees(&format!("Gegeven voor: {}.", years.join(", ")));
        let next_year = chrono::Datelike::year(&today()) + 1;
        if !given.contains(&next_year) {
            manager
                .submit(&format!("Uitvoeringsovereenkomst {next_year} geven"))
                .sees("De uitvoeringsovereenkomst is gegeven.")
                .sees(&format!("Uitvoeringsovereenkomst {next_year} gegeven"));
        }

        // The provider adds an offer, uploads its trajectories, explains and submits.
        provider
            .visit("/mijn-werk")
            .follow("Mijn aanbod")
            .follow("Aanbod toevoegen")
            .set("[name=regio]", "haaglanden")
            .set("[name=profiel]", "3")
            .set("[name=intensiteit]", "intensief")
            .tick("#gemeente-delft")
            .fill("[name=min_leeftijd]", "4")
            .fill("[name=max_leeftijd]", "18")
            .set("[name=setting]", "ambulant")
            .tick("#taal-en")
            .fill("[name=wachttijd]", "3")
            .set("[name=nieuwe_clienten]", "ja")
            .submit("Opslaan");
        provider
            .visit("/mijn-werk")
            .follow("Resultaten aanleveren")
            .attach("[name=bestand]", &csv_path)
            .submit("Bestand controleren")
            .sees("Het bestand klopt")
            .submit("Opslaan")
            .sees("25 nieuwe trajecten")
            .follow("Bekijk uw cijfers")
            .submit("openen")
            .sees("60%")
            .fill(
                "textarea[name^=uitleg-]",
                "Veel gezinnen verhuisden dit jaar; daardoor stopte de hulp vaker.",
            )
            .submit("Uitleg opslaan en rapport indienen")
            .sees("Uw rapport is ingediend");
        provider.sees("Veel gezinnen verhuisden dit jaar");

        // The provider keeps its details current: a wrong postcode is refused, a right one saved.
        provider
            .visit("/mijn-aanbod")
            .fill("[name=postcode]", "25")
            .submit_refused("Gegevens opslaan")
            .sees("Vul een postcode in zoals 2511 AB.")
            .fill("[name=postcode]", "2611 AB")
            .submit("Gegevens opslaan")
            .sees("Uw wijzigingen zijn opgeslagen");
        // A key for its own system: refused without a name, then shown once.
        provider
            .follow("Sleutels voor koppelingen met uw eigen systeem")
            .submit_refused("Sleutel maken")
            .sees("Geef de sleutel een naam")
            .fill("[name=naam]", "Ons ECD")
            .submit("Sleutel maken")
            .sees("jhc_");
        // Changing the password: a wrong current password is refused.
        provider
            .visit("/account")
            .fill("[name=huidig]", "niet mijn wachtwoord")
            .fill("[name=wachtwoord]", "een nieuwe lange zin voor later")
            .fill("[name=herhaling]", "een nieuwe lange zin voor later")
            .submit_refused("Wachtwoord wijzigen")
            .sees("Uw huidige wachtwoord klopt niet.")
            .fill("[name=huidig]", PROVIDER_PASSWORD)
            .fill("[name=wachtwoord]", "een nieuwe lange zin voor later")
            .fill("[name=herhaling]", "een nieuwe lange zin voor later")
            .submit("Wachtwoord wijzigen")
            .sees("Uw wachtwoord is gewijzigd");

        // The region's numbers, as the contract manager reads them.
        manager
            .visit("/mijn-werk")
            .follow("Cijfers van de regio")
            .sees("Voortijdig gestopt");

        // The contract manager reviews and publishes it.
        manager
            .visit("/mijn-werk")
            .follow("Rapporten beoordelen")
            .follow("Zorg op Maat Delft")
            .sees("Veel gezinnen verhuisden dit jaar")
            .submit("Publiceren")
            .sees("Gepubliceerd.")
            .follow("Bekijk de openbare pagina");

        // Everyone sees the scores; the catalogue sorted on uitval lists it first.
        public
            .visit("/catalogus?profiel=3&gemeente=delft")
            .follow("Zorg op Maat Delft")
            .sees("60%")
            .sees("Veel gezinnen verhuisden dit jaar");
        public.visit("/catalogus?profiel=3&gemeente=delft&volgorde=uitval");
        let order = public.texts(".card__title");
        assert_eq!(
            order.first().map(String::as_str),
            Some("Zorg op Maat Delft"),
            "{order:?}"
        );
        assert_eq!(order.len(), 3, "{order:?}");
        assert_eq!(order[1], "Aardig Jeugdwerk", "{order:?}");
        public.visit("/catalogus?profiel=3&gemeente=delft&volgorde=tevredenheid");
        let by_satisfaction = public.texts(".card__title");
        assert_eq!(
            by_satisfaction[..2],
            ["Aardig Jeugdwerk", "Zorg op Maat Delft"],
            "{by_satisfaction:?}"
        );
        public.visit("/catalogus?profiel=3&gemeente=delft&volgorde=uitval");
        // Item 21: the card shows the results for the chosen profile, the sorted one too.
        let lines = public.texts(".card-scores li");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("(uitval): 60% (25 trajecten)")),
            "{lines:?}"
        );
        // Item 18: ticked on the cards, compared side by side: a print button, figures
        // leading on paper, and on a phone a layout that needs no sideways scrolling.
        let ticked: Vec<String> = public
            .texts(".card__title")
            .iter()
            .take(2)
            .map(|name| jeugdhulpcatalogus::web::text::slugify(name))
            .collect();
        // Item 19: without a profile the comparison asks for one.
        public
            .visit(&format!(
                "/vergelijk?aanbieder={}&aanbieder={}",
                ticked[0], ticked[1]
            ))
            .sees("Kies het profiel waarvoor u wilt vergelijken")
            .set("[name=profiel]", "3")
            .submit("Vergelijk")
            .sees("Aanbieders vergelijken voor profiel 3");
        public.visit("/catalogus?profiel=3&gemeente=delft&volgorde=uitval");
        for slug in &ticked {
            public.tick(&format!("#vergelijk-{slug}"));
        }
        public
            .submit("Vergelijk de aangevinkte aanbieders")
            .sees("Aanbieders vergelijken voor profiel 3")
            .sees("Zorg op Maat Delft")
            .shows("button[data-print]")
            .prints_larger(".compare-table .score-value", ".compare-table .hint")
            .prints_on_a4()
            .needs_no_sideways_scrolling_on_a_phone();

        // Error pages know who is signed in, and carry the same frame.
        provider
            .visit_expecting("/beheer/aanmeldingen", 403)
            .sees("Uitloggen");
        provider
            .visit_expecting("/bestaat-niet", 404)
            .sees("Uitloggen");
        chrome.assert_clean();
    });
}

async fn a_family_compares_chooses_is_declined_chooses_again_is_helped_and_answers(
    tools: chrome::Tools,
) {
    let app = spawn_app().await;
    app.add_user(
        "wijkteam@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(app.municipality_id("delft")),
    );
    let names = [
        "Gezinshuis Alfa",
        "Jeugdzorg Beta",
        "Praktijk Gamma",
        "Zorgboerderij Delta",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut spec = ProviderSpec::admitted_in_delft(name, 3);
        spec.offers = vec![OfferSpec::new(3, "intensief", &["delft"])];
        if i == 3 {
            // Item 3: Delta also offers another intensity without waiting; the family's
            // intensief comparison must not show that.
            spec.offers.push(OfferSpec {
                waiting_weeks: 0,
                ..OfferSpec::new(3, "perspectief", &["delft"])
            });
        }
        let slug = app.add_provider(spec);
        app.add_user(
            &format!("medewerker{i}@{slug}.example"),
            PASSWORD,
            Role::Aanbieder,
            Affiliation::Provider(app.provider_id(&slug)),
        );
    }
    let day = today().to_string();

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "gezin");
        let worker = chrome.person("toegangsmedewerker");
        let family = chrome.person("gezin");
        let alfa = chrome.person("alfa");
        let beta = chrome.person("beta");

        // The worker opens a hulpvraag; a form without a profile says so.
        log_in(&worker, "wijkteam@delft.example", PASSWORD);
        worker
            .follow("Nieuwe hulpvraag")
            .submit_refused("Hulpvraag maken")
            .set("[name=profiel]", "3")
            .set("[name=intensiteit]", "intensief")
            .set("[name=leeftijd]", "4-11")
            .fill("[name=zaaknummer]", "Z-2026-042")
            .submit("Hulpvraag maken")
            .sees("Gezinshuis Alfa")
            .sees("Praktijk Gamma");

        // Shortlist: Gamma off the list, and back on.
        worker
            .submit("Van de lijst halen: Praktijk Gamma")
            .sees("De aanbieder is van de lijst gehaald")
            .set(
                "select[name=aanbieder]",
                &app.provider_id("praktijk-gamma").to_string(),
            )
            .submit("Toevoegen")
            .sees("De aanbieder staat nu op de lijst");

        // The link for the family; a refresh shows the same link.
        worker
            .submit("Maak een link voor het gezin")
            .sees("Geef het gezin deze link");
        let link = worker.attribute(".code-box a[href*='/keuze/']", "href");
        worker.visit(worker.path().split('?').next().unwrap_or_default());
        assert_eq!(
            worker.attribute(".code-box a[href*='/keuze/']", "href"),
            link
        );
        worker
            .fill("[name=email]", "ouders@thuis.example")
            .submit("Stuur de link per e-mail")
            .sees("De link is naar het gezin gemaild");
        let mailed = link_in_mail(&app, "ouders@thuis.example", 1, "/keuze/");
        assert_eq!(mailed, link);

        // Item 6: the worker corrects the age band; the family is told, the link stays.
        worker
            .follow("Hulpvraag aanpassen")
            .set("[name=leeftijd]", "12-17")
            .fill("[name=email]", "geen adres")
            .submit_refused("Wijzigingen opslaan")
            .sees("Dit e-mailadres klopt niet")
            .fill("[name=email]", "ouders@thuis.example")
            .submit("Wijzigingen opslaan")
            .sees("De hulpvraag is aangepast")
            .sees("Leeftijd: van 4-11 naar 12-17 jaar");
        assert_eq!(
            link_in_mail(&app, "ouders@thuis.example", 2, "/keuze/"),
            link,
            "the correction's mail carries the same link"
        );

        // The family, in its own browser, compares and chooses Alfa, and confirms.
        family
            .visit_expecting("/keuze/00000-00000-00000-00000", 404)
            .sees("Deze link werkt niet")
            .fill("[name=code]", link.rsplit('/').next().unwrap_or_default())
            .submit("Verder")
            .sees("Kies een aanbieder")
            .sees("Intensief")
            .sees("Uw jeugdprofessional heeft uw hulpvraag aangepast")
            .sees("Leeftijd: van 4-11 naar 12-17 jaar");
        // Item 10: asking the worker for help is confirmed at the top of the page.
        family
            .submit("Ik wil hulp bij het kiezen")
            .sees("U heeft uw jeugdprofessional om hulp gevraagd");
        // Item 3: only the intensief offers count; Delta's perspectief without waiting not.
        assert!(
            !family.text().contains("geen wachttijd"),
            "a waiting time of another intensity"
        );
        // Four side by side, on a phone and on A4 paper.
        family
            .visit(
                "/vergelijk?profiel=3&aanbieder=gezinshuis-alfa&aanbieder=jeugdzorg-beta\
                 &aanbieder=praktijk-gamma&aanbieder=zorgboerderij-delta",
            )
            .sees("Zorgboerderij Delta")
            .prints_on_a4()
            .needs_no_sideways_scrolling_on_a_phone();
        family
            .visit(&link)
            .submit("Kies Gezinshuis Alfa")
            .sees("Wilt u kiezen voor Gezinshuis Alfa?")
            .submit("Ja, ik kies Gezinshuis Alfa")
            .sees("U heeft gekozen voor Gezinshuis Alfa");

        // Alfa declines.
        log_in(&alfa, "medewerker0@gezinshuis-alfa.example", PASSWORD);
        alfa.sees("Aanvragen beantwoorden")
            .follow("Aanvragen beantwoorden")
            .submit_refused("Afwijzen")
            .sees("Kies waarom u niet kunt helpen.");
        alfa.tick("[name=reden][value=geen_plek]")
            .submit("Afwijzen")
            .sees("U heeft de aanvraag afgewezen");

        // The family chooses again: Beta, who accepts.
        family
            .visit(&link)
            .sees("Gezinshuis Alfa kan u niet helpen")
            .submit("Kies Jeugdzorg Beta")
            .submit("Ja, ik kies Jeugdzorg Beta")
            .sees("U heeft gekozen voor Jeugdzorg Beta");
        log_in(&beta, "medewerker1@jeugdzorg-beta.example", PASSWORD);
        beta.follow("Aanvragen beantwoorden")
            // Item 7: the request names the hulpvraag and how to reach the worker.
            .sees("Kenmerk van de hulpvraag")
            .sees("wijkteam@delft.example")
            .set("[name=startdatum]", &day)
            .submit("Accepteren")
            .sees("U heeft de aanvraag geaccepteerd");
        // Item 7: the family's page names the worker; the worker's list the planned start.
        family.visit(&link).sees("Uw jeugdprofessional is");
        worker.visit("/toegang/hulpvragen").sees("Geplande start");

        // The worker, the family and Beta agree on goals, which Beta confirms (issue 37);
        // the worker records the start and the closing with a mark per goal; the
        // questionnaire link is on top.
        worker
            .visit("/mijn-werk")
            .sees("Hulpvragen waar de hulp nog moet starten")
            .follow("Hulpvragen waar de hulp nog moet starten")
            .follow("Z-2026-042");
        rules_journey::agree(&worker, &beta);
        worker
            .set("[name=startdatum]", &day)
            // Issue 40: the allocation's number joins the provider's iJw messages.
            .fill("[name=toewijzing]", "0300777")
            .submit("Start vastleggen")
            .sees("De start van de hulp is vastgelegd")
            .sees("300777");
        rules_journey::change_intensity(&worker, &beta, &day);
        worker.submit_refused("Afsluiten");
        rules_journey::close_with_marks(&worker, &day);
        let questionnaire = worker.attribute(".code-box a[href*='/ervaring/']", "href");
        let first_heading = worker.texts("main h2");
        assert_eq!(
            first_heading.first().map(String::as_str),
            Some("Vragenlijst voor het gezin"),
            "the questionnaire link comes first: {first_heading:?}"
        );

        // The family answers the questionnaire; leaving a question out is said first.
        family.visit(&questionnaire).submit_refused("Versturen");
        for item in [
            "effectiviteit",
            "inspraak",
            "toegankelijkheid",
            "klantvriendelijkheid",
            "veiligheid",
            "bejegening",
        ] {
            family.tick(&format!("[name={item}][value='8']"));
        }
        family
            .submit("Versturen")
            .sees("Uw antwoorden zijn opgeslagen");

        // Issue 37: the client comes back within the year; Beta picks the trajectory up again.
        rules_journey::back_within_a_year(&worker, &beta, "Z-2026-042", "Jeugdzorg Beta");

        // Item 6: a second hulpvraag is withdrawn; without a reason that is said first.
        worker
            .visit("/toegang/hulpvragen/nieuw")
            .set("[name=profiel]", "3")
            .set("[name=intensiteit]", "intensief")
            .set("[name=leeftijd]", "12-17")
            .fill("[name=zaaknummer]", "Z-2026-043")
            .submit("Hulpvraag maken")
            .follow("Hulpvraag intrekken")
            .submit_refused("Hulpvraag intrekken")
            .sees("Schrijf waarom u de hulpvraag intrekt.")
            .fill("[name=reden]", "Het gezin heeft zelf hulp gevonden.")
            .submit("Hulpvraag intrekken")
            .sees("De hulpvraag is ingetrokken.")
            .sees("Reden: Het gezin heeft zelf hulp gevonden.");
        chrome.assert_clean();
    });
}

async fn demo_pages_error_pages_included_say_they_are_a_demo_inside_a_landmark(
    tools: chrome::Tools,
) {
    let app = spawn_demo_app().await;
    let (_, list) = app.get_json("/api/v1/providers").await;
    let slug = common::slugs(&list)
        .first()
        .cloned()
        .expect("a demo provider");

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "demo");
        let visitor = chrome.person("bezoeker");
        for path in [
            "/".to_owned(),
            "/catalogus".to_owned(),
            format!("/aanbieders/{slug}"),
            "/profielen".to_owned(),
            "/over-de-cijfers".to_owned(),
            "/api/docs".to_owned(),
            "/inloggen".to_owned(),
            "/registreren".to_owned(),
        ] {
            visitor.visit(&path).sees("Demoversie.");
        }
        visitor
            .visit_expecting("/bestaat-niet", 404)
            .sees("Demoversie.");
        visitor
            .visit_expecting("/keuze/00000-00000-00000-00000", 404)
            .sees("Demoversie.");
        visitor
            .visit_expecting("/catalogus?profiel=99", 400)
            .sees("Demoversie.");
        chrome.assert_clean();
    });
}

/// The demo's three accounts play one round together in the demo world (issue 12): the worker
/// finds hulpvragen in every phase, the demo provider accepts a request and submits its
/// quarter, the contract manager publishes it; the public sees charts and fictional tariffs.
async fn the_demo_accounts_play_a_quarter_together(tools: chrome::Tools) {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::choice::model::Status;
    use jeugdhulpcatalogus::db::schema::providers;
    let app = spawn_demo_app().await;
    let (demo_provider, demo_slug): (String, String) = providers::table
        .order(providers::id)
        .select((providers::name, providers::slug))
        .first(&mut *app.conn())
        .expect("the demo provider");
    let accounts = jeugdhulpcatalogus::demo::accounts::demo_accounts(
        "a test key that is at least thirty-two characters long",
    );
    let password = |role: Role| {
        accounts
            .iter()
            .find(|a| a.role == role)
            .map(|a| (a.email, a.password.clone()))
            .expect("demo account")
    };

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "demo-samen");
        let worker = chrome.person("toegangsmedewerker");
        let provider = chrome.person("aanbieder");
        let manager = chrome.person("contractmanager");
        let public = chrome.person("bezoeker");

        let (email, secret) = password(Role::Toegangsmedewerker);
        log_in(&worker, email, &secret);
        worker.follow("Hulpvragen waar het gezin nog kiest");
        for status in Status::ALL {
            worker.follow(status.label()).sees(status.label());
        }
        // The list is searched by the browser's own form (issue 33, item 9).
        worker
            .visit("/toegang/hulpvragen")
            .fill("[name=zoek]", "bestaat-niet")
            .submit("Zoeken")
            .sees("Er zijn geen hulpvragen die bij uw zoekopdracht passen.");

        // A login with nothing filled in names what is missing.
        provider
            .visit("/inloggen")
            .submit_refused("Inloggen")
            .sees("Vul uw e-mailadres in.")
            .sees("Vul uw wachtwoord in.")
            // Focus on the summary, and the title says so first (issue 33, item 37).
            .focus_is_on(".error-summary");
        assert!(
            provider.title().starts_with("Fout: "),
            "{}",
            provider.title()
        );
        let (email, secret) = password(Role::Aanbieder);
        log_in(&provider, email, &secret);
        // The demo listing can be saved as it is (it once lacked the phone number the form
        // asks for).
        provider
            .visit("/mijn-aanbod")
            .submit("Gegevens opslaan")
            .sees("Uw wijzigingen zijn opgeslagen")
            // The confirmation is where focus lands (issue 33, item 38).
            .focus_is_on(".notice");
        // Every waiting time in one form, posted by the browser (issue 33, item 11).
        provider
            .visit("/mijn-aanbod")
            .follow("Wachttijden van al uw aanbod in één keer bijwerken")
            .submit("Wachttijden opslaan")
            .sees("Er was niets veranderd.");
        provider
            .visit("/mijn-aanbod/aanvragen")
            .sees("Aanvraag van ")
            .set(
                "[name=startdatum]",
                &(today() + chrono::Days::new(7)).to_string(),
            )
            .submit("Accepteren")
            .sees("U heeft de aanvraag geaccepteerd");
        provider
            .visit("/mijn-aanbod/cijfers")
            .submit("openen")
            .fill(
                "textarea[name^=uitleg-]",
                "Wij werken sinds dit jaar met een vaste begeleider per gezin.",
            )
            .submit("Uitleg opslaan en rapport indienen")
            .sees("Uw rapport is ingediend");

        let (email, secret) = password(Role::Contractmanager);
        log_in(&manager, email, &secret);
        manager
            .follow("Aanmeldingen beoordelen")
            .sees("Aanmeldingen");
        manager
            .visit("/mijn-werk")
            .follow("Rapporten beoordelen")
            .follow(&demo_provider)
            .sees("Wij werken sinds dit jaar met een vaste begeleider per gezin.")
            .submit("Publiceren")
            .sees("Gepubliceerd.");
        manager
            .visit("/mijn-werk")
            .follow("Cijfers van de regio")
            .sees("Voortijdig gestopt")
            .sees("Trechterdiagram");
        assert!(
            manager
                .texts(".funnel-plot > title")
                .first()
                .is_some_and(|t| t.contains("aanbieders, elk een punt")),
            "the funnel plot says how many providers it shows"
        );
        assert!(
            !manager
                .texts(".funnel-plot path.funnel-plot__dots")
                .is_empty(),
            "the providers as dots in the funnel plot"
        );

        public
            .visit(&format!("/aanbieders/{demo_slug}"))
            .sees("Wij werken sinds dit jaar met een vaste begeleider per gezin.");
        assert!(
            !public.texts("svg").is_empty(),
            "charts on the provider page"
        );
        public.visit("/profielen/3").sees("verzonnen (demo)");
        public
            .visit("/over-de-cijfers")
            .sees("vergelijkbaar met gemiddeld");
        public
            .visit("/catalogus?gemeente=delft&profiel=3&volgorde=uitval")
            .sees("Gesorteerd op");
        chrome.assert_clean();
    });
}

/// Issue 35: the beheerder invites an access worker, who sets a password from the mail and
/// opens a hulpvraag; the beheerder deactivates and reactivates the account; a provider
/// invites a colleague; a regional beheerder is refused another region's pages.
async fn a_beheerder_invites_a_worker_and_a_regional_beheerder_stays_in_its_region(
    tools: chrome::Tools,
) {
    let app = spawn_app().await;
    app.add_user(
        "beheer@regio.example",
        PASSWORD,
        Role::Beheerder,
        Affiliation::None,
    );
    app.add_user(
        "beheer@alkmaar.example",
        PASSWORD,
        Role::Beheerder,
        Affiliation::Region(app.region_id("alkmaar")),
    );
    let manager = app.add_user(
        "cm@haaglanden.example",
        PASSWORD,
        Role::Contractmanager,
        Affiliation::Region(app.region_id("haaglanden")),
    );
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis Alfa", 3));
    app.add_user(
        "a@alfa.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&slug)),
    );
    let haaglanden = app.region_id("haaglanden").to_string();
    let rijswijk = app.municipality_id("rijswijk").to_string();
    let voorschoten = app.municipality_id("voorschoten").to_string();
    let alkmaar = app.region_id("alkmaar").to_string();
    let (tariff_field, wbw_profile) = {
        use diesel::prelude::*;
        use jeugdhulpcatalogus::db::schema::{intensities, profiles};
        let region = app.region_id("west-brabant-west");
        let profile: i64 = profiles::table
            .filter(profiles::region_id.eq(region))
            .filter(profiles::number.eq(3))
            .select(profiles::id)
            .first(&mut *app.conn())
            .expect("profile");
        let intensity: i64 = intensities::table
            .filter(intensities::region_id.eq(region))
            .filter(intensities::code.eq("intensief"))
            .select(intensities::id)
            .first(&mut *app.conn())
            .expect("intensity");
        (format!("[name='t-{profile}-{intensity}']"), profile)
    };
    let next_year = chrono::Datelike::year(&today()) + 1;
    let region_files =
        std::env::temp_dir().join(format!("jhc-journey-regio-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&region_files).expect("dir");
    for (name, text) in [
        (
            "regions.csv",
            "slug,name,procurement_method\nzaanstreek-waterland,Zaanstreek-Waterland,taakgericht\n",
        ),
        (
            "municipalities.csv",
            "region,municipality,cbs_code\nZaanstreek-Waterland,Zaanstad,0479\n",
        ),
        (
            "profiles.csv",
            "number,name_nl\n1,Jeugdigen met psychosociale problemen\n",
        ),
        (
            "intensities.csv",
            "code,name_nl,paid_per\nlicht,Licht,trajectory\n",
        ),
    ] {
        std::fs::write(region_files.join(name), text).expect("file");
    }
    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "gebruikers");
        let beheerder = chrome.person("beheerder");
        let worker = chrome.person("toegangsmedewerker");
        let regional = chrome.person("regiobeheerder");
        let provider = chrome.person("aanbieder");

        log_in(&beheerder, "beheer@regio.example", PASSWORD);
        // A new municipality first: the worker is invited for it.
        beheerder
            .follow("Gemeenten")
            .fill("#veld-naam", "Nieuwdorp")
            .fill("#veld-cbs", "12")
            .set("#veld-regio", &haaglanden)
            .submit_refused("Gemeente toevoegen")
            .sees("Vul de CBS-gemeentecode in")
            .fill("#veld-cbs", "1999")
            .submit("Gemeente toevoegen")
            .sees("De gemeente is toegevoegd.");
        let nieuwdorp = app.municipality_id("nieuwdorp").to_string();
        beheerder
            .visit("/mijn-werk")
            .follow("Gebruikers")
            .sees("Gebruikers")
            .follow("Iemand uitnodigen")
            .submit_refused("Uitnodiging versturen")
            .sees("Vul de naam in.")
            .fill("[name=naam]", "Wendy Wijkteam")
            .fill("[name=email]", "wendy@delft.example")
            .set("[name=rol]", "toegangsmedewerker")
            .set("[name=gemeente]", &nieuwdorp)
            .submit("Uitnodiging versturen")
            .sees("De uitnodiging is verstuurd.")
            .sees("Uitgenodigd");

        let link = link_in_mail(&app, "wendy@delft.example", 1, "/uitnodiging/");
        worker
            .visit(&link)
            .sees("Welkom, Wendy Wijkteam.")
            .fill("[name=wachtwoord]", PROVIDER_PASSWORD)
            .fill("[name=herhaling]", PROVIDER_PASSWORD)
            .submit("Wachtwoord opslaan")
            .sees("Uw wachtwoord is opgeslagen.");
        log_in(&worker, "wendy@delft.example", PROVIDER_PASSWORD);
        worker
            .visit("/toegang/hulpvragen/nieuw")
            .set("[name=profiel]", "3")
            .set("[name=intensiteit]", "intensief")
            .set("[name=leeftijd]", "12-17")
            .fill("[name=zaaknummer]", "Z-2026-100")
            .submit("Hulpvraag maken")
            .sees("Z-2026-100");
        worker
            .visit_expecting(&link, 410)
            .sees("Deze link werkt niet meer.");

        beheerder
            .visit("/beheer/gebruikers?zoek=wendy")
            .follow("Wendy Wijkteam")
            .submit("Account deactiveren")
            .sees("Het account is gedeactiveerd.")
            .submit("Account weer activeren")
            .sees("Het account is weer actief.");

        // Next year's tariffs: a wrong amount is said first; the profile page shows both.
        beheerder
            .visit("/mijn-werk")
            .follow("Tarieven")
            .visit("/beheer/tarieven?regio=west-brabant-west")
            .fill(&tariff_field, "veel")
            .submit_refused("Tarieven opslaan")
            .sees("Vul een bedrag in euro")
            .fill(&tariff_field, "2400")
            .submit("Tarieven opslaan")
            .sees("De tarieven zijn opgeslagen.")
            .visit("/profielen/3")
            .sees(&format!("Vanaf 1 januari {next_year}"))
            .sees("€ 2.400,00");

        // A new region from files.
        beheerder
            .visit("/beheer/regios")
            .attach("#bestand-regions", &region_files.join("regions.csv"))
            .attach(
                "#bestand-municipalities",
                &region_files.join("municipalities.csv"),
            )
            .attach("#bestand-profiles", &region_files.join("profiles.csv"))
            .attach(
                "#bestand-intensities",
                &region_files.join("intensities.csv"),
            )
            .submit("Bestanden controleren en opslaan")
            .sees("De regio is toegevoegd")
            .sees("Zaanstreek-Waterland");

        // A region by hand: an intensity paid per hour (P×Q), its own question for families.
        beheerder
            .visit("/beheer/regios")
            .fill("[name=naam]", "Gooi en Vechtstreek")
            .set("[name=methode]", "inspanningsgericht")
            .submit("Regio toevoegen")
            .sees("De regio is toegevoegd.")
            .follow("Intensiteit toevoegen")
            .submit_refused("Intensiteit toevoegen")
            .sees("Vul een korte code in")
            .fill("[name=code]", "ambulant-uur")
            .fill("[name=naam]", "Ambulant per uur")
            .fill("[name=omschrijving]", "Begeleiding thuis, betaald per uur.")
            .set("[name=betaald_per]", "uur")
            .submit("Intensiteit toevoegen")
            .sees("per uur")
            .follow("Vraag toevoegen")
            .fill("[name=code]", "uitleg")
            .fill("[name=vraag]", "Kreeg u genoeg uitleg?")
            .fill("[name=naam]", "ervaren informatie")
            .submit("Vraag toevoegen")
            .sees("Kreeg u genoeg uitleg?");
        // A profile in use is closed from a date, not deleted.
        beheerder
            .visit(&format!(
                "/beheer/regios/west-brabant-west/profielen/{wbw_profile}"
            ))
            .submit_refused("Sluiten vanaf deze datum")
            .sees("Vul de datum in vanaf wanneer het gesloten is")
            .fill("[name=datum]", &format!("{next_year}-01-01"))
            .submit("Sluiten vanaf deze datum")
            .sees("Het profiel is gesloten vanaf de gekozen datum.")
            .sees("Weer openen");

        // Two municipalities merge: Rijswijk goes up in Nieuwdorp today.
        beheerder
            .visit("/beheer/gemeenten")
            .tick(&format!("#samen-{rijswijk}"))
            .set("[name=in]", &nieuwdorp)
            .set("[name=datum]", &today().to_string())
            .submit("Samenvoegen")
            .sees("De gemeenten zijn samengevoegd.")
            .sees("Opgegaan in Nieuwdorp");
        // A municipality moves to another region; without a date that is said first.
        beheerder
            .set("[name=verhuis_gemeente]", &voorschoten)
            .set("[name=verhuis_regio]", &alkmaar)
            .submit_refused("Gemeente verhuizen")
            .sees("Vul de datum in vanaf wanneer de gemeente bij de andere regio hoort.")
            .set("[name=verhuis_gemeente]", &voorschoten)
            .set("[name=verhuis_regio]", &alkmaar)
            .set("[name=verhuis_datum]", &today().to_string())
            .submit("Gemeente verhuizen")
            .sees("De gemeente hoort nu bij de andere regio.");

        log_in(&provider, "a@alfa.example", PASSWORD);
        provider
            .visit("/mijn-aanbod")
            .follow("Collega's uitnodigen")
            .fill("[name=naam]", "Bart Collega")
            .fill("[name=email]", "bart@alfa.example")
            .submit("Uitnodiging versturen")
            .sees("De uitnodiging is verstuurd.")
            .sees("Bart Collega");

        log_in(&regional, "beheer@alkmaar.example", PASSWORD);
        regional
            .visit("/beheer/gebruikers")
            .sees("beheer@alkmaar.example")
            .visit_expecting(&format!("/beheer/gebruikers/{manager}"), 404);
        regional.visit_expecting("/beheer/procesovereenkomst/haaglanden", 404);
        chrome.assert_clean();
    });
}

//! Issue 39 in the browser, every page checked by axe-core and at 320 px as on every
//! journey: a worker mails the link in English and the family compares and chooses in
//! English; a second family chooses in Arabic (right to left) from the link it was given; a
//! visitor searches in Arabic, compares, and reports that a
//! listing is wrong; the provider answers in its own (Dutch) pages, and the visitor reads
//! the answer on its receipt; the provider confirms its listing in one click.

use crate::chrome::{self, Chrome};
use crate::common::{OfferSpec, ProviderSpec, spawn_app};
use jeugdhulpcatalogus::accounts::{Affiliation, Role};

const PASSWORD: &str = "een lange zin als wachtwoord";

pub(crate) async fn families_read_english_and_arabic_and_report_a_wrong_listing(
    tools: chrome::Tools,
) {
    let app = spawn_app().await;
    app.add_user(
        "wijkteam@delft.example",
        PASSWORD,
        Role::Toegangsmedewerker,
        Affiliation::Municipality(app.municipality_id("delft")),
    );
    let mut slugs = Vec::new();
    for name in ["Gezinshuis Alfa", "Jeugdzorg Beta"] {
        let mut spec = ProviderSpec::admitted_in_delft(name, 3);
        spec.offers = vec![OfferSpec::new(3, "intensief", &["delft"])];
        slugs.push(app.add_provider(spec));
    }
    app.add_user(
        "zorg@alfa.example",
        PASSWORD,
        Role::Aanbieder,
        Affiliation::Provider(app.provider_id(&slugs[0])),
    );

    tokio::task::block_in_place(|| {
        let chrome = Chrome::launch(tools, &app.address, "talen");

        // The worker mails the link in English; the worker's own page stays Dutch.
        let worker = chrome.person("toegangsmedewerker");
        crate::log_in(&worker, "wijkteam@delft.example", PASSWORD);
        worker
            .follow("Nieuwe hulpvraag")
            .set("[name=profiel]", "3")
            .set("[name=intensiteit]", "intensief")
            .set("[name=leeftijd]", "12-17")
            .fill("[name=zaaknummer]", "Z-TAAL-7")
            .submit("Hulpvraag maken")
            .submit("Maak een link voor het gezin")
            .fill("[name=email]", "ouders@thuis.example")
            .set("[name=taal]", "en")
            .submit("Stuur de link per e-mail")
            .sees("De link is naar het gezin gemaild");
        let link = crate::link_in_mail(&app, "ouders@thuis.example", 1, "/keuze/");
        assert!(link.ends_with("?taal=en"), "{link}");

        // The family compares and chooses in English.
        let family = chrome.person("gezin (English)");
        family
            .visit(&link)
            .sees("Choose a provider for your child")
            .sees("How to read this comparison")
            .sees("Your youth care worker is")
            .needs_no_sideways_scrolling_on_a_phone()
            .submit("Choose Gezinshuis Alfa")
            .sees("Do you want to choose Gezinshuis Alfa?")
            .submit("Yes, I choose Gezinshuis Alfa")
            .sees("You have chosen")
            .sees("The provider will let you know if it can help you.");
        assert_eq!(family.attribute("html", "lang"), "en");

        // A second family chooses in Arabic, right to left, from the link the worker gave.
        worker
            .visit("/mijn-werk")
            .follow("Nieuwe hulpvraag")
            .set("[name=profiel]", "3")
            .set("[name=intensiteit]", "intensief")
            .set("[name=leeftijd]", "12-17")
            .fill("[name=zaaknummer]", "Z-TAAL-8")
            .submit("Hulpvraag maken")
            .submit("Maak een link voor het gezin");
        let link = worker.attribute(".code-box a[href*='/keuze/']", "href");
        let family = chrome.person("gezin (العربية)");
        family
            .visit(&format!("{link}?taal=ar"))
            .sees("اختر مقدم خدمة لطفلك")
            .sees("هكذا تقرأ هذه المقارنة")
            .needs_no_sideways_scrolling_on_a_phone()
            // The button names the provider inside Arabic, the name isolated (FSI … PDI).
            .submit("Jeugdzorg Beta")
            .sees("هل تريد أن تختار")
            .submit("Jeugdzorg Beta")
            .sees("لقد اخترت");
        assert_eq!(family.attribute("html", "dir"), "rtl");

        // A visitor reads the catalogue in Arabic, right to left, and compares.
        let visitor = chrome.person("bezoeker (العربية)");
        visitor
            .visit("/?taal=ar")
            .sees("ما نوع المساعدة التي تبحث عنها؟")
            .set("[name=gemeente]", "delft")
            .submit("ابحث عن مقدمي الخدمات")
            .sees("مقدمو رعاية الشباب")
            .tick(&format!("#vergelijk-{}", slugs[0]))
            .tick(&format!("#vergelijk-{}", slugs[1]))
            .submit("قارن مقدمي الخدمات المختارين")
            .sees("قارن مقدمي الخدمات");
        assert_eq!(visitor.attribute("html", "dir"), "rtl");
        assert_eq!(visitor.attribute("html", "lang"), "ar");
        // …and reports that Alfa's listing is wrong, from its page.
        visitor
            .visit(&format!("/aanbieders/{}", slugs[0]))
            .sees("هل هناك شيء غير صحيح؟")
            .follow("أبلغ مقدم الخدمة")
            .submit_refused("أرسل البلاغ")
            .sees("اختر عن ماذا يتعلق بلاغك.")
            .tick("#veld-onderwerp-wachttijd")
            .fill(
                "[name=bericht]",
                "De wachttijd op de site is vier weken, maar het zijn er twaalf.",
            )
            .submit("أرسل البلاغ")
            .sees("شكرًا لك.")
            .sees("لم يُجب مقدم الخدمة بعد.");
        let receipt = visitor
            .path()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();

        // The provider answers in its Mijn werk, and confirms its listing.
        let provider = chrome.person("aanbieder");
        crate::log_in(&provider, "zorg@alfa.example", PASSWORD);
        provider
            .follow("Meldingen over uw vermelding beantwoorden")
            .sees("maar het zijn er twaalf")
            .fill(
                "[name=antwoord]",
                "Dank u, de wachttijd is nu aangepast naar twaalf weken.",
            )
            .tick("[name=aangepast]")
            .submit("Antwoord versturen")
            .sees("Uw antwoord is verstuurd")
            .visit("/mijn-aanbod")
            .sees("Klopt uw vermelding nog?")
            .submit("Alles klopt nog")
            .sees("Uw vermelding is gecontroleerd");

        // The visitor reads the answer on the receipt.
        visitor
            .visit(&receipt)
            .sees("Dank u, de wachttijd is nu aangepast naar twaalf weken.")
            .sees("عدّل مقدم الخدمة بياناته.");
        chrome.assert_clean();
    });
}

//! The public catalogue over HTTP: filters, pagination, order, bad input and the API.

mod common;

use common::{OfferSpec, ProviderSpec, slugs, spawn_app};
use jeugdhulpcatalogus::providers::AdmissionStatus;

#[tokio::test]
async fn health_check_names_the_database_backend() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    let expected = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"], expected);
}

#[tokio::test]
async fn start_page_offers_every_profile_and_municipality() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Welke hulp zoekt u?"));
    for n in 1..=9 {
        assert!(
            html.contains(&format!(r#"name="profiel" value="{n}""#)),
            "profile {n}"
        );
    }
    for town in ["den-haag", "bergen-op-zoom", "bergen-nh", "alkmaar"] {
        assert!(html.contains(&format!(r#"value="{town}""#)), "{town}");
    }
    assert!(html.contains(r#"<html lang="nl" dir="ltr">"#));
    assert!(html.contains(r##"href="#inhoud""##), "skip link");
}

#[tokio::test]
async fn catalogue_shows_only_admitted_providers_serving_the_profile_in_the_municipality() {
    let app = spawn_app().await;
    let wanted = app.add_provider(ProviderSpec::admitted_in_delft("Alfa Jeugdhulp", 3));
    app.add_provider(ProviderSpec {
        offers: vec![OfferSpec::new(3, "intensief", &["zoetermeer"])],
        ..ProviderSpec::admitted_in_delft("Bravo elders", 3)
    });
    app.add_provider(ProviderSpec::admitted_in_delft("Charlie ander profiel", 4));
    app.add_provider(ProviderSpec {
        admissions: vec![("haaglanden", AdmissionStatus::Aangemeld)],
        ..ProviderSpec::admitted_in_delft("Delta aangemeld", 3)
    });
    app.add_provider(ProviderSpec {
        admissions: vec![("haaglanden", AdmissionStatus::Opgeschort)],
        ..ProviderSpec::admitted_in_delft("Echo opgeschort", 3)
    });
    app.add_provider(ProviderSpec {
        admissions: vec![
            ("haaglanden", AdmissionStatus::Afgewezen),
            ("west-brabant-west", AdmissionStatus::Toegelaten),
        ],
        ..ProviderSpec::admitted_in_delft("Foxtrot alleen elders toegelaten", 3)
    });

    let (status, list) = app
        .get_json("/api/v1/providers?profiel=3&gemeente=delft")
        .await;
    assert_eq!(status, 200);
    assert_eq!(slugs(&list), vec![wanted.clone()]);
    assert_eq!(list["total"], 1);

    let (status, html) = app.get_html("/catalogus?profiel=3&gemeente=delft").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 aanbieder gevonden"));
    assert!(html.contains("Alfa Jeugdhulp"));
    for hidden in ["Bravo", "Charlie", "Delta", "Echo", "Foxtrot"] {
        assert!(!html.contains(hidden), "{hidden} must not be listed");
    }

    let (_, all) = app.get_json("/api/v1/providers?volgorde=naam").await;
    assert_eq!(
        slugs(&all),
        vec!["alfa-jeugdhulp", "bravo-elders", "charlie-ander-profiel"]
    );
}

#[tokio::test]
async fn intensity_and_text_filters_narrow_the_list() {
    let app = spawn_app().await;
    app.add_provider(ProviderSpec {
        description: "Specialist in autisme bij jonge kinderen.",
        offers: vec![OfferSpec::new(5, "acuut", &["delft"])],
        ..ProviderSpec::admitted_in_delft("Cliëntgericht Centrum", 5)
    });
    app.add_provider(ProviderSpec {
        offers: vec![OfferSpec::new(5, "duurzaam", &["delft"])],
        ..ProviderSpec::admitted_in_delft("Duurzaam 100% Zorg", 5)
    });

    let (_, acuut) = app
        .get_json("/api/v1/providers?profiel=5&intensiteit=acuut")
        .await;
    assert_eq!(slugs(&acuut), vec!["clientgericht-centrum"]);
    let (_, upper) = app.get_json("/api/v1/providers?intensiteit=DUURZAAM").await;
    assert_eq!(slugs(&upper), vec!["duurzaam-100-zorg"]);

    // Accent- and case-blind, every word must match, and % is a letter, not a wildcard.
    let (_, found) = app
        .get_json("/api/v1/providers?q=CLIENTGERICHT+autisme")
        .await;
    assert_eq!(slugs(&found), vec!["clientgericht-centrum"]);
    let (_, none) = app.get_json("/api/v1/providers?q=autisme+duurzaam").await;
    assert_eq!(slugs(&none), Vec::<String>::new());
    let (_, percent) = app.get_json("/api/v1/providers?q=100%25").await;
    assert_eq!(slugs(&percent), vec!["duurzaam-100-zorg"]);
    let (_, wildcard) = app.get_json("/api/v1/providers?q=%25").await;
    assert_eq!(slugs(&wildcard), vec!["duurzaam-100-zorg"]);
    let (_, underscore) = app.get_json("/api/v1/providers?q=_").await;
    assert_eq!(slugs(&underscore), Vec::<String>::new());
}

#[tokio::test]
async fn the_list_is_paged_twenty_at_a_time_without_gaps_or_repeats() {
    let app = spawn_app().await;
    for i in 0..45 {
        app.add_provider(ProviderSpec::admitted_in_delft(
            &format!("Aanbieder {i:02}"),
            2,
        ));
    }
    let mut seen = Vec::new();
    for page in 1..=3 {
        let (status, list) = app
            .get_json(&format!(
                "/api/v1/providers?profiel=2&gemeente=delft&pagina={page}"
            ))
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            (list["total"].as_i64(), list["pages"].as_i64()),
            (Some(45), Some(3))
        );
        let page_slugs = slugs(&list);
        assert_eq!(page_slugs.len(), if page < 3 { 20 } else { 5 });
        seen.extend(page_slugs);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 45);

    let (status, html) = app
        .get_html("/catalogus?profiel=2&gemeente=delft&pagina=2")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("45 aanbieders gevonden"));
    assert!(html.contains(r#"aria-label="Paginering""#));
    assert!(
        html.contains(r#"href="/catalogus?profiel=2&amp;gemeente=delft&amp;pagina=3" rel="next""#)
    );
    assert!(html.contains(r#"href="/catalogus?profiel=2&amp;gemeente=delft" rel="prev""#));

    // A page past the last (an old link after the list got shorter) says so, links to the
    // first page, and answers 404 for link checkers and search engines.
    let (status, html) = app.get_html("/catalogus?profiel=2&pagina=9").await;
    assert_eq!(status, 404);
    assert!(html.contains("Deze pagina bestaat niet"));
    assert!(html.contains("Ga naar de eerste pagina"));
    assert!(!html.contains("pagina 9 van"), "{html}");
}

#[tokio::test]
async fn the_daily_order_is_stable_within_a_day_and_the_name_order_is_alphabetical() {
    let app = spawn_app().await;
    for name in ["Zeta", "Alfa", "Mu", "Beta", "Omega", "Kappa", "Ëta"] {
        app.add_provider(ProviderSpec::admitted_in_delft(name, 1));
    }
    let (_, first) = app.get_json("/api/v1/providers").await;
    let (_, second) = app.get_json("/api/v1/providers?volgorde=willekeurig").await;
    assert_eq!(first["order"], "willekeurig");
    assert_eq!(slugs(&first), slugs(&second));
    let (_, by_name) = app.get_json("/api/v1/providers?volgorde=naam").await;
    assert_eq!(
        slugs(&by_name),
        vec!["alfa", "beta", "eta", "kappa", "mu", "omega", "zeta"]
    );
    let mut shuffled = slugs(&first);
    shuffled.sort();
    assert_eq!(shuffled, slugs(&by_name));
}

/// The day's order is a shuffle: not the order the providers were added in, nor the
/// alphabet, either way round (issue 34, item 10). With twenty providers a shuffle gives one
/// of those four by chance once in 6·10¹⁷ days: no date makes this fail.
#[tokio::test]
async fn the_daily_order_is_neither_insertion_nor_alphabetical() {
    let app = spawn_app().await;
    let mut added = Vec::new();
    for i in 0..20 {
        // Added in an order unlike the alphabet: the names run backwards and interleave.
        let name = format!(
            "{} Jeugdhulp {i:02}",
            ["Zon", "Maan", "Ster", "Aarde"][i % 4]
        );
        added.push(app.add_provider(ProviderSpec::admitted_in_delft(&name, 1)));
    }
    let (_, list) = app.get_json("/api/v1/providers").await;
    let day = slugs(&list);
    assert_eq!(day.len(), 20, "{day:?}");
    let mut alphabetical = added.clone();
    alphabetical.sort();
    for (name, order) in [("insertion", added), ("alphabetical", alphabetical)] {
        assert_ne!(day, order, "the day's order is the {name} order");
        let reversed: Vec<String> = order.into_iter().rev().collect();
        assert_ne!(
            day, reversed,
            "the day's order is the {name} order reversed"
        );
    }
}

#[tokio::test]
async fn bad_parameters_get_a_dutch_message_and_status_400() {
    let app = spawn_app().await;
    let cases = [
        ("profiel=abc", "'abc' is geen profielnummer"),
        ("profiel=12", "Profiel 12 bestaat niet"),
        (
            "gemeente=atlantis",
            "De gemeente 'atlantis' staat niet in de catalogus",
        ),
        ("intensiteit=heel-veel", "'heel-veel' is geen intensiteit"),
        ("pagina=0", "Het paginanummer '0' kan niet"),
        ("pagina=99999999999", "kan niet"),
        ("pagina=100001", "van 1 tot en met 100.000"),
        ("volgorde=beste", "De volgorde 'beste' kennen wij niet"),
        ("kleur=rood", "De zoekoptie 'kleur' kennen wij niet"),
    ];
    for (query, message) in cases {
        let (status, html) = app.get_html(&format!("/catalogus?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(message), "{query}: {message}");
        assert!(html.contains(r#"role="alert""#), "{query}: error summary");
        assert!(
            html.contains(r#"action="/catalogus""#),
            "{query}: the form stays usable"
        );

        let (status, json) = app.get_json(&format!("/api/v1/providers?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(json["error"], "invalid_parameter");
        assert!(
            json["details"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{query}: {json}"
        );
    }
}

/// A link shared through a newsletter or social media carries their parameters; the page
/// opens as if they were not there.
#[tokio::test]
async fn parameters_added_to_shared_links_do_not_break_the_catalogue() {
    let app = spawn_app().await;
    let (status, html) = app
        .get_html("/catalogus?gemeente=delft&fbclid=IwAR0abc&utm_source=nieuwsbrief")
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(!html.contains("kennen wij niet"), "{html}");
    let (status, _) = app.get_json("/api/v1/providers?utm_campaign=x").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn typed_input_is_escaped_when_shown_again() {
    let app = spawn_app().await;
    let (status, html) = app
        .get_html("/catalogus?gemeente=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q=%22%3E%3Cb%3E")
        .await;
    assert_eq!(status, 400);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains(r#""><b>"#));
}

#[tokio::test]
async fn provider_page_shows_the_offer_and_contact_of_an_admitted_provider() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec {
        offers: vec![
            OfferSpec::new(3, "intensief", &["delft", "rijswijk"]),
            OfferSpec::new(3, "acuut", &["delft"]),
        ],
        ..ProviderSpec::admitted_in_delft("Gezinshuis <De Linde>", 3)
    });
    let (status, html) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Gezinshuis &lt;De Linde&gt;"));
    assert!(html.contains("In regio Haaglanden"));
    assert!(html.contains("Delft, Rijswijk"));
    assert!(html.contains("Er zijn nog geen gepubliceerde cijfers"));
    assert!(html.contains(&format!("info@{slug}.example")));
    let ends = common::agreement_ends();
    assert!(
        html.contains(&jeugdhulpcatalogus::web::text::date_nl(ends)),
        "agreement runs three years from admission"
    );

    let (status, json) = app.get_json(&format!("/api/v1/providers/{slug}")).await;
    assert_eq!(status, 200);
    assert_eq!(json["offers"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["regions"][0]["agreement_ends_on"], ends.to_string());
}

#[tokio::test]
async fn providers_that_are_not_admitted_have_no_public_page() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec {
        admissions: vec![("haaglanden", AdmissionStatus::InBehandeling)],
        ..ProviderSpec::admitted_in_delft("Nog niet toegelaten", 3)
    });
    let (status, html) = app.get_html(&format!("/aanbieders/{slug}")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Pagina niet gevonden"));
    let (status, json) = app.get_json(&format!("/api/v1/providers/{slug}")).await;
    assert_eq!(status, 404);
    assert_eq!(json["error"], "not_found");
}

#[tokio::test]
async fn unknown_pages_get_a_dutch_404_and_unknown_api_paths_json() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/bestaat-niet").await;
    assert_eq!(status, 404);
    assert!(html.contains("Pagina niet gevonden") && html.contains(r#"lang="nl""#));
    let (status, json) = app.get_json("/api/v1/bestaat-niet").await;
    assert_eq!(status, 404);
    assert_eq!(json["error"], "not_found");
    let (status, _) = app.get_html("/profielen/99").await;
    assert_eq!(status, 404);
    let (status, _) = app.get_html("/profielen/drie").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn profile_pages_explain_the_profile_and_show_the_wbw_tariffs() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/profielen").await;
    assert_eq!(status, 200);
    assert!(html.contains("Een ouder is ziek of heeft een beperking"));
    let (status, html) = app.get_html("/profielen/9").await;
    assert_eq!(status, 200);
    assert!(html.contains("€ 10.125,00"), "intensief, profile 9");
    assert!(html.contains("€ 7.500,00"), "perspectief, profile 9");
    assert!(html.contains("per 4 weken"));
    assert!(html.contains("Deze regio heeft voor dit profiel geen tarieven"));

    let (status, json) = app.get_json("/api/v1/profiles").await;
    assert_eq!(status, 200);
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 27, "nine profiles in three regions");
    let wbw_9 = items
        .iter()
        .find(|p| p["region"] == "west-brabant-west" && p["number"] == 9)
        .expect("WBW profile 9");
    let intensief = wbw_9["tariffs"]
        .as_array()
        .expect("tariffs")
        .iter()
        .find(|t| t["intensity"] == "intensief")
        .expect("intensief");
    assert_eq!(intensief["amount_cents"], 1_012_500);
}

#[tokio::test]
async fn regions_and_municipalities_come_from_the_reference_data() {
    let app = spawn_app().await;
    let (_, regions) = app.get_json("/api/v1/regions").await;
    let wbw = regions["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["slug"] == "west-brabant-west")
        .expect("WBW");
    assert_eq!(wbw["procurement_method"], "outputgericht");
    assert_eq!(wbw["municipalities"].as_array().map(Vec::len), Some(9));
    let (_, towns) = app.get_json("/api/v1/municipalities").await;
    assert_eq!(
        towns["items"].as_array().map(Vec::len),
        Some(27),
        "26 and Dijk en Waard"
    );
    assert!(
        towns["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|m| m["slug"] == "bergen-nh" && m["region"] == "alkmaar")
    );
    // Each with its CBS gemeentecode, as iJw messages name it (issue 35).
    let code = |slug: &str| {
        towns["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|m| m["slug"] == slug)
            .map(|m| m["cbs_code"].clone())
    };
    assert_eq!(code("delft"), Some("0503".into()));
    assert_eq!(code("den-haag"), Some("0518".into()));
}

#[tokio::test]
async fn assets_are_cached_and_pages_carry_security_headers() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = page.text().await.expect("body");
    let css_url = html
        .split(r#"rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("stylesheet link");
    let css = app.get(css_url).await;
    assert_eq!(css.status().as_u16(), 200);
    let cache = css
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cache.contains("immutable"), "{cache}");
    assert_eq!(app.get("/assets/nope.css").await.status().as_u16(), 404);
}

/// Whole public pages are kept for visitors who are not signed in (`web::page_cache`): a
/// change that raises the catalogue version shows on the next request, a change that does
/// not is not seen (which is how the test knows the page was kept), and a signed-in user
/// never gets a visitor's page.
#[tokio::test]
async fn kept_pages_follow_the_catalogue_version_and_skip_signed_in_users() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::accounts::{Affiliation, Role};
    use jeugdhulpcatalogus::db::schema::providers;
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis De Linde", 3));
    let id = app.provider_id(&slug);
    let path = format!("/aanbieders/{slug}");
    for _ in 0..3 {
        let (status, html) = app.get_html(&path).await;
        assert_eq!(status, 200);
        assert!(html.contains("Gezinshuis De Linde"), "{html}");
    }
    let rename = |name: &str| {
        diesel::update(providers::table.find(id))
            .set(providers::name.eq(name))
            .execute(&mut *app.conn())
            .expect("renamed");
    };
    // Changed behind the read model's back: the kept page is still sent.
    rename("Gezinshuis De Eik");
    let (_, html) = app.get_html(&path).await;
    assert!(html.contains("Gezinshuis De Linde"), "{html}");
    // Changed as every feature does it: the next request shows it.
    jeugdhulpcatalogus::read_model::providers_changed(&mut app.conn(), &[id]).expect("version");
    let (_, html) = app.get_html(&path).await;
    assert!(html.contains("Gezinshuis De Eik"), "{html}");
    assert!(!html.contains("Uitloggen"), "{html}");

    // A signed-in user gets the page with their own frame, and does not leave it behind.
    app.add_user(
        "bea@example.nl",
        "een lang wachtwoord 1",
        Role::Beheerder,
        Affiliation::None,
    );
    let browser = app.browser();
    browser
        .login("bea@example.nl", "een lang wachtwoord 1")
        .await;
    let (status, html) = browser.get(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Uitloggen") && html.contains("Gezinshuis De Eik"),
        "{html}"
    );
    let (_, html) = app.get_html(&path).await;
    assert!(!html.contains("Uitloggen"), "{html}");
}

/// A kept page goes to a browser as stored, gzip-compressed, and past the outer
/// compression untouched; a client that does not take gzip gets the same page unpacked.
#[tokio::test]
async fn kept_pages_are_sent_gzip_to_who_takes_it_and_plain_to_others() {
    use std::io::Read;
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis De Linde", 3));
    let url = format!("{}/aanbieders/{slug}", app.address);
    // The first request keeps the page, the others are sent from it.
    for round in 0..3 {
        let response = app
            .client
            .get(&url)
            .header("Accept-Encoding", "gzip, deflate, br")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            header("content-encoding").as_deref(),
            Some("gzip"),
            "round {round}"
        );
        assert!(
            header("vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "round {round}"
        );
        let body = response.bytes().await.expect("body");
        let mut html = String::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_string(&mut html)
            .expect("one gzip stream, not compressed twice");
        assert!(
            html.contains("Gezinshuis De Linde"),
            "round {round}: {html}"
        );
    }
    for accept in [None, Some("identity"), Some("gzip;q=0, *")] {
        let mut request = app.client.get(&url);
        if let Some(value) = accept {
            request = request.header("Accept-Encoding", value);
        }
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), 200);
        assert!(
            response
                .headers()
                .get("content-encoding")
                .is_none_or(|v| v != "gzip"),
            "{accept:?}"
        );
        let html = response.text().await.expect("body");
        assert!(html.contains("Gezinshuis De Linde"), "{accept:?}: {html}");
    }
}

/// With `VERSION_POLL_MS=0` a node reads the version on every request, so a change made by
/// another node (here: a write this process does not count) shows at once.
#[tokio::test]
async fn without_a_poll_interval_another_nodes_change_shows_at_once() {
    use diesel::prelude::*;
    use jeugdhulpcatalogus::db::schema::catalogue_version;
    let app = common::spawn_with(|c| c.version_poll_ms = 0).await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Gezinshuis De Linde", 3));
    let id = app.provider_id(&slug);
    let path = format!("/aanbieders/{slug}");
    for _ in 0..3 {
        app.get_html(&path).await;
    }
    // What another node's transaction leaves: a new name and a raised version, neither of
    // which this process's write counter saw.
    diesel::sql_query("UPDATE providers SET name = 'Gezinshuis De Eik' WHERE id = $1")
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(&mut *app.conn())
        .expect("renamed");
    diesel::update(catalogue_version::table)
        .set(catalogue_version::version.eq(catalogue_version::version + 1))
        .execute(&mut *app.conn())
        .expect("raised");
    let (_, html) = app.get_html(&path).await;
    assert!(html.contains("Gezinshuis De Eik"), "{html}");
}

/// "Leeftijd van uw kind" in the catalogue and `leeftijd` in the API keep the providers
/// with an offer whose age range holds it (issue 33, item 20).
#[tokio::test]
async fn the_age_filter_keeps_offers_for_that_age() {
    let app = spawn_app().await;
    let mut young = OfferSpec::new(3, "intensief", &["delft"]);
    young.ages = (0, 11);
    let mut older = OfferSpec::new(3, "intensief", &["delft"]);
    older.ages = (12, 23);
    app.add_provider(ProviderSpec {
        offers: vec![young],
        ..ProviderSpec::admitted_in_delft("Kleine Stapjes", 3)
    });
    app.add_provider(ProviderSpec {
        offers: vec![older],
        ..ProviderSpec::admitted_in_delft("Grote Stappen", 3)
    });
    for (age, expected) in [
        ("5", vec!["kleine-stapjes"]),
        ("11", vec!["kleine-stapjes"]),
        ("12", vec!["grote-stappen"]),
        ("23", vec!["grote-stappen"]),
    ] {
        let (status, list) = app
            .get_json(&format!(
                "/api/v1/providers?profiel=3&gemeente=delft&leeftijd={age}&volgorde=naam"
            ))
            .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(common::slugs(&list), expected, "age {age}");
    }
    let (status, page) = app
        .get_html("/catalogus?profiel=3&gemeente=delft&leeftijd=5")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Leeftijd van uw kind"));
    assert!(page.contains("Kleine Stapjes") && !page.contains("Grote Stappen"));
    for bad in ["24", "-1", "twaalf"] {
        let (status, page) = app
            .get_html(&format!("/catalogus?profiel=3&leeftijd={bad}"))
            .await;
        assert_eq!(status, 400, "{bad}");
        assert!(page.contains("Vul de leeftijd van uw kind in"), "{page}");
        common::assert_error_links_resolve(&page);
        let (status, body) = app
            .get_json(&format!("/api/v1/providers?leeftijd={bad}"))
            .await;
        assert_eq!(status, 400, "{body}");
    }
}

//! Family pages in six languages (issue 39): which language a visitor gets, that the choice
//! is remembered without tracking, that the kept pages keep each language apart, that
//! staff pages stay Dutch, and that no page shows a message id instead of a text.

mod common;

use common::{ProviderSpec, spawn_app};
use jeugdhulpcatalogus::i18n::{Lang, message_ids};

async fn page(app: &common::TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

fn root(html: &str) -> &str {
    let start = html.find("<html").expect("html element");
    let end = start + html[start..].find('>').expect("end of the element");
    &html[start..=end]
}

/// The family pages of a small catalogue: one provider with an offer in Delft.
async fn family_pages(app: &common::TestApp) -> Vec<String> {
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    let other = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp Het Anker", 3));
    vec![
        "/".into(),
        "/catalogus".into(),
        "/catalogus?profiel=3&gemeente=delft".into(),
        "/catalogus?leeftijd=abc".into(),
        format!("/aanbieders/{slug}"),
        format!("/vergelijk?profiel=3&aanbieder={slug}&aanbieder={other}"),
        "/vergelijk".into(),
        "/profielen".into(),
        "/profielen/3".into(),
        "/over".into(),
        "/keuze".into(),
        "/ervaring".into(),
        "/over-de-cijfers".into(),
        format!("/aanbieders/{slug}/melden"),
        "/aanbieders/bestaat-niet".into(),
        "/profielen/99".into(),
    ]
}

#[tokio::test]
async fn the_browser_chooses_the_first_visit_and_the_address_and_cookie_keep_the_choice() {
    let app = spawn_app().await;
    family_pages(&app).await;
    let (_, html) = page(
        &app,
        "/catalogus",
        &[("accept-language", "ar-MA, en;q=0.5")],
    )
    .await;
    assert_eq!(root(&html), r#"<html lang="ar" dir="rtl">"#);
    let (_, html) = page(&app, "/catalogus", &[("accept-language", "de, uk;q=0.3")]).await;
    assert_eq!(root(&html), r#"<html lang="uk" dir="ltr">"#);
    let (_, html) = page(&app, "/catalogus", &[("accept-language", "de, fr")]).await;
    assert_eq!(root(&html), r#"<html lang="nl" dir="ltr">"#);

    // The switch keeps the page and its filters, and says which language is current.
    let (_, html) = page(&app, "/catalogus?profiel=3&gemeente=delft", &[]).await;
    assert!(
        html.contains(
            r#"href="/catalogus?profiel=3&amp;gemeente=delft&amp;taal=en" lang="en" hreflang="en""#
        ),
        "the switch keeps the filters: {html}"
    );
    assert!(html.contains(r#"hreflang="nl" aria-current="true""#));

    // Choosing a language sets a cookie with the language and nothing else, for a year.
    let response = app
        .client
        .get(format!("{}/catalogus?profiel=3&taal=en", app.address))
        .send()
        .await
        .expect("sent");
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .filter(|c| c.starts_with("taal="))
        .collect();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert!(cookies[0].starts_with("taal=en;"), "{}", cookies[0]);
    assert!(cookies[0].contains("Max-Age=31536000"), "{}", cookies[0]);
    assert!(cookies[0].contains("SameSite=Lax"), "{}", cookies[0]);
    let html = response.text().await.expect("body");
    assert!(html.contains("Youth care providers"), "{html}");

    // The cookie then decides, over the browser's languages; the address over the cookie.
    let (_, html) = page(
        &app,
        "/profielen",
        &[("cookie", "taal=pl"), ("accept-language", "en")],
    )
    .await;
    assert_eq!(root(&html), r#"<html lang="pl" dir="ltr">"#);
    let (_, html) = page(&app, "/profielen?taal=tr", &[("cookie", "taal=pl")]).await;
    assert_eq!(root(&html), r#"<html lang="tr" dir="ltr">"#);
    // An unknown language is no error: the page in the language it would have had.
    let (status, html) = page(&app, "/profielen?taal=xx", &[("cookie", "taal=pl")]).await;
    assert_eq!(status, 200);
    assert_eq!(root(&html), r#"<html lang="pl" dir="ltr">"#);
}

#[tokio::test]
async fn staff_pages_stay_dutch_whatever_the_visitor_chose() {
    let app = spawn_app().await;
    for path in [
        "/inloggen",
        "/registreren",
        "/toegankelijkheid",
        "/cijfers/gemeenten",
    ] {
        let (status, html) = page(
            &app,
            path,
            &[("cookie", "taal=ar"), ("accept-language", "ar")],
        )
        .await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(root(&html), r#"<html lang="nl" dir="ltr">"#, "{path}");
        assert!(
            !html.contains("language-switch"),
            "{path}: no switch on a Dutch-only page"
        );
    }
}

#[tokio::test]
async fn kept_pages_keep_each_language_apart() {
    let app = spawn_app().await;
    let slug = app.add_provider(ProviderSpec::admitted_in_delft("Jeugdhulp De Linde", 3));
    let path = format!("/aanbieders/{slug}");
    // Twice each, alternating: the second look is the kept page.
    for _ in 0..2 {
        for (lang, heading) in [
            ("nl", "Wachttijd en ervaring van gezinnen"),
            ("en", "Waiting time and experience of families"),
            ("ar", "وقت الانتظار وتجربة العائلات"),
        ] {
            let (status, html) = page(&app, &path, &[("cookie", &format!("taal={lang}"))]).await;
            assert_eq!(status, 200);
            assert!(html.contains(heading), "{lang}: {html}");
            assert!(root(&html).contains(&format!(r#"lang="{lang}""#)), "{lang}");
        }
    }
    // What the provider wrote stays as written, marked Dutch.
    let (_, html) = page(&app, &path, &[("cookie", "taal=en")]).await;
    assert!(
        html.contains(r#"<p class="lead" lang="nl" dir="ltr">"#),
        "{html}"
    );
}

/// The words a visitor reads or hears: the text between the tags and the values of
/// `aria-label` and `title` (tags, classes and addresses left out).
fn shown_words(html: &str) -> std::collections::HashSet<String> {
    let mut shown = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        shown.push_str(&rest[..open]);
        shown.push(' ');
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close];
        for attribute in ["aria-label=\"", "title=\""] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                shown.push_str(&value[..value.find('"').unwrap_or(0)]);
                shown.push(' ');
            }
        }
        rest = &rest[open + close + 1..];
    }
    shown.push_str(rest);
    shown
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every family page in every language: a complete page, no message id where a text belongs,
/// no Dutch frame left in another language.
#[tokio::test]
async fn no_family_page_shows_a_message_id_in_any_language() {
    let app = spawn_app().await;
    let paths = family_pages(&app).await;
    let ids: Vec<String> = message_ids(Lang::Nl)
        .into_iter()
        .map(|(_, id)| id)
        .filter(|id| id.contains('-'))
        .collect();
    for lang in Lang::ALL {
        for path in &paths {
            let (status, html) =
                page(&app, path, &[("cookie", &format!("taal={}", lang.code()))]).await;
            assert!(status < 500, "{path} in {}", lang.code());
            assert!(html.ends_with("</html>"), "{path} in {}", lang.code());
            let words = shown_words(&html);
            for id in &ids {
                assert!(
                    !words.contains(id),
                    "{path} in {} shows the id {id}",
                    lang.code()
                );
            }
            if lang != Lang::Nl {
                assert!(
                    !html.contains("Direct naar de inhoud"),
                    "{path} in {}",
                    lang.code()
                );
                assert!(!html.contains(">Zoek hulp<"), "{path} in {}", lang.code());
            }
        }
    }
}

#[tokio::test]
async fn the_accessibility_statement_is_in_the_registers_form_and_linked_from_every_page() {
    let app = spawn_app().await;
    let (status, html) = app.get_html("/toegankelijkheid").await;
    assert_eq!(status, 200);
    for part in [
        "De status van deze site is:",
        "B - voldoet gedeeltelijk",
        "Voor welke pagina's geldt dit?",
        "ook de pagina's waarvoor u moet inloggen",
        "Hoe hebben wij dit gecontroleerd?",
        "axe-core",
        "WCAG-EM",
        "Wat werkt nog niet goed?",
        "Wat doen wij eraan?",
        "Klaar op",
        "mailto:toegankelijkheid@jeugdhulpcatalogus.localhost",
        "Nationale ombudsman",
        "voor het laatst bijgewerkt op 7 december 2026",
    ] {
        assert!(html.contains(part), "{part}");
    }
    for path in [
        "/",
        "/catalogus",
        "/inloggen",
        "/profielen",
        "/bestaat-niet",
    ] {
        let (_, html) = app.get_html(path).await;
        assert!(html.contains(r#"href="/toegankelijkheid""#), "{path}");
    }
}

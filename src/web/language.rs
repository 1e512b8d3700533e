//! Which language a page is in. Only the family pages are translated ([`TRANSLATED`]);
//! every other page is Dutch. On a family page the language is, in this order: the `taal`
//! parameter of the address (the language switch's links), the `taal` cookie (the choice
//! remembered: it holds the language code and nothing else, so it tracks no one), the
//! browser's `Accept-Language` on a first visit, Dutch.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use maud::{Markup, html};

use crate::i18n::{Lang, Texts};

/// The family pages: exact paths, and prefixes ending in `/`.
const TRANSLATED: &[&str] = &[
    "/",
    "/catalogus",
    "/aanbieders/",
    "/vergelijk",
    "/profielen",
    "/profielen/",
    "/over",
    "/over-de-cijfers",
    "/keuze",
    "/keuze/",
    "/ervaring",
    "/ervaring/",
    "/meldingen/",
];

/// The parameter of the language switch's links and the cookie that remembers the choice.
pub const PARAMETER: &str = "taal";

/// Whether `path` is one of `list`'s exact paths or under one of its prefixes (`/x/` matches
/// `/x/y`, not `/x/` itself).
pub fn listed(list: &[&str], path: &str) -> bool {
    list.iter().any(|p| {
        if let Some(prefix) = p.strip_suffix('/').filter(|p| !p.is_empty()) {
            path.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| !rest.is_empty())
        } else {
            path == *p
        }
    })
}

pub fn is_translated(path: &str) -> bool {
    listed(TRANSLATED, path)
}

/// The `taal` parameter of the address, when it names a language of the portal.
fn asked(req: &HttpRequest) -> Option<Lang> {
    form_pairs(req.query_string())
        .into_iter()
        .find(|(k, _)| k == PARAMETER)
        .and_then(|(_, v)| Lang::from_code(&v))
}

fn remembered(req: &HttpRequest) -> Option<Lang> {
    req.cookie(PARAMETER)
        .and_then(|c| Lang::from_code(c.value()))
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// The language of this request's page.
pub fn resolve(req: &HttpRequest) -> Lang {
    if !is_translated(req.path()) {
        return Lang::Nl;
    }
    asked(req)
        .or_else(|| remembered(req))
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// The cookie to set when the address chose another language than the one remembered.
pub fn cookie_to_remember(req: &HttpRequest) -> Option<Cookie<'static>> {
    let asked = asked(req)?;
    if remembered(req) == Some(asked) || !is_translated(req.path()) {
        return None;
    }
    Some(
        Cookie::build(PARAMETER, asked.code())
            .path("/")
            .max_age(actix_web::cookie::time::Duration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .finish(),
    )
}

/// The address of this page without its `taal` parameter, ready for one: the switch's
/// links keep the page and its filters.
pub fn switch_base(req: &HttpRequest) -> Option<String> {
    if !is_translated(req.path()) {
        return None;
    }
    let kept: Vec<(String, String)> = form_pairs(req.query_string())
        .into_iter()
        .filter(|(k, _)| k != PARAMETER)
        .collect();
    let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
    Some(if query.is_empty() {
        format!("{}?", req.path())
    } else {
        format!("{}?{query}&", req.path())
    })
}

/// The texts of the page being made (Dutch outside a request or on a staff page). Also
/// inside the request's database work, which `Database::run` gives the request's language.
pub fn texts() -> Texts {
    Texts(
        super::context::current_lang()
            .or_else(crate::i18n::thread_lang)
            .unwrap_or_default(),
    )
}

/// Text as someone wrote it in Dutch (a provider's description, the region's profiles):
/// shown as written, marked Dutch on a page in another language so that a screen reader
/// reads it with Dutch pronunciation.
pub fn dutch(t: Texts, text: &str) -> Markup {
    html! {
        @if t.lang() == Lang::Nl {
            (text)
        } @else {
            span lang="nl" dir="ltr" { (text) }
        }
    }
}

/// The `lang` and `dir` attributes of an element that holds Dutch as written (none on a
/// Dutch page): `p lang=[nl] dir=[ltr]`.
pub fn dutch_marks(t: Texts) -> (Option<&'static str>, Option<&'static str>) {
    if t.lang() == Lang::Nl {
        (None, None)
    } else {
        (Some("nl"), Some("ltr"))
    }
}

/// The language switch: each language in its own name and script, the current one marked.
pub fn switch(base: &str, current: Lang) -> Markup {
    let t = Texts(current);
    html! {
        nav.language-switch aria-label=(t.msg("language-switch")) {
            ul {
                @for lang in Lang::ALL {
                    li {
                        @if lang == current {
                            a href=(format!("{base}{PARAMETER}={}", lang.code())) lang=(lang.code()) hreflang=(lang.code()) aria-current="true" { (lang.own_name()) }
                        } @else {
                            a href=(format!("{base}{PARAMETER}={}", lang.code())) lang=(lang.code()) hreflang=(lang.code()) { (lang.own_name()) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_address_then_the_cookie_then_the_browser_decide() {
        let req = TestRequest::get()
            .uri("/catalogus?profiel=3&taal=ar")
            .cookie(Cookie::new("taal", "pl"))
            .insert_header(("accept-language", "en"))
            .to_http_request();
        assert_eq!(resolve(&req), Lang::Ar);
        assert_eq!(
            cookie_to_remember(&req).map(|c| c.value().to_owned()),
            Some("ar".into())
        );
        assert_eq!(switch_base(&req).as_deref(), Some("/catalogus?profiel=3&"));
        let req = TestRequest::get()
            .uri("/catalogus")
            .cookie(Cookie::new("taal", "pl"))
            .insert_header(("accept-language", "en"))
            .to_http_request();
        assert_eq!(resolve(&req), Lang::Pl);
        assert!(cookie_to_remember(&req).is_none());
        let req = TestRequest::get()
            .uri("/aanbieders/de-brug?taal=xx")
            .insert_header(("accept-language", "de-DE, uk;q=0.8, en;q=0.5"))
            .to_http_request();
        assert_eq!(resolve(&req), Lang::Uk);
        let req = TestRequest::get().uri("/vergelijk").to_http_request();
        assert_eq!(resolve(&req), Lang::Nl);
    }

    #[test]
    fn staff_pages_stay_dutch() {
        let req = TestRequest::get()
            .uri("/mijn-werk?taal=en")
            .cookie(Cookie::new("taal", "en"))
            .to_http_request();
        assert_eq!(resolve(&req), Lang::Nl);
        assert!(cookie_to_remember(&req).is_none());
        assert!(switch_base(&req).is_none());
    }
}

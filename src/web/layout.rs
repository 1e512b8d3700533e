//! The page frame every HTML page shares: skip link, header with the main menu,
//! breadcrumb, main landmark and footer, after the conventions of the NL Design System.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use super::assets;
use super::error::AppError;
use crate::i18n::{Lang, Texts};

/// What every page needs to know about the site it is part of.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    /// The database holds the fictional demo data: every page says so.
    pub demo: bool,
    /// The address for accessibility problems and questions (`CONTACT_EMAIL`).
    pub contact_email: String,
}

/// One step of the breadcrumb; the last one is the current page and has no link.
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: Some(href.into()),
        }
    }

    pub fn here(label: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: None,
        }
    }
}

pub struct Page<'a> {
    pub title: &'a str,
    pub site: &'a SiteInfo,
    pub crumbs: Vec<Crumb>,
    /// Which item of the main menu is current (its path).
    pub section: Option<&'static str>,
    /// The signed-in user, for the account links in the header.
    pub account: Option<Account<'a>>,
}

/// The signed-in user and the CSRF token for the logout button.
#[derive(Clone, Copy)]
pub struct Account<'a> {
    pub user: &'a super::auth::SessionUser,
    pub csrf: &'a super::csrf::CsrfToken,
}

/// The main menu: each item's path and message.
const MENU: [(&str, &str); 3] = [
    ("/catalogus", "menu-search"),
    ("/profielen", "menu-profiles"),
    ("/over", "menu-about"),
];

impl Page<'_> {
    pub fn render(self, content: Markup) -> Markup {
        // Pages that do not pass the user themselves (public and error pages) still show
        // who is signed in: the request's context knows.
        let context = super::context::current();
        let context_account = match (&context.user, &context.csrf) {
            (Some(user), Some(csrf)) => Some(Account { user, csrf }),
            _ => None,
        };
        let account = self.account.or(context_account);
        let demo = self.site.demo || context.site.demo;
        let lang = context.lang;
        let t = Texts(lang);
        let full_title = if self.title == "Jeugdhulpcatalogus" {
            self.title.to_owned()
        } else {
            format!("{} - Jeugdhulpcatalogus", self.title)
        };
        // A refused form says so first, in the title a screen reader reads on load, and the
        // script moves focus to the summary (or to a confirmation).
        let refused = content.0.contains(r#"class="error-summary""#);
        let full_title = if refused {
            t.fmt("title-refused", &[("title", full_title.into())])
        } else {
            full_title
        };
        // The small script (assets/page.js) only where it has something to do: a focus to
        // move or a print button to show.
        let script =
            refused || content.0.contains("data-focus") || content.0.contains("data-print");
        html! {
            (DOCTYPE)
            html lang=(lang.code()) dir=(lang.dir()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (full_title) }
                    link rel="stylesheet" href=(assets::url("style.css"));
                    link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
                    @if script {
                        script src=(assets::url("page.js")) defer {}
                    }
                }
                body {
                    a.skip-link href="#inhoud" { (t.msg("skip-link")) }
                    @if demo {
                        div.demo-banner role="region" aria-label="Demo" {
                            div.container {
                                strong { (t.msg("demo-banner-title")) }
                                " " (t.msg("demo-banner"))
                            }
                        }
                    }
                    (site_header(t, self.section, account))
                    @if let Some(base) = &context.switch_base {
                        div.container { (super::language::switch(base, lang)) }
                    }
                    @if !self.crumbs.is_empty() {
                        (breadcrumb(t, &self.crumbs))
                    }
                    main #inhoud.container tabindex="-1" {
                        (content)
                    }
                    (site_footer(t, demo))
                }
            }
        }
    }
}

fn site_header(t: Texts, section: Option<&str>, account: Option<Account<'_>>) -> Markup {
    html! {
        header.site-header {
            div.container.site-header__inner {
                a.site-logo href="/" {
                    img src=(assets::url("logo.svg")) alt="" width="40" height="40";
                    span { "Jeugdhulpcatalogus" }
                }
                nav.main-menu aria-label=(t.msg("menu-label")) {
                    ul {
                        @for (href, label) in MENU {
                            li {
                                @if section == Some(href) {
                                    a href=(href) aria-current="page" { (t.msg(label)) }
                                } @else {
                                    a href=(href) { (t.msg(label)) }
                                }
                            }
                        }
                        @match account {
                            Some(account) => {
                                li {
                                    a href=(account.user.role().home()) aria-current=[(section == Some("/mijn-werk")).then_some("page")] { (t.msg("menu-my-work")) }
                                }
                                li { a href="/account" { span.visually-hidden { (t.msg("menu-signed-in-as")) " " } (account.user.name) } }
                                li {
                                    form.inline-form method="post" action="/uitloggen" {
                                        (account.csrf.field())
                                        button.link-button type="submit" { (t.msg("menu-sign-out")) }
                                    }
                                }
                            }
                            None => {
                                li { a href="/inloggen" { (t.msg("menu-sign-in")) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn breadcrumb(t: Texts, crumbs: &[Crumb]) -> Markup {
    html! {
        nav.breadcrumb.container aria-label=(t.msg("breadcrumb-label")) {
            ol {
                li { a href="/" { (t.msg("breadcrumb-home")) } }
                @for crumb in crumbs {
                    li {
                        @match &crumb.href {
                            Some(href) => a href=(href) { (crumb.label) },
                            None => span aria-current="page" { (crumb.label) },
                        }
                    }
                }
            }
        }
    }
}

fn site_footer(t: Texts, demo: bool) -> Markup {
    html! {
        footer.site-footer {
            div.container {
                @if demo {
                    p.demo-note {
                        strong { (t.msg("demo-note-title")) }
                        " " (t.msg("demo-note"))
                    }
                }
                p { (t.msg("footer-about")) }
                ul.footer-links {
                    li { a href="/over" { (t.msg("menu-about")) } }
                    // The statement is in Dutch, as registered.
                    li { a href="/toegankelijkheid" lang=[(t.lang() != Lang::Nl).then_some("nl")] dir=[(t.lang() != Lang::Nl).then_some("ltr")] { "Toegankelijkheid" } }
                    li { a href="/profielen" { (t.msg("footer-profiles")) } }
                    li { a href="/cijfers/gemeenten" { (t.msg("footer-monitor")) } }
                    li { a href="/api/v1/providers" { (t.msg("footer-open-data")) } }
                    li { a href="/registreren" { (t.msg("footer-register")) } }
                }
            }
        }
    }
}

/// The full page for an error, used by `AppError`'s response mapping.
pub fn error_page(status: StatusCode, error: &AppError) -> HttpResponse {
    let t = super::language::texts();
    let kind = match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::BAD_REQUEST => "bad-request",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::CONFLICT => "conflict",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        _ => "other",
    };
    let title = t.msg(&format!("error-{kind}-title"));
    let advice = t.msg(&format!("error-{kind}-advice"));
    let site = SiteInfo::default();
    let errors = match error {
        AppError::InvalidInput(errors) if errors.len() > 1 => errors.as_slice(),
        _ => &[],
    };
    let body = Page { title: &title, site: &site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (title) }
        p.lead { (error.message()) }
        @if !errors.is_empty() {
            ul { @for e in errors { li { (e.message) } } }
        }
        p { (advice) }
        p { a href="/" { (t.msg("error-to-start")) } " " (t.msg("error-or")) " " a href="/catalogus" { (t.msg("error-to-catalogue")) } "." }
    });
    html_response(status, body)
}

/// The answer to a form that worked: go to this page (303, so a refresh does not post again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::build(StatusCode::SEE_OTHER)
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// A form's page: 200 when it is shown, 422 when it comes back with the reasons a submission
/// was refused. Every refused form answers the same way, whatever the page.
pub fn form_response(errors: &[crate::web::FieldError], body: Markup) -> HttpResponse {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html_response(status, body)
}

pub fn html_response(status: StatusCode, body: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body.into_string())
}

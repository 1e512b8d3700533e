//! The page frame every HTML page shares: skip link, header with the main menu,
//! breadcrumb, main landmark and footer, after the conventions of the NL Design System.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use super::assets;
use super::error::AppError;

/// What every page needs to know about the site it is part of.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    /// The database holds the fictional demo data: every page says so.
    pub demo: bool,
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

const MENU: [(&str, &str); 3] = [
    ("/catalogus", "Zoek hulp"),
    ("/profielen", "Profielen"),
    ("/over", "Over deze site"),
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
        let full_title = if self.title == "Jeugdhulpcatalogus" {
            self.title.to_owned()
        } else {
            format!("{} - Jeugdhulpcatalogus", self.title)
        };
        // A refused form says so first, in the title a screen reader reads on load, and the
        // script moves focus to the summary (or to a confirmation).
        let refused = content.0.contains(r#"class="error-summary""#);
        let full_title = if refused {
            format!("Fout: {full_title}")
        } else {
            full_title
        };
        // The small script (assets/page.js) only where it has something to do: a focus to
        // move or a print button to show.
        let script =
            refused || content.0.contains("data-focus") || content.0.contains("data-print");
        html! {
            (DOCTYPE)
            html lang="nl" {
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
                    a.skip-link href="#inhoud" { "Direct naar de inhoud" }
                    @if demo {
                        div.demo-banner role="region" aria-label="Demo" {
                            div.container {
                                strong { "Demoversie." }
                                " Alle aanbieders en gegevens op deze site zijn verzonnen."
                            }
                        }
                    }
                    (site_header(self.section, account))
                    @if !self.crumbs.is_empty() {
                        (breadcrumb(&self.crumbs))
                    }
                    main #inhoud.container tabindex="-1" {
                        (content)
                    }
                    (site_footer(demo))
                }
            }
        }
    }
}

fn site_header(section: Option<&str>, account: Option<Account<'_>>) -> Markup {
    html! {
        header.site-header {
            div.container.site-header__inner {
                a.site-logo href="/" {
                    img src=(assets::url("logo.svg")) alt="" width="40" height="40";
                    span { "Jeugdhulpcatalogus" }
                }
                nav.main-menu aria-label="Hoofdmenu" {
                    ul {
                        @for (href, label) in MENU {
                            li {
                                @if section == Some(href) {
                                    a href=(href) aria-current="page" { (label) }
                                } @else {
                                    a href=(href) { (label) }
                                }
                            }
                        }
                        @match account {
                            Some(account) => {
                                li {
                                    a href=(account.user.role().home()) aria-current=[(section == Some("/mijn-werk")).then_some("page")] { "Mijn werk" }
                                }
                                li { a href="/account" { span.visually-hidden { "Ingelogd als " } (account.user.name) } }
                                li {
                                    form.inline-form method="post" action="/uitloggen" {
                                        (account.csrf.field())
                                        button.link-button type="submit" { "Uitloggen" }
                                    }
                                }
                            }
                            None => {
                                li { a href="/inloggen" { "Inloggen" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn breadcrumb(crumbs: &[Crumb]) -> Markup {
    html! {
        nav.breadcrumb.container aria-label="Kruimelpad" {
            ol {
                li { a href="/" { "Startpagina" } }
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

fn site_footer(demo: bool) -> Markup {
    html! {
        footer.site-footer {
            div.container {
                @if demo {
                    p.demo-note {
                        strong { "Dit is een demo." }
                        " De aanbieders, adressen en cijfers zijn verzonnen. Kies geen hulp op basis van deze gegevens."
                    }
                }
                p {
                    "De jeugdhulpcatalogus helpt ouders, jongeren en jeugdprofessionals om samen een aanbieder van jeugdhulp te kiezen. "
                    "De volgorde van aanbieders is nooit te koop."
                }
                ul.footer-links {
                    li { a href="/over" { "Over deze site" } }
                    li { a href="/profielen" { "Profielen en tarieven" } }
                    li { a href="/cijfers/gemeenten" { "Cijfers per gemeente" } }
                    li { a href="/api/v1/providers" { "Open data (API)" } }
                    li { a href="/registreren" { "Aanbieder? Meld uw organisatie aan" } }
                }
            }
        }
    }
}

/// The full page for an error, used by `AppError`'s response mapping.
pub fn error_page(status: StatusCode, error: &AppError) -> HttpResponse {
    let (title, advice) = match status {
        StatusCode::NOT_FOUND => (
            "Pagina niet gevonden",
            "Misschien is de link oud of zit er een typefout in het adres.",
        ),
        StatusCode::BAD_REQUEST => ("Dit klopt niet", "Pas uw keuze aan en probeer het opnieuw."),
        StatusCode::FORBIDDEN => (
            "Geen toegang",
            "Denkt u dat u hier wel mag komen? Neem contact op met de beheerder van uw organisatie.",
        ),
        StatusCode::CONFLICT => (
            "Dit is al gebeurd",
            "Er is niets veranderd. Ga terug en bekijk hoe het er nu voor staat.",
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            "Even niet bereikbaar",
            "Wij werken eraan. Uw gegevens zijn niet verloren gegaan.",
        ),
        _ => ("Er ging iets mis", "Probeer het later opnieuw."),
    };
    let site = SiteInfo::default();
    let errors = match error {
        AppError::InvalidInput(errors) if errors.len() > 1 => errors.as_slice(),
        _ => &[],
    };
    let body = Page { title, site: &site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (title) }
        p.lead { (error.message()) }
        @if !errors.is_empty() {
            ul { @for e in errors { li { (e.message) } } }
        }
        p { (advice) }
        p { a href="/" { "Naar de startpagina" } " of " a href="/catalogus" { "zoek hulp in de catalogus" } "." }
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

//! The pages of a sign-in that did not end in a session.

use maud::{Markup, html};

use crate::web::SiteInfo;
use crate::web::layout::{Crumb, Page};

/// Why there is no session, with what the person can do next.
pub fn refused(site: &SiteInfo, title: &str, lines: &[&str]) -> Markup {
    Page {
        title,
        site,
        crumbs: vec![Crumb::link("Inloggen", "/inloggen"), Crumb::here(title)],
        section: None,
        account: None,
    }
    .render(html! {
        div.narrow {
            h1 { (title) }
            @for line in lines {
                p { (line) }
            }
            p { a href="/inloggen" { "Terug naar inloggen" } }
        }
    })
}

pub fn no_access(site: &SiteInfo) -> Markup {
    refused(
        site,
        "U heeft nog geen toegang",
        &[
            "Uw organisatie weet wie u bent, maar in de jeugdhulpcatalogus heeft u nog geen account.",
            "Wij hebben uw aanvraag doorgegeven aan de beheerders van de regio. Zij kiezen uw rol en uw gemeente of regio. Vraag uw beheerder of dat gebeurd is, en log daarna opnieuw in.",
        ],
    )
}

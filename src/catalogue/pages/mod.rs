//! Pages of the catalogue: the start page and the page about the site here; the search
//! page with its filters and cards (`listing`), a provider's page (`detail`) and the
//! comparison side by side (`comparison`).

use maud::{Markup, html};

use crate::reference::ReferenceData;
use crate::web::SiteInfo;
use crate::web::language::{dutch, texts};
use crate::web::layout::{Crumb, Page};

use listing::{intensity_select, municipality_select};

mod listing;
pub use listing::catalogue;
mod detail;
pub(crate) use detail::{excerpt, language_name, waiting_label};
pub use detail::{families, families_block, provider};
pub(crate) use listing::waiting_range;
pub mod accessibility;
mod comparison;
pub use comparison::{CompareView, compare};

/// In demo mode: which demo account shows which journey. The passwords are printed in the
/// terminal at start, never on a page.
fn demo_accounts_hint() -> Markup {
    html! {
        div.notice role="note" {
            p { strong { "Probeer de demo." } " Log in met een van deze accounts. Het wachtwoord staat in de terminal waarin u de demo startte." }
            ul {
                li { code { "toegang@demo.jeugdhulpcatalogus.nl" } ": toegangsmedewerker in Delft. Bekijk hulpvragen in elke fase, maak een nieuwe en een link voor het gezin." }
                li { code { "aanbieder@demo.jeugdhulpcatalogus.nl" } ": aanbieder in Haaglanden die ook in Delft werkt. Beantwoord een nieuwe aanvraag, leg uw cijfers van het laatste kwartaal uit en dien ze in." }
                li { code { "contractmanager@demo.jeugdhulpcatalogus.nl" } ": contractmanager van Haaglanden. Beoordeel aanmeldingen en een ingediend rapport, en publiceer het." }
                li { code { "beheerder@demo.jeugdhulpcatalogus.nl" } ": beheerder van alle regio's. Nodig mensen uit en beheer de procesovereenkomst." }
                li { code { "beheerder-haaglanden@demo.jeugdhulpcatalogus.nl" } ": beheerder van Haaglanden. Beheer de mensen van de regio; er staat een uitnodiging open." }
            }
        }
    }
}

pub fn start(site: &SiteInfo, reference: &ReferenceData) -> Markup {
    let t = texts();
    Page { title: "Jeugdhulpcatalogus", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (t.msg("start-title")) }
        @if site.demo { (demo_accounts_hint()) }
        p.lead { (t.msg("start-lead")) }
        p { (t.msg("start-help")) }
        form.start-form method="get" action="/catalogus" {
            fieldset {
                legend { h2 { (t.msg("start-situation")) } }
                span.hint { (t.msg("start-situation-hint")) }
                ul.choice-list {
                    li.choice {
                        input #profiel-geen type="radio" name="profiel" value="" checked;
                        label for="profiel-geen" { strong { (t.msg("start-not-sure")) } (t.msg("start-not-sure-hint")) }
                    }
                    @for p in reference.profile_summaries() {
                        li.choice {
                            input #{ "profiel-" (p.number) } type="radio" name="profiel" value=(p.number);
                            label for={ "profiel-" (p.number) } {
                                strong { (t.fmt("profile-number", &[("number", p.number.into())])) }
                                (dutch(t, p.description))
                            }
                        }
                    }
                }
            }
            div.field {
                label for="start-gemeente" { (t.msg("start-municipality")) }
                span.hint { (t.msg("start-municipality-hint")) }
                (municipality_select("start-gemeente", reference, None, false))
            }
            div.field {
                label for="start-intensiteit" { (t.msg("start-intensity")) }
                (intensity_select("start-intensiteit", reference, None, false))
            }
            div.field {
                label for="start-q" { (t.msg("start-query")) }
                span.hint { (t.msg("start-query-hint")) }
                input #start-q type="search" name="q" maxlength="100" autocomplete="off";
            }
            button type="submit" { (t.msg("start-submit")) }
        }
        h2 { (t.msg("start-good-to-know")) }
        ul {
            li { (t.msg("start-order")) }
            li { (t.msg("start-admitted")) }
            li { a href="/profielen" { (t.msg("start-profiles-link")) } "." }
        }
    })
}

pub fn about(site: &SiteInfo) -> Markup {
    let t = texts();
    let title = t.msg("menu-about");
    Page {
        title: &title,
        site,
        crumbs: vec![Crumb::here(title.clone())],
        section: Some("/over"),
        account: None,
    }
    .render(html! {
        h1 { (t.msg("about-title")) }
        p.lead { (t.msg("about-lead")) }
        h2 { (t.msg("about-how")) }
        p { (t.msg("about-how-what")) }
        h2 { (t.msg("about-order")) }
        p { (t.msg("about-order-what")) }
        h2 { (t.msg("about-results")) }
        p { (t.msg("about-results-what")) }
        h2 { (t.msg("about-open-data")) }
        p {
            (t.msg("about-open-data-what")) " "
            a href="/api/v1/providers" { (t.msg("about-open-data-providers")) } ", "
            a href="/api/v1/profiles" { (t.msg("about-open-data-profiles")) } ". "
            (t.msg("about-open-data-hsds")) " "
            a href="/api/docs" { (t.msg("about-open-data-docs")) } "."
        }
        @if site.demo {
            p.demo-note { strong { (t.msg("about-demo-title")) } " " (t.msg("about-demo")) }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(excerpt("kort", 10), "kort");
        assert_eq!(excerpt("een lange zin met woorden", 12), "een lange…");
    }
}

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
    Page { title: "Over deze site", site, crumbs: vec![Crumb::here("Over deze site")], section: Some("/over"), account: None }
        .render(html! {
            h1 { "Over de jeugdhulpcatalogus" }
            p.lead {
                "In de jeugdhulpcatalogus vinden ouders, jongeren en jeugdprofessionals aanbieders van jeugdhulp. "
                "Gemeenten in een regio kopen samen jeugdhulp in. Elke aanbieder die aan de eisen voldoet, mag op elk moment van het jaar meedoen."
            }
            h2 { "Hoe kiest u?" }
            p {
                "Samen met uw jeugdprofessional kiest u eerst het profiel dat past bij uw situatie. "
                "Daarna kiest u een aanbieder. Let op wat de aanbieder doet, waar, en hoe lang u moet wachten."
            }
            h2 { "Waarom staat deze aanbieder bovenaan?" }
            p {
                "Dat is toeval. De volgorde is elke dag anders. Geen aanbieder kan een plek bovenaan kopen. "
                "Zo blijft de jeugdprofessional onpartijdig. U kunt de lijst ook op naam zetten."
            }
            h2 { "Resultaten van aanbieders" }
            p {
                "Aanbieders geven door hoe hun hulp afloopt. De regio controleert die cijfers voordat wij ze laten zien. "
                "Wij laten altijd zien op hoeveel cliënten een cijfer is gebaseerd. Bij te weinig cliënten tonen wij geen cijfer."
            }
            h2 { "Open data" }
            p {
                "Dezelfde gegevens zijn beschikbaar als open data, bijvoorbeeld "
                a href="/api/v1/providers" { "alle aanbieders" } " en " a href="/api/v1/profiles" { "de profielen met tarieven" } ". "
                "Andere systemen, zoals de sociale kaart, lezen de catalogus ook in de open standaard van Open Referral (HSDS 3.0). "
                a href="/api/docs" { "Lees hoe de API werkt" } "."
            }
            @if site.demo {
                p.demo-note { strong { "Let op: " } "dit is een demoversie. Alle aanbieders en gegevens zijn verzonnen." }
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

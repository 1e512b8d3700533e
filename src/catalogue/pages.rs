use std::collections::BTreeSet;

use crate::web::components::scroll_region;
use maud::{Markup, html};

use super::model::{ProviderCard, ProviderDetail, SearchResult};
use super::routes::SearchOutcome;
use super::search::{Order, SearchParams};
use crate::providers::{Offer, Setting};
use crate::reference::ReferenceData;
use crate::web::components::{error_summary, field_error, field_id, pagination};
use crate::web::layout::{Crumb, Page};
use crate::web::text::{date_nl, weeks_nl};
use crate::web::{FieldError, SiteInfo};

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
                li { code { "beheerder@demo.jeugdhulpcatalogus.nl" } ": beheerder. Beheer de procesovereenkomst." }
            }
        }
    }
}

pub fn start(site: &SiteInfo, reference: &ReferenceData) -> Markup {
    Page { title: "Jeugdhulpcatalogus", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Welke hulp zoekt u?" }
        @if site.demo { (demo_accounts_hint()) }
        p.lead {
            "Hier vindt u aanbieders van jeugdhulp in uw gemeente. "
            "U ziet wat zij doen, waar zij werken en hoe lang u moet wachten."
        }
        p {
            "Uw jeugdprofessional of het wijkteam helpt u kiezen. U kunt hier alvast rondkijken. "
            "Inloggen is niet nodig."
        }
        form.start-form method="get" action="/catalogus" {
            fieldset {
                legend { h2 { "Welke situatie past het best?" } }
                span.hint { "Weet u het niet zeker? Kies dan 'Weet ik nog niet'. Uw jeugdprofessional kiest het profiel samen met u." }
                ul.choice-list {
                    li.choice {
                        input #profiel-geen type="radio" name="profiel" value="" checked;
                        label for="profiel-geen" { strong { "Weet ik nog niet" } "Laat alle aanbieders zien." }
                    }
                    @for p in reference.profile_summaries() {
                        li.choice {
                            input #{ "profiel-" (p.number) } type="radio" name="profiel" value=(p.number);
                            label for={ "profiel-" (p.number) } {
                                strong { "Profiel " (p.number) }
                                (p.description)
                            }
                        }
                    }
                }
            }
            div.field {
                label for="start-gemeente" { "In welke gemeente woont het kind?" }
                span.hint { "De gemeente regelt en betaalt de jeugdhulp." }
                (municipality_select("start-gemeente", reference, None, false))
            }
            div.field {
                label for="start-intensiteit" { "Hoeveel hulp is nodig? (niet verplicht)" }
                (intensity_select("start-intensiteit", reference, None, false))
            }
            div.field {
                label for="start-q" { "Zoek op naam of woord (niet verplicht)" }
                span.hint { "Bijvoorbeeld 'autisme' of de naam van een aanbieder." }
                input #start-q type="search" name="q" maxlength="100" autocomplete="off";
            }
            button type="submit" { "Zoek aanbieders" }
        }
        h2 { "Goed om te weten" }
        ul {
            li { "De volgorde van aanbieders is willekeurig en elke dag anders. Een aanbieder kan geen betere plek kopen." }
            li { "Alle aanbieders in de catalogus zijn toegelaten door de regio." }
            li { a href="/profielen" { "Lees wat de profielen betekenen" } "." }
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
                a href="/api/v1/providers" { "alle aanbieders" } " en " a href="/api/v1/profiles" { "de profielen met tarieven" } "."
            }
            @if site.demo {
                p.demo-note { strong { "Let op: " } "dit is een demoversie. Alle aanbieders en gegevens zijn verzonnen." }
            }
        })
}

fn municipality_select(
    id: &str,
    reference: &ReferenceData,
    selected: Option<&str>,
    invalid: bool,
) -> Markup {
    html! {
        select #(id) name="gemeente" aria-invalid=[invalid.then_some("true")] aria-describedby=[invalid.then(|| format!("{id}-fout"))] {
            option value="" { "Alle gemeenten" }
            @for region in &reference.regions {
                optgroup label={ "Regio " (region.name) } {
                    @for m in reference.municipalities_of(region.id) {
                        option value=(m.slug) selected[selected == Some(m.slug.as_str())] { (m.name) }
                    }
                }
            }
        }
    }
}

fn intensity_select(
    id: &str,
    reference: &ReferenceData,
    selected: Option<&str>,
    invalid: bool,
) -> Markup {
    html! {
        select #(id) name="intensiteit" aria-invalid=[invalid.then_some("true")] aria-describedby=[invalid.then(|| format!("{id}-fout"))] {
            option value="" { "Alle intensiteiten" }
            @for i in reference.intensity_summaries() {
                option value=(i.code) selected[selected == Some(i.code)] { (i.name) }
            }
        }
    }
}

/// A labelled field with its error, as the NL Design System shows them.
fn field(name: &str, label: &str, errors: &[FieldError], control: Markup) -> Markup {
    let error = field_error(errors, name);
    html! {
        div.field.field--error[error.is_some()] {
            label for=(field_id(name)) { (label) }
            @if let Some(e) = error {
                span.field-error id={ (field_id(name)) "-fout" } { span.visually-hidden { "Fout: " } (e.message) }
            }
            (control)
        }
    }
}

fn filter_form(reference: &ReferenceData, params: &SearchParams, errors: &[FieldError]) -> Markup {
    let invalid = |name: &str| field_error(errors, name).is_some();
    let profile = params.profiel.as_deref();
    html! {
        form.filters method="get" action="/catalogus" aria-labelledby="filters-titel" {
            h2 #filters-titel { "Zoek en filter" }
            (field("profiel", "Profiel", errors, html! {
                select #(field_id("profiel")) name="profiel" aria-invalid=[invalid("profiel").then_some("true")]
                    aria-describedby=[invalid("profiel").then(|| format!("{}-fout", field_id("profiel")))] {
                    option value="" { "Alle profielen" }
                    @for p in reference.profile_summaries() {
                        option value=(p.number) selected[profile == Some(p.number.to_string().as_str())] {
                            "Profiel " (p.number)
                        }
                    }
                }
            }))
            (field("gemeente", "Gemeente", errors,
                municipality_select(&field_id("gemeente"), reference, params.gemeente.as_deref(), invalid("gemeente"))))
            (field("intensiteit", "Intensiteit", errors,
                intensity_select(&field_id("intensiteit"), reference, params.intensiteit.as_deref(), invalid("intensiteit"))))
            (field("q", "Zoekwoord", errors, html! {
                input #(field_id("q")) type="search" name="q" value=[params.q.as_deref()] maxlength="100"
                    aria-invalid=[invalid("q").then_some("true")]
                    aria-describedby=[invalid("q").then(|| format!("{}-fout", field_id("q")))];
            }))
            (field("volgorde", "Volgorde", errors, html! {
                select #(field_id("volgorde")) name="volgorde" aria-invalid=[invalid("volgorde").then_some("true")]
                    aria-describedby=[invalid("volgorde").then(|| format!("{}-fout", field_id("volgorde")))] {
                    option value="willekeurig" selected[params.volgorde.as_deref() != Some("naam")] { "Willekeurig (elke dag anders)" }
                    option value="naam" selected[params.volgorde.as_deref() == Some("naam")] { "Op naam (A tot Z)" }
                    @for (value, _, label) in super::search::SCORE_ORDERS {
                        option value=(value) selected[params.volgorde.as_deref() == Some(value)] { (label) " – kies een profiel" }
                    }
                }
            }))
            button type="submit" { "Toon aanbieders" }
        }
    }
}

fn active_filters(reference: &ReferenceData, params: &SearchParams) -> Markup {
    let mut chips: Vec<(String, String)> = Vec::new();
    if let Some(p) = &params.profiel {
        chips.push((
            format!("Profiel {p}"),
            params.href(|x| {
                x.profiel = None;
                x.pagina = None;
            }),
        ));
    }
    if let Some(g) = &params.gemeente {
        let name = reference
            .municipality_by_slug(g)
            .map_or(g.as_str(), |m| m.name.as_str());
        chips.push((
            format!("Gemeente {name}"),
            params.href(|x| {
                x.gemeente = None;
                x.pagina = None;
            }),
        ));
    }
    if let Some(i) = &params.intensiteit {
        let name = reference
            .intensity_summaries()
            .into_iter()
            .find(|s| s.code == i.as_str())
            .map_or(i.clone(), |s| s.name.to_owned());
        chips.push((
            format!("Intensiteit {name}"),
            params.href(|x| {
                x.intensiteit = None;
                x.pagina = None;
            }),
        ));
    }
    if let Some(q) = &params.q {
        chips.push((
            format!("Zoekwoord '{q}'"),
            params.href(|x| {
                x.q = None;
                x.pagina = None;
            }),
        ));
    }
    html! {
        @if !chips.is_empty() {
            h2.visually-hidden { "Gekozen filters" }
            ul.active-filters {
                @for (label, href) in &chips {
                    li { a href=(href) aria-label={ "Filter " (label) " weghalen" } { (label) } }
                }
            }
        }
    }
}

pub fn catalogue(site: &SiteInfo, outcome: &SearchOutcome) -> Markup {
    let reference = &outcome.reference;
    let params = &outcome.params;
    let no_errors: Vec<FieldError> = vec![];
    let errors = outcome.result.as_ref().err().unwrap_or(&no_errors);
    let title = match &outcome.result {
        Ok((search, found)) if found.pages() > 1 => {
            format!("Aanbieders, pagina {} van {}", search.page, found.pages())
        }
        Ok(_) => "Aanbieders".to_owned(),
        Err(_) => "Aanbieders: controleer uw zoekopdracht".to_owned(),
    };
    Page { title: &title, site, crumbs: vec![Crumb::here("Aanbieders")], section: Some("/catalogus"), account: None }.render(html! {
        h1 { "Aanbieders van jeugdhulp" }
        (error_summary(errors))
        div.search-layout {
            (filter_form(reference, params, errors))
            section aria-labelledby="resultaten-titel" {
                h2.visually-hidden #resultaten-titel { "Resultaten" }
                @match &outcome.result {
                    Err(_) => {
                        p.empty-state { "Pas uw zoekopdracht aan. Daarna ziet u de aanbieders." }
                    }
                    Ok((search, found)) => {
                        p.result-summary role="status" {
                            @match found.total {
                                0 => "Geen aanbieders gevonden",
                                1 => "1 aanbieder gevonden",
                                n => { (n) " aanbieders gevonden" }
                            }
                        }
                        (active_filters(reference, params))
                        @if found.total > 0 {
                            p.order-note {
                                @match search.order {
                                    Order::Daily => {
                                        "De volgorde is willekeurig en elke dag anders. Geen aanbieder kan een betere plek kopen. "
                                        a href=(params.href(|x| { x.volgorde = Some("naam".into()); x.pagina = None; })) { "Zet op naam" }
                                    }
                                    Order::Name => {
                                        "Op naam, van A tot Z. "
                                        a href=(params.href(|x| { x.volgorde = None; x.pagina = None; })) { "Zet in willekeurige volgorde" }
                                    }
                                    Order::Score(code) => {
                                        "Gesorteerd op " (crate::outcomes::pages::indicator_label(code).to_lowercase())
                                        ", volgens de laatst gepubliceerde cijfers voor dit profiel. Aanbieders zonder cijfers of met te weinig gegevens staan daarna, in willekeurige volgorde. "
                                        a href=(params.href(|x| { x.volgorde = None; x.pagina = None; })) { "Zet in willekeurige volgorde" }
                                    }
                                }
                            }
                        }
                        @if found.total == 0 {
                            div.empty-state {
                                p { "Er zijn geen aanbieders die bij al uw keuzes passen." }
                                p { "Probeer het met minder filters, of " a href="/catalogus" { "bekijk alle aanbieders" } "." }
                            }
                        } @else if found.providers.is_empty() {
                            div.empty-state {
                                p { "Deze pagina bestaat niet: er zijn " (found.pages()) " pagina's." }
                                p { a href=(params.href(|x| x.pagina = None)) { "Ga naar de eerste pagina" } }
                            }
                        } @else {
                            form.compare-form method="get" action="/vergelijk" {
                                @if let Some(number) = search.filter.profile_number {
                                    input type="hidden" name="profiel" value=(number);
                                }
                                p.hint #vergelijk-uitleg { "Vink 2 tot 4 aanbieders aan en kies 'Vergelijk' om ze naast elkaar te zien." }
                                ol.card-list {
                                    @for card in &found.providers {
                                        li { (provider_card(reference, search.filter.profile_number, card, found)) }
                                    }
                                }
                                button type="submit" aria-describedby="vergelijk-uitleg" { "Vergelijk de aangevinkte aanbieders" }
                            }
                            (pagination(search.page, found.pages(), |n| params.href(|x| x.pagina = (n > 1).then(|| n.to_string()))))
                        }
                    }
                }
            }
        }
    })
}

/// What a card says about the offers that matched.
struct OfferSummary<'a> {
    profiles: BTreeSet<i32>,
    intensities: Vec<&'a str>,
    settings: BTreeSet<&'a str>,
    ages: Option<(i32, i32)>,
    /// The shortest and longest waiting time of the offers that take new clients.
    waits: Option<(i32, i32)>,
    accepts_new_clients: bool,
}

fn summarise<'a>(
    reference: &'a ReferenceData,
    offers: impl Iterator<Item = &'a Offer>,
) -> OfferSummary<'a> {
    let mut summary = OfferSummary {
        profiles: BTreeSet::new(),
        intensities: vec![],
        settings: BTreeSet::new(),
        ages: None,
        waits: None,
        accepts_new_clients: false,
    };
    let mut intensities: Vec<(i32, &str)> = vec![];
    for o in offers {
        if let Some(p) = reference.profile(o.profile_id) {
            summary.profiles.insert(p.number);
        }
        if let Some(i) = reference.intensity(o.intensity_id) {
            if !intensities.iter().any(|(_, n)| *n == i.name) {
                intensities.push((i.sort_order, &i.name));
            }
        }
        summary.settings.insert(Setting::label(&o.setting));
        summary.ages = Some(summary.ages.map_or((o.min_age, o.max_age), |(lo, hi)| {
            (lo.min(o.min_age), hi.max(o.max_age))
        }));
        if o.accepts_new_clients {
            summary.accepts_new_clients = true;
            let w = o.waiting_weeks;
            summary.waits = Some(
                summary
                    .waits
                    .map_or((w, w), |(lo, hi)| (lo.min(w), hi.max(w))),
            );
        }
    }
    intensities.sort();
    summary.intensities = intensities.into_iter().map(|(_, n)| n).collect();
    summary
}

fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

fn provider_card(
    reference: &ReferenceData,
    profile: Option<i32>,
    card: &ProviderCard,
    found: &SearchResult,
) -> Markup {
    let summary = summarise(reference, found.offers_of(card.id));
    let title_id = format!("aanbieder-{}", card.id);
    html! {
        article.card aria-labelledby=(title_id) {
            h3.card__title #(title_id) { a href={ "/aanbieders/" (card.slug) } { (card.name) } }
            div.compare-check {
                input #{ "vergelijk-" (card.slug) } type="checkbox" name="aanbieder" value=(card.slug);
                label for={ "vergelijk-" (card.slug) } { "Vergelijk " span.visually-hidden { (card.name) } }
            }
            @if !card.city.is_empty() { p.muted { (card.city) } }
            p { (excerpt(&card.description, 220)) }
            dl.facts {
                @if profile.is_none() {
                    dt { "Profielen" }
                    dd { (summary.profiles.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) }
                }
                dt { "Intensiteit" }
                dd { (join(summary.intensities.iter().copied())) }
                dt { "Vorm" }
                dd { (join(summary.settings.iter().copied())) }
                @if let Some((lo, hi)) = summary.ages {
                    dt { "Leeftijd" }
                    dd { (lo) " tot en met " (hi) " jaar" }
                }
                dt { "Wachttijd" }
                dd {
                    @match summary.waits {
                        Some((0, 0)) => "geen wachttijd",
                        Some((lo, hi)) if lo == hi => { (weeks_nl(lo)) }
                        Some((0, hi)) => { "0 tot " (weeks_nl(hi)) }
                        Some((lo, hi)) => { (weeks_nl(lo)) " tot " (weeks_nl(hi)) }
                        None => "nu geen plek",
                    }
                }
            }
            p {
                @if summary.accepts_new_clients {
                    span.badge.badge--yes { "Neemt nieuwe cliënten aan" }
                } @else {
                    span.badge.badge--no { "Neemt nu geen nieuwe cliënten aan" }
                }
                @if card.verlengde_jeugdhulp { " " span.badge.badge--yes { "Ook 18 tot 23 jaar" } }
            }
        }
    }
}

/// The start of a text, cut at a word.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

pub(crate) fn language_name(code: &str) -> &str {
    crate::providers::model::language_name(code).unwrap_or(code)
}

pub fn provider(
    site: &SiteInfo,
    reference: &ReferenceData,
    detail: &ProviderDetail,
    scores: Markup,
    families: Markup,
) -> Markup {
    let p = &detail.provider;
    let crumbs = vec![
        Crumb::link("Aanbieders", "/catalogus"),
        Crumb::here(p.name.clone()),
    ];
    Page { title: &p.name, site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (p.name) }
        @if !p.city.is_empty() { p.muted { (p.city) } }
        p.lead { (p.description) }
        @if !p.approach.is_empty() {
            h2 { "Zo werken wij" }
            p { (p.approach) }
        }
        @if !p.partners.is_empty() {
            p { (p.partners) }
        }
        p {
            @if p.verlengde_jeugdhulp {
                span.badge.badge--yes { "Helpt ook jongeren van 18 tot 23 jaar (verlengde jeugdhulp)" }
            } @else {
                "Helpt jongeren tot 18 jaar. Verlengde jeugdhulp (18 tot 23 jaar) biedt deze aanbieder niet."
            }
        }

        h2 { "Resultaten" }
        (scores)

        h2 { "Wachttijd en ervaring van gezinnen" }
        (families)

        h2 { "Wat biedt " (p.name) "?" }
        @for admission in &detail.admissions {
            @if let Some(region) = reference.region(admission.region_id) {
                section aria-labelledby={ "regio-" (region.slug) } {
                    h3 #{ "regio-" (region.slug) } { "In regio " (region.name) }
                    p.muted {
                        "Toegelaten"
                        @if let Some(d) = admission.admitted_on { " sinds " (date_nl(d)) }
                        @if let Some(d) = admission.ends_on { ". De afspraken lopen tot " (date_nl(d)) }
                        "."
                    }
                    (offer_table(reference, detail, region.id))
                }
            }
        }

        h2 { "Contact" }
        dl.facts.contact {
            @if !p.street.is_empty() {
                dt { "Adres" }
                dd { (p.street) ", " (p.postal_code) " " (p.city) }
            }
            dt { "E-mail" }
            dd { a href={ "mailto:" (p.email) } { (p.email) } }
            @if let Some(phone) = &p.phone {
                dt { "Telefoon" }
                dd { a href={ "tel:" (phone.replace([' ', '-'], "")) } { (phone) } }
            }
            @if let Some(site_url) = &p.website {
                dt { "Website" }
                dd { a href=(site_url) rel="noopener" { (site_url) } }
            }
            dt { "KvK-nummer" }
            dd { (p.kvk_number) }
            dt { "AGB-code" }
            dd { (p.agb_code) }
        }
    })
}

fn offer_table(reference: &ReferenceData, detail: &ProviderDetail, region_id: i64) -> Markup {
    let mut offers: Vec<&Offer> = detail
        .offers
        .iter()
        .filter(|o| o.region_id == region_id)
        .collect();
    offers.sort_by_key(|o| {
        (
            reference.profile(o.profile_id).map_or(0, |p| p.number),
            reference
                .intensity(o.intensity_id)
                .map_or(0, |i| i.sort_order),
        )
    });
    let region_towns = reference.municipalities_of(region_id).count();
    let mut profiles: Vec<i32> = offers
        .iter()
        .filter_map(|o| reference.profile(o.profile_id))
        .map(|p| p.number)
        .collect();
    profiles.dedup();
    html! {
        @if offers.is_empty() {
            p { "Deze aanbieder heeft in deze regio nog geen aanbod ingevuld." }
        }
        @for number in profiles {
            @let rows: Vec<&&Offer> = offers.iter().filter(|o| reference.profile(o.profile_id).is_some_and(|p| p.number == number)).collect();
            h4 { a href={ "/profielen/" (number) } { "Profiel " (number) } }
            (scroll_region(&format!("Aanbod voor profiel {number} in regio {}", reference.region(region_id).map_or("", |r| r.name.as_str())), html! {
                table {
                    caption.visually-hidden { "Aanbod voor profiel " (number) }
                    thead {
                        tr {
                            th scope="col" { "Intensiteit" }
                            th scope="col" { "Vorm" }
                            th scope="col" { "Leeftijd" }
                            th scope="col" { "Wachttijd" }
                            th scope="col" { "Nieuwe cliënten" }
                            th scope="col" { "Talen" }
                            th scope="col" { "Gemeenten" }
                        }
                    }
                    tbody {
                        @for o in rows {
                            @let towns: Vec<&str> = detail.offer_municipalities.iter()
                                .filter(|(offer, _)| *offer == o.id)
                                .filter_map(|(_, m)| reference.municipality(*m).map(|m| m.name.as_str()))
                                .collect();
                            tr {
                                th scope="row" { (reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str())) }
                                td { (Setting::label(&o.setting)) }
                                td { (o.min_age) " tot en met " (o.max_age) " jaar" }
                                td { (weeks_nl(o.waiting_weeks)) }
                                td { @if o.accepts_new_clients { "Ja" } @else { "Nu niet" } }
                                td { (join(o.language_codes().map(language_name))) }
                                td {
                                    @if towns.len() == region_towns && region_towns > 0 { "Alle gemeenten in de regio" }
                                    @else { (join(towns.iter().copied())) }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// "1 gezin", "16 gezinnen": how many families a number is based on, in words.
pub fn families(n: impl std::fmt::Display) -> String {
    match n.to_string().as_str() {
        "1" => "1 gezin".to_owned(),
        n => format!("{n} gezinnen"),
    }
}

/// The actual waiting time and the families' experience, per profile and kader.
pub fn families_block(
    reference: &ReferenceData,
    detail: &ProviderDetail,
    waiting: Option<crate::choice::waiting::WaitingTime>,
    experience: &crate::choice::experience::Summaries,
) -> Markup {
    let open: Vec<i32> = detail
        .offers
        .iter()
        .filter(|o| o.accepts_new_clients)
        .map(|o| o.waiting_weeks)
        .collect();
    // A range when it differs per offer, so the page agrees with every card (which shows the
    // offers of the profile searched for).
    let stated = open.iter().min().zip(open.iter().max());
    html! {
        dl.facts {
            dt { "Wachttijd in de praktijk" }
            dd {
                @match waiting {
                    Some(w) => {
                        (w.label()) " van keuze tot start. "
                        span.hint {
                            "Gemeten bij " (families(w.n)) " in de afgelopen 12 maanden."
                            @if w.n >= 3 { " Dit is de middelste wachttijd: de helft wachtte korter, de helft langer." }
                        }
                    }
                    None => "Nog niet bekend: er is in de afgelopen 12 maanden via deze site nog geen hulp gestart.",
                }
            }
            dt { "Wachttijd volgens de aanbieder" }
            dd {
                @match stated {
                    Some((0, 0)) => "Geen wachttijd",
                    Some((lo, hi)) if lo == hi => { (weeks_nl(*lo)) }
                    Some((0, hi)) => { "Geen wachttijd tot " (weeks_nl(*hi)) ", per soort hulp: zie het aanbod op deze pagina." }
                    Some((lo, hi)) => { (weeks_nl(*lo)) " tot " (weeks_nl(*hi)) ", per soort hulp: zie het aanbod op deze pagina." }
                    None => "Nu geen plek",
                }
            }
        }
        @if experience.is_empty() {
            p { "Er zijn nog geen antwoorden van gezinnen op de vragenlijst na afloop van de hulp." }
        } @else {
            (scroll_region("Ervaring van gezinnen", html! {
                table.data-table {
                    caption {
                        "Cijfers die gezinnen gaven na afloop van de hulp, de afgelopen 12 maanden. Bron: gemeten door de gemeente. "
                        "Wij tonen een cijfer vanaf " (crate::outcomes::indicators::MIN_N) " antwoorden."
                    }
                    thead { tr {
                        th scope="col" { "Profiel" } th scope="col" { "Kader" } th scope="col" { "Gemiddeld cijfer" }
                        th scope="col" { "Gebaseerd op" } th scope="col" { "Het echte cijfer ligt waarschijnlijk tussen" } th scope="col" { "Per vraag" }
                    } }
                    tbody {
                        @for ((_, profile, kader), summary) in experience {
                            tr {
                                th scope="row" { (reference.profile(*profile).map_or(String::new(), |p| format!("Profiel {}", p.number))) }
                                td { (super::compare::kader_label(kader)) }
                                @if summary.shown() {
                                    td {
                                        strong { (summary.overall.value().map_or(String::new(), |v| crate::outcomes::pages::format_value("clienttevredenheid", v))) }
                                        @if let Some(share) = summary.overall.seven_or_more.value() {
                                            br; span.hint { (format!("{:.0}%", share * 100.0)) " gaf een 7 of hoger" }
                                        }
                                    }
                                    td { (families(summary.overall.n)) }
                                    td { (summary.overall.interval().map_or(String::new(), |(l, h)| format!("{} tot {}", crate::outcomes::pages::format_value("clienttevredenheid", l), crate::outcomes::pages::format_value("clienttevredenheid", h)))) }
                                    td { (super::compare::experience_items(summary)) }
                                } @else {
                                    td colspan="4" { "Te weinig antwoorden (" (summary.overall.n) ") voor een betrouwbaar cijfer. Wij tonen een cijfer vanaf " (crate::outcomes::indicators::MIN_N) " gezinnen." }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// `/vergelijk`: the chosen providers side by side, or what is missing to compare them.
pub fn compare(
    site: &SiteInfo,
    reference: &ReferenceData,
    profile: Option<i32>,
    slugs: &[String],
    items: Option<&[super::compare::Compared]>,
    errors: &[FieldError],
) -> Markup {
    let crumbs = vec![
        Crumb::link("Aanbieders", "/catalogus"),
        Crumb::here("Vergelijken"),
    ];
    let title = match profile {
        Some(n) => format!("Aanbieders vergelijken voor profiel {n}"),
        None => "Aanbieders vergelijken".to_owned(),
    };
    let back = match profile {
        Some(n) => format!("/catalogus?profiel={n}"),
        None => "/catalogus".to_owned(),
    };
    Page { title: &title, site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (title) }
        (error_summary(errors))
        @match (profile, items) {
            (Some(number), Some(items)) => {
                @if let Some(p) = reference.profile_summary(number) {
                    p.lead { "Profiel " (number) ": " (p.description) }
                }
                (super::compare::how_to_read())
                (super::compare::table(reference, number, items, None))
                p.no-print { a href=(back) { "Terug naar de aanbieders" } }
            }
            _ if !errors.is_empty() && profile.is_some() => {
                p { a href=(back) { "Terug naar de aanbieders" } " om opnieuw te kiezen." }
            }
            _ => {
                @if slugs.is_empty() && errors.is_empty() {
                    p.empty-state {
                        "U heeft nog geen aanbieders gekozen. Zoek aanbieders in de catalogus en vink er "
                        (super::compare::MIN_PROVIDERS) " tot " (super::compare::MAX_PROVIDERS)
                        " aan bij \"Vergelijk\"."
                    }
                }
                @if slugs.len() >= super::compare::MIN_PROVIDERS && slugs.len() <= super::compare::MAX_PROVIDERS {
                    form.filters method="get" action="/vergelijk" {
                        p { "Cijfers gelden per profiel. Kies het profiel waarvoor u wilt vergelijken." }
                        @for slug in slugs { input type="hidden" name="aanbieder" value=(slug); }
                        (field("profiel", "Profiel", errors, html! {
                            select #(field_id("profiel")) name="profiel" {
                                @for p in reference.profile_summaries() {
                                    option value=(p.number) { "Profiel " (p.number) ": " (p.description) }
                                }
                            }
                        }))
                        button type="submit" { "Vergelijk" }
                    }
                }
                p { a href=(back) { "Terug naar de aanbieders" } }
            }
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

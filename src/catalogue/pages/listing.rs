//! The catalogue's search page: the filters, the active filters, the cards and pagination.

use std::collections::BTreeSet;

use maud::{Markup, html};

use crate::catalogue::model::{ProviderCard, SearchResult};
use crate::catalogue::routes::SearchOutcome;
use crate::catalogue::search::{Order, SearchParams};
use crate::providers::Offer;
use crate::reference::ReferenceData;
use crate::web::components::{error_summary, field_error, field_id, pagination};
use crate::web::layout::{Crumb, Page};
use crate::web::text::weeks_nl;
use crate::web::{FieldError, SiteInfo};

use super::detail::excerpt;

pub(super) fn municipality_select(
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

pub(super) fn intensity_select(
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
pub(super) fn field(name: &str, label: &str, errors: &[FieldError], control: Markup) -> Markup {
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

pub(super) fn filter_form(
    reference: &ReferenceData,
    params: &SearchParams,
    errors: &[FieldError],
) -> Markup {
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
            (field("leeftijd", "Leeftijd van uw kind", errors, html! {
                input #(field_id("leeftijd")) type="text" inputmode="numeric" name="leeftijd" value=[params.leeftijd.as_deref()] maxlength="2" size="3"
                    autocomplete="off"
                    aria-invalid=[invalid("leeftijd").then_some("true")]
                    aria-describedby=[invalid("leeftijd").then(|| format!("{}-fout", field_id("leeftijd")))];
            }))
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
                    @for (value, _, label) in crate::catalogue::search::SCORE_ORDERS {
                        option value=(value) selected[params.volgorde.as_deref() == Some(value)] { (label) " – kies een profiel" }
                    }
                }
            }))
            button type="submit" { "Toon aanbieders" }
        }
    }
}

pub(super) fn active_filters(reference: &ReferenceData, params: &SearchParams) -> Markup {
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
            .current_by_slug(g)
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
        Ok((_, found)) if found.past_last_page() => {
            "Aanbieders: deze pagina bestaat niet".to_owned()
        }
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
                                        "Gesorteerd op " (code.label().to_lowercase())
                                        ", volgens de laatst gepubliceerde cijfers voor dit profiel. Wij tellen mee hoeveel trajecten achter een cijfer zitten: een aanbieder met weinig trajecten komt niet bovenaan door toeval. Aanbieders zonder cijfers of met te weinig gegevens staan daarna, in willekeurige volgorde. "
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
                        } @else if found.past_last_page() {
                            div.empty-state {
                                p { "Deze pagina bestaat niet: er zijn " (found.pages()) " pagina's." }
                                p { a href=(params.href(|x| x.pagina = None)) { "Ga naar de eerste pagina" } }
                            }
                        } @else {
                            form.compare-form method="get" action="/vergelijk" {
                                @if let Some(number) = search.filter.profile_number {
                                    input type="hidden" name="profiel" value=(number);
                                }
                                // The comparison keeps to the municipality's region.
                                @if let Some(g) = &params.gemeente {
                                    input type="hidden" name="gemeente" value=(g);
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
pub(super) struct OfferSummary<'a> {
    pub(super) profiles: BTreeSet<i32>,
    pub(super) intensities: Vec<&'a str>,
    pub(super) settings: BTreeSet<&'a str>,
    pub(super) ages: Option<(i32, i32)>,
    /// The shortest and longest waiting time of the offers that take new clients.
    pub(super) waits: Option<(i32, i32)>,
    /// When the newest of these offers was last brought up to date.
    pub(super) updated: Option<chrono::NaiveDate>,
    pub(super) accepts_new_clients: bool,
}

pub(super) fn summarise<'a>(
    reference: &'a ReferenceData,
    offers: impl Iterator<Item = &'a Offer>,
) -> OfferSummary<'a> {
    let mut summary = OfferSummary {
        profiles: BTreeSet::new(),
        intensities: vec![],
        settings: BTreeSet::new(),
        ages: None,
        waits: None,
        updated: None,
        accepts_new_clients: false,
    };
    let mut intensities: Vec<(i32, &str)> = vec![];
    for o in offers {
        if let Some(p) = reference.profile(o.profile_id) {
            summary.profiles.insert(p.number);
        }
        if let Some(i) = reference.intensity(o.intensity_id)
            && !intensities.iter().any(|(_, n)| *n == i.name)
        {
            intensities.push((i.sort_order, &i.name));
        }
        summary.settings.insert(o.setting.label());
        let on = crate::clock::date_of(o.updated_at);
        summary.updated = Some(summary.updated.map_or(on, |d| d.max(on)));
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

pub(super) fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

pub(super) fn provider_card(
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
                    @if let Some(on) = summary.updated { br; span.hint { "bijgewerkt op " (crate::web::text::date_nl(on)) } }
                }
            }
            @if let Some(number) = profile {
                (card_scores(reference, number, card, found))
            }
            p {
                @if summary.accepts_new_clients {
                    span.badge.badge--yes { "Neemt nieuwe cliënten aan" }
                } @else {
                    span.badge.badge--no { "Neemt nu geen nieuwe cliënten aan" }
                }
                // From the ages of the offers that match the filter, as the facts above.
                @if card.verlengde_jeugdhulp && summary.ages.is_some_and(|(_, high)| high > 17) { " " span.badge.badge--yes { "Ook 18 tot 23 jaar" } }
            }
        }
    }
}

/// The card's results for the profile searched: per indicator the published value (or that
/// there are too few) and how it compares, with the region where the search spans several.
fn card_scores(
    reference: &ReferenceData,
    number: i32,
    card: &ProviderCard,
    found: &SearchResult,
) -> Markup {
    let scores: Vec<&crate::catalogue::model::CardScore> = found.scores_of(card.id).collect();
    let regions: std::collections::BTreeSet<i64> = scores
        .iter()
        .filter_map(|s| reference.profile(s.profile_id).map(|p| p.region_id))
        .collect();
    html! {
        @if scores.is_empty() {
            p.card-scores.muted { "Resultaten voor profiel " (number) ": nog geen gepubliceerde cijfers." }
        } @else {
            ul.card-scores aria-label={ "Resultaten voor profiel " (number) } {
                @for code in crate::outcomes::compute::INDICATORS {
                    @for s in scores.iter().filter(|s| s.indicator == code) {
                        li data-figure=(format!("{}/{}/{code}", s.provider_id, s.profile_id)) {
                            (code.label()) ": "
                            @match s.value {
                                Some(value) => {
                                    strong { (code.format(value)) }
                                    " (" (s.n) " trajecten)"
                                    @if let Some(c) = s.comparison { ", " (c.label()) }
                                }
                                None => { "te weinig gegevens (" (s.n) ")" }
                            }
                            @if regions.len() > 1 {
                                @if let Some(region) = reference.profile(s.profile_id).and_then(|p| reference.region(p.region_id)) {
                                    span.hint { ", regio " (region.name) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

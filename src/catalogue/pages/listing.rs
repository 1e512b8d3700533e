//! The catalogue's search page: the filters, the active filters, the cards and pagination.

use std::collections::BTreeSet;

use maud::{Markup, html};

use crate::catalogue::model::{ProviderCard, SearchResult};
use crate::catalogue::routes::SearchOutcome;
use crate::catalogue::search::{Order, SearchParams};
use crate::i18n::{Lang, Texts};
use crate::providers::Offer;
use crate::reference::ReferenceData;
use crate::web::components::{error_summary, field_error, field_id, pagination};
use crate::web::language::texts;
use crate::web::layout::{Crumb, Page};
use crate::web::{FieldError, SiteInfo, words};

use super::detail::excerpt;

pub(super) fn municipality_select(
    id: &str,
    reference: &ReferenceData,
    selected: Option<&str>,
    invalid: bool,
) -> Markup {
    let t = texts();
    html! {
        select #(id) name="gemeente" aria-invalid=[invalid.then_some("true")] aria-describedby=[invalid.then(|| format!("{id}-fout"))] {
            option value="" { (t.msg("all-municipalities")) }
            @for region in &reference.regions {
                optgroup label=(t.fmt("region-name", &[("name", region.name.as_str().into())])) {
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
    let t = texts();
    html! {
        select #(id) name="intensiteit" aria-invalid=[invalid.then_some("true")] aria-describedby=[invalid.then(|| format!("{id}-fout"))] {
            option value="" { (t.msg("all-intensities")) }
            @for i in reference.intensity_summaries() {
                option value=(i.code) selected[selected == Some(i.code)] lang=[(t.lang() != Lang::Nl).then_some("nl")] dir=[(t.lang() != Lang::Nl).then_some("ltr")] { (i.name) }
            }
        }
    }
}

/// A labelled field with its error, as the NL Design System shows them.
pub(super) fn field(name: &str, label: &str, errors: &[FieldError], control: Markup) -> Markup {
    let error = field_error(errors, name);
    let t = texts();
    html! {
        div.field.field--error[error.is_some()] {
            label for=(field_id(name)) { (label) }
            @if let Some(e) = error {
                span.field-error id={ (field_id(name)) "-fout" } { span.visually-hidden { (t.msg("error-prefix")) " " } (e.message) }
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
    let t = texts();
    html! {
        form.filters method="get" action="/catalogus" aria-labelledby="filters-titel" {
            h2 #filters-titel { (t.msg("filters-title")) }
            (field("profiel", &t.msg("filter-profile"), errors, html! {
                select #(field_id("profiel")) name="profiel" aria-invalid=[invalid("profiel").then_some("true")]
                    aria-describedby=[invalid("profiel").then(|| format!("{}-fout", field_id("profiel")))] {
                    option value="" { (t.msg("all-profiles")) }
                    @for p in reference.profile_summaries() {
                        option value=(p.number) selected[profile == Some(p.number.to_string().as_str())] {
                            (t.fmt("profile-number", &[("number", p.number.into())]))
                        }
                    }
                }
            }))
            (field("gemeente", &t.msg("filter-municipality"), errors,
                municipality_select(&field_id("gemeente"), reference, params.gemeente.as_deref(), invalid("gemeente"))))
            (field("intensiteit", &t.msg("filter-intensity"), errors,
                intensity_select(&field_id("intensiteit"), reference, params.intensiteit.as_deref(), invalid("intensiteit"))))
            (field("leeftijd", &t.msg("filter-age"), errors, html! {
                input #(field_id("leeftijd")) type="text" inputmode="numeric" name="leeftijd" value=[params.leeftijd.as_deref()] maxlength="2" size="3"
                    autocomplete="off"
                    aria-invalid=[invalid("leeftijd").then_some("true")]
                    aria-describedby=[invalid("leeftijd").then(|| format!("{}-fout", field_id("leeftijd")))];
            }))
            (field("q", &t.msg("filter-query"), errors, html! {
                input #(field_id("q")) type="search" name="q" value=[params.q.as_deref()] maxlength="100"
                    aria-invalid=[invalid("q").then_some("true")]
                    aria-describedby=[invalid("q").then(|| format!("{}-fout", field_id("q")))];
            }))
            (field("volgorde", &t.msg("filter-order"), errors, html! {
                select #(field_id("volgorde")) name="volgorde" aria-invalid=[invalid("volgorde").then_some("true")]
                    aria-describedby=[invalid("volgorde").then(|| format!("{}-fout", field_id("volgorde")))] {
                    option value="willekeurig" selected[params.volgorde.as_deref() != Some("naam")] { (t.msg("order-daily")) }
                    option value="naam" selected[params.volgorde.as_deref() == Some("naam")] { (t.msg("order-name")) }
                    @for (value, _, _) in crate::catalogue::search::SCORE_ORDERS {
                        option value=(value) selected[params.volgorde.as_deref() == Some(value)] { (t.msg(&format!("order-{value}"))) " – " (t.msg("order-needs-profile")) }
                    }
                }
            }))
            button type="submit" { (t.msg("filters-submit")) }
        }
    }
}

pub(super) fn active_filters(reference: &ReferenceData, params: &SearchParams) -> Markup {
    let t = texts();
    let mut chips: Vec<(String, String)> = Vec::new();
    if let Some(p) = &params.profiel {
        chips.push((
            t.fmt("chip-profile", &[("number", p.as_str().into())]),
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
            t.fmt("chip-municipality", &[("name", name.into())]),
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
            t.fmt("chip-intensity", &[("name", name.into())]),
            params.href(|x| {
                x.intensiteit = None;
                x.pagina = None;
            }),
        ));
    }
    if let Some(q) = &params.q {
        chips.push((
            t.fmt("chip-query", &[("query", q.as_str().into())]),
            params.href(|x| {
                x.q = None;
                x.pagina = None;
            }),
        ));
    }
    html! {
        @if !chips.is_empty() {
            h2.visually-hidden { (t.msg("chips-title")) }
            ul.active-filters {
                @for (label, href) in &chips {
                    li { a href=(href) aria-label=(t.fmt("chip-remove", &[("filter", label.as_str().into())])) { (label) } }
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
    let t = texts();
    let title = match &outcome.result {
        Ok((_, found)) if found.past_last_page() => t.msg("catalogue-title-past-end"),
        Ok((search, found)) if found.pages() > 1 => t.fmt(
            "catalogue-title-page",
            &[
                ("page", search.page.into()),
                ("pages", found.pages().into()),
            ],
        ),
        Ok(_) => t.msg("catalogue-crumb"),
        Err(_) => t.msg("catalogue-title-refused"),
    };
    Page { title: &title, site, crumbs: vec![Crumb::here(t.msg("catalogue-crumb"))], section: Some("/catalogus"), account: None }.render(html! {
        h1 { (t.msg("catalogue-title")) }
        (error_summary(errors))
        div.search-layout {
            (filter_form(reference, params, errors))
            section aria-labelledby="resultaten-titel" {
                h2.visually-hidden #resultaten-titel { (t.msg("results-title")) }
                @match &outcome.result {
                    Err(_) => {
                        p.empty-state { (t.msg("results-refused")) }
                    }
                    Ok((search, found)) => {
                        p.result-summary role="status" {
                            (t.fmt("results-found", &[("count", found.total.into())]))
                        }
                        (active_filters(reference, params))
                        @if found.total > 0 {
                            p.order-note {
                                @match search.order {
                                    Order::Daily => {
                                        (t.msg("order-note-daily")) " "
                                        a href=(params.href(|x| { x.volgorde = Some("naam".into()); x.pagina = None; })) { (t.msg("order-to-name")) }
                                    }
                                    Order::Name => {
                                        (t.msg("order-note-name")) " "
                                        a href=(params.href(|x| { x.volgorde = None; x.pagina = None; })) { (t.msg("order-to-daily")) }
                                    }
                                    Order::Score(code) => {
                                        (t.fmt("order-note-score", &[("indicator", words::indicator(t, code).to_lowercase().into())])) " "
                                        a href=(params.href(|x| { x.volgorde = None; x.pagina = None; })) { (t.msg("order-to-daily")) }
                                    }
                                }
                            }
                        }
                        @if found.total == 0 {
                            div.empty-state {
                                p { (t.msg("results-none")) }
                                p { (t.msg("results-none-advice")) " " a href="/catalogus" { (t.msg("results-all")) } "." }
                            }
                        } @else if found.past_last_page() {
                            div.empty-state {
                                p { (t.fmt("results-past-end", &[("pages", found.pages().into())])) }
                                p { a href=(params.href(|x| x.pagina = None)) { (t.msg("results-first-page")) } }
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
                                p.hint #vergelijk-uitleg { (t.msg("compare-hint")) }
                                ol.card-list {
                                    @for card in &found.providers {
                                        li { (provider_card(reference, search.filter.profile_number, card, found)) }
                                    }
                                }
                                button type="submit" aria-describedby="vergelijk-uitleg" { (t.msg("compare-submit")) }
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
    pub(super) settings: BTreeSet<crate::domain::provider::Setting>,
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
        summary.settings.insert(o.setting);
        let on = crate::clock::date_of(o.waiting_checked_at);
        // The oldest: the card says how current all its waiting times are, as the comparison.
        summary.updated = Some(summary.updated.map_or(on, |d| d.min(on)));
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

/// When the provider last confirmed its listing; said as a warning when that was more than
/// `checks::STALE_MONTHS` ago (the card keeps its place: the order is never a reward).
pub(crate) fn checked_on(t: Texts, at: chrono::NaiveDateTime) -> Markup {
    let checked = crate::clock::date_of(at);
    let date = t.date(checked);
    html! {
        @if crate::providers::checks::is_stale(checked, crate::clock::today()) {
            p.checked-on { span.badge.badge--stale { (t.fmt("listing-stale", &[("date", date.into())])) } }
        } @else {
            p.checked-on { (t.fmt("listing-checked-on", &[("date", date.into())])) }
        }
    }
}

/// The waiting times of the offers that take new clients: one, a range, or none now.
pub(crate) fn waiting_range(t: Texts, waits: Option<(i32, i32)>) -> String {
    match waits {
        Some((lo, hi)) if lo == hi => words::weeks(t, lo),
        Some((0, hi)) => t.fmt("waiting-from-none", &[("to", words::weeks(t, hi).into())]),
        Some((lo, hi)) => t.fmt(
            "waiting-range",
            &[
                ("from", words::weeks(t, lo).into()),
                ("to", words::weeks(t, hi).into()),
            ],
        ),
        None => t.msg("waiting-no-place"),
    }
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
    let t = texts();
    html! {
        article.card aria-labelledby=(title_id) {
            h3.card__title #(title_id) { a href={ "/aanbieders/" (card.slug) } { (card.name) } }
            div.compare-check {
                input #{ "vergelijk-" (card.slug) } type="checkbox" name="aanbieder" value=(card.slug);
                label for={ "vergelijk-" (card.slug) } { (t.msg("card-compare")) " " span.visually-hidden { (card.name) } }
            }
            @if !card.city.is_empty() { p.muted { (card.city) } }
            p lang=[(t.lang() != Lang::Nl).then_some("nl")] dir=[(t.lang() != Lang::Nl).then_some("ltr")] { (excerpt(&card.description, 220)) }
            dl.facts {
                @if profile.is_none() {
                    dt { (t.msg("card-profiles")) }
                    dd { (summary.profiles.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")) }
                }
                dt { (t.msg("card-intensity")) }
                dd lang=[(t.lang() != Lang::Nl).then_some("nl")] dir=[(t.lang() != Lang::Nl).then_some("ltr")] { (join(summary.intensities.iter().copied())) }
                dt { (t.msg("card-setting")) }
                dd { (summary.settings.iter().map(|s| words::setting(t, *s)).collect::<Vec<_>>().join(", ")) }
                @if let Some((lo, hi)) = summary.ages {
                    dt { (t.msg("card-age")) }
                    dd { (t.fmt("age-range", &[("low", lo.into()), ("high", hi.into())])) }
                }
                dt { (t.msg("card-waiting")) }
                dd {
                    (waiting_range(t, summary.waits))
                    @if let Some(on) = summary.updated { br; span.hint { (t.fmt("updated-on", &[("date", t.date(on).into())])) } }
                }
            }
            @if let Some(number) = profile {
                (card_scores(reference, number, card, found))
            }
            (checked_on(t, card.listing_checked_at))
            p {
                @if summary.accepts_new_clients {
                    span.badge.badge--yes { (t.msg("badge-accepts")) }
                } @else {
                    span.badge.badge--no { (t.msg("badge-full")) }
                }
                // From the ages of the offers that match the filter, as the facts above.
                @if card.verlengde_jeugdhulp && summary.ages.is_some_and(|(_, high)| high > 17) { " " span.badge.badge--yes { (t.msg("badge-18-23")) } }
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
    let t = texts();
    let regions: std::collections::BTreeSet<i64> = scores
        .iter()
        .filter_map(|s| reference.profile(s.profile_id).map(|p| p.region_id))
        .collect();
    html! {
        @if scores.is_empty() {
            p.card-scores.muted { (t.fmt("card-no-scores", &[("number", number.into())])) }
        } @else {
            ul.card-scores aria-label=(t.fmt("card-scores", &[("number", number.into())])) {
                @for code in crate::outcomes::compute::INDICATORS {
                    @for s in scores.iter().filter(|s| s.indicator == code) {
                        li data-figure=(format!("{}/{}/{code}", s.provider_id, s.profile_id)) {
                            (words::indicator(t, code)) ": "
                            @match s.value {
                                Some(value) => {
                                    strong { (words::value(t, code, value)) }
                                    " (" (t.fmt("trajectories", &[("count", s.n.into())])) ")"
                                    @if let Some(c) = s.comparison { ", " (words::comparison(t, c)) }
                                }
                                None => { (t.fmt("too-few", &[("count", s.n.into())])) }
                            }
                            @if regions.len() > 1 {
                                @if let Some(region) = reference.profile(s.profile_id).and_then(|p| reference.region(p.region_id)) {
                                    span.hint { ", " (t.fmt("region-name", &[("name", region.name.as_str().into())]).to_lowercase()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

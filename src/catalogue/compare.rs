//! Comparing two to four providers side by side for one profile: their published scores with
//! n, interval and regional average, the families' own experience, the actual and the stated
//! waiting time, and what they offer. The family's choice page shows the same table.

use crate::web::components::scroll_region;
use std::collections::HashMap;

use diesel::prelude::*;
use maud::{Markup, html};

use crate::db::DbConnection;
use crate::db::schema::{offers, providers};
use crate::domain::indicator::Indicator;
use crate::outcomes::experience::{self, Summaries};
use crate::outcomes::indicators::{MIN_N, REFERENCE_NAME, compare};
use crate::outcomes::reports::{self, Score};
use crate::outcomes::waiting::{self, WaitingTime};
use crate::providers::{Offer, Provider};
use crate::reference::ReferenceData;
use crate::web::text::{date_nl, weeks_nl};

pub const MIN_PROVIDERS: usize = 2;
pub const MAX_PROVIDERS: usize = 4;

/// Everything the comparison shows of one provider.
pub struct Compared {
    pub provider: Provider,
    /// Its offers for the profile (in every region where it is listed).
    pub offers: Vec<Offer>,
    /// Its newest published scores for the profile.
    pub scores: Vec<Score>,
    pub published_on: Option<chrono::NaiveDate>,
    /// The quarter of those scores, as words: providers in one comparison can have their
    /// newest report from different quarters, each with its own regiogemiddelde.
    pub period: Option<String>,
    pub waiting: Option<WaitingTime>,
    /// Per kader, the families' experience.
    pub experience: Vec<(crate::domain::hulpvraag::Kader, experience::Summary)>,
}

impl Compared {
    fn score(&self, indicator: Indicator) -> Option<&Score> {
        self.scores.iter().find(|s| s.indicator == indicator)
    }

    fn explanation(&self) -> Option<&str> {
        self.scores
            .iter()
            .map(|s| s.explanation.as_str())
            .find(|e| !e.is_empty())
    }
}

/// What a comparison is about: a profile (by number), in one region where the municipality
/// is known, and one intensity where it is chosen (a hulpvraag). Every fact shown (waiting
/// time, ages, settings, languages) comes from the offers that match it.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub profile_number: i32,
    pub region: Option<i64>,
    pub intensity: Option<&'a str>,
}

/// Loads the providers (in the given order) for the scope. Providers that are not listed
/// are left out.
pub fn load(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    scope: Scope<'_>,
    provider_ids: &[i64],
) -> QueryResult<Vec<Compared>> {
    let profile_ids: Vec<i64> = reference
        .profiles
        .iter()
        .filter(|p| p.number == scope.profile_number)
        .filter(|p| scope.region.is_none_or(|r| p.region_id == r))
        .map(|p| p.id)
        .collect();
    let listed: Vec<Provider> = providers::table
        .filter(providers::id.eq_any(provider_ids))
        .filter(providers::in_catalogue.eq(true))
        .select(Provider::as_select())
        .load(conn)?;
    let mut offers_of: HashMap<i64, Vec<Offer>> = HashMap::new();
    for o in offers::table
        .filter(offers::provider_id.eq_any(provider_ids))
        .filter(offers::profile_id.eq_any(&profile_ids))
        .select(Offer::as_select())
        .load::<Offer>(conn)?
    {
        let intensity = reference.intensity(o.intensity_id).map(|i| i.code.as_str());
        if scope
            .intensity
            .is_none_or(|wanted| intensity == Some(wanted))
        {
            offers_of.entry(o.provider_id).or_default().push(o);
        }
    }
    let waiting = waiting::actual(conn, provider_ids, crate::clock::today())?;
    let summaries: Summaries = experience::summaries(conn, provider_ids)?;
    let mut published = reports::published_of(conn, provider_ids)?;
    let mut out = Vec::with_capacity(listed.len());
    for id in provider_ids {
        let Some(provider) = listed.iter().find(|p| p.id == *id).cloned() else {
            continue;
        };
        let mut scores = Vec::new();
        let mut published_on = None;
        let mut period = None;
        for (report, list) in published.remove(&provider.id).unwrap_or_default() {
            let for_profile: Vec<Score> = list
                .into_iter()
                .filter(|s| profile_ids.contains(&s.profile_id))
                .collect();
            if !for_profile.is_empty() && scores.is_empty() {
                scores = for_profile;
                published_on = report.published_at.map(crate::clock::date_of);
                period = crate::outcomes::compute::Quarter::parse(&report.period)
                    .map(crate::outcomes::compute::Quarter::label);
            }
        }
        let experience = summaries
            .iter()
            .filter(|((p, profile, _), _)| *p == provider.id && profile_ids.contains(profile))
            .map(|((_, _, kader), summary)| (*kader, summary.clone()))
            .collect();
        let mut offers = offers_of.remove(&provider.id).unwrap_or_default();
        offers.sort_by_key(|o| {
            reference
                .intensity(o.intensity_id)
                .map_or(0, |i| i.sort_order)
        });
        out.push(Compared {
            waiting: waiting.get(&provider.id).copied(),
            provider,
            offers,
            scores,
            published_on,
            period,
            experience,
        });
    }
    Ok(out)
}

fn score_cell(c: &Compared, code: Indicator) -> Markup {
    let period = c.period.as_deref();
    html! {
        @match c.score(code) {
            None => { span.muted { "Nog geen gepubliceerde cijfers" } }
            // `data-figure`: where a test finds this figure on every page.
            Some(s) => div data-figure=(format!("{}/{}/{code}", c.provider.id, s.profile_id)) {
                @match (s.value, s.interval()) {
                    (Some(value), Some((low, high))) => {
                        strong.score-value { (code.format(value)) }
                        " "
                        span { "gebaseerd op " (s.n) @if s.n == 1 { " traject" } @else { " trajecten" } }
                        // Hints are blocks: no <br> before or after them (it left empty lines).
                        span.hint { "Het echte cijfer ligt waarschijnlijk tussen " (code.format(low)) " en " (code.format(high)) }
                        @if let Some(avg) = s.reference_value() {
                            span.hint { (REFERENCE_NAME) ": " (code.format(avg)) @if let Some(p) = period { " (" (p) ")" } }
                            // The published verdict (against the funnel's limits), as on the
                            // provider page; older reports without one fall back to the interval.
                            span.comparison { (s.comparison.unwrap_or_else(|| compare((low, high), avg, code.higher_is_better())).label()) }
                        }
                        (crate::outcomes::views::kader_hints(s))
                    }
                    _ => {
                        span { "Te weinig trajecten (" (s.n) ") voor een betrouwbaar cijfer" }
                    }
                }
            }
        }
    }
}

fn experience_cell(c: &Compared) -> Markup {
    html! {
        @if c.experience.is_empty() {
            span.muted { "Nog geen antwoorden van gezinnen" }
        }
        @for (kader, summary) in &c.experience {
            p.compact {
                strong { (kader.short_label()) ": " }
                @if summary.shown() {
                    @if let Some(mean) = summary.overall.value() {
                        (Indicator::Clienttevredenheid.format(mean))
                    }
                    ", gebaseerd op " (super::pages::families(summary.overall.n))
                    @if let Some(share) = summary.overall.seven_or_more.value() {
                        br; span.hint { (format!("{:.0}%", share * 100.0)) " gaf een 7 of hoger" }
                    }
                } @else {
                    "te weinig antwoorden (" (summary.overall.n) ") voor een betrouwbaar cijfer"
                }
            }
        }
    }
}

fn offer_cell(reference: &ReferenceData, c: &Compared) -> Markup {
    html! {
        @if c.offers.is_empty() {
            span.muted { "Geen aanbod voor dit profiel" }
        }
        ul.compact-list {
            @for o in &c.offers {
                li {
                    strong { (reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str())) } ": "
                    (o.setting.label()) ", " (o.min_age) " tot en met " (o.max_age) " jaar"
                    @if !o.accepts_new_clients { ", " em { "neemt nu geen nieuwe cliënten aan" } }
                }
            }
        }
    }
}

/// The waiting time the provider states for the matching offers that take new clients: one
/// number for one intensity, a range over several.
fn stated_wait(c: &Compared) -> Option<(i32, i32)> {
    let open = c.offers.iter().filter(|o| o.accepts_new_clients);
    let low = open.clone().map(|o| o.waiting_weeks).min()?;
    let high = open.map(|o| o.waiting_weeks).max()?;
    Some((low, high))
}

/// One line of the comparison: what it shows, and a cell per provider (or one for all when
/// no provider has anything to show).
struct Row {
    label: &'static str,
    cells: Cells,
}

enum Cells {
    Each(Vec<Markup>),
    All(Markup),
}

fn languages(c: &Compared) -> String {
    let mut codes: Vec<&str> = c.offers.iter().flat_map(|o| o.language_codes()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut names: Vec<&str> = vec!["Nederlands"];
    names.extend(
        codes
            .into_iter()
            .filter(|c| *c != "nl")
            .map(super::pages::language_name),
    );
    names.join(", ")
}

fn waiting_cell(c: &Compared) -> Markup {
    html! {
        @match &c.waiting {
            Some(w) if w.shown() => { strong.score-value { (w.label()) } span.hint { "Gemeten bij " (super::pages::families(w.n)) ". De helft wachtte korter." } }
            Some(w) => span.muted { "Te weinig starts (" (w.n) ") voor een betrouwbaar cijfer" },
            None => span.muted { "Nog niet bekend" },
        }
        // No offer for the profile (here) is not the same as "no place now".
        @if !c.offers.is_empty() {
            span.hint {
                "Opgegeven: "
                @match stated_wait(c) {
                    Some((0, 0)) => "geen wachttijd",
                    Some((low, high)) if low == high => (weeks_nl(low)),
                    Some((low, high)) => { (low) " tot " (weeks_nl(high)) }
                    None => "nu geen plek",
                }
                @if let Some(on) = c.offers.iter().map(|o| o.updated_at).max() {
                    " (bijgewerkt op " (crate::web::text::date_nl(crate::clock::date_of(on))) ")"
                }
            }
        }
    }
}

fn story_cell(c: &Compared) -> Markup {
    html! {
        @match c.explanation() {
            Some(text) => (text),
            None => span.muted { "Geen toelichting" },
        }
        @if let Some(d) = c.published_on {
            br; span.hint { "Cijfers gepubliceerd op " (date_nl(d)) }
        }
    }
}

/// Every line of the comparison, figures first. A line no provider has anything for says so
/// once.
fn rows(reference: &ReferenceData, items: &[Compared]) -> Vec<Row> {
    let each = |cell: &dyn Fn(&Compared) -> Markup| Cells::Each(items.iter().map(cell).collect());
    let mut rows = Vec::new();
    let any_scores = items.iter().any(|c| !c.scores.is_empty());
    if any_scores {
        for code in crate::outcomes::compute::INDICATORS {
            rows.push(Row {
                label: code.label(),
                cells: each(&|c| score_cell(c, code)),
            });
        }
    } else {
        rows.push(Row {
            label: "Resultaten",
            cells: Cells::All(html! { span.muted { "Nog geen gepubliceerde cijfers" } }),
        });
    }
    rows.push(Row {
        label: "Ervaring van gezinnen (cijfer 1 tot 10, gemeten door de gemeente)",
        cells: if items.iter().any(|c| !c.experience.is_empty()) {
            each(&experience_cell)
        } else {
            Cells::All(html! { span.muted { "Nog geen antwoorden van gezinnen" } })
        },
    });
    rows.push(Row {
        label: "Wachttijd in de praktijk",
        cells: each(&waiting_cell),
    });
    rows.push(Row {
        label: "Plaats",
        cells: each(&|c| html! { (c.provider.city) }),
    });
    rows.push(Row {
        label: "Wat zij bieden",
        cells: each(&|c| offer_cell(reference, c)),
    });
    rows.push(Row {
        label: "Talen",
        cells: each(&|c| html! { (languages(c)) }),
    });
    rows.push(Row {
        label: "18 tot 23 jaar",
        // From the matching offers' ages, not the provider as a whole.
        cells: each(&|c| {
            html! { @if c.provider.verlengde_jeugdhulp && c.offers.iter().any(|o| o.max_age > 17) { "Ja" } @else { "Nee" } }
        }),
    });
    if items.iter().any(|c| !c.provider.approach.trim().is_empty()) {
        rows.push(Row {
            label: "Zo werken zij",
            cells: each(&|c| html! { (super::pages::excerpt(&c.provider.approach, 400)) }),
        });
    }
    if any_scores {
        rows.push(Row {
            label: "Het verhaal achter de cijfers",
            cells: each(&story_cell),
        });
    }
    rows
}

/// The comparison, twice from the same lines: side by side in a table on a wide screen and
/// on paper, and per subject (each provider's value under it) on a phone, where a table of
/// four columns would scroll sideways. CSS shows one of the two. `action` adds a control per
/// provider (the family's choose button).
pub fn table(
    reference: &ReferenceData,
    profile_number: i32,
    items: &[Compared],
    action: Option<&dyn Fn(&Compared) -> Markup>,
) -> Markup {
    let rows = rows(reference, items);
    let name =
        |c: &Compared| html! { a href={ "/aanbieders/" (c.provider.slug) } { (c.provider.name) } };
    html! {
        div.compare-wide {
            (scroll_region("Vergelijking van de aanbieders", html! {
                table.compare-table {
                    caption { "Vergelijking voor profiel " (profile_number) }
                    thead {
                        tr {
                            td {}
                            @for c in items { th scope="col" { (name(c)) } }
                        }
                    }
                    tbody {
                        @for row in &rows {
                            tr {
                                th scope="row" { (row.label) }
                                @match &row.cells {
                                    Cells::Each(cells) => { @for cell in cells { td { (cell) } } }
                                    Cells::All(cell) => { td colspan=(items.len()) { (cell) } }
                                }
                            }
                        }
                        @if let Some(action) = action {
                            tr {
                                th scope="row" { span.visually-hidden { "Kiezen" } }
                                @for c in items { td { (action(c)) } }
                            }
                        }
                    }
                }
            }))
        }
        div.compare-narrow {
            h2 { "Vergelijking voor profiel " (profile_number) }
            @for row in &rows {
                section.compare-topic {
                    h3 { (row.label) }
                    @match &row.cells {
                        Cells::Each(cells) => {
                            ul.compare-values {
                                @for (c, cell) in items.iter().zip(cells) {
                                    li { span.compare-who { (name(c)) } div { (cell) } }
                                }
                            }
                        }
                        Cells::All(cell) => { p { (cell) } }
                    }
                }
            }
            @if let Some(action) = action {
                section.compare-topic {
                    h3 { "Kiezen" }
                    @for c in items { div.compare-action { (action(c)) } }
                }
            }
        }
    }
}

/// Print or save the page: a button where the browser can print from a script (assets/page.js
/// shows it), the browser's own menu otherwise.
pub fn print_button() -> Markup {
    html! {
        div.print-actions.no-print {
            button.button--secondary type="button" data-print hidden { "Afdrukken of bewaren als pdf" }
            p.hint { "Wilt u de vergelijking bewaren? Kies in het menu van uw browser 'Afdrukken' en dan 'Opslaan als pdf'. Op papier staan de cijfers voorop." }
        }
    }
}

/// A short explanation above every comparison, folded: on a phone it filled the first
/// screen before any figure.
pub fn how_to_read() -> Markup {
    html! {
        details.how-to-read {
            summary { "Zo leest u deze vergelijking" }
            ul {
                li { "Per onderwerp ziet u wat elke aanbieder biedt. Op een groot scherm en op papier staan de aanbieders naast elkaar." }
                li { "Bij elk cijfer staat op hoeveel gezinnen het is gebaseerd. Hoe meer gezinnen, hoe zekerder het cijfer." }
                li { "Bij minder dan " (MIN_N) " cliënten tonen wij geen cijfer. Zo is niemand te herkennen." }
                li { "Een cijfer van weinig gezinnen kan door toeval hoger of lager uitvallen. Daarom staat erbij tussen welke waarden het echte cijfer waarschijnlijk ligt." }
                li { "'Beter' of 'minder goed dan gemiddeld' staat er alleen als het verschil met het gemiddelde van de regio duidelijk is." }
                li { "Bij hulp in het gedwongen kader zijn gezinnen vaak minder tevreden. Daarom tonen wij de ervaring per kader." }
                li { a href="/over-de-cijfers" { "Lees hoe wij de cijfers berekenen" } "." }
            }
        }
    }
}

/// The labels of the experience items, for the provider page.
pub fn experience_items(summary: &experience::Summary) -> Markup {
    html! {
        ul.compact-list {
            @for item in &summary.items {
                li {
                    (item.question) " "
                    @if item.shown() { strong { (Indicator::Clienttevredenheid.format(item.mean)) } }
                    @else { span.muted { "te weinig antwoorden (" (item.n) ")" } }
                }
            }
        }
    }
}

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
use crate::outcomes::indicators::{MIN_N, compare};
use crate::outcomes::reports::{self, Score};
use crate::outcomes::waiting::{self, WaitingTime};
use crate::providers::{Offer, Provider};
use crate::reference::ReferenceData;
use crate::web::language::{dutch, dutch_marks, texts};
use crate::web::words;

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
    let t = texts();
    let f = |v: f64| words::value(t, code, v);
    html! {
        @match c.score(code) {
            None => { span.muted { (t.msg("compare-no-scores")) } }
            // `data-figure`: where a test finds this figure on every page.
            Some(s) => div data-figure=(format!("{}/{}/{code}", c.provider.id, s.profile_id)) {
                @match (s.value, s.interval()) {
                    (Some(value), Some((low, high))) => {
                        strong.score-value { (f(value)) }
                        " "
                        span { (t.fmt("based-on-trajectories", &[("count", s.n.into())])) }
                        // Hints are blocks: no <br> before or after them (it left empty lines).
                        span.hint { (t.fmt("interval", &[("low", f(low).into()), ("high", f(high).into())])) }
                        @if let Some(avg) = s.reference_value() {
                            span.hint { (t.msg("reference-name")) ": " (f(avg)) @if let Some(p) = period { " (" (dutch(t, p)) ")" } }
                            // The published verdict (against the funnel's limits), as on the
                            // provider page; older reports without one fall back to the interval.
                            span.comparison { (words::comparison(t, s.comparison.unwrap_or_else(|| compare((low, high), avg, code.higher_is_better())))) }
                        }
                        (crate::outcomes::views::kader_hints(s))
                    }
                    _ => {
                        span { (t.fmt("too-few-trajectories", &[("count", s.n.into())])) }
                    }
                }
            }
        }
    }
}

fn experience_cell(c: &Compared) -> Markup {
    let t = texts();
    html! {
        @if c.experience.is_empty() {
            span.muted { (t.msg("compare-no-answers")) }
        }
        @for (kader, summary) in &c.experience {
            p.compact {
                strong { (t.msg(&format!("kader-{}", kader.as_str()))) ": " }
                @if summary.shown() {
                    @if let Some(mean) = summary.overall.value() {
                        (words::value(t, Indicator::Clienttevredenheid, mean))
                    }
                    ", " (t.fmt("based-on", &[("what", super::pages::families(summary.overall.n).into())]))
                    @if let Some(share) = summary.overall.seven_or_more.value() {
                        br; span.hint { (t.fmt("experience-seven-or-more", &[("share", format!("{:.0}%", share * 100.0).into())])) }
                    }
                } @else {
                    (t.fmt("too-few-answers", &[("count", summary.overall.n.into())]))
                }
            }
        }
    }
}

fn offer_cell(reference: &ReferenceData, c: &Compared) -> Markup {
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    html! {
        @if c.offers.is_empty() {
            span.muted { (t.msg("compare-no-offer")) }
        }
        ul.compact-list {
            @for o in &c.offers {
                li {
                    strong lang=[nl] dir=[ltr] { (reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str())) } ": "
                    (words::setting(t, o.setting)) ", " (t.fmt("age-range", &[("low", o.min_age.into()), ("high", o.max_age.into())]))
                    @if !o.accepts_new_clients { ", " em { (t.msg("compare-full")) } }
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
    label: String,
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
    let mut names: Vec<&str> = vec![super::pages::language_name("nl")];
    names.extend(
        codes
            .into_iter()
            .filter(|c| *c != "nl")
            .map(super::pages::language_name),
    );
    names.join(", ")
}

fn waiting_cell(c: &Compared) -> Markup {
    let t = texts();
    html! {
        @match &c.waiting {
            Some(w) if w.shown() => { strong.score-value { (super::pages::waiting_label(t, w)) } span.hint { (t.fmt("compare-waiting-measured", &[("families", super::pages::families(w.n).into())])) } }
            Some(w) => span.muted { (t.fmt("compare-too-few-starts", &[("count", w.n.into())])) },
            None => span.muted { (t.msg("compare-not-known")) },
        }
        // No offer for the profile (here) is not the same as "no place now".
        @if !c.offers.is_empty() {
            span.hint {
                (t.msg("compare-stated")) " "
                (super::pages::waiting_range(t, stated_wait(c)))
                @if let Some(on) = c.offers.iter().map(|o| o.waiting_checked_at).min() {
                    " (" (t.fmt("updated-on", &[("date", t.date(crate::clock::date_of(on)).into())])) ")"
                }
            }
        }
    }
}

fn story_cell(c: &Compared) -> Markup {
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    html! {
        @match c.explanation() {
            Some(text) => span lang=[nl] dir=[ltr] { (text) },
            None => span.muted { (t.msg("compare-no-story")) },
        }
        @if let Some(d) = c.published_on {
            br; span.hint { (t.fmt("compare-published-on", &[("date", t.date(d).into())])) }
        }
    }
}

/// Every line of the comparison, figures first. A line no provider has anything for says so
/// once.
fn rows(reference: &ReferenceData, items: &[Compared]) -> Vec<Row> {
    let each = |cell: &dyn Fn(&Compared) -> Markup| Cells::Each(items.iter().map(cell).collect());
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let mut rows = Vec::new();
    let any_scores = items.iter().any(|c| !c.scores.is_empty());
    if any_scores {
        for code in crate::outcomes::compute::INDICATORS {
            rows.push(Row {
                label: words::indicator(t, code),
                cells: each(&|c| score_cell(c, code)),
            });
        }
    } else {
        rows.push(Row {
            label: t.msg("provider-results"),
            cells: Cells::All(html! { span.muted { (t.msg("compare-no-scores")) } }),
        });
    }
    rows.push(Row {
        label: t.msg("compare-row-experience"),
        cells: if items.iter().any(|c| !c.experience.is_empty()) {
            each(&experience_cell)
        } else {
            Cells::All(html! { span.muted { (t.msg("compare-no-answers")) } })
        },
    });
    rows.push(Row {
        label: t.msg("waiting-actual"),
        cells: each(&waiting_cell),
    });
    rows.push(Row {
        label: t.msg("compare-row-place"),
        cells: each(&|c| html! { (c.provider.city) }),
    });
    rows.push(Row {
        label: t.msg("compare-row-offer"),
        cells: each(&|c| offer_cell(reference, c)),
    });
    rows.push(Row {
        label: t.msg("offers-languages"),
        cells: each(&|c| html! { (languages(c)) }),
    });
    rows.push(Row {
        label: t.msg("compare-row-18-23"),
        // From the matching offers' ages, not the provider as a whole.
        cells: each(&|c| {
            html! { @if c.provider.verlengde_jeugdhulp && c.offers.iter().any(|o| o.max_age > 17) { (t.msg("yes")) } @else { (t.msg("no")) } }
        }),
    });
    if items.iter().any(|c| !c.provider.approach.trim().is_empty()) {
        rows.push(Row {
            label: t.msg("compare-row-approach"),
            cells: each(&|c| html! { span lang=[nl] dir=[ltr] { (super::pages::excerpt(&c.provider.approach, 400)) } }),
        });
    }
    if any_scores {
        rows.push(Row {
            label: t.msg("compare-row-story"),
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
    let t = texts();
    let caption = t.fmt("compare-caption", &[("number", profile_number.into())]);
    let name =
        |c: &Compared| html! { a href={ "/aanbieders/" (c.provider.slug) } { (c.provider.name) } };
    html! {
        div.compare-wide {
            (scroll_region(&t.msg("compare-region"), html! {
                table.compare-table {
                    caption { (caption) }
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
                                th scope="row" { span.visually-hidden { (t.msg("compare-choose")) } }
                                @for c in items { td { (action(c)) } }
                            }
                        }
                    }
                }
            }))
        }
        div.compare-narrow {
            h2 { (caption) }
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
                    h3 { (t.msg("compare-choose")) }
                    @for c in items { div.compare-action { (action(c)) } }
                }
            }
        }
    }
}

/// Print or save the page: a button where the browser can print from a script (assets/page.js
/// shows it), the browser's own menu otherwise.
pub fn print_button() -> Markup {
    let t = texts();
    html! {
        div.print-actions.no-print {
            button.button--secondary type="button" data-print hidden { (t.msg("compare-print")) }
            p.hint { (t.msg("compare-print-hint")) }
        }
    }
}

/// A short explanation above every comparison, folded: on a phone it filled the first
/// screen before any figure.
pub fn how_to_read() -> Markup {
    let t = texts();
    html! {
        details.how-to-read {
            summary { (t.msg("how-to-read")) }
            ul {
                li { (t.msg("how-to-read-topics")) }
                li { (t.msg("how-to-read-n")) }
                li { (t.fmt("how-to-read-min", &[("min", MIN_N.into())])) }
                li { (t.msg("how-to-read-chance")) }
                li { (t.msg("how-to-read-verdict")) }
                li { (t.msg("how-to-read-kader")) }
                li { a href="/over-de-cijfers" { (t.msg("how-to-read-link")) } "." }
            }
        }
    }
}

/// The labels of the experience items, for the provider page.
pub fn experience_items(summary: &experience::Summary) -> Markup {
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    html! {
        ul.compact-list {
            @for item in &summary.items {
                li {
                    span lang=[nl] dir=[ltr] { (item.question) } " "
                    @if item.shown() { strong { (words::value(t, Indicator::Clienttevredenheid, item.mean)) } }
                    @else { span.muted { (t.fmt("too-few", &[("count", item.n.into())])) } }
                }
            }
        }
    }
}

//! How scores are shown: per profile a table of the indicators with n, the 95% interval, the
//! regiogemiddelde and a small SVG bar (decorative; the table is the text alternative).
//! The reports' pages use these tables, and other features embed [`published_scores`] (the
//! catalogue's provider page): a view this feature publishes, not one of its pages.

use crate::web::components::scroll_region_labelled_by;
use maud::{Markup, html};

use super::compute::Quarter;
use super::indicators::{Comparison, MIN_N, REFERENCE_NAME, compare};
use super::reports::{Report, Score};
use crate::domain::indicator::Indicator;
use crate::reference::ReferenceData;

fn scale(indicator: Indicator, value: f64) -> f64 {
    if indicator.is_mean() {
        (value - 1.0) / 9.0
    } else {
        value
    }
}

/// A bar with the interval as a line and the regional average as a mark; hidden from screen
/// readers because the table next to it says the same in words.
fn bar(score: &Score) -> Markup {
    let (Some(value), Some((low, high))) = (score.value, score.interval()) else {
        return html! {};
    };
    let code = score.indicator;
    let x = |v: f64| format!("{:.1}", 4.0 + scale(code, v).clamp(0.0, 1.0) * 152.0);
    html! {
        svg.score-bar width="160" height="24" viewBox="0 0 160 24" aria-hidden="true" focusable="false" {
            rect x="4" y="8" width="152" height="8" fill="#e8eef5" {}
            rect x="4" y="8" width=(format!("{:.1}", scale(code, value).clamp(0.0, 1.0) * 152.0)) height="8" fill="#154273" {}
            line x1=(x(low)) x2=(x(high)) y1="12" y2="12" stroke="#1a1a1a" stroke-width="2" {}
            line x1=(x(low)) x2=(x(low)) y1="7" y2="17" stroke="#1a1a1a" stroke-width="2" {}
            line x1=(x(high)) x2=(x(high)) y1="7" y2="17" stroke="#1a1a1a" stroke-width="2" {}
            @if let Some(avg) = score.reference_value() {
                line x1=(x(avg)) x2=(x(avg)) y1="2" y2="22" stroke="#b3261e" stroke-width="2" stroke-dasharray="3 2" {}
            }
        }
    }
}

/// What the small bars show, once above the tables (the bars themselves are hidden from
/// screen readers: the table says the same in words).
fn legend() -> Markup {
    html! {
        div.score-legend aria-hidden="true" {
            svg width="36" height="14" viewBox="0 0 36 14" focusable="false" { rect x="0" y="3" width="36" height="8" fill="#154273" {} }
            span { "de uitkomst" }
            svg width="36" height="14" viewBox="0 0 36 14" focusable="false" {
                line x1="4" x2="32" y1="7" y2="7" stroke="#1a1a1a" stroke-width="2" {}
                line x1="4" x2="4" y1="2" y2="12" stroke="#1a1a1a" stroke-width="2" {}
                line x1="32" x2="32" y1="2" y2="12" stroke="#1a1a1a" stroke-width="2" {}
            }
            span { "de marge (het echte cijfer ligt waarschijnlijk hiertussen)" }
            svg width="14" height="18" viewBox="0 0 14 18" focusable="false" { line x1="7" x2="7" y1="0" y2="18" stroke="#b3261e" stroke-width="2" stroke-dasharray="3 2" {} }
            span { "het " (REFERENCE_NAME.to_lowercase()) }
        }
    }
}

/// For a published report: the day its reference data was kept (its publication, or for
/// history stored in bulk the day it was stored), and the region's municipalities then.
pub fn reference_note(reference: &super::reports::reference::ReportReference) -> Markup {
    html! {
        @if let Some(taken) = reference.taken_at {
            p.hint {
                "Dit rapport toont de profielen en gemeenten zoals ze waren op "
                (crate::web::text::date_nl(crate::clock::date_of(taken))) ". Latere wijzigingen veranderen het rapport niet. Gemeenten van regio " (reference.region) ": "
                (reference.municipalities.join(", ")) "."
            }
        }
    }
}

/// The scores of one report, grouped per profile, with the profile names and region the
/// report was published with. `level` is the heading level of the profiles (the page's
/// outline decides: 2 under the page title, 4 under a region's h3).
pub fn score_tables(
    reference: &super::reports::reference::ReportReference,
    period: &str,
    scores: &[Score],
    with_explanations: bool,
    level: u8,
) -> Markup {
    let mut profiles: Vec<i64> = scores.iter().map(|s| s.profile_id).collect();
    profiles.dedup();
    let quarter = Quarter::parse(period);
    html! {
        @if scores.is_empty() {
            p { "Er zijn nog geen cijfers: er zijn in deze periode geen trajecten afgesloten." }
        } @else {
            (legend())
        }
        @for profile in profiles {
            @let found = reference.profile(profile);
            // The plain description leads, the official name follows (B1).
            @let number = found.map_or(0, |p| p.number);
            @let plain = found.map_or(String::new(), |p| p.description.clone());
            @let official = found.map_or(String::new(), |p| p.name.clone());
            @let region = reference.region.clone();
            @let rows: Vec<&Score> = scores.iter().filter(|s| s.profile_id == profile).collect();
            // Profile ids belong to one region, so this id (and the region's name in the
            // label and caption) is unique where one profile shows in two regions.
            @let heading_id = format!("cijfers-{profile}");
            section.score-profile {
                (heading(level, &format!("Profiel {number}, regio {region}"), Some(&heading_id)))
                p.profile-plain { (plain) " " span.hint { "Officiële naam: " (official) "." } }
                (scroll_region_labelled_by(&heading_id, html! {
                    table.data-table {
                        caption {
                            "Profiel " (number) ", regio " (region) ": afgesloten trajecten in de 12 maanden tot en met "
                            (quarter.map_or(period.to_owned(), |q| crate::web::text::date_nl(q.last_day())))
                            ". Bron: " (super::reports::source_label(rows.first().map_or("aanbieder", |s| s.source.as_str()))) "."
                        }
                        thead { tr {
                            th scope="col" { "Wat" } th scope="col" { "Uitkomst" } th scope="col" { "Aantal trajecten" }
                            th scope="col" { "Deel gedwongen kader" }
                            th scope="col" { "Het echte cijfer ligt waarschijnlijk tussen" } th scope="col" { (REFERENCE_NAME) } th scope="col" { "Vergeleken" }
                        } }
                        tbody {
                            @for code in super::compute::INDICATORS {
                                @if let Some(s) = rows.iter().find(|s| s.indicator == code) {
                                    // `data-figure`: where a test finds this figure on every page.
                                    tr data-figure=(format!("{profile}/{code}")) {
                                        th scope="row" { (code.label()) }
                                        @match (s.value, s.interval()) {
                                            (Some(value), Some((low, high))) => {
                                                td {
                                                    strong { (code.format(value)) }
                                                    @if let (Some(extra), Some(label)) = (s.extra, code.extra_label()) {
                                                        br;
                                                        span.hint { (label) ": " (format!("{:.0}%", extra * 100.0)) }
                                                    }
                                                    // The bar beside the number: no empty column for screen readers.
                                                    (bar(s))
                                                }
                                                td { (s.n) }
                                                td { (kader_cell(s)) }
                                                td { (code.format(low)) " tot " (code.format(high)) }
                                                // The funnel's target: the value the comparison is against.
                                                td { (s.reference_value().map_or("–".to_owned(), |a| code.format(a))) }
                                                td {
                                                    (s.comparison.or_else(|| s.reference_value().map(|a| compare((low, high), a, code.higher_is_better()))).map_or("–", comparison))
                                                    @if let Some(expected) = s.expected.filter(|e| s.reference_value().is_some_and(|t| code.format(t) != code.format(*e))) {
                                                        br;
                                                        span.hint { "verwacht bij dit deel gedwongen kader: " (code.format(expected)) }
                                                    }
                                                }
                                            }
                                            _ => {
                                                td colspan="6" { "Te weinig gegevens (minder dan " (MIN_N) " trajecten: " (s.n) ")" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }))
                @if with_explanations {
                    @if let Some(text) = rows.iter().map(|s| s.explanation.as_str()).find(|e| !e.is_empty()) {
                        div.explanation { (heading(level + 1, "Het verhaal achter de cijfers", None)) p { (text) } }
                    }
                }
            }
        }
    }
}

/// A heading at `level`; profile ids belong to one region, so `cijfers-{profile}` is unique
/// on a page that shows several regions.
fn heading(level: u8, text: &str, id: Option<&str>) -> Markup {
    html! {
        @match level {
            2 => h2 id=[id] { (text) },
            3 => h3 id=[id] { (text) },
            4 => h4 id=[id] { (text) },
            _ => h5 id=[id] { (text) },
        }
    }
}

/// The share of the cases in the gedwongen kader, and the vrijwillig cases' own value where
/// both kaders have at least the minimum number of cases.
fn kader_cell(s: &Score) -> Markup {
    html! {
        @match s.forced_share() {
            Some(share) => {
                (format!("{:.0}%", share * 100.0))
                @if let Some(voluntary) = s.voluntary_value {
                    br;
                    span.hint { "alleen vrijwillig: " (s.indicator.format(voluntary)) }
                }
            }
            None => "–",
        }
    }
}

/// The kader beside a figure in a comparison: the share in the gedwongen kader, the
/// vrijwillig-only value where there is one, and the value compared with where the share
/// differs from the region's.
pub fn kader_hints(s: &Score) -> Markup {
    let code = s.indicator;
    html! {
        @if let Some(share) = s.forced_share() {
            span.hint { "Gedwongen kader: " (format!("{:.0}%", share * 100.0)) " van de trajecten" }
        }
        @if let Some(voluntary) = s.voluntary_value {
            span.hint { "Alleen vrijwillige hulp: " (code.format(voluntary)) }
        }
        @if let Some(expected) = s.expected.filter(|e| s.reference_value().is_some_and(|t| code.format(t) != code.format(*e))) {
            span.hint { "Verwacht bij dit deel gedwongen kader: " (code.format(expected)) }
        }
    }
}

fn comparison(c: Comparison) -> &'static str {
    c.label()
}

/// A provider's published scores, per region: the newest published version of each, as
/// `reports::published` reads them.
pub fn published_scores(
    reference: &ReferenceData,
    published: &[(Report, Vec<Score>)],
    kept: &[Option<super::reports::reference::ReportReference>],
) -> Markup {
    html! {
        @if published.is_empty() {
            p { "Er zijn nog geen gepubliceerde cijfers. " a href="/over-de-cijfers" { "Over de cijfers" } }
        }
        @for (i, (report, list)) in published.iter().enumerate() {
            @let shown = kept.get(i).cloned().flatten().unwrap_or_else(|| super::reports::reference::ReportReference::current(reference, report.region_id));
            h3 { "Regio " (shown.region) }
            p.hint { "Gepubliceerd op " (report.published_at.map_or(String::new(), |d| crate::web::text::date_nl(crate::clock::date_of(d)))) ", versie " (report.version) ". " a href="/over-de-cijfers" { "Zo lezen en berekenen wij de cijfers" } }
            (score_tables(&shown, &report.period, list, true, 4))
        }
    }
}

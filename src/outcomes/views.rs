//! How scores are shown: per profile a table of the indicators with n, the 95% interval, the
//! regiogemiddelde and a small SVG bar (decorative; the table is the text alternative).
//! The reports' pages use these tables, and other features embed [`published_scores`] (the
//! catalogue's provider page): a view this feature publishes, not one of its pages.

use crate::web::components::scroll_region_labelled_by;
use maud::{Markup, html};

use super::compute::Quarter;
use super::indicators::{MIN_N, compare};
use super::reports::{Report, Score};
use crate::domain::indicator::Indicator;
use crate::reference::ReferenceData;
use crate::web::language::{dutch_marks, texts};
use crate::web::words;

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
    let t = texts();
    html! {
        div.score-legend aria-hidden="true" {
            svg width="36" height="14" viewBox="0 0 36 14" focusable="false" { rect x="0" y="3" width="36" height="8" fill="#154273" {} }
            span { (t.msg("legend-outcome")) }
            svg width="36" height="14" viewBox="0 0 36 14" focusable="false" {
                line x1="4" x2="32" y1="7" y2="7" stroke="#1a1a1a" stroke-width="2" {}
                line x1="4" x2="4" y1="2" y2="12" stroke="#1a1a1a" stroke-width="2" {}
                line x1="32" x2="32" y1="2" y2="12" stroke="#1a1a1a" stroke-width="2" {}
            }
            span { (t.msg("legend-margin")) }
            svg width="14" height="18" viewBox="0 0 14 18" focusable="false" { line x1="7" x2="7" y1="0" y2="18" stroke="#b3261e" stroke-width="2" stroke-dasharray="3 2" {} }
            span { (t.msg("legend-reference")) }
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
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    html! {
        @if scores.is_empty() {
            p { (t.msg("scores-none-in-period")) }
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
                (heading(level, &t.fmt("scores-heading", &[("number", number.into()), ("region", region.as_str().into())]), Some(&heading_id)))
                p.profile-plain { span lang=[nl] dir=[ltr] { (plain) } " " span.hint { (t.msg("scores-official-name")) " " span lang=[nl] dir=[ltr] { (official) } "." } }
                (scroll_region_labelled_by(&heading_id, html! {
                    table.data-table {
                        caption {
                            (t.fmt("scores-caption", &[
                                ("number", number.into()),
                                ("region", region.as_str().into()),
                                ("until", quarter.map_or(period.to_owned(), |q| t.date(q.last_day())).into()),
                                ("source", t.msg(&format!("source-{}", source_code(rows.first().map_or("aanbieder", |s| s.source.as_str())))).into()),
                            ]))
                        }
                        thead { tr {
                            th scope="col" { (t.msg("scores-what")) } th scope="col" { (t.msg("scores-outcome")) } th scope="col" { (t.msg("scores-n")) }
                            th scope="col" { (t.msg("scores-forced-share")) }
                            th scope="col" { (t.msg("experience-interval")) } th scope="col" { (t.msg("reference-name")) } th scope="col" { (t.msg("scores-compared")) }
                        } }
                        tbody {
                            @for code in super::compute::INDICATORS {
                                @if let Some(s) = rows.iter().find(|s| s.indicator == code) {
                                    // `data-figure`: where a test finds this figure on every page.
                                    tr data-figure=(format!("{profile}/{code}")) {
                                        th scope="row" { (words::indicator(t, code)) }
                                        @match (s.value, s.interval()) {
                                            (Some(value), Some((low, high))) => {
                                                td {
                                                    strong { (words::value(t, code, value)) }
                                                    @if let (Some(extra), Some(label)) = (s.extra, words::indicator_extra(t, code)) {
                                                        br;
                                                        span.hint { (label) ": " (format!("{:.0}%", extra * 100.0)) }
                                                    }
                                                    // The bar beside the number: no empty column for screen readers.
                                                    (bar(s))
                                                }
                                                td { (s.n) }
                                                td { (kader_cell(s)) }
                                                td { (t.fmt("range", &[("from", words::value(t, code, low).into()), ("to", words::value(t, code, high).into())])) }
                                                // The funnel's target: the value the comparison is against.
                                                td { (s.reference_value().map_or("–".to_owned(), |a| words::value(t, code, a))) }
                                                td {
                                                    (s.comparison.or_else(|| s.reference_value().map(|a| compare((low, high), a, code.higher_is_better()))).map_or("–".to_owned(), |c| words::comparison(t, c)))
                                                    @if let Some(expected) = s.expected.filter(|e| s.reference_value().is_some_and(|r| code.format(r) != code.format(*e))) {
                                                        br;
                                                        span.hint { (t.fmt("scores-expected", &[("value", words::value(t, code, expected).into())])) }
                                                    }
                                                }
                                            }
                                            _ => {
                                                td colspan="6" { (t.fmt("scores-too-few", &[("min", MIN_N.into()), ("count", s.n.into())])) }
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
                        div.explanation { (heading(level + 1, &t.msg("compare-row-story"), None)) p lang=[nl] dir=[ltr] { (text) } }
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
    let t = texts();
    html! {
        @match s.forced_share() {
            Some(share) => {
                (format!("{:.0}%", share * 100.0))
                @if let Some(voluntary) = s.voluntary_value {
                    br;
                    span.hint { (t.fmt("scores-voluntary-only", &[("value", words::value(t, s.indicator, voluntary).into())])) }
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
    let t = texts();
    html! {
        @if let Some(share) = s.forced_share() {
            span.hint { (t.fmt("hint-forced-share", &[("share", format!("{:.0}%", share * 100.0).into())])) }
        }
        @if let Some(voluntary) = s.voluntary_value {
            span.hint { (t.fmt("hint-voluntary", &[("value", words::value(t, code, voluntary).into())])) }
        }
        @if let Some(expected) = s.expected.filter(|e| s.reference_value().is_some_and(|r| code.format(r) != code.format(*e))) {
            span.hint { (t.fmt("hint-expected", &[("value", words::value(t, code, expected).into())])) }
        }
    }
}

/// The message suffix of a score's source (`source-…`), as `reports::source_label` reads it.
fn source_code(code: &str) -> &'static str {
    match code {
        "ijw" => "ijw",
        code if code.contains("ijw") => "ijw-mixed",
        "gemeente" => "gemeente",
        "aanbieder+gemeente" => "both",
        _ => "aanbieder",
    }
}

/// A provider's published scores, per region: the newest published version of each, as
/// `reports::published` reads them.
pub fn published_scores(
    reference: &ReferenceData,
    published: &[(Report, Vec<Score>)],
    kept: &[Option<super::reports::reference::ReportReference>],
) -> Markup {
    let t = texts();
    html! {
        @if published.is_empty() {
            p { (t.msg("scores-none-published")) " " a href="/over-de-cijfers" { (t.msg("scores-about")) } }
        }
        @for (i, (report, list)) in published.iter().enumerate() {
            @let shown = kept.get(i).cloned().flatten().unwrap_or_else(|| super::reports::reference::ReportReference::current(reference, report.region_id));
            h3 { (t.fmt("region-name", &[("name", shown.region.as_str().into())])) }
            p.hint { (t.fmt("scores-published", &[("date", report.published_at.map_or(String::new(), |d| t.date(crate::clock::date_of(d))).into()), ("version", report.version.into())])) " " a href="/over-de-cijfers" { (t.msg("scores-how")) } }
            (score_tables(&shown, &report.period, list, true, 4))
        }
    }
}

//! "Kosten en resultaat": what help cost per profile and per provider, beside the provider's
//! published uitval and doelrealisatie (the stored published scores, as everywhere else).
//! The lines per provider come sorted by cost, 25 to a page.

use maud::{Markup, html};

use super::cost::parse_provider_item;
use super::figures::{Breakdown, Figure};
use super::view::{Figures, number};
use crate::domain::indicator::Indicator;
use crate::outcomes::compute::Quarter;
use crate::outcomes::reports::Score;
use crate::reference::ReferenceData;
use crate::web::components::{pagination, scroll_region};

/// Lines per page of the provider table.
pub const PER_PAGE: usize = 25;

/// One provider and profile: its cost in the quarter and its published figures.
pub struct ProviderLine {
    pub provider_id: i64,
    pub name: String,
    pub slug: String,
    pub profile: i32,
    pub trajectories: i64,
    pub euros: f64,
    pub uitval: Option<Score>,
    pub doelrealisatie: Option<Score>,
}

/// The provider items of quarter `q`, the most costly first: (provider id, profile, count,
/// euros).
pub fn ranked(figures: &Figures, q: Quarter) -> Vec<(i64, i32, i64, f64)> {
    let mut out: Vec<(i64, i32, i64, f64)> = figures
        .items(q, Figure::Cost, Breakdown::Provider)
        .into_iter()
        .filter_map(|c| {
            let (provider, profile) = parse_provider_item(&c.item)?;
            Some((provider, profile, c.count, c.value.unwrap_or(0.0)))
        })
        .collect();
    out.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    out
}

/// An amount in euros, Dutch style: "€ 12.345".
pub fn euros(value: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let whole = value.round() as i64;
    let digits = whole.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("€ {}{grouped}", if whole < 0 { "-" } else { "" })
}

/// A cell's amount; hidden with its count.
fn amount(c: &crate::monitor::figures::Cell) -> String {
    if c.count < 0 {
        number(c.count)
    } else {
        euros(c.value.unwrap_or(0.0))
    }
}

/// The cost per trajectory; a dash without trajectories.
fn per_trajectory(total: f64, count: i64) -> String {
    if count < 0 {
        return number(count);
    }
    if count == 0 {
        return "–".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    euros(total / count as f64)
}

fn score(s: Option<&Score>, indicator: Indicator) -> Markup {
    html! {
        @match s {
            Some(s) => @match s.value {
                Some(v) => { (indicator.format(v)) " " span.hint { "(n = " (s.n) ")" } }
                None => { "Te weinig trajecten " span.hint { "(n = " (s.n) ")" } }
            },
            None => span.hint { "Nog niet gepubliceerd" },
        }
    }
}

/// The section; `page` is the page of provider lines shown, `href(page)` its address.
pub fn section(
    figures: &Figures,
    q: Quarter,
    reference: &ReferenceData,
    region_id: i64,
    lines: &[ProviderLine],
    (page, pages): (u32, u32),
    href: impl Fn(u32) -> String,
) -> Markup {
    let total = figures.total(q, Figure::Cost);
    let unknown = figures
        .total(q, Figure::CostUnknown)
        .map_or(0, |c| c.count.max(0));
    let profiles = figures.items(q, Figure::Cost, Breakdown::Profile);
    html! {
        h2 #kosten { "Kosten en resultaat" }
        p { "Wat de hulp in dit kwartaal kostte tegen de tarieven van de regio: per traject het tarief bij de start (in het kwartaal van de start), per 4 weken of per dag het tarief keer de dagen hulp in het kwartaal." }
        @if let Some(t) = total {
            @if t.count >= 0 {
                p { strong { (euros(t.value.unwrap_or(0.0))) } " voor " (t.count) " trajecten." }
            }
        }
        @if unknown > 0 {
            p { "Van " (unknown) " trajecten zijn de kosten niet te berekenen: er gold geen tarief, of de hulp wordt per uur betaald en uren worden niet vastgelegd." }
        }
        @if !profiles.is_empty() {
            (scroll_region("Kosten per profiel", html! {
                table {
                    caption { "Kosten per profiel" }
                    thead { tr { th scope="col" { "Profiel" } th scope="col" { "Trajecten" } th scope="col" { "Kosten" } th scope="col" { "Per traject" } } }
                    tbody {
                        @for c in &profiles {
                            @let value = c.value.unwrap_or(0.0);
                            tr {
                                th scope="row" { (super::pages::item_label(reference, region_id, Breakdown::Profile, &c.item)) }
                                td { (number(c.count)) }
                                td { (amount(c)) }
                                td { (per_trajectory(value, c.count)) }
                            }
                        }
                    }
                }
            }))
        }
        h3 #kosten-aanbieders { "Per aanbieder, met de gepubliceerde resultaten" }
        @if lines.is_empty() {
            p { "Geen kosten in dit kwartaal." }
        } @else {
            p { "De duurste eerst. Uitval en doelrealisatie zijn de laatst gepubliceerde cijfers van de aanbieder voor dat profiel (over 12 maanden), met het aantal trajecten erachter." }
            (scroll_region("Kosten per aanbieder", html! {
                table {
                    caption.visually-hidden { "Kosten per aanbieder en profiel, met uitval en doelrealisatie" }
                    thead { tr {
                        th scope="col" { "Aanbieder" } th scope="col" { "Profiel" } th scope="col" { "Trajecten" }
                        th scope="col" { "Kosten" } th scope="col" { "Per traject" }
                        th scope="col" { "Uitval" } th scope="col" { "Doelrealisatie" }
                    } }
                    tbody {
                        @for l in lines {
                            tr {
                                th scope="row" { a href={ "/aanbieders/" (l.slug) } { (l.name) } }
                                td { (l.profile) }
                                td { (number(l.trajectories)) }
                                td { (if l.trajectories < 0 { number(l.trajectories) } else { euros(l.euros) }) }
                                td { (per_trajectory(l.euros, l.trajectories)) }
                                td data-figure="uitval" { (score(l.uitval.as_ref(), Indicator::Uitval)) }
                                td data-figure="doelrealisatie" { (score(l.doelrealisatie.as_ref(), Indicator::Doelrealisatie)) }
                            }
                        }
                    }
                }
            }))
            (pagination(page, pages, href))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_the_dutch_way() {
        assert_eq!(euros(0.0), "€ 0");
        assert_eq!(euros(999.4), "€ 999");
        assert_eq!(euros(1234.5), "€ 1.235");
        assert_eq!(euros(12_345_678.0), "€ 12.345.678");
    }
}

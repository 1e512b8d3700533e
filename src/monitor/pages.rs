//! The monitor page: maud only, no queries. Every section says what it counts; every chart
//! has its table.

use chrono::NaiveDateTime;
use maud::{Markup, html};

use super::chart::{Series, trend};
use super::figures::{Breakdown, Figure, Vorm, end_day};
use super::scope::Scope;
use super::view::{Figures, days, number, share};
use crate::domain::hulpvraag::{DeclineReason, END_REASONS, IJW_END_REASONS};
use crate::outcomes::compute::Quarter;
use crate::reference::ReferenceData;
use crate::web::components::scroll_region;
use crate::web::layout::{Account, Crumb, Page, SiteInfo};

/// What the page shows.
pub struct MonitorView<'a> {
    pub scope: Scope,
    pub choices: &'a [Scope],
    pub quarters: &'a [Quarter],
    pub figures: &'a Figures,
    pub reference: &'a ReferenceData,
    pub computed_at: Option<NaiveDateTime>,
    pub today: chrono::NaiveDate,
    /// The section on cost against result (`cost_pages::section`).
    pub cost: Markup,
    /// The public page of a municipality: small numbers hidden (`Figures::masked`).
    pub public: bool,
}

fn quarter_label(q: Quarter, today: chrono::NaiveDate) -> String {
    if today <= q.last_day() {
        format!("{} (loopt nog)", q.label())
    } else {
        q.label()
    }
}

fn profile_label(reference: &ReferenceData, region_id: i64, item: &str) -> String {
    item.parse::<i32>()
        .ok()
        .and_then(|n| reference.profile_in_region(region_id, n))
        .map_or_else(
            || format!("Profiel {item}"),
            |p| format!("{} {}", p.number, p.name),
        )
}

fn intensity_label(reference: &ReferenceData, region_id: i64, item: &str) -> String {
    reference
        .intensity_in_region(region_id, item)
        .map_or_else(|| item.to_owned(), |i| i.name.clone())
}

fn vorm_label(item: &str) -> String {
    Vorm::ALL
        .iter()
        .find(|v| v.code() == item)
        .map_or_else(|| item.to_owned(), |v| v.label().to_owned())
}

fn reason_label(item: &str) -> String {
    END_REASONS
        .iter()
        .chain(IJW_END_REASONS.iter())
        .find(|(code, _)| code.to_string() == item)
        .map_or_else(
            || "Reden onbekend".to_owned(),
            |(_, label)| (*label).to_owned(),
        )
}

fn decline_label(item: &str) -> String {
    DeclineReason::parse(item).map_or_else(|| item.to_owned(), |r| r.label().to_owned())
}

/// The label of an item of a breakdown.
pub fn item_label(
    reference: &ReferenceData,
    region_id: i64,
    breakdown: Breakdown,
    item: &str,
) -> String {
    match breakdown {
        Breakdown::Total => "Totaal".to_owned(),
        Breakdown::Profile => profile_label(reference, region_id, item),
        Breakdown::Intensity => intensity_label(reference, region_id, item),
        Breakdown::Setting => vorm_label(item),
        Breakdown::Reason => reason_label(item),
        Breakdown::Provider => super::cost::parse_provider_item(item).map_or_else(
            || item.to_owned(),
            |(provider, profile)| format!("aanbieder {provider}, profiel {profile}"),
        ),
    }
}

/// Where the page lives and its file: the staff's `/monitor`, or the public page of a
/// municipality.
fn addresses(v: &MonitorView<'_>, q: Quarter) -> (String, String) {
    let (key, slug) = v.scope.query(v.reference);
    if v.public {
        (
            format!("/cijfers/gemeenten/{slug}"),
            format!(
                "/api/v1/municipalities/{slug}/monitor.csv?kwartaal={}",
                q.code()
            ),
        )
    } else {
        (
            "/monitor".to_owned(),
            format!("/monitor/export.csv?{key}={slug}&kwartaal={}", q.code()),
        )
    }
}

pub fn page(site: &SiteInfo, account: Option<Account<'_>>, v: &MonitorView<'_>) -> Markup {
    let name = v.scope.name(v.reference);
    let title = if v.public {
        format!("Cijfers jeugdhulp {name}")
    } else {
        format!("Monitor {name}")
    };
    let crumbs = if v.public {
        vec![
            Crumb::link("Cijfers per gemeente", "/cijfers/gemeenten"),
            Crumb::here(&name),
        ]
    } else {
        vec![Crumb::here("Monitor")]
    };
    let Some(q) = v.figures.quarter() else {
        return Page {
            title: &title,
            site,
            crumbs,
            section: None,
            account,
        }
        .render(html! { h1 { (title) } });
    };
    let (_, export) = addresses(v, q);
    Page { title: &title, site, crumbs, section: None, account }.render(html! {
        h1 { (title) }
        p.lead { (quarter_label(q, v.today)) ". Wat de jeugdhulp in " (name) " doet: hoeveel jongeren hulp krijgen, hoe lang, hoe snel de hulp begint en hoe gezinnen kiezen." }
        (choose_form(v, q))
        @if v.figures.is_empty() {
            p.notice role="status" { "De monitor wordt nu berekend. Kijk over een paar minuten opnieuw." }
        } @else {
            (summary(v, q))
            (trend_section(v))
            (use_section(v, q))
            (endings_section(v, q))
            (access_section(v, q))
            (v.cost)
            h2 { "Downloaden" }
            @if v.public {
                p { "Alle cijfers van deze monitor over alle afgelopen kwartalen die wij bijhouden, per cijfer en uitsplitsing. Verborgen aantallen zijn leeg." }
            } @else {
                p { "Alle cijfers van deze monitor over de laatste acht kwartalen, per cijfer en uitsplitsing." }
            }
            ul {
                li { a href=(export) download { "CSV-bestand (komma's, voor programma's)" } }
                li { a href={ (export) "&formaat=excel" } download { "CSV-bestand voor Excel (puntkomma's)" } }
            }
            (how_we_count(v, q))
            @if let Some(at) = v.computed_at {
                p.meta { "Berekend op " (at.format("%d-%m-%Y om %H:%M")) "." }
            }
        }
    })
}

fn choose_form(v: &MonitorView<'_>, q: Quarter) -> Markup {
    html! {
        form.filters method="get" action=(addresses(v, q).0) aria-label="Gebied en kwartaal kiezen" {
            @if v.choices.len() > 1 {
                label for="gebied" { "Gebied" }
                select #gebied name="gebied" {
                    @for s in v.choices {
                        @let (k, slug) = s.query(v.reference);
                        option value={ (k) ":" (slug) } selected[*s == v.scope] { (s.name(v.reference)) }
                    }
                }
            }
            label for="kwartaal" { "Kwartaal" }
            select #kwartaal name="kwartaal" {
                @for k in v.quarters.iter().rev() {
                    option value=(k.code()) selected[*k == q] { (quarter_label(*k, v.today)) }
                }
            }
            @if v.choices.len() <= 1 && !v.public {
                @let (k, slug) = v.scope.query(v.reference);
                input type="hidden" name=(k) value=(slug);
            }
            button type="submit" { "Toon" }
        }
    }
}

fn summary(v: &MonitorView<'_>, q: Quarter) -> Markup {
    let f = v.figures;
    let count = |figure| number(f.total(q, figure).map_or(0, |c| c.count));
    html! {
        h2 { "In het kort" }
        dl.key-figures {
            div { dt { "Jongeren met hulp aan het eind van het kwartaal" } dd { (count(Figure::InCare)) } }
            div { dt { "Gestart in het kwartaal" } dd { (count(Figure::Starts)) } }
            div { dt { "Beëindigd in het kwartaal" } dd { (count(Figure::Endings)) } }
            div { dt { "Hoe lang de beëindigde hulp duurde (mediaan)" } dd { (days(f.total(q, Figure::Duration))) } }
            div { dt { "In het gedwongen kader" } dd { (share(f.total(q, Figure::Forced))) } }
            div { dt { "Verlengde jeugdhulp (18 tot 23 jaar)" } dd { (share(f.total(q, Figure::Extended))) } }
            div { dt { "Tijd van hulpvraag tot start (mediaan)" } dd { (days(f.total(q, Figure::Waiting))) } }
            div { dt { "Op tijd gestart (binnen de norm)" } dd { (share(f.total(q, Figure::Waiting))) } }
            div { dt { "Gezin koos zelf de aanbieder (vrijwillig kader)" } dd { (share(f.total(q, Figure::FamilyChose))) } }
        }
    }
}

fn trend_section(v: &MonitorView<'_>) -> Markup {
    let f = v.figures;
    let series_of = |figure| -> Vec<Option<f64>> {
        #[allow(clippy::cast_precision_loss)]
        f.quarters
            .iter()
            .map(|q| {
                f.total(*q, figure)
                    .filter(|c| c.count >= 0)
                    .map(|c| c.count as f64)
            })
            .collect()
    };
    let series = [
        Series {
            label: "Met hulp aan het eind van het kwartaal",
            values: series_of(Figure::InCare),
            colour: "#154273",
            dash: "",
        },
        Series {
            label: "Gestart",
            values: series_of(Figure::Starts),
            colour: "#8a4b00",
            dash: "6 4",
        },
        Series {
            label: "Beëindigd",
            values: series_of(Figure::Endings),
            colour: "#2b6a30",
            dash: "2 3",
        },
    ];
    html! {
        h2 #trend { "Trend over acht kwartalen" }
        figure {
            (trend("trend-gebruik", "Jongeren met hulp, starts en beëindigingen per kwartaal", &f.quarters, &series))
            figcaption { "Per kwartaal: jongeren met hulp aan het eind, en de starts en beëindigingen in het kwartaal." }
        }
        (scroll_region("Trend per kwartaal", html! {
            table {
                caption { "Trend per kwartaal" }
                thead { tr { th scope="col" { "Kwartaal" } th scope="col" { "Met hulp aan het eind" } th scope="col" { "Gestart" } th scope="col" { "Beëindigd" } th scope="col" { "Duur (mediaan)" } th scope="col" { "Op tijd gestart" } } }
                tbody {
                    @for q in &f.quarters {
                        tr {
                            th scope="row" { (quarter_label(*q, v.today)) }
                            td { (stored(f.total(*q, Figure::InCare))) }
                            td { (stored(f.total(*q, Figure::Starts))) }
                            td { (stored(f.total(*q, Figure::Endings))) }
                            td { (days(f.total(*q, Figure::Duration))) }
                            td { (share(f.total(*q, Figure::Waiting))) }
                        }
                    }
                }
            }
        }))
    }
}

fn use_section(v: &MonitorView<'_>, q: Quarter) -> Markup {
    let region = v.scope.region_id();
    html! {
        h2 #gebruik { "Gebruik" }
        @for (breakdown, heading, column) in [(Breakdown::Profile, "Per profiel", "Profiel"), (Breakdown::Intensity, "Per intensiteit", "Intensiteit"), (Breakdown::Setting, "Per vorm van hulp", "Vorm van hulp")] {
            @let items = used_items(v.figures, q, breakdown);
            h3 { (heading) }
            @if items.is_empty() {
                p { "Geen hulp in dit kwartaal." }
            } @else {
                (scroll_region(heading, html! {
                    table {
                        caption.visually-hidden { "Gebruik " (heading.to_lowercase()) }
                        thead { tr {
                            th scope="col" { (column) }
                            th scope="col" { "Met hulp aan het eind" } th scope="col" { "Gestart" } th scope="col" { "Beëindigd" }
                            @if breakdown != Breakdown::Setting { th scope="col" { "Duur (mediaan)" } }
                        } }
                        tbody {
                            @for item in &items {
                                tr {
                                    th scope="row" { (item_label(v.reference, region, breakdown, item)) }
                                    td { (number(v.figures.count(q, Figure::InCare, breakdown, item))) }
                                    td { (number(v.figures.count(q, Figure::Starts, breakdown, item))) }
                                    td { (number(v.figures.count(q, Figure::Endings, breakdown, item))) }
                                    @if breakdown != Breakdown::Setting { td { (days(v.figures.cell(q, Figure::Duration, breakdown, item))) } }
                                }
                            }
                        }
                    }
                }))
            }
        }
    }
}

/// The items of a breakdown with anyone in care, starting or ending in quarter `q`.
fn used_items(figures: &Figures, q: Quarter, breakdown: Breakdown) -> Vec<String> {
    let mut items: Vec<String> = [Figure::InCare, Figure::Starts, Figure::Endings]
        .iter()
        .flat_map(|f| figures.items(q, *f, breakdown))
        .map(|c| c.item.clone())
        .collect();
    items.sort_by_key(|i| (i.parse::<i64>().unwrap_or(i64::MAX), i.clone()));
    items.dedup();
    items
}

fn endings_section(v: &MonitorView<'_>, q: Quarter) -> Markup {
    let reasons = v.figures.items(q, Figure::Endings, Breakdown::Reason);
    let total = v.figures.total(q, Figure::Endings).map_or(0, |c| c.count);
    html! {
        h2 #beeindigd { "Waarom de hulp stopte" }
        @if reasons.is_empty() {
            p { "In dit kwartaal is geen hulp beëindigd." }
        } @else {
            (scroll_region("Beëindigd per reden", html! {
                table {
                    caption.visually-hidden { "Beëindigde hulp per reden" }
                    thead { tr { th scope="col" { "Reden (CBS)" } th scope="col" { "Aantal" } th scope="col" { "Deel" } } }
                    tbody {
                        @for c in &reasons {
                            tr {
                                th scope="row" { @if c.item.parse::<i32>().is_ok() { (c.item) ". " } (reason_label(&c.item)) }
                                td { (number(c.count)) }
                                td { (percent(c.count, total)) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// A stored count; a dash for a quarter with nothing stored (before the kept ones).
fn stored(cell: Option<&super::figures::Cell>) -> String {
    cell.map_or_else(|| "–".to_owned(), |c| number(c.count))
}

fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 || part < 0 {
        return "–".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = part as f64 * 100.0 / whole as f64;
    format!("{p:.0}%")
}

fn access_section(v: &MonitorView<'_>, q: Quarter) -> Markup {
    let region = v.scope.region_id();
    let mut profiles = v.figures.items(q, Figure::Waiting, Breakdown::Profile);
    profiles.sort_by(|a, b| b.value.unwrap_or(0.0).total_cmp(&a.value.unwrap_or(0.0)));
    let declines = v.figures.items(q, Figure::Declines, Breakdown::Reason);
    html! {
        h2 #toegang { "Toegang: hoe snel begint de hulp?" }
        p { "De norm: bij acute hulp (crisis) start de hulp binnen 24 uur: op de dag van de hulpvraag of de dag erna. Anders binnen 4 weken (28 dagen). Alleen hulpvragen die via dit portaal liepen." }
        @if profiles.is_empty() {
            p { "In dit kwartaal is geen hulp gestart via het portaal." }
        } @else {
            (scroll_region("Wachttijd per profiel", html! {
                table {
                    caption { "Tijd van hulpvraag tot start per profiel, de langzaamste eerst" }
                    thead { tr { th scope="col" { "Profiel" } th scope="col" { "Gestart" } th scope="col" { "Mediaan" } th scope="col" { "Op tijd gestart" } } }
                    tbody {
                        @for c in &profiles {
                            tr {
                                th scope="row" { (profile_label(v.reference, region, &c.item)) }
                                td { (number(c.count)) }
                                td { (days(Some(c))) }
                                td { (share(Some(c))) }
                            }
                        }
                    }
                }
            }))
        }
        h3 { "Afgewezen door de aanbieder" }
        @if declines.is_empty() {
            p { "Geen afwijzingen in dit kwartaal." }
        } @else {
            ul {
                @for c in &declines { li { (decline_label(&c.item)) ": " (number(c.count)) } }
            }
        }
    }
}

fn how_we_count(v: &MonitorView<'_>, q: Quarter) -> Markup {
    let last = end_day(q, v.today);
    html! {
        h2 #zo-tellen-wij { "Zo tellen wij" }
        p { "Periode: " (q.first_day().format("%d-%m-%Y")) " tot en met " (last.format("%d-%m-%Y")) ". Wij tellen de trajecten van jongeren die in " (v.scope.name(v.reference)) " wonen: de trajecten die aanbieders aanleveren en de hulp die via dit portaal is gestart." }
        @if v.public {
            p { "Aantallen onder de 10 tonen wij niet, zodat niemand te herkennen is: daar staat " strong { "verborgen" } ". Soms verbergen wij ook een groter getal: anders kunt u het kleine getal uitrekenen uit het totaal en de andere getallen." }
        }
        dl {
            dt { "Met hulp aan het eind van het kwartaal" }
            dd { "Trajecten die op of voor " (last.format("%d-%m-%Y")) " begonnen en daarna nog doorliepen." }
            dt { "Gestart en beëindigd" }
            dd { "Trajecten met hun startdatum of einddatum in het kwartaal. Met hulp aan het eind = met hulp aan het eind van het vorige kwartaal + gestart − beëindigd." }
            dt { "Duur" }
            dd { "Het aantal dagen van startdatum tot einddatum van de trajecten die in het kwartaal eindigden. De mediaan: de helft duurde korter, de helft langer." }
            dt { "Vorm van hulp" }
            dd { "Wat de aanbieder bij zijn aanbod opgeeft (ambulant, dagbehandeling of verblijf). Hulp met de intensiteit acuut telt als crisis. Staat de hulp niet meer in het aanbod, dan is de vorm onbekend." }
            dt { "Gedwongen kader en verlengde jeugdhulp" }
            dd { "Het deel van de jongeren met hulp aan het eind van het kwartaal dat in het gedwongen kader zit, en dat 18 tot 23 jaar is." }
            dt { "Tijd tot start" }
            dd { "Dagen van de dag van de hulpvraag tot de startdatum, voor hulp die in het kwartaal startte. Op tijd: uiterlijk de dag na de hulpvraag bij acuut, binnen 28 dagen bij de rest." }
            dt { "Gezin koos zelf" }
            dd { "Van de hulpvragen in het vrijwillig kader waarvoor in het kwartaal voor het eerst een aanbieder is gekozen: het deel waar het gezin zelf koos, via de keuzelink. De rest koos samen met de toegangsmedewerker." }
        }
    }
}

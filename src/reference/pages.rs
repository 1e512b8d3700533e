use maud::{Markup, html};

use super::model::{Intensity, Profile, ProfileSummary, ReferenceData, Tariff};
use crate::web::SiteInfo;
use crate::web::components::scroll_region;
use crate::web::layout::{Crumb, Page};
use crate::web::text::{date_nl, euro};

pub fn profiles(site: &SiteInfo, reference: &ReferenceData) -> Markup {
    let summaries = reference.profile_summaries();
    Page { title: "Profielen", site, crumbs: vec![Crumb::here("Profielen")], section: Some("/profielen"), account: None }
        .render(html! {
            h1 { "Profielen: welke hulp past bij welke situatie?" }
            p.lead {
                "Jeugdhulp is ingedeeld in profielen. Een profiel beschrijft de situatie van uw kind en uw gezin. "
                "Uw jeugdprofessional of het wijkteam kiest samen met u het profiel dat het beste past."
            }
            @if summaries.is_empty() {
                p { "Er zijn nog geen profielen ingevoerd." }
            } @else {
                ol.card-list.profile-list {
                    @for p in &summaries {
                        li.card {
                            h2.card__title {
                                a href={ "/profielen/" (p.number) } { "Profiel " (p.number) }
                            }
                            p { (p.description) }
                            p.muted { "Officiële naam: " (p.name) }
                        }
                    }
                }
            }
            h2 { "Hoe intensief is de hulp?" }
            p { "Bij elk profiel hoort ook een intensiteit: hoeveel hulp er nodig is." }
            dl.definitions {
                @for i in reference.intensity_summaries() {
                    dt { (i.name) }
                    dd { (i.description) }
                }
            }
        })
}

pub fn profile(
    site: &SiteInfo,
    reference: &ReferenceData,
    profile: &ProfileSummary<'_>,
    tariffs: &[(Tariff, Profile, Intensity)],
) -> Markup {
    let title = format!("Profiel {}", profile.number);
    let crumbs = vec![
        Crumb::link("Profielen", "/profielen"),
        Crumb::here(title.clone()),
    ];
    Page { title: &title, site, crumbs, section: Some("/profielen"), account: None }.render(html! {
        h1 { (title) }
        p.lead { (profile.description) }
        p.muted { "Officiële naam: " (profile.name) }
        p {
            a.button href={ "/catalogus?profiel=" (profile.number) } { "Zoek aanbieders voor profiel " (profile.number) }
        }
        h2 { "Tarieven" }
        p {
            "Zo veel betaalt de gemeente de aanbieder voor deze hulp. U betaalt zelf niets. "
            "Wij laten de tarieven zien, zodat iedereen kan zien waar het geld naartoe gaat."
        }
        @let today = crate::clock::today();
        @let new_year = super::tariffs::next_new_year(today);
        @for region in &reference.regions {
            @let rows: Vec<&(Tariff, Profile, Intensity)> = tariffs.iter().filter(|(_, p, _)| p.region_id == region.id).collect();
            @let lines = tariff_lines(&rows, today, new_year);
            @let announced = lines.iter().any(|(_, _, next)| next.is_some());
            section.region-tariffs aria-labelledby={ "tarieven-" (region.slug) } {
                h3 #{ "tarieven-" (region.slug) } { "Regio " (region.name) }
                @if lines.is_empty() {
                    p.muted { "Deze regio heeft voor dit profiel geen tarieven vastgelegd in de catalogus." }
                } @else {
                    @if lines.iter().any(|(_, now, next)| now.is_some_and(|t| t.fictional) || next.is_some_and(|t| t.fictional)) {
                        p { "Let op: deze bedragen zijn verzonnen voor de demo. De echte tarieven van deze regio staan niet in de catalogus." }
                    }
                    (scroll_region(&format!("Tarieven in regio {}", region.name), html! {
                        table {
                            caption.visually-hidden { "Tarieven profiel " (profile.number) " in regio " (region.name) }
                            thead {
                                tr {
                                    th scope="col" { "Intensiteit" }
                                    th scope="col" class="numeric" { "Tarief nu" }
                                    @if announced { th scope="col" class="numeric" { "Vanaf " (date_nl(new_year)) } }
                                    th scope="col" { "Betaald" }
                                }
                            }
                            tbody {
                                @for (intensity, now, next) in &lines {
                                    tr {
                                        th scope="row" { (intensity.name) }
                                        td.numeric {
                                            @if let Some(t) = now {
                                                (euro(t.amount_cents))
                                                @if t.fictional { " " span.badge { "verzonnen (demo)" } }
                                            } @else { "nog geen" }
                                        }
                                        @if announced {
                                            td.numeric {
                                                @if let Some(t) = next {
                                                    (euro(t.amount_cents))
                                                    @if t.fictional { " " span.badge { "verzonnen (demo)" } }
                                                } @else { "nog niet bekend" }
                                            }
                                        }
                                        td { (intensity.paid_per_label()) }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
        }
    })
}

/// A tariff line of one region's profile: the intensity, the tariff in force today and
/// the one announced from the next 1 January (a tariff that starts after today).
type TariffLine<'a> = (&'a Intensity, Option<&'a Tariff>, Option<&'a Tariff>);

fn tariff_lines<'a>(
    rows: &[&'a (Tariff, Profile, Intensity)],
    today: chrono::NaiveDate,
    new_year: chrono::NaiveDate,
) -> Vec<TariffLine<'a>> {
    let mut intensities: Vec<&Intensity> = Vec::new();
    for (_, _, i) in rows {
        if !intensities.iter().any(|k| k.id == i.id) {
            intensities.push(i);
        }
    }
    let on = |intensity: &Intensity, day| {
        let profile = rows
            .iter()
            .find(|(_, _, i)| i.id == intensity.id)
            .map_or(0, |(_, p, _)| p.id);
        super::tariffs::in_force(rows.iter().map(|(t, _, _)| t), profile, intensity.id, day)
    };
    intensities
        .into_iter()
        .map(|i| {
            (
                i,
                on(i, today),
                on(i, new_year).filter(|t| t.valid_from > today),
            )
        })
        .filter(|(_, now, next)| now.is_some() || next.is_some())
        .collect()
}

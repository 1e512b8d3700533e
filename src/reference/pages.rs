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
        @for region in &reference.regions {
            @let rows: Vec<_> = tariffs.iter().filter(|(_, p, _)| p.region_id == region.id).collect();
            section.region-tariffs aria-labelledby={ "tarieven-" (region.slug) } {
                h3 #{ "tarieven-" (region.slug) } { "Regio " (region.name) }
                @if rows.is_empty() {
                    p.muted { "Deze regio heeft voor dit profiel geen tarieven vastgelegd in de catalogus." }
                } @else {
                    @if rows.iter().any(|(t, _, _)| t.fictional) {
                        p { "Let op: deze bedragen zijn verzonnen voor de demo. De echte tarieven van deze regio staan niet in de catalogus." }
                    }
                    (scroll_region(&format!("Tarieven in regio {}", region.name), html! {
                        table {
                            caption.visually-hidden { "Tarieven profiel " (profile.number) " in regio " (region.name) }
                            thead {
                                tr {
                                    th scope="col" { "Intensiteit" }
                                    th scope="col" class="numeric" { "Tarief" }
                                    th scope="col" { "Betaald" }
                                    th scope="col" { "Geldig" }
                                }
                            }
                            tbody {
                                @for (tariff, _, intensity) in rows {
                                    tr {
                                        th scope="row" { (intensity.name) }
                                        td.numeric {
                                            (euro(tariff.amount_cents))
                                            @if tariff.fictional { " " span.badge { "verzonnen (demo)" } }
                                        }
                                        td { (intensity.paid_per_label()) }
                                        td {
                                            "vanaf " (date_nl(tariff.valid_from))
                                            @if let Some(until) = tariff.valid_until { " tot en met " (date_nl(until)) }
                                        }
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

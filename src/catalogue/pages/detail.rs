//! A provider's public page: its offer per region, its published scores and what
//! families said.

use crate::web::components::scroll_region;
use maud::{Markup, html};

use crate::catalogue::model::ProviderDetail;
use crate::providers::Offer;
use crate::reference::ReferenceData;
use crate::web::SiteInfo;
use crate::web::layout::{Crumb, Page};
use crate::web::text::{date_nl, weeks_nl};

use super::listing::join;

/// The start of a text, cut at a word.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

pub(crate) fn language_name(code: &str) -> &str {
    crate::providers::model::language_name(code).unwrap_or(code)
}

pub fn provider(
    site: &SiteInfo,
    reference: &ReferenceData,
    detail: &ProviderDetail,
    scores: Markup,
    families: Markup,
) -> Markup {
    let p = &detail.provider;
    let crumbs = vec![
        Crumb::link("Aanbieders", "/catalogus"),
        Crumb::here(p.name.clone()),
    ];
    Page { title: &p.name, site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (p.name) }
        @if !p.city.is_empty() { p.muted { (p.city) } }
        p.lead { (p.description) }
        @if !p.approach.is_empty() {
            h2 { "Zo werken wij" }
            p { (p.approach) }
        }
        @if !p.partners.is_empty() {
            p { (p.partners) }
        }
        p {
            @if p.verlengde_jeugdhulp {
                span.badge.badge--yes { "Helpt ook jongeren van 18 tot 23 jaar (verlengde jeugdhulp)" }
            } @else {
                "Helpt jongeren tot 18 jaar. Verlengde jeugdhulp (18 tot 23 jaar) biedt deze aanbieder niet."
            }
        }

        h2 { "Resultaten" }
        (scores)

        h2 { "Wachttijd en ervaring van gezinnen" }
        (families)

        h2 { "Wat biedt " (p.name) "?" }
        @for admission in &detail.admissions {
            @if let Some(region) = reference.region(admission.region_id) {
                section aria-labelledby={ "regio-" (region.slug) } {
                    h3 #{ "regio-" (region.slug) } { "In regio " (region.name) }
                    p.muted {
                        "Toegelaten"
                        @if let Some(d) = admission.admitted_on { " sinds " (date_nl(d)) }
                        @if let Some(d) = admission.ends_on { ". De afspraken lopen tot " (date_nl(d)) }
                        "."
                    }
                    (offer_table(reference, detail, region.id))
                }
            }
        }

        h2 { "Contact" }
        dl.facts.contact {
            @if !p.street.is_empty() {
                dt { "Adres" }
                dd { (p.street) ", " (p.postal_code) " " (p.city) }
            }
            dt { "E-mail" }
            dd { a href={ "mailto:" (p.email) } { (p.email) } }
            @if let Some(phone) = &p.phone {
                dt { "Telefoon" }
                dd { a href={ "tel:" (phone.replace([' ', '-'], "")) } { (phone) } }
            }
            @if let Some(site_url) = &p.website {
                dt { "Website" }
                dd { a href=(site_url) rel="noopener" { (site_url) } }
            }
            dt { "KvK-nummer" }
            dd { (p.kvk_number) }
            dt { "AGB-code" }
            dd { (p.agb_code) }
        }
    })
}

pub(super) fn offer_table(
    reference: &ReferenceData,
    detail: &ProviderDetail,
    region_id: i64,
) -> Markup {
    let mut offers: Vec<&Offer> = detail
        .offers
        .iter()
        .filter(|o| o.region_id == region_id)
        .collect();
    offers.sort_by_key(|o| {
        (
            reference.profile(o.profile_id).map_or(0, |p| p.number),
            reference
                .intensity(o.intensity_id)
                .map_or(0, |i| i.sort_order),
        )
    });
    let region_towns = reference.municipalities_of(region_id).count();
    let mut profiles: Vec<i32> = offers
        .iter()
        .filter_map(|o| reference.profile(o.profile_id))
        .map(|p| p.number)
        .collect();
    profiles.dedup();
    html! {
        @if offers.is_empty() {
            p { "Deze aanbieder heeft in deze regio nog geen aanbod ingevuld." }
        }
        @for number in profiles {
            @let rows: Vec<&&Offer> = offers.iter().filter(|o| reference.profile(o.profile_id).is_some_and(|p| p.number == number)).collect();
            h4 { a href={ "/profielen/" (number) } { "Profiel " (number) } }
            (scroll_region(&format!("Aanbod voor profiel {number} in regio {}", reference.region(region_id).map_or("", |r| r.name.as_str())), html! {
                table {
                    caption.visually-hidden { "Aanbod voor profiel " (number) }
                    thead {
                        tr {
                            th scope="col" { "Intensiteit" }
                            th scope="col" { "Vorm" }
                            th scope="col" { "Leeftijd" }
                            th scope="col" { "Wachttijd" }
                            th scope="col" { "Nieuwe cliënten" }
                            th scope="col" { "Talen" }
                            th scope="col" { "Gemeenten" }
                        }
                    }
                    tbody {
                        @for o in rows {
                            @let towns: Vec<&str> = detail.offer_municipalities.iter()
                                .filter(|(offer, _)| *offer == o.id)
                                .filter_map(|(_, m)| reference.municipality(*m).map(|m| m.name.as_str()))
                                .collect();
                            tr {
                                th scope="row" { (reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str())) }
                                td { (o.setting.label()) }
                                td { (o.min_age) " tot en met " (o.max_age) " jaar" }
                                td { (weeks_nl(o.waiting_weeks)) br; span.hint { "bijgewerkt op " (crate::web::text::date_nl(crate::clock::date_of(o.updated_at))) } }
                                td { @if o.accepts_new_clients { "Ja" } @else { "Nu niet" } }
                                td { (join(o.language_codes().map(language_name))) }
                                td {
                                    @if towns.len() == region_towns && region_towns > 0 { "Alle gemeenten in de regio" }
                                    @else { (join(towns.iter().copied())) }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// "1 gezin", "16 gezinnen": how many families a number is based on, in words.
pub fn families(n: impl std::fmt::Display) -> String {
    match n.to_string().as_str() {
        "1" => "1 gezin".to_owned(),
        n => format!("{n} gezinnen"),
    }
}

/// The actual waiting time and the families' experience, per profile and kader.
pub fn families_block(
    reference: &ReferenceData,
    detail: &ProviderDetail,
    waiting: Option<crate::outcomes::waiting::WaitingTime>,
    experience: &crate::outcomes::experience::Summaries,
) -> Markup {
    let open: Vec<i32> = detail
        .offers
        .iter()
        .filter(|o| o.accepts_new_clients)
        .map(|o| o.waiting_weeks)
        .collect();
    // A range when it differs per offer, so the page agrees with every card (which shows the
    // offers of the profile searched for).
    let stated = open.iter().min().zip(open.iter().max());
    html! {
        dl.facts {
            dt { "Wachttijd in de praktijk" }
            dd {
                @match waiting {
                    Some(w) if w.shown() => {
                        (w.label()) " van keuze tot start. "
                        span.hint {
                            "Gemeten bij " (families(w.n)) " in de afgelopen 12 maanden."
                            " Dit is de middelste wachttijd: de helft wachtte korter, de helft langer."
                        }
                    }
                    Some(w) => {
                        "Te weinig starts (" (w.n) ") in de afgelopen 12 maanden voor een betrouwbaar cijfer. "
                        span.hint { "Wij tonen een cijfer vanaf " (crate::outcomes::indicators::MIN_N) " starts." }
                    }
                    None => "Nog niet bekend: er is in de afgelopen 12 maanden via deze site nog geen hulp gestart.",
                }
            }
            dt { "Wachttijd volgens de aanbieder" }
            dd {
                @match stated {
                    Some((0, 0)) => "Geen wachttijd",
                    Some((lo, hi)) if lo == hi => { (weeks_nl(*lo)) }
                    Some((0, hi)) => { "Geen wachttijd tot " (weeks_nl(*hi)) ", per soort hulp: zie het aanbod op deze pagina." }
                    Some((lo, hi)) => { (weeks_nl(*lo)) " tot " (weeks_nl(*hi)) ", per soort hulp: zie het aanbod op deze pagina." }
                    None => "Nu geen plek",
                }
            }
        }
        @if experience.is_empty() {
            p { "Er zijn nog geen antwoorden van gezinnen op de vragenlijst na afloop van de hulp." }
        } @else {
            (scroll_region("Ervaring van gezinnen", html! {
                table.data-table {
                    caption {
                        "Cijfers die gezinnen gaven na afloop van de hulp, de afgelopen 12 maanden. Bron: gemeten door de gemeente. "
                        "Wij tonen een cijfer vanaf " (crate::outcomes::indicators::MIN_N) " antwoorden."
                    }
                    thead { tr {
                        th scope="col" { "Profiel" } th scope="col" { "Kader" } th scope="col" { "Gemiddeld cijfer" }
                        th scope="col" { "Gebaseerd op" } th scope="col" { "Het echte cijfer ligt waarschijnlijk tussen" } th scope="col" { "Per vraag" }
                    } }
                    tbody {
                        @for ((_, profile, kader), summary) in experience {
                            tr {
                                th scope="row" { (reference.profile(*profile).map_or(String::new(), |p| format!("Profiel {}", p.number))) }
                                td { (kader.short_label()) }
                                @if summary.shown() {
                                    td {
                                        strong { (summary.overall.value().map_or(String::new(), |v| crate::domain::indicator::Indicator::Clienttevredenheid.format(v))) }
                                        @if let Some(share) = summary.overall.seven_or_more.value() {
                                            br; span.hint { (format!("{:.0}%", share * 100.0)) " gaf een 7 of hoger" }
                                        }
                                    }
                                    td { (families(summary.overall.n)) }
                                    td { (summary.overall.interval().map_or(String::new(), |(l, h)| format!("{} tot {}", crate::domain::indicator::Indicator::Clienttevredenheid.format(l), crate::domain::indicator::Indicator::Clienttevredenheid.format(h)))) }
                                    td { (crate::catalogue::compare::experience_items(summary)) }
                                } @else {
                                    td colspan="4" { "Te weinig antwoorden (" (summary.overall.n) ") voor een betrouwbaar cijfer. Wij tonen een cijfer vanaf " (crate::outcomes::indicators::MIN_N) " gezinnen." }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

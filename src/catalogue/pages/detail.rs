//! A provider's public page: its offer per region, its published scores and what
//! families said.

use crate::web::components::scroll_region;
use maud::{Markup, html};

use crate::catalogue::model::ProviderDetail;
use crate::domain::indicator::Indicator;
use crate::i18n::{Lang, Texts};
use crate::providers::Offer;
use crate::reference::ReferenceData;
use crate::web::SiteInfo;
use crate::web::language::{dutch_marks, texts};
use crate::web::layout::{Crumb, Page};
use crate::web::words;

use super::listing::{join, waiting_range};

/// The waiting time in practice in the page's language, as `WaitingTime::label` says it in
/// Dutch: "5 dagen", "3 weken (21 dagen)".
pub(crate) fn waiting_label(t: Texts, w: &crate::outcomes::waiting::WaitingTime) -> String {
    let days = t.fmt("days", &[("count", w.median_days.into())]);
    if w.median_days < 14 {
        days
    } else {
        t.fmt(
            "weeks-and-days",
            &[("weeks", (w.median_days / 7).into()), ("days", days.into())],
        )
    }
}

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
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let crumbs = vec![
        Crumb::link(t.msg("catalogue-crumb"), "/catalogus"),
        Crumb::here(p.name.clone()),
    ];
    Page { title: &p.name, site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (p.name) }
        @if !p.city.is_empty() { p.muted { (p.city) } }
        (super::listing::checked_on(t, p.listing_checked_at))
        @if crate::providers::checks::is_stale(crate::clock::date_of(p.listing_checked_at), crate::clock::today()) {
            p { (t.msg("listing-stale-advice")) }
        }
        @if t.lang() != Lang::Nl {
            p.hint { (t.msg("provider-written-in-dutch")) }
        }
        p.lead lang=[nl] dir=[ltr] { (p.description) }
        @if !p.approach.is_empty() {
            h2 { (t.msg("provider-approach")) }
            p lang=[nl] dir=[ltr] { (p.approach) }
        }
        @if !p.partners.is_empty() {
            p lang=[nl] dir=[ltr] { (p.partners) }
        }
        p {
            @if p.verlengde_jeugdhulp {
                span.badge.badge--yes { (t.msg("provider-18-23")) }
            } @else {
                (t.msg("provider-until-18"))
            }
        }

        h2 { (t.msg("provider-results")) }
        (scores)

        h2 { (t.msg("provider-families")) }
        (families)

        h2 { (t.fmt("provider-offers", &[("name", p.name.as_str().into())])) }
        @for admission in &detail.admissions {
            @if let Some(region) = reference.region(admission.region_id) {
                section aria-labelledby={ "regio-" (region.slug) } {
                    h3 #{ "regio-" (region.slug) } { (t.fmt("provider-in-region", &[("name", region.name.as_str().into())])) }
                    p.muted {
                        @match (admission.admitted_on, admission.ends_on) {
                            (Some(since), Some(until)) => (t.fmt("provider-admitted-since-until", &[("since", t.date(since).into()), ("until", t.date(until).into())])),
                            (Some(since), None) => (t.fmt("provider-admitted-since", &[("since", t.date(since).into())])),
                            (None, Some(until)) => (t.fmt("provider-admitted-until", &[("until", t.date(until).into())])),
                            (None, None) => (t.msg("provider-admitted")),
                        }
                    }
                    (offer_table(reference, detail, region.id))
                }
            }
        }

        h2 { (t.msg("report-heading")) }
        p { (t.msg("report-invite")) " " a href={ "/aanbieders/" (p.slug) "/melden" } { (t.msg("report-link")) } }

        h2 { (t.msg("provider-contact")) }
        dl.facts.contact {
            @if !p.street.is_empty() {
                dt { (t.msg("provider-address")) }
                dd { (p.street) ", " (p.postal_code) " " (p.city) }
            }
            dt { (t.msg("provider-email")) }
            dd { a href={ "mailto:" (p.email) } { (p.email) } }
            @if let Some(phone) = &p.phone {
                dt { (t.msg("provider-phone")) }
                dd { a href={ "tel:" (phone.replace([' ', '-'], "")) } { (phone) } }
            }
            @if let Some(site_url) = &p.website {
                dt { (t.msg("provider-website")) }
                dd { a href=(site_url) rel="noopener" { (site_url) } }
            }
            dt { (t.msg("provider-kvk")) }
            dd { (p.kvk_number) }
            dt { (t.msg("provider-agb")) }
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
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let region_name = reference.region(region_id).map_or("", |r| r.name.as_str());
    html! {
        @if offers.is_empty() {
            p { (t.msg("offers-none")) }
        }
        @for number in profiles {
            @let rows: Vec<&&Offer> = offers.iter().filter(|o| reference.profile(o.profile_id).is_some_and(|p| p.number == number)).collect();
            h4 { a href={ "/profielen/" (number) } { (t.fmt("profile-number", &[("number", number.into())])) } }
            (scroll_region(&t.fmt("offers-in-region", &[("number", number.into()), ("region", region_name.into())]), html! {
                table {
                    caption.visually-hidden { (t.fmt("offers-caption", &[("number", number.into())])) }
                    thead {
                        tr {
                            th scope="col" { (t.msg("card-intensity")) }
                            th scope="col" { (t.msg("card-setting")) }
                            th scope="col" { (t.msg("card-age")) }
                            th scope="col" { (t.msg("card-waiting")) }
                            th scope="col" { (t.msg("offers-new-clients")) }
                            th scope="col" { (t.msg("offers-languages")) }
                            th scope="col" { (t.msg("offers-municipalities")) }
                        }
                    }
                    tbody {
                        @for o in rows {
                            @let towns: Vec<&str> = detail.offer_municipalities.iter()
                                .filter(|(offer, _)| *offer == o.id)
                                .filter_map(|(_, m)| reference.municipality(*m).map(|m| m.name.as_str()))
                                .collect();
                            tr {
                                th scope="row" lang=[nl] dir=[ltr] { (reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str())) }
                                td { (words::setting(t, o.setting)) }
                                td { (t.fmt("age-range", &[("low", o.min_age.into()), ("high", o.max_age.into())])) }
                                td { (words::weeks(t, o.waiting_weeks)) br; span.hint { (t.fmt("updated-on", &[("date", t.date(crate::clock::date_of(o.waiting_checked_at)).into())])) } }
                                td { @if o.accepts_new_clients { (t.msg("yes")) } @else { (t.msg("offers-not-now")) } }
                                td lang=[nl] dir=[ltr] { (join(o.language_codes().map(language_name))) }
                                td {
                                    @if towns.len() == region_towns && region_towns > 0 { (t.msg("offers-all-municipalities")) }
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
pub fn families<'a>(n: impl Into<crate::i18n::Value<'a>>) -> String {
    texts().fmt("families", &[("count", n.into())])
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
    let t = texts();
    let mark = |v: f64| words::value(t, Indicator::Clienttevredenheid, v);
    let min_n = crate::outcomes::indicators::MIN_N;
    html! {
        dl.facts {
            dt { (t.msg("waiting-actual")) }
            dd {
                @match waiting {
                    Some(w) if w.shown() => {
                        (t.fmt("waiting-actual-value", &[("weeks", waiting_label(t, &w).into())])) " "
                        span.hint { (t.fmt("waiting-actual-hint", &[("families", families(w.n).into())])) }
                    }
                    Some(w) => {
                        (t.fmt("waiting-actual-too-few", &[("count", w.n.into())])) " "
                        span.hint { (t.fmt("waiting-actual-min", &[("min", min_n.into())])) }
                    }
                    None => (t.msg("waiting-actual-none")),
                }
            }
            dt { (t.msg("waiting-stated")) }
            dd {
                @match stated {
                    Some((0, 0)) => (t.msg("waiting-stated-none")),
                    Some((lo, hi)) if lo == hi => { (words::weeks(t, *lo)) }
                    Some((lo, hi)) => { (t.fmt("waiting-stated-range", &[("range", waiting_range(t, Some((*lo, *hi))).into())])) }
                    None => (t.msg("waiting-stated-no-place")),
                }
            }
        }
        @if experience.is_empty() {
            p { (t.msg("experience-none")) }
        } @else {
            (scroll_region(&t.msg("experience-title"), html! {
                table.data-table {
                    caption { (t.fmt("experience-caption", &[("min", min_n.into())])) }
                    thead { tr {
                        th scope="col" { (t.msg("filter-profile")) } th scope="col" { (t.msg("experience-kader")) } th scope="col" { (t.msg("experience-mean")) }
                        th scope="col" { (t.msg("experience-based-on")) } th scope="col" { (t.msg("experience-interval")) } th scope="col" { (t.msg("experience-per-question")) }
                    } }
                    tbody {
                        @for ((_, profile, kader), summary) in experience {
                            tr {
                                th scope="row" { (reference.profile(*profile).map_or(String::new(), |p| t.fmt("profile-number", &[("number", p.number.into())]))) }
                                td { (t.msg(&format!("kader-{}", kader.as_str()))) }
                                @if summary.shown() {
                                    td {
                                        strong { (summary.overall.value().map_or(String::new(), mark)) }
                                        @if let Some(share) = summary.overall.seven_or_more.value() {
                                            br; span.hint { (t.fmt("experience-seven-or-more", &[("share", format!("{:.0}%", share * 100.0).into())])) }
                                        }
                                    }
                                    td { (families(summary.overall.n)) }
                                    td { (summary.overall.interval().map_or(String::new(), |(l, h)| t.fmt("range", &[("from", mark(l).into()), ("to", mark(h).into())]))) }
                                    td { (crate::catalogue::compare::experience_items(summary)) }
                                } @else {
                                    td colspan="4" { (t.fmt("experience-too-few", &[("count", summary.overall.n.into()), ("min", min_n.into())])) }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

use maud::{Markup, html};

use super::model::{Intensity, Profile, ProfileSummary, ReferenceData, Tariff};
use crate::i18n::{Lang, Texts};
use crate::web::SiteInfo;
use crate::web::components::scroll_region;
use crate::web::language::{dutch_marks, texts};
use crate::web::layout::{Crumb, Page};
use crate::web::words;

pub fn profiles(site: &SiteInfo, reference: &ReferenceData) -> Markup {
    let summaries = reference.profile_summaries();
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    Page { title: &t.msg("profiles-crumb"), site, crumbs: vec![Crumb::here(t.msg("profiles-crumb"))], section: Some("/profielen"), account: None }
        .render(html! {
            h1 { (t.msg("profiles-title")) }
            p.lead { (t.msg("profiles-lead")) }
            @if t.lang() != Lang::Nl {
                p.hint { (t.msg("profiles-in-dutch")) }
            }
            @if summaries.is_empty() {
                p { (t.msg("profiles-none")) }
            } @else {
                ol.card-list.profile-list {
                    @for p in &summaries {
                        li.card {
                            h2.card__title {
                                a href={ "/profielen/" (p.number) } { (t.fmt("profile-number", &[("number", p.number.into())])) }
                            }
                            p lang=[nl] dir=[ltr] { (p.description) }
                            p.muted { (t.msg("scores-official-name")) " " span lang=[nl] dir=[ltr] { (p.name) } }
                        }
                    }
                }
            }
            h2 { (t.msg("profiles-intensity")) }
            p { (t.msg("profiles-intensity-lead")) }
            dl.definitions lang=[nl] dir=[ltr] {
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
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let title = t.fmt("profile-number", &[("number", profile.number.into())]);
    let crumbs = vec![
        Crumb::link(t.msg("profiles-crumb"), "/profielen"),
        Crumb::here(title.clone()),
    ];
    Page { title: &title, site, crumbs, section: Some("/profielen"), account: None }.render(html! {
        h1 { (title) }
        p.lead lang=[nl] dir=[ltr] { (profile.description) }
        p.muted { (t.msg("scores-official-name")) " " span lang=[nl] dir=[ltr] { (profile.name) } }
        p {
            a.button href={ "/catalogus?profiel=" (profile.number) } { (t.fmt("profile-search", &[("number", profile.number.into())])) }
        }
        h2 { (t.msg("tariffs-title")) }
        p { (t.msg("tariffs-lead")) }
        @let today = crate::clock::today();
        @let new_year = super::tariffs::next_new_year(today);
        @for region in &reference.regions {
            @let rows: Vec<&(Tariff, Profile, Intensity)> = tariffs.iter().filter(|(_, p, _)| p.region_id == region.id).collect();
            @let lines = tariff_lines(&rows, today, new_year);
            @let announced = lines.iter().any(|(_, _, next)| next.is_some());
            section.region-tariffs aria-labelledby={ "tarieven-" (region.slug) } {
                h3 #{ "tarieven-" (region.slug) } { (t.fmt("region-name", &[("name", region.name.as_str().into())])) }
                @if lines.is_empty() {
                    p.muted { (t.msg("tariffs-none")) }
                } @else {
                    @if lines.iter().any(|(_, now, next)| now.is_some_and(|x| x.fictional) || next.is_some_and(|x| x.fictional)) {
                        p { (t.msg("tariffs-fictional-note")) }
                    }
                    (scroll_region(&t.fmt("tariffs-region", &[("region", region.name.as_str().into())]), html! {
                        table {
                            caption.visually-hidden { (t.fmt("tariffs-caption", &[("number", profile.number.into()), ("region", region.name.as_str().into())])) }
                            thead {
                                tr {
                                    th scope="col" { (t.msg("card-intensity")) }
                                    th scope="col" class="numeric" { (t.msg("tariffs-now")) }
                                    @if announced { th scope="col" class="numeric" { (t.fmt("tariffs-from", &[("date", t.date(new_year).into())])) } }
                                    th scope="col" { (t.msg("tariffs-paid")) }
                                }
                            }
                            tbody {
                                @for (intensity, now, next) in &lines {
                                    tr {
                                        th scope="row" lang=[nl] dir=[ltr] { (intensity.name) }
                                        td.numeric {
                                            @if let Some(x) = now {
                                                (words::euro(t, x.amount_cents))
                                                @if x.fictional { " " span.badge { (t.msg("tariffs-fictional")) } }
                                            } @else { (t.msg("tariffs-not-yet")) }
                                        }
                                        @if announced {
                                            td.numeric {
                                                @if let Some(x) = next {
                                                    (words::euro(t, x.amount_cents))
                                                    @if x.fictional { " " span.badge { (t.msg("tariffs-fictional")) } }
                                                } @else { (t.msg("tariffs-not-known")) }
                                            }
                                        }
                                        td { (paid_per(t, intensity)) }
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

/// How the tariff is paid ("per 4 weken"), in the page's language.
fn paid_per(t: Texts, intensity: &Intensity) -> String {
    let code = super::model::PAID_PER
        .iter()
        .find(|(code, _)| *code == intensity.paid_per)
        .map_or("traject", |(code, _)| code);
    t.msg(&format!("paid-per-{code}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_of_paying_read_as_the_reference_data_says_them() {
        for (code, label) in super::super::model::PAID_PER {
            assert_eq!(Texts(Lang::Nl).msg(&format!("paid-per-{code}")), label);
            for lang in Lang::ALL {
                assert!(
                    !Texts(lang)
                        .msg(&format!("paid-per-{code}"))
                        .starts_with("paid-per")
                );
            }
        }
    }
}

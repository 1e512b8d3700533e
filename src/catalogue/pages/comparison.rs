//! `/vergelijk`: providers side by side.

use maud::{Markup, html};

use crate::reference::ReferenceData;
use crate::web::components::{error_summary, field_id};
use crate::web::layout::{Crumb, Page};
use crate::web::{FieldError, SiteInfo};

use super::listing::field;

/// `/vergelijk`: the chosen providers side by side, or what is missing to compare them.
pub fn compare(
    site: &SiteInfo,
    reference: &ReferenceData,
    profile: Option<i32>,
    slugs: &[String],
    items: Option<&[crate::catalogue::compare::Compared]>,
    errors: &[FieldError],
) -> Markup {
    let crumbs = vec![
        Crumb::link("Aanbieders", "/catalogus"),
        Crumb::here("Vergelijken"),
    ];
    let title = match profile {
        Some(n) => format!("Aanbieders vergelijken voor profiel {n}"),
        None => "Aanbieders vergelijken".to_owned(),
    };
    let back = match profile {
        Some(n) => format!("/catalogus?profiel={n}"),
        None => "/catalogus".to_owned(),
    };
    Page { title: &title, site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (title) }
        (error_summary(errors))
        @match (profile, items) {
            (Some(number), Some(items)) => {
                @if let Some(p) = reference.profile_summary(number) {
                    p.lead { "Profiel " (number) ": " (p.description) }
                }
                (crate::catalogue::compare::how_to_read())
                (crate::catalogue::compare::table(reference, number, items, None))
                p.no-print { a href=(back) { "Terug naar de aanbieders" } }
            }
            _ if !errors.is_empty() && profile.is_some() => {
                p { a href=(back) { "Terug naar de aanbieders" } " om opnieuw te kiezen." }
            }
            _ => {
                @if slugs.is_empty() && errors.is_empty() {
                    p.empty-state {
                        "U heeft nog geen aanbieders gekozen. Zoek aanbieders in de catalogus en vink er "
                        (crate::catalogue::compare::MIN_PROVIDERS) " tot " (crate::catalogue::compare::MAX_PROVIDERS)
                        " aan bij \"Vergelijk\"."
                    }
                }
                @if slugs.len() >= crate::catalogue::compare::MIN_PROVIDERS && slugs.len() <= crate::catalogue::compare::MAX_PROVIDERS {
                    form.filters method="get" action="/vergelijk" {
                        p { "Cijfers gelden per profiel. Kies het profiel waarvoor u wilt vergelijken." }
                        @for slug in slugs { input type="hidden" name="aanbieder" value=(slug); }
                        (field("profiel", "Profiel", errors, html! {
                            select #(field_id("profiel")) name="profiel" {
                                @for p in reference.profile_summaries() {
                                    option value=(p.number) { "Profiel " (p.number) ": " (p.description) }
                                }
                            }
                        }))
                        button type="submit" { "Vergelijk" }
                    }
                }
                p { a href=(back) { "Terug naar de aanbieders" } }
            }
        }
    })
}

//! `/vergelijk`: providers side by side.

use maud::{Markup, html};

use crate::reference::ReferenceData;
use crate::web::components::{error_summary, field_error, field_id};
use crate::web::layout::{Crumb, Page};
use crate::web::{FieldError, SiteInfo};

use crate::web::language::{dutch_marks, texts};

use super::listing::field;

/// What the comparison page shows: the chosen providers, for a profile (when one is chosen
/// and exists), in a municipality's region (when one is given).
pub struct CompareView<'a> {
    pub profile: Option<i32>,
    pub municipality: Option<&'a str>,
    pub slugs: &'a [String],
    pub items: Option<&'a [crate::catalogue::compare::Compared]>,
}

impl CompareView<'_> {
    /// Back to the catalogue with the profile and municipality the visitor had chosen.
    fn back(&self) -> String {
        let mut pairs: Vec<String> = Vec::new();
        if let Some(n) = self.profile {
            pairs.push(format!("profiel={n}"));
        }
        if let Some(m) = self.municipality {
            pairs.push(format!("gemeente={m}"));
        }
        if pairs.is_empty() {
            "/catalogus".to_owned()
        } else {
            format!("/catalogus?{}", pairs.join("&"))
        }
    }
}

/// `/vergelijk`: the chosen providers side by side, or what is missing to compare them.
pub fn compare(
    site: &SiteInfo,
    reference: &ReferenceData,
    view: &CompareView<'_>,
    errors: &[FieldError],
) -> Markup {
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let crumbs = vec![
        Crumb::link(t.msg("catalogue-crumb"), "/catalogus"),
        Crumb::here(t.msg("compare-crumb")),
    ];
    let title = match view.profile {
        Some(n) => t.fmt("compare-title-profile", &[("number", n.into())]),
        None => t.msg("compare-title"),
    };
    let back = view.back();
    let slugs = view.slugs;
    let in_limits = (crate::catalogue::compare::MIN_PROVIDERS
        ..=crate::catalogue::compare::MAX_PROVIDERS)
        .contains(&slugs.len());
    Page { title: &title, site, crumbs, section: Some("/catalogus"), account: None }.render(html! {
        h1 { (title) }
        (error_summary(errors))
        // The summary's links for the choice of providers and the municipality land here.
        @for name in ["aanbieder", "gemeente"] {
            @if let Some(e) = field_error(errors, name) {
                @let message_id = format!("{}-fout", field_id(name));
                div.notice #(field_id(name)) tabindex="-1" aria-describedby=(message_id) {
                    p.field-error #(message_id) { span.visually-hidden { (t.msg("error-prefix")) " " } (e.message) }
                    p { a href=(back) { (t.msg("compare-back")) } " " (t.msg("compare-back-to-choose")) }
                }
            }
        }
        @match (view.profile, view.items) {
            (Some(number), Some(items)) => {
                @if let Some(p) = reference.profile_summary(number) {
                    p.lead { (t.fmt("profile-number", &[("number", number.into())])) ": " span lang=[nl] dir=[ltr] { (p.description) } }
                }
                (crate::catalogue::compare::print_button())
                (crate::catalogue::compare::how_to_read())
                (crate::catalogue::compare::table(reference, number, items, None))
                p.no-print { a href=(back) { (t.msg("compare-back")) } }
            }
            _ => {
                @if slugs.is_empty() && errors.is_empty() {
                    p.empty-state {
                        (t.fmt("compare-none-chosen", &[("min", crate::catalogue::compare::MIN_PROVIDERS.into()), ("max", crate::catalogue::compare::MAX_PROVIDERS.into())]))
                    }
                }
                @if in_limits && field_error(errors, "aanbieder").is_none() {
                    form.filters method="get" action="/vergelijk" {
                        p { (t.msg("compare-choose-profile")) }
                        @for slug in slugs { input type="hidden" name="aanbieder" value=(slug); }
                        @if let Some(m) = view.municipality { input type="hidden" name="gemeente" value=(m); }
                        (field("profiel", &t.msg("filter-profile"), errors, html! {
                            select #(field_id("profiel")) name="profiel" required
                                aria-invalid=[field_error(errors, "profiel").map(|_| "true")]
                                aria-describedby=[field_error(errors, "profiel").map(|_| format!("{}-fout", field_id("profiel")))] {
                                option value="" selected { (t.msg("compare-pick-profile")) }
                                @for p in reference.profile_summaries() {
                                    option value=(p.number) { (t.fmt("profile-number", &[("number", p.number.into())])) ": " (p.description) }
                                }
                            }
                        }))
                        button type="submit" { (t.msg("card-compare")) }
                    }
                }
                @if errors.is_empty() || in_limits {
                    p { a href=(back) { (t.msg("compare-back")) } }
                }
            }
        }
    })
}

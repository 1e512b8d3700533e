//! The family's pages: entering the code, the shortlist, confirming a choice, the
//! questionnaire.

use crate::domain::hulpvraag::RequestAnswer;
use maud::{Markup, html};

use crate::catalogue::compare::{self, Compared};
use crate::choice::experience::ExperienceForm;
use crate::choice::model::{CareRequest, Hulpvraag, Status};
use crate::reference::ReferenceData;
use crate::reference::model::SatisfactionItem;
use crate::web::components::{Field, error_summary, textarea};
use crate::web::csrf::CsrfToken;
use crate::web::language::{dutch_marks, texts};
use crate::web::layout::{Crumb, Page};
use crate::web::{FieldError, SiteInfo};

use super::radios;

pub fn enter_code(site: &SiteInfo, action: &str, title: &str, error: Option<&str>) -> Markup {
    let t = texts();
    let errors: Vec<FieldError> = error
        .map(|e| vec![FieldError::new("code", e)])
        .unwrap_or_default();
    Page { title, site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (title) }
        (error_summary(&errors))
        form method="get" action=(action) {
            (Field::text("code", &t.msg("code-label"), "").hint(&t.msg("code-hint")).autocomplete("off").render(&errors))
            button type="submit" { (t.msg("code-next")) }
        }
    })
}

/// A code that opens nothing: say so, and let the family type it again.
pub fn link_not_working(site: &SiteInfo, action: &str) -> Markup {
    let t = texts();
    let errors = [FieldError::new("code", t.msg("link-not-working-error"))];
    Page { title: &t.msg("link-not-working-title"), site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (t.msg("link-not-working-heading")) }
        p.lead { (t.msg("link-not-working-lead")) }
        p { (t.msg("link-not-working-advice")) }
        form method="get" action=(action) {
            (Field::text("code", &t.msg("code-label"), "").hint(&t.msg("code-example")).autocomplete("off").render(&errors))
            button type="submit" { (t.msg("code-next")) }
        }
    })
}

pub struct FamilyView<'a> {
    pub hulpvraag: &'a Hulpvraag,
    pub code: &'a str,
    pub shortlist: &'a [Compared],
    pub requests: &'a [CareRequest],
    pub names: &'a std::collections::HashMap<i64, String>,
    /// The worker's name and work address.
    pub worker: Option<(&'a str, &'a str)>,
    /// The worker's corrections: when, and what changed.
    pub corrections: &'a [(chrono::NaiveDateTime, String)],
}

pub fn family_choice(
    site: &SiteInfo,
    csrf: &CsrfToken,
    reference: &ReferenceData,
    view: &FamilyView<'_>,
    errors: &[FieldError],
) -> Markup {
    let h = view.hulpvraag;
    let status = h.status();
    let base = format!("/keuze/{}", view.code);
    let profile_number = reference.profile(h.profile_id).map_or(0, |p| p.number);
    let declined: Vec<i64> = view
        .requests
        .iter()
        .filter(|r| r.answer == RequestAnswer::Afgewezen)
        .map(|r| r.provider_id)
        .collect();
    let name = |id: i64| view.names.get(&id).cloned().unwrap_or_default();
    let current = view
        .requests
        .iter()
        .rev()
        .find(|r| Some(r.provider_id) == h.provider_id);
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    let help_asked = t.msg("family-help-asked");
    let choose_button = |c: &Compared| {
        html! {
            @if declined.contains(&c.provider.id) {
                p { (t.msg("family-cannot-help")) }
            } @else {
                // A choice is asked once more on its own page before it is final.
                form method="get" action={ (base) "/kies" } {
                    input type="hidden" name="aanbieder" value=(c.provider.slug);
                    button type="submit" { (t.fmt("family-choose", &[("name", c.provider.name.as_str().into())])) }
                }
            }
        }
    };
    let action: Option<&dyn Fn(&Compared) -> Markup> =
        (status.may_choose() && h.family_chooses()).then_some(&choose_button);
    // In the gedwongen kader the family looks, it does not choose.
    let (title, heading) = if h.family_chooses() {
        (t.msg("family-title"), t.msg("family-heading"))
    } else {
        (t.msg("family-title-forced"), t.msg("family-title-forced"))
    };
    let chosen_name = h.provider_id.map(name).unwrap_or_default();
    Page { title: &title, site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (heading) }
        (error_summary(errors))
        // Asked for help: said at the top, as a status a screen reader announces and focus
        // moves to, not at the end of a long page.
        @if status.may_choose() && h.help_asked_at.is_some() {
            (crate::web::components::notice(Some(&help_asked)))
        }
        @if status.may_choose() && h.family_chooses() {
            p.lead { (t.msg("family-lead-choose")) }
        } @else {
            p.lead { (t.msg("family-lead")) }
        }
        (what_you_look_for(reference, h))
        @match status {
            Status::Gekozen => {
                div.notice role="status" {
                    p { (t.msg("family-chosen")) " " strong { (chosen_name) } "." }
                    p { (t.msg("family-chosen-next")) }
                }
            }
            Status::Geaccepteerd => {
                div.notice role="status" {
                    p { strong { (chosen_name) } " " (t.msg("family-accepted")) }
                    @if let Some(d) = current.and_then(|r| r.expected_start) { p { (t.fmt("family-expected-start", &[("date", t.date(d).into())])) } }
                }
            }
            Status::Gestart | Status::Afgesloten => {
                div.notice role="status" { p { (t.fmt("family-started", &[("name", chosen_name.as_str().into())])) } }
            }
            Status::Afgewezen => {
                @if let Some(last) = view.requests.iter().rev().find(|r| r.answer == RequestAnswer::Afgewezen) {
                    div.notice role="status" {
                        p {
                            strong { (name(last.provider_id)) } " " (t.msg("family-declined")) " "
                            (t.fmt("family-declined-reason", &[("reason", decline_reason(t, last).into())]))
                        }
                        @if view.shortlist.iter().any(|c| !declined.contains(&c.provider.id)) {
                            p { (t.msg("family-choose-other")) }
                        } @else {
                            p { (t.msg("family-none-left")) }
                        }
                    }
                }
            }
            Status::Ingetrokken => {
                div.notice role="status" {
                    p { strong { (t.msg("family-withdrawn")) } " " (t.msg("family-withdrawn-no-choice")) }
                    p { (t.msg("family-questions-worker")) }
                }
            }
            Status::Open => {}
        }
        @if let Some((at, what)) = view.corrections.last().filter(|_| status.may_correct()) {
            div.notice {
                p { strong { (t.msg("family-corrected")) } " " (t.fmt("family-corrected-on", &[("date", t.date(crate::clock::local(*at).date()).into())])) }
                ul lang=[nl] dir=[ltr] { @for change in what.split("; ") { li { (change) } } }
                p { (t.msg("family-corrected-list")) }
            }
        }
        @if !h.family_chooses() {
            p { strong { (t.msg("family-no-choice")) } " " (t.msg("family-no-choice-why")) }
        }
        @if view.shortlist.is_empty() {
            p.empty-state { (t.msg("family-list-empty")) }
        } @else {
            (compare::how_to_read())
            (compare::table(reference, profile_number, view.shortlist, action))
        }
        @if status.may_choose() && h.family_chooses() {
            h2 { (t.msg("family-doubt")) }
            @if h.help_asked_at.is_some() {
                p { (help_asked) }
            } @else {
                p { (t.msg("family-doubt-lead")) }
                form method="post" action={ (base) "/hulp" } {
                    (csrf.field())
                    button.secondary type="submit" { (t.msg("family-ask-help")) }
                }
            }
        }
        @if let Some((name, email)) = view.worker {
            h2 { (t.msg("family-questions")) }
            p { (t.msg("family-worker-is")) " " strong { (name) } ". " (t.msg("family-worker-reach")) " " a href={ "mailto:" (email) } { (email) } "." }
        }
        p.hint { (t.msg("family-private")) }
    })
}

/// Why a provider declined, in the family's words and language.
fn decline_reason(t: crate::i18n::Texts, request: &CareRequest) -> String {
    request
        .decline_reason
        .map_or(String::new(), |r| t.msg(&format!("decline-{}", r.as_str())))
}

/// The help the family looks for, in plain words: the profile's B1 text and the intensity
/// the worker chose, each explained.
pub(super) fn what_you_look_for(reference: &ReferenceData, h: &Hulpvraag) -> Markup {
    let t = texts();
    let (nl, ltr) = dutch_marks(t);
    html! {
        dl.facts {
            @if let Some(p) = reference.profile(h.profile_id) {
                dt { (t.msg("family-help-for")) }
                dd lang=[nl] dir=[ltr] { (p.description) }
            }
            @if let Some(i) = reference.intensity(h.intensity_id) {
                dt { (t.msg("family-how-much")) }
                dd lang=[nl] dir=[ltr] { strong { (i.name) } ": " (crate::reference::family_text(&i.description)) }
            }
        }
    }
}

/// The family confirms its choice before it is sent to the provider.
pub fn confirm_choice(
    site: &SiteInfo,
    csrf: &CsrfToken,
    reference: &ReferenceData,
    view: &FamilyView<'_>,
    chosen: &Compared,
) -> Markup {
    let h = view.hulpvraag;
    let t = texts();
    let provider = chosen.provider.name.as_str();
    let base = format!("/keuze/{}", view.code);
    let crumbs = vec![
        Crumb::link(t.msg("confirm-crumb-list"), base.clone()),
        Crumb::here(t.msg("confirm-title")),
    ];
    Page {
        title: &t.msg("confirm-title"),
        site,
        crumbs,
        section: None,
        account: None,
    }
    .render(html! {
        h1 { (t.fmt("confirm-heading", &[("name", provider.into())])) }
        (what_you_look_for(reference, h))
        p { (t.fmt("confirm-what-happens", &[("name", provider.into())])) }
        p { (t.msg("confirm-declined-later")) }
        form method="post" action={ (base) "/kies" } {
            (csrf.field())
            input type="hidden" name="aanbieder" value=(chosen.provider.slug);
            div.actions {
                button type="submit" { (t.fmt("confirm-yes", &[("name", provider.into())])) }
                a.button.button--secondary href=(base) { (t.msg("confirm-no")) }
            }
        }
    })
}

pub fn experience_form(
    site: &SiteInfo,
    csrf: &CsrfToken,
    code: &str,
    provider_name: &str,
    questions: &[&SatisfactionItem],
    form: &ExperienceForm,
    errors: &[FieldError],
) -> Markup {
    let t = texts();
    let marks: Vec<(String, String)> = (1..=10).map(|n| (n.to_string(), n.to_string())).collect();
    Page { title: &t.msg("experience-page-title"), site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (t.fmt("experience-heading", &[("name", provider_name.into())])) }
        p.lead { (t.fmt("experience-lead", &[("count", questions.len().into())])) }
        p { (t.msg("experience-how")) }
        (error_summary(errors))
        form method="post" action={ "/ervaring/" (code) } novalidate {
            (csrf.field())
            @for item in questions {
                div.marks { (radios(&item.code, &crate::choice::experience::question(t, item), &marks, form.value(&item.code), errors)) }
            }
            (textarea("opmerking", &t.msg("experience-remark"), form.remark(),
                Some(&t.msg("experience-remark-hint")), errors))
            button type="submit" { (t.msg("experience-send")) }
        }
    })
}

pub fn experience_thanks(site: &SiteInfo) -> Markup {
    let t = texts();
    Page {
        title: &t.msg("thanks-title"),
        site,
        crumbs: vec![],
        section: None,
        account: None,
    }
    .render(html! {
        h1 { (t.msg("thanks-heading")) }
        p.lead { (t.msg("thanks-lead")) }
        p { a href="/" { (t.msg("error-to-start")) } }
    })
}

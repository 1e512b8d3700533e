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
use crate::web::layout::{Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

use super::radios;

pub fn enter_code(site: &SiteInfo, action: &str, title: &str, error: Option<&str>) -> Markup {
    let errors: Vec<FieldError> = error
        .map(|e| vec![FieldError::new("code", e)])
        .unwrap_or_default();
    Page { title, site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (title) }
        (error_summary(&errors))
        form method="get" action=(action) {
            (Field::text("code", "Uw code", "").hint("U kreeg de code van uw jeugdprofessional. Bijvoorbeeld: k3m9x-7hq2d-p4wzr-b8c1n").autocomplete("off").render(&errors))
            button type="submit" { "Verder" }
        }
    })
}

/// A code that opens nothing: say so, and let the family type it again.
pub fn link_not_working(site: &SiteInfo, action: &str) -> Markup {
    let errors = [FieldError::new(
        "code",
        "Deze code werkt niet. Kijk of er geen letter mist, of vraag uw jeugdprofessional om een nieuwe link.",
    )];
    Page { title: "Deze link werkt niet", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Deze link werkt niet (meer)" }
        p.lead { "De link of code is niet goed, is verlopen of is al gebruikt." }
        p { "Heeft u de code overgetypt? Typ hem hieronder nog eens. Werkt het niet? Vraag uw jeugdprofessional om een nieuwe link." }
        form method="get" action=(action) {
            (Field::text("code", "Uw code", "").hint("Bijvoorbeeld: k3m9x-7hq2d-p4wzr-b8c1n").autocomplete("off").render(&errors))
            button type="submit" { "Verder" }
        }
    })
}

const HELP_ASKED: &str =
    "U heeft uw jeugdprofessional om hulp gevraagd. Hij of zij neemt contact met u op.";

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
    let choose_button = |c: &Compared| {
        html! {
            @if declined.contains(&c.provider.id) {
                p { "Kan u niet helpen" }
            } @else {
                // A choice is asked once more on its own page before it is final.
                form method="get" action={ (base) "/kies" } {
                    input type="hidden" name="aanbieder" value=(c.provider.slug);
                    button type="submit" { "Kies " (c.provider.name) }
                }
            }
        }
    };
    let action: Option<&dyn Fn(&Compared) -> Markup> =
        (status.may_choose() && h.family_chooses()).then_some(&choose_button);
    // In the gedwongen kader the family looks, it does not choose.
    let (title, heading) = if h.family_chooses() {
        ("Kies uw aanbieder", "Kies een aanbieder voor uw kind")
    } else {
        ("De aanbieders voor uw kind", "De aanbieders voor uw kind")
    };
    Page { title, site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { (heading) }
        (error_summary(errors))
        // Asked for help: said at the top, as a status a screen reader announces and focus
        // moves to, not at the end of a long page.
        @if status.may_choose() && h.help_asked_at.is_some() {
            (crate::web::components::notice(Some(HELP_ASKED)))
        }
        @if status.may_choose() && h.family_chooses() {
            p.lead { "Hieronder staan de aanbieders die passen bij de hulp die u zoekt. Vergelijk ze en kies er één." }
        } @else {
            p.lead { "Hieronder staan de aanbieders die passen bij de hulp die u zoekt." }
        }
        (what_you_look_for(reference, h))
        @match status {
            Status::Gekozen => {
                div.notice role="status" {
                    p { "U heeft gekozen voor " strong { (h.provider_id.map(name).unwrap_or_default()) } "." }
                    p { "De aanbieder laat weten of hij u kan helpen. Uw jeugdprofessional houdt u op de hoogte. U kunt deze pagina later weer openen." }
                }
            }
            Status::Geaccepteerd => {
                div.notice role="status" {
                    p { strong { (h.provider_id.map(name).unwrap_or_default()) } " kan u helpen." }
                    @if let Some(d) = current.and_then(|r| r.expected_start) { p { "De hulp begint naar verwachting op " (date_nl(d)) "." } }
                }
            }
            Status::Gestart | Status::Afgesloten => {
                div.notice role="status" { p { "De hulp bij " strong { (h.provider_id.map(name).unwrap_or_default()) } " is gestart." } }
            }
            Status::Afgewezen => {
                @if let Some(last) = view.requests.iter().rev().find(|r| r.answer == RequestAnswer::Afgewezen) {
                    div.notice role="status" {
                        p { strong { (name(last.provider_id)) } " kan u niet helpen. Reden: " (last.decline_label().unwrap_or("").to_lowercase()) "." }
                        @if view.shortlist.iter().any(|c| !declined.contains(&c.provider.id)) {
                            p { "Kies een andere aanbieder. Of vraag uw jeugdprofessional om hulp." }
                        } @else {
                            p { "Er staat geen andere aanbieder meer op uw lijst. Uw jeugdprofessional zoekt met u verder en neemt contact met u op." }
                        }
                    }
                }
            }
            Status::Ingetrokken => {
                div.notice role="status" {
                    p { strong { "Deze hulpvraag is ingetrokken." } " U kunt geen aanbieder meer kiezen met deze link." }
                    p { "Vragen? Neem contact op met uw jeugdprofessional." }
                }
            }
            Status::Open => {}
        }
        @if let Some((at, what)) = view.corrections.last().filter(|_| status.may_correct()) {
            div.notice {
                p { strong { "Uw jeugdprofessional heeft uw hulpvraag aangepast" } " op " (date_nl(crate::clock::local(*at).date())) ". Dit is veranderd:" }
                ul { @for change in what.split("; ") { li { (change) } } }
                p { "De aanbieders hieronder passen bij de aangepaste hulpvraag." }
            }
        }
        @if !h.family_chooses() {
            p { strong { "U hoeft niet te kiezen." } " Een rechter heeft besloten dat uw gezin hulp krijgt. Dan beslist de gecertificeerde instelling welke aanbieder helpt. Dat is de organisatie die de maatregel uitvoert, bijvoorbeeld Jeugdbescherming. Hieronder kunt u de aanbieders wel bekijken." }
        }
        @if view.shortlist.is_empty() {
            p.empty-state { "Er staan nog geen aanbieders op uw lijst. Uw jeugdprofessional vult de lijst aan." }
        } @else {
            (compare::how_to_read())
            (compare::table(reference, profile_number, view.shortlist, action))
        }
        @if status.may_choose() && h.family_chooses() {
            h2 { "Twijfelt u?" }
            @if h.help_asked_at.is_some() {
                p { (HELP_ASKED) }
            } @else {
                p { "Wilt u eerst overleggen? Dan neemt uw jeugdprofessional contact met u op." }
                form method="post" action={ (base) "/hulp" } {
                    (csrf.field())
                    button.secondary type="submit" { "Ik wil hulp bij het kiezen" }
                }
            }
        }
        @if let Some((name, email)) = view.worker {
            h2 { "Vragen?" }
            p { "Uw jeugdprofessional is " strong { (name) } ". U bereikt hem of haar via " a href={ "mailto:" (email) } { (email) } "." }
        }
        p.hint { "Deze pagina is alleen voor u. Deel de link niet met anderen." }
    })
}

/// The help the family looks for, in plain words: the profile's B1 text and the intensity
/// the worker chose, each explained.
pub(super) fn what_you_look_for(reference: &ReferenceData, h: &Hulpvraag) -> Markup {
    html! {
        dl.facts {
            @if let Some(p) = reference.profile(h.profile_id) {
                dt { "Hulp voor" }
                dd { (p.description) }
            }
            @if let Some(i) = reference.intensity(h.intensity_id) {
                dt { "Hoeveel hulp" }
                dd { strong { (i.name) } ": " (crate::reference::family_text(&i.description)) }
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
    let base = format!("/keuze/{}", view.code);
    let crumbs = vec![
        Crumb::link("Uw keuzelijst", base.clone()),
        Crumb::here("Keuze bevestigen"),
    ];
    Page { title: "Keuze bevestigen", site, crumbs, section: None, account: None }.render(html! {
        h1 { "Wilt u kiezen voor " (chosen.provider.name) "?" }
        (what_you_look_for(reference, h))
        p { "Als u bevestigt, krijgt " (chosen.provider.name) " uw aanvraag. De aanbieder laat weten of hij u kan helpen. Uw jeugdprofessional houdt u op de hoogte." }
        p { "Kan de aanbieder u niet helpen? Dan kiest u met dezelfde link opnieuw." }
        form method="post" action={ (base) "/kies" } {
            (csrf.field())
            input type="hidden" name="aanbieder" value=(chosen.provider.slug);
            div.actions {
                button type="submit" { "Ja, ik kies " (chosen.provider.name) }
                a.button.button--secondary href=(base) { "Nee, terug naar de lijst" }
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
    let marks: Vec<(String, String)> = (1..=10).map(|n| (n.to_string(), n.to_string())).collect();
    Page { title: "Hoe was de hulp?", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Hoe was de hulp van " (provider_name) "?" }
        p.lead {
            @if questions.len() == 1 { "Eén korte vraag." } @else { (questions.len()) " korte vragen." }
            " Het duurt maar een paar minuten."
        }
        p { "Geef bij elke vraag een cijfer van 1 (heel slecht) tot 10 (heel goed). Uw antwoorden zijn anoniem: de aanbieder ziet alleen gemiddelden van minstens 10 gezinnen." }
        (error_summary(errors))
        form method="post" action={ "/ervaring/" (code) } novalidate {
            (csrf.field())
            @for item in questions {
                div.marks { (radios(&item.code, &item.question, &marks, form.value(&item.code), errors)) }
            }
            (textarea("opmerking", "Wilt u nog iets zeggen? (niet verplicht)", form.remark(),
                Some("Schrijf geen namen of andere persoonsgegevens."), errors))
            button type="submit" { "Versturen" }
        }
    })
}

pub fn experience_thanks(site: &SiteInfo) -> Markup {
    Page { title: "Dank u wel", site, crumbs: vec![], section: None, account: None }.render(html! {
        h1 { "Dank u wel!" }
        p.lead { "Uw antwoorden zijn opgeslagen. Zo helpt u andere gezinnen een goede aanbieder te kiezen." }
        p { a href="/" { "Naar de startpagina" } }
    })
}

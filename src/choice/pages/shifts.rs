//! Profile and intensity changes during care, on the worker's page (the form and the
//! history) and on the provider's request page (the history and the confirmation).

use maud::{Markup, html};

use crate::choice::commands::shifts::{Shift, TariffPeriod};
use crate::choice::model::{Hulpvraag, Status};
use crate::reference::ReferenceData;
use crate::web::FieldError;
use crate::web::components::{Field, select, textarea};
use crate::web::layout::Account;
use crate::web::text::{date_nl, euro};

use super::{datetime_nl, intensity_label, profile_label};

/// What both sides show: every change with its date, reason and state, and the tariff per
/// stretch of care.
pub(super) fn history(
    reference: &ReferenceData,
    shifts: &[Shift],
    periods: &[TariffPeriod],
) -> Markup {
    html! {
        @if shifts.is_empty() {
            p.empty-state { "Profiel en intensiteit zijn niet gewijzigd sinds de start." }
        } @else {
            ol.timeline {
                @for s in shifts {
                    li {
                        "Vanaf " (date_nl(s.on_date)) ": van " (profile_label(reference, s.from_profile_id)) ", " (intensity_label(reference, s.from_intensity_id))
                        " naar " strong { (profile_label(reference, s.to_profile_id)) ", " (intensity_label(reference, s.to_intensity_id)) } ". "
                        "Reden: " (s.reason.trim_end_matches(['.', ' '])) ". "
                        @match s.confirmed_at {
                            Some(at) => { "Bevestigd door de aanbieder op " (datetime_nl(at)) "." }
                            None => strong { "Wacht op bevestiging van de aanbieder." },
                        }
                    }
                }
            }
        }
        @if !periods.is_empty() {
            h3 { "Tarief" }
            ul {
                @for p in periods {
                    li {
                        "Vanaf " (date_nl(p.from)) ": " (profile_label(reference, p.profile_id)) ", " (intensity_label(reference, p.intensity_id)) " – "
                        @match (p.amount_cents, p.guarantee) {
                            (_, true) => "geen nieuw tarief: het eerdere traject is weer opgepakt onder de 12-maandengarantie",
                            (Some(cents), false) => (euro(cents)),
                            (None, false) => "geen tarief bekend",
                        }
                    }
                }
            }
        }
    }
}

/// The worker's section while care runs, and the history afterwards.
pub(super) fn worker_shifts(
    account: Account<'_>,
    reference: &ReferenceData,
    h: &Hulpvraag,
    (shifts, periods): (&[Shift], &[TariffPeriod]),
    errors: &[FieldError],
) -> Markup {
    if !matches!(h.status(), Status::Gestart | Status::Afgesloten) {
        return html! {};
    }
    let base = format!("/toegang/hulpvragen/{}", h.id);
    let waiting = shifts.iter().any(|s| s.confirmed_at.is_none());
    let profiles: Vec<(String, String)> = reference
        .profiles
        .iter()
        .filter(|p| p.region_id == h.region_id)
        .map(|p| {
            (
                p.number.to_string(),
                format!("Profiel {}: {}", p.number, p.name),
            )
        })
        .collect();
    let intensities: Vec<(String, String)> = reference
        .intensities
        .iter()
        .filter(|i| i.region_id == h.region_id)
        .map(|i| (i.code.clone(), i.name.clone()))
        .collect();
    let current_profile = reference
        .profile(h.profile_id)
        .map_or(String::new(), |p| p.number.to_string());
    let current_intensity = reference
        .intensity(h.intensity_id)
        .map_or(String::new(), |i| i.code.clone());
    html! {
        h2 #wijzigingen { "Profiel en intensiteit" }
        (history(reference, shifts, periods))
        @if h.status() == Status::Gestart {
            @if waiting {
                form method="post" action={ (base) "/wijziging/intrekken" } {
                    (account.csrf.field())
                    button.secondary type="submit" { "Wijziging intrekken" }
                }
            } @else {
                h3 { "Profiel of intensiteit wijzigen" }
                p { "Verandert wat het gezin nodig heeft? Bespreek het met de aanbieder en leg de wijziging hier vast. De aanbieder bevestigt haar; daarna telt de hulp onder het nieuwe profiel en de nieuwe intensiteit, en geldt het tarief daarvan vanaf de datum van de wijziging." }
                form method="post" action={ (base) "/wijziging" } novalidate {
                    (account.csrf.field())
                    (select("profiel", "Nieuw profiel", &profiles, &current_profile, None, errors))
                    (select("intensiteit", "Nieuwe intensiteit", &intensities, &current_intensity, None, errors))
                    (Field::text("datum", "Vanaf welke dag?", "").kind("date").render(errors))
                    (textarea("wijziging_reden", "Waarom verandert het?", "", Some("Schrijf geen namen of burgerservicenummers."), errors))
                    button type="submit" { "Wijziging vastleggen" }
                }
            }
        }
    }
}

/// The provider's section on its request page: the history, and the confirmation of a
/// waiting change.
pub(super) fn provider_shifts(
    account: Account<'_>,
    reference: &ReferenceData,
    request_id: i64,
    (shifts, periods): (&[Shift], &[TariffPeriod]),
    may_confirm: bool,
) -> Markup {
    html! {
        h2 #wijzigingen { "Profiel en intensiteit" }
        (history(reference, shifts, periods))
        @if let Some(waiting) = shifts.iter().find(|s| s.confirmed_at.is_none()).filter(|_| may_confirm) {
            form method="post" action={ "/mijn-aanbod/aanvragen/" (request_id) "/wijziging" } {
                (account.csrf.field())
                input type="hidden" name="wijziging" value=(waiting.id);
                button type="submit" { "Wijziging bevestigen" }
            }
        }
    }
}

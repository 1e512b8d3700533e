//! Pages of the choice workflow: the worker's list and hulpvraag (`worker`), the family's
//! choice and questionnaire (`family`), the provider's requests (`provider`). All in plain
//! Dutch; every action is a form. The small helpers they share are here.

use maud::{Markup, html};

use crate::choice::model::Status;
use crate::reference::ReferenceData;
use crate::web::FieldError;
use crate::web::components::{field_error, field_id, group_error, group_error_id};
use crate::web::text::date_nl;

mod worker;
pub use worker::{
    HulpvraagForm, WorkerListView, WorkerView, new_hulpvraag, worker_hulpvraag, worker_list,
};
mod worker_changes;
pub use worker_changes::{CorrectionForm, WithdrawForm, correct_hulpvraag, withdraw_hulpvraag};
mod family;
pub use family::{
    FamilyView, confirm_choice, enter_code, experience_form, experience_thanks, family_choice,
    link_not_working,
};
mod goals;
mod guarantee;
mod provider;
mod shifts;
pub use provider::{RequestView, RequestsView, provider_request, provider_requests};

fn datetime_nl(at: chrono::NaiveDateTime) -> String {
    // Stored in UTC, shown as the clock on the wall in the Netherlands.
    let local = crate::clock::local(at);
    format!("{} om {}", date_nl(local.date()), local.format("%H:%M"))
}

/// Radio buttons in a fieldset, the legend as the question.
fn radios(
    name: &str,
    legend: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &[FieldError],
) -> Markup {
    let error = field_error(errors, name);
    html! {
        fieldset.form-field.form-field--invalid[error.is_some()] id=(field_id(name)) aria-describedby=[group_error_id(errors, name)] {
            legend { (legend) }
            (group_error(errors, name))
            @for (value, text) in options {
                div.radio {
                    input type="radio" id={ (field_id(name)) "-" (value) } name=(name) value=(value) checked[value == selected];
                    label for={ (field_id(name)) "-" (value) } { (text) }
                }
            }
        }
    }
}

/// The language a mail to the family is written in, and the family's pages open in (each
/// language in its own name). Staff pages are Dutch; the family chooses its own language.
fn family_language_field(id: &str, selected: &str) -> Markup {
    html! {
        div.field {
            label for=(id) { "Taal van de e-mail en van de pagina's van het gezin" }
            select #(id) name="taal" {
                @for lang in crate::i18n::Lang::ALL {
                    option value=(lang.code()) lang=(lang.code()) selected[selected == lang.code()] { (lang.own_name()) }
                }
            }
        }
    }
}

fn status_badge(status: Status) -> Markup {
    html! { span.badge.{ "status-" (status.as_str()) } { (status.label()) } }
}

fn profile_label(reference: &ReferenceData, id: i64) -> String {
    reference.profile(id).map_or(String::new(), |p| {
        format!("Profiel {}: {}", p.number, p.name)
    })
}

fn intensity_label(reference: &ReferenceData, id: i64) -> String {
    reference
        .intensity(id)
        .map_or(String::new(), |i| i.name.clone())
}

fn municipality_label(reference: &ReferenceData, id: i64) -> String {
    reference
        .municipality(id)
        .map_or(String::new(), |m| m.name.clone())
}

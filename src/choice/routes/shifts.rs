//! Profile and intensity changes during care: the worker records or withdraws one, the
//! provider confirms it on its request's page.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::choice::commands::{self, shifts};
use crate::outcomes::records::parse_date;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::input::contains_bsn;
use crate::web::layout::see_other;
use crate::web::{AppError, FieldError};

use super::worker::{or_show_errors, worker_step};
use super::worker_steps::Nothing;

#[derive(Deserialize)]
pub(super) struct ShiftForm {
    #[serde(default)]
    profiel: String,
    #[serde(default)]
    intensiteit: String,
    #[serde(default)]
    datum: String,
    #[serde(default)]
    wijziging_reden: String,
}

pub(super) async fn record(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ShiftForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let reference = state.reference_data().await?;
    let result = async {
        let mut errors = Vec::new();
        let on = parse_date(form.datum.trim());
        if on.is_none() {
            errors.push(FieldError::new(
                "datum",
                "Vul de datum van de wijziging in, bijvoorbeeld 2026-03-01.",
            ));
        }
        let reason = form.wijziging_reden.trim().to_owned();
        if reason.is_empty() {
            errors.push(FieldError::new(
                "wijziging_reden",
                "Schrijf waarom het profiel of de intensiteit verandert.",
            ));
        } else if reason.chars().count() > 1000 {
            errors.push(FieldError::new(
                "wijziging_reden",
                "De reden is te lang. Gebruik hoogstens 1000 tekens.",
            ));
        } else if contains_bsn(&reason) {
            errors.push(FieldError::new(
                "wijziging_reden",
                crate::web::input::BSN_MESSAGE,
            ));
        }
        if crate::web::input::has_invisible(&reason)
            && errors.iter().all(|e| e.field != "wijziging_reden")
        {
            errors.push(FieldError::new(
                "wijziging_reden",
                crate::web::input::INVISIBLE_MESSAGE,
            ));
        }
        let (profiel, intensiteit) = (
            form.profiel.trim().to_owned(),
            form.intensiteit.trim().to_owned(),
        );
        worker_step(&state, &user, id, move |conn, h| {
            let profile = profiel
                .parse::<i32>()
                .ok()
                .and_then(|n| reference.profile_in_region(h.region_id, n));
            if profile.is_none() {
                errors.push(FieldError::new("profiel", "Kies het profiel."));
            }
            let intensity = reference.intensity_in_region(h.region_id, &intensiteit);
            if intensity.is_none() {
                errors.push(FieldError::new("intensiteit", "Kies de intensiteit."));
            }
            let (Some(on), Some(profile), Some(intensity), true) =
                (on, profile, intensity, errors.is_empty())
            else {
                return Err(AppError::InvalidInput(errors));
            };
            let new = shifts::NewShift {
                on,
                profile_id: profile.id,
                intensity_id: intensity.id,
                reason,
            };
            shifts::record(conn, h, &new, &public_url)
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=wijziging#wijzigingen"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

pub(super) async fn withdraw(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    worker_step(&state, &user, id, shifts::withdraw).await?;
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt=wijziging_weg#wijzigingen"
    )))
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    wijziging: String,
}

pub(super) async fn confirm(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // A changed hidden field names no change of this request.
    let shift: i64 = form
        .wijziging
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let who = user.clone();
    let public_url = state.public_url.clone();
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let (request, h) = commands::request_for_provider(conn, &who, id)?;
                shifts::confirm(conn, &request, &h, shift, &public_url)
            })
        })
        .await?;
    Ok(see_other(&format!(
        "/mijn-aanbod/aanvragen/{id}?gelukt=wijziging#wijzigingen"
    )))
}

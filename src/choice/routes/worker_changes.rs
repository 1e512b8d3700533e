//! The worker corrects or withdraws a hulpvraag, each on its own page (issue 33, item 6).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::choice::commands::{self, Correction};
use crate::choice::model::Hulpvraag;
use crate::choice::pages::{CorrectionForm, WithdrawForm, correct_hulpvraag, withdraw_hulpvraag};
use crate::choice::queries::reference_of;
use crate::reference::ReferenceData;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::input::contains_bsn;
use crate::web::layout::{Account, html_response, see_other};
use crate::web::{AppError, FieldError};

use super::worker::{check_details, check_open, worker_step};
use super::worker_steps::{check_email, family_texts, limit_family_mails};

/// The worker's own hulpvraag and the reference data, read only.
async fn load(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<(std::sync::Arc<ReferenceData>, Hulpvraag), AppError> {
    let cache = state.reference.clone();
    let who = user.clone();
    state
        .db
        .run(move |conn| Ok((cache.get(conn)?, commands::for_worker(conn, &who, id)?)))
        .await
}

pub(super) async fn correct_form(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (reference, h) = load(&state, &user, id.into_inner()).await?;
    if !h.status().may_correct() {
        return Ok(see_other(&format!("/toegang/hulpvragen/{}", h.id)));
    }
    let form = CorrectionForm::of(&h, &reference);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        correct_hulpvraag(&state.site, account, &reference, &h, &form, &[]),
    ))
}

pub(super) async fn correct(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<CorrectionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (reference, h) = load(&state, &user, id).await?;
    let mut errors = Vec::new();
    let correction = check_details(&form.details, &reference, h.region_id, &mut errors);
    if let Some(c) = &correction {
        let kept = Some((h.profile_id, h.intensity_id));
        check_open(
            &reference,
            (c.profile_id, c.intensity_id),
            kept,
            &mut errors,
        );
    }
    let email = match check_email(&form.email) {
        Ok(email) => email,
        Err(AppError::InvalidInput(mut wrong)) => {
            errors.append(&mut wrong);
            None
        }
        Err(other) => return Err(other),
    };
    let result = match correction {
        Some(correction) if errors.is_empty() => {
            let family = (email, family_texts(&form.taal));
            apply(&state, &user, id, correction, family, reference.clone()).await
        }
        _ => Err(AppError::InvalidInput(errors)),
    };
    match result {
        Ok(done) => Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt={done}"
        ))),
        Err(AppError::InvalidInput(errors)) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                correct_hulpvraag(&state.site, account, &reference, &h, &form, &errors),
            ))
        }
        Err(other) => Err(other),
    }
}

/// Corrects in one transaction, tells the provider already asked, and the family when the
/// worker gave an address. Returns the code of the message to show.
async fn apply(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    correction: Correction,
    (email, t): (Option<String>, crate::i18n::Texts),
    reference: std::sync::Arc<ReferenceData>,
) -> Result<&'static str, AppError> {
    let key = state.link_key.clone();
    let public_url = state.public_url.clone();
    let worker = (user.id, user.name.clone(), user.email.clone());
    worker_step(state, user, id, move |conn, h| {
        let corrected = commands::correct(conn, h, &correction, &reference)?;
        if corrected.changes.is_empty() {
            return Ok("niets_aangepast");
        }
        if let Some((to, name)) = &corrected.asked_provider {
            crate::mail::queue(
                conn,
                &crate::choice::mail::request_corrected(
                    to,
                    name,
                    &reference_of(h.id),
                    &corrected.changes,
                    &format!("{public_url}/mijn-aanbod/aanvragen"),
                ),
            )?;
        }
        let Some(email) = email else {
            return Ok("aangepast");
        };
        limit_family_mails(conn, worker.0, h.id)?;
        let url =
            commands::live_family_code(h, &key).map(|code| format!("{public_url}/keuze/{code}"));
        crate::mail::queue_and_forget(
            conn,
            &crate::choice::mail::family_told_of_correction(
                t,
                &email,
                &corrected.changes,
                url.as_deref(),
                (&worker.1, &worker.2),
            ),
        )?;
        Ok("aangepast_gemaild")
    })
    .await
}

pub(super) async fn withdraw_form(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (_, h) = load(&state, &user, id.into_inner()).await?;
    if !h.status().may_withdraw() {
        return Ok(see_other(&format!("/toegang/hulpvragen/{}", h.id)));
    }
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        withdraw_hulpvraag(&state.site, account, &h, &WithdrawForm::default(), &[]),
    ))
}

fn check_reason(reason: &str) -> Result<String, Vec<FieldError>> {
    let reason = reason.trim();
    let wrong = if reason.is_empty() {
        Some("Schrijf waarom u de hulpvraag intrekt.")
    } else if reason.chars().count() > 500 {
        Some("De reden is te lang. Gebruik hoogstens 500 tekens.")
    } else if contains_bsn(reason) {
        Some("De reden bevat iets dat lijkt op een burgerservicenummer. Haal dat weg.")
    } else {
        None
    };
    match wrong {
        Some(message) => Err(vec![FieldError::new("reden", message)]),
        None => Ok(reason.to_owned()),
    }
}

pub(super) async fn withdraw(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let reason = match check_reason(&form.reden) {
        Ok(reason) => reason,
        Err(errors) => {
            let (_, h) = load(&state, &user, id).await?;
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            return Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                withdraw_hulpvraag(&state.site, account, &h, &form, &errors),
            ));
        }
    };
    let public_url = state.public_url.clone();
    worker_step(&state, &user, id, move |conn, h| {
        for (to, name) in commands::withdraw(conn, h, &reason)? {
            crate::mail::queue(
                conn,
                &crate::choice::mail::request_withdrawn(
                    &to,
                    &name,
                    &reference_of(h.id),
                    &format!("{public_url}/mijn-aanbod/aanvragen"),
                ),
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt=ingetrokken"
    )))
}

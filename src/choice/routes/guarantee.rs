//! The worker's decision on the 12-month guarantee: take the earlier trajectory up again, or
//! choose otherwise with a reason.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::choice::commands::guarantee;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::input::contains_bsn;
use crate::web::layout::see_other;
use crate::web::{AppError, FieldError};

use super::worker::{or_show_errors, worker_step};
use super::worker_steps::Nothing;

pub(super) async fn take_up(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = worker_step(&state, &user, id, move |conn, h| {
        guarantee::take_up(conn, h, &public_url)
    })
    .await
    .map(|()| see_other(&format!("/toegang/hulpvragen/{id}?gelukt=garantie")));
    or_show_errors(&state, &user, &csrf, id, result).await
}

#[derive(Deserialize)]
pub(super) struct WaiveForm {
    #[serde(default)]
    reden: String,
}

pub(super) async fn waive(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<WaiveForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let reason = form.reden.trim().to_owned();
    let result = async {
        let refused = if reason.is_empty() {
            Some("Schrijf waarom u niet voor het eerdere traject kiest.")
        } else if reason.chars().count() > 1000 {
            Some("De reden is te lang. Gebruik hoogstens 1000 tekens.")
        } else if contains_bsn(&reason) {
            Some(crate::web::input::BSN_MESSAGE)
        } else if crate::web::input::has_invisible(&reason) {
            Some(crate::web::input::INVISIBLE_MESSAGE)
        } else {
            None
        };
        if let Some(message) = refused {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                "reden", message,
            )]));
        }
        worker_step(&state, &user, id, move |conn, h| {
            guarantee::waive(conn, h, &reason)
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=garantie_afgezien"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

//! The agreed goals: the worker records or removes them, the provider reads and confirms
//! them on its request's own page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::choice::commands::{self, goals};
use crate::choice::pages;
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, html_response, see_other};

use super::worker::{Shown, render_worker, worker_step};
use super::worker_steps::Nothing;

#[derive(Deserialize)]
pub(super) struct GoalsForm {
    #[serde(default)]
    doel_1: String,
    #[serde(default)]
    doel_2: String,
    #[serde(default)]
    doel_3: String,
    #[serde(default)]
    doel_4: String,
    #[serde(default)]
    doel_5: String,
}

pub(super) async fn record(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<GoalsForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let typed = [
        form.doel_1,
        form.doel_2,
        form.doel_3,
        form.doel_4,
        form.doel_5,
    ];
    let public_url = state.public_url.clone();
    let checked = goals::check_texts(&typed).map_err(AppError::InvalidInput);
    let result = match checked {
        Ok(list) => {
            worker_step(&state, &user, id, move |conn, h| {
                goals::record(conn, h, &list, &public_url)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=doelen#doelen"
        ))),
        // What was typed comes back with the messages: nothing is lost.
        Err(AppError::InvalidInput(errors)) => {
            let shown = Shown {
                experience_code: None,
                message: None,
                errors: &errors,
                status: StatusCode::UNPROCESSABLE_ENTITY,
                typed_goals: Some(&typed),
            };
            render_worker(&state, &user, &csrf, id, shown).await
        }
        Err(other) => Err(other),
    }
}

pub(super) async fn remove(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    worker_step(&state, &user, id, goals::remove).await?;
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt=doelen_weg#doelen"
    )))
}

#[derive(Deserialize)]
pub(super) struct DetailQuery {
    gelukt: Option<String>,
}

/// One request of the provider, with the agreed goals to read and confirm.
pub(super) async fn provider_request(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<DetailQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let cache = state.reference.clone();
    let (reference, item, h, goals, (shifts, periods)) = state
        .db
        .run(move |conn| {
            let (request, h) = commands::request_for_provider(conn, &who, id)?;
            let item = crate::choice::queries::provider_request(conn, request)?;
            let goals = goals::load(conn, h.id)?;
            let shifts = commands::shifts::load(conn, h.id)?;
            let tariffs = crate::reference::tariffs::of_region(conn, h.region_id)?;
            let bound = commands::guarantee::binds(conn, &h, h.provider_id.unwrap_or_default())?;
            let periods = commands::shifts::tariff_periods(&h, &shifts, &tariffs, bound);
            Ok((cache.get(conn)?, item, h, goals, (shifts, periods)))
        })
        .await?;
    let message = match query.gelukt.as_deref() {
        Some("bevestigd") => {
            Some("U heeft de doelen bevestigd. De toegangsmedewerker krijgt bericht.")
        }
        Some("wijziging") => Some(
            "U heeft de wijziging bevestigd. De hulp telt nu onder het nieuwe profiel en de nieuwe intensiteit.",
        ),
        _ => None,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::provider_request(
            &state.site,
            Account {
                user: &user,
                csrf: &csrf,
            },
            &reference,
            &pages::RequestView {
                item: &item,
                hulpvraag: &h,
                goals: &goals,
                shifts: &shifts,
                periods: &periods,
                message,
            },
        ),
    ))
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    versie: String,
}

pub(super) async fn confirm(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let public_url = state.public_url.clone();
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let (request, h) = commands::request_for_provider(conn, &who, id)?;
                goals::confirm(conn, &request, &h, form.versie.trim(), &public_url)
            })
        })
        .await?;
    Ok(see_other(&format!(
        "/mijn-aanbod/aanvragen/{id}?gelukt=bevestigd"
    )))
}

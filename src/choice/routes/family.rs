//! The family's pages behind their private code: the shortlist, the choice, asking for
//! help, and the questionnaire afterwards.

use crate::web::language::texts;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::choice::commands::{self, ChosenBy};
use crate::choice::experience::{self, ExperienceForm};
use crate::choice::model::Hulpvraag;
use crate::choice::pages::{self, FamilyView};
use crate::db::schema::providers;
use crate::startup::AppState;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{form_response, html_response};
use crate::web::{AppError, FieldError};

use super::names;
use super::worker::family_data;
use super::worker_steps::Nothing;

#[derive(Deserialize)]
pub(super) struct CodeQuery {
    pub(super) code: Option<String>,
}

pub(super) async fn family_enter(
    state: web::Data<AppState>,
    query: web::Query<CodeQuery>,
) -> HttpResponse {
    enter(
        &state,
        "/keuze",
        &texts().msg("enter-choice-title"),
        query.code.as_deref(),
    )
}

pub(super) async fn experience_enter(
    state: web::Data<AppState>,
    query: web::Query<CodeQuery>,
) -> HttpResponse {
    enter(
        &state,
        "/ervaring",
        &texts().msg("enter-experience-title"),
        query.code.as_deref(),
    )
}

pub(super) fn enter(
    state: &AppState,
    action: &str,
    title: &str,
    typed: Option<&str>,
) -> HttpResponse {
    match typed.map(crate::choice::code::normalise) {
        Some(Some(code)) => see_other(&format!("{action}/{code}")),
        Some(None) => html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::enter_code(&state.site, action, title, Some(&texts().msg("code-wrong"))),
        ),
        None => html_response(
            StatusCode::OK,
            pages::enter_code(&state.site, action, title, None),
        ),
    }
}

/// `action` is where a code typed again goes: `/keuze` or `/ervaring`.
pub(super) fn link_not_working(state: &AppState, action: &str) -> HttpResponse {
    html_response(
        StatusCode::NOT_FOUND,
        pages::link_not_working(&state.site, action),
    )
}

pub(super) async fn render_family(
    state: &AppState,
    csrf: &CsrfToken,
    code: String,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_family_or_confirm(state, csrf, code, errors, status, None).await
}

/// What the family's page reads, in one go.
struct FamilyLoaded {
    reference: std::sync::Arc<crate::reference::ReferenceData>,
    h: crate::choice::model::Hulpvraag,
    shortlist: Vec<crate::catalogue::compare::Compared>,
    requests: Vec<crate::choice::model::CareRequest>,
    names: std::collections::HashMap<i64, String>,
    refusal: Option<String>,
    worker: Option<(String, String)>,
    corrections: Vec<(chrono::NaiveDateTime, String)>,
}

/// The family's list, or with `confirming` (a provider's slug) the page that asks the family
/// to confirm that choice. A provider that cannot be chosen shows the list with the reason.
pub(super) async fn render_family_or_confirm(
    state: &AppState,
    csrf: &CsrfToken,
    code: String,
    errors: &[FieldError],
    status: StatusCode,
    confirming: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let typed = code.clone();
    let slug = confirming.map(str::to_owned);
    let loaded = state
        .db
        .run(move |conn| {
            let Some(h) = commands::by_family_code(conn, &typed)? else {
                return Ok(None);
            };
            let reference = cache.get(conn)?;
            let (shortlist, requests) = family_data(conn, &reference, &h)?;
            // The choice being confirmed passes the same guards as the final choice.
            let refusal = match &slug {
                None => None,
                Some(slug) => match shortlist.iter().find(|c| &c.provider.slug == slug) {
                    None => Some(texts().msg("choice-not-listed")),
                    Some(c) => {
                        match commands::check_choice(conn, &h, c.provider.id, ChosenBy::Gezin) {
                            Ok(()) => None,
                            Err(
                                e @ (AppError::Forbidden(_)
                                | AppError::Conflict(_)
                                | AppError::InvalidInput(_)),
                            ) => Some(e.message()),
                            Err(other) => return Err(other),
                        }
                    }
                },
            };
            let ids: Vec<i64> = requests
                .iter()
                .map(|r| r.provider_id)
                .chain(h.provider_id)
                .collect();
            let names = names(conn, &ids)?;
            // Who the family can reach: the worker's name and work address.
            let worker =
                crate::accounts::model::find(conn, h.worker_id)?.map(|u| (u.name, u.email));
            let corrections = commands::corrections(conn, h.id)?;
            Ok(Some(FamilyLoaded {
                reference,
                h,
                shortlist,
                requests,
                names,
                refusal,
                worker,
                corrections,
            }))
        })
        .await?;
    let Some(FamilyLoaded {
        reference,
        h,
        shortlist,
        requests,
        names,
        refusal,
        worker,
        corrections,
    }) = loaded
    else {
        return Ok(link_not_working(state, "/keuze"));
    };
    let code = crate::choice::code::normalise(&code).unwrap_or(code);
    let view = FamilyView {
        hulpvraag: &h,
        code: &code,
        shortlist: &shortlist,
        requests: &requests,
        names: &names,
        worker: worker.as_ref().map(|(n, e)| (n.as_str(), e.as_str())),
        corrections: &corrections,
    };
    if let Some(slug) = confirming {
        let chosen = shortlist.iter().find(|c| c.provider.slug == slug);
        return Ok(match (refusal, chosen) {
            (None, Some(chosen)) => html_response(
                StatusCode::OK,
                pages::confirm_choice(&state.site, csrf, &reference, &view, chosen),
            ),
            (refusal, _) => {
                let errors = [FieldError::form(refusal.unwrap_or_default())];
                form_response(
                    &errors,
                    pages::family_choice(&state.site, csrf, &reference, &view, &errors),
                )
            }
        });
    }
    Ok(html_response(
        status,
        pages::family_choice(&state.site, csrf, &reference, &view, errors),
    ))
}

pub(super) async fn family_confirm(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
    query: web::Query<FamilyChoice>,
) -> Result<HttpResponse, AppError> {
    let slug = query.aanbieder.trim().to_owned();
    render_family_or_confirm(
        &state,
        &csrf,
        code.into_inner(),
        &[],
        StatusCode::OK,
        Some(&slug),
    )
    .await
}

pub(super) async fn family_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render_family(&state, &csrf, code.into_inner(), &[], StatusCode::OK).await
}

#[derive(Deserialize)]
pub(super) struct FamilyChoice {
    #[serde(default)]
    pub(super) aanbieder: String,
}

pub(super) async fn family_choose(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
    CheckedForm(form): CheckedForm<FamilyChoice>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let typed = code.clone();
    let public_url = state.public_url.clone();
    let slug = form.aanbieder.trim().to_owned();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(h) = commands::by_family_code(conn, &typed)? else {
                    return Ok(false);
                };
                let provider: Option<i64> = providers::table
                    .filter(providers::slug.eq(&slug))
                    .select(providers::id)
                    .first(conn)
                    .optional()?;
                let Some(provider) = provider else {
                    return Err(AppError::InvalidInput(vec![FieldError::form(
                        texts().msg("choice-not-listed"),
                    )]));
                };
                commands::choose(conn, &h, provider, ChosenBy::Gezin, &public_url)?;
                Ok(true)
            })
        })
        .await;
    match result {
        Ok(true) => Ok(see_other(&format!("/keuze/{code}"))),
        Ok(false) => Ok(link_not_working(&state, "/keuze")),
        Err(AppError::InvalidInput(errors)) => {
            render_family(
                &state,
                &csrf,
                code,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(message)) => {
            let errors = [FieldError::form(message)];
            render_family(&state, &csrf, code, &errors, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other),
    }
}

pub(super) async fn family_help(
    state: web::Data<AppState>,
    code: web::Path<String>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let typed = code.clone();
    let public_url = state.public_url.clone();
    let found = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(h) = commands::by_family_code(conn, &typed)? else {
                    return Ok(false);
                };
                commands::ask_for_help(conn, &h, &public_url)?;
                Ok(true)
            })
        })
        .await?;
    if found {
        Ok(see_other(&format!("/keuze/{code}")))
    } else {
        Ok(link_not_working(&state, "/keuze"))
    }
}

pub(super) async fn experience_context(
    state: &AppState,
    code: String,
) -> Result<Option<(Hulpvraag, String)>, AppError> {
    state
        .db
        .run(move |conn| {
            let Some(h) = commands::by_experience_code(conn, &code)? else {
                return Ok(None);
            };
            let name = match h.provider_id {
                Some(p) => providers::table
                    .find(p)
                    .select(providers::name)
                    .first(conn)?,
                None => return Ok(None),
            };
            Ok(Some((h, name)))
        })
        .await
}

pub(super) async fn experience_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let Some((h, name)) = experience_context(&state, code.clone()).await? else {
        return Ok(link_not_working(&state, "/ervaring"));
    };
    let reference = state.reference_data().await?;
    let questions = reference.questions(h.region_id, crate::clock::today());
    let code = crate::choice::code::normalise(&code).unwrap_or(code);
    Ok(html_response(
        StatusCode::OK,
        pages::experience_form(
            &state.site,
            &csrf,
            &code,
            &name,
            &questions,
            &ExperienceForm::default(),
            &[],
        ),
    ))
}

pub(super) async fn experience_submit(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
    CheckedForm(form): CheckedForm<ExperienceForm>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let Some((h, name)) = experience_context(&state, code.clone()).await? else {
        return Ok(link_not_working(&state, "/ervaring"));
    };
    let reference = state.reference_data().await?;
    let questions = reference.questions(h.region_id, crate::clock::today());
    match experience::check(&form, &questions) {
        Ok(answers) => {
            state
                .db
                .run(move |conn| {
                    conn.write_transaction(|conn| experience::save(conn, &h, &answers))
                })
                .await?;
            Ok(html_response(
                StatusCode::OK,
                pages::experience_thanks(&state.site),
            ))
        }
        Err(errors) => {
            let code = crate::choice::code::normalise(&code).unwrap_or(code);
            Ok(form_response(
                &errors,
                pages::experience_form(
                    &state.site,
                    &csrf,
                    &code,
                    &name,
                    &questions,
                    &form,
                    &errors,
                ),
            ))
        }
    }
}

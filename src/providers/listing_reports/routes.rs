//! Routes of "Klopt er iets niet?": the visitor's form under the provider's public address
//! and the receipt (public), the provider's list and answer (`/mijn-aanbod/meldingen`,
//! behind the provider gate), the region's overdue list (`/beheer/meldingen`, managers).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::pages::{self, ReportForm};
use crate::db::schema::providers;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, form_response, html_response, see_other};
use crate::web::{AppError, FieldError};

const PER_PAGE: i64 = 20;

/// The public routes: mounted beside the catalogue's.
pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/aanbieders/{slug}/melden", web::get().to(form_page))
        .route("/aanbieders/{slug}/melden", web::post().to(submit))
        .route("/meldingen/{code}", web::get().to(receipt_page));
}

/// Mounted in the `/mijn-aanbod` scope (provider role gate).
pub fn provider_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/meldingen", web::get().to(provider_page))
        .route("/meldingen/{id}", web::post().to(answer));
}

/// Mounted in the `/beheer/meldingen` scope (managers' role gate).
pub fn manager_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(overdue_page));
}

/// The provider a public address names: only one that is in the catalogue.
async fn listed(state: &AppState, slug: String) -> Result<(i64, String, String), AppError> {
    state
        .db
        .run(move |conn| {
            providers::table
                .filter(providers::slug.eq(&slug))
                .filter(providers::in_catalogue.eq(true))
                .select((providers::id, providers::name, providers::slug))
                .first(conn)
                .optional()?
                .ok_or(AppError::NotFound)
        })
        .await
}

async fn form_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, name, slug) = listed(&state, slug.into_inner()).await?;
    let mut response = html_response(
        StatusCode::OK,
        pages::report_form(
            &state.site,
            &csrf,
            (&name, &slug),
            &ReportForm::default(),
            &[],
        ),
    );
    // It carries this visitor's CSRF token: never a kept page, whatever the address's spelling.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    csrf: CsrfToken,
    slug: web::Path<String>,
    CheckedForm(form): CheckedForm<ReportForm>,
) -> Result<HttpResponse, AppError> {
    let (id, name, slug) = listed(&state, slug.into_inner()).await?;
    let (topic, message) = match super::check(&form.onderwerp, &form.bericht) {
        Ok(checked) => checked,
        Err(errors) => {
            return Ok(form_response(
                &errors,
                pages::report_form(&state.site, &csrf, (&name, &slug), &form, &errors),
            ));
        }
    };
    let ip = crate::accounts::client_ip(&req);
    let key = format!("melding:{ip}");
    let public_url = state.public_url.clone();
    let code = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                // Counted per address like the other public forms (kept a day, then purged),
                // under a lock per address so that parallel posts cannot pass the limit.
                conn.serialise_on(&key)?;
                if crate::accounts::throttle::count(conn, &key)? >= super::PER_ADDRESS {
                    return Ok(None);
                }
                crate::accounts::throttle::note(conn, &key, &ip)?;
                super::submit(conn, id, topic, &message, &public_url).map(Some)
            })
        })
        .await?;
    match code {
        Some(code) => Ok(see_other(&format!("/meldingen/{code}?nieuw=1"))),
        None => {
            let errors = [FieldError::form(
                crate::web::language::texts().msg("report-too-many"),
            )];
            Ok(html_response(
                StatusCode::TOO_MANY_REQUESTS,
                pages::report_form(&state.site, &csrf, (&name, &slug), &form, &errors),
            ))
        }
    }
}

#[derive(Deserialize)]
struct ReceiptQuery {
    nieuw: Option<String>,
}

async fn receipt_page(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<ReceiptQuery>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner().trim().to_lowercase();
    let typed = code.clone();
    let found = state
        .db
        .run(move |conn| Ok(super::by_receipt(conn, &typed)?))
        .await?;
    let Some((report, name, slug)) = found else {
        return Err(AppError::NotFound);
    };
    Ok(html_response(
        StatusCode::OK,
        pages::receipt(
            &state.site,
            &report,
            (&name, &slug),
            &code,
            query.nieuw.is_some(),
        ),
    ))
}

#[derive(Deserialize)]
struct PageQuery {
    pagina: Option<String>,
    beantwoord: Option<String>,
}

async fn render_provider(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    page: i64,
    errors: &[(i64, Vec<FieldError>)],
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let provider = user.own_provider()?;
    let (reports, total) = state
        .db
        .run(move |conn| Ok(super::of_provider(conn, provider, page, PER_PAGE)?))
        .await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let account = Account { user, csrf };
    let body = pages::provider_list(
        &state.site,
        account,
        &reports,
        (page, pages),
        errors,
        notice,
    );
    // 422 when an answer was refused, as every refused form answers.
    let refused: Vec<FieldError> = errors.iter().flat_map(|(_, e)| e.clone()).collect();
    Ok(form_response(&refused, body))
}

async fn provider_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = match query.pagina.as_deref() {
        None => 1,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| {
                AppError::InvalidInput(vec![FieldError::new(
                    "pagina",
                    "Dit paginanummer kan niet. Gebruik een heel getal vanaf 1.",
                )])
            })?,
    };
    let notice = query
        .beantwoord
        .is_some()
        .then_some("Uw antwoord is verstuurd. Wie de melding deed, kan het nu lezen.");
    render_provider(&state, &user, &csrf, page, &[], notice).await
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    antwoord: String,
    #[serde(default)]
    aangepast: String,
}

async fn answer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let provider = user.own_provider()?;
    let user_id = user.id;
    let fixed = form.aangepast == "ja";
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                super::answer(conn, provider, id, user_id, &form.antwoord, fixed)
            })
        })
        .await;
    match result {
        Ok(()) => Ok(see_other("/mijn-aanbod/meldingen?beantwoord=1")),
        Err(AppError::InvalidInput(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new(format!("antwoord-{id}"), e.message))
                .collect();
            render_provider(&state, &user, &csrf, 1, &[(id, errors)], None).await
        }
        Err(other) => Err(other),
    }
}

async fn overdue_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let region = user
        .region_scope()
        .and_then(crate::domain::principal::RegionScope::filter);
    let rows = state
        .db
        .run(move |conn| Ok(super::overdue(conn, region, crate::clock::now())?))
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::overdue_list(&state.site, account, &rows),
    ))
}

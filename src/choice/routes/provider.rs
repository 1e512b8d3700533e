//! The provider's list of requests and its answer: accept with a start date, or decline.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::choice::commands::{self, Answer};
use crate::choice::model::{DeclineReason, RequestAnswer};
use crate::choice::pages::{self};
use crate::choice::queries;
use crate::outcomes::records::parse_date;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::input::contains_bsn;
use crate::web::layout::see_other;
use crate::web::layout::{Account, html_response};
use crate::web::{AppError, FieldError};

use super::PER_PAGE;

#[derive(Deserialize)]
pub(super) struct RequestsQuery {
    pub(super) alle: Option<String>,
    pub(super) pagina: Option<u32>,
    pub(super) gelukt: Option<String>,
}

pub(super) async fn provider_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<RequestsQuery>,
) -> Result<HttpResponse, AppError> {
    let message = match query.gelukt.as_deref().and_then(RequestAnswer::parse) {
        Some(RequestAnswer::Geaccepteerd) => {
            Some("U heeft de aanvraag geaccepteerd. De toegangsmedewerker krijgt bericht.")
        }
        Some(RequestAnswer::Afgewezen) => {
            Some("U heeft de aanvraag afgewezen. Het gezin kiest een andere aanbieder.")
        }
        _ => None,
    };
    render_provider_list(
        &state,
        &user,
        &csrf,
        query.alle.is_none(),
        query.pagina.unwrap_or(1),
        message,
        &[],
    )
    .await
}

pub(super) async fn render_provider_list(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    open_only: bool,
    page: u32,
    message: Option<&str>,
    errors: &[(i64, Vec<FieldError>)],
) -> Result<HttpResponse, AppError> {
    let page = page.max(1);
    let cache = state.reference.clone();
    let who = user.clone();
    let (reference, (items, total)) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                queries::list_for_provider(conn, &who, open_only, page, PER_PAGE)?,
            ))
        })
        .await?;
    let pages_count = crate::web::components::page_count(total, PER_PAGE);
    let account = Account { user, csrf };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_response(
        status,
        pages::provider_requests(
            &state.site,
            account,
            &reference,
            &pages::RequestsView {
                items: &items,
                open_only,
                page,
                pages: pages_count,
                message,
                errors,
            },
        ),
    ))
}

#[derive(Deserialize)]
pub(super) struct AnswerForm {
    #[serde(default)]
    pub(super) antwoord: String,
    #[serde(default)]
    pub(super) startdatum: String,
    #[serde(default)]
    pub(super) reden: String,
    #[serde(default)]
    pub(super) toelichting: String,
}

pub(super) fn check_answer(form: &AnswerForm, today: NaiveDate) -> Result<Answer, Vec<FieldError>> {
    match form.antwoord.as_str() {
        "accepteren" => match parse_date(form.startdatum.trim()) {
            Some(d) if d >= today => Ok(Answer::Accept { expected_start: d }),
            Some(_) => Err(vec![FieldError::new(
                "startdatum",
                "De verwachte startdatum ligt in het verleden. Kies vandaag of later.",
            )]),
            None => Err(vec![FieldError::new(
                "startdatum",
                "Vul de verwachte startdatum in.",
            )]),
        },
        "afwijzen" => {
            let note = form.toelichting.trim();
            match DeclineReason::parse(form.reden.trim()) {
                None => Err(vec![FieldError::new(
                    "reden",
                    "Kies waarom u niet kunt helpen.",
                )]),
                Some(_) if note.chars().count() > 1000 => Err(vec![FieldError::new(
                    "toelichting",
                    "De toelichting is te lang. Gebruik hoogstens 1000 tekens.",
                )]),
                // The worker reads this note: no BSN in it.
                Some(_) if contains_bsn(note) => Err(vec![FieldError::new(
                    "toelichting",
                    crate::web::input::BSN_MESSAGE,
                )]),
                Some(reason) => Ok(Answer::Decline {
                    reason,
                    note: note.to_owned(),
                }),
            }
        }
        _ => Err(vec![FieldError::new(
            "antwoord",
            "Kies accepteren of afwijzen.",
        )]),
    }
}

pub(super) async fn provider_answer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let answer = match check_answer(&form, crate::clock::today()) {
        Ok(answer) => answer,
        Err(errors) => {
            // From a stale tab: a request answered (or withdrawn) already has no form left
            // to show the errors on; say what happened instead.
            let who = user.clone();
            let (request, _) = state
                .db
                .run(move |conn| commands::request_for_provider(conn, &who, id))
                .await?;
            if !request.is_open() {
                return Err(AppError::Conflict(
                    "Deze aanvraag is al beantwoord of ingetrokken. Bekijk uw aanvragen om te zien hoe het er nu voor staat.".into(),
                ));
            }
            return render_provider_list(&state, &user, &csrf, true, 1, None, &[(id, errors)])
                .await;
        }
    };
    let who = user.clone();
    let public_url = state.public_url.clone();
    let code = match &answer {
        Answer::Accept { .. } => RequestAnswer::Geaccepteerd,
        Answer::Decline { .. } => RequestAnswer::Afgewezen,
    };
    let answered = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let (request, h) = commands::request_for_provider(conn, &who, id)?;
                commands::answer(conn, &request, &h, &answer, &public_url)
            })
        })
        .await;
    // A reason the request itself asks for (under the guarantee): shown at its form.
    if let Err(AppError::InvalidInput(errors)) = answered {
        return render_provider_list(&state, &user, &csrf, true, 1, None, &[(id, errors)]).await;
    }
    answered?;
    Ok(see_other(&format!("/mijn-aanbod/aanvragen?gelukt={code}")))
}

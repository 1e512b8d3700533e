//! The invited person's side: the link opens a page to choose a password (a page with a
//! button, so mail scanners that follow links use nothing up).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::accounts::links::{self, LinkState, Purpose};
use crate::accounts::pages::{self, InvitationView};
use crate::accounts::routes::{NewPasswordForm, hash_password, new_password_problems};
use crate::accounts::{model, throttle};
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{form_response, html_response, see_other};

/// The link's state with the invited account, and who sent it when it expired.
enum Found {
    Valid(model::User),
    Expired(Option<(String, String)>),
    Unknown,
}

async fn find(state: &AppState, token: String) -> Result<Found, AppError> {
    state
        .db
        .run(move |conn| {
            Ok(match links::state(conn, &token, Purpose::Invitation)? {
                LinkState::Valid(id) => match model::find(conn, id)? {
                    Some(user) if user.active => Found::Valid(user),
                    _ => Found::Unknown,
                },
                LinkState::Expired(id) => Found::Expired(super::queries::inviter(conn, id)?),
                LinkState::Unknown => Found::Unknown,
            })
        })
        .await
}

fn render(
    state: &AppState,
    csrf: &CsrfToken,
    token: &str,
    found: &Found,
    errors: &[crate::web::FieldError],
) -> (StatusCode, maud::Markup) {
    let (status, view) = match found {
        Found::Valid(user) => (
            StatusCode::OK,
            InvitationView::Valid {
                name: &user.name,
                email: &user.email,
            },
        ),
        Found::Expired(by) => (
            StatusCode::GONE,
            InvitationView::Expired(by.as_ref().map(|(n, e)| (n.as_str(), e.as_str()))),
        ),
        Found::Unknown => (StatusCode::GONE, InvitationView::Unknown),
    };
    (
        status,
        pages::invitation(&state.site, csrf, token, &view, errors),
    )
}

pub(super) async fn page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let found = find(&state, token.clone()).await?;
    let (status, body) = render(&state, &csrf, &token, &found, &[]);
    Ok(html_response(status, body))
}

pub(super) async fn accept(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    token: web::Path<String>,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let found = find(&state, token.clone()).await?;
    let Found::Valid(user) = &found else {
        let (status, body) = render(&state, &csrf, &token, &found, &[]);
        return Ok(html_response(status, body));
    };
    let errors = new_password_problems(&form, &user.email);
    if !errors.is_empty() {
        let (_, body) = render(&state, &csrf, &token, &found, &errors);
        return Ok(form_response(&errors, body));
    }
    let hash = hash_password(form.wachtwoord).await?;
    let (id, email) = (user.id, user.email.clone());
    let done = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if links::consume(conn, &token, Purpose::Invitation)? != Some(id) {
                    return Ok(false);
                }
                model::set_password(conn, id, &hash)?;
                // The link proves the address.
                model::mark_verified(conn, id)?;
                throttle::forget_failures(conn, &email)?;
                crate::audit::action(conn, Some(id), "uitnodiging aanvaard", "user", Some(id))?;
                Ok::<_, AppError>(true)
            })
        })
        .await?;
    if done {
        Ok(see_other("/inloggen?welkom=1"))
    } else {
        let (status, body) = render(&state, &csrf, "", &Found::Unknown, &[]);
        Ok(html_response(status, body))
    }
}

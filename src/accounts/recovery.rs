//! The single-use links sent by e-mail: confirming an address and setting a new password
//! when it is forgotten. Each link opens a page with a button, so mail scanners that follow
//! links use nothing up.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::links::{self, Purpose};
use super::routes::{Empty, NewPasswordForm, client_ip, hash_password, new_password_problems};
use super::{model, pages, throttle};
use crate::mail::{self, templates};
use crate::startup::AppState;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{form_response, html_response, see_other};
use crate::web::{AppError, FieldError};

pub(super) async fn verify_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let check = token.clone();
    let valid = state
        .db
        .run(move |conn| Ok(links::peek(conn, &check, Purpose::VerifyEmail)?.is_some()))
        .await?;
    // The link opens a page with a button: mail scanners that follow links use nothing up.
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    Ok(html_response(
        status,
        pages::verify(&state.site, &csrf, &token, valid),
    ))
}

pub(super) async fn verify(
    state: web::Data<AppState>,
    token: web::Path<String>,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let verified = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(user_id) = links::consume(conn, &token, Purpose::VerifyEmail)? else {
                    return Ok(false);
                };
                model::mark_verified(conn, user_id)?;
                // What waited for a real address (a registration's mail to the region).
                crate::mail::release(conn, user_id)?;
                crate::audit::action(
                    conn,
                    Some(user_id),
                    "e-mailadres bevestigd",
                    "user",
                    Some(user_id),
                )?;
                Ok::<_, AppError>(true)
            })
        })
        .await?;
    if verified {
        Ok(see_other("/inloggen?bevestigd=1"))
    } else {
        Err(AppError::InvalidInput(vec![FieldError::new(
            "link",
            "Deze link is al gebruikt of verlopen. Log in om een nieuwe link te krijgen.",
        )]))
    }
}

#[derive(Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

pub(super) async fn forgot_page(state: web::Data<AppState>, csrf: CsrfToken) -> HttpResponse {
    html_response(
        StatusCode::OK,
        pages::forgot(&state.site, &csrf, "", &[], false),
    )
}

pub(super) async fn forgot(
    state: web::Data<AppState>,
    req: HttpRequest,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    if !model::plausible_email(form.email.trim()) {
        let errors = [FieldError::new(
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.",
        )];
        return Ok(form_response(
            &errors,
            pages::forgot(&state.site, &csrf, &form.email, &errors, false),
        ));
    }
    let email = model::normalise_email(&form.email);
    let ip = client_ip(&req);
    let public_url = state.public_url.clone();
    state
        .db
        .run(move |conn| {
            // Requests are counted under their own key, so the form can neither flood an
            // inbox nor lock the account's login.
            if throttle::reserve(conn, &throttle::reset_key(&email), &ip)?.is_none() {
                return Ok(());
            }
            let Some(user) = model::find_by_email(conn, &email)? else {
                return Ok(());
            };
            // An invited person sets a password with the invitation, which the beheerder can
            // send again; a reset link would outlive its seven days.
            // An account that signs in only through its organisation or eHerkenning gets
            // no password behind the provider's back (its checks would be skipped).
            if !user.active
                || user.is_invited()
                || user.password_hash == super::oidc::identities::NO_PASSWORD
            {
                return Ok(());
            }
            conn.write_transaction(|conn| {
                let token = links::create(conn, user.id, Purpose::ResetPassword)?;
                mail::queue_and_forget(
                    conn,
                    &templates::password_reset(
                        &user.email,
                        &user.name,
                        &format!("{public_url}/wachtwoord-herstellen/{token}"),
                    ),
                )?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    // The same answer whether or not the address has an account.
    Ok(html_response(
        StatusCode::OK,
        pages::forgot(&state.site, &csrf, &form.email, &[], true),
    ))
}

pub(super) async fn reset_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let check = token.clone();
    let valid = state
        .db
        .run(move |conn| Ok(links::peek(conn, &check, Purpose::ResetPassword)?.is_some()))
        .await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    Ok(html_response(
        status,
        pages::reset(&state.site, &csrf, &token, valid, &[]),
    ))
}

pub(super) async fn reset(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    token: web::Path<String>,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let Some(user) = state
        .db
        .run(move |conn| {
            Ok(match links::peek(conn, &lookup, Purpose::ResetPassword)? {
                Some(id) => model::find(conn, id)?,
                None => None,
            })
        })
        .await?
    else {
        return Ok(html_response(
            StatusCode::GONE,
            pages::reset(&state.site, &csrf, &token, false, &[]),
        ));
    };
    let errors = new_password_problems(&form, &user.email);
    if !errors.is_empty() {
        return Ok(form_response(
            &errors,
            pages::reset(&state.site, &csrf, &token, true, &errors),
        ));
    }
    let hash = hash_password(form.wachtwoord).await?;
    let done = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                if links::consume(conn, &token, Purpose::ResetPassword)? != Some(user.id) {
                    return Ok(false);
                }
                model::set_password(conn, user.id, &hash)?;
                // The link proves the address; earlier failed logins no longer lock it.
                model::mark_verified(conn, user.id)?;
                throttle::forget_failures(conn, &user.email)?;
                crate::audit::action(
                    conn,
                    Some(user.id),
                    "wachtwoord hersteld",
                    "user",
                    Some(user.id),
                )?;
                Ok::<_, AppError>(true)
            })
        })
        .await?;
    if done {
        Ok(see_other("/inloggen?hersteld=1"))
    } else {
        Ok(html_response(
            StatusCode::GONE,
            pages::reset(&state.site, &csrf, "", false, &[]),
        ))
    }
}

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::links::{self, Purpose};
use super::model::{self, Role};
use super::{pages, password, recovery, throttle};
use crate::mail::{self, templates};
use crate::startup::AppState;
use crate::web::auth::{SessionUser, require};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, form_response, html_response, see_other};
use crate::web::{AppError, FieldError};

const ANY_ROLE: &[Role] = Role::ALL;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/inloggen", web::get().to(login_page))
        .route("/inloggen", web::post().to(login))
        .route("/uitloggen", web::post().to(logout))
        .route("/bevestigen/{token}", web::get().to(recovery::verify_page))
        .route("/bevestigen/{token}", web::post().to(recovery::verify))
        .route("/wachtwoord-vergeten", web::get().to(recovery::forgot_page))
        .route("/wachtwoord-vergeten", web::post().to(recovery::forgot))
        .route(
            "/wachtwoord-herstellen/{token}",
            web::get().to(recovery::reset_page),
        )
        .route(
            "/wachtwoord-herstellen/{token}",
            web::post().to(recovery::reset),
        )
        .service(
            web::scope("/account")
                .wrap(actix_web::middleware::from_fn(require(ANY_ROLE)))
                .route("", web::get().to(account_page))
                .route("/wachtwoord", web::post().to(change_password))
                .route("/overal-uitloggen", web::post().to(logout_everywhere)),
        );
}

/// Only paths on this site, never another host: one `/` followed by a letter, a digit or
/// nothing, and no control characters or backslashes anywhere (a browser reads `/\t/evil`
/// and `/\\evil` as `//evil`).
pub(super) fn safe_return(target: &str) -> Option<&str> {
    let mut chars = target.chars();
    let starts_well =
        chars.next() == Some('/') && chars.next().is_none_or(|c| c.is_ascii_alphanumeric());
    (starts_well && !target.chars().any(|c| c.is_control() || c == '\\')).then_some(target)
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    terug: String,
    bevestigd: Option<String>,
    hersteld: Option<String>,
    uitgelogd: Option<String>,
    welkom: Option<String>,
}

async fn login_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let query = query.into_inner();
    if let Some(user) = crate::web::context::current().user {
        return html_response(StatusCode::OK, pages::already_signed_in(&state.site, &user));
    }
    let notice = if query.bevestigd.is_some() {
        Some("Uw e-mailadres is bevestigd. U kunt nu inloggen.")
    } else if query.hersteld.is_some() {
        Some("Uw nieuwe wachtwoord is opgeslagen. Log in met uw nieuwe wachtwoord.")
    } else if query.welkom.is_some() {
        Some("Uw wachtwoord is opgeslagen. Log nu in met uw e-mailadres en wachtwoord.")
    } else if query.uitgelogd.is_some() {
        Some("U bent op alle apparaten uitgelogd.")
    } else {
        None
    };
    let form = pages::LoginForm {
        terug: query.terug,
        ..Default::default()
    };
    html_response(
        StatusCode::OK,
        pages::login(&state.site, &csrf, &form, &[], notice, ways(&state)),
    )
}

/// The ways in the login page offers, as configured.
fn ways(state: &AppState) -> pages::Ways {
    pages::Ways {
        organisation: state.sign_in.organisation.is_some(),
        eherkenning: state.sign_in.eherkenning.is_some(),
        password_for_staff: state.sign_in.password_for_staff,
    }
}

/// The address a request came from, as the rate limits count it.
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "onbekend".into())
}

/// Checks a password with argon2 on the blocking pool: not on an async worker, and not
/// inside `Database::run`, where it would hold a pooled connection while it hashes.
async fn verify_password(password: String, stored: String) -> Result<bool, AppError> {
    web::block(move || password::verify(&password, &stored))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}

/// Hashes a new password on the blocking pool, as [`verify_password`] checks one.
pub(super) async fn hash_password(password: String) -> Result<String, AppError> {
    web::block(move || password::hash(&password))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
        .map_err(AppError::Internal)
}

enum LoginOutcome {
    Success { id: i64, version: i32, role: Role },
    Refused(&'static str),
}

const WRONG: &str = "Het e-mailadres of het wachtwoord klopt niet. Let op hoofdletters.";
const WAIT: &str = "U heeft te vaak geprobeerd in te loggen. Wacht 15 minuten en probeer het dan opnieuw. Wachtwoord vergeten? Vraag een nieuw wachtwoord aan.";
const ORGANISATION_ONLY: &str = "Medewerkers van gemeenten en regio's loggen in met hun organisatieaccount. Kies hierboven 'Inloggen met uw organisatieaccount'.";
const UNVERIFIED: &str = "Uw e-mailadres is nog niet bevestigd. Wij hebben u nu een nieuwe e-mail met een link gestuurd. De link in de eerdere e-mail werkt niet meer: gebruik de nieuwe.";

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<pages::LoginForm>,
) -> Result<HttpResponse, AppError> {
    // An empty field is a slip, not an attempt: say which, and count nothing.
    let missing: Vec<FieldError> = [
        (
            form.email.trim().is_empty(),
            "email",
            "Vul uw e-mailadres in.",
        ),
        (
            form.wachtwoord.is_empty(),
            "wachtwoord",
            "Vul uw wachtwoord in.",
        ),
    ]
    .into_iter()
    .filter(|(empty, _, _)| *empty)
    .map(|(_, field, message)| FieldError::new(field, message))
    .collect();
    if !missing.is_empty() {
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            pages::login(&state.site, &csrf, &form, &missing, None, ways(&state)),
        ));
    }
    let ip = client_ip(&req);
    let email = model::normalise_email(&form.email);
    let password = form.wachtwoord.clone();
    let public_url = state.public_url.clone();
    let password_for_staff = state.sign_in.password_for_staff;
    // The attempt is counted before the password is checked (parallel attempts cannot pass
    // the limit together), and the hash is checked without holding a database connection.
    let key = email.clone();
    let reserved = state
        .db
        .run(move |conn| {
            let Some(attempt) = throttle::reserve(conn, &key, &ip)? else {
                return Ok(None);
            };
            Ok(Some((attempt, model::find_by_email(conn, &key)?)))
        })
        .await?;
    let outcome = match reserved {
        None => LoginOutcome::Refused(WAIT),
        Some((attempt, user)) => {
            // Verify against a dummy hash for unknown addresses and invited accounts without
            // a password: the same work, the same time.
            let hash = user
                .as_ref()
                .filter(|u| !u.is_invited())
                .map_or(password::dummy_hash().to_owned(), |u| {
                    u.password_hash.clone()
                });
            let matches = verify_password(password, hash).await?;
            let key = email.clone();
            state
                .db
                .run(move |conn| match user {
                    // An invited account has no password yet: it was checked against the
                    // dummy hash for the timing only, and nothing signs in to it.
                    Some(user) if matches && user.active && !user.is_invited() => {
                        // Told only to whoever knows the password.
                        if !password_for_staff && user.role != Role::Aanbieder {
                            throttle::succeeded(conn, attempt, &key)?;
                            return Ok(LoginOutcome::Refused(ORGANISATION_ONLY));
                        }
                        if user.email_verified_at.is_none() {
                            conn.write_transaction(|conn| {
                                let token = links::create(conn, user.id, Purpose::VerifyEmail)?;
                                mail::queue_and_forget(
                                    conn,
                                    &templates::verify_email_again(
                                        &user.email,
                                        &user.name,
                                        &format!("{public_url}/bevestigen/{token}"),
                                    ),
                                )?;
                                Ok::<_, AppError>(())
                            })?;
                            return Ok(LoginOutcome::Refused(UNVERIFIED));
                        }
                        throttle::succeeded(conn, attempt, &key)?;
                        model::record_sign_in(conn, user.id)?;
                        let role = user.role();
                        Ok(LoginOutcome::Success {
                            id: user.id,
                            version: user.token_version,
                            role,
                        })
                    }
                    // The reservation stays as the failure it is.
                    _ => Ok(LoginOutcome::Refused(WRONG)),
                })
                .await?
        }
    };
    match outcome {
        LoginOutcome::Success { id, version, role } => {
            let target = safe_return(&form.terug).unwrap_or(role.home());
            start_session(&state, id, version, "", target)
        }
        LoginOutcome::Refused(message) => {
            let status = if message == WAIT {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let errors = [FieldError::new("email", message)];
            Ok(html_response(
                status,
                pages::login(&state.site, &csrf, &form, &errors, None, ways(&state)),
            ))
        }
    }
}

/// Begins a session, whichever way the person came in (`via`: "" for the password, else the
/// sign-in's kind), and sends the browser on to `target`.
pub(super) fn start_session(
    state: &AppState,
    id: i64,
    version: i32,
    via: &str,
    target: &str,
) -> Result<HttpResponse, AppError> {
    let token = state.keys.issue_via(id, version, via)?;
    let mut response = see_other(target);
    response
        .add_cookie(&state.keys.cookie(token))
        .map_err(anyhow::Error::from)?;
    // A new CSRF token with the new session.
    let mut stale = actix_web::cookie::Cookie::new(crate::web::csrf::COOKIE, "");
    stale.set_path("/");
    stale.make_removal();
    response.add_cookie(&stale).map_err(anyhow::Error::from)?;
    Ok(response)
}

#[derive(Deserialize)]
pub(super) struct Empty {}

async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    // The cookie is removed, and the session itself ended: a copy of the cookie opens nothing.
    let claims = req
        .cookie(crate::accounts::session::COOKIE)
        .and_then(|c| state.keys.verify(c.value()));
    let via = claims.as_ref().map(|c| c.via.clone()).unwrap_or_default();
    if let Some(claims) = claims {
        state
            .db
            .run(move |conn| Ok(crate::accounts::session::revoke(conn, &claims)?))
            .await?;
    }
    // Signed in at a provider: signed out there too, where it offers that.
    let back = format!("{}/?uitgelogd=1", state.public_url);
    let at_provider = match state.sign_in.provider_of(&via) {
        Some(provider) => provider.end_session_url(&back).await,
        None => None,
    };
    let mut response = see_other(at_provider.as_deref().unwrap_or("/?uitgelogd=1"));
    response
        .add_cookie(&state.keys.removal_cookie())
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub wachtwoord: String,
    #[serde(default)]
    pub herhaling: String,
    #[serde(default)]
    pub huidig: String,
}

pub(super) fn new_password_problems(form: &NewPasswordForm, email: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(problem) = password::problem(&form.wachtwoord, email) {
        errors.push(FieldError::new("wachtwoord", problem));
    } else if form.wachtwoord != form.herhaling {
        errors.push(FieldError::new(
            "herhaling",
            "De twee wachtwoorden zijn niet hetzelfde. Typ ze opnieuw.",
        ));
    }
    errors
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    #[serde(default)]
    gewijzigd: Option<String>,
}

async fn account_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<AccountQuery>,
) -> HttpResponse {
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let notice = query
        .gewijzigd
        .as_ref()
        .map(|_| "Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd.");
    html_response(
        StatusCode::OK,
        pages::account(&state.site, account, notice, &[]),
    )
}

const WAIT_CHANGE: &str = "U heeft te vaak een verkeerd huidig wachtwoord ingevuld. Wacht 15 minuten en probeer het dan opnieuw.";

async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let id = user.id;
    let ip = client_ip(&req);
    let (stored, attempt) = state
        .db
        .run(move |conn| {
            // The current password is checked under the same limit as a login.
            let attempt = throttle::reserve(conn, &throttle::change_key(id), &ip)?;
            Ok((model::find(conn, id)?.ok_or(AppError::NotFound)?, attempt))
        })
        .await?;
    let Some(attempt) = attempt else {
        let account = Account {
            user: &user,
            csrf: &csrf,
        };
        let errors = [FieldError::new("huidig", WAIT_CHANGE)];
        return Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            pages::account(&state.site, account, None, &errors),
        ));
    };
    let current = form.huidig.clone();
    let hash = stored.password_hash.clone();
    let current_ok = verify_password(current, hash).await?;
    let mut errors = Vec::new();
    if current_ok {
        let key = throttle::change_key(id);
        state
            .db
            .run(move |conn| Ok(throttle::succeeded(conn, attempt, &key)?))
            .await?;
    } else {
        errors.push(FieldError::new(
            "huidig",
            "Uw huidige wachtwoord klopt niet.",
        ));
    }
    errors.extend(new_password_problems(&form, &stored.email));
    if !errors.is_empty() {
        let account = Account {
            user: &user,
            csrf: &csrf,
        };
        return Ok(form_response(
            &errors,
            pages::account(&state.site, account, None, &errors),
        ));
    }
    let new_hash = hash_password(form.wachtwoord).await?;
    let version = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                model::set_password(conn, id, &new_hash)?;
                crate::audit::action(conn, Some(id), "wachtwoord gewijzigd", "user", Some(id))?;
                Ok::<_, AppError>(model::find(conn, id)?.map_or(0, |u| u.token_version))
            })
        })
        .await?;
    // Every other session has ended; this one continues with a new token.
    let mut response = see_other("/account?gewijzigd=1");
    response
        .add_cookie(&state.keys.cookie(state.keys.issue(id, version)?))
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

async fn logout_everywhere(
    state: web::Data<AppState>,
    user: SessionUser,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = user.id;
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                model::end_all_sessions(conn, id)?;
                crate::audit::action(conn, Some(id), "overal uitgelogd", "user", Some(id))?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    let mut response = see_other("/inloggen?uitgelogd=1");
    response
        .add_cookie(&state.keys.removal_cookie())
        .map_err(anyhow::Error::from)?;
    Ok(response)
}

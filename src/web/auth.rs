//! Who is asking, and may they. Every protected scope declares the roles it admits with
//! [`require`]; the middleware resolves the session once, answers anonymous visitors with
//! the login page and other roles with 403, and hands the handler a [`SessionUser`].
//! What a user may touch within its role (its own provider, its own region) is decided by
//! the methods here, so each rule lives in one place.

use std::future::{Ready, ready};

use actix_web::body::BoxBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};

use super::{AppError, AppState};
use crate::accounts::model::{self, Role};
use crate::accounts::session::COOKIE;

/// The signed-in user, as far as authorisation needs to know.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub provider_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub region_id: Option<i64>,
}

impl SessionUser {
    /// The user as a signed-in principal.
    pub fn of(u: crate::accounts::User) -> Option<SessionUser> {
        Some(SessionUser {
            role: u.role(),
            id: u.id,
            name: u.name,
            email: u.email,
            provider_id: u.provider_id,
            municipality_id: u.municipality_id,
            region_id: u.region_id,
        })
    }

    /// A provider user may act for its own provider only.
    pub fn may_act_for_provider(&self, provider_id: i64) -> bool {
        self.role == Role::Aanbieder && self.provider_id == Some(provider_id)
    }

    /// A contract manager decides for its own region only; a beheerder for every region.
    pub fn may_decide_for_region(&self, region_id: i64) -> bool {
        match self.role {
            Role::Contractmanager => self.region_id == Some(region_id),
            Role::Beheerder => true,
            _ => false,
        }
    }

    /// The provider of a provider user, or 403.
    pub fn own_provider(&self) -> Result<i64, AppError> {
        match (self.role, self.provider_id) {
            (Role::Aanbieder, Some(id)) => Ok(id),
            _ => Err(AppError::Forbidden(
                "Deze pagina is alleen voor medewerkers van een aanbieder.".into(),
            )),
        }
    }
}

/// Reads the session cookie and checks it against the user's current token version.
/// `None` for no cookie, a forged or expired token, or a user that is gone or blocked.
pub async fn resolve(req: &HttpRequest) -> Result<Option<SessionUser>, AppError> {
    if let Some(super::context::Resolved(user)) = req.extensions().get::<super::context::Resolved>()
    {
        return Ok(user.clone());
    }
    let user = resolve_session(req).await?;
    req.extensions_mut()
        .insert(super::context::Resolved(user.clone()));
    Ok(user)
}

async fn resolve_session(req: &HttpRequest) -> Result<Option<SessionUser>, AppError> {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Ok(None);
    };
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    let Some(claims) = state.keys.verify(cookie.value()) else {
        return Ok(None);
    };
    let Ok(id) = claims.sub.parse::<i64>() else {
        return Ok(None);
    };
    let sid = claims.sid.clone();
    let user = state
        .db
        .run(move |conn| {
            if crate::accounts::session::is_revoked(conn, &sid)? {
                return Ok(None);
            }
            Ok(model::find(conn, id)?)
        })
        .await?;
    Ok(user
        .filter(|u| u.active && u.token_version == claims.ver && u.email_verified_at.is_some())
        .and_then(SessionUser::of))
}

type Guarded = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>>,
>;

/// Middleware for a scope that admits only these roles.
pub fn require(
    roles: &'static [Role],
) -> impl Fn(ServiceRequest, Next<BoxBody>) -> Guarded + Clone {
    move |req: ServiceRequest, next: Next<BoxBody>| {
        Box::pin(async move {
            // A failure to read the session (the database away) is answered here too, inside
            // the page context and the security headers, not returned as an error.
            let user = match resolve(req.request()).await {
                Ok(user) => user,
                Err(error) => {
                    let response = actix_web::ResponseError::error_response(&error);
                    return Ok(req.into_response(response));
                }
            };
            match user {
                None => {
                    let response = login_redirect(req.request());
                    Ok(req.into_response(response))
                }
                Some(user) if !roles.contains(&user.role) => {
                    let error = AppError::Forbidden(format!(
                        "U bent ingelogd als {}. Deze pagina is voor {}.",
                        user.role.label().to_lowercase(),
                        roles
                            .iter()
                            .map(|r| r.label().to_lowercase())
                            .collect::<Vec<_>>()
                            .join(" of ")
                    ));
                    // Answered here, inside the page context, so the page shows the user.
                    let response = actix_web::ResponseError::error_response(&error);
                    Ok(req.into_response(response))
                }
                Some(user) => {
                    req.extensions_mut().insert(user);
                    next.call(req).await
                }
            }
        })
    }
}

/// Anonymous visitors go to the login page, and come back here afterwards (for a GET).
fn login_redirect(req: &HttpRequest) -> HttpResponse {
    let back = if req.method() == Method::GET {
        let target = match req.query_string() {
            "" => req.path().to_owned(),
            q => format!("{}?{q}", req.path()),
        };
        format!(
            "/inloggen?terug={}",
            serde_urlencoded::to_string([("", target)])
                .unwrap_or_default()
                .trim_start_matches('=')
        )
    } else {
        "/inloggen".to_owned()
    };
    HttpResponse::build(StatusCode::SEE_OTHER)
        .insert_header((header::LOCATION, back))
        .finish()
}

impl FromRequest for SessionUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<SessionUser>()
                .cloned()
                .ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!(
                        "SessionUser asked for on a route without `auth::require`"
                    ))
                }),
        )
    }
}

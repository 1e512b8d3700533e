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

use super::{AppError, WebState};
use crate::accounts::model::{self, Role};
use crate::accounts::session::COOKIE;

pub use crate::domain::ids::{MunicipalityId, ProviderId, RegionId};
pub use crate::domain::principal::{Principal, RegionScope};

/// The signed-in user, as far as authorisation needs to know.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub principal: Principal,
    pub id: i64,
    pub name: String,
    pub email: String,
}

impl SessionUser {
    /// The user as a signed-in principal; `None` when the role's link is missing.
    pub fn of(u: crate::accounts::User) -> Option<SessionUser> {
        let principal = match u.role() {
            Role::Aanbieder => Principal::Aanbieder(ProviderId(u.provider_id?)),
            Role::Toegangsmedewerker => Principal::Toegang(MunicipalityId(u.municipality_id?)),
            Role::Beleidsmedewerker => Principal::Beleid(MunicipalityId(u.municipality_id?)),
            Role::Contractmanager => Principal::Contractmanager(RegionId(u.region_id?)),
            Role::Beheerder => Principal::Beheerder(u.region_id.map(RegionId)),
        };
        Some(SessionUser {
            principal,
            id: u.id,
            name: u.name,
            email: u.email,
        })
    }

    pub fn role(&self) -> Role {
        self.principal.role()
    }

    /// A provider user may act for its own provider only.
    pub fn may_act_for_provider(&self, provider_id: i64) -> bool {
        self.principal == Principal::Aanbieder(ProviderId(provider_id))
    }

    /// The regions this user reviews: a contract manager its own, a beheerder every one;
    /// `None` for the other roles.
    pub fn region_scope(&self) -> Option<RegionScope> {
        self.principal.region_scope()
    }

    /// A contract manager decides for its own region only; a beheerder for every region.
    pub fn may_decide_for_region(&self, region_id: i64) -> bool {
        self.region_scope()
            .is_some_and(|scope| scope.includes(region_id))
    }

    /// The provider of a provider user, or 403.
    pub fn own_provider(&self) -> Result<ProviderId, AppError> {
        match self.principal {
            Principal::Aanbieder(id) => Ok(id),
            _ => Err(AppError::Forbidden(
                "Deze pagina is alleen voor medewerkers van een aanbieder.".into(),
            )),
        }
    }

    /// The municipality of a toegangsmedewerker, or 403.
    pub fn own_municipality(&self) -> Result<MunicipalityId, AppError> {
        match self.principal {
            Principal::Toegang(id) => Ok(id),
            _ => Err(AppError::Forbidden(
                "Deze pagina is alleen voor toegangsmedewerkers van een gemeente.".into(),
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
    let (Some(state), Some(keys)) = (
        req.app_data::<web::Data<WebState>>(),
        req.app_data::<web::Data<crate::accounts::session::SessionKeys>>(),
    ) else {
        return Ok(None);
    };
    let Some(cookie) = req.cookie(COOKIE) else {
        return Ok(None);
    };
    let Some(claims) = keys.verify(cookie.value()) else {
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
                Some(user) if !roles.contains(&user.role()) => {
                    let error = AppError::Forbidden(format!(
                        "U bent ingelogd als {}. Deze pagina is alleen voor de rol {}.",
                        user.role().label().to_lowercase(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn user(
        role: Role,
        provider: Option<i64>,
        municipality: Option<i64>,
        region: Option<i64>,
    ) -> crate::accounts::User {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("moment");
        crate::accounts::User {
            id: 1,
            email: "a@b.nl".into(),
            name: "A".into(),
            password_hash: String::new(),
            role,
            provider_id: provider,
            municipality_id: municipality,
            region_id: region,
            email_verified_at: Some(at),
            token_version: 0,
            active: true,
            created_at: at,
            updated_at: at,
            last_sign_in_at: None,
        }
    }

    /// Each role gets its principal with its link, and the review scope follows from it: a
    /// contract manager its own region, a beheerder all, others none. A user without the link
    /// its role needs is no principal at all (never "all regions" by accident).
    #[test]
    fn principals_and_region_scopes_follow_the_role_and_its_link() {
        let of = |u| SessionUser::of(u).map(|s| (s.principal, s.region_scope()));
        assert_eq!(
            of(user(Role::Contractmanager, None, None, Some(7))),
            Some((
                Principal::Contractmanager(RegionId(7)),
                Some(RegionScope::Only(RegionId(7)))
            ))
        );
        assert_eq!(
            of(user(Role::Beheerder, None, None, None)),
            Some((Principal::Beheerder(None), Some(RegionScope::All)))
        );
        assert_eq!(
            of(user(Role::Beheerder, None, None, Some(7))),
            Some((
                Principal::Beheerder(Some(RegionId(7))),
                Some(RegionScope::Only(RegionId(7)))
            ))
        );
        assert_eq!(
            of(user(Role::Aanbieder, Some(3), None, None)),
            Some((Principal::Aanbieder(ProviderId(3)), None))
        );
        assert_eq!(
            of(user(Role::Toegangsmedewerker, None, Some(5), None)),
            Some((Principal::Toegang(MunicipalityId(5)), None))
        );
        assert_eq!(of(user(Role::Contractmanager, None, None, None)), None);
        assert_eq!(of(user(Role::Aanbieder, None, None, Some(7))), None);
        assert!(
            RegionScope::Only(RegionId(7)).includes(7)
                && !RegionScope::Only(RegionId(7)).includes(8)
        );
        assert_eq!(RegionScope::All.filter(), None);
    }
}

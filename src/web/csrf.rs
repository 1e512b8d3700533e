//! CSRF protection for every form. Each browser gets a random token in an HttpOnly,
//! SameSite=Strict cookie; every form carries the same token in a hidden field, and a POST is
//! accepted only when the two match (and, when the browser sends an Origin, it is our own).
//! A cross-site page can neither read the cookie nor set it, so it cannot forge the field.

use std::future::{Ready, ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use maud::{Markup, html};
use serde::de::DeserializeOwned;

use super::AppError;
use crate::accounts::secrets::{constant_time_eq, random_token};

pub const COOKIE: &str = "jhc_csrf";
pub const FIELD: &str = "csrf";
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The token of this browser, for the hidden field of a form.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

impl CsrfToken {
    pub fn field(&self) -> Markup {
        html! { input type="hidden" name=(FIELD) value=(self.0); }
    }
}

/// Makes sure every browser has a token, and hands it to the handlers.
pub async fn ensure_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let existing = req
        .cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let (token, fresh) = match existing {
        Some(token) => (token, false),
        None => (
            random_token().map_err(|e| actix_web::Error::from(AppError::Internal(e)))?,
            true,
        ),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    // Secure also behind a TLS front end, where the connection itself is plain HTTP.
    let secure = req.connection_info().scheme() == "https"
        || req
            .app_data::<web::Data<super::WebState>>()
            .is_some_and(|s| s.public_url.starts_with("https://"));
    let mut response = next.call(req).await?;
    if fresh {
        let cookie = Cookie::build(COOKIE, token)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}

impl FromRequest for CsrfToken {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CsrfToken>()
                .cloned()
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("CSRF middleware missing"))),
        )
    }
}

/// A form body of type `T`, accepted only with a matching CSRF token and our own origin.
/// Repeated fields (checkbox groups) deserialise into `Vec`s.
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CheckedForm<T> {
    type Error = AppError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            if !same_origin(&req) {
                return Err(AppError::Forbidden(FORGED.into()));
            }
            let too_large = || {
                AppError::InvalidInput(vec![super::FieldError::form("Het formulier is te groot.")])
            };
            let body = body.await.map_err(|_| too_large())?;
            if body.len() > MAX_FORM_BYTES {
                return Err(too_large());
            }
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).unwrap_or_default();
            let sent = pairs
                .iter()
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.as_str());
            let expected = req.cookie(COOKIE).map(|c| c.value().to_owned());
            match (sent, expected) {
                (Some(sent), Some(expected)) if constant_time_eq(sent, &expected) => {}
                _ => return Err(AppError::Forbidden(FORGED.into())),
            }
            let refused =
                super::input::control_errors(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            if !refused.is_empty() {
                return Err(AppError::InvalidInput(refused));
            }
            serde_html_form::from_bytes(&body)
                .map(CheckedForm)
                .map_err(|e| {
                    AppError::InvalidInput(vec![super::FieldError::form(format!(
                        "Het formulier is niet goed verstuurd ({e})."
                    ))])
                })
        })
    }
}

/// Checks a token sent with a form (also for multipart forms, which read it themselves).
pub fn verify(req: &HttpRequest, sent: Option<&str>) -> Result<(), AppError> {
    let expected = req.cookie(COOKIE).map(|c| c.value().to_owned());
    match (sent, expected) {
        (Some(sent), Some(expected)) if same_origin(req) && constant_time_eq(sent, &expected) => {
            Ok(())
        }
        _ => Err(AppError::Forbidden(FORGED.into())),
    }
}

const FORGED: &str = "Dit formulier is verlopen of komt niet van deze website. Laad de pagina opnieuw en probeer het nog eens.";

/// When the browser says where the form came from, it must be this site. `Origin: null`
/// (an opaque origin: a sandboxed frame, a `data:` or `file:` page, or a page served with
/// `Referrer-Policy: no-referrer`) is refused like any other foreign origin: it cannot be
/// told apart from a forged post. Our pages therefore never use `no-referrer`.
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req.headers().get("origin").and_then(|v| v.to_str().ok()) else {
        return true;
    };
    // Scheme, host and port: this site's public address, or exactly the address this request
    // was sent to (a site reached by another name, without PUBLIC_URL).
    let origin = origin.trim_end_matches('/');
    let info = req.connection_info();
    let addressed = format!("{}://{}", info.scheme(), info.host());
    let public = req
        .app_data::<web::Data<super::WebState>>()
        .map(|s| origin_of(&s.public_url));
    origin == addressed || public.is_some_and(|p| p == origin)
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

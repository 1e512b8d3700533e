//! The security headers of every response, error pages included. (Refusals are answered as
//! responses, not returned as errors, by the role gate and the input gate, so they pass here;
//! the request cannot be kept to turn an error into a page here, since routing needs it
//! unshared.)

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, web};

use super::WebState;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Paths whose pages need a login or show a secret (a one-time link, a family's code).
const PRIVATE_PREFIXES: [&str; 12] = [
    "/mijn-aanbod",
    "/mijn-werk",
    "/account",
    "/beheer",
    "/toegang",
    "/keuze",
    "/ervaring",
    "/meldingen",
    "/bevestigen",
    "/wachtwoord-herstellen",
    "/api/v1/mijn-aanbod",
    "/api/v1/trajectories",
];

/// Whether no cache may keep this response: the request is signed in (cookie or token) or
/// the path is private.
fn private(req: &HttpRequest) -> bool {
    req.cookie(crate::accounts::session::COOKIE).is_some()
        || req.headers().contains_key(header::AUTHORIZATION)
        || PRIVATE_PREFIXES
            .iter()
            .any(|p| req.path() == *p || req.path().starts_with(&format!("{p}/")))
}

pub async fn headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let https = req
        .app_data::<web::Data<WebState>>()
        .is_some_and(|s| s.https());
    let no_store = private(req.request());
    let mut response = next.call(req).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    if no_store {
        set(header::CACHE_CONTROL, "no-store");
    }
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    Ok(response)
}

//! Logging set-up and one structured log line per request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing::Instrument;

/// Installs the global subscriber: human-readable lines, or JSON when `json` is set.
/// Safe to call more than once (tests do); later calls change nothing.
pub fn init(filter: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Logs method, route, status and duration of every request, inside a span that carries
/// the same method and route for everything logged while the request runs.
///
/// The route is the pattern (`/keuze/{code}`), never the path: paths carry the family's
/// codes and the one-time links (`/bevestigen/{token}`), which must not end up in a log.
/// A path that matches no route is logged as `(onbekend)`.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    // The application's resource map knows the patterns before routing has happened.
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "(onbekend)".to_owned());
    let span = tracing::info_span!("request", %method, %route);
    let result = next.call(req).instrument(span.clone()).await;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match &result {
        Ok(res) => {
            tracing::info!(
                status = res.status().as_u16(),
                duration_ms,
                "request handled"
            )
        }
        Err(error) => tracing::warn!(%error, duration_ms, "request failed"),
    }
    result
}

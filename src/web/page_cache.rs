//! Whole public pages as sent, kept per address and day for visitors who are not signed in.
//! A public page shows only what the catalogue version covers (listings, published scores,
//! families' figures; reference data changes only with a release), so a kept page is sent
//! again while the version it was made under is the one the node knows
//! ([`crate::read_model::VersionWatch::known`]): a family's second look at a provider costs
//! a lookup, no database round trip and no rendering. Signed-in users (their name and
//! logout form are in the frame) and anything but a complete `200` are never kept.
//! Bounded in bytes: when full, pages of older versions go first, then a quarter of the rest.

use std::collections::HashMap;
use std::sync::RwLock;

use actix_web::HttpResponse;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, SET_COOKIE};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use chrono::NaiveDate;

use super::AppState;

/// Public pages and API lists that show only what the catalogue version covers. Exact
/// paths, and prefixes ending in `/`.
const PUBLIC: &[&str] = &[
    "/",
    "/catalogus",
    "/aanbieders/",
    "/vergelijk",
    "/profielen",
    "/profielen/",
    "/over",
    "/over-de-cijfers",
    "/api/v1/providers",
    "/api/v1/providers/",
    "/hsds/services",
    "/hsds/organizations",
];

/// A page larger than this is not kept (the full lists of the open data are streamed).
const MAX_PAGE_BYTES: usize = 512 * 1024;

struct Kept {
    version: i64,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

#[derive(Default)]
struct Entries {
    pages: HashMap<(String, NaiveDate), Kept>,
    bytes: usize,
}

pub struct PageCache {
    entries: RwLock<Entries>,
    max_bytes: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(32 * 1024 * 1024)
    }
}

impl PageCache {
    pub fn new(max_bytes: usize) -> Self {
        PageCache {
            entries: RwLock::default(),
            max_bytes,
        }
    }

    fn get(&self, key: &(String, NaiveDate), version: i64) -> Option<HttpResponse> {
        let entries = self.entries.read().ok()?;
        let kept = entries.pages.get(key).filter(|k| k.version == version)?;
        let mut response = HttpResponse::Ok();
        for header in &kept.headers {
            response.insert_header(header.clone());
        }
        Some(response.body(kept.body.clone()))
    }

    fn put(&self, key: (String, NaiveDate), kept: Kept) {
        let size = |key: &(String, NaiveDate), kept: &Kept| key.0.len() + kept.body.len() + 128;
        let added = size(&key, &kept);
        if added > self.max_bytes {
            return;
        }
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.bytes + added > self.max_bytes {
            let version = kept.version;
            entries.pages.retain(|_, k| k.version == version);
            entries.bytes = entries.pages.iter().map(|(key, k)| size(key, k)).sum();
            // Still full: a quarter of the pages go, in the map's (arbitrary) order.
            let mut excess = (entries.bytes + added).saturating_sub(self.max_bytes / 4 * 3);
            if excess > 0 {
                entries.pages.retain(|key, k| {
                    if excess == 0 {
                        return true;
                    }
                    excess = excess.saturating_sub(size(key, k));
                    false
                });
                entries.bytes = entries.pages.iter().map(|(key, k)| size(key, k)).sum();
            }
        }
        if let Some(old) = entries.pages.insert(key.clone(), kept) {
            entries.bytes -= size(&key, &old);
        }
        entries.bytes += added;
    }

    /// The bytes kept now.
    pub fn bytes(&self) -> usize {
        self.entries.read().map_or(0, |e| e.bytes)
    }
}

fn is_public(path: &str) -> bool {
    PUBLIC.iter().any(|p| {
        if let Some(prefix) = p.strip_suffix('/').filter(|p| !p.is_empty()) {
            path.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| !rest.is_empty())
        } else {
            path == *p
        }
    })
}

/// Sends a kept page when there is one for this version, and keeps what the handler made.
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let anonymous = req.cookie(crate::accounts::session::COOKIE).is_none();
    let (Some(state), true, true) = (
        state,
        anonymous && req.method() == Method::GET,
        is_public(req.path()),
    ) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = (
        req.uri()
            .path_and_query()
            .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned()),
        crate::clock::today(),
    );
    // The version as of before the page is made: what the handler reads is at least as
    // new, so a page is never kept under a version newer than what it shows. Read here when
    // the node's copy is out of date (at most once per poll interval, or after a write).
    let version = match state.catalogue.version.known() {
        Some(version) => Some(version),
        None => {
            let catalogue = state.catalogue.clone();
            Some(
                state
                    .db
                    .read(move |conn| Ok(catalogue.version.read(conn)?))
                    .await?,
            )
        }
    };
    if let Some(version) = version
        && let Some(response) = state.pages.get(&key, version)
    {
        return Ok(req.into_response(response));
    }
    let response = next.call(req).await?;
    let keep = version.is_some()
        && response.status() == StatusCode::OK
        && !response.headers().contains_key(SET_COOKIE)
        && matches!(response.response().body().size(), BodySize::Sized(n) if n <= MAX_PAGE_BYTES as u64);
    let (Some(version), true) = (version, keep) else {
        return Ok(response.map_into_boxed_body());
    };
    let (req, response) = response.map_into_boxed_body().into_parts();
    let (head, body) = response.into_parts();
    let body = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| super::AppError::Internal(anyhow::anyhow!("page body: {e}")))?;
    let headers: Vec<_> = head
        .headers()
        .iter()
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    state.pages.put(
        key,
        Kept {
            version,
            headers,
            body: body.clone(),
        },
    );
    let response = head.set_body(BoxBody::new(body));
    Ok(ServiceResponse::new(req, response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_pages_are_kept() {
        for path in [
            "/",
            "/catalogus",
            "/aanbieders/de-brug",
            "/vergelijk",
            "/profielen/3",
            "/api/v1/providers/de-brug/scores",
            "/hsds/services",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/aanbieders/",
            "/aanbieders",
            "/mijn-werk",
            "/catalogus/x",
            "/hsds/services/1",
            "/toegang/hulpvragen",
            "/account",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }

    #[test]
    fn the_cache_stays_within_its_bytes() {
        let cache = PageCache::new(10_000);
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        let page = |version| Kept {
            version,
            headers: Vec::new(),
            body: Bytes::from(vec![b'x'; 3_000]),
        };
        for n in 0..10 {
            cache.put((format!("/aanbieders/{n}"), day), page(1));
            assert!(cache.bytes() <= 10_000, "{}", cache.bytes());
        }
        assert!(cache.get(&("/aanbieders/9".into(), day), 1).is_some());
        assert!(cache.get(&("/aanbieders/9".into(), day), 2).is_none());
        // A newer version: when full, the older version's pages go first.
        for n in ["x", "y", "z"] {
            cache.put((format!("/aanbieders/{n}"), day), page(2));
        }
        assert!(cache.get(&("/aanbieders/9".into(), day), 1).is_none());
        for n in ["x", "y", "z"] {
            assert!(
                cache.get(&(format!("/aanbieders/{n}"), day), 2).is_some(),
                "{n}"
            );
        }
        // Larger than the whole cache: not kept.
        cache.put(
            ("/groot".into(), day),
            Kept {
                version: 2,
                headers: Vec::new(),
                body: Bytes::from(vec![b'x'; 20_000]),
            },
        );
        assert!(cache.bytes() <= 10_000);
    }
}

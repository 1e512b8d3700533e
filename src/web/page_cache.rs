//! Whole public pages as sent, kept per address and day for visitors who are not signed in.
//! A public page shows only what the catalogue version covers (listings, published scores,
//! families' figures; reference data changes only with a release), so a kept page is sent
//! again while the version it was made under is the one the node knows
//! ([`crate::read_model::VersionWatch::known`]): a family's second look at a provider costs
//! a lookup, no database round trip and no rendering. Signed-in users (their name and
//! logout form are in the frame) and anything but a complete `200` are never kept.
//! Kept gzip-compressed (a fifth to a tenth of the page) and sent so to browsers, which all
//! accept it; anyone else gets it unpacked. Bounded in bytes ([`Versioned`]).

use std::io::{Read, Write};
use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, HeaderName, HeaderValue, SET_COOKIE, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use chrono::NaiveDate;

use super::WebState;
use super::flight::{Flight, Flights};
use crate::i18n::Lang;
use crate::read_model::{Lookup, VersionWatch, Versioned, Weigh};

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
    "/toegankelijkheid",
    "/api/v1/providers",
    "/api/v1/providers/",
    "/hsds/services",
    "/hsds/organizations",
];

/// What a kept page depends on besides its address: the compression, and on a family
/// page its language (the `taal` cookie, the browser's languages).
const VARIES: &str = "accept-encoding, accept-language, cookie";

/// A page larger than this is not kept (the full lists of the open data are streamed).
const MAX_PAGE_BYTES: usize = 512 * 1024;

struct Page {
    headers: Vec<(HeaderName, HeaderValue)>,
    gzip: Bytes,
}

impl Weigh for Page {
    fn weigh(&self) -> usize {
        // The address counts as the key's weight; a flat allowance covers the headers.
        self.gzip.len() + 64 * self.headers.len() + 256
    }
}

/// A kept page's address, day and language (a family page is kept once per language).
type Key = (String, NaiveDate, Lang);

pub struct PageCache {
    pages: Versioned<Key, Page>,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(32 * 1024 * 1024)
    }
}

fn gzip(body: &[u8]) -> std::io::Result<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    encoder.write_all(body)?;
    Ok(encoder.finish()?.into())
}

fn gunzip(body: &[u8]) -> std::io::Result<Bytes> {
    let mut plain = Vec::with_capacity(body.len() * 6);
    flate2::read::GzDecoder::new(body).read_to_end(&mut plain)?;
    Ok(plain.into())
}

/// Whether the request's `Accept-Encoding` allows gzip: its own q-value when listed
/// (`gzip` or `x-gzip`), else that of `*`; absent or `q=0`, no.
fn accepts_gzip(header: Option<&HeaderValue>) -> bool {
    let Some(value) = header.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let (mut gzip, mut any) = (None, None);
    for coding in value.split(',') {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let quality = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
        if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            gzip = Some(quality);
        } else if name == "*" {
            any = Some(quality);
        }
    }
    gzip.or(any).is_some_and(|q| q > 0.0)
}

/// Addresses longer than this are answered but not kept: the address counts in the cache's
/// bytes, and a visitor could otherwise fill it with long query strings.
const MAX_KEPT_ADDRESS: usize = 2048;

/// The kept pages and the catalogue version they are kept under (the version is the
/// catalogue's own watch, shared with its caches).
pub struct PublicPages {
    pub pages: PageCache,
    version: Arc<VersionWatch>,
    /// The misses being made now, by address, day, language and version.
    flights: Flights<(Key, i64)>,
    /// How many misses are made at once: as many as the node has cores. A burst of misses
    /// (after a start or a publication, every page of a rotation) then waits its turn
    /// instead of taking the CPU from the kept pages sent meanwhile, which stay quick.
    making: tokio::sync::Semaphore,
}

impl PublicPages {
    pub fn new(version: Arc<VersionWatch>) -> Self {
        PublicPages {
            pages: PageCache::default(),
            version,
            flights: Flights::default(),
            making: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            ),
        }
    }
}

impl PageCache {
    pub fn new(max_bytes: usize) -> Self {
        PageCache {
            pages: Versioned::new(max_bytes),
        }
    }

    /// The page's headers with `body`: the kept gzip bytes when `gzip`, else the page plain.
    fn response(page: &Page, body: Bytes, gzip: bool) -> HttpResponse {
        let mut response = HttpResponse::Ok();
        for header in &page.headers {
            response.insert_header(header.clone());
        }
        response.insert_header((VARY, HeaderValue::from_static(VARIES)));
        if gzip {
            response.insert_header((CONTENT_ENCODING, HeaderValue::from_static("gzip")));
        }
        response.body(body)
    }

    fn get(&self, key: &Key, version: i64, gzip: bool) -> Option<HttpResponse> {
        let page = self.pages.get(version, key)?;
        let body = if gzip {
            page.gzip.clone()
        } else {
            gunzip(&page.gzip).ok()?
        };
        Some(PageCache::response(&page, body, gzip))
    }

    /// The page kept for `key` under a version older than `version` and not older than
    /// `floor`, if any.
    fn older(&self, key: &Key, (floor, version): (i64, i64)) -> Option<Arc<Page>> {
        let (kept, page) = self.pages.get_any(key)?;
        (kept < version && kept >= floor).then_some(page)
    }

    /// A kept page as sent: its gzip bytes when `gzip`, else unpacked.
    fn send(page: &Page, gzip: bool) -> Option<HttpResponse> {
        let body = if gzip {
            page.gzip.clone()
        } else {
            gunzip(&page.gzip).ok()?
        };
        Some(PageCache::response(page, body, gzip))
    }

    /// Forgets the page kept for `key`: its newest version could not be kept (a provider
    /// withdrawn since answers 404), so an older one must not stand in for it.
    fn forget(&self, key: &Key) {
        self.pages.remove(key);
    }

    fn put(&self, key: Key, version: i64, page: Arc<Page>) {
        self.pages.put(version, key, page);
    }

    /// The bytes kept now (estimated: the compressed pages and an allowance each).
    pub fn bytes(&self) -> u64 {
        self.pages.bytes()
    }
}

fn is_public(path: &str) -> bool {
    // A form (with its visitor's CSRF token) under a public address is never kept.
    super::language::listed(PUBLIC, path) && !path.ends_with("/melden")
}

/// How long a request waits for its turn to read the version, and a task for its read.
const VERSION_READ_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

async fn read_version(state: &PublicPages, shared: &WebState) -> Result<i64, actix_web::Error> {
    let watch = Arc::clone(&state.version);
    Ok(shared.db.read(move |conn| Ok(watch.read(conn)?)).await?)
}

/// Sends a kept page when there is one for this version, and keeps what the handler made.
pub async fn serve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<PublicPages>>().cloned();
    let shared = req.app_data::<web::Data<WebState>>().cloned();
    let anonymous = req.cookie(crate::accounts::session::COOKIE).is_none();
    let (Some(state), Some(shared), true, true) = (
        state,
        shared,
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
        super::language::resolve(req.request()),
    );
    // The version as of before the page is made: what the handler reads is at least as
    // new, so a page is never kept under a version newer than what it shows. A version that
    // only aged (past the poll interval) is read again by a task while every request uses
    // the one known; one that must be new (after a write of this node, or before the first
    // read) is read by one request at a time, and those queued behind it use what it read.
    let version = match state.version.lookup() {
        Lookup::Known(version) => version,
        Lookup::Refresh(version, claim) => {
            // Read outside the request: no visitor waits for the database while the page
            // is kept (a read that stalls only delays when another node's change shows).
            // A read that hangs gives the claim up after a while, so that a later request
            // has it read again.
            let (state, shared) = (state.clone(), shared.clone());
            actix_web::rt::spawn(async move {
                match actix_web::rt::time::timeout(VERSION_READ_WAIT, read_version(&state, &shared))
                    .await
                {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => tracing::warn!(%error, "reading the catalogue version"),
                    Err(_) => tracing::warn!("reading the catalogue version takes long"),
                }
                drop(claim);
            });
            version
        }
        Lookup::Read(writes) => {
            // Waited for at most a while: behind a read that hangs, each reads on its own.
            let _turn = actix_web::rt::time::timeout(VERSION_READ_WAIT, state.version.turn())
                .await
                .ok()
                .flatten();
            match state.version.known_after(writes) {
                Some(version) => version,
                None => read_version(&state, &shared).await?,
            }
        }
    };
    let gzip_ok = accepts_gzip(req.headers().get(ACCEPT_ENCODING));
    if let Some(response) = state.pages.get(&key, version, gzip_ok) {
        return Ok(req.into_response(response));
    }
    // Another node's change (a publication) makes every kept page old at once. Then no
    // visitor queues for a page that was kept a moment ago: it is made when a core is free
    // at the moment it is asked for, and until then the page as it was is sent. Never a
    // page from before this node's own last write (the floor): that change shows at once.
    let older = state
        .pages
        .older(&key, (state.version.floor(), version))
        .and_then(|page| PageCache::send(&page, gzip_ok));
    // A miss is made once: the others asking for it meanwhile wait and take the kept page.
    let flight_key = (key, version);
    let _leader = match state.flights.join(&flight_key) {
        Flight::Lead(leader) => Some(leader),
        Flight::Follow(landing) => {
            if let Some(response) = older {
                return Ok(req.into_response(response));
            }
            landing.wait().await;
            if let Some(response) = state.pages.get(&flight_key.0, version, gzip_ok) {
                return Ok(req.into_response(response));
            }
            None
        }
    };
    let (key, _) = flight_key.clone();
    let _turn = match older {
        Some(response) => match state.making.try_acquire() {
            Ok(permit) => Some(permit),
            // Busy: the page as it was (leaving the flight lets a later request make it).
            Err(_) => return Ok(req.into_response(response)),
        },
        // Never closed: an error here would only mean making the page without waiting.
        None => state.making.acquire().await.ok(),
    };
    let response = match next.call(req).await {
        Ok(response) => response,
        Err(error) => {
            state.pages.forget(&key);
            return Err(error);
        }
    };
    let keep = key.0.len() <= MAX_KEPT_ADDRESS
        && response.status() == StatusCode::OK
        && !response.headers().contains_key(SET_COOKIE)
        // A page that says so (a form with its visitor's CSRF token) is never kept.
        && !response
            .headers()
            .get(actix_web::http::header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store"))
        && matches!(response.response().body().size(), BodySize::Sized(n) if n <= MAX_PAGE_BYTES as u64);
    if !keep {
        state.pages.forget(&key);
        return Ok(response.map_into_boxed_body());
    }
    let (req, response) = response.map_into_boxed_body().into_parts();
    let (head, body) = response.into_parts();
    let body = match actix_web::body::to_bytes(body).await {
        Ok(body) => body,
        Err(e) => {
            state.pages.forget(&key);
            return Err(super::AppError::Internal(anyhow::anyhow!("page body: {e}")).into());
        }
    };
    let headers: Vec<_> = head
        .headers()
        .iter()
        .filter(|(name, _)| *name != CONTENT_ENCODING && *name != VARY)
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let Ok(compressed) = gzip(&body) else {
        state.pages.forget(&key);
        let response = head.set_body(BoxBody::new(body));
        return Ok(ServiceResponse::new(req, response));
    };
    let page = Arc::new(Page {
        headers,
        gzip: compressed,
    });
    state.pages.put(key, version, Arc::clone(&page));
    // Sent as kept when the browser takes gzip (the outer compression leaves an encoded
    // body alone); else the page as made.
    let body = if gzip_ok { page.gzip.clone() } else { body };
    Ok(ServiceResponse::new(
        req,
        PageCache::response(&page, body, gzip_ok),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// While a page is made for a new version, the one of an older version may be sent; a
    /// page is never "older" than its own version.
    #[test]
    fn an_older_page_is_offered_only_for_a_newer_version() {
        let cache = PageCache::new(1 << 20);
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day");
        let key = ("/catalogus".to_owned(), day, Lang::Nl);
        let page = Page {
            headers: Vec::new(),
            gzip: gzip(b"de pagina van versie 1").expect("gzip"),
        };
        cache.put(key.clone(), 1, Arc::new(page));
        assert!(cache.get(&key, 2, true).is_none(), "not current");
        let older = cache.older(&key, (1, 2)).expect("the page of version 1");
        let plain = PageCache::send(&older, false).expect("unpacked");
        assert!(plain.headers().get(CONTENT_ENCODING).is_none());
        assert!(plain.headers().get(VARY).is_some());
        let packed = PageCache::send(&older, true).expect("as kept");
        assert_eq!(
            packed
                .headers()
                .get(CONTENT_ENCODING)
                .map(HeaderValue::as_bytes),
            Some(&b"gzip"[..])
        );
        assert!(
            cache.older(&key, (2, 2)).is_none(),
            "before this node's write"
        );
        assert!(
            cache.older(&key, (i64::MAX, 2)).is_none(),
            "nothing may stand in"
        );
        assert!(cache.older(&key, (1, 1)).is_none(), "current, not older");
        assert!(cache.older(&key, (0, 0)).is_none(), "newer, not older");
        let other = ("/catalogus?profiel=3".to_owned(), day, Lang::Nl);
        assert!(cache.older(&other, (0, 2)).is_none(), "never kept");
        // A newer page is never replaced by an older one; a page that could not be kept
        // leaves nothing to stand in.
        let old = Page {
            headers: Vec::new(),
            gzip: gzip(b"de pagina van versie 0").expect("gzip"),
        };
        cache.put(key.clone(), 0, Arc::new(old));
        assert!(cache.get(&key, 1, true).is_some(), "version 1 stays");
        cache.forget(&key);
        assert!(cache.older(&key, (1, 2)).is_none());
    }

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
            "/aanbieders/de-brug/melden",
            "/hsds/services/1",
            "/toegang/hulpvragen",
            "/account",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }

    fn page(bytes: usize) -> Arc<Page> {
        // Not compressible, like an already small page: what is kept is what is weighed.
        let mut rng = fastrand::Rng::with_seed(7);
        let body: Vec<u8> = (0..bytes).map(|_| rng.u8(..)).collect();
        Arc::new(Page {
            headers: Vec::new(),
            gzip: Bytes::from(body),
        })
    }

    #[test]
    fn the_cache_stays_within_its_bytes() {
        let cache = PageCache::new(800_000);
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        for n in 0..100 {
            cache.put((format!("/aanbieders/{n}"), day, Lang::Nl), 1, page(30_000));
            assert!(cache.bytes() <= 800_000, "{}", cache.bytes());
        }
        assert!(cache.bytes() > 400_000, "{}", cache.bytes());
        cache.put(("/aanbieders/x".into(), day, Lang::Nl), 1, page(3_000));
        assert!(
            cache
                .get(&("/aanbieders/x".into(), day, Lang::Nl), 1, true)
                .is_some()
        );
        // Kept under another version: not this page any more.
        assert!(
            cache
                .get(&("/aanbieders/x".into(), day, Lang::Nl), 2, true)
                .is_none()
        );
        // Larger than a shard's share of the whole: not kept.
        cache.put(("/groot".into(), day, Lang::Nl), 1, page(200_000));
        assert!(
            cache
                .get(&("/groot".into(), day, Lang::Nl), 1, true)
                .is_none()
        );
        assert!(cache.bytes() <= 800_000);
    }

    #[actix_web::test]
    async fn a_kept_page_is_sent_compressed_only_to_who_takes_gzip() {
        let html = "<p>Jeugdhulp in de buurt</p>".repeat(200);
        let kept = Page {
            headers: vec![(
                actix_web::http::header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            gzip: gzip(html.as_bytes()).expect("gzip"),
        };
        assert!(kept.gzip.len() * 10 < html.len(), "{}", kept.gzip.len());
        let cache = PageCache::new(1_000_000);
        let key = ("/aanbieders/de-linde".to_owned(), NaiveDate::MIN, Lang::Nl);
        cache.put(key.clone(), 1, Arc::new(kept));
        for (takes_gzip, encoding) in [(true, Some("gzip")), (false, None)] {
            let response = cache.get(&key, 1, takes_gzip).expect("kept");
            let headers = response.headers().clone();
            assert_eq!(
                headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()),
                encoding
            );
            assert_eq!(
                headers.get(VARY).and_then(|v| v.to_str().ok()),
                Some(VARIES)
            );
            let body = actix_web::body::to_bytes(response.into_body())
                .await
                .expect("body");
            let plain = if takes_gzip {
                gunzip(&body).expect("gunzip")
            } else {
                body
            };
            assert_eq!(plain, html.as_bytes());
        }
    }

    #[test]
    fn gzip_is_taken_as_browsers_and_clients_say_it() {
        let takes = |v: &'static str| accepts_gzip(Some(&HeaderValue::from_static(v)));
        assert!(takes("gzip, deflate, br, zstd"));
        assert!(takes("br;q=1.0, gzip;q=0.8"));
        assert!(takes("*"));
        assert!(takes("GZIP"));
        assert!(!takes("br"));
        assert!(!takes("identity"));
        assert!(!takes("gzip;q=0"));
        assert!(!takes("gzip; q=0.0, br"));
        assert!(!takes("gzip;Q=0"));
        assert!(!takes("gzip;q=0, *"));
        assert!(takes("x-gzip"));
        assert!(!takes("*;q=0"));
        assert!(takes("br, *;q=0.1"));
        assert!(!accepts_gzip(None));
    }
}

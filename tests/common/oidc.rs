//! OpenID Connect providers on loopback for the sign-in tests.
//!
//! - [`MockProvider`]: `oidc-provider-mock` from PyPI, a real provider (authlib) in its own
//!   process; its login page is a form that posts the `sub`.
//! - [`ForgingProvider`]: a small provider of our own that answers the token request with an
//!   ID token forged in one chosen way (another nonce, issuer or audience, expired,
//!   `alg: none`, another key), to prove each is refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Browser, TestApp, spawn_with};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `oidc-provider-mock`: from `OIDC_PROVIDER_MOCK`, `target/oidc/bin/` (where `.ci/run`
/// installs it) or the `PATH`.
pub fn mock_binary() -> Result<std::path::PathBuf, String> {
    if let Ok(path) = std::env::var("OIDC_PROVIDER_MOCK")
        && !path.is_empty()
    {
        return Ok(path.into());
    }
    let local =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oidc/bin/oidc-provider-mock");
    if local.is_file() {
        return Ok(local);
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("oidc-provider-mock"))
                .find(|p| p.is_file())
        })
        .ok_or_else(|| {
            "oidc-provider-mock not found: pip install oidc-provider-mock, or run .ci/run".into()
        })
}

pub struct MockProvider {
    pub url: String,
    child: Child,
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl MockProvider {
    /// Starts the provider on a free port, requiring a nonce, and waits until it answers.
    pub async fn start(binary: &std::path::Path) -> MockProvider {
        let port = free_port();
        let child = Command::new(binary)
            .args(["-p", &port.to_string(), "--require-nonce", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oidc-provider-mock starts");
        let provider = MockProvider {
            url: format!("http://127.0.0.1:{port}"),
            child,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("{}/.well-known/openid-configuration", provider.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return provider;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "oidc-provider-mock did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Adds or replaces a person with these claims (`PUT /users/{sub}`).
    pub async fn put_user(&self, sub: &str, claims: serde_json::Value) {
        let response = reqwest::Client::new()
            .put(format!("{}/users/{sub}", self.url))
            .json(&claims)
            .send()
            .await
            .expect("PUT /users");
        assert!(response.status().is_success(), "{}", response.status());
    }
}

/// Status, Location and body of a GET to a full URL in this browser.
pub async fn get_url(browser: &Browser, url: &str) -> (u16, String, String) {
    let response = browser.client.get(url).send().await.expect("request sent");
    super::answer(response).await
}

/// Starts a sign-in (`/inloggen/organisatie` or `/inloggen/eherkenning`): the provider's
/// authorization URL the portal sends the browser to.
pub async fn start(browser: &Browser, path: &str) -> String {
    let (status, location, body) = browser.post(path, &[("terug", "")]).await;
    assert_eq!(status, 303, "{path}: {body}");
    location
}

/// At `oidc-provider-mock`'s login page: posts the `sub` as its form does. Returns the
/// callback URL (on the portal) the provider redirects to.
pub async fn log_in_at_mock(browser: &Browser, authorize_url: &str, sub: &str) -> String {
    let response = browser
        .client
        .post(authorize_url)
        .form(&[("sub", sub)])
        .send()
        .await
        .expect("login at the provider");
    assert!(
        response.status().is_redirection(),
        "provider answered {}",
        response.status()
    );
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("redirect back")
        .to_owned()
}

/// A whole sign-in at the mock: start, log in as `sub`, come back. Status, Location, body of
/// the portal's answer to the way back.
pub async fn sign_in(browser: &Browser, path: &str, sub: &str) -> (u16, String, String) {
    let authorize = start(browser, path).await;
    let back = log_in_at_mock(browser, &authorize, sub).await;
    get_url(browser, &back).await
}

/// How the forging provider's ID token is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    /// A valid token: the control that shows the provider itself works.
    Nothing,
    Nonce,
    Issuer,
    Audience,
    Expired,
    AlgNone,
    /// Signed by another key under the provider's key id.
    OtherKey,
    /// Not a forgery: the provider rotated its keys, signs with a new one (`k2`) and
    /// publishes both.
    Rotated,
}

struct Shared {
    forgery: Forgery,
    /// The nonce and redirect of the last authorization request.
    nonce: String,
    redirect: String,
    claims: serde_json::Value,
}

pub struct ForgingProvider {
    pub url: String,
    shared: Arc<Mutex<Shared>>,
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/oidc")
            .join(name),
    )
    .expect("test key")
}

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

impl ForgingProvider {
    /// Starts the provider; the client id it expects is `portaal`.
    pub fn start(forgery: Forgery, claims: serde_json::Value) -> ForgingProvider {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!(
            "http://127.0.0.1:{}",
            listener.local_addr().expect("addr").port()
        );
        let shared = Arc::new(Mutex::new(Shared {
            forgery,
            nonce: String::new(),
            redirect: String::new(),
            claims,
        }));
        let (base, state) = (url.clone(), shared.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (base, state) = (base.clone(), state.clone());
                std::thread::spawn(move || serve(stream, &base, &state));
            }
        });
        ForgingProvider { url, shared }
    }

    pub fn set(&self, forgery: Forgery) {
        self.shared.lock().expect("lock").forgery = forgery;
    }
}

fn id_token(base: &str, shared: &Shared) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut claims = serde_json::json!({
        "iss": base, "aud": "portaal", "iat": now, "exp": now + 300, "nonce": shared.nonce,
    });
    if let (Some(all), Some(extra)) = (claims.as_object_mut(), shared.claims.as_object()) {
        all.extend(extra.clone());
    }
    match shared.forgery {
        Forgery::Nonce => claims["nonce"] = "een-andere-nonce".into(),
        Forgery::Issuer => claims["iss"] = "http://127.0.0.1:1".into(),
        Forgery::Audience => claims["aud"] = "een-ander-portaal".into(),
        Forgery::Expired => {
            claims["iat"] = (now - 7200).into();
            claims["exp"] = (now - 3600).into();
        }
        _ => {}
    }
    if shared.forgery == Forgery::AlgNone {
        let header = b64(br#"{"alg":"none","typ":"JWT"}"#);
        return format!("{header}.{}.", b64(claims.to_string().as_bytes()));
    }
    let key = if matches!(shared.forgery, Forgery::OtherKey | Forgery::Rotated) {
        "other-key.der"
    } else {
        "signing-key.der"
    };
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(
        if shared.forgery == Forgery::Rotated {
            "k2"
        } else {
            "k1"
        }
        .into(),
    );
    let key = jsonwebtoken::EncodingKey::from_rsa_der(&data(key));
    jsonwebtoken::encode(&header, &claims, &key).expect("signed")
}

fn respond(stream: &mut TcpStream, status: &str, headers: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn serve(mut stream: TcpStream, base: &str, shared: &Mutex<Shared>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let json = "Content-Type: application/json\r\n";
    match path {
        "/.well-known/openid-configuration" => {
            let document = serde_json::json!({
                "issuer": base,
                "authorization_endpoint": format!("{base}/authorize"),
                "token_endpoint": format!("{base}/token"),
                "jwks_uri": format!("{base}/jwks"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            });
            respond(&mut stream, "200 OK", json, &document.to_string());
        }
        "/jwks" => {
            let rotated = shared.lock().expect("lock").forgery == Forgery::Rotated;
            let file = if rotated {
                "jwks-rotated.json"
            } else {
                "jwks.json"
            };
            let jwks = String::from_utf8(data(file)).expect("utf-8");
            respond(&mut stream, "200 OK", json, &jwks);
        }
        "/authorize" => {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(query).expect("authorization request");
            let get = |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let mut state = shared.lock().expect("lock");
            state.nonce = get("nonce");
            state.redirect = get("redirect_uri");
            let back = format!(
                "{}?code=de-code&state={}",
                state.redirect,
                percent_encoding::utf8_percent_encode(
                    &get("state"),
                    percent_encoding::NON_ALPHANUMERIC
                )
            );
            respond(
                &mut stream,
                "302 Found",
                &format!("Location: {back}\r\n"),
                "",
            );
        }
        "/token" => {
            let token = id_token(base, &shared.lock().expect("lock"));
            let answer = serde_json::json!({
                "access_token": "toegang", "token_type": "Bearer", "expires_in": 300,
                "id_token": token,
            });
            respond(&mut stream, "200 OK", json, &answer.to_string());
        }
        _ => respond(&mut stream, "404 Not Found", "", ""),
    }
}

/// The provider's binary for a trial; else how the trial ends: ignored with the reason, or
/// failed where `JHC_OIDC_TESTS=required` (as `.ci/run` sets it).
pub fn binary_for_trial()
-> Result<std::path::PathBuf, Result<libtest_mimic::Completion, libtest_mimic::Failed>> {
    mock_binary().map_err(|reason| {
        if std::env::var("JHC_OIDC_TESTS").is_ok_and(|v| v == "required") {
            Err(reason.into())
        } else {
            Ok(libtest_mimic::Completion::ignored_with(reason))
        }
    })
}

/// A test against `oidc-provider-mock`: given the provider's binary.
pub type MockTest =
    fn(std::path::PathBuf) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// A test of a `harness = false` binary: ignored, with the reason, where the provider is
/// not installed; failed there where `JHC_OIDC_TESTS=required` (as `.ci/run` sets it).
pub fn trial(name: &'static str, test: MockTest) -> libtest_mimic::Trial {
    libtest_mimic::Trial::ignorable_test(name, move || {
        let binary = match binary_for_trial() {
            Ok(binary) => binary,
            Err(end) => return end,
        };
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("runtime: {e}"))?
            .block_on(test(binary));
        Ok(libtest_mimic::Completion::Completed)
    })
}

/// Runs these async test functions (each taking the provider's binary) as trials.
#[macro_export]
macro_rules! mock_trials {
    ($($name:ident),* $(,)?) => {
        vec![$($crate::common::oidc::trial(stringify!($name), |b| Box::pin($name(b)))),*]
    };
}

pub async fn portal(provider: &MockProvider, required_role: Option<&str>) -> TestApp {
    let url = provider.url.clone();
    let role = required_role.map(str::to_owned);
    spawn_with(move |config| {
        config.oidc_issuer_url = Some(url.clone());
        config.oidc_client_id = Some("jeugdhulpcatalogus".into());
        config.oidc_client_secret = Some("geheim".into());
        config.oidc_required_role = role;
        config.eherkenning_issuer_url = Some(url);
        config.eherkenning_client_id = Some("jeugdhulpcatalogus-eh".into());
        config.eherkenning_client_secret = Some("ook-geheim".into());
    })
    .await
}

pub fn signed_in(browser: &Browser) -> bool {
    browser.cookie("jhc_sessie").is_some()
}

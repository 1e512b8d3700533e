//! One OpenID Connect provider as the portal uses it: its discovery document and keys (kept,
//! and fetched again when a token names a key the portal does not know), the authorization
//! URL with PKCE, `state` and `nonce`, and the code exchange. Every check of the ID token
//! (signature and algorithm, issuer, audience, expiry, nonce) is done by `openidconnect`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessToken, AdditionalClaims, AuthenticationContextClass, AuthorizationCode,
    ClaimsVerificationError, Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, SignatureVerificationError, StandardErrorResponse, StandardTokenResponse,
    TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

/// Every claim beyond the standard ones (roles, eHerkenning's `urn:etoegang:…` claims), as
/// the provider sent them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extra {
    #[serde(flatten)]
    pub claims: Map<String, Value>,
}

impl AdditionalClaims for Extra {}

type Fields = IdTokenFields<
    Extra,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type OidcClient = Client<
    Extra,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in failed. The reason is for the log: a fixed phrase, never a token, a code or
/// the library's message (which can quote the claims it refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The provider could not be reached or answered nonsense.
    Unavailable(&'static str),
    /// The answer did not pass a check: the sign-in is refused.
    Refused(&'static str),
}

impl Failure {
    pub fn reason(self) -> &'static str {
        match self {
            Failure::Unavailable(reason) | Failure::Refused(reason) => reason,
        }
    }
}

/// What the provider says about the person, after every check.
#[derive(Debug, Clone)]
pub struct Person {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    /// The `acr` of the ID token, if any.
    pub acr: Option<String>,
    /// Every other claim, from the ID token and, where it has it, the userinfo endpoint.
    pub claims: Map<String, Value>,
}

/// The settings of one provider.
#[derive(Debug, Clone)]
pub struct Settings {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// How long discovery and keys are kept before they are fetched again.
const KEEP: Duration = Duration::from_secs(60 * 60);

pub struct Provider {
    settings: Settings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    kept: Mutex<Option<(Instant, Arc<ProviderMetadataWithLogout>)>>,
}

impl Provider {
    pub fn new(settings: Settings, redirect: String) -> anyhow::Result<Provider> {
        // Exactly as configured: discovery compares it with the document's issuer, and
        // some issuers end in a slash (Entra ID v1, Auth0).
        let issuer = IssuerUrl::new(settings.issuer_url.clone())?;
        let redirect = RedirectUrl::new(redirect)?;
        // No redirects: a provider's endpoints answer directly (and a redirect could point
        // the portal at an internal address).
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Provider {
            settings,
            issuer,
            redirect,
            http,
            kept: Mutex::new(None),
        })
    }

    /// The issuer as configured (what the discovery document and every ID token must say).
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The discovery document with the keys: the kept one, or fetched when it is older
    /// than [`KEEP`] or `refresh` asks for it. (A refresh comes only from a token the
    /// provider's own token endpoint sent with an unknown key id: a rotation, not a forgery
    /// from a browser, so it is not limited.)
    async fn metadata(&self, refresh: bool) -> Result<Arc<ProviderMetadataWithLogout>, Failure> {
        let mut kept = self.kept.lock().await;
        if let Some((at, metadata)) = kept.as_ref()
            && at.elapsed() < KEEP
            && !refresh
        {
            return Ok(Arc::clone(metadata));
        }
        let metadata = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|_| Failure::Unavailable("discovery or keys could not be fetched"))?;
        let metadata = Arc::new(metadata);
        *kept = Some((Instant::now(), Arc::clone(&metadata)));
        Ok(metadata)
    }

    fn client(&self, metadata: &ProviderMetadataWithLogout) -> OidcClient {
        OidcClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Where to send the browser: the provider's authorization endpoint with the code flow,
    /// PKCE (S256), and this attempt's `state` and `nonce`.
    pub async fn authorize_url(
        &self,
        state: &str,
        nonce: &str,
        verifier: &str,
        scopes: &[&str],
        level: Option<String>,
    ) -> Result<String, Failure> {
        let metadata = self.metadata(false).await?;
        let challenge =
            PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.into()));
        let (state, nonce) = (state.to_owned(), nonce.to_owned());
        let client = self.client(&metadata);
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || CsrfToken::new(state),
                move || Nonce::new(nonce),
            )
            .set_pkce_challenge(challenge);
        for scope in scopes {
            request = request.add_scope(Scope::new((*scope).to_owned()));
        }
        if let Some(level) = level {
            request = request.add_auth_context_value(AuthenticationContextClass::new(level));
        }
        let (url, _, _) = request.url();
        Ok(url.to_string())
    }

    /// Exchanges the code (with the PKCE verifier) and checks the ID token against this
    /// attempt's nonce; then adds what the userinfo endpoint says, where there is one.
    pub async fn finish(&self, code: &str, nonce: &str, verifier: &str) -> Result<Person, Failure> {
        let metadata = self.metadata(false).await?;
        let client = self.client(&metadata);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| Failure::Unavailable("the provider has no token endpoint"))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|_| Failure::Refused("the code was not exchanged"))?;
        let id_token = tokens
            .id_token()
            .ok_or(Failure::Refused("no ID token in the answer"))?;
        let nonce = Nonce::new(nonce.to_owned());
        let first = id_token
            .claims(&client.id_token_verifier(), &nonce)
            .cloned();
        let (claims, client) = match first {
            Ok(claims) => (claims, client),
            // A key id the kept keys do not have: the provider may have rotated its keys.
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                let metadata = self.metadata(true).await?;
                let client = self.client(&metadata);
                let claims = id_token
                    .claims(&client.id_token_verifier(), &nonce)
                    .cloned()
                    .map_err(|error| Failure::Refused(refusal(&error)))?;
                (claims, client)
            }
            Err(other) => return Err(Failure::Refused(refusal(&other))),
        };
        let mut person = Person {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            acr: claims.auth_context_ref().map(|a| a.to_string()),
            claims: claims.additional_claims().claims.clone(),
        };
        if let Ok(request) = client.user_info(
            AccessToken::new(
                openidconnect::OAuth2TokenResponse::access_token(&tokens)
                    .secret()
                    .clone(),
            ),
            Some(claims.subject().clone()),
        ) {
            let info: UserInfoClaims<Extra, CoreGenderClaim> = request
                .request_async(&self.http)
                .await
                .map_err(|_| Failure::Unavailable("the userinfo endpoint failed"))?;
            add_user_info(&mut person, &info);
        }
        Ok(person)
    }

    /// The provider's end-session address that brings the browser back to `back`, where the
    /// provider offers one.
    /// Only the kept discovery document is read: signing out never waits for the provider.
    pub async fn end_session_url(&self, back: &str) -> Option<String> {
        let metadata = self
            .kept
            .lock()
            .await
            .as_ref()
            .map(|(_, m)| Arc::clone(m))?;
        let endpoint = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let back = PostLogoutRedirectUrl::new(back.to_owned()).ok()?;
        Some(
            openidconnect::LogoutRequest::from(endpoint)
                .set_client_id(ClientId::new(self.settings.client_id.clone()))
                .set_post_logout_redirect_uri(back)
                .http_get_url()
                .to_string(),
        )
    }
}

/// The ID token speaks first; the userinfo endpoint fills in what it left out.
fn add_user_info(person: &mut Person, info: &UserInfoClaims<Extra, CoreGenderClaim>) {
    if person.email.is_none() {
        person.email = info.email().map(|e| e.to_string());
        person.email_verified = info.email_verified().unwrap_or(false);
    }
    if person.name.is_none() {
        person.name = info.name().and_then(|n| n.get(None)).map(|n| n.to_string());
    }
    for (key, value) in &info.additional_claims().claims {
        person
            .claims
            .entry(key.clone())
            .or_insert_with(|| value.clone());
    }
}

/// The log's phrase for a refused ID token.
fn refusal(error: &ClaimsVerificationError) -> &'static str {
    match error {
        ClaimsVerificationError::Expired(_) => "the ID token has expired",
        ClaimsVerificationError::InvalidAudience(_) => "the ID token is for another audience",
        ClaimsVerificationError::InvalidIssuer(_) => "the ID token is from another issuer",
        ClaimsVerificationError::InvalidNonce(_) => "the ID token has another nonce",
        ClaimsVerificationError::SignatureVerification(_) => "the ID token's signature failed",
        _ => "the ID token was refused",
    }
}

//! Sessions: a signed JWT (HS256) in an HttpOnly, SameSite=Lax cookie, with an expiry and the
//! user's token version, so that a password change or "log out everywhere" ends every session.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const COOKIE: &str = "jhc_sessie";
/// A session lasts a working day; after that the user logs in again.
pub const LIFETIME_SECONDS: i64 = 10 * 60 * 60;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The user's token version when the session began.
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
    /// This session's own id: logging out revokes it (see `revoked_sessions`).
    #[serde(default)]
    pub sid: String,
    /// How the person signed in: empty for a password, else the sign-in's kind
    /// (`organisatie`, `eherkenning`), so that signing out can end the provider's session too.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub via: String,
}

#[derive(Clone)]
pub struct SessionKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Set the Secure flag: the site is served over HTTPS.
    pub secure_cookies: bool,
}

impl SessionKeys {
    pub fn new(secret: &str, secure_cookies: bool) -> Self {
        SessionKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            secure_cookies,
        }
    }

    pub fn issue(&self, user_id: i64, token_version: i32) -> anyhow::Result<String> {
        self.issue_via(user_id, token_version, "")
    }

    /// A session that began at a provider (`via` is the sign-in's kind).
    pub fn issue_via(&self, user_id: i64, token_version: i32, via: &str) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            ver: token_version,
            iat: now,
            exp: now + LIFETIME_SECONDS,
            sid: crate::accounts::secrets::random_token()?[..32].to_owned(),
            via: via.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid, unexpired token signed with our key and algorithm; else `None`.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.leeway = 0;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
            // A session without its own id cannot be ended by logging out: not accepted.
            .filter(|claims| !claims.sid.is_empty())
    }

    pub fn cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build(COOKIE, token)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .max_age(CookieDuration::seconds(LIFETIME_SECONDS))
            .finish()
    }

    pub fn removal_cookie(&self) -> Cookie<'static> {
        let mut cookie = Cookie::build(COOKIE, "")
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure_cookies)
            .finish();
        cookie.make_removal();
        cookie
    }
}

/// Ends one session for good: its id is refused until the token would have expired anyway.
pub fn revoke(conn: &mut crate::db::DbConnection, claims: &Claims) -> diesel::QueryResult<()> {
    use crate::db::schema::revoked_sessions;
    use diesel::prelude::*;
    let now = crate::clock::now();
    // Rows of sessions that expired anyway go in the daily purge (`jobs::purge`).
    let expires = chrono::DateTime::from_timestamp(claims.exp, 0)
        .map_or(now, |t| t.naive_utc())
        .max(now);
    let already: i64 = revoked_sessions::table
        .find(&claims.sid)
        .count()
        .get_result(conn)?;
    if already == 0 {
        diesel::insert_into(revoked_sessions::table)
            .values((
                revoked_sessions::sid.eq(&claims.sid),
                revoked_sessions::expires_at.eq(expires),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether the session was ended by logging out.
pub fn is_revoked(conn: &mut crate::db::DbConnection, sid: &str) -> diesel::QueryResult<bool> {
    use crate::db::schema::revoked_sessions;
    use diesel::prelude::*;
    let found: i64 = revoked_sessions::table.find(sid).count().get_result(conn)?;
    Ok(found > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_round_trips_and_forgeries_fail() {
        let keys = SessionKeys::new("a secret of at least thirty-two characters", false);
        let token = keys.issue(42, 3).expect("token");
        let claims = keys.verify(&token).expect("valid");
        assert_eq!((claims.sub.as_str(), claims.ver), ("42", 3));

        let other = SessionKeys::new("another secret of thirty-two characters!", false);
        assert!(other.verify(&token).is_none(), "signed with another key");
        assert!(keys.verify("not.a.token").is_none());

        // Tampered payload: same header and signature, another user id.
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], parts[1].replace('A', "B"), parts[2]);
        if forged != token {
            assert!(keys.verify(&forged).is_none());
        }

        // "alg": "none" is refused.
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", parts[1]);
        assert!(keys.verify(&none).is_none());

        // Expired.
        let past = Claims {
            sub: "42".into(),
            ver: 3,
            iat: 1,
            exp: 2,
            sid: "s".into(),
            via: String::new(),
        };
        let expired = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &past, &keys.encoding)
            .expect("encode");
        assert!(keys.verify(&expired).is_none());
    }
}

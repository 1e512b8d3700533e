//! A sign-in that went to a provider and has not come back yet. The browser carries the
//! `state` (in the provider's redirect and in a cookie of its own); the database keeps only
//! its hash. The nonce and the PKCE verifier are derived from the state with a key of the
//! portal's own, so no secret of the attempt is stored. Coming back deletes the row: a
//! `state`, and so a `code`, works once.

use chrono::TimeDelta;
use diesel::prelude::*;
use hmac::{Hmac, Mac};

use crate::accounts::secrets::{self, token_hash};
use crate::db::DbConnection;
use crate::db::schema::sign_in_attempts;

/// How long a person may take at the provider.
pub const LIFETIME: TimeDelta = TimeDelta::minutes(15);

/// Which sign-in: staff with their organisation's account, or a provider with eHerkenning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organisation,
    Eherkenning,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Organisation => "organisatie",
            Kind::Eherkenning => "eherkenning",
        }
    }
}

/// Derives an attempt's nonce and verifier, and signs the eHerkenning registration cookie.
#[derive(Clone)]
pub struct AttemptKey(std::sync::Arc<[u8]>);

impl AttemptKey {
    pub fn new(secret: &str) -> Self {
        AttemptKey(
            mac(
                secret.as_bytes(),
                b"jeugdhulpcatalogus organisation sign-in v1",
            )
            .to_vec()
            .into(),
        )
    }

    /// 64 hex digits of HMAC-SHA256 over `purpose` and `value`.
    pub fn derive(&self, purpose: &str, value: &str) -> String {
        secrets::hex(&mac(&self.0, format!("{purpose}:{value}").as_bytes()))
    }
}

fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The values one attempt sends to the provider.
pub struct Attempt {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

impl Attempt {
    fn of(key: &AttemptKey, state: String) -> Attempt {
        Attempt {
            nonce: key.derive("nonce", &state),
            // 64 hex digits: a valid PKCE verifier (43 to 128 unreserved characters).
            verifier: key.derive("pkce", &state),
            state,
        }
    }
}

/// Starts an attempt: a new random state, stored as its hash.
pub fn start(
    conn: &mut DbConnection,
    key: &AttemptKey,
    kind: Kind,
    return_to: &str,
) -> anyhow::Result<Attempt> {
    let state = secrets::random_token()?;
    diesel::insert_into(sign_in_attempts::table)
        .values((
            sign_in_attempts::state_hash.eq(token_hash(&state)),
            sign_in_attempts::kind.eq(kind.code()),
            sign_in_attempts::return_to.eq(return_to),
            sign_in_attempts::created_at.eq(crate::clock::now()),
        ))
        .execute(conn)?;
    Ok(Attempt::of(key, state))
}

/// Ends the attempt with this state, once: the attempt and where to go afterwards, or `None`
/// when there is no such attempt of this kind (changed, used before, or too old).
pub fn finish(
    conn: &mut DbConnection,
    key: &AttemptKey,
    kind: Kind,
    state: &str,
) -> QueryResult<Option<(Attempt, String)>> {
    let hash = token_hash(state);
    let found: Option<(String, String, chrono::NaiveDateTime)> = sign_in_attempts::table
        .find(&hash)
        .select((
            sign_in_attempts::kind,
            sign_in_attempts::return_to,
            sign_in_attempts::created_at,
        ))
        .first(conn)
        .optional()?;
    let Some((stored_kind, return_to, created_at)) = found else {
        return Ok(None);
    };
    // Deleted whatever follows: two requests with the same state cannot both take it.
    let deleted = diesel::delete(sign_in_attempts::table.find(&hash)).execute(conn)?;
    let fresh = crate::clock::now() - created_at <= LIFETIME;
    Ok((deleted == 1 && stored_kind == kind.code() && fresh)
        .then(|| (Attempt::of(key, state.to_owned()), return_to)))
}

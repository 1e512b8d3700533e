//! Random tokens, their hashes, and the site's signing key.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::schema::app_settings;

/// 32 random bytes from the operating system, as 64 hex digits: unguessable.
pub fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex(&bytes))
}

/// The SHA-256 of a token, as stored: a leaked table gives no usable links or API tokens.
/// (The tokens are random and long, so a fast hash is enough.)
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA256 of a message under a key.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

const SECRET_SETTING: &str = "session_secret";

/// The key that signs sessions and family links: from `SECRET_KEY` when given, otherwise
/// made once and kept in the database, so restarts and every node share it.
pub fn signing_key(conn: &mut DbConnection, configured: Option<&str>) -> anyhow::Result<String> {
    if let Some(key) = configured.filter(|k| !k.is_empty()) {
        anyhow::ensure!(key.len() >= 32, "SECRET_KEY must be at least 32 characters");
        return Ok(key.to_owned());
    }
    fn stored(conn: &mut DbConnection) -> QueryResult<Option<String>> {
        app_settings::table
            .filter(app_settings::key.eq(SECRET_SETTING))
            .select(app_settings::value)
            .first(conn)
            .optional()
    }
    if let Some(key) = stored(conn)? {
        return Ok(key);
    }
    let fresh = random_token()?;
    // Two nodes starting at once: the first insert wins and both read it back.
    let _ = diesel::insert_into(app_settings::table)
        .values((
            app_settings::key.eq(SECRET_SETTING),
            app_settings::value.eq(&fresh),
        ))
        .execute(conn);
    Ok(stored(conn)?.unwrap_or(fresh))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed_to_hex() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}

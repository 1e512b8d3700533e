//! Passwords: argon2id with the OWASP parameters (m = 19456 KiB, t = 2, p = 1, argon2's
//! defaults), a minimum length, and a check against passwords that are guessed first.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 200;

/// Among the most used passwords of leaked lists, and obvious variations for this site.
const COMMON: &str = include_str!("common-passwords.txt");

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Argon2 takes tens of milliseconds of CPU: never while holding a pooled connection
/// (checked in debug builds, so every test that hashes inside `Database::run` fails).
fn not_holding_a_connection() {
    debug_assert!(
        !crate::db::holding_connection(),
        "argon2 must run before or after Database::run, not inside it"
    );
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    not_holding_a_connection();
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Whether the password matches the stored hash. A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    not_holding_a_connection();
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The password of [`dummy_hash`]: public in the source, so nothing may sign in with it
/// (an invited account, which has no password, is checked against it for the timing only).
pub const DUMMY_PASSWORD: &str = "dummy password that never matches";

/// A hash of a password nobody has, so that a login for an unknown address takes as long as
/// one for a known address.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(DUMMY_PASSWORD).unwrap_or_default())
}

/// What is wrong with a new password, in plain Dutch, or `None` when it is good enough.
pub fn problem(password: &str, email: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Some(format!(
            "Kies een wachtwoord van minstens {MIN_LENGTH} tekens. Een zin van een paar woorden is makkelijk te onthouden."
        ));
    }
    if length > MAX_LENGTH {
        return Some(format!(
            "Kies een wachtwoord van hoogstens {MAX_LENGTH} tekens."
        ));
    }
    let lower = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or("").to_lowercase();
    if is_common(&lower)
        || (local_part.len() >= 4 && lower.contains(&local_part))
        || lower.chars().all(|c| lower.starts_with(c))
    {
        return Some(
            "Dit wachtwoord is te makkelijk te raden. Kies een ander wachtwoord, bijvoorbeeld een zin van een paar woorden."
                .into(),
        );
    }
    None
}

fn is_common(lower: &str) -> bool {
    let trimmed = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == '!');
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|common| common == lower || common == trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13, item 23: argon2 inside a connection's closure is caught (debug builds).
    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "argon2 must run before or after Database::run")]
    fn hashing_while_holding_a_connection_is_caught() {
        let db = crate::db::Db::connect_lazily(
            "sqlite://:memory:",
            1,
            std::time::Duration::from_secs(5),
        )
        .expect("pool");
        let _ = db.with_connection(|_| {
            let _ = hash("een wachtwoord dat niet telt");
            Ok::<_, crate::db::PoolError>(())
        });
    }

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let stored = hash("een lange zin als wachtwoord").expect("hash");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("een lange zin als wachtwoord", &stored));
        assert!(!verify("een lange zin als wachtwoorD", &stored));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        for (password, refused) in [
            ("kort", true),
            ("elf tekens!", true),
            ("wachtwoord123", true),
            ("password1234", true),
            ("jeugdhulpcatalogus", true),
            ("aaaaaaaaaaaaaaa", true),
            ("j.jansen-2026!", true),
            ("paard batterij nietje", false),
            ("Zeven kleine geitjes", false),
        ] {
            assert_eq!(
                problem(password, "j.jansen@example.nl").is_some(),
                refused,
                "{password}"
            );
        }
    }
}

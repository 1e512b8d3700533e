//! Private codes for families: the choice link and the questionnaire link. A code is 20
//! random characters (100 bits) from an alphabet without look-alikes, written in groups of
//! five so it can be read out over the phone. Only its SHA-256 is stored, with an expiry;
//! a code cannot be guessed, and a leaked table gives no usable links.

use crate::accounts::secrets::token_hash;

/// Digits and letters without i, l, o and u (Crockford's base 32).
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const LENGTH: usize = 20;

/// The key family links are derived with: the portal's secret key. Its `Debug` prints
/// nothing, so it cannot end up in a log line.
#[derive(Clone)]
pub struct LinkKey(std::sync::Arc<[u8]>);

impl LinkKey {
    /// A key of its own for family links, derived from the portal's secret key, so that a
    /// link never doubles as a session signature or the other way round.
    pub fn new(secret: &str) -> Self {
        let key = hmac_sha256(secret.as_bytes(), b"jeugdhulpcatalogus family links v1");
        LinkKey(key.to_vec().into())
    }

    /// The family link of a hulpvraag with this nonce: HMAC-SHA256 over both, written in the
    /// code alphabet. The database keeps only the nonce and the code's hash, so the code can
    /// be shown again to the worker. With `SECRET_KEY` set, a copy of the database alone gives
    /// no usable link; without it the generated key is kept in the database as well, and such
    /// a copy is as sensitive as the portal itself.
    pub fn family_code(&self, hulpvraag_id: i64, nonce: &str) -> String {
        let digest = hmac_sha256(
            &self.0,
            format!("family-link:{hulpvraag_id}:{nonce}").as_bytes(),
        );
        let mut bytes = [0u8; LENGTH];
        bytes.copy_from_slice(&digest[..LENGTH]);
        write_code(&bytes)
    }
}

use crate::accounts::secrets::hmac_sha256;

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

/// A fresh code, e.g. `k3m9x-7hq2d-p4wzr-b8c1n`.
pub fn generate() -> anyhow::Result<String> {
    let mut bytes = [0u8; LENGTH];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(write_code(&bytes))
}

fn write_code(bytes: &[u8; LENGTH]) -> String {
    let mut out = String::with_capacity(LENGTH + 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[usize::from(b & 31)] as char);
    }
    out
}

/// The code as typed or read out: case, spaces and dashes do not matter, and the letters
/// people confuse with digits count as those digits. `None` when it cannot be a code.
pub fn normalise(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LENGTH + 3);
    let mut count = 0;
    for c in typed.chars() {
        let c = match c.to_ascii_lowercase() {
            // Also the invisible direction marks a code copied out of an Arabic mail or page
            // carries (U+2066–U+2069 isolates, U+200E/U+200F marks).
            ' ' | '-' | '.' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => continue,
            'o' => '0',
            'i' | 'l' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        if count > 0 && count % 5 == 0 {
            out.push('-');
        }
        out.push(c);
        count += 1;
        if count > LENGTH {
            return None;
        }
    }
    (count == LENGTH).then_some(out)
}

/// What is stored of a code.
pub fn hash(code: &str) -> Option<String> {
    normalise(code).map(|c| token_hash(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_code_normalises_to_itself() {
        for _ in 0..50 {
            let code = generate().expect("code");
            assert_eq!(code.len(), 23);
            assert_eq!(normalise(&code).as_deref(), Some(code.as_str()));
            // Copied out of an Arabic mail, with the isolates around it.
            let copied = format!("\u{2068}{code}\u{2069}\u{200f}");
            assert_eq!(normalise(&copied).as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn a_family_code_depends_on_key_hulpvraag_and_nonce() {
        let key = LinkKey::new("a test key that is at least thirty-two characters long");
        let code = key.family_code(7, "nonce-a");
        assert_eq!(normalise(&code).as_deref(), Some(code.as_str()));
        assert_eq!(code, key.family_code(7, "nonce-a"), "the same code again");
        assert_ne!(code, key.family_code(8, "nonce-a"));
        assert_ne!(code, key.family_code(7, "nonce-b"));
        let other = LinkKey::new("another key that is at least thirty-two characters");
        assert_ne!(code, other.family_code(7, "nonce-a"));
        assert_eq!(format!("{key:?}"), "LinkKey(..)");
    }

    #[test]
    fn read_out_codes_are_forgiving_but_exact_in_length() {
        let code = "k3m90-7hq2d-p4wzr-b8c1n";
        assert_eq!(
            normalise("K3M9O 7HQ2D P4WZR B8CLN").as_deref(),
            Some(code),
            "case, spaces, O for 0 and L for 1 do not matter"
        );
        assert_eq!(normalise("k3m90-7hq2d-p4wzr-b8c1"), None);
        assert_eq!(normalise("k3m90-7hq2d-p4wzr-b8c1nn"), None);
        assert_eq!(
            normalise("k3m90-7hq2d-p4wzr-b8c1u"),
            None,
            "u is not in the alphabet"
        );
        assert_eq!(normalise("../../etc/passwd"), None);
        assert_eq!(hash(code), hash("K3M90-7HQ2D-P4WZR-B8C1N"));
        assert_ne!(hash(code), hash("k3m90-7hq2d-p4wzr-b8c1m"));
    }
}

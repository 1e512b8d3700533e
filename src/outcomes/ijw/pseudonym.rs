//! The client's identity at the door: the BSN becomes a keyed hash, the birth date an age
//! band, and neither goes further than this module.
//!
//! The key of each region is derived (HMAC-SHA256) from the portal's pseudonym key
//! (`PSEUDONYM_KEY`, or else a `SECRET_KEY` from the environment; never a secret the database
//! keeps, except in the demo) and the region's slug. It is computed in memory
//! when needed and never stored, shown or sent. The same BSN gives the same pseudonym at every
//! provider of a region, so a return within twelve months counts as terugval, while the
//! pseudonyms of two regions cannot be linked, and nobody who holds the database can test a
//! BSN against it.

use chrono::{Datelike, NaiveDate};

use super::message::{BirthDate, Bsn};
use crate::accounts::secrets::{hex, hmac_sha256};
use crate::domain::values::AgeBand;
use crate::outcomes::records::IJW_CLIENT_PREFIX;

/// The portal's pseudonym key.
#[derive(Clone)]
pub struct PseudonymKey(std::sync::Arc<[u8; 32]>);

impl PseudonymKey {
    /// Derived from a secret that is not kept in the database (see [`key_of`]).
    pub fn new(secret: &str) -> PseudonymKey {
        PseudonymKey(std::sync::Arc::new(hmac_sha256(
            secret.as_bytes(),
            b"jeugdhulpcatalogus client pseudonyms v1",
        )))
    }

    /// The key of one region.
    pub fn region(&self, region_slug: &str) -> RegionKey {
        RegionKey(hmac_sha256(
            &self.0[..],
            format!("region:{region_slug}").as_bytes(),
        ))
    }
}

/// The key pseudonyms are made with: `PSEUDONYM_KEY`, else a `SECRET_KEY` from the
/// environment, else in the demo the stored secret. Never a secret kept in the database
/// outside the demo: whoever holds a copy of the database could then try every BSN.
pub fn key_of(
    pseudonym_key: Option<&str>,
    secret_key: Option<&str>,
    demo_secret: Option<&str>,
) -> Option<PseudonymKey> {
    [pseudonym_key, secret_key, demo_secret]
        .into_iter()
        .flatten()
        .find(|k| !k.is_empty())
        .map(PseudonymKey::new)
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(…)")
    }
}

/// One region's key.
pub struct RegionKey([u8; 32]);

impl RegionKey {
    /// The client key of a BSN in this region: `ijw-` and 32 hex digits (128 bits).
    pub fn client_key(&self, bsn: &Bsn) -> String {
        let digest = hmac_sha256(&self.0, bsn.digits().as_bytes());
        format!("{IJW_CLIENT_PREFIX}{}", &hex(&digest)[..32])
    }
}

/// Whether the text is a BSN as iJw writes it: nine digits that pass the elfproef.
pub fn valid_bsn(bsn: &Bsn) -> bool {
    let digits: Vec<u32> = bsn
        .digits()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    bsn.digits().len() == 9 && crate::domain::values::elfproef(&digits)
}

/// The client's age group on the day care started; none for someone not yet born or older
/// than 23 (no youth care).
pub fn age_band(birth: &BirthDate, on: NaiveDate) -> Option<AgeBand> {
    let born = birth.0;
    if born > on {
        return None;
    }
    let mut age = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        age -= 1;
    }
    match age {
        0..=3 => Some(AgeBand::Toddler),
        4..=11 => Some(AgeBand::Child),
        12..=17 => Some(AgeBand::Teenager),
        18..=23 => Some(AgeBand::YoungAdult),
        _ => None,
    }
}

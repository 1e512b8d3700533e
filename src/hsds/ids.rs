//! Stable HSDS ids: UUID v5 from the portal's own namespace and the internal key of what the
//! object is made of, so the same provider or offer has the same id in every export, on
//! every node and after a re-import (as long as its key stays).

use uuid::Uuid;

/// The portal's namespace, drawn once at random. Never change it: every published id
/// follows from it.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6a1c_2f0e_5b6d_5a8e_9c31_7d4e_0b2a_91f3);

fn id(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes())
}

pub fn organization(provider_id: i64) -> Uuid {
    id("organization", &provider_id.to_string())
}

pub fn identifier(provider_id: i64, scheme: &str) -> Uuid {
    id(
        "organization_identifier",
        &format!("{provider_id}:{scheme}"),
    )
}

pub fn phone(provider_id: i64) -> Uuid {
    id("phone", &provider_id.to_string())
}

/// The provider's address: one location per provider.
pub fn location(provider_id: i64) -> Uuid {
    id("location", &provider_id.to_string())
}

pub fn address(provider_id: i64) -> Uuid {
    id("address", &provider_id.to_string())
}

/// An offer: one service per provider × region × profile × intensity.
pub fn service(offer_id: i64) -> Uuid {
    id("service", &offer_id.to_string())
}

/// The offer at the provider's address.
pub fn service_at_location(offer_id: i64) -> Uuid {
    id("service_at_location", &offer_id.to_string())
}

pub fn service_area(offer_id: i64, municipality_id: i64) -> Uuid {
    id("service_area", &format!("{offer_id}:{municipality_id}"))
}

pub fn language(offer_id: i64, code: &str) -> Uuid {
    id("language", &format!("{offer_id}:{code}"))
}

pub fn taxonomy(code: &str) -> Uuid {
    id("taxonomy", code)
}

pub fn taxonomy_term(taxonomy: &str, code: &str) -> Uuid {
    id("taxonomy_term", &format!("{taxonomy}:{code}"))
}

/// A term attached to a service (or an organization): one attribute per link and term.
pub fn attribute(link: Uuid, term: Uuid) -> Uuid {
    id("attribute", &format!("{link}:{term}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids are fixed: a change of the namespace or of a key's spelling would give every
    /// consumer new ids, so the test pins one of each kind's inputs.
    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(organization(1), organization(1));
        assert_ne!(organization(1), organization(2));
        assert_ne!(organization(1), location(1));
        assert_ne!(service(1), service_at_location(1));
        assert_eq!(organization(1).get_version_num(), 5);
        assert_eq!(
            service(42).to_string(),
            Uuid::new_v5(&NAMESPACE, b"service:42").to_string()
        );
        assert_eq!(
            NAMESPACE.to_string(),
            "6a1c2f0e-5b6d-5a8e-9c31-7d4e0b2a91f3"
        );
    }
}

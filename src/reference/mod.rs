//! Reference data: regions with their procurement method, municipalities, cliëntprofielen,
//! intensiteiten and tariffs. Each region has its own profiles, intensities and tariffs:
//! they are data, not code. Public pages explain the profiles and show the tariffs.

mod admin;
pub mod cache;
pub mod model;
pub mod municipalities;
mod pages;
pub mod regions;
pub mod routes;
pub mod seed;
pub mod tariffs;

pub use cache::ReferenceCache;
pub use model::{Intensity, Municipality, Profile, ReferenceData, Region};

/// A reference text as families read it: without what the municipality pays ("Betaald per
/// 4 weken."), which is for providers and contract managers.
pub fn family_text(description: &str) -> String {
    description
        .split_inclusive(". ")
        .filter(|sentence| !sentence.trim_start().starts_with("Betaald per"))
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn family_text_leaves_out_payment() {
        assert_eq!(
            super::family_text("Steun die lang nodig blijft. Betaald per 4 weken."),
            "Steun die lang nodig blijft."
        );
        assert_eq!(super::family_text("Snelle hulp."), "Snelle hulp.");
    }
}

//! Reference data: regions with their procurement method, municipalities, cliëntprofielen,
//! intensiteiten and tariffs. Each region has its own profiles, intensities and tariffs:
//! they are data, not code. Public pages explain the profiles and show the tariffs.

pub mod cache;
pub mod model;
mod pages;
pub mod routes;
pub mod seed;

pub use cache::ReferenceCache;
pub use model::{Intensity, Municipality, Profile, ReferenceData, Region};

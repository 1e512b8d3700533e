//! Open Referral's Human Services Data Specification (HSDS 3.0) under `/hsds/`: the
//! published catalogue, read-only, for the municipalities' other systems (wijkteam software,
//! the sociale kaart, national directories). A provider is an `organization`, an offer (region
//! × profile × intensity) a `service`, the provider's address a `location`; profiles,
//! intensities, settings, the wait and the published outcomes are taxonomy terms attached as
//! `attributes`. Only what the public provider page shows, and no unpublished number.

pub mod ids;
pub mod mapping;
pub mod model;
mod params;
pub mod queries;
pub mod routes;
pub mod taxonomy;

pub use routes::routes;

//! The public catalogue: the start page, search with filters per profile, municipality and
//! intensity, the provider page, and the same data as JSON (API v1).
//!
//! Lists are never ordered by anything a provider can influence: the default order is
//! shuffled per day, the alternative is alphabetical.

pub mod api;
pub mod cache;
pub mod compare;
pub mod model;
mod pages;
pub mod routes;
pub mod search;

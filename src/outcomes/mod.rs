//! Outcomes: trajectory data in, indicators out. `indicators` holds the arithmetic; the
//! upload, the score reports and their publication build on it.

pub mod indicators;
pub mod records;
pub mod routes;
pub mod store;

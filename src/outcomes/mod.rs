//! Outcomes: trajectory data in, indicators out. `indicators` holds the arithmetic; the
//! upload, the score reports and their publication build on it.

pub mod compute;
mod dashboard;
pub mod experience;
pub mod fair;
pub mod funnel;
mod funnel_plot;
pub mod indicators;
mod quarter;
mod recompute;
pub mod records;
pub mod report_routes;
pub mod reports;
pub mod routes;
pub mod store;
pub mod views;
pub mod waiting;

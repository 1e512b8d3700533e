//! Outcomes: trajectory data in, indicators out. `indicators` holds the arithmetic; the
//! upload, the score reports and their publication build on it.

pub mod compute;
mod dashboard;
pub mod experience;
pub mod fair;
pub mod funnel;
mod funnel_inputs;
mod funnel_plot;
pub mod history;
pub mod ijw;
pub mod indicators;
mod kader;
pub(crate) mod optional_columns;
mod quarter;
mod recompute;
pub mod records;
pub mod report_routes;
pub mod reports;
pub mod routes;
mod score_set;
mod settling;
pub mod store;
mod tally;
pub mod views;
pub mod waiting;

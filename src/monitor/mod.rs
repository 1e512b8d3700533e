//! The municipal monitor (`/monitor`): what a region's municipalities need to steer, from the
//! data already in the portal. Per municipality or region and per quarter, with the last
//! eight quarters as a trend: use (in care, starts, endings by profile, intensity and
//! setting), endings by reason and their duration, the gedwongen and verlengde shares, and
//! access (time to start against its norm, declines, whether the family chose).
//!
//! `figures` defines every figure on rows (pure); `store` loads a region's rows, computes
//! its monitor when marked (`read_model::monitor_changed`) or when the day moved on, and
//! stores it in `monitor_figures`, which the page and the export read; `scope` is the one
//! rule of who reads which municipality or region.

pub mod chart;
pub mod cost;
pub mod cost_pages;
pub mod figures;
pub mod pages;
pub mod public;
pub mod public_routes;
pub mod routes;
pub mod scope;
pub mod store;
pub mod view;

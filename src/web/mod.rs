//! The thin shared web layer: the application's error type and its HTTP mapping, the page
//! layout and small view components, static assets, request logging and text helpers.

pub mod assets;
pub mod components;
mod error;
pub mod layout;
pub mod logging;
pub mod query;
pub mod text;

pub use error::{ApiError, AppError, FieldError};
pub use layout::{Page, SiteInfo};

/// What every handler can reach: the database and facts about the site.
pub struct AppState {
    pub db: crate::db::Db,
    pub site: SiteInfo,
}

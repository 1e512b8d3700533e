//! The thin shared web layer: the application's error type and its HTTP mapping, the page
//! layout and small view components, static assets, request logging and text helpers.

pub mod api;
pub mod assets;
pub mod auth;
pub mod components;
pub mod context;
pub mod csrf;
pub mod csv_export;
mod database;
mod error;
pub mod flight;
pub mod input;
pub mod language;
pub mod layout;
pub mod logging;
pub mod multipart;
pub mod page_cache;
pub mod query;
pub mod security;
pub mod text;
pub mod words;

pub use database::Database;
pub use error::{ApiError, ApiErrorDoc, AppError, FieldError, is_api_path, uniform_errors};
pub use layout::{Page, SiteInfo};

/// What the shared web pieces need, registered by `startup` beside the features' state:
/// the database, facts about the site, and its public address.
#[derive(Clone)]
pub struct WebState {
    pub db: Database,
    pub site: SiteInfo,
    /// Where the site is reached, e.g. https://jeugdhulp.example.nl
    pub public_url: String,
}

impl WebState {
    /// The site is served over HTTPS.
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

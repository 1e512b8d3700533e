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
pub mod input;
pub mod layout;
pub mod logging;
pub mod page_cache;
pub mod query;
pub mod security;
pub mod text;

pub use database::Database;
pub use error::{ApiError, ApiErrorDoc, AppError, FieldError, is_api_path, uniform_errors};
pub use layout::{Page, SiteInfo};

/// What every handler can reach: the database and facts about the site.
pub struct AppState {
    pub db: Database,
    pub site: SiteInfo,
    /// Regions, municipalities, profiles and intensities, kept for a minute.
    pub reference: std::sync::Arc<crate::reference::ReferenceCache>,
    /// Search results, kept while the catalogue is unchanged.
    pub catalogue: std::sync::Arc<crate::catalogue::cache::CatalogueCache>,
    /// Whole public pages for visitors who are not signed in, kept with the same version.
    pub pages: std::sync::Arc<page_cache::PageCache>,
    /// Signs and checks sessions.
    pub keys: crate::accounts::session::SessionKeys,
    /// Derives the family links the worker can be shown again.
    pub link_key: crate::choice::code::LinkKey,
    /// Where links in e-mails point to, e.g. https://jeugdhulp.example.nl
    pub public_url: String,
}

impl AppState {
    /// The reference data, from the cache or else read on a blocking thread.
    pub async fn reference_data(
        &self,
    ) -> Result<std::sync::Arc<crate::reference::ReferenceData>, AppError> {
        let cache = self.reference.clone();
        self.db.run(move |conn| Ok(cache.get(conn)?)).await
    }
}

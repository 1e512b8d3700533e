//! Jeugdhulpcatalogus: the portal in which Dutch youth-care regions let families and access
//! workers choose a provider on published results.
//!
//! `startup` builds the application; each feature lives in its own module with its
//! queries, rules, pages and routes; `web` and `db` are the shared layers.

pub mod accounts;
pub mod api_docs;
pub mod audit;
pub mod catalogue;
pub mod choice;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod hsds;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod monitor;
pub mod outcomes;
pub mod providers;
pub mod read_model;
pub mod reference;
pub mod startup;
pub mod web;
pub mod work;

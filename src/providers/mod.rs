//! Aanbieders: the provider, its admission per region and its offer per profile and
//! intensity. Registration and listing maintenance build on this model.

pub mod admission;
pub mod agreements;
mod agreements_admin;
pub mod api;
pub mod api_access;
pub mod checks;
pub mod execution;
pub mod gate;
pub mod listing_reports;
pub mod model;
pub mod my_offer;
mod pages;
pub mod registration;
pub mod routes;

pub use model::{
    Admission, AdmissionStatus, NewOffer, NewProvider, Offer, Provider, ProviderStatus, Setting,
};

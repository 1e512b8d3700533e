//! Aanbieders: the provider, its admission per region and its offer per profile and
//! intensity. Registration and listing maintenance build on this model.

pub mod model;

pub use model::{
    Admission, AdmissionStatus, NewOffer, NewProvider, Offer, Provider, ProviderStatus, Setting,
};

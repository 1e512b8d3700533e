//! Accounts and roles for the whole portal: login with rate limits, sessions as signed JWTs,
//! address verification and password reset by single-use links, and the account page.
//! Authorisation itself lives in `web::auth`.

pub mod cli;
pub mod links;
pub mod model;
pub mod oidc;
mod pages;
pub mod password;
pub mod people;
mod recovery;
pub mod routes;
pub mod secrets;
pub mod session;
pub mod throttle;

pub use model::{Affiliation, NewUser, Role, User};
pub use routes::client_ip;

//! People managed in the portal (`/beheer/gebruikers`): a beheerder invites staff with a
//! one-time link valid 7 days, re-sends or withdraws the invitation, changes a role,
//! deactivates and reactivates; a provider user invites colleagues. Who may manage whom is
//! decided in `scope` only; every change leaves a line in the audit log.

pub mod commands;
mod invitation;
mod pages;
pub mod queries;
mod requests;
pub mod routes;
pub mod scope;

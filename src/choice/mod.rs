//! Compare and choose: a toegangsmedewerker opens a hulpvraag, the portal proposes a
//! shortlist, the family chooses through a private link (or together with the worker), the
//! provider accepts or declines, care starts and ends, and the family's experience flows
//! back into the scores.
//!
//! Rooms: `model` (statuses and records), `code` (the family's private codes), `commands`
//! (every step of the workflow, one transaction each), `queries` (the worker's and the
//! provider's lists), `experience` (the questionnaire), `mail`, `pages`, `routes`.

pub mod code;
pub mod commands;
pub mod experience;
mod mail;
pub mod model;
mod pages;
pub mod queries;
pub mod routes;

//! Routes of the choice workflow. Workers live under `/toegang` (role toegangsmedewerker,
//! own municipality only), providers answer under `/mijn-aanbod/aanvragen` (own requests
//! only), families use their private code under `/keuze` and `/ervaring`.
//!
//! Rooms: `worker` (the list, the new hulpvraag, the worker's page), `worker_steps` (every
//! step a worker takes on it), `worker_changes` (correcting and withdrawing it), `family` (the family's link and questionnaire), `provider`
//! (the provider's answer).

mod family;
mod goals;
mod guarantee;
mod provider;
mod shifts;
mod worker;
mod worker_changes;
mod worker_steps;

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::web;
use diesel::prelude::*;

use crate::accounts::Role;
use crate::db::DbConnection;
use crate::db::schema::providers;
use crate::web::auth::require;

use family::{
    experience_enter, experience_page, experience_submit, family_choose, family_confirm,
    family_enter, family_help, family_page,
};
use provider::{provider_answer, provider_list};
use worker::{create, new_form, worker_list, worker_page};
use worker_steps::{
    add_provider, choose_together, close, family_link, mail_family_link, new_questionnaire,
    record_start, remove_provider,
};

const WORKERS: &[Role] = &[Role::Toegangsmedewerker];
const PER_PAGE: i64 = 25;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/toegang/hulpvragen")
            .wrap(from_fn(require(WORKERS)))
            .wrap(private())
            .route("", web::get().to(worker_list))
            .route("", web::post().to(create))
            .route("/nieuw", web::get().to(new_form))
            .route("/{id}", web::get().to(worker_page))
            .route("/{id}/link", web::post().to(family_link))
            .route("/{id}/link/mail", web::post().to(mail_family_link))
            .route("/{id}/lijst", web::post().to(add_provider))
            .route(
                "/{id}/lijst/{provider}/verwijderen",
                web::post().to(remove_provider),
            )
            .route(
                "/{id}/aanpassen",
                web::get().to(worker_changes::correct_form),
            )
            .route("/{id}/aanpassen", web::post().to(worker_changes::correct))
            .route(
                "/{id}/intrekken",
                web::get().to(worker_changes::withdraw_form),
            )
            .route("/{id}/intrekken", web::post().to(worker_changes::withdraw))
            .route("/{id}/kiezen", web::post().to(choose_together))
            .route("/{id}/garantie", web::post().to(guarantee::take_up))
            .route("/{id}/garantie/afzien", web::post().to(guarantee::waive))
            .route("/{id}/wijziging", web::post().to(shifts::record))
            .route(
                "/{id}/wijziging/intrekken",
                web::post().to(shifts::withdraw),
            )
            .route("/{id}/doelen", web::post().to(goals::record))
            .route("/{id}/doelen/weghalen", web::post().to(goals::remove))
            .route("/{id}/start", web::post().to(record_start))
            .route("/{id}/afsluiten", web::post().to(close))
            .route("/{id}/vragenlijst", web::post().to(new_questionnaire)),
    )
    .service(
        web::scope("/keuze")
            .wrap(private())
            .route("", web::get().to(family_enter))
            .route("/{code}", web::get().to(family_page))
            .route("/{code}/kies", web::get().to(family_confirm))
            .route("/{code}/kies", web::post().to(family_choose))
            .route("/{code}/hulp", web::post().to(family_help)),
    )
    .service(
        web::scope("/ervaring")
            .wrap(private())
            .route("", web::get().to(experience_enter))
            .route("/{code}", web::get().to(experience_page))
            .route("/{code}", web::post().to(experience_submit)),
    );
}

/// Mounted inside the `/mijn-aanbod` scope, which admits provider users only.
pub fn provider_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/aanvragen", web::get().to(provider_list))
        .route("/aanvragen/{id}", web::get().to(goals::provider_request))
        .route("/aanvragen/{id}", web::post().to(provider_answer))
        .route("/aanvragen/{id}/doelen", web::post().to(goals::confirm))
        .route("/aanvragen/{id}/wijziging", web::post().to(shifts::confirm));
}

/// Private pages (a family's code is in their address; a worker's case): never cached,
/// never indexed, never sent on as a referrer to another site. Set on the whole scope, so
/// error pages and redirects carry it too.
///
/// `same-origin`, not `no-referrer`: under `no-referrer` Chromium posts this page's forms
/// with `Origin: null`, which the CSRF check rightly refuses (a sandboxed frame or a
/// `data:` page also sends `null`). `same-origin` sends the referrer only to this site,
/// which already knows the code, and leaves the Origin header intact.
fn private() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CACHE_CONTROL, "no-store"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add(("X-Robots-Tag", "noindex"))
}

fn names(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, String>> {
    Ok(providers::table
        .filter(providers::id.eq_any(ids))
        .select((providers::id, providers::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

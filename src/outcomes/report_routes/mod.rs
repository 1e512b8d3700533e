//! Pages and endpoints of the score reports: the provider's review at /mijn-aanbod/cijfers
//! (`provider`), the contract managers' at /beheer/scores/rapporten (`manager`), and the
//! public ones (`public`).

use actix_web::web;

use crate::outcomes::compute::Quarter;
use crate::outcomes::reports::Report;

use manager::{manager_decide, manager_list, manager_report};
use provider::{provider_correct, provider_explain, provider_list, provider_open, provider_report};
use public::{about_scores, api_provider_scores, api_scores_csv};

mod manager;
mod provider;
pub mod public;

pub fn provider_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cijfers", web::get().to(provider_list))
        .route("/cijfers", web::post().to(provider_open))
        .route("/cijfers/{id}", web::get().to(provider_report))
        .route("/cijfers/{id}/uitleg", web::post().to(provider_explain))
        .route("/cijfers/{id}/indienen", web::post().to(provider_explain))
        .route("/cijfers/{id}/correctie", web::post().to(provider_correct));
}

pub fn manager_routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(super::dashboard::routes)
        .route("/rapporten", web::get().to(manager_list))
        .route("/rapporten/{id}", web::get().to(manager_report))
        .route("/rapporten/{id}", web::post().to(manager_decide));
}

pub fn public_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/over-de-cijfers", web::get().to(about_scores))
        .route(
            "/api/v1/providers/{slug}/scores",
            web::get().to(api_provider_scores),
        )
        .route("/api/v1/scores.csv", web::get().to(api_scores_csv));
}

/// Regions where the provider may report, and its reports with their region's name.
type RegionsAndReports = (Vec<(i64, String)>, Vec<(Report, String)>);

/// One line of the open-data CSV as read from the database.
type CsvRow = (
    String,
    i64,
    String,
    i64,
    i32,
    String,
    String,
    i32,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    String,
    Fairness,
    KaderColumns,
);

/// The kader's columns of a score: the cases in the gedwongen kader, the vrijwillig-only
/// value, and the value expected at the provider's kader mix.
type KaderColumns = (Option<i32>, Option<f64>, Option<f64>);

/// The fair comparison's columns of a score: target, the four funnel limits, τ², the shrunk
/// value and the comparison.
type Fairness = (
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<crate::outcomes::indicators::Comparison>,
);

fn latest_complete_quarter() -> Quarter {
    Quarter::of(crate::clock::today()).previous()
}

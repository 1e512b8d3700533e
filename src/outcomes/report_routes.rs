//! Pages and endpoints of the score reports: the provider's review at /mijn-aanbod/cijfers,
//! the contract managers' at /beheer/scores/rapporten, and the public ones.

use crate::web::components::scroll_region;
use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use super::compute::Quarter;
use super::pages::score_tables;
use super::reports::{self, PUBLISHED, Report, status_label};
use crate::accounts::routes::see_other;
use crate::db::schema::{admissions, providers, regions, score_reports, scores};
use crate::providers::AdmissionStatus;
use crate::web::auth::SessionUser;
use crate::web::components::{error_summary, notice as notice_box, textarea};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::text::date_nl;
use crate::web::{ApiError, AppError, AppState, FieldError};

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
);

fn latest_complete_quarter() -> Quarter {
    Quarter::of(crate::clock::today()).previous()
}

async fn provider_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let (regions_open, reports): RegionsAndReports = state
        .db
        .run(move |conn| {
            let regions_open = admissions::table
                .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
                .filter(admissions::provider_id.eq(provider_id))
                .filter(admissions::status.eq_any([
                    AdmissionStatus::Toegelaten.as_str(),
                    AdmissionStatus::Opgeschort.as_str(),
                ]))
                .select((regions::id, regions::name))
                .load(conn)?;
            let reports = score_reports::table
                .inner_join(regions::table.on(regions::id.eq(score_reports::region_id)))
                .filter(score_reports::provider_id.eq(provider_id))
                .order((score_reports::period.desc(), score_reports::version.desc()))
                .select((Report::as_select(), regions::name))
                .load(conn)?;
            Ok((regions_open, reports))
        })
        .await?;
    let quarter = latest_complete_quarter();
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Cijfers"),
    ];
    Ok(html_response(StatusCode::OK, Page { title: "Uw cijfers", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Uw cijfers" }
        p { "Elk kwartaal maken wij van uw trajecten een rapport. U ziet het eerst zelf en kunt per profiel uitleggen wat achter de cijfers zit. Daarna dient u het in; de contractmanager publiceert het." }
        @if regions_open.is_empty() {
            p { "U bent nog niet toegelaten. Na toelating kunt u hier uw cijfers bekijken." }
        }
        @for (region_id, name) in &regions_open {
            form method="post" action="/mijn-aanbod/cijfers" {
                (csrf.field())
                input type="hidden" name="regio" value=(region_id);
                input type="hidden" name="kwartaal" value=(quarter.code());
                button type="submit" { "Rapport " (quarter.label()) " voor " (name) " openen" }
            }
        }
        h2 { "Rapporten" }
        @if reports.is_empty() { p { "Nog geen rapporten." } } @else {
            (scroll_region("Rapporten", html! {
                table.data-table {
                    thead { tr { th scope="col" { "Periode" } th scope="col" { "Regio" } th scope="col" { "Versie" } th scope="col" { "Status" } } }
                    tbody { @for (r, region) in &reports { tr {
                        td { a href={ "/mijn-aanbod/cijfers/" (r.id) } { (Quarter::parse(&r.period).map_or(r.period.clone(), |q| q.label())) } }
                        td { (region) } td { (r.version) } td { (status_label(&r.status)) }
                    } } }
                }
            }))
        }
    })))
}

#[derive(Deserialize)]
struct OpenForm {
    regio: i64,
    kwartaal: String,
}

async fn provider_open(
    state: web::Data<AppState>,
    user: SessionUser,
    CheckedForm(form): CheckedForm<OpenForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let quarter = Quarter::parse(&form.kwartaal)
        .filter(|q| *q <= latest_complete_quarter())
        .ok_or_else(|| {
            AppError::InvalidInput(vec![FieldError::new(
                "kwartaal",
                "Kies een kwartaal dat voorbij is.",
            )])
        })?;
    let region_id = form.regio;
    let id = state
        .db
        .run(move |conn| {
            let admitted: i64 = admissions::table
                .filter(admissions::provider_id.eq(provider_id))
                .filter(admissions::region_id.eq(region_id))
                .filter(admissions::status.eq_any([
                    AdmissionStatus::Toegelaten.as_str(),
                    AdmissionStatus::Opgeschort.as_str(),
                ]))
                .count()
                .get_result(conn)?;
            if admitted == 0 {
                return Err(AppError::Forbidden(
                    "U bent in deze regio niet toegelaten.".into(),
                ));
            }
            conn.write_transaction(|conn| reports::open(conn, provider_id, region_id, quarter))
        })
        .await?;
    Ok(see_other(&format!("/mijn-aanbod/cijfers/{id}")))
}

#[derive(Deserialize)]
struct ReportQuery {
    opgeslagen: Option<String>,
    ingediend: Option<String>,
}

async fn provider_report(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let cache = state.reference.clone();
    let (reference, report, list) = state
        .db
        .run(move |conn| {
            let report = reports::own(conn, &who, id)?;
            Ok((
                cache.get(conn)?,
                report.clone(),
                reports::scores_of(conn, report.id)?,
            ))
        })
        .await?;
    let notice = if query.ingediend.is_some() {
        Some(
            "Uw rapport is ingediend. De contractmanager bekijkt het en publiceert het. U krijgt daarover een e-mail.",
        )
    } else {
        query.opgeslagen.as_ref().map(|_| "Opgeslagen.")
    };
    Ok(html_response(
        StatusCode::OK,
        render_provider_report(
            &state,
            &user,
            &csrf,
            &reference,
            &report,
            &list,
            notice,
            &[],
        ),
    ))
}

#[allow(clippy::too_many_arguments)]
fn render_provider_report(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    reference: &crate::reference::ReferenceData,
    report: &Report,
    list: &[reports::Score],
    notice: Option<&str>,
    errors: &[FieldError],
) -> maud::Markup {
    let account = Account { user, csrf };
    let editable = report.status == reports::CONCEPT || report.status == reports::RETURNED;
    let period = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    let mut profiles: Vec<i64> = list.iter().map(|s| s.profile_id).collect();
    profiles.dedup();
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::link("Cijfers", "/mijn-aanbod/cijfers"),
        Crumb::here(period.clone()),
    ];
    Page { title: "Rapport", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Rapport " (period) }
        (notice_box(notice))
        (error_summary(errors))
        p.lead { "Versie " (report.version) ": " strong { (status_label(&report.status)) } }
        @if !report.comment.is_empty() { div.notice { p { "Opmerking van de contractmanager: " (report.comment) } } }
        @if !report.correction_reason.is_empty() { p { "Reden van deze correctie: " (report.correction_reason) } }
        (score_tables(reference, &report.period, list, !editable, 2))
        @if editable {
            h2 { "Het verhaal achter de cijfers" }
            // One form for both buttons: an explanation typed and then submitted is kept.
            form method="post" action={ "/mijn-aanbod/cijfers/" (report.id) "/uitleg" } novalidate {
                (csrf.field())
                @for profile in &profiles {
                    @let label = reference.profile(*profile).map_or(String::new(), |p| format!("Uitleg bij profiel {} ({})", p.number, p.name));
                    @let current = list.iter().find(|s| s.profile_id == *profile).map_or("", |s| s.explanation.as_str());
                    (textarea(&format!("uitleg-{profile}"), &label, current, Some("Niet verplicht. Ouders en toegangsmedewerkers lezen dit naast uw cijfers."), errors))
                }
                p { "Klopt alles? Dien het rapport in. Uw uitleg wordt dan ook opgeslagen. Daarna kunt u niets meer wijzigen." }
                div.actions {
                    button type="submit" name="actie" value="indienen" { "Uitleg opslaan en rapport indienen" }
                    button.button--secondary type="submit" name="actie" value="opslaan" { "Alleen uitleg opslaan" }
                }
            }
        }
        @if report.status == PUBLISHED {
            h2 { "Een fout gevonden?" }
            form method="post" action={ "/mijn-aanbod/cijfers/" (report.id) "/correctie" } novalidate {
                (csrf.field())
                (textarea("reden", "Reden van de correctie", "", Some("Er komt een nieuwe versie. De gepubliceerde versie blijft zichtbaar tot de nieuwe is gepubliceerd."), errors))
                button.button--secondary type="submit" { "Correctie maken" }
            }
        }
    })
}

/// Saves the explanations and, with "indienen" (or on the old `/indienen` address), submits
/// the report in the same transaction.
async fn provider_explain(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    req: actix_web::HttpRequest,
    CheckedForm(form): CheckedForm<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let submit =
        req.path().ends_with("/indienen") || form.get("actie").is_some_and(|a| a == "indienen");
    let explanations: BTreeMap<i64, String> = form
        .into_iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("uitleg-")
                .and_then(|p| p.parse().ok())
                .map(|p| (p, v))
        })
        .collect();
    let public_url = state.public_url.clone();
    let typed = explanations.clone();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let report = reports::own(conn, &who, id)?;
                if !explanations.is_empty() {
                    reports::explain(conn, &report, &explanations)?;
                    crate::audit::action(
                        conn,
                        Some(who.id),
                        "uitleg bij cijfers",
                        "score_report",
                        Some(id),
                    )?;
                }
                if submit {
                    reports::submit(conn, &report, who.id, &public_url)?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await;
    if let Err(AppError::InvalidInput(errors)) = result {
        // Show the form again with what was typed, so nothing is lost.
        let who = user.clone();
        let cache = state.reference.clone();
        let (reference, report, mut list) = state
            .db
            .run(move |conn| {
                let report = reports::own(conn, &who, id)?;
                Ok((
                    cache.get(conn)?,
                    report.clone(),
                    reports::scores_of(conn, report.id)?,
                ))
            })
            .await?;
        for score in &mut list {
            if let Some(text) = typed.get(&score.profile_id) {
                score.explanation.clone_from(text);
            }
        }
        let page = render_provider_report(
            &state, &user, &csrf, &reference, &report, &list, None, &errors,
        );
        return Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    result?;
    let notice = if submit { "ingediend" } else { "opgeslagen" };
    Ok(see_other(&format!("/mijn-aanbod/cijfers/{id}?{notice}=1")))
}

#[derive(Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reden: String,
}

async fn provider_correct(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ReasonForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = user.clone();
    let new_id = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let report = reports::own(conn, &who, id)?;
                reports::correct(conn, &report, who.id, &form.reden)
            })
        })
        .await?;
    Ok(see_other(&format!("/mijn-aanbod/cijfers/{new_id}")))
}

/// A report in the managers' list, with its provider's name, region and slug.
type Listed = (Report, String, String, String);

#[derive(Deserialize)]
struct DecidedQuery {
    gepubliceerd: Option<i64>,
    teruggestuurd: Option<i64>,
    pagina: Option<u32>,
}

/// Published reports per page of the manager's list.
const REPORTS_PER_PAGE: i64 = 25;

async fn manager_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<DecidedQuery>,
) -> Result<HttpResponse, AppError> {
    let region = if user.role == crate::accounts::Role::Contractmanager {
        user.region_id
    } else {
        None
    };
    let decided_id = query.gepubliceerd;
    let page = query.pagina.unwrap_or(1).max(1);
    let (waiting, returned, published, total, decided) = state
        .db
        .run(move |conn| {
            let listed = |statuses: &[&'static str]| {
                let mut query = score_reports::table
                    .inner_join(providers::table)
                    .inner_join(regions::table.on(regions::id.eq(score_reports::region_id)))
                    .filter(score_reports::status.eq_any(statuses.to_vec()))
                    .into_boxed();
                if let Some(region) = region {
                    query = query.filter(score_reports::region_id.eq(region));
                }
                query
            };
            let columns = (
                Report::as_select(),
                providers::name,
                regions::name,
                providers::slug,
            );
            // The report just decided, also when it is not among the rows listed.
            let decided: Option<Listed> = match decided_id {
                Some(id) => listed(&[reports::SUBMITTED, PUBLISHED])
                    .filter(score_reports::id.eq(id))
                    .select(columns)
                    .first(conn)
                    .optional()?,
                None => None,
            };
            // What waits for a decision comes first, all of it, oldest first.
            let waiting: Vec<Listed> = listed(&[reports::SUBMITTED])
                .order((score_reports::submitted_at, score_reports::id))
                .select(columns)
                .load(conn)?;
            let returned: Vec<Listed> = listed(&[reports::RETURNED])
                .order((score_reports::period.desc(), score_reports::id.desc()))
                .limit(REPORTS_PER_PAGE)
                .select(columns)
                .load(conn)?;
            let total: i64 = listed(&[PUBLISHED]).count().get_result(conn)?;
            let published: Vec<Listed> = listed(&[PUBLISHED])
                .order((
                    score_reports::period.desc(),
                    providers::name,
                    score_reports::version.desc(),
                ))
                .limit(REPORTS_PER_PAGE)
                .offset(i64::from(page - 1) * REPORTS_PER_PAGE)
                .select(columns)
                .load(conn)?;
            Ok((waiting, returned, published, total, decided))
        })
        .await?;
    let pages = u32::try_from((total + REPORTS_PER_PAGE - 1) / REPORTS_PER_PAGE).unwrap_or(1);
    if page > pages.max(1) {
        return Err(AppError::NotFound);
    }
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let table = |label: &str, rows: &[Listed]| {
        scroll_region(
            label,
            html! {
                table.data-table {
                    thead { tr { th scope="col" { "Aanbieder" } th scope="col" { "Regio" } th scope="col" { "Periode" } th scope="col" { "Versie" } th scope="col" { "Status" } } }
                    tbody { @for (r, provider, region, _) in rows { tr {
                        td { a href={ "/beheer/scores/rapporten/" (r.id) } { (provider) } }
                        td { (region) }
                        td { (Quarter::parse(&r.period).map_or(r.period.clone(), |q| q.label())) }
                        td { (r.version) }
                        td { (status_label(&r.status)) }
                    } } }
                }
            },
        )
    };
    let crumbs = vec![Crumb::here("Scorerapporten")];
    Ok(html_response(StatusCode::OK, Page { title: "Scorerapporten", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Scorerapporten" }
        @if let Some((r, provider, region, slug)) = &decided {
            div.notice role="status" {
                @if r.status == PUBLISHED {
                    p { strong { "Gepubliceerd." } " De cijfers van " (provider) " over het " (Quarter::parse(&r.period).map_or(r.period.clone(), |q| q.label())) " in de regio " (region) " (versie " (r.version) ") staan nu in de catalogus. De aanbieder heeft een e-mail gekregen." }
                    p { a href={ "/aanbieders/" (slug) } { "Bekijk de openbare pagina van " (provider) } }
                }
            }
        }
        @if query.teruggestuurd.is_some() {
            div.notice role="status" { p { "Het rapport is teruggestuurd. De aanbieder heeft een e-mail gekregen met uw opmerking." } }
        }
        h2 { "Wachten op uw besluit" }
        @if waiting.is_empty() { p.empty-state { "Er zijn geen ingediende rapporten." } } @else {
            (table("Rapporten die wachten op uw besluit", &waiting))
        }
        @if !returned.is_empty() {
            h2 { "Teruggestuurd, wacht op de aanbieder" }
            (table("Teruggestuurde rapporten", &returned))
        }
        h2 { "Gepubliceerd" }
        @if published.is_empty() { p.empty-state { "Er zijn nog geen gepubliceerde rapporten." } } @else {
            p { (total) " gepubliceerde rapporten, de nieuwste eerst." }
            (table("Gepubliceerde rapporten", &published))
            (crate::web::components::pagination(page, pages, |p| format!("/beheer/scores/rapporten?pagina={p}")))
        }
    })))
}

async fn manager_report(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    render_manager_report(&state, user, csrf, id.into_inner(), &[]).await
}

async fn render_manager_report(
    state: &AppState,
    user: SessionUser,
    csrf: CsrfToken,
    id: i64,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let who = user.clone();
    let cache = state.reference.clone();
    let (reference, report, list, provider, history) = state
        .db
        .run(move |conn| {
            let report = reports::reviewable(conn, &who, id)?;
            let provider: String = providers::table
                .find(report.provider_id)
                .select(providers::name)
                .first(conn)?;
            let history: Vec<(i32, String, Option<chrono::NaiveDateTime>, String)> =
                score_reports::table
                    .filter(score_reports::provider_id.eq(report.provider_id))
                    .filter(score_reports::region_id.eq(report.region_id))
                    .filter(score_reports::period.eq(&report.period))
                    .order(score_reports::version)
                    .select((
                        score_reports::version,
                        score_reports::status,
                        score_reports::published_at,
                        score_reports::correction_reason,
                    ))
                    .load(conn)?;
            Ok((
                cache.get(conn)?,
                report.clone(),
                reports::scores_of(conn, report.id)?,
                provider,
                history,
            ))
        })
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let period = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    let crumbs = vec![
        Crumb::link("Scorerapporten", "/beheer/scores/rapporten"),
        Crumb::here(provider.clone()),
    ];
    Ok(html_response(StatusCode::OK, Page { title: &provider, site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (provider) ": " (period) }
        (error_summary(errors))
        p.lead { "Versie " (report.version) ": " strong { (status_label(&report.status)) } }
        @if report.status == reports::RETURNED && !report.comment.is_empty() {
            div.notice { p { strong { "Uw opmerking bij het terugsturen: " } (report.comment) } }
        }
        (score_tables(&reference, &report.period, &list, true, 2))
        @if report.status == reports::SUBMITTED {
            h2 { "Besluit" }
            form method="post" action={ "/beheer/scores/rapporten/" (report.id) } novalidate {
                (csrf.field())
                (textarea("opmerking", "Opmerking voor de aanbieder", "", Some("Verplicht als u het rapport terugstuurt."), errors))
                button type="submit" name="besluit" value="publiceren" { "Publiceren" }
                " "
                button.button--secondary type="submit" name="besluit" value="terugsturen" { "Terugsturen" }
            }
        }
        h2 { "Versies" }
        ul { @for (version, status, published, reason) in &history {
            li { "Versie " (version) ": " (status_label(status))
                @if let Some(p) = published { ", gepubliceerd op " (date_nl(crate::clock::date_of(*p))) }
                @if !reason.is_empty() { " (correctie: " (reason) ")" } }
        } }
    })))
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    besluit: String,
    #[serde(default)]
    opmerking: String,
}

async fn manager_decide(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let publish = match form.besluit.as_str() {
        "publiceren" => true,
        "terugsturen" => false,
        _ => {
            return render_manager_report(
                &state,
                user,
                csrf,
                id,
                &[FieldError::form("Kies publiceren of terugsturen.")],
            )
            .await;
        }
    };
    let who = user.clone();
    let public_url = state.public_url.clone();
    let comment = form.opmerking.clone();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let report = reports::reviewable(conn, &who, id)?;
                reports::decide(conn, &report, &who, publish, &comment, &public_url)
            })
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/scores/rapporten?{}={id}",
            if publish {
                "gepubliceerd"
            } else {
                "teruggestuurd"
            }
        ))),
        Err(AppError::InvalidInput(errors)) => {
            render_manager_report(&state, user, csrf, id, &errors).await
        }
        Err(other) => Err(other),
    }
}

async fn about_scores(state: web::Data<AppState>) -> HttpResponse {
    let crumbs = vec![Crumb::here("Over de cijfers")];
    html_response(StatusCode::OK, Page { title: "Over de cijfers", site: &state.site, crumbs, section: Some("/over"), account: None }.render(html! {
        h1 { "Over de cijfers" }
        p.lead { "Per aanbieder en per profiel laten wij zien hoe de hulp afliep. Zo kunt u kiezen op resultaat." }
        h2 { "Welke cijfers?" }
        dl {
            dt { "Doelen bereikt (doelrealisatie)" }
            dd { "Van de afgesloten trajecten waarvan bekend is of de doelen zijn bereikt: het deel waarin alle doelen zijn bereikt. Daarnaast ziet u het deel waarin de doelen deels zijn bereikt." }
            dt { "Voortijdig gestopt (uitval)" }
            dd { "Van alle afgesloten trajecten: het deel dat eerder stopte dan gepland, omdat de cliënt of de aanbieder stopte, of door omstandigheden. Lager is beter." }
            dt { "Binnen een jaar weer hulp nodig (terugval)" }
            dd { "Van alle afgesloten trajecten: het deel waarbij dezelfde cliënt binnen 12 maanden (365 dagen) weer hulp kreeg bij dezelfde aanbieder voor hetzelfde profiel. Lager is beter." }
            dt { "Tevredenheid" }
            dd { "Het gemiddelde cijfer (1 tot 10) dat cliënten gaven, en het deel dat een 7 of hoger gaf. Wij laten zien wie het mat: de aanbieder zelf of de gemeente." }
        }
        h2 { "Welke periode?" }
        p { "Elk rapport gaat over de trajecten die zijn afgesloten in de 12 maanden tot en met het einde van een kwartaal. Naast elk cijfer staat die datum." }
        h2 { "Hoe zeker is een cijfer?" }
        p { "Bij elk cijfer staat het aantal trajecten (n). Hoe meer trajecten, hoe zekerder het cijfer. Daarom staat er ook een marge bij: de echte waarde ligt met 95% zekerheid tussen die twee getallen. Voor de percentages gebruiken wij het Wilson-interval, voor het gemiddelde cijfer het t-interval." }
        p { "Zijn er minder dan " (super::indicators::MIN_N) " trajecten? Dan tonen wij geen cijfer maar 'te weinig gegevens'. Zo is niemand te herkennen en voorkomen wij toevalstreffers." }
        h2 { "Vergeleken met het gemiddelde" }
        p { "Het gemiddelde is dat van alle aanbieders in de regio voor hetzelfde profiel. Wij schrijven alleen 'beter' of 'minder goed dan gemiddeld' als de hele marge boven of onder het gemiddelde ligt. Anders staat er 'vergelijkbaar'." }
        h2 { "Het verhaal achter de cijfers" }
        p { "Aanbieders zien hun cijfers eerst zelf en mogen ze toelichten. De contractmanager van de regio controleert het rapport voordat het openbaar wordt." }
        h2 { "Ervaring van gezinnen" }
        p { "Na afloop van de hulp vraagt de gemeente het gezin om een cijfer van 1 tot 10 voor zes dingen: of de hulp hielp, of het gezin kon meebeslissen, of de hulp makkelijk te krijgen was, of de aanbieder vriendelijk en duidelijk was, of het gezin zich veilig voelde, en hoe de hulpverleners met het gezin omgingen. Het cijfer van een gezin is het gemiddelde van die zes, afgerond." }
        p { "Deze cijfers meet de gemeente zelf. Wij tonen ze per profiel en apart voor vrijwillige en gedwongen hulp, want bij gedwongen hulp zijn gezinnen vaak minder tevreden. Wij tonen een cijfer pas vanaf " (super::indicators::MIN_N) " antwoorden. De aanbieder ziet nooit de antwoorden van één gezin. Het afgesloten traject telt ook mee in de andere cijfers van de aanbieder, met de gemeente als bron." }
        h2 { "Wachttijd in de praktijk" }
        p { "De wachttijd in de praktijk is het aantal dagen tussen de keuze van het gezin en de start van de hulp. Wij tonen de middelste waarde (mediaan) van de afgelopen 12 maanden en het aantal starts (n). Daarnaast staat de wachttijd die de aanbieder zelf opgeeft." }
    }))
}

async fn published_for_slug(
    state: &AppState,
    slug: String,
) -> Result<
    (
        std::sync::Arc<crate::reference::ReferenceData>,
        Vec<(Report, Vec<reports::Score>)>,
    ),
    AppError,
> {
    let cache = state.reference.clone();
    state
        .db
        .run(move |conn| {
            let id: i64 = providers::table
                .filter(providers::slug.eq(&slug))
                .filter(providers::in_catalogue.eq(true))
                .select(providers::id)
                .first(conn)
                .optional()?
                .ok_or(AppError::NotFound)?;
            Ok((cache.get(conn)?, reports::published(conn, id)?))
        })
        .await
}

async fn api_provider_scores(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (reference, published) = published_for_slug(&state, slug.into_inner()).await?;
    let items: Vec<serde_json::Value> = published
        .iter()
        .flat_map(|(report, list)| {
            let reference = &reference;
            list.iter().map(move |s| {
                serde_json::json!({
                    "region": reference.region(report.region_id).map(|r| r.slug.clone()),
                    "period": report.period,
                    "window": "12 maanden",
                    "version": report.version,
                    "profile": reference.profile(s.profile_id).map(|p| p.number),
                    "indicator": s.indicator,
                    "n": s.n,
                    "value": s.value,
                    "interval": s.interval().map(|(l, h)| [l, h]),
                    "regional_average": s.average,
                    "source": s.source,
                    "explanation": s.explanation,
                })
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}

/// The minimum number of cases behind a score, as the database stores counts.
const MIN_CASES: i32 = crate::outcomes::indicators::MIN_N as i32;

async fn api_scores_csv(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let cache = state.reference.clone();
    let csv = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let rows: Vec<CsvRow> = scores::table
                .inner_join(score_reports::table.inner_join(providers::table))
                .filter(score_reports::status.eq(PUBLISHED))
                // Below the minimum there is no score: those rows are left out.
                .filter(scores::n.ge(MIN_CASES))
                .order((
                    providers::slug,
                    score_reports::region_id,
                    score_reports::period,
                    score_reports::version,
                    scores::profile_id,
                    scores::indicator,
                ))
                .select((
                    providers::slug,
                    score_reports::region_id,
                    score_reports::period,
                    scores::profile_id,
                    score_reports::version,
                    scores::indicator,
                    scores::source,
                    scores::n,
                    scores::value,
                    scores::interval_low,
                    scores::interval_high,
                    scores::average,
                    providers::name,
                ))
                .load(conn)?;
            let mut writer = csv::Writer::from_writer(Vec::new());
            let header = [
                "aanbieder",
                "naam",
                "regio",
                "periode",
                "versie",
                "profiel",
                "indicator",
                "bron",
                "n",
                "waarde",
                "interval_laag",
                "interval_hoog",
                "regiogemiddelde",
            ];
            writer.write_record(header).map_err(anyhow::Error::from)?;
            let f = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
            for (
                slug,
                region,
                period,
                profile,
                version,
                indicator,
                source,
                n,
                value,
                low,
                high,
                average,
                name,
            ) in rows
            {
                let number = reference.profile(profile).map_or(0, |p| p.number);
                writer
                    .write_record([
                        slug,
                        name,
                        reference
                            .region(region)
                            .map_or(String::new(), |r| r.slug.clone()),
                        period,
                        version.to_string(),
                        number.to_string(),
                        indicator,
                        source,
                        n.to_string(),
                        f(value),
                        f(low),
                        f(high),
                        f(average),
                    ])
                    .map_err(anyhow::Error::from)?;
            }
            Ok(writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"scores.csv\""))
        .body(csv))
}

/// The public block on a provider page: the published scores per region.
pub async fn provider_block(state: &AppState, slug: String) -> Result<maud::Markup, AppError> {
    let (reference, published) = match published_for_slug(state, slug).await {
        Ok(found) => found,
        Err(AppError::NotFound) => return Ok(html! {}),
        Err(other) => return Err(other),
    };
    Ok(html! {
        @if published.is_empty() {
            p { "Er zijn nog geen gepubliceerde cijfers. " a href="/over-de-cijfers" { "Over de cijfers" } }
        }
        @for (report, list) in &published {
            h3 { "Regio " (reference.region(report.region_id).map_or("", |r| r.name.as_str())) }
            p.hint { "Gepubliceerd op " (report.published_at.map_or(String::new(), |d| date_nl(crate::clock::date_of(d)))) ", versie " (report.version) ". " a href="/over-de-cijfers" { "Zo lezen en berekenen wij de cijfers" } }
            (score_tables(&reference, &report.period, list, true, 4))
        }
    })
}

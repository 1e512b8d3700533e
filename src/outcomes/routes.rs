//! Trajectory data in: the CSV upload with preview at /mijn-aanbod/resultaten, and
//! POST /api/v1/trajectories for providers' own systems. Both check everything first and
//! store all or nothing.

use crate::startup::AppState;
use crate::web::components::scroll_region;
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::records::{ALL_COLUMNS, EXPLANATION, RawTrajectory};
use super::store::{self, MAX_API_ITEMS, MAX_CSV_ROWS, RowProblem, Saved};
use crate::db::schema::{pending_uploads, trajectories};
use crate::web::auth::SessionUser;
use crate::web::components::notice as notice_box;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::{ApiError, AppError, FieldError};

/// Files larger than this are refused before they are read.
const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;
/// At most this many problems are listed on the page (all are counted).
const PROBLEMS_SHOWN: usize = 500;

/// Routes inside the `/mijn-aanbod` scope (provider users only).
pub fn provider_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/resultaten", web::get().to(upload_page))
        .route("/resultaten", web::post().to(upload))
        .route("/resultaten/voorbeeld.csv", web::get().to(template))
        .route("/resultaten/{id}/bevestigen", web::post().to(confirm))
        .configure(super::report_routes::provider_routes)
        .configure(super::ijw::routes::provider_routes);
}

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/trajectories", web::post().to(api_upload))
        .configure(super::ijw::routes::api_routes);
}

fn page(state: &AppState, account: Account<'_>, body: Markup) -> Markup {
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Resultaten aanleveren"),
    ];
    Page {
        title: "Resultaten aanleveren",
        site: &state.site,
        crumbs,
        section: None,
        account: Some(account),
    }
    .render(body)
}

fn upload_form(account: Account<'_>) -> Markup {
    html! {
        form method="post" action="/mijn-aanbod/resultaten" enctype="multipart/form-data" {
            (account.csrf.field())
            div.form-field {
                label for="bestand" { "CSV-bestand" }
                p.hint #bestand-hint { "Hoogstens " (MAX_CSV_ROWS) " trajecten. Komma of puntkomma als scheidingsteken." }
                input #bestand type="file" name="bestand" accept=".csv,text/csv" required aria-describedby="bestand-hint";
            }
            button type="submit" { "Bestand controleren" }
        }
    }
}

#[derive(Deserialize)]
struct UploadQuery {
    opgeslagen: Option<usize>,
    bijgewerkt: Option<usize>,
}

async fn upload_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<UploadQuery>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let (total, ended): (i64, i64) = state
        .db
        .run(move |conn| {
            let base = trajectories::table.filter(trajectories::provider_id.eq(provider_id));
            Ok((
                base.count().get_result(conn)?,
                base.filter(trajectories::end_date.is_not_null())
                    .count()
                    .get_result(conn)?,
            ))
        })
        .await?;
    let notice = query.opgeslagen.map(|new| {
        format!(
            "Opgeslagen: {new} nieuwe trajecten, {} bijgewerkt.",
            query.bijgewerkt.unwrap_or(0)
        )
    });
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        page(
            &state,
            account,
            html! {
                h1 { "Resultaten aanleveren" }
                (notice_box(notice.as_deref()))
                @if notice.is_some() {
                    p { a.button href="/mijn-aanbod/cijfers" { "Bekijk uw cijfers" } }
                }
                p { "U heeft " (total) " trajecten aangeleverd, waarvan " (ended) " afgesloten." }
                p { "Lever elk kwartaal uw trajecten aan. Wij rekenen er per profiel mee uit hoe vaak de doelen zijn bereikt, of de jongere verder kan zonder jeugdhulp, of de problemen kleiner zijn geworden, de uitval, de terugval en de tevredenheid. U ziet de cijfers eerst zelf, voordat ze openbaar worden." }
                h2 { "Het bestand" }
                p { a href="/mijn-aanbod/resultaten/voorbeeld.csv" download { "Download het voorbeeldbestand (CSV)" } }
                (scroll_region("De kolommen van het bestand", html! {
                    table.data-table {
                        caption { "De kolommen, in deze volgorde" }
                        thead { tr { th scope="col" { "Kolom" } th scope="col" { "Wat vult u in?" } } }
                        tbody { @for (name, text) in EXPLANATION { tr { td { code { (name) } } td { (text) } } } }
                    }
                }))
                p { strong { "Stuur nooit een BSN, naam of geboortedatum mee." } " Een bestand met iets dat op een BSN lijkt, weigeren wij." }
                h2 { "Bestand aanleveren" }
                p { "Wij controleren eerst het hele bestand. Pas als alles klopt, ziet u een overzicht en bevestigt u het opslaan." }
                (upload_form(account))
            },
        ),
    ))
}

async fn template() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"trajecten-voorbeeld.csv\"",
        ))
        .body(store::template())
}

/// Reads the multipart form: the CSRF token and the file.
async fn read_upload(req: &HttpRequest, payload: Multipart) -> Result<Vec<u8>, AppError> {
    let mut fields = crate::web::multipart::read(
        req,
        payload,
        MAX_UPLOAD_BYTES,
        "bestand",
        "Het bestand is groter dan 25 MB. Splits het bestand.",
    )
    .await?;
    fields
        .take("bestand")
        .ok_or_else(|| too_bad("Kies een CSV-bestand."))
}

fn too_bad(message: &str) -> AppError {
    AppError::InvalidInput(vec![FieldError::new("bestand", message)])
}

enum Checked {
    Problems(Vec<RowProblem>),
    Preview {
        id: i64,
        rows: usize,
        new: usize,
        ended: usize,
        sample: Vec<RawTrajectory>,
    },
}

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    csrf: CsrfToken,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let file = match read_upload(&req, payload).await {
        Ok(file) => file,
        Err(AppError::InvalidInput(errors)) => {
            let problems: Vec<RowProblem> = errors
                .into_iter()
                .map(|e| RowProblem {
                    row: 0,
                    column: "bestand",
                    message: e.message,
                })
                .collect();
            return Ok(problems_page(&state, &user, &csrf, &problems));
        }
        Err(other) => return Err(other),
    };
    let user_id = user.id;
    let cache = state.reference.clone();
    let checked = state
        .db
        .run(move |conn| {
            let rows = match store::parse_csv(&file) {
                Ok(rows) => rows,
                Err(problems) => return Ok(Checked::Problems(problems)),
            };
            let reference = cache.get(conn)?;
            let allowed = store::reportable_profiles(conn, provider_id)?;
            let list = match store::check_all(&rows, &reference, &allowed, crate::clock::today()) {
                Ok(list) => list,
                Err(problems) => return Ok(Checked::Problems(problems)),
            };
            let known = store::count_stored(conn, provider_id, &list)?;
            let body = String::from_utf8_lossy(&file).into_owned();
            // One file waits for confirmation per provider: a new one replaces the one
            // before, so unconfirmed previews cannot fill the database.
            let id: i64 = conn.write_transaction(|conn| {
                diesel::delete(
                    pending_uploads::table.filter(pending_uploads::provider_id.eq(provider_id)),
                )
                .execute(conn)?;
                diesel::insert_into(pending_uploads::table)
                    .values((
                        pending_uploads::provider_id.eq(provider_id),
                        pending_uploads::user_id.eq(user_id),
                        pending_uploads::body.eq(body),
                        pending_uploads::created_at.eq(crate::clock::now()),
                    ))
                    .returning(pending_uploads::id)
                    .get_result(conn)
            })?;
            Ok(Checked::Preview {
                id,
                rows: list.len(),
                new: list.len() - known,
                ended: list.iter().filter(|t| t.end_date.is_some()).count(),
                sample: rows.into_iter().take(10).map(|(_, r)| r).collect(),
            })
        })
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    match checked {
        Checked::Problems(problems) => Ok(problems_page(&state, &user, &csrf, &problems)),
        Checked::Preview {
            id,
            rows,
            new,
            ended,
            sample,
        } => Ok(html_response(
            StatusCode::OK,
            page(
                &state,
                account,
                html! {
                    h1 { "Controleer en bevestig" }
                    div.notice role="status" { p { "Het bestand klopt. Er is nog niets opgeslagen." } }
                    ul {
                        li { (crate::web::text::number_nl(rows as u64)) @if rows == 1 { " traject" } @else { " trajecten" } ", waarvan " (crate::web::text::number_nl(ended as u64)) " afgesloten" }
                        li { (new) " nieuw, " (rows - new) " bijgewerkt" }
                    }
                    (scroll_region("De eerste regels", html! {
                        table.data-table {
                            caption { "De eerste regels" }
                            thead { tr { @for c in ALL_COLUMNS { th scope="col" { (c) } } } }
                            tbody { @for r in &sample { tr { @for (_, v) in r.fields() { td { (v) } } } } }
                        }
                    }))
                    form method="post" action={ "/mijn-aanbod/resultaten/" (id) "/bevestigen" } {
                        (account.csrf.field())
                        button type="submit" { "Opslaan" }
                    }
                    p { a href="/mijn-aanbod/resultaten" { "Niet opslaan, terug" } }
                },
            ),
        )),
    }
}

fn problems_page(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    problems: &[RowProblem],
) -> HttpResponse {
    let account = Account { user, csrf };
    html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            state,
            account,
            html! {
                h1 { "Het bestand is niet opgeslagen" }
                div.error-summary role="alert" tabindex="-1" {
                    h2 { "Wij vonden " (problems.len()) " fout" @if problems.len() != 1 { "en" } }
                    p { "Er is niets opgeslagen. Verbeter het bestand en lever het opnieuw aan." }
                }
                (scroll_region("Fouten per regel", html! {
                    table.data-table {
                        caption.visually-hidden { "Fouten per regel" }
                        thead { tr { th scope="col" { "Regel" } th scope="col" { "Kolom" } th scope="col" { "Wat is er mis?" } } }
                        tbody {
                            @for p in problems.iter().take(PROBLEMS_SHOWN) {
                                tr { td { @if p.row > 0 { (p.row) } } td { (p.column) } td { (p.message) } }
                            }
                        }
                    }
                }))
                @if problems.len() > PROBLEMS_SHOWN { p { "En nog " (problems.len() - PROBLEMS_SHOWN) " fouten." } }
                h2 { "Opnieuw aanleveren" }
                (upload_form(account))
            },
        ),
    )
}

#[derive(Deserialize)]
struct Nothing {}

async fn confirm(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let upload_id = id.into_inner();
    let user_id = user.id;
    let cache = state.reference.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let body: String = pending_uploads::table
                .filter(pending_uploads::id.eq(upload_id))
                .filter(pending_uploads::provider_id.eq(provider_id))
                .select(pending_uploads::body)
                .first(conn)
                .optional()?
                .ok_or_else(|| {
                    AppError::Conflict(
                        "Dit bestand wacht niet meer op bevestiging: het is al opgeslagen, of u stuurde daarna een ander bestand (dat vervangt dit). Kijk bij Mijn aanbod wat er is opgeslagen, of stuur het bestand opnieuw.".into(),
                    )
                })?;
            let reference = cache.get(conn)?;
            let allowed = store::reportable_profiles(conn, provider_id)?;
            // Checked again: the admission or the data may have changed since the preview.
            let list = match store::parse_csv(body.as_bytes()).and_then(|rows| {
                store::check_all(&rows, &reference, &allowed, crate::clock::today())
            }) {
                Ok(list) => list,
                Err(problems) => return Ok(Err(problems)),
            };
            conn.write_transaction(|conn| {
                let saved = store::save_all(conn, provider_id, &list)?;
                diesel::delete(pending_uploads::table.filter(pending_uploads::id.eq(upload_id)))
                    .execute(conn)?;
                crate::audit::record(
                    conn,
                    &crate::audit::Change {
                        user_id: Some(user_id),
                        action: "trajecten aangeleverd (CSV)",
                        entity: "provider",
                        entity_id: Some(provider_id.get()),
                        field: "trajecten",
                        old_value: None,
                        new_value: Some(&format!(
                            "{} nieuw, {} bijgewerkt",
                            saved.new, saved.updated
                        )),
                    },
                )?;
                Ok::<_, AppError>(Ok(saved))
            })
        })
        .await?;
    match outcome {
        Ok(Saved { new, updated }) => Ok(see_other(&format!(
            "/mijn-aanbod/resultaten?opgeslagen={new}&bijgewerkt={updated}"
        ))),
        Err(problems) => Ok(problems_page(&state, &user, &csrf, &problems)),
    }
}

// The documentation of the body's two shapes ([`api_items`] reads them). `untagged` is for
// utoipa: it documents one of the two shapes, not tagged variants. The doc comment below is
// what API users read.
/// The trajectories, as `{"trajectories": […]}` or as the list itself.
#[derive(utoipa::ToSchema)]
#[serde(untagged)]
pub enum ApiBody {
    Wrapped {
        #[schema(min_items = 1, max_items = 10_000)]
        trajectories: Vec<RawTrajectory>,
    },
    List(TrajectoryList),
}

/// 1 to 10,000 trajectories.
#[derive(utoipa::ToSchema)]
#[schema(min_items = 1, max_items = 10_000)]
pub struct TrajectoryList(pub Vec<RawTrajectory>);

/// The trajectories of an API body, `{"trajectories": […]}` or the list itself. The shape is
/// told by the first character, not by `#[serde(untagged)]`: that first copies the whole
/// document into generic values and then tries each shape on the copy (for 10,000 items,
/// 120,000 extra strings).
fn api_items(body: &[u8]) -> Result<Vec<RawTrajectory>, serde_json::Error> {
    #[derive(Deserialize)]
    #[serde(expecting = "an object with `trajectories`, or the list of trajectories")]
    struct Wrapped {
        trajectories: Vec<RawTrajectory>,
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        serde_json::from_slice(body)
    } else {
        serde_json::from_slice::<Wrapped>(body).map(|w| w.trajectories)
    }
}

/// POST /api/v1/trajectories: up to 10,000 trajectories as JSON, all or nothing.
/// The largest body the API reads: 10,000 trajectories of JSON are a few megabytes.
const MAX_API_BODY: usize = 16 * 1024 * 1024;

/// `{"saved": {"new": …, "updated": …}}`
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    saved: Saved,
}

/// One refused trajectory: its place in the list (from 1), the field and why.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ItemProblem {
    item: u64,
    field: String,
    message: String,
}

/// Nothing was saved: the problems per trajectory.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Refused {
    /// `invalid_trajectories`
    error: &'static str,
    message: &'static str,
    details: Vec<ItemProblem>,
}

#[utoipa::path(post, path = "/api/v1/trajectories", tag = "provider", security(("provider_token" = [])),
    request_body(content = ApiBody, description = "`{\"trajectories\": […]}` or the list itself, 1 to 10,000 items, every value as text"),
    responses((status = 200, description = "The answer", body = Uploaded), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc),
        (status = 401, description = "No valid provider token", body = crate::web::ApiErrorDoc), (status = 413, description = "The body is too large", body = crate::web::ApiErrorDoc),
        (status = 422, description = "Nothing was saved; details per trajectory", body = Refused)))]
pub async fn api_upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // The token first: nobody without one makes the portal read megabytes.
    let caller = crate::providers::api_access::authenticate(&state, &req).await?;
    let too_large = || {
        ApiError(AppError::InvalidInput(vec![FieldError::new(
            "body",
            "Wat u stuurde is te groot. Stuur minder trajecten tegelijk (hoogstens 16 MB).",
        )]))
    };
    let mut body = web::BytesMut::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
        let chunk = chunk.map_err(|_| too_large())?;
        if body.len() + chunk.len() > MAX_API_BODY {
            let mut response = ApiError::json_response(&too_large().0);
            *response.status_mut() = actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(response);
        }
        body.extend_from_slice(&chunk);
    }
    let items = match api_items(&body) {
        Ok(trajectories) => trajectories,
        Err(e) => {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                "body",
                format!("Stuur JSON: {{\"trajectories\": [{{\"referentie\": \"…\", …}}]}}, met alle waarden als tekst ({e})."),
            )])
            .into());
        }
    };
    if items.is_empty() || items.len() > MAX_API_ITEMS {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "trajectories",
            format!(
                "Stuur 1 tot en met {} trajecten per keer.",
                crate::web::text::number_nl(MAX_API_ITEMS as u64)
            ),
        )])
        .into());
    }
    let cache = state.reference.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let rows: Vec<(u64, RawTrajectory)> = items
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i as u64 + 1, r))
                .collect();
            let reference = cache.get(conn)?;
            let allowed = store::reportable_profiles(conn, caller.provider_id)?;
            let list = match store::check_all(&rows, &reference, &allowed, crate::clock::today()) {
                Ok(list) => list,
                Err(problems) => return Ok(Err(problems)),
            };
            conn.write_transaction(|conn| {
                let saved = store::save_all(conn, caller.provider_id, &list)?;
                crate::audit::action(
                    conn,
                    Some(caller.user_id),
                    "trajecten aangeleverd (API)",
                    "provider",
                    Some(caller.provider_id.get()),
                )?;
                Ok::<_, AppError>(Ok(saved))
            })
        })
        .await?;
    match outcome {
        Ok(saved) => Ok(HttpResponse::Ok().json(Uploaded { saved })),
        Err(problems) => Ok(HttpResponse::UnprocessableEntity().json(Refused {
            error: "invalid_trajectories",
            message: "Er is niets opgeslagen: een of meer trajecten kloppen niet.",
            details: problems
                .iter()
                .map(|p| ItemProblem {
                    item: p.row,
                    field: p.column.to_string(),
                    message: p.message.to_string(),
                })
                .collect(),
        })),
    }
}

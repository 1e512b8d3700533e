//! iJw messages in: the upload page at `/mijn-aanbod/ijw` and `POST /api/v1/mijn-aanbod/ijw`
//! for providers' own systems. Both call [`super::receive::receive`].

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::apply::Applied;
use super::message::Problem;
use crate::db::schema::trajectories;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::components::scroll_region;
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::{ApiError, AppError, FieldError};

/// Files larger than this together are refused before they are read.
const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;
/// At most this many problems are listed on the page (all are counted).
const PROBLEMS_SHOWN: usize = 500;

/// Routes inside the `/mijn-aanbod` scope (provider users only).
pub fn provider_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/ijw", web::get().to(upload_page))
        .route("/ijw", web::post().to(upload))
        .route("/ijw/voorbeeld.zip", web::get().to(example));
}

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/mijn-aanbod/ijw", web::post().to(api_upload));
}

fn page(state: &AppState, account: Account<'_>, title: &str, body: Markup) -> Markup {
    Page {
        title,
        site: &state.site,
        crumbs: vec![
            Crumb::link("Mijn aanbod", "/mijn-aanbod"),
            Crumb::here("iJw-berichten"),
        ],
        section: None,
        account: Some(account),
    }
    .render(body)
}

fn upload_form(account: Account<'_>) -> Markup {
    html! {
        form method="post" action="/mijn-aanbod/ijw" enctype="multipart/form-data" {
            (account.csrf.field())
            div.form-field {
                label for="berichten" { "JW305- en JW307-berichten" }
                p.hint #berichten-hint { "XML-bestanden of een zip-bestand met berichten. U mag meer bestanden tegelijk kiezen. Hoogstens 100.000 berichten en 100 MB." }
                input #berichten type="file" name="berichten" multiple accept=".xml,.zip,application/xml,text/xml,application/zip" required aria-describedby="berichten-hint";
            }
            button type="submit" { "Berichten versturen" }
        }
    }
}

/// The explanation shared by the page and the receipt: privacy, the mapping.
fn explanation(site_demo: bool) -> Markup {
    html! {
        h2 { "Wat wij met een bericht doen" }
        ul {
            li { "Wij lezen het begin (JW305) en het einde (JW307) van de hulp. Begin en einde met hetzelfde ToewijzingNummer worden één traject." }
            li { "Het BSN maken wij meteen onherkenbaar: het wordt een code die per regio met een geheime sleutel is gemaakt. Zo zien wij of iemand binnen 12 maanden terugkomt, ook bij een andere aanbieder. Het BSN zelf bewaren wij niet." }
            li { "Naam en geslacht lezen wij niet. Van de geboortedatum houden wij alleen de leeftijdsgroep bij de start over." }
            li { "Is één bericht niet goed, dan slaan wij niets op en ziet u welk bericht, welk onderdeel en waarom." }
            li { "Stuurt u een bericht nog een keer, dan verandert er niets. StatusAanlevering 2 wijzigt, 3 trekt in." }
        }
        (scroll_region("Reden beëindiging (JZ588)", html! {
            table.data-table.data-table--wrap {
                caption { "Reden beëindiging (JZ588): zo tellen wij" }
                thead { tr { th scope="col" { "Code" } th scope="col" { "Betekenis" } th scope="col" { "Zo telt het" } } }
                tbody { @for r in super::JZ588 { tr { td { (r.code) } td { (r.meaning) } td { (r.counts) } } } }
            }
        }))
        h2 { "Productcodes" }
        p { "Het product (Categorie en Code) vertelt ons het profiel en de intensiteit. Elke regio kent de codes J + profielnummer + eerste letter van de intensiteit: J3I is profiel 3, intensief; J5P is profiel 5, perspectief. Heeft uw regio eigen productcodes, dan gelden die ook." }
        @if site_demo {
            p { a href="/mijn-aanbod/ijw/voorbeeld.zip" download { "Download een voorbeeld: een jaar berichten van uw organisatie (zip, verzonnen cliënten)" } }
        }
    }
}

async fn upload_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let cache = state.reference.clone();
    let (total, ended, own_codes) = state
        .db
        .run(move |conn| {
            let base = trajectories::table
                .filter(trajectories::provider_id.eq(provider_id))
                .filter(trajectories::source.eq("ijw"));
            let reference = cache.get(conn)?;
            let mut own_codes = Vec::new();
            for region in super::receive::regions_of(conn, provider_id)? {
                let codes = crate::reference::regions::products::own_codes(conn, region)?;
                if let (false, Some(r)) = (codes.is_empty(), reference.region(region)) {
                    own_codes.push((r.name.clone(), codes));
                }
            }
            Ok((
                base.count().get_result::<i64>(conn)?,
                base.filter(trajectories::end_date.is_not_null())
                    .count()
                    .get_result::<i64>(conn)?,
                own_codes,
            ))
        })
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        page(
            &state,
            account,
            "iJw-berichten",
            html! {
                h1 { "iJw-berichten" }
                p { "Stuur ons de start- en stopberichten die u toch al aan de gemeente stuurt (iJw 3.2: JW305 en JW307). Dan hoeft u geen apart bestand te maken. Doelen en tevredenheid komen van de gemeente en het gezin." }
                p { "Uit iJw-berichten: " (crate::web::text::number_nl(total as u64)) " trajecten, waarvan " (crate::web::text::number_nl(ended as u64)) " afgesloten." }
                @if state.pseudonyms.is_none() {
                    div.notice role="status" { p { (NO_KEY) } }
                }
                (upload_form(account))
                (explanation(state.site.demo))
                @for (region, codes) in &own_codes {
                    (scroll_region(&format!("Eigen productcodes van regio {region}"), html! {
                        table.data-table {
                            caption { "Eigen productcodes van regio " (region) }
                            thead { tr { th scope="col" { "Productcode" } th scope="col" { "Profiel" } th scope="col" { "Intensiteit" } } }
                            tbody { @for c in codes { tr { td { (c.code) } td { (c.profile) } td { (c.intensity) } } } }
                        }
                    }))
                }
            },
        ),
    ))
}

fn applied_list(applied: &Applied) -> Markup {
    let n = |v: usize| crate::web::text::number_nl(v as u64);
    html! {
        ul {
            li { (n(applied.lines)) " regels gelezen (start of stop van een product)" }
            li { (n(applied.new)) " nieuwe trajecten" }
            li { (n(applied.changed)) " trajecten bijgewerkt" }
            li { (n(applied.withdrawn)) " trajecten ingetrokken" }
            li { (n(applied.known)) " regels hadden wij al: niets veranderd" }
        }
    }
}

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    csrf: CsrfToken,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    if state.pseudonyms.is_none() {
        return Err(AppError::Conflict(NO_KEY.into()));
    }
    let files = match crate::web::multipart::read(
        &req,
        payload,
        MAX_UPLOAD_BYTES,
        "berichten",
        "De bestanden zijn samen groter dan 100 MB. Stuur ze in delen.",
    )
    .await
    {
        Ok(mut fields) => fields.take_all("berichten"),
        Err(AppError::InvalidInput(errors)) => {
            let problems: Vec<Problem> = errors
                .into_iter()
                .map(|e| Problem::new("upload", "bestand", e.message))
                .collect();
            return Ok(problems_page(&state, &user, &csrf, &problems));
        }
        Err(other) => return Err(other),
    };
    if files.is_empty() {
        let problems = [Problem::new(
            "upload",
            "bestand",
            "Kies een of meer XML- of zip-bestanden.",
        )];
        return Ok(problems_page(&state, &user, &csrf, &problems));
    }
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .enumerate()
        .map(|(i, (name, bytes))| (file_name(&name, i), bytes))
        .collect();
    let outcome = run(&state, provider_id, user.id, files).await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    match outcome {
        Err(problems) => Ok(problems_page(&state, &user, &csrf, &problems)),
        Ok(applied) => Ok(html_response(
            StatusCode::OK,
            page(
                &state,
                account,
                "Berichten ontvangen",
                html! {
                    h1 { "Berichten ontvangen" }
                    div.notice role="status" tabindex="-1" { p { "Alle berichten zijn gelezen en opgeslagen." } }
                    (applied_list(&applied))
                    p { a.button href="/mijn-aanbod/cijfers" { "Bekijk uw cijfers" } }
                    h2 { "Meer berichten sturen" }
                    (upload_form(account))
                },
            ),
        )),
    }
}

/// An element's path with a place to break after each `/`.
fn path_with_breaks(path: &str) -> Markup {
    html! {
        @for (i, part) in path.split('/').enumerate() {
            @if i > 0 { "/" wbr; }
            (part)
        }
    }
}

/// A file name as the browser sent it, safe to show: no path, no control characters, short.
fn file_name(sent: &str, index: usize) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let clean = super::files::short_name(base);
    if clean.trim().is_empty() {
        format!("bestand {}", index + 1)
    } else {
        clean
    }
}

/// Uploads read at the same time: each may hold a few hundred megabytes while it is read.
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

async fn run(
    state: &AppState,
    provider_id: crate::domain::ids::ProviderId,
    user_id: i64,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Result<Applied, Vec<Problem>>, AppError> {
    let Some(keys) = state.pseudonyms.clone() else {
        return Err(AppError::Conflict(NO_KEY.into()));
    };
    let reference = state.reference_data().await?;
    let facts = {
        let reference = reference.clone();
        state
            .db
            .run(move |conn| Ok(super::receive::facts(conn, &reference, provider_id)?))
            .await?
    };
    let today = crate::clock::today();
    // Unzipping and reading is the long part: on a blocking thread, without a connection,
    // and no more than two uploads at once.
    let _permit = READING
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!("reading closed: {e}"))?;
    let checked = web::block(move || {
        super::receive::read_and_check(&files, &facts, &reference, &keys, today)
    })
    .await
    .map_err(|e| anyhow::anyhow!("reading the messages stopped: {e}"))?;
    match checked {
        Ok(lines) => {
            state
                .db
                .run(move |conn| super::receive::store(conn, provider_id, user_id, lines))
                .await
        }
        Err(problems) => Ok(Err(problems)),
    }
}

/// Why nothing is read where the portal has no key of its own for pseudonyms.
const NO_KEY: &str = "Het portaal kan nog geen iJw-berichten ontvangen: de beheerder van het portaal moet eerst een eigen sleutel voor pseudoniemen instellen (PSEUDONYM_KEY). Er is niets opgeslagen.";

fn problems_page(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    problems: &[Problem],
) -> HttpResponse {
    let account = Account { user, csrf };
    html_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            state,
            account,
            "De berichten zijn niet opgeslagen",
            html! {
                h1 { "De berichten zijn niet opgeslagen" }
                div.error-summary role="alert" tabindex="-1" {
                    h2 { "Wij vonden " (problems.len()) " fout" @if problems.len() != 1 { "en" } }
                    p { "Er is niets opgeslagen. Verbeter de berichten en stuur ze opnieuw." }
                }
                (scroll_region("Fouten per bericht", html! {
                    table.data-table.data-table--wrap {
                        caption.visually-hidden { "Fouten per bericht" }
                        thead { tr { th scope="col" { "Bericht" } th scope="col" { "Onderdeel" } th scope="col" { "Wat is er mis?" } } }
                        tbody {
                            @for p in problems.iter().take(PROBLEMS_SHOWN) {
                                tr { td { (p.message) } td { code { (path_with_breaks(&p.element)) } } td { (p.reason) } }
                            }
                        }
                    }
                }))
                @if problems.len() > PROBLEMS_SHOWN { p { "En nog " (problems.len() - PROBLEMS_SHOWN) " fouten." } }
                h2 { "Opnieuw versturen" }
                (upload_form(account))
            },
        ),
    )
}

/// A year of this provider's messages about fictional clients, to try the upload with: only
/// where the portal runs the demo.
async fn example(state: web::Data<AppState>, user: SessionUser) -> Result<HttpResponse, AppError> {
    if !state.site.demo {
        // Fictional clients never enter a region's real figures.
        return Err(AppError::Conflict(
            "Het voorbeeldbestand is er alleen in de demo van het portaal.".into(),
        ));
    }
    let provider_id = user.own_provider()?;
    let cache = state.reference.clone();
    let bytes = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            super::example::for_provider(conn, &reference, provider_id, crate::clock::today())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"ijw-berichten-voorbeeld.zip\"",
        ))
        .body(bytes))
}

/// The largest body the API reads.
const MAX_API_BODY: usize = 100 * 1024 * 1024;

/// The refusal: nothing was stored.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RefusedMessages {
    /// `invalid_messages`
    error: &'static str,
    message: &'static str,
    /// Per problem: `message` (where), `element` (its path under Bericht), `reason`.
    #[schema(value_type = Vec<Object>)]
    details: Vec<Problem>,
}

/// `{"received": {…}}`
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Received {
    received: Applied,
}

#[utoipa::path(post, path = "/api/v1/mijn-aanbod/ijw", tag = "provider", security(("provider_token" = [])),
    request_body(content = String, content_type = "application/xml", description = "One JW305 or JW307 message of iJw 3.2, several after one another, or a zip (application/zip) of them"),
    responses((status = 200, description = "Stored", body = Received), (status = 400, description = "The body was refused", body = crate::web::ApiErrorDoc),
        (status = 401, description = "No valid provider token", body = crate::web::ApiErrorDoc), (status = 413, description = "The body is too large", body = crate::web::ApiErrorDoc),
        (status = 409, description = "The portal has no key for pseudonyms yet (PSEUDONYM_KEY)", body = crate::web::ApiErrorDoc),
        (status = 422, description = "Nothing was stored; details per message and element (at most 1,000)", body = RefusedMessages)))]
pub async fn api_upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let caller = crate::providers::api_access::authenticate(&state, &req).await?;
    if state.pseudonyms.is_none() {
        return Err(AppError::Conflict(NO_KEY.into()).into());
    }
    let too_large = || {
        AppError::InvalidInput(vec![FieldError::new(
            "body",
            "Wat u stuurde is groter dan 100 MB. Stuur de berichten in delen.",
        )])
    };
    let mut body = web::BytesMut::new();
    while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
        let chunk = chunk.map_err(|_| {
            AppError::InvalidInput(vec![FieldError::new(
                "body",
                "Wat u stuurde kwam niet helemaal aan. Probeer het opnieuw.",
            )])
        })?;
        if body.len() + chunk.len() > MAX_API_BODY {
            let mut response = ApiError::json_response(&too_large());
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(response);
        }
        body.extend_from_slice(&chunk);
    }
    // An empty body is refused with the others (422): no message in it.
    let files = vec![("bericht".to_owned(), Vec::from(body))];
    let outcome = run(&state, caller.provider_id, caller.user_id, files).await?;
    match outcome {
        Ok(received) => Ok(HttpResponse::Ok().json(Received { received })),
        Err(details) => Ok(HttpResponse::UnprocessableEntity().json(RefusedMessages {
            error: "invalid_messages",
            message: "Er is niets opgeslagen: een of meer berichten kloppen niet.",
            details,
        })),
    }
}

//! Routes of the choice workflow. Workers live under `/toegang` (role toegangsmedewerker,
//! own municipality only), providers answer under `/mijn-aanbod/aanvragen` (own requests
//! only), families use their private code under `/keuze` and `/ervaring`.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use super::experience::{self, ExperienceForm};
use super::model::{DeclineReason, Hulpvraag, Kader, Status};
use super::pages::{self, FamilyView, HulpvraagForm, WorkerView};
use super::store::{self, Answer, ChosenBy, Closing, NewHulpvraag};
use crate::accounts::Role;
use crate::accounts::routes::see_other;
use crate::catalogue::compare;
use crate::db::DbConnection;
use crate::db::schema::providers;
use crate::outcomes::indicators::GoalResult;
use crate::outcomes::records::{AGE_BANDS, looks_like_bsn, parse_date};
use crate::reference::ReferenceData;
use crate::web::auth::{SessionUser, require};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, html_response};
use crate::web::{AppError, AppState, FieldError};

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
            .route("/{id}/kiezen", web::post().to(choose_together))
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
        .route("/aanvragen/{id}", web::post().to(provider_answer));
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

// ---------------------------------------------------------------- worker

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    pagina: Option<u32>,
}

async fn worker_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let status = query.status.as_deref().and_then(Status::parse);
    let page = query.pagina.unwrap_or(1).max(1);
    let cache = state.reference.clone();
    let who = user.clone();
    let (reference, (items, total)) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                store::list_for_worker(conn, &who, status, page, PER_PAGE)?,
            ))
        })
        .await?;
    let pages_count = crate::web::components::page_count(total, PER_PAGE);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::worker_list(
            &state.site,
            account,
            &reference,
            &items,
            status,
            page,
            pages_count,
        ),
    ))
}

async fn new_form(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let municipality = store::own_municipality(&user)?;
    let reference = state.reference_data().await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::new_hulpvraag(
            &state.site,
            account,
            &reference,
            municipality,
            &HulpvraagForm::default(),
            &[],
        ),
    ))
}

/// Checks the new-hulpvraag form against the worker's own municipality and region.
fn check_new(
    form: &HulpvraagForm,
    reference: &ReferenceData,
    municipality_id: i64,
) -> Result<NewHulpvraag, Vec<FieldError>> {
    let mut errors = Vec::new();
    let region_id = reference
        .municipality(municipality_id)
        .map(|m| m.region_id)
        .unwrap_or_default();
    let profile = form
        .profiel
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|n| reference.profile_in_region(region_id, n));
    if profile.is_none() {
        errors.push(FieldError::new("profiel", "Kies het profiel."));
    }
    let intensity = reference.intensity_in_region(region_id, form.intensiteit.trim());
    if intensity.is_none() {
        errors.push(FieldError::new("intensiteit", "Kies de intensiteit."));
    }
    if !AGE_BANDS.contains(&form.leeftijd.trim()) {
        errors.push(FieldError::new(
            "leeftijd",
            "Kies de leeftijd van het kind of de jongere.",
        ));
    }
    let kader = Kader::parse(form.kader.trim());
    if kader.is_none() {
        errors.push(FieldError::new("kader", "Kies vrijwillig of gedwongen."));
    }
    let case_number = form.zaaknummer.trim();
    if case_number.is_empty() || case_number.chars().count() > 40 {
        errors.push(FieldError::new(
            "zaaknummer",
            "Vul het zaaknummer in (hoogstens 40 tekens).",
        ));
    } else if looks_like_bsn(case_number) {
        errors.push(FieldError::new(
            "zaaknummer",
            "Dit lijkt op een burgerservicenummer. Vul het zaaknummer van uw eigen systeem in, niet het BSN.",
        ));
    }
    let notes = form.notities.trim();
    if notes.chars().count() > 2000 {
        errors.push(FieldError::new(
            "notities",
            "De notities zijn te lang. Gebruik hoogstens 2000 tekens.",
        ));
    } else if looks_like_bsn(notes) {
        errors.push(FieldError::new(
            "notities",
            "De notities bevatten iets dat lijkt op een burgerservicenummer. Haal dat weg.",
        ));
    }
    match (profile, intensity, kader) {
        (Some(p), Some(i), Some(k)) if errors.is_empty() => Ok(NewHulpvraag {
            region_id,
            municipality_id,
            profile_id: p.id,
            intensity_id: i.id,
            kader: k.as_str(),
            age_band: form.leeftijd.trim().to_owned(),
            case_number: case_number.to_owned(),
            notes: notes.to_owned(),
        }),
        _ => Err(errors),
    }
}

async fn create(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<HulpvraagForm>,
) -> Result<HttpResponse, AppError> {
    let municipality = store::own_municipality(&user)?;
    let reference = state.reference_data().await?;
    match check_new(&form, &reference, municipality) {
        Ok(new) => {
            let who = user.clone();
            let id = state
                .db
                .run(move |conn| Ok(conn.write_transaction(|conn| store::open(conn, &who, &new))?))
                .await?;
            Ok(see_other(&format!(
                "/toegang/hulpvragen/{id}?gelukt=geopend"
            )))
        }
        Err(errors) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(html_response(
                StatusCode::BAD_REQUEST,
                pages::new_hulpvraag(
                    &state.site,
                    account,
                    &reference,
                    municipality,
                    &form,
                    &errors,
                ),
            ))
        }
    }
}

#[derive(Deserialize)]
struct PageQuery {
    gelukt: Option<String>,
}

fn message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "geopend" => {
            "De hulpvraag is gemaakt. Bekijk de voorgestelde aanbieders en maak een link voor het gezin."
        }
        "toegevoegd" => "De aanbieder staat nu op de lijst.",
        "verwijderd" => "De aanbieder is van de lijst gehaald.",
        "gekozen" => "De keuze is vastgelegd. De aanbieder heeft een e-mail gekregen.",
        "gestart" => "De start van de hulp is vastgelegd.",
        "link" => "De link voor het gezin is gemaakt. Een eerdere link werkt niet meer.",
        "link_gemaild" => "De link is naar het gezin gemaild. Het e-mailadres is niet bewaard.",
        _ => return None,
    })
}

/// What the worker's page needs, loaded in one go.
struct Loaded {
    reference: std::sync::Arc<ReferenceData>,
    hulpvraag: Hulpvraag,
    shortlist: Vec<compare::Compared>,
    addable: Vec<(i64, String)>,
    requests: Vec<super::model::CareRequest>,
    names: HashMap<i64, String>,
    events: Vec<super::model::Event>,
}

fn load_for_worker(
    conn: &mut DbConnection,
    cache: &crate::reference::ReferenceCache,
    user: &SessionUser,
    id: i64,
) -> Result<Loaded, AppError> {
    let reference = cache.get(conn)?;
    let hulpvraag = store::for_worker(conn, user, id)?;
    let (shortlist, requests) = family_data(conn, &reference, &hulpvraag)?;
    let listed: Vec<i64> = shortlist.iter().map(|c| c.provider.id).collect();
    let others: Vec<i64> = store::candidates(conn, &hulpvraag, false, crate::clock::today())?
        .into_iter()
        .filter(|p| !listed.contains(p))
        .collect();
    let mut ids: Vec<i64> = others.clone();
    ids.extend(requests.iter().map(|r| r.provider_id));
    ids.extend(hulpvraag.provider_id);
    ids.extend(&listed);
    let events = store::events(conn, id)?;
    ids.extend(events.iter().filter_map(|e| e.provider_id));
    let names = names(conn, &ids)?;
    let mut addable: Vec<(i64, String)> = others
        .into_iter()
        .filter_map(|p| names.get(&p).map(|n| (p, n.clone())))
        .collect();
    addable.sort_by_cached_key(|(_, name)| crate::web::text::fold(name));
    Ok(Loaded {
        reference,
        hulpvraag,
        shortlist,
        addable,
        requests,
        names,
        events,
    })
}

fn family_data(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    h: &Hulpvraag,
) -> Result<(Vec<compare::Compared>, Vec<super::model::CareRequest>), AppError> {
    let number = reference.profile(h.profile_id).map_or(0, |p| p.number);
    let ids = store::shortlist(conn, h.id)?;
    Ok((
        compare::load(conn, reference, number, &ids)?,
        store::requests(conn, h.id)?,
    ))
}

struct Shown<'a> {
    experience_code: Option<&'a str>,
    message: Option<&'a str>,
    errors: &'a [FieldError],
    status: StatusCode,
}

async fn render_worker(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    id: i64,
    shown: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let who = user.clone();
    let loaded = state
        .db
        .run(move |conn| load_for_worker(conn, &cache, &who, id))
        .await?;
    let account = Account { user, csrf };
    let family_code = store::current_family_code(&loaded.hulpvraag, &state.link_key);
    let view = WorkerView {
        hulpvraag: &loaded.hulpvraag,
        shortlist: &loaded.shortlist,
        addable: &loaded.addable,
        requests: &loaded.requests,
        names: &loaded.names,
        events: &loaded.events,
        family_code: family_code.as_deref(),
        experience_code: shown.experience_code,
        public_url: &state.public_url,
        message: shown.message,
    };
    Ok(html_response(
        shown.status,
        pages::worker_hulpvraag(&state.site, account, &loaded.reference, &view, shown.errors),
    ))
}

async fn worker_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let shown = Shown {
        experience_code: None,
        message: message(query.gelukt.as_deref()),
        errors: &[],
        status: StatusCode::OK,
    };
    render_worker(&state, &user, &csrf, id.into_inner(), shown).await
}

/// Runs a step on the worker's own hulpvraag in one transaction. Input errors show the page
/// again with the messages; everything else is the step's result.
async fn worker_step<T: Send + 'static>(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    step: impl FnOnce(&mut DbConnection, &Hulpvraag) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let who = user.clone();
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let h = store::for_worker(conn, &who, id)?;
                step(conn, &h)
            })
        })
        .await
}

/// Shows the worker's page with the input errors of a step, or passes other errors on.
async fn or_show_errors(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    id: i64,
    result: Result<HttpResponse, AppError>,
) -> Result<HttpResponse, AppError> {
    match result {
        Err(AppError::InvalidInput(errors)) => {
            let shown = Shown {
                experience_code: None,
                message: None,
                errors: &errors,
                status: StatusCode::BAD_REQUEST,
            };
            render_worker(state, user, csrf, id, shown).await
        }
        other => other,
    }
}

#[derive(Deserialize)]
struct Nothing {}

/// Makes a new family link (an earlier one stops working) and shows the page again: the
/// page shows the current link for as long as the family may use it, so a refresh makes no
/// new code.
async fn family_link(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let key = state.link_key.clone();
    worker_step(&state, &user, id, move |conn, h| {
        if !h.status().may_choose() {
            return Err(AppError::Conflict(
                "Er is al een aanbieder gekozen; een nieuwe link is niet nodig.".into(),
            ));
        }
        store::new_family_code(conn, h, &key)
    })
    .await?;
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt=link#link"
    )))
}

#[derive(Deserialize)]
struct LinkMailForm {
    #[serde(default)]
    email: String,
}

/// Sends the current family link to the family once; the address is not kept.
async fn mail_family_link(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<LinkMailForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let key = state.link_key.clone();
    let public_url = state.public_url.clone();
    let result = async {
        let Some(email) = check_email(&form.email)? else {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                "email",
                "Vul het e-mailadres van het gezin in.",
            )]));
        };
        worker_step(&state, &user, id, move |conn, h| {
            let Some(code) = store::current_family_code(h, &key) else {
                return Err(AppError::Conflict(
                    "Er is geen geldige link voor het gezin. Maak eerst een nieuwe link.".into(),
                ));
            };
            let url = format!("{public_url}/keuze/{code}");
            crate::mail::queue_and_forget(
                conn,
                &super::mail::family_link(&email, &url, &code, h.family_token_expires_at),
            )?;
            store::record_link_mailed(conn, h)?;
            Ok(())
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=link_gemaild#link"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

#[derive(Deserialize)]
struct ProviderForm {
    #[serde(default)]
    aanbieder: String,
}

fn provider_id(form: &ProviderForm) -> Result<i64, AppError> {
    form.aanbieder.trim().parse().map_err(|_| {
        AppError::InvalidInput(vec![FieldError::new("aanbieder", "Kies een aanbieder.")])
    })
}

async fn add_provider(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let result = async {
        let provider = provider_id(&form)?;
        worker_step(&state, &user, id, move |conn, h| {
            store::add_to_shortlist(conn, h, provider)
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=toegevoegd"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

async fn remove_provider(
    state: web::Data<AppState>,
    user: SessionUser,
    path: web::Path<(i64, i64)>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let (id, provider) = path.into_inner();
    worker_step(&state, &user, id, move |conn, h| {
        store::remove_from_shortlist(conn, h, provider)
    })
    .await?;
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt=verwijderd"
    )))
}

async fn choose_together(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = async {
        let provider = provider_id(&form)?;
        worker_step(&state, &user, id, move |conn, h| {
            store::choose(conn, h, provider, ChosenBy::Samen, &public_url)
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=gekozen"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    startdatum: String,
}

async fn record_start(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let result = async {
        let on = parse_date(form.startdatum.trim()).ok_or_else(|| {
            AppError::InvalidInput(vec![FieldError::new(
                "startdatum",
                "Vul een geldige startdatum in, bijvoorbeeld 2026-03-01.",
            )])
        })?;
        worker_step(&state, &user, id, move |conn, h| store::start(conn, h, on)).await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=gestart"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

#[derive(Deserialize)]
struct CloseForm {
    #[serde(default)]
    einddatum: String,
    #[serde(default)]
    reden: String,
    #[serde(default)]
    doelen: String,
    #[serde(default)]
    email: String,
}

fn check_email(email: &str) -> Result<Option<String>, AppError> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if email.parse::<lettre::Address>().is_err() || email.len() > 254 {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "email",
            "Dit e-mailadres klopt niet. Controleer het, of laat het veld leeg en geef de link zelf.",
        )]));
    }
    Ok(Some(email.to_owned()))
}

fn queue_invitation(
    conn: &mut DbConnection,
    public_url: &str,
    email: Option<&str>,
    code: &str,
) -> QueryResult<()> {
    if let Some(to) = email {
        crate::mail::queue_and_forget(
            conn,
            &super::mail::experience_invitation(to, &format!("{public_url}/ervaring/{code}"), code),
        )?;
    }
    Ok(())
}

async fn close(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<CloseForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = async {
        let mut errors = Vec::new();
        let ended_on = parse_date(form.einddatum.trim());
        if ended_on.is_none() {
            errors.push(FieldError::new("einddatum", "Vul een geldige einddatum in."));
        }
        let reason = form.reden.trim().parse::<u8>().ok().filter(|r| (1..=5).contains(r));
        if reason.is_none() {
            errors.push(FieldError::new("reden", "Kies hoe de hulp is geëindigd."));
        }
        let goal = GoalResult::parse(form.doelen.trim());
        if goal.is_none() {
            errors.push(FieldError::new("doelen", "Kies of de doelen zijn bereikt."));
        }
        let email = match check_email(&form.email) {
            Ok(email) => email,
            Err(AppError::InvalidInput(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(other) => return Err(other),
        };
        let (Some(ended_on), Some(cbs_reason), Some(goal), true) =
            (ended_on, reason, goal, errors.is_empty())
        else {
            return Err(AppError::InvalidInput(errors));
        };
        let closing = Closing {
            ended_on,
            cbs_reason,
            goal,
        };
        worker_step(&state, &user, id, move |conn, h| {
            let code = store::close(conn, h, &closing)?;
            queue_invitation(conn, &public_url, email.as_deref(), &code)?;
            Ok((code, email.is_some()))
        })
        .await
        .map(|(code, mailed)| {
            (
                code,
                if mailed {
                    "De hulpvraag is afgesloten. Het gezin krijgt de vragenlijst per e-mail; het adres wordt daarna gewist."
                } else {
                    "De hulpvraag is afgesloten. Geef het gezin de link naar de vragenlijst."
                },
            )
        })
    }
    .await;
    match result {
        Ok((code, message)) => {
            let shown = Shown {
                experience_code: Some(&code),
                message: Some(message),
                errors: &[],
                status: StatusCode::OK,
            };
            render_worker(&state, &user, &csrf, id, shown).await
        }
        Err(other) => or_show_errors(&state, &user, &csrf, id, Err(other)).await,
    }
}

#[derive(Deserialize)]
struct QuestionnaireForm {
    #[serde(default)]
    email: String,
}

async fn new_questionnaire(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<QuestionnaireForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = async {
        let email = check_email(&form.email)?;
        worker_step(&state, &user, id, move |conn, h| {
            let code = store::new_experience_code(conn, h)?;
            queue_invitation(conn, &public_url, email.as_deref(), &code)?;
            Ok(code)
        })
        .await
    }
    .await;
    match result {
        Ok(code) => {
            let shown = Shown {
                experience_code: Some(&code),
                message: Some(
                    "Er is een nieuwe link voor de vragenlijst. De vorige werkt niet meer.",
                ),
                errors: &[],
                status: StatusCode::OK,
            };
            render_worker(&state, &user, &csrf, id, shown).await
        }
        Err(other) => or_show_errors(&state, &user, &csrf, id, Err(other)).await,
    }
}

// ---------------------------------------------------------------- family

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

async fn family_enter(state: web::Data<AppState>, query: web::Query<CodeQuery>) -> HttpResponse {
    enter(
        &state,
        "/keuze",
        "Uw keuzelijst openen",
        query.code.as_deref(),
    )
}

async fn experience_enter(
    state: web::Data<AppState>,
    query: web::Query<CodeQuery>,
) -> HttpResponse {
    enter(
        &state,
        "/ervaring",
        "Vragenlijst openen",
        query.code.as_deref(),
    )
}

fn enter(state: &AppState, action: &str, title: &str, typed: Option<&str>) -> HttpResponse {
    match typed.map(super::code::normalise) {
        Some(Some(code)) => see_other(&format!("{action}/{code}")),
        Some(None) => html_response(
            StatusCode::BAD_REQUEST,
            pages::enter_code(
                &state.site,
                action,
                title,
                Some(
                    "Deze code klopt niet. Een code heeft 20 letters en cijfers, bijvoorbeeld k3m9x-7hq2d-p4wzr-b8c1n.",
                ),
            ),
        ),
        None => html_response(
            StatusCode::OK,
            pages::enter_code(&state.site, action, title, None),
        ),
    }
}

/// `action` is where a code typed again goes: `/keuze` or `/ervaring`.
fn link_not_working(state: &AppState, action: &str) -> HttpResponse {
    html_response(
        StatusCode::NOT_FOUND,
        pages::link_not_working(&state.site, action),
    )
}

async fn render_family(
    state: &AppState,
    csrf: &CsrfToken,
    code: String,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_family_or_confirm(state, csrf, code, errors, status, None).await
}

/// The family's list, or with `confirming` (a provider's slug) the page that asks the family
/// to confirm that choice. A provider that cannot be chosen shows the list with the reason.
async fn render_family_or_confirm(
    state: &AppState,
    csrf: &CsrfToken,
    code: String,
    errors: &[FieldError],
    status: StatusCode,
    confirming: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let typed = code.clone();
    let slug = confirming.map(str::to_owned);
    let loaded =
        state
            .db
            .run(move |conn| {
                let Some(h) = store::by_family_code(conn, &typed)? else {
                    return Ok(None);
                };
                let reference = cache.get(conn)?;
                let (shortlist, requests) = family_data(conn, &reference, &h)?;
                // The choice being confirmed passes the same guards as the final choice.
                let refusal = match &slug {
                None => None,
                Some(slug) => match shortlist.iter().find(|c| &c.provider.slug == slug) {
                    None => Some(
                        "Deze aanbieder staat niet op de lijst. Kies een aanbieder van de lijst."
                            .to_owned(),
                    ),
                    Some(c) => match store::check_choice(conn, &h, c.provider.id, ChosenBy::Gezin) {
                        Ok(()) => None,
                        Err(
                            e @ (AppError::Forbidden(_)
                            | AppError::Conflict(_)
                            | AppError::InvalidInput(_)),
                        ) => Some(e.message()),
                        Err(other) => return Err(other),
                    },
                },
            };
                let ids: Vec<i64> = requests
                    .iter()
                    .map(|r| r.provider_id)
                    .chain(h.provider_id)
                    .collect();
                let names = names(conn, &ids)?;
                Ok(Some((reference, h, shortlist, requests, names, refusal)))
            })
            .await?;
    let Some((reference, h, shortlist, requests, names, refusal)) = loaded else {
        return Ok(link_not_working(state, "/keuze"));
    };
    let code = super::code::normalise(&code).unwrap_or(code);
    let view = FamilyView {
        hulpvraag: &h,
        code: &code,
        shortlist: &shortlist,
        requests: &requests,
        names: &names,
    };
    if let Some(slug) = confirming {
        let chosen = shortlist.iter().find(|c| c.provider.slug == slug);
        return Ok(match (refusal, chosen) {
            (None, Some(chosen)) => html_response(
                StatusCode::OK,
                pages::confirm_choice(&state.site, csrf, &reference, &view, chosen),
            ),
            (refusal, _) => {
                let errors = [FieldError::form(refusal.unwrap_or_default())];
                html_response(
                    StatusCode::BAD_REQUEST,
                    pages::family_choice(&state.site, csrf, &reference, &view, &errors),
                )
            }
        });
    }
    Ok(html_response(
        status,
        pages::family_choice(&state.site, csrf, &reference, &view, errors),
    ))
}

async fn family_confirm(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
    query: web::Query<FamilyChoice>,
) -> Result<HttpResponse, AppError> {
    let slug = query.aanbieder.trim().to_owned();
    render_family_or_confirm(
        &state,
        &csrf,
        code.into_inner(),
        &[],
        StatusCode::OK,
        Some(&slug),
    )
    .await
}

async fn family_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    render_family(&state, &csrf, code.into_inner(), &[], StatusCode::OK).await
}

#[derive(Deserialize)]
struct FamilyChoice {
    #[serde(default)]
    aanbieder: String,
}

async fn family_choose(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
    CheckedForm(form): CheckedForm<FamilyChoice>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let typed = code.clone();
    let public_url = state.public_url.clone();
    let slug = form.aanbieder.trim().to_owned();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(h) = store::by_family_code(conn, &typed)? else {
                    return Ok(false);
                };
                let provider: Option<i64> = providers::table
                    .filter(providers::slug.eq(&slug))
                    .select(providers::id)
                    .first(conn)
                    .optional()?;
                let Some(provider) = provider else {
                    return Err(AppError::InvalidInput(vec![FieldError::form(
                        "Deze aanbieder staat niet op de lijst. Kies een aanbieder van de lijst.",
                    )]));
                };
                store::choose(conn, &h, provider, ChosenBy::Gezin, &public_url)?;
                Ok(true)
            })
        })
        .await;
    match result {
        Ok(true) => Ok(see_other(&format!("/keuze/{code}"))),
        Ok(false) => Ok(link_not_working(&state, "/keuze")),
        Err(AppError::InvalidInput(errors)) => {
            render_family(&state, &csrf, code, &errors, StatusCode::BAD_REQUEST).await
        }
        Err(AppError::Conflict(message)) => {
            let errors = [FieldError::form(message)];
            render_family(&state, &csrf, code, &errors, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other),
    }
}

async fn family_help(
    state: web::Data<AppState>,
    code: web::Path<String>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let typed = code.clone();
    let public_url = state.public_url.clone();
    let found = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let Some(h) = store::by_family_code(conn, &typed)? else {
                    return Ok(false);
                };
                store::ask_for_help(conn, &h, &public_url)?;
                Ok(true)
            })
        })
        .await?;
    if found {
        Ok(see_other(&format!("/keuze/{code}")))
    } else {
        Ok(link_not_working(&state, "/keuze"))
    }
}

async fn experience_context(
    state: &AppState,
    code: String,
) -> Result<Option<(Hulpvraag, String)>, AppError> {
    state
        .db
        .run(move |conn| {
            let Some(h) = store::by_experience_code(conn, &code)? else {
                return Ok(None);
            };
            let name = match h.provider_id {
                Some(p) => providers::table
                    .find(p)
                    .select(providers::name)
                    .first(conn)?,
                None => return Ok(None),
            };
            Ok(Some((h, name)))
        })
        .await
}

async fn experience_page(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let Some((_, name)) = experience_context(&state, code.clone()).await? else {
        return Ok(link_not_working(&state, "/ervaring"));
    };
    let code = super::code::normalise(&code).unwrap_or(code);
    Ok(html_response(
        StatusCode::OK,
        pages::experience_form(
            &state.site,
            &csrf,
            &code,
            &name,
            &ExperienceForm::default(),
            &[],
        ),
    ))
}

async fn experience_submit(
    state: web::Data<AppState>,
    csrf: CsrfToken,
    code: web::Path<String>,
    CheckedForm(form): CheckedForm<ExperienceForm>,
) -> Result<HttpResponse, AppError> {
    let code = code.into_inner();
    let Some((h, name)) = experience_context(&state, code.clone()).await? else {
        return Ok(link_not_working(&state, "/ervaring"));
    };
    match experience::check(&form) {
        Ok(answers) => {
            state
                .db
                .run(move |conn| {
                    conn.write_transaction(|conn| experience::save(conn, &h, &answers))
                })
                .await?;
            Ok(html_response(
                StatusCode::OK,
                pages::experience_thanks(&state.site),
            ))
        }
        Err(errors) => {
            let code = super::code::normalise(&code).unwrap_or(code);
            Ok(html_response(
                StatusCode::BAD_REQUEST,
                pages::experience_form(&state.site, &csrf, &code, &name, &form, &errors),
            ))
        }
    }
}

// ---------------------------------------------------------------- provider

#[derive(Deserialize)]
struct RequestsQuery {
    alle: Option<String>,
    pagina: Option<u32>,
    gelukt: Option<String>,
}

async fn provider_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<RequestsQuery>,
) -> Result<HttpResponse, AppError> {
    let message = match query.gelukt.as_deref() {
        Some("geaccepteerd") => {
            Some("U heeft de aanvraag geaccepteerd. De toegangsmedewerker krijgt bericht.")
        }
        Some("afgewezen") => {
            Some("U heeft de aanvraag afgewezen. Het gezin kiest een andere aanbieder.")
        }
        _ => None,
    };
    render_provider_list(
        &state,
        &user,
        &csrf,
        query.alle.is_none(),
        query.pagina.unwrap_or(1),
        message,
        &[],
    )
    .await
}

async fn render_provider_list(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    open_only: bool,
    page: u32,
    message: Option<&str>,
    errors: &[(i64, Vec<FieldError>)],
) -> Result<HttpResponse, AppError> {
    let page = page.max(1);
    let cache = state.reference.clone();
    let who = user.clone();
    let (reference, (items, total)) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                store::list_for_provider(conn, &who, open_only, page, PER_PAGE)?,
            ))
        })
        .await?;
    let pages_count = crate::web::components::page_count(total, PER_PAGE);
    let account = Account { user, csrf };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(html_response(
        status,
        pages::provider_requests(
            &state.site,
            account,
            &reference,
            &pages::RequestsView {
                items: &items,
                open_only,
                page,
                pages: pages_count,
                message,
                errors,
            },
        ),
    ))
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    antwoord: String,
    #[serde(default)]
    startdatum: String,
    #[serde(default)]
    reden: String,
    #[serde(default)]
    toelichting: String,
}

fn check_answer(form: &AnswerForm, today: NaiveDate) -> Result<Answer, Vec<FieldError>> {
    match form.antwoord.as_str() {
        "accepteren" => match parse_date(form.startdatum.trim()) {
            Some(d) if d >= today => Ok(Answer::Accept { expected_start: d }),
            Some(_) => Err(vec![FieldError::new(
                "startdatum",
                "De verwachte startdatum ligt in het verleden. Kies vandaag of later.",
            )]),
            None => Err(vec![FieldError::new(
                "startdatum",
                "Vul de verwachte startdatum in.",
            )]),
        },
        "afwijzen" => {
            let note = form.toelichting.trim();
            match DeclineReason::parse(form.reden.trim()) {
                None => Err(vec![FieldError::new(
                    "reden",
                    "Kies waarom u niet kunt helpen.",
                )]),
                Some(_) if note.chars().count() > 1000 => Err(vec![FieldError::new(
                    "toelichting",
                    "De toelichting is te lang. Gebruik hoogstens 1000 tekens.",
                )]),
                // The worker reads this note: no BSN in it.
                Some(_) if looks_like_bsn(note) => Err(vec![FieldError::new(
                    "toelichting",
                    crate::web::input::BSN_MESSAGE,
                )]),
                Some(reason) => Ok(Answer::Decline {
                    reason,
                    note: note.to_owned(),
                }),
            }
        }
        _ => Err(vec![FieldError::new(
            "antwoord",
            "Kies accepteren of afwijzen.",
        )]),
    }
}

async fn provider_answer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<AnswerForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let answer = match check_answer(&form, crate::clock::today()) {
        Ok(answer) => answer,
        Err(errors) => {
            return render_provider_list(&state, &user, &csrf, true, 1, None, &[(id, errors)])
                .await;
        }
    };
    let who = user.clone();
    let public_url = state.public_url.clone();
    let code = match &answer {
        Answer::Accept { .. } => "geaccepteerd",
        Answer::Decline { .. } => "afgewezen",
    };
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let (request, h) = store::request_for_provider(conn, &who, id)?;
                store::answer(conn, &request, &h, &answer, &public_url)
            })
        })
        .await?;
    Ok(see_other(&format!("/mijn-aanbod/aanvragen?gelukt={code}")))
}

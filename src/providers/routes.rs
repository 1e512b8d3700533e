use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::admission::{self, Decision};
use super::model::{AdmissionStatus, Provider};
use super::registration::{self, RegistrationForm};
use super::{agreements, pages};
use crate::accounts::Role;
use crate::db::schema::{admissions, agreement_signatures, process_agreements, providers, regions};
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::auth::{SessionUser, require};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, form_response, html_response};

const MANAGERS: &[Role] = &[Role::Contractmanager, Role::Beheerder];
const ADMINISTRATORS: &[Role] = &[Role::Beheerder];
const WORK_LIST_PAGE: i64 = 25;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(super::api::routes)
        .route("/registreren", web::get().to(registration_page))
        .route("/registreren", web::post().to(register))
        .route("/registreren/ontvangen", web::get().to(registration_done))
        .service(
            web::scope("/beheer/aanmeldingen")
                .wrap(from_fn(require(MANAGERS)))
                .route("", web::get().to(work_list))
                .route("/{id}", web::get().to(admission_page))
                .route("/{id}", web::post().to(decide))
                .route(
                    "/{id}/uitvoeringsovereenkomst",
                    web::post().to(grant_execution),
                ),
        )
        .service(
            web::scope("/beheer/procesovereenkomst")
                .wrap(from_fn(require(ADMINISTRATORS)))
                .configure(super::agreements_admin::routes),
        );
}

/// The KVK number and employee eHerkenning vouched for, when the registration came from an
/// eHerkenning sign-in of an unknown organisation (a signed cookie); the form shows the
/// number and the server uses it, whatever the form sends.
fn verified_company(
    state: &AppState,
    req: &HttpRequest,
) -> Option<(crate::domain::values::Kvk, String, String)> {
    use crate::accounts::oidc::eherkenning;
    let issuer = state
        .sign_in
        .eherkenning
        .as_ref()?
        .provider
        .issuer()
        .to_owned();
    let cookie = req.cookie(eherkenning::REGISTRATION_COOKIE)?;
    let (kvk, acting) = eherkenning::registration_of(&state.sign_in.key, cookie.value())?;
    Some((kvk, acting, issuer))
}

async fn registration_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let (reference, agreements) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, agreements::current(conn)?)))
        .await?;
    let mut form = RegistrationForm::default();
    if let Some((kvk, _, _)) = verified_company(&state, &req) {
        form.kvk = kvk.into_string();
        form.kvk_verified = true;
    }
    Ok(html_response(
        StatusCode::OK,
        pages::registration(&state.site, &csrf, &reference, &agreements, &form, &[]),
    ))
}

/// Registrations from one address within the login window: each one mails contract managers.
const REGISTRATIONS_PER_ADDRESS: i64 = 5;

async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    csrf: CsrfToken,
    CheckedForm(mut form): CheckedForm<RegistrationForm>,
) -> Result<HttpResponse, AppError> {
    let company = verified_company(&state, &req);
    if let Some((kvk, _, _)) = &company {
        form.kvk = kvk.as_str().to_owned();
        form.kvk_verified = true;
    }
    let cache = state.reference.clone();
    let public_url = state.public_url.clone();
    let ip = crate::accounts::client_ip(&req);
    let key = format!("aanmelding:{ip}");
    let counted = key.clone();
    let (reference, agreements, limited) = state
        .db
        .run(move |conn| {
            // Counted under their own key: every registration mails the regions' managers.
            let sent = crate::accounts::throttle::count(conn, &counted)?;
            Ok((
                cache.get(conn)?,
                agreements::current(conn)?,
                sent >= REGISTRATIONS_PER_ADDRESS,
            ))
        })
        .await?;
    let render = |errors: &[crate::web::FieldError]| {
        form_response(
            errors,
            pages::registration(&state.site, &csrf, &reference, &agreements, &form, errors),
        )
    };
    if limited {
        let errors = [crate::web::FieldError::form(
            "Vanaf dit adres zijn net al meerdere aanmeldingen verstuurd. Wacht 15 minuten en probeer het dan opnieuw.",
        )];
        return Ok(html_response(
            StatusCode::TOO_MANY_REQUESTS,
            pages::registration(&state.site, &csrf, &reference, &agreements, &form, &errors),
        ));
    }
    // The password is hashed (argon2, some tens of milliseconds) without holding a connection.
    let checked = {
        let (submitted, reference, agreements) =
            (form.clone(), reference.clone(), agreements.clone());
        web::block(move || registration::validate(&submitted, &reference, &agreements))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
    };
    let valid = match checked {
        Ok(valid) => valid,
        Err(errors) => return Ok(render(&errors)),
    };
    let stored_reference = reference.clone();
    let from_eherkenning = company.is_some();
    let outcome = state
        .db
        .run(move |conn| {
            match conn.write_transaction(|conn| {
                crate::accounts::throttle::note(conn, &key, &ip)?;
                let provider =
                    registration::register(conn, &valid, &stored_reference, &public_url)?;
                // The employee who came with eHerkenning signs in with it from now on.
                if let (Some(_), Some((kvk, acting, issuer))) = (provider, &company) {
                    crate::accounts::oidc::eherkenning::link_registered(
                        conn,
                        issuer,
                        kvk,
                        acting,
                        &valid.email,
                    )?;
                }
                Ok(provider)
            }) {
                Ok(_) => Ok(Ok(())),
                Err(AppError::InvalidInput(errors)) => Ok(Err(errors)),
                Err(other) => Err(other),
            }
        })
        .await?;
    match outcome {
        Ok(()) => {
            let mut response = see_other("/registreren/ontvangen");
            if from_eherkenning {
                // Used: the number is registered, the cookie has done its work.
                let mut used = actix_web::cookie::Cookie::new(
                    crate::accounts::oidc::eherkenning::REGISTRATION_COOKIE,
                    "",
                );
                used.set_path("/registreren");
                used.make_removal();
                response.add_cookie(&used).map_err(anyhow::Error::from)?;
            }
            Ok(response)
        }
        Err(errors) => Ok(render(&errors)),
    }
}

async fn registration_done(state: web::Data<AppState>) -> HttpResponse {
    html_response(StatusCode::OK, pages::registration_done(&state.site))
}

#[derive(Deserialize)]
struct WorkListQuery {
    status: Option<String>,
    pagina: Option<u32>,
}

async fn work_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<WorkListQuery>,
) -> Result<HttpResponse, AppError> {
    let status = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(AdmissionStatus::parse);
    let page = query.pagina.unwrap_or(1).max(1);
    let region = user
        .region_scope()
        .and_then(crate::web::auth::RegionScope::filter);
    let (items, total) = state
        .db
        .run(move |conn| {
            let statuses: Vec<AdmissionStatus> = match status {
                Some(s) => vec![s],
                None => vec![AdmissionStatus::Aangemeld, AdmissionStatus::InBehandeling],
            };
            let filtered = || {
                let mut query = admissions::table
                    .inner_join(providers::table)
                    .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
                    .filter(admissions::status.eq_any(statuses.clone()))
                    .into_boxed();
                if let Some(region) = region {
                    query = query.filter(admissions::region_id.eq(region));
                }
                query
            };
            let total: i64 = filtered().count().get_result(conn)?;
            type Row = (
                i64,
                i64,
                i64,
                String,
                String,
                String,
                String,
                chrono::NaiveDateTime,
            );
            let rows: Vec<Row> = filtered()
                .order((admissions::updated_at, admissions::id))
                .limit(WORK_LIST_PAGE)
                .offset(i64::from(page - 1) * WORK_LIST_PAGE)
                .select((
                    admissions::id,
                    admissions::provider_id,
                    admissions::region_id,
                    providers::name,
                    providers::city,
                    regions::name,
                    admissions::status,
                    admissions::updated_at,
                ))
                .load(conn)?;
            // "Laatst gewijzigd" is the date of the newest entry in the history the page of
            // the registration shows, not when the row was last written.
            let provider_ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
            let mut last: std::collections::HashMap<(i64, i64), chrono::NaiveDate> =
                std::collections::HashMap::new();
            for (provider, region, on) in crate::db::schema::admission_events::table
                .filter(crate::db::schema::admission_events::provider_id.eq_any(&provider_ids))
                .select((
                    crate::db::schema::admission_events::provider_id,
                    crate::db::schema::admission_events::region_id,
                    crate::db::schema::admission_events::effective_on,
                ))
                .load::<(i64, i64, chrono::NaiveDate)>(conn)?
            {
                let entry = last.entry((provider, region)).or_insert(on);
                *entry = (*entry).max(on);
            }
            let items: Vec<pages::WorkItem> = rows
                .into_iter()
                .map(
                    |(
                        admission_id,
                        provider_id,
                        region_id,
                        provider,
                        city,
                        region,
                        status,
                        updated,
                    )| {
                        pages::WorkItem {
                            admission_id,
                            provider,
                            city,
                            region,
                            status,
                            changed_on: last
                                .get(&(provider_id, region_id))
                                .copied()
                                .unwrap_or_else(|| crate::clock::date_of(updated)),
                        }
                    },
                )
                .collect();
            Ok((items, total))
        })
        .await?;
    let pages_count = crate::web::components::page_count(total, WORK_LIST_PAGE);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::work_list(&state.site, account, &items, status, page, pages_count),
    ))
}

type Signature = (i32, String, chrono::NaiveDateTime, String);

struct AdmissionData {
    provider: Provider,
    region: String,
    region_id: i64,
    status: AdmissionStatus,
    admitted_on: Option<chrono::NaiveDate>,
    ends_on: Option<chrono::NaiveDate>,
    signatures: Vec<Signature>,
    history: Vec<admission::Event>,
    look_alikes: Vec<String>,
    /// The years of its uitvoeringsovereenkomst in this region.
    execution_years: Vec<i32>,
}

async fn load_admission(state: &AppState, id: i64) -> Result<AdmissionData, AppError> {
    state
        .db
        .run(move |conn| {
            let (provider_id, region_id, status, admitted_on, ends_on): (
                i64,
                i64,
                String,
                Option<chrono::NaiveDate>,
                Option<chrono::NaiveDate>,
            ) = admissions::table
                .find(id)
                .select((
                    admissions::provider_id,
                    admissions::region_id,
                    admissions::status,
                    admissions::admitted_on,
                    admissions::ends_on,
                ))
                .first(conn)?;
            let provider = providers::table
                .find(provider_id)
                .select(Provider::as_select())
                .first(conn)?;
            let region: String = regions::table
                .find(region_id)
                .select(regions::name)
                .first(conn)?;
            let signatures: Vec<Signature> = agreement_signatures::table
                .inner_join(process_agreements::table)
                .filter(agreement_signatures::provider_id.eq(provider_id))
                .filter(process_agreements::region_id.eq(region_id))
                .order(agreement_signatures::signed_at.desc())
                .select((
                    process_agreements::version,
                    agreement_signatures::signer_name,
                    agreement_signatures::signed_at,
                    agreement_signatures::declarations,
                ))
                .load(conn)?;
            let history = admission::history(conn, provider_id, region_id)?;
            let execution_years = super::execution::years(conn, provider_id, region_id)?;
            let look_alikes =
                crate::providers::model::look_alikes(conn, provider_id, &provider.name)?;
            let status = AdmissionStatus::parse(&status)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unknown status {status}")))?;
            Ok(AdmissionData {
                provider,
                region,
                region_id,
                status,
                admitted_on,
                ends_on,
                signatures,
                history,
                look_alikes,
                execution_years,
            })
        })
        .await
}

fn render_admission(
    state: &AppState,
    account: Account<'_>,
    id: i64,
    data: &AdmissionData,
    errors: &[crate::web::FieldError],
    notice: Option<&str>,
) -> maud::Markup {
    let view = pages::AdmissionView {
        admission_id: id,
        provider: &data.provider,
        region: &data.region,
        status: data.status,
        admitted_on: data.admitted_on,
        ends_on: data.ends_on,
        signatures: &data.signatures,
        history: &data.history,
        look_alikes: &data.look_alikes,
        execution_years: &data.execution_years,
        grantable: super::execution::grantable(crate::clock::today()),
    };
    pages::admission(&state.site, account, &view, errors, notice)
}

#[derive(Deserialize)]
struct SavedQuery {
    opgeslagen: Option<String>,
    uitvoering: Option<String>,
}

async fn admission_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let data = load_admission(&state, id).await?;
    if !user.may_decide_for_region(data.region_id) {
        return Err(AppError::Forbidden(
            "Deze aanmelding hoort bij een andere regio.".into(),
        ));
    }
    let notice = if query.uitvoering.is_some() {
        Some("De uitvoeringsovereenkomst is gegeven. De aanbieder krijgt een e-mail.")
    } else {
        query
            .opgeslagen
            .as_ref()
            .map(|_| "Uw besluit is opgeslagen. De aanbieder krijgt een e-mail.")
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        render_admission(&state, account, id, &data, &[], notice),
    ))
}

#[derive(Deserialize)]
struct ExecutionForm {
    #[serde(default)]
    jaar: String,
}

async fn grant_execution(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ExecutionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let year: i32 = form.jaar.trim().parse().map_err(|_| {
        AppError::InvalidInput(vec![crate::web::FieldError::form("Kies een jaar.")])
    })?;
    let public_url = state.public_url.clone();
    let new = state
        .db
        .run(move |conn| super::execution::grant_for_admission(conn, id, &user, year, &public_url))
        .await?;
    // Given before (a second click): the page says nothing new was sent.
    Ok(see_other(&if new {
        format!("/beheer/aanmeldingen/{id}?uitvoering={year}")
    } else {
        format!("/beheer/aanmeldingen/{id}")
    }))
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    besluit: String,
    #[serde(default)]
    reden: String,
}

async fn decide(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let Some(to) = AdmissionStatus::parse(&form.besluit) else {
        let data = load_admission(&state, id).await?;
        if !user.may_decide_for_region(data.region_id) {
            return Err(AppError::Forbidden(
                "Deze aanmelding hoort bij een andere regio.".into(),
            ));
        }
        let errors = [crate::web::FieldError::new("besluit", "Kies een besluit.")];
        let account = Account {
            user: &user,
            csrf: &csrf,
        };
        return Ok(form_response(
            &errors,
            render_admission(&state, account, id, &data, &errors, None),
        ));
    };
    let decision = Decision {
        to,
        reason: form.reden.clone(),
        effective_on: crate::clock::today(),
    };
    let public_url = state.public_url.clone();
    let by = user.clone();
    let result = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| admission::decide(conn, id, &by, &decision, &public_url))
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/aanmeldingen/{id}?opgeslagen=1"
        ))),
        Err(AppError::InvalidInput(errors)) => {
            let data = load_admission(&state, id).await?;
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(form_response(
                &errors,
                render_admission(&state, account, id, &data, &errors, None),
            ))
        }
        Err(other) => Err(other),
    }
}

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use maud::Markup;

use super::model::{self, SearchResult};
use super::pages;
use super::search::{Search, SearchParams};
use crate::reference::ReferenceData;
use crate::startup::AppState;
use crate::web::layout::html_response;
use crate::web::{ApiError, AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(start_page))
        .route("/catalogus", web::get().to(catalogue_page))
        .route("/aanbieders/{slug}", web::get().to(provider_page))
        .route("/vergelijk", web::get().to(compare_page))
        .route("/over", web::get().to(about_page))
        .route("/toegankelijkheid", web::get().to(accessibility_page))
        .route("/api/v1/providers", web::get().to(api_providers))
        .route("/api/v1/providers/{slug}", web::get().to(api_provider));
}

async fn start_page(state: web::Data<AppState>) -> Result<Markup, AppError> {
    let reference = state.reference_data().await?;
    Ok(pages::start(&state.site, &reference))
}

async fn about_page(state: web::Data<AppState>) -> Markup {
    pages::about(&state.site)
}

async fn accessibility_page(state: web::Data<AppState>) -> Markup {
    pages::accessibility::page(&state.site)
}

/// The outcome of reading and running a search: the results, or what was wrong with it.
pub struct SearchOutcome {
    pub reference: std::sync::Arc<ReferenceData>,
    pub params: SearchParams,
    pub result: Result<(Search, SearchResult), Vec<FieldError>>,
}

/// The day the shuffle follows: the calendar day in the Netherlands is close enough to UTC's
/// that the order changes around midnight.
fn today() -> NaiveDate {
    crate::clock::today()
}

async fn run_search(state: &AppState, query: &str) -> Result<SearchOutcome, AppError> {
    let (params, unknown) = SearchParams::from_query(query);
    let today = today();
    let cache = state.reference.clone();
    let caches = state.catalogue.clone();
    let t = crate::web::language::texts();
    state
        .db
        .read(move |conn| {
            let reference = cache.get(conn)?;
            let result = match (params.resolve(&reference, t), unknown.clone()) {
                (Ok(search), unknown) if unknown.is_empty() => {
                    let found = model::search(
                        conn,
                        &caches,
                        &search.filter,
                        search.order,
                        search.page,
                        today,
                    )?;
                    Ok((search, found))
                }
                (Ok(_), unknown) => Err(unknown),
                (Err(errors), mut unknown) => {
                    unknown.extend(errors);
                    Err(unknown)
                }
            };
            Ok(SearchOutcome {
                reference,
                params: params.clone(),
                result,
            })
        })
        .await
}

async fn catalogue_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let outcome = run_search(&state, req.query_string()).await?;
    let status = match &outcome.result {
        // A page past the last (an old link after the list got shorter): the page says so
        // and links to the first; the status tells link checkers and search engines.
        Ok((_, found)) if found.past_last_page() => StatusCode::NOT_FOUND,
        Ok(_) => StatusCode::OK,
        Err(_) => StatusCode::BAD_REQUEST,
    };
    Ok(html_response(
        status,
        pages::catalogue(&state.site, &outcome),
    ))
}

async fn provider_page(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<Markup, AppError> {
    let (reference, page) = load_provider(&state, slug.into_inner()).await?;
    let Some(page) = page.as_ref() else {
        return Err(AppError::NotFound);
    };
    let scores =
        crate::outcomes::views::published_scores(&reference, &page.published, &page.references);
    let families = pages::families_block(&reference, &page.detail, page.waiting, &page.experience);
    Ok(pages::provider(
        &state.site,
        &reference,
        &page.detail,
        scores,
        families,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
struct CompareQuery {
    #[serde(default)]
    profiel: String,
    #[serde(default)]
    gemeente: String,
    #[serde(default)]
    aanbieder: Vec<String>,
}

/// `/vergelijk?profiel=N&aanbieder=slug&aanbieder=slug…`: two to four providers side by side.
async fn compare_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    // A query that cannot be read is an error the visitor sees, not an empty comparison.
    let query: CompareQuery = serde_html_form::from_str(req.query_string()).map_err(|_| {
        AppError::InvalidInput(vec![FieldError::form(
            crate::web::language::texts().msg("compare-unreadable"),
        )])
    })?;
    let mut slugs: Vec<String> = Vec::new();
    for slug in query
        .aanbieder
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        if !slugs.iter().any(|s| s == slug) {
            slugs.push(slug.to_owned());
        }
    }
    let profile_text = query.profiel.trim().to_owned();
    // Absent on a bookmark; present and empty when the form was sent without a choice.
    let profile_sent = req
        .query_string()
        .split('&')
        .any(|pair| pair == "profiel" || pair.starts_with("profiel="));
    let profile: Option<i32> = profile_text.parse().ok();
    let municipality = query.gemeente.trim().to_owned();
    let cache = state.reference.clone();
    // Nothing is loaded for a number of providers outside the limits.
    let in_limits =
        (super::compare::MIN_PROVIDERS..=super::compare::MAX_PROVIDERS).contains(&slugs.len());
    let wanted = if in_limits { slugs.clone() } else { Vec::new() };
    let caches = state.catalogue.clone();
    let today = today();
    let wanted_municipality = municipality.clone();
    let (reference, found, region) = state
        .db
        .read(move |conn| {
            let reference = cache.get(conn)?;
            // Offers and scores of the municipality's region only, where one is given.
            let region = reference
                .current_by_slug(&wanted_municipality)
                .map(|m| m.region_id);
            let version = caches.version.read(conn)?;
            let found = caches.comparisons.get_or_load(
                version,
                (profile, region, wanted.clone(), today),
                || compared(conn, &reference, profile, region, &wanted),
            )?;
            Ok((reference, found, region))
        })
        .await?;
    let (known, items) = (found.0, found.1.as_ref());
    let t = crate::web::language::texts();
    let mut errors = Vec::new();
    if !municipality.is_empty() && region.is_none() {
        errors.push(FieldError::new(
            "gemeente",
            t.msg("compare-unknown-municipality"),
        ));
    }
    if profile_sent && profile_text.is_empty() && !slugs.is_empty() {
        errors.push(FieldError::new("profiel", t.msg("compare-profile-needed")));
    }
    if slugs.is_empty() && profile_text.is_empty() {
        // Nothing chosen yet (a bookmark, the address typed): the page says how, no error.
    } else if slugs.len() < super::compare::MIN_PROVIDERS
        || slugs.len() > super::compare::MAX_PROVIDERS
    {
        errors.push(FieldError::new(
            "aanbieder",
            t.fmt(
                "compare-how-many",
                &[
                    ("min", super::compare::MIN_PROVIDERS.into()),
                    ("max", super::compare::MAX_PROVIDERS.into()),
                    ("count", slugs.len().into()),
                ],
            ),
        ));
    } else if known < slugs.len() {
        errors.push(FieldError::new(
            "aanbieder",
            t.msg("compare-unknown-provider"),
        ));
    }
    if !profile_text.is_empty() && items.is_none() {
        errors.push(FieldError::new("profiel", t.msg("compare-unknown-profile")));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(html_response(
        status,
        pages::compare(
            &state.site,
            &reference,
            &pages::CompareView {
                profile: profile.filter(|_| items.is_some()),
                municipality: region.map(|_| municipality.as_str()),
                slugs: &slugs,
                items: items.map(Vec::as_slice).filter(|_| errors.is_empty()),
            },
            &errors,
        ),
    ))
}

/// The providers behind these slugs that are listed, in the order given, compared on the
/// profile with this number (`None` when there is no such profile).
fn compared(
    conn: &mut crate::db::DbConnection,
    reference: &ReferenceData,
    profile: Option<i32>,
    region: Option<i64>,
    wanted: &[String],
) -> diesel::QueryResult<super::cache::Comparison> {
    use crate::db::schema::providers;
    use diesel::prelude::*;
    // Found by slug alone and the listed ones kept here: with the `in_catalogue` condition
    // in the statement, SQLite (without statistics) read the 9,000 listed providers of
    // the scale demo through that index instead of three through the unique slug.
    let ids: Vec<(i64, String, bool)> = providers::table
        .filter(providers::slug.eq_any(wanted))
        .select((providers::id, providers::slug, providers::in_catalogue))
        .load(conn)?;
    let ordered: Vec<i64> = wanted
        .iter()
        .filter_map(|s| {
            ids.iter()
                .find(|(_, slug, listed)| *listed && slug == s)
                .map(|(id, ..)| *id)
        })
        .collect();
    let items = match profile {
        Some(number) if reference.profile_summary(number).is_some() => {
            let scope = super::compare::Scope {
                profile_number: number,
                region,
                intensity: None,
            };
            Some(super::compare::load(conn, reference, scope, &ordered)?)
        }
        _ => None,
    };
    Ok((ordered.len(), items))
}

/// The provider page's data (kept per catalogue version), with the reference data.
async fn load_provider(
    state: &AppState,
    slug: String,
) -> Result<
    (
        std::sync::Arc<ReferenceData>,
        std::sync::Arc<Option<model::ProviderPage>>,
    ),
    AppError,
> {
    let cache = state.reference.clone();
    let caches = state.catalogue.clone();
    let today = today();
    state
        .db
        .read(move |conn| {
            let page = model::cached_provider_page(conn, &caches, &slug, today)?;
            Ok((cache.get(conn)?, page))
        })
        .await
}

/// `GET /api/v1/providers`: the catalogue's search, 20 a page.
#[utoipa::path(get, path = "/api/v1/providers", tag = "catalogue",
    params(
        ("profiel" = Option<String>, Query, description = "Profile number, e.g. 3"),
        ("gemeente" = Option<String>, Query, description = "Municipality slug, e.g. delft"),
        ("intensiteit" = Option<String>, Query, description = "Intensity code, e.g. intensief"),
        ("leeftijd" = Option<String>, Query, description = "The child's age in years (0 to 23): only offers whose age range holds it"),
        ("q" = Option<String>, Query, description = "Words in the provider's text (at most 100 characters)"),
        ("volgorde" = Option<String>, Query, description = "willekeurig (the day's order), naam, doelrealisatie, zonder_hulp, problemen_kleiner, uitval, terugval or tevredenheid"),
        ("pagina" = Option<String>, Query, description = "Page number, from 1"),
    ),
    responses((status = 200, description = "The answer", body = super::api::ProviderList), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc)))]
pub async fn api_providers(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let outcome = run_search(&state, req.query_string()).await?;
    match &outcome.result {
        Ok((search, found)) => Ok(HttpResponse::Ok().json(super::api::provider_list(
            &outcome.reference,
            search,
            found,
        ))),
        Err(errors) => Err(ApiError(AppError::InvalidInput(errors.clone()))),
    }
}

/// `GET /api/v1/providers/{slug}`: one provider with its admissions and offers.
#[utoipa::path(get, path = "/api/v1/providers/{slug}", tag = "catalogue",
    params(("slug" = String, Path, description = "The provider's slug")),
    responses((status = 200, description = "The answer", body = super::api::ProviderDetailView), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn api_provider(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (reference, page) = load_provider(&state, slug.into_inner()).await?;
    let Some(page) = page.as_ref() else {
        return Err(ApiError(AppError::NotFound));
    };
    Ok(HttpResponse::Ok().json(super::api::provider_detail(&reference, &page.detail)))
}

//! The OpenAPI 3.1 description of every API the portal serves (`/api/v1` and `/hsds/`),
//! generated with utoipa from the handlers and their answer types, at `/api/openapi.json`,
//! and a plain page at `/api/docs` made from the same description (nothing loaded from
//! elsewhere, no JavaScript).

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn};

use crate::startup::AppState;
use crate::web::api::BearerToken;
use crate::web::layout::{Crumb, Page};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jeugdhulpcatalogus API",
        version = "1",
        description = "The catalogue of youth-care providers (API v1: reference data, search, providers, published scores, and the provider's own listing and trajectories with its token) and the same catalogue in Open Referral's HSDS 3.0 under /hsds/. Errors answer {error, message, details}."
    ),
    paths(
        crate::reference::routes::api_regions,
        crate::reference::routes::api_municipalities,
        crate::reference::routes::api_profiles,
        crate::catalogue::routes::api_providers,
        crate::catalogue::routes::api_provider,
        crate::outcomes::report_routes::public::api_provider_scores,
        crate::outcomes::report_routes::public::api_scores_csv,
        crate::monitor::public_routes::open_data,
        crate::providers::api::own_listing,
        crate::providers::api::update_offer,
        crate::outcomes::routes::api_upload,
        crate::outcomes::ijw::routes::api_upload,
        crate::hsds::routes::about,
        crate::hsds::routes::list_services,
        crate::hsds::routes::get_service,
        crate::hsds::routes::list_organizations,
        crate::hsds::routes::get_organization,
        crate::hsds::routes::list_service_at_locations,
        crate::hsds::routes::get_service_at_location,
        crate::hsds::routes::list_taxonomies,
        crate::hsds::routes::get_taxonomy,
        crate::hsds::routes::list_terms,
        crate::hsds::routes::get_term,
    ),
    components(schemas(crate::hsds::routes::Format)),
    modifiers(&BearerToken),
    tags(
        (name = "reference", description = "Regions, municipalities, profiles, intensities and tariffs"),
        (name = "catalogue", description = "Search the catalogue and read a provider"),
        (name = "scores", description = "Published scores, as JSON and as open data (CSV)"),
        (name = "monitor", description = "Each municipality's monitor as open data (CSV), small numbers hidden"),
        (name = "provider", description = "A provider's own listing and trajectories, with its API token"),
        (name = "hsds", description = "Open Referral HSDS 3.0, read-only, published data only"),
    )
)]
pub struct ApiDoc;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(openapi_json))
        .route("/api/docs", web::get().to(docs_page));
}

/// A described route: its path segments (`None` for a `{parameter}`) and its methods.
type Route = (Vec<Option<String>>, Vec<String>);

fn described() -> &'static [Route] {
    static ROUTES: std::sync::OnceLock<Vec<Route>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| {
        ApiDoc::openapi()
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                let methods = operations(item)
                    .into_iter()
                    .map(|(m, _)| m.to_uppercase())
                    .collect();
                (segments, methods)
            })
            .collect()
    })
}

/// The methods of the described route this path matches, if any (for a 405's `Allow`).
pub fn methods_of(path: &str) -> Option<Vec<String>> {
    let asked: Vec<&str> = path.split('/').collect();
    described()
        .iter()
        .find(|(segments, _)| {
            segments.len() == asked.len()
                && segments.iter().zip(&asked).all(|(s, a)| match s {
                    Some(literal) => literal == a,
                    None => !a.is_empty(),
                })
        })
        .map(|(_, methods)| methods.clone())
}

/// The description as served: every free-text parameter says that control characters are
/// refused (the `web::input` middleware answers them 400), in one place rather than on each.
pub fn spec() -> &'static serde_json::Value {
    static SPEC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        // The search's codes, from the compiled reference tables: any other value is a 400.
        let (profiles, municipalities, intensities) = crate::reference::seed::codes();
        let orders: Vec<&str> = ["willekeurig", "naam"]
            .into_iter()
            .chain(crate::catalogue::search::SCORE_ORDERS.iter().map(|o| o.0))
            .collect();
        if let Some(parameters) = spec
            .pointer_mut("/paths/~1api~1v1~1providers/get/parameters")
            .and_then(|p| p.as_array_mut())
        {
            for parameter in parameters {
                let values = match parameter["name"].as_str() {
                    Some("profiel") => serde_json::json!(profiles),
                    Some("gemeente") => serde_json::json!(municipalities),
                    Some("intensiteit") => serde_json::json!(intensities),
                    Some("volgorde") => serde_json::json!(orders),
                    Some("pagina") => {
                        parameter["schema"] =
                            serde_json::json!({"type": "integer", "minimum": 1, "maximum": 100000});
                        continue;
                    }
                    _ => continue,
                };
                // Empty is allowed and means "any" (what a form sends when nothing is chosen).
                let mut values = values;
                if let Some(list) = values.as_array_mut() {
                    list.insert(0, serde_json::Value::from(""));
                }
                parameter["schema"] = serde_json::json!({"type": "string", "enum": values});
            }
        }
        if let Some(paths) = spec.get_mut("paths").and_then(|p| p.as_object_mut()) {
            for item in paths.values_mut().filter_map(|i| i.as_object_mut()) {
                for operation in item.values_mut() {
                    let Some(parameters) = operation
                        .get_mut("parameters")
                        .and_then(|p| p.as_array_mut())
                    else {
                        continue;
                    };
                    for schema in parameters
                        .iter_mut()
                        .filter_map(|p| p.get_mut("schema"))
                        .filter_map(|s| s.as_object_mut())
                    {
                        let text = match schema.get("type") {
                            Some(serde_json::Value::String(t)) => t == "string",
                            Some(serde_json::Value::Array(types)) => {
                                types.iter().any(|t| t == "string")
                            }
                            _ => false,
                        };
                        if text && !schema.contains_key("format") && !schema.contains_key("pattern")
                        {
                            schema.insert(
                                "pattern".into(),
                                crate::web::input::NO_CONTROL_PATTERN.into(),
                            );
                        }
                    }
                }
            }
        }
        spec
    })
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(spec())
}

fn method_name(method: &str) -> String {
    method.to_uppercase()
}

fn operations(item: &utoipa::openapi::path::PathItem) -> Vec<(&'static str, &Operation)> {
    [
        ("get", item.get.as_ref()),
        ("put", item.put.as_ref()),
        ("post", item.post.as_ref()),
        ("delete", item.delete.as_ref()),
    ]
    .into_iter()
    .filter_map(|(m, o)| o.map(|o| (m, o)))
    .collect()
}

fn anchor(method: &str, path: &str) -> String {
    format!(
        "{method}-{}",
        path.trim_matches('/')
            .replace(['/', '{', '}', '.'], "-")
            .trim_matches('-')
    )
}

/// `GET /api/docs`: every operation, its parameters and answers, from the description.
async fn docs_page(state: web::Data<AppState>) -> Markup {
    let spec = ApiDoc::openapi();
    let description = spec.info.description.clone().unwrap_or_default();
    Page {
        title: "API",
        site: &state.site,
        crumbs: vec![Crumb::link("Over deze site", "/over"), Crumb::here("API")],
        section: Some("/over"),
        account: None,
    }
    .render(html! { div.api-docs {
        h1 { "API van de jeugdhulpcatalogus" }
        p.lead { "Andere systemen kunnen de catalogus lezen. Deze pagina beschrijft elke vraag die u kunt stellen. De technische beschrijving (OpenAPI 3.1) staat in " a href="/api/openapi.json" { "/api/openapi.json" } "." }
        p lang="en" { (description) }
        nav aria-labelledby="api-inhoud" {
            h2 #api-inhoud { "Inhoud" }
            ul {
                @for (path, item) in spec.paths.paths.iter() {
                    @for (method, _) in operations(item) {
                        li { a href={ "#" (anchor(method, path)) } { code { (method_name(method)) " " (path) } } }
                    }
                }
            }
        }
        @for (path, item) in spec.paths.paths.iter() {
            @for (method, operation) in operations(item) {
                section aria-labelledby=(anchor(method, path)) {
                    h2 #(anchor(method, path)) { code { (method_name(method)) " " (path) } }
                    @if path.starts_with("/hsds") && path == "/hsds/" { span #hsds {} }
                    @if let Some(text) = operation.description.as_ref().or(operation.summary.as_ref()) {
                        p lang="en" { (text) }
                    }
                    @if operation.security.is_some() {
                        p { "Alleen met de API-sleutel van een aanbieder: " code { "Authorization: Bearer …" } "." }
                    }
                    @let parameters = operation.parameters.clone().unwrap_or_default();
                    @if !parameters.is_empty() {
                        (crate::web::components::scroll_region(&format!("Parameters van {} {}", method_name(method), path), html! { table.data-table {
                            caption { "Parameters" }
                            thead { tr { th scope="col" { "Naam" } th scope="col" { "Waar" } th scope="col" { "Uitleg" } } }
                            tbody {
                                @for p in parameters.iter().filter_map(|p| match p { utoipa::openapi::RefOr::T(p) => Some(p), utoipa::openapi::RefOr::Ref(_) => None }) {
                                    tr {
                                        td { code { (p.name) } }
                                        td { (match p.parameter_in { ParameterIn::Path => "in het adres", ParameterIn::Query | ParameterIn::QueryString => "na het vraagteken", ParameterIn::Header => "in een header", ParameterIn::Cookie => "in een cookie" }) }
                                        td lang="en" { (p.description.clone().unwrap_or_default()) }
                                    }
                                }
                            }
                        } }))
                    }
                    h3 { "Antwoorden" }
                    ul {
                        @for (status, response) in operation.responses.responses.iter() {
                            li {
                                strong { (status) } " "
                                @match response {
                                    utoipa::openapi::RefOr::T(r) => span lang="en" { (r.description) },
                                    utoipa::openapi::RefOr::Ref(r) => code { (r.ref_location) },
                                }
                            }
                        }
                    }
                }
            }
        }
    } })
}

//! The HSDS 3.0 API (issue 16) in two tests. One validates every organization and service of
//! the demo, the lists and `format=ndjson` against Open Referral's own compiled schemas in
//! `../shared/hsds-3.0/`, closed with `additionalProperties: false` on every object as Open
//! Referral's CI does, so a field outside the standard fails; without the schemas it is
//! reported as ignored, with the reason, unless `JHC_HSDS_SCHEMAS=required` (as in
//! `.ci/run`); `HSDS_SCHEMA_DIR` points elsewhere. The other needs no schema and always runs:
//! the filters (against counts from the tables), the published scores, the paging edges and
//! unknown ids (issue 34, item 5).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::{TestApp, spawn_demo_app};
use diesel::prelude::*;
use serde_json::Value;

/// `HSDS_SCHEMA_DIR`, or `../shared/hsds-3.0` beside the checkout.
fn schema_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("HSDS_SCHEMA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/hsds-3.0"));
    if dir.join("service.json").exists() {
        return Ok(dir);
    }
    assert!(
        std::env::var("JHC_HSDS_SCHEMAS").as_deref() != Ok("required"),
        "JHC_HSDS_SCHEMAS=required but {} has no HSDS schemas",
        dir.display()
    );
    Err(format!(
        "no HSDS 3.0 schemas at {} (set HSDS_SCHEMA_DIR; JHC_HSDS_SCHEMAS=required fails instead)",
        dir.display()
    ))
}

/// Ignored, with the reason, without the schemas (failed where they are required).
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = vec![
        libtest_mimic::Trial::test(
            "the_hsds_api_filters_pages_and_shows_only_published_scores",
            || {
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| format!("runtime: {e}"))?
                    .block_on(the_hsds_api_filters_pages_and_shows_only_published_scores());
                Ok(())
            },
        ),
        libtest_mimic::Trial::ignorable_test(
            "the_hsds_api_answers_in_the_standard_for_the_whole_demo",
            || {
                let dir = match schema_dir() {
                    Ok(dir) => dir,
                    Err(reason) => return Ok(libtest_mimic::Completion::ignored_with(reason)),
                };
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| format!("runtime: {e}"))?
                    .block_on(the_hsds_api_answers_in_the_standard_for_the_whole_demo(dir));
                Ok(libtest_mimic::Completion::Completed)
            },
        ),
    ];
    libtest_mimic::run(&args, trials).exit();
}

/// Sets `additionalProperties: false` on every object schema that lists its properties.
fn close(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for value in map.values_mut() {
                close(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

struct Schemas {
    service: jsonschema::Validator,
    service_list: jsonschema::Validator,
    organization: jsonschema::Validator,
    organization_list: jsonschema::Validator,
    service_at_location: jsonschema::Validator,
    taxonomy: jsonschema::Validator,
    taxonomy_term: jsonschema::Validator,
}

fn validator(mut schema: Value) -> jsonschema::Validator {
    close(&mut schema);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema")
}

impl Schemas {
    fn load(dir: &std::path::Path) -> Schemas {
        let read = |name: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).expect("schema file"))
                .expect("schema JSON")
        };
        let service = read("service.json");
        let term =
            service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"].clone();
        let taxonomy = term["properties"]["taxonomy_detail"].clone();
        assert!(
            term.is_object() && taxonomy.is_object(),
            "term and taxonomy schemas"
        );
        Schemas {
            service: validator(service),
            service_list: validator(read("service_list.json")),
            organization: validator(read("organization.json")),
            organization_list: validator(read("organization_list.json")),
            service_at_location: validator(read("service_at_location.json")),
            taxonomy: validator(taxonomy),
            taxonomy_term: validator(term),
        }
    }
}

fn valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{value:#}");
}

/// HSDS's `Page`: exactly its eight fields, with consistent counts; returns the contents.
fn page(value: &Value, what: &str) -> Vec<Value> {
    let keys: BTreeSet<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object"))
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ]
    .into();
    assert_eq!(keys, expected, "{what}");
    let contents = value["contents"].as_array().expect("contents").clone();
    assert_eq!(
        value["size"].as_u64(),
        Some(contents.len() as u64),
        "{what}"
    );
    assert_eq!(
        value["empty"].as_bool(),
        Some(contents.is_empty()),
        "{what}"
    );
    assert_eq!(
        value["first_page"].as_bool(),
        Some(value["page_number"] == 1),
        "{what}"
    );
    contents
}

/// Every item of a list, page by page (100 a page).
async fn every(app: &TestApp, path: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let separator = if path.contains('?') { '&' } else { '?' };
    for number in 1.. {
        let (status, body) = app
            .get_json(&format!("{path}{separator}per_page=100&page={number}"))
            .await;
        assert_eq!(status, 200, "{path}: {body}");
        let contents = page(&body, path);
        all.extend(contents);
        if body["last_page"] == true {
            assert_eq!(
                body["total_items"].as_u64(),
                Some(all.len() as u64),
                "{path}"
            );
            break;
        }
    }
    all
}

async fn ndjson(app: &TestApp, path: &str) -> Vec<Value> {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-ndjson"),
        "{path}"
    );
    let text = response.text().await.expect("body");
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}: {e}: {line}")))
        .collect()
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The 400 or 404 in the API's `{error, message}` shape.
async fn refused(app: &TestApp, path: &str, status: u16) -> Value {
    let (got, body) = app.get_json(path).await;
    assert_eq!(got, status, "{path}: {body}");
    assert!(body["error"].is_string(), "{path}: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{path}: {body}"
    );
    body
}

async fn the_hsds_api_answers_in_the_standard_for_the_whole_demo(dir: PathBuf) {
    let schemas = Schemas::load(&dir);
    let app = spawn_demo_app().await;

    let (status, about) = app.get_json("/hsds/").await;
    assert_eq!(status, 200);
    assert_eq!(about["version"], "3.0");
    assert!(
        about["openapi_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/api/openapi.json"))
    );
    assert!(about["profile"].is_string());

    // Organizations: every one in the list and in full.
    let organizations = every(&app, "/hsds/organizations").await;
    assert!(organizations.len() >= 10, "{}", organizations.len());
    for organization in &organizations {
        valid(
            &schemas.organization_list,
            organization,
            "organization in a list",
        );
        let id = organization["id"].as_str().expect("id");
        let (status, full) = app.get_json(&format!("/hsds/organizations/{id}")).await;
        assert_eq!(status, 200, "{full}");
        valid(&schemas.organization, &full, "organization");
        let schemes: BTreeSet<&str> = full["organization_identifiers"]
            .as_array()
            .expect("identifiers")
            .iter()
            .filter_map(|i| i["identifier_scheme"].as_str())
            .collect();
        assert_eq!(schemes, BTreeSet::from(["NL-AGB", "NL-KVK"]));
    }
    let streamed = ndjson(&app, "/hsds/organizations?format=ndjson").await;
    assert_eq!(ids(&streamed), ids(&organizations));
    for organization in &streamed {
        valid(
            &schemas.organization,
            organization,
            "organization in ndjson",
        );
    }

    // Services: the list's one-to-one fields, and in full through ndjson and one by one.
    let services = every(&app, "/hsds/services").await;
    assert!(services.len() > organizations.len());
    for service in &services {
        valid(&schemas.service_list, service, "service in a list");
    }
    // The closed schemas refuse a field outside the standard, a null and a malformed id.
    for (field, value) in [
        ("prijs", Value::from(10)),
        ("minimum_age", Value::Null),
        ("id", Value::from("service-1")),
    ] {
        let mut wrong = services[0].clone();
        wrong[field] = value;
        assert!(!schemas.service_list.is_valid(&wrong), "{field} passed");
    }
    eprintln!(
        "{} organizations and {} services validated",
        organizations.len(),
        services.len()
    );
    let full = ndjson(&app, "/hsds/services?format=ndjson").await;
    assert_eq!(ids(&full), ids(&services), "ndjson streams every service");
    for service in &full {
        valid(&schemas.service, service, "service in ndjson");
    }
    for service in full.iter().step_by(7) {
        let id = service["id"].as_str().expect("id");
        let (status, one) = app.get_json(&format!("/hsds/services/{id}")).await;
        assert_eq!(status, 200);
        valid(&schemas.service, &one, "service");
        assert_eq!(&one, service);
    }
    let locations = every(&app, "/hsds/service_at_locations").await;
    assert_eq!(locations.len(), services.len());
    for location in &locations {
        valid(
            &schemas.service_at_location,
            location,
            "service_at_location",
        );
    }
    let id = locations[0]["id"].as_str().expect("id");
    let (status, one) = app
        .get_json(&format!("/hsds/service_at_locations/{id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(one, locations[0]);

    // Taxonomies and their terms.
    let taxonomies = every(&app, "/hsds/taxonomies").await;
    assert_eq!(taxonomies.len(), 5);
    for taxonomy in &taxonomies {
        valid(&schemas.taxonomy, taxonomy, "taxonomy");
        let id = taxonomy["id"].as_str().expect("id");
        let (status, one) = app.get_json(&format!("/hsds/taxonomies/{id}")).await;
        assert_eq!((status, &one), (200, taxonomy));
    }
    let terms = every(&app, "/hsds/taxonomy_terms").await;
    for term in &terms {
        valid(&schemas.taxonomy_term, term, "taxonomy_term");
    }
    let profiles_taxonomy = taxonomies
        .iter()
        .find(|t| t["name"] == "Cliëntprofielen")
        .expect("profiles");
    let (_, only) = app
        .get_json(&format!(
            "/hsds/taxonomy_terms?taxonomy_id={}&per_page=100",
            profiles_taxonomy["id"].as_str().expect("id")
        ))
        .await;
    assert!(
        page(&only, "terms of one taxonomy")
            .iter()
            .all(|t| t["taxonomy_id"] == profiles_taxonomy["id"])
    );
}

/// What needs no schema: the filters, what a service says of the published scores, the
/// paging edges and unknown ids. Runs everywhere, also where the schemas are missing.
async fn the_hsds_api_filters_pages_and_shows_only_published_scores() {
    let app = spawn_demo_app().await;
    let full = ndjson(&app, "/hsds/services?format=ndjson").await;
    assert_eq!(ids(&full), ids(&every(&app, "/hsds/services").await));
    let by_id: BTreeMap<String, Value> = full
        .iter()
        .map(|s| (s["id"].as_str().expect("id").to_owned(), s.clone()))
        .collect();
    let terms = every(&app, "/hsds/taxonomy_terms").await;
    let term_of = |taxonomy: &str, code: &str| -> String {
        terms
            .iter()
            .find(|t| t["taxonomy"] == taxonomy && t["code"] == code)
            .unwrap_or_else(|| panic!("no term {taxonomy} {code}"))["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    // Filters, combined with AND.
    let profile_3 = term_of("Cliëntprofielen", "3");
    let with_term = every(
        &app,
        &format!("/hsds/services?taxonomy_term_id={profile_3}"),
    )
    .await;
    assert!(!with_term.is_empty());
    let has_term = |service: &Value, term: &str| {
        service["attributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .any(|a| a["taxonomy_term_id"] == term)
    };
    let expected: Vec<String> = full
        .iter()
        .filter(|s| has_term(s, &profile_3))
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids(&with_term), expected);
    // Not only the product's own output, filtered: as many as the demo's offers of profile 3
    // by active providers admitted in the offer's region, counted from the tables.
    {
        use jeugdhulpcatalogus::db::schema::{admissions, offers, profiles, providers};
        let mut conn = app.conn();
        let offered: Vec<(i64, i64)> = offers::table
            .inner_join(profiles::table)
            .inner_join(providers::table)
            .filter(profiles::number.eq(3))
            .filter(providers::status.eq("actief"))
            .select((offers::provider_id, offers::region_id))
            .load(&mut *conn)
            .expect("offers");
        let admitted: BTreeSet<(i64, i64)> = admissions::table
            .filter(admissions::status.eq("toegelaten"))
            .select((admissions::provider_id, admissions::region_id))
            .load::<(i64, i64)>(&mut *conn)
            .expect("admissions")
            .into_iter()
            .collect();
        let counted = offered.iter().filter(|o| admitted.contains(o)).count();
        assert!(counted > 0);
        assert_eq!(with_term.len(), counted, "services of profile 3");
    }
    let organization = with_term[0]["organization_id"].as_str().expect("org");
    let both = every(
        &app,
        &format!("/hsds/services?taxonomy_term_id={profile_3}&organization_id={organization}"),
    )
    .await;
    let expected: Vec<String> = full
        .iter()
        .filter(|s| has_term(s, &profile_3) && s["organization_id"] == organization)
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect();
    assert!(!both.is_empty());
    assert_eq!(ids(&both), expected);
    let later = every(&app, "/hsds/services?modified_after=2999-01-01T00:00:00Z").await;
    assert!(later.is_empty());
    let (_, unknown_term) = app
        .get_json(&format!(
            "/hsds/services?taxonomy_term_id={}",
            uuid_like(&profile_3)
        ))
        .await;
    assert_eq!(unknown_term["total_items"], 0);

    // What a service says agrees with the published data, and nothing unpublished shows.
    let mut conn = app.conn();
    use jeugdhulpcatalogus::db::schema::published_scores;
    let published: BTreeSet<(String, i32)> = published_scores::table
        .filter(published_scores::value.is_not_null())
        .select((
            published_scores::value.assume_not_null(),
            published_scores::n,
        ))
        .load::<(f64, i32)>(&mut *conn)
        .expect("published")
        .into_iter()
        .map(|(v, n)| (format!("{v:.4}"), n))
        .collect();
    drop(conn);
    let mut scored = 0;
    for service in by_id.values() {
        let attributes = service["attributes"].as_array().expect("attributes");
        for indicator in common::figures::INDICATORS {
            let score_term = term_of("Gepubliceerde uitkomsten", indicator);
            let n_term = term_of("Gepubliceerde uitkomsten", &format!("{indicator}-n"));
            let value = attributes
                .iter()
                .find(|a| a["taxonomy_term_id"] == score_term);
            let n = attributes.iter().find(|a| a["taxonomy_term_id"] == n_term);
            assert_eq!(value.is_some(), n.is_some(), "a score without its n");
            if let (Some(value), Some(n)) = (value, n) {
                let pair = (
                    value["value"].as_str().expect("value").to_owned(),
                    n["value"].as_str().expect("n").parse::<i32>().expect("n"),
                );
                assert!(published.contains(&pair), "{pair:?} is not published");
                scored += 1;
            }
        }
        assert!(
            attributes
                .iter()
                .any(|a| a["taxonomy_term_id"] == term_of("Wachttijd", "weken")),
            "the wait as an attribute too"
        );
        assert!(matches!(
            service["status"].as_str(),
            Some("active" | "inactive")
        ));
    }
    assert!(scored > 0, "the demo publishes scores");

    // Paging edges and unknown ids.
    for bad in [
        "page=0",
        "per_page=101",
        "per_page=0",
        "page=x",
        "format=xml",
    ] {
        let body = refused(&app, &format!("/hsds/services?{bad}"), 400).await;
        assert!(body["details"].is_array(), "{bad}: {body}");
    }
    refused(&app, "/hsds/services?modified_after=gisteren", 400).await;
    refused(&app, "/hsds/services?organization_id=abc", 400).await;
    let (_, last) = app.get_json("/hsds/services?per_page=100").await;
    let past = last["total_pages"].as_u64().expect("pages") + 1;
    let (status, beyond) = app
        .get_json(&format!("/hsds/services?per_page=100&page={past}"))
        .await;
    assert_eq!(status, 200);
    assert!(page(&beyond, "past the last page").is_empty());
    assert_eq!(beyond["last_page"], true);
    assert_eq!(beyond["total_items"], last["total_items"]);
    for path in [
        "/hsds/services/",
        "/hsds/organizations/",
        "/hsds/taxonomies/",
        "/hsds/taxonomy_terms/",
        "/hsds/service_at_locations/",
    ] {
        let body = refused(&app, &format!("{path}{}", uuid_like(&profile_3)), 404).await;
        assert_eq!(body["error"], "not_found");
        refused(&app, &format!("{path}geen-id"), 404).await;
    }
}

/// A well-formed id that no object has.
fn uuid_like(id: &str) -> String {
    let mut other: Vec<char> = id.chars().collect();
    other[0] = if other[0] == '0' { '1' } else { '0' };
    other.into_iter().collect()
}

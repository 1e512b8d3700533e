//! The OpenAPI description at `/api/openapi.json` (issue 16) is valid OpenAPI 3.1: checked
//! against the OpenAPI Initiative's own JSON Schema for 3.1 documents (2022-10-07, Apache
//! 2.0, in `tests/data/`, as openapi-spec-validator ships it), and `/api/docs` shows every
//! operation of it, and it names exactly the `/api/v1` and `/hsds` routes the source registers
//! (read by `common::routes::registered`, as the route table is checked).

mod common;

use common::spawn_app;
use serde_json::Value;

/// The description names exactly the `/api/v1` and `/hsds` routes the app registers, with
/// their methods: a route added without its description fails here.
#[tokio::test]
async fn the_description_lists_every_registered_api_route() {
    use std::collections::BTreeSet;
    let app = spawn_app().await;
    let (_, spec) = app.get_json("/api/openapi.json").await;
    let mut described = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            described.insert((method.clone(), path.clone()));
        }
    }
    let registered: BTreeSet<(String, String)> = common::routes::registered()
        .into_iter()
        .filter(|(_, path)| path.starts_with("/api/v1") || path.starts_with("/hsds/"))
        .collect();
    assert!(registered.len() >= 20, "{registered:?}");
    assert_eq!(described, registered);
}

#[tokio::test]
async fn the_description_is_valid_openapi_3_1_and_the_page_shows_it() {
    let app = spawn_app().await;
    let (status, spec) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    let schema: Value = serde_json::from_str(include_str!("data/openapi-3.1-schema.json"))
        .expect("the OAS 3.1 schema");
    let validator = jsonschema::validator_for(&schema).expect("schema");
    let errors: Vec<String> = validator
        .iter_errors(&spec)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The check can fail: an operation without responses is refused.
    let mut broken = spec.clone();
    broken["paths"]["/hsds/"]["get"]
        .as_object_mut()
        .expect("operation")
        .remove("responses");
    broken["paths"]["/hsds/"]["get"]["responses"] = Value::from("none");
    assert!(!validator.is_valid(&broken));

    // The upload's body is one of two shapes, as the API reads it: an object with
    // `trajectories`, or the list itself (not serde's tagged {"Wrapped": …} / {"List": …}).
    let body = &spec["paths"]["/api/v1/trajectories"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    let body = match body["$ref"].as_str() {
        Some(reference) => {
            &spec["components"]["schemas"][reference.trim_start_matches("#/components/schemas/")]
        }
        None => body,
    };
    let shapes = body["oneOf"].as_array().expect("oneOf");
    assert_eq!(shapes.len(), 2, "{body}");
    assert!(
        shapes
            .iter()
            .any(|s| s["type"] == "object" && s["properties"]["trajectories"].is_object()),
        "{body}"
    );
    // The list itself, inline or by reference; both shapes say 1 to 10,000 items (an empty
    // list was schema-valid until schemathesis, given a token, sent one).
    let resolved = |s: &serde_json::Value| match s["$ref"].as_str() {
        Some(reference) => spec["components"]["schemas"]
            [reference.trim_start_matches("#/components/schemas/")]
        .clone(),
        None => s.clone(),
    };
    let list = shapes
        .iter()
        .map(resolved)
        .find(|s| s["type"] == "array")
        .unwrap_or_else(|| panic!("no list shape: {body}"));
    let wrapped = shapes
        .iter()
        .find(|s| s["type"] == "object")
        .map(|s| s["properties"]["trajectories"].clone())
        .expect("wrapped");
    for shape in [&list, &wrapped] {
        assert_eq!(shape["minItems"], 1, "{shape}");
        assert_eq!(shape["maxItems"], 10_000, "{shape}");
    }

    // Every error answer is described in the {error, message, details} shape.
    let error = &spec["components"]["schemas"]["ApiErrorDoc"]["properties"];
    for field in ["error", "message", "details"] {
        assert!(error[field].is_object(), "{field}");
    }

    let (status, page) = app.get_html("/api/docs").await;
    assert_eq!(status, 200);
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("item").keys() {
            let line = format!("{} {}", method.to_uppercase(), path);
            assert!(page.contains(&line), "{line} not on /api/docs");
        }
    }
    assert!(!page.contains("<script"), "no script on /api/docs");
}

/// A described route asked with a method it does not have: 405 with `Allow`, in the API's
/// error shape; an address that is no route stays 404.
#[tokio::test]
async fn another_method_on_a_described_route_is_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (reqwest::Method::POST, "/hsds/services", "GET"),
        (
            reqwest::Method::DELETE,
            "/hsds/services/3725e352-9a7d-5a1d-838b-b4cecc49e4e1",
            "GET",
        ),
        (reqwest::Method::PATCH, "/api/v1/providers", "GET"),
        (reqwest::Method::GET, "/api/v1/trajectories", "POST"),
    ] {
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.address))
            .send()
            .await
            .expect("response");
        assert_eq!(response.status().as_u16(), 405, "{method} {path}");
        assert_eq!(
            response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok()),
            Some(allow),
            "{method} {path}"
        );
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"], "method_not_allowed", "{body}");
    }
    let (status, body) = app.get_json("/hsds/bestaat-niet").await;
    assert_eq!(status, 404, "{body}");
}

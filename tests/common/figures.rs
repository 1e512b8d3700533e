//! Reading published figures back from what the app serves (issue 34, item 3): the elements
//! pages mark with `data-figure`, CSV files in either dialect, HSDS outcome attributes.

use std::collections::BTreeMap;

use serde_json::Value;

use super::TestApp;

/// The six indicators, as the API and HSDS name them.
pub const INDICATORS: [&str; 6] = [
    "doelrealisatie",
    "zonder_hulp",
    "problemen_kleiner",
    "uitval",
    "terugval",
    "clienttevredenheid",
];

/// The body of a page that must answer 200.
pub async fn text_of(app: &TestApp, path: &str) -> String {
    let (status, body) = app.get_html(path).await;
    assert_eq!(status, 200, "{path}");
    body
}

/// The visible text inside every element marked `data-figure="{key}"`: tags become spaces,
/// runs of white space one space.
pub fn figures(page: &str, key: &str) -> Vec<String> {
    figures_html(page, key).iter().map(|h| text(h)).collect()
}

/// The inner HTML of every element marked `data-figure="{key}"`.
pub fn figures_html(page: &str, key: &str) -> Vec<String> {
    let marker = format!("data-figure=\"{key}\"");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = page[from..].find(&marker).map(|i| i + from) {
        let open = page[..at].rfind('<').expect("inside a tag");
        let tag: String = page[open + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let body_start = at + page[at..].find('>').expect("tag ends") + 1;
        let (opening, closing) = (format!("<{tag}"), format!("</{tag}>"));
        let (mut depth, mut i) = (1, body_start);
        while depth > 0 {
            let next_open = page[i..].find(&opening).map(|k| k + i);
            let next_close = page[i..]
                .find(&closing)
                .map(|k| k + i)
                .expect("element closes");
            match next_open {
                Some(o) if o < next_close => {
                    depth += 1;
                    i = o + opening.len();
                }
                _ => {
                    depth -= 1;
                    i = next_close + closing.len();
                }
            }
        }
        found.push(page[body_start..i - closing.len()].to_owned());
        from = i;
    }
    found
}

pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    format!(" {} ", out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A figure as the pages write it: a share as a whole percentage, the mark with a decimal comma.
pub fn shown(indicator: &str, value: f64) -> String {
    if indicator == "clienttevredenheid" {
        format!("{value:.1}").replace('.', ",")
    } else {
        format!("{:.0}%", value * 100.0)
    }
}

pub fn verdict(code: &str) -> &'static str {
    match code {
        "better" => "beter dan gemiddeld",
        "similar" => "vergelijkbaar met gemiddeld",
        "worse" => "minder goed dan gemiddeld",
        other => panic!("unknown comparison {other}"),
    }
}

pub fn number(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.replace(',', ".").parse().expect("a number"))
}

pub fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 5e-5, "{what}: {a} and {b}"),
        (a, b) => assert_eq!(a.is_some(), b.is_some(), "{what}: {a:?} and {b:?}"),
    }
}

/// The records of a CSV file (either dialect), by header name.
pub fn records(csv: &str) -> Vec<BTreeMap<String, String>> {
    let csv = csv.trim_start_matches('\u{feff}');
    let separator = if csv.lines().next().is_some_and(|l| l.contains(';')) {
        ';'
    } else {
        ','
    };
    let mut lines = csv.lines();
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(separator)
        .map(str::to_owned)
        .collect();
    lines
        .map(|line| {
            header
                .iter()
                .cloned()
                .zip(
                    line.split(separator)
                        .map(|c| c.trim_matches('"').to_owned()),
                )
                .collect()
        })
        .collect()
}

/// Per provider slug, profile number and indicator: the value and n of its HSDS attributes.
pub async fn hsds_figures(app: &TestApp) -> BTreeMap<(String, i32, String), (String, i64)> {
    let lines = |body: String| -> Vec<Value> {
        body.lines()
            .map(|l| serde_json::from_str(l).expect("ndjson"))
            .collect()
    };
    let organizations = lines(text_of(app, "/hsds/organizations?format=ndjson").await);
    let services = lines(text_of(app, "/hsds/services?format=ndjson").await);
    let mut out = BTreeMap::new();
    for service in &services {
        let organization = organizations
            .iter()
            .find(|o| o["id"] == service["organization_id"])
            .expect("organization");
        let slug =
            jeugdhulpcatalogus::web::text::slugify(organization["name"].as_str().expect("name"));
        let attributes = service["attributes"].as_array().expect("attributes");
        let term = |a: &Value, taxonomy: &str| {
            (a["taxonomy_term"]["taxonomy"] == taxonomy).then(|| {
                a["taxonomy_term"]["code"]
                    .as_str()
                    .expect("code")
                    .to_owned()
            })
        };
        let profile: i32 = attributes
            .iter()
            .find_map(|a| term(a, "Cliëntprofielen"))
            .expect("profile")
            .parse()
            .expect("number");
        let of = |code: &str| {
            attributes
                .iter()
                .find(|a| term(a, "Gepubliceerde uitkomsten").as_deref() == Some(code))
                .map(|a| a["value"].as_str().expect("value").to_owned())
        };
        for indicator in INDICATORS {
            match (of(indicator), of(&format!("{indicator}-n"))) {
                (Some(value), Some(n)) => {
                    let n = n.parse().expect("n");
                    let old = out.insert(
                        (slug.clone(), profile, indicator.to_owned()),
                        (value.clone(), n),
                    );
                    assert!(
                        old.is_none_or(|o| o == (value, n)),
                        "two services of {slug} disagree"
                    );
                }
                (None, None) => {}
                other => panic!("a score without its n: {other:?}"),
            }
        }
    }
    out
}

//! Every route the app registers, with who may use it: the table the CSRF and the role tests
//! walk (issue 34, items 6 and 7). [`registered`] reads the routes from the source, and
//! [`assert_table_matches_source`] fails when a route is added without a line here.

use jeugdhulpcatalogus::accounts::Role;

/// Who gets past a route's gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone, signed in or not.
    Public,
    /// Signed-in users of these roles; others get 403, the anonymous the sign-in page.
    Roles(&'static [Role]),
    /// An API client with a provider's bearer token; no cookies, no CSRF.
    Token,
}

pub const ANY: &[Role] = Role::ALL;
pub const WORKERS: &[Role] = &[Role::Toegangsmedewerker];
pub const PROVIDERS: &[Role] = &[Role::Aanbieder];
pub const MANAGERS: &[Role] = &[Role::Contractmanager, Role::Beheerder];
pub const ADMINISTRATORS: &[Role] = &[Role::Beheerder];
/// Who reads the municipal monitor (each its own municipality or region).
pub const MONITOR: &[Role] = &[
    Role::Beleidsmedewerker,
    Role::Contractmanager,
    Role::Beheerder,
];

pub struct Route {
    pub method: &'static str,
    pub pattern: &'static str,
    pub who: Who,
}

const fn r(method: &'static str, pattern: &'static str, who: Who) -> Route {
    Route {
        method,
        pattern,
        who,
    }
}

use Who::{Public, Roles, Token};

/// Every route, with `{…}` for its parameters.
pub const ROUTES: &[Route] = &[
    // The public site, the open data and the documentation.
    r("get", "/healthz", Public),
    r("get", "/assets/{name}", Public),
    r("get", "/", Public),
    r("get", "/catalogus", Public),
    r("get", "/aanbieders/{slug}", Public),
    r("get", "/vergelijk", Public),
    r("get", "/over", Public),
    r("get", "/over-de-cijfers", Public),
    r("get", "/toegankelijkheid", Public),
    r("get", "/aanbieders/{slug}/melden", Public),
    r("post", "/aanbieders/{slug}/melden", Public),
    r("get", "/meldingen/{code}", Public),
    r("get", "/profielen", Public),
    r("get", "/profielen/{number}", Public),
    r("get", "/api/v1/providers", Public),
    r("get", "/api/v1/providers/{slug}", Public),
    r("get", "/api/v1/providers/{slug}/scores", Public),
    r("get", "/api/v1/scores.csv", Public),
    r("get", "/api/v1/municipalities/{slug}/monitor.csv", Public),
    r("get", "/cijfers/gemeenten", Public),
    r("get", "/cijfers/gemeenten/{slug}", Public),
    r("get", "/api/v1/regions", Public),
    r("get", "/api/v1/municipalities", Public),
    r("get", "/api/v1/profiles", Public),
    r("get", "/api/openapi.json", Public),
    r("get", "/api/docs", Public),
    r("get", "/hsds", Public),
    r("get", "/hsds/", Public),
    r("get", "/hsds/services", Public),
    r("get", "/hsds/services/{id}", Public),
    r("get", "/hsds/organizations", Public),
    r("get", "/hsds/organizations/{id}", Public),
    r("get", "/hsds/taxonomies", Public),
    r("get", "/hsds/taxonomies/{id}", Public),
    r("get", "/hsds/taxonomy_terms", Public),
    r("get", "/hsds/taxonomy_terms/{id}", Public),
    r("get", "/hsds/service_at_locations", Public),
    r("get", "/hsds/service_at_locations/{id}", Public),
    // The provider's API.
    r("get", "/api/v1/mijn-aanbod", Token),
    r("put", "/api/v1/mijn-aanbod/aanbod/{id}", Token),
    r("post", "/api/v1/trajectories", Token),
    r("post", "/api/v1/mijn-aanbod/ijw", Token),
    // Accounts.
    r("get", "/inloggen", Public),
    r("post", "/inloggen", Public),
    r("post", "/uitloggen", Public),
    r("post", "/inloggen/organisatie", Public),
    r("get", "/inloggen/organisatie/terug", Public),
    r("post", "/inloggen/eherkenning", Public),
    r("get", "/inloggen/eherkenning/terug", Public),
    r("get", "/bevestigen/{token}", Public),
    r("post", "/bevestigen/{token}", Public),
    r("get", "/wachtwoord-vergeten", Public),
    r("post", "/wachtwoord-vergeten", Public),
    r("get", "/wachtwoord-herstellen/{token}", Public),
    r("post", "/wachtwoord-herstellen/{token}", Public),
    r("get", "/account", Roles(ANY)),
    r("post", "/account/wachtwoord", Roles(ANY)),
    r("post", "/account/overal-uitloggen", Roles(ANY)),
    r("get", "/mijn-werk", Roles(ANY)),
    // Registration and admission.
    r("get", "/registreren", Public),
    r("post", "/registreren", Public),
    r("get", "/registreren/ontvangen", Public),
    r("get", "/beheer/aanmeldingen", Roles(MANAGERS)),
    r("get", "/beheer/meldingen", Roles(MANAGERS)),
    r("get", "/beheer/aanmeldingen/{id}", Roles(MANAGERS)),
    r("post", "/beheer/aanmeldingen/{id}", Roles(MANAGERS)),
    r("get", "/beheer/procesovereenkomst", Roles(ADMINISTRATORS)),
    r(
        "get",
        "/beheer/procesovereenkomst/{region}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/procesovereenkomst/{region}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/procesovereenkomst/{region}/versies/{version}/intrekken",
        Roles(ADMINISTRATORS),
    ),
    // People, managed by a beheerder; the invited person's link.
    r(
        "post",
        "/beheer/aanmeldingen/{id}/uitvoeringsovereenkomst",
        Roles(MANAGERS),
    ),
    r("get", "/beheer/gebruikers", Roles(ADMINISTRATORS)),
    r(
        "get",
        "/beheer/gebruikers/uitnodigen",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/gebruikers/uitnodigen",
        Roles(ADMINISTRATORS),
    ),
    r(
        "get",
        "/beheer/gebruikers/aanvragen/{id}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/gebruikers/aanvragen/{id}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/gebruikers/aanvragen/{id}/afwijzen",
        Roles(ADMINISTRATORS),
    ),
    r("get", "/beheer/gebruikers/{id}", Roles(ADMINISTRATORS)),
    r("post", "/beheer/gebruikers/{id}", Roles(ADMINISTRATORS)),
    r(
        "post",
        "/beheer/gebruikers/{id}/opnieuw-uitnodigen",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/gebruikers/{id}/intrekken",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/gebruikers/{id}/deactiveren",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/gebruikers/{id}/activeren",
        Roles(ADMINISTRATORS),
    ),
    r("get", "/beheer/gemeenten", Roles(ADMINISTRATORS)),
    r("post", "/beheer/gemeenten", Roles(ADMINISTRATORS)),
    r(
        "post",
        "/beheer/gemeenten/samenvoegen",
        Roles(ADMINISTRATORS),
    ),
    r("post", "/beheer/gemeenten/verhuizen", Roles(ADMINISTRATORS)),
    r("post", "/beheer/gemeenten/{id}/naam", Roles(ADMINISTRATORS)),
    r("get", "/beheer/regios", Roles(ADMINISTRATORS)),
    r("post", "/beheer/regios/import", Roles(ADMINISTRATORS)),
    r("post", "/beheer/regios", Roles(ADMINISTRATORS)),
    r("get", "/beheer/regios/{region}", Roles(ADMINISTRATORS)),
    r(
        "get",
        "/beheer/regios/{region}/productcodes",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/regios/{region}/productcodes",
        Roles(ADMINISTRATORS),
    ),
    r(
        "get",
        "/beheer/regios/{region}/{kind}/nieuw",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/regios/{region}/{kind}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "get",
        "/beheer/regios/{region}/{kind}/{id}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/regios/{region}/{kind}/{id}",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/regios/{region}/{kind}/{id}/sluiten",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/regios/{region}/{kind}/{id}/openen",
        Roles(ADMINISTRATORS),
    ),
    r(
        "post",
        "/beheer/regios/{region}/{kind}/{id}/verwijderen",
        Roles(ADMINISTRATORS),
    ),
    r("get", "/beheer/tarieven", Roles(ADMINISTRATORS)),
    r("post", "/beheer/tarieven", Roles(ADMINISTRATORS)),
    r("get", "/beheer/tarieven/export.csv", Roles(ADMINISTRATORS)),
    r("post", "/beheer/tarieven/import", Roles(ADMINISTRATORS)),
    r("get", "/uitnodiging/{token}", Public),
    r("post", "/uitnodiging/{token}", Public),
    // Scores for the region.
    r("get", "/monitor", Roles(MONITOR)),
    r("get", "/monitor/export.csv", Roles(MONITOR)),
    r("get", "/beheer/scores", Roles(MANAGERS)),
    r("get", "/beheer/scores/export.csv", Roles(MANAGERS)),
    r("get", "/beheer/scores/rapporten", Roles(MANAGERS)),
    r("get", "/beheer/scores/rapporten/{id}", Roles(MANAGERS)),
    r("post", "/beheer/scores/rapporten/{id}", Roles(MANAGERS)),
    // The provider's own pages.
    r("get", "/mijn-aanbod", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/organisatie", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/aanbod", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/aanbod/nieuw", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/aanbod/{id}", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/aanbod/{id}", Roles(PROVIDERS)),
    r(
        "post",
        "/mijn-aanbod/aanbod/{id}/verwijderen",
        Roles(PROVIDERS),
    ),
    r("post", "/mijn-aanbod/gecontroleerd", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/meldingen", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/meldingen/{id}", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/wachttijden", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/wachttijden", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/api-tokens", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/api-tokens", Roles(PROVIDERS)),
    r(
        "post",
        "/mijn-aanbod/api-tokens/{id}/intrekken",
        Roles(PROVIDERS),
    ),
    r("get", "/mijn-aanbod/collegas", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/collegas", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/resultaten", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/resultaten", Roles(PROVIDERS)),
    r(
        "get",
        "/mijn-aanbod/resultaten/voorbeeld.csv",
        Roles(PROVIDERS),
    ),
    r(
        "post",
        "/mijn-aanbod/resultaten/{id}/bevestigen",
        Roles(PROVIDERS),
    ),
    r("get", "/mijn-aanbod/ijw", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/ijw", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/ijw/voorbeeld.zip", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/cijfers", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/cijfers", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/cijfers/{id}", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/cijfers/{id}/uitleg", Roles(PROVIDERS)),
    r(
        "post",
        "/mijn-aanbod/cijfers/{id}/indienen",
        Roles(PROVIDERS),
    ),
    r(
        "post",
        "/mijn-aanbod/cijfers/{id}/correctie",
        Roles(PROVIDERS),
    ),
    r("get", "/mijn-aanbod/aanvragen", Roles(PROVIDERS)),
    r("get", "/mijn-aanbod/aanvragen/{id}", Roles(PROVIDERS)),
    r("post", "/mijn-aanbod/aanvragen/{id}", Roles(PROVIDERS)),
    r(
        "post",
        "/mijn-aanbod/aanvragen/{id}/doelen",
        Roles(PROVIDERS),
    ),
    r(
        "post",
        "/mijn-aanbod/aanvragen/{id}/wijziging",
        Roles(PROVIDERS),
    ),
    // The municipal access worker's hulpvragen.
    r("get", "/toegang/hulpvragen", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen", Roles(WORKERS)),
    r("get", "/toegang/hulpvragen/nieuw", Roles(WORKERS)),
    r("get", "/toegang/hulpvragen/{id}", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/link", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/link/mail", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/lijst", Roles(WORKERS)),
    r(
        "post",
        "/toegang/hulpvragen/{id}/lijst/{provider}/verwijderen",
        Roles(WORKERS),
    ),
    r("get", "/toegang/hulpvragen/{id}/aanpassen", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/aanpassen", Roles(WORKERS)),
    r("get", "/toegang/hulpvragen/{id}/intrekken", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/intrekken", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/kiezen", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/garantie", Roles(WORKERS)),
    r(
        "post",
        "/toegang/hulpvragen/{id}/garantie/afzien",
        Roles(WORKERS),
    ),
    r("post", "/toegang/hulpvragen/{id}/wijziging", Roles(WORKERS)),
    r(
        "post",
        "/toegang/hulpvragen/{id}/wijziging/intrekken",
        Roles(WORKERS),
    ),
    r("post", "/toegang/hulpvragen/{id}/doelen", Roles(WORKERS)),
    r(
        "post",
        "/toegang/hulpvragen/{id}/doelen/weghalen",
        Roles(WORKERS),
    ),
    r("post", "/toegang/hulpvragen/{id}/start", Roles(WORKERS)),
    r("post", "/toegang/hulpvragen/{id}/afsluiten", Roles(WORKERS)),
    r(
        "post",
        "/toegang/hulpvragen/{id}/vragenlijst",
        Roles(WORKERS),
    ),
    // The family, with its code.
    r("get", "/keuze", Public),
    r("get", "/keuze/{code}", Public),
    r("get", "/keuze/{code}/kies", Public),
    r("post", "/keuze/{code}/kies", Public),
    r("post", "/keuze/{code}/hulp", Public),
    r("get", "/ervaring", Public),
    r("get", "/ervaring/{code}", Public),
    r("post", "/ervaring/{code}", Public),
];

/// The route's pattern with parameters no object has: a handler answers 404 or 422 there,
/// and a 401 or 403 can only come from a gate or a check.
pub fn concrete(pattern: &str) -> String {
    pattern
        .replace("{region}", "haaglanden")
        .replace("{kind}", "profielen")
        .replace("{code}", "ABCD-EFGH")
        .replace("{token}", "onbekend")
        .replace("{slug}", "onbekend")
        .replace("{name}", "style.css")
        .replace("{number}", "3")
        .replace("{id}", "999999")
        .replace("{version}", "999999")
        .replace("{provider}", "999999")
}

/// Every `(method, path)` the source registers with `.route("…", web::method()…)` or
/// `resource("…")…route(web::method()…)`, as written: relative to its scope.
pub fn registered() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("source");
            // Comments and tests name routes too; only code before `mod tests` counts.
            let code = source.split("#[cfg(test)]").next().unwrap_or("");
            let flat: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .flat_map(str::split_whitespace)
                .collect::<Vec<_>>()
                .join(" ")
                .replace("( \"", "(\"");
            for marker in [".route(\"", "resource(\""] {
                for call in flat.split(marker).skip(1) {
                    let Some(end) = call.find('"') else { continue };
                    let rest = &call[end..];
                    let Some(at) = rest.find("web::") else {
                        continue;
                    };
                    let method: String = rest[at + 5..]
                        .chars()
                        .take_while(char::is_ascii_alphabetic)
                        .collect();
                    if matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                        found.push((method, call[..end].to_owned()));
                    }
                }
            }
        }
    }
    found
}

/// Each registered route is a line of [`ROUTES`] (its path ends the same), one to one.
pub fn assert_table_matches_source() {
    let mut registered = registered();
    // The longest first, so that "" and "/{id}" take what the specific ones leave.
    registered.sort_by_key(|(_, path)| std::cmp::Reverse(path.len()));
    let mut free: Vec<&Route> = ROUTES.iter().collect();
    for (method, path) in &registered {
        let at = free
            .iter()
            .position(|r| r.method == method && r.pattern.ends_with(path.as_str()))
            .unwrap_or_else(|| {
                panic!("{method} {path} is registered in src/ but not in tests/common/routes.rs")
            });
        free.remove(at);
    }
    let left: Vec<String> = free
        .iter()
        .map(|r| format!("{} {}", r.method, r.pattern))
        .collect();
    assert!(left.is_empty(), "in the table but not in src/: {left:?}");
}

//! `/inloggen/organisatie` and `/inloggen/eherkenning`: start at the provider, come back,
//! and end in a session or in a Dutch page that says why not.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{Kind, Person, Provider, attempts, eherkenning, pages, staff};
use crate::accounts::routes::{safe_return, start_session};
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::csrf::CheckedForm;
use crate::web::layout::{html_response, see_other};

pub const ORGANISATION_BACK: &str = "/inloggen/organisatie/terug";
pub const EHERKENNING_BACK: &str = "/inloggen/eherkenning/terug";
/// The attempt's state in the browser that started it: a state that comes back in another
/// browser (a link someone was sent) is refused.
const COOKIE: &str = "jhc_inlog";

/// The paths are written out (not the constants above) so the route table of the tests
/// finds them; `the_way_back_is_routed` checks that they agree.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/inloggen/organisatie", web::post().to(start_organisation))
        .route(
            "/inloggen/organisatie/terug",
            web::get().to(organisation_back),
        )
        .route("/inloggen/eherkenning", web::post().to(start_eherkenning))
        .route(
            "/inloggen/eherkenning/terug",
            web::get().to(eherkenning_back),
        );
}

#[derive(Deserialize, Default)]
struct StartForm {
    #[serde(default)]
    terug: String,
}

fn provider(state: &AppState, kind: Kind) -> Result<&Provider, AppError> {
    match kind {
        Kind::Organisation => state.sign_in.organisation.as_ref().map(|o| &o.provider),
        Kind::Eherkenning => state.sign_in.eherkenning.as_ref().map(|e| &e.provider),
    }
    .ok_or(AppError::NotFound)
}

fn state_cookie(state: &AppState, value: &str, lifetime: CookieDuration) -> Cookie<'static> {
    Cookie::build(COOKIE, value.to_owned())
        .path("/inloggen")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.keys.secure_cookies)
        .max_age(lifetime)
        .finish()
}

fn unavailable(state: &AppState, reason: &'static str) -> HttpResponse {
    tracing::warn!(reason, "sign-in provider unavailable");
    html_response(
        StatusCode::BAD_GATEWAY,
        pages::refused(
            &state.site,
            "Inloggen lukt nu niet",
            &[
                "De inlogdienst is nu niet bereikbaar. Probeer het over een paar minuten opnieuw, of log in met uw e-mailadres en wachtwoord als u die heeft.",
            ],
        ),
    )
}

async fn start(state: &AppState, kind: Kind, terug: &str) -> Result<HttpResponse, AppError> {
    let provider = provider(state, kind)?;
    let key = state.sign_in.key.clone();
    let return_to = safe_return(terug).unwrap_or("").to_owned();
    let attempt = state
        .db
        .run(move |conn| Ok(attempts::start(conn, &key, kind, &return_to)?))
        .await?;
    let (scopes, level): (&[&str], _) = match kind {
        Kind::Organisation => (&["email", "profile"], None),
        // The broker is asked for the level the portal needs (acr_values).
        Kind::Eherkenning => (
            &[],
            state
                .sign_in
                .eherkenning
                .as_ref()
                .map(|e| eherkenning::level_urn(e.min_level)),
        ),
    };
    match provider
        .authorize_url(
            &attempt.state,
            &attempt.nonce,
            &attempt.verifier,
            scopes,
            level,
        )
        .await
    {
        Ok(url) => {
            let mut response = see_other(&url);
            let lifetime = CookieDuration::seconds(attempts::LIFETIME.num_seconds());
            response
                .add_cookie(&state_cookie(state, &attempt.state, lifetime))
                .map_err(anyhow::Error::from)?;
            Ok(response)
        }
        Err(failure) => Ok(unavailable(state, failure.reason())),
    }
}

async fn start_organisation(
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    start(&state, Kind::Organisation, &form.terug).await
}

async fn start_eherkenning(
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    start(&state, Kind::Eherkenning, &form.terug).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Back {
    code: String,
    state: String,
    error: String,
}

const TRY_AGAIN: &str = "Probeer opnieuw in te loggen. Lukt het weer niet? Neem dan contact op met de beheerder van uw regio.";

/// The way back from the provider: the attempt (once), then the code exchange and every
/// check of the ID token. `Err` is the page to show instead.
async fn come_back(
    state: &AppState,
    req: &HttpRequest,
    kind: Kind,
    back: Back,
) -> Result<Result<(Person, String), HttpResponse>, AppError> {
    let refused = |reason: &'static str, lines: &[&str]| {
        tracing::warn!(reason, kind = kind.code(), "sign-in refused");
        html_response(
            StatusCode::BAD_REQUEST,
            pages::refused(&state.site, "Inloggen is niet gelukt", lines),
        )
    };
    let provider = provider(state, kind)?;
    let in_this_browser = req.cookie(COOKIE).is_some_and(|c| {
        !back.state.is_empty() && crate::accounts::secrets::constant_time_eq(c.value(), &back.state)
    });
    if !in_this_browser {
        return Ok(Err(refused(
            "the state is not this browser's",
            &[
                "Deze inlogpoging is niet in deze browser begonnen, of ze is verlopen.",
                TRY_AGAIN,
            ],
        )));
    }
    let key = state.sign_in.key.clone();
    let returned = back.state.clone();
    let attempt = state
        .db
        .run(move |conn| Ok(attempts::finish(conn, &key, kind, &returned)?))
        .await?;
    let Some((attempt, return_to)) = attempt else {
        return Ok(Err(refused(
            "no open attempt with this state",
            &["Deze inlogpoging is al gebruikt of verlopen.", TRY_AGAIN],
        )));
    };
    if !back.error.is_empty() || back.code.is_empty() {
        return Ok(Err(refused(
            "the provider sent no code",
            &[
                "U bent niet ingelogd: het inloggen is afgebroken of geweigerd bij de inlogdienst.",
                TRY_AGAIN,
            ],
        )));
    }
    match provider
        .finish(&back.code, &attempt.nonce, &attempt.verifier)
        .await
    {
        Ok(person) => Ok(Ok((person, return_to))),
        Err(super::provider::Failure::Unavailable(reason)) => Ok(Err(unavailable(state, reason))),
        Err(super::provider::Failure::Refused(reason)) => Ok(Err(refused(
            reason,
            &[
                "De inlogdienst gaf een antwoord dat wij niet kunnen vertrouwen. U bent niet ingelogd.",
                TRY_AGAIN,
            ],
        ))),
    }
}

/// The state cookie is gone after the way back, whatever its end.
fn without_state_cookie(state: &AppState, mut response: HttpResponse) -> HttpResponse {
    let mut cookie = state_cookie(state, "", CookieDuration::ZERO);
    cookie.make_removal();
    // A response that cannot take the cookie still goes out; the cookie expires by itself.
    let _ = response.add_cookie(&cookie);
    response
}

fn forbidden(state: &AppState, title: &str, lines: &[&str]) -> HttpResponse {
    html_response(
        StatusCode::FORBIDDEN,
        pages::refused(&state.site, title, lines),
    )
}

async fn organisation_back(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<Back>,
) -> Result<HttpResponse, AppError> {
    let response = match come_back(&state, &req, Kind::Organisation, query.into_inner()).await? {
        Err(page) => page,
        Ok((person, return_to)) => {
            let admitted = state
                .sign_in
                .organisation
                .as_ref()
                .is_some_and(|o| o.admits(&person));
            let decision = state
                .db
                .run(move |conn| staff::decide(conn, &person, admitted))
                .await?;
            match decision {
                staff::Decision::Admitted(a) => {
                    let target = safe_return(&return_to).unwrap_or(a.role.home());
                    start_session(&state, a.id, a.version, Kind::Organisation.code(), target)?
                }
                staff::Decision::NoAccess => {
                    html_response(StatusCode::FORBIDDEN, pages::no_access(&state.site))
                }
                staff::Decision::Deactivated => forbidden(
                    &state,
                    "Uw account is gedeactiveerd",
                    &[
                        "U kunt niet inloggen: uw account in de jeugdhulpcatalogus is gedeactiveerd. Op andere apparaten bent u uitgelogd.",
                        "Denkt u dat dit niet klopt? Neem contact op met de beheerder van uw regio.",
                    ],
                ),
                staff::Decision::MissingRole { ended } => forbidden(
                    &state,
                    "Geen toegang via uw organisatie",
                    &[
                        if ended {
                            "Uw organisatie geeft u (nu) geen toegang tot de jeugdhulpcatalogus. Op andere apparaten bent u uitgelogd."
                        } else {
                            "Uw organisatie geeft u (nog) geen toegang tot de jeugdhulpcatalogus."
                        },
                        "Vraag de beheerder van de accounts bij uw organisatie om u deze toegang te geven.",
                    ],
                ),
            }
        }
    };
    Ok(without_state_cookie(&state, response))
}

async fn eherkenning_back(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<Back>,
) -> Result<HttpResponse, AppError> {
    let response = match come_back(&state, &req, Kind::Eherkenning, query.into_inner()).await? {
        Err(page) => page,
        Ok((person, return_to)) => {
            let min_level = state
                .sign_in
                .eherkenning
                .as_ref()
                .map_or(0, |e| e.min_level);
            match eherkenning::read(&person, min_level) {
                Err(refusal) => forbidden(
                    &state,
                    "Inloggen met eHerkenning is niet gelukt",
                    &[&refusal.message()],
                ),
                Ok(company) => {
                    let issuer = provider(&state, Kind::Eherkenning)?.issuer().to_owned();
                    eherkenning_decision(&state, issuer, company, &return_to).await?
                }
            }
        }
    };
    Ok(without_state_cookie(&state, response))
}

async fn eherkenning_decision(
    state: &AppState,
    issuer: String,
    company: eherkenning::Company,
    return_to: &str,
) -> Result<HttpResponse, AppError> {
    let known = company.clone();
    let decision = state
        .db
        .run(move |conn| eherkenning::decide(conn, &issuer, &known))
        .await?;
    Ok(match decision {
        eherkenning::Decision::Admitted(a) => {
            let target = safe_return(return_to).unwrap_or(a.role.home());
            start_session(state, a.id, a.version, Kind::Eherkenning.code(), target)?
        }
        eherkenning::Decision::Register => {
            // The verified number goes to the registration form in a signed cookie, never
            // in the address (which ends up in histories and logs).
            let mut response = see_other("/registreren?eherkenning=1");
            let cookie = Cookie::build(
                eherkenning::REGISTRATION_COOKIE,
                eherkenning::registration_value(&state.sign_in.key, &company),
            )
            .path("/registreren")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.keys.secure_cookies)
            .max_age(CookieDuration::minutes(eherkenning::REGISTRATION_MINUTES))
            .finish();
            response.add_cookie(&cookie).map_err(anyhow::Error::from)?;
            response
        }
        eherkenning::Decision::Ambiguous => forbidden(
            state,
            "Inloggen met eHerkenning is niet gelukt",
            &[
                "Er staan meer aanbieders met het KvK-nummer van uw organisatie in de jeugdhulpcatalogus. Wij weten daarom niet bij welke u hoort. Neem contact op met de contractmanager van uw regio.",
            ],
        ),
        eherkenning::Decision::NotAdmitted => forbidden(
            state,
            "Uw organisatie is nog niet toegelaten",
            &[
                "Uw organisatie is aangemeld, maar de regio heeft de aanmelding nog niet beoordeeld. Tot dan logt alleen de persoon die de aanmelding deed in, met e-mailadres en wachtwoord of met eHerkenning.",
            ],
        ),
        eherkenning::Decision::Unverified => forbidden(
            state,
            "Bevestig eerst uw e-mailadres",
            &[
                "Uw organisatie is aangemeld. Wij hebben u een e-mail gestuurd met een link om uw e-mailadres te bevestigen. Klik op die link, en log daarna opnieuw in met eHerkenning.",
            ],
        ),
        eherkenning::Decision::Deactivated => forbidden(
            state,
            "Uw account is gedeactiveerd",
            &[
                "U kunt niet inloggen: uw account in de jeugdhulpcatalogus is gedeactiveerd. Vraag een collega met een account om contact op te nemen met de regio.",
            ],
        ),
    })
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test};

    /// The way back the providers are told (`ORGANISATION_BACK`, `EHERKENNING_BACK`) is a
    /// route of the portal.
    #[actix_web::test]
    async fn the_way_back_is_routed() {
        let app = test::init_service(App::new().configure(super::routes)).await;
        for path in [super::ORGANISATION_BACK, super::EHERKENNING_BACK] {
            let request = test::TestRequest::get().uri(path).to_request();
            let response = test::call_service(&app, request).await;
            // Routed: the handler ran (and, without its state, failed), not a 404.
            assert_ne!(
                response.status(),
                actix_web::http::StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
}

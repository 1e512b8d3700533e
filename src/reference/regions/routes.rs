//! `/beheer/regios`: extract, call, render.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::edit::ItemForm;
use super::{Problem, RegionFiles, pages};
use crate::reference::model::Region;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, html_response, see_other};
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(show))
        .route("/import", web::post().to(import))
        .configure(super::edit_routes::routes);
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Done {
    gedaan: String,
}

/// The page; `add` is the form that adds a region by hand, with what was refused.
pub(super) async fn render(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    problems: &[Problem],
    done: Option<&str>,
    add: (&ItemForm, &[FieldError]),
) -> Result<HttpResponse, AppError> {
    let scope = user.region_scope().ok_or(AppError::NotFound)?;
    let reference = state.reference_data().await?;
    let regions: Vec<&Region> = reference
        .regions
        .iter()
        .filter(|r| scope.includes(r.id))
        .collect();
    let may_add = user.principal.is_installation_beheerder();
    let body = pages::page(
        &state.site,
        Account { user, csrf },
        &reference,
        &regions,
        problems,
        done,
        may_add.then_some(add),
    );
    let status = if problems.is_empty() && add.1.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_response(status, body))
}

async fn show(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let done = (!query.gedaan.is_empty())
        .then_some("De regio is toegevoegd, met haar gemeenten, profielen en intensiteiten.");
    render(&state, &user, &csrf, &[], done, (&ItemForm::default(), &[])).await
}

async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    csrf: CsrfToken,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    // The role first: nobody else's upload is read.
    if !user.principal.is_installation_beheerder() {
        return Err(AppError::Forbidden(
            "Alleen de beheerder van alle regio's voegt een regio toe.".into(),
        ));
    }
    let mut fields = crate::web::multipart::read(
        &req,
        payload,
        4 * 1024 * 1024,
        "regions",
        "De bestanden zijn samen groter dan 4 MB.",
    )
    .await?;
    let mut file = |name: &str| fields.take(name);
    let files = RegionFiles {
        regions: file("regions"),
        municipalities: file("municipalities"),
        profiles: file("profiles"),
        intensities: file("intensities"),
        descriptions: file("descriptions"),
        satisfaction: file("satisfaction"),
        tariffs: file("tariffs"),
        tariffs_from: file("tarieven_vanaf").and_then(|b| {
            chrono::NaiveDate::parse_from_str(String::from_utf8_lossy(&b).trim(), "%Y-%m-%d").ok()
        }),
    };
    let by = user.id;
    let result = state
        .db
        .run(move |conn| Ok(super::import(conn, Some(by), &files)?))
        .await?;
    state.reference.invalidate();
    match result {
        Ok(_) => Ok(see_other("/beheer/regios?gedaan=1")),
        Err(problems) => {
            render(
                &state,
                &user,
                &csrf,
                &problems,
                None,
                (&ItemForm::default(), &[]),
            )
            .await
        }
    }
}

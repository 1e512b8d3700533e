//! `/beheer/regios/{regio}/…`: a region's profiles and intensities by hand. Extract, call,
//! render.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;

use super::edit::{self, ItemForm, Kind};
use super::edit_pages::{self, Item};
use crate::reference::admin::{change, scope};
use crate::reference::model::{ReferenceData, Region};
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, form_response, see_other};
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    // First: `/{region}/productcodes` would match `/{region}/{kind}`.
    cfg.configure(super::products::routes)
        .route("", web::post().to(add_region))
        .route("/{region}", web::get().to(show_region))
        .route("/{region}/{kind}", web::post().to(add))
        .route("/{region}/{kind}/nieuw", web::get().to(show_add))
        .route("/{region}/{kind}/{id}", web::get().to(show_item))
        .route("/{region}/{kind}/{id}", web::post().to(save))
        .route("/{region}/{kind}/{id}/sluiten", web::post().to(close))
        .route("/{region}/{kind}/{id}/openen", web::post().to(open))
        .route("/{region}/{kind}/{id}/verwijderen", web::post().to(delete));
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Done {
    gedaan: String,
}

/// What was just done, said of the profile, intensity or question it was done to.
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "regio" => "De regio is toegevoegd. Voeg nu haar profielen en intensiteiten toe.",
        "opgeslagen" => "De wijzigingen zijn opgeslagen.",
        "profielen-toegevoegd" => "Het profiel is toegevoegd.",
        "intensiteiten-toegevoegd" => "De intensiteit is toegevoegd.",
        "vragen-toegevoegd" => "De vraag is toegevoegd. Gezinnen krijgen hem vanaf nu.",
        "profielen-gesloten" => "Het profiel is gesloten vanaf de gekozen datum.",
        "intensiteiten-gesloten" => "De intensiteit is gesloten vanaf de gekozen datum.",
        "vragen-gesloten" => "De vraag is gesloten vanaf de gekozen datum.",
        "profielen-geopend" => "Het profiel is weer open.",
        "intensiteiten-geopend" => "De intensiteit is weer open.",
        "vragen-geopend" => "De vraag is weer open.",
        "profielen-verwijderd" => "Het profiel is verwijderd.",
        "intensiteiten-verwijderd" => "De intensiteit is verwijderd.",
        "vragen-verwijderd" => "De vraag is verwijderd.",
        _ => return None,
    })
}

/// The region at this address, when the user manages it.
pub(super) async fn region_of(
    state: &AppState,
    user: &SessionUser,
    slug: &str,
) -> Result<(std::sync::Arc<ReferenceData>, Region), AppError> {
    let scope = scope(user)?;
    let reference = state.reference_data().await?;
    let region = reference
        .regions
        .iter()
        .find(|r| r.slug == slug && scope.includes(r.id))
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((reference, region))
}

async fn show_region(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    slug: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let (reference, region) = region_of(&state, &user, &slug).await?;
    let body = edit_pages::region_page(
        &state.site,
        Account {
            user: &user,
            csrf: &csrf,
        },
        &reference,
        &region,
        done_message(&query.gedaan),
    );
    Ok(form_response(&[], body))
}

/// The page that adds a profile, intensity or question; with what was sent and refused.
async fn render_add(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    slug: &str,
    kind: Kind,
    form: &ItemForm,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let (_, region) = region_of(state, user, slug).await?;
    let body = edit_pages::add_page(
        &state.site,
        Account { user, csrf },
        &region,
        kind,
        form,
        errors,
    );
    Ok(form_response(errors, body))
}

async fn show_add(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, segment) = path.into_inner();
    let kind = kind(&segment)?;
    render_add(&state, &user, &csrf, &slug, kind, &ItemForm::default(), &[]).await
}

async fn add_region(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    if !user.principal.is_installation_beheerder() {
        return Err(AppError::Forbidden(
            "Alleen de beheerder van alle regio's voegt een regio toe.".into(),
        ));
    }
    let (by, sent) = (user.id, form.clone());
    let result = change(&state, &user, move |conn, scope, reference| {
        edit::add_region(conn, Some(by), scope, reference, &sent)
    })
    .await?;
    match result {
        Ok(slug) => Ok(see_other(&format!("/beheer/regios/{slug}?gedaan=regio"))),
        Err(errors) => {
            super::routes::render(&state, &user, &csrf, &[], None, (&form, &errors)).await
        }
    }
}

fn kind(segment: &str) -> Result<Kind, AppError> {
    Kind::from_segment(segment).ok_or(AppError::NotFound)
}

async fn add(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String)>,
    CheckedForm(form): CheckedForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, segment) = path.into_inner();
    let kind = kind(&segment)?;
    let (_, region) = region_of(&state, &user, &slug).await?;
    let (by, sent) = (user.id, form.clone());
    let result = change(&state, &user, move |conn, scope, reference| {
        edit::add(conn, Some(by), scope, reference, region.id, kind, &sent)
    })
    .await?;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/beheer/regios/{slug}?gedaan={segment}-toegevoegd"
        ))),
        Err(errors) => render_add(&state, &user, &csrf, &slug, kind, &form, &errors).await,
    }
}

/// The profile or intensity at this address, in this region, when the user manages it.
async fn item_of(
    state: &AppState,
    user: &SessionUser,
    path: &(String, String, i64),
) -> Result<(Region, Kind, ItemForm, String, Option<NaiveDate>), AppError> {
    let (slug, segment, id) = path;
    let kind = kind(segment)?;
    let (reference, region) = region_of(state, user, slug).await?;
    let found = match kind {
        Kind::Profile => reference
            .profile(*id)
            .filter(|p| p.region_id == region.id)
            .map(|p| {
                let form = ItemForm {
                    naam: p.name.clone(),
                    omschrijving: p.description.clone(),
                    ..ItemForm::default()
                };
                (form, p.name.clone(), p.closed_from)
            }),
        Kind::Intensity => reference
            .intensity(*id)
            .filter(|i| i.region_id == region.id)
            .map(|i| {
                let form = ItemForm {
                    naam: i.name.clone(),
                    omschrijving: i.description.clone(),
                    betaald_per: i.paid_per.clone(),
                    ..ItemForm::default()
                };
                (form, i.name.clone(), i.closed_from)
            }),
        Kind::Question => reference
            .satisfaction_item(*id)
            .filter(|i| i.region_id == region.id)
            .map(|i| {
                let form = ItemForm {
                    naam: i.name.clone(),
                    vraag: i.question.clone(),
                    ..ItemForm::default()
                };
                (form, i.question.clone(), i.closed_from)
            }),
    };
    let (form, name, closed_from) = found.ok_or(AppError::NotFound)?;
    Ok((region, kind, form, name, closed_from))
}

async fn render_item(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    path: &(String, String, i64),
    sent: Option<&ItemForm>,
    errors: &[FieldError],
    done: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let (region, kind, stored, name, closed_from) = item_of(state, user, path).await?;
    let id = path.2;
    let in_use = state
        .db
        .run(move |conn| Ok(edit::in_use(conn, kind, id)?))
        .await?;
    let item = Item {
        kind,
        id,
        name: &name,
        closed_from,
        in_use,
    };
    let form = sent.unwrap_or(&stored);
    let body = edit_pages::item_page(
        &state.site,
        Account { user, csrf },
        &region,
        &item,
        form,
        errors,
        done,
    );
    Ok(form_response(errors, body))
}

async fn show_item(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String, i64)>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let done = done_message(&query.gedaan);
    render_item(&state, &user, &csrf, &path, None, &[], done).await
}

/// Runs one command on the item at this address and answers with its page again.
async fn on_item<F>(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    path: (String, String, i64),
    form: &ItemForm,
    done: &str,
    command: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(
            &mut crate::db::DbConnection,
            crate::web::auth::RegionScope,
            &ReferenceData,
            Kind,
        ) -> Result<Result<(), Vec<FieldError>>, diesel::result::Error>
        + Send
        + 'static,
{
    let (region, kind, ..) = item_of(state, user, &path).await?;
    let result = change(state, user, move |conn, scope, reference| {
        command(conn, scope, reference, kind)
    })
    .await?;
    match result {
        Ok(()) if done == "verwijderd" => Ok(see_other(&format!(
            "/beheer/regios/{}?gedaan={}-verwijderd",
            region.slug, path.1
        ))),
        Ok(()) if done == "opgeslagen" => Ok(see_other(&format!(
            "/beheer/regios/{}/{}/{}?gedaan=opgeslagen",
            path.0, path.1, path.2
        ))),
        Ok(()) => Ok(see_other(&format!(
            "/beheer/regios/{}/{}/{}?gedaan={}-{done}",
            path.0, path.1, path.2, path.1
        ))),
        // The change form shows what was sent; after another refusal it shows what is stored.
        Err(errors) => {
            let sent = (done == "opgeslagen").then_some(form);
            render_item(state, user, csrf, &path, sent, &errors, None).await
        }
    }
}

async fn save(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String, i64)>,
    CheckedForm(form): CheckedForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let (by, id, sent) = (user.id, path.2, form.clone());
    on_item(
        &state,
        &user,
        &csrf,
        path.into_inner(),
        &form,
        "opgeslagen",
        move |conn, scope, reference, kind| {
            edit::change(conn, Some(by), scope, reference, kind, id, &sent)
        },
    )
    .await
}

async fn close(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String, i64)>,
    CheckedForm(form): CheckedForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let Some(from) = crate::web::input::date(&form.datum) else {
        let errors = [FieldError::new(
            "datum",
            "Vul de datum in vanaf wanneer het gesloten is, bijvoorbeeld 1-1-2027.",
        )];
        return render_item(&state, &user, &csrf, &path, None, &errors, None).await;
    };
    let (by, id) = (user.id, path.2);
    on_item(
        &state,
        &user,
        &csrf,
        path.into_inner(),
        &form,
        "gesloten",
        move |conn, scope, reference, kind| {
            edit::close(conn, Some(by), scope, reference, kind, id, Some(from))
        },
    )
    .await
}

async fn open(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String, i64)>,
    CheckedForm(form): CheckedForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let (by, id) = (user.id, path.2);
    on_item(
        &state,
        &user,
        &csrf,
        path.into_inner(),
        &form,
        "geopend",
        move |conn, scope, reference, kind| {
            edit::close(conn, Some(by), scope, reference, kind, id, None)
        },
    )
    .await
}

async fn delete(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    path: web::Path<(String, String, i64)>,
    CheckedForm(form): CheckedForm<ItemForm>,
) -> Result<HttpResponse, AppError> {
    let (by, id) = (user.id, path.2);
    on_item(
        &state,
        &user,
        &csrf,
        path.into_inner(),
        &form,
        "verwijderd",
        move |conn, scope, reference, kind| {
            edit::delete(conn, Some(by), scope, reference, kind, id)
        },
    )
    .await
}

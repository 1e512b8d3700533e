//! `/beheer/gemeenten`: extract, call, render.

use actix_web::{HttpResponse, web};

use super::pages::{self, Form};
use crate::reference::admin::{change, scope};
use crate::reference::model::Region;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, form_response, see_other};
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(show))
        .route("", web::post().to(add))
        .route("/samenvoegen", web::post().to(merge))
        .route("/verhuizen", web::post().to(move_to_region))
        .route("/{id}/naam", web::post().to(rename));
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Done {
    gedaan: String,
}

async fn render(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    form: &Form,
    errors: &[FieldError],
    done: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let scope = scope(user)?;
    let reference = state.reference_data().await?;
    let regions: Vec<&Region> = reference
        .regions
        .iter()
        .filter(|r| scope.includes(r.id))
        .collect();
    let body = pages::page(
        &state.site,
        Account { user, csrf },
        &reference,
        &regions,
        form,
        errors,
        done,
    );
    Ok(form_response(errors, body))
}

async fn show(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let done = match query.gedaan.as_str() {
        "toegevoegd" => Some("De gemeente is toegevoegd."),
        "hernoemd" => Some("De nieuwe naam is opgeslagen."),
        "samengevoegd" => Some(
            "De gemeenten zijn samengevoegd. Het aanbod en de medewerkers staan nu bij de nieuwe gemeente.",
        ),
        "samenvoeging-gepland" => Some(
            "De samenvoeging is gepland. Op de gekozen dag gaan het aanbod en de medewerkers vanzelf over naar de nieuwe gemeente.",
        ),
        "verhuizing-gepland" => Some(
            "De verhuizing is gepland. Op de gekozen dag hoort de gemeente vanzelf bij de andere regio.",
        ),
        "verhuisd" => Some(
            "De gemeente hoort nu bij de andere regio. Aanbod van de oude regio geldt er niet meer.",
        ),
        _ => None,
    };
    render(&state, &user, &csrf, &Form::default(), &[], done).await
}

fn number(text: &str) -> i64 {
    text.trim().parse().unwrap_or(0)
}

async fn add(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<Form>,
) -> Result<HttpResponse, AppError> {
    let (name, code, region, by) = (
        form.naam.clone(),
        form.cbs.clone(),
        number(&form.regio),
        user.id,
    );
    let result = change(&state, &user, move |conn, scope, reference| {
        Ok(super::add(conn, Some(by), scope, reference, &name, &code, region)?.map(|_| ()))
    })
    .await?;
    match result {
        Ok(()) => Ok(see_other("/beheer/gemeenten?gedaan=toegevoegd")),
        Err(errors) => render(&state, &user, &csrf, &form, &errors, None).await,
    }
}

async fn rename(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<Form>,
) -> Result<HttpResponse, AppError> {
    let (id, name, by) = (id.into_inner(), form.naam.clone(), user.id);
    let scope = scope(&user)?;
    let reference = state.reference_data().await?;
    if reference
        .municipality(id)
        .is_none_or(|m| !scope.includes(m.region_id))
    {
        return Err(AppError::NotFound);
    }
    let result = change(&state, &user, move |conn, scope, reference| {
        super::rename(conn, Some(by), scope, reference, id, &name)
    })
    .await?;
    match result {
        Ok(()) => Ok(see_other("/beheer/gemeenten?gedaan=hernoemd")),
        Err(errors) => render(&state, &user, &csrf, &Form::default(), &errors, None).await,
    }
}

async fn merge(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<Form>,
) -> Result<HttpResponse, AppError> {
    let Some(on) = crate::web::input::date(&form.datum) else {
        let errors = vec![FieldError::new(
            "datum",
            "Vul de datum in waarop de gemeenten samengaan.",
        )];
        return render(&state, &user, &csrf, &form, &errors, None).await;
    };
    let merged: Vec<i64> = form.gemeente.iter().map(|g| number(g)).collect();
    let (into, by) = (number(&form.r#in), user.id);
    let result = change(&state, &user, move |conn, scope, reference| {
        super::merge(conn, Some(by), scope, reference, &merged, into, on)
    })
    .await?;
    match result {
        Ok(()) if on > crate::clock::today() => {
            Ok(see_other("/beheer/gemeenten?gedaan=samenvoeging-gepland"))
        }
        Ok(()) => Ok(see_other("/beheer/gemeenten?gedaan=samengevoegd")),
        Err(errors) => render(&state, &user, &csrf, &form, &errors, None).await,
    }
}

async fn move_to_region(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<Form>,
) -> Result<HttpResponse, AppError> {
    let Some(on) = crate::web::input::date(&form.verhuis_datum) else {
        let errors = vec![FieldError::new(
            "verhuis_datum",
            "Vul de datum in vanaf wanneer de gemeente bij de andere regio hoort.",
        )];
        return render(&state, &user, &csrf, &form, &errors, None).await;
    };
    let municipality = number(&form.verhuis_gemeente);
    let (region, by) = (number(&form.verhuis_regio), user.id);
    let result = change(&state, &user, move |conn, scope, reference| {
        super::move_to_region(conn, Some(by), scope, reference, municipality, region, on)
    })
    .await?;
    match result {
        Ok(()) if on > crate::clock::today() => {
            Ok(see_other("/beheer/gemeenten?gedaan=verhuizing-gepland"))
        }
        Ok(()) => Ok(see_other("/beheer/gemeenten?gedaan=verhuisd")),
        Err(errors) => {
            // The command names the fields of a merger; on this form they have their own.
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|e| match e.field.as_str() {
                    "gemeente" | "regio" | "datum" => {
                        FieldError::new(format!("verhuis_{}", e.field), e.message)
                    }
                    _ => e,
                })
                .collect();
            render(&state, &user, &csrf, &form, &errors, None).await
        }
    }
}

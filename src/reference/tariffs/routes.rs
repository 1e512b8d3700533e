//! `/beheer/tarieven`: extract, call, render.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::pages::{self, View};
use super::{NewAmount, file};
use crate::domain::values::Cents;
use crate::reference::model::{ReferenceData, Region};
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::csv_export::{CsvExport, Dialect};
use crate::web::layout::{Account, form_response, see_other};
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(show))
        .route("", web::post().to(save))
        .route("/export.csv", web::get().to(export))
        .route("/import", web::post().to(import));
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Choice {
    regio: String,
    vanaf: String,
    gedaan: String,
}

/// The region asked for, if this beheerder manages it (else its first one); the date asked
/// for, else the next 1 January.
fn chosen<'a>(
    user: &SessionUser,
    reference: &'a ReferenceData,
    regio: &str,
    vanaf: &str,
) -> Result<(Vec<&'a Region>, &'a Region, NaiveDate), AppError> {
    let scope = user.region_scope().ok_or(AppError::NotFound)?;
    let regions: Vec<&Region> = reference
        .regions
        .iter()
        .filter(|r| scope.includes(r.id))
        .collect();
    let region = match regio {
        "" => regions.first().copied(),
        slug => regions.iter().find(|r| r.slug == slug).copied(),
    }
    .ok_or(AppError::NotFound)?;
    let date = NaiveDate::parse_from_str(vanaf.trim(), "%Y-%m-%d")
        .unwrap_or_else(|_| super::next_new_year(crate::clock::today()));
    Ok((regions, region, date))
}

async fn render(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    choice: &Choice,
    typed: Option<&HashMap<String, String>>,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let reference = state.db.run(move |conn| Ok(cache.get(conn)?)).await?;
    let (regions, region, valid_from) = chosen(user, &reference, &choice.regio, &choice.vanaf)?;
    let region_id = region.id;
    let tariffs = state
        .db
        .run(move |conn| Ok(super::of_region(conn, region_id)?))
        .await?;
    let done = match choice.gedaan.as_str() {
        "" => None,
        _ => Some("De tarieven zijn opgeslagen."),
    };
    let view = View {
        reference: &reference,
        regions,
        region,
        valid_from,
        today: crate::clock::today(),
        tariffs: &tariffs,
        typed,
        done,
    };
    let body = pages::page(&state.site, Account { user, csrf }, &view, errors);
    Ok(form_response(errors, body))
}

async fn show(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    choice: web::Query<Choice>,
) -> Result<HttpResponse, AppError> {
    render(&state, &user, &csrf, &choice, None, &[]).await
}

/// Stores the amounts for the chosen region and date; a refusal is said on the form.
async fn store(
    state: &AppState,
    user: &SessionUser,
    choice: &Choice,
    amounts: Vec<NewAmount>,
) -> Result<Result<String, Vec<FieldError>>, AppError> {
    let cache = state.reference.clone();
    let (who, regio, vanaf) = (user.clone(), choice.regio.clone(), choice.vanaf.clone());
    state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let (_, region, valid_from) = chosen(&who, &reference, &regio, &vanaf)?;
            Ok(
                match super::set(
                    conn,
                    Some(who.id),
                    &reference,
                    region.id,
                    valid_from,
                    &amounts,
                )? {
                    Ok(_) => Ok(format!(
                        "/beheer/tarieven?regio={}&vanaf={valid_from}&gedaan=1",
                        region.slug
                    )),
                    Err(refusal) => Err(vec![FieldError::new("vanaf", refusal.message())]),
                },
            )
        })
        .await
}

async fn save(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let choice = Choice {
        regio: form.get("regio").cloned().unwrap_or_default(),
        vanaf: form.get("vanaf").cloned().unwrap_or_default(),
        gedaan: String::new(),
    };
    let mut errors = Vec::new();
    if NaiveDate::parse_from_str(choice.vanaf.trim(), "%Y-%m-%d").is_err() {
        errors.push(FieldError::new(
            "vanaf",
            "Vul de datum in vanaf wanneer de tarieven gelden, bijvoorbeeld 1 januari van volgend jaar.",
        ));
    }
    let mut amounts = Vec::new();
    let mut cells: Vec<(&String, &String)> =
        form.iter().filter(|(k, _)| k.starts_with("t-")).collect();
    cells.sort();
    for (name, typed) in cells {
        let ids: Vec<i64> = name[2..]
            .split('-')
            .filter_map(|n| n.parse().ok())
            .collect();
        let [profile_id, intensity_id] = ids[..] else {
            continue;
        };
        if typed.trim().is_empty() {
            continue;
        }
        match Cents::try_from(typed.as_str()) {
            Ok(cents) => amounts.push(NewAmount {
                profile_id,
                intensity_id,
                cents: cents.get(),
            }),
            Err(refused) => errors.push(refused.at(name)),
        }
    }
    if errors.is_empty() && amounts.is_empty() {
        errors.push(FieldError::form("Vul ten minste één bedrag in."));
    }
    if errors.is_empty() {
        match store(&state, &user, &choice, amounts).await? {
            Ok(to) => return Ok(see_other(&to)),
            Err(refused) => errors = refused,
        }
    }
    render(&state, &user, &csrf, &choice, Some(&form), &errors).await
}

async fn export(
    state: web::Data<AppState>,
    user: SessionUser,
    choice: web::Query<Choice>,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let (who, regio, vanaf) = (user.clone(), choice.regio.clone(), choice.vanaf.clone());
    let (rows, name) = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let (_, region, on) = chosen(&who, &reference, &regio, &vanaf)?;
            let tariffs = super::of_region(conn, region.id)?;
            Ok((
                file::export(&reference, region.id, &tariffs, on),
                format!("tarieven-{}-{on}.csv", region.slug),
            ))
        })
        .await?;
    let mut csv = CsvExport::new(Dialect::OpenData);
    for row in rows {
        csv.row(row)?;
    }
    Ok(CsvExport::attachment(csv.into_bytes()?, &name))
}

/// The multipart form: its CSRF token checked, the choice and the file.
async fn read_form(req: &HttpRequest, payload: Multipart) -> Result<(Choice, Vec<u8>), AppError> {
    let mut fields = crate::web::multipart::read(
        req,
        payload,
        1024 * 1024,
        "bestand",
        "Het bestand is groter dan 1 MB.",
    )
    .await?;
    let choice = Choice {
        regio: fields.text("regio"),
        vanaf: fields.text("vanaf"),
        gedaan: String::new(),
    };
    Ok((choice, fields.take("bestand").unwrap_or_default()))
}

async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    csrf: CsrfToken,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (choice, bytes) = read_form(&req, payload).await?;
    let errors = if NaiveDate::parse_from_str(choice.vanaf.trim(), "%Y-%m-%d").is_err() {
        vec![FieldError::new(
            "vanaf",
            "Vul de datum in vanaf wanneer de tarieven gelden.",
        )]
    } else if bytes.is_empty() {
        vec![FieldError::new("bestand", "Kies een CSV-bestand.")]
    } else {
        let cache = state.reference.clone();
        let (who, regio, vanaf) = (user.clone(), choice.regio.clone(), choice.vanaf.clone());
        let parsed = state
            .db
            .run(move |conn| {
                let reference = cache.get(conn)?;
                let (_, region, _) = chosen(&who, &reference, &regio, &vanaf)?;
                Ok(file::parse(&reference, region.id, &bytes))
            })
            .await?;
        match parsed {
            Ok(amounts) => match store(&state, &user, &choice, amounts).await? {
                Ok(to) => return Ok(see_other(&to)),
                Err(refused) => refused,
            },
            Err(problems) => problems
                .into_iter()
                .map(|p| FieldError::new("bestand", format!("Regel {}: {}", p.line, p.message)))
                .collect(),
        }
    };
    render(&state, &user, &csrf, &choice, None, &errors).await
}

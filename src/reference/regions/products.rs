//! A region's own product codes (`/beheer/regios/{regio}/productcodes`): the codes of its
//! iJw allocations and the profile and intensity each stands for, read by
//! `outcomes::ijw` when a provider's messages name a product. Every region also knows the
//! built-in codes (J + profile number + first letter of the intensity); a code of its own with
//! the same name replaces one. Uploaded as a CSV file (`productcode,profiel,intensiteit`),
//! checked as a whole and stored in place of the region's codes, or nothing is stored.

use std::collections::HashSet;

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::edit_routes::region_of;
use crate::db::DbConnection;
use crate::db::schema::{intensities, product_codes, profiles};
use crate::reference::model::{ReferenceData, Region};
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::components::{Field, error_summary, notice, scroll_region};
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, Page, form_response, see_other};
use crate::web::{AppError, FieldError};

/// Registered before the routes of `/{region}/{kind}`, whose pattern this one would match.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{region}/productcodes", web::get().to(show))
        .route("/{region}/productcodes", web::post().to(upload));
}

/// One of a region's own codes, as listed.
pub struct Code {
    pub code: String,
    pub profile: i32,
    pub intensity: String,
}

/// The region's own codes, by code.
pub fn own_codes(conn: &mut DbConnection, region_id: i64) -> QueryResult<Vec<Code>> {
    let rows: Vec<(String, i32, String)> = product_codes::table
        .inner_join(profiles::table.on(profiles::id.eq(product_codes::profile_id)))
        .inner_join(intensities::table.on(intensities::id.eq(product_codes::intensity_id)))
        .filter(product_codes::region_id.eq(region_id))
        .order(product_codes::code)
        .select((product_codes::code, profiles::number, intensities::code))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(code, profile, intensity)| Code {
            code,
            profile,
            intensity,
        })
        .collect())
}

/// Checks a file of codes for a region: (code, profile id, intensity id) per line, or every
/// problem with its line.
pub fn parse(
    bytes: &[u8],
    reference: &ReferenceData,
    region_id: i64,
) -> Result<Vec<(String, i64, i64)>, Vec<FieldError>> {
    let refuse =
        |line: u64, message: String| FieldError::new("bestand", format!("Regel {line}: {message}"));
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(
        |_| {
            vec![FieldError::new(
                "bestand",
                "Het bestand is geen tekst in UTF-8. Sla het op als 'CSV UTF-8'.",
            )]
        },
    )?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_lowercase).collect())
        .unwrap_or_default();
    if headers != ["productcode", "profiel", "intensiteit"] {
        return Err(vec![refuse(
            1,
            "De eerste regel moet de kolommen noemen: productcode, profiel, intensiteit.".into(),
        )]);
    }
    let (mut codes, mut problems, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for record in reader.records() {
        let Ok(record) = record else {
            problems.push(refuse(
                0,
                "Een regel kan niet gelezen worden. Staan er aanhalingstekens verkeerd?".into(),
            ));
            continue;
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let code = field(0);
        if code.is_empty() || code.chars().count() > 5 || code.chars().any(char::is_whitespace) {
            problems.push(refuse(
                line,
                format!("'{code}' is geen productcode: 1 tot 5 tekens, zonder spaties."),
            ));
        } else if !seen.insert(code.to_owned()) {
            problems.push(refuse(
                line,
                format!("Productcode {code} staat er twee keer in."),
            ));
        }
        let profile = field(1)
            .parse::<i32>()
            .ok()
            .and_then(|n| reference.profile_in_region(region_id, n));
        if profile.is_none() {
            problems.push(refuse(
                line,
                format!("'{}' is geen profiel van deze regio.", field(1)),
            ));
        }
        let intensity = reference.intensity_in_region(region_id, &field(2).to_lowercase());
        if intensity.is_none() {
            problems.push(refuse(
                line,
                format!("'{}' is geen intensiteit van deze regio.", field(2)),
            ));
        }
        if let (Some(p), Some(i)) = (profile, intensity) {
            codes.push((code.to_owned(), p.id, i.id));
        }
    }
    if codes.is_empty() && problems.is_empty() {
        problems.push(refuse(2, "Het bestand bevat geen productcodes.".into()));
    }
    if problems.is_empty() {
        Ok(codes)
    } else {
        Err(problems)
    }
}

/// Replaces the region's own codes, in one transaction.
pub fn replace(
    conn: &mut DbConnection,
    region_id: i64,
    codes: &[(String, i64, i64)],
    user_id: i64,
) -> QueryResult<()> {
    conn.write_transaction(|conn| {
        diesel::delete(product_codes::table.filter(product_codes::region_id.eq(region_id)))
            .execute(conn)?;
        for (code, profile_id, intensity_id) in codes {
            diesel::insert_into(product_codes::table)
                .values((
                    product_codes::region_id.eq(region_id),
                    product_codes::code.eq(code),
                    product_codes::profile_id.eq(profile_id),
                    product_codes::intensity_id.eq(intensity_id),
                ))
                .execute(conn)?;
        }
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: Some(user_id),
                action: "productcodes vervangen",
                entity: "region",
                entity_id: Some(region_id),
                field: "productcodes",
                old_value: None,
                new_value: Some(&format!("{} codes", codes.len())),
            },
        )
    })
}

fn page(
    state: &AppState,
    account: Account<'_>,
    region: &Region,
    codes: &[Code],
    done: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let title = format!("Productcodes van regio {}", region.name);
    Page {
        title: &title,
        site: &state.site,
        crumbs: vec![
            Crumb::link("Regio's", "/beheer/regios"),
            Crumb::link(region.name.clone(), format!("/beheer/regios/{}", region.slug)),
            Crumb::here("Productcodes"),
        ],
        section: None,
        account: Some(account),
    }
    .render(html! {
        h1 { (title) }
        (error_summary(errors))
        (notice(done))
        p { "Aanbieders sturen de start en het einde van hulp als iJw-berichten (JW305 en JW307). Het product in zo'n bericht vertelt ons het profiel en de intensiteit. Elke regio kent de codes J + profielnummer + eerste letter van de intensiteit (J3I is profiel 3, intensief). Hier zet u de eigen productcodes van de regio." }
        @if codes.is_empty() {
            p { "Deze regio heeft nog geen eigen productcodes." }
        } @else {
            (scroll_region(&format!("Productcodes van {}", region.name), html! {
                table.data-table {
                    caption.visually-hidden { "Productcodes van regio " (region.name) }
                    thead { tr { th scope="col" { "Productcode" } th scope="col" { "Profiel" } th scope="col" { "Intensiteit" } } }
                    tbody { @for c in codes { tr { td { (c.code) } td { (c.profile) } td { (c.intensity) } } } }
                }
            }))
        }
        h2 { "Productcodes vervangen" }
        p { "Een CSV-bestand met de kolommen productcode, profiel en intensiteit, bijvoorbeeld: " code { "45A01,3,intensief" } ". Het bestand vervangt alle eigen codes van de regio." }
        form method="post" action={ "/beheer/regios/" (region.slug) "/productcodes" } enctype="multipart/form-data" {
            (account.csrf.field())
            (Field::text("bestand", "CSV-bestand", "").kind("file").render(errors))
            button type="submit" { "Productcodes opslaan" }
        }
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Done {
    gedaan: String,
}

async fn show(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    slug: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let (_, region) = region_of(&state, &user, &slug).await?;
    let id = region.id;
    let codes = state.db.run(move |conn| Ok(own_codes(conn, id)?)).await?;
    let done = (query.gedaan == "opgeslagen").then_some("De productcodes zijn opgeslagen.");
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(form_response(
        &[],
        page(&state, account, &region, &codes, done, &[]),
    ))
}

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: SessionUser,
    csrf: CsrfToken,
    slug: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (reference, region) = region_of(&state, &user, &slug).await?;
    let read = crate::web::multipart::read(
        &req,
        payload,
        1024 * 1024,
        "bestand",
        "Het bestand is groter dan 1 MB.",
    )
    .await;
    let file = match read {
        Ok(mut fields) => fields
            .take("bestand")
            .ok_or_else(|| vec![FieldError::new("bestand", "Kies een CSV-bestand.")]),
        Err(AppError::InvalidInput(errors)) => Err(errors),
        Err(other) => return Err(other),
    };
    let checked = file.and_then(|bytes| parse(&bytes, &reference, region.id));
    let (id, user_id) = (region.id, user.id);
    match checked {
        Ok(codes) => {
            state
                .db
                .run(move |conn| Ok(replace(conn, id, &codes, user_id)?))
                .await?;
            Ok(see_other(&format!(
                "/beheer/regios/{}/productcodes?gedaan=opgeslagen",
                region.slug
            )))
        }
        Err(errors) => {
            let codes = state.db.run(move |conn| Ok(own_codes(conn, id)?)).await?;
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            let body = page(&state, account, &region, &codes, None, &errors);
            Ok(form_response(&errors, body))
        }
    }
}

//! A beheerder edits the procesovereenkomst of a region. Saving makes a new version; what
//! providers signed before stays as it was.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::agreements::{self, Agreement};
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::components::{Field, error_summary, notice as notice_box, textarea};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::text::date_nl;
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(list))
        .route("/{region}", web::get().to(edit))
        .route("/{region}", web::post().to(save))
        .route(
            "/{region}/versies/{version}/intrekken",
            web::post().to(cancel),
        );
}

async fn list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let (reference, current) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, agreements::current(conn)?)))
        .await?;
    let scope = user.region_scope();
    let current: Vec<Agreement> = current
        .into_iter()
        .filter(|a| scope.is_some_and(|s| s.includes(a.region_id)))
        .collect();
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let crumbs = vec![Crumb::here("Procesovereenkomsten")];
    Ok(html_response(StatusCode::OK, Page { title: "Procesovereenkomsten", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Procesovereenkomsten" }
        ul {
            @for a in &current {
                @let region = reference.region(a.region_id);
                li {
                    a href={ "/beheer/procesovereenkomst/" (region.map_or("", |r| r.slug.as_str())) } { (a.title) }
                    " (versie " (a.version) ", geldig vanaf " (date_nl(a.effective_from)) ")"
                }
            }
        }
    })))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct AgreementForm {
    titel: String,
    tekst: String,
    eisen: String,
    ingangsdatum: String,
}

/// The region's name and slug, the version in force and every version.
type Target<'a> = (&'a str, &'a str, Option<&'a Agreement>, &'a [Agreement]);

/// Every version with when it takes effect; a scheduled one can be withdrawn.
fn versions_table(
    account: Account<'_>,
    slug: &str,
    versions: &[Agreement],
    current: Option<&Agreement>,
) -> Markup {
    let today = crate::clock::today();
    html! {
        h2 { "Versies" }
        (crate::web::components::scroll_region("Versies van de procesovereenkomst", html! {
            table.data-table {
                caption.visually-hidden { "Versies van de procesovereenkomst" }
                thead { tr { th scope="col" { "Versie" } th scope="col" { "Titel" } th scope="col" { "Geldig vanaf" } th scope="col" { "Stand" } } }
                tbody {
                    @for a in versions {
                        tr {
                            td { (a.version) }
                            td { (a.title) }
                            td { (date_nl(a.effective_from)) }
                            td {
                                @if a.effective_from > today {
                                    strong { "Gepland" }
                                    form.inline-form method="post" action={ "/beheer/procesovereenkomst/" (slug) "/versies/" (a.version) "/intrekken" } {
                                        (account.csrf.field())
                                        " "
                                        button.button--secondary type="submit" { "Intrekken" span.visually-hidden { " versie " (a.version) } }
                                    }
                                } @else if current.is_some_and(|c| c.version == a.version) {
                                    "Geldt nu"
                                } @else {
                                    "Vervangen"
                                }
                            }
                        }
                    }
                }
            }
        }))
    }
}

fn form_page(
    state: &AppState,
    account: Account<'_>,
    (region, slug, current, versions): Target<'_>,
    form: &AgreementForm,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let crumbs = vec![
        Crumb::link("Procesovereenkomsten", "/beheer/procesovereenkomst"),
        Crumb::here(region.to_owned()),
    ];
    Page { title: "Procesovereenkomst wijzigen", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Procesovereenkomst " (region) }
        (notice_box(notice))
        @if let Some(a) = current { p { "Nu geldt versie " (a.version) ", vanaf " (date_nl(a.effective_from)) ". Opslaan maakt een nieuwe versie. Wat aanbieders eerder tekenden, blijft bewaard." } }
        (error_summary(errors))
        (versions_table(account, slug, versions, current))
        h2 { "Nieuwe versie" }
        form method="post" action={ "/beheer/procesovereenkomst/" (slug) } novalidate {
            (account.csrf.field())
            (Field::text("titel", "Titel", &form.titel).render(errors))
            (textarea("tekst", "Tekst", &form.tekst, None, errors))
            (textarea("eisen", "Minimale eisen", &form.eisen, Some("Eén eis per regel. Aanbieders bevestigen elke eis apart."), errors))
            (Field::text("ingangsdatum", "Geldig vanaf", &form.ingangsdatum).kind("date").render(errors))
            button type="submit" { "Nieuwe versie opslaan" }
        }
    })
}

#[derive(Deserialize)]
struct SavedQuery {
    opgeslagen: Option<String>,
}

/// The region's id and name, the version in force and every version.
type Loaded = (i64, String, Option<Agreement>, Vec<Agreement>);

/// A regional beheerder finds only its own region here: another region is not found.
async fn load(state: &AppState, user: &SessionUser, slug: String) -> Result<Loaded, AppError> {
    let cache = state.reference.clone();
    let scope = user.region_scope().ok_or(AppError::NotFound)?;
    state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let region = reference
                .regions
                .iter()
                .find(|r| r.slug == slug && scope.includes(r.id))
                .ok_or(AppError::NotFound)?;
            let current = agreements::current(conn)?
                .into_iter()
                .find(|a| a.region_id == region.id);
            let versions = agreements::versions(conn, region.id)?;
            Ok((region.id, region.name.clone(), current, versions))
        })
        .await
}

async fn edit(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    slug: web::Path<String>,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (_, region, current, versions) = load(&state, &user, slug.clone()).await?;
    let form = current
        .as_ref()
        .map_or_else(AgreementForm::default, |a| AgreementForm {
            titel: a.title.clone(),
            tekst: a.body.clone(),
            eisen: a.requirements.clone(),
            ingangsdatum: crate::clock::today().to_string(),
        });
    let notice = match query.opgeslagen.as_deref() {
        Some("ingetrokken") => Some("De geplande versie is ingetrokken."),
        Some(_) => Some("De nieuwe versie is opgeslagen."),
        None => None,
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        form_page(
            &state,
            account,
            (&region, &slug, current.as_ref(), &versions),
            &form,
            &[],
            notice,
        ),
    ))
}

async fn save(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    slug: web::Path<String>,
    CheckedForm(form): CheckedForm<AgreementForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (region_id, region, current, versions) = load(&state, &user, slug.clone()).await?;
    let mut errors = Vec::new();
    if form.titel.trim().is_empty() {
        errors.push(FieldError::new("titel", "Vul een titel in."));
    }
    if form.tekst.trim().len() < 20 {
        errors.push(FieldError::new(
            "tekst",
            "Vul de tekst van de overeenkomst in.",
        ));
    }
    let requirements: Vec<&str> = form
        .eisen
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if requirements.is_empty() {
        errors.push(FieldError::new(
            "eisen",
            "Vul minstens één eis in, één per regel.",
        ));
    }
    let today = crate::clock::today();
    let from = NaiveDate::parse_from_str(form.ingangsdatum.trim(), "%Y-%m-%d").ok();
    match from {
        None => errors.push(FieldError::new(
            "ingangsdatum",
            "Vul een datum in, bijvoorbeeld 2027-01-01.",
        )),
        // Providers signed the version in force; a new one cannot start in the past.
        Some(day) if day < today => errors.push(FieldError::new(
            "ingangsdatum",
            format!(
                "Een nieuwe versie kan niet in het verleden ingaan. Kies vandaag ({}) of later.",
                crate::web::text::date_nl(today)
            ),
        )),
        Some(_) => {}
    }
    let (Some(from), true) = (from, errors.is_empty()) else {
        let account = Account {
            user: &user,
            csrf: &csrf,
        };
        return Ok(html_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(
                &state,
                account,
                (&region, &slug, current.as_ref(), &versions),
                &form,
                &errors,
                None,
            ),
        ));
    };
    let (title, body, list) = (
        form.titel.trim().to_owned(),
        form.tekst.trim().to_owned(),
        requirements.join("\n"),
    );
    let user_id = user.id;
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let version =
                    agreements::publish_version(conn, region_id, &title, &body, &list, from)?;
                crate::audit::record(
                    conn,
                    &crate::audit::Change {
                        user_id: Some(user_id),
                        action: "procesovereenkomst nieuwe versie",
                        entity: "region",
                        entity_id: Some(region_id),
                        field: "versie",
                        old_value: None,
                        new_value: Some(&version.to_string()),
                    },
                )?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(see_other(&format!(
        "/beheer/procesovereenkomst/{slug}?opgeslagen=1"
    )))
}

/// Withdraws a scheduled version before it takes effect (and before anyone signed it).
async fn cancel(
    state: web::Data<AppState>,
    user: SessionUser,
    path: web::Path<(String, i32)>,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (slug, version) = path.into_inner();
    let (region_id, _, _, _) = load(&state, &user, slug.clone()).await?;
    let user_id = user.id;
    let cancelled = state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let done =
                    agreements::cancel_scheduled(conn, region_id, version, crate::clock::today())?;
                if done {
                    crate::audit::record(
                        conn,
                        &crate::audit::Change {
                            user_id: Some(user_id),
                            action: "procesovereenkomst geplande versie ingetrokken",
                            entity: "region",
                            entity_id: Some(region_id),
                            field: "versie",
                            old_value: Some(&version.to_string()),
                            new_value: None,
                        },
                    )?;
                }
                Ok::<_, AppError>(done)
            })
        })
        .await?;
    if !cancelled {
        return Err(AppError::Conflict(
            "Deze versie kan niet (meer) worden ingetrokken: zij geldt al, of een aanbieder heeft haar al ondertekend.".into(),
        ));
    }
    Ok(see_other(&format!(
        "/beheer/procesovereenkomst/{slug}?opgeslagen=ingetrokken"
    )))
}

#[derive(Deserialize, Default)]
struct Empty {}

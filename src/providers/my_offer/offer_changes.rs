//! Making, changing and deleting an offer; each change refreshes the catalogue and is audited.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::{offer_municipalities, offers};
use crate::domain::ids::ProviderId;
use crate::providers::model::{NewOffer, Offer, Setting, insert_offers};
use crate::read_model;
use crate::reference::ReferenceData;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::components::{Field, error_summary, field_id, group_error, group_error_id, select};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, Crumb, Page, form_response, html_response};
use crate::web::{AppError, FieldError};

use super::offer_form::{OfferForm, check_offer, open_regions};

pub(super) fn offer_page(
    state: &AppState,
    account: Account<'_>,
    reference: &ReferenceData,
    allowed_regions: &[i64],
    offer_id: Option<i64>,
    form: &OfferForm,
    errors: &[FieldError],
) -> Markup {
    let title = if offer_id.is_some() {
        "Aanbod wijzigen"
    } else {
        "Aanbod toevoegen"
    };
    let action = offer_id.map_or("/mijn-aanbod/aanbod".to_owned(), |id| {
        format!("/mijn-aanbod/aanbod/{id}")
    });
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here(title),
    ];
    let regions: Vec<_> = reference
        .regions
        .iter()
        .filter(|r| allowed_regions.contains(&r.id))
        .collect();
    Page { title, site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        (error_summary(errors))
        @if regions.is_empty() {
            p { "U bent in geen enkele regio aangemeld of toegelaten. Daarom kunt u geen aanbod invullen." }
        } @else {
            form method="post" action=(action) novalidate {
                (account.csrf.field())
                (select("regio", "Regio", &regions.iter().map(|r| (r.slug.clone(), r.name.clone())).collect::<Vec<_>>(), &form.regio, None, errors))
                (select("profiel", "Cliëntprofiel", &reference.profile_summaries().iter().map(|p| (p.number.to_string(), format!("{} {}", p.number, p.name))).collect::<Vec<_>>(), &form.profiel, None, errors))
                (select("intensiteit", "Intensiteit", &reference.intensity_summaries().iter().map(|i| (i.code.to_owned(), i.name.to_owned())).collect::<Vec<_>>(), &form.intensiteit, None, errors))
                fieldset #(field_id("gemeente")) aria-describedby=[group_error_id(errors, "gemeente")] {
                    legend { "In welke gemeenten geeft u deze hulp?" }
                    (group_error(errors, "gemeente"))
                    @for region in &regions {
                        p.hint { (region.name) }
                        ul.choice-list {
                            @for m in reference.municipalities_of(region.id) {
                                li.choice {
                                    input type="checkbox" name="gemeente" value=(m.slug) id={ "gemeente-" (m.slug) } checked[form.gemeente.contains(&m.slug)];
                                    label for={ "gemeente-" (m.slug) } { (m.name) }
                                }
                            }
                        }
                    }
                }
                (Field::text("min_leeftijd", "Vanaf leeftijd (jaar)", &form.min_leeftijd).kind("number").render(errors))
                (Field::text("max_leeftijd", "Tot en met leeftijd (jaar)", &form.max_leeftijd).kind("number").render(errors))
                (select("setting", "Waar wordt de hulp gegeven?", &Setting::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect::<Vec<_>>(), &form.setting, None, errors))
                fieldset #(field_id("talen")) aria-describedby=[group_error_id(errors, "talen")] {
                    legend { "In welke talen geeft u deze hulp?" }
                    (group_error(errors, "talen"))
                    ul.choice-list.choice-list--columns {
                        @for (code, name) in crate::providers::model::LANGUAGES {
                            li.choice {
                                input type="checkbox" name="talen" value=(code) id={ "taal-" (code) } checked[form.talen.iter().any(|t| t == code)];
                                label for={ "taal-" (code) } { (name) }
                            }
                        }
                    }
                }
                (Field::text("wachttijd", "Wachttijd nu (weken)", &form.wachttijd).kind("number").render(errors))
                (select("nieuwe_clienten", "Neemt u nu nieuwe cliënten aan?", &[("ja".into(), "Ja".into()), ("nee".into(), "Nee, nu geen plek".into())], &form.nieuwe_clienten, None, errors))
                p { button type="submit" { "Opslaan" } }
            }
            @if let Some(id) = offer_id {
                form method="post" action={ "/mijn-aanbod/aanbod/" (id) "/verwijderen" } {
                    (account.csrf.field())
                    button.button--secondary type="submit" { "Dit aanbod verwijderen" }
                }
            }
        }
    })
}

pub(super) async fn new_offer_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let cache = state.reference.clone();
    let (reference, allowed) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, open_regions(conn, provider_id)?)))
        .await?;
    let form = OfferForm {
        min_leeftijd: "0".into(),
        max_leeftijd: "18".into(),
        talen: vec!["nl".into()],
        nieuwe_clienten: "ja".into(),
        ..Default::default()
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        offer_page(&state, account, &reference, &allowed, None, &form, &[]),
    ))
}

/// Loads an offer of the user's own provider; another provider's offer is simply not found.
pub(super) fn own_offer(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    offer_id: i64,
) -> Result<(Offer, Vec<i64>), AppError> {
    let offer = offers::table
        .filter(offers::id.eq(offer_id))
        .filter(offers::provider_id.eq(provider_id))
        .select(Offer::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let towns = offer_municipalities::table
        .filter(offer_municipalities::offer_id.eq(offer_id))
        .select(offer_municipalities::municipality_id)
        .load(conn)?;
    Ok((offer, towns))
}

pub(super) async fn edit_offer_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let offer_id = id.into_inner();
    let cache = state.reference.clone();
    let (reference, allowed, (offer, towns)) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                open_regions(conn, provider_id)?,
                own_offer(conn, provider_id, offer_id)?,
            ))
        })
        .await?;
    let form = OfferForm::from_offer(&offer, &reference, &towns);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        offer_page(
            &state,
            account,
            &reference,
            &allowed,
            Some(offer_id),
            &form,
            &[],
        ),
    ))
}

pub(super) async fn create_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    save_offer(state, user, csrf, None, form).await
}

pub(super) async fn update_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    save_offer(state, user, csrf, Some(id.into_inner()), form).await
}

pub(super) async fn save_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    offer_id: Option<i64>,
    form: OfferForm,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    let cache = state.reference.clone();
    let submitted = form.clone();
    let outcome = state
        .db
        .run(move |conn| {
            // Read, check and write in one serialised transaction per provider: two saves at
            // once cannot both pass the duplicate check, and the audit's old values are the
            // ones replaced.
            conn.write_transaction(|conn| {
            conn.serialise_on(&format!("offers:{provider_id}"))?;
            let reference = cache.get(conn)?;
            let allowed = open_regions(conn, provider_id)?;
            let existing = match offer_id {
                Some(id) => Some(own_offer(conn, provider_id, id)?),
                None => None,
            };
            let checked = match check_offer(&submitted, &reference, &allowed) {
                Ok(checked) => checked,
                Err(errors) => return Ok(Err((reference, allowed, errors))),
            };
            // One offer per profile and intensity: a second one is an edit of the first.
            let duplicate: Option<i64> = offers::table
                .filter(offers::provider_id.eq(provider_id))
                .filter(offers::profile_id.eq(checked.profile_id))
                .filter(offers::intensity_id.eq(checked.intensity_id))
                .filter(offers::id.ne(offer_id.unwrap_or(0)))
                .select(offers::id)
                .first(conn)
                .optional()?;
            if duplicate.is_some() {
                let errors = vec![FieldError::new(
                    "intensiteit",
                    "U heeft al aanbod voor dit profiel en deze intensiteit. Wijzig dat aanbod.",
                )];
                return Ok(Err((reference, allowed, errors)));
            }
                let id = match &existing {
                    Some((old, old_towns)) => {
                        diesel::update(offers::table.find(old.id))
                            .set((
                                offers::region_id.eq(checked.region_id),
                                offers::profile_id.eq(checked.profile_id),
                                offers::intensity_id.eq(checked.intensity_id),
                                offers::min_age.eq(checked.min_age),
                                offers::max_age.eq(checked.max_age),
                                offers::setting.eq(checked.setting),
                                offers::languages.eq(checked.languages.join(",")),
                                offers::waiting_weeks.eq(checked.waiting_weeks),
                                offers::accepts_new_clients.eq(checked.accepts_new_clients),
                                offers::updated_at.eq(crate::clock::now()),
                                offers::waiting_checked_at.eq(crate::clock::now()),
                            ))
                            .execute(conn)?;
                        diesel::delete(
                            offer_municipalities::table
                                .filter(offer_municipalities::offer_id.eq(old.id)),
                        )
                        .execute(conn)?;
                        for m in &checked.municipality_ids {
                            diesel::insert_into(offer_municipalities::table)
                                .values((
                                    offer_municipalities::offer_id.eq(old.id),
                                    offer_municipalities::municipality_id.eq(*m),
                                ))
                                .execute(conn)?;
                        }
                        let mut old_sorted = old_towns.clone();
                        old_sorted.sort_unstable();
                        let mut new_sorted = checked.municipality_ids.clone();
                        new_sorted.sort_unstable();
                        crate::audit::fields(
                            conn,
                            Some(user_id),
                            "offer",
                            old.id,
                            &[
                                (
                                    "profiel",
                                    old.profile_id.to_string(),
                                    checked.profile_id.to_string(),
                                ),
                                (
                                    "intensiteit",
                                    old.intensity_id.to_string(),
                                    checked.intensity_id.to_string(),
                                ),
                                (
                                    "gemeenten",
                                    format!("{old_sorted:?}"),
                                    format!("{new_sorted:?}"),
                                ),
                                (
                                    "leeftijd",
                                    format!("{}-{}", old.min_age, old.max_age),
                                    format!("{}-{}", checked.min_age, checked.max_age),
                                ),
                                (
                                    "setting",
                                    old.setting.as_str().to_owned(),
                                    checked.setting.as_str().to_owned(),
                                ),
                                ("talen", old.languages.clone(), checked.languages.join(",")),
                                (
                                    "wachttijd",
                                    old.waiting_weeks.to_string(),
                                    checked.waiting_weeks.to_string(),
                                ),
                                (
                                    "nieuwe_clienten",
                                    old.accepts_new_clients.to_string(),
                                    checked.accepts_new_clients.to_string(),
                                ),
                            ],
                        )?;
                        old.id
                    }
                    None => {
                        insert_offers(
                            conn,
                            &[NewOffer {
                                provider_id: provider_id.get(),
                                region_id: checked.region_id,
                                profile_id: checked.profile_id,
                                intensity_id: checked.intensity_id,
                                min_age: checked.min_age,
                                max_age: checked.max_age,
                                setting: checked.setting,
                                languages: checked.languages.clone(),
                                waiting_weeks: checked.waiting_weeks,
                                accepts_new_clients: checked.accepts_new_clients,
                                municipality_ids: checked.municipality_ids.clone(),
                            }],
                        )?;
                        let id: i64 = offers::table
                            .filter(offers::provider_id.eq(provider_id))
                            .filter(offers::profile_id.eq(checked.profile_id))
                            .filter(offers::intensity_id.eq(checked.intensity_id))
                            .select(offers::id)
                            .first(conn)?;
                        crate::audit::action(
                            conn,
                            Some(user_id),
                            "aanbod toegevoegd",
                            "offer",
                            Some(id),
                        )?;
                        id
                    }
                };
                read_model::providers_changed(conn, &[provider_id.get()])?;
                Ok::<_, AppError>(Ok(id))
            })
        })
        .await?;
    match outcome {
        Ok(_) => Ok(see_other("/mijn-aanbod?opgeslagen=1")),
        Err((reference, allowed, errors)) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(form_response(
                &errors,
                offer_page(
                    &state, account, &reference, &allowed, offer_id, &form, &errors,
                ),
            ))
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Nothing {}

pub(super) async fn delete_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let offer_id = id.into_inner();
    let user_id = user.id;
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                own_offer(conn, provider_id, offer_id)?;
                diesel::delete(offers::table.find(offer_id)).execute(conn)?;
                crate::audit::action(
                    conn,
                    Some(user_id),
                    "aanbod verwijderd",
                    "offer",
                    Some(offer_id),
                )?;
                read_model::providers_changed(conn, &[provider_id.get()])?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other("/mijn-aanbod?verwijderd=1"))
}

// API tokens --------------------------------------------------------------------------------

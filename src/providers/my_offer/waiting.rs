//! `/mijn-aanbod/wachttijden`: the waiting time and "neemt nieuwe cliënten aan" of every
//! offer in one form (the demo provider had 22 forms for it). Only the offers that changed
//! are written, audited and dated; the catalogue is refreshed once.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::Listing;
use crate::db::schema::offers;
use crate::domain::values::{WaitingWeeks, parse_field};
use crate::reference::ReferenceData;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::components::{error_summary, field_error, field_id, notice, scroll_region};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, Crumb, Page, html_response, see_other};
use crate::web::text::date_nl;
use crate::web::{AppError, FieldError};

#[derive(Deserialize, Default)]
pub(super) struct SavedQuery {
    opgeslagen: Option<String>,
}

pub(super) async fn waiting_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    let saved = query.opgeslagen.as_deref().map(|n| {
        if n == "0" {
            "Er was niets veranderd. Uw wachttijden zijn bevestigd: bij elke wachttijd staat nu de datum van vandaag.".to_owned()
        } else {
            format!("Opgeslagen: {n} aanbod bijgewerkt. Bent u toegelaten, dan staat het meteen in de catalogus.")
        }
    });
    let form = Shown {
        typed: &BTreeMap::new(),
        saved: saved.as_deref(),
        errors: &[],
    };
    respond(&state, &user, &csrf, &form, StatusCode::OK).await
}

/// What the form shows besides the offers: what was typed, a confirmation, the errors.
struct Shown<'a> {
    typed: &'a Typed,
    saved: Option<&'a str>,
    errors: &'a [FieldError],
}

/// The form over the provider's current listing.
async fn respond(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    shown: &Shown<'_>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (reference, listing) = super::listing_of(state, user.own_provider()?).await?;
    let account = Account { user, csrf };
    let page = render(state, account, &reference, &listing, shown);
    Ok(html_response(status, page))
}

/// What was typed per offer: (weeks, takes new clients).
type Typed = BTreeMap<i64, (String, bool)>;

pub(super) async fn save_waiting(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    // Every offer on the form says so, so an unticked box is read as "no", not as absent.
    let typed: Typed = form
        .keys()
        .filter_map(|k| k.strip_prefix("aanbod-").and_then(|id| id.parse().ok()))
        .map(|id: i64| {
            let weeks = form
                .get(&format!("wachttijd-{id}"))
                .cloned()
                .unwrap_or_default();
            let open = form.get(&format!("nieuw-{id}")).is_some_and(|v| v == "ja");
            (id, (weeks, open))
        })
        .collect();
    let mut errors = Vec::new();
    let mut wanted: Vec<(i64, i32, bool)> = Vec::new();
    for (id, (weeks, open)) in &typed {
        if let Some(w) = parse_field::<WaitingWeeks>(&mut errors, &format!("wachttijd-{id}"), weeks)
        {
            wanted.push((*id, w.weeks(), *open));
        }
    }
    if errors.is_empty() {
        let changed = state
            .db
            .run(move |conn| {
                conn.write_transaction(|conn| {
                    conn.serialise_on(&format!("offers:{provider_id}"))?;
                    let own: Vec<(i64, i32, bool)> = offers::table
                        .filter(offers::provider_id.eq(provider_id))
                        .select((
                            offers::id,
                            offers::waiting_weeks,
                            offers::accepts_new_clients,
                        ))
                        .load(conn)?;
                    let mut changed = 0;
                    let now = crate::clock::now();
                    for (id, weeks, open) in &wanted {
                        // Another provider's offer id is not on this provider's form.
                        let Some((_, old_weeks, old_open)) = own.iter().find(|o| o.0 == *id) else {
                            return Err(AppError::NotFound);
                        };
                        if old_weeks == weeks && old_open == open {
                            // Saved as it was: the provider confirms this waiting time.
                            diesel::update(offers::table.find(id))
                                .set(offers::waiting_checked_at.eq(now))
                                .execute(conn)?;
                            continue;
                        }
                        diesel::update(offers::table.find(id))
                            .set((
                                offers::waiting_weeks.eq(weeks),
                                offers::accepts_new_clients.eq(open),
                                offers::updated_at.eq(now),
                                offers::waiting_checked_at.eq(now),
                            ))
                            .execute(conn)?;
                        crate::audit::fields(
                            conn,
                            Some(user_id),
                            "offer",
                            *id,
                            &[
                                ("wachttijd", old_weeks.to_string(), weeks.to_string()),
                                ("nieuwe_clienten", old_open.to_string(), open.to_string()),
                            ],
                        )?;
                        changed += 1;
                    }
                    // Changed or confirmed: the public's "bijgewerkt op" moves either way.
                    if !wanted.is_empty() {
                        crate::read_model::providers_changed(conn, &[provider_id.get()])?;
                    }
                    Ok::<_, AppError>(changed)
                })
            })
            .await?;
        return Ok(see_other(&format!(
            "/mijn-aanbod/wachttijden?opgeslagen={changed}"
        )));
    }
    let form = Shown {
        typed: &typed,
        saved: None,
        errors: &errors,
    };
    respond(
        &state,
        &user,
        &csrf,
        &form,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn render(
    state: &AppState,
    account: Account<'_>,
    reference: &ReferenceData,
    listing: &Listing,
    shown: &Shown<'_>,
) -> Markup {
    let (typed, saved, errors) = (shown.typed, shown.saved, shown.errors);
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Wachttijden"),
    ];
    Page { title: "Wachttijden bijwerken", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Wachttijden bijwerken" }
        (error_summary(errors))
        (notice(saved))
        p { "Vul per aanbod de wachttijd in hele weken in, en of u nu nieuwe cliënten aanneemt. Ouders en toegangsmedewerkers zien bij de wachttijd wanneer u die het laatst bijwerkte." }
        p { "Kijk elke maand of uw wachttijden nog kloppen. Klopt alles nog? Kies dan 'Wachttijden opslaan' zonder iets te veranderen: dan staat bij elke wachttijd de datum van vandaag. Wij sturen u een herinnering per e-mail." }
        @if listing.offers.is_empty() {
            p.empty-state { "U heeft nog geen aanbod. " a href="/mijn-aanbod/aanbod/nieuw" { "Aanbod toevoegen" } }
        } @else {
            form method="post" action="/mijn-aanbod/wachttijden" novalidate {
                (account.csrf.field())
                (scroll_region("Wachttijd per aanbod", html! {
                    table.data-table {
                        caption { "Wachttijd per aanbod" }
                        thead { tr {
                            th scope="col" { "Aanbod" } th scope="col" { "Wachttijd in weken" }
                            th scope="col" { "Neemt nieuwe cliënten aan" } th scope="col" { "Bijgewerkt op" }
                        } }
                        tbody {
                            @for o in &listing.offers {
                                @let name = format!("wachttijd-{}", o.id);
                                // An offer per region: the same profile and intensity can
                                // appear twice, so the row names its region.
                                @let label = format!(
                                    "Profiel {}, {} (regio {})",
                                    reference.profile(o.profile_id).map_or(0, |p| p.number),
                                    reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str()),
                                    reference.region(o.region_id).map_or("", |r| r.name.as_str())
                                );
                                @let (weeks, open) = typed.get(&o.id).cloned().unwrap_or((o.waiting_weeks.to_string(), o.accepts_new_clients));
                                @let error = field_error(errors, &name);
                                tr {
                                    th scope="row" id={ "aanbod-" (o.id) "-naam" } { (label) }
                                    td {
                                        input type="hidden" name={ "aanbod-" (o.id) } value="1";
                                        @if let Some(e) = error {
                                            p.field-error id={ (field_id(&name)) "-fout" } { span.visually-hidden { "Fout: " } (e.message) }
                                        }
                                        input #(field_id(&name)) type="text" inputmode="numeric" name=(name) value=(weeks) size="4" maxlength="3"
                                            aria-labelledby={ "aanbod-" (o.id) "-naam " (field_id(&name)) "-label" }
                                            aria-invalid=[error.map(|_| "true")]
                                            aria-describedby=[error.map(|_| format!("{}-fout", field_id(&name)))];
                                        span.visually-hidden id={ (field_id(&name)) "-label" } { "wachttijd in weken" }
                                    }
                                    td {
                                        div.choice {
                                            input type="checkbox" id={ "nieuw-" (o.id) } name={ "nieuw-" (o.id) } value="ja" checked[open];
                                            label for={ "nieuw-" (o.id) } { "Ja" span.visually-hidden { ", " (label) } }
                                        }
                                    }
                                    td { (date_nl(crate::clock::date_of(o.waiting_checked_at))) }
                                }
                            }
                        }
                    }
                }))
                button type="submit" { "Wachttijden opslaan" }
            }
        }
        p { a href="/mijn-aanbod" { "Terug naar Mijn aanbod" } }
    })
}

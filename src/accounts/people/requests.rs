//! Requests for access (`/beheer/gebruikers/aanvragen/{id}`): a person the organisation's
//! provider knows signed in without an account. Nobody enters until a beheerder approves
//! with a role and a municipality or region, within its own scope; denying deletes the
//! request.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::commands::{self, Actor, Invite, refused, role_label};
use super::pages::{self, Choices, InviteForm};
use super::routes::{invitation_of, own_region};
use super::scope;
use crate::accounts::model::{self, NewUser, Role};
use crate::accounts::oidc::identities::{self, AccessRequest};
use crate::accounts::routes::Empty;
use crate::db::DbConnection;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, Crumb, Page, form_response, html_response, see_other};
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/aanvragen/{id}", web::get().to(page))
        .route("/aanvragen/{id}", web::post().to(approve))
        .route("/aanvragen/{id}/afwijzen", web::post().to(deny));
}

/// What approving did: a new account, or the request linked to the account that already
/// had the address.
enum Approved {
    New(i64),
    Linked(i64),
}

/// Gives the person an account, or links the staff account that already has the address
/// (one this beheerder manages, with no identity at this provider yet), and so answers the
/// request.
fn approve_request(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    id: i64,
    invite: &Invite,
) -> Result<Approved, AppError> {
    conn.write_transaction(|conn| {
        actor.still_may_act(conn)?;
        let request = identities::request(conn, id)?.ok_or(AppError::NotFound)?;
        if identities::user_of(conn, &request.issuer, &request.subject)?.is_some() {
            identities::remove_request(conn, id)?;
            return Err(AppError::Conflict(
                "Deze persoon heeft intussen al toegang. De aanvraag is weggehaald.".into(),
            ));
        }
        let approved = match model::find_by_email(conn, invite.email.as_str())? {
            Some(existing) => {
                let linkable = existing.role != Role::Aanbieder
                    && scope::may_manage(actor.user.principal, &existing, actor.reference)
                    && !identities::has_identity_at(conn, &request.issuer, existing.id)?;
                if !linkable {
                    return Err(refused(
                        "email",
                        "Er is al een account met dit e-mailadres dat u niet aan deze aanvraag kunt koppelen. Kies een ander e-mailadres, of vraag de beheerder van alle regio's.",
                    ));
                }
                identities::settle_invitation(conn, &existing)?;
                identities::link(conn, &request.issuer, &request.subject, existing.id)?;
                crate::audit::action(
                    conn,
                    Some(actor.user.id),
                    "organisatieaccount gekoppeld door beheerder",
                    "user",
                    Some(existing.id),
                )?;
                Approved::Linked(existing.id)
            }
            None => {
                if let Some((field, message)) = scope::refuse_assignment(
                    actor.user.principal,
                    invite.role,
                    invite.affiliation,
                    actor.reference,
                ) {
                    return Err(refused(field, message));
                }
                let user_id = NewUser {
                    email: invite.email.as_str(),
                    name: &invite.name,
                    password_hash: identities::NO_PASSWORD,
                    role: invite.role,
                    affiliation: invite.affiliation,
                    verified: true,
                }
                .insert(conn)?;
                identities::link(conn, &request.issuer, &request.subject, user_id)?;
                crate::audit::record(
                    conn,
                    &crate::audit::Change {
                        user_id: Some(actor.user.id),
                        action: "toegang gegeven",
                        entity: "user",
                        entity_id: Some(user_id),
                        field: "rol",
                        old_value: None,
                        new_value: Some(&role_label(
                            actor.reference,
                            invite.role,
                            invite.affiliation,
                        )),
                    },
                )?;
                Approved::New(user_id)
            }
        };
        Ok(approved)
    })
}

fn deny_request(conn: &mut DbConnection, actor: &Actor<'_>, id: i64) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        actor.still_may_act(conn)?;
        if identities::remove_request(conn, id)? == 0 {
            return Err(AppError::NotFound);
        }
        crate::audit::action(
            conn,
            Some(actor.user.id),
            "toegang afgewezen",
            "access_request",
            Some(id),
        )?;
        Ok(())
    })
}

/// The open requests above the list of accounts; nothing when there are none.
pub(super) fn list(requests: &[AccessRequest]) -> Markup {
    html! {
        @if !requests.is_empty() {
            section aria-labelledby="aanvragen" {
                h2 #aanvragen { "Aanvragen voor toegang (" (requests.len()) ")" }
                p { "Deze mensen logden in met hun organisatieaccount, maar hebben nog geen account. Zij komen pas binnen als u toegang geeft." }
                ul {
                    @for request in requests {
                        li {
                            a href={ "/beheer/gebruikers/aanvragen/" (request.id) } {
                                (display_name(request))
                            }
                            " — " (crate::clock::local(request.requested_at).format("%-d-%-m-%Y %H:%M"))
                        }
                    }
                }
            }
        }
    }
}

fn display_name(request: &AccessRequest) -> String {
    match (request.name.trim(), request.email.trim()) {
        ("", "") => format!("Onbekende naam ({})", request.subject),
        ("", email) => email.to_owned(),
        (name, "") => name.to_owned(),
        (name, email) => format!("{name} ({email})"),
    }
}

fn render(
    state: &AppState,
    account: Account<'_>,
    choices: &Choices<'_>,
    request: &AccessRequest,
    form: &InviteForm,
    errors: &[FieldError],
) -> Markup {
    let title = "Aanvraag voor toegang";
    let crumbs = vec![
        Crumb::link("Gebruikers", "/beheer/gebruikers"),
        Crumb::here(title),
    ];
    let action = format!("/beheer/gebruikers/aanvragen/{}", request.id);
    Page { title, site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        div.narrow {
            h1 { (title) }
            dl.facts {
                dt { "Naam" } dd { (if request.name.is_empty() { "(niet doorgegeven)" } else { &request.name }) }
                dt { "E-mailadres" }
                dd {
                    (if request.email.is_empty() { "(niet doorgegeven)" } else { &request.email })
                    @if !request.email_verified && !request.email.is_empty() { " (niet bevestigd door de organisatie)" }
                }
                dt { "Aangevraagd op" } dd { (crate::clock::local(request.requested_at).format("%-d-%-m-%Y %H:%M")) }
            }
            (crate::web::components::error_summary(errors))
            h2 { "Toegang geven" }
            p { "Kies de rol en de gemeente of regio. Heeft deze persoon al een account met dit e-mailadres? Dan koppelen wij de aanvraag aan dat account; de rol blijft dan zoals die is." }
            form method="post" action=(action) novalidate {
                (account.csrf.field())
                (crate::web::components::Field::text("naam", "Naam", &form.naam).autocomplete("off").render(errors))
                (crate::web::components::Field::text("email", "E-mailadres", &form.email).kind("email").autocomplete("off").render(errors))
                (pages::role_fields(choices, &form.rol, &form.gemeente, &form.regio, errors))
                button type="submit" { "Toegang geven" }
            }
            h2 { "Afwijzen" }
            p { "Kent u deze persoon niet, of hoort hij of zij niet bij de jeugdhulpcatalogus? Wijs de aanvraag dan af." }
            form method="post" action={ (action) "/afwijzen" } {
                (account.csrf.field())
                button.secondary type="submit" { "Aanvraag afwijzen" }
            }
        }
    })
}

async fn show(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    id: i64,
    form: Option<&InviteForm>,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let (reference, request) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, identities::request(conn, id)?)))
        .await?;
    let request = request.ok_or(AppError::NotFound)?;
    let prefilled = InviteForm {
        naam: request.name.clone(),
        email: request.email.clone(),
        ..InviteForm::default()
    };
    let choices = Choices {
        reference: &reference,
        own_region: own_region(user),
    };
    let account = Account { user, csrf };
    let body = render(
        state,
        account,
        &choices,
        &request,
        form.unwrap_or(&prefilled),
        errors,
    );
    Ok(if errors.is_empty() {
        html_response(StatusCode::OK, body)
    } else {
        form_response(errors, body)
    })
}

async fn page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    show(&state, &user, &csrf, id.into_inner(), None, &[]).await
}

async fn approve(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let parsed = invitation_of(&form);
    let result = commands::act(&state, &user, move |conn, actor| {
        Ok(match parsed {
            Err(errors) => Err(AppError::InvalidInput(errors)),
            Ok(invite) => approve_request(conn, actor, id, &invite),
        })
    })
    .await?;
    match result {
        Ok(Approved::New(user_id)) => Ok(see_other(&format!(
            "/beheer/gebruikers/{user_id}?gedaan=toegang"
        ))),
        Ok(Approved::Linked(user_id)) => Ok(see_other(&format!(
            "/beheer/gebruikers/{user_id}?gedaan=gekoppeld"
        ))),
        Err(AppError::InvalidInput(errors)) => {
            show(&state, &user, &csrf, id, Some(&form), &errors).await
        }
        Err(other) => Err(other),
    }
}

async fn deny(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    commands::act(&state, &user, move |conn, actor| {
        deny_request(conn, actor, id)
    })
    .await?;
    Ok(see_other("/beheer/gebruikers?gedaan=afgewezen"))
}

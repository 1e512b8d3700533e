//! `/beheer/gebruikers`: extract, call `commands`, render `pages`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::commands::{self, Actor, Change, Invite};
use super::pages::{self, Choices, Detail, InviteForm, ListQuery};
use super::queries::{self, Filter, Standing};
use crate::accounts::model::{Affiliation, Role};
use crate::accounts::routes::Empty;
use crate::domain::email::Email;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, form_response, html_response, see_other};
use crate::web::{AppError, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(list))
        .route("/uitnodigen", web::get().to(invite_page))
        .route("/uitnodigen", web::post().to(invite))
        .configure(super::requests::routes)
        .route("/{id}", web::get().to(detail))
        .route("/{id}", web::post().to(change))
        .route("/{id}/opnieuw-uitnodigen", web::post().to(resend))
        .route("/{id}/intrekken", web::post().to(withdraw))
        .route("/{id}/deactiveren", web::post().to(deactivate))
        .route("/{id}/activeren", web::post().to(reactivate));
}

/// The public side: the invited person's link.
pub fn invitation_routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/uitnodiging/{token}",
        web::get().to(super::invitation::page),
    )
    .route(
        "/uitnodiging/{token}",
        web::post().to(super::invitation::accept),
    );
}

pub(super) fn own_region(user: &SessionUser) -> Option<i64> {
    user.region_scope()
        .and_then(crate::web::auth::RegionScope::filter)
}

fn id_of(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

async fn list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let scope = user.region_scope().ok_or(AppError::NotFound)?;
    let filter = Filter {
        words: query.zoek.clone(),
        role: Role::parse(&query.rol),
        region: id_of(&query.regio),
        municipality: id_of(&query.gemeente),
        standing: Standing::parse(&query.stand),
    };
    let page = query.pagina.unwrap_or(1).max(1);
    let cache = state.reference.clone();
    let (reference, (rows, total), requests) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                queries::list(conn, scope, &filter, page)?,
                crate::accounts::oidc::identities::requests(conn)?,
            ))
        })
        .await?;
    let choices = Choices {
        reference: &reference,
        own_region: own_region(&user),
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::list(
            &state.site,
            account,
            &choices,
            &query,
            (&rows, total),
            &requests,
        ),
    ))
}

async fn invite_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let reference = state.db.run(move |conn| Ok(cache.get(conn)?)).await?;
    let choices = Choices {
        reference: &reference,
        own_region: own_region(&user),
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::invite(&state.site, account, &choices, &InviteForm::default(), &[]),
    ))
}

/// Role and link from the form; the scope rule then decides whether they fit and may be given.
fn role_and_link(form: &InviteForm, errors: &mut Vec<FieldError>) -> Option<(Role, Affiliation)> {
    let role = Role::parse(&form.rol).filter(|r| pages::STAFF_ROLES.contains(r));
    let Some(role) = role else {
        errors.push(FieldError::new("rol", "Kies een rol."));
        return None;
    };
    let affiliation = match (role, form.regio.trim()) {
        (Role::Toegangsmedewerker | Role::Beleidsmedewerker, _) => {
            id_of(&form.gemeente).map_or(Affiliation::None, Affiliation::Municipality)
        }
        (Role::Beheerder, pages::ALL_REGIONS) => Affiliation::None,
        (Role::Beheerder, "") => {
            errors.push(FieldError::new(
                "regio",
                "Kies de regio die deze beheerder beheert, of alle regio's.",
            ));
            return None;
        }
        _ => id_of(&form.regio).map_or(Affiliation::None, Affiliation::Region),
    };
    Some((role, affiliation))
}

pub(super) fn invitation_of(form: &InviteForm) -> Result<Invite, Vec<FieldError>> {
    let mut errors = crate::web::input::control_errors([("naam", form.naam.as_str())]);
    let name = form.naam.trim();
    if name.is_empty() {
        errors.push(FieldError::new("naam", "Vul de naam in."));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new(
            "naam",
            "Gebruik voor de naam hoogstens 100 tekens.",
        ));
    }
    let email = Email::parse(&form.email);
    if email.is_err() {
        errors.push(FieldError::new(
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl.",
        ));
    }
    let link = role_and_link(form, &mut errors);
    match (email, link) {
        (Ok(email), Some((role, affiliation))) if errors.is_empty() => Ok(Invite {
            name: name.to_owned(),
            email,
            role,
            affiliation,
        }),
        _ => Err(errors),
    }
}

async fn invite(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let parsed = invitation_of(&form);
    let (reference, result) = commands::act(&state, &user, move |conn, actor| {
        let result = match parsed {
            Err(errors) => Err(AppError::InvalidInput(errors)),
            Ok(invitation) => commands::invite(conn, actor, &invitation),
        };
        Ok((actor.reference.clone(), result))
    })
    .await?;
    match result {
        Ok(id) => Ok(see_other(&format!(
            "/beheer/gebruikers/{id}?gedaan=uitgenodigd"
        ))),
        Err(AppError::InvalidInput(errors)) => {
            let choices = Choices {
                reference: &reference,
                own_region: own_region(&user),
            };
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(form_response(
                &errors,
                pages::invite(&state.site, account, &choices, &form, &errors),
            ))
        }
        Err(other) => Err(other),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DoneQuery {
    gedaan: String,
}

async fn render_detail(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    id: i64,
    form: Option<&InviteForm>,
    errors: &[FieldError],
    done: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let viewer = user.clone();
    let public_url = state.public_url.clone();
    let (reference, target, provider, expires, history) = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let actor = Actor {
                user: &viewer,
                reference: &reference,
                public_url: &public_url,
            };
            let target = actor.target(conn, id)?;
            let provider = match target.provider_id {
                Some(p) => queries::provider_name(conn, p)?,
                None => None,
            };
            let expires = crate::accounts::links::open_invitation(conn, id)?;
            let history = queries::history(conn, id)?;
            Ok((reference, target, provider, expires, history))
        })
        .await?;
    let current = InviteForm {
        rol: target.role.as_str().to_owned(),
        gemeente: target
            .municipality_id
            .map(|m| m.to_string())
            .unwrap_or_default(),
        regio: match (target.role, target.region_id) {
            (_, Some(r)) => r.to_string(),
            (Role::Beheerder, None) => pages::ALL_REGIONS.to_owned(),
            _ => String::new(),
        },
        ..InviteForm::default()
    };
    let choices = Choices {
        reference: &reference,
        own_region: own_region(user),
    };
    let detail = Detail {
        user: &target,
        provider: provider.as_deref(),
        invitation_expires: expires.filter(|_| Standing::of(&target) == Standing::Invited),
        history: &history,
        is_self: target.id == user.id,
    };
    let account = Account { user, csrf };
    let body = pages::detail(
        &state.site,
        account,
        &choices,
        &detail,
        form.unwrap_or(&current),
        errors,
        done,
    );
    Ok(form_response(errors, body))
}

async fn detail(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let done = Some(query.gedaan.as_str()).filter(|d| !d.is_empty());
    render_detail(&state, &user, &csrf, id.into_inner(), None, &[], done).await
}

async fn change(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mut errors = Vec::new();
    let result = match role_and_link(&form, &mut errors) {
        Some((role, affiliation)) => {
            commands::act(&state, &user, move |conn, actor| {
                commands::change(conn, actor, id, &Change { role, affiliation })
            })
            .await
        }
        None => Err(AppError::InvalidInput(errors)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/gebruikers/{id}?gedaan=gewijzigd"
        ))),
        Err(AppError::InvalidInput(errors)) => {
            render_detail(&state, &user, &csrf, id, Some(&form), &errors, None).await
        }
        Err(other) => Err(other),
    }
}

/// A button on the account's page: run the command, then show where it leads.
macro_rules! simple_action {
    ($name:ident, $command:path, $after:expr) => {
        async fn $name(
            state: web::Data<AppState>,
            user: SessionUser,
            id: web::Path<i64>,
            CheckedForm(_): CheckedForm<Empty>,
        ) -> Result<HttpResponse, AppError> {
            let id = id.into_inner();
            commands::act(&state, &user, move |conn, actor| $command(conn, actor, id)).await?;
            Ok(see_other(&$after(id)))
        }
    };
}

fn back_to(done: &'static str) -> impl Fn(i64) -> String {
    move |id| format!("/beheer/gebruikers/{id}?gedaan={done}")
}

simple_action!(resend, commands::resend, back_to("opnieuw"));
// The account is gone: back to the list.
simple_action!(withdraw, commands::withdraw, |_| {
    "/beheer/gebruikers?gedaan=ingetrokken".to_owned()
});
simple_action!(deactivate, commands::deactivate, back_to("gedeactiveerd"));
simple_action!(reactivate, commands::reactivate, back_to("geactiveerd"));

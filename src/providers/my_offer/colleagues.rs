//! A provider's users invite colleagues for the same provider (`/mijn-aanbod/collegas`), so
//! that nobody shares a password. The invitation is the beheerder's (`accounts::people`),
//! with the role and provider fixed to the inviter's own.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use crate::accounts::Affiliation;
use crate::accounts::model::{Role, User};
use crate::accounts::people::commands::{self, Invite};
use crate::accounts::people::queries::Standing;
use crate::db::schema::users;
use crate::domain::email::Email;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::components::{Field, error_summary, notice, scroll_region};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, Crumb, Page, form_response, html_response, see_other};
use crate::web::{AppError, FieldError};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct ColleagueForm {
    naam: String,
    email: String,
    uitgenodigd: String,
}

fn page(
    state: &AppState,
    account: Account<'_>,
    colleagues: &[User],
    form: &ColleagueForm,
    errors: &[FieldError],
) -> Markup {
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Collega's"),
    ];
    let done = (!form.uitgenodigd.is_empty())
        .then_some("De uitnodiging is verstuurd. De link in de e-mail werkt 7 dagen.");
    Page { title: "Collega's", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Collega's" }
        (notice(done))
        p { "Iedereen logt in met een eigen account. Nodig een collega uit: die krijgt een e-mail om een wachtwoord te kiezen." }
        (scroll_region("Collega's", html! {
            table.data-table {
                caption.visually-hidden { "Accounts van uw organisatie" }
                thead { tr { th scope="col" { "Naam" } th scope="col" { "E-mailadres" } th scope="col" { "Stand" } } }
                tbody {
                    @for c in colleagues {
                        tr { td { (c.name) } td { (c.email) } td { (Standing::of(c).label()) } }
                    }
                }
            }
        }))
        h2 { "Collega uitnodigen" }
        (error_summary(errors))
        form method="post" action="/mijn-aanbod/collegas" novalidate {
            (account.csrf.field())
            (Field::text("naam", "Naam", &form.naam).autocomplete("off").render(errors))
            (Field::text("email", "E-mailadres", &form.email).kind("email").autocomplete("off").render(errors))
            button type="submit" { "Uitnodiging versturen" }
        }
    })
}

async fn load(state: &AppState, provider: i64) -> Result<Vec<User>, AppError> {
    state
        .db
        .run(move |conn| {
            Ok(users::table
                .filter(users::provider_id.eq(provider))
                .order((users::name, users::id))
                .select(User::as_select())
                .load(conn)?)
        })
        .await
}

pub(super) async fn colleagues_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<ColleagueForm>,
) -> Result<HttpResponse, AppError> {
    let provider = user.own_provider()?;
    let colleagues = load(&state, provider.get()).await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let form = ColleagueForm {
        uitgenodigd: query.uitgenodigd.clone(),
        ..ColleagueForm::default()
    };
    Ok(html_response(
        StatusCode::OK,
        page(&state, account, &colleagues, &form, &[]),
    ))
}

pub(super) async fn invite_colleague(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<ColleagueForm>,
) -> Result<HttpResponse, AppError> {
    let provider = user.own_provider()?;
    let mut errors = crate::web::input::control_errors([("naam", form.naam.as_str())]);
    if form.naam.trim().is_empty() || form.naam.trim().chars().count() > 100 {
        errors.push(FieldError::new(
            "naam",
            "Vul de naam van uw collega in (hoogstens 100 tekens).",
        ));
    }
    let email = Email::parse(&form.email);
    if email.is_err() {
        errors.push(FieldError::new(
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.",
        ));
    }
    let result = match email {
        Ok(email) if errors.is_empty() => {
            let invite = Invite {
                name: form.naam.trim().to_owned(),
                email,
                role: Role::Aanbieder,
                affiliation: Affiliation::Provider(provider.get()),
            };
            commands::act(&state, &user, move |conn, actor| {
                commands::invite(conn, actor, &invite)
            })
            .await
            .map(|_| ())
        }
        _ => Err(AppError::InvalidInput(errors)),
    };
    match result {
        Ok(()) => Ok(see_other("/mijn-aanbod/collegas?uitgenodigd=1")),
        Err(AppError::InvalidInput(errors)) => {
            let colleagues = load(&state, provider.get()).await?;
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(form_response(
                &errors,
                page(&state, account, &colleagues, &form, &errors),
            ))
        }
        Err(other) => Err(other),
    }
}

//! API tokens for the provider's own systems: made here and shown once, stored hashed.

use crate::domain::ids::ProviderId;
use crate::startup::AppState;
use crate::web::components::scroll_region;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::TimeDelta;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use crate::accounts::secrets::{random_token, token_hash};
use crate::db::DbConnection;
use crate::db::schema::api_tokens;
use crate::web::auth::SessionUser;
use crate::web::components::{Field, error_summary};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::text::date_nl;
use crate::web::{AppError, FieldError};

use super::offer_changes::Nothing;

/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 365;

#[derive(Queryable)]
pub(super) struct TokenRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) created_at: chrono::NaiveDateTime,
    pub(super) expires_at: chrono::NaiveDateTime,
    pub(super) revoked_at: Option<chrono::NaiveDateTime>,
    pub(super) last_used_at: Option<chrono::NaiveDateTime>,
}

pub(super) fn load_tokens(
    conn: &mut DbConnection,
    provider_id: ProviderId,
) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::provider_id.eq(provider_id))
        .order(api_tokens::created_at.desc())
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::created_at,
            api_tokens::expires_at,
            api_tokens::revoked_at,
            api_tokens::last_used_at,
        ))
        .load(conn)
}

pub(super) fn tokens_view(
    state: &AppState,
    account: Account<'_>,
    tokens: &[TokenRow],
    fresh: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let now = crate::clock::now();
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Sleutels voor koppelingen"),
    ];
    Page { title: "Sleutels voor koppelingen", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Sleutels voor koppelingen" }
        p { "Met een sleutel kan uw eigen systeem (bijvoorbeeld uw cliëntregistratie) zelf gegevens uitwisselen met de catalogus, via de API. Uw systeem stuurt de sleutel mee als " code { "Authorization: Bearer <sleutel>" } "." }
        @if let Some(token) = fresh {
            div.notice role="status" {
                p { strong { "Uw nieuwe sleutel. Kopieer hem nu: u ziet hem maar één keer." } }
                p.token-once { (token) }
            }
        }
        (error_summary(errors))
        @if tokens.is_empty() {
            p { "U heeft nog geen sleutels gemaakt." }
        } @else {
            (scroll_region("Uw sleutels", html! {
                table.data-table {
                    thead { tr { th scope="col" { "Naam" } th scope="col" { "Gemaakt" } th scope="col" { "Geldig tot" } th scope="col" { "Laatst gebruikt" } th scope="col" { "Status" } } }
                    tbody {
                        @for t in tokens {
                            tr {
                                td { (t.name) }
                                td { (date_nl(crate::clock::date_of(t.created_at))) }
                                td { (date_nl(crate::clock::date_of(t.expires_at))) }
                                td { (t.last_used_at.map_or("nog niet".to_owned(), |d| date_nl(crate::clock::date_of(d)))) }
                                td {
                                    @if t.revoked_at.is_some() { "ingetrokken" }
                                    @else if t.expires_at <= now { "verlopen" }
                                    @else {
                                        form.inline-form method="post" action={ "/mijn-aanbod/api-tokens/" (t.id) "/intrekken" } {
                                            (account.csrf.field())
                                            button.button--secondary type="submit" { "Intrekken" span.visually-hidden { " " (t.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
        h2 { "Nieuwe sleutel maken" }
        form method="post" action="/mijn-aanbod/api-tokens" novalidate {
            (account.csrf.field())
            (Field::text("naam", "Naam van de sleutel", "").hint("Bijvoorbeeld de naam van het systeem dat hem gebruikt.").render(errors))
            (Field::text("dagen", "Hoeveel dagen geldig?", "90").kind("number").hint("Hoogstens 365 dagen.").render(errors))
            button type="submit" { "Sleutel maken" }
        }
    })
}

pub(super) async fn tokens_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let tokens = state
        .db
        .run(move |conn| Ok(load_tokens(conn, provider_id)?))
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        tokens_view(&state, account, &tokens, None, &[]),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TokenForm {
    pub(super) naam: String,
    pub(super) dagen: String,
}

pub(super) async fn create_token(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    let mut errors = Vec::new();
    let name = form.naam.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(FieldError::new(
            "naam",
            "Geef de sleutel een naam van hoogstens 80 tekens.",
        ));
    }
    let days = form
        .dagen
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_TOKEN_DAYS).contains(d));
    if days.is_none() {
        errors.push(FieldError::new(
            "dagen",
            "Vul een aantal dagen in van 1 tot en met 365.",
        ));
    }
    let token = if errors.is_empty() {
        Some(format!("jhc_{}", random_token()?))
    } else {
        None
    };
    let stored = token.clone();
    let tokens = state
        .db
        .run(move |conn| {
            if let (Some(token), Some(days)) = (stored, days) {
                let now = crate::clock::now();
                conn.write_transaction(|conn| {
                    let id: i64 = diesel::insert_into(api_tokens::table)
                        .values((
                            api_tokens::provider_id.eq(provider_id),
                            api_tokens::user_id.eq(user_id),
                            api_tokens::name.eq(&name),
                            api_tokens::token_hash.eq(token_hash(&token)),
                            api_tokens::created_at.eq(now),
                            api_tokens::expires_at.eq(now + TimeDelta::days(days)),
                        ))
                        .returning(api_tokens::id)
                        .get_result(conn)?;
                    crate::audit::action(
                        conn,
                        Some(user_id),
                        "API-sleutel gemaakt",
                        "api_token",
                        Some(id),
                    )
                })?;
            }
            Ok(load_tokens(conn, provider_id)?)
        })
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html_response(
        status,
        tokens_view(&state, account, &tokens, token.as_deref(), &errors),
    ))
}

pub(super) async fn revoke_token(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let token_id = id.into_inner();
    let user_id = user.id;
    state
        .db
        .run(move |conn| {
            // The change and its audit row: one transaction, always.
            conn.write_transaction(|conn| {
                let revoked = diesel::update(
                    api_tokens::table
                        .filter(api_tokens::id.eq(token_id))
                        .filter(api_tokens::provider_id.eq(provider_id))
                        .filter(api_tokens::revoked_at.is_null()),
                )
                .set(api_tokens::revoked_at.eq(Some(crate::clock::now())))
                .execute(conn)?;
                if revoked == 0 {
                    return Err(AppError::NotFound);
                }
                crate::audit::action(
                    conn,
                    Some(user_id),
                    "API-sleutel ingetrokken",
                    "api_token",
                    Some(token_id),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other("/mijn-aanbod/api-tokens"))
}

//! The organisation's own details on the overview page: description, way of working, contact.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::providers;
use crate::providers::model::Provider;
use crate::read_model;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::layout::{Account, form_response};
use crate::web::text::fold;
use crate::web::{AppError, FieldError};

use super::{load_listing, overview_page};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct OrganisationForm {
    pub(super) beschrijving: String,
    pub(super) werkwijze: String,
    pub(super) partners: String,
    pub(super) email: String,
    pub(super) telefoon: String,
    pub(super) website: String,
    pub(super) straat: String,
    pub(super) postcode: String,
    pub(super) plaats: String,
    pub(super) verlengde_jeugdhulp: String,
}

impl From<&Provider> for OrganisationForm {
    fn from(p: &Provider) -> Self {
        OrganisationForm {
            beschrijving: p.description.clone(),
            werkwijze: p.approach.clone(),
            partners: p.partners.clone(),
            email: p.email.clone(),
            telefoon: p.phone.clone().unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
            straat: p.street.clone(),
            postcode: p.postal_code.clone(),
            plaats: p.city.clone(),
            verlengde_jeugdhulp: if p.verlengde_jeugdhulp {
                "ja".into()
            } else {
                String::new()
            },
        }
    }
}

pub(super) fn check_organisation(form: &OrganisationForm) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("beschrijving", &form.beschrijving, 2000),
        ("werkwijze", &form.werkwijze, 4000),
        ("partners", &form.partners, 1000),
    ] {
        if value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("Gebruik hoogstens {max} tekens."),
            ));
        } else if crate::domain::values::contains_bsn(value) {
            // Public text: never a BSN in it.
            errors.push(FieldError::new(field, crate::web::input::BSN_MESSAGE));
        }
    }
    crate::web::input::refuse_invisible(
        &mut errors,
        [
            ("beschrijving", form.beschrijving.as_str()),
            ("werkwijze", &form.werkwijze),
            ("partners", &form.partners),
            ("straat", &form.straat),
            ("plaats", &form.plaats),
            ("website", &form.website),
        ],
    );
    let postcode = crate::providers::registration::Contact {
        street: &form.straat,
        postcode: &form.postcode,
        city: &form.plaats,
        phone: &form.telefoon,
        email: &form.email,
        email_field: "email",
        website: &form.website,
    }
    .check(&mut errors);
    match postcode {
        Some(postcode) if errors.is_empty() => Ok(postcode.into_string()),
        _ => Err(errors),
    }
}

pub(super) async fn save_organisation(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<OrganisationForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    let checked = check_organisation(&form);
    let submitted = form.clone();
    let cache = state.reference.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let postcode = match checked {
                Ok(postcode) => postcode,
                Err(errors) => {
                    return Ok(Err((
                        cache.get(conn)?,
                        load_listing(conn, provider_id)?,
                        errors,
                    )));
                }
            };
            conn.write_transaction(|conn| {
                let old = providers::table
                    .find(provider_id)
                    .select(Provider::as_select())
                    .first(conn)?;
                let f = &submitted;
                let website = Some(f.website.trim().to_owned()).filter(|w| !w.is_empty());
                let verlengde = f.verlengde_jeugdhulp == "ja";
                let search_text = fold(
                    &[
                        old.name.as_str(),
                        f.plaats.trim(),
                        f.beschrijving.trim(),
                        f.werkwijze.trim(),
                        f.partners.trim(),
                    ]
                    .join(" "),
                );
                diesel::update(providers::table.find(provider_id))
                    .set((
                        providers::description.eq(f.beschrijving.trim()),
                        providers::approach.eq(f.werkwijze.trim()),
                        providers::partners.eq(f.partners.trim()),
                        providers::email.eq(crate::accounts::model::normalise_email(&f.email)),
                        providers::phone.eq(Some(f.telefoon.trim())),
                        providers::website.eq(website.as_deref()),
                        providers::street.eq(f.straat.trim()),
                        providers::postal_code.eq(&postcode),
                        providers::city.eq(f.plaats.trim()),
                        providers::verlengde_jeugdhulp.eq(verlengde),
                        providers::search_text.eq(search_text),
                        providers::updated_at.eq(crate::clock::now()),
                    ))
                    .execute(conn)?;
                crate::audit::fields(
                    conn,
                    Some(user_id),
                    "provider",
                    provider_id.get(),
                    &[
                        (
                            "beschrijving",
                            old.description,
                            f.beschrijving.trim().to_owned(),
                        ),
                        ("werkwijze", old.approach, f.werkwijze.trim().to_owned()),
                        ("partners", old.partners, f.partners.trim().to_owned()),
                        (
                            "email",
                            old.email,
                            crate::accounts::model::normalise_email(&f.email),
                        ),
                        (
                            "telefoon",
                            old.phone.unwrap_or_default(),
                            f.telefoon.trim().to_owned(),
                        ),
                        (
                            "website",
                            old.website.unwrap_or_default(),
                            website.unwrap_or_default(),
                        ),
                        ("straat", old.street, f.straat.trim().to_owned()),
                        ("postcode", old.postal_code, postcode.clone()),
                        ("plaats", old.city, f.plaats.trim().to_owned()),
                        (
                            "verlengde_jeugdhulp",
                            old.verlengde_jeugdhulp.to_string(),
                            verlengde.to_string(),
                        ),
                    ],
                )?;
                read_model::providers_changed(conn, &[provider_id.get()])?;
                Ok::<_, AppError>(Ok(()))
            })
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/mijn-aanbod?opgeslagen=1")),
        Err((reference, listing, errors)) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(form_response(
                &errors,
                overview_page(&state, account, &reference, &listing, &form, &errors, None),
            ))
        }
    }
}

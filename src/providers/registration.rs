//! Registration under the procesovereenkomst, open all year: the organisation, its first
//! user, the regions it wants to join, and a signed self-declaration per region.

use diesel::prelude::*;
use serde::Deserialize;

use super::admission::record_event;
use super::agreements::Agreement;
use super::model::{AdmissionStatus, NewProvider};
use crate::accounts::links::{self, Purpose};
use crate::accounts::{Affiliation, NewUser, Role, model as users, password};
use crate::db::DbConnection;
use crate::db::schema::{admissions, agreement_signatures, providers};
use crate::domain::values::{Agb, Kvk, Postcode, parse_field};
use crate::mail::{self, templates};
use crate::reference::ReferenceData;
use crate::web::text::slugify;
use crate::web::{AppError, FieldError};

/// The form as typed; every field comes back unchanged when something is wrong (the
/// passwords excepted).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub naam: String,
    pub kvk: String,
    pub agb: String,
    pub straat: String,
    pub postcode: String,
    pub plaats: String,
    pub telefoon: String,
    pub email_organisatie: String,
    pub website: String,
    pub contactnaam: String,
    pub email: String,
    pub wachtwoord: String,
    pub herhaling: String,
    /// Region slugs.
    pub regio: Vec<String>,
    /// Declared requirements, as "regionslug:number".
    pub verklaring: Vec<String>,
    pub ondertekenen: String,
    /// The KVK number came from eHerkenning: shown, not typed.
    #[serde(skip)]
    pub kvk_verified: bool,
}

/// A registration that passed every check.
pub struct Registration {
    pub provider: NewProvider,
    pub contact_name: String,
    pub email: String,
    pub password_hash: String,
    pub agreements: Vec<Agreement>,
}

pub fn plausible_phone(value: &str) -> bool {
    let count = value.chars().filter(char::is_ascii_digit).count();
    (10..=15).contains(&count)
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
}

pub fn plausible_website(value: &str) -> bool {
    (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() <= 200
        && value
            .split("://")
            .nth(1)
            .is_some_and(|rest| rest.contains('.'))
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<')
}

/// The address and contact details of an organisation, as typed in a form.
pub struct Contact<'a> {
    pub street: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    /// The form field the e-mail address was typed in.
    pub email_field: &'static str,
    pub website: &'a str,
}

impl Contact<'_> {
    /// Adds a message per wrong field, in this order: street, postcode, city, phone, e-mail,
    /// website. Returns the postcode when it is right.
    pub fn check(&self, errors: &mut Vec<FieldError>) -> Option<Postcode> {
        if self.street.trim().is_empty() {
            errors.push(FieldError::new(
                "straat",
                "Vul de straat en het huisnummer in.",
            ));
        }
        let postcode = parse_field::<Postcode>(errors, "postcode", self.postcode);
        if self.city.trim().is_empty() {
            errors.push(FieldError::new("plaats", "Vul de plaats in."));
        }
        if !plausible_phone(self.phone.trim()) {
            errors.push(FieldError::new(
                "telefoon",
                "Vul een telefoonnummer in met 10 cijfers, bijvoorbeeld 070 123 45 67.",
            ));
        }
        if !users::plausible_email(&users::normalise_email(self.email)) {
            errors.push(FieldError::new(
                self.email_field,
                "Vul een geldig e-mailadres in, bijvoorbeeld info@organisatie.nl.",
            ));
        }
        let website = self.website.trim();
        if !website.is_empty() && !plausible_website(website) {
            errors.push(FieldError::new(
                "website",
                "Vul een webadres in dat begint met https://, of laat dit veld leeg.",
            ));
        }
        postcode
    }
}

/// Checks the form; the errors are in the order of the form.
pub fn validate(
    form: &RegistrationForm,
    reference: &ReferenceData,
    agreements: &[Agreement],
) -> Result<Registration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = form.naam.trim();
    if name.chars().count() < 2 || name.chars().count() > 120 {
        errors.push(FieldError::new(
            "naam",
            "Vul de naam van uw organisatie in (hoogstens 120 tekens).",
        ));
    } else if name.starts_with(['=', '+', '-', '@']) {
        // A spreadsheet would run such a name as a formula (the exports neutralise it too).
        errors.push(FieldError::new(
            "naam",
            "Laat de naam beginnen met een letter of een cijfer.",
        ));
    }
    let kvk = parse_field::<Kvk>(&mut errors, "kvk", &form.kvk);
    let agb = parse_field::<Agb>(&mut errors, "agb", &form.agb);
    let contact_details = Contact {
        street: &form.straat,
        postcode: &form.postcode,
        city: &form.plaats,
        phone: &form.telefoon,
        email: &form.email_organisatie,
        email_field: "email_organisatie",
        website: &form.website,
    };
    let postcode = contact_details.check(&mut errors);
    let org_email = users::normalise_email(&form.email_organisatie);
    let website = form.website.trim();
    crate::web::input::refuse_invisible(
        &mut errors,
        [
            ("naam", form.naam.as_str()),
            ("straat", &form.straat),
            ("plaats", &form.plaats),
            ("website", &form.website),
            ("contactnaam", &form.contactnaam),
        ],
    );
    let contact = form.contactnaam.trim();
    if contact.is_empty() || contact.chars().count() > 120 {
        errors.push(FieldError::new("contactnaam", "Vul uw naam in."));
    }
    let email = users::normalise_email(&form.email);
    if !users::plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl.",
        ));
    }
    if let Some(problem) = password::problem(&form.wachtwoord, &email) {
        errors.push(FieldError::new("wachtwoord", problem));
    } else if form.wachtwoord != form.herhaling {
        errors.push(FieldError::new(
            "herhaling",
            "De twee wachtwoorden zijn niet hetzelfde. Typ ze opnieuw.",
        ));
    }
    let mut chosen = Vec::new();
    for slug in &form.regio {
        match reference.regions.iter().find(|r| &r.slug == slug) {
            Some(region) => {
                if let Some(a) = agreements.iter().find(|a| a.region_id == region.id)
                    && !chosen.iter().any(|c: &Agreement| c.id == a.id)
                {
                    chosen.push(a.clone());
                }
            }
            None => errors.push(FieldError::new("regio", "Kies een regio uit de lijst.")),
        }
    }
    if form.regio.is_empty() {
        errors.push(FieldError::new(
            "regio",
            "Kies minstens één regio waar u hulp wilt bieden.",
        ));
    }
    for agreement in &chosen {
        let slug = reference
            .region(agreement.region_id)
            .map_or("", |r| r.slug.as_str());
        let region = reference
            .region(agreement.region_id)
            .map_or("", |r| r.name.as_str());
        let missing = (1..=agreement.requirement_list().len())
            .filter(|n| !form.verklaring.contains(&format!("{slug}:{n}")))
            .count();
        if missing > 0 {
            errors.push(FieldError::new(
                format!("verklaring-{slug}"),
                format!(
                    "Voor de regio {region} moet u alle {} eisen bevestigen. U heeft er {missing} niet aangevinkt.",
                    agreement.requirement_list().len()
                ),
            ));
        }
    }
    if form.ondertekenen != "ja" {
        errors.push(FieldError::new(
            "ondertekenen",
            "Vink aan dat u de procesovereenkomst ondertekent.",
        ));
    }
    let (Some(kvk), Some(agb), Some(postcode)) = (kvk, agb, postcode) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let password_hash = password::hash(&form.wachtwoord).map_err(|_| {
        vec![FieldError::new(
            "wachtwoord",
            "Er ging iets mis met uw wachtwoord. Probeer het opnieuw.",
        )]
    })?;
    Ok(Registration {
        provider: NewProvider {
            slug: slugify(name),
            name: name.to_owned(),
            kvk_number: kvk.into_string(),
            agb_code: agb.into_string(),
            website: (!website.is_empty()).then(|| website.to_owned()),
            email: org_email,
            phone: Some(form.telefoon.trim().to_owned()),
            street: form.straat.trim().to_owned(),
            postal_code: postcode.into_string(),
            city: form.plaats.trim().to_owned(),
            ..NewProvider::default()
        },
        contact_name: contact.to_owned(),
        email,
        password_hash,
        agreements: chosen,
    })
}

/// A slug that is still free: the name's, or with -2, -3, … after it.
fn free_slug(conn: &mut DbConnection, base: &str) -> QueryResult<String> {
    let taken: Vec<String> = providers::table
        .filter(
            providers::slug
                .eq(base)
                .or(providers::slug.like(format!("{base}-%"))),
        )
        .select(providers::slug)
        .load(conn)?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    Ok((2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_owned()))
}

/// Stores the registration in one transaction: provider, user, admissions (aangemeld),
/// signatures, events, the verification mail and a mail to each region's contract managers.
/// Returns the provider id, or `None` when the address already has an account (its owner is
/// mailed; the visitor sees the same answer as for any registration).
pub fn register(
    conn: &mut DbConnection,
    registration: &Registration,
    reference: &ReferenceData,
    public_url: &str,
) -> Result<Option<i64>, AppError> {
    if let Some(owner) = users::find_by_email(conn, &registration.email)? {
        // Answered like any registration; the owner of the address hears of it instead.
        crate::mail::queue(
            conn,
            &crate::mail::templates::registration_with_known_address(
                &owner.email,
                &owner.name,
                &format!("{public_url}/inloggen"),
            ),
        )?;
        return Ok(None);
    }
    let mut provider = registration.provider.clone();
    provider.slug = free_slug(conn, &provider.slug)?;
    let provider_id = provider.insert(conn)?;
    let user_id = NewUser {
        email: &registration.email,
        name: &registration.contact_name,
        password_hash: &registration.password_hash,
        role: Role::Aanbieder,
        affiliation: Affiliation::Provider(provider_id),
        verified: false,
    }
    .insert(conn)?;
    let now = crate::clock::now();
    for agreement in &registration.agreements {
        diesel::insert_into(admissions::table)
            .values((
                admissions::provider_id.eq(provider_id),
                admissions::region_id.eq(agreement.region_id),
                admissions::status.eq(AdmissionStatus::Aangemeld),
                admissions::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::insert_into(agreement_signatures::table)
            .values((
                agreement_signatures::provider_id.eq(provider_id),
                agreement_signatures::agreement_id.eq(agreement.id),
                agreement_signatures::user_id.eq(user_id),
                agreement_signatures::signer_name.eq(&registration.contact_name),
                agreement_signatures::declarations.eq(agreement.requirement_list().join("\n")),
                agreement_signatures::signed_at.eq(now),
            ))
            .execute(conn)?;
        record_event(
            conn,
            provider_id,
            agreement.region_id,
            AdmissionStatus::Aangemeld,
            &format!(
                "Procesovereenkomst versie {} ondertekend",
                agreement.version
            ),
            crate::clock::date_of(now),
            Some(user_id),
        )?;
        let region = reference
            .region(agreement.region_id)
            .map_or("", |r| r.name.as_str());
        // Held until the provider confirms its address: managers hear only of real ones.
        for manager in users::contract_managers(conn, agreement.region_id)? {
            mail::queue_held_for(
                conn,
                &templates::new_registration(
                    &manager.email,
                    &provider.name,
                    region,
                    &format!("{public_url}/beheer/aanmeldingen"),
                ),
                user_id,
            )?;
        }
    }
    let token = links::create(conn, user_id, Purpose::VerifyEmail)?;
    mail::queue_and_forget(
        conn,
        &templates::verify_email(
            &registration.email,
            &registration.contact_name,
            &format!("{public_url}/bevestigen/{token}"),
        ),
    )?;
    crate::audit::action(
        conn,
        Some(user_id),
        "aangemeld",
        "provider",
        Some(provider_id),
    )?;
    Ok(Some(provider_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_websites_are_checked_as_people_write_them() {
        assert!(plausible_phone("070 123 45 67"));
        assert!(plausible_phone("+31 70 123 4567"));
        assert!(!plausible_phone("12345"));
        assert!(!plausible_phone("070-BEL-MIJ"));
        assert!(plausible_website("https://www.de-kompas.nl"));
        assert!(!plausible_website("www.de-kompas.nl"));
        assert!(!plausible_website("javascript:alert(1)"));
    }
}

//! eHerkenning through a broker: the claims as brokers deliver them, the level of assurance,
//! and which provider's account the employee becomes.

use diesel::prelude::*;
use serde_json::Value;

use super::staff::Admitted;
use super::{AttemptKey, Person, identities};
use crate::accounts::model::{self, Affiliation, NewUser, Role};
use crate::accounts::secrets;
use crate::db::DbConnection;
use crate::db::schema::{admissions, providers};
use crate::domain::provider::AdmissionStatus;
use crate::domain::values::Kvk;
use crate::web::AppError;

/// The levels of assurance, lowest first.
pub const LEVELS: [&str; 4] = ["loa2", "loa2plus", "loa3", "loa4"];

const LEGAL_SUBJECT: &str = "urn:etoegang:core:LegalSubjectID";
const ACTING_SUBJECT: &str = "urn:etoegang:core:ActingSubjectID";
const BRANCH: &str = "urn:etoegang:1.9:ServiceRestriction:Vestigingsnr";
const LEVEL_CLAIM: &str = "urn:etoegang:core:LevelOfAssurance";
const RSIN_QUALIFIER: &str = "urn:etoegang:1.9:EntityConcernedID:RSIN";

const LEVEL_PREFIX: &str = "urn:etoegang:core:assurance-class:";

/// The position of a level (`urn:etoegang:core:assurance-class:loa3`, or just `loa3`) in
/// [`LEVELS`]; anything else is no level.
pub fn level(value: &str) -> Option<usize> {
    let value = value.trim();
    let name = value.strip_prefix(LEVEL_PREFIX).unwrap_or(value);
    LEVELS.iter().position(|l| *l == name)
}

/// The full name of a level, as brokers take it in `acr_values`.
pub fn level_urn(index: usize) -> String {
    format!("{LEVEL_PREFIX}{}", LEVELS[index.min(LEVELS.len() - 1)])
}

/// The organisation and the employee acting for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub kvk: Kvk,
    /// The broker's pseudonym of the employee, stable per service.
    pub acting: String,
    /// The branch (vestigingsnummer), where the authorisation is limited to one.
    pub branch: Option<String>,
}

/// Why the claims do not let anyone in, in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The level the broker vouched for, and the lowest the portal takes.
    LevelTooLow {
        got: Option<String>,
        needed: String,
    },
    /// The organisation was identified by its RSIN: the portal knows providers by KVK number.
    Rsin,
    Missing(&'static str),
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::LevelTooLow { got, needed } => format!(
                "U bent ingelogd met betrouwbaarheidsniveau {}. Voor de jeugdhulpcatalogus is minstens niveau {} nodig. Vraag uw organisatie om een eHerkenningsmiddel met dit niveau, en log daarmee opnieuw in.",
                got.as_deref().map_or("(onbekend)", label),
                label(needed),
            ),
            Refusal::Rsin => "Uw organisatie is herkend aan haar RSIN. De jeugdhulpcatalogus kent aanbieders aan hun KvK-nummer. Log in met een eHerkenningsmiddel op het KvK-nummer van uw organisatie.".into(),
            Refusal::Missing(what) => format!(
                "De eHerkenning-dienst gaf geen {what} door. Probeer het opnieuw; lukt het niet, neem dan contact op met de leverancier van uw eHerkenningsmiddel."
            ),
        }
    }
}

/// eHerkenning's level names as people say them: EH3, EH2+.
fn label(level: &str) -> &'static str {
    match self::level(level).map(|i| LEVELS[i]) {
        Some("loa2") => "EH2",
        Some("loa2plus") => "EH2+",
        Some("loa3") => "EH3",
        Some("loa4") => "EH4",
        _ => "(onbekend)",
    }
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// The legal subject: a plain value, or `{ "value": …, "namequalifier": … }` as some brokers
/// send it. Returns the value and whether it is an RSIN.
fn legal_subject(value: &Value) -> Option<(String, bool)> {
    match value {
        Value::Object(fields) => {
            let qualifier = ["namequalifier", "nameQualifier", "NameQualifier"]
                .iter()
                .find_map(|k| fields.get(*k).and_then(text))
                .unwrap_or_default();
            let value = fields.get("value").and_then(text)?;
            Some((value, qualifier == RSIN_QUALIFIER))
        }
        other => text(other).map(|v| (v, false)),
    }
}

/// Reads the broker's claims; refuses a level below `min_level`.
pub fn read(person: &Person, min_level: usize) -> Result<Company, Refusal> {
    let got = person
        .claims
        .get(LEVEL_CLAIM)
        .and_then(text)
        .or_else(|| person.acr.clone());
    if got.as_deref().and_then(level).is_none_or(|l| l < min_level) {
        return Err(Refusal::LevelTooLow {
            got,
            needed: level_urn(min_level),
        });
    }
    let (legal, rsin) = person
        .claims
        .get(LEGAL_SUBJECT)
        .and_then(legal_subject)
        .ok_or(Refusal::Missing("KvK-nummer"))?;
    if rsin {
        return Err(Refusal::Rsin);
    }
    let kvk = Kvk::try_from(legal.as_str()).map_err(|_| Refusal::Missing("geldig KvK-nummer"))?;
    let acting = person
        .claims
        .get(ACTING_SUBJECT)
        .and_then(text)
        .ok_or(Refusal::Missing("nummer van de medewerker"))?;
    Ok(Company {
        kvk,
        acting,
        branch: person.claims.get(BRANCH).and_then(text),
    })
}

/// The subject an employee is kept under: the organisation and the employee's pseudonym.
pub fn subject(kvk: &str, acting: &str) -> String {
    format!("kvk:{kvk}:{acting}")
}

#[derive(Debug)]
pub enum Decision {
    Admitted(Admitted),
    /// No provider with this KVK number: register it.
    Register,
    /// Several providers carry this KVK number: nobody is added to one of them by guess.
    Ambiguous,
    /// The provider with this number has not been admitted anywhere yet: no contract
    /// manager has checked its registration (and the number typed in it).
    NotAdmitted,
    /// The employee's account is deactivated.
    Deactivated,
    /// The account that registered the organisation has not confirmed its address yet.
    Unverified,
}

/// The employee is the account linked to this KVK number and pseudonym; a new employee
/// becomes a user of the one provider registered with this number, once a contract manager
/// has admitted it (and so checked its registration).
pub fn decide(
    conn: &mut DbConnection,
    issuer: &str,
    company: &Company,
) -> Result<Decision, AppError> {
    conn.write_transaction(|conn| {
        let subject = subject(company.kvk.as_str(), &company.acting);
        let user = match identities::user_of(conn, issuer, &subject)? {
            Some(user) => user,
            None => {
                let registered: Vec<i64> = providers::table
                    .filter(providers::kvk_number.eq(company.kvk.as_str()))
                    .select(providers::id)
                    .load(conn)?;
                let provider_id = match registered.as_slice() {
                    [] => return Ok(Decision::Register),
                    [one] => *one,
                    _ => return Ok(Decision::Ambiguous),
                };
                let admitted: i64 = admissions::table
                    .filter(admissions::provider_id.eq(provider_id))
                    .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
                    .count()
                    .get_result(conn)?;
                if admitted == 0 {
                    return Ok(Decision::NotAdmitted);
                }
                let id = new_employee(conn, issuer, &subject, company, provider_id)?;
                model::find(conn, id)?.ok_or(AppError::NotFound)?
            }
        };
        if !user.active || user.provider_id.is_none() {
            model::end_all_sessions(conn, user.id)?;
            return Ok(Decision::Deactivated);
        }
        if user.email_verified_at.is_none() {
            return Ok(Decision::Unverified);
        }
        model::record_sign_in(conn, user.id)?;
        Ok(Decision::Admitted(Admitted {
            id: user.id,
            version: user.token_version,
            role: Role::Aanbieder,
        }))
    })
}

/// An account for an employee the broker vouched for: no password, no real address (the
/// broker gives none; `.invalid` never receives mail).
fn new_employee(
    conn: &mut DbConnection,
    issuer: &str,
    subject: &str,
    company: &Company,
    provider_id: i64,
) -> Result<i64, AppError> {
    let address = format!(
        "{}@eherkenning.invalid",
        &secrets::token_hash(&format!("{issuer} {subject}"))[..20]
    );
    let id = NewUser {
        email: &address,
        // Told apart in the list of colleagues and the audit log by the end of the pseudonym.
        name: &format!(
            "Medewerker via eHerkenning ({})",
            company
                .acting
                .chars()
                .skip(company.acting.chars().count().saturating_sub(6))
                .collect::<String>()
        ),
        password_hash: identities::NO_PASSWORD,
        role: Role::Aanbieder,
        affiliation: Affiliation::Provider(provider_id),
        verified: true,
    }
    .insert(conn)?;
    identities::link(conn, issuer, subject, id)?;
    crate::audit::action(
        conn,
        Some(id),
        "aangemaakt via eHerkenning",
        "user",
        Some(id),
    )?;
    Ok(id)
}

/// After a registration from an eHerkenning sign-in: the employee who registered signs in
/// with eHerkenning as the new account from now on (unless that employee is linked already).
pub fn link_registered(
    conn: &mut DbConnection,
    issuer: &str,
    kvk: &Kvk,
    acting: &str,
    email: &str,
) -> Result<(), AppError> {
    let subject = subject(kvk.as_str(), acting);
    if identities::user_of(conn, issuer, &subject)?.is_some() {
        return Ok(());
    }
    if let Some(user) = model::find_by_email(conn, email)? {
        identities::link(conn, issuer, &subject, user.id)?;
    }
    Ok(())
}

/// The cookie that carries a verified KVK number and employee to the registration form.
pub const REGISTRATION_COOKIE: &str = "jhc_eherkenning";
/// How long the registration may take.
pub const REGISTRATION_MINUTES: i64 = 60;

/// The registration cookie's value: KVK number, employee (hex), expiry, and a MAC over them.
pub fn registration_value(key: &AttemptKey, company: &Company) -> String {
    let expires = crate::clock::now().and_utc().timestamp() + REGISTRATION_MINUTES * 60;
    let body = format!(
        "{}.{}.{expires}",
        company.kvk.as_str(),
        secrets::hex(company.acting.as_bytes())
    );
    let mac = key.derive("registratie", &body);
    format!("{body}.{mac}")
}

/// The KVK number and employee of a valid, unexpired registration cookie.
pub fn registration_of(key: &AttemptKey, value: &str) -> Option<(Kvk, String)> {
    let (body, mac) = value.rsplit_once('.')?;
    if !secrets::constant_time_eq(&key.derive("registratie", body), mac) {
        return None;
    }
    let mut parts = body.split('.');
    let (kvk, acting, expires) = (parts.next()?, parts.next()?, parts.next()?);
    let expires: i64 = expires.parse().ok()?;
    if expires < crate::clock::now().and_utc().timestamp() {
        return None;
    }
    let acting = (0..acting.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(acting.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()
        .and_then(|bytes| String::from_utf8(bytes).ok())?;
    Some((Kvk::try_from(kvk).ok()?, acting))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(claims: serde_json::Value, acr: Option<&str>) -> Person {
        Person {
            issuer: "https://broker.example".into(),
            subject: "s".into(),
            email: None,
            email_verified: false,
            name: None,
            acr: acr.map(str::to_owned),
            claims: claims.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn levels_are_ordered_and_the_minimum_holds() {
        assert!(level("urn:etoegang:core:assurance-class:loa2") < level("loa2plus"));
        assert!(level("loa2plus") < level("urn:etoegang:core:assurance-class:loa3"));
        assert!(level("loa3") < level("loa4"));
        assert_eq!(level("loa5"), None);
        let claims = serde_json::json!({
            LEGAL_SUBJECT: "12345678", ACTING_SUBJECT: "abc", BRANCH: "000012345678"
        });
        let loa3 = level("loa3").unwrap_or(2);
        let low = read(
            &person(
                claims.clone(),
                Some("urn:etoegang:core:assurance-class:loa2plus"),
            ),
            loa3,
        );
        assert!(matches!(low, Err(Refusal::LevelTooLow { .. })));
        assert!(
            read(&person(claims.clone(), None), loa3).is_err(),
            "no level: refused"
        );
        let ok = read(
            &person(claims, Some("urn:etoegang:core:assurance-class:loa4")),
            loa3,
        );
        assert_eq!(
            ok.map(|c| (c.kvk.into_string(), c.acting, c.branch)),
            Ok(("12345678".into(), "abc".into(), Some("000012345678".into())))
        );
    }

    #[test]
    fn the_legal_subject_may_be_qualified_and_an_rsin_is_named() {
        let loa = serde_json::json!("urn:etoegang:core:assurance-class:loa3");
        let qualified = serde_json::json!({
            LEGAL_SUBJECT: { "value": "87654321", "namequalifier": "urn:etoegang:1.9:EntityConcernedID:KvKnr" },
            ACTING_SUBJECT: "x", LEVEL_CLAIM: loa,
        });
        assert!(read(&person(qualified, None), 2).is_ok());
        let rsin = serde_json::json!({
            LEGAL_SUBJECT: { "value": "123456789", "namequalifier": RSIN_QUALIFIER },
            ACTING_SUBJECT: "x", LEVEL_CLAIM: loa,
        });
        assert_eq!(read(&person(rsin, None), 2), Err(Refusal::Rsin));
    }

    #[test]
    fn the_registration_cookie_cannot_be_changed() {
        let key = AttemptKey::new("a secret of at least thirty-two characters");
        let company = Company {
            kvk: Kvk::try_from("12345678").expect("kvk"),
            acting: "medewerker.1/é".into(),
            branch: None,
        };
        let value = registration_value(&key, &company);
        assert_eq!(
            registration_of(&key, &value).map(|(k, a)| (k.into_string(), a)),
            Some(("12345678".into(), "medewerker.1/é".into()))
        );
        let forged = value.replacen("12345678", "87654321", 1);
        assert_eq!(registration_of(&key, &forged), None);
        let other = AttemptKey::new("another secret of thirty-two characters!");
        assert_eq!(registration_of(&other, &value), None);
    }
}

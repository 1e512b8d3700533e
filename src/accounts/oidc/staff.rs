//! Who of the organisation's people may enter: decided here, not by the token.

use super::{Person, identities};
use crate::accounts::model::{self, Role};
use crate::db::DbConnection;
use crate::web::AppError;

/// A session may begin for this account.
#[derive(Debug, Clone, Copy)]
pub struct Admitted {
    pub id: i64,
    pub version: i32,
    pub role: Role,
}

#[derive(Debug)]
pub enum Decision {
    Admitted(Admitted),
    /// Unknown to the portal: the request is noted for the beheerders.
    NoAccess,
    /// The account is deactivated; its sessions have ended.
    Deactivated,
    /// The organisation does not give the required role; any sessions have ended.
    MissingRole,
}

/// Finds the account by issuer and subject; on the first sign-in links the account with
/// the same address, only if the provider verified that address, and never a provider's
/// account. `admitted_by_organisation` is the required-role check.
pub fn decide(
    conn: &mut DbConnection,
    person: &Person,
    admitted_by_organisation: bool,
) -> Result<Decision, AppError> {
    conn.write_transaction(|conn| {
        let mut user = identities::user_of(conn, &person.issuer, &person.subject)?;
        if user.is_none() && person.email_verified {
            let by_address = match person.email.as_deref() {
                Some(email) => model::find_by_email(conn, email)?,
                None => None,
            };
            if let Some(found) = by_address.filter(|u| u.role != Role::Aanbieder) {
                identities::link(conn, &person.issuer, &person.subject, found.id)?;
                identities::settle_invitation(conn, &found)?;
                crate::audit::action(
                    conn,
                    Some(found.id),
                    "organisatieaccount gekoppeld",
                    "user",
                    Some(found.id),
                )?;
                user = model::find(conn, found.id)?;
            }
        }
        let Some(user) = user else {
            if !admitted_by_organisation {
                return Ok(Decision::MissingRole);
            }
            identities::request_access(conn, person)?;
            return Ok(Decision::NoAccess);
        };
        if !user.active || user.role == Role::Aanbieder {
            model::end_all_sessions(conn, user.id)?;
            return Ok(Decision::Deactivated);
        }
        if !admitted_by_organisation {
            model::end_all_sessions(conn, user.id)?;
            crate::audit::action(
                conn,
                Some(user.id),
                "geweigerd: rol ontbreekt bij organisatie",
                "user",
                Some(user.id),
            )?;
            return Ok(Decision::MissingRole);
        }
        model::record_sign_in(conn, user.id)?;
        let version = model::find(conn, user.id)?.map_or(user.token_version, |u| u.token_version);
        Ok(Decision::Admitted(Admitted {
            id: user.id,
            version,
            role: user.role,
        }))
    })
}

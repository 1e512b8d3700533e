//! Who of the organisation's people may enter: decided here, not by the token.

use super::{Person, identities};
use crate::accounts::model::{self, Role, User};
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
    /// The organisation does not give the required role; `ended`: the person's account
    /// had sessions, and they have ended.
    MissingRole {
        ended: bool,
    },
}

/// Finds the account by issuer and subject. On the first sign-in (the account has no
/// identity at this issuer yet) links the staff account with the same address, only if the
/// provider verified that address. The organisation's role (`admitted_by_organisation`) is
/// checked first, every time.
pub fn decide(
    conn: &mut DbConnection,
    person: &Person,
    admitted_by_organisation: bool,
) -> Result<Decision, AppError> {
    conn.write_transaction(|conn| {
        let linked = identities::user_of(conn, &person.issuer, &person.subject)?;
        if !admitted_by_organisation {
            let ended = match linked {
                Some(user) => {
                    model::end_all_sessions(conn, user.id)?;
                    crate::audit::action(
                        conn,
                        Some(user.id),
                        "geweigerd: rol ontbreekt bij organisatie",
                        "user",
                        Some(user.id),
                    )?;
                    true
                }
                None => false,
            };
            return Ok(Decision::MissingRole { ended });
        }
        let user = match linked {
            Some(user) => Some(user),
            None => link_by_address(conn, person)?,
        };
        let Some(user) = user else {
            identities::request_access(conn, person)?;
            return Ok(Decision::NoAccess);
        };
        if user.role == Role::Aanbieder {
            // A provider's account signs in with eHerkenning or its password, not here.
            return Ok(Decision::NoAccess);
        }
        if !user.active {
            model::end_all_sessions(conn, user.id)?;
            return Ok(Decision::Deactivated);
        }
        // Read in this transaction (linking does not change the version): no second read.
        model::record_sign_in(conn, user.id)?;
        Ok(Decision::Admitted(Admitted {
            id: user.id,
            version: user.token_version,
            role: user.role,
        }))
    })
}

/// The first sign-in of a person whose address the provider verified: the staff account
/// with that address, if it has no identity at this issuer yet, is linked to this subject.
fn link_by_address(conn: &mut DbConnection, person: &Person) -> Result<Option<User>, AppError> {
    let Some(email) = person.email.as_deref().filter(|_| person.email_verified) else {
        return Ok(None);
    };
    let Some(found) = model::find_by_email(conn, email)?.filter(|u| u.role != Role::Aanbieder)
    else {
        return Ok(None);
    };
    if identities::has_identity_at(conn, &person.issuer, found.id)? {
        return Ok(None);
    }
    identities::link(conn, &person.issuer, &person.subject, found.id)?;
    identities::settle_invitation(conn, &found)?;
    crate::audit::action(
        conn,
        Some(found.id),
        "organisatieaccount gekoppeld",
        "user",
        Some(found.id),
    )?;
    Ok(model::find(conn, found.id)?)
}

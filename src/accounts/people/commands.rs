//! The changes a beheerder makes to accounts, and a provider's invitation of a colleague.
//! Each is one transaction with its audit line; the scope rule is `scope`, checked inside
//! the transaction against the stored account.

use diesel::prelude::*;

use super::{queries, scope};
use crate::accounts::links::{self, Purpose};
use crate::accounts::model::{self, Affiliation, NewUser, Role, User};
use crate::db::DbConnection;
use crate::db::schema::{api_tokens, users};
use crate::domain::email::Email;
use crate::domain::principal::Principal;
use crate::mail::{self, templates};
use crate::reference::model::ReferenceData;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::{AppError, FieldError};

/// Who acts: the signed-in user, and the reference data its scope is read against.
pub struct Actor<'a> {
    pub user: &'a SessionUser,
    pub reference: &'a ReferenceData,
    pub public_url: &'a str,
}

impl Actor<'_> {
    fn principal(&self) -> Principal {
        self.user.principal
    }

    /// Inside the transaction: the actor is still an active account with the role and scope
    /// it signed in with (two beheerders changing each other at once cannot both win).
    pub(super) fn still_may_act(&self, conn: &mut DbConnection) -> Result<(), AppError> {
        let now = model::find(conn, self.user.id)?
            .filter(|u| u.active)
            .and_then(SessionUser::of)
            .map(|u| u.principal);
        if now == Some(self.principal()) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "Uw account is intussen gewijzigd. Log opnieuw in.".into(),
            ))
        }
    }

    /// The account, if this actor may manage it; else "not found" (another region's
    /// accounts do not exist for a regional beheerder).
    pub fn target(&self, conn: &mut DbConnection, id: i64) -> Result<User, AppError> {
        model::find(conn, id)?
            .filter(|u| scope::may_manage(self.principal(), u, self.reference))
            .ok_or(AppError::NotFound)
    }
}

/// Name, e-mail, role and link of a new account.
pub struct Invite {
    pub name: String,
    pub email: Email,
    pub role: Role,
    pub affiliation: Affiliation,
}

pub(super) fn refused(field: &str, message: &str) -> AppError {
    AppError::InvalidInput(vec![FieldError::new(field, message)])
}

pub(super) fn role_label(
    reference: &ReferenceData,
    role: Role,
    affiliation: Affiliation,
) -> String {
    let place = match affiliation {
        Affiliation::Region(id) => reference.region(id).map(|r| format!("regio {}", r.name)),
        Affiliation::Municipality(id) => reference
            .municipality(id)
            .map(|m| format!("gemeente {}", m.name)),
        _ => None,
    };
    match (role, place) {
        (Role::Beheerder, None) => "beheerder van alle regio's".into(),
        (Role::Aanbieder, _) => "medewerker van uw organisatie".into(),
        (role, Some(place)) => format!("{} voor {place}", role.label().to_lowercase()),
        (role, None) => role.label().to_lowercase(),
    }
}

fn send_invitation(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    user_id: i64,
    name: &str,
    email: &str,
    label: &str,
) -> Result<(), AppError> {
    let token = links::create(conn, user_id, Purpose::Invitation)?;
    mail::queue_and_forget(
        conn,
        &templates::invitation(
            email,
            name,
            &actor.user.name,
            label,
            &format!("{}/uitnodiging/{token}", actor.public_url),
        ),
    )?;
    Ok(())
}

/// Makes an account without a password and mails its holder a link to set one.
pub fn invite(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    invite: &Invite,
) -> Result<i64, AppError> {
    if let Some((field, message)) = scope::refuse_assignment(
        actor.principal(),
        invite.role,
        invite.affiliation,
        actor.reference,
    ) {
        return Err(refused(field, message));
    }
    conn.write_transaction(|conn| {
        if model::find_by_email(conn, invite.email.as_str())?.is_some() {
            return Err(refused(
                "email",
                if matches!(actor.principal(), Principal::Beheerder(_)) {
                    "Er is al een account met dit e-mailadres. Zoek het op in de lijst van gebruikers."
                } else {
                    "Dit e-mailadres kunnen wij niet uitnodigen. Heeft uw collega al een account? Vraag dan de beheerder van de regio."
                },
            ));
        }
        let id = NewUser {
            email: invite.email.as_str(),
            name: &invite.name,
            // No password yet: an empty hash never matches (`password::verify`).
            password_hash: "",
            role: invite.role,
            affiliation: invite.affiliation,
            verified: false,
        }
        .insert(conn)?;
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: Some(actor.user.id),
                action: "uitgenodigd",
                entity: "user",
                entity_id: Some(id),
                field: "rol",
                old_value: None,
                new_value: Some(&role_label(actor.reference, invite.role, invite.affiliation)),
            },
        )?;
        send_invitation(
            conn,
            actor,
            id,
            &invite.name,
            invite.email.as_str(),
            &role_label(actor.reference, invite.role, invite.affiliation),
        )?;
        Ok(id)
    })
}

fn pending(user: &User) -> Result<(), AppError> {
    if user.is_invited() && user.active {
        Ok(())
    } else {
        Err(AppError::Conflict(
            "Deze persoon heeft de uitnodiging al gebruikt of is gedeactiveerd.".into(),
        ))
    }
}

/// A new link (the old one stops working) and a new mail.
pub fn resend(conn: &mut DbConnection, actor: &Actor<'_>, id: i64) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let user = actor.target(conn, id)?;
        pending(&user)?;
        crate::audit::action(
            conn,
            Some(actor.user.id),
            "uitnodiging opnieuw verstuurd",
            "user",
            Some(id),
        )?;
        let label = role_label(actor.reference, user.role, user.affiliation());
        send_invitation(conn, actor, id, &user.name, &user.email, &label)
    })
}

/// Withdraws an unused invitation: the link stops working and the account is gone (it
/// never did anything); the audit log keeps that it was withdrawn, by whom.
pub fn withdraw(conn: &mut DbConnection, actor: &Actor<'_>, id: i64) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let user = actor.target(conn, id)?;
        pending(&user)?;
        // SQLite may give the id to the next account: no line of the log names it any more
        // (the withdrawal keeps the name, not the id).
        diesel::update(
            crate::db::schema::audit_log::table
                .filter(crate::db::schema::audit_log::entity.eq("user"))
                .filter(crate::db::schema::audit_log::entity_id.eq(id)),
        )
        .set(crate::db::schema::audit_log::entity_id.eq(None::<i64>))
        .execute(conn)?;
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: Some(actor.user.id),
                action: "uitnodiging ingetrokken",
                entity: "user",
                entity_id: None,
                field: "naam",
                old_value: Some(&user.name),
                new_value: None,
            },
        )?;
        diesel::delete(users::table.find(id)).execute(conn)?;
        Ok(())
    })
}

/// The new role and link of an account.
pub struct Change {
    pub role: Role,
    pub affiliation: Affiliation,
}

fn describe(reference: &ReferenceData, role: Role, affiliation: Affiliation) -> String {
    let link = match affiliation {
        Affiliation::Municipality(id) => reference.municipality(id).map(|m| m.name.clone()),
        Affiliation::Region(id) => reference.region(id).map(|r| r.name.clone()),
        Affiliation::Provider(id) => Some(format!("aanbieder {id}")),
        Affiliation::None => None,
    };
    match link {
        Some(link) => format!("{} ({link})", role.label()),
        None => role.label().to_owned(),
    }
}

/// Refuses a change that would leave the installation without a beheerder of every region.
fn keeps_a_beheerder(conn: &mut DbConnection, target: &User) -> Result<(), AppError> {
    let installation = target.role == Role::Beheerder && target.region_id.is_none();
    if installation && target.active && queries::installation_beheerders(conn)? <= 1 {
        return Err(AppError::Conflict(
            "Dit is de laatste beheerder van alle regio's. Maak eerst een andere beheerder, dan kunt u dit doen.".into(),
        ));
    }
    Ok(())
}

/// Gives an account another role or link. Sessions end, so the new rights apply at once.
pub fn change(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    id: i64,
    change: &Change,
) -> Result<(), AppError> {
    if id == actor.user.id {
        return Err(refused(
            "rol",
            "U kunt uw eigen rol niet wijzigen. Vraag een andere beheerder.",
        ));
    }
    if let Some((field, message)) = scope::refuse_assignment(
        actor.principal(),
        change.role,
        change.affiliation,
        actor.reference,
    ) {
        return Err(refused(field, message));
    }
    conn.write_transaction(|conn| {
        conn.serialise_on("beheerders")?;
        actor.still_may_act(conn)?;
        let user = actor.target(conn, id)?;
        if user.role == Role::Aanbieder {
            return Err(AppError::Conflict(
                "Een account van een aanbieder hoort bij die aanbieder; de rol kan niet veranderen.".into(),
            ));
        }
        let before = describe(actor.reference, user.role, user.affiliation());
        let after = describe(actor.reference, change.role, change.affiliation);
        if before == after {
            return Ok(());
        }
        keeps_a_beheerder(conn, &user)?;
        let (municipality, region) = match change.affiliation {
            Affiliation::Municipality(m) => (Some(m), None),
            Affiliation::Region(r) => (None, Some(r)),
            _ => (None, None),
        };
        diesel::update(users::table.find(id))
            .set((
                users::role.eq(change.role),
                users::municipality_id.eq(municipality),
                users::region_id.eq(region),
                users::token_version.eq(users::token_version + 1),
                users::updated_at.eq(crate::clock::now()),
            ))
            .execute(conn)?;
        crate::audit::fields(conn, Some(actor.user.id), "user", id, &[("rol", before, after)])?;
        Ok(())
    })
}

/// Deactivates an account: every session, link and API token of the person ends at once;
/// what it did stays, with its name.
pub fn deactivate(conn: &mut DbConnection, actor: &Actor<'_>, id: i64) -> Result<(), AppError> {
    if id == actor.user.id {
        return Err(AppError::Conflict(
            "U kunt uzelf niet deactiveren. Vraag een andere beheerder.".into(),
        ));
    }
    conn.write_transaction(|conn| {
        conn.serialise_on("beheerders")?;
        actor.still_may_act(conn)?;
        let user = actor.target(conn, id)?;
        if !user.active {
            return Ok(());
        }
        keeps_a_beheerder(conn, &user)?;
        let now = crate::clock::now();
        diesel::update(users::table.find(id))
            .set((
                users::active.eq(false),
                users::token_version.eq(users::token_version + 1),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(
            api_tokens::table
                .filter(api_tokens::user_id.eq(id))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(Some(now)))
        .execute(conn)?;
        links::end_all(conn, id)?;
        crate::audit::action(conn, Some(actor.user.id), "gedeactiveerd", "user", Some(id))?;
        Ok(())
    })
}

/// Lets a deactivated account sign in again (its old sessions and tokens stay ended).
pub fn reactivate(conn: &mut DbConnection, actor: &Actor<'_>, id: i64) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let user = actor.target(conn, id)?;
        if user.active {
            return Ok(());
        }
        diesel::update(users::table.find(id))
            .set((
                users::active.eq(true),
                users::updated_at.eq(crate::clock::now()),
            ))
            .execute(conn)?;
        crate::audit::action(
            conn,
            Some(actor.user.id),
            "opnieuw geactiveerd",
            "user",
            Some(id),
        )?;
        Ok(())
    })
}

/// Runs one command as the signed-in user, with the reference data its scope is read
/// against, on the blocking pool.
pub async fn act<F, T>(state: &AppState, user: &SessionUser, command: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConnection, &Actor<'_>) -> Result<T, AppError> + Send + 'static,
{
    let cache = state.reference.clone();
    let actor_user = user.clone();
    let public_url = state.public_url.clone();
    state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let actor = Actor {
                user: &actor_user,
                reference: &reference,
                public_url: &public_url,
            };
            command(conn, &actor)
        })
        .await
}

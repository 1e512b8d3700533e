//! One demo user of each role. Their passwords are derived from the site's signing key, so
//! they differ per installation, are never stored in plain text, and can be printed at every
//! start in demo mode (and only then).

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::accounts::{Affiliation, NewUser, Role, model, password};
use crate::db::DbConnection;
use crate::db::schema::{municipalities, providers, regions};

pub struct DemoAccount {
    pub role: Role,
    pub email: &'static str,
    pub name: &'static str,
    pub password: String,
    /// Where it works, as printed beside it: "Delft", "regio Haaglanden".
    pub works_for: &'static str,
}

pub const CONTRACT_MANAGER: &str = "contractmanager@demo.jeugdhulpcatalogus.nl";
pub const ACCESS_WORKER: &str = "toegang@demo.jeugdhulpcatalogus.nl";
/// Reads Delft's monitor.
pub const POLICY_OFFICER: &str = "beleid@demo.jeugdhulpcatalogus.nl";
/// The beheerder of Haaglanden only (a regional beheerder).
pub const REGIONAL_BEHEERDER: &str = "beheerder-haaglanden@demo.jeugdhulpcatalogus.nl";
/// Invited by the regional beheerder; has not chosen a password yet.
pub const INVITED_WORKER: &str = "nieuw@demo.jeugdhulpcatalogus.nl";

pub fn demo_accounts(secret: &str) -> Vec<DemoAccount> {
    [
        (
            Role::Beheerder,
            "beheerder@demo.jeugdhulpcatalogus.nl",
            "Bea Beheer",
            "alle regio's",
        ),
        (
            Role::Beheerder,
            REGIONAL_BEHEERDER,
            "Henk Haaglanden",
            "regio Haaglanden",
        ),
        (
            Role::Contractmanager,
            CONTRACT_MANAGER,
            "Carla Contract",
            "regio Haaglanden",
        ),
        (
            Role::Toegangsmedewerker,
            ACCESS_WORKER,
            "Tim Toegang",
            "Delft",
        ),
        (
            Role::Beleidsmedewerker,
            POLICY_OFFICER,
            "Bram Beleid",
            "Delft",
        ),
        (
            Role::Aanbieder,
            "aanbieder@demo.jeugdhulpcatalogus.nl",
            "Anna Aanbieder",
            "de eerste aanbieder",
        ),
    ]
    .into_iter()
    .map(|(role, email, name, works_for)| {
        let digest = Sha256::digest(format!("demo-password:{email}:{secret}").as_bytes());
        let code = crate::accounts::secrets::hex(&digest[..6]);
        DemoAccount {
            role,
            email,
            name,
            password: format!("demo-{}-{}", &code[..6], &code[6..]),
            works_for,
        }
    })
    .collect()
}

/// Creates the demo users that do not exist yet: a beheerder of every region and one of
/// Haaglanden, a contract manager of Haaglanden, an access worker of Delft, and a user of
/// the first demo provider; and a worker the regional beheerder has invited.
pub fn ensure_demo_users(conn: &mut DbConnection, secret: &str) -> anyhow::Result<()> {
    let region: i64 = regions::table
        .filter(regions::slug.eq(super::DEMO_REGION))
        .select(regions::id)
        .first(conn)?;
    for account in demo_accounts(secret) {
        if model::find_by_email(conn, account.email)?.is_some() {
            continue;
        }
        let affiliation = match account.role {
            Role::Beheerder if account.email == REGIONAL_BEHEERDER => Affiliation::Region(region),
            Role::Beheerder => Affiliation::None,
            Role::Contractmanager => Affiliation::Region(region),
            Role::Toegangsmedewerker | Role::Beleidsmedewerker => Affiliation::Municipality(
                municipalities::table
                    .filter(municipalities::slug.eq(super::DEMO_MUNICIPALITY))
                    .select(municipalities::id)
                    .first(conn)?,
            ),
            Role::Aanbieder => {
                let Some(id) = providers::table
                    .order(providers::id)
                    .select(providers::id)
                    .first::<i64>(conn)
                    .optional()?
                else {
                    continue;
                };
                Affiliation::Provider(id)
            }
        };
        let hash = password::hash(&account.password)?;
        NewUser {
            email: account.email,
            name: account.name,
            password_hash: &hash,
            role: account.role,
            affiliation,
            verified: true,
        }
        .insert(conn)?;
    }
    invite_a_worker(conn)
}

/// A pending invitation: the regional beheerder invited a worker of Delft, who has not
/// chosen a password. The link itself is not kept; the beheerder can send a new one.
fn invite_a_worker(conn: &mut DbConnection) -> anyhow::Result<()> {
    let Some(by) = model::find_by_email(conn, REGIONAL_BEHEERDER)? else {
        return Ok(());
    };
    if model::find_by_email(conn, INVITED_WORKER)?.is_some() {
        return Ok(());
    }
    let delft: i64 = municipalities::table
        .filter(municipalities::slug.eq(super::DEMO_MUNICIPALITY))
        .select(municipalities::id)
        .first(conn)?;
    let id = NewUser {
        email: INVITED_WORKER,
        name: "Nina Nieuw",
        password_hash: "",
        role: Role::Toegangsmedewerker,
        affiliation: Affiliation::Municipality(delft),
        verified: false,
    }
    .insert(conn)?;
    crate::accounts::links::create(conn, id, crate::accounts::links::Purpose::Invitation)?;
    crate::audit::record(
        conn,
        &crate::audit::Change {
            user_id: Some(by.id),
            action: "uitgenodigd",
            entity: "user",
            entity_id: Some(id),
            field: "rol",
            old_value: None,
            new_value: Some("toegangsmedewerker"),
        },
    )?;
    Ok(())
}

/// The user who acts for a demo provider: the demo provider's own account, or for another
/// provider a colleague without a password (nobody signs in as them; they only appear in the
/// history as the one who submitted).
pub fn provider_user(conn: &mut DbConnection, provider_id: i64) -> anyhow::Result<i64> {
    use crate::db::schema::users;
    let found: Option<i64> = users::table
        .filter(users::provider_id.eq(provider_id))
        .order(users::id)
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let (slug, name): (String, String) = providers::table
        .find(provider_id)
        .select((providers::slug, providers::name))
        .first(conn)?;
    Ok(NewUser {
        email: &format!("cijfers@{slug}.example"),
        name: &format!("Kwaliteitsmedewerker {name}"),
        // Not a hash: no password can match it.
        password_hash: "!no-password",
        role: Role::Aanbieder,
        affiliation: Affiliation::Provider(provider_id),
        verified: true,
    }
    .insert(conn)?)
}

//! `create-user` on the command line.

use diesel::prelude::*;

use super::{Affiliation, NewUser, Role, model, password};
use crate::config::CreateUser;
use crate::db::DbConnection;
use crate::db::schema::{municipalities, providers, regions};

pub fn create_user(conn: &mut DbConnection, args: &CreateUser, plain: &str) -> anyhow::Result<()> {
    let role = Role::parse(&args.role).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown role '{}': use aanbieder, toegangsmedewerker, contractmanager or beheerder",
            args.role
        )
    })?;
    let email = model::normalise_email(&args.email);
    anyhow::ensure!(
        model::plausible_email(&email),
        "'{}' is not an e-mail address",
        args.email
    );
    if let Some(problem) = password::problem(plain, &email) {
        anyhow::bail!("password refused: {problem}");
    }
    anyhow::ensure!(
        model::find_by_email(conn, &email)?.is_none(),
        "a user with {email} exists already"
    );
    let need = |value: &Option<String>, flag: &str| {
        value
            .clone()
            .ok_or_else(|| anyhow::anyhow!("a {} needs --{flag}", role.as_str()))
    };
    let affiliation = match role {
        Role::Beheerder => Affiliation::None,
        Role::Aanbieder => {
            let slug = need(&args.provider, "provider")?;
            Affiliation::Provider(
                providers::table
                    .filter(providers::slug.eq(&slug))
                    .select(providers::id)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| anyhow::anyhow!("no provider '{slug}'"))?,
            )
        }
        Role::Toegangsmedewerker | Role::Beleidsmedewerker => {
            let slug = need(&args.municipality, "municipality")?;
            Affiliation::Municipality(
                municipalities::table
                    .filter(municipalities::slug.eq(&slug))
                    .select(municipalities::id)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| anyhow::anyhow!("no municipality '{slug}'"))?,
            )
        }
        Role::Contractmanager => {
            let slug = need(&args.region, "region")?;
            Affiliation::Region(
                regions::table
                    .filter(regions::slug.eq(&slug))
                    .select(regions::id)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| anyhow::anyhow!("no region '{slug}'"))?,
            )
        }
    };
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| email.split('@').next().unwrap_or("").to_owned());
    let hash = password::hash(plain)?;
    let id = NewUser {
        email: &email,
        name: &name,
        password_hash: &hash,
        role,
        affiliation,
        verified: true,
    }
    .insert(conn)?;
    crate::audit::action(
        conn,
        None,
        "gebruiker aangemaakt (opdrachtregel)",
        "user",
        Some(id),
    )?;
    Ok(())
}

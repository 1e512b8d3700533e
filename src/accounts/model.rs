//! Users and their roles.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::users;

pub use crate::domain::role::Role;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub provider_id: Option<i64>,
    pub municipality_id: Option<i64>,
    pub region_id: Option<i64>,
    pub email_verified_at: Option<NaiveDateTime>,
    pub token_version: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_sign_in_at: Option<NaiveDateTime>,
}

impl User {
    pub fn role(&self) -> Role {
        self.role
    }

    /// The link this account's role has.
    pub fn affiliation(&self) -> Affiliation {
        match (self.provider_id, self.municipality_id, self.region_id) {
            (Some(id), _, _) => Affiliation::Provider(id),
            (_, Some(id), _) => Affiliation::Municipality(id),
            (_, _, Some(id)) => Affiliation::Region(id),
            _ => Affiliation::None,
        }
    }

    /// Invited, and no password set yet.
    pub fn is_invited(&self) -> bool {
        self.password_hash.is_empty()
    }
}

/// Notes a successful sign-in, for the list of accounts.
pub fn record_sign_in(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_sign_in_at.eq(Some(crate::clock::now())))
        .execute(conn)
        .map(|_| ())
}

/// The link a role needs: the provider, municipality or region the user works for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affiliation {
    Provider(i64),
    Municipality(i64),
    Region(i64),
    None,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub affiliation: Affiliation,
    pub verified: bool,
}

/// E-mail addresses are compared without case and surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Whether this is an address the mailer can send to ([`crate::domain::email::Email`], the
/// one parser every form uses).
pub fn plausible_email(email: &str) -> bool {
    crate::domain::email::Email::parse(email).is_ok()
}

impl NewUser<'_> {
    pub fn insert(&self, conn: &mut DbConnection) -> QueryResult<i64> {
        let now = crate::clock::now();
        let (provider, municipality, region) = match (self.role, self.affiliation) {
            (Role::Aanbieder, Affiliation::Provider(id)) => (Some(id), None, None),
            (Role::Toegangsmedewerker | Role::Beleidsmedewerker, Affiliation::Municipality(id)) => {
                (None, Some(id), None)
            }
            (Role::Contractmanager, Affiliation::Region(id)) => (None, None, Some(id)),
            (Role::Beheerder, Affiliation::None) => (None, None, None),
            (Role::Beheerder, Affiliation::Region(id)) => (None, None, Some(id)),
            _ => return Err(diesel::result::Error::RollbackTransaction),
        };
        diesel::insert_into(users::table)
            .values((
                users::email.eq(normalise_email(self.email)),
                users::name.eq(self.name.trim()),
                users::password_hash.eq(self.password_hash),
                users::role.eq(self.role),
                users::provider_id.eq(provider),
                users::municipality_id.eq(municipality),
                users::region_id.eq(region),
                users::email_verified_at.eq(self.verified.then_some(now)),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)
    }
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(normalise_email(email)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Sets a new password and ends every session of the user.
pub fn set_password(conn: &mut DbConnection, id: i64, password_hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(crate::clock::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// "Log out everywhere": every session issued so far stops working.
pub fn end_all_sessions(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)
        .map(|_| ())
}

pub fn mark_verified(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .filter(users::email_verified_at.is_null())
        .set(users::email_verified_at.eq(crate::clock::now()))
        .execute(conn)
        .map(|_| ())
}

/// Contract managers of a region, for the mail about a new registration.
pub fn contract_managers(conn: &mut DbConnection, region_id: i64) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::region_id.eq(region_id))
        .filter(users::role.eq(Role::Contractmanager))
        .filter(users::active.eq(true))
        .select(User::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser itself is tested in `domain::email`; this is the wrapper the forms call.
    #[test]
    fn email_addresses_are_checked_by_the_one_parser_and_compared_without_case() {
        assert!(plausible_email("info@de-kompas.nl"));
        assert!(!plausible_email("a..b@x.nl"));
        assert_eq!(normalise_email("  Info@Kompas.NL "), "info@kompas.nl");
    }
}

//! Who a provider says a user is (issuer and subject), and the requests for access of
//! people the portal does not know yet.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Person;
use crate::accounts::model::{self, User};
use crate::db::DbConnection;
use crate::db::schema::{access_requests, user_identities, users};

/// The password hash of an account that signs in only through a provider: never a valid
/// hash, so no password matches it; not empty, so the account is not "invited".
pub const NO_PASSWORD: &str = "!extern";

/// The account linked to this issuer and subject.
pub fn user_of(conn: &mut DbConnection, issuer: &str, subject: &str) -> QueryResult<Option<User>> {
    user_identities::table
        .inner_join(users::table)
        .filter(user_identities::issuer.eq(issuer))
        .filter(user_identities::subject.eq(subject))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Whether the account has an identity at this issuer already (then a second subject with
/// the same address is not linked to it).
pub fn has_identity_at(conn: &mut DbConnection, issuer: &str, user_id: i64) -> QueryResult<bool> {
    let found: i64 = user_identities::table
        .filter(user_identities::issuer.eq(issuer))
        .filter(user_identities::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Links an issuer and subject to an account, for good; a request for access of the same
/// person has then been answered and goes.
pub fn link(conn: &mut DbConnection, issuer: &str, subject: &str, user_id: i64) -> QueryResult<()> {
    diesel::insert_into(user_identities::table)
        .values((
            user_identities::issuer.eq(issuer),
            user_identities::subject.eq(subject),
            user_identities::user_id.eq(user_id),
            user_identities::created_at.eq(crate::clock::now()),
        ))
        .execute(conn)?;
    diesel::delete(
        access_requests::table
            .filter(access_requests::issuer.eq(issuer))
            .filter(access_requests::subject.eq(subject)),
    )
    .execute(conn)
    .map(|_| ())
}

/// An invited account that is linked has no password to choose any more: its address is
/// as good as verified, and its invitation link stops working.
pub fn settle_invitation(conn: &mut DbConnection, user: &User) -> QueryResult<()> {
    if user.is_invited() {
        diesel::update(users::table.find(user.id))
            .set((
                users::password_hash.eq(NO_PASSWORD),
                users::updated_at.eq(crate::clock::now()),
            ))
            .execute(conn)?;
    }
    model::mark_verified(conn, user.id)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_requests)]
pub struct AccessRequest {
    pub id: i64,
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
    pub requested_at: NaiveDateTime,
}

/// Notes (or renews) the request of a person the portal does not know.
pub fn request_access(conn: &mut DbConnection, person: &Person) -> QueryResult<()> {
    let email = person
        .email
        .as_deref()
        .map(model::normalise_email)
        .unwrap_or_default();
    let name = person.name.clone().unwrap_or_default();
    let now = crate::clock::now();
    let updated = diesel::update(
        access_requests::table
            .filter(access_requests::issuer.eq(&person.issuer))
            .filter(access_requests::subject.eq(&person.subject)),
    )
    .set((
        access_requests::email.eq(&email),
        access_requests::email_verified.eq(person.email_verified),
        access_requests::name.eq(&name),
        access_requests::requested_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(access_requests::table)
            .values((
                access_requests::issuer.eq(&person.issuer),
                access_requests::subject.eq(&person.subject),
                access_requests::email.eq(&email),
                access_requests::email_verified.eq(person.email_verified),
                access_requests::name.eq(&name),
                access_requests::requested_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The open requests, newest first.
pub fn requests(conn: &mut DbConnection) -> QueryResult<Vec<AccessRequest>> {
    access_requests::table
        .order((
            access_requests::requested_at.desc(),
            access_requests::id.desc(),
        ))
        .select(AccessRequest::as_select())
        .limit(200)
        .load(conn)
}

pub fn request(conn: &mut DbConnection, id: i64) -> QueryResult<Option<AccessRequest>> {
    access_requests::table
        .find(id)
        .select(AccessRequest::as_select())
        .first(conn)
        .optional()
}

pub fn remove_request(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(access_requests::table.find(id)).execute(conn)
}

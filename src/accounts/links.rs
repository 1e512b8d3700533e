//! Single-use, expiring links for address verification, password reset and invitations.
//! The link holds a random token; the database holds only its hash.

use chrono::TimeDelta;
use diesel::prelude::*;

use super::secrets::{random_token, token_hash};
use crate::db::DbConnection;
use crate::db::schema::one_time_tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    /// A new account: the person sets a password with it.
    Invitation,
}

/// What a link is, for a page that says why it no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Valid(i64),
    /// Unused, but past its lifetime: the page says who to ask for a new one.
    Expired(i64),
    /// Used, replaced, withdrawn or never made.
    Unknown,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::Invitation => "invitation",
        }
    }

    fn lifetime(self) -> TimeDelta {
        match self {
            Purpose::VerifyEmail => TimeDelta::hours(48),
            Purpose::ResetPassword => TimeDelta::hours(1),
            Purpose::Invitation => TimeDelta::days(7),
        }
    }
}

/// Makes a new link token for the user; earlier unused ones of the same purpose stop working.
pub fn create(conn: &mut DbConnection, user_id: i64, purpose: Purpose) -> anyhow::Result<String> {
    let token = random_token()?;
    let now = crate::clock::now();
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user_id))
            .filter(one_time_tokens::purpose.eq(purpose.as_str()))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::user_id.eq(user_id),
            one_time_tokens::purpose.eq(purpose.as_str()),
            one_time_tokens::token_hash.eq(token_hash(&token)),
            one_time_tokens::expires_at.eq(now + purpose.lifetime()),
            one_time_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Whether a token is valid, expired (and whose) or unknown, without using it up.
pub fn state(conn: &mut DbConnection, token: &str, purpose: Purpose) -> QueryResult<LinkState> {
    let found: Option<(i64, chrono::NaiveDateTime)> = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash(token)))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .select((one_time_tokens::user_id, one_time_tokens::expires_at))
        .first(conn)
        .optional()?;
    Ok(match found {
        Some((user, expires)) if expires > crate::clock::now() => LinkState::Valid(user),
        Some((user, _)) => LinkState::Expired(user),
        None => LinkState::Unknown,
    })
}

/// Ends every unused link of a user (a withdrawn invitation, a deactivated account).
pub fn end_all(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user_id))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(crate::clock::now())))
    .execute(conn)
}

/// When the user's newest invitation link expires, if it is still unused.
pub fn open_invitation(
    conn: &mut DbConnection,
    user_id: i64,
) -> QueryResult<Option<chrono::NaiveDateTime>> {
    one_time_tokens::table
        .filter(one_time_tokens::user_id.eq(user_id))
        .filter(one_time_tokens::purpose.eq(Purpose::Invitation.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .select(one_time_tokens::expires_at)
        .order(one_time_tokens::expires_at.desc())
        .first(conn)
        .optional()
}

/// The user of a valid, unused, unexpired token, without using it up.
pub fn peek(conn: &mut DbConnection, token: &str, purpose: Purpose) -> QueryResult<Option<i64>> {
    one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash(token)))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(crate::clock::now()))
        .select(one_time_tokens::user_id)
        .first(conn)
        .optional()
}

/// Uses the token up and returns its user; `None` if it was invalid, used or expired.
/// The conditional update makes two simultaneous uses impossible.
pub fn consume(conn: &mut DbConnection, token: &str, purpose: Purpose) -> QueryResult<Option<i64>> {
    let Some(user_id) = peek(conn, token, purpose)? else {
        return Ok(None);
    };
    let used = diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::token_hash.eq(token_hash(token)))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(crate::clock::now())))
    .execute(conn)?;
    Ok((used == 1).then_some(user_id))
}

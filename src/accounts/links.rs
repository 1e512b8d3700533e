//! Single-use, expiring links for address verification and password reset. The link holds
//! a random token; the database holds only its hash.

use chrono::TimeDelta;
use diesel::prelude::*;

use super::secrets::{random_token, token_hash};
use crate::db::DbConnection;
use crate::db::schema::one_time_tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }

    fn lifetime(self) -> TimeDelta {
        match self {
            Purpose::VerifyEmail => TimeDelta::hours(48),
            Purpose::ResetPassword => TimeDelta::hours(1),
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

//! Rate limits on password checks and reset requests, kept in the database so that every
//! node counts the same attempts. An attempt is reserved (counted and stored in one
//! serialised transaction) before the password is hashed, so parallel attempts cannot pass
//! the limit together; a success turns its reservation into a success.
//!
//! Each limit has its own key: logins count per address (`email`), reset requests per
//! `herstel:<email>` (so nobody can lock an account by asking for resets), password changes
//! per `wachtwoord:<user id>`.

use chrono::TimeDelta;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::login_attempts;

/// Failed logins allowed per account, and per address, within the window.
pub const PER_ACCOUNT: i64 = 5;
pub const PER_IP: i64 = 20;
pub const WINDOW_MINUTES: i64 = 15;

/// Whether another attempt for this account from this address must wait.
pub fn blocked(conn: &mut DbConnection, email: &str, ip: &str) -> QueryResult<bool> {
    let since = crate::clock::now() - TimeDelta::minutes(WINDOW_MINUTES);
    let for_account: i64 = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(count_star())
        .first(conn)?;
    if for_account >= PER_ACCOUNT {
        return Ok(true);
    }
    // Per address, each kind of attempt on its own: 21 reset requests from a school's or a
    // municipal office's one address must not lock every login from it.
    let same_ip = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(count_star());
    let for_ip: i64 = match kind_prefix(email) {
        Some(prefix) => same_ip
            .filter(login_attempts::email.like(format!("{prefix}%")))
            .first(conn)?,
        None => same_ip
            .filter(login_attempts::email.not_like(format!("{RESET}%")))
            .filter(login_attempts::email.not_like(format!("{CHANGE}%")))
            .first(conn)?,
    };
    Ok(for_ip >= PER_IP)
}

const RESET: &str = "herstel:";
const CHANGE: &str = "wachtwoord:";

/// The prefix of a key that is not a login (`herstel:`, `wachtwoord:`); `None` for a login's
/// key (an e-mail address).
fn kind_prefix(key: &str) -> Option<&'static str> {
    [RESET, CHANGE].into_iter().find(|p| key.starts_with(p))
}

/// The key under which reset requests for an address are counted.
pub fn reset_key(email: &str) -> String {
    format!("{RESET}{email}")
}

/// The key under which password checks when changing one's password are counted.
pub fn change_key(user_id: i64) -> String {
    format!("{CHANGE}{user_id}")
}

/// Reserves an attempt for this key from this address: `None` when the limit is reached,
/// otherwise the attempt's id (stored as a failure until [`succeeded`] says otherwise).
pub fn reserve(conn: &mut DbConnection, key: &str, ip: &str) -> QueryResult<Option<i64>> {
    conn.write_transaction(|conn| {
        // Counted under a lock per key and per address (always taken in this order).
        conn.serialise_on(key)?;
        conn.serialise_on(ip)?;
        if blocked(conn, key, ip)? {
            return Ok(None);
        }
        insert(conn, key, ip, false).map(Some)
    })
}

/// Stores one attempt; old rows go in the daily purge (`jobs::purge`), not on every login.
fn insert(conn: &mut DbConnection, key: &str, ip: &str, succeeded: bool) -> QueryResult<i64> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(key),
            login_attempts::ip.eq(ip),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::at.eq(crate::clock::now()),
        ))
        .returning(login_attempts::id)
        .get_result(conn)
}

/// How many attempts were counted for the key within the window (any address).
pub fn count(conn: &mut DbConnection, key: &str) -> QueryResult<i64> {
    let since = crate::clock::now() - TimeDelta::minutes(WINDOW_MINUTES);
    login_attempts::table
        .filter(login_attempts::email.eq(key))
        .filter(login_attempts::at.gt(since))
        .select(count_star())
        .first(conn)
}

/// Counts one attempt for the key that is not a password check (a registration sent). It
/// is stored as a success, so it never counts toward the address's login limit.
pub fn note(conn: &mut DbConnection, key: &str, ip: &str) -> QueryResult<()> {
    insert(conn, key, ip, true).map(|_| ())
}

/// The reserved attempt succeeded: it no longer counts, and neither do the key's failures.
pub fn succeeded(conn: &mut DbConnection, attempt: i64, key: &str) -> QueryResult<()> {
    diesel::update(login_attempts::table.find(attempt))
        .set(login_attempts::succeeded.eq(true))
        .execute(conn)?;
    forget_failures(conn, key)
}

/// Clears the failures counted for a key (after a successful password reset, the login
/// failures of the address).
pub fn forget_failures(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(
        login_attempts::table
            .filter(login_attempts::email.eq(key))
            .filter(login_attempts::succeeded.eq(false)),
    )
    .execute(conn)
    .map(|_| ())
}

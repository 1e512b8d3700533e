//! Login rate limits, kept in the database so that every node counts the same attempts.

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
    let for_ip: i64 = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::succeeded.eq(false))
        .filter(login_attempts::at.gt(since))
        .select(count_star())
        .first(conn)?;
    Ok(for_ip >= PER_IP)
}

pub fn record(conn: &mut DbConnection, email: &str, ip: &str, succeeded: bool) -> QueryResult<()> {
    let now = crate::clock::now();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email),
            login_attempts::ip.eq(ip),
            login_attempts::succeeded.eq(succeeded),
            login_attempts::at.eq(now),
        ))
        .execute(conn)?;
    if succeeded {
        // A successful login clears the account's failures.
        diesel::delete(
            login_attempts::table
                .filter(login_attempts::email.eq(email))
                .filter(login_attempts::succeeded.eq(false)),
        )
        .execute(conn)?;
    }
    // Old rows are of no use to anyone.
    diesel::delete(login_attempts::table.filter(login_attempts::at.lt(now - TimeDelta::days(1))))
        .execute(conn)?;
    Ok(())
}

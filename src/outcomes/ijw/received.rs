//! What a provider sent before: each product line of each message once (table
//! `ijw_received`), so a message sent again changes nothing.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::check::Line;
use super::message::Kind;
use crate::db::DbConnection;
use crate::db::bind::BindTimestamp;
use crate::db::schema::ijw_received;
use crate::domain::ids::ProviderId;

/// The (kind, message id, line key) of these lines that were received before.
pub(super) fn before(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    lines: &[Line],
) -> QueryResult<HashSet<(Kind, String, String)>> {
    let ids: BTreeSet<&str> = lines.iter().map(|l| l.message_id.as_str()).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let mut known = HashSet::new();
    for chunk in ids.chunks(5000) {
        let rows: Vec<(i32, String, String)> = ijw_received::table
            .filter(ijw_received::provider_id.eq(provider_id))
            .filter(ijw_received::message_id.eq_any(chunk))
            .select((
                ijw_received::message_code,
                ijw_received::message_id,
                ijw_received::line_key,
            ))
            .load(conn)?;
        for (code, id, key) in rows {
            let kind = if code == Kind::Start.code() {
                Kind::Start
            } else {
                Kind::Stop
            };
            known.insert((kind, id, key));
        }
    }
    Ok(known)
}

/// Records these lines as received.
pub(super) fn record(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    lines: &[Line],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let received: Vec<Received> = lines
        .iter()
        .map(|l| Received {
            provider_id: provider_id.get(),
            message_code: l.kind.code(),
            message_id: l.message_id.clone(),
            line_key: l.key.clone(),
            received_at: BindTimestamp(now),
        })
        .collect();
    crate::bulk_insert_owned!(&mut *conn, ijw_received::table, &received)
}

#[derive(Insertable)]
#[diesel(table_name = ijw_received)]
#[diesel(treat_none_as_default_value = false)]
struct Received {
    provider_id: i64,
    message_code: i32,
    message_id: String,
    line_key: String,
    received_at: BindTimestamp,
}

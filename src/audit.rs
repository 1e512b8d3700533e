//! The audit log: who changed what, when, with the old and the new value. Written in the
//! same transaction as the change itself.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::audit_log;

pub struct Change<'a> {
    pub user_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub field: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
}

pub fn record(conn: &mut DbConnection, change: &Change<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::user_id.eq(change.user_id),
            audit_log::action.eq(change.action),
            audit_log::entity.eq(change.entity),
            audit_log::entity_id.eq(change.entity_id),
            audit_log::field.eq(change.field),
            audit_log::old_value.eq(change.old_value),
            audit_log::new_value.eq(change.new_value),
            audit_log::at.eq(crate::clock::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records an action without field values (created, signed, revoked, …).
pub fn action(
    conn: &mut DbConnection,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
) -> QueryResult<()> {
    record(
        conn,
        &Change {
            user_id,
            action,
            entity,
            entity_id,
            field: "",
            old_value: None,
            new_value: None,
        },
    )
}

/// Records each field whose value changed; unchanged fields leave no trace.
pub fn fields(
    conn: &mut DbConnection,
    user_id: Option<i64>,
    entity: &str,
    entity_id: i64,
    changes: &[(&str, String, String)],
) -> QueryResult<()> {
    for (field, old, new) in changes.iter().filter(|(_, old, new)| old != new) {
        record(
            conn,
            &Change {
                user_id,
                action: "gewijzigd",
                entity,
                entity_id: Some(entity_id),
                field,
                old_value: Some(old),
                new_value: Some(new),
            },
        )?;
    }
    Ok(())
}

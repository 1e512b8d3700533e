//! Closing a profile, intensity or question from a date (or opening it again), and
//! deleting one that nothing uses. Families always keep at least one question.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::edit::{Kind, Refused, not_yours, region_of};
use super::usage::in_use;
use crate::db::DbConnection;
use crate::db::schema::{
    funnels, funnels_changes, funnels_stale, intensities, profiles, satisfaction_items, tariffs,
};
use crate::domain::principal::RegionScope;
use crate::reference::model::ReferenceData;
use crate::web::FieldError;

/// Whether this is the region's last open question: families must have one to answer.
fn last_question(reference: &ReferenceData, kind: Kind, id: i64) -> bool {
    let today = crate::clock::today();
    kind == Kind::Question
        && reference.satisfaction_item(id).is_some_and(|item| {
            item.open_on(today)
                && reference
                    .questions(item.region_id, today)
                    .iter()
                    .all(|q| q.id == item.id)
        })
}

fn last_question_refused() -> FieldError {
    FieldError::form(
        "Dit is de laatste vraag die gezinnen krijgen. Voeg eerst een andere vraag toe; daarna kunt u deze sluiten.",
    )
}

/// Closes it from a date, or opens it again (`None`).
pub fn close(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    kind: Kind,
    id: i64,
    from: Option<NaiveDate>,
) -> QueryResult<Result<(), Refused>> {
    if region_of(reference, scope, kind, id).is_none() {
        return Ok(Err(not_yours(kind)));
    }
    if from.is_some() && last_question(reference, kind, id) {
        return Ok(Err(vec![last_question_refused()]));
    }
    let old = match kind {
        Kind::Profile => reference.profile(id).and_then(|p| p.closed_from),
        Kind::Intensity => reference.intensity(id).and_then(|i| i.closed_from),
        Kind::Question => reference.satisfaction_item(id).and_then(|i| i.closed_from),
    };
    let shown = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    conn.write_transaction(|conn| {
        match kind {
            Kind::Profile => diesel::update(profiles::table.find(id))
                .set(profiles::closed_from.eq(from))
                .execute(conn)?,
            Kind::Intensity => diesel::update(intensities::table.find(id))
                .set(intensities::closed_from.eq(from))
                .execute(conn)?,
            Kind::Question => diesel::update(satisfaction_items::table.find(id))
                .set(satisfaction_items::closed_from.eq(from))
                .execute(conn)?,
        };
        crate::audit::fields(
            conn,
            by,
            kind.entity(),
            id,
            &[("gesloten vanaf", shown(old), shown(from))],
        )?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(()))
    })
}

/// Deletes one that nothing uses, with its tariffs; one in use is refused (close it).
pub fn delete(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    kind: Kind,
    id: i64,
) -> QueryResult<Result<(), Refused>> {
    if region_of(reference, scope, kind, id).is_none() {
        return Ok(Err(not_yours(kind)));
    }
    if last_question(reference, kind, id) {
        return Ok(Err(vec![last_question_refused()]));
    }
    conn.write_transaction(|conn| {
        if in_use(conn, kind, id)? {
            return Ok(Err(vec![FieldError::form(format!(
                "U kunt {} niet verwijderen, want die wordt al gebruikt. Sluit die vanaf een datum: wat er al gebruik van maakt, blijft zoals het is.",
                kind.this()
            ))]));
        }
        let name = match kind {
            Kind::Profile => {
                diesel::delete(tariffs::table.filter(tariffs::profile_id.eq(id))).execute(conn)?;
                diesel::delete(funnels::table.filter(funnels::profile_id.eq(id))).execute(conn)?;
                diesel::delete(funnels_stale::table.filter(funnels_stale::profile_id.eq(id)))
                    .execute(conn)?;
                // SQLite hands a deleted profile's id to the next one, whose marks start
                // again at generation 1: no change row of this one may stay behind.
                diesel::delete(funnels_changes::table.filter(funnels_changes::profile_id.eq(id)))
                    .execute(conn)?;
                diesel::delete(profiles::table.find(id)).execute(conn)?;
                reference.profile(id).map(|p| p.name.clone())
            }
            Kind::Intensity => {
                diesel::delete(tariffs::table.filter(tariffs::intensity_id.eq(id))).execute(conn)?;
                diesel::delete(intensities::table.find(id)).execute(conn)?;
                reference.intensity(id).map(|i| i.name.clone())
            }
            Kind::Question => {
                diesel::delete(satisfaction_items::table.find(id)).execute(conn)?;
                reference.satisfaction_item(id).map(|i| i.question.clone())
            }
        };
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: by,
                action: "verwijderd",
                entity: kind.entity(),
                entity_id: Some(id),
                field: "naam",
                old_value: name.as_deref(),
                new_value: None,
            },
        )?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(()))
    })
}

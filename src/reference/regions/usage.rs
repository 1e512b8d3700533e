//! Whether a profile, intensity or question is in use: then it is closed, never deleted.

use diesel::prelude::*;

use super::edit::Kind;
use crate::db::DbConnection;
use crate::db::schema::{
    computed_scores, experience_answers, experience_responses, hulpvragen, offers, product_codes,
    satisfaction_items, scores, tariffs, trajectories,
};

/// Whether anything refers to it: offers, hulpvragen, trajectories, scores, responses, the
/// region's product codes;
/// for a question, the answers families gave to it. Its tariffs do not count: they go with
/// it.
pub fn in_use(conn: &mut DbConnection, kind: Kind, id: i64) -> QueryResult<bool> {
    use diesel::dsl::exists;
    let used = match kind {
        Kind::Profile => {
            diesel::select(exists(offers::table.filter(offers::profile_id.eq(id))))
                .get_result(conn)?
                || diesel::select(exists(
                    hulpvragen::table.filter(hulpvragen::profile_id.eq(id)),
                ))
                .get_result(conn)?
                || diesel::select(exists(
                    trajectories::table.filter(trajectories::profile_id.eq(id)),
                ))
                .get_result(conn)?
                || diesel::select(exists(
                    computed_scores::table.filter(computed_scores::profile_id.eq(id)),
                ))
                .get_result(conn)?
                || diesel::select(exists(scores::table.filter(scores::profile_id.eq(id))))
                    .get_result(conn)?
                || diesel::select(exists(
                    experience_responses::table.filter(experience_responses::profile_id.eq(id)),
                ))
                .get_result(conn)?
                || diesel::select(exists(
                    product_codes::table.filter(product_codes::profile_id.eq(id)),
                ))
                .get_result(conn)?
        }
        Kind::Intensity => {
            diesel::select(exists(offers::table.filter(offers::intensity_id.eq(id))))
                .get_result(conn)?
                || diesel::select(exists(
                    hulpvragen::table.filter(hulpvragen::intensity_id.eq(id)),
                ))
                .get_result(conn)?
                || diesel::select(exists(
                    trajectories::table.filter(trajectories::intensity_id.eq(id)),
                ))
                .get_result(conn)?
                || diesel::select(exists(
                    product_codes::table.filter(product_codes::intensity_id.eq(id)),
                ))
                .get_result(conn)?
        }
        Kind::Question => {
            let item: Option<(i64, String)> = satisfaction_items::table
                .find(id)
                .select((satisfaction_items::region_id, satisfaction_items::code))
                .first(conn)
                .optional()?;
            match item {
                Some((region, code)) => diesel::select(exists(
                    experience_answers::table
                        .inner_join(experience_responses::table)
                        .filter(experience_responses::region_id.eq(region))
                        .filter(experience_answers::item_code.eq(code)),
                ))
                .get_result(conn)?,
                None => false,
            }
        }
    };
    Ok(used)
}

pub(super) fn has_tariffs(conn: &mut DbConnection, kind: Kind, id: i64) -> QueryResult<bool> {
    use diesel::dsl::exists;
    match kind {
        Kind::Profile => diesel::select(exists(tariffs::table.filter(tariffs::profile_id.eq(id))))
            .get_result(conn),
        Kind::Intensity => {
            diesel::select(exists(tariffs::table.filter(tariffs::intensity_id.eq(id))))
                .get_result(conn)
        }
        Kind::Question => Ok(false),
    }
}

//! Checked lines become trajectories. Start and stop of one allocation are one trajectory:
//! found by (municipality, ToewijzingNummer), which is also how a trajectory the worker
//! closed is joined (the worker recorded the number at the start), or else by the reference
//! made of pseudonym + product + start date. StatusAanlevering 1 and 2 set what the line
//! says, 3 withdraws it. A line received before (message id + line key) changes nothing.
//!
//! The whole upload is combined in memory first, in the order of the messages' dates (a
//! start before a stop of the same day), then written in a few statements; the caller holds
//! the transaction, so an upload is stored whole or not at all.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::check::Line;
use super::message::{Kind, Problem};
use crate::db::DbConnection;
use crate::db::bind::{BindDate, BindTimestamp};
use crate::db::schema::{hulpvragen, ijw_received, trajectories};
use crate::domain::hulpvraag::Kader;
use crate::domain::ids::ProviderId;
use crate::domain::indicator::GoalResult;
use crate::domain::values::AgeBand;
use crate::outcomes::store::Row;

/// What an upload did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Applied {
    /// Product lines read.
    pub lines: usize,
    /// Lines received before: skipped.
    pub known: usize,
    /// Trajectories made, changed, withdrawn.
    pub new: usize,
    pub changed: usize,
    pub withdrawn: usize,
}

/// A trajectory as it stands while the upload is combined.
#[derive(Debug, Clone)]
struct State {
    id: Option<i64>,
    reference: String,
    region_id: i64,
    municipality_id: i64,
    toewijzing: Option<String>,
    profile_id: i64,
    intensity_id: i64,
    category: Option<String>,
    start: NaiveDate,
    end: Option<(NaiveDate, u8)>,
    client_key: String,
    age_band: AgeBand,
    /// A hulpvraag's worker closed it: a withdrawal leaves it.
    closed_by_worker: bool,
    /// The profile it had when the upload began (its scores change too).
    stored_profile: Option<i64>,
    changed: bool,
    withdrawn: bool,
}

#[derive(Queryable)]
struct Stored {
    id: i64,
    reference: String,
    region_id: i64,
    municipality_id: i64,
    toewijzing: Option<String>,
    profile_id: i64,
    intensity_id: i64,
    category: Option<String>,
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: Option<i32>,
    client_key: String,
    age_band: AgeBand,
}

fn slot(municipality_id: i64, toewijzing: Option<&str>, reference: &str) -> String {
    match toewijzing {
        Some(number) => format!("t{municipality_id}-{number}"),
        None => format!("r{reference}"),
    }
}

/// Combines the lines with what is stored and writes the result; the problems when a line
/// cannot be applied (a stop before its start, a new trajectory without a product).
pub fn apply(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    mut lines: Vec<Line>,
) -> QueryResult<Result<Applied, Vec<Problem>>> {
    let mut applied = Applied {
        lines: lines.len(),
        ..Applied::default()
    };
    let known = received_before(conn, provider_id, &lines)?;
    let mut seen = HashSet::new();
    lines.retain(|l| {
        let id = (l.kind, l.message_id.clone(), l.key.clone());
        !known.contains(&id) && seen.insert(id)
    });
    applied.known = applied.lines - lines.len();
    // The order of events: by date of the message, a start before a stop.
    lines.sort_by_key(|l| (l.dated, l.kind));
    let mut states = load(conn, provider_id, &lines)?;
    let mut problems = Vec::new();
    for line in &lines {
        let at = slot(
            line.municipality_id,
            line.toewijzing.as_deref(),
            &line.reference,
        );
        let state = states.get_mut(&at);
        let element = |name: &str| match line.kind {
            Kind::Start => format!("Client/StartProducten/StartProduct[{}]/{name}", line.number),
            Kind::Stop => format!("Client/StopProducten/StopProduct[{}]/{name}", line.number),
        };
        match (line.status, state) {
            (3, None) => {}
            (3, Some(s)) if s.closed_by_worker => {}
            (3, Some(s)) => match line.kind {
                Kind::Start => s.withdrawn = true,
                Kind::Stop => {
                    s.end = None;
                    s.changed = true;
                }
            },
            (_, Some(s)) => {
                s.withdrawn = false;
                s.changed = true;
                if line.kind == Kind::Start {
                    s.start = line.begin;
                    s.age_band = line.age_band;
                }
                // A closed hulpvraag's profile is the worker's (changes during care included).
                if let Some((profile, intensity)) = line.product.filter(|_| !s.closed_by_worker) {
                    (s.profile_id, s.intensity_id) = (profile, intensity);
                }
                if line.category.is_some() {
                    s.category.clone_from(&line.category);
                }
                if let Some((end, Some(reason))) = line.end {
                    s.end = Some((end, reason));
                }
                if s.end.is_some_and(|(end, _)| end < s.start) {
                    problems.push(Problem::new(&line.place, &element("Begindatum"), "Met deze Begindatum ligt het einde van het traject (uit een eerder JW307-bericht) vóór de start."));
                }
            }
            (_, None) => {
                let Some((profile_id, intensity_id)) = line.product else {
                    problems.push(Problem::new(&line.place, &element("Product"), "Dit traject kennen wij nog niet, en zonder Product weten wij het profiel en de intensiteit niet. Stuur het Product mee."));
                    continue;
                };
                states.insert(
                    at,
                    State {
                        id: None,
                        reference: line.reference.clone(),
                        region_id: line.region_id,
                        municipality_id: line.municipality_id,
                        toewijzing: line.toewijzing.clone(),
                        profile_id,
                        intensity_id,
                        category: line.category.clone(),
                        start: line.begin,
                        end: line.end.and_then(|(end, reason)| reason.map(|r| (end, r))),
                        client_key: line.client_key.clone(),
                        age_band: line.age_band,
                        closed_by_worker: false,
                        stored_profile: None,
                        changed: true,
                        withdrawn: false,
                    },
                );
            }
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    write(conn, provider_id, &states, &lines, &mut applied)?;
    Ok(Ok(applied))
}

/// The (kind, message id, line key) of these lines that were received before.
fn received_before(
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

/// The stored trajectories these lines are about, by slot.
fn load(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    lines: &[Line],
) -> QueryResult<HashMap<String, State>> {
    let numbers: BTreeSet<&str> = lines
        .iter()
        .filter_map(|l| l.toewijzing.as_deref())
        .collect();
    let numbers: Vec<&str> = numbers.into_iter().collect();
    let references: BTreeSet<&str> = lines
        .iter()
        .filter(|l| l.toewijzing.is_none())
        .map(|l| l.reference.as_str())
        .collect();
    let references: Vec<&str> = references.into_iter().collect();
    let columns = (
        trajectories::id,
        trajectories::reference,
        trajectories::region_id,
        trajectories::municipality_id,
        trajectories::toewijzing,
        trajectories::profile_id,
        trajectories::intensity_id,
        trajectories::product_category,
        trajectories::start_date,
        trajectories::end_date,
        trajectories::end_reason,
        trajectories::client_key,
        trajectories::age_band,
    );
    let mut stored: Vec<Stored> = Vec::new();
    for chunk in numbers.chunks(5000) {
        stored.extend(
            trajectories::table
                .filter(trajectories::provider_id.eq(provider_id))
                .filter(trajectories::toewijzing.eq_any(chunk))
                .select(columns)
                .load::<Stored>(conn)?,
        );
    }
    for chunk in references.chunks(5000) {
        stored.extend(
            trajectories::table
                .filter(trajectories::provider_id.eq(provider_id))
                .filter(trajectories::reference.eq_any(chunk))
                .select(columns)
                .load::<Stored>(conn)?,
        );
    }
    let ids: Vec<i64> = stored.iter().map(|s| s.id).collect();
    let mut closed: HashSet<i64> = HashSet::new();
    for chunk in ids.chunks(5000) {
        closed.extend(
            hulpvragen::table
                .filter(hulpvragen::trajectory_id.eq_any(chunk))
                .select(hulpvragen::trajectory_id.assume_not_null())
                .load::<i64>(conn)?,
        );
    }
    Ok(stored
        .into_iter()
        .map(|s| {
            let at = slot(s.municipality_id, s.toewijzing.as_deref(), &s.reference);
            let end = match (s.end, s.reason) {
                (Some(end), Some(reason)) => Some((end, u8::try_from(reason).unwrap_or(0))),
                _ => None,
            };
            (
                at,
                State {
                    id: Some(s.id),
                    reference: s.reference,
                    region_id: s.region_id,
                    municipality_id: s.municipality_id,
                    toewijzing: s.toewijzing,
                    profile_id: s.profile_id,
                    intensity_id: s.intensity_id,
                    category: s.category,
                    start: s.start,
                    end,
                    client_key: s.client_key,
                    age_band: s.age_band,
                    closed_by_worker: closed.contains(&s.id),
                    stored_profile: Some(s.profile_id),
                    changed: false,
                    withdrawn: false,
                },
            )
        })
        .collect())
}

fn write(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    states: &HashMap<String, State>,
    lines: &[Line],
    applied: &mut Applied,
) -> QueryResult<()> {
    let now = crate::clock::now();
    let mut touched: BTreeSet<i64> = BTreeSet::new();
    let mut new_rows = Vec::new();
    let mut gone = Vec::new();
    for state in states.values().filter(|s| s.changed || s.withdrawn) {
        touched.insert(state.profile_id);
        touched.extend(state.stored_profile);
        match (state.id, state.withdrawn) {
            (None, true) => {}
            (Some(id), true) => {
                gone.push(id);
                applied.withdrawn += 1;
            }
            (None, false) => {
                applied.new += 1;
                new_rows.push(Row {
                    provider_id: provider_id.get(),
                    reference: state.reference.clone(),
                    region_id: state.region_id,
                    municipality_id: state.municipality_id,
                    profile_id: state.profile_id,
                    intensity_id: state.intensity_id,
                    start_date: BindDate(state.start),
                    end_date: state.end.map(|(end, _)| BindDate(end)),
                    end_reason: state.end.map(|(_, reason)| i32::from(reason)),
                    goal_result: GoalResult::Onbekend,
                    client_key: state.client_key.clone(),
                    age_band: state.age_band,
                    kader: Kader::Vrijwillig,
                    satisfaction: None,
                    source: "ijw",
                    created_at: BindTimestamp(now),
                    updated_at: BindTimestamp(now),
                    goals_agreed: None,
                    goals_reached: None,
                    goals_partly: None,
                    without_care: None,
                    problems_smaller: None,
                    toewijzing: state.toewijzing.clone(),
                    product_category: state.category.clone(),
                });
            }
            (Some(id), false) => {
                applied.changed += 1;
                // The client key stays: a trajectory the worker closed keeps the
                // municipality's pseudonym, which the 12-month guarantee looks up.
                diesel::update(trajectories::table.find(id))
                    .set((
                        trajectories::profile_id.eq(state.profile_id),
                        trajectories::intensity_id.eq(state.intensity_id),
                        trajectories::product_category.eq(&state.category),
                        trajectories::start_date.eq(state.start),
                        trajectories::end_date.eq(state.end.map(|(end, _)| end)),
                        trajectories::end_reason.eq(state.end.map(|(_, r)| i32::from(r))),
                        trajectories::age_band.eq(state.age_band),
                        trajectories::source.eq("ijw"),
                        trajectories::updated_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
    }
    for chunk in gone.chunks(5000) {
        diesel::delete(trajectories::table.filter(trajectories::id.eq_any(chunk))).execute(conn)?;
    }
    crate::outcomes::store::insert_rows(conn, &new_rows)?;
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
    crate::bulk_insert_owned!(&mut *conn, ijw_received::table, &received)?;
    if touched.is_empty() {
        return Ok(());
    }
    crate::outcomes::compute::recompute_profiles(conn, provider_id.get(), &touched)?;
    // The region's pseudonyms: other providers whose clients these are may gain a return.
    let keys: BTreeSet<&str> = states
        .values()
        .filter(|s| s.changed || s.withdrawn)
        .map(|s| s.client_key.as_str())
        .collect();
    let keys: Vec<&str> = keys.into_iter().collect();
    let mut others: BTreeSet<i64> = BTreeSet::new();
    for chunk in keys.chunks(5000) {
        others.extend(
            trajectories::table
                .filter(trajectories::client_key.eq_any(chunk))
                .filter(trajectories::provider_id.ne(provider_id))
                .select(trajectories::provider_id)
                .distinct()
                .load::<i64>(conn)?,
        );
    }
    for other in others {
        crate::outcomes::compute::recompute_profiles(conn, other, &BTreeSet::new())?;
    }
    Ok(())
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

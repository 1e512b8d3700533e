//! Checked lines become trajectories. iJw knows a delivery period by its ToewijzingNummer and
//! Begindatum: the start and the stop of one period are one trajectory, found by
//! (municipality, ToewijzingNummer, Begindatum), or else by the reference made of pseudonym +
//! product + Begindatum. A new period of the same allocation (care started again) is a
//! trajectory of its own. StatusAanlevering 1 and 2 set what the line says, 3 withdraws it. A
//! line received before (BerichtIdentificatie + the period's key) changes nothing.
//!
//! A trajectory the worker closed before any message came (the worker recorded the number at
//! the start) is taken up by the first period of its allocation. Once a worker closed it, its
//! end, reason and profile stay the municipality's: iJw gives the dates care began.
//!
//! The whole upload is combined in memory first, in the order of the messages' dates (a
//! start before a stop of the same day), checked as a whole, then written in a few
//! statements; the caller holds the transaction, so an upload is stored whole or not at all.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::check::Line;
use super::message::{Kind, Problem};
use crate::db::DbConnection;
use crate::db::bind::{BindDate, BindTimestamp};
use crate::db::schema::{hulpvragen, trajectories};
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
    /// A hulpvraag's worker closed it: its end, reason and profile stay.
    closed_by_worker: bool,
    /// The profile it had when the upload began (its scores change too).
    stored_profile: Option<i64>,
    changed: bool,
    withdrawn: bool,
    /// The last line that changed it, for a refusal: (its place in the upload, message,
    /// element).
    by: Option<(usize, String, String)>,
    /// A worker-closed trajectory whose period was withdrawn: it waits again for its
    /// allocation's period (source back to 'gemeente').
    handed_back: bool,
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
    source: String,
}

/// A period's place in the combination.
fn slot(
    municipality_id: i64,
    toewijzing: Option<&str>,
    start: NaiveDate,
    reference: &str,
) -> String {
    match toewijzing {
        Some(number) => format!("t{municipality_id}-{number}-{start}"),
        None => format!("r{reference}"),
    }
}

fn element(line: &Line, name: &str) -> String {
    match line.kind {
        Kind::Start => format!("Client/StartProducten/StartProduct[{}]/{name}", line.number),
        Kind::Stop => format!("Client/StopProducten/StopProduct[{}]/{name}", line.number),
    }
}

/// Combines the lines with what is stored and writes the result; the problems when the
/// result cannot be stored (an end before its start, a new trajectory without a product).
pub fn apply(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    mut lines: Vec<Line>,
) -> QueryResult<Result<Applied, Vec<Problem>>> {
    let mut applied = Applied {
        lines: lines.len(),
        ..Applied::default()
    };
    let known = super::received::before(conn, provider_id, &lines)?;
    let mut seen = HashSet::new();
    lines.retain(|l| {
        let id = (l.kind, l.message_id.clone(), l.key.clone());
        !known.contains(&id) && seen.insert(id)
    });
    applied.known = applied.lines - lines.len();
    // The order of events: by date of the message, a start before a stop.
    lines.sort_by_key(|l| (l.dated, l.kind));
    let (mut states, mut closed_first) = load(conn, provider_id, &lines)?;
    take_up(&lines, &mut states, &mut closed_first);
    let mut problems: Vec<(usize, Problem)> = Vec::new();
    for line in &lines {
        let at = slot(
            line.municipality_id,
            line.toewijzing.as_deref(),
            line.begin,
            &line.reference,
        );
        if !states.contains_key(&at) && line.status != 3 {
            // A period withdrawn earlier in this upload, corrected by a new one.
            let key = line.toewijzing.clone().map(|n| (line.municipality_id, n));
            let again = key
                .as_ref()
                .is_some_and(|k| closed_first.get(k).is_some_and(|w| fits(w, line.begin)));
            if let (true, Some(key)) = (again, key)
                && let Some(state) = closed_first.remove(&key)
            {
                states.insert(
                    at.clone(),
                    State {
                        start: line.begin,
                        handed_back: false,
                        ..state
                    },
                );
            }
        }
        let by = Some((
            line.seq,
            line.place.clone(),
            element(
                line,
                if line.kind == Kind::Stop {
                    "Einddatum"
                } else {
                    "Begindatum"
                },
            ),
        ));
        match (line.status, states.get_mut(&at)) {
            (3, None) => {}
            (3, Some(s)) if s.closed_by_worker && line.kind == Kind::Start => {
                // iJw corrects a Begindatum by withdrawing the period and sending a new one:
                // the worker's trajectory waits for the new one.
                if let (Some(mut waiting), Some(number)) =
                    (states.remove(&at), line.toewijzing.clone())
                {
                    waiting.handed_back = true;
                    closed_first.insert((line.municipality_id, number), waiting);
                }
            }
            (3, Some(s)) if s.closed_by_worker => {}
            (3, Some(s)) => match line.kind {
                Kind::Start => s.withdrawn = true,
                Kind::Stop => {
                    s.end = None;
                    s.changed = true;
                    s.by = by;
                }
            },
            (_, Some(s)) => {
                s.withdrawn = false;
                s.changed = true;
                s.by = by;
                s.start = line.begin;
                if line.kind == Kind::Start {
                    s.age_band = line.age_band;
                }
                if let Some((profile, intensity)) = line.product.filter(|_| !s.closed_by_worker) {
                    (s.profile_id, s.intensity_id) = (profile, intensity);
                }
                if line.category.is_some() {
                    s.category.clone_from(&line.category);
                }
                if line.end.is_some() && !s.closed_by_worker {
                    s.end = line.end;
                }
            }
            (_, None) => {
                let Some((profile_id, intensity_id)) = line.product else {
                    problems.push((line.seq, Problem::new(&line.place, &element(line, "Product"), "Dit traject kennen wij nog niet, en zonder Product weten wij het profiel en de intensiteit niet. Stuur het Product mee.")));
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
                        end: line.end,
                        client_key: line.client_key.clone(),
                        age_band: line.age_band,
                        closed_by_worker: false,
                        stored_profile: None,
                        changed: true,
                        withdrawn: false,
                        by,
                        handed_back: false,
                    },
                );
            }
        }
    }
    // Checked as a whole: lines that change start and end together may pass through an
    // order that is wrong for a moment.
    for state in states.values().filter(|s| s.changed && !s.withdrawn) {
        if let (Some((end, _)), Some((seq, place, element))) = (state.end, &state.by)
            && end < state.start
        {
            let reason = if state.closed_by_worker {
                format!(
                    "De Begindatum ligt na de einddatum die de gemeente bij het afsluiten vastlegde ({end}). Controleer de Begindatum."
                )
            } else {
                format!(
                    "Het traject zou eindigen ({end}) vóór het begint ({}). Controleer de Begindatum en de Einddatum.",
                    state.start
                )
            };
            problems.push((*seq, Problem::new(place, element, reason)));
        }
    }
    if !problems.is_empty() {
        // In the order of the upload, whatever order the combination kept them in.
        problems.sort_by_key(|(seq, _)| *seq);
        return Ok(Err(problems.into_iter().map(|(_, p)| p).collect()));
    }
    // Withdrawn periods of worker-closed trajectories that no new period took up.
    let waiting: Vec<i64> = closed_first
        .values()
        .filter(|s| s.handed_back)
        .filter_map(|s| s.id)
        .collect();
    for chunk in waiting.chunks(5000) {
        diesel::update(trajectories::table.filter(trajectories::id.eq_any(chunk)))
            .set(trajectories::source.eq("gemeente"))
            .execute(conn)?;
    }
    write(conn, provider_id, &states, &lines, &mut applied)?;
    Ok(Ok(applied))
}

/// Whether a worker-closed trajectory can be this period: the period began near the worker's
/// start (the same event, recorded twice) and on or before the worker's end.
fn fits(state: &State, begin: NaiveDate) -> bool {
    (begin - state.start).num_days().abs() <= SAME_START_DAYS
        && state.end.is_none_or(|(end, _)| begin <= end)
}

/// How far the worker's start and a period's Begindatum may lie apart and still be one start.
pub const SAME_START_DAYS: i64 = 90;

/// Gives each trajectory a worker closed before any message came the period of its
/// allocation in this upload that began closest to the worker's start (and not after its
/// end); the others of that allocation are trajectories of their own.
fn take_up(lines: &[Line], states: &mut Periods, closed_first: &mut ClosedFirst) {
    let mut chosen: HashMap<(i64, String), (i64, NaiveDate, String)> = HashMap::new();
    for line in lines.iter().filter(|l| l.status != 3) {
        let Some(number) = &line.toewijzing else {
            continue;
        };
        let key = (line.municipality_id, number.clone());
        let Some(waiting) = closed_first.get(&key) else {
            continue;
        };
        let at = slot(
            line.municipality_id,
            Some(number),
            line.begin,
            &line.reference,
        );
        if states.contains_key(&at) || !fits(waiting, line.begin) {
            continue;
        }
        let distance = (line.begin - waiting.start).num_days().abs();
        let better = chosen
            .get(&key)
            .is_none_or(|(d, begin, _)| (distance, line.begin) < (*d, *begin));
        if better {
            chosen.insert(key, (distance, line.begin, at));
        }
    }
    for (key, (_, begin, at)) in chosen {
        if let Some(state) = closed_first.remove(&key) {
            states.insert(
                at,
                State {
                    start: begin,
                    ..state
                },
            );
        }
    }
}

type Periods = HashMap<String, State>;
/// Trajectories a worker closed with a number before any message of it came, by
/// (municipality, number).
type ClosedFirst = HashMap<(i64, String), State>;

/// The stored trajectories these lines are about, by slot; and the worker-closed ones that
/// wait for their allocation's first period.
fn load(
    conn: &mut DbConnection,
    provider_id: ProviderId,
    lines: &[Line],
) -> QueryResult<(Periods, ClosedFirst)> {
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
        trajectories::source,
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
    let (mut periods, mut closed_first) = (HashMap::new(), HashMap::new());
    for s in stored {
        let end = match (s.end, s.reason) {
            (Some(end), Some(reason)) => Some((end, u8::try_from(reason).unwrap_or(0))),
            _ => None,
        };
        let state = State {
            id: Some(s.id),
            reference: s.reference.clone(),
            region_id: s.region_id,
            municipality_id: s.municipality_id,
            toewijzing: s.toewijzing.clone(),
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
            by: None,
            handed_back: false,
        };
        match (s.source.as_str(), s.toewijzing) {
            // Made by the worker's closing, no message yet: the allocation's first period
            // takes it up.
            ("gemeente", Some(number)) => {
                closed_first.insert((s.municipality_id, number), state);
            }
            (_, toewijzing) => {
                periods.insert(
                    slot(
                        s.municipality_id,
                        toewijzing.as_deref(),
                        s.start,
                        &s.reference,
                    ),
                    state,
                );
            }
        }
    }
    Ok((periods, closed_first))
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
    super::received::record(conn, provider_id, lines, now)?;
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

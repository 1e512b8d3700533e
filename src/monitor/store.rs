//! The stored monitor: computed per region by the job runner when a change marked the
//! region (`read_model::monitor_changed`) or the day moved on, and read by every page and
//! export from `monitor_figures`, so each figure has one source.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::figures::{self, Breakdown, Cell, Decline, Episode, Figure, Request, Vorm};
use super::scope::Scope;
use crate::db::DbConnection;
use crate::db::schema::{
    care_requests, hulpvragen, monitor_figures, monitor_stale, offers, trajectories,
};
use crate::domain::hulpvraag::{ChosenBy, Kader, RequestAnswer, Status};
use crate::domain::values::AgeBand;
use crate::outcomes::compute::Quarter;
use crate::reference::ReferenceData;

#[derive(Insertable, Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = monitor_figures)]
// None is NULL, not DEFAULT: many rows in one statement on SQLite, COPY on PostgreSQL.
#[diesel(treat_none_as_default_value = false)]
pub struct Row {
    pub region_id: i64,
    pub municipality_id: i64,
    pub quarter: String,
    pub figure: String,
    pub breakdown: String,
    pub item: String,
    pub count: i64,
    pub part: Option<i64>,
    pub value: Option<f64>,
}

/// When a region's monitor was computed, if ever.
pub fn computed_at(conn: &mut DbConnection, region_id: i64) -> QueryResult<Option<NaiveDateTime>> {
    Ok(monitor_stale::table
        .find(region_id)
        .select(monitor_stale::computed_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// Computes the monitor of every region that a change marked, that was never computed, or
/// that was computed before `today`; returns how many regions it computed. A region marked
/// again while it was computed keeps its mark for the next round.
pub fn refresh_due(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    today: NaiveDate,
) -> QueryResult<usize> {
    let known: Vec<i64> = monitor_stale::table
        .select(monitor_stale::region_id)
        .load(conn)?;
    for region in reference.regions.iter().filter(|r| !known.contains(&r.id)) {
        crate::read_model::monitor_changed(conn, &[region.id])?;
    }
    let due: Vec<(i64, i64)> = monitor_stale::table
        .filter(
            monitor_stale::generation
                .gt(monitor_stale::done_generation)
                .or(monitor_stale::computed_on.is_null())
                .or(monitor_stale::computed_on.lt(today)),
        )
        .select((monitor_stale::region_id, monitor_stale::generation))
        .order(monitor_stale::region_id)
        .load(conn)?;
    let mut done = 0;
    for (region_id, generation) in due {
        if reference.region(region_id).is_none() {
            continue;
        }
        refresh_region(conn, reference, region_id, generation, today)?;
        done += 1;
    }
    Ok(done)
}

/// Computes one region's monitor and replaces what was stored, in one transaction.
pub fn refresh_region(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    region_id: i64,
    generation: i64,
    today: NaiveDate,
) -> QueryResult<usize> {
    let inputs = Inputs::load(conn, reference, region_id, today)?;
    let rows = inputs.rows(region_id, today);
    let now = crate::clock::now();
    conn.write_transaction(|conn| {
        // Writers of one region take turns (on PostgreSQL an advisory lock of this
        // transaction; SQLite writes one at a time anyway), without holding the region's
        // mark: a change that marks the region meanwhile never waits for this write. Another
        // node that computed the same marks meanwhile has written them: this copy is left.
        if let DbConnection::Postgresql(pg) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock(38, $1::int4)")
                .bind::<diesel::sql_types::Integer, _>(i32::try_from(region_id).unwrap_or(i32::MAX))
                .execute(pg)?;
        }
        let (done, on): (i64, Option<NaiveDate>) = monitor_stale::table
            .find(region_id)
            .select((monitor_stale::done_generation, monitor_stale::computed_on))
            .first(conn)?;
        if done >= generation && on == Some(today) {
            return Ok(0);
        }
        diesel::delete(monitor_figures::table.filter(monitor_figures::region_id.eq(region_id)))
            .execute(conn)?;
        let written = crate::bulk_insert_owned!(&mut *conn, monitor_figures::table, &rows)?;
        diesel::update(monitor_stale::table.find(region_id))
            .set((
                monitor_stale::done_generation.eq(generation),
                monitor_stale::computed_on.eq(Some(today)),
                monitor_stale::computed_at.eq(Some(now)),
            ))
            .execute(conn)?;
        Ok(written)
    })
}

/// What a region's monitor is computed from, each row under the municipality it counts
/// for today.
pub struct Inputs {
    episodes: Vec<Episode>,
    requests: Vec<Request>,
    declines: Vec<Decline>,
    intensities: Vec<String>,
    municipalities: Vec<i64>,
    pricing: super::cost::Pricing,
}

type TrajectoryRow = (
    i64,
    i64,
    i64,
    i64,
    NaiveDate,
    Option<NaiveDate>,
    Option<i32>,
    bool,
    bool,
);

impl Inputs {
    pub fn load(
        conn: &mut DbConnection,
        reference: &ReferenceData,
        region_id: i64,
        today: NaiveDate,
    ) -> QueryResult<Inputs> {
        // Every municipality, also one merged away, under the one it is part of today.
        let current: HashMap<i64, i64> = reference
            .municipalities
            .iter()
            .filter_map(|m| {
                let now = current_of(reference, m.id, today);
                reference
                    .municipality(now)
                    .filter(|c| c.region_id == region_id)
                    .map(|_| (m.id, now))
            })
            .collect();
        let ids: Vec<i64> = current.keys().copied().collect();
        let municipalities: Vec<i64> = reference
            .municipalities_of(region_id)
            .map(|m| m.id)
            .collect();
        let mut intensities: Vec<String> = Vec::new();
        let mut intensity_index: HashMap<i64, u8> = HashMap::new();
        for i in &reference.intensities {
            let at = intensities
                .iter()
                .position(|c| *c == i.code)
                .unwrap_or_else(|| {
                    intensities.push(i.code.clone());
                    intensities.len() - 1
                });
            intensity_index.insert(i.id, u8::try_from(at).unwrap_or(u8::MAX));
        }
        let profile_number: HashMap<i64, i32> = reference
            .profiles
            .iter()
            .map(|p| (p.id, p.number))
            .collect();
        let acute_ids: Vec<i64> = reference
            .intensities
            .iter()
            .filter(|i| i.code == "acuut")
            .map(|i| i.id)
            .collect();
        let settings: HashMap<(i64, i64, i64), String> = offers::table
            .select((
                offers::provider_id,
                offers::profile_id,
                offers::intensity_id,
                offers::setting,
            ))
            .load::<(i64, i64, i64, String)>(conn)?
            .into_iter()
            .map(|(p, pr, i, s)| ((p, pr, i), s))
            .collect();
        let vorm = |provider: i64, profile: i64, intensity: i64| {
            if acute_ids.contains(&intensity) {
                return Vorm::Crisis;
            }
            match settings
                .get(&(provider, profile, intensity))
                .map(String::as_str)
            {
                Some("dagbehandeling") => Vorm::Dagbehandeling,
                Some("verblijf") => Vorm::Verblijf,
                Some(_) => Vorm::Ambulant,
                // The provider no longer lists this help: not guessed.
                None => Vorm::Onbekend,
            }
        };
        let rows: Vec<TrajectoryRow> = trajectories::table
            .filter(trajectories::municipality_id.eq_any(&ids))
            .select((
                trajectories::municipality_id,
                trajectories::provider_id,
                trajectories::profile_id,
                trajectories::intensity_id,
                trajectories::start_date,
                trajectories::end_date,
                trajectories::end_reason,
                trajectories::kader.eq(Kader::Gedwongen),
                trajectories::age_band.eq(AgeBand::YoungAdult.as_str()),
            ))
            .load(conn)?;
        let mut episodes: Vec<Episode> = rows
            .into_iter()
            .map(
                |(m, provider, profile, intensity, start, end, reason, forced, young)| Episode {
                    municipality_id: current.get(&m).copied().unwrap_or(m),
                    provider_id: provider,
                    profile_id: profile,
                    intensity_id: intensity,
                    profile: profile_number.get(&profile).copied().unwrap_or(0),
                    intensity: intensity_index.get(&intensity).copied().unwrap_or(u8::MAX),
                    vorm: vorm(provider, profile, intensity),
                    start,
                    end,
                    end_reason: reason,
                    forced,
                    young_adult: young,
                },
            )
            .collect();
        type HulpvraagRow = (
            i64,
            i64,
            i64,
            i64,
            Option<i64>,
            bool,
            bool,
            String,
            NaiveDateTime,
            Option<NaiveDate>,
            Option<i64>,
        );
        let asked: Vec<HulpvraagRow> = hulpvragen::table
            .filter(hulpvragen::municipality_id.eq_any(&ids))
            .select((
                hulpvragen::id,
                hulpvragen::municipality_id,
                hulpvragen::profile_id,
                hulpvragen::intensity_id,
                hulpvragen::provider_id,
                hulpvragen::kader.eq(Kader::Gedwongen),
                hulpvragen::age_band.eq(AgeBand::YoungAdult.as_str()),
                hulpvragen::status,
                hulpvragen::created_at,
                hulpvragen::started_on,
                hulpvragen::trajectory_id,
            ))
            .order(hulpvragen::id)
            .load(conn)?;
        let mut first_choice: HashMap<i64, (NaiveDateTime, bool)> = HashMap::new();
        let mut declines = Vec::new();
        let municipality_of: HashMap<i64, i64> = asked.iter().map(|h| (h.0, h.1)).collect();
        for (hulpvraag, chosen_at, chosen_by, answer, answered_at, reason) in care_requests::table
            // Through the municipalities (a handful of ids), not the hulpvragen (any number).
            .inner_join(hulpvragen::table)
            .filter(hulpvragen::municipality_id.eq_any(&ids))
            .select((
                care_requests::hulpvraag_id,
                care_requests::chosen_at,
                care_requests::chosen_by,
                care_requests::answer,
                care_requests::answered_at,
                care_requests::decline_reason,
            ))
            .load::<(
                i64,
                NaiveDateTime,
                String,
                String,
                Option<NaiveDateTime>,
                Option<String>,
            )>(conn)?
        {
            let by_family = chosen_by == ChosenBy::Gezin.as_str();
            first_choice
                .entry(hulpvraag)
                .and_modify(|c| {
                    if chosen_at < c.0 {
                        *c = (chosen_at, by_family);
                    }
                })
                .or_insert((chosen_at, by_family));
            if answer == RequestAnswer::Afgewezen.as_str()
                && let Some(on) = answered_at
                && let Some(&m) = municipality_of.get(&hulpvraag)
            {
                declines.push(Decline {
                    municipality_id: current.get(&m).copied().unwrap_or(m),
                    on: crate::clock::date_of(on),
                    reason: reason.unwrap_or_else(|| "anders".to_owned()),
                });
            }
        }
        let mut requests = Vec::with_capacity(asked.len());
        for (
            id,
            m,
            profile,
            intensity,
            provider,
            forced,
            young,
            status,
            created,
            started,
            trajectory,
        ) in asked
        {
            let municipality_id = current.get(&m).copied().unwrap_or(m);
            let number = profile_number.get(&profile).copied().unwrap_or(0);
            // Help that started here and has not ended: in care, not yet a trajectory.
            if let (Some(provider), Some(start), None) = (provider, started, trajectory)
                && status == Status::Gestart.as_str()
            {
                episodes.push(Episode {
                    municipality_id,
                    provider_id: provider,
                    profile_id: profile,
                    intensity_id: intensity,
                    profile: number,
                    intensity: intensity_index.get(&intensity).copied().unwrap_or(u8::MAX),
                    vorm: vorm(provider, profile, intensity),
                    start,
                    end: None,
                    end_reason: None,
                    forced,
                    young_adult: young,
                });
            }
            requests.push(Request {
                municipality_id,
                profile: number,
                acute: acute_ids.contains(&intensity),
                forced,
                asked_on: crate::clock::date_of(created),
                started_on: started,
                first_choice: first_choice
                    .get(&id)
                    .map(|&(at, by)| (crate::clock::date_of(at), by)),
            });
        }
        let pricing = super::cost::Pricing::new(
            crate::reference::model::all_tariffs(conn)?,
            &reference.intensities,
        );
        Ok(Inputs {
            episodes,
            requests,
            declines,
            intensities,
            municipalities,
            pricing,
        })
    }

    /// The stored rows: every municipality of the region and the region as a whole, for
    /// every kept quarter.
    pub fn rows(&self, region_id: i64, today: NaiveDate) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut scopes: Vec<Option<i64>> = self.municipalities.iter().copied().map(Some).collect();
        scopes.push(None);
        for scope in scopes {
            let of = |m: i64| scope.is_none_or(|s| s == m);
            let episodes: Vec<&Episode> = self
                .episodes
                .iter()
                .filter(|e| of(e.municipality_id))
                .collect();
            let requests: Vec<&Request> = self
                .requests
                .iter()
                .filter(|r| of(r.municipality_id))
                .collect();
            let declines: Vec<&Decline> = self
                .declines
                .iter()
                .filter(|d| of(d.municipality_id))
                .collect();
            for quarter in figures::kept_quarters(today) {
                let mut cells = figures::quarter_cells(
                    &episodes,
                    &requests,
                    &declines,
                    &self.intensities,
                    quarter,
                    today,
                );
                cells.extend(super::cost::cells(&episodes, &self.pricing, quarter, today));
                rows.extend(cells.into_iter().map(|c| Row {
                    region_id,
                    municipality_id: scope.unwrap_or(Scope::REGION_ROW),
                    quarter: quarter.code(),
                    figure: c.figure.as_str().to_owned(),
                    breakdown: c.breakdown.as_str().to_owned(),
                    item: c.item,
                    count: c.count,
                    part: c.part,
                    value: c.value,
                }));
            }
        }
        rows
    }
}

/// The municipality this one is part of on `today` (itself unless merged).
fn current_of(reference: &ReferenceData, id: i64, today: NaiveDate) -> i64 {
    let mut at = id;
    for _ in 0..16 {
        match reference.municipality(at) {
            Some(m) if !m.exists_on(today) => match m.merged_into_id {
                Some(next) => at = next,
                None => return at,
            },
            _ => return at,
        }
    }
    at
}

/// The stored figures of one scope for these quarters; the cost per provider (thousands of
/// lines in a region) only for `provider_quarters`.
pub fn load(
    conn: &mut DbConnection,
    scope: Scope,
    quarters: &[Quarter],
    provider_quarters: &[Quarter],
) -> QueryResult<Vec<StoredCell>> {
    let codes: Vec<String> = quarters.iter().map(|q| q.code()).collect();
    let provider_codes: Vec<String> = provider_quarters.iter().map(|q| q.code()).collect();
    let per_provider = Breakdown::Provider.as_str();
    let mut rows: Vec<Row> = monitor_figures::table
        .filter(monitor_figures::municipality_id.eq(scope.municipality_row()))
        .filter(monitor_figures::region_id.eq(scope.region_id()))
        .filter(monitor_figures::quarter.eq_any(&codes))
        // Named, not "not per provider": the index has the breakdown before the quarter.
        .filter(
            monitor_figures::breakdown.eq_any(
                Breakdown::ALL
                    .iter()
                    .filter(|b| **b != Breakdown::Provider)
                    .map(|b| b.as_str()),
            ),
        )
        .select(Row::as_select())
        .load(conn)?;
    if !provider_codes.is_empty() {
        rows.extend(
            monitor_figures::table
                .filter(monitor_figures::municipality_id.eq(scope.municipality_row()))
                .filter(monitor_figures::region_id.eq(scope.region_id()))
                .filter(monitor_figures::quarter.eq_any(&provider_codes))
                .filter(monitor_figures::figure.eq(Figure::Cost.as_str()))
                .filter(monitor_figures::breakdown.eq(per_provider))
                .select(Row::as_select())
                .load::<Row>(conn)?,
        );
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(StoredCell {
                quarter: Quarter::parse(&r.quarter)?,
                cell: Cell {
                    figure: Figure::parse(&r.figure)?,
                    breakdown: Breakdown::parse(&r.breakdown)?,
                    item: r.item,
                    count: r.count,
                    part: r.part,
                    value: r.value,
                },
            })
        })
        .collect())
}

/// A stored figure with its quarter.
#[derive(Debug, Clone)]
pub struct StoredCell {
    pub quarter: Quarter,
    pub cell: Cell,
}

//! The worker's and the provider's lists of hulpvragen, and their counts.

use crate::domain::hulpvraag::RequestAnswer;
use crate::domain::ids::{MunicipalityId, ProviderId};
use std::collections::HashMap;

use diesel::prelude::*;

use crate::choice::model::{CareRequest, Hulpvraag, Kader, Status};
use crate::db::DbConnection;
use crate::db::schema::{care_requests, hulpvragen, providers};
use crate::web::AppError;
use crate::web::auth::SessionUser;

/// One line of a worker's list.
pub struct Listed {
    pub hulpvraag: Hulpvraag,
    pub provider: Option<String>,
    /// The start the provider planned when it accepted.
    pub expected_start: Option<chrono::NaiveDate>,
}

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// The portal's reference of a hulpvraag, as the provider and the worker both see it.
pub fn reference_of(hulpvraag_id: i64) -> String {
    format!("H-{hulpvraag_id}")
}

/// What the worker's list is narrowed to.
#[derive(Debug, Default, Clone)]
pub struct WorkerFilter {
    pub status: Option<Status>,
    /// Part of the case number, in any case.
    pub words: Option<String>,
    /// The chosen provider.
    pub provider: Option<i64>,
}

pub fn list_for_worker(
    conn: &mut DbConnection,
    user: &SessionUser,
    filter: &WorkerFilter,
    page: u32,
    per_page: i64,
) -> Result<(Vec<Listed>, i64), AppError> {
    let municipality = user.own_municipality()?;
    let pattern = filter
        .words
        .as_deref()
        .map(|w| crate::catalogue::model::like_pattern(&w.to_lowercase()));
    let by_reference: Option<i64> = filter.words.as_deref().and_then(|w| {
        let w = w.trim();
        w.strip_prefix("H-")
            .or_else(|| w.strip_prefix("h-"))
            .unwrap_or(w)
            .parse()
            .ok()
    });
    let handled = crate::reference::municipalities::handled_by(conn, municipality.get())?;
    let filtered = || {
        let mut q = hulpvragen::table
            .filter(hulpvragen::municipality_id.eq_any(handled.clone()))
            .into_boxed();
        if let Some(s) = filter.status {
            q = q.filter(hulpvragen::status.eq(s));
        }
        if let Some(p) = &pattern {
            // The case number, or the portal's reference a provider names ("H-12").
            match by_reference {
                Some(id) => {
                    q = q.filter(
                        lower(hulpvragen::case_number)
                            .like(p.clone())
                            .escape('\\')
                            .or(hulpvragen::id.eq(id)),
                    )
                }
                None => q = q.filter(lower(hulpvragen::case_number).like(p.clone()).escape('\\')),
            }
        }
        if let Some(provider) = filter.provider {
            q = q.filter(hulpvragen::provider_id.eq(provider));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<Hulpvraag> = filtered()
        .order((hulpvragen::updated_at.desc(), hulpvragen::id.desc()))
        .limit(per_page)
        .offset(i64::from(page.saturating_sub(1)) * per_page)
        .select(Hulpvraag::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().filter_map(|h| h.provider_id).collect();
    let names: HashMap<i64, String> = providers::table
        .filter(providers::id.eq_any(&ids))
        .select((providers::id, providers::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let hulpvraag_ids: Vec<i64> = rows.iter().map(|h| h.id).collect();
    let planned: HashMap<i64, chrono::NaiveDate> = care_requests::table
        .filter(care_requests::hulpvraag_id.eq_any(&hulpvraag_ids))
        .filter(care_requests::answer.eq(RequestAnswer::Geaccepteerd))
        .filter(care_requests::expected_start.is_not_null())
        .select((
            care_requests::hulpvraag_id,
            care_requests::expected_start.assume_not_null(),
        ))
        .load::<(i64, chrono::NaiveDate)>(conn)?
        .into_iter()
        .collect();
    Ok((
        rows.into_iter()
            .map(|h| Listed {
                provider: h.provider_id.and_then(|p| names.get(&p).cloned()),
                expected_start: planned.get(&h.id).copied(),
                hulpvraag: h,
            })
            .collect(),
        total,
    ))
}

/// One request in a provider's work list: what the provider needs to know, no person.
pub struct ProviderRequest {
    pub request: CareRequest,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub municipality_id: i64,
    pub age_band: String,
    pub kader: crate::domain::hulpvraag::Kader,
    pub notes: String,
    /// The portal's reference of the hulpvraag ("H-12"), to refer to when contacting the
    /// worker; the municipality's case number stays with the municipality.
    pub reference: String,
    /// The worker's name and work address.
    pub worker: Option<(String, String)>,
    /// Asked under the 12-month guarantee: the provider's earlier trajectory again.
    pub under_guarantee: bool,
}

/// profile, intensity, municipality, age band, kader, notes
pub(super) type RequestContext = (i64, i64, i64, String, Kader, String);

/// What the provider's list selects of a request and its hulpvraag.
macro_rules! request_row {
    () => {
        (
            CareRequest::as_select(),
            (
                hulpvragen::profile_id,
                hulpvragen::intensity_id,
                hulpvragen::municipality_id,
                hulpvragen::age_band,
                hulpvragen::kader,
                hulpvragen::notes,
            ),
            (
                hulpvragen::id,
                hulpvragen::worker_id,
                hulpvragen::guarantee,
                hulpvragen::guarantee_trajectory_id,
            ),
        )
    };
}

pub fn list_for_provider(
    conn: &mut DbConnection,
    user: &SessionUser,
    open_only: bool,
    page: u32,
    per_page: i64,
) -> Result<(Vec<ProviderRequest>, i64), AppError> {
    let provider = user.own_provider()?;
    let filtered = || {
        let mut q = care_requests::table
            .inner_join(hulpvragen::table)
            .filter(care_requests::provider_id.eq(provider))
            .into_boxed();
        if open_only {
            q = q.filter(care_requests::answer.eq(RequestAnswer::Open));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows: Vec<RequestRow> = filtered()
        .order((care_requests::chosen_at.desc(), care_requests::id.desc()))
        .limit(per_page)
        .offset(i64::from(page.saturating_sub(1)) * per_page)
        .select(request_row!())
        .load(conn)?;
    Ok((with_workers(conn, rows)?, total))
}

type RequestRow = (
    CareRequest,
    RequestContext,
    (
        i64,
        i64,
        Option<crate::choice::model::Guarantee>,
        Option<i64>,
    ),
);

/// One request as the provider's list shows it (already checked to be the provider's own).
pub fn provider_request(
    conn: &mut DbConnection,
    request: CareRequest,
) -> Result<ProviderRequest, AppError> {
    let row: RequestRow = care_requests::table
        .inner_join(hulpvragen::table)
        .filter(care_requests::id.eq(request.id))
        .select(request_row!())
        .first(conn)?;
    with_workers(conn, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

fn with_workers(
    conn: &mut DbConnection,
    rows: Vec<RequestRow>,
) -> Result<Vec<ProviderRequest>, AppError> {
    let worker_ids: Vec<i64> = rows.iter().map(|r| r.2.1).collect();
    let earlier: Vec<i64> = rows.iter().filter_map(|r| r.2.3).collect();
    let bound: HashMap<i64, i64> = crate::db::schema::trajectories::table
        .filter(crate::db::schema::trajectories::id.eq_any(&earlier))
        .select((
            crate::db::schema::trajectories::id,
            crate::db::schema::trajectories::provider_id,
        ))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let workers: HashMap<i64, (String, String)> = crate::db::schema::users::table
        .filter(crate::db::schema::users::id.eq_any(&worker_ids))
        .select((
            crate::db::schema::users::id,
            crate::db::schema::users::name,
            crate::db::schema::users::email,
        ))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, name, email)| (id, (name, email)))
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(
                request,
                (profile_id, intensity_id, municipality_id, age_band, kader, notes),
                (hulpvraag_id, worker_id, guarantee, earlier),
            )| {
                // Only the provider of the earlier trajectory is bound by it.
                let under_guarantee = guarantee == Some(crate::choice::model::Guarantee::Heropend)
                    && earlier.and_then(|t| bound.get(&t)) == Some(&request.provider_id);
                ProviderRequest {
                    request,
                    profile_id,
                    intensity_id,
                    municipality_id,
                    age_band,
                    kader,
                    notes,
                    reference: reference_of(hulpvraag_id),
                    worker: workers.get(&worker_id).cloned(),
                    under_guarantee,
                }
            },
        )
        .collect())
}

/// How many hulpvragen of a municipality are in each status, for the worker's start page.
pub fn count_by_status(
    conn: &mut DbConnection,
    municipality_id: MunicipalityId,
) -> QueryResult<HashMap<Status, i64>> {
    use diesel::dsl::count_star;
    let handled = crate::reference::municipalities::handled_by(conn, municipality_id.get())?;
    Ok(hulpvragen::table
        .filter(hulpvragen::municipality_id.eq_any(handled))
        .group_by(hulpvragen::status)
        .select((hulpvragen::status, count_star()))
        .load::<(Status, i64)>(conn)?
        .into_iter()
        .collect())
}

/// Hulpvragen where the family may choose but needs the worker: it asked for help, or a
/// provider declined and no one on the list is left to choose. Counted per status, so the
/// worker's work can take them out of "the family chooses".
pub fn count_needing_worker(
    conn: &mut DbConnection,
    municipality_id: MunicipalityId,
) -> QueryResult<HashMap<Status, i64>> {
    use crate::db::schema::hulpvraag_shortlist;
    let handled = crate::reference::municipalities::handled_by(conn, municipality_id.get())?;
    let choosing: Vec<(i64, Status, bool)> = hulpvragen::table
        .filter(hulpvragen::municipality_id.eq_any(handled))
        .filter(hulpvragen::status.eq_any([Status::Open, Status::Afgewezen]))
        .select((
            hulpvragen::id,
            hulpvragen::status,
            hulpvragen::help_asked_at.is_not_null(),
        ))
        .load(conn)?;
    let declined_ids: Vec<i64> = choosing
        .iter()
        .filter(|(_, status, _)| *status == Status::Afgewezen)
        .map(|(id, _, _)| *id)
        .collect();
    let mut choosable: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for chunk in declined_ids.chunks(10_000) {
        let listed: Vec<(i64, i64)> = hulpvraag_shortlist::table
            .filter(hulpvraag_shortlist::hulpvraag_id.eq_any(chunk))
            .select((
                hulpvraag_shortlist::hulpvraag_id,
                hulpvraag_shortlist::provider_id,
            ))
            .load(conn)?;
        let declined: std::collections::HashSet<(i64, i64)> = care_requests::table
            .filter(care_requests::hulpvraag_id.eq_any(chunk))
            .filter(care_requests::answer.eq(RequestAnswer::Afgewezen))
            .select((care_requests::hulpvraag_id, care_requests::provider_id))
            .load::<(i64, i64)>(conn)?
            .into_iter()
            .collect();
        choosable.extend(
            listed
                .into_iter()
                .filter(|pair| !declined.contains(pair))
                .map(|(h, _)| h),
        );
    }
    let mut counts = HashMap::new();
    for (id, status, help_asked) in choosing {
        let stuck = status == Status::Afgewezen && !choosable.contains(&id);
        if help_asked || stuck {
            *counts.entry(status).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

/// How many requests wait for the provider's answer.
pub fn count_unanswered(conn: &mut DbConnection, provider_id: ProviderId) -> QueryResult<i64> {
    care_requests::table
        .filter(care_requests::provider_id.eq(provider_id))
        .filter(care_requests::answer.eq(RequestAnswer::Open))
        .count()
        .get_result(conn)
}

/// The providers chosen on the municipality's hulpvragen, by name: what the worker's list
/// can be filtered on.
pub fn chosen_providers(
    conn: &mut DbConnection,
    user: &SessionUser,
) -> Result<Vec<(i64, String)>, AppError> {
    let municipality = user.own_municipality()?;
    let handled = crate::reference::municipalities::handled_by(conn, municipality.get())?;
    Ok(hulpvragen::table
        .inner_join(providers::table.on(providers::id.nullable().eq(hulpvragen::provider_id)))
        .filter(hulpvragen::municipality_id.eq_any(handled))
        .select((providers::id, providers::name))
        .distinct()
        .order(providers::name)
        .load(conn)?)
}

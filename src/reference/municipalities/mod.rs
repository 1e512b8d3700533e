//! Municipalities managed in the portal (`/beheer/gemeenten`): add one with its CBS code,
//! rename it, merge several into one from a date. A merger moves the offers and the
//! workers to the new municipality; hulpvragen and trajectories keep the municipality they
//! had; a filter or an old address that names a merged one leads to the new one
//! (`ReferenceData::current_by_slug`).

mod pages;
pub mod routes;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{municipalities, offer_municipalities, offers, users};
use crate::domain::principal::RegionScope;
use crate::reference::model::ReferenceData;
use crate::web::FieldError;

/// Why a change is refused: the field and the Dutch sentence.
pub type Refused = Vec<FieldError>;

fn refused(field: &str, message: impl Into<String>) -> Refused {
    vec![FieldError::new(field, message)]
}

/// The municipalities whose hulpvragen a worker of `own` handles: its own, and those that
/// merged into it (their hulpvragen keep the old municipality).
pub fn handled_by(conn: &mut DbConnection, own: i64) -> QueryResult<Vec<i64>> {
    municipalities::table
        .filter(
            municipalities::id
                .eq(own)
                .or(municipalities::merged_into_id.eq(own)),
        )
        .select(municipalities::id)
        .load(conn)
}

/// The municipality that `id` is today: itself, or the one it merged into (following a
/// chain of mergers).
pub fn current(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    let today = crate::clock::today();
    let mut at = id;
    for _ in 0..16 {
        let next: Option<(Option<i64>, Option<NaiveDate>)> = municipalities::table
            .find(at)
            .select((municipalities::merged_into_id, municipalities::merged_on))
            .first(conn)
            .optional()?;
        match next {
            Some((Some(into), Some(on))) if on <= today => at = into,
            _ => break,
        }
    }
    Ok(at)
}

/// A CBS gemeentecode: four digits.
pub fn cbs_code(typed: &str) -> Option<String> {
    let code = typed.trim();
    (code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())).then(|| code.to_owned())
}

/// Adds a municipality with its CBS code to a region in the actor's scope.
pub fn add(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    name: &str,
    code: &str,
    region_id: i64,
) -> Result<Result<i64, Refused>, diesel::result::Error> {
    let name = name.trim();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(FieldError::new(
            "naam",
            "Vul de naam van de gemeente in (hoogstens 80 tekens).",
        ));
    }
    let code = cbs_code(code);
    if code.is_none() {
        errors.push(FieldError::new(
            "cbs",
            "Vul de CBS-gemeentecode in: vier cijfers, bijvoorbeeld 0503.",
        ));
    }
    if reference.region(region_id).is_none() || !scope.includes(region_id) {
        errors.push(FieldError::new("regio", "Kies de regio van de gemeente."));
    }
    let slug = crate::web::text::slugify(name);
    if reference.municipalities.iter().any(|m| m.slug == slug) {
        errors.push(FieldError::new(
            "naam",
            "Er is al een gemeente met deze naam.",
        ));
    }
    if let Some(code) = &code
        && reference.municipalities.iter().any(|m| &m.cbs_code == code)
    {
        errors.push(FieldError::new(
            "cbs",
            "Deze CBS-code heeft al een andere gemeente.",
        ));
    }
    let (Some(code), true) = (code, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    conn.write_transaction(|conn| {
        let id: i64 = diesel::insert_into(municipalities::table)
            .values((
                municipalities::region_id.eq(region_id),
                municipalities::slug.eq(&slug),
                municipalities::name.eq(name),
                municipalities::cbs_code.eq(&code),
            ))
            .returning(municipalities::id)
            .get_result(conn)?;
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: by,
                action: "gemeente toegevoegd",
                entity: "municipality",
                entity_id: Some(id),
                field: "naam",
                old_value: None,
                new_value: Some(&format!("{name} ({code})")),
            },
        )?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(id))
    })
}

/// A new name; the address (slug) stays, so links keep working.
pub fn rename(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    id: i64,
    name: &str,
) -> Result<Result<(), Refused>, diesel::result::Error> {
    let Some(old) = reference
        .municipality(id)
        .filter(|m| scope.includes(m.region_id))
    else {
        return Ok(Err(refused("naam", "Deze gemeente beheert u niet.")));
    };
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Ok(Err(refused(
            "naam",
            "Vul de naam van de gemeente in (hoogstens 80 tekens).",
        )));
    }
    conn.write_transaction(|conn| {
        diesel::update(municipalities::table.find(id))
            .set(municipalities::name.eq(name))
            .execute(conn)?;
        crate::audit::fields(
            conn,
            by,
            "municipality",
            id,
            &[("naam", old.name.clone(), name.to_owned())],
        )?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(()))
    })
}

/// Merges `merged` into `into` from `on`: the merged ones point to it, the offers and the
/// workers move to it; hulpvragen and trajectories stay as they were. A merger dated in the
/// future is kept and carried out on its day by the daily job ([`carry_out_due`]). Runs in
/// the caller's transaction or its own.
pub fn merge(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    merged: &[i64],
    into: i64,
    on: NaiveDate,
) -> Result<Result<(), Refused>, diesel::result::Error> {
    let Some(target) = reference.municipality(into).filter(|m| {
        scope.includes(m.region_id) && m.merged_into_id.is_none() && m.moves_on.is_none()
    }) else {
        return Ok(Err(refused(
            "in",
            "Kies de gemeente waarin ze opgaan: een gemeente die blijft en niet verhuist.",
        )));
    };
    let today = crate::clock::today();
    let olds: Vec<_> = merged
        .iter()
        .filter(|id| **id != into)
        .filter_map(|id| reference.municipality(*id))
        .collect();
    if olds.is_empty() || olds.len() != merged.iter().filter(|id| **id != into).count() {
        return Ok(Err(refused("gemeente", "Kies de gemeenten die samengaan.")));
    }
    if let Some(other) = olds.iter().find(|m| {
        m.region_id != target.region_id || m.merged_into_id.is_some() || m.moves_on.is_some()
    }) {
        return Ok(Err(refused(
            "gemeente",
            format!(
                "{} hoort niet bij dezelfde regio, is al samengevoegd of gaat verhuizen.",
                other.name
            ),
        )));
    }
    let old_ids: Vec<i64> = olds.iter().map(|m| m.id).collect();
    conn.write_transaction(|conn| {
        diesel::update(municipalities::table.filter(municipalities::id.eq_any(&old_ids)))
            .set((
                municipalities::merged_into_id.eq(into),
                municipalities::merged_on.eq(on),
            ))
            .execute(conn)?;
        let (offers, workers) = if on <= today {
            move_offers_and_workers(conn, &old_ids, into)?
        } else {
            // The hourly job carries it out on its day (`carry_out_due`).
            (0, 0)
        };
        for old in &olds {
            crate::audit::record(
                conn,
                &crate::audit::Change {
                    user_id: by,
                    action: if on <= today {
                        "gemeente samengevoegd"
                    } else {
                        "samenvoeging gepland"
                    },
                    entity: "municipality",
                    entity_id: Some(old.id),
                    field: "opgegaan in",
                    old_value: Some(&old.name),
                    new_value: Some(&format!("{} vanaf {on}", target.name)),
                },
            )?;
        }
        crate::read_model::scores_changed(conn)?;
        tracing::info!(merged = old_ids.len(), into, offers, workers, %on, "municipalities merged");
        Ok(Ok(()))
    })
}

/// Moves the offers and the workers of merged municipalities to the one they merged into:
/// the new municipality where an old one was (once), the old ones out. Returns the number
/// of offers and of workers moved.
fn move_offers_and_workers(
    conn: &mut DbConnection,
    old_ids: &[i64],
    into: i64,
) -> QueryResult<(usize, usize)> {
    {
        let moved: Vec<i64> = offer_municipalities::table
            .filter(offer_municipalities::municipality_id.eq_any(old_ids))
            .select(offer_municipalities::offer_id)
            .distinct()
            .load(conn)?;
        let already: Vec<i64> = offer_municipalities::table
            .filter(offer_municipalities::municipality_id.eq(into))
            .filter(offer_municipalities::offer_id.eq_any(&moved))
            .select(offer_municipalities::offer_id)
            .load(conn)?;
        for offer in moved.iter().filter(|o| !already.contains(o)) {
            diesel::insert_into(offer_municipalities::table)
                .values((
                    offer_municipalities::offer_id.eq(*offer),
                    offer_municipalities::municipality_id.eq(into),
                ))
                .execute(conn)?;
        }
        diesel::delete(
            offer_municipalities::table
                .filter(offer_municipalities::municipality_id.eq_any(old_ids)),
        )
        .execute(conn)?;
        let workers = diesel::update(users::table.filter(users::municipality_id.eq_any(old_ids)))
            .set(users::municipality_id.eq(into))
            .execute(conn)?;
        if !moved.is_empty() {
            let providers: Vec<i64> = offers::table
                .filter(offers::id.eq_any(&moved))
                .select(offers::provider_id)
                .distinct()
                .load(conn)?;
            crate::read_model::providers_changed(conn, &providers)?;
        }
        Ok((moved.len(), workers))
    }
}

/// The daily job's part: carries out the mergers and moves whose day has come (those dated
/// in the future when they were entered). Returns how many municipalities it changed.
pub fn carry_out_due(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<usize> {
    conn.write_transaction(|conn| {
        let merged: Vec<(i64, Option<i64>)> = municipalities::table
            .filter(municipalities::merged_on.le(today))
            .select((municipalities::id, municipalities::merged_into_id))
            .load(conn)?;
        let mut changed = 0;
        for (id, into) in merged {
            let Some(into) = into else { continue };
            let (offers, workers) = move_offers_and_workers(conn, &[id], into)?;
            if offers + workers > 0 {
                changed += 1;
                crate::audit::record(
                    conn,
                    &crate::audit::Change {
                        user_id: None,
                        action: "samenvoeging uitgevoerd",
                        entity: "municipality",
                        entity_id: Some(id),
                        field: "aanbod en medewerkers",
                        old_value: None,
                        new_value: Some(&format!("{offers} aanbod, {workers} medewerkers")),
                    },
                )?;
                tracing::info!(id, into, offers, workers, "merger carried out on its day");
            }
        }
        let moves: Vec<(i64, Option<i64>)> = municipalities::table
            .filter(municipalities::moves_on.le(today))
            .select((municipalities::id, municipalities::moves_to_region_id))
            .load(conn)?;
        for (id, region) in moves {
            diesel::update(municipalities::table.find(id))
                .set((
                    municipalities::moves_to_region_id.eq(None::<i64>),
                    municipalities::moves_on.eq(None::<NaiveDate>),
                ))
                .execute(conn)?;
            if let Some(region) = region {
                carry_out_move(conn, id, region)?;
                changed += 1;
                crate::audit::record(
                    conn,
                    &crate::audit::Change {
                        user_id: None,
                        action: "verhuizing uitgevoerd",
                        entity: "municipality",
                        entity_id: Some(id),
                        field: "regio",
                        old_value: None,
                        new_value: Some(&region.to_string()),
                    },
                )?;
                tracing::info!(id, region, "move to another region carried out on its day");
            }
        }
        if changed > 0 {
            crate::read_model::scores_changed(conn)?;
        }
        Ok(changed)
    })
}

/// Puts a municipality in another region: offers of other regions no longer cover it.
fn carry_out_move(conn: &mut DbConnection, id: i64, region_id: i64) -> QueryResult<()> {
    diesel::update(municipalities::table.find(id))
        .set(municipalities::region_id.eq(region_id))
        .execute(conn)?;
    let offers_there: Vec<i64> = offer_municipalities::table
        .filter(offer_municipalities::municipality_id.eq(id))
        .select(offer_municipalities::offer_id)
        .load(conn)?;
    let providers: Vec<i64> = offers::table
        .filter(offers::id.eq_any(&offers_there))
        .select(offers::provider_id)
        .distinct()
        .load(conn)?;
    diesel::delete(
        offer_municipalities::table
            .filter(offer_municipalities::municipality_id.eq(id))
            .filter(
                offer_municipalities::offer_id.eq_any(
                    offers::table
                        .filter(offers::region_id.ne(region_id))
                        .select(offers::id),
                ),
            ),
    )
    .execute(conn)?;
    crate::read_model::providers_changed(conn, &providers)?;
    Ok(())
}

/// Moves a municipality to another region from `on`. Offers there are the old region's (a
/// provider is admitted per region), so they no longer cover it; workers follow the
/// municipality; hulpvragen and trajectories keep the region they had. A move dated in the
/// future is kept and carried out on its day by the daily job ([`carry_out_due`]).
pub fn move_to_region(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    id: i64,
    region_id: i64,
    on: NaiveDate,
) -> Result<Result<(), Refused>, diesel::result::Error> {
    let Some(municipality) = reference.municipality(id).filter(|m| {
        scope.includes(m.region_id) && m.merged_into_id.is_none() && m.moves_on.is_none()
    }) else {
        return Ok(Err(refused(
            "verhuis_gemeente",
            "Kies een gemeente die u beheert en die nog niet samengaat of verhuist.",
        )));
    };
    let Some(region) = reference
        .region(region_id)
        .filter(|r| r.id != municipality.region_id)
    else {
        return Ok(Err(refused("regio", "Kies een andere regio.")));
    };
    // Both regions are the actor's: a regional beheerder gives nothing away.
    if !scope.includes(region.id) {
        return Ok(Err(refused("regio", "Deze regio beheert u niet.")));
    }
    let now = on <= crate::clock::today();
    conn.write_transaction(|conn| {
        if now {
            carry_out_move(conn, id, region.id)?;
        } else {
            diesel::update(municipalities::table.find(id))
                .set((
                    municipalities::moves_to_region_id.eq(Some(region.id)),
                    municipalities::moves_on.eq(Some(on)),
                ))
                .execute(conn)?;
        }
        let old_region = reference
            .region(municipality.region_id)
            .map_or("", |r| r.name.as_str());
        crate::audit::record(
            conn,
            &crate::audit::Change {
                user_id: by,
                action: if now {
                    "gemeente verhuisd"
                } else {
                    "verhuizing gepland"
                },
                entity: "municipality",
                entity_id: Some(id),
                field: "regio",
                old_value: Some(old_region),
                new_value: Some(&format!("{} vanaf {on}", region.name)),
            },
        )?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(()))
    })
}

//! The catalogue's read model, `catalogue_entries`: one row per public offer and
//! municipality, and `providers.in_catalogue`. Every change that can alter what the public sees (a provider's status, an
//! admission, an offer) calls [`refresh`] for that provider in the same transaction; the
//! search then never joins admissions or providers.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{admissions, catalogue_entries, offer_municipalities, offers, providers};
use crate::providers::{AdmissionStatus, ProviderStatus};

/// Rebuilds the entries of these providers from their current offers and admissions.
pub fn refresh(conn: &mut DbConnection, provider_ids: &[i64]) -> QueryResult<()> {
    for chunk in provider_ids.chunks(500) {
        diesel::delete(
            catalogue_entries::table.filter(catalogue_entries::provider_id.eq_any(chunk)),
        )
        .execute(conn)?;
        let public = offers::table
            .inner_join(offer_municipalities::table)
            .inner_join(providers::table)
            .inner_join(
                admissions::table.on(admissions::provider_id
                    .eq(offers::provider_id)
                    .and(admissions::region_id.eq(offers::region_id))),
            )
            .filter(offers::provider_id.eq_any(chunk))
            .filter(providers::status.eq(ProviderStatus::Actief))
            .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
            .select((
                offer_municipalities::municipality_id,
                offers::profile_id,
                offers::intensity_id,
                offers::provider_id,
                offers::id,
            ));
        diesel::insert_into(catalogue_entries::table)
            .values(public)
            .into_columns((
                catalogue_entries::municipality_id,
                catalogue_entries::profile_id,
                catalogue_entries::intensity_id,
                catalogue_entries::provider_id,
                catalogue_entries::offer_id,
            ))
            .execute(conn)?;
        diesel::update(providers::table.filter(providers::id.eq_any(chunk)))
            .set(providers::in_catalogue.eq(false))
            .execute(conn)?;
        diesel::update(
            providers::table.filter(
                providers::id.eq_any(
                    catalogue_entries::table
                        .filter(catalogue_entries::provider_id.eq_any(chunk))
                        .select(catalogue_entries::provider_id),
                ),
            ),
        )
        .set(providers::in_catalogue.eq(true))
        .execute(conn)?;
    }
    super::cache::bump(conn)
}

/// Rebuilds every entry: for repairs, and to check that the incremental refreshes agree.
pub fn rebuild(conn: &mut DbConnection) -> QueryResult<()> {
    let ids: Vec<i64> = providers::table.select(providers::id).load(conn)?;
    diesel::delete(catalogue_entries::table).execute(conn)?;
    refresh(conn, &ids)
}

//! The catalogue's read model, below every feature: `catalogue_entries` (one row per public
//! offer and municipality, and `providers.in_catalogue`) and the `catalogue_version` counter.
//! Every change that can alter what the public sees calls in to here in its own transaction:
//! a provider's status, an admission or an offer calls [`providers_changed`] for that
//! provider, publishing scores calls [`scores_changed`]. The catalogue only reads it; the
//! search never joins admissions or providers, and a search result kept in a process is used
//! only while [`version`] is unchanged. It depends on the database and the domain only, so
//! the features that change the catalogue need not know the catalogue.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    admissions, catalogue_entries, catalogue_version, offer_municipalities, offers, providers,
};
use crate::domain::provider::{AdmissionStatus, ProviderStatus};

/// The current catalogue version.
pub fn version(conn: &mut DbConnection) -> QueryResult<i64> {
    catalogue_version::table
        .select(catalogue_version::version)
        .first(conn)
}

/// Raises the catalogue version; call in the transaction that changed what searches read
/// (published scores; [`providers_changed`] calls it itself).
pub fn scores_changed(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(catalogue_version::table)
        .set(catalogue_version::version.eq(catalogue_version::version + 1))
        .execute(conn)
        .map(|_| ())
}

/// Rebuilds the entries of these providers from their current offers and admissions.
pub fn providers_changed(conn: &mut DbConnection, provider_ids: &[i64]) -> QueryResult<()> {
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
    scores_changed(conn)
}

/// Rebuilds every entry: for repairs, and to check that the incremental refreshes agree.
pub fn rebuild(conn: &mut DbConnection) -> QueryResult<()> {
    let ids: Vec<i64> = providers::table.select(providers::id).load(conn)?;
    diesel::delete(catalogue_entries::table).execute(conn)?;
    providers_changed(conn, &ids)
}

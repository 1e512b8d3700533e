//! The procesovereenkomst of each region: versioned text plus the minimum requirements a
//! provider declares one by one. A signature always names the version signed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{process_agreements, regions};

/// The minimum requirements of the first version, as the regions' purchasing frameworks
/// word them in plain language.
pub const DEFAULT_REQUIREMENTS: [&str; 6] = [
    "Onze hulp wordt gegeven of begeleid door geregistreerde professionals (SKJ of BIG), volgens de norm voor verantwoorde werktoedeling.",
    "Iedereen die bij ons met kinderen en gezinnen werkt, heeft een Verklaring Omtrent het Gedrag (VOG) van niet ouder dan drie jaar.",
    "Wij hebben een klachtenregeling en zijn aangesloten bij een onafhankelijke geschillencommissie.",
    "Wij werken met de meldcode huiselijk geweld en kindermishandeling en onze medewerkers zijn erin getraind.",
    "Wij gaan zorgvuldig om met persoonsgegevens, volgens de AVG, en melden datalekken.",
    "Wij werken met een kwaliteitssysteem en leveren elk kwartaal de resultaten van onze trajecten aan.",
];

fn default_body(region: &str) -> String {
    format!(
        "Procesovereenkomst jeugdhulp regio {region}\n\n\
         1. Met deze overeenkomst meldt u zich aan als aanbieder van jeugdhulp in de regio {region}. \
         U kunt zich het hele jaar aanmelden.\n\
         2. De contractmanager van de regio beoordeelt uw aanmelding. Na toelating staat u in de jeugdhulpcatalogus.\n\
         3. De overeenkomst geldt drie jaar vanaf de toelating. Deze overeenkomst geeft geen recht op cliënten of omzet.\n\
         4. U houdt uw aanbod in de catalogus actueel: profielen, intensiteiten, gemeenten en wachttijd.\n\
         5. U levert elk kwartaal de resultaten van uw trajecten aan. De regio publiceert per profiel de doelrealisatie, \
         de uitval en de cliënttevredenheid, nadat u uw cijfers heeft kunnen toelichten.\n\
         6. U voldoet aan de minimale eisen hieronder. U verklaart dit zelf; de regio kan het controleren.\n\
         7. Voldoet u niet meer aan de eisen, dan kan de regio uw toelating opschorten of beëindigen."
    )
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = process_agreements)]
pub struct Agreement {
    pub id: i64,
    pub region_id: i64,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub effective_from: NaiveDate,
    pub created_at: NaiveDateTime,
    pub requirements: String,
}

impl Agreement {
    pub fn requirement_list(&self) -> Vec<&str> {
        self.requirements
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Gives every region a first version when it has none.
pub fn ensure_agreements(conn: &mut DbConnection) -> QueryResult<()> {
    let regions: Vec<(i64, String)> = regions::table
        .select((regions::id, regions::name))
        .load(conn)?;
    for (region_id, name) in regions {
        let present: i64 = process_agreements::table
            .filter(process_agreements::region_id.eq(region_id))
            .count()
            .get_result(conn)?;
        if present == 0 {
            let now = crate::clock::now();
            diesel::insert_into(process_agreements::table)
                .values((
                    process_agreements::region_id.eq(region_id),
                    process_agreements::version.eq(1),
                    process_agreements::title.eq(format!("Procesovereenkomst jeugdhulp {name}")),
                    process_agreements::body.eq(default_body(&name)),
                    process_agreements::effective_from.eq(crate::clock::date_of(now)),
                    process_agreements::created_at.eq(now),
                    process_agreements::requirements.eq(DEFAULT_REQUIREMENTS.join("\n")),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The version in force today for each region (the newest one that has taken effect).
pub fn current(conn: &mut DbConnection) -> QueryResult<Vec<Agreement>> {
    let today = crate::clock::today();
    let all: Vec<Agreement> = process_agreements::table
        .filter(process_agreements::effective_from.le(today))
        .order((
            process_agreements::region_id,
            process_agreements::version.desc(),
        ))
        .select(Agreement::as_select())
        .load(conn)?;
    let mut newest: Vec<Agreement> = Vec::new();
    for a in all {
        if newest.last().is_none_or(|n| n.region_id != a.region_id) {
            newest.push(a);
        }
    }
    Ok(newest)
}

/// Stores a new version; earlier versions and their signatures stay as they were.
pub fn publish_version(
    conn: &mut DbConnection,
    region_id: i64,
    title: &str,
    body: &str,
    requirements: &str,
    effective_from: NaiveDate,
) -> QueryResult<i32> {
    let latest: Option<i32> = process_agreements::table
        .filter(process_agreements::region_id.eq(region_id))
        .select(diesel::dsl::max(process_agreements::version))
        .first(conn)?;
    let version = latest.unwrap_or(0) + 1;
    diesel::insert_into(process_agreements::table)
        .values((
            process_agreements::region_id.eq(region_id),
            process_agreements::version.eq(version),
            process_agreements::title.eq(title),
            process_agreements::body.eq(body),
            process_agreements::effective_from.eq(effective_from),
            process_agreements::created_at.eq(crate::clock::now()),
            process_agreements::requirements.eq(requirements),
        ))
        .execute(conn)?;
    Ok(version)
}

/// Every version of the region's procesovereenkomst, newest first.
pub fn versions(conn: &mut DbConnection, region_id: i64) -> QueryResult<Vec<Agreement>> {
    process_agreements::table
        .filter(process_agreements::region_id.eq(region_id))
        .order(process_agreements::version.desc())
        .select(Agreement::as_select())
        .load(conn)
}

/// Withdraws a version that has not taken effect yet and that nobody signed; `false` when
/// there is no such version (it started, or it was signed, or it does not exist).
pub fn cancel_scheduled(
    conn: &mut DbConnection,
    region_id: i64,
    version: i32,
    today: NaiveDate,
) -> QueryResult<bool> {
    use crate::db::schema::agreement_signatures;
    let signed = agreement_signatures::table
        .select(agreement_signatures::agreement_id)
        .distinct();
    let removed = diesel::delete(
        process_agreements::table
            .filter(process_agreements::region_id.eq(region_id))
            .filter(process_agreements::version.eq(version))
            .filter(process_agreements::effective_from.gt(today))
            .filter(process_agreements::id.ne_all(signed)),
    )
    .execute(conn)?;
    Ok(removed == 1)
}

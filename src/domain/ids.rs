//! Typed ids for the keys a principal carries: a provider's id cannot be passed where a
//! region's is meant. Stored as BIGINT on both backends; in addresses and JSON the bare
//! number.

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl PartialEq<i64> for $name {
            fn eq(&self, other: &i64) -> bool {
                self.0 == *other
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.0.to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB> for $name
        where
            DB: diesel::backend::Backend,
            i64: diesel::deserialize::FromSql<diesel::sql_types::BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<$name> {
                i64::from_sql(bytes).map($name)
            }
        }
    };
}

id_type!(
    /// An aanbieder (`providers.id`).
    ProviderId
);
id_type!(
    /// A municipality (`municipalities.id`).
    MunicipalityId
);
id_type!(
    /// A youth-care region (`regions.id`).
    RegionId
);

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    use super::*;

    #[test]
    fn an_id_is_stored_and_read_as_its_number() {
        let mut conn = SqliteConnection::establish(":memory:").expect("sqlite");
        let read: ProviderId = diesel::select(ProviderId(42).into_sql::<BigInt>())
            .get_result(&mut conn)
            .expect("read back");
        assert_eq!(read, ProviderId(42));
        assert_eq!(
            serde_json::to_string(&RegionId(7)).ok().as_deref(),
            Some("7")
        );
        assert_eq!(MunicipalityId(3).to_string(), "3");
    }
}

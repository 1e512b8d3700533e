//! The portal's vocabulary, below every feature and the web layer: every status, kader,
//! answer, indicator and role is an enum here, stored as its code in a text column. Reading
//! an unknown code from the database is an error ([`UnknownValue`]), never a default; the
//! CHECK constraints of both migration trees list the same codes (a test compares them).

pub mod email;
pub mod hulpvraag;
pub mod ids;
pub mod indicator;
pub mod principal;
pub mod provider;
pub mod report;
pub mod role;
mod stored;
pub mod values;

pub use stored::UnknownValue;

/// Declares an enum stored as text: its codes, `ALL`, `as_str`, `parse`, `Display`, and
/// diesel's `ToSql`/`FromSql` for `Text` on every backend (so a query compares with the enum
/// itself: `hulpvragen::status.eq(Status::Open)`).
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as stored and as used in addresses and files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code ),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownValue;

            fn from_str(code: &str) -> Result<$name, Self::Err> {
                $name::parse(code).ok_or_else(|| $crate::domain::UnknownValue::new($kind, code))
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<$name> {
                let code = String::from_sql(bytes)?;
                Ok(code.parse::<$name>()?)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::hulpvraag::{Actor, ChosenBy, DeclineReason, Kader, RequestAnswer, Status};
    use super::indicator::{
        Comparison, GoalMark, GoalResult, Indicator, ProblemsSmaller, WithoutCare,
    };
    use super::provider::{AdmissionStatus, ProviderStatus, Setting};
    use super::report::ReportStatus;
    use super::role::Role;
    use super::values::AgeBand;

    /// Every `column IN ('a', 'b')` list of one migration tree, by column name.
    fn checks(tree: &str) -> Vec<(String, BTreeSet<String>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(tree);
        let mut found = Vec::new();
        for dir in std::fs::read_dir(&root).expect("migrations") {
            let sql = std::fs::read_to_string(dir.expect("entry").path().join("up.sql"))
                .unwrap_or_default();
            let words: Vec<&str> = sql.split_whitespace().collect();
            for (i, word) in words.iter().enumerate() {
                if *word != "IN" || i == 0 {
                    continue;
                }
                let column = words[i - 1].trim_start_matches('(').to_owned();
                let rest = words[i + 1..].join(" ");
                let Some(list) = rest.strip_prefix('(').and_then(|r| r.split(')').next()) else {
                    continue;
                };
                let codes = list
                    .split(',')
                    .map(|c| c.trim().trim_matches('\'').to_owned())
                    .collect();
                found.push((column, codes));
            }
        }
        found
    }

    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> BTreeSet<String> {
        all.iter().map(|v| code(*v).to_owned()).collect()
    }

    /// The enums and the CHECK constraints of both migration trees list the same codes: a
    /// variant added in Rust needs its migration, and the other way round.
    #[test]
    fn every_enum_matches_the_checks_of_both_migration_trees() {
        let enums = [
            ("status", codes(Status::ALL, Status::as_str)),
            ("kader", codes(Kader::ALL, Kader::as_str)),
            (
                "decline_reason",
                codes(DeclineReason::ALL, DeclineReason::as_str),
            ),
            ("answer", codes(RequestAnswer::ALL, RequestAnswer::as_str)),
            ("chosen_by", codes(ChosenBy::ALL, ChosenBy::as_str)),
            (
                "status",
                codes(AdmissionStatus::ALL, AdmissionStatus::as_str),
            ),
            ("status", codes(ProviderStatus::ALL, ProviderStatus::as_str)),
            ("status", codes(ReportStatus::ALL, ReportStatus::as_str)),
            ("role", codes(Role::ALL, Role::as_str)),
            ("setting", codes(Setting::ALL, Setting::as_str)),
            (
                "topic",
                codes(
                    super::provider::ListingTopic::ALL,
                    super::provider::ListingTopic::as_str,
                ),
            ),
            ("indicator", codes(Indicator::ALL, Indicator::as_str)),
            ("age_band", codes(AgeBand::ALL, AgeBand::as_str)),
            ("actor", codes(Actor::ALL, Actor::as_str)),
            ("goal_result", codes(GoalResult::ALL, GoalResult::as_str)),
            ("result", codes(GoalMark::ALL, GoalMark::as_str)),
            (
                "guarantee",
                codes(
                    crate::domain::hulpvraag::Guarantee::ALL,
                    crate::domain::hulpvraag::Guarantee::as_str,
                ),
            ),
            ("comparison", codes(Comparison::ALL, Comparison::as_str)),
            ("without_care", codes(WithoutCare::ALL, WithoutCare::as_str)),
            (
                "problems_smaller",
                codes(ProblemsSmaller::ALL, ProblemsSmaller::as_str),
            ),
        ];
        for tree in ["sqlite", "postgres"] {
            let found = checks(tree);
            for (column, expected) in &enums {
                assert!(
                    found.iter().any(|(c, set)| c == column && set == expected),
                    "{tree}: no CHECK ({column} IN {expected:?}); found {:?}",
                    found
                        .iter()
                        .filter(|(c, _)| c == column)
                        .collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn an_unknown_stored_code_is_an_error_not_a_default() {
        assert_eq!("gestart".parse::<Status>(), Ok(Status::Gestart));
        let error = "bijna".parse::<Status>().expect_err("unknown");
        assert_eq!(error.to_string(), "unknown hulpvraag status: \"bijna\"");
        assert!("".parse::<Kader>().is_err());
        for status in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(status.as_str()), Some(*status));
        }
    }

    /// Read from the database, a known code becomes its variant and an unknown one fails
    /// the query (no silent `Open`).
    #[test]
    fn a_stored_code_is_read_typed() {
        use diesel::prelude::*;
        use diesel::sql_types::Text;
        let mut conn = SqliteConnection::establish(":memory:").expect("sqlite");
        let read = |conn: &mut SqliteConnection, code: &str| {
            diesel::select(code.into_sql::<Text>()).get_result::<Status>(conn)
        };
        assert_eq!(read(&mut conn, "afgesloten").ok(), Some(Status::Afgesloten));
        let error = read(&mut conn, "bijna").expect_err("unknown code");
        assert!(
            format!("{error:?}").contains("kind: \"hulpvraag status\", value: \"bijna\""),
            "{error:?}"
        );
        let written: String = diesel::select(Status::Gekozen.into_sql::<Text>())
            .get_result(&mut conn)
            .expect("written as its code");
        assert_eq!(written, "gekozen");
    }
}

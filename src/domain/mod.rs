//! The portal's vocabulary, below every feature and the web layer: every status, kader,
//! answer, indicator and role is an enum here, stored as its code in a text column. Reading
//! an unknown code from the database is an error ([`UnknownValue`]), never a default; the
//! CHECK constraints of both migration trees list the same codes (a test compares them).

pub mod hulpvraag;
mod stored;

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

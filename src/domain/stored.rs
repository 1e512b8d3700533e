//! The error of a stored code that no enum knows.

/// A code read from the database (or a file) that is not one of the enum's: the data is
/// wrong or newer than this program, and the request fails rather than guess.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub fn new(kind: &'static str, value: &str) -> UnknownValue {
        UnknownValue {
            kind,
            value: value.to_owned(),
        }
    }
}

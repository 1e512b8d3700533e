//! The words of a score report's review.

crate::stored_enum! {
    /// Where a quarter's score report is in its review.
    pub enum ReportStatus("report status") {
        /// The provider is looking at it and may explain its numbers.
        Concept = "concept",
        /// Submitted; waits for a contract manager.
        Ingediend = "ingediend",
        /// Sent back with a comment; the provider may explain and submit again.
        Teruggestuurd = "teruggestuurd",
        /// Public; never changed again (a correction is a new version).
        Gepubliceerd = "gepubliceerd",
    }
}

impl ReportStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Concept => "concept",
            ReportStatus::Ingediend => "ingediend, wacht op de contractmanager",
            ReportStatus::Teruggestuurd => "teruggestuurd door de contractmanager",
            ReportStatus::Gepubliceerd => "gepubliceerd",
        }
    }
}

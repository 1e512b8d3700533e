//! The four indicators of a provider's results (DOMAIN.md): what they are called, which
//! direction is better, and how a value is written.

crate::stored_enum! {
    /// In the order the score tables show them.
    pub enum Indicator("indicator") {
        Doelrealisatie = "doelrealisatie",
        Uitval = "uitval",
        Terugval = "terugval",
        Clienttevredenheid = "clienttevredenheid",
    }
}

impl Indicator {
    /// The four, in table order.
    pub const EVERY: [Indicator; 4] = [
        Indicator::Doelrealisatie,
        Indicator::Uitval,
        Indicator::Terugval,
        Indicator::Clienttevredenheid,
    ];

    /// Plain Dutch for a table heading.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Doelrealisatie => "Doelen bereikt",
            Indicator::Uitval => "Voortijdig gestopt (uitval)",
            Indicator::Terugval => "Binnen een jaar weer hulp nodig (terugval)",
            Indicator::Clienttevredenheid => "Tevredenheid (cijfer 1 tot 10)",
        }
    }

    /// Whether a higher value is better for the family (lower uitval and terugval are).
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Indicator::Doelrealisatie | Indicator::Clienttevredenheid
        )
    }

    /// A mean mark from 1 to 10, not a share of cases.
    pub fn is_mean(self) -> bool {
        self == Indicator::Clienttevredenheid
    }

    /// A value as families read it: "85%", or a mark with a decimal comma ("7,8").
    pub fn format(self, value: f64) -> String {
        if self.is_mean() {
            format!("{value:.1}").replace('.', ",")
        } else {
            format!("{:.0}%", value * 100.0)
        }
    }
}

crate::stored_enum! {
    /// How far a trajectory reached its goals, as the provider reports it.
    pub enum GoalResult("goal result") {
        Behaald = "behaald",
        DeelsBehaald = "deels_behaald",
        NietBehaald = "niet_behaald",
        Onbekend = "onbekend",
    }
}

impl GoalResult {
    /// As people type it in a file or a form: any case, a space or an underscore, "deels"
    /// for partly, and an empty field for unknown.
    pub fn read(typed: &str) -> Option<GoalResult> {
        match typed.trim().to_lowercase().replace('_', " ").as_str() {
            "behaald" => Some(GoalResult::Behaald),
            "deels behaald" | "deels" => Some(GoalResult::DeelsBehaald),
            "niet behaald" => Some(GoalResult::NietBehaald),
            "onbekend" | "" => Some(GoalResult::Onbekend),
            _ => None,
        }
    }
}

crate::stored_enum! {
    /// How a provider's value compares with the region's, read in the indicator's direction:
    /// outside the funnel's 95% limits it is better or worse, inside it is similar.
    pub enum Comparison("comparison") {
        Beter = "better",
        Vergelijkbaar = "similar",
        MinderGoed = "worse",
    }
}

impl Comparison {
    pub fn label(self) -> &'static str {
        match self {
            Comparison::Beter => "beter dan gemiddeld",
            Comparison::Vergelijkbaar => "vergelijkbaar met gemiddeld",
            Comparison::MinderGoed => "minder goed dan gemiddeld",
        }
    }
}

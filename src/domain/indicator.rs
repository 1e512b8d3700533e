//! The six indicators of a provider's results (DOMAIN.md, and Alkmaar's 3.1 and 3.3): what
//! they are called, which direction is better, and how a value is written.

crate::stored_enum! {
    /// In the order the score tables show them.
    pub enum Indicator("indicator") {
        Doelrealisatie = "doelrealisatie",
        ZonderHulp = "zonder_hulp",
        ProblemenKleiner = "problemen_kleiner",
        Uitval = "uitval",
        Terugval = "terugval",
        Clienttevredenheid = "clienttevredenheid",
    }
}

impl Indicator {
    /// The six, in table order: Alkmaar ranks 3.1 and 3.3 right after the goals.
    pub const EVERY: [Indicator; 6] = [
        Indicator::Doelrealisatie,
        Indicator::ZonderHulp,
        Indicator::ProblemenKleiner,
        Indicator::Uitval,
        Indicator::Terugval,
        Indicator::Clienttevredenheid,
    ];

    /// Plain Dutch for a table heading.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Doelrealisatie => "Doelen bereikt",
            Indicator::ZonderHulp => "Kan verder zonder jeugdhulp",
            Indicator::ProblemenKleiner => "Problemen kleiner geworden",
            Indicator::Uitval => "Voortijdig gestopt (uitval)",
            Indicator::Terugval => "Binnen een jaar weer hulp nodig (terugval)",
            Indicator::Clienttevredenheid => "Tevredenheid (cijfer 1 tot 10)",
        }
    }

    /// What the figure beside the value is the share of, where there is one.
    pub fn extra_label(self) -> Option<&'static str> {
        match self {
            Indicator::Doelrealisatie | Indicator::ProblemenKleiner => Some("deels"),
            Indicator::ZonderHulp => Some("met lichtere hulp"),
            Indicator::Clienttevredenheid => Some("7 of hoger"),
            Indicator::Uitval | Indicator::Terugval => None,
        }
    }

    /// Whether a higher value is better for the family (lower uitval and terugval are).
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Indicator::Doelrealisatie
                | Indicator::ZonderHulp
                | Indicator::ProblemenKleiner
                | Indicator::Clienttevredenheid
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
    /// How far one agreed goal was reached, as the worker marks it at closing.
    pub enum GoalMark("goal mark") {
        Behaald = "behaald",
        DeelsBehaald = "deels_behaald",
        NietBehaald = "niet_behaald",
    }
}

impl GoalMark {
    pub fn label(self) -> &'static str {
        match self {
            GoalMark::Behaald => "Behaald",
            GoalMark::DeelsBehaald => "Deels behaald",
            GoalMark::NietBehaald => "Niet behaald",
        }
    }
}

/// The agreed goals of one trajectory as counts: how many were agreed, reached and partly
/// reached. Only these counts leave the hulpvraag; the goals' words stay with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalCounts {
    pub agreed: u8,
    pub reached: u8,
    pub partly: u8,
}

/// The most goals one trajectory may have: a plan families can keep in mind.
pub const MAX_GOALS: u8 = 5;

impl GoalCounts {
    /// Counts that make sense: one to [`MAX_GOALS`] agreed, and no more marked than agreed.
    pub fn new(agreed: u8, reached: u8, partly: u8) -> Option<GoalCounts> {
        ((1..=MAX_GOALS).contains(&agreed)
            && u16::from(reached) + u16::from(partly) <= u16::from(agreed))
        .then_some(GoalCounts {
            agreed,
            reached,
            partly,
        })
    }

    /// The counts of these marks (none when nothing was agreed).
    pub fn of_marks(marks: &[GoalMark]) -> Option<GoalCounts> {
        let count = |m: GoalMark| {
            u8::try_from(marks.iter().filter(|x| **x == m).count()).unwrap_or(u8::MAX)
        };
        GoalCounts::new(
            u8::try_from(marks.len()).unwrap_or(u8::MAX),
            count(GoalMark::Behaald),
            count(GoalMark::DeelsBehaald),
        )
    }

    /// Doelrealisatie of the trajectory, the rule `/over-de-cijfers` states: every agreed
    /// goal reached is behaald; at least one reached or partly reached is deels behaald;
    /// none is niet behaald.
    pub fn result(self) -> GoalResult {
        if self.reached == self.agreed {
            GoalResult::Behaald
        } else if self.reached + self.partly > 0 {
            GoalResult::DeelsBehaald
        } else {
            GoalResult::NietBehaald
        }
    }
}

crate::stored_enum! {
    /// 3.1, asked at closing: can the young person go on without youth care?
    pub enum WithoutCare("without care") {
        Ja = "ja",
        LichtereHulp = "lichtere_hulp",
        Nee = "nee",
    }
}

crate::stored_enum! {
    /// 3.3, asked at closing: have the problems become smaller?
    pub enum ProblemsSmaller("problems smaller") {
        Ja = "ja",
        Deels = "deels",
        Nee = "nee",
    }
}

/// The two closing questions' answers as people type them in a file: any case, a space or
/// an underscore. An empty field is no answer.
fn read_answer<T: Copy>(typed: &str, all: &[T], code: fn(T) -> &'static str) -> Option<Option<T>> {
    let typed = typed.trim().to_lowercase().replace(' ', "_");
    // "Met lichtere hulp", as the closing form says it.
    let typed = typed.strip_prefix("met_").unwrap_or(&typed);
    if typed.is_empty() {
        return Some(None);
    }
    all.iter().copied().find(|a| code(*a) == typed).map(Some)
}

impl WithoutCare {
    pub const QUESTION: &'static str = "Kan de jongere verder zonder jeugdhulp?";

    pub fn label(self) -> &'static str {
        match self {
            WithoutCare::Ja => "Ja",
            WithoutCare::LichtereHulp => "Met lichtere hulp",
            WithoutCare::Nee => "Nee",
        }
    }

    /// `Some(None)` for an empty field, `None` for a value that is not an answer.
    pub fn read(typed: &str) -> Option<Option<WithoutCare>> {
        read_answer(typed, WithoutCare::ALL, WithoutCare::as_str)
    }
}

impl ProblemsSmaller {
    pub const QUESTION: &'static str = "Zijn de problemen kleiner geworden?";

    pub fn label(self) -> &'static str {
        match self {
            ProblemsSmaller::Ja => "Ja",
            ProblemsSmaller::Deels => "Deels",
            ProblemsSmaller::Nee => "Nee",
        }
    }

    /// `Some(None)` for an empty field, `None` for a value that is not an answer.
    pub fn read(typed: &str) -> Option<Option<ProblemsSmaller>> {
        read_answer(typed, ProblemsSmaller::ALL, ProblemsSmaller::as_str)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doelrealisatie_follows_from_the_marks_of_the_agreed_goals() {
        use GoalMark::*;
        for (marks, expected) in [
            (vec![Behaald], GoalResult::Behaald),
            (vec![Behaald, Behaald, Behaald], GoalResult::Behaald),
            (vec![Behaald, NietBehaald], GoalResult::DeelsBehaald),
            (vec![DeelsBehaald, DeelsBehaald], GoalResult::DeelsBehaald),
            (
                vec![NietBehaald, DeelsBehaald, NietBehaald],
                GoalResult::DeelsBehaald,
            ),
            (vec![NietBehaald], GoalResult::NietBehaald),
            (vec![NietBehaald; 5], GoalResult::NietBehaald),
        ] {
            let counts = GoalCounts::of_marks(&marks).expect("one to five goals");
            assert_eq!(counts.result(), expected, "{marks:?}");
        }
        assert_eq!(GoalCounts::of_marks(&[]), None);
        assert_eq!(GoalCounts::of_marks(&[Behaald; 6]), None);
        assert_eq!(GoalCounts::new(3, 2, 2), None, "more marked than agreed");
        assert_eq!(GoalCounts::new(0, 0, 0), None);
        assert_eq!(
            GoalCounts::new(4, 1, 0).map(GoalCounts::result),
            Some(GoalResult::DeelsBehaald)
        );
    }
}

//! The optional columns of a trajectory (`records::GOAL_COLUMNS` and
//! `records::ANSWER_COLUMNS`): the agreed goals as counts and the two questions of
//! closing, checked as the rest of the row is, each problem named by its column.

use super::records::{Problem, RawTrajectory, problem};
use crate::domain::indicator::{GoalCounts, MAX_GOALS, ProblemsSmaller, WithoutCare};

/// The agreed goals of a row: none when the three goal columns are empty. A running
/// trajectory has only agreed goals; an ended one also how many were reached.
pub(super) fn check_goals(
    raw: &RawTrajectory,
    ended: bool,
    problems: &mut Vec<Problem>,
) -> Option<GoalCounts> {
    let count =
        |column: &'static str, value: &str, problems: &mut Vec<Problem>| -> Option<Option<u8>> {
            let value = value.trim();
            if value.is_empty() {
                return Some(None);
            }
            match value.parse::<u8>() {
                Ok(n) if n <= MAX_GOALS => Some(Some(n)),
                _ => {
                    problems.push(problem(
                        column,
                        format!("Gebruik een aantal van 0 tot en met {MAX_GOALS}, of laat leeg."),
                    ));
                    None
                }
            }
        };
    let agreed = count("doelen_afgesproken", &raw.doelen_afgesproken, problems)?;
    let reached = count("doelen_behaald", &raw.doelen_behaald, problems)?;
    let partly = count("doelen_deels", &raw.doelen_deels, problems)?;
    let Some(agreed) = agreed else {
        if reached.is_some() || partly.is_some() {
            problems.push(problem("doelen_afgesproken", "Vul in hoeveel doelen zijn afgesproken, of laat ook doelen_behaald en doelen_deels leeg."));
        }
        return None;
    };
    if agreed == 0 {
        problems.push(problem("doelen_afgesproken", format!("Gebruik 1 tot en met {MAX_GOALS}, of laat leeg als er geen doelen zijn afgesproken.")));
        return None;
    }
    if !ended {
        if reached.is_some() || partly.is_some() {
            problems.push(problem(
                "doelen_behaald",
                "Het traject loopt nog: vul behaalde doelen in als het is afgesloten.",
            ));
            return None;
        }
        return GoalCounts::new(agreed, 0, 0);
    }
    let Some(reached) = reached else {
        problems.push(problem(
            "doelen_behaald",
            "Vul in hoeveel afgesproken doelen zijn behaald (0 als geen).",
        ));
        return None;
    };
    let counts = GoalCounts::new(agreed, reached, partly.unwrap_or(0));
    if counts.is_none() {
        problems.push(problem(
            "doelen_behaald",
            format!(
                "Er zijn {agreed} doelen afgesproken: behaald en deels samen kunnen niet meer zijn."
            ),
        ));
    }
    counts
}

/// The answers to "Kan de jongere verder zonder jeugdhulp?" and "Zijn de problemen kleiner
/// geworden?": each may be empty; an answer belongs to an ended trajectory only.
pub(super) fn check_answers(
    raw: &RawTrajectory,
    ended: bool,
    problems: &mut Vec<Problem>,
) -> (Option<WithoutCare>, Option<ProblemsSmaller>) {
    let without_care = WithoutCare::read(&raw.zonder_hulp).unwrap_or_else(|| {
        problems.push(problem(
            "zonder_hulp",
            "Gebruik ja, lichtere_hulp of nee, of laat leeg.",
        ));
        None
    });
    let problems_smaller = ProblemsSmaller::read(&raw.problemen_kleiner).unwrap_or_else(|| {
        problems.push(problem(
            "problemen_kleiner",
            "Gebruik ja, deels of nee, of laat leeg.",
        ));
        None
    });
    if !ended {
        for (column, answered) in [
            ("zonder_hulp", without_care.is_some()),
            ("problemen_kleiner", problems_smaller.is_some()),
        ] {
            if answered {
                problems.push(problem(
                    column,
                    "Het traject loopt nog: deze vraag beantwoordt u bij het afsluiten.",
                ));
            }
        }
    }
    (without_care, problems_smaller)
}

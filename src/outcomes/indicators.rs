//! The outcome indicators and their arithmetic, free of any database: uitval,
//! doelrealisatie, verder zonder hulp (3.1), problemen kleiner (3.3), terugval and
//! cliënttevredenheid, each with its count, a 95% interval, and
//! no value below the minimum count, so that no client can be recognised.

use chrono::{NaiveDate, TimeDelta};

/// Below this many cases no value is shown: "te weinig gegevens".
pub const MIN_N: u32 = 10;

/// The one name, on every page and export, of the value a provider's score is compared
/// with: the funnel's target (all trajectories of the region's providers with at least
/// [`MIN_N`] of them, pooled), stored with each score as `target`.
pub const REFERENCE_NAME: &str = "Regiogemiddelde";
/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;
/// A client who starts again at most this many days after the end counts as terugval
/// (the WBW twelve-month guarantee): day 365 counts, day 366 does not.
pub const RETURN_WINDOW_DAYS: i64 = 365;

/// How an ended trajectory counts for uitval, from the CBS reason codes 1-5.
pub fn is_dropout(cbs_reason: u8) -> bool {
    matches!(cbs_reason, 3..=5)
}

/// Endings only iJw messages carry (stored as 6-10: death, ended by the municipality or after
/// a change request, a move to another provider or out of youth care, a pause): counted as
/// ended, but neither uitval nor terugval, whose question (did the help end early, did the
/// client come back) they do not answer.
pub fn outside_uitval(reason: u8) -> bool {
    matches!(reason, 6..=10)
}

pub use crate::domain::indicator::GoalResult;

/// A share of cases, with the cases behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proportion {
    pub hits: u32,
    pub n: u32,
}

impl Proportion {
    pub fn new(hits: u32, n: u32) -> Self {
        debug_assert!(hits <= n);
        Proportion { hits, n }
    }

    /// Enough cases to show a value.
    pub fn shown(&self) -> bool {
        self.n >= MIN_N
    }

    /// The share, when it may be shown.
    pub fn value(&self) -> Option<f64> {
        self.shown()
            .then(|| f64::from(self.hits) / f64::from(self.n))
    }

    /// The 95% Wilson score interval, when the value may be shown. Unlike the textbook
    /// p ± 1.96·se it stays within 0..1 and behaves at 0% and 100%.
    pub fn interval(&self) -> Option<(f64, f64)> {
        if !self.shown() {
            return None;
        }
        let n = f64::from(self.n);
        let p = f64::from(self.hits) / n;
        let z2 = Z95 * Z95;
        let denominator = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denominator;
        let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
        Some(((centre - half).max(0.0), (centre + half).min(1.0)))
    }
}

/// A mean of scores 1-10 with its spread, and the share scoring 7 or more.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanScore {
    pub n: u32,
    pub mean: f64,
    /// Sample standard deviation (n - 1).
    pub sd: f64,
    pub seven_or_more: Proportion,
}

impl MeanScore {
    pub fn from_scores(scores: &[u8]) -> MeanScore {
        let n = u32::try_from(scores.len()).unwrap_or(u32::MAX);
        let count = scores.len() as f64;
        let mean = if scores.is_empty() {
            0.0
        } else {
            scores.iter().map(|s| f64::from(*s)).sum::<f64>() / count
        };
        let sd = if scores.len() < 2 {
            0.0
        } else {
            (scores
                .iter()
                .map(|s| (f64::from(*s) - mean).powi(2))
                .sum::<f64>()
                / (count - 1.0))
                .sqrt()
        };
        let high = u32::try_from(scores.iter().filter(|s| **s >= 7).count()).unwrap_or(u32::MAX);
        MeanScore {
            n,
            mean,
            sd,
            seven_or_more: Proportion::new(high, n),
        }
    }

    pub fn shown(&self) -> bool {
        self.n >= MIN_N
    }

    pub fn value(&self) -> Option<f64> {
        self.shown().then_some(self.mean)
    }

    /// The 95% t interval for the mean, kept within the scale 1..10.
    pub fn interval(&self) -> Option<(f64, f64)> {
        if !self.shown() {
            return None;
        }
        let half = t_critical(self.n - 1) * self.sd / f64::from(self.n).sqrt();
        Some(((self.mean - half).max(1.0), (self.mean + half).min(10.0)))
    }
}

/// Two-sided 95% critical values of Student's t.
pub fn t_critical(df: u32) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[(df - 1) as usize],
        31..=40 => 2.021,
        41..=60 => 2.000,
        61..=120 => 1.980,
        _ => Z95,
    }
}

/// An ended trajectory, as the indicators see it.
#[derive(Debug, Clone)]
pub struct Ended<'a> {
    pub client_key: &'a str,
    pub end_date: NaiveDate,
    pub cbs_reason: u8,
    pub goal: GoalResult,
}

/// uitval = ended with reason 3, 4 or 5 ÷ all ended.
pub fn uitval(ended: &[Ended<'_>]) -> Proportion {
    let counted = ended.iter().filter(|t| !outside_uitval(t.cbs_reason));
    let (mut n, mut dropouts) = (0, 0);
    for t in counted {
        n += 1;
        dropouts += usize::from(is_dropout(t.cbs_reason));
    }
    Proportion::new(count(dropouts), count(n))
}

/// doelrealisatie = goal fully reached ÷ ended with a known goal result; also returns the
/// share partly reached over the same denominator, to show beside it.
pub fn doelrealisatie(ended: &[Ended<'_>]) -> (Proportion, Proportion) {
    let known: Vec<&Ended<'_>> = ended
        .iter()
        .filter(|t| t.goal != GoalResult::Onbekend)
        .collect();
    let fully = known
        .iter()
        .filter(|t| t.goal == GoalResult::Behaald)
        .count();
    let partly = known
        .iter()
        .filter(|t| t.goal == GoalResult::DeelsBehaald)
        .count();
    (
        Proportion::new(count(fully), count(known.len())),
        Proportion::new(count(partly), count(known.len())),
    )
}

/// terugval (3.2) = ended trajectories whose client starts youth care again within the
/// return window after the end, with any provider and in any profile ÷ all ended. `starts`
/// are the (client key, start date) of every trajectory the client could return to: for the
/// municipality's pseudonyms ([`crate::outcomes::records::MUNICIPAL_CLIENT_PREFIX`]) every
/// trajectory in the region, for a provider's own pseudonyms only that provider's (another
/// provider's "client-42" is someone else).
pub fn terugval(ended: &[Ended<'_>], starts: &[(&str, NaiveDate)]) -> Proportion {
    let counted: Vec<&Ended<'_>> = ended
        .iter()
        .filter(|t| !outside_uitval(t.cbs_reason))
        .collect();
    let returned = counted
        .iter()
        .filter(|t| {
            starts.iter().any(|(client, start)| {
                *client == t.client_key
                    && *start > t.end_date
                    && *start <= t.end_date + TimeDelta::days(RETURN_WINDOW_DAYS)
            })
        })
        .count();
    Proportion::new(count(returned), count(counted.len()))
}

/// 3.1 and 3.3 = the answers "ja" ÷ trajectories ended with an answer; also the share of
/// the middle answer (met lichtere hulp, deels) over the same denominator, to show beside it.
pub fn answered<T: Copy + PartialEq>(
    answers: impl Iterator<Item = Option<T>>,
    yes: T,
    middle: T,
) -> (Proportion, Proportion) {
    let (mut n, mut hits, mut partly) = (0usize, 0usize, 0usize);
    for answer in answers.flatten() {
        n += 1;
        hits += usize::from(answer == yes);
        partly += usize::from(answer == middle);
    }
    (
        Proportion::new(count(hits), count(n)),
        Proportion::new(count(partly), count(n)),
    )
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How a provider compares with the regional average.
pub use crate::domain::indicator::Comparison;

/// "Beter" or "minder goed" only where the whole interval lies on one side of the average.
pub fn compare(interval: (f64, f64), average: f64, higher_is_better: bool) -> Comparison {
    let (low, high) = interval;
    let above = low > average;
    let below = high < average;
    match (above, below, higher_is_better) {
        (true, _, true) | (_, true, false) => Comparison::Beter,
        (true, _, false) | (_, true, true) => Comparison::MinderGoed,
        _ => Comparison::Vergelijkbaar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn ended(reasons_and_goals: &[(u8, GoalResult)]) -> Vec<Ended<'static>> {
        reasons_and_goals
            .iter()
            .map(|(reason, goal)| Ended {
                client_key: "c",
                end_date: date(2026, 3, 31),
                cbs_reason: *reason,
                goal: *goal,
            })
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-4
    }

    #[test]
    fn wilson_intervals_match_hand_computed_values() {
        // (hits, n, low, high), computed by hand with z = 1.96.
        for (hits, n, low, high) in [
            (5, 10, 0.2366, 0.7634),
            (0, 10, 0.0, 0.2775),
            (10, 10, 0.7225, 1.0),
            (1, 10, 0.0179, 0.4042),
            (50, 100, 0.4038, 0.5962),
            (81, 263, 0.2553, 0.3662),
        ] {
            let (l, h) = Proportion::new(hits, n).interval().expect("shown");
            assert!(
                close(l, low) && close(h, high),
                "{hits}/{n}: ({l:.4}, {h:.4}) != ({low}, {high})"
            );
        }
    }

    #[test]
    fn goal_results_round_trip_through_their_stored_codes() {
        for &goal in GoalResult::ALL {
            assert_eq!(GoalResult::parse(goal.as_str()), Some(goal));
            assert_eq!(
                GoalResult::read(&goal.as_str().replace('_', " ")),
                Some(goal)
            );
        }
    }

    #[test]
    fn nothing_is_shown_below_ten_cases() {
        let nine = Proportion::new(4, 9);
        assert_eq!((nine.value(), nine.interval()), (None, None));
        let ten = Proportion::new(4, 10);
        assert_eq!(ten.value(), Some(0.4));
        assert!(ten.interval().is_some());
        assert_eq!(Proportion::new(0, 0).value(), None);
        let scores = MeanScore::from_scores(&[8; 9]);
        assert_eq!((scores.value(), scores.interval()), (None, None));
        assert!(MeanScore::from_scores(&[8; 10]).value().is_some());
    }

    #[test]
    fn uitval_counts_reasons_three_to_five_over_all_ended() {
        use GoalResult::Onbekend as U;
        type Case<'a> = (&'a [(u8, GoalResult)], u32, u32);
        let cases: [Case<'_>; 5] = [
            (&[(1, U), (2, U), (3, U), (4, U), (5, U)], 3, 5),
            (&[(3, U); 10], 10, 10),
            (&[(1, U); 10], 0, 10),
            (&[(2, U), (2, U)], 0, 2),
            (&[], 0, 0),
        ];
        for (input, hits, n) in cases {
            assert_eq!(uitval(&ended(input)), Proportion::new(hits, n), "{input:?}");
        }
        // All dropouts: 100%, and an interval that reaches 1.
        let all = uitval(&ended(&[(4, U); 12]));
        assert_eq!(all.value(), Some(1.0));
        assert_eq!(all.interval().map(|(_, h)| h), Some(1.0));
    }

    #[test]
    fn doelrealisatie_leaves_unknown_results_out_of_the_denominator() {
        use GoalResult::*;
        let input = [
            (1, Behaald),
            (1, Behaald),
            (2, DeelsBehaald),
            (3, NietBehaald),
            (1, Onbekend),
            (4, Onbekend),
        ];
        let (fully, partly) = doelrealisatie(&ended(&input));
        assert_eq!(fully, Proportion::new(2, 4));
        assert_eq!(partly, Proportion::new(1, 4));
        // No goal results at all: nothing to divide by, nothing shown.
        let (fully, _) = doelrealisatie(&ended(&[(1, Onbekend); 20]));
        assert_eq!(fully, Proportion::new(0, 0));
        assert_eq!(fully.value(), None);
    }

    #[test]
    fn terugval_counts_a_return_on_day_365_but_not_on_day_366() {
        let end = date(2026, 3, 31);
        let trajectory = |client| Ended {
            client_key: client,
            end_date: end,
            cbs_reason: 1,
            goal: GoalResult::Behaald,
        };
        let list = [
            trajectory("a"),
            trajectory("b"),
            trajectory("c"),
            trajectory("d"),
        ];
        let starts = [
            ("a", end + TimeDelta::days(365)), // counts
            ("b", end + TimeDelta::days(366)), // too late
            ("c", end + TimeDelta::days(30)),  // counts: any profile, any provider in scope
            ("d", end),                        // the same day is not "after"
            ("a", date(2025, 1, 1)),           // the earlier trajectory itself
        ];
        assert_eq!(terugval(&list, &starts), Proportion::new(2, 4));
    }

    #[test]
    fn mean_scores_have_a_t_interval_within_the_scale() {
        let scores: Vec<u8> = (1..=10).collect();
        let m = MeanScore::from_scores(&scores);
        assert!(close(m.mean, 5.5));
        assert!(close(m.sd, 3.0277));
        let (low, high) = m.interval().expect("shown");
        // 5.5 ± 2.262 · 3.0277 / √10
        assert!(close(low, 3.3343) && close(high, 7.6657), "({low}, {high})");
        assert_eq!(m.seven_or_more, Proportion::new(4, 10));
        let all_tens = MeanScore::from_scores(&[10; 12]);
        assert_eq!(all_tens.interval(), Some((10.0, 10.0)));
    }

    #[test]
    fn better_or_worse_only_when_the_interval_is_wholly_on_one_side() {
        use Comparison::*;
        for (interval, average, higher_is_better, expected) in [
            ((0.60, 0.80), 0.50, true, Beter),
            ((0.60, 0.80), 0.50, false, MinderGoed),
            ((0.20, 0.40), 0.50, true, MinderGoed),
            ((0.20, 0.40), 0.50, false, Beter),
            ((0.40, 0.60), 0.50, true, Vergelijkbaar),
            ((0.50, 0.60), 0.50, true, Vergelijkbaar),
        ] {
            assert_eq!(
                compare(interval, average, higher_is_better),
                expected,
                "{interval:?} vs {average}"
            );
        }
    }
}

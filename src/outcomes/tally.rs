//! The six indicators of one window in one pass over its trajectories, for the whole and for
//! the gedwongen part at once: what a recomputation does about a million times, so without
//! the per-window vectors of the definitions in [`super::indicators`], which the tests hold
//! it to (`compute::tests::the_tally_agrees_with_the_definitions`).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::sql_types::{Bool, Nullable};

use super::compute::{Figures, Row, from_proportion, int};
use super::indicators::{self, GoalResult, MeanScore, Proportion};
use crate::domain::hulpvraag::Kader;
use crate::domain::indicator::{ProblemsSmaller, WithoutCare};

/// The counts of one part (all cases, or the gedwongen ones).
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    ended: u32,
    dropouts: u32,
    returns: u32,
    goals_known: u32,
    goals_reached: u32,
    goals_partly: u32,
    without_n: u32,
    without_yes: u32,
    without_lighter: u32,
    smaller_n: u32,
    smaller_yes: u32,
    smaller_partly: u32,
    scores_n: u32,
    scores_sum: u32,
}

impl Counts {
    fn add(&mut self, row: &Row, returned: bool) {
        let reason = u8::try_from(row.end_reason.unwrap_or(0)).unwrap_or(0);
        if !indicators::outside_uitval(reason) {
            self.ended += 1;
            self.dropouts += u32::from(indicators::is_dropout(reason));
            self.returns += u32::from(returned);
        }
        if row.goal_result != GoalResult::Onbekend {
            self.goals_known += 1;
            self.goals_reached += u32::from(row.goal_result == GoalResult::Behaald);
            self.goals_partly += u32::from(row.goal_result == GoalResult::DeelsBehaald);
        }
        if let Some(answer) = row.without_care {
            self.without_n += 1;
            self.without_yes += u32::from(answer == WithoutCare::Ja);
            self.without_lighter += u32::from(answer == WithoutCare::LichtereHulp);
        }
        if let Some(answer) = row.problems_smaller {
            self.smaller_n += 1;
            self.smaller_yes += u32::from(answer == ProblemsSmaller::Ja);
            self.smaller_partly += u32::from(answer == ProblemsSmaller::Deels);
        }
    }

    /// (n, hits or for satisfaction the sum of the scores) per indicator.
    fn parts(&self) -> [(u32, u32); 6] {
        [
            (self.goals_known, self.goals_reached),
            (self.without_n, self.without_yes),
            (self.smaller_n, self.smaller_yes),
            (self.ended, self.dropouts),
            (self.ended, self.returns),
            (self.scores_n, self.scores_sum),
        ]
    }
}

/// One window's tally.
#[derive(Debug, Default)]
pub(super) struct Tally {
    all: Counts,
    forced: Counts,
    /// Every satisfaction score: its mean, spread and share of 7 or more.
    scores: Vec<u8>,
}

impl Tally {
    /// Counts one trajectory that ended in the window.
    pub(super) fn add(&mut self, row: &Row, returned: bool) {
        let forced = row.kader == Kader::Gedwongen;
        self.all.add(row, returned);
        if forced {
            self.forced.add(row, returned);
        }
        if let Some(score) = row.satisfaction.and_then(|s| u8::try_from(s).ok()) {
            self.scores.push(score);
            if forced {
                self.forced.scores_n += 1;
                self.forced.scores_sum += u32::from(score);
            }
        }
    }

    /// The six indicators' figures, in the order of `compute::INDICATORS`.
    pub(super) fn figures(&self) -> [Figures; 6] {
        let a = &self.all;
        let share = |hits: u32, n: u32| Proportion::new(hits, n);
        let satisfaction = MeanScore::from_scores(&self.scores);
        let mut figures = [
            from_proportion(
                share(a.goals_reached, a.goals_known),
                share(a.goals_partly, a.goals_known).value(),
            ),
            from_proportion(
                share(a.without_yes, a.without_n),
                share(a.without_lighter, a.without_n).value(),
            ),
            from_proportion(
                share(a.smaller_yes, a.smaller_n),
                share(a.smaller_partly, a.smaller_n).value(),
            ),
            from_proportion(share(a.dropouts, a.ended), None),
            from_proportion(share(a.returns, a.ended), None),
            Figures {
                n: int(self.scores.len()),
                hits: i32::try_from(satisfaction.seven_or_more.hits).unwrap_or(i32::MAX),
                value: satisfaction.value(),
                interval: satisfaction.interval(),
                extra: satisfaction
                    .seven_or_more
                    .value()
                    .filter(|_| satisfaction.shown()),
                forced_n: 0,
                forced_sum: 0,
            },
        ];
        for (f, (n, sum)) in figures.iter_mut().zip(self.forced.parts()) {
            f.forced_n = i32::try_from(n).unwrap_or(i32::MAX);
            f.forced_sum = i32::try_from(sum).unwrap_or(i32::MAX);
        }
        figures
    }
}

/// The kader read as `kader = 'gedwongen'`.
pub(super) struct KaderFlag(Kader);

impl<DB> Queryable<Bool, DB> for KaderFlag
where
    DB: Backend,
    bool: FromSql<Bool, DB>,
{
    type Row = bool;

    fn build(forced: bool) -> deserialize::Result<Self> {
        Ok(KaderFlag(if forced {
            Kader::Gedwongen
        } else {
            Kader::Vrijwillig
        }))
    }
}

impl From<KaderFlag> for Kader {
    fn from(flag: KaderFlag) -> Kader {
        flag.0
    }
}

/// An answer read as (is it the first, is it the middle one); NULL is no answer.
macro_rules! answer_flags {
    ($flags:ident, $answer:ident, $first:ident, $middle:ident, $last:ident) => {
        pub(super) struct $flags(Option<$answer>);

        impl<DB> Queryable<(Nullable<Bool>, Nullable<Bool>), DB> for $flags
        where
            DB: Backend,
            (Option<bool>, Option<bool>):
                deserialize::FromStaticSqlRow<(Nullable<Bool>, Nullable<Bool>), DB>,
        {
            type Row = (Option<bool>, Option<bool>);

            fn build((first, middle): Self::Row) -> deserialize::Result<Self> {
                Ok($flags(match (first, middle) {
                    (None, _) => None,
                    (Some(true), _) => Some($answer::$first),
                    (Some(false), Some(true)) => Some($answer::$middle),
                    (Some(false), _) => Some($answer::$last),
                }))
            }
        }

        impl From<$flags> for Option<$answer> {
            fn from(flags: $flags) -> Option<$answer> {
                flags.0
            }
        }
    };
}

answer_flags!(WithoutCareFlags, WithoutCare, Ja, LichtereHulp, Nee);
answer_flags!(ProblemsSmallerFlags, ProblemsSmaller, Ja, Deels, Nee);

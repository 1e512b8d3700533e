//! The fair comparison of a region's providers, per profile and indicator, from the computed
//! score sets of one region, period and span: the funnel of [`super::funnel`] built over
//! every provider there, and read for each provider's own value. The report's snapshot
//! stores the result with every score, so no page computes it.

use std::collections::BTreeMap;

use super::compute::{Figures, ScoreSet};
use super::funnel::{
    self, Comparison, Count, Funnel, Limits, Mean, MeanFunnel, proportion_limits, shrunk_proportion,
};
use super::indicators::t_critical;
use crate::domain::indicator::Indicator;

/// One value read against its region's funnel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fair {
    pub target: f64,
    pub limits: Limits,
    pub tau2: f64,
    /// φ of the region's providers; `None` when there were too few to estimate it.
    pub phi: Option<f64>,
    pub shrunk: f64,
    pub comparison: Comparison,
}

#[derive(Debug, Clone, Copy)]
enum Group {
    Proportion(Funnel),
    Mean(MeanFunnel),
}

/// The funnels of one region, period and span, per profile and indicator.
#[derive(Debug, Default)]
pub struct Funnels(BTreeMap<(i64, Indicator), Group>);

fn count(f: &Figures) -> Count {
    Count {
        events: u32::try_from(f.hits).unwrap_or(0),
        n: u32::try_from(f.n).unwrap_or(0),
    }
}

/// A mean score's sample variance, from its stored t interval: the interval is
/// mean ± t·sd/√n, clamped to 1..10, so the wider side is the unclamped half.
fn mean_of(f: &Figures) -> Option<Mean> {
    let mean = f.value?;
    let (low, high) = f.interval?;
    let n = u32::try_from(f.n).ok().filter(|n| *n > 1)?;
    let half = (mean - low).max(high - mean);
    let sd = half * f64::from(n).sqrt() / t_critical(n - 1);
    Some(Mean {
        mean,
        variance: sd * sd,
        n,
    })
}

impl Funnels {
    /// The funnels over these score sets (all of one region, period and span).
    pub fn of(sets: &[ScoreSet]) -> Funnels {
        let mut counts: BTreeMap<(i64, Indicator), Vec<Count>> = BTreeMap::new();
        let mut means: BTreeMap<(i64, Indicator), Vec<Mean>> = BTreeMap::new();
        for set in sets {
            for (indicator, f) in set.counted() {
                let key = (set.profile_id, indicator);
                if indicator.is_mean() {
                    means.entry(key).or_default().extend(mean_of(&f));
                } else {
                    counts.entry(key).or_default().push(count(&f));
                }
            }
        }
        let mut groups = BTreeMap::new();
        for (key, list) in counts {
            groups.insert(key, Group::Proportion(funnel::proportion_funnel(&list)));
        }
        for (key, list) in means {
            groups.insert(key, Group::Mean(funnel::mean_funnel(&list)));
        }
        Funnels(groups)
    }

    /// The funnel of one profile and indicator: target, φ, τ² and the number of providers.
    pub fn summary(&self, profile_id: i64, indicator: Indicator) -> Option<Funnel> {
        match self.0.get(&(profile_id, indicator))? {
            Group::Proportion(funnel) => Some(*funnel),
            Group::Mean(mean_funnel) => Some(mean_funnel.funnel),
        }
    }

    /// The limits at `n` cases: the funnel's curves, for drawing it.
    pub fn limits_at(&self, profile_id: i64, indicator: Indicator, n: u32) -> Option<Limits> {
        match self.0.get(&(profile_id, indicator))? {
            Group::Proportion(funnel) => proportion_limits(funnel, n),
            Group::Mean(mean_funnel) => mean_funnel.limits(n),
        }
    }

    /// The fair reading of one provider's figures; `None` below the minimum n or without a
    /// target (no provider in the region with enough cases).
    pub fn fair(&self, profile_id: i64, indicator: Indicator, f: &Figures) -> Option<Fair> {
        let value = f.value?;
        let n = u32::try_from(f.n).ok()?;
        let (target, limits, shrunk, funnel) = match self.0.get(&(profile_id, indicator))? {
            Group::Proportion(funnel) => (
                funnel.target?,
                proportion_limits(funnel, n)?,
                shrunk_proportion(funnel, count(f))?,
                *funnel,
            ),
            Group::Mean(mean_funnel) => {
                let own = mean_of(f)?;
                (
                    mean_funnel.funnel.target?,
                    mean_funnel.limits(n)?,
                    mean_funnel.shrunk(own)?,
                    mean_funnel.funnel,
                )
            }
        };
        Some(Fair {
            target,
            limits,
            tau2: funnel.tau2,
            phi: funnel.phi,
            shrunk,
            comparison: funnel::compare(value, &limits, indicator.higher_is_better()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcomes::indicators::MeanScore;

    /// The sd read back from a stored t interval is the sample sd the interval was made from,
    /// also when the interval is clamped at 10 on one side.
    #[test]
    fn a_mean_scores_spread_is_read_back_from_its_interval() {
        for scores in [
            vec![6u8, 7, 8, 9, 10, 10, 10, 10, 9, 8, 7, 10],
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ] {
            let score = MeanScore::from_scores(&scores);
            let figures = Figures {
                n: i32::try_from(score.n).unwrap_or(0),
                hits: 0,
                value: score.value(),
                interval: score.interval(),
                extra: None,
            };
            let mean = mean_of(&figures).expect("a mean");
            assert!((mean.variance.sqrt() - score.sd).abs() < 1e-9, "{scores:?}");
        }
    }
}

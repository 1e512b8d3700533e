//! The kader in the fair comparison (issue 37, item 5): the region's value among its
//! vrijwillig and its gedwongen cases, the value expected at a provider's own mix
//! (indirect standardisation), and the funnel's spread read from the values so adjusted.

use super::compute::Figures;
use super::funnel;
use super::indicators::MIN_N;
use crate::domain::indicator::Indicator;

/// The region's value in each kader and the share of its cases in the gedwongen kader, over
/// the providers with n ≥ 10 (as for the target). `voluntary` and `forced` are `None` unless
/// both kaders have at least 10 cases there.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KaderSplit {
    pub voluntary: Option<f64>,
    pub forced: Option<f64>,
    pub forced_share: Option<f64>,
}

impl KaderSplit {
    /// Over these providers' figures. Only a provider whose two parts are each empty or at
    /// least 10 cases counts towards the value per kader: its parts' values can be read from
    /// what is published anyway (the total, and the vrijwillig-only value), so the expected
    /// values, which reveal the region's value per kader, never tell the outcome of fewer
    /// than 10 clients.
    pub fn of(figures: &[Figures], indicator: Indicator) -> KaderSplit {
        let min = i32::try_from(MIN_N).unwrap_or(i32::MAX);
        let open = |n: i32| n == 0 || n >= min;
        let (mut v_n, mut v_sum, mut g_n, mut g_sum) = (0.0, 0.0, 0.0, 0.0);
        let (mut cases, mut forced_cases) = (0.0, 0.0);
        for f in figures.iter().filter(|f| f.n >= min) {
            cases += f64::from(f.n);
            forced_cases += f64::from(f.forced_n);
            if !open(f.forced_n) || !open(f.n - f.forced_n) {
                continue;
            }
            if let Some((n, value)) = f.voluntary_part(indicator) {
                v_n += f64::from(n);
                v_sum += f64::from(n) * value;
            }
            if let Some((n, value)) = f.forced_part() {
                g_n += f64::from(n);
                g_sum += f64::from(n) * value;
            }
        }
        let both = v_n >= f64::from(MIN_N) && g_n >= f64::from(MIN_N);
        KaderSplit {
            voluntary: both.then(|| v_sum / v_n),
            forced: both.then(|| g_sum / g_n),
            forced_share: (cases > 0.0).then(|| forced_cases / cases),
        }
    }

    /// The value expected at these figures' kader mix; the target where the region has no
    /// value per kader.
    pub fn expected(&self, target: f64, f: &Figures) -> f64 {
        let (Some(voluntary), Some(forced)) = (self.voluntary, self.forced) else {
            return target;
        };
        if f.n <= 0 {
            return target;
        }
        let share = f64::from(f.forced_n) / f64::from(f.n);
        // As differences from the target: the region's own mix gives the target itself.
        target + (1.0 - share) * (voluntary - target) + share * (forced - target)
    }

    /// φ and τ² of the funnel from the providers' values read like with like (value −
    /// expected + target, with n ≥ 10), so that a different kader mix is not taken for
    /// spread between providers. `variance(f)` is one provider's variance at its n.
    pub fn dispersion(
        &self,
        figures: &[Figures],
        target: f64,
        variance: impl Fn(&Figures) -> f64,
    ) -> (Option<f64>, f64) {
        let min = i32::try_from(MIN_N).unwrap_or(i32::MAX);
        let values: Vec<(f64, f64)> = figures
            .iter()
            .filter(|f| f.n >= min)
            .filter_map(|f| Some((f.value? - self.expected(target, f) + target, variance(f))))
            .filter(|(_, v)| *v > 0.0)
            .collect();
        funnel::dispersion(&values, target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(n: i32, hits: i32, forced_n: i32, forced_hits: i32) -> Figures {
        Figures {
            n,
            hits,
            value: Some(f64::from(hits) / f64::from(n)),
            forced_n,
            forced_sum: forced_hits,
            ..Figures::default()
        }
    }

    /// The region's value per kader comes only from providers whose parts are each empty
    /// or at least 10: one with 4 gedwongen cases would tell those 4 clients' outcome.
    #[test]
    fn a_part_of_fewer_than_ten_cases_never_enters_the_value_per_kader() {
        let open = [figures(30, 3, 0, 0), figures(40, 20, 20, 16)];
        let split = KaderSplit::of(&open, Indicator::Uitval);
        assert_eq!(split.voluntary, Some(7.0 / 50.0));
        assert_eq!(split.forced, Some(16.0 / 20.0));
        let small = figures(24, 6, 4, 4);
        let with_small = KaderSplit::of(&[open[0], open[1], small], Indicator::Uitval);
        assert_eq!(
            (with_small.voluntary, with_small.forced),
            (split.voluntary, split.forced)
        );
        assert_eq!(with_small.forced_share, Some(24.0 / 94.0));
        // Without 10 gedwongen cases among the open providers there is no split at all.
        let none = KaderSplit::of(&[open[0], small], Indicator::Uitval);
        assert_eq!((none.voluntary, none.forced), (None, None));
        assert_eq!(none.expected(0.3, &small), 0.3);
    }

    /// At the region's own mix the expected value is the target; all-vrijwillig help is
    /// expected to reach the vrijwillig value.
    #[test]
    fn the_expected_value_follows_the_mix() {
        let split = KaderSplit {
            voluntary: Some(0.1),
            forced: Some(0.8),
            forced_share: Some(0.25),
        };
        let target = 0.75 * 0.1 + 0.25 * 0.8;
        assert!((split.expected(target, &figures(40, 11, 10, 8)) - target).abs() < 1e-12);
        assert!((split.expected(target, &figures(30, 3, 0, 0)) - 0.1).abs() < 1e-12);
        assert!((split.expected(target, &figures(20, 16, 20, 16)) - 0.8).abs() < 1e-12);
    }
}

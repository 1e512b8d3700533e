//! The kader in the fair comparison (issue 37, item 5): the region's value among its
//! vrijwillig and its gedwongen cases, the value expected at a provider's own mix
//! (indirect standardisation), and the funnel's spread read from the values so adjusted.

use super::compute::Figures;
use super::funnel;
use super::indicators::MIN_N;
use crate::domain::indicator::Indicator;

/// The region's value in each kader and the share of its cases in the gedwongen kader, over
/// the providers with n ≥ 10 (as for the target). `voluntary` and `forced` are `None` where
/// they could tell the outcome of fewer than 10 clients ([`KaderSplit::of`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KaderSplit {
    pub voluntary: Option<f64>,
    pub forced: Option<f64>,
    pub forced_share: Option<f64>,
}

/// The parts of one kader that are not published on their own: between 1 and 9 cases.
#[derive(Default)]
struct Small {
    providers: u32,
    cases: i32,
}

impl Small {
    fn add(&mut self, n: i32, min: i32) {
        if n > 0 && n < min {
            self.providers += 1;
            self.cases += n;
        }
    }

    /// What the region's value in the kader leaves of them once every published part is
    /// taken off: nothing, or the sum of at least two providers' parts with 10 cases or more
    /// together. One small part alone could be worked back from the expected values.
    fn hidden(&self, min: i32) -> bool {
        self.providers == 0 || (self.providers >= 2 && self.cases >= min)
    }
}

impl KaderSplit {
    /// Over these providers' figures. The value per kader is given only where each kader
    /// has at least 10 cases and its parts of fewer than 10 cases stay hidden together
    /// ([`Small::hidden`]): the expected values reveal the value per kader, and no one may
    /// read from them the outcome of fewer than 10 clients.
    pub fn of(figures: &[Figures], indicator: Indicator) -> KaderSplit {
        let min = i32::try_from(MIN_N).unwrap_or(i32::MAX);
        let (mut v_n, mut v_sum, mut g_n, mut g_sum) = (0.0, 0.0, 0.0, 0.0);
        let (mut small_v, mut small_g) = (Small::default(), Small::default());
        for f in figures.iter().filter(|f| f.n >= min) {
            small_v.add(f.n - f.forced_n, min);
            small_g.add(f.forced_n, min);
            if let Some((n, value)) = f.voluntary_part(indicator) {
                v_n += f64::from(n);
                v_sum += f64::from(n) * value;
            }
            if let Some((n, value)) = f.forced_part() {
                g_n += f64::from(n);
                g_sum += f64::from(n) * value;
            }
        }
        let both = v_n >= f64::from(MIN_N)
            && g_n >= f64::from(MIN_N)
            && small_v.hidden(min)
            && small_g.hidden(min);
        KaderSplit {
            voluntary: both.then(|| v_sum / v_n),
            forced: both.then(|| g_sum / g_n),
            forced_share: (v_n + g_n > 0.0).then(|| g_n / (v_n + g_n)),
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

    /// A part of fewer than 10 cases may enter the value per kader only together with
    /// another provider's, 10 cases or more in all: alone, the expected values would tell it.
    #[test]
    fn a_small_part_never_stands_alone_in_the_value_per_kader() {
        let open = [figures(30, 3, 0, 0), figures(40, 20, 20, 16)];
        let split = KaderSplit::of(&open, Indicator::Uitval);
        assert_eq!(split.voluntary, Some(7.0 / 50.0));
        assert_eq!(split.forced, Some(16.0 / 20.0));
        // One provider with 4 gedwongen cases: they could be worked back; no split.
        let alone = [open[0], open[1], figures(24, 6, 4, 4)];
        let none = KaderSplit::of(&alone, Indicator::Uitval);
        assert_eq!((none.voluntary, none.forced), (None, None));
        assert_eq!(none.expected(0.3, &alone[2]), 0.3);
        assert_eq!(none.forced_share, Some(24.0 / 94.0));
        // Two such providers, 4 and 7 cases: together 11, and they count.
        let together = [open[0], open[1], figures(24, 6, 4, 4), figures(30, 9, 7, 2)];
        let split = KaderSplit::of(&together, Indicator::Uitval);
        let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
        assert!(near(split.forced, (16.0 + 4.0 + 2.0) / 31.0), "{split:?}");
        assert!(
            near(split.voluntary, (3.0 + 4.0 + 2.0 + 7.0) / 93.0),
            "{split:?}"
        );
        // Two with 3 and 4: 7 together, still too few.
        let few = [open[0], open[1], figures(24, 6, 3, 3), figures(30, 9, 4, 2)];
        assert_eq!(KaderSplit::of(&few, Indicator::Uitval).forced, None);
        // No gedwongen case among the open providers either: nothing to split.
        assert_eq!(
            KaderSplit::of(&[open[0]], Indicator::Uitval).voluntary,
            None
        );
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

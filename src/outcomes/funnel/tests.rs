//! Table and property tests of the funnel arithmetic.

use super::*;

fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
    (actual - expected).abs() <= tolerance
}

fn assert_limits(limits: Limits, expected: [f64; 4], tolerance: f64) {
    let got = [
        limits.lower_998,
        limits.lower_95,
        limits.upper_95,
        limits.upper_998,
    ];
    for (g, e) in got.iter().zip(expected) {
        assert!(close(*g, e, tolerance), "{got:?} != {expected:?}");
    }
}

/// The reference values for p₀ = 0.70 (Spiegelhalter's exact interpolated limits),
/// and how they differ from the normal approximation.
#[test]
fn the_exact_limits_match_the_reference_values() {
    assert_limits(
        exact_limits(20, 0.7),
        [0.3363, 0.4627, 0.8688, 0.9485],
        5e-5,
    );
    assert_limits(
        exact_limits(100, 0.7),
        [0.5484, 0.6031, 0.7831, 0.8297],
        5e-5,
    );
    let normal = |n: u32| normal_limits(0.7, 0.7 * 0.3 / f64::from(n), 0.0);
    assert!(close(normal(20).lower_95, 0.4992, 5e-5) && close(normal(20).upper_95, 0.9008, 5e-5));
    assert!(close(normal(100).lower_95, 0.6102, 5e-5) && close(normal(100).upper_95, 0.7898, 5e-5));
}

/// Computed independently, by summing the binomial probabilities with exact integer
/// binomial coefficients (Python: `sum(comb(n,k) * p**k * (1-p)**(n-k))`), taking the
/// smallest r with F(r) ≥ p and α = (F(r) − p)/(F(r) − F(r − 1)), for p₀ = 0.70:
///
/// | n   | 0.1%     | 2.5%     | 97.5%    | 99.9%    | r at 2.5% / 97.5% |
/// |-----|----------|----------|----------|----------|-------------------|
/// | 10  | 0.159191 | 0.339198 | 0.911497 | 0.996460 | 4 / 10            |
/// | 50  | 0.480930 | 0.559864 | 0.813861 | 0.876870 | 28 / 41           |
/// | 200 | 0.594895 | 0.632959 | 0.759969 | 0.794477 | 127 / 152         |
/// | 500 | 0.634570 | 0.658444 | 0.738810 | 0.761159 | 330 / 370         |
#[test]
fn the_interpolation_at_ten_fifty_two_hundred_and_five_hundred() {
    for (n, expected) in [
        (10, [0.159_191, 0.339_198, 0.911_497, 0.996_460]),
        (50, [0.480_930, 0.559_864, 0.813_861, 0.876_870]),
        (200, [0.594_895, 0.632_959, 0.759_969, 0.794_477]),
        (500, [0.634_570, 0.658_444, 0.738_810, 0.761_159]),
    ] {
        assert_limits(exact_limits(n, 0.7), expected, 2e-6);
    }
}

/// Eight providers, worked by hand (and checked with a short Python script):
/// Σy = 457, Σn = 660, p₀ = 0.692424. z-scores −0.8957, 0.7891, 0.9664, 0.1642, −4.4806,
/// 2.8580, 1.7644, −3.7294; the 10th percentile (type 7) is −3.9548 and the 90th 2.0925,
/// so −4.4806 and 2.8580 are winsorised to them. φ = Σz²/8 = 4.928266 > (8−1)/8, and with
/// wᵢ = nᵢ/(p₀(1−p₀)), τ² = (8φ − 7)/(Σw − Σw²/Σw) = 0.012696. M = p₀(1−p₀)/τ² − 1.
#[test]
fn a_hand_worked_example_of_eight_overdispersed_providers() {
    let counts = [
        (12, 20),
        (30, 40),
        (45, 60),
        (70, 100),
        (20, 50),
        (90, 110),
        (150, 200),
        (40, 80),
    ]
    .map(|(events, n)| Count { events, n });
    let funnel = proportion_funnel(&counts);
    assert!(close(funnel.target.unwrap_or(0.0), 457.0 / 660.0, 1e-12));
    assert!(
        close(funnel.phi.unwrap_or(0.0), 4.928_266, 1e-6),
        "{funnel:?}"
    );
    assert!(close(funnel.tau2, 0.012_696_06, 1e-8), "{funnel:?}");
    assert_eq!(funnel.providers, 8);
    // (95% lower, 95% upper, 99.8% lower, shrunk), limits clamped to 0..1.
    let expected = [
        (0.3930, 0.9919, 0.2203, 0.6408),
        (0.4293, 0.9555, 0.2776, 0.7337),
        (0.4426, 0.9422, 0.2985, 0.7380),
        (0.4538, 0.9311, 0.3162, 0.6990),
        (0.4372, 0.9476, 0.2900, 0.4701),
        (0.4553, 0.9295, 0.3186, 0.8024),
        (0.4625, 0.9223, 0.3299, 0.7458),
        (0.4495, 0.9353, 0.3095, 0.5317),
    ];
    for (count, (lower, upper, lower_998, shrunk)) in counts.iter().zip(expected) {
        let limits = proportion_limits(&funnel, count.n).expect("limits");
        assert!(close(limits.lower_95, lower, 5e-5), "{count:?} {limits:?}");
        assert!(close(limits.upper_95, upper, 5e-5), "{count:?} {limits:?}");
        assert!(
            close(limits.lower_998, lower_998, 5e-5),
            "{count:?} {limits:?}"
        );
        assert_eq!(limits.upper_998, 1.0, "clamped at 100%");
        let value = shrunk_proportion(&funnel, *count).expect("shrunk");
        assert!(close(value, shrunk, 5e-5), "{count:?} {value}");
    }
    // 20 of 50 lies below the widened 95% limit (0.4372): fewer goals reached.
    let limits = proportion_limits(&funnel, 50).expect("limits");
    assert_eq!(compare(0.4, &limits, true), Comparison::MinderGoed);
    assert_eq!(compare(0.4, &limits, false), Comparison::Beter);
    assert_eq!(compare(0.6, &limits, true), Comparison::Vergelijkbaar);
}

#[test]
fn fewer_than_five_providers_are_not_adjusted_for_overdispersion() {
    let counts = [(5, 50), (45, 50), (25, 50), (30, 50)].map(|(events, n)| Count { events, n });
    let funnel = proportion_funnel(&counts);
    assert_eq!((funnel.phi, funnel.tau2), (None, 0.0));
    // Exact binomial limits at p₀ = 105/200 = 0.525 and n = 50, summed by hand as in the
    // table above (r = 15, 19, 32, 36): not the product's own function again.
    assert_limits(
        proportion_limits(&funnel, 50).expect("limits"),
        [0.297_762, 0.375_939, 0.653_559, 0.730_862],
        2e-6,
    );
    // Providers below ten cases do not count towards the target.
    let with_small = [Count { events: 9, n: 9 }, Count { events: 5, n: 10 }];
    assert_eq!(proportion_funnel(&with_small).target, Some(0.5));
    assert_eq!(proportion_funnel(&[Count { events: 3, n: 9 }]).target, None);
}

/// A small deterministic generator (SplitMix64), so the property tests need no seed from
/// the clock and fail the same way every run.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u32) -> u32 {
        u32::try_from(self.next() % u64::from(bound)).unwrap_or(0)
    }

    fn unit(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let x = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        x
    }
}

#[test]
fn limits_contain_the_target_and_narrow_as_n_grows() {
    let mut draws = Draws(15);
    for _ in 0..300 {
        let p0 = 0.02 + 0.96 * draws.unit();
        let mut previous: Option<Limits> = None;
        for n in [10, 20, 40, 80, 160, 320, 640, 1280] {
            let limits = exact_limits(n, p0);
            assert!(
                limits.lower_998 <= limits.lower_95 && limits.lower_95 <= p0,
                "{p0} {n} {limits:?}"
            );
            assert!(
                p0 <= limits.upper_95 && limits.upper_95 <= limits.upper_998,
                "{p0} {n} {limits:?}"
            );
            if let Some(wider) = previous {
                let width = limits.upper_95 - limits.lower_95;
                let before = wider.upper_95 - wider.lower_95;
                assert!(width <= before + 1e-9, "{p0} {n}: {width} > {before}");
            }
            previous = Some(limits);
        }
    }
}

#[test]
fn a_shrunk_value_lies_between_the_raw_value_and_the_target() {
    let mut draws = Draws(42);
    for _ in 0..300 {
        let providers = 5 + draws.below(20) as usize;
        let counts: Vec<Count> = (0..providers)
            .map(|_| {
                let n = 10 + draws.below(400);
                Count {
                    events: draws.below(n + 1),
                    n,
                }
            })
            .collect();
        let funnel = proportion_funnel(&counts);
        let target = funnel.target.expect("target");
        for count in &counts {
            let raw = f64::from(count.events) / f64::from(count.n);
            let shrunk = shrunk_proportion(&funnel, *count).expect("shrunk");
            let (low, high) = if raw < target {
                (raw, target)
            } else {
                (target, raw)
            };
            assert!(
                low - 1e-12 <= shrunk && shrunk <= high + 1e-12,
                "{count:?} {raw} {shrunk} {target}"
            );
        }
    }
}

/// Providers whose counts are exactly what the target predicts (every value p₀) show no
/// overdispersion: τ² = 0, and everyone shrinks to p₀.
#[test]
fn exactly_binomial_providers_have_no_overdispersion() {
    let counts: Vec<Count> = [20, 40, 60, 100, 200, 500]
        .map(|n| Count {
            events: n * 3 / 10,
            n,
        })
        .to_vec();
    let funnel = proportion_funnel(&counts);
    assert!(close(funnel.target.unwrap_or(0.0), 0.3, 1e-12));
    assert_eq!(funnel.tau2, 0.0);
    assert_eq!(funnel.phi, Some(0.0));
    assert_eq!(
        shrunk_proportion(&funnel, counts[0]),
        Some(funnel.target.unwrap_or(0.0))
    );
    // And counts drawn from the binomial itself rarely do: with φ near 1 the excess
    // I·φ − (I − 1) is small, so τ² stays far below the spread of the values.
    let mut draws = Draws(7);
    let drawn: Vec<Count> = (0..40)
        .map(|_| {
            let n = 200;
            Count {
                events: (0..n).filter(|_| draws.unit() < 0.3).count() as u32,
                n,
            }
        })
        .collect();
    let funnel = proportion_funnel(&drawn);
    assert!(funnel.tau2 < 0.3 * 0.7 / 200.0, "{funnel:?}");
}

#[test]
fn a_mean_score_has_normal_limits_with_the_pooled_variance() {
    let means = [
        Mean {
            mean: 7.0,
            variance: 1.0,
            n: 10,
        },
        Mean {
            mean: 8.0,
            variance: 4.0,
            n: 30,
        },
        Mean {
            mean: 6.0,
            variance: 9.0,
            n: 9,
        },
    ];
    let funnel = mean_funnel(&means);
    // Only n ≥ 10 count: target (70 + 240)/40 = 7.75, pooled (9·1 + 29·4)/38.
    assert!(close(funnel.funnel.target.unwrap_or(0.0), 7.75, 1e-12));
    assert!(close(funnel.pooled_variance, 125.0 / 38.0, 1e-12));
    // At n = 25: sd = √(125/38/25) = 0.362738; the published normal quantiles 1.959964
    // and 3.090232 give 7.75 + 0.710954 and 7.75 − 1.120945.
    let limits = funnel.limits(25).expect("limits");
    assert!(close(limits.upper_95, 8.460_954, 1e-6), "{limits:?}");
    assert!(close(limits.lower_998, 6.629_055, 1e-6), "{limits:?}");
    assert_eq!(
        funnel.shrunk(means[0]),
        Some(7.75),
        "no τ² with two providers"
    );
}

#[test]
fn outliers_are_read_in_the_indicator_direction() {
    let limits = exact_limits(100, 0.3);
    assert_eq!(
        compare(0.5, &limits, false),
        Comparison::MinderGoed,
        "more uitval"
    );
    assert_eq!(
        compare(0.1, &limits, false),
        Comparison::Beter,
        "less uitval"
    );
    assert!(clear_outlier(0.5, &limits) && !clear_outlier(0.4, &limits));
    assert_eq!(Comparison::Vergelijkbaar.as_str(), "similar");
}

#[test]
fn edges_give_limits_not_nan() {
    // No cases, or a target of 0% or 100%: the limits sit on the target, never NaN.
    for p0 in [0.0, 1.0] {
        let limits = exact_limits(50, p0);
        assert_eq!((limits.lower_95, limits.upper_95), (p0, p0));
    }
    assert_eq!(exact_limit(0, 0.7, 0.025), 0.7);
    let none = Funnel {
        target: Some(0.7),
        providers: 1,
        phi: None,
        tau2: 0.0,
    };
    assert_eq!(proportion_limits(&none, 0), None);
    // Every provider at 0%: a target of 0 and no dispersion to estimate.
    let zero = proportion_funnel(&[Count { events: 0, n: 40 }; 6]);
    assert_eq!((zero.target, zero.phi, zero.tau2), (Some(0.0), None, 0.0));
    let limits = proportion_limits(&zero, 40).expect("limits");
    assert!(
        [
            limits.lower_998,
            limits.lower_95,
            limits.upper_95,
            limits.upper_998
        ]
        .iter()
        .all(|l| l.is_finite())
    );
}

/// Six providers' mean scores that vary far more than their within-provider spread allows:
/// τ² > 0 widens the normal limits, and each mean shrinks towards the target by the weight
/// τ² ÷ (τ² + s²/n).
#[test]
fn overdispersed_mean_scores_widen_the_limits_and_shrink() {
    let means: Vec<Mean> = [5.0, 6.0, 7.0, 7.5, 8.0, 9.0]
        .iter()
        .map(|m| Mean {
            mean: *m,
            variance: 1.0,
            n: 40,
        })
        .collect();
    let funnel = mean_funnel(&means);
    let target = funnel.funnel.target.expect("target");
    assert!(close(target, 42.5 / 6.0, 1e-12));
    // By hand: z = (m − 7.083333)·√40 = −13.176, −6.851, −0.527, 2.635, 5.798, 12.122; the
    // 10th and 90th percentiles (type 7) −10.013 and 8.960 winsorise the ends; φ = 44.7222;
    // with wᵢ = 40, Σw = 240 and Σw²/Σw = 40: τ² = (6φ − 5)/(240 − 40) = 1.316667.
    assert!(
        close(funnel.funnel.phi.unwrap_or(0.0), 44.722_222, 1e-5),
        "{funnel:?}"
    );
    assert!(close(funnel.funnel.tau2, 1.316_667, 1e-6), "{funnel:?}");
    // Limits 7.083333 ± 1.959964·√(1/40 + τ²), wider than without τ².
    let wide = funnel.limits(40).expect("limits");
    assert!(close(wide.lower_95, 4.813_100, 1e-5), "{wide:?}");
    assert!(close(wide.upper_95, 9.353_566, 1e-5), "{wide:?}");
    // The weight τ²/(τ² + 1/40) = 0.981366: 5.0 moves to 5.038820.
    let shrunk = funnel.shrunk(means[0]).expect("shrunk");
    assert!(close(shrunk, 5.038_820, 1e-5), "{shrunk}");
    assert!(shrunk > 5.0 && shrunk < target);
}

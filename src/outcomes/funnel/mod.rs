//! A fair comparison of providers: funnel limits around the region's pooled value, widened
//! for real between-provider variation (overdispersion), and shrunk estimates for ranking.
//! Free of any database; the score computation calls it per region × profile × indicator.
//!
//! The methods are Spiegelhalter's ("Funnel plots for comparing institutional performance",
//! Stat Med 2005;24:1185, and "Handling over-dispersion of performance indicators", QSHC
//! 2005;14:347):
//! - the target p₀ is the pooled value Σ events ÷ Σ n over the providers with n ≥ 10;
//! - without overdispersion, the limits for a proportion are exact binomial, interpolated
//!   between the steps of the binomial distribution;
//! - the z-scores of the providers, winsorised at their 10th and 90th percentile, give the
//!   dispersion φ; when I·φ > I − 1 an additive random effect τ² (DerSimonian–Laird) widens
//!   every limit to p₀ ± z·√(s² + τ²); with fewer than five providers no adjustment is made;
//! - the shrunk estimate (beta-binomial, prior mean p₀ and variance τ²) ranks providers
//!   without rewarding the luck of small numbers.

use statrs::distribution::{Binomial, DiscreteCDF};

pub use super::indicators::Comparison;
use super::indicators::MIN_N;

/// Two-sided 95%: the 2.5% and 97.5% points of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;
/// Two-sided 99.8%: the 0.1% and 99.9% points.
pub const Z998: f64 = 3.090_232_306_167_813;
/// Fewer providers than this with n ≥ 10: too few to estimate overdispersion.
pub const MIN_PROVIDERS_FOR_DISPERSION: usize = 5;

/// The funnel's four limits at one n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub lower_998: f64,
    pub lower_95: f64,
    pub upper_95: f64,
    pub upper_998: f64,
}

impl Limits {
    pub fn contains(&self, value: f64) -> bool {
        (self.lower_95..=self.upper_95).contains(&value)
    }
}

/// The exact binomial limit of a proportion at probability `p` (0.001, 0.025, 0.975 or 0.999)
/// for `n` cases under Bin(n, p₀): r_p is the smallest r with F(r) ≥ p, and the step of the
/// distribution is interpolated, α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)), limit (r_p − α)/n.
pub fn exact_limit(n: u32, p0: f64, p: f64) -> f64 {
    if n == 0 {
        return p0;
    }
    let nf = f64::from(n);
    if p0 <= 0.0 || p0 >= 1.0 {
        return p0.clamp(0.0, 1.0);
    }
    let Ok(binomial) = Binomial::new(p0, u64::from(n)) else {
        return p0;
    };
    let cdf = |r: i64| {
        if r < 0 {
            0.0
        } else {
            binomial.cdf(r.unsigned_abs())
        }
    };
    // Start from the normal approximation and walk to the exact step.
    let guess = (nf * p0 + normal_quantile(p) * (nf * p0 * (1.0 - p0)).sqrt()).floor();
    #[allow(clippy::cast_possible_truncation)]
    let mut r = (guess.clamp(0.0, nf)) as i64;
    while r > 0 && cdf(r - 1) >= p {
        r -= 1;
    }
    while r < i64::from(n) && cdf(r) < p {
        r += 1;
    }
    let (at, below) = (cdf(r), cdf(r - 1));
    let alpha = if at > below {
        (at - p) / (at - below)
    } else {
        0.0
    };
    #[allow(clippy::cast_precision_loss)]
    let limit = (r as f64 - alpha) / nf;
    limit.clamp(0.0, 1.0)
}

/// The four exact limits of a proportion at `n` (no overdispersion).
pub fn exact_limits(n: u32, p0: f64) -> Limits {
    Limits {
        lower_998: exact_limit(n, p0, 0.001),
        lower_95: exact_limit(n, p0, 0.025),
        upper_95: exact_limit(n, p0, 0.975),
        upper_998: exact_limit(n, p0, 0.999),
    }
}

/// Limits p₀ ± z·√(s² + τ²), with s² the variance of one provider's value at its n.
pub fn normal_limits(p0: f64, variance: f64, tau2: f64) -> Limits {
    let sd = (variance + tau2).sqrt();
    Limits {
        lower_998: p0 - Z998 * sd,
        lower_95: p0 - Z95 * sd,
        upper_95: p0 + Z95 * sd,
        upper_998: p0 + Z998 * sd,
    }
}

/// The standard normal quantile for the four funnel probabilities (and a rough value for any
/// other, which is only used as a starting point).
fn normal_quantile(p: f64) -> f64 {
    match p {
        x if (x - 0.001).abs() < 1e-12 => -Z998,
        x if (x - 0.025).abs() < 1e-12 => -Z95,
        x if (x - 0.975).abs() < 1e-12 => Z95,
        x if (x - 0.999).abs() < 1e-12 => Z998,
        x if x < 0.5 => -Z95,
        _ => Z95,
    }
}

/// One provider's count for a proportion: `events` of `n` cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub events: u32,
    pub n: u32,
}

/// The region's funnel for one profile, indicator and period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Funnel {
    /// The pooled value p₀; `None` without any provider of n ≥ 10.
    pub target: Option<f64>,
    /// Providers with n ≥ 10 (I).
    pub providers: usize,
    /// φ, from the winsorised z-scores; `None` with fewer than five providers.
    pub phi: Option<f64>,
    /// τ², the between-provider variance added to each limit (0 without overdispersion).
    pub tau2: f64,
}

impl Funnel {
    /// Whether the limits were widened for overdispersion.
    pub fn adjusted(&self) -> bool {
        self.tau2 > 0.0
    }
}

/// The value at quantile `q` (0..1) of sorted values, interpolated linearly between the
/// two nearest ranks (R's default, type 7).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let h = (sorted.len() - 1) as f64 * q;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let low = h.floor() as usize;
    let high = (low + 1).min(sorted.len() - 1);
    #[allow(clippy::cast_precision_loss)]
    let fraction = h - low as f64;
    sorted[low] + fraction * (sorted[high] - sorted[low])
}

/// The funnel of proportions: target, φ and τ² over the providers with n ≥ 10.
pub fn proportion_funnel(counts: &[Count]) -> Funnel {
    let counted: Vec<Count> = counts.iter().copied().filter(|c| c.n >= MIN_N).collect();
    let events: f64 = counted.iter().map(|c| f64::from(c.events)).sum();
    let cases: f64 = counted.iter().map(|c| f64::from(c.n)).sum();
    if counted.is_empty() || cases == 0.0 {
        return Funnel {
            target: None,
            providers: 0,
            phi: None,
            tau2: 0.0,
        };
    }
    let p0 = events / cases;
    let variance = |n: u32| p0 * (1.0 - p0) / f64::from(n);
    let (phi, tau2) = if counted.len() < MIN_PROVIDERS_FOR_DISPERSION || p0 <= 0.0 || p0 >= 1.0 {
        (None, 0.0)
    } else {
        dispersion(
            &counted
                .iter()
                .map(|c| (f64::from(c.events) / f64::from(c.n), variance(c.n)))
                .collect::<Vec<_>>(),
            p0,
        )
    };
    Funnel {
        target: Some(p0),
        providers: counted.len(),
        phi,
        tau2,
    }
}

/// φ and τ² from (value, variance) per provider around the target: z-scores winsorised at
/// the 10th and 90th percentile, φ = Σz²/I, and the DerSimonian–Laird τ² when I·φ > I − 1.
pub fn dispersion(values: &[(f64, f64)], target: f64) -> (Option<f64>, f64) {
    let z: Vec<f64> = values
        .iter()
        .map(|(y, variance)| (y - target) / variance.sqrt())
        .collect();
    let mut sorted = z.clone();
    sorted.sort_by(f64::total_cmp);
    let (low, high) = (quantile(&sorted, 0.10), quantile(&sorted, 0.90));
    #[allow(clippy::cast_precision_loss)]
    let count = z.len() as f64;
    let phi = z.iter().map(|z| z.clamp(low, high).powi(2)).sum::<f64>() / count;
    let tau2 = if count * phi > count - 1.0 {
        let w: Vec<f64> = values.iter().map(|(_, variance)| 1.0 / variance).collect();
        let sum_w: f64 = w.iter().sum();
        let sum_w2: f64 = w.iter().map(|w| w * w).sum();
        ((count * phi - (count - 1.0)) / (sum_w - sum_w2 / sum_w)).max(0.0)
    } else {
        0.0
    };
    (Some(phi), tau2)
}

/// The limits of a proportion at `n` in this funnel: exact binomial without overdispersion,
/// p₀ ± z·√(p₀(1−p₀)/n + τ²) with it.
pub fn proportion_limits(funnel: &Funnel, n: u32) -> Option<Limits> {
    let p0 = funnel.target?;
    if n == 0 {
        return None;
    }
    Some(if funnel.adjusted() {
        let wide = normal_limits(p0, p0 * (1.0 - p0) / f64::from(n), funnel.tau2);
        Limits {
            lower_998: wide.lower_998.max(0.0),
            lower_95: wide.lower_95.max(0.0),
            upper_95: wide.upper_95.min(1.0),
            upper_998: wide.upper_998.min(1.0),
        }
    } else {
        exact_limits(n, p0)
    })
}

/// The empirical-Bayes (beta-binomial) estimate: prior mean μ = p₀ and variance τ², so
/// M = μ(1−μ)/τ² − 1 and shrunk = (y + μM)/(n + M). With τ² = 0 every provider is p₀.
pub fn shrunk_proportion(funnel: &Funnel, count: Count) -> Option<f64> {
    let mu = funnel.target?;
    if funnel.tau2 <= 0.0 {
        return Some(mu);
    }
    let m = (mu * (1.0 - mu) / funnel.tau2 - 1.0).max(0.0);
    let total = f64::from(count.n) + m;
    if total <= 0.0 {
        return Some(mu);
    }
    Some((f64::from(count.events) + mu * m) / total)
}

/// One provider's mean score (1–10) with its n and sample variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    pub mean: f64,
    pub variance: f64,
    pub n: u32,
}

/// The funnel of mean scores: the target is the n-weighted mean, the within-provider
/// variance is pooled (Σ(nᵢ−1)·sᵢ² ÷ Σ(nᵢ−1)), and the limits are normal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanFunnel {
    pub funnel: Funnel,
    pub pooled_variance: f64,
}

pub fn mean_funnel(means: &[Mean]) -> MeanFunnel {
    let counted: Vec<Mean> = means.iter().copied().filter(|m| m.n >= MIN_N).collect();
    let cases: f64 = counted.iter().map(|m| f64::from(m.n)).sum();
    let degrees: f64 = counted.iter().map(|m| f64::from(m.n) - 1.0).sum();
    if counted.is_empty() || cases == 0.0 || degrees <= 0.0 {
        return MeanFunnel {
            funnel: Funnel {
                target: None,
                providers: 0,
                phi: None,
                tau2: 0.0,
            },
            pooled_variance: 0.0,
        };
    }
    let target = counted.iter().map(|m| m.mean * f64::from(m.n)).sum::<f64>() / cases;
    let pooled = counted
        .iter()
        .map(|m| (f64::from(m.n) - 1.0) * m.variance)
        .sum::<f64>()
        / degrees;
    let (phi, tau2) = if counted.len() < MIN_PROVIDERS_FOR_DISPERSION || pooled <= 0.0 {
        (None, 0.0)
    } else {
        dispersion(
            &counted
                .iter()
                .map(|m| (m.mean, pooled / f64::from(m.n)))
                .collect::<Vec<_>>(),
            target,
        )
    };
    MeanFunnel {
        funnel: Funnel {
            target: Some(target),
            providers: counted.len(),
            phi,
            tau2,
        },
        pooled_variance: pooled,
    }
}

impl MeanFunnel {
    pub fn limits(&self, n: u32) -> Option<Limits> {
        let target = self.funnel.target?;
        (n > 0).then(|| {
            normal_limits(
                target,
                self.pooled_variance / f64::from(n),
                self.funnel.tau2,
            )
        })
    }

    /// The normal–normal shrunk mean: the provider's weight is τ² ÷ (τ² + s²/n).
    pub fn shrunk(&self, mean: Mean) -> Option<f64> {
        let target = self.funnel.target?;
        if self.funnel.tau2 <= 0.0 || mean.n == 0 {
            return Some(target);
        }
        let own = self.funnel.tau2 / (self.funnel.tau2 + self.pooled_variance / f64::from(mean.n));
        Some(target + own * (mean.mean - target))
    }
}

/// The comparison of a value against its limits, in the indicator's direction.
pub fn compare(value: f64, limits: &Limits, higher_is_better: bool) -> Comparison {
    let above = value > limits.upper_95;
    let below = value < limits.lower_95;
    match (above, below, higher_is_better) {
        (true, _, true) | (_, true, false) => Comparison::Beter,
        (_, true, true) | (true, _, false) => Comparison::MinderGoed,
        _ => Comparison::Vergelijkbaar,
    }
}

/// Outside the 99.8% limits: a clear outlier for the contract managers.
pub fn clear_outlier(value: f64, limits: &Limits) -> bool {
    value < limits.lower_998 || value > limits.upper_998
}

#[cfg(test)]
mod tests;

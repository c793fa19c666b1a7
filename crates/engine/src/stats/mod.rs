//! Experiment statistics from sufficient statistics.
//!
//! Every function here takes per-variant counts and sums ([`SampleStats`]),
//! never raw rows, so aggregated exports, row-level files and warehouse query
//! results all go through the same maths. The conventions follow GrowthBook's
//! gbstats (`packages/stats`): relative lift with a delta-method variance, a
//! Welch t-test whose p-value comes from the same test as the interval, a
//! normal posterior of the lift for the Bayesian view, and the mixture-SPRT
//! always-valid interval for sequential testing. The reference values in
//! `tests/reference/stats_fixture.json` (gbstats, scipy, statsmodels) are
//! checked by `tests/reference_stats.rs`.
//!
//! - [`frequentist`] intervals and p-values (fixed-horizon and sequential);
//! - [`bayesian`] chance to beat control, expected loss, exact Beta–binomial;
//! - [`cuped`] regression adjustment with pre-period data;
//! - [`srm`] sample-ratio-mismatch test;
//! - [`heterogeneity`] Cochran's Q: does the uplift differ between segments;
//! - [`multiple`] Holm–Bonferroni and Benjamini–Hochberg adjustments;
//! - [`noninferiority`] one-sided test of a guardrail against its margin;
//! - [`nps`] Net Promoter Score per variant and its difference (Wald, adjusted Wald);
//! - [`quantile`] quantile metrics (median, p90) with gbstats' variance;
//! - [`poststrat`] the overall effect post-stratified on a segment column;
//! - [`power`] sample size and minimum detectable effect.

pub mod bayesian;
pub mod cuped;
pub mod frequentist;
pub mod heterogeneity;
pub mod multiple;
pub mod noninferiority;
pub mod nps;
pub mod poststrat;
pub mod power;
pub mod quantile;
pub mod srm;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};
use thiserror::Error;

use crate::units::Interval;

pub use frequentist::{compare, Comparison, Difference, FrequentistOptions, IntervalKind};
pub use srm::{sample_ratio_mismatch, Srm};

/// Mean and variance of a per-user metric in one variant, with its sample size.
///
/// Built through the constructors below, which reject what would make the
/// maths meaningless (no users, more conversions than users, NaN sums).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SampleStats {
    pub n: f64,
    pub mean: f64,
    pub variance: f64,
}

/// Why two variants could not be compared; each message says why in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareError {
    #[error("The control's value is zero, so a relative uplift cannot be computed.")]
    BaselineZero,
    #[error("Every user in both groups has the same value, so there is no variation to measure uncertainty from.")]
    NoVariance,
    #[error("A group needs at least 2 users to estimate its variance.")]
    TooFewUsers,
}

impl SampleStats {
    /// A conversion-style metric: `successes` out of `n` users.
    /// Variance p(1 − p), as gbstats' `ProportionStatistic`.
    pub fn proportion(successes: u64, n: u64) -> Option<SampleStats> {
        if n == 0 || successes > n {
            return None;
        }
        let n = n as f64;
        let p = successes as f64 / n;
        Some(SampleStats {
            n,
            mean: p,
            variance: p * (1.0 - p),
        })
    }

    /// A ratio of two per-user sums, such as revenue / orders (AOV):
    /// mean Σm/Σd and the delta-method variance per user
    /// σ²_m/μ_d² − 2·Cov(m, d)·μ_m/μ_d³ + μ_m²·σ²_d/μ_d⁴
    /// (gbstats `RatioStatistic`, `variance_of_ratios`).
    pub fn ratio(n: u64, m: (f64, f64), d: (f64, f64), m_d_sum: f64) -> Option<SampleStats> {
        let ms = SampleStats::from_sums(n, m.0, m.1)?;
        let ds = SampleStats::from_sums(n, d.0, d.1)?;
        if d.0 == 0.0 || n < 2 || !m_d_sum.is_finite() {
            return None;
        }
        let nf = n as f64;
        let cov = (m_d_sum - m.0 * d.0 / nf) / (nf - 1.0);
        let variance = ms.variance / ds.mean.powi(2) - 2.0 * cov * ms.mean / ds.mean.powi(3)
            + ms.mean.powi(2) * ds.variance / ds.mean.powi(4);
        Some(SampleStats {
            n: nf,
            mean: m.0 / d.0,
            variance: variance.max(0.0),
        })
    }

    /// A per-user mean from its sum and sum of squares.
    /// Variance (Σx² − (Σx)²/n)/(n − 1), as gbstats' `SampleMeanStatistic`.
    pub fn from_sums(n: u64, sum: f64, sum_sq: f64) -> Option<SampleStats> {
        if n == 0 || !sum.is_finite() || !sum_sq.is_finite() {
            return None;
        }
        let nf = n as f64;
        let variance = if n > 1 {
            ((sum_sq - sum * sum / nf) / (nf - 1.0)).max(0.0)
        } else {
            0.0
        };
        Some(SampleStats {
            n: nf,
            mean: sum / nf,
            variance,
        })
    }
}

/// The standard normal distribution.
/// Indices of `keys` in ascending order of key, NaN last; stable, so equal
/// keys keep their order. The engine's orderings all go through this one
/// sort, which keeps a single copy of the sort routine in the WebAssembly.
pub(crate) fn ascending(keys: &[f64]) -> Vec<usize> {
    let key = |i: usize| {
        keys.get(i)
            .copied()
            .filter(|k| !k.is_nan())
            .unwrap_or(f64::INFINITY)
    };
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&i, &j| key(i).total_cmp(&key(j)));
    order
}

pub(crate) fn std_normal() -> Normal {
    // Mean 0 and standard deviation 1 are always valid parameters.
    Normal::standard()
}

/// Two-sided critical value of the standard normal for a confidence level.
pub(crate) fn z_critical(confidence: f64) -> f64 {
    std_normal().inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// Wilson score interval for a proportion (Wilson 1927; statsmodels'
/// `proportion_confint(method="wilson")`):
/// centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
/// Unlike the plain normal interval it stays inside [0, 1] and has width at 0 and 1.
pub fn wilson_interval(successes: u64, n: u64, confidence: f64) -> Option<Interval> {
    if n == 0 || successes > n || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let z = z_critical(confidence);
    let nf = n as f64;
    let p = successes as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascending_is_stable_with_nan_last() {
        let keys = [0.3, f64::NAN, 0.1, 0.3, -1.0, 0.1];
        assert_eq!(ascending(&keys), vec![4, 2, 5, 0, 3, 1]);
        assert!(ascending(&[]).is_empty());
    }

    pub(crate) fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    /// statsmodels: proportion_confint(20, 1000, alpha=0.05, method="wilson")
    /// = (0.012983682916415138, 0.03069000522971779).
    #[test]
    fn wilson_matches_statsmodels() {
        let Some(i) = wilson_interval(20, 1000, 0.95) else {
            panic!()
        };
        assert!(close(i.low, 0.012_983_682_916_415_138, 1e-9), "{i:?}");
        assert!(close(i.high, 0.030_690_005_229_717_79, 1e-9), "{i:?}");
        let Some(z) = wilson_interval(0, 50, 0.95) else {
            panic!()
        };
        assert_eq!(z.low, 0.0);
        assert!(z.high > 0.0);
        assert_eq!(wilson_interval(1, 0, 0.95), None);
    }

    #[test]
    fn sample_mean_variance() {
        // values 1, 2, 3 → mean 2, sample variance 1
        let Some(s) = SampleStats::from_sums(3, 6.0, 14.0) else {
            panic!()
        };
        assert_eq!(s.mean, 2.0);
        assert!(close(s.variance, 1.0, 1e-12));
        assert_eq!(SampleStats::from_sums(0, 1.0, 1.0), None);
        assert_eq!(SampleStats::proportion(5, 4), None);
    }
}

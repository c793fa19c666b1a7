//! Experiment statistics from sufficient statistics: rates and means per
//! variant, their intervals, and variant-vs-control comparisons.
//!
//! The comparison follows GrowthBook's gbstats frequentist engine
//! (`gbstats/frequentist/tests.py`, `TwoSidedTTest`): the relative lift
//! `mean_b / mean_a − 1` with a delta-method variance and a Welch–Satterthwaite
//! t distribution. Its p-value comes from that same test, so "significant"
//! and "the interval excludes zero" always agree.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};
use thiserror::Error;

use crate::units::Interval;

/// Mean and variance of a per-user metric in one variant, with its sample size.
///
/// Built only through the constructors below, which reject what would make
/// the maths meaningless (no users, NaN), so the functions that take a
/// `SampleStats` never see invalid input.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SampleStats {
    pub n: f64,
    pub mean: f64,
    pub variance: f64,
}

/// Why a comparison could not be made; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareError {
    #[error("The control's value is zero, so a relative uplift cannot be computed.")]
    BaselineZero,
    #[error("Both groups have zero variance (every user identical), so there is no uncertainty to measure.")]
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

/// Two-sided critical value of the standard normal for a confidence level.
fn z_critical(confidence: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(1.0 - (1.0 - confidence) / 2.0),
        Err(_) => f64::NAN,
    }
}

/// Wilson score interval for a proportion (Wilson 1927; statsmodels'
/// `proportion_confint(method="wilson")`):
/// centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
/// Unlike the plain normal interval it stays inside [0, 1] and has width at 0 and 1.
pub fn wilson_interval(successes: u64, n: u64, confidence: f64) -> Option<Interval> {
    if n == 0 || successes > n {
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

/// Variant vs control for one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// mean_b − mean_a
    pub absolute: f64,
    /// mean_b / mean_a − 1
    pub relative: f64,
    pub relative_ci: Interval,
    /// Two-sided p-value of the t-test on the relative lift (the same test as the interval).
    pub p_value: f64,
    /// Standard error of the relative lift.
    pub relative_se: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub dof: f64,
}

/// Compare a variant (`b`) with the control (`a`) on the relative scale.
///
/// Point estimate Δ = μ_b/μ_a − 1. Delta-method variance
/// Var(Δ) = σ²_b/(μ_a² n_b) + σ²_a μ_b²/(μ_a⁴ n_a).
/// Welch–Satterthwaite ν = (σ²_b/n_b + σ²_a/n_a)² / (σ⁴_b/(n_b²(n_b−1)) + σ⁴_a/(n_a²(n_a−1))).
/// Interval Δ ± t_{ν,1−α/2}·√Var(Δ); p = 2(1 − T_ν(|Δ|/√Var(Δ))).
/// Source: GrowthBook gbstats, `frequentist/tests.py` (`TTest`, `TwoSidedTTest`).
pub fn compare_relative(
    a: &SampleStats,
    b: &SampleStats,
    confidence: f64,
) -> Result<Comparison, CompareError> {
    if a.n < 2.0 || b.n < 2.0 {
        return Err(CompareError::TooFewUsers);
    }
    if a.mean == 0.0 {
        return Err(CompareError::BaselineZero);
    }
    let variance =
        b.variance / (a.mean.powi(2) * b.n) + a.variance * b.mean.powi(2) / (a.mean.powi(4) * a.n);
    if variance <= 0.0 || !variance.is_finite() {
        return Err(CompareError::NoVariance);
    }
    let se = variance.sqrt();
    let relative = (b.mean - a.mean) / a.mean;
    let va = a.variance / a.n;
    let vb = b.variance / b.n;
    let dof = (va + vb).powi(2)
        / (b.variance.powi(2) / (b.n.powi(2) * (b.n - 1.0))
            + a.variance.powi(2) / (a.n.powi(2) * (a.n - 1.0)));
    let t = StudentsT::new(0.0, 1.0, dof).map_err(|_| CompareError::NoVariance)?;
    let crit = t.inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let p_value = (2.0 * t.sf(relative.abs() / se)).clamp(0.0, 1.0);
    Ok(Comparison {
        absolute: b.mean - a.mean,
        relative,
        relative_ci: Interval {
            low: relative - crit * se,
            high: relative + crit * se,
        },
        p_value,
        relative_se: se,
        dof,
    })
}

/// Sample-ratio-mismatch check: Pearson's chi-square goodness-of-fit of the
/// observed users per variant against the expected split (equal if `weights`
/// is empty). χ² = Σ (O − E)²/E with k − 1 degrees of freedom
/// (`scipy.stats.chisquare`). Returns `None` with fewer than two variants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Srm {
    pub chi_square: f64,
    pub p_value: f64,
    /// True when p < 0.001, the threshold experimentation platforms use.
    pub mismatch: bool,
}

pub fn sample_ratio_mismatch(users: &[u64], weights: &[f64]) -> Option<Srm> {
    let k = users.len();
    if k < 2 {
        return None;
    }
    let total: f64 = users.iter().map(|&u| u as f64).sum();
    let w_total: f64 = if weights.len() == k {
        weights.iter().sum()
    } else {
        k as f64
    };
    if total <= 0.0 || w_total <= 0.0 {
        return None;
    }
    let mut chi = 0.0;
    for (i, &u) in users.iter().enumerate() {
        let w = if weights.len() == k {
            weights.get(i).copied().unwrap_or(0.0)
        } else {
            1.0
        };
        let expected = total * w / w_total;
        if expected <= 0.0 {
            return None;
        }
        chi += (u as f64 - expected).powi(2) / expected;
    }
    let dist = ChiSquared::new((k - 1) as f64).ok()?;
    let p_value = dist.sf(chi);
    Some(Srm {
        chi_square: chi,
        p_value,
        mismatch: p_value < 0.001,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    fn prop(s: u64, n: u64) -> SampleStats {
        SampleStats::proportion(s, n).unwrap_or(SampleStats {
            n: 0.0,
            mean: f64::NAN,
            variance: f64::NAN,
        })
    }

    /// The example the product brief gives: gbstats reports [6.31%, 53.69%], p = 0.0131.
    #[test]
    fn gbstats_relative_interval_example() {
        let c = compare_relative(&prop(200, 10_000), &prop(260, 10_000), 0.95);
        let Ok(c) = c else { panic!("{c:?}") };
        assert!(close(c.relative, 0.3, 1e-12));
        assert!(
            (c.relative_ci.low - 0.0631).abs() < 5e-5,
            "{:?}",
            c.relative_ci
        );
        assert!(
            (c.relative_ci.high - 0.5369).abs() < 5e-5,
            "{:?}",
            c.relative_ci
        );
        assert!((c.p_value - 0.0131).abs() < 5e-5, "{}", c.p_value);
        assert!(close(c.absolute, 0.006, 1e-9));
    }

    #[test]
    fn degenerate_cases_are_errors_not_nan() {
        assert_eq!(
            compare_relative(&prop(0, 100), &prop(5, 100), 0.95),
            Err(CompareError::BaselineZero)
        );
        assert_eq!(
            compare_relative(&prop(100, 100), &prop(100, 100), 0.95),
            Err(CompareError::NoVariance)
        );
        assert_eq!(
            compare_relative(&prop(1, 1), &prop(5, 100), 0.95),
            Err(CompareError::TooFewUsers)
        );
    }

    #[test]
    fn identical_variants_have_p_one() {
        let Ok(c) = compare_relative(&prop(50, 1000), &prop(50, 1000), 0.95) else {
            panic!()
        };
        assert_eq!(c.relative, 0.0);
        assert!(close(c.p_value, 1.0, 1e-12));
        assert!(c.relative_ci.contains(0.0));
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
    }

    /// scipy.stats.chisquare([10000, 10300]) → statistic 4.433497536945813, p 0.035240223824274594
    #[test]
    fn srm_matches_scipy() {
        let Some(s) = sample_ratio_mismatch(&[10_000, 10_300], &[]) else {
            panic!()
        };
        assert!(close(s.chi_square, 4.433_497_536_945_813, 1e-9), "{s:?}");
        assert!(close(s.p_value, 0.035_240_223_824_274_594, 1e-9), "{s:?}");
        assert!(!s.mismatch);
        let Some(s) = sample_ratio_mismatch(&[10_000, 11_000], &[]) else {
            panic!()
        };
        assert!(s.mismatch);
    }

    #[test]
    fn sample_mean_variance() {
        // values 1, 2, 3 → mean 2, sample variance 1
        let Some(s) = SampleStats::from_sums(3, 6.0, 14.0) else {
            panic!()
        };
        assert_eq!(s.mean, 2.0);
        assert!(close(s.variance, 1.0, 1e-12));
    }
}

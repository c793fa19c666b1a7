//! Frequentist comparison of a variant with the control: point estimate,
//! confidence interval and a p-value from the same test.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

use super::{std_normal, CompareError, SampleStats};
use crate::units::Interval;

/// What is compared: the ratio of means minus one, or their difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    #[default]
    Relative,
    Absolute,
}

/// Shape of the interval on the relative lift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum IntervalKind {
    /// Symmetric delta-method interval on μ_b/μ_a − 1 (gbstats' default).
    #[default]
    Symmetric,
    /// Asymmetric interval from the delta method on log(μ_b/μ_a), as
    /// tea-tasting offers; never goes below −100%.
    LogRatio,
}

crate::named::named_enum!(IntervalKind {
    Symmetric => "symmetric",
    LogRatio => "log_ratio",
});

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrequentistOptions {
    /// Confidence level, e.g. 0.95 (α = 1 − confidence).
    pub confidence: f64,
    pub difference: Difference,
    pub interval: IntervalKind,
    /// Always-valid (sequential) inference with this tuning parameter τ
    /// (gbstats' default is 5000), for teams that look at results repeatedly.
    pub sequential_tuning: Option<f64>,
}

impl Default for FrequentistOptions {
    fn default() -> Self {
        FrequentistOptions {
            confidence: 0.95,
            difference: Difference::Relative,
            interval: IntervalKind::Symmetric,
            sequential_tuning: None,
        }
    }
}

/// Variant vs control on one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// μ_b − μ_a or μ_b/μ_a − 1, as requested.
    pub estimate: f64,
    pub ci: Interval,
    /// Two-sided p-value of the test that produced `ci`.
    pub p_value: f64,
    /// Standard error of `estimate`.
    pub std_error: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub dof: f64,
}

/// Student-t quantile. statrs inverts the regularised incomplete beta, which
/// loses accuracy (and can fail to terminate) at large degrees of freedom,
/// so there the Cornish–Fisher expansion around the normal quantile
/// (Abramowitz & Stegun 26.7.5) is used instead: its first omitted term is
/// below 1e-12 for ν > 1000. Below that, two Newton steps on the CDF polish
/// statrs' start to the CDF's own accuracy.
pub(crate) fn t_quantile(p: f64, dof: f64) -> f64 {
    if !(dof.is_finite() && dof > 0.0) || dof > 1e12 {
        return std_normal().inverse_cdf(p);
    }
    let Ok(t) = StudentsT::new(0.0, 1.0, dof) else {
        return f64::NAN;
    };
    if dof > 1000.0 {
        let z = std_normal().inverse_cdf(p);
        let (z2, v) = (z * z, dof);
        let g1 = (z2 + 1.0) * z / 4.0;
        let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
        let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
        return z + g1 / v + g2 / (v * v) + g3 / (v * v * v);
    }
    let mut x = t.inverse_cdf(p);
    for _ in 0..2 {
        let density = t.pdf(x);
        if density > 0.0 && density.is_finite() {
            x -= (t.cdf(x) - p) / density;
        }
    }
    x
}

/// Two-sided tail probability 2·P(T_ν > |x|).
pub(crate) fn t_two_sided_p(x: f64, dof: f64) -> f64 {
    let tail = if !(dof.is_finite() && dof > 0.0) || dof > 1e12 {
        std_normal().sf(x.abs())
    } else {
        match StudentsT::new(0.0, 1.0, dof) {
            Ok(t) => t.sf(x.abs()),
            Err(_) => f64::NAN,
        }
    };
    (2.0 * tail).clamp(0.0, 1.0)
}

/// Welch–Satterthwaite degrees of freedom
/// ν = (σ²_b/n_b + σ²_a/n_a)² / (σ⁴_b/(n_b²(n_b−1)) + σ⁴_a/(n_a²(n_a−1))).
/// Source: gbstats `frequentist/tests.py`, `TTest.dof`.
pub fn welch_dof(a: &SampleStats, b: &SampleStats) -> f64 {
    (b.variance / b.n + a.variance / a.n).powi(2)
        / (b.variance.powi(2) / (b.n.powi(2) * (b.n - 1.0))
            + a.variance.powi(2) / (a.n.powi(2) * (a.n - 1.0)))
}

/// Delta-method variance of the estimate.
/// Relative: σ²_b/(μ_a² n_b) + σ²_a μ_b²/(μ_a⁴ n_a); absolute: σ²_b/n_b + σ²_a/n_a.
/// Source: gbstats `frequentist/tests.py`, `frequentist_variance`.
pub fn estimate_variance(a: &SampleStats, b: &SampleStats, difference: Difference) -> f64 {
    match difference {
        Difference::Relative => {
            b.variance / (a.mean.powi(2) * b.n)
                + a.variance * b.mean.powi(2) / (a.mean.powi(4) * a.n)
        }
        Difference::Absolute => b.variance / b.n + a.variance / a.n,
    }
}

/// Check the inputs every comparison needs, in gbstats' order.
pub(crate) fn check_inputs(a: &SampleStats, b: &SampleStats) -> Result<(), CompareError> {
    if a.n < 2.0 || b.n < 2.0 {
        return Err(CompareError::TooFewUsers);
    }
    // gbstats refuses a zero baseline for absolute differences too.
    if a.mean == 0.0 {
        return Err(CompareError::BaselineZero);
    }
    // gbstats refuses when either group has no variance at all.
    if a.variance <= 0.0 || b.variance <= 0.0 {
        return Err(CompareError::NoVariance);
    }
    Ok(())
}

/// Compare a variant (`b`) with the control (`a`).
///
/// Fixed-horizon (gbstats `TwoSidedTTest`): estimate Δ (relative μ_b/μ_a − 1
/// or absolute μ_b − μ_a) with delta-method variance V; interval
/// Δ ± t_{ν,1−α/2}·√V with Welch ν; p = 2·(1 − T_ν(|Δ|/√V)).
///
/// Log-ratio interval (tea-tasting): on L = ln(μ_b/μ_a) with
/// Var(L) = σ²_b/(n_b μ_b²) + σ²_a/(n_a μ_a²), interval exp(L ± t·√Var(L)) − 1
/// and p from L/√Var(L), so interval and p still agree.
///
/// Sequential (gbstats `SequentialTwoSidedTTest`; Waudby-Smith et al. 2023,
/// arXiv:2103.06476 eqs. 9, 155, 161): with N = n_a + n_b, s² = V·N,
/// ρ² = (−2 ln α + ln(−2 ln α + 1))/τ, half-width
/// √s² · √(2(Nρ² + 1)·ln(√(Nρ² + 1)/α) / (Nρ)²), and
/// p = min(1, √(Nρ² + 1) · exp(−ρ²·Δ²N/V / (2(Nρ² + 1)))).
pub fn compare(
    a: &SampleStats,
    b: &SampleStats,
    options: &FrequentistOptions,
) -> Result<Comparison, CompareError> {
    check_inputs(a, b)?;
    let alpha = 1.0 - options.confidence;
    let dof = welch_dof(a, b);
    let log_ratio =
        options.interval == IntervalKind::LogRatio && options.difference == Difference::Relative;
    if log_ratio {
        if b.mean <= 0.0 || a.mean <= 0.0 {
            return Err(CompareError::BaselineZero);
        }
        let l = (b.mean / a.mean).ln();
        let var_l = b.variance / (b.n * b.mean.powi(2)) + a.variance / (a.n * a.mean.powi(2));
        let se = var_l.sqrt();
        let crit = t_quantile(1.0 - alpha / 2.0, dof);
        return Ok(Comparison {
            estimate: b.mean / a.mean - 1.0,
            ci: Interval {
                low: (l - crit * se).exp() - 1.0,
                high: (l + crit * se).exp() - 1.0,
            },
            p_value: t_two_sided_p(l / se, dof),
            std_error: se,
            dof,
        });
    }
    let estimate = match options.difference {
        Difference::Relative => (b.mean - a.mean) / a.mean,
        Difference::Absolute => b.mean - a.mean,
    };
    let moments = Moments {
        estimate,
        variance: estimate_variance(a, b, options.difference),
        dof,
        total_n: a.n + b.n,
    };
    from_moments(&moments, options)
}

/// The first two moments of an estimate, which is all the tests need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Moments {
    pub estimate: f64,
    pub variance: f64,
    pub dof: f64,
    /// n_a + n_b, for the sequential test.
    pub total_n: f64,
}

/// Interval and p-value from an estimate's moments: fixed-horizon t-test or
/// the sequential mixture test, as documented on [`compare`].
pub(crate) fn from_moments(
    m: &Moments,
    options: &FrequentistOptions,
) -> Result<Comparison, CompareError> {
    let Moments {
        estimate,
        variance,
        dof,
        total_n: n,
    } = *m;
    if !(variance > 0.0 && variance.is_finite()) {
        return Err(CompareError::NoVariance);
    }
    let alpha = 1.0 - options.confidence;
    let se = variance.sqrt();
    let (half_width, p_value) = match options.sequential_tuning {
        None => (
            t_quantile(1.0 - alpha / 2.0, dof) * se,
            t_two_sided_p(estimate / se, dof),
        ),
        Some(tau) => {
            let rho2 = (-2.0 * alpha.ln() + (-2.0 * alpha.ln() + 1.0).ln()) / tau;
            let s2 = variance * n;
            let nr2p1 = n * rho2 + 1.0;
            let width =
                s2.sqrt() * (2.0 * nr2p1 * (nr2p1.sqrt() / alpha).ln() / (n * n * rho2)).sqrt();
            let st2 = estimate.powi(2) * n / variance;
            let evalue = (rho2 * st2 / (2.0 * nr2p1)).exp() / nr2p1.sqrt();
            (width, (1.0 / evalue).min(1.0))
        }
    };
    Ok(Comparison {
        estimate,
        ci: Interval {
            low: estimate - half_width,
            high: estimate + half_width,
        },
        p_value,
        std_error: se,
        dof,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tests::close;

    fn prop(s: u64, n: u64) -> SampleStats {
        SampleStats::proportion(s, n).unwrap_or(SampleStats {
            n: 0.0,
            mean: f64::NAN,
            variance: f64::NAN,
        })
    }

    /// The brief's example: gbstats reports [6.31%, 53.69%], p = 0.0131;
    /// the absolute-difference p is 0.00465.
    #[test]
    fn brief_example() {
        let opts = FrequentistOptions::default();
        let Ok(c) = compare(&prop(200, 10_000), &prop(260, 10_000), &opts) else {
            panic!()
        };
        assert!(close(c.estimate, 0.3, 1e-12));
        assert!((c.ci.low - 0.0631).abs() < 5e-5, "{:?}", c.ci);
        assert!((c.ci.high - 0.5369).abs() < 5e-5, "{:?}", c.ci);
        assert!((c.p_value - 0.0131).abs() < 5e-5, "{}", c.p_value);
        let abs = FrequentistOptions {
            difference: Difference::Absolute,
            ..opts
        };
        let Ok(c) = compare(&prop(200, 10_000), &prop(260, 10_000), &abs) else {
            panic!()
        };
        assert!((c.p_value - 0.00465).abs() < 5e-6, "{}", c.p_value);
    }

    #[test]
    fn log_ratio_interval_is_asymmetric_and_agrees_with_its_p() {
        let opts = FrequentistOptions {
            interval: IntervalKind::LogRatio,
            ..FrequentistOptions::default()
        };
        let Ok(c) = compare(&prop(200, 10_000), &prop(260, 10_000), &opts) else {
            panic!()
        };
        assert!(c.ci.high - c.estimate > c.estimate - c.ci.low);
        assert!(c.ci.low > -1.0);
        assert_eq!(c.ci.excludes_zero(), c.p_value < 0.05);
    }

    #[test]
    fn degenerate_cases_are_errors_not_nan() {
        let o = FrequentistOptions::default();
        assert_eq!(
            compare(&prop(0, 100), &prop(5, 100), &o),
            Err(CompareError::BaselineZero)
        );
        assert_eq!(
            compare(&prop(100, 100), &prop(100, 100), &o),
            Err(CompareError::NoVariance)
        );
        assert_eq!(
            compare(&prop(1, 1), &prop(5, 100), &o),
            Err(CompareError::TooFewUsers)
        );
    }

    #[test]
    fn identical_variants_have_p_one() {
        let Ok(c) = compare(
            &prop(50, 1000),
            &prop(50, 1000),
            &FrequentistOptions::default(),
        ) else {
            panic!()
        };
        assert_eq!(c.estimate, 0.0);
        assert!(close(c.p_value, 1.0, 1e-12));
        assert!(c.ci.contains(0.0));
    }

    #[test]
    fn t_quantile_is_accurate_at_large_dof() {
        // scipy.stats.t.ppf(0.975, 19_000) = 1.9600888487395243; the normal is 1.959963985.
        let q = t_quantile(0.975, 19_000.0);
        assert!((q - 1.960_088_848_739_524_3).abs() < 1e-10, "{q}");
        assert!((t_quantile(0.975, 1e15) - 1.959_963_984_540_054).abs() < 1e-12);
        // scipy.stats.t.ppf(0.975, 1e8) = 1.9599640082627663; statrs alone does not terminate here.
        assert!((t_quantile(0.975, 1e8) - 1.959_964_008_262_766_3).abs() < 1e-9);
    }
}

//! One-sided non-inferiority test for a guardrail metric: "the change may
//! not make this metric worse by more than the margin".

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::frequentist::check_inputs;
use super::frequentist::{estimate_variance, t_quantile, t_two_sided_p, welch_dof};
use super::{CompareError, Difference, SampleStats};

/// The outcome of a non-inferiority test of variant `b` against control `a`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NonInferiority {
    /// Δ: μ_b/μ_a − 1 (relative) or μ_b − μ_a (absolute), in the direction
    /// of better: negated for a metric that is better when it falls.
    pub estimate: f64,
    pub std_error: f64,
    /// One-sided lower confidence bound of Δ at level 1 − α.
    pub lower_bound: f64,
    /// One-sided p-value of H0: Δ ≤ −margin against H1: Δ > −margin.
    pub p_value: f64,
    /// Chance of showing non-inferiority at this sample size if the true
    /// change is zero (normal approximation).
    pub power: f64,
}

/// Non-inferiority of `b` against `a` with margin `m` > 0 in the units of
/// `difference`: t = (Δ + m)/SE with Welch's ν, p = P(T_ν > t), and the
/// lower bound Δ − t_{ν,1−α}·SE, so p < α exactly when the bound is above
/// −m. Δ and SE are the delta-method ones of the two-sided test (gbstats
/// `frequentist_variance`); the test is the one-sided Welch test of
/// statsmodels' `ttest_ind(…, alternative="larger", value=−m)`.
/// Power at Δ = 0: Φ(m/SE − z_{1−α}) (Chow, Shao & Wang, *Sample Size
/// Calculations in Clinical Research*, §3.2).
pub fn non_inferiority(
    a: &SampleStats,
    b: &SampleStats,
    margin: f64,
    difference: Difference,
    alpha: f64,
) -> Result<NonInferiority, CompareError> {
    directed(a, b, margin, difference, alpha, 1.0)
}

/// [`non_inferiority`] for a metric that is better when it falls (churn,
/// cost): "it may not rise by more than `margin`", the same test on −Δ.
pub fn non_inferiority_falling(
    a: &SampleStats,
    b: &SampleStats,
    margin: f64,
    difference: Difference,
    alpha: f64,
) -> Result<NonInferiority, CompareError> {
    directed(a, b, margin, difference, alpha, -1.0)
}

/// The test on `better` · Δ (+1 or −1): the variance is the same.
fn directed(
    a: &SampleStats,
    b: &SampleStats,
    margin: f64,
    difference: Difference,
    alpha: f64,
    better: f64,
) -> Result<NonInferiority, CompareError> {
    check_inputs(a, b)?;
    let estimate = better
        * match difference {
            Difference::Relative => (b.mean - a.mean) / a.mean,
            Difference::Absolute => b.mean - a.mean,
        };
    let variance = estimate_variance(a, b, difference);
    if !(variance > 0.0 && variance.is_finite()) {
        return Err(CompareError::NoVariance);
    }
    let se = variance.sqrt();
    let dof = welch_dof(a, b);
    let t = (estimate + margin) / se;
    let two = t_two_sided_p(t, dof);
    let p_value = if t >= 0.0 { two / 2.0 } else { 1.0 - two / 2.0 };
    let normal = Normal::standard();
    Ok(NonInferiority {
        estimate,
        std_error: se,
        lower_bound: estimate - t_quantile(1.0 - alpha, dof) * se,
        p_value,
        power: normal.cdf(margin / se - normal.inverse_cdf(1.0 - alpha)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_and_p_value_agree() {
        let (Some(a), Some(b)) = (
            SampleStats::proportion(2000, 10_000),
            SampleStats::proportion(1960, 10_000),
        ) else {
            panic!("valid proportions")
        };
        for margin in [0.01, 0.02, 0.05, 0.1] {
            let Ok(r) = non_inferiority(&a, &b, margin, Difference::Relative, 0.05) else {
                panic!("comparable")
            };
            assert_eq!(r.p_value < 0.05, r.lower_bound > -margin, "margin {margin}");
            assert!(r.power > 0.0 && r.power < 1.0);
        }
        let (Ok(wide), Ok(narrow)) = (
            non_inferiority(&a, &b, 0.2, Difference::Relative, 0.05),
            non_inferiority(&a, &b, 0.01, Difference::Relative, 0.05),
        ) else {
            panic!("comparable")
        };
        assert!(wide.p_value < narrow.p_value && wide.power > narrow.power);
    }
}

//! Planning an experiment: users needed per variant, and the smallest
//! effect a given sample can detect, for a conversion rate.

use serde::{Deserialize, Serialize};
use statrs::distribution::ContinuousCDF;

use super::std_normal;

/// Cohen's effect size for two proportions, h = 2·asin√p₁ − 2·asin√p₂
/// (statsmodels' `proportion_effectsize`).
pub fn cohens_h(p1: f64, p2: f64) -> f64 {
    2.0 * p1.sqrt().asin() - 2.0 * p2.sqrt().asin()
}

/// Power of a two-sided two-sample z-test with equal group sizes `n_per_variant`:
/// with z = Φ⁻¹(1 − α/2) and d = h·√(n/2),
/// power = Φ̄(z − d) + Φ(−z − d). Matches statsmodels' `NormalIndPower().power(ratio=1)`.
pub fn power(h: f64, n_per_variant: f64, alpha: f64) -> f64 {
    let n = std_normal();
    let z = n.inverse_cdf(1.0 - alpha / 2.0);
    let d = h * (n_per_variant / 2.0).sqrt();
    n.sf(z - d) + n.cdf(-z - d)
}

/// Solve `f(x) = target` for an increasing `f` on (lo, hi) by bisection on a
/// log scale, to full double precision.
fn solve_increasing(f: impl Fn(f64) -> f64, target: f64, mut lo: f64, mut hi: f64) -> Option<f64> {
    if !(f(lo) <= target && f(hi) >= target) {
        return None;
    }
    for _ in 0..200 {
        let mid = (lo * hi).sqrt();
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi / lo - 1.0 < 1e-14 {
            break;
        }
    }
    Some((lo * hi).sqrt())
}

/// A rate strictly between 0 and 1, α in (0, 1) and a power between α/2 and 1.
fn sensible_test(baseline: f64, alpha: f64, target_power: f64) -> bool {
    baseline > 0.0
        && baseline < 1.0
        && alpha > 0.0
        && alpha < 1.0
        && target_power > alpha / 2.0
        && target_power < 1.0
}

/// Users per variant for the test above to reach `target_power` at a
/// standardised effect size: Cohen's h for rates, Cohen's d = δ/σ for
/// means (statsmodels' `NormalIndPower().solve_power(effect_size, alpha,
/// power, ratio=1)`). `None` for a zero effect or an α or power out of range.
pub fn users_for_effect_size(effect: f64, alpha: f64, target_power: f64) -> Option<f64> {
    let effect = effect.abs();
    if !(effect > 0.0
        && effect.is_finite()
        && alpha > 0.0
        && alpha < 1.0
        && target_power > alpha / 2.0
        && target_power < 1.0)
    {
        return None;
    }
    solve_increasing(|n| power(effect, n, alpha), target_power, 1e-6, 1e15)
}

/// What a planner needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub baseline_rate: f64,
    /// Relative minimum detectable effect, e.g. 0.1 for +10%.
    pub relative_mde: f64,
    pub alpha: f64,
    pub power: f64,
    pub users_per_variant: f64,
}

/// Users per variant to detect a relative lift `relative_mde` on a baseline
/// conversion rate with the given two-sided α and power, for the test above
/// (Cohen's h effect size). Agrees with statsmodels'
/// `NormalIndPower().solve_power(proportion_effectsize(p₁(1 + mde), p₁), …)`.
/// `None` when the inputs make no sense (rates outside (0, 1), zero effect).
pub fn sample_size(
    baseline: f64,
    relative_mde: f64,
    alpha: f64,
    target_power: f64,
) -> Option<Plan> {
    let p2 = baseline * (1.0 + relative_mde);
    if !(sensible_test(baseline, alpha, target_power)
        && p2 > 0.0
        && p2 < 1.0
        && relative_mde != 0.0)
    {
        return None;
    }
    let h = cohens_h(p2, baseline).abs();
    let n = solve_increasing(|n| power(h, n, alpha), target_power, 1e-6, 1e15)?;
    Some(Plan {
        baseline_rate: baseline,
        relative_mde,
        alpha,
        power: target_power,
        users_per_variant: n,
    })
}

/// The smallest relative lift (upwards) detectable with `n_per_variant` users
/// in each group: solve power(h) = target for h, then p₂ = sin²(asin√p₁ + h/2).
/// `None` when even a lift to a 100% rate would not be detected.
pub fn minimum_detectable_effect(
    baseline: f64,
    n_per_variant: f64,
    alpha: f64,
    target_power: f64,
) -> Option<Plan> {
    if !(sensible_test(baseline, alpha, target_power) && n_per_variant > 0.0) {
        return None;
    }
    let h = solve_increasing(
        |h| power(h, n_per_variant, alpha),
        target_power,
        1e-12,
        10.0,
    )?;
    let angle = baseline.sqrt().asin() + h / 2.0;
    if angle >= std::f64::consts::FRAC_PI_2 {
        return None;
    }
    let p2 = angle.sin().powi(2);
    Some(Plan {
        baseline_rate: baseline,
        relative_mde: p2 / baseline - 1.0,
        alpha,
        power: target_power,
        users_per_variant: n_per_variant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_size_and_mde_are_inverse() {
        let Some(plan) = sample_size(0.02, 0.1, 0.05, 0.8) else {
            panic!()
        };
        let Some(back) = minimum_detectable_effect(0.02, plan.users_per_variant, 0.05, 0.8) else {
            panic!()
        };
        assert!((back.relative_mde - 0.1).abs() < 1e-9, "{back:?}");
        assert!((power(cohens_h(0.022, 0.02), plan.users_per_variant, 0.05) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn nonsense_inputs_are_refused() {
        assert!(sample_size(0.0, 0.1, 0.05, 0.8).is_none());
        assert!(sample_size(0.02, 0.0, 0.05, 0.8).is_none());
        assert!(sample_size(0.9, 0.2, 0.05, 0.8).is_none());
        assert!(minimum_detectable_effect(0.5, 0.0, 0.05, 0.8).is_none());
        // Two users per group cannot detect anything short of certainty.
        assert!(minimum_detectable_effect(0.5, 2.0, 0.05, 0.99).is_none());
    }
}

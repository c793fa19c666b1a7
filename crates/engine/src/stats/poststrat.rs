//! Post-stratification: the overall treatment effect as the strata's
//! effects weighted by each stratum's share of the users. Chance imbalance
//! between the arms within strata then no longer moves the estimate, and
//! when the metric differs between strata the interval narrows.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::SampleStats;
use crate::units::Interval;

/// The post-stratified comparison of a treatment with the control.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PostStratified {
    /// μ_C = Σ w_s ȳ_C,s and μ_T = Σ w_s ȳ_T,s.
    pub control_mean: f64,
    pub treatment_mean: f64,
    /// μ_T − μ_C, its standard error and interval.
    pub absolute: f64,
    pub absolute_se: f64,
    pub absolute_ci: Interval,
    /// μ_T / μ_C − 1 (delta method), its standard error, interval and
    /// two-sided p-value (normal).
    pub relative: f64,
    pub relative_se: f64,
    pub relative_ci: Interval,
    pub p_value: f64,
    /// Strata used (those with users in both arms).
    pub strata: usize,
}

/// Post-stratified estimate over strata given as (control, treatment)
/// statistics, weights w_s = (n_C,s + n_T,s) / N:
/// μ_A = Σ w_s ȳ_A,s, Var(μ_A) = Σ w_s² s²_A,s / n_A,s; the absolute
/// effect μ_T − μ_C has variance Var(μ_T) + Var(μ_C) — the Neyman variance
/// of Miratrix, Sekhon & Yu (2013), equal to the HC2 standard error of the
/// treatment coefficient in the fully interacted regression of Lin (2013)
/// with centred stratum indicators; the relative effect μ_T/μ_C − 1 has
/// the delta-method variance Var(μ_T)/μ_C² + μ_T² Var(μ_C)/μ_C⁴, as
/// gbstats' relative lift. Intervals are normal at `confidence`.
///
/// `None` with no stratum that has at least two users in each arm, a
/// control mean of zero, or a level outside (0, 1).
pub fn post_stratify(
    strata: &[(SampleStats, SampleStats)],
    confidence: f64,
) -> Option<PostStratified> {
    let used: Vec<&(SampleStats, SampleStats)> = strata
        .iter()
        .filter(|(c, t)| c.n >= 2.0 && t.n >= 2.0)
        .collect();
    if used.is_empty() || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let total: f64 = used.iter().map(|(c, t)| c.n + t.n).sum();
    let (mut mc, mut mt, mut vc, mut vt) = (0.0, 0.0, 0.0, 0.0);
    for (c, t) in &used {
        let w = (c.n + t.n) / total;
        mc += w * c.mean;
        mt += w * t.mean;
        vc += w * w * c.variance / c.n;
        vt += w * w * t.variance / t.n;
    }
    if mc == 0.0 || !mc.is_finite() || !mt.is_finite() {
        return None;
    }
    let z = Normal::new(0.0, 1.0).ok()?;
    let q = z.inverse_cdf(0.5 + confidence / 2.0);
    let absolute = mt - mc;
    let absolute_se = (vt + vc).sqrt();
    let relative = mt / mc - 1.0;
    let relative_se = (vt / (mc * mc) + mt * mt * vc / mc.powi(4)).sqrt();
    let p_value = if relative_se > 0.0 {
        2.0 * z.sf((relative / relative_se).abs())
    } else {
        return None;
    };
    let interval = |x: f64, se: f64| Interval {
        low: x - q * se,
        high: x + q * se,
    };
    Some(PostStratified {
        control_mean: mc,
        treatment_mean: mt,
        absolute,
        absolute_se,
        absolute_ci: interval(absolute, absolute_se),
        relative,
        relative_se,
        relative_ci: interval(relative, relative_se),
        p_value,
        strata: used.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: f64, mean: f64, variance: f64) -> SampleStats {
        SampleStats { n, mean, variance }
    }

    #[test]
    fn one_stratum_is_the_plain_comparison() {
        let Some(p) = post_stratify(&[(s(100.0, 0.1, 0.09), s(100.0, 0.15, 0.1275))], 0.95) else {
            panic!("estimates")
        };
        assert!((p.absolute - 0.05).abs() < 1e-12);
        assert!((p.absolute_se - (0.0009_f64 + 0.001275).sqrt()).abs() < 1e-12);
        assert!((p.relative - 0.5).abs() < 1e-12);
        assert_eq!(p.strata, 1);
    }

    #[test]
    fn strata_are_weighted_by_their_share_of_users() {
        // Stratum A: 300 users, effect +0.1; stratum B: 100 users, effect 0.
        // An imbalanced split within strata does not move the estimate.
        let strata = [
            (s(200.0, 1.0, 1.0), s(100.0, 1.1, 1.0)),
            (s(25.0, 3.0, 1.0), s(75.0, 3.0, 1.0)),
        ];
        let Some(p) = post_stratify(&strata, 0.9) else {
            panic!("estimates")
        };
        assert!((p.control_mean - (0.75 * 1.0 + 0.25 * 3.0)).abs() < 1e-12);
        assert!((p.absolute - 0.075).abs() < 1e-12);
        let var = 0.75_f64.powi(2) * (1.0 / 200.0 + 1.0 / 100.0)
            + 0.25_f64.powi(2) * (1.0 / 25.0 + 1.0 / 75.0);
        assert!((p.absolute_se - var.sqrt()).abs() < 1e-12);
        assert!(p.absolute_ci.low < p.absolute && p.absolute < p.absolute_ci.high);
        // Nothing to estimate from: empty, one-user arms, a zero control.
        assert_eq!(post_stratify(&[], 0.95), None);
        assert_eq!(
            post_stratify(&[(s(1.0, 1.0, 0.0), s(5.0, 1.0, 1.0))], 0.95),
            None
        );
        assert_eq!(
            post_stratify(&[(s(5.0, 0.0, 0.0), s(5.0, 1.0, 1.0))], 0.95),
            None
        );
    }
}

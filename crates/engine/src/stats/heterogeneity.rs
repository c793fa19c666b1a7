//! Does the uplift differ between segments? Cochran's Q over the segments'
//! estimates, and one segment against the rest of the users.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Cochran's Q test of equal effects, with the fixed-effect pooled estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Heterogeneity {
    /// Q = Σ wᵢ (θᵢ − θ̄)², wᵢ = 1/SEᵢ².
    pub q: f64,
    /// k − 1.
    pub df: f64,
    /// P(χ²_df > Q).
    pub p_value: f64,
    /// Share of the variation beyond chance, max(0, (Q − df)/Q) (Higgins &
    /// Thompson 2002).
    pub i_squared: f64,
    /// θ̄ = Σ wᵢ θᵢ / Σ wᵢ and its standard error 1/√Σ wᵢ.
    pub pooled: f64,
    pub pooled_se: f64,
}

/// Cochran's Q over estimates θᵢ with standard errors SEᵢ (Cochran 1954;
/// as statsmodels' `combine_effects(...).test_homogeneity()` and
/// `mean_effect_fe`). `None` with fewer than two estimates or a standard
/// error that is not positive.
pub fn cochran_q(estimates: &[f64], std_errors: &[f64]) -> Option<Heterogeneity> {
    let k = estimates.len();
    if k < 2 || std_errors.len() != k {
        return None;
    }
    if !std_errors.iter().all(|s| s.is_finite() && *s > 0.0)
        || !estimates.iter().all(|e| e.is_finite())
    {
        return None;
    }
    let w: Vec<f64> = std_errors.iter().map(|s| 1.0 / (s * s)).collect();
    let total: f64 = w.iter().sum();
    let pooled = w.iter().zip(estimates).map(|(w, e)| w * e).sum::<f64>() / total;
    let q: f64 = w
        .iter()
        .zip(estimates)
        .map(|(w, e)| w * (e - pooled).powi(2))
        .sum();
    let df = (k - 1) as f64;
    let p_value = ChiSquared::new(df).ok()?.sf(q);
    Some(Heterogeneity {
        q,
        df,
        p_value,
        i_squared: if q > 0.0 {
            ((q - df) / q).max(0.0)
        } else {
            0.0
        },
        pooled,
        pooled_se: total.sqrt().recip(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_effects_have_no_heterogeneity_and_two_effects_match_a_z_test() {
        let Some(h) = cochran_q(&[0.1, 0.1, 0.1], &[0.02, 0.03, 0.05]) else {
            panic!("three estimates")
        };
        assert!(h.q.abs() < 1e-12 && (h.p_value - 1.0).abs() < 1e-12 && h.i_squared == 0.0);
        // Two effects: Q is the square of the z of their difference.
        let Some(h) = cochran_q(&[0.3, 0.1], &[0.05, 0.05]) else {
            panic!("two estimates")
        };
        let z = 0.2 / (0.05f64.powi(2) * 2.0).sqrt();
        assert!((h.q - z * z).abs() < 1e-9);
        assert_eq!(cochran_q(&[0.1], &[0.1]), None);
        assert_eq!(cochran_q(&[0.1, 0.2], &[0.1, 0.0]), None);
    }
}

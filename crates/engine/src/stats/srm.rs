//! Sample ratio mismatch: did the experiment split users as planned?

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Result of the sample-ratio-mismatch test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Srm {
    pub chi_square: f64,
    pub p_value: f64,
    /// True when p < 0.001, the threshold experimentation platforms use.
    pub mismatch: bool,
}

/// Pearson's chi-square goodness-of-fit of the observed users per variant
/// against the expected split (equal when `weights` is empty):
/// χ² = Σ (O − E)²/E with k − 1 degrees of freedom. Matches
/// `scipy.stats.chisquare` and gbstats' `check_srm`. `None` with fewer than
/// two variants, no users, or weights that do not fit.
pub fn sample_ratio_mismatch(users: &[u64], weights: &[f64]) -> Option<Srm> {
    let k = users.len();
    if k < 2 || (!weights.is_empty() && weights.len() != k) {
        return None;
    }
    if weights.iter().any(|w| !(w.is_finite() && *w > 0.0)) {
        return None;
    }
    let total: f64 = users.iter().map(|&u| u as f64).sum();
    let w_total: f64 = if weights.is_empty() {
        k as f64
    } else {
        weights.iter().sum()
    };
    if total <= 0.0 {
        return None;
    }
    let chi_square: f64 = users
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let w = weights.get(i).copied().unwrap_or(1.0);
            let expected = total * w / w_total;
            (u as f64 - expected).powi(2) / expected
        })
        .sum();
    let p_value = ChiSquared::new((k - 1) as f64).ok()?.sf(chi_square);
    Some(Srm {
        chi_square,
        p_value,
        mismatch: p_value < 0.001,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scipy.stats.chisquare([10000, 10300]) → 4.433497536945813, p 0.035240223824274594
    #[test]
    fn matches_scipy() {
        let Some(s) = sample_ratio_mismatch(&[10_000, 10_300], &[]) else {
            panic!()
        };
        assert!((s.chi_square - 4.433_497_536_945_813).abs() < 1e-9, "{s:?}");
        assert!(
            (s.p_value - 0.035_240_223_824_274_594).abs() < 1e-12,
            "{s:?}"
        );
        assert!(!s.mismatch);
        let Some(s) = sample_ratio_mismatch(&[10_000, 11_000], &[]) else {
            panic!()
        };
        assert!(s.mismatch);
    }

    #[test]
    fn refuses_what_it_cannot_test() {
        assert_eq!(sample_ratio_mismatch(&[10], &[]), None);
        assert_eq!(sample_ratio_mismatch(&[0, 0], &[]), None);
        assert_eq!(sample_ratio_mismatch(&[5, 5], &[1.0]), None);
        assert_eq!(sample_ratio_mismatch(&[5, 5], &[1.0, 0.0]), None);
    }
}

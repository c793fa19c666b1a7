//! Multiple-comparison corrections for experiments with several variants.

use super::ascending;

/// Holm–Bonferroni step-down adjusted p-values (Holm 1979): with p sorted
/// ascending, p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j)·p₍ⱼ₎) (0-based j).
/// Matches statsmodels' `multipletests(method="holm")`.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len() as f64;
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 0.0_f64;
    for (rank, &i) in ascending(p).iter().enumerate() {
        let raw = p.get(i).copied().unwrap_or(f64::NAN);
        running = running.max(((m - rank as f64) * raw).min(1.0));
        if let Some(slot) = out.get_mut(i) {
            *slot = running;
        }
    }
    out
}

/// Benjamini–Hochberg step-up adjusted p-values (false discovery rate, 1995):
/// with p sorted ascending, p̃₍ᵢ₎ = min_{j≥i} min(1, m/(j + 1)·p₍ⱼ₎).
/// Matches statsmodels' `multipletests(method="fdr_bh")`.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len() as f64;
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 1.0_f64;
    for (rank, &i) in ascending(p).iter().enumerate().rev() {
        let raw = p.get(i).copied().unwrap_or(f64::NAN);
        running = running.min((m / (rank as f64 + 1.0) * raw).min(1.0));
        if let Some(slot) = out.get_mut(i) {
            *slot = running;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_test_is_unchanged() {
        assert_eq!(holm(&[0.03]), vec![0.03]);
        assert_eq!(benjamini_hochberg(&[0.03]), vec![0.03]);
        assert!(holm(&[]).is_empty());
    }

    #[test]
    fn small_hand_example() {
        // Holm: sorted 0.01, 0.03, 0.04 → 0.03, 0.06, max(0.06, 0.04) = 0.06
        let h = holm(&[0.01, 0.04, 0.03]);
        let want = [0.03, 0.06, 0.06];
        for (g, w) in h.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{h:?}");
        }
        // BH: 3·0.01 = 0.03; 1.5·0.03 = 0.045 → min with 0.04; 0.04
        let b = benjamini_hochberg(&[0.01, 0.04, 0.03]);
        let want = [0.03, 0.04, 0.04];
        for (g, w) in b.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{b:?}");
        }
    }
}

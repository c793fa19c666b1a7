//! Quantile metrics — the median, p90 or p99 of a per-user metric in each
//! variant — with the variance GrowthBook's gbstats (0.8.0,
//! `QuantileStatistic`) gives them, after Deng, Knoblich & Lu (2018),
//! "Applying the Delta Method in Metric Analytics" (KDD): the interval of
//! the quantile's rank turned into a standard error.
//!
//! For level ν and n users: n* is the largest of 100·2^k (k = 0…19) not
//! above n (n itself below 100: GrowthBook's warehouse queries evaluate the
//! rank bounds on that grid); the rank levels L, U = ν ± z·√(ν(1−ν)/n*),
//! z = z_{0.975}, clamped to [1e-8, 1 − 1e-8]; Y_ν, Y_L, Y_U the sample
//! quantiles by linear interpolation (Hyndman & Fan type 7: numpy's
//! default, SQL's PERCENTILE_CONT); and the per-user variance
//! (n*/n)·(n − 1)·((Y_U − Y_L)/(2z))², at least 1e-5 from 100 users on.
//! The comparison then treats Y_ν as a mean with that variance (the
//! engine's Welch test, absolute or relative by the delta method), as
//! gbstats' `TwoSidedTTest` does.

use super::{z_critical, SampleStats};

/// The sample quantile at level `p` of sorted values by linear
/// interpolation between order statistics (type 7): h = (n − 1)·p,
/// x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋).
pub fn type7(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    if !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = last as f64 * p;
    let below = h.floor() as usize;
    let low = *sorted.get(below)?;
    let high = *sorted.get((below + 1).min(last))?;
    Some(low + (h - h.floor()) * (high - low))
}

/// The sample size the rank bounds are evaluated at: the largest of
/// 100·2^k, k = 0…19, not above n; n itself below 100.
pub fn n_star(n: u64) -> u64 {
    (0..20)
        .map(|k| 100u64 << k)
        .take_while(|&g| g <= n)
        .last()
        .unwrap_or(n)
}

/// A variant's quantile at level `nu` (0.001 to 0.999) as per-user
/// statistics for the engine's tests: the mean is the quantile and the
/// variance gbstats' (see the module). `None` for a level outside that
/// range, and for too few users to bound the quantile's rank
/// (n ≤ z²ν/(1−ν) or n ≤ z²(1−ν)/ν) or to give it any spread.
pub fn quantile_stats(values: &[f64], nu: f64) -> Option<SampleStats> {
    if !(0.001..=0.999).contains(&nu) {
        return None;
    }
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let z = z_critical(0.95);
    if n <= z * z * nu / (1.0 - nu) || n <= z * z * (1.0 - nu) / nu {
        return None;
    }
    let ns = n_star(sorted.len() as u64) as f64;
    let half = z * (nu * (1.0 - nu) / ns).sqrt();
    let (lower, upper) = ((nu - half).max(1e-8), (nu + half).min(1.0 - 1e-8));
    let q = type7(&sorted, nu)?;
    let spread = type7(&sorted, upper)? - type7(&sorted, lower)?;
    let init = ns / n * (n - 1.0) * (spread / (2.0 * z)).powi(2);
    if init <= 0.0 && n < 1000.0 {
        return None;
    }
    Some(SampleStats {
        n,
        mean: q,
        variance: if n < 100.0 { init } else { init.max(1e-5) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_interpolates_between_order_statistics() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(type7(&x, 0.0), Some(1.0));
        assert_eq!(type7(&x, 1.0), Some(4.0));
        assert_eq!(type7(&x, 0.5), Some(2.5));
        // numpy.quantile([1, 2, 3, 4], 0.9) = 3.7
        assert!(type7(&x, 0.9).is_some_and(|q| (q - 3.7).abs() < 1e-12));
        assert_eq!(type7(&[], 0.5), None);
        assert_eq!(type7(&x, 1.5), None);
    }

    #[test]
    fn n_star_is_on_the_grid() {
        assert_eq!(n_star(99), 99);
        assert_eq!(n_star(100), 100);
        assert_eq!(n_star(1000), 800);
        assert_eq!(n_star(1200), 800);
        assert_eq!(n_star(44_700), 25_600);
    }

    #[test]
    fn too_few_users_or_no_spread_give_nothing() {
        assert_eq!(quantile_stats(&[1.0, 2.0, 3.0], 0.99), None);
        assert_eq!(quantile_stats(&[5.0; 500], 0.5), None);
        assert_eq!(quantile_stats(&[1.0; 10], 1.5), None);
        assert!(quantile_stats(&(0..500).map(f64::from).collect::<Vec<_>>(), 0.5).is_some());
    }
}

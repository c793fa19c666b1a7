//! Bayesian view of a comparison: the chance the variant beats the control
//! and the expected loss of shipping it.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF};
use statrs::function::gamma::ln_gamma;

use super::frequentist::{check_inputs, estimate_variance, Difference};
use super::{std_normal, CompareError, SampleStats};
use crate::units::Interval;

/// Prior on the relative lift. In JSON `{"kind": "flat"}` or
/// `{"kind": "normal", "mean": 0.0, "variance": 0.09}`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "PriorJson", into = "PriorJson")]
pub enum Prior {
    /// Improper flat prior: the posterior is the likelihood (gbstats' default).
    #[default]
    Flat,
    /// Normal prior N(mean, variance) on the relative lift; gbstats suggests N(0, 0.3²).
    Normal { mean: f64, variance: f64 },
}

/// The JSON form of [`Prior`], read as a plain struct: serde's internally
/// tagged enums buffer the whole value first, which costs more code in the
/// web page for the same format.
#[derive(Serialize, Deserialize)]
struct PriorJson {
    kind: PriorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variance: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
enum PriorKind {
    Flat,
    Normal,
}

crate::named::named_enum!(PriorKind {
    Flat => "flat",
    Normal => "normal",
});

impl TryFrom<PriorJson> for Prior {
    type Error = &'static str;
    fn try_from(p: PriorJson) -> Result<Prior, Self::Error> {
        match (p.kind, p.mean, p.variance) {
            (PriorKind::Flat, _, _) => Ok(Prior::Flat),
            (PriorKind::Normal, Some(mean), Some(variance)) => Ok(Prior::Normal { mean, variance }),
            (PriorKind::Normal, _, _) => Err("a normal prior needs a mean and a variance"),
        }
    }
}

impl From<Prior> for PriorJson {
    fn from(p: Prior) -> PriorJson {
        match p {
            Prior::Flat => PriorJson {
                kind: PriorKind::Flat,
                mean: None,
                variance: None,
            },
            Prior::Normal { mean, variance } => PriorJson {
                kind: PriorKind::Normal,
                mean: Some(mean),
                variance: Some(variance),
            },
        }
    }
}

impl Prior {
    /// The informative prior GrowthBook offers: N(0, 0.3²) on the relative lift.
    pub const GROWTHBOOK_DEFAULT: Prior = Prior::Normal {
        mean: 0.0,
        variance: 0.09,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BayesianResult {
    /// P(lift > 0) under the posterior.
    pub chance_to_beat_control: f64,
    /// Expected loss of shipping the variant, E[max(0, −lift)], in relative-lift units.
    pub expected_loss: f64,
    /// Expected loss of keeping the control, E[max(0, lift)].
    pub expected_loss_control: f64,
    /// Posterior mean and standard deviation of the relative lift.
    pub mean: f64,
    pub std_dev: f64,
    /// Equal-tailed credible interval.
    pub credible_interval: Interval,
}

/// Bayesian analysis of the relative lift as gbstats' `EffectBayesianABTest`
/// (`bayesian/tests.py`): the likelihood of the lift is normal with the
/// delta-method mean Δ and variance V of the frequentist test; with a
/// N(m₀, v₀) prior the posterior precision is 1/V + 1/v₀ and its mean
/// (Δ/V + m₀/v₀)/(1/V + 1/v₀). Chance to beat control = 1 − Φ(−μ/σ);
/// risks E[max(0, ∓X)] = σφ(μ/σ) ∓ μΦ(∓μ/σ) (normal partial expectations,
/// equal to gbstats' truncated-normal form).
pub fn bayesian_relative(
    a: &SampleStats,
    b: &SampleStats,
    prior: Prior,
    confidence: f64,
) -> Result<BayesianResult, CompareError> {
    check_inputs(a, b)?;
    let data_variance = estimate_variance(a, b, Difference::Relative);
    let data_mean = (b.mean - a.mean) / a.mean;
    bayesian_from_moments(data_mean, data_variance, prior, confidence)
}

/// The Bayesian result from the likelihood's mean and variance of the
/// relative lift (shared by plain and CUPED-adjusted metrics).
pub(crate) fn bayesian_from_moments(
    data_mean: f64,
    data_variance: f64,
    prior: Prior,
    confidence: f64,
) -> Result<BayesianResult, CompareError> {
    if !(data_variance > 0.0 && data_variance.is_finite()) {
        return Err(CompareError::NoVariance);
    }
    let (mean, precision) = match prior {
        Prior::Flat => (data_mean, 1.0 / data_variance),
        Prior::Normal {
            mean: m0,
            variance: v0,
        } => {
            let precision = 1.0 / data_variance + 1.0 / v0;
            ((data_mean / data_variance + m0 / v0) / precision, precision)
        }
    };
    let sd = (1.0 / precision).sqrt();
    let n = std_normal();
    let z = mean / sd;
    let alpha = 1.0 - confidence;
    let q = n.inverse_cdf(1.0 - alpha / 2.0);
    Ok(BayesianResult {
        chance_to_beat_control: n.cdf(z),
        expected_loss: (sd * n.pdf(z) - mean * n.cdf(-z)).max(0.0),
        expected_loss_control: (sd * n.pdf(z) + mean * n.cdf(z)).max(0.0),
        mean,
        std_dev: sd,
        credible_interval: Interval {
            low: mean - q * sd,
            high: mean + q * sd,
        },
    })
}

fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Above this many terms the exact sum is replaced by a normal approximation
/// of the two Beta posteriors (they are then nearly normal anyway).
const EXACT_TERMS_LIMIT: u64 = 200_000;

/// Exact probability that the variant's conversion rate exceeds the control's,
/// with uniform Beta(1, 1) priors, so posteriors Beta(1 + c, 1 + n − c):
/// P(p_B > p_A) = Σ_{i=0}^{α_B−1} B(α_A + i, β_A + β_B) / ((β_B + i)·B(1 + i, β_B)·B(α_A, β_A)).
/// Source: Evan Miller, "Formulas for Bayesian A/B Testing" (2015). The sum
/// runs over the smaller group's conversions (P(B > A) = 1 − P(A > B)).
pub fn beta_chance_to_beat(
    conversions_a: u64,
    users_a: u64,
    conversions_b: u64,
    users_b: u64,
) -> Option<f64> {
    if users_a == 0 || users_b == 0 || conversions_a > users_a || conversions_b > users_b {
        return None;
    }
    let (aa, ba) = (
        1.0 + conversions_a as f64,
        1.0 + (users_a - conversions_a) as f64,
    );
    let (ab, bb) = (
        1.0 + conversions_b as f64,
        1.0 + (users_b - conversions_b) as f64,
    );
    let terms = conversions_a.min(conversions_b) + 1;
    if terms > EXACT_TERMS_LIMIT {
        let mean = |a: f64, b: f64| a / (a + b);
        let var = |a: f64, b: f64| a * b / ((a + b).powi(2) * (a + b + 1.0));
        let diff = mean(ab, bb) - mean(aa, ba);
        let sd = (var(ab, bb) + var(aa, ba)).sqrt();
        return Some(std_normal().cdf(diff / sd));
    }
    // P(X > Y) for X ~ Beta(ax, bx), Y ~ Beta(ay, by), summing over ax's terms.
    let prob_greater = |ax: f64, bx: f64, ay: f64, by: f64| {
        let base = ln_beta(ay, by);
        let mut sum = 0.0;
        let mut compensation = 0.0;
        let mut i = 0.0;
        while i < ax {
            let term =
                (ln_beta(ay + i, by + bx) - (bx + i).ln() - ln_beta(1.0 + i, bx) - base).exp();
            // Kahan summation: thousands of terms of very different sizes.
            let y = term - compensation;
            let t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
            i += 1.0;
        }
        sum
    };
    let p = if conversions_b <= conversions_a {
        prob_greater(ab, bb, aa, ba)
    } else {
        1.0 - prob_greater(aa, ba, ab, bb)
    };
    Some(p.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prior_kinds_round_trip() {
        crate::named::assert_round_trips(PriorKind::VARIANTS);
    }

    #[test]
    fn priors_keep_their_json_form() {
        let json = |p: Prior| serde_json::to_string(&p).unwrap_or_default();
        assert_eq!(json(Prior::Flat), r#"{"kind":"flat"}"#);
        assert_eq!(
            json(Prior::GROWTHBOOK_DEFAULT),
            r#"{"kind":"normal","mean":0.0,"variance":0.09}"#
        );
        let read = |text: &str| serde_json::from_str::<Prior>(text).ok();
        assert_eq!(read(r#"{"kind":"flat"}"#), Some(Prior::Flat));
        assert_eq!(
            read(r#"{"variance":0.04,"kind":"normal","mean":0.1}"#),
            Some(Prior::Normal {
                mean: 0.1,
                variance: 0.04
            })
        );
        assert_eq!(read(r#"{"kind":"normal","mean":0.1}"#), None);
        assert_eq!(read(r#"{"kind":"beta"}"#), None);
    }

    #[test]
    fn brief_example_exact_beta() {
        // The brief: P(B > A) = 0.997678 for 200/10,000 vs 260/10,000.
        let p = beta_chance_to_beat(200, 10_000, 260, 10_000).unwrap_or(f64::NAN);
        assert!((p - 0.997_678).abs() < 1e-6, "{p}");
        // Symmetry: swapping the groups gives the complement.
        let q = beta_chance_to_beat(260, 10_000, 200, 10_000).unwrap_or(f64::NAN);
        assert!((p + q - 1.0).abs() < 1e-9);
        assert_eq!(beta_chance_to_beat(1, 0, 1, 1), None);
    }

    #[test]
    fn identical_groups_are_a_coin_flip() {
        let p = beta_chance_to_beat(30, 1000, 30, 1000).unwrap_or(f64::NAN);
        assert!((p - 0.5).abs() < 1e-9, "{p}");
    }

    #[test]
    fn informative_prior_shrinks_towards_zero() {
        let a = SampleStats::proportion(200, 10_000);
        let b = SampleStats::proportion(260, 10_000);
        let (Some(a), Some(b)) = (a, b) else { panic!() };
        let flat = bayesian_relative(&a, &b, Prior::Flat, 0.95);
        let shrunk = bayesian_relative(&a, &b, Prior::GROWTHBOOK_DEFAULT, 0.95);
        let (Ok(flat), Ok(shrunk)) = (flat, shrunk) else {
            panic!()
        };
        assert!(shrunk.mean < flat.mean && shrunk.mean > 0.0);
        assert!(shrunk.chance_to_beat_control < flat.chance_to_beat_control);
        assert!(flat.expected_loss >= 0.0 && flat.expected_loss < 0.001);
    }
}

//! CUPED / regression adjustment: use each user's pre-experiment value of the
//! metric to remove variance that has nothing to do with the treatment.

use serde::{Deserialize, Serialize};

use super::bayesian::{bayesian_from_moments, BayesianResult, Prior};
use super::frequentist::{from_moments, Comparison, Difference, FrequentistOptions, Moments};
use super::{CompareError, SampleStats};

/// Sufficient statistics of one group for CUPED: sums of the metric during
/// the experiment (post) and before it (pre), their squares and products.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CupedSums {
    pub n: u64,
    pub post_sum: f64,
    pub post_sum_sq: f64,
    pub pre_sum: f64,
    pub pre_sum_sq: f64,
    /// Σ post·pre over users.
    pub post_pre_sum: f64,
}

impl CupedSums {
    fn post(&self) -> Option<SampleStats> {
        SampleStats::from_sums(self.n, self.post_sum, self.post_sum_sq)
    }

    fn pre(&self) -> Option<SampleStats> {
        SampleStats::from_sums(self.n, self.pre_sum, self.pre_sum_sq)
    }

    /// Sample covariance of post and pre: (Σxy − ΣxΣy/n)/(n − 1).
    fn covariance(&self) -> f64 {
        let n = self.n as f64;
        if self.n <= 1 {
            return 0.0;
        }
        (self.post_pre_sum - self.post_sum * self.pre_sum / n) / (n - 1.0)
    }

    fn pooled(&self, other: &CupedSums) -> CupedSums {
        CupedSums {
            n: self.n + other.n,
            post_sum: self.post_sum + other.post_sum,
            post_sum_sq: self.post_sum_sq + other.post_sum_sq,
            pre_sum: self.pre_sum + other.pre_sum,
            pre_sum_sq: self.pre_sum_sq + other.pre_sum_sq,
            post_pre_sum: self.post_pre_sum + other.post_pre_sum,
        }
    }
}

/// The CUPED coefficient θ = Cov(post, pre)/Var(pre) over both groups pooled
/// (gbstats `compute_theta`); 0 when either pooled variance is 0, which turns
/// the adjustment off.
pub fn cuped_theta(a: &CupedSums, b: &CupedSums) -> f64 {
    let joint = a.pooled(b);
    match (joint.post(), joint.pre()) {
        (Some(post), Some(pre)) if post.variance > 0.0 && pre.variance > 0.0 => {
            joint.covariance() / pre.variance
        }
        _ => 0.0,
    }
}

/// A CUPED comparison and how much it helped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CupedComparison {
    pub comparison: Comparison,
    pub theta: f64,
    /// 1 − Var(adjusted estimate)/Var(unadjusted estimate): the share of the
    /// estimate's variance the pre-period data removed.
    pub variance_reduction: f64,
}

/// Moments of the adjusted estimate. Adjusted group mean μ − θ·μ_pre and
/// variance σ²_post + θ²σ²_pre − 2θ·Cov. Absolute: Δ = μ̃_b − μ̃_a with
/// variance σ̃²_b/n_b + σ̃²_a/n_a. Relative: Δ = (μ̃_b − μ̃_a)/μ_a,post with the
/// delta-method variance of the current gbstats (`models/tests.py`,
/// `frequentist_variance_relative_cuped`):
/// σ̃²_b/(n_b μ_a²) + (σ²_a,post μ_b²/μ_a² − 2θ·Cov_a·μ_b/μ_a + θ²σ²_a,pre)/(n_a μ_a²),
/// with μ the unadjusted post-period means. (gbstats 0.8.0 on PyPI omitted
/// the θ terms of the control part and so understated this variance.)
fn cuped_moments(
    a: &CupedSums,
    b: &CupedSums,
    theta: f64,
    difference: Difference,
) -> Result<(Moments, SampleStats, SampleStats), CompareError> {
    let (Some(a_post), Some(a_pre), Some(b_post), Some(b_pre)) =
        (a.post(), a.pre(), b.post(), b.pre())
    else {
        return Err(CompareError::TooFewUsers);
    };
    let adjusted = |post: SampleStats, pre: SampleStats, cov: f64| SampleStats {
        n: post.n,
        mean: post.mean - theta * pre.mean,
        variance: post.variance + theta * theta * pre.variance - 2.0 * theta * cov,
    };
    let (cov_a, cov_b) = (a.covariance(), b.covariance());
    let ta = adjusted(a_post, a_pre, cov_a);
    let tb = adjusted(b_post, b_pre, cov_b);
    if ta.n < 2.0 || tb.n < 2.0 {
        return Err(CompareError::TooFewUsers);
    }
    if ta.variance <= 0.0 || tb.variance <= 0.0 {
        return Err(CompareError::NoVariance);
    }
    if a_post.mean == 0.0 || ta.mean == 0.0 {
        return Err(CompareError::BaselineZero);
    }
    let (estimate, variance) = match difference {
        Difference::Absolute => (tb.mean - ta.mean, tb.variance / tb.n + ta.variance / ta.n),
        Difference::Relative => {
            let ua = a_post.mean;
            let ratio = b_post.mean / ua;
            let v_trt = tb.variance / (tb.n * ua * ua);
            let v_ctrl = (a_post.variance * ratio * ratio - 2.0 * theta * cov_a * ratio
                + theta * theta * a_pre.variance)
                / (ta.n * ua * ua);
            ((tb.mean - ta.mean) / ua, v_trt + v_ctrl)
        }
    };
    let dof = super::frequentist::welch_dof(&ta, &tb);
    Ok((
        Moments {
            estimate,
            variance,
            dof,
            total_n: ta.n + tb.n,
        },
        a_post,
        b_post,
    ))
}

/// Compare with regression adjustment (CUPED; Deng et al. 2013, as gbstats).
/// Falls back to the plain comparison when θ is 0.
pub fn compare_cuped(
    a: &CupedSums,
    b: &CupedSums,
    options: &FrequentistOptions,
) -> Result<CupedComparison, CompareError> {
    let theta = cuped_theta(a, b);
    let (adjusted, a_post, b_post) = cuped_moments(a, b, theta, options.difference)?;
    let plain = super::frequentist::estimate_variance(&a_post, &b_post, options.difference);
    let comparison = from_moments(&adjusted, options)?;
    Ok(CupedComparison {
        comparison,
        theta,
        variance_reduction: if plain > 0.0 {
            1.0 - adjusted.variance / plain
        } else {
            0.0
        },
    })
}

/// Bayesian result on the CUPED-adjusted relative lift.
pub fn bayesian_cuped(
    a: &CupedSums,
    b: &CupedSums,
    prior: Prior,
    confidence: f64,
) -> Result<BayesianResult, CompareError> {
    let theta = cuped_theta(a, b);
    let (m, _, _) = cuped_moments(a, b, theta, Difference::Relative)?;
    bayesian_from_moments(m.estimate, m.variance, prior, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pre-period values that predict the post-period well cut the variance.
    #[test]
    fn correlated_pre_period_reduces_variance() {
        // Two users per pattern; post ≈ pre + treatment effect.
        let group = |shift: f64| {
            let pre = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0];
            let post: Vec<f64> = pre
                .iter()
                .enumerate()
                .map(|(i, p)| p + shift + (i % 2) as f64)
                .collect();
            CupedSums {
                n: 6,
                post_sum: post.iter().sum(),
                post_sum_sq: post.iter().map(|x| x * x).sum(),
                pre_sum: pre.iter().sum(),
                pre_sum_sq: pre.iter().map(|x| x * x).sum(),
                post_pre_sum: post.iter().zip(pre).map(|(a, b)| a * b).sum(),
            }
        };
        let (a, b) = (group(0.0), group(5.0));
        let theta = cuped_theta(&a, &b);
        assert!(theta > 0.9 && theta < 1.1, "{theta}");
        let Ok(c) = compare_cuped(&a, &b, &FrequentistOptions::default()) else {
            panic!()
        };
        assert!(c.variance_reduction > 0.9, "{c:?}");
        assert!(c.comparison.p_value < 0.01, "{c:?}");
    }
}

//! Net Promoter Score of a 0–10 survey question, and the difference between
//! two variants' scores.
//!
//! Scores 9–10 are promoters, 7–8 passives, 0–6 detractors; with n answers
//! NPS = P/n − D/n, in [−1, 1] (shown × 100, in points). NPS is the mean of
//! the answers recoded +1 / 0 / −1, so one answer's variance is the
//! trinomial p_P + p_D − NPS², and SE(NPS) = √((p_P + p_D − NPS²)/n) (the
//! Wald form, divisor n). Two independent variants: Δ = NPS_B − NPS_A,
//! SE_Δ = √(SE_A² + SE_B²), z = Δ/SE_Δ, interval Δ ± z_{1−α/2}·SE_Δ.
//!
//! The adjusted Wald form (Lewis & Sauro, MeasuringU, "How to Statistically
//! Compare Two Net Promoter Scores"; in the spirit of Rocks 2016, *The
//! American Statistician* 70(4)) first adds 3 answers to each variant, ¾
//! of them promoters and ¾ detractors, which keeps small samples' intervals
//! from collapsing. Relative uplift is not defined for NPS: near 0 or below
//! it, a ratio of scores says nothing.

use serde::{Deserialize, Serialize};
use statrs::distribution::ContinuousCDF;

use super::{std_normal, z_critical, SampleStats};
use crate::units::Interval;

/// The answers to one 0–10 question in one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScoreCounts {
    /// Answers given (blank cells are not answers).
    pub answers: u64,
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
}

impl ScoreCounts {
    /// One answer on the 0–10 scale.
    pub fn of(score: u8) -> ScoreCounts {
        ScoreCounts {
            answers: 1,
            promoters: u64::from(score >= 9),
            detractors: u64::from(score <= 6),
        }
    }

    /// Add other answers to these.
    pub fn merge(&mut self, other: ScoreCounts) {
        self.answers += other.answers;
        self.promoters += other.promoters;
        self.detractors += other.detractors;
    }

    /// Answers of 7 or 8.
    pub fn passives(&self) -> u64 {
        self.answers
            .saturating_sub(self.promoters)
            .saturating_sub(self.detractors)
    }

    /// The answers recoded +1 / 0 / −1 as per-answer statistics: their mean
    /// is the NPS (a fraction), their variance the sample variance (divisor
    /// n − 1), so the page's usual tests (Welch, non-inferiority) apply.
    pub fn recoded(&self) -> Option<SampleStats> {
        let (p, d) = (self.promoters as f64, self.detractors as f64);
        SampleStats::from_sums(self.answers, p - d, p + d)
    }
}

/// Which interval the NPS comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsInterval {
    /// Plain Wald on the observed shares.
    #[default]
    Wald,
    /// Wald after adding 3 answers: ¾ promoter, ¾ detractor, 1½ passive.
    AdjustedWald,
}

/// One variant's NPS with its standard error, both as fractions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsEstimate {
    pub nps: f64,
    pub std_error: f64,
}

/// NPS = p_P − p_D and SE = √((p_P + p_D − NPS²)/n), on the observed
/// answers (Wald) or after adding 3 answers, ¾ + ¾ of them promoters and
/// detractors (adjusted Wald). `None` without answers.
pub fn nps_estimate(c: &ScoreCounts, interval: NpsInterval) -> Option<NpsEstimate> {
    if c.answers == 0 {
        return None;
    }
    let (extra, extra_each) = match interval {
        NpsInterval::Wald => (0.0, 0.0),
        NpsInterval::AdjustedWald => (3.0, 0.75),
    };
    let n = c.answers as f64 + extra;
    let p = (c.promoters as f64 + extra_each) / n;
    let d = (c.detractors as f64 + extra_each) / n;
    let nps = p - d;
    Some(NpsEstimate {
        nps,
        std_error: ((p + d - nps * nps).max(0.0) / n).sqrt(),
    })
}

/// Variant B's NPS against control A's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsDifference {
    /// NPS_B − NPS_A, as a fraction (× 100 for points).
    pub difference: f64,
    pub std_error: f64,
    pub z: f64,
    /// Two-sided, from the normal distribution.
    pub p_value: f64,
    pub ci: Interval,
}

/// Δ = NPS_B − NPS_A with SE_Δ = √(SE_A² + SE_B²), z = Δ / SE_Δ, the
/// two-sided normal p-value and Δ ± z_{1−α/2}·SE_Δ at `confidence`.
/// `None` when a variant has no answers or neither varies.
pub fn nps_difference(
    a: &ScoreCounts,
    b: &ScoreCounts,
    interval: NpsInterval,
    confidence: f64,
) -> Option<NpsDifference> {
    let (ea, eb) = (nps_estimate(a, interval)?, nps_estimate(b, interval)?);
    let se = (ea.std_error.powi(2) + eb.std_error.powi(2)).sqrt();
    let valid = se > 0.0 && confidence > 0.0 && confidence < 1.0;
    if !valid {
        return None;
    }
    let difference = eb.nps - ea.nps;
    let z = difference / se;
    let half = z_critical(confidence) * se;
    Some(NpsDifference {
        difference,
        std_error: se,
        z,
        p_value: 2.0 * std_normal().cdf(-z.abs()),
        ci: Interval {
            low: difference - half,
            high: difference + half,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(answers: u64, promoters: u64, detractors: u64) -> ScoreCounts {
        ScoreCounts {
            answers,
            promoters,
            detractors,
        }
    }

    #[test]
    fn answers_fall_into_three_groups() {
        let mut c = ScoreCounts::default();
        for s in 0..=10 {
            c.merge(ScoreCounts::of(s));
        }
        assert_eq!(c, counts(11, 2, 7));
        assert_eq!(c.passives(), 2);
        // Recoded: mean (2 − 7)/11, sample variance of 2 ones, 7 minus ones.
        let Some(r) = c.recoded() else { panic!() };
        let mean = -5.0 / 11.0;
        assert!((r.mean - mean).abs() < 1e-15);
        assert!((r.variance - (9.0 - 11.0 * mean * mean) / 10.0).abs() < 1e-15);
    }

    #[test]
    fn no_answers_no_score() {
        assert_eq!(nps_estimate(&counts(0, 0, 0), NpsInterval::Wald), None);
        // All promoters on both sides: nothing varies, no test.
        let all = counts(10, 10, 0);
        assert_eq!(nps_difference(&all, &all, NpsInterval::Wald, 0.95), None);
        // The adjusted form has a variance even then.
        assert!(nps_difference(&all, &all, NpsInterval::AdjustedWald, 0.95).is_some());
    }
}

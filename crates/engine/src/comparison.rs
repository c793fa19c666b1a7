//! One metric compared between variants: which metrics there are, what
//! each variant contributes to a comparison, and the comparison against
//! the control by the chosen method (frequentist or sequential interval,
//! Bayesian chance to beat control, CUPED when a pre-period covariate is
//! there), with the multiple-comparison correction across arms. The report
//! (`report`) and the decision with guardrails (`decision`) both build on
//! it.

use serde::{Deserialize, Serialize};

use crate::ingest::VariantStats;
use crate::scenario::{Correction, Method, Scenario};
use crate::stats::bayesian::{bayesian_relative, beta_chance_to_beat};
use crate::stats::cuped::{bayesian_cuped, compare_cuped, CupedSums};
use crate::stats::multiple::{benjamini_hochberg, holm};
use crate::stats::nps::{nps_difference, nps_estimate, NpsInterval, ScoreCounts};
use crate::stats::{compare, z_critical, Difference, FrequentistOptions, SampleStats};
use crate::units::Interval;
use crate::value::relative_uplift;

/// The metrics compared between variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    ConversionRate,
    RevenuePerUser,
    AverageOrderValue,
    ClickThroughRate,
}

impl Metric {
    pub fn label(self) -> &'static str {
        match self {
            Metric::ConversionRate => "Conversion rate",
            Metric::RevenuePerUser => "Revenue per user",
            Metric::AverageOrderValue => "Average order value",
            Metric::ClickThroughRate => "Click-through rate",
        }
    }

    /// What to add to the data to get an interval on this metric.
    fn missing_variance_note(self) -> &'static str {
        match self {
            Metric::AverageOrderValue => "Add orders_sq and revenue_x_orders columns (or one row per user) to get an interval.",
            _ => "Add a revenue_sq column (sum of squared revenue per user) to get an interval.",
        }
    }

    /// The key of this metric in a [`crate::scenario::MetricPlan`].
    pub fn key(self) -> &'static str {
        match self {
            Metric::ConversionRate => "conversion_rate",
            Metric::RevenuePerUser => "revenue_per_user",
            Metric::AverageOrderValue => "average_order_value",
            Metric::ClickThroughRate => "click_through_rate",
        }
    }

    pub(crate) fn spec(self) -> MetricSpec {
        MetricSpec {
            label: self.label().to_string(),
            missing_variance: self.missing_variance_note(),
            beta: self == Metric::ConversionRate,
            lower_is_better: false,
        }
    }
}

/// How a metric's table is labelled and what it says when it lacks a variance.
pub(crate) struct MetricSpec {
    pub(crate) label: String,
    pub(crate) missing_variance: &'static str,
    /// Add the exact Beta–binomial chance to beat control (conversion counts).
    pub(crate) beta: bool,
    /// Better when it falls: the chance to beat control is that of a fall,
    /// and the expected losses trade places.
    pub(crate) lower_is_better: bool,
}

/// What a metric's comparison runs on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum MetricInput {
    Plain(SampleStats),
    /// Pre-period sums for CUPED, with the unadjusted statistics shown as the value.
    Cuped(CupedSums, SampleStats),
}

impl MetricInput {
    fn shown(&self) -> SampleStats {
        match self {
            MetricInput::Plain(s) | MetricInput::Cuped(_, s) => *s,
        }
    }
}

/// How much the pre-period data helped (CUPED).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CupedInfo {
    pub theta: f64,
    /// Share of the estimate's variance removed, e.g. 0.4 = 40% narrower variance.
    pub variance_reduction: f64,
}

/// A variant's comparison with the control on one metric. Which fields are
/// filled depends on the method; the interval and the p-value (or chance to
/// beat control) always come from the same test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VsControl {
    /// Variant value − control value.
    pub absolute: f64,
    /// Interval on the absolute difference (Welch, same method).
    pub absolute_ci: Option<Interval>,
    /// Variant / control − 1; `None` when the control is zero.
    pub relative: Option<f64>,
    /// Interval on the relative lift: confidence interval (frequentist,
    /// sequential) or credible interval (Bayesian). With several variants it
    /// is widened to agree with the adjusted p-value.
    pub relative_ci: Option<Interval>,
    pub p_value: Option<f64>,
    /// Adjusted for comparing several variants with the control (Holm by default).
    pub p_value_adjusted: Option<f64>,
    /// Posterior probability that the variant is better (normal posterior of the lift).
    pub chance_to_beat_control: Option<f64>,
    /// Expected relative loss of shipping the variant if it is in fact worse.
    pub expected_loss: Option<f64>,
    /// Exact Beta–binomial P(variant rate > control rate), for conversion rates.
    pub beta_chance_to_beat_control: Option<f64>,
    /// Frequentist: the interval excludes 0 (adjusted p < α when several
    /// variants are compared). Bayesian: chance to beat control ≥ confidence
    /// or ≤ 1 − confidence.
    pub significant: bool,
    /// Why something could not be computed, in plain words.
    pub note: Option<String>,
    /// Present when the comparison used pre-period data.
    pub cuped: Option<CupedInfo>,
    /// Bayesian method: the normal posterior of the relative lift that the
    /// credible interval and the chance to beat control come from.
    pub posterior: Option<Posterior>,
}

impl VsControl {
    /// A difference with nothing yet known about its uncertainty.
    fn point(absolute: f64) -> VsControl {
        VsControl {
            absolute,
            absolute_ci: None,
            relative: None,
            relative_ci: None,
            p_value: None,
            p_value_adjusted: None,
            chance_to_beat_control: None,
            expected_loss: None,
            beta_chance_to_beat_control: None,
            significant: false,
            note: None,
            cuped: None,
            posterior: None,
        }
    }
}

/// A normal posterior N(mean, std_dev²) of the relative lift.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Posterior {
    pub mean: f64,
    pub std_dev: f64,
}

impl Posterior {
    /// Posterior density at lift `x`: φ((x − μ)/σ) / σ, with φ the standard
    /// normal density (for drawing the curve; 0 when σ is not positive).
    pub fn density(&self, x: f64) -> f64 {
        if self.std_dev.is_nan() || self.std_dev <= 0.0 {
            return 0.0;
        }
        let z = (x - self.mean) / self.std_dev;
        (-0.5 * z * z).exp() / (self.std_dev * (2.0 * std::f64::consts::PI).sqrt())
    }
}

/// One variant's value on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricVariant {
    pub name: String,
    pub users: u64,
    pub value: f64,
    /// Interval on the variant's own value (Wilson for rates).
    pub ci: Option<Interval>,
    /// `None` for the control itself.
    pub vs_control: Option<VsControl>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricResult {
    pub label: String,
    pub variants: Vec<MetricVariant>,
}

/// What a metric compares for one variant: its statistics (none when the
/// variant lacks the metric) and the interval on its own value.
pub(crate) type MetricInputs = (Option<MetricInput>, Option<Interval>);

pub(crate) fn metric_result(
    spec: &MetricSpec,
    ordered: &[&VariantStats],
    scenario: &Scenario,
    stats_for: &dyn Fn(&VariantStats) -> MetricInputs,
) -> MetricResult {
    let control_stats = ordered.first().and_then(|c| stats_for(c).0);
    let rows: Vec<(&VariantStats, MetricInput, Option<Interval>)> = ordered
        .iter()
        .filter_map(|v| {
            let (stats, ci) = stats_for(v);
            Some((*v, stats?, ci))
        })
        .collect();
    let compare_at = |stats: &MetricInput, confidence: f64| {
        control_stats.map(|c| vs_control(spec.missing_variance, &c, stats, scenario, confidence))
    };
    let mut comparisons: Vec<Option<VsControl>> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, stats, _))| {
            if i == 0 {
                None
            } else {
                compare_at(stats, scenario.confidence)
            }
        })
        .collect();

    // A/B/n: adjust the p-values, then widen each interval to the level at
    // which it excludes 0 exactly when the adjusted p-value is below α, so
    // the interval and the verdict never disagree on screen.
    let raw: Vec<f64> = comparisons
        .iter()
        .flatten()
        .filter_map(|vs| vs.p_value)
        .collect();
    let adjusted = adjust(&raw, scenario.analysis.correction);
    let alpha = 1.0 - scenario.confidence;
    let mut next = adjusted.into_iter();
    for (slot, (_, stats, _)) in comparisons.iter_mut().zip(&rows) {
        let Some(vs) = slot.as_mut() else { continue };
        let Some(p) = vs.p_value else { continue };
        let Some(p_adj) = next.next() else { continue };
        if p_adj > p && p > 0.0 {
            if let Some(wider) = compare_at(stats, 1.0 - alpha * p / p_adj) {
                vs.relative_ci = wider.relative_ci;
            }
        }
        vs.p_value_adjusted = Some(p_adj);
        vs.significant = p_adj < alpha;
    }

    let variants = rows
        .iter()
        .zip(comparisons)
        .map(|((v, stats, ci), mut vs)| {
            if let (Some(vs), Some(control)) = (vs.as_mut(), ordered.first()) {
                if spec.beta {
                    vs.beta_chance_to_beat_control = beta_chance_to_beat(
                        control.conversions.unwrap_or(0),
                        control.users,
                        v.conversions.unwrap_or(0),
                        v.users,
                    );
                }
                if spec.lower_is_better {
                    let fall = |p: Option<f64>| p.map(|p| 1.0 - p);
                    vs.chance_to_beat_control = fall(vs.chance_to_beat_control);
                    vs.beta_chance_to_beat_control = fall(vs.beta_chance_to_beat_control);
                    // E[max(0, lift)] = E[max(0, −lift)] + E[lift].
                    vs.expected_loss = vs
                        .expected_loss
                        .zip(vs.posterior)
                        .map(|(loss, p)| (loss + p.mean).max(0.0));
                }
            }
            MetricVariant {
                name: v.name.clone(),
                users: v.users,
                value: stats.shown().mean,
                ci: *ci,
                vs_control: vs,
            }
        })
        .collect();
    MetricResult {
        label: spec.label.clone(),
        variants,
    }
}

/// P-values adjusted for comparing several variants with the control.
fn adjust(raw: &[f64], correction: Correction) -> Vec<f64> {
    match correction {
        Correction::Holm => holm(raw),
        Correction::BenjaminiHochberg => benjamini_hochberg(raw),
        Correction::None => raw.to_vec(),
    }
}

/// An NPS question compared between variants (`stats::nps`): each
/// variant's NPS with its own interval, and each arm's difference from the
/// control in NPS, with its interval and p-value, whatever the method (NPS
/// has no relative lift). With several arms the p-values are adjusted as
/// for any metric and each interval widened to agree with its adjusted
/// p-value. `answers` holds each variant's name and answers, control first.
pub(crate) fn nps_result(
    label: &str,
    answers: &[(&str, ScoreCounts)],
    interval: NpsInterval,
    confidence: f64,
    correction: Correction,
) -> MetricResult {
    let alpha = 1.0 - confidence;
    let control = answers.first().map(|(_, c)| *c);
    let difference =
        |c: &ScoreCounts, level: f64| control.and_then(|a| nps_difference(&a, c, interval, level));
    let raw: Vec<f64> = answers
        .iter()
        .skip(1)
        .filter_map(|(_, c)| difference(c, confidence).map(|d| d.p_value))
        .collect();
    let mut adjusted = adjust(&raw, correction).into_iter();
    let variants = answers
        .iter()
        .enumerate()
        .filter_map(|(i, (name, c))| {
            let own = nps_estimate(c, interval)?;
            let half = z_critical(confidence) * own.std_error;
            let vs_control = (i > 0).then(|| {
                let a = control.and_then(|a| nps_estimate(&a, interval));
                let mut vs = VsControl::point(a.map_or(f64::NAN, |a| own.nps - a.nps));
                match difference(c, confidence) {
                    Some(d) => {
                        let p_adj = adjusted.next().unwrap_or(d.p_value);
                        let level = if p_adj > d.p_value && d.p_value > 0.0 {
                            1.0 - alpha * d.p_value / p_adj
                        } else {
                            confidence
                        };
                        vs.absolute = d.difference;
                        vs.absolute_ci = difference(c, level).map(|w| w.ci);
                        vs.p_value = Some(d.p_value);
                        vs.p_value_adjusted = Some(p_adj);
                        vs.significant = p_adj < alpha;
                    }
                    None => {
                        vs.note = Some("Every answer is the same in both groups, or a group has none, so there is no variation to measure uncertainty from.".into());
                    }
                }
                vs
            });
            Some(MetricVariant {
                name: name.to_string(),
                users: c.answers,
                value: own.nps,
                ci: Some(Interval {
                    low: own.nps - half,
                    high: own.nps + half,
                }),
                vs_control,
            })
        })
        .collect();
    MetricResult {
        label: label.to_string(),
        variants,
    }
}

/// A mean whose variance is unknown (no sum of squares in the data).
pub(crate) fn mean_only(users: u64, sum: f64) -> SampleStats {
    SampleStats {
        n: users as f64,
        mean: sum / users as f64,
        variance: f64::NAN,
    }
}

fn vs_control(
    missing_variance: &'static str,
    control: &MetricInput,
    variant: &MetricInput,
    scenario: &Scenario,
    confidence: f64,
) -> VsControl {
    let settings = &scenario.analysis;
    let (shown_a, shown_b) = (control.shown(), variant.shown());
    let mut out = VsControl::point(shown_b.mean - shown_a.mean);
    out.relative = relative_uplift(shown_a.mean, shown_b.mean).map(|r| r.fraction());
    if shown_a.variance.is_nan() || shown_b.variance.is_nan() {
        out.note = Some(missing_variance.into());
        return out;
    }
    let options = FrequentistOptions {
        confidence,
        difference: Difference::Relative,
        interval: settings.interval,
        sequential_tuning: (settings.method == Method::Sequential)
            .then_some(settings.sequential_tuning),
    };
    let absolute_options = FrequentistOptions {
        difference: Difference::Absolute,
        ..options
    };
    let cuped = match (control, variant) {
        (MetricInput::Cuped(a, _), MetricInput::Cuped(b, _)) => Some((a, b)),
        _ => None,
    };
    // Frequentist and sequential: interval and p-value from one test.
    let frequentist = |opts: &FrequentistOptions| match cuped {
        Some((a, b)) => compare_cuped(a, b, opts).map(|c| (c.comparison, Some(c))),
        None => compare(&shown_a, &shown_b, opts).map(|c| (c, None)),
    };
    if let Ok((c, _)) = frequentist(&absolute_options) {
        // The test's own estimate: with CUPED the adjusted difference, which
        // its interval is centred on (otherwise the same as above).
        out.absolute = c.estimate;
        out.absolute_ci = Some(c.ci);
    }
    match settings.method {
        Method::Frequentist | Method::Sequential => match frequentist(&options) {
            Ok((c, adjusted)) => {
                out.relative = Some(c.estimate);
                out.relative_ci = Some(c.ci);
                out.p_value = Some(c.p_value);
                out.cuped = adjusted.map(|a| CupedInfo {
                    theta: a.theta,
                    variance_reduction: a.variance_reduction,
                });
            }
            Err(e) => out.note = Some(e.to_string()),
        },
        Method::Bayesian => {
            let result = match cuped {
                Some((a, b)) => bayesian_cuped(a, b, settings.prior, confidence),
                None => bayesian_relative(&shown_a, &shown_b, settings.prior, confidence),
            };
            match result {
                Ok(b) => {
                    out.relative_ci = Some(b.credible_interval);
                    out.chance_to_beat_control = Some(b.chance_to_beat_control);
                    out.expected_loss = Some(b.expected_loss);
                    out.posterior = Some(Posterior {
                        mean: b.mean,
                        std_dev: b.std_dev,
                    });
                    out.significant = b.chance_to_beat_control >= confidence
                        || b.chance_to_beat_control <= 1.0 - confidence;
                }
                Err(e) => out.note = Some(e.to_string()),
            }
        }
    }
    out
}

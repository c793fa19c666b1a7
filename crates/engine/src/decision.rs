//! Metrics beyond the fixed ones (metric columns and ratios), guardrails,
//! and the one decision the page states with them: ship, don't ship, or
//! keep running; every arm's lift and decision. Built on the report (the
//! primary metric's decision alone is the headline's, `headline`).
//!
//! The decision rule follows Schultzberg, Ankargren & Frånberg, "Risk-aware
//! product decisions in A/B tests with multiple metrics" (Spotify, 2024):
//! ship when the success metric is significantly better and every
//! guardrail is significantly non-inferior. The false-positive rate is
//! corrected over success metrics only (here one primary metric, so none
//! is needed across metrics); guardrails must all pass, so they need no
//! α correction, but their power is: each is sized for power 1 − β/G.

use serde::{Deserialize, Serialize};

use crate::comparison::{metric_result, nps_result, MetricResult, MetricSpec, VsControl};
use crate::headline::{arm_label, Arm};
pub use crate::headline::{primary_decision, Outcome};
use crate::ingest::{Experiment, ValueKind, VariantStats};
use crate::metric_source::{is_nps, metric_input, source, stats_by_key};
use crate::report::{analyze_experiment, ordered_variants, AnalysisError, Report};
use crate::scenario::{MetricChoices, Scenario};
use crate::stats::noninferiority::{non_inferiority, non_inferiority_falling, NonInferiority};
use crate::stats::nps::ScoreCounts;
use crate::stats::Difference;

/// How a metric column is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// Share of users with a yes (0/1 values).
    Proportion,
    /// Mean per user.
    Mean,
    /// Σ numerator / Σ denominator.
    Ratio,
    /// Net Promoter Score of 0–10 answers: promoters − detractors.
    Nps,
}

/// The comparison of one metric column or ratio across variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMetric {
    /// The header, or the ratio's name: the key in a [`crate::scenario::MetricPlan`].
    pub key: String,
    pub kind: MetricKind,
    pub result: MetricResult,
    /// Better when it falls (churn, cost): named so in the plan, or by its name.
    #[serde(default)]
    pub lower_is_better: bool,
    /// NPS only: each variant's answers, in the order of the result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<ScoreCounts>,
}

/// Every metric column and ratio of the plan, compared across variants the
/// same way as the fixed metrics (proportions with Wilson intervals on
/// their own value, means and ratios by the delta method); NPS questions
/// by their own test.
fn column_metrics(
    e: &Experiment,
    ordered: &[&VariantStats],
    scenario: &Scenario,
) -> Vec<ColumnMetric> {
    let plan = &scenario.analysis.metrics;
    let choices = plan.choices().unwrap_or_default();
    let conf = scenario.confidence;
    let mut keys: Vec<(String, MetricKind)> = e
        .metric_columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let kind = match c.kind {
                _ if is_nps(e, i, plan) => MetricKind::Nps,
                ValueKind::Binary => MetricKind::Proportion,
                ValueKind::Numeric => MetricKind::Mean,
            };
            (c.name.clone(), kind)
        })
        .collect();
    keys.extend(
        choices
            .ratios
            .iter()
            .map(|r| (r.name.clone(), MetricKind::Ratio)),
    );
    keys.into_iter()
        .filter_map(|(key, kind)| {
            if kind == MetricKind::Nps {
                return Some(nps_metric(key, e, ordered, scenario, &choices));
            }
            let src = source(&key, e, plan)?;
            let missing = match kind {
                MetricKind::Ratio => {
                    "One row per user (or X_sq and X_x_Y columns) gives this ratio an interval."
                }
                _ => "Add a column of its sums of squares (X_sq) to get an interval.",
            };
            let lower_is_better = plan.lower_is_better(&key);
            let spec = MetricSpec {
                label: key.clone(),
                missing_variance: missing,
                beta: false,
                lower_is_better,
            };
            let result = metric_result(&spec, ordered, scenario, &|v| metric_input(src, v, conf));
            Some(ColumnMetric {
                key,
                kind,
                result,
                lower_is_better,
                answers: Vec::new(),
            })
        })
        .collect()
}

/// An NPS question's table: each variant's answers and their comparison.
fn nps_metric(
    key: String,
    e: &Experiment,
    ordered: &[&VariantStats],
    scenario: &Scenario,
    choices: &MetricChoices,
) -> ColumnMetric {
    let i = e.metric_columns.iter().position(|c| c.name == key);
    let answers: Vec<(&str, ScoreCounts)> = ordered
        .iter()
        .filter_map(|v| {
            let scores = v.columns.get(i?)?.scores?;
            Some((v.name.as_str(), scores))
        })
        .collect();
    let result = nps_result(
        &key,
        &answers,
        choices.nps_interval,
        scenario.confidence,
        scenario.analysis.correction,
    );
    ColumnMetric {
        key,
        kind: MetricKind::Nps,
        lower_is_better: false,
        // As the result lists them: the variants with answers.
        answers: answers
            .iter()
            .map(|(_, c)| *c)
            .filter(|c| c.answers > 0)
            .collect(),
        result,
    }
}

/// Metric columns, ratios and the decision: what the metrics panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    /// Why the stored metric choices could not be read, if they could not.
    pub plan_problem: Option<String>,
    /// Every metric the data offers as a primary metric or guardrail, key
    /// and label: the fixed ones, the metric columns but NPS questions, the
    /// plan's ratios.
    pub available: Vec<(String, String)>,
    pub primary: Option<String>,
    pub column_metrics: Vec<ColumnMetric>,
    pub decision: Option<Decision>,
    /// Every arm but the control (the treatment first) with its own
    /// decision by the same rule, guardrails included.
    pub arms: Vec<(String, Outcome)>,
    /// The treatment as sentences name it ("Promotion 2").
    pub treatment_label: String,
}

/// Compare every metric column and ratio across variants, and decide from
/// the primary metric and the guardrails. Runs [`analyze_experiment`] for
/// the fixed metrics (a primary metric may be one of them, with CUPED).
pub fn analyze_metrics(
    scenario: &Scenario,
    experiment: &Experiment,
) -> Result<MetricsReport, AnalysisError> {
    let report = analyze_experiment(scenario, experiment)?;
    let ordered = ordered_variants(scenario, experiment)?;
    let column_metrics = column_metrics(experiment, &ordered, scenario);
    // Every arm by the same rule, on the same comparison the summary
    // shows; the treatment's (the first arm) whole, the others' outcome.
    let primary_result = report.primary_result();
    let mut decisions: Vec<(String, Decision)> =
        match (ordered.split_first(), report.primary.as_deref()) {
            (Some((control, rest)), Some(key)) => rest
                .iter()
                .map(|arm| {
                    let vs = primary_result
                        .and_then(|r| r.variants.iter().find(|v| v.name == arm.name))
                        .and_then(|v| v.vs_control.as_ref());
                    let label = primary_result.map_or(key, |r| r.label.as_str());
                    let d = decide(scenario, experiment, control, arm, label, vs);
                    (arm.name.clone(), d)
                })
                .collect(),
            _ => Vec::new(),
        };
    let arms = decisions
        .iter()
        .map(|(name, d)| (name.clone(), d.outcome))
        .collect();
    let decision = (!decisions.is_empty()).then(|| {
        let (_, mut d) = decisions.swap_remove(0);
        d.rule = decision_rule(&d.primary, scenario.confidence, d.guardrail_power);
        d
    });
    let available = report
        .metrics
        .iter()
        .map(|(m, r)| (m.key().to_string(), r.label.clone()))
        .chain(
            column_metrics
                .iter()
                // NPS is compared in points only: no primary metric or
                // guardrail with a relative margin (`primary_key`).
                .filter(|c| c.kind != MetricKind::Nps)
                .map(|c| (c.key.clone(), c.result.label.clone())),
        )
        .collect();
    Ok(MetricsReport {
        plan_problem: scenario.analysis.metrics.choices().err(),
        available,
        primary: report.primary,
        column_metrics,
        decision,
        arms,
        treatment_label: report.headline.treatment_label.clone(),
    })
}

/// Where a guardrail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardrailStatus {
    /// Shown not to drop by more than the margin.
    Holds,
    /// Not shown yet, and the test lacks the users to show it.
    NotYetShown,
    /// Not shown although the test had the power to: treated as harm.
    Failed,
    /// Significantly worse than the margin allows.
    Breached,
    /// The metric is not in the data or has no variance.
    Unavailable,
}

/// One guardrail's non-inferiority test, treatment against control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardrailCheck {
    pub metric: String,
    pub margin: f64,
    /// The metric should fall (churn, cost): it may not rise by more than
    /// the margin, and the test's estimate and bound are of its fall.
    #[serde(default)]
    pub lower_is_better: bool,
    pub test: Option<NonInferiority>,
    pub status: GuardrailStatus,
}

/// The one decision, with the reasons in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub primary: String,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
    pub guardrails: Vec<GuardrailCheck>,
    /// Power each guardrail needs: 1 − β/G with β = 20%.
    pub guardrail_power: f64,
    /// The rule, in words ([`decision_rule`]).
    pub rule: String,
}

/// The decision rule in words, for a primary metric named `primary`, at
/// a confidence level, with the power each guardrail needs.
pub fn decision_rule(primary: &str, confidence: f64, power_needed: f64) -> String {
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    format!(
        "Ship when {primary} is significantly better and every guardrail is shown not to get worse (drop, or rise for one that should fall) by more than its margin (one-sided tests at α = {a} each; they must all pass, so they need no correction, but each needs {p} power so that all together have 80%). Don't ship when {primary} is significantly worse or a guardrail fails. Otherwise keep running. (Schultzberg, Ankargren & Frånberg, Spotify, 2024.)",
        a = pct(1.0 - confidence),
        p = pct(power_needed),
    )
}

/// Type II error allowed over all guardrails together.
const BETA: f64 = 0.2;

/// Decide from the primary metric's comparison (treatment vs control) and
/// each guardrail's non-inferiority test.
pub(crate) fn decide(
    scenario: &Scenario,
    e: &Experiment,
    control: &VariantStats,
    treatment: &VariantStats,
    primary: &str,
    primary_vs: Option<&VsControl>,
) -> Decision {
    let plan = &scenario.analysis.metrics;
    let choices: MetricChoices = plan.choices().unwrap_or_default();
    let alpha = 1.0 - scenario.confidence;
    let g = choices.guardrails.len().max(1) as f64;
    let power_needed = 1.0 - BETA / g;
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let guardrails: Vec<GuardrailCheck> = choices
        .guardrails
        .iter()
        .map(|gr| {
            let margin_ok = gr.margin > 0.0 && gr.margin < 1.0;
            let lower_is_better = plan.lower_is_better(&gr.metric);
            let test_of = if lower_is_better {
                non_inferiority_falling
            } else {
                non_inferiority
            };
            let test = match (
                stats_by_key(&gr.metric, control, e, plan),
                stats_by_key(&gr.metric, treatment, e, plan),
            ) {
                (Some(a), Some(b)) if margin_ok => {
                    test_of(&a, &b, gr.margin, Difference::Relative, alpha).ok()
                }
                _ => None,
            };
            let status = match test {
                None => GuardrailStatus::Unavailable,
                Some(t) if t.p_value < alpha => GuardrailStatus::Holds,
                Some(t) if 2.0 * t.estimate - t.lower_bound < -gr.margin => {
                    GuardrailStatus::Breached
                }
                Some(t) if t.power >= power_needed => GuardrailStatus::Failed,
                Some(_) => GuardrailStatus::NotYetShown,
            };
            GuardrailCheck {
                metric: gr.metric.clone(),
                margin: gr.margin,
                lower_is_better,
                test,
                status,
            }
        })
        .collect();

    let (on_primary, first) = primary_decision(scenario, primary, primary_vs);
    let better = on_primary == Outcome::Ship;
    let worse = on_primary == Outcome::DontShip;
    let mut reasons = vec![first];
    for c in &guardrails {
        let m = pct(c.margin);
        // The way the metric may not go: down, or up for one that should fall.
        let worse = if c.lower_is_better { "rise" } else { "drop" };
        reasons.push(match c.status {
            GuardrailStatus::Holds => format!("{} does not {worse} by more than {m}.", c.metric),
            GuardrailStatus::Breached => format!("{} {worse}s by more than {m}.", c.metric),
            GuardrailStatus::Failed => format!(
                "{} was not shown to stay within {m}, although the test had enough users to show it.",
                c.metric
            ),
            GuardrailStatus::NotYetShown => format!(
                "{} is not yet shown to stay within {m}; the test has {} power, it needs {}.",
                c.metric,
                pct(c.test.map_or(0.0, |t| t.power)),
                pct(power_needed)
            ),
            GuardrailStatus::Unavailable if !(c.margin > 0.0 && c.margin < 1.0) => format!(
                "The guardrail on {} needs a margin above 0% and below 100%, e.g. 1%.",
                c.metric
            ),
            GuardrailStatus::Unavailable => {
                format!("{} cannot be tested: it is not in the data or does not vary.", c.metric)
            }
        });
    }
    let harmed = guardrails.iter().any(|c| {
        matches!(
            c.status,
            GuardrailStatus::Breached | GuardrailStatus::Failed
        )
    });
    let all_hold = guardrails
        .iter()
        .all(|c| c.status == GuardrailStatus::Holds);
    let outcome = if worse || harmed {
        Outcome::DontShip
    } else if better && all_hold {
        Outcome::Ship
    } else {
        Outcome::KeepRunning
    };
    Decision {
        primary: primary.to_string(),
        outcome,
        reasons,
        guardrails,
        guardrail_power: power_needed,
        // Written by `analyze_metrics` only: the page's summary does not
        // show it, so its first download does not carry it.
        rule: String::new(),
    }
}

/// Every arm but the control against the control, in the report's order
/// (the treatment first), with its decision: `decisions` holds one per
/// arm, as [`MetricsReport::arms`] gives them.
pub fn every_arm(
    report: &Report,
    decisions: &[(String, Outcome)],
    variant_column: Option<&str>,
) -> Vec<Arm> {
    let Some(result) = report.primary_result() else {
        return Vec::new();
    };
    result
        .variants
        .iter()
        .filter_map(|v| {
            let vs = v.vs_control.as_ref()?;
            let outcome = decisions
                .iter()
                .find(|(n, _)| *n == v.name)
                .map_or(Outcome::KeepRunning, |(_, o)| *o);
            Some(Arm {
                name: v.name.clone(),
                label: arm_label(&v.name, variant_column),
                relative: vs.relative,
                relative_ci: vs.relative_ci,
                significant: vs.significant,
                outcome,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse_experiment;
    use crate::scenario::{Guardrail, MetricChoices};

    /// The decision on an aggregated file: `buy` is the primary metric,
    /// `stay` carries a guardrail with a 1% margin.
    fn decision(buy: (u64, u64), stay: (u64, u64), users: u64) -> Decision {
        let text = format!(
            "variant,users,buy,stay\ncontrol,{users},{},{}\nnew,{users},{},{}\n",
            buy.0, stay.0, buy.1, stay.1
        );
        let Ok(e) = parse_experiment(&text) else {
            panic!("the file reads")
        };
        let mut s = Scenario::demo();
        s.analysis.metrics = MetricChoices {
            primary: Some("buy".into()),
            guardrails: vec![Guardrail {
                metric: "stay".into(),
                margin: 0.01,
            }],
            ratios: Vec::new(),
            ..MetricChoices::default()
        }
        .into();
        match analyze_metrics(&s, &e).map(|m| m.decision) {
            Ok(Some(d)) => d,
            other => panic!("no decision: {other:?}"),
        }
    }

    #[test]
    fn each_outcome_follows_the_rule() {
        let n = 200_000;
        // Buying up 20% (clear), staying unchanged on a large sample: holds.
        let d = decision((10_000, 12_000), (100_000, 100_000), n);
        assert_eq!(d.outcome, Outcome::Ship, "{:?}", d.reasons);
        assert_eq!(d.guardrails[0].status, GuardrailStatus::Holds);
        // Buying unchanged: keep running, whatever the guardrail.
        let d = decision((10_000, 10_050), (100_000, 100_000), n);
        assert_eq!(d.outcome, Outcome::KeepRunning, "{:?}", d.reasons);
        // Staying down 5% (well past the 1% margin): breached, don't ship.
        let d = decision((10_000, 12_000), (100_000, 95_000), n);
        assert_eq!(d.guardrails[0].status, GuardrailStatus::Breached);
        assert_eq!(d.outcome, Outcome::DontShip);
        // Staying down exactly 1% with ample power: not shown although it
        // could have been, so it counts as a failure.
        let d = decision((10_000, 12_000), (100_000, 99_000), n);
        assert_eq!(
            d.guardrails[0].status,
            GuardrailStatus::Failed,
            "{:?}",
            d.guardrails
        );
        assert_eq!(d.outcome, Outcome::DontShip);
        // The same on a small sample: not yet shown, keep running.
        let d = decision((100, 200), (1_000, 990), 2_000);
        assert_eq!(d.guardrails[0].status, GuardrailStatus::NotYetShown);
        assert_eq!(d.outcome, Outcome::KeepRunning);
        // One guardrail needs the whole 80% power.
        assert!((d.guardrail_power - 0.8).abs() < 1e-12);
    }

    /// Churn should fall: a fall of the primary metric ships, a rise of a
    /// guardrail on it breaches its margin ("may not rise by more than 1%"),
    /// and a `higher:` line turns the guess round.
    #[test]
    fn a_metric_that_should_fall_is_read_the_right_way_round() {
        let text =
            "variant,users,buy,churned\ncontrol,200000,10000,20000\nnew,200000,12000,21000\n";
        let Ok(e) = parse_experiment(text) else {
            panic!("the file reads")
        };
        let decide_with = |choices: MetricChoices| {
            let mut s = Scenario::demo();
            s.analysis.metrics = choices.into();
            match analyze_metrics(&s, &e).map(|m| m.decision) {
                Ok(Some(d)) => d,
                other => panic!("no decision: {other:?}"),
            }
        };
        // Churn up 5% against a 1% margin: breached.
        let d = decide_with(MetricChoices {
            primary: Some("buy".into()),
            guardrails: vec![Guardrail {
                metric: "churned".into(),
                margin: 0.01,
            }],
            ..MetricChoices::default()
        });
        assert_eq!(
            d.guardrails[0].status,
            GuardrailStatus::Breached,
            "{:?}",
            d.guardrails
        );
        assert_eq!(d.outcome, Outcome::DontShip);
        assert!(
            d.reasons[1].contains("churned rises by more than 1%"),
            "{:?}",
            d.reasons
        );
        // As the primary metric, churn's rise is worse: don't ship.
        let d = decide_with(MetricChoices {
            primary: Some("churned".into()),
            ..MetricChoices::default()
        });
        assert_eq!(d.outcome, Outcome::DontShip, "{:?}", d.reasons);
        assert!(d.reasons[0].contains("churned is worse"), "{:?}", d.reasons);
        // Told that churned is better when it rises, the same data ships.
        let d = decide_with(MetricChoices {
            primary: Some("churned".into()),
            higher_is_better: vec!["churned".into()],
            ..MetricChoices::default()
        });
        assert_eq!(d.outcome, Outcome::Ship, "{:?}", d.reasons);
        // Bayesian: the chance to beat control of a metric that should fall
        // is the chance that it fell.
        let mut s = Scenario::demo();
        s.analysis.method = crate::scenario::Method::Bayesian;
        let Ok(m) = analyze_metrics(&s, &e) else {
            panic!("analysed")
        };
        let Some(churn) = m.column_metrics.iter().find(|c| c.key == "churned") else {
            panic!("churned is a metric")
        };
        assert!(churn.lower_is_better);
        let Some(vs) = churn
            .result
            .variants
            .get(1)
            .and_then(|v| v.vs_control.as_ref())
        else {
            panic!("compared")
        };
        assert!(vs.relative.is_some_and(|r| r > 0.04), "{vs:?}");
        assert!(
            vs.chance_to_beat_control.is_some_and(|p| p < 0.01),
            "{vs:?}"
        );
        assert!(vs.expected_loss.is_some_and(|l| l > 0.04), "{vs:?}");
    }

    /// A primary metric whose control is below 0 (a profit per user): a
    /// rise is better although its relative lift is negative.
    #[test]
    fn a_rise_from_below_zero_is_better() {
        let text = "variant,users,profit,profit_sq\ncontrol,1000,-500,1000\nnew,1000,500,1000\n";
        let Ok(e) = parse_experiment(text) else {
            panic!("the file reads")
        };
        let mut s = Scenario::demo();
        s.analysis.metrics = MetricChoices {
            primary: Some("profit".into()),
            ..MetricChoices::default()
        }
        .into();
        let Ok(Some(d)) = analyze_metrics(&s, &e).map(|m| m.decision) else {
            panic!("a decision")
        };
        assert_eq!(d.outcome, Outcome::Ship, "{:?}", d.reasons);
    }

    #[test]
    fn a_guardrail_on_a_missing_metric_or_with_no_margin_says_why() {
        let text = "variant,users,buy\ncontrol,1000,100\nnew,1000,130\n";
        let Ok(e) = parse_experiment(text) else {
            panic!("the file reads")
        };
        let mut s = Scenario::demo();
        s.analysis.metrics = MetricChoices {
            primary: Some("buy".into()),
            guardrails: vec![
                Guardrail {
                    metric: "nothing".into(),
                    margin: 0.01,
                },
                Guardrail {
                    metric: "buy".into(),
                    margin: 0.0,
                },
            ],
            ratios: Vec::new(),
            ..MetricChoices::default()
        }
        .into();
        let Ok(Some(d)) = analyze_metrics(&s, &e).map(|m| m.decision) else {
            panic!("a decision")
        };
        assert!(d
            .guardrails
            .iter()
            .all(|g| g.status == GuardrailStatus::Unavailable));
        assert!(d.reasons[1].contains("not in the data"), "{:?}", d.reasons);
        assert!(d.reasons[2].contains("needs a margin"), "{:?}", d.reasons);
        assert_eq!(d.outcome, Outcome::KeepRunning);
    }
}

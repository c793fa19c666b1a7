//! Runs a [`Scenario`] through ingest, statistics, value and finance into one
//! [`Report`]: everything the web app shows and the CLI prints.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::comparison::{metric_result, MetricInput, MetricSpec};
pub use crate::comparison::{CupedInfo, Metric, MetricResult, MetricVariant, Posterior, VsControl};
use crate::finance::model::{
    InvestmentModel, MonthlyBenefits, NamedScenario, RoiDistribution, TornadoBar, UpliftEstimate,
};
use crate::finance::tei::{tei_from_cash_flow, tei_summary, TeiSummary};
use crate::finance::InvestmentSummary;
use crate::headline::{Headline, ValueBasis};
use crate::ingest::{DataShape, Experiment, IngestError, VariantStats};
use crate::metric_source::{metric_input, primary_key, primary_source, primary_stats, Source};
use crate::scenario::{Method, MetricPlan, Scenario, ScenarioError};
use crate::stats::cuped::CupedSums;
use crate::stats::{compare, sample_ratio_mismatch, FrequentistOptions, Srm};
use crate::units::{Money, Rate};
use crate::value::{average_order_value, clv_simple, relative_uplift};

/// Customer value of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantValue {
    pub name: String,
    pub users: u64,
    pub conversions: Option<u64>,
    pub average_order_value: Option<Money>,
    pub revenue_per_user: Money,
    /// AOV × purchases per year × gross margin × lifespan.
    pub clv: Money,
}

/// The full analysis of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub control: String,
    /// The variant whose uplift drives the investment case (the first non-control).
    pub treatment: String,
    pub confidence: f64,
    pub method: Method,
    pub shape: DataShape,
    pub rows: usize,
    /// Rows of a row-level file left out, and why (the first few).
    pub skipped_rows: usize,
    pub row_problems: Vec<String>,
    pub srm: Option<Srm>,
    pub metrics: BTreeMap<Metric, MetricResult>,
    /// Key of the metric the decision and the investment case rest on
    /// (the comparisons of metric columns and the decision itself are
    /// [`crate::decision::analyze_metrics`]).
    pub primary: Option<String>,
    /// The primary metric compared across variants, when it is a metric
    /// column or a ratio (a fixed one is in `metrics`).
    pub primary_metric: Option<MetricResult>,
    /// The control, every arm's decision, what the primary metric is worth
    /// and which inputs are assumed: what the summary says first.
    pub headline: Headline,
    pub value: Vec<VariantValue>,
    /// Incremental gross profit per month from rolling out the treatment.
    pub monthly_benefit: Money,
    pub investment: InvestmentSummary,
    pub roi: RoiReport,
    pub clv: ClvSection,
    /// The locale and currency the scenario asks numbers to be written in
    /// (echoed so a change of currency re-renders every figure).
    pub display: crate::scenario::Display,
}

/// Customer lifetime value, control vs treatment, two ways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvSection {
    /// AOV × purchases per year × gross margin × lifespan, per variant.
    pub simple: Vec<(String, Money)>,
    /// Treatment CLV / control CLV − 1 (simple formula).
    pub simple_uplift: Option<f64>,
    /// Retention-based CLV with discounting, without and with personalization.
    pub retention_control: Money,
    pub retention_variant: Money,
    pub retention_uplift: Option<f64>,
    /// Yearly churn (1 − retention) without and with personalization, and
    /// the relative churn reduction (churn before − after) / churn before.
    pub churn_control: Rate,
    pub churn_variant: Rate,
    pub churn_reduction: Option<Rate>,
}

impl Report {
    pub fn metric(&self, m: Metric) -> Option<&MetricResult> {
        self.metrics.get(&m)
    }

    /// The treatment's comparison with the control on a metric.
    pub fn treatment_vs_control(&self, m: Metric) -> Option<&VsControl> {
        self.metric(m)?
            .variants
            .iter()
            .find(|v| v.name == self.treatment)?
            .vs_control
            .as_ref()
    }

    /// The primary metric's comparison across variants.
    pub fn primary_result(&self) -> Option<&MetricResult> {
        let key = self.primary.as_deref()?;
        self.metrics
            .iter()
            .find(|(m, _)| m.key() == key)
            .map(|(_, r)| r)
            .or(self.primary_metric.as_ref())
    }

    /// The treatment's comparison with the control on the primary metric.
    pub fn primary_vs_control(&self) -> Option<&VsControl> {
        self.primary_result()?
            .variants
            .iter()
            .find(|v| v.name == self.treatment)?
            .vs_control
            .as_ref()
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Data(#[from] IngestError),
    #[error(transparent)]
    Inputs(#[from] ScenarioError),
    #[error("No variant is called '{name}'. Variants in the data: {available}.")]
    UnknownControl { name: String, available: String },
}

/// Analyse a scenario end to end: read its data
/// ([`Scenario::experiment`]), then [`analyze_experiment`].
pub fn analyze(scenario: &Scenario) -> Result<Report, AnalysisError> {
    scenario.validate()?;
    let experiment = scenario.experiment()?;
    analyze_experiment(scenario, &experiment)
}

/// Analyse a scenario whose data has already been read into `experiment`
/// (the result of [`Scenario::experiment`]: `scenario.data` read with
/// `scenario.columns`). Reading is most of the work for a large paste, so
/// a caller that keeps the parsed experiment recomputes a cost or
/// assumption edit without reading the data again. `scenario.data` itself
/// is not looked at.
pub fn analyze_experiment(
    scenario: &Scenario,
    experiment: &Experiment,
) -> Result<Report, AnalysisError> {
    scenario.validate()?;
    let ordered = ordered_variants(scenario, experiment)?;
    let variants = &experiment.variants;
    let (Some(&control), Some(&treatment)) = (ordered.first(), ordered.get(1)) else {
        return Err(AnalysisError::Data(IngestError::Empty));
    };
    let mut metrics = BTreeMap::new();
    let conf = scenario.confidence;
    let all = |f: &dyn Fn(&VariantStats) -> bool| ordered.iter().all(|v| f(v));
    let cuped = all(&|v| {
        v.revenue_sq.is_some()
            && v.pre_revenue.is_some()
            && v.pre_revenue_sq.is_some()
            && v.revenue_x_pre.is_some()
    });
    for (metric, present) in [
        (Metric::ConversionRate, all(&|v| v.conversions.is_some())),
        (Metric::RevenuePerUser, all(&|v| v.revenue.is_some())),
        (
            Metric::AverageOrderValue,
            all(&|v| v.revenue.is_some() && v.orders.is_some_and(|o| o > 0)),
        ),
        (
            Metric::ClickThroughRate,
            all(&|v| v.clicks.is_some() && v.impressions.is_some_and(|i| i > 0)),
        ),
    ] {
        if !present {
            continue;
        }
        let stats_for = |v: &VariantStats| {
            let (input, ci) = metric_input(Source::Fixed(metric), v, conf);
            // Revenue per user with pre-period sums: CUPED.
            let input = match (input, metric == Metric::RevenuePerUser && cuped) {
                (Some(MetricInput::Plain(plain)), true) if !plain.variance.is_nan() => {
                    Some(MetricInput::Cuped(
                        CupedSums {
                            n: v.users,
                            post_sum: v.revenue.unwrap_or(0.0),
                            post_sum_sq: v.revenue_sq.unwrap_or(0.0),
                            pre_sum: v.pre_revenue.unwrap_or(0.0),
                            pre_sum_sq: v.pre_revenue_sq.unwrap_or(0.0),
                            post_pre_sum: v.revenue_x_pre.unwrap_or(0.0),
                        },
                        plain,
                    ))
                }
                (input, _) => input,
            };
            (input, ci)
        };
        // A capped metric is not the raw one: its tables and decision say so.
        let mut spec = metric.spec();
        if experiment.caps.iter().any(|c| c.metric == metric.key()) {
            spec.label = format!("Capped {}", spec.label.to_ascii_lowercase());
        }
        metrics.insert(metric, metric_result(&spec, &ordered, scenario, &stats_for));
    }

    let fixed: Vec<Metric> = metrics.keys().copied().collect();
    let plan = &scenario.analysis.metrics;
    let primary = primary_key(plan, &fixed, experiment);
    let primary_metric = primary.as_deref().and_then(|key| {
        let src = primary_source(key, experiment, plan)?;
        if let Source::Fixed(_) = src {
            return None;
        }
        let spec = MetricSpec {
            label: key.to_string(),
            missing_variance: "Add its sums of squares to get an interval.",
            beta: false,
            lower_is_better: plan.lower_is_better(key),
        };
        Some(metric_result(&spec, &ordered, scenario, &|v| {
            metric_input(src, v, conf)
        }))
    });

    let value: Vec<VariantValue> = ordered.iter().map(|v| variant_value(v, scenario)).collect();
    let basis = value_basis(
        control,
        primary.as_deref(),
        scenario.assumptions.metric_value.is_some(),
    );
    let headline = headline(
        scenario,
        experiment,
        &ordered,
        (&metrics, primary.as_deref(), primary_metric.as_ref()),
        basis,
    );
    let model = investment_model(control, treatment, scenario, experiment, primary.as_deref());
    let investment = model.summary_at(model.uplift.mean);
    let monthly_benefit = model.expected_benefits().total();
    let roi = roi_report(&model, &investment, scenario);
    let clv = clv_section(&value, control, treatment, scenario);
    // The expected split is given in file order; the SRM test reads it so.
    let users: Vec<u64> = variants.iter().map(|v| v.users).collect();

    Ok(Report {
        control: control.name.clone(),
        treatment: treatment.name.clone(),
        confidence: scenario.confidence,
        method: scenario.analysis.method,
        shape: experiment.shape,
        rows: experiment.rows,
        skipped_rows: experiment.skipped,
        row_problems: experiment
            .problems
            .iter()
            .map(ToString::to_string)
            .collect(),
        srm: sample_ratio_mismatch(&users, &scenario.analysis.expected_split),
        metrics,
        primary,
        primary_metric,
        headline,
        value,
        monthly_benefit,
        investment,
        roi,
        clv,
        display: scenario.display.clone(),
    })
}

/// The treatment's decision on the primary metric alone (`primary`: the fixed
/// metrics, the primary key, and the primary metric when it is a column),
/// the arms as sentences name them, and where the value of the primary
/// metric comes from. Every other arm's decision is
/// [`crate::decision::analyze_metrics`]'s, which the page downloads only
/// for data with more arms.
fn headline(
    scenario: &Scenario,
    experiment: &Experiment,
    ordered: &[&VariantStats],
    primary: (
        &BTreeMap<Metric, MetricResult>,
        Option<&str>,
        Option<&MetricResult>,
    ),
    value: ValueBasis,
) -> Headline {
    let (fixed, key, column) = primary;
    let fixed_result = fixed.iter().find(|(m, _)| Some(m.key()) == key);
    let result = fixed_result.map(|(_, r)| r).or(column);
    // "Revenue per user" reads "revenue per user is higher"; a column's
    // header is kept as written.
    let metric = match fixed_result {
        Some((m, _)) => m.label().to_ascii_lowercase(),
        None => key.unwrap_or_default().to_string(),
    };
    // A capped metric is not the raw one: the verdict says so.
    let metric = if experiment
        .caps
        .iter()
        .any(|c| Some(c.metric.as_str()) == key)
    {
        format!("capped {metric}")
    } else {
        metric
    };
    let column_name = experiment.variant_column.as_deref();
    let label = |v: Option<&&VariantStats>| {
        v.map_or(String::new(), |v| {
            crate::headline::arm_label(&v.name, column_name)
        })
    };
    let decision = match (ordered.get(1), key) {
        (Some(treatment), Some(_)) => {
            let vs = result
                .and_then(|r| r.variants.iter().find(|v| v.name == treatment.name))
                .and_then(|v| v.vs_control.as_ref());
            let name = result.map_or(metric.as_str(), |r| r.label.as_str());
            Some(crate::headline::primary_decision(scenario, name, vs))
        }
        _ => None,
    };
    Headline {
        control_assumed: scenario.control.is_none()
            && crate::headline::guess_control(experiment.variants.iter().map(|v| v.name.as_str()))
                .is_none(),
        control_label: label(ordered.first()),
        treatment_label: label(ordered.get(1)),
        metric,
        decision,
        guardrails: scenario.analysis.metrics.has_guardrails(),
        value,
        assumed: crate::headline::assumed_inputs(scenario, value),
        demo: crate::ingest::parse_experiment(crate::scenario::DEMO_DATA)
            .is_ok_and(|demo| demo.variants == experiment.variants),
    }
}

/// The variants with the control first, then the others in file order.
pub(crate) fn ordered_variants<'a>(
    scenario: &Scenario,
    experiment: &'a Experiment,
) -> Result<Vec<&'a VariantStats>, AnalysisError> {
    let variants = &experiment.variants;
    let control_idx = match &scenario.control {
        Some(name) => variants
            .iter()
            .position(|v| &v.name == name)
            .ok_or_else(|| AnalysisError::UnknownControl {
                name: name.clone(),
                available: variants
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?,
        None => {
            crate::headline::guess_control(variants.iter().map(|v| v.name.as_str())).unwrap_or(0)
        }
    };
    // parse_experiment guarantees at least two variants.
    let Some(control) = variants.get(control_idx) else {
        return Err(AnalysisError::Data(IngestError::Empty));
    };
    // The chosen treatment comes right after the control; the other arms
    // keep their file order.
    let treatment_idx = scenario
        .treatment
        .as_ref()
        .and_then(|name| variants.iter().position(|v| &v.name == name))
        .filter(|&i| i != control_idx);
    let rest = variants
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != control_idx && Some(i) != treatment_idx)
        .map(|(_, v)| v);
    let ordered: Vec<&'a VariantStats> = std::iter::once(control)
        .chain(treatment_idx.and_then(|i| variants.get(i)))
        .chain(rest)
        .collect();
    if ordered.len() < 2 {
        return Err(AnalysisError::Data(IngestError::Empty));
    }
    Ok(ordered)
}

fn clv_section(
    value: &[VariantValue],
    control: &VariantStats,
    treatment: &VariantStats,
    scenario: &Scenario,
) -> ClvSection {
    let of = |name: &str| value.iter().find(|v| v.name == name).map(|v| v.clv);
    let r = &scenario.investment.retention;
    let retention = |rate| {
        crate::finance::model::clv_retention(
            r.margin_per_customer_per_year,
            rate,
            scenario.investment.discount_rate,
            r.years,
        )
    };
    let (rc, rv) = (
        retention(r.retention_control),
        retention(r.retention_variant),
    );
    ClvSection {
        simple: value.iter().map(|v| (v.name.clone(), v.clv)).collect(),
        simple_uplift: match (of(&control.name), of(&treatment.name)) {
            (Some(c), Some(t)) => relative_uplift(c.0, t.0).map(|x| x.0),
            _ => None,
        },
        retention_control: rc,
        retention_variant: rv,
        retention_uplift: relative_uplift(rc.0, rv.0).map(|x| x.0),
        churn_control: Rate(1.0 - r.retention_control.0),
        churn_variant: Rate(1.0 - r.retention_variant.0),
        churn_reduction: crate::value::churn_reduction(
            Rate(1.0 - r.retention_control.0),
            Rate(1.0 - r.retention_variant.0),
        ),
    }
}

/// The treatment's relative uplift on the primary metric over the control,
/// with its delta-method standard error (the Welch test of
/// [`crate::stats::compare`]); without a variance only the point estimate,
/// with a standard error of 0. The gain the investment case values: for a
/// metric that should fall (tickets, churn) its fall, so the sign turns.
pub(crate) fn primary_uplift(
    control: &VariantStats,
    treatment: &VariantStats,
    experiment: &Experiment,
    primary: Option<&str>,
    plan: &MetricPlan,
    confidence: f64,
) -> UpliftEstimate {
    let stats = |v: &VariantStats| primary.and_then(|k| primary_stats(k, v, experiment, plan));
    let (stats_c, stats_t) = (stats(control), stats(treatment));
    let options = FrequentistOptions {
        confidence,
        ..FrequentistOptions::default()
    };
    let u = match (stats_c, stats_t) {
        (Some(c), Some(t)) => compare(&c, &t, &options).ok().map(|cmp| UpliftEstimate {
            mean: cmp.estimate,
            std_error: cmp.std_error,
        }),
        _ => None,
    }
    .unwrap_or(UpliftEstimate {
        // Without a variance only the point estimate is known.
        mean: match (stats_c, stats_t) {
            (Some(c), Some(t)) => relative_uplift(c.mean, t.mean).map_or(0.0, |r| r.0),
            _ => 0.0,
        },
        std_error: 0.0,
    });
    if primary.is_some_and(|p| plan.lower_is_better(p)) {
        UpliftEstimate { mean: -u.mean, ..u }
    } else {
        u
    }
}

/// What the investment case rests on: the treatment's relative uplift on
/// the primary metric (its standard error from the same delta-method
/// test), applied to the control's value per user ([`value_basis`]):
/// revenue per user when the data has revenue, else the conversion rate at
/// the order value in the inputs, else the primary metric's mean at the
/// value of one unit the user typed (nothing until then).
fn investment_model(
    control: &VariantStats,
    treatment: &VariantStats,
    scenario: &Scenario,
    experiment: &Experiment,
    primary: Option<&str>,
) -> InvestmentModel {
    let a = &scenario.assumptions;
    let aov = a.average_order_value.0;
    let plan = &scenario.analysis.metrics;
    let stats = |v: &VariantStats| primary.and_then(|k| primary_stats(k, v, experiment, plan));
    let basis = value_basis(control, primary, a.metric_value.is_some());
    let value_per_user = |v: &VariantStats| -> f64 {
        let users = v.users as f64;
        match (basis, v.revenue, v.conversions) {
            (ValueBasis::Revenue, Some(r), _) => r / users,
            (ValueBasis::OrderValue, _, Some(c)) => c as f64 / users * aov,
            (ValueBasis::Typed, ..) => {
                stats(v).map_or(0.0, |s| s.mean) * a.metric_value.map_or(0.0, |m| m.0)
            }
            _ => 0.0,
        }
    };
    let value_c = value_per_user(control);
    let inv = &scenario.investment;
    // A difference-in-differences estimate chosen in the investment case
    // (quasi-experimental) takes the experiment's place.
    let uplift = if inv.did_uplift_se > 0.0 {
        UpliftEstimate {
            mean: inv.did_uplift,
            std_error: inv.did_uplift_se,
        }
    } else {
        primary_uplift(
            control,
            treatment,
            experiment,
            primary,
            &scenario.analysis.metrics,
            scenario.confidence,
        )
    };
    InvestmentModel {
        horizon_months: a.horizon_months,
        costs: scenario.costs.clone(),
        inputs: scenario.investment,
        profit_per_unit_uplift: Money(a.monthly_users * value_c * a.gross_margin.0),
        monthly_users: a.monthly_users,
        uplift,
        gross_margin: a.gross_margin,
    }
}

/// Where the control's value per user comes from: revenue in the data;
/// else conversions at an order value when the primary metric is the
/// conversion rate (a purchase); else the value of one unit of the primary
/// metric, which only the user can say (`typed`).
fn value_basis(control: &VariantStats, primary: Option<&str>, typed: bool) -> ValueBasis {
    if control.revenue.is_some() {
        ValueBasis::Revenue
    } else if control.conversions.is_some() && primary == Some(Metric::ConversionRate.key()) {
        ValueBasis::OrderValue
    } else if typed {
        ValueBasis::Typed
    } else {
        ValueBasis::Needed
    }
}

/// Percentiles of the simulated ROI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoiPercentiles {
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

/// The investment case as the budget owner reads it (the CLI's `roi` object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoiReport {
    pub total_cost: Money,
    pub total_benefit: Money,
    pub net_profit: Money,
    pub roi_percent: Option<f64>,
    pub payback_month: Option<u32>,
    pub npv: Money,
    /// Annual IRR as a percentage.
    pub irr: Option<f64>,
    /// The smallest relative uplift for which ROI ≥ 0.
    pub break_even_relative_uplift: Option<f64>,
    /// From the simulation.
    pub probability_roi_positive: Option<f64>,
    pub roi_percentiles: Option<RoiPercentiles>,
    /// The relative uplift the benefit rests on, and its standard error.
    pub uplift: UpliftEstimate,
    pub benefits_per_month: MonthlyBenefits,
    pub distribution: Option<RoiDistribution>,
    pub tornado: Vec<TornadoBar>,
    pub scenarios: Vec<NamedScenario>,
    /// The same cash flow in Forrester TEI form (yearly, Initial undiscounted).
    pub tei: TeiSummary,
    /// Annual discount rate used for NPV and the TEI present values.
    pub discount_rate: f64,
    /// The headline figures follow Forrester TEI's conventions.
    pub tei_mode: bool,
    /// The uplift is a difference-in-differences estimate (a launch
    /// without a control group), not the experiment's.
    #[serde(default)]
    pub quasi_experimental: bool,
}

fn roi_report(model: &InvestmentModel, s: &InvestmentSummary, scenario: &Scenario) -> RoiReport {
    let distribution = model.simulate();
    let tei = tei_summary(&tei_from_cash_flow(
        s,
        &model.costs,
        model.inputs.discount_rate,
    ));
    RoiReport {
        total_cost: s.total_cost,
        total_benefit: s.total_benefit,
        net_profit: s.net_profit,
        roi_percent: s.roi.map(|r| r.percent()),
        payback_month: s.payback_month,
        npv: s.npv,
        irr: s.irr.map(|r| r.percent()),
        break_even_relative_uplift: model.break_even_uplift(),
        probability_roi_positive: distribution.as_ref().map(|d| d.probability_positive),
        roi_percentiles: distribution.as_ref().map(|d| RoiPercentiles {
            p5: d.p5 * 100.0,
            p50: d.p50 * 100.0,
            p95: d.p95 * 100.0,
        }),
        uplift: model.uplift,
        benefits_per_month: model.expected_benefits(),
        distribution,
        tornado: model.tornado(),
        scenarios: model.named_scenarios(scenario.confidence),
        tei,
        discount_rate: model.inputs.discount_rate,
        tei_mode: model.inputs.tei_mode,
        quasi_experimental: model.inputs.did_uplift_se > 0.0,
    }
}

fn variant_value(v: &VariantStats, scenario: &Scenario) -> VariantValue {
    let a = &scenario.assumptions;
    let users = v.users as f64;
    let orders = v.orders.or(v.conversions);
    let aov = match (v.revenue, orders) {
        (Some(r), Some(o)) => average_order_value(Money(r), o),
        _ => None,
    };
    let revenue_per_user = match v.revenue {
        Some(r) => Money(r / users),
        // No revenue column: conversions × the assumed order value.
        None => Money(v.conversions.unwrap_or(0) as f64 / users * a.average_order_value.0),
    };
    let clv = clv_simple(
        aov.unwrap_or(a.average_order_value),
        a.purchases_per_year,
        a.gross_margin,
        a.lifespan_years,
    );
    VariantValue {
        name: v.name.clone(),
        users: v.users,
        conversions: v.conversions,
        average_order_value: aov,
        revenue_per_user,
        clv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::units::Rate;

    fn demo_report() -> Report {
        match analyze(&Scenario::demo()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    /// The page keeps the parsed experiment and analyses it again after each
    /// cost edit: that must give exactly the report of reading it anew, and
    /// must not read `scenario.data` again.
    #[test]
    fn analysing_a_parsed_experiment_equals_analysing_the_scenario() {
        for sample in crate::samples::Sample::ALL {
            let mut s = Scenario::demo();
            s.data = sample.csv();
            s.assumptions.monthly_users *= 3.0;
            let experiment = match s.experiment() {
                Ok(e) => e,
                Err(e) => panic!("{e}"),
            };
            let whole = analyze(&s).map(|r| serde_json::to_string(&r).ok());
            s.data = "not,the,data\n".into();
            let kept = analyze_experiment(&s, &experiment).map(|r| serde_json::to_string(&r).ok());
            assert!(matches!(&whole, Ok(Some(_))));
            assert_eq!(whole, kept);
        }
        // Invalid inputs are still refused before the data is used.
        let mut s = Scenario::demo();
        s.confidence = 2.0;
        let experiment = s.experiment();
        assert!(matches!(
            experiment.map(|e| analyze_experiment(&s, &e)),
            Ok(Err(AnalysisError::Inputs(_)))
        ));
    }

    #[test]
    fn demo_has_conversion_and_revenue_metrics() {
        let r = demo_report();
        assert_eq!(r.control, "control");
        assert_eq!(r.treatment, "personalized");
        let Some(cr) = r.metric(Metric::ConversionRate) else {
            panic!()
        };
        assert_eq!(cr.variants.len(), 2);
        assert!((cr.variants[0].value - 0.02).abs() < 1e-12);
        assert!(cr.variants[0].vs_control.is_none());
        let Some(vs) = &cr.variants[1].vs_control else {
            panic!()
        };
        assert!(vs.relative.is_some_and(|x| (x - 0.3).abs() < 1e-12));
        assert!(vs.significant);
        assert!(r.metric(Metric::RevenuePerUser).is_some());
    }

    #[test]
    fn demo_investment_case() {
        let r = demo_report();
        // RPU 41280/24000 = 1.72 vs 56440/24000 = 2.351666…; × 100,000 users × 40% margin.
        let expected = 100_000.0 * (56_440.0 - 41_280.0) / 24_000.0 * 0.4;
        assert!((r.monthly_benefit.0 - expected).abs() < 1e-6);
        // 4,000 + 2,500 monthly for 12 months, plus 30,000 + 6,000 once.
        assert!((r.investment.total_cost.0 - 114_000.0).abs() < 1e-9);
        assert_eq!(r.investment.payback_month, Some(2));
        let roi = r.investment.roi.map(Rate::percent).unwrap_or(f64::NAN);
        let want = (expected * 12.0 - 114_000.0) / 114_000.0 * 100.0;
        assert!((roi - want).abs() < 1e-9, "{roi} vs {want}");
    }

    #[test]
    fn bayesian_posterior_matches_its_interval_and_chance() {
        let mut s = Scenario::demo();
        s.analysis.method = Method::Bayesian;
        let r = match analyze(&s) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let Some(vs) = r.treatment_vs_control(Metric::ConversionRate) else {
            panic!("no comparison")
        };
        let (Some(p), Some(ci), Some(chance)) =
            (vs.posterior, vs.relative_ci, vs.chance_to_beat_control)
        else {
            panic!("{vs:?}")
        };
        // The 95% credible interval is mean ± 1.959964 sd of this posterior.
        assert!((p.mean - (ci.low + ci.high) / 2.0).abs() < 1e-12);
        assert!((p.std_dev * 2.0 * 1.959_963_985 - (ci.high - ci.low)).abs() < 1e-8);
        // The density integrates to 1, and its mass above 0 is the chance to beat control.
        let step = p.std_dev / 200.0;
        let mass = |from: f64| {
            (0..4000)
                .map(|i| p.density(from + (f64::from(i) + 0.5) * step) * step)
                .sum::<f64>()
        };
        assert!((mass(p.mean - 10.0 * p.std_dev) - 1.0).abs() < 1e-6);
        assert!(
            (mass(0.0) - chance).abs() < 1e-6,
            "{} vs {chance}",
            mass(0.0)
        );
        // Frequentist reports carry no posterior.
        assert!(demo_report()
            .treatment_vs_control(Metric::ConversionRate)
            .is_some_and(|vs| vs.posterior.is_none()));
    }

    #[test]
    fn demo_clv_uses_measured_aov() {
        let r = demo_report();
        // control AOV 41280/516 = 80; CLV = 80 × 3 × 0.4 × 2 = 192
        assert!((r.value[0].clv.0 - 192.0).abs() < 1e-9, "{:?}", r.value[0]);
    }

    #[test]
    fn control_can_be_chosen_and_unknown_control_is_explained() {
        let mut s = Scenario::demo();
        s.control = Some("personalized".into());
        let r = analyze(&s);
        assert!(r.is_ok_and(|r| r.control == "personalized" && r.treatment == "control"));
        s.control = Some("nope".into());
        assert!(matches!(
            analyze(&s),
            Err(AnalysisError::UnknownControl { .. })
        ));
    }

    #[test]
    fn zero_conversion_control_gives_a_note_not_nan() {
        let mut s = Scenario::demo();
        s.data = "variant,users,conversions\nA,100,0\nB,100,3\n".into();
        let r = match analyze(&s) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let vs = r
            .metric(Metric::ConversionRate)
            .and_then(|m| m.variants.get(1))
            .and_then(|v| v.vs_control.clone());
        let Some(vs) = vs else { panic!() };
        assert!(vs.note.is_some_and(|n| n.contains("zero")));
        assert_eq!(vs.relative, None);
    }

    #[test]
    fn several_variants_adjusted_interval_agrees_with_adjusted_p() {
        let mut s = Scenario::demo();
        s.data = "variant,users,conversions\nA,20000,400\nB,20100,470\nC,19950,415\n".into();
        let r = match analyze(&s) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let Some(m) = r.metric(Metric::ConversionRate) else {
            panic!()
        };
        for v in &m.variants[1..] {
            let Some(vs) = &v.vs_control else { panic!() };
            let (Some(p), Some(p_adj), Some(ci)) =
                (vs.p_value, vs.p_value_adjusted, vs.relative_ci)
            else {
                panic!("{vs:?}")
            };
            assert!(p_adj >= p);
            assert_eq!(ci.excludes_zero(), p_adj < 0.05, "{}: {vs:?}", v.name);
            assert_eq!(vs.significant, p_adj < 0.05);
        }
        // B's raw p (≈0.03) is below 0.05 but its Holm-adjusted p is not.
        let b = m.variants[1].vs_control.clone();
        assert!(b.is_some_and(|b| b.p_value < Some(0.05) && !b.significant));
    }

    /// Row-level data with pre-period revenue, orders, clicks and impressions
    /// brings CUPED, an AOV interval and CTR.
    #[test]
    fn row_level_enables_cuped_aov_and_ctr() {
        let mut csv = String::from("variant,orders,revenue,pre_revenue,clicks,impressions\n");
        for i in 0..400u32 {
            let (name, lift) = if i % 2 == 0 { ("A", 0.0) } else { ("B", 3.0) };
            let pre = f64::from(i % 17) * 4.0;
            let orders = i % 3;
            let revenue = if orders == 0 {
                0.0
            } else {
                pre + lift + f64::from(i % 5)
            };
            csv.push_str(&format!(
                "{name},{orders},{revenue},{pre},{},{}\n",
                (i / 2) % 2,
                3 + i % 4
            ));
        }
        let mut s = Scenario::demo();
        s.data = csv;
        let r = match analyze(&s) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let rpu = r.treatment_vs_control(Metric::RevenuePerUser);
        let Some(info) = rpu.and_then(|v| v.cuped) else {
            panic!("{rpu:?}")
        };
        assert!(
            info.variance_reduction > 0.0 && info.variance_reduction < 1.0,
            "{info:?}"
        );
        let aov = r.treatment_vs_control(Metric::AverageOrderValue);
        assert!(aov.is_some_and(|v| v.relative_ci.is_some()), "{aov:?}");
        let ctr = r.treatment_vs_control(Metric::ClickThroughRate);
        assert!(ctr.is_some_and(|v| v.p_value.is_some()), "{ctr:?}");
    }

    /// A difference-in-differences uplift chosen in the investment case
    /// replaces the experiment's, with its error in the simulation, and
    /// the report says the case is quasi-experimental.
    #[test]
    fn a_did_uplift_takes_the_experiments_place() {
        let base = demo_report();
        assert!(!base.roi.quasi_experimental);
        let mut s = Scenario::demo();
        s.investment.did_uplift = 0.05;
        s.investment.did_uplift_se = 0.04;
        let Ok(r) = analyze(&s) else {
            panic!("analyses")
        };
        assert_eq!(r.roi.uplift.mean, 0.05);
        assert_eq!(r.roi.uplift.std_error, 0.04);
        assert!(r.roi.quasi_experimental);
        // The same control value per user: the benefit scales with the uplift.
        let ratio = r.roi.benefits_per_month.uplift.0 / base.roi.benefits_per_month.uplift.0;
        assert!(
            (ratio - 0.05 / base.roi.uplift.mean).abs() < 1e-12,
            "{ratio}"
        );
        assert!(r.roi.probability_roi_positive < base.roi.probability_roi_positive);
        s.investment.did_uplift_se = -0.01;
        assert!(analyze(&s).is_err(), "a negative error is refused");
    }

    #[test]
    fn report_serialises_to_json() {
        let json = serde_json::to_string(&demo_report()).unwrap_or_default();
        assert!(json.contains("\"conversion_rate\":{\"label\""), "{json}");
        assert!(json.contains("\"payback_month\":2"));
    }
}

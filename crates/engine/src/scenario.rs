//! The one description of a user's inputs: experiment data, costs and
//! business assumptions. The web app edits it, the URL fragment, JSON file and
//! local storage hold it, and the CLI reads it. It is versioned so that a
//! saved scenario keeps loading when the format grows.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::finance::model::InvestmentInputs;
use crate::finance::{CostCategory, CostItem, Frequency};
use crate::ingest::{
    parse_experiment_capped, parse_experiment_known_caps, CapSpec, Experiment, IngestError, Tail,
};
use crate::stats::bayesian::Prior;
use crate::stats::nps::NpsInterval;
use crate::stats::IntervalKind;
use crate::units::{Money, Rate};

/// The format version this build writes. Older versions are migrated on load.
pub const SCENARIO_VERSION: u32 = 3;

/// How numbers and money are written on screen: a locale for digit grouping
/// and decimal marks, and the currency the amounts are in. Part of the
/// scenario so a shared link shows the same currency. (Version 2.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Display {
    /// BCP 47 tag such as `en-US`, `de-DE` or `en-IN`.
    pub locale: String,
    /// ISO 4217 code such as `USD`, `EUR` or `INR`.
    pub currency: String,
}

impl Default for Display {
    fn default() -> Display {
        Display {
            locale: "en-US".into(),
            currency: "USD".into(),
        }
    }
}

/// Longest horizon the calculator accepts (ten years).
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// The most cost lines a scenario holds: enough for any programme's budget
/// lines, few enough that a link or file cannot bury the page in them.
pub const MAX_COST_LINES: usize = 500;

/// Business assumptions that turn experiment results into money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assumptions {
    /// Users per month the winning experience would reach after roll-out.
    pub monthly_users: f64,
    /// Gross margin on revenue, as a fraction (0.4 = 40%).
    pub gross_margin: Rate,
    /// Months over which costs and benefits are counted.
    pub horizon_months: u32,
    /// Purchases per customer per year, for simple CLV.
    pub purchases_per_year: f64,
    /// Years a customer stays, for simple CLV.
    pub lifespan_years: f64,
    /// Order value to assume when the data has no revenue column.
    pub average_order_value: Money,
    /// What one unit of the primary metric is worth (one "yes" of a
    /// survey, one thousand of `SalesInThousands`), when the data has no
    /// revenue and the primary metric is not a purchase: typed by the user,
    /// never assumed. `None` until given; the investment case waits for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric_value: Option<Money>,
    /// What is reached each month: users (when empty), stores, store-weeks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reach_unit: String,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            monthly_users: 100_000.0,
            gross_margin: Rate(0.4),
            horizon_months: 12,
            purchases_per_year: 3.0,
            lifespan_years: 2.0,
            average_order_value: Money(80.0),
            metric_value: None,
            reach_unit: String::new(),
        }
    }
}

/// How the experiment is analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Method {
    /// Fixed-horizon confidence intervals and p-values.
    #[default]
    Frequentist,
    /// Chance to beat control and expected loss.
    Bayesian,
    /// Always-valid intervals and p-values, safe to look at every day.
    Sequential,
}

crate::named::named_enum!(Method {
    Frequentist => "frequentist",
    Bayesian => "bayesian",
    Sequential => "sequential",
});

/// Correction of p-values when several variants are compared with the control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Correction {
    #[default]
    Holm,
    BenjaminiHochberg,
    None,
}

crate::named::named_enum!(Correction {
    Holm => "holm",
    BenjaminiHochberg => "benjamini_hochberg",
    None => "none",
});

/// Statistical settings; every field has a default so older scenarios load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisSettings {
    pub method: Method,
    pub interval: IntervalKind,
    pub prior: Prior,
    pub correction: Correction,
    /// Planned share of users per variant, in file order; empty means equal.
    pub expected_split: Vec<f64>,
    /// Tuning parameter τ of the sequential test (gbstats' default 5000).
    pub sequential_tuning: f64,
    /// Which metric the decision and the ROI rest on, which must not get
    /// worse, and ratios of two columns.
    #[serde(skip_serializing_if = "MetricPlan::is_empty")]
    pub metrics: MetricPlan,
}

/// The user's choice of metrics, as it is stored: one text of lines, e.g.
/// `"primary: retention_7\nguardrail: retention_1 1%\nratio: rounds per player = sum_gamerounds / retention_1\nsegment: channel"`.
/// Easy to read and edit in a scenario file, and read and written through
/// serde's one `String` code, which keeps the web page's download small;
/// [`MetricPlan::choices`] reads it into [`MetricChoices`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MetricPlan {
    text: String,
}

/// The user's choice of metrics. Keys name a metric: a fixed one
/// (`conversion_rate`, `revenue_per_user`, `average_order_value`,
/// `click_through_rate`), a metric column by its header, or a ratio by its name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricChoices {
    /// The one metric the decision and the ROI rest on; `None` picks
    /// revenue per user, else conversion rate, else a column named like a
    /// conversion or revenue, else the first metric column.
    pub primary: Option<String>,
    /// Metrics that must not get worse by more than their margin.
    pub guardrails: Vec<Guardrail>,
    /// Metrics made of two columns: Σ numerator / Σ denominator.
    pub ratios: Vec<RatioMetric>,
    /// The column the segment view splits by.
    pub segment: Option<String>,
    /// Columns of 0–10 answers compared as NPS although their headers do
    /// not say so (a header with "nps", "recommend" or "promoter" needs none).
    pub nps: Vec<String>,
    /// The interval NPS differences use.
    pub nps_interval: NpsInterval,
    /// Metrics that are better when they fall, or rise, against the guess
    /// from their names ([`guess_lower_is_better`]).
    pub lower_is_better: Vec<String>,
    pub higher_is_better: Vec<String>,
    /// Quantiles of numeric columns to compare: (column, level), e.g.
    /// ("order_value", 0.9) for p90.
    pub quantiles: Vec<(String, f64)>,
    /// Caps (and floors) on per-user values, applied before the sums.
    pub caps: Vec<CapSpec>,
}

/// Whether a metric's name says it should fall: churn, cost, tickets,
/// bounces, refunds, complaints, escalations, time to resolve, cancels,
/// unsubscribes, abandons, errors, latency.
pub fn guess_lower_is_better(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "churn",
        "cost",
        "ticket",
        "bounce",
        "refund",
        "complain",
        "escalat",
        "resolve",
        "cancel",
        "unsubscri",
        "abandon",
        "attrition",
        "error",
        "latency",
    ]
    .iter()
    .any(|w| k.contains(w))
}

impl MetricPlan {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The values of the lines `kind: value`.
    fn lines<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.text.lines().filter_map(move |line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == kind).then(|| v.trim())
        })
    }

    /// The segment column chosen, if any.
    pub fn segment(&self) -> Option<&str> {
        self.lines("segment").last()
    }

    /// Whether any guardrail was chosen (read or not).
    pub fn has_guardrails(&self) -> bool {
        self.lines("guardrail").next().is_some()
    }

    /// The primary metric's key, if one was chosen.
    pub fn primary(&self) -> Option<&str> {
        self.lines("primary").last()
    }

    /// Whether a metric is better when it falls: named in a `lower:` line,
    /// or guessed from its name and not named in a `higher:` line.
    pub fn lower_is_better(&self, key: &str) -> bool {
        let named = |kind| self.lines(kind).any(|k| k == key);
        named("lower") || !named("higher") && guess_lower_is_better(key)
    }

    /// The caps and floors of `cap:` and `floor:` lines that can be read.
    pub fn caps(&self) -> Vec<CapSpec> {
        let caps = self
            .lines("cap")
            .filter_map(|l| CapSpec::parse(Tail::Upper, l));
        let floors = self
            .lines("floor")
            .filter_map(|l| CapSpec::parse(Tail::Lower, l));
        caps.chain(floors).collect()
    }

    /// Whether the column is named in an `nps:` line.
    pub fn is_nps(&self, column: &str) -> bool {
        self.lines("nps").any(|c| c == column)
    }

    /// The ratio metric called `name`.
    pub fn ratio(&self, name: &str) -> Option<RatioMetric> {
        self.lines("ratio")
            .filter_map(parse_ratio)
            .find(|r| r.name == name)
    }

    /// Every choice, or the first line that cannot be read.
    pub fn choices(&self) -> Result<MetricChoices, String> {
        let mut c = MetricChoices::default();
        for line in self.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let bad = || format!("cannot read the metrics line \"{line}\"");
            let (kind, rest) = line.split_once(':').ok_or_else(bad)?;
            let rest = rest.trim();
            match kind.trim() {
                "primary" => c.primary = Some(rest.to_string()),
                "guardrail" => {
                    let (metric, margin) = rest.rsplit_once(' ').ok_or_else(bad)?;
                    let pct = margin
                        .strip_suffix('%')
                        .and_then(crate::decimal::parse_f64)
                        .ok_or_else(bad)?;
                    c.guardrails.push(Guardrail {
                        metric: metric.trim().to_string(),
                        margin: pct / 100.0,
                    });
                }
                "ratio" => c.ratios.push(parse_ratio(rest).ok_or_else(bad)?),
                "segment" => c.segment = Some(rest.to_string()),
                "nps" => c.nps.push(rest.to_string()),
                "lower" => c.lower_is_better.push(rest.to_string()),
                "higher" => c.higher_is_better.push(rest.to_string()),
                "quantile" => {
                    let (column, level) = rest.rsplit_once(' ').ok_or_else(bad)?;
                    let pct = level
                        .strip_suffix('%')
                        .and_then(crate::decimal::parse_f64)
                        .ok_or_else(bad)?;
                    c.quantiles.push((column.trim().to_string(), pct / 100.0));
                }
                "cap" => c
                    .caps
                    .push(CapSpec::parse(Tail::Upper, rest).ok_or_else(bad)?),
                "floor" => c
                    .caps
                    .push(CapSpec::parse(Tail::Lower, rest).ok_or_else(bad)?),
                "nps interval" => {
                    c.nps_interval = match rest {
                        "wald" => NpsInterval::Wald,
                        "adjusted wald" => NpsInterval::AdjustedWald,
                        _ => return Err(bad()),
                    }
                }
                _ => return Err(bad()),
            }
        }
        Ok(c)
    }
}

/// `name = numerator / denominator`; the denominator is after the last
/// " / ", so only a denominator's name may not contain one.
fn parse_ratio(text: &str) -> Option<RatioMetric> {
    let (name, parts) = text.split_once(" = ")?;
    let (numerator, denominator) = parts.rsplit_once(" / ")?;
    Some(RatioMetric {
        name: name.trim().to_string(),
        numerator: numerator.trim().to_string(),
        denominator: denominator.trim().to_string(),
    })
}

impl From<MetricChoices> for MetricPlan {
    fn from(c: MetricChoices) -> MetricPlan {
        let mut lines = Vec::new();
        if let Some(p) = &c.primary {
            lines.push(format!("primary: {p}"));
        }
        for g in &c.guardrails {
            // Shortest text that reads back exactly.
            lines.push(format!("guardrail: {} {}%", g.metric, g.margin * 100.0));
        }
        for r in &c.ratios {
            lines.push(format!(
                "ratio: {} = {} / {}",
                r.name, r.numerator, r.denominator
            ));
        }
        if let Some(col) = &c.segment {
            lines.push(format!("segment: {col}"));
        }
        for col in &c.nps {
            lines.push(format!("nps: {col}"));
        }
        if c.nps_interval == NpsInterval::AdjustedWald {
            lines.push("nps interval: adjusted wald".into());
        }
        for key in &c.lower_is_better {
            lines.push(format!("lower: {key}"));
        }
        for key in &c.higher_is_better {
            lines.push(format!("higher: {key}"));
        }
        for (column, level) in &c.quantiles {
            lines.push(format!("quantile: {column} {}%", level * 100.0));
        }
        for cap in &c.caps {
            let kind = match cap.tail {
                Tail::Upper => "cap",
                Tail::Lower => "floor",
            };
            lines.push(format!("{kind}: {}", cap.text()));
        }
        MetricPlan {
            text: lines.join("\n"),
        }
    }
}

/// "This metric may not drop by more than `margin`", e.g. 0.01: by at most
/// 1% of the control's value.
#[derive(Debug, Clone, PartialEq)]
pub struct Guardrail {
    pub metric: String,
    /// Largest relative drop accepted, as a fraction of the control's value.
    pub margin: f64,
}

/// A ratio metric, such as spend per visit: Σ numerator / Σ denominator
/// over each variant's users, with a delta-method variance.
#[derive(Debug, Clone, PartialEq)]
pub struct RatioMetric {
    pub name: String,
    pub numerator: String,
    pub denominator: String,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        AnalysisSettings {
            method: Method::Frequentist,
            interval: IntervalKind::Symmetric,
            prior: Prior::Flat,
            correction: Correction::Holm,
            expected_split: Vec::new(),
            sequential_tuning: 5000.0,
            metrics: MetricPlan::default(),
        }
    }
}

/// Everything a user entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub version: u32,
    /// The experiment data as CSV text (aggregated or one row per user).
    pub data: String,
    /// The user's roles for headers the engine does not recognise (the
    /// column-mapping step); empty for files it reads by itself.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub columns: crate::ingest::ColumnMapping,
    /// Name of the control variant; `None` picks one named like a control
    /// ([`crate::headline::control_like`]), else the first, and the page asks.
    #[serde(default)]
    pub control: Option<String>,
    /// The arm the investment case and the segment views rest on; `None`
    /// takes the first arm after the control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment: Option<String>,
    /// Confidence level of intervals, e.g. 0.95.
    pub confidence: f64,
    #[serde(default)]
    pub analysis: AnalysisSettings,
    pub assumptions: Assumptions,
    pub costs: Vec<CostItem>,
    #[serde(default)]
    pub investment: InvestmentInputs,
    #[serde(default)]
    pub display: Display,
    /// The programme tool's inputs (its experiments and valuation), as
    /// that tool writes them: carried by links and files, read only there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// What the time and targeting tools offer the investment case
    /// (measured retention, a narrower reach) and what was taken from
    /// them, as those tools write it; the investment inputs themselves
    /// hold the numbers in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<String>,
}

/// Indent compact JSON text the way `serde_json::to_string_pretty` does
/// (two spaces, `": "`, empty `{}` and `[]` kept on one line).
fn indent_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// Just the version of a saved scenario, read before the rest.
///
/// Every older version opens: each differs from the current one only by
/// fields added since, which take their defaults (`#[serde(default)]`).
/// 1 → 2 added `display` (locale and currency); its default, dollars
/// written the US way, is what a v1 scenario meant. 2 → 3 added
/// `analysis.metrics` (primary metric, guardrails, ratios); empty, it
/// picks the primary metric the way version 2 did. Reading the JSON
/// straight into the types, without an intermediate `serde_json::Value`,
/// keeps about 4 KB out of the web page's download.
#[derive(Deserialize)]
struct Version {
    version: Option<u64>,
}

/// The built-in demo experiment: an aggregated export of a personalized
/// product-recommendation test, loaded on first visit.
pub const DEMO_DATA: &str = "\
variant,users,conversions,orders,revenue,revenue_sq,orders_sq,revenue_x_orders
control,24000,480,516,41280,5640000,590,48300
personalized,24000,624,680,56440,7905000,782,66900
";

impl Scenario {
    /// The scenario a first-time visitor sees.
    pub fn demo() -> Scenario {
        let item = |category, label: &str, amount, frequency| CostItem {
            category,
            label: label.to_string(),
            amount: Money(amount),
            frequency,
            start_month: 1,
        };
        Scenario {
            version: SCENARIO_VERSION,
            data: DEMO_DATA.to_string(),
            columns: Default::default(),
            control: None,
            treatment: None,
            confidence: 0.95,
            analysis: AnalysisSettings::default(),
            assumptions: Assumptions::default(),
            costs: vec![
                item(
                    CostCategory::Technology,
                    "Personalization platform licence",
                    4_000.0,
                    Frequency::Monthly,
                ),
                item(
                    CostCategory::Development,
                    "Integration and data pipeline",
                    30_000.0,
                    Frequency::OneTime,
                ),
                item(
                    CostCategory::People,
                    "Analyst time (0.25 FTE)",
                    2_500.0,
                    Frequency::Monthly,
                ),
                item(
                    CostCategory::Compliance,
                    "Privacy review and DPIA",
                    6_000.0,
                    Frequency::OneTime,
                ),
            ],
            investment: InvestmentInputs::default(),
            display: Display::default(),
            programme: None,
            tools: None,
        }
    }

    /// Read a scenario from JSON, migrating older versions.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let not_a_scenario = |e: serde_json::Error| ScenarioError::NotAScenario {
            reason: json_problem(&e),
        };
        let Version { version } = serde_json::from_str(text).map_err(not_a_scenario)?;
        let version = version.ok_or_else(|| ScenarioError::NotAScenario {
            reason: "it has no version number".into(),
        })?;
        if version > u64::from(SCENARIO_VERSION) {
            return Err(ScenarioError::TooNew { version });
        }
        let mut scenario: Scenario = serde_json::from_str(text).map_err(not_a_scenario)?;
        scenario.version = SCENARIO_VERSION;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario, if its data can be read: a link or a file whose data
    /// cannot is not opened, so it never replaces the user's work with
    /// results that cannot be shown.
    pub fn with_readable_data(self) -> Result<Scenario, ScenarioError> {
        match self.experiment_as_shown() {
            Ok(_) => Ok(self),
            Err(e) => Err(ScenarioError::Data(e.to_string())),
        }
    }

    /// The experiment in the scenario's data, its capped metrics capped
    /// ([`parse_experiment_capped`]).
    pub fn experiment(&self) -> Result<Experiment, IngestError> {
        parse_experiment_capped(&self.data, &self.columns, &self.analysis.metrics.caps())
    }

    /// The experiment as the web page shows it: capped by the caps whose
    /// value the plan holds ([`parse_experiment_known_caps`]).
    pub fn experiment_as_shown(&self) -> Result<Experiment, IngestError> {
        parse_experiment_known_caps(&self.data, &self.columns, &self.analysis.metrics.caps())
    }

    /// The scenario as indented JSON, for files and this browser's storage.
    pub fn to_json(&self) -> String {
        // Written compact and indented as text: one serializer for the
        // scenario's types serves both this and the share links.
        indent_json(&serde_json::to_string(self).unwrap_or_default())
    }

    /// Check the inputs a user typed, so the maths never sees a negative cost,
    /// a NaN or a margin above 100%.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.costs.len() > MAX_COST_LINES {
            return Err(ScenarioError::TooManyCosts {
                count: self.costs.len(),
            });
        }
        let a = &self.assumptions;
        let finite_non_negative = |field: &'static str, v: f64| {
            if !v.is_finite() {
                Err(ScenarioError::NotANumber { field })
            } else if v < 0.0 {
                Err(ScenarioError::Negative { field })
            } else {
                Ok(())
            }
        };
        finite_non_negative("Monthly users", a.monthly_users)?;
        finite_non_negative("Purchases per year", a.purchases_per_year)?;
        finite_non_negative("Customer lifespan", a.lifespan_years)?;
        finite_non_negative("Average order value", a.average_order_value.0)?;
        if let Some(v) = a.metric_value {
            finite_non_negative("Value of one unit of the primary metric", v.0)?;
        }
        finite_non_negative("Gross margin", a.gross_margin.0)?;
        if a.gross_margin.0 > 1.0 {
            return Err(ScenarioError::MarginAbove100);
        }
        if a.horizon_months == 0 || a.horizon_months > MAX_HORIZON_MONTHS {
            return Err(ScenarioError::Horizon {
                months: a.horizon_months,
            });
        }
        // Beyond 99.9% an interval printed to the percent would read "100%".
        if !(self.confidence > 0.5 && self.confidence <= 0.999) {
            return Err(ScenarioError::Confidence);
        }
        let s = &self.analysis;
        if !(s.sequential_tuning.is_finite() && s.sequential_tuning > 0.0) {
            return Err(ScenarioError::SequentialTuning);
        }
        if s.expected_split
            .iter()
            .any(|w| !(w.is_finite() && *w > 0.0))
        {
            return Err(ScenarioError::ExpectedSplit);
        }
        if let Prior::Normal { mean, variance } = s.prior {
            if !(mean.is_finite() && variance.is_finite() && variance > 0.0) {
                return Err(ScenarioError::Prior);
            }
        }
        let inv = &self.investment;
        let share = |field: &'static str, v: f64| {
            if !v.is_finite() {
                Err(ScenarioError::NotANumber { field })
            } else if !(0.0..=1.0).contains(&v) {
                Err(ScenarioError::Share { field })
            } else {
                Ok(())
            }
        };
        share("Discount rate", inv.discount_rate)?;
        share(
            "Risk adjustment of the uplift benefit",
            inv.uplift.risk_adjustment,
        )?;
        share(
            "Risk adjustment of the retention benefit",
            inv.retention.switch.risk_adjustment,
        )?;
        share(
            "Risk adjustment of the savings",
            inv.savings.switch.risk_adjustment,
        )?;
        share(
            "Retention without personalization",
            inv.retention.retention_control.0,
        )?;
        share(
            "Retention with personalization",
            inv.retention.retention_variant.0,
        )?;
        // Written by the time and targeting tools, not typed: one message.
        // (JSON has no NaN or infinity; the others only need a sign.)
        share("An input taken from data", inv.reach_share)?;
        if [
            inv.reach_gain,
            inv.reach_cost_per_user.0,
            inv.retention.std_error_control,
            inv.retention.std_error_variant,
            inv.did_uplift_se,
        ]
        .iter()
        .any(|v| v.is_sign_negative())
        {
            return Err(ScenarioError::Negative {
                field: "An input taken from data",
            });
        }
        share("Cost range", inv.uncertainty.cost_range)?;
        share("Margin range", inv.uncertainty.margin_range)?;
        finite_non_negative(
            "New customers per month",
            inv.retention.new_customers_per_month,
        )?;
        // Counted for ever, undiscounted, a customer who is always kept is
        // worth an infinite amount (m·r / (1 + d − r) with r = 1, d = 0).
        let kept = inv
            .retention
            .retention_control
            .0
            .max(inv.retention.retention_variant.0);
        if inv.retention.years == 0 && 1.0 + inv.discount_rate - kept <= 0.0 {
            return Err(ScenarioError::EndlessCustomerValue);
        }
        finite_non_negative(
            "Margin per customer",
            inv.retention.margin_per_customer_per_year.0,
        )?;
        finite_non_negative("Previous cost", inv.savings.previous_cost_per_year.0)?;
        finite_non_negative("New cost", inv.savings.new_cost_per_year.0)?;
        finite_non_negative(
            "Value of time saved",
            inv.savings.time_saved_value_per_year.0,
        )?;
        if inv.benefit_start_month == 0 || inv.benefit_start_month > a.horizon_months {
            return Err(ScenarioError::BenefitStart {
                months: a.horizon_months,
            });
        }
        if inv.uncertainty.draws == 0 || inv.uncertainty.draws > 1_000_000 {
            return Err(ScenarioError::Draws);
        }
        for (i, c) in self.costs.iter().enumerate() {
            let line = i + 1;
            if !c.amount.0.is_finite() {
                return Err(ScenarioError::CostNotANumber { line });
            }
            if c.amount.0 < 0.0 {
                return Err(ScenarioError::NegativeCost {
                    line,
                    label: c.label.clone(),
                });
            }
            if c.start_month == 0 {
                return Err(ScenarioError::StartMonth { line });
            }
        }
        Ok(())
    }
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for s in sextets.iter().take(chunk.len() + 1) {
            if let Some(&c) = BASE64URL.get(*s as usize) {
                out.push(char::from(c));
            }
        }
    }
    out
}

/// Inverse of [`base64url_encode`]; `None` on a character outside the alphabet.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = BASE64URL.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    Some(out)
}

impl Scenario {
    /// The scenario as it is shared: row-level data is replaced by its
    /// per-variant sums unless `include_rows` is set, so a shared link
    /// carries no individual's row.
    pub fn shared_json(&self, include_rows: bool) -> String {
        let mut shared = self.clone();
        if !include_rows {
            if let Ok(e) = self.experiment_as_shown() {
                if e.shape == crate::ingest::DataShape::RowLevel {
                    shared.data =
                        crate::ingest::to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps);
                    shared.columns.clear();
                }
            }
        }
        serde_json::to_string(&shared).unwrap_or_default()
    }

    /// The scenario as compact JSON with its data replaced by the sums of
    /// `experiment` (read from it): what another module needs to analyse
    /// it again to the same report, without re-reading a large paste.
    pub fn json_with_sums(&self, experiment: &crate::ingest::Experiment) -> String {
        let mut small = self.clone();
        small.data = crate::ingest::to_aggregated_csv(
            &experiment.variants,
            &experiment.metric_columns,
            &experiment.caps,
        );
        small.columns.clear();
        serde_json::to_string(&small).unwrap_or_default()
    }

    /// The scenario as an uncompressed URL fragment (`s=…`), which browsers
    /// never send to a server. The app writes compressed `z=` links (see
    /// [`fragment_payload`]); `s=` links, the first format, keep opening.
    pub fn to_fragment(&self, include_rows: bool) -> String {
        format!(
            "s={}",
            base64url_encode(self.shared_json(include_rows).as_bytes())
        )
    }

    /// Read a scenario from an uncompressed `s=` fragment.
    pub fn from_fragment(fragment: &str) -> Result<Scenario, ScenarioError> {
        match fragment_payload(fragment)? {
            (FragmentEncoding::Json, bytes) => Scenario::from_json(&bytes_to_text(bytes)?),
            (FragmentEncoding::DeflateJson, _) => Err(ScenarioError::NotAScenario {
                reason: "the link is compressed; it must be opened in the app".into(),
            }),
        }
    }
}

/// How a link's fragment holds the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FragmentEncoding {
    /// `s=`: base64url of the JSON.
    Json,
    /// `z=`: base64url of the raw-DEFLATE-compressed JSON (RFC 1951), which
    /// browsers decompress natively; about a third of the length.
    DeflateJson,
}

/// The scenario bytes in a link's fragment (`#s=…` or `#z=…`, possibly among
/// other `&`-separated parts), and how they are encoded.
pub fn fragment_payload(fragment: &str) -> Result<(FragmentEncoding, Vec<u8>), ScenarioError> {
    let damaged = || ScenarioError::NotAScenario {
        reason: "the link is damaged (it may have been cut short)".into(),
    };
    let (encoding, body) = fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|part| {
            part.strip_prefix("z=")
                .map(|b| (FragmentEncoding::DeflateJson, b))
                .or_else(|| part.strip_prefix("s=").map(|b| (FragmentEncoding::Json, b)))
        })
        .ok_or_else(|| ScenarioError::NotAScenario {
            reason: "the link has no scenario in it".into(),
        })?;
    let bytes = base64url_decode(body).ok_or_else(damaged)?;
    Ok((encoding, bytes))
}

/// The JSON text of decoded (and, for `z=`, decompressed) link bytes.
pub fn bytes_to_text(bytes: Vec<u8>) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|_| ScenarioError::NotAScenario {
        reason: "the link is damaged (it may have been cut short)".into(),
    })
}

/// A problem with the typed-in inputs or a loaded scenario file.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScenarioError {
    #[error("{count} cost lines are more than the 500 this page handles: group small items into one line.")]
    TooManyCosts { count: usize },
    #[error("{field} must be a number.")]
    NotANumber { field: &'static str },
    #[error("{field} cannot be negative.")]
    Negative { field: &'static str },
    #[error("{field} must be between 0% and 100%.")]
    Share { field: &'static str },
    #[error("Benefits must start between month 1 and the last month of the horizon ({months}).")]
    BenefitStart { months: u32 },
    #[error("The simulation needs between 1 and 1,000,000 draws.")]
    Draws,
    #[error("With 100% retention, no discount rate and no limit on the years counted, a customer's value never stops growing. Set a discount rate above 0%, a retention below 100% or a number of years to count.")]
    EndlessCustomerValue,
    #[error("Gross margin cannot be above 100%.")]
    MarginAbove100,
    #[error("its data cannot be read. {0}")]
    Data(String),
    #[error("The horizon must be between 1 and 120 months (got {months}).")]
    Horizon { months: u32 },
    #[error("The confidence level must be above 50% and at most 99.9%, e.g. 95%.")]
    Confidence,
    #[error(
        "The sequential tuning parameter must be a positive number (5000 is the usual choice)."
    )]
    SequentialTuning,
    #[error("The expected split must list a positive share for each variant, e.g. 50, 50.")]
    ExpectedSplit,
    #[error("The prior needs a finite mean and a positive variance.")]
    Prior,
    #[error("Cost line {line}: the amount must be a number.")]
    CostNotANumber { line: usize },
    #[error("Cost line {line} ('{label}'): a cost cannot be negative. Enter savings as a benefit instead.")]
    NegativeCost { line: usize, label: String },
    #[error("Cost line {line}: the start month must be 1 or later.")]
    StartMonth { line: usize },
    #[error("This file is not an Uplift ROI scenario ({reason}).")]
    NotAScenario { reason: String },
    #[error("This scenario was saved by a newer version of Uplift ROI (format {version}); reload the page to update.")]
    TooNew { version: u64 },
}

/// Where and how JSON text is not a scenario, in words. Written from the
/// error's kind and place rather than its `Display`, which would pull the
/// standard library's I/O error texts into the page's first download.
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        Category::Syntax => format!("it is not valid JSON ({at})"),
        Category::Eof => format!("it ends too early ({at})"),
        Category::Data => format!("a value is missing or of the wrong kind ({at})"),
        Category::Io => "it could not be read".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_valid_and_round_trips() {
        let s = Scenario::demo();
        assert_eq!(s.validate(), Ok(()));
        let back = Scenario::from_json(&s.to_json());
        assert_eq!(back, Ok(s));
    }

    #[test]
    fn a_scenario_with_too_many_cost_lines_is_refused_with_its_count() {
        let mut s = Scenario::demo();
        let line = s.costs.first().cloned();
        s.costs = line.into_iter().cycle().take(MAX_COST_LINES).collect();
        assert_eq!(s.validate(), Ok(()));
        s.costs.extend(s.costs.first().cloned());
        assert_eq!(
            Scenario::from_json(&s.to_json()).err().map(|e| e.to_string()).as_deref(),
            Some("501 cost lines are more than the 500 this page handles: group small items into one line.")
        );
    }

    /// Always kept, never discounted and counted for ever, a customer's
    /// value is infinite: the inputs are refused with a message instead of
    /// an infinite number reaching the results (and their JSON, as null).
    #[test]
    fn endless_customer_value_is_refused() {
        let mut s = Scenario::demo();
        s.investment.retention.years = 0;
        s.investment.retention.retention_variant = crate::units::Rate(1.0);
        s.investment.discount_rate = 0.0;
        assert_eq!(s.validate(), Err(ScenarioError::EndlessCustomerValue));
        let Err(e) = crate::analyze(&s) else {
            panic!("analysed")
        };
        assert!(e.to_string().contains("never stops growing"), "{e}");
        // Any one of the three limits makes it finite again.
        for fix in 0..3 {
            let mut ok = s.clone();
            match fix {
                0 => ok.investment.discount_rate = 0.05,
                1 => ok.investment.retention.retention_variant = crate::units::Rate(0.9),
                _ => ok.investment.retention.years = 5,
            }
            let report = crate::analyze(&ok);
            let Ok(report) = report else {
                panic!("{fix}: {report:?}")
            };
            assert!(report.clv.retention_variant.0.is_finite(), "{fix}");
        }
    }

    #[test]
    fn fragment_round_trips_and_hides_rows() {
        let s = Scenario::demo();
        assert_eq!(
            Scenario::from_fragment(&format!("#{}", s.to_fragment(false))),
            Ok(s.clone())
        );
        let mut rows = Scenario::demo();
        rows.data =
            "user,variant,converted,revenue\nu1,A,1,10\nu2,A,0,0\nu3,B,1,12\nu4,B,1,8\n".into();
        let shared = Scenario::from_fragment(&rows.to_fragment(false));
        let Ok(shared) = shared else {
            panic!("{shared:?}")
        };
        assert!(!shared.data.contains("u1"), "{}", shared.data);
        assert!(shared
            .data
            .starts_with("variant,users,conversions,revenue,revenue_sq"));
        let with_rows = Scenario::from_fragment(&rows.to_fragment(true));
        assert!(with_rows.is_ok_and(|s| s.data.contains("u1")));
        assert!(Scenario::from_fragment("#s=@@@").is_err());
        assert!(Scenario::from_fragment("#nothing").is_err());
    }

    #[test]
    fn base64url_matches_rfc4648() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), coded);
            assert_eq!(base64url_decode(coded), Some(plain.as_bytes().to_vec()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn rejects_bad_inputs() {
        let mut s = Scenario::demo();
        s.costs[0].amount = Money(-5.0);
        assert!(matches!(
            s.validate(),
            Err(ScenarioError::NegativeCost { line: 1, .. })
        ));
        let mut s = Scenario::demo();
        s.assumptions.monthly_users = f64::NAN;
        assert!(matches!(
            s.validate(),
            Err(ScenarioError::NotANumber { .. })
        ));
        let mut s = Scenario::demo();
        s.assumptions.gross_margin = Rate(1.5);
        assert_eq!(s.validate(), Err(ScenarioError::MarginAbove100));
        let mut s = Scenario::demo();
        s.assumptions.horizon_months = 0;
        assert!(matches!(s.validate(), Err(ScenarioError::Horizon { .. })));
    }

    /// 0.9999999999 passed and its intervals read "100% CI".
    #[test]
    fn confidence_levels_beyond_99_9_percent_are_refused() {
        let mut s = Scenario::demo();
        for (c, ok) in [
            (0.999, true),
            (0.95, true),
            (0.9999999999, false),
            (0.5, false),
            (1.0, false),
        ] {
            s.confidence = c;
            assert_eq!(s.validate().is_ok(), ok, "{c}");
        }
    }

    #[test]
    fn a_scenario_whose_data_cannot_be_read_is_refused_with_the_cell() {
        let mut s = Scenario::demo();
        s.data = "variant,users,conversions\ncontrol,abc,5\n".into();
        let message = s.with_readable_data().err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("its data cannot be read. Line 2, column 'users': \"abc\" is not a number.")
        );
        assert!(Scenario::demo().with_readable_data().is_ok());
    }

    #[test]
    fn json_is_indented_as_serde_json_would() {
        let mut s = Scenario::demo();
        s.data = "a,\"b\\\" {[,:]}\"\n".into();
        let pretty = serde_json::to_string_pretty(&s).unwrap_or_default();
        assert_eq!(s.to_json(), pretty);
        assert_eq!(indent_json(r#"{"a":[],"b":{},"c":[1,{"d":"x:y"}]}"#), "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": \"x:y\"\n    }\n  ]\n}");
    }

    #[test]
    fn the_metric_plan_reads_back_from_its_text() {
        let choices = MetricChoices {
            primary: Some("retention_7".into()),
            guardrails: vec![
                Guardrail {
                    metric: "day 1: retained".into(),
                    margin: 0.015,
                },
                Guardrail {
                    metric: "rounds".into(),
                    margin: 0.1,
                },
            ],
            ratios: vec![RatioMetric {
                name: "rounds per player".into(),
                // The denominator is after the last " / ".
                numerator: "a / b".into(),
                denominator: "retention_1".into(),
            }],
            segment: Some("channel".into()),
            nps: vec!["q3 score".into()],
            nps_interval: NpsInterval::AdjustedWald,
            lower_is_better: Vec::new(),
            higher_is_better: Vec::new(),
            quantiles: vec![("order value".into(), 0.9), ("basket".into(), 0.5)],
            caps: vec![
                CapSpec {
                    metric: "spend".into(),
                    tail: Tail::Upper,
                    at: crate::ingest::CapAt::Percentile(0.99),
                    ignore_zeros: true,
                    resolved: None,
                },
                CapSpec {
                    metric: "minutes".into(),
                    tail: Tail::Lower,
                    at: crate::ingest::CapAt::Value(2.5),
                    ignore_zeros: false,
                    resolved: None,
                },
            ],
        };
        let mut s = Scenario::demo();
        s.analysis.metrics = choices.clone().into();
        let json = s.to_json();
        assert!(
            json.contains(r#""metrics": "primary: retention_7\nguardrail: day 1: retained 1.5%"#),
            "{json}"
        );
        let back = Scenario::from_json(&json).map(|s| s.analysis.metrics);
        assert_eq!(
            back.as_ref().map(MetricPlan::choices),
            Ok(Ok(choices.clone()))
        );
        let plan = back.unwrap_or_default();
        assert_eq!(plan.primary(), Some("retention_7"));
        assert_eq!(
            plan.ratio("rounds per player").map(|r| r.denominator),
            Some("retention_1".into())
        );
        assert_eq!(plan.ratio("rounds"), None);
        assert!(plan.is_nps("q3 score") && !plan.is_nps("rounds"));
        assert_eq!(plan.caps(), choices.caps);
        assert!(!plan.lower_is_better("rounds"));
        let mut c = MetricChoices {
            lower_is_better: vec!["rounds".into()],
            higher_is_better: vec!["refund_rate".into()],
            ..MetricChoices::default()
        };
        let directed: MetricPlan = c.clone().into();
        assert_eq!(directed.choices(), Ok(c.clone()));
        assert!(directed.lower_is_better("rounds") && directed.lower_is_better("churned"));
        assert!(
            !directed.lower_is_better("refund_rate"),
            "a `higher:` line wins over the name"
        );
        c.higher_is_better.clear();
        assert!(MetricPlan::from(c).lower_is_better("refund_rate"));
        assert_eq!(plan.segment(), Some("channel"));
        assert!(plan.has_guardrails());
        for bad in [
            "primary retention",
            "guardrail: x 1",
            "ratio: a = b",
            "colour: red",
        ] {
            let plan: MetricPlan =
                serde_json::from_value(serde_json::json!(bad)).unwrap_or_default();
            assert!(plan.choices().is_err(), "{bad}");
        }
        // Older scenarios have no plan: the primary metric is picked as before.
        let v1 = include_str!("../../../tests/fixtures/scenario-v1.json");
        assert_eq!(
            Scenario::from_json(v1).map(|s| s.analysis.metrics.is_empty()),
            Ok(true)
        );
    }

    #[test]
    fn newer_versions_and_junk_are_refused_with_a_reason() {
        let mut v: serde_json::Value = match serde_json::to_value(Scenario::demo()) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        v["version"] = serde_json::json!(99);
        assert_eq!(
            Scenario::from_json(&v.to_string()),
            Err(ScenarioError::TooNew { version: 99 })
        );
        assert_eq!(
            Scenario::from_json("{\"hello\": 1}"),
            Err(ScenarioError::NotAScenario {
                reason: "it has no version number".into()
            })
        );
        assert!(matches!(
            Scenario::from_json("[1, 2]"),
            Err(ScenarioError::NotAScenario { .. })
        ));
        assert!(matches!(
            Scenario::from_json("not json"),
            Err(ScenarioError::NotAScenario { .. })
        ));
    }
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    /// `tests/fixtures/scenario-v1.json` is the demo scenario exactly as
    /// version 1 of the app wrote it.
    const V1: &str = include_str!("../../../tests/fixtures/scenario-v1.json");

    #[test]
    fn version_1_files_and_links_open_as_the_same_scenario() {
        let s = match Scenario::from_json(V1) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(s.version, SCENARIO_VERSION);
        assert_eq!(s.display, Display::default());
        let mut demo = Scenario::demo();
        demo.version = s.version;
        assert_eq!(s, demo);
        let link = format!("#s={}", base64url_encode(V1.as_bytes()));
        assert_eq!(Scenario::from_fragment(&link), Ok(demo));
    }

    #[test]
    fn fragments_say_how_they_are_encoded() {
        let json = Scenario::demo().shared_json(false);
        let z = format!("#z={}&x=1", base64url_encode(b"abc"));
        assert_eq!(
            fragment_payload(&z).map(|(e, b)| (e, b.len())),
            Ok((FragmentEncoding::DeflateJson, 3))
        );
        let s = Scenario::demo().to_fragment(false);
        assert_eq!(
            fragment_payload(&s),
            Ok((FragmentEncoding::Json, json.into_bytes()))
        );
        assert!(Scenario::from_fragment("#z=abc").is_err());
        assert!(Scenario::from_fragment("#nothing").is_err());
    }

    #[test]
    fn newer_versions_are_refused_with_a_reason() {
        let newer = V1.replacen("\"version\": 1", "\"version\": 99", 1);
        assert_eq!(
            Scenario::from_json(&newer),
            Err(ScenarioError::TooNew { version: 99 })
        );
    }
}

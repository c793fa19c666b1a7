//! The command line's definitions (clap): the subcommands, their
//! arguments with their help, and the parsers of values like "1%" or
//! "2024-05-01", each refusing a bad value in words.

use clap::{Args, Parser, Subcommand, ValueEnum};
use uplift_engine::ingest::{CapSpec, Tail};
use uplift_engine::scenario::{Guardrail, Method, RatioMetric};
use uplift_engine::stats::nps::NpsInterval;
use uplift_engine::warehouse::{Dialect, SqlMetric};

#[derive(Parser)]
#[command(
    name = "uplift-roi",
    version,
    about = "Does the AI-personalization spend pay off? Experiment statistics, CLV and ROI from an A/B-test export.",
    after_help = "FILE may be '-' to read standard input. Results are JSON on standard output."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Analyse an experiment export: the same report the web app shows, as JSON
    Analyze(AnalyzeArgs),
    /// Fit BG/NBD and Gamma-Gamma to a transaction log (customer_id, date, amount
    /// and optionally variant); print parameters and CLV per variant as JSON
    Clv(ClvArgs),
    /// Print SQL that reduces an events table (one row per exposure or order)
    /// to the aggregated CSV the app reads
    Sql(SqlArgs),
    /// Print a row-level file reduced to the aggregated CSV (streamed, any size)
    Reduce(ReduceArgs),
    /// How well a model's score ranks users by their uplift: Qini and uplift
    /// curves, their normalised areas and the uplift per score bin, as JSON
    Targeting(TargetingArgs),
    /// A programme of experiments (name, lift, std_error or ci_low and
    /// ci_high; optionally cost, share and date): each lift shrunk toward the
    /// programme's mean, and the shipped winners' impact, NPV and chance of
    /// paying off, as JSON
    Programme(ProgrammeArgs),
    /// Retention measured from data: Kaplan-Meier curves per group, median,
    /// RMST up to a horizon and the log-rank test, as JSON
    Retention(RetentionArgs),
    /// A launch without a randomised control group: difference in
    /// differences between treated and untreated units, before and after,
    /// with cluster-robust errors, and optionally the event study and its
    /// pre-trend test, as JSON
    Did(DidArgs),
    /// The lift day by day: users and the metric per variant, the
    /// cumulative relative lift with fixed-horizon and always-valid
    /// (sequential) intervals, the trend of the daily lift (novelty or
    /// primacy) and the days the experiment still needs, as JSON
    Timeline(TimelineArgs),
    /// Signup-week cohorts: the share of each cohort still active 0, 1, 2,
    /// ... weeks after signing up, per variant, with the weeks a cohort is
    /// too young to show left empty (null), as JSON
    Cohorts(CohortsArgs),
    /// Which touchpoints earn the conversions: customer paths (path,
    /// total_conversions, total_conversion_value, total_null; channels split
    /// by '>') credited by first and last touch, linear per touch and per
    /// channel (the simplified Shapley value), position-based 40/20/40 and
    /// the exact Markov removal effect, as JSON
    Attribution(AttributionArgs),
    /// Print the built-in demo scenario as JSON (a template for --scenario)
    DemoScenario,
}

#[derive(Args)]
pub struct AnalyzeArgs {
    /// Aggregated or row-level CSV ('-' for standard input)
    pub file: String,
    /// The variant to compare against (default: the one named like a
    /// control, else the first, with a warning that it was assumed)
    #[arg(long, value_name = "NAME")]
    pub control: Option<String>,
    /// The arm the investment case rests on (default: the first after the control)
    #[arg(long, value_name = "NAME")]
    pub treatment: Option<String>,
    /// What one unit of the primary metric is worth, when the data has no
    /// revenue and the primary metric is not a purchase (one survey "yes",
    /// one thousand of SalesInThousands); without it there is no ROI
    #[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
    pub metric_value: Option<f64>,
    /// Confidence level of intervals, between 0.5 and 1
    #[arg(long, value_name = "LEVEL", value_parser = parse_confidence)]
    pub confidence: Option<f64>,
    /// How variants are compared
    #[arg(long, value_enum)]
    pub method: Option<MethodArg>,
    /// Same as --method sequential
    #[arg(long, conflicts_with = "method")]
    pub sequential: bool,
    /// Take costs and assumptions from a saved scenario; the data comes from FILE
    #[arg(long, value_name = "FILE.json")]
    pub scenario: Option<String>,
    /// The column that names the variant, when its header is not recognised
    #[arg(long, value_name = "COLUMN")]
    pub variant_column: Option<String>,
    /// Read COLUMN as a metric even if its name looks like an id or a date (repeatable)
    #[arg(long, value_name = "COLUMN")]
    pub metric: Vec<String>,
    /// The metric the decision and the ROI rest on: a column, a ratio, or
    /// conversion_rate, revenue_per_user, average_order_value, click_through_rate
    #[arg(long, value_name = "METRIC")]
    pub primary: Option<String>,
    /// A metric that may not drop by more than MARGIN, e.g. retention_7:1% (repeatable)
    #[arg(long, value_name = "METRIC:MARGIN", value_parser = parse_guardrail)]
    pub guardrail: Vec<Guardrail>,
    /// A ratio of two metric columns, e.g. spend_per_visit=spend/visit (repeatable)
    #[arg(long, value_name = "NAME=NUM/DEN", value_parser = parse_ratio)]
    pub ratio: Vec<RatioMetric>,
    /// Also analyse each value of COLUMN on its own: uplift, ROI, against the rest
    #[arg(long, value_name = "COLUMN")]
    pub segment: Option<String>,
    /// Compare COLUMN's 0–10 answers as NPS (promoters − detractors), although
    /// its header does not say so (repeatable; "nps", "recommend" and
    /// "promoter" in a header need none)
    #[arg(long, value_name = "COLUMN")]
    pub nps: Vec<String>,
    /// COLUMN is better when it falls (churn, cost), whatever its name says (repeatable;
    /// churn, cost, ticket, bounce, refund, complaint… in a name need none)
    #[arg(long, value_name = "COLUMN")]
    pub lower_is_better: Vec<String>,
    /// COLUMN is better when it rises, although its name sounds like a cost (repeatable)
    #[arg(long, value_name = "COLUMN")]
    pub higher_is_better: Vec<String>,
    /// A quantile of a numeric column compared across variants, e.g.
    /// order_value:0.9 or order_value:50% for the median (repeatable; row-level data)
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_quantile)]
    pub quantile: Vec<(String, f64)>,
    /// Cap a metric's per-user values before comparing them: at a percentile
    /// of every user's value (spend:99%) or an amount (spend:500); add
    /// :ignore-zeros to take the percentile without the zeros (repeatable; row-level data)
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_cap)]
    pub cap: Vec<CapSpec>,
    /// Floor a metric's per-user values (the lower tail), as --cap does the upper
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_floor)]
    pub floor: Vec<CapSpec>,
    /// The interval of NPS differences (default: the scenario's, else wald)
    #[arg(long, value_enum)]
    pub nps_interval: Option<NpsIntervalArg>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NpsIntervalArg {
    /// Wald on the observed shares of promoters and detractors
    Wald,
    /// Wald after adding 3 answers (¾ promoter, ¾ detractor): better at small samples
    AdjustedWald,
}

impl From<NpsIntervalArg> for NpsInterval {
    fn from(m: NpsIntervalArg) -> NpsInterval {
        match m {
            NpsIntervalArg::Wald => NpsInterval::Wald,
            NpsIntervalArg::AdjustedWald => NpsInterval::AdjustedWald,
        }
    }
}

/// `COLUMN:LEVEL`, the level as a fraction (`0.9`) or a percent (`90%`).
pub fn parse_quantile(text: &str) -> Result<(String, f64), String> {
    let bad = || format!("\"{text}\": write COLUMN:LEVEL, e.g. order_value:0.9 or order_value:50%");
    let (column, level) = text.rsplit_once(':').ok_or_else(bad)?;
    let level = match level.trim().strip_suffix('%') {
        Some(pct) => uplift_engine::decimal::parse_f64(pct.trim()).map(|p| p / 100.0),
        None => uplift_engine::decimal::parse_f64(level.trim()),
    }
    .filter(|l| (0.001..=0.999).contains(l))
    .ok_or_else(bad)?;
    Ok((column.trim().to_string(), level))
}

/// `COLUMN:LEVEL[:ignore-zeros]`, LEVEL a percent (`99%`) or an amount (`500`).
fn parse_tail(tail: Tail, text: &str) -> Result<CapSpec, String> {
    let bad = || {
        format!("\"{text}\": write COLUMN:LEVEL, e.g. spend:99%, spend:500 or spend:99%:ignore-zeros (a percent above 0% and below 100%)")
    };
    let (rest, zeros) = match text.strip_suffix(":ignore-zeros") {
        Some(rest) => (rest, " ignoring zeros"),
        None => (text, ""),
    };
    let (column, level) = rest.rsplit_once(':').ok_or_else(bad)?;
    CapSpec::parse(tail, &format!("{} {}{zeros}", column.trim(), level.trim())).ok_or_else(bad)
}

pub fn parse_cap(text: &str) -> Result<CapSpec, String> {
    parse_tail(Tail::Upper, text)
}

pub fn parse_floor(text: &str) -> Result<CapSpec, String> {
    parse_tail(Tail::Lower, text)
}

/// `METRIC:MARGIN`, the margin as a percent (`1%`) or a fraction (`0.01`).
pub fn parse_guardrail(text: &str) -> Result<Guardrail, String> {
    let (metric, margin) = text
        .rsplit_once(':')
        .ok_or("write METRIC:MARGIN, e.g. retention_7:1%")?;
    let margin = match margin.trim().strip_suffix('%') {
        Some(pct) => pct.trim().parse::<f64>().map(|p| p / 100.0),
        None => margin.trim().parse::<f64>(),
    }
    .map_err(|_| format!("'{margin}' is not a margin; write it as 1% or 0.01"))?;
    if !(margin > 0.0 && margin < 1.0) || metric.is_empty() {
        return Err("the margin must be above 0% and below 100%, e.g. retention_7:1%".into());
    }
    Ok(Guardrail {
        metric: metric.to_string(),
        margin,
    })
}

/// `NAME=NUMERATOR/DENOMINATOR`.
pub fn parse_ratio(text: &str) -> Result<RatioMetric, String> {
    let err = || "write NAME=NUMERATOR/DENOMINATOR, e.g. spend_per_visit=spend/visit".to_string();
    let (name, rest) = text.split_once('=').ok_or_else(err)?;
    let (numerator, denominator) = rest.split_once('/').ok_or_else(err)?;
    if [name, numerator, denominator]
        .iter()
        .any(|s| s.trim().is_empty())
    {
        return Err(err());
    }
    Ok(RatioMetric {
        name: name.trim().to_string(),
        numerator: numerator.trim().to_string(),
        denominator: denominator.trim().to_string(),
    })
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Fixed-horizon confidence intervals and p-values
    Frequentist,
    /// Chance to beat control and expected loss
    Bayesian,
    /// Always-valid intervals and p-values, safe to look at every day
    Sequential,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Frequentist => Method::Frequentist,
            MethodArg::Bayesian => Method::Bayesian,
            MethodArg::Sequential => Method::Sequential,
        }
    }
}

#[derive(Args)]
pub struct ClvArgs {
    /// Transaction log: customer_id, date, amount [, variant] ('-' for standard input)
    pub file: String,
    /// End of the observation period (default: the last transaction's date)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub end: Option<i64>,
    /// Time unit of the fitted models
    #[arg(long, value_enum, default_value = "weeks")]
    pub unit: UnitArg,
    /// CLV horizon in months, 1 to 600
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=600))]
    pub months: u32,
    /// Monthly discount rate, between 0 and 1
    #[arg(long, default_value_t = 0.01, value_parser = parse_discount)]
    pub discount: f64,
    /// Confidence level of the bootstrap intervals, between 0.5 and 1
    #[arg(long, default_value_t = 0.95, value_parser = parse_confidence)]
    pub confidence: f64,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum UnitArg {
    #[value(alias = "week", alias = "w")]
    Weeks,
    #[value(alias = "day", alias = "d")]
    Days,
}

#[derive(Args)]
pub struct SqlArgs {
    /// SQL dialect: bigquery, snowflake, spark_sql, postgresql, duckdb
    #[arg(long, default_value = "bigquery", value_parser = parse_dialect)]
    pub dialect: Dialect,
    /// The events table, e.g. analytics.events
    #[arg(long)]
    pub table: String,
    /// Column with the user id
    #[arg(long, value_name = "COL")]
    pub user: String,
    /// Column with the variant
    #[arg(long, value_name = "COL")]
    pub variant: String,
    /// Column with revenue
    #[arg(long, value_name = "COL")]
    pub revenue: Option<String>,
    /// Column with an order id (orders are counted as distinct ids)
    #[arg(
        long,
        value_name = "COL",
        alias = "orders",
        conflicts_with = "is_order"
    )]
    pub order_id: Option<String>,
    /// Column that is true on rows that are orders
    #[arg(long, value_name = "COL")]
    pub is_order: Option<String>,
    /// Column with pre-period revenue (for CUPED)
    #[arg(long, value_name = "COL")]
    pub pre_revenue: Option<String>,
    /// Column with the event time, to restrict to --start/--end
    #[arg(long, value_name = "COL")]
    pub timestamp: Option<String>,
    /// First day of the experiment
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Last day of the experiment
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub end: Option<String>,
    /// A further metric: COL (a number summed per user) or COL:flag (true or 1
    /// on any of the user's rows); repeatable
    #[arg(long, value_name = "COL[:flag]", value_parser = parse_sql_metric)]
    pub metric: Vec<SqlMetric>,
    /// A per-user segment column: one row per segment and variant
    #[arg(long, value_name = "COL")]
    pub segment: Option<String>,
    /// Cap the revenue column or a summed metric per user, named as above:
    /// spend:99%, spend:500 or spend:99%:ignore-zeros (repeatable)
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_cap)]
    pub cap: Vec<CapSpec>,
    /// Floor a column's per-user values, as --cap does the upper end
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_floor)]
    pub floor: Vec<CapSpec>,
}

pub fn parse_sql_metric(text: &str) -> Result<SqlMetric, String> {
    SqlMetric::parse(text)
        .ok_or_else(|| "write COL or COL:flag, e.g. visits or converted:flag".into())
}

pub fn parse_amount(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("'{text}' is not an amount of money, e.g. 2.50")),
    }
}

pub fn parse_confidence(text: &str) -> Result<f64, String> {
    match uplift_engine::decimal::parse_f64(text.trim()) {
        Some(c) if c > 0.5 && c < 1.0 => Ok(c),
        _ => Err("must be a number between 0.5 and 1, e.g. 0.95".into()),
    }
}

pub fn parse_tau(text: &str) -> Result<f64, String> {
    match uplift_engine::decimal::parse_f64(text.trim()) {
        Some(t) if t > 0.0 && t.is_finite() => Ok(t),
        _ => Err("must be a number above 0, e.g. 5000".into()),
    }
}

/// A relative lift as a fraction (`0.05`) or a percent (`5%`).
pub fn parse_lift(text: &str) -> Result<f64, String> {
    let lift = match text.trim().strip_suffix('%') {
        Some(pct) => uplift_engine::decimal::parse_f64(pct.trim()).map(|p| p / 100.0),
        None => uplift_engine::decimal::parse_f64(text.trim()),
    };
    match lift {
        Some(l) if l > 0.0 && l.is_finite() => Ok(l),
        _ => Err("must be a relative lift above 0, e.g. 0.05 or 5%".into()),
    }
}

pub fn parse_discount(text: &str) -> Result<f64, String> {
    match uplift_engine::decimal::parse_f64(text.trim()) {
        Some(d) if (0.0..1.0).contains(&d) => Ok(d),
        _ => Err("must be a monthly rate between 0 and 1, e.g. 0.01".into()),
    }
}

pub fn parse_day(text: &str) -> Result<i64, String> {
    uplift_engine::value::transactions::parse_date(text)
        .ok_or_else(|| "is not a date (YYYY-MM-DD)".into())
}

pub fn parse_dialect(text: &str) -> Result<Dialect, String> {
    Dialect::from_id(text).ok_or_else(|| {
        let ids: Vec<&str> = Dialect::ALL.iter().map(|d| d.id()).collect();
        format!("is not one of {}", ids.join(", "))
    })
}

// The arguments of `uplift-roi reduce` (its help is the variant's).
#[derive(Args)]
pub struct ReduceArgs {
    /// Row-level CSV, one row per user ('-' for standard input)
    pub file: String,
    /// One row per value of COLUMN and variant, that column first
    #[arg(long, value_name = "COLUMN")]
    pub segment: Option<String>,
    /// The column that names the variant, when its header is not recognised
    #[arg(long, value_name = "COLUMN")]
    pub variant_column: Option<String>,
    /// Cap a column's per-user values before summing, as `analyze --cap` does
    /// (a percentile cap reads the whole file into memory first)
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_cap)]
    pub cap: Vec<CapSpec>,
    /// Floor a column's per-user values before summing
    #[arg(long, value_name = "COLUMN:LEVEL", value_parser = parse_floor)]
    pub floor: Vec<CapSpec>,
}

// The arguments of `uplift-roi targeting` (its help is the variant's).
#[derive(Args)]
pub struct TargetingArgs {
    /// One row per user ('-' for standard input)
    pub file: String,
    /// The model's score (predicted uplift or propensity): higher first
    /// (default: a column named like a score)
    #[arg(long, value_name = "COLUMN")]
    pub score: Option<String>,
    /// Treated or not: 1/0, true/false or yes/no (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub treatment: Option<String>,
    /// The response: 1/0, true/false or yes/no (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub outcome: Option<String>,
    /// Bins of the score for the uplift per bin
    #[arg(long, default_value_t = 10)]
    pub bins: usize,
    /// Bootstrap resamples (and random rankings) for the Qini
    /// coefficient's 95% interval and p-value; 0 for none
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the resampling (the same seed, the same interval)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A value per user (revenue) for the profit curve; without it, each
    /// response is worth --value-per-response
    #[arg(long, value_name = "COLUMN")]
    pub revenue: Option<String>,
    /// What one response is worth, for the profit curve
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub value_per_response: f64,
    /// What personalizing for one user costs, for the profit curve
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub cost_per_user: f64,
}

// The arguments of `uplift-roi attribution` (its help is the variant's).
#[derive(Args)]
pub struct AttributionArgs {
    /// One row per distinct path ('-' for standard input)
    pub file: String,
    /// The Markov chain's order: how many touches one state remembers
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub order: u8,
    /// Leave the journeys that did not convert out of the chain
    /// (ChannelAttribution without var_null)
    #[arg(long)]
    pub converted_only: bool,
}

// The arguments of `uplift-roi programme` (its help is the variant's).
#[derive(Args)]
pub struct ProgrammeArgs {
    /// One row per experiment ('-' for standard input)
    pub file: String,
    /// What a year of all the traffic is worth on the lifts' metric
    #[arg(long, value_name = "X", default_value_t = 10_000_000.0)]
    pub annual_value: f64,
    /// Months a shipped change is counted for
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// Annual discount rate for the NPV (0.08 = 8%)
    #[arg(long, value_name = "RATE", default_value_t = 0.08)]
    pub discount_rate: f64,
    /// Seed of the draws for the chance of paying off
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

// The arguments of `uplift-roi retention` (its help is the variant's).
#[derive(Args)]
pub struct RetentionArgs {
    /// One row per user ('-' for standard input)
    pub file: String,
    /// Time followed (days, weeks: any unit) (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub duration: Option<String>,
    /// 1 if the event (churn) was seen, 0 if the user was still there
    /// (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub event: Option<String>,
    /// The variant or cohort; the first two found are compared
    #[arg(long, value_name = "COLUMN")]
    pub group: Option<String>,
    /// The horizon of the restricted mean survival time, in the
    /// duration's unit (default: the follow-up every group has)
    #[arg(long, value_name = "T")]
    pub horizon: Option<f64>,
    /// Confidence level of the curves' bands, between 0.5 and 1
    #[arg(long, value_name = "LEVEL", default_value_t = 0.95, value_parser = parse_confidence)]
    pub confidence: f64,
}

// The arguments of `uplift-roi did` (its help is the variant's).
#[derive(Args)]
pub struct DidArgs {
    /// One row per unit and period ('-' for standard input)
    pub file: String,
    /// The number measured (sales, visits, hours); rows without it are
    /// left out (default: guessed by name, else the first column left)
    #[arg(long, value_name = "COLUMN")]
    pub outcome: Option<String>,
    /// 1 if the row's unit is in the treated group, before the launch as
    /// after (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub treated: Option<String>,
    /// The unit (store, region, user): standard errors are clustered by
    /// it; without it, rows are independent (HC1)
    #[arg(long, value_name = "COLUMN")]
    pub unit: Option<String>,
    /// 1 on rows after the launch (instead of --launch)
    #[arg(long, value_name = "COLUMN")]
    pub post: Option<String>,
    /// The period: a number, a date or a label
    #[arg(long, value_name = "COLUMN")]
    pub period: Option<String>,
    /// The first period after the launch: rows with period >= it are after
    #[arg(long, value_name = "VALUE", conflicts_with = "post")]
    pub launch: Option<String>,
    /// Also the effect period by period and the pre-trend test
    #[arg(long)]
    pub event_study: bool,
    /// Confidence level of intervals, between 0.5 and 1
    #[arg(long, value_name = "LEVEL", default_value_t = 0.95, value_parser = parse_confidence)]
    pub confidence: f64,
}

// The arguments of `uplift-roi timeline` (its help is the variant's).
#[derive(Args)]
pub struct TimelineArgs {
    /// One row per user, or with --users one row per day and variant
    /// ('-' for standard input)
    pub file: String,
    /// The date (or timestamp) of exposure: YYYY-MM-DD, the time ignored
    /// (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub date: Option<String>,
    /// The variant (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub variant: Option<String>,
    /// The metric per user: 1/0 (a conversion) or a number (revenue);
    /// with --users, its sum over the day's users (default: a
    /// conversion's or revenue's column)
    #[arg(long, value_name = "COLUMN")]
    pub metric: Option<String>,
    /// A file of daily aggregates: the users of each day and variant
    #[arg(long, value_name = "COLUMN")]
    pub users: Option<String>,
    /// Daily aggregates of a metric that is not 1/0: the sum of its squares
    #[arg(long, value_name = "COLUMN", requires = "users")]
    pub sum_squares: Option<String>,
    /// The control (default: the variant named control, else the first)
    #[arg(long, value_name = "NAME")]
    pub control: Option<String>,
    /// The treatment, when there are more than two variants
    #[arg(long, value_name = "NAME")]
    pub treatment: Option<String>,
    /// Tuning parameter of the always-valid intervals (GrowthBook's default)
    #[arg(long, value_name = "TAU", default_value_t = 5000.0, value_parser = parse_tau)]
    pub tau: f64,
    /// Confidence level of intervals, between 0.5 and 1
    #[arg(long, value_name = "LEVEL", default_value_t = 0.95, value_parser = parse_confidence)]
    pub confidence: f64,
    /// The smallest relative lift worth detecting, for the days to go
    /// (default: the observed lift if positive, else 0.05)
    #[arg(long, value_name = "LIFT", value_parser = parse_lift)]
    pub min_lift: Option<f64>,
}

// The arguments of `uplift-roi cohorts` (its help is the variant's).
#[derive(Args)]
pub struct CohortsArgs {
    /// One row per user ('-' for standard input)
    pub file: String,
    /// The signup (or first exposure) date (default: guessed by name)
    #[arg(long, value_name = "COLUMN")]
    pub start: Option<String>,
    /// The date the user was last seen (or churned) (default: guessed
    /// by name, unless --duration is given)
    #[arg(long, value_name = "COLUMN")]
    pub end: Option<String>,
    /// The day the data ends: users last seen then are still active
    /// (default: the latest last-seen date in the file)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub observed_until: Option<i64>,
    /// Days from signup to churn, or to the end of the user's follow-up
    #[arg(long, value_name = "COLUMN", conflicts_with = "end")]
    pub duration: Option<String>,
    /// 1 if the user churned after --duration days, 0 if still active then
    #[arg(long, value_name = "COLUMN")]
    pub event: Option<String>,
    /// The variant; without it, one table for all users
    #[arg(long, value_name = "COLUMN")]
    pub variant: Option<String>,
    /// At most this many weeks since signup (columns 0 to N - 1)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=520))]
    pub weeks: Option<u32>,
}

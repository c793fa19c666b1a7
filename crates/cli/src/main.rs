//! `uplift-roi`: the Uplift ROI engine on the command line.
//!
//! Every subcommand is a thin shell over `uplift-engine`: it reads files,
//! calls the engine and prints JSON, SQL or CSV on standard output. Help and
//! the version go to standard output with exit code 0; a mistake in the
//! command line prints the usage on standard error with exit code 2 (clap's
//! convention); a file the engine cannot use prints its message on standard
//! error with exit code 1.

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use uplift_engine::decision::analyze_metrics;
use uplift_engine::file_analysis::AnalysisRequest;
use uplift_engine::ingest::{ColumnMapping, ColumnRole};
use uplift_engine::scenario::{Guardrail, Method, RatioMetric};
use uplift_engine::value::transactions::TimeUnit;
use uplift_engine::warehouse::{Dialect, OrdersKind, SqlMetric, WarehouseQuery};
use uplift_engine::{analyze, Scenario};

#[derive(Parser)]
#[command(
    name = "uplift-roi",
    version,
    about = "Does the AI-personalization spend pay off? Experiment statistics, CLV and ROI from an A/B-test export.",
    after_help = "FILE may be '-' to read standard input. Results are JSON on standard output."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse an experiment export: the same report the web app shows, as JSON
    Analyze(AnalyzeArgs),
    /// Fit BG/NBD and Gamma-Gamma to a transaction log (customer_id, date, amount
    /// and optionally variant); print parameters and CLV per variant as JSON
    Clv(ClvArgs),
    /// Print SQL that reduces an events table (one row per exposure or order)
    /// to the aggregated CSV the app reads
    Sql(SqlArgs),
    /// Print a row-level file reduced to the aggregated CSV (streamed, any size)
    Reduce {
        /// Row-level CSV, one row per user ('-' for standard input)
        file: String,
        /// One row per value of COLUMN and variant, that column first
        #[arg(long, value_name = "COLUMN")]
        segment: Option<String>,
        /// The column that names the variant, when its header is not recognised
        #[arg(long, value_name = "COLUMN")]
        variant_column: Option<String>,
    },
    /// How well a model's score ranks users by their uplift: Qini and uplift
    /// curves, their normalised areas and the uplift per score bin, as JSON
    Targeting {
        /// One row per user ('-' for standard input)
        file: String,
        /// The model's score (predicted uplift or propensity): higher first
        /// (default: a column named like a score)
        #[arg(long, value_name = "COLUMN")]
        score: Option<String>,
        /// Treated or not: 1/0, true/false or yes/no (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        treatment: Option<String>,
        /// The response: 1/0, true/false or yes/no (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        outcome: Option<String>,
        /// Bins of the score for the uplift per bin
        #[arg(long, default_value_t = 10)]
        bins: usize,
        /// Bootstrap resamples (and random rankings) for the Qini
        /// coefficient's 95% interval and p-value; 0 for none
        #[arg(long, default_value_t = 1000)]
        bootstrap: usize,
        /// Seed of the resampling (the same seed, the same interval)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A value per user (revenue) for the profit curve; without it, each
        /// response is worth --value-per-response
        #[arg(long, value_name = "COLUMN")]
        revenue: Option<String>,
        /// What one response is worth, for the profit curve
        #[arg(long, value_name = "X", default_value_t = 1.0)]
        value_per_response: f64,
        /// What personalizing for one user costs, for the profit curve
        #[arg(long, value_name = "X", default_value_t = 0.0)]
        cost_per_user: f64,
    },
    /// A programme of experiments (name, lift, std_error or ci_low and
    /// ci_high; optionally cost, share and date): each lift shrunk toward the
    /// programme's mean, and the shipped winners' impact, NPV and chance of
    /// paying off, as JSON
    Programme {
        /// One row per experiment ('-' for standard input)
        file: String,
        /// What a year of all the traffic is worth on the lifts' metric
        #[arg(long, value_name = "X", default_value_t = 10_000_000.0)]
        annual_value: f64,
        /// Months a shipped change is counted for
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Annual discount rate for the NPV (0.08 = 8%)
        #[arg(long, value_name = "RATE", default_value_t = 0.08)]
        discount_rate: f64,
        /// Seed of the draws for the chance of paying off
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Retention measured from data: Kaplan-Meier curves per group, median,
    /// RMST up to a horizon and the log-rank test, as JSON
    Retention {
        /// One row per user ('-' for standard input)
        file: String,
        /// Time followed (days, weeks: any unit) (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        duration: Option<String>,
        /// 1 if the event (churn) was seen, 0 if the user was still there
        /// (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        event: Option<String>,
        /// The variant or cohort; the first two found are compared
        #[arg(long, value_name = "COLUMN")]
        group: Option<String>,
        /// The horizon of the restricted mean survival time, in the
        /// duration's unit (default: the follow-up every group has)
        #[arg(long, value_name = "T")]
        horizon: Option<f64>,
        /// Confidence level of the curves' bands, between 0.5 and 1
        #[arg(long, value_name = "LEVEL", default_value_t = 0.95, value_parser = parse_confidence)]
        confidence: f64,
    },
    /// A launch without a randomised control group: difference in
    /// differences between treated and untreated units, before and after,
    /// with cluster-robust errors, and optionally the event study and its
    /// pre-trend test, as JSON
    Did {
        /// One row per unit and period ('-' for standard input)
        file: String,
        /// The number measured (sales, visits, hours); rows without it are
        /// left out (default: guessed by name, else the first column left)
        #[arg(long, value_name = "COLUMN")]
        outcome: Option<String>,
        /// 1 if the row's unit is in the treated group, before the launch as
        /// after (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        treated: Option<String>,
        /// The unit (store, region, user): standard errors are clustered by
        /// it; without it, rows are independent (HC1)
        #[arg(long, value_name = "COLUMN")]
        unit: Option<String>,
        /// 1 on rows after the launch (instead of --launch)
        #[arg(long, value_name = "COLUMN")]
        post: Option<String>,
        /// The period: a number, a date or a label
        #[arg(long, value_name = "COLUMN")]
        period: Option<String>,
        /// The first period after the launch: rows with period >= it are after
        #[arg(long, value_name = "VALUE", conflicts_with = "post")]
        launch: Option<String>,
        /// Also the effect period by period and the pre-trend test
        #[arg(long)]
        event_study: bool,
        /// Confidence level of intervals, between 0.5 and 1
        #[arg(long, value_name = "LEVEL", default_value_t = 0.95, value_parser = parse_confidence)]
        confidence: f64,
    },
    /// The lift day by day: users and the metric per variant, the
    /// cumulative relative lift with fixed-horizon and always-valid
    /// (sequential) intervals, the trend of the daily lift (novelty or
    /// primacy) and the days the experiment still needs, as JSON
    Timeline {
        /// One row per user, or with --users one row per day and variant
        /// ('-' for standard input)
        file: String,
        /// The date (or timestamp) of exposure: YYYY-MM-DD, the time ignored
        /// (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        date: Option<String>,
        /// The variant (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        variant: Option<String>,
        /// The metric per user: 1/0 (a conversion) or a number (revenue);
        /// with --users, its sum over the day's users (default: a
        /// conversion's or revenue's column)
        #[arg(long, value_name = "COLUMN")]
        metric: Option<String>,
        /// A file of daily aggregates: the users of each day and variant
        #[arg(long, value_name = "COLUMN")]
        users: Option<String>,
        /// Daily aggregates of a metric that is not 1/0: the sum of its squares
        #[arg(long, value_name = "COLUMN", requires = "users")]
        sum_squares: Option<String>,
        /// The control (default: the variant named control, else the first)
        #[arg(long, value_name = "NAME")]
        control: Option<String>,
        /// The treatment, when there are more than two variants
        #[arg(long, value_name = "NAME")]
        treatment: Option<String>,
        /// Tuning parameter of the always-valid intervals (GrowthBook's default)
        #[arg(long, value_name = "TAU", default_value_t = 5000.0, value_parser = parse_tau)]
        tau: f64,
        /// Confidence level of intervals, between 0.5 and 1
        #[arg(long, value_name = "LEVEL", default_value_t = 0.95, value_parser = parse_confidence)]
        confidence: f64,
        /// The smallest relative lift worth detecting, for the days to go
        /// (default: the observed lift if positive, else 0.05)
        #[arg(long, value_name = "LIFT", value_parser = parse_lift)]
        min_lift: Option<f64>,
    },
    /// Signup-week cohorts: the share of each cohort still active 0, 1, 2,
    /// ... weeks after signing up, per variant, with the weeks a cohort is
    /// too young to show left empty (null), as JSON
    Cohorts {
        /// One row per user ('-' for standard input)
        file: String,
        /// The signup (or first exposure) date (default: guessed by name)
        #[arg(long, value_name = "COLUMN")]
        start: Option<String>,
        /// The date the user was last seen (or churned) (default: guessed
        /// by name, unless --duration is given)
        #[arg(long, value_name = "COLUMN")]
        end: Option<String>,
        /// The day the data ends: users last seen then are still active
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        observed_until: Option<i64>,
        /// Days from signup to churn, or to the end of the user's follow-up
        #[arg(long, value_name = "COLUMN", conflicts_with = "end")]
        duration: Option<String>,
        /// 1 if the user churned after --duration days, 0 if still active then
        #[arg(long, value_name = "COLUMN")]
        event: Option<String>,
        /// The variant; without it, one table for all users
        #[arg(long, value_name = "COLUMN")]
        variant: Option<String>,
        /// At most this many weeks since signup (columns 0 to N - 1)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=520))]
        weeks: Option<u32>,
    },
    /// Print the built-in demo scenario as JSON (a template for --scenario)
    DemoScenario,
}

#[derive(Args)]
struct AnalyzeArgs {
    /// Aggregated or row-level CSV ('-' for standard input)
    file: String,
    /// The variant to compare against (default: the one named like a
    /// control, else the first, with a warning that it was assumed)
    #[arg(long, value_name = "NAME")]
    control: Option<String>,
    /// The arm the investment case rests on (default: the first after the control)
    #[arg(long, value_name = "NAME")]
    treatment: Option<String>,
    /// What one unit of the primary metric is worth, when the data has no
    /// revenue and the primary metric is not a purchase (one survey "yes",
    /// one thousand of SalesInThousands); without it there is no ROI
    #[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
    metric_value: Option<f64>,
    /// Confidence level of intervals, between 0.5 and 1
    #[arg(long, value_name = "LEVEL", value_parser = parse_confidence)]
    confidence: Option<f64>,
    /// How variants are compared
    #[arg(long, value_enum)]
    method: Option<MethodArg>,
    /// Same as --method sequential
    #[arg(long, conflicts_with = "method")]
    sequential: bool,
    /// Take costs and assumptions from a saved scenario; the data comes from FILE
    #[arg(long, value_name = "FILE.json")]
    scenario: Option<String>,
    /// The column that names the variant, when its header is not recognised
    #[arg(long, value_name = "COLUMN")]
    variant_column: Option<String>,
    /// Read COLUMN as a metric even if its name looks like an id or a date (repeatable)
    #[arg(long, value_name = "COLUMN")]
    metric: Vec<String>,
    /// The metric the decision and the ROI rest on: a column, a ratio, or
    /// conversion_rate, revenue_per_user, average_order_value, click_through_rate
    #[arg(long, value_name = "METRIC")]
    primary: Option<String>,
    /// A metric that may not drop by more than MARGIN, e.g. retention_7:1% (repeatable)
    #[arg(long, value_name = "METRIC:MARGIN", value_parser = parse_guardrail)]
    guardrail: Vec<Guardrail>,
    /// A ratio of two metric columns, e.g. spend_per_visit=spend/visit (repeatable)
    #[arg(long, value_name = "NAME=NUM/DEN", value_parser = parse_ratio)]
    ratio: Vec<RatioMetric>,
    /// Also analyse each value of COLUMN on its own: uplift, ROI, against the rest
    #[arg(long, value_name = "COLUMN")]
    segment: Option<String>,
}

/// `METRIC:MARGIN`, the margin as a percent (`1%`) or a fraction (`0.01`).
fn parse_guardrail(text: &str) -> Result<Guardrail, String> {
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
fn parse_ratio(text: &str) -> Result<RatioMetric, String> {
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
enum MethodArg {
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
struct ClvArgs {
    /// Transaction log: customer_id, date, amount [, variant] ('-' for standard input)
    file: String,
    /// End of the observation period (default: the last transaction's date)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    end: Option<i64>,
    /// Time unit of the fitted models
    #[arg(long, value_enum, default_value = "weeks")]
    unit: UnitArg,
    /// CLV horizon in months, 1 to 600
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=600))]
    months: u32,
    /// Monthly discount rate, between 0 and 1
    #[arg(long, default_value_t = 0.01, value_parser = parse_discount)]
    discount: f64,
    /// Confidence level of the bootstrap intervals, between 0.5 and 1
    #[arg(long, default_value_t = 0.95, value_parser = parse_confidence)]
    confidence: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum UnitArg {
    #[value(alias = "week", alias = "w")]
    Weeks,
    #[value(alias = "day", alias = "d")]
    Days,
}

#[derive(Args)]
struct SqlArgs {
    /// SQL dialect: bigquery, snowflake, spark_sql, postgresql, duckdb
    #[arg(long, default_value = "bigquery", value_parser = parse_dialect)]
    dialect: Dialect,
    /// The events table, e.g. analytics.events
    #[arg(long)]
    table: String,
    /// Column with the user id
    #[arg(long, value_name = "COL")]
    user: String,
    /// Column with the variant
    #[arg(long, value_name = "COL")]
    variant: String,
    /// Column with revenue
    #[arg(long, value_name = "COL")]
    revenue: Option<String>,
    /// Column with an order id (orders are counted as distinct ids)
    #[arg(
        long,
        value_name = "COL",
        alias = "orders",
        conflicts_with = "is_order"
    )]
    order_id: Option<String>,
    /// Column that is true on rows that are orders
    #[arg(long, value_name = "COL")]
    is_order: Option<String>,
    /// Column with pre-period revenue (for CUPED)
    #[arg(long, value_name = "COL")]
    pre_revenue: Option<String>,
    /// Column with the event time, to restrict to --start/--end
    #[arg(long, value_name = "COL")]
    timestamp: Option<String>,
    /// First day of the experiment
    #[arg(long, value_name = "YYYY-MM-DD")]
    start: Option<String>,
    /// Last day of the experiment
    #[arg(long, value_name = "YYYY-MM-DD")]
    end: Option<String>,
    /// A further metric: COL (a number summed per user) or COL:flag (true or 1
    /// on any of the user's rows); repeatable
    #[arg(long, value_name = "COL[:flag]", value_parser = parse_sql_metric)]
    metric: Vec<SqlMetric>,
    /// A per-user segment column: one row per segment and variant
    #[arg(long, value_name = "COL")]
    segment: Option<String>,
}

fn parse_sql_metric(text: &str) -> Result<SqlMetric, String> {
    SqlMetric::parse(text)
        .ok_or_else(|| "write COL or COL:flag, e.g. visits or converted:flag".into())
}

fn parse_amount(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("'{text}' is not an amount of money, e.g. 2.50")),
    }
}

fn parse_confidence(text: &str) -> Result<f64, String> {
    match uplift_engine::decimal::parse_f64(text.trim()) {
        Some(c) if c > 0.5 && c < 1.0 => Ok(c),
        _ => Err("must be a number between 0.5 and 1, e.g. 0.95".into()),
    }
}

fn parse_tau(text: &str) -> Result<f64, String> {
    match uplift_engine::decimal::parse_f64(text.trim()) {
        Some(t) if t > 0.0 && t.is_finite() => Ok(t),
        _ => Err("must be a number above 0, e.g. 5000".into()),
    }
}

/// A relative lift as a fraction (`0.05`) or a percent (`5%`).
fn parse_lift(text: &str) -> Result<f64, String> {
    let lift = match text.trim().strip_suffix('%') {
        Some(pct) => uplift_engine::decimal::parse_f64(pct.trim()).map(|p| p / 100.0),
        None => uplift_engine::decimal::parse_f64(text.trim()),
    };
    match lift {
        Some(l) if l > 0.0 && l.is_finite() => Ok(l),
        _ => Err("must be a relative lift above 0, e.g. 0.05 or 5%".into()),
    }
}

fn parse_discount(text: &str) -> Result<f64, String> {
    match uplift_engine::decimal::parse_f64(text.trim()) {
        Some(d) if (0.0..1.0).contains(&d) => Ok(d),
        _ => Err("must be a monthly rate between 0 and 1, e.g. 0.01".into()),
    }
}

fn parse_day(text: &str) -> Result<i64, String> {
    uplift_engine::value::transactions::parse_date(text)
        .ok_or_else(|| "is not a date (YYYY-MM-DD)".into())
}

fn parse_dialect(text: &str) -> Result<Dialect, String> {
    Dialect::from_id(text).ok_or_else(|| {
        let ids: Vec<&str> = Dialect::ALL.iter().map(|d| d.id()).collect();
        format!("is not one of {}", ids.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("uplift-roi: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<String, String> {
    match command {
        Command::Analyze(args) => analyze_file(args),
        Command::Clv(args) => clv(args),
        Command::Sql(args) => sql(args),
        Command::Reduce {
            file,
            segment,
            variant_column,
        } => {
            let mut mapping = ColumnMapping::new();
            if let Some(col) = variant_column {
                mapping.insert(col, ColumnRole::Variant);
            }
            reduce(&file, segment.as_deref(), mapping)
        }
        Command::Targeting {
            file,
            score,
            treatment,
            outcome,
            bins,
            bootstrap,
            seed,
            revenue,
            value_per_response,
            cost_per_user,
        } => {
            use uplift_engine::targeting::{
                evaluate, guess_columns, profit_curve, QiniBootstrap, Units,
            };
            let text = read_text(&file)?;
            let guess = guess_columns(&header_fields(&text));
            let score = column(score, guess.score, "the score", "score")?;
            let treatment = column(treatment, guess.treatment, "the treatment", "treatment")?;
            let outcome = column(outcome, guess.outcome, "the outcome", "outcome")?;
            let units =
                Units::read(&text, &treatment, &outcome, &score).map_err(|e| e.to_string())?;
            let report = evaluate(&units, bins).map_err(|e| e.to_string())?;
            let value = match &revenue {
                Some(column) => Units::read_values(&text, column).map_err(|e| e.to_string())?,
                None => units
                    .outcome
                    .iter()
                    .map(|y| y * value_per_response)
                    .collect(),
            };
            let profit = profit_curve(&units, &value, cost_per_user).map_err(|e| e.to_string())?;
            let mut json = serde_json::to_value(&report).map_err(|e| e.to_string())?;
            if let Some(map) = json.as_object_mut() {
                let p = serde_json::to_value(profit).map_err(|e| e.to_string())?;
                map.insert("profit_curve".into(), p);
            }
            if bootstrap > 0 {
                let mut b = QiniBootstrap::new(&units, seed).map_err(|e| e.to_string())?;
                b.run(bootstrap);
                if let Some(map) = json.as_object_mut() {
                    let u = serde_json::to_value(b.result(0.95)).map_err(|e| e.to_string())?;
                    map.insert("qini_uncertainty".into(), u);
                }
            }
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
        }
        Command::Programme {
            file,
            annual_value,
            months,
            discount_rate,
            seed,
        } => {
            use uplift_engine::programme::{read, report, worth, Valuation};
            let experiments = read(&read_text(&file)?).map_err(|e| e.to_string())?;
            let r = report(experiments).map_err(|e| e.to_string())?;
            let valuation = Valuation {
                annual_value,
                months,
                discount_rate,
                seed,
                ..Valuation::default()
            };
            let w = worth(&r, &valuation).map_err(|e| e.to_string())?;
            let mut json = serde_json::to_value(&r).map_err(|e| e.to_string())?;
            if let Some(map) = json.as_object_mut() {
                let w = serde_json::to_value(w).map_err(|e| e.to_string())?;
                map.insert("worth".into(), w);
            }
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
        }
        Command::Retention {
            file,
            duration,
            event,
            group,
            horizon,
            confidence,
        } => {
            let text = read_text(&file)?;
            let guess = uplift_engine::ingest::retention_columns(&header_fields(&text));
            let request = AnalysisRequest::Retention {
                duration: column(duration, Some(guess.duration), "the duration", "duration")?,
                event: column(event, Some(guess.event), "the event (churn)", "event")?,
                group: group.or_else(|| said(guess.group, "the group", "group")),
                // 0: the follow-up every group has, as on the page.
                horizon: horizon.unwrap_or(0.0),
                confidence,
            };
            run_file(&request, &text)
        }
        Command::Did {
            file,
            outcome,
            treated,
            unit,
            post,
            period,
            launch,
            event_study,
            confidence,
        } => {
            use uplift_engine::did::PanelColumns;
            let text = read_text(&file)?;
            let guess = uplift_engine::ingest::panel_columns(&header_fields(&text));
            let post = match (post, &launch) {
                (Some(p), _) => Some(p),
                (None, Some(_)) => None,
                (None, None) => Some(column(
                    None,
                    guess.post,
                    "the after-launch flag",
                    "post (or say the first period after it with --launch)",
                )?),
            };
            let columns = PanelColumns {
                treated: column(treated, Some(guess.treated), "the treated flag", "treated")?,
                unit: unit.or_else(|| said(guess.unit, "the unit", "unit")),
                period: period.or_else(|| said(guess.period, "the period", "period")),
                outcome: column(outcome, Some(guess.outcome), "the outcome", "outcome")?,
                post,
                launch,
            };
            let request = AnalysisRequest::Did {
                columns,
                event_study,
                confidence,
            };
            run_file(&request, &text)
        }
        Command::Timeline {
            file,
            date,
            variant,
            metric,
            users,
            sum_squares,
            control,
            treatment,
            tau,
            confidence,
            min_lift,
        } => {
            use uplift_engine::timeline::{TimelineColumns, TimelineOptions};
            let text = read_text(&file)?;
            let guess = uplift_engine::ingest::timeline_columns(&header_fields(&text));
            let columns = TimelineColumns {
                date: column(date, Some(guess.date), "the date", "date")?,
                variant: column(variant, Some(guess.variant), "the variant", "variant")?,
                metric: column(metric, Some(guess.metric), "the metric", "metric")?,
                users: users.or_else(|| said(guess.users, "the users per row", "users")),
                sum_squares,
                latest: Some(latest_day()),
            };
            let options = TimelineOptions {
                control,
                treatment,
                confidence,
                tau,
                min_lift,
                ..TimelineOptions::default()
            };
            run_file(&AnalysisRequest::Timeline { columns, options }, &text)
        }
        Command::Cohorts {
            file,
            start,
            end,
            observed_until,
            duration,
            event,
            variant,
            weeks,
        } => {
            use uplift_engine::cohorts::CohortColumns;
            let text = read_text(&file)?;
            let guess = uplift_engine::ingest::cohort_columns(&header_fields(&text));
            // The follow-up the flags chose, else the one the names suggest.
            let chosen = end.is_some() || duration.is_some();
            let start = column(start, Some(guess.start), "the signup date", "start")?;
            let end = end.or_else(|| {
                (!chosen)
                    .then(|| said(guess.end, "the last-seen date", "end"))
                    .flatten()
            });
            let duration = duration.or_else(|| {
                (!chosen)
                    .then(|| said(guess.duration, "the duration", "duration"))
                    .flatten()
            });
            let event = event.or_else(|| {
                duration
                    .is_some()
                    .then(|| said(guess.event, "the churn flag", "event"))
                    .flatten()
            });
            let columns = CohortColumns {
                start,
                end,
                observed_until,
                duration,
                event,
                variant: variant.or_else(|| said(guess.variant, "the variant", "variant")),
                latest: Some(latest_day()),
            };
            let weeks = weeks.map(|w| w as usize);
            run_file(&AnalysisRequest::Cohorts { columns, weeks }, &text)
        }
        Command::DemoScenario => Ok(Scenario::demo().to_json()),
    }
}

/// A file analysis run by the engine's one `run` (as the page's worker
/// runs it), its report printed as JSON.
fn run_file(request: &AnalysisRequest, text: &str) -> Result<String, String> {
    let done = uplift_engine::file_analysis::run(request, text)?;
    done.result.report_json().map_err(|e| e.to_string())
}

/// The last day a file's dates can be from: today (days since 1970-01-01),
/// with a day's slack for the time zones ahead of UTC. Later dates are left
/// out and counted, as placeholders are.
fn latest_day() -> i64 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (seconds / 86_400) as i64 + 1
}

/// The header row of a file, for guessing its columns.
fn header_fields(text: &str) -> Vec<String> {
    uplift_engine::ingest::header_fields(text)
}

/// The column a flag names, else the engine's guess, said on stderr (as
/// the page's tools show theirs in their selects).
fn column(
    flag: Option<String>,
    guess: Option<String>,
    role: &str,
    option: &str,
) -> Result<String, String> {
    match flag {
        Some(c) => Ok(c),
        None => said(guess, role, option)
            .ok_or_else(|| format!("No column is named like {role}: name it with --{option}.")),
    }
}

/// A guessed column, said on stderr with the flag that overrides it.
fn said(guess: Option<String>, role: &str, option: &str) -> Option<String> {
    let g = guess.filter(|g| !g.is_empty())?;
    eprintln!("column {g}: {role} (guessed from its name; choose with --{option})");
    Some(g)
}

fn read_text(file: &str) -> Result<String, String> {
    if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))
    }
}

fn analyze_file(args: AnalyzeArgs) -> Result<String, String> {
    let mut scenario = match &args.scenario {
        Some(path) => Scenario::from_json(&read_text(path)?).map_err(|e| format!("{path}: {e}"))?,
        None => Scenario::demo(),
    };
    scenario.data = read_text(&args.file)?;
    if args.control.is_some() {
        scenario.control = args.control;
    }
    if args.treatment.is_some() {
        scenario.treatment = args.treatment;
    }
    if let Some(v) = args.metric_value {
        scenario.assumptions.metric_value = Some(uplift_engine::units::Money(v));
    }
    if let Some(c) = args.confidence {
        scenario.confidence = c;
    }
    if let Some(col) = args.variant_column {
        scenario.columns.insert(col, ColumnRole::Variant);
    }
    for col in args.metric {
        scenario.columns.insert(col, ColumnRole::Metric);
    }
    scenario.columns = columns_with_guesses(&scenario.data, &scenario.columns);
    let mut plan = scenario
        .analysis
        .metrics
        .choices()
        .map_err(|e| format!("the scenario's metrics: {e}"))?;
    if args.primary.is_some() {
        plan.primary = args.primary;
    }
    plan.guardrails.extend(args.guardrail);
    plan.ratios.extend(args.ratio);
    scenario.analysis.metrics = plan.into();
    if args.sequential {
        scenario.analysis.method = Method::Sequential;
    } else if let Some(m) = args.method {
        scenario.analysis.method = m.into();
    }
    let report = analyze(&scenario).map_err(|e| e.to_string())?;
    let h = &report.headline;
    if h.control_assumed {
        eprintln!(
            "warning: no arm is named like a control; {} (the first in the file) was taken. Choose with --control.",
            report.control
        );
    }
    if h.value == uplift_engine::headline::ValueBasis::Needed {
        eprintln!(
            "warning: the data has no revenue and {} is not a purchase: say what one unit of it is worth with --metric-value to get an ROI.",
            h.metric
        );
    }
    let experiment =
        uplift_engine::ingest::parse_experiment_with(&scenario.data, &scenario.columns)
            .map_err(|e| e.to_string())?;
    let metrics = analyze_metrics(&scenario, &experiment).map_err(|e| e.to_string())?;
    // The report, with the metric columns and the decision beside it.
    let mut out = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    if let Some(map) = out.as_object_mut() {
        map.insert(
            "column_metrics".into(),
            serde_json::to_value(&metrics.column_metrics).map_err(|e| e.to_string())?,
        );
        map.insert(
            "decision".into(),
            serde_json::to_value(&metrics.decision).map_err(|e| e.to_string())?,
        );
        if let Some(column) = &args.segment {
            let segments = uplift_engine::segments::segment_report(&scenario, column)
                .map_err(|e| e.to_string())?;
            map.insert(
                "segments".into(),
                serde_json::to_value(&segments).map_err(|e| e.to_string())?,
            );
        }
        let users = uplift_engine::ingest::user_checks(&scenario.data, &scenario.columns);
        map.insert(
            "user_checks".into(),
            serde_json::to_value(users).map_err(|e| e.to_string())?,
        );
    }
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}

fn clv(args: ClvArgs) -> Result<String, String> {
    use uplift_engine::value::btyd::{analyze_transactions, ClvSettings};
    let settings = ClvSettings {
        unit: match args.unit {
            UnitArg::Weeks => TimeUnit::Weeks,
            UnitArg::Days => TimeUnit::Days,
        },
        end: args.end,
        months: args.months,
        monthly_discount: args.discount,
        confidence: args.confidence,
        latest: Some(latest_day()),
    };
    let report =
        analyze_transactions(&read_text(&args.file)?, settings).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}

fn sql(args: SqlArgs) -> Result<String, String> {
    let (orders, orders_kind) = match (args.order_id, args.is_order) {
        (Some(col), _) => (Some(col), OrdersKind::OrderId),
        (None, Some(col)) => (Some(col), OrdersKind::IsOrder),
        (None, None) => (None, OrdersKind::default()),
    };
    let query = WarehouseQuery {
        table: args.table,
        user: args.user,
        variant: args.variant,
        revenue: args.revenue,
        orders,
        orders_kind,
        pre_revenue: args.pre_revenue,
        timestamp: args.timestamp,
        start: args.start,
        end: args.end,
        metrics: args.metric,
        segment: args.segment,
    };
    let text =
        uplift_engine::warehouse::warehouse_sql(args.dialect, &query).map_err(|e| e.to_string())?;
    // `main` adds the final newline.
    Ok(text.trim_end().to_string())
}

/// The roles the file is read with: the guesses from its header and first
/// rows, overridden by the flags and the scenario. Each role a flag chose
/// or the values told is printed to stderr with its reason (a column named
/// as the reader expects, such as `users`, goes without saying).
fn columns_with_guesses(data: &str, chosen: &ColumnMapping) -> ColumnMapping {
    use uplift_engine::ingest::{guess_columns, guess_roles, guessed_mapping};
    let guesses = guess_columns(data);
    let mut columns = guessed_mapping(&guesses);
    columns.extend(chosen.iter().map(|(h, r)| (h.clone(), *r)));
    let headers: Vec<String> = guesses.iter().map(|g| g.header.clone()).collect();
    for (g, named) in guesses.iter().zip(guess_roles(&headers)) {
        match chosen.get(&g.header) {
            Some(role) => eprintln!("column {}: {} (chosen)", g.header, role.label()),
            None if named.is_none() => {
                eprintln!("column {}: {} ({})", g.header, g.role.label(), g.reason)
            }
            None => {}
        }
    }
    columns
}

fn reduce(file: &str, segment: Option<&str>, mapping: ColumnMapping) -> Result<String, String> {
    use uplift_engine::ingest::{to_aggregated_csv, ExperimentReader};
    use uplift_engine::segments::SegmentReader;
    // Streamed in 4 MiB chunks, as the browser's worker does: memory stays
    // bounded however large the file.
    let mut input: Box<dyn Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("cannot read {file}: {e}"))?)
    };
    let mut buffer = vec![0u8; 4 << 20];
    let mut chunks = move |feed: &mut dyn FnMut(&[u8]) -> Result<(), String>| loop {
        let n = input
            .read(&mut buffer)
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        match buffer.get(..n).filter(|c| !c.is_empty()) {
            Some(chunk) => feed(chunk)?,
            None => return Ok::<(), String>(()),
        }
    };
    let out = if let Some(column) = segment {
        let mut reader = SegmentReader::new(&mapping, column);
        chunks(&mut |c| reader.feed(c).map_err(|e| e.to_string()))?;
        reader
            .finish()
            .and_then(|s| s.to_csv())
            .map_err(|e| e.to_string())?
    } else {
        let mut reader = ExperimentReader::new(mapping);
        chunks(&mut |c| reader.feed(c).map_err(|e| e.to_string()))?;
        let e = reader.finish().map_err(|e| e.to_string())?;
        to_aggregated_csv(&e.variants, &e.metric_columns)
    };
    Ok(out.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

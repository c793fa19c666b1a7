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

use clap::Parser;
use uplift_engine::decision::analyze_metrics;
use uplift_engine::file_analysis::AnalysisRequest;
use uplift_engine::ingest::{ColumnMapping, ColumnRole};
use uplift_engine::scenario::Method;
use uplift_engine::value::transactions::TimeUnit;
use uplift_engine::warehouse::{OrdersKind, WarehouseQuery};
use uplift_engine::{analyze, Scenario};

mod args;
mod error;

use args::*;
use error::CliError;

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

fn run(command: Command) -> Result<String, CliError> {
    match command {
        Command::Analyze(args) => analyze_file(args),
        Command::Clv(args) => clv(args),
        Command::Sql(args) => sql(args),
        Command::Reduce(args) => reduce_command(args),
        Command::Targeting(args) => targeting_command(args),
        Command::Programme(args) => programme_command(args),
        Command::Retention(args) => retention_command(args),
        Command::Did(args) => did_command(args),
        Command::Timeline(args) => timeline_command(args),
        Command::Cohorts(args) => cohorts_command(args),
        Command::Attribution(args) => {
            let request =
                AnalysisRequest::Attribution(uplift_engine::attribution::AttributionRequest {
                    order: usize::from(args.order),
                    with_nulls: !args.converted_only,
                });
            run_file(&request, &read_text(&args.file)?)
        }
        Command::DemoScenario => Ok(Scenario::demo().to_json()),
    }
}

fn cohorts_command(args: CohortsArgs) -> Result<String, CliError> {
    let CohortsArgs {
        file,
        start,
        end,
        observed_until,
        duration,
        event,
        variant,
        weeks,
    } = args;
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

fn timeline_command(args: TimelineArgs) -> Result<String, CliError> {
    let TimelineArgs {
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
    } = args;
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

fn did_command(args: DidArgs) -> Result<String, CliError> {
    let DidArgs {
        file,
        outcome,
        treated,
        unit,
        post,
        period,
        launch,
        event_study,
        confidence,
    } = args;
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

fn retention_command(args: RetentionArgs) -> Result<String, CliError> {
    let RetentionArgs {
        file,
        duration,
        event,
        group,
        horizon,
        confidence,
    } = args;
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

fn programme_command(args: ProgrammeArgs) -> Result<String, CliError> {
    let ProgrammeArgs {
        file,
        annual_value,
        months,
        discount_rate,
        seed,
    } = args;
    use uplift_engine::programme::{read, report, worth, Valuation};
    let experiments = read(&read_text(&file)?)?;
    let r = report(experiments)?;
    let valuation = Valuation {
        annual_value,
        months,
        discount_rate,
        seed,
        ..Valuation::default()
    };
    let w = worth(&r, &valuation)?;
    let mut json = serde_json::to_value(&r)?;
    if let Some(map) = json.as_object_mut() {
        let w = serde_json::to_value(w)?;
        map.insert("worth".into(), w);
    }
    Ok(serde_json::to_string_pretty(&json)?)
}

fn targeting_command(args: TargetingArgs) -> Result<String, CliError> {
    let TargetingArgs {
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
    } = args;
    use uplift_engine::targeting::{evaluate, guess_columns, profit_curve, QiniBootstrap, Units};
    let text = read_text(&file)?;
    let guess = guess_columns(&header_fields(&text));
    let score = column(score, guess.score, "the score", "score")?;
    let treatment = column(treatment, guess.treatment, "the treatment", "treatment")?;
    let outcome = column(outcome, guess.outcome, "the outcome", "outcome")?;
    let units = Units::read(&text, &treatment, &outcome, &score)?;
    let report = evaluate(&units, bins)?;
    let value = match &revenue {
        Some(column) => Units::read_values(&text, column)?,
        None => units
            .outcome
            .iter()
            .map(|y| y * value_per_response)
            .collect(),
    };
    let profit = profit_curve(&units, &value, cost_per_user)?;
    let mut json = serde_json::to_value(&report)?;
    if let Some(map) = json.as_object_mut() {
        let p = serde_json::to_value(profit)?;
        map.insert("profit_curve".into(), p);
    }
    if bootstrap > 0 {
        let mut b = QiniBootstrap::new(&units, seed)?;
        b.run(bootstrap);
        if let Some(map) = json.as_object_mut() {
            let u = serde_json::to_value(b.result(0.95))?;
            map.insert("qini_uncertainty".into(), u);
        }
    }
    Ok(serde_json::to_string_pretty(&json)?)
}

fn reduce_command(args: ReduceArgs) -> Result<String, CliError> {
    let ReduceArgs {
        file,
        segment,
        variant_column,
        mut cap,
        floor,
    } = args;
    let mut mapping = ColumnMapping::new();
    if let Some(col) = variant_column {
        mapping.insert(col, ColumnRole::Variant);
    }
    cap.extend(floor);
    reduce(&file, segment.as_deref(), mapping, &cap)
}

/// A file analysis run by the engine's one `run` (as the page's worker
/// runs it), its report printed as JSON.
fn run_file(request: &AnalysisRequest, text: &str) -> Result<String, CliError> {
    let done = uplift_engine::file_analysis::run(request, text)?;
    Ok(done.result.report_json()?)
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
) -> Result<String, CliError> {
    match flag {
        Some(c) => Ok(c),
        None => said(guess, role, option).ok_or_else(|| {
            format!("No column is named like {role}: name it with --{option}.").into()
        }),
    }
}

/// A guessed column, said on stderr with the flag that overrides it.
fn said(guess: Option<String>, role: &str, option: &str) -> Option<String> {
    let g = guess.filter(|g| !g.is_empty())?;
    eprintln!("column {g}: {role} (guessed from its name; choose with --{option})");
    Some(g)
}

fn read_text(file: &str) -> Result<String, CliError> {
    if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|source| CliError::Read {
            file: "standard input".into(),
            source,
        })
    } else {
        std::fs::read_to_string(file).map_err(|source| CliError::Read {
            file: file.into(),
            source,
        })
    }
}

fn analyze_file(args: AnalyzeArgs) -> Result<String, CliError> {
    let mut scenario = match &args.scenario {
        Some(path) => {
            Scenario::from_json(&read_text(path)?).map_err(|source| CliError::Scenario {
                file: path.clone(),
                source,
            })?
        }
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
    plan.nps.extend(args.nps);
    plan.lower_is_better.extend(args.lower_is_better);
    plan.higher_is_better.extend(args.higher_is_better);
    plan.caps.extend(args.cap);
    plan.caps.extend(args.floor);
    if let Some(interval) = args.nps_interval {
        plan.nps_interval = interval.into();
    }
    scenario.analysis.metrics = plan.into();
    if args.sequential {
        scenario.analysis.method = Method::Sequential;
    } else if let Some(m) = args.method {
        scenario.analysis.method = m.into();
    }
    let report = analyze(&scenario)?;
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
    let views = data_views(&scenario, &report);
    for v in &views {
        eprintln!("view {}: {}", v.view.label(), v.reason);
    }
    let experiment = scenario.experiment()?;
    let metrics = analyze_metrics(&scenario, &experiment)?;
    // The report, with the metric columns and the decision beside it.
    let mut out = serde_json::to_value(&report)?;
    if let Some(map) = out.as_object_mut() {
        map.insert(
            "column_metrics".into(),
            serde_json::to_value(&metrics.column_metrics)?,
        );
        map.insert("decision".into(), serde_json::to_value(&metrics.decision)?);
        map.insert("views".into(), serde_json::to_value(&views)?);
        if !experiment.caps.is_empty() {
            map.insert("caps".into(), serde_json::to_value(&experiment.caps)?);
        }
        if !args.quantile.is_empty() {
            let mut quantiles = Vec::new();
            for (column, level) in &args.quantile {
                let q = uplift_engine::quantile_metric::quantile_metric(&scenario, column, *level)
                    .map_err(|e| format!("--quantile {column}: {e}"))?;
                quantiles.push(q);
            }
            map.insert("quantile_metrics".into(), serde_json::to_value(&quantiles)?);
        }
        if let Some(column) = &args.segment {
            let segments = uplift_engine::segments::segment_report(&scenario, column)?;
            map.insert("segments".into(), serde_json::to_value(&segments)?);
        }
        let users = uplift_engine::ingest::user_checks(&scenario.data, &scenario.columns);
        map.insert("user_checks".into(), serde_json::to_value(users)?);
    }
    Ok(serde_json::to_string_pretty(&out)?)
}

fn clv(args: ClvArgs) -> Result<String, CliError> {
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
    let report = analyze_transactions(&read_text(&args.file)?, settings)?;
    Ok(serde_json::to_string_pretty(&report)?)
}

fn sql(args: SqlArgs) -> Result<String, CliError> {
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
        caps: args.cap.into_iter().chain(args.floor).collect(),
    };
    let text = uplift_engine::warehouse::warehouse_sql(args.dialect, &query)?;
    // `main` adds the final newline.
    Ok(text.trim_end().to_string())
}

/// The views the rows allow beyond the report (over time, retention,
/// cohorts), as the page offers them: told from the columns' roles, with
/// the verdict's control, arm, metric and confidence. Each carries the
/// request `uplift-roi timeline`, `retention` or `cohorts` runs.
fn data_views(
    scenario: &Scenario,
    report: &uplift_engine::Report,
) -> Vec<uplift_engine::data_views::ViewOffer> {
    use uplift_engine::data_views::{offered_views, ViewSettings};
    if report.shape != uplift_engine::ingest::DataShape::RowLevel {
        return Vec::new();
    }
    let settings = ViewSettings {
        confidence: report.confidence,
        control: Some(report.control.clone()),
        arm: Some(report.treatment.clone()),
        primary: report.primary.clone(),
        latest: Some(latest_day()),
    };
    let guesses = uplift_engine::ingest::guess_columns(&scenario.data);
    offered_views(&guesses, &scenario.data, &scenario.columns, &settings)
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

fn reduce(
    file: &str,
    segment: Option<&str>,
    mapping: ColumnMapping,
    caps: &[uplift_engine::ingest::CapSpec],
) -> Result<String, CliError> {
    use uplift_engine::ingest::{resolve_caps, to_aggregated_csv, ExperimentReader};
    use uplift_engine::segments::SegmentReader;
    let open = |file: &str| -> Result<Box<dyn Read>, CliError> {
        Ok(if file == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(file).map_err(|source| CliError::Read {
                file: file.into(),
                source,
            })?)
        })
    };
    // Streamed in 4 MiB chunks, as the browser's worker does: memory stays
    // bounded however large the file. Caps at a percentile need every
    // user's value first: then the file is read whole, and again from memory.
    let (mut input, applied): (Box<dyn Read>, _) = if caps.is_empty() {
        (open(file)?, Vec::new())
    } else {
        let mut bytes = Vec::new();
        open(file)?
            .read_to_end(&mut bytes)
            .map_err(|source| CliError::Read {
                file: file.into(),
                source,
            })?;
        let text = uplift_engine::ingest::decode_text(&bytes)?;
        let applied = resolve_caps(&text, &mapping, caps)?;
        (Box::new(std::io::Cursor::new(text.into_bytes())), applied)
    };
    let mut buffer = vec![0u8; 4 << 20];
    let mut chunks = move |feed: &mut dyn FnMut(&[u8]) -> Result<(), CliError>| loop {
        let n = input.read(&mut buffer).map_err(|source| CliError::Read {
            file: file.into(),
            source,
        })?;
        match buffer.get(..n).filter(|c| !c.is_empty()) {
            Some(chunk) => feed(chunk)?,
            None => return Ok::<(), CliError>(()),
        }
    };
    let out = if let Some(column) = segment {
        let mut reader = SegmentReader::new(&mapping, column).capped(applied);
        chunks(&mut |c| Ok(reader.feed(c)?))?;
        reader.finish().and_then(|s| s.to_csv())?
    } else {
        let mut reader = ExperimentReader::new(mapping).capped(applied);
        chunks(&mut |c| Ok(reader.feed(c)?))?;
        let e = reader.finish()?;
        to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps)
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

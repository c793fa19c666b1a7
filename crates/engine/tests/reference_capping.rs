//! Capped (winsorized) mean metrics against GrowthBook's semantics in numpy
//! and gbstats 0.8.0 (`SampleMeanStatistic`, `TwoSidedTTest`,
//! `RegressionAdjustedStatistic`), from `tests/reference/generate_capping.py`
//! (fixture `tests/reference/capping_fixture.json`): the e-mail test's
//! spend per customer (real, public) capped at a pooled p99.9, at p95 and
//! p90 without the zeros, at 200 dollars, with a floor, and under CUPED;
//! and the research note's worked example at its pooled p95. Through the
//! product's path: a scenario with `cap:` lines, read and analysed.
//! Cap values to 1e-9, counts exactly, estimates, interval ends and
//! p-values to 1e-6 relative.
#![cfg(not(target_arch = "wasm32"))]
// A fixture's JSON is indexed by its keys; a missing key is a failed test.
#![allow(clippy::indexing_slicing)]

mod common;

use std::io::Read;

use common::{assert_close_to, json, number};
use serde_json::Value;
use uplift_engine::decision::analyze_metrics;
use uplift_engine::ingest::{CapAt, CapSpec, ColumnRole, Experiment, Tail, REVENUE_KEY};
use uplift_engine::report::{Metric, MetricResult};
use uplift_engine::scenario::{Correction, MetricChoices};
use uplift_engine::{analyze_experiment, Scenario};

const FIXTURE: &str = include_str!("../../../tests/reference/capping_fixture.json");
const HILLSTROM: &[u8] = include_bytes!("../../../tests/data/hillstrom.csv.gz");

fn close(got: f64, want: &Value, what: &str) {
    assert_close_to(got, number(want), 1e-6, 1e-9, what);
}

fn hillstrom_text() -> String {
    let mut text = String::new();
    if let Err(e) = flate2::read::GzDecoder::new(HILLSTROM).read_to_string(&mut text) {
        panic!("hillstrom.csv.gz: {e}");
    }
    text
}

/// The fixture's caps on `metric` as the plan's choices.
fn specs(caps: &Value, metric: &str) -> Vec<CapSpec> {
    let Some(caps) = caps.as_array() else {
        panic!("no caps: {caps}")
    };
    caps.iter()
        .map(|c| CapSpec {
            metric: metric.into(),
            tail: if c["tail"] == "upper" {
                Tail::Upper
            } else {
                Tail::Lower
            },
            at: match c["amount"].as_f64() {
                Some(v) => CapAt::Value(v),
                None => CapAt::Percentile(number(&c["level"])),
            },
            ignore_zeros: c["ignore_zeros"] == true,
            resolved: None,
        })
        .collect()
}

/// A scenario whose data is `text`, its metrics capped by `caps`, without
/// a correction for several arms (gbstats compares each arm on its own).
fn scenario(text: String, caps: Vec<CapSpec>) -> Scenario {
    let mut s = Scenario::demo();
    s.data = text;
    s.analysis.correction = Correction::None;
    s.analysis.metrics = MetricChoices {
        caps,
        ..MetricChoices::default()
    }
    .into();
    s
}

fn experiment(s: &Scenario) -> Experiment {
    match s.experiment() {
        Ok(e) => e,
        Err(e) => panic!("unreadable: {e}"),
    }
}

fn check_applied(e: &Experiment, want: &Value, key: &str, what: &str) {
    let Some(want) = want.as_array() else {
        panic!("{what}: no applied caps")
    };
    assert_eq!(e.caps.len(), want.len(), "{what}: caps applied");
    for (got, want) in e.caps.iter().zip(want) {
        assert_eq!(got.metric, key, "{what}");
        assert_close_to(got.value, number(&want["value"]), 1e-9, 1e-9, what);
        assert_eq!(
            Some(got.beyond),
            want["beyond"].as_u64(),
            "{what}: users beyond"
        );
    }
}

fn check_test(result: &MetricResult, arm: &str, want: &Value, what: &str) {
    let Some(v) = result.variants.iter().find(|v| v.name == arm) else {
        panic!("{what}: no arm {arm}")
    };
    let Some(vs) = v.vs_control.as_ref() else {
        panic!("{what}: {arm} not compared")
    };
    let (Some(rel), Some(rel_ci), Some(p), Some(abs_ci)) =
        (vs.relative, vs.relative_ci, vs.p_value, vs.absolute_ci)
    else {
        panic!("{what}: {arm} has no test")
    };
    let r = &want["relative"];
    close(rel, &r["estimate"], &format!("{what} {arm} lift"));
    close(rel_ci.low, &r["ci"][0], &format!("{what} {arm} lift low"));
    close(rel_ci.high, &r["ci"][1], &format!("{what} {arm} lift high"));
    close(p, &r["p_value"], &format!("{what} {arm} p"));
    let a = &want["absolute"];
    close(
        vs.absolute,
        &a["estimate"],
        &format!("{what} {arm} difference"),
    );
    close(
        abs_ci.low,
        &a["ci"][0],
        &format!("{what} {arm} difference low"),
    );
    close(
        abs_ci.high,
        &a["ci"][1],
        &format!("{what} {arm} difference high"),
    );
}

fn hillstrom_scenario(caps: Vec<CapSpec>) -> Scenario {
    let mut s = scenario(hillstrom_text(), caps);
    s.columns.insert("segment".into(), ColumnRole::Variant);
    s.control = Some("No E-Mail".into());
    s
}

#[test]
fn capped_spend_in_the_e_mail_test_agrees_with_gbstats() {
    let fixture = json(FIXTURE);
    let Some(cases) = fixture["hillstrom_spend"].as_array() else {
        panic!("no cases")
    };
    assert_eq!(cases.len(), 5);
    let raw = {
        let s = hillstrom_scenario(Vec::new());
        analyze_experiment(&s, &experiment(&s)).map(|r| r.metrics[&Metric::RevenuePerUser].clone())
    };
    let mut checked = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        // The cap is asked for by the column's own header.
        let s = hillstrom_scenario(specs(&case["caps"], "spend"));
        let e = experiment(&s);
        check_applied(&e, &case["applied"], REVENUE_KEY, name);
        let report = match analyze_experiment(&s, &e) {
            Ok(r) => r,
            Err(e) => panic!("{name}: {e}"),
        };
        let spend = &report.metrics[&Metric::RevenuePerUser];
        assert_ne!(
            raw.as_ref().ok(),
            Some(spend),
            "{name}: capping changed nothing"
        );
        let Some(arms) = case["arms"].as_object() else {
            panic!("{name}: no arms")
        };
        for (arm, want) in arms {
            let Some(v) = spend.variants.iter().find(|v| &v.name == arm) else {
                panic!("{name}: no {arm}")
            };
            let sums = &want["sums"];
            assert_eq!(Some(v.users), sums["n"].as_u64(), "{name} {arm} users");
            close(
                v.value,
                &Value::from(number(&sums["sum"]) / number(&sums["n"])),
                &format!("{name} {arm} capped mean"),
            );
            check_test(spend, arm, want, name);
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
}

#[test]
fn cuped_runs_on_the_capped_spend() {
    let fixture = json(FIXTURE);
    let want = &fixture["hillstrom_cuped_capped_p95_ignoring_zeros"];
    let cap = CapSpec {
        metric: REVENUE_KEY.into(),
        tail: Tail::Upper,
        at: CapAt::Percentile(0.95),
        ignore_zeros: true,
        resolved: None,
    };
    let mut s = hillstrom_scenario(vec![cap]);
    // `history` is each customer's spend in the year before: the pre-period.
    s.columns.insert("history".into(), ColumnRole::PreRevenue);
    let e = experiment(&s);
    check_applied(&e, &want["applied"], REVENUE_KEY, "CUPED");
    let report = match analyze_experiment(&s, &e) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let spend = &report.metrics[&Metric::RevenuePerUser];
    let Some(arms) = want["arms"].as_object() else {
        panic!("no arms")
    };
    assert_eq!(arms.len(), 2);
    for (arm, want) in arms {
        let Some(vs) = spend
            .variants
            .iter()
            .find(|v| &v.name == arm)
            .and_then(|v| v.vs_control.as_ref())
        else {
            panic!("no {arm}")
        };
        assert!(vs.cuped.is_some(), "{arm}: CUPED not used");
        let (Some(rel), Some(ci)) = (vs.relative, vs.absolute_ci) else {
            panic!("{arm}: no test")
        };
        close(rel, &want["relative"], &format!("{arm} CUPED lift"));
        let a = &want["absolute"];
        close(
            vs.absolute,
            &a["estimate"],
            &format!("{arm} CUPED difference"),
        );
        close(ci.low, &a["ci"][0], &format!("{arm} CUPED low"));
        close(ci.high, &a["ci"][1], &format!("{arm} CUPED high"));
    }
}

/// exp(a·u_i) − 1 with u_i = ((7919·i mod m) + 0.5)/m, i < m.
fn formula(a: f64, m: usize) -> impl Iterator<Item = f64> {
    (0..m).map(move |i| (a * (((7919 * i) % m) as f64 + 0.5) / m as f64).exp() - 1.0)
}

#[test]
fn the_worked_example_capped_at_its_pooled_p95() {
    let fixture = json(FIXTURE);
    let want = &fixture["worked_example_p95"];
    // A metric column of its own (not the revenue column).
    let mut text = String::from("variant,order_value\n");
    for (arm, a, m) in [("control", 4.0, 1000), ("treatment", 4.2, 1200)] {
        for x in formula(a, m) {
            text.push_str(&format!("{arm},{x}\n"));
        }
    }
    let cap = CapSpec {
        metric: "order_value".into(),
        tail: Tail::Upper,
        at: CapAt::Percentile(0.95),
        ignore_zeros: false,
        resolved: None,
    };
    let s = scenario(text, vec![cap]);
    let e = experiment(&s);
    check_applied(&e, &want["applied"], "order_value", "worked example");
    let metrics = match analyze_metrics(&s, &e) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let Some(m) = metrics
        .column_metrics
        .iter()
        .find(|c| c.key == "order_value")
    else {
        panic!("no order_value")
    };
    for v in &m.result.variants {
        close(
            v.value,
            &want["means"][&v.name],
            &format!("{} mean", v.name),
        );
    }
    check_test(&m.result, "treatment", &want["test"], "worked example");
}

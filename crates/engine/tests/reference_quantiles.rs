//! Quantile metrics against gbstats 0.8.0 (`QuantileStatistic` and
//! `TwoSidedTTest`, numpy's type-7 quantiles), from
//! `tests/reference/generate_quantiles.py` (fixture
//! `tests/reference/quantile_fixture.json`): 16 deterministic cases at the
//! median, p10, p90 and p95, and the Cookie Cats test's rounds played per
//! player (real, public) at p50, p90 and p99. Quantiles, variances,
//! estimates, interval ends and p-values to 1e-6 relative.
#![cfg(not(target_arch = "wasm32"))]
// A fixture's JSON is indexed by its keys; a missing key is a failed test.
#![allow(clippy::indexing_slicing)]

mod common;

use std::io::Read;

use common::{assert_close_to, json, number, numbers};
use serde_json::Value;
use uplift_engine::stats::quantile::quantile_stats;
use uplift_engine::stats::{compare, Difference, FrequentistOptions};

const FIXTURE: &str = include_str!("../../../tests/reference/quantile_fixture.json");
const COOKIE_CATS: &[u8] = include_bytes!("../../../tests/data/cookie_cats.csv.gz");

/// exp(a·u_i) − 1 with u_i = ((7919·i mod m) + 0.5)/m, i < m.
fn formula(a: f64, m: usize) -> Vec<f64> {
    (0..m)
        .map(|i| (a * (((7919 * i) % m) as f64 + 0.5) / m as f64).exp() - 1.0)
        .collect()
}

fn close(got: f64, want: &Value, what: &str) {
    assert_close_to(got, number(want), 1e-6, 1e-6, what);
}

fn check(case: &Value, control: &[f64], treatment: &[f64], what: &str) {
    let nu = number(&case["nu"]);
    let (Some(a), Some(b)) = (quantile_stats(control, nu), quantile_stats(treatment, nu)) else {
        panic!("{what}: no quantile")
    };
    for (s, key) in [(a, "control"), (b, "treatment")] {
        assert_eq!(s.n, number(&case[key]["n"]), "{what} {key} n");
        close(
            s.mean,
            &case[key]["quantile"],
            &format!("{what} {key} quantile"),
        );
        close(
            s.variance,
            &case[key]["variance"],
            &format!("{what} {key} variance"),
        );
    }
    for (difference, key) in [
        (Difference::Absolute, "absolute"),
        (Difference::Relative, "relative"),
    ] {
        let options = FrequentistOptions {
            confidence: 0.95,
            difference,
            ..FrequentistOptions::default()
        };
        let Ok(c) = compare(&a, &b, &options) else {
            panic!("{what} {key}: not compared")
        };
        let want = &case[key];
        close(
            c.estimate,
            &want["estimate"],
            &format!("{what} {key} estimate"),
        );
        close(c.p_value, &want["p_value"], &format!("{what} {key} p"));
        let [low, high] = numbers(&want["ci"])[..] else {
            panic!("{what}: no interval")
        };
        assert_close_to(c.ci.low, low, 1e-6, 1e-6, &format!("{what} {key} low"));
        assert_close_to(c.ci.high, high, 1e-6, 1e-6, &format!("{what} {key} high"));
    }
}

#[test]
fn deterministic_cases_equal_gbstats() {
    let f = json(FIXTURE);
    let Some(cases) = f["formula_cases"].as_array() else {
        panic!("no cases")
    };
    assert!(cases.len() >= 10);
    for (i, case) in cases.iter().enumerate() {
        let data = |key: &str| {
            let [a, m] = numbers(&case["data"][key])[..] else {
                panic!("case {i}: no data")
            };
            formula(a, m as usize)
        };
        check(
            case,
            &data("control"),
            &data("treatment"),
            &format!("case {i}"),
        );
    }
}

#[test]
fn cookie_cats_rounds_per_player_equal_gbstats() {
    let mut text = String::new();
    if let Err(e) = flate2::read::GzDecoder::new(COOKIE_CATS).read_to_string(&mut text) {
        panic!("the Cookie Cats file reads: {e}");
    }
    let (mut control, mut treatment) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (Some(version), Some(Ok(rounds))) =
            (cells.get(1), cells.get(2).map(|c| c.parse::<f64>()))
        else {
            panic!("a row of the file: {line}")
        };
        match *version {
            "gate_30" => control.push(rounds),
            "gate_40" => treatment.push(rounds),
            other => panic!("an arm of the file: {other}"),
        }
    }
    let f = json(FIXTURE);
    let Some(cases) = f["cookie_cats_sum_gamerounds"].as_array() else {
        panic!("no cases")
    };
    for case in cases {
        check(
            case,
            &control,
            &treatment,
            &format!("Cookie Cats p{}", number(&case["nu"]) * 100.0),
        );
    }
}

/// The same through the page's and the command line's entry point: the
/// scenario's rows, its control, its method and confidence.
#[test]
fn the_entry_point_reads_the_rows_and_equals_gbstats() {
    let mut text = String::new();
    if let Err(e) = flate2::read::GzDecoder::new(COOKIE_CATS).read_to_string(&mut text) {
        panic!("the Cookie Cats file reads: {e}");
    }
    let mut s = uplift_engine::Scenario::demo();
    s.data = text;
    s.control = Some("gate_30".into());
    let f = json(FIXTURE);
    let Some(cases) = f["cookie_cats_sum_gamerounds"].as_array() else {
        panic!("no cases")
    };
    for case in cases {
        let nu = number(&case["nu"]);
        let r = match uplift_engine::quantile_metric::quantile_metric(&s, "sum_gamerounds", nu) {
            Ok(r) => r,
            Err(e) => panic!("p{nu}: {e}"),
        };
        assert!(r.label.ends_with("of sum_gamerounds"), "{}", r.label);
        let [control, treatment] = &r.variants[..] else {
            panic!("two variants")
        };
        assert_eq!(control.name, "gate_30");
        close(
            control.value,
            &case["control"]["quantile"],
            "control quantile",
        );
        let Some(vs) = &treatment.vs_control else {
            panic!("compared")
        };
        close(
            vs.relative.unwrap_or(f64::NAN),
            &case["relative"]["estimate"],
            "relative",
        );
        close(
            vs.p_value.unwrap_or(f64::NAN),
            &case["relative"]["p_value"],
            "p",
        );
        close(vs.absolute, &case["absolute"]["estimate"], "absolute");
        let ci = vs.absolute_ci.map_or([f64::NAN; 2], |c| [c.low, c.high]);
        close(ci[0], &case["absolute"]["ci"][0], "absolute low");
    }
    // Words for what cannot be done.
    let bad = uplift_engine::quantile_metric::quantile_metric(&s, "nothing", 0.5);
    assert_eq!(
        bad.err().map(|e| e.to_string()),
        Some("There is no column 'nothing' in the data.".into())
    );
    let level = uplift_engine::quantile_metric::quantile_metric(&s, "sum_gamerounds", 1.0);
    assert!(level.is_err());
    // A 1–5 score's p90 has no spread to bound it: said, with the variant.
    let mut scores = uplift_engine::Scenario::demo();
    scores.data = "variant,csat\n".to_string()
        + &(0..400)
            .map(|i| {
                format!(
                    "{},{}\n",
                    if i % 2 == 0 { "control" } else { "new" },
                    1 + i % 5
                )
            })
            .collect::<String>();
    let flat = uplift_engine::quantile_metric::quantile_metric(&scores, "csat", 0.9);
    assert!(
        flat.as_ref().err().is_some_and(|e| e
            .to_string()
            .starts_with("The p90 of csat cannot be compared in control")),
        "{flat:?}"
    );
}

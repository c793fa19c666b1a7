//! NPS against numpy/scipy/statsmodels (`tests/reference/generate_nps.py`,
//! fixture `tests/reference/nps_fixture.json`): the worked example, seeded
//! cases small and large with both intervals, and a survey export read as
//! the page reads it, to 1e-9 (relative; absolute below 1e-3).
#![cfg(not(target_arch = "wasm32"))]
// A fixture's JSON is indexed by its keys; a missing key is a failed test.
#![allow(clippy::indexing_slicing)]

mod common;

use common::{assert_close_to, json, number, numbers};
use serde_json::Value;
use uplift_engine::decision::{analyze_metrics, MetricKind};
use uplift_engine::ingest::parse_experiment;
use uplift_engine::scenario::MetricChoices;
use uplift_engine::stats::nps::{nps_difference, NpsInterval, ScoreCounts};
use uplift_engine::Scenario;

const FIXTURE: &str = include_str!("../../../tests/reference/nps_fixture.json");
const SURVEY: &str = include_str!("../../../tests/data/nps_survey.csv");

fn counts(v: &Value) -> ScoreCounts {
    let n = numbers(v);
    let [answers, promoters, detractors] = n.as_slice() else {
        panic!("not three counts: {v}")
    };
    ScoreCounts {
        answers: *answers as u64,
        promoters: *promoters as u64,
        detractors: *detractors as u64,
    }
}

fn close(got: f64, want: &Value, what: &str) {
    assert_close_to(got, number(want), 1e-9, 1e-3, what);
}

fn check_case(c: &Value, what: &str) {
    let (a, b) = (counts(&c["a"]), counts(&c["b"]));
    let confidence = number(&c["confidence"]);
    for (interval, key) in [
        (NpsInterval::Wald, "wald"),
        (NpsInterval::AdjustedWald, "adjusted_wald"),
    ] {
        let want = &c[key];
        let Some(d) = nps_difference(&a, &b, interval, confidence) else {
            panic!("{what} {key}: no difference")
        };
        close(
            d.difference,
            &want["difference"],
            &format!("{what} {key} difference"),
        );
        close(d.std_error, &want["std_error"], &format!("{what} {key} se"));
        close(d.z, &want["z"], &format!("{what} {key} z"));
        close(d.p_value, &want["p_value"], &format!("{what} {key} p"));
        let [low, high] = numbers(&want["ci"])[..] else {
            panic!("{what} {key}: no interval")
        };
        assert_close_to(d.ci.low, low, 1e-9, 1e-3, &format!("{what} {key} low"));
        assert_close_to(d.ci.high, high, 1e-9, 1e-3, &format!("{what} {key} high"));
    }
}

#[test]
fn the_worked_example_and_seeded_cases_equal_numpy() {
    let f = json(FIXTURE);
    check_case(&f["worked_example"], "worked example");
    let Some(cases) = f["cases"].as_array() else {
        panic!("no cases")
    };
    assert!(cases.len() >= 10);
    for (i, c) in cases.iter().enumerate() {
        check_case(c, &format!("case {i}"));
    }
}

/// The survey export read as a file: the NPS question is told from its
/// header and answers (blank cells are no answer), each arm compared with
/// the control with Holm-adjusted p-values; `csat` (1–5) stays a mean.
#[test]
fn a_survey_export_gives_numpys_nps_per_variant_and_difference() {
    let f = json(FIXTURE);
    let want = &f["survey"];
    let Ok(e) = parse_experiment(SURVEY) else {
        panic!("the survey reads")
    };
    for (interval, key) in [
        (NpsInterval::Wald, "wald"),
        (NpsInterval::AdjustedWald, "adjusted_wald"),
    ] {
        let mut s = Scenario::demo();
        s.analysis.metrics = MetricChoices {
            nps_interval: interval,
            ..MetricChoices::default()
        }
        .into();
        let Ok(report) = analyze_metrics(&s, &e) else {
            panic!("the survey is analysed")
        };
        let Some(nps) = report
            .column_metrics
            .iter()
            .find(|c| c.key == "likelihood_to_recommend")
        else {
            panic!("no NPS metric")
        };
        assert_eq!(nps.kind, MetricKind::Nps);
        let Some(want_counts) = want["counts"].as_array() else {
            panic!()
        };
        let got: Vec<ScoreCounts> = nps.answers.clone();
        let expected: Vec<ScoreCounts> = want_counts.iter().map(counts).collect();
        assert_eq!(got, expected);
        for (i, v) in nps.result.variants.iter().enumerate() {
            assert_eq!(v.name, want["variants"][i].as_str().unwrap_or_default());
            if interval == NpsInterval::Wald {
                close(v.value, &want["nps"][i], "NPS");
            }
            let Some(vs) = &v.vs_control else {
                assert_eq!(i, 0, "only the control has no comparison");
                continue;
            };
            let arm = &want[key][i - 1];
            close(vs.absolute, &arm["difference"], "difference");
            close(vs.p_value.unwrap_or(f64::NAN), &arm["p_value"], "p");
            close(
                vs.p_value_adjusted.unwrap_or(f64::NAN),
                &arm["p_value_holm"],
                "Holm p",
            );
            assert_eq!(vs.relative, None, "NPS has no relative lift");
            let ci = vs.absolute_ci.map_or(f64::NAN, |c| c.low);
            assert!(ci < vs.absolute, "the interval is around the difference");
        }
        let Some(csat) = report.column_metrics.iter().find(|c| c.key == "csat") else {
            panic!("csat is a metric")
        };
        assert_eq!(csat.kind, MetricKind::Mean);
        for (v, m) in csat
            .result
            .variants
            .iter()
            .zip(numbers(&want["csat_means"]))
        {
            close(v.value, &Value::from(m), "csat mean");
        }
    }
}

/// As a primary metric or guardrail, NPS is the mean of the answers
/// recoded +1/0/−1, compared by Welch's t-test (scipy's `ttest_ind`).
#[test]
fn as_the_primary_metric_nps_is_welchs_test_on_the_recoded_answers() {
    let f = json(FIXTURE);
    let want = &f["survey"]["welch_recoded"];
    let Ok(e) = parse_experiment(SURVEY) else {
        panic!("the survey reads")
    };
    let mut s = Scenario::demo();
    s.analysis.metrics = MetricChoices {
        primary: Some("likelihood_to_recommend".into()),
        ..MetricChoices::default()
    }
    .into();
    let Ok(report) = uplift_engine::analyze_experiment(&s, &e) else {
        panic!("the survey is analysed")
    };
    let Some(primary) = report.primary_result() else {
        panic!("a primary metric")
    };
    for (i, v) in primary.variants.iter().skip(1).enumerate() {
        let Some(vs) = &v.vs_control else { panic!() };
        close(vs.absolute, &want[i]["difference"], "recoded difference");
        // The relative test's p-value differs from the absolute one; the
        // absolute interval excludes 0 exactly when scipy's p < 5%.
        let p = number(&want[i]["p_value"]);
        let excludes = vs.absolute_ci.is_some_and(|c| c.low > 0.0 || c.high < 0.0);
        assert_eq!(excludes, p < 0.05, "arm {i}: p {p}, {:?}", vs.absolute_ci);
    }
}

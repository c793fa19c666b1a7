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

/// An NPS question is never the primary metric (its relative lift means
/// nothing near 0): the survey's default primary metric is the next
/// column, CSAT, even when the plan names the NPS question.
#[test]
fn nps_is_not_the_primary_metric() {
    let Ok(e) = parse_experiment(SURVEY) else {
        panic!("the survey reads")
    };
    for named in [None, Some("likelihood_to_recommend".to_string())] {
        let mut s = Scenario::demo();
        s.analysis.metrics = MetricChoices {
            primary: named.clone(),
            ..MetricChoices::default()
        }
        .into();
        let Ok(report) = uplift_engine::analyze_experiment(&s, &e) else {
            panic!("the survey is analysed")
        };
        assert_eq!(report.primary.as_deref(), Some("csat"), "{named:?}");
        let Ok(metrics) = analyze_metrics(&s, &e) else {
            panic!("the survey is analysed")
        };
        assert!(metrics
            .available
            .iter()
            .all(|(k, _)| k != "likelihood_to_recommend"));
    }
}

/// The survey as the page keeps a large file (its sums per variant,
/// `to_aggregated_csv`) gives the same NPS as the rows: the answers,
/// promoters and detractors travel as `X_answers`, `X_promoters` and
/// `X_detractors`.
#[test]
fn the_survey_as_sums_keeps_its_nps() {
    let Ok(rows) = parse_experiment(SURVEY) else {
        panic!("the survey reads")
    };
    let sums = uplift_engine::ingest::to_aggregated_csv(&rows.variants, &rows.metric_columns, &[]);
    assert!(
        sums.lines()
            .next()
            .is_some_and(|h| h.contains("likelihood_to_recommend_promoters")),
        "{sums}"
    );
    let Ok(aggregated) = parse_experiment(&sums) else {
        panic!("the sums read: {sums}")
    };
    let s = Scenario::demo();
    let (Ok(a), Ok(b)) = (analyze_metrics(&s, &rows), analyze_metrics(&s, &aggregated)) else {
        panic!("both are analysed")
    };
    let nps = |r: &uplift_engine::decision::MetricsReport| {
        r.column_metrics
            .iter()
            .find(|c| c.kind == MetricKind::Nps)
            .cloned()
    };
    let (Some(a), Some(b)) = (nps(&a), nps(&b)) else {
        panic!("NPS in both")
    };
    assert_eq!(a, b);
    // A 0–10 column that is not an NPS question stays a mean in both.
    let kinds = |e: &uplift_engine::ingest::Experiment| {
        e.metric_columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&rows), kinds(&aggregated));
}

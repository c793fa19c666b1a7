//! Retention measured from data against lifelines 0.30.0, on data it ships:
//! regimes' durations (`load_dd`, log-rank 260.47 in lifelines' docs), R's
//! `lung` and the Walton flies. Kaplan–Meier event tables, survival and its
//! exponential-Greenwood 95% interval, medians, the log-rank test and the
//! restricted mean survival time, from `tests/reference/generate_survival.py`
//! (survival_fixture.json), to 1e-9 (p-values 1e-9 relative).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{assert_close_to, numbers};

use serde_json::Value;
use uplift_engine::survival::{kaplan_meier, log_rank, rmst};

const FIXTURE: &str = include_str!("../../../tests/reference/survival_fixture.json");

fn close(got: f64, want: f64, what: &str) {
    assert_close_to(got, want, 1e-9, 1.0, what);
}

fn data(g: &Value) -> (Vec<f64>, Vec<bool>) {
    let d = numbers(&g["durations"]);
    let e = g["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64() == Some(1))
        .collect();
    (d, e)
}

#[test]
fn kaplan_meier_log_rank_and_rmst_agree_with_lifelines() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let horizon = case["horizon"].as_f64().unwrap();
        let groups: Vec<(&String, &Value)> = case["groups"].as_object().unwrap().iter().collect();
        for (label, g) in &groups {
            let what = format!("{name} {label}");
            let (d, e) = data(g);
            let km = kaplan_meier(&d, &e, 0.95).unwrap();
            let times = numbers(&g["times"]);
            assert_eq!(km.steps.len(), times.len(), "{what}: timeline");
            for (k, s) in km.steps.iter().enumerate() {
                let at = format!("{what} t = {}", s.time);
                close(s.time, times[k], &at);
                assert_eq!(s.at_risk, g["at_risk"][k].as_u64().unwrap(), "{at} at risk");
                assert_eq!(s.events, g["observed"][k].as_u64().unwrap(), "{at} events");
                close(
                    s.survival,
                    g["survival"][k].as_f64().unwrap(),
                    &format!("{at} S"),
                );
                close(
                    s.ci_lower,
                    g["ci_lower"][k].as_f64().unwrap(),
                    &format!("{at} lower"),
                );
                close(
                    s.ci_upper,
                    g["ci_upper"][k].as_f64().unwrap(),
                    &format!("{at} upper"),
                );
            }
            assert_eq!(km.median, g["median"].as_f64(), "{what} median");
            close(
                rmst(&km, horizon),
                g["rmst"].as_f64().unwrap(),
                &format!("{what} RMST"),
            );
        }
        let (a, b) = (data(groups[0].1), data(groups[1].1));
        let test = log_rank((&a.0, &a.1), (&b.0, &b.1)).unwrap();
        close(
            test.statistic,
            case["logrank"]["statistic"].as_f64().unwrap(),
            &format!("{name} log-rank"),
        );
        let p = case["logrank"]["p_value"].as_f64().unwrap();
        assert!(
            (test.p_value - p).abs() <= 1e-9 * p,
            "{name} p: got {}, want {p}",
            test.p_value
        );
    }
}

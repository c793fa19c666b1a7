//! Uplift-model evaluation against scikit-uplift 0.5.1: the Qini and uplift
//! curves, their perfect curves, the normalised areas and the uplift by
//! percentile, on small cases (scikit-uplift's own, ties, a constant and a
//! perfect score, seeded random data) and on Hillstrom's e-mail test scored
//! by a two-model logistic regression. Values from
//! `tests/reference/generate_targeting.py` (targeting_fixture.json), to 1e-9.

// Read natively: the compressed fixture needs flate2, a native test dependency.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{assert_close_or_not_finite as close, hillstrom_scored};

use serde_json::Value;
use uplift_engine::targeting::{
    perfect_qini_curve, perfect_uplift_curve, qini_auc_score, qini_curve, uplift_auc_score,
    uplift_by_percentile, uplift_curve, BinStrategy, Curve, ScoreBin, TargetingError, Units,
};

const FIXTURE: &str = include_str!("../../../tests/reference/targeting_fixture.json");
const SCORED: &[u8] = include_bytes!("../../../tests/data/hillstrom_targeting.csv.gz");

fn close_all(got: &[f64], want: &Value, what: &str) {
    let want = want.as_array().unwrap();
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        close(*g, w, &format!("{what}[{i}]"));
    }
}

/// A score (an area) that scikit-uplift may have refused with an error.
fn score(got: Result<f64, TargetingError>, want: &Value, what: &str) {
    if want.get("error").is_some() {
        assert!(
            got.is_err(),
            "{what}: scikit-uplift refused it, got {got:?}"
        );
    } else {
        close(got.unwrap(), want, what);
    }
}

fn bins(got: &[ScoreBin], want: &Value, what: &str) {
    let want = want.as_array().unwrap();
    assert_eq!(got.len(), want.len(), "{what}: bins");
    for (g, w) in got.iter().zip(want) {
        let at = format!("{what} {}", g.percentile);
        assert_eq!(g.percentile, w["percentile"].as_str().unwrap(), "{at}");
        assert_eq!(g.n_treatment, w["n_treatment"].as_u64().unwrap(), "{at}");
        assert_eq!(g.n_control, w["n_control"].as_u64().unwrap(), "{at}");
        close(
            g.response_rate_treatment,
            &w["response_rate_treatment"],
            &at,
        );
        close(g.response_rate_control, &w["response_rate_control"], &at);
        close(g.uplift, &w["uplift"], &at);
        close(g.std_treatment, &w["std_treatment"], &at);
        close(g.std_control, &w["std_control"], &at);
        close(g.std_uplift, &w["std_uplift"], &at);
    }
}

fn evaluate(u: &Units, want: &Value, name: &str, full_curves: bool) {
    score(
        qini_auc_score(u, true),
        &want["qini_auc"],
        &format!("{name} qini_auc"),
    );
    score(
        qini_auc_score(u, false),
        &want["qini_auc_no_negative"],
        &format!("{name} qini_auc without negative effects"),
    );
    score(
        uplift_auc_score(u),
        &want["uplift_auc"],
        &format!("{name} uplift_auc"),
    );
    let curves: [(&str, Result<Curve, TargetingError>); 4] = [
        ("qini", qini_curve(u)),
        ("uplift", uplift_curve(u)),
        ("perfect_qini", perfect_qini_curve(u, true)),
        ("perfect_uplift", perfect_uplift_curve(u)),
    ];
    for (key, got) in curves {
        let got = got.unwrap();
        let w = &want["curves"][key];
        let what = format!("{name} {key} curve");
        if full_curves {
            close_all(&got.x, &w["x"], &format!("{what} x"));
            close_all(&got.y, &w["y"], &format!("{what} y"));
        } else {
            let every = w["every"].as_u64().unwrap() as usize;
            assert_eq!(
                got.x.len(),
                w["len"].as_u64().unwrap() as usize,
                "{what} length"
            );
            let x: Vec<f64> = got.x.iter().step_by(every).copied().collect();
            let y: Vec<f64> = got.y.iter().step_by(every).copied().collect();
            close_all(&x, &w["x"], &format!("{what} x"));
            close_all(&y, &w["y"], &format!("{what} y"));
            close(
                *got.y.last().unwrap(),
                &w["last"][1],
                &format!("{what} end"),
            );
        }
    }
    let tables = want["by_percentile"].as_object().unwrap();
    assert!(
        !tables.is_empty() || u.score.len() <= 5,
        "{name}: no bins to compare"
    );
    for (key, w) in tables {
        let (strategy, n) = key.split_once('/').unwrap();
        let strategy = match strategy {
            "overall" => BinStrategy::Overall,
            _ => BinStrategy::ByGroup,
        };
        let got = uplift_by_percentile(u, n.parse().unwrap(), strategy).unwrap();
        bins(&got, w, &format!("{name} {key}"));
    }
}

#[test]
fn small_cases_agree_with_scikit_uplift() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let u = Units {
            treated: case["treatment"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_u64() == Some(1))
                .collect(),
            outcome: case["y"]
                .as_array()
                .unwrap()
                .iter()
                .map(|y| y.as_f64().unwrap())
                .collect(),
            score: case["score"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_f64().unwrap())
                .collect(),
        };
        evaluate(&u, case, name, true);
    }
}

#[test]
fn hillstrom_scored_by_a_two_model_regression_agrees_with_scikit_uplift() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let h = &fixture["hillstrom"];
    let (rows, users) = hillstrom_scored(SCORED);
    assert_eq!(rows, h["rows"].as_u64().unwrap());
    for (outcome, u) in users {
        evaluate(
            &u,
            &h["outcomes"][outcome],
            &format!("hillstrom {outcome}"),
            false,
        );
    }
}

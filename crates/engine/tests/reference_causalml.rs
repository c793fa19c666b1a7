//! causalml's uplift scores against causalml 0.18.0: `qini_score` and
//! `auuc_score` with their defaults, and points of `get_qini` and
//! `get_cumgain` with and without normalize, on the cases of
//! targeting_fixture.json (the small cases and Hillstrom's e-mail test
//! scored by a two-model regression). Values from
//! `tests/reference/generate_causalml.py` (causalml_fixture.json), to 1e-9.
//!
//! Ties are in file order: the fixture's `*_ties_in_file_order` values are
//! causalml's on the users' ranks with ties broken that way. Its
//! `*_as_given` values (causalml on the raw score, ties in numpy's unstable
//! order) are compared only where the generator found that the order of
//! ties does not change them.

// Read natively: the compressed data need flate2, a native test dependency.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{assert_close_or_not_finite as close, hillstrom_scored, numbers};

use serde_json::Value;
use uplift_engine::targeting::{
    causalml_auuc_score, causalml_gain_curve, causalml_qini_curve, causalml_qini_score, evaluate,
    Units,
};

const FIXTURE: &str = include_str!("../../../tests/reference/causalml_fixture.json");
const CASES: &str = include_str!("../../../tests/reference/targeting_fixture.json");
const SCORED: &[u8] = include_bytes!("../../../tests/data/hillstrom_targeting.csv.gz");

fn check(u: &Units, want: &Value, name: &str) {
    let qini = causalml_qini_score(u).unwrap();
    let auuc = causalml_auuc_score(u).unwrap();
    close(
        qini,
        &want["qini_score_ties_in_file_order"],
        &format!("{name} qini_score"),
    );
    close(
        auuc,
        &want["auuc_score_ties_in_file_order"],
        &format!("{name} auuc_score"),
    );
    if !want["ties_matter"].as_bool().unwrap() {
        close(
            qini,
            &want["qini_score_as_given"],
            &format!("{name} qini_score as given"),
        );
        close(
            auuc,
            &want["auuc_score_as_given"],
            &format!("{name} auuc_score as given"),
        );
    }
    let points = &want["points_ties_in_file_order"];
    let at: Vec<usize> = points["at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap() as usize)
        .collect();
    for (key, curve) in [
        ("qini", causalml_qini_curve(u, false)),
        ("qini_normalized", causalml_qini_curve(u, true)),
        ("gain", causalml_gain_curve(u, false)),
        ("gain_normalized", causalml_gain_curve(u, true)),
    ] {
        let curve = curve.unwrap();
        assert_eq!(curve.y.len(), u.score.len() + 1, "{name} {key}: points");
        let want = points[key].as_array().unwrap();
        assert_eq!(want.len(), at.len(), "{name} {key}");
        for (&k, w) in at.iter().zip(want) {
            assert_eq!(curve.x[k], k as f64, "{name} {key} x");
            close(curve.y[k], w, &format!("{name} {key}[{k}]"));
        }
    }
    // The report carries the scores where they are finite.
    let report = evaluate(u, 5.min(u.score.len() - 1)).unwrap();
    assert_eq!(report.causalml_qini, Some(qini).filter(|v| v.is_finite()));
    assert_eq!(report.causalml_auuc, Some(auuc).filter(|v| v.is_finite()));
}

#[test]
fn small_cases_agree_with_causalml() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases: Value = serde_json::from_str(CASES).unwrap();
    let (want, data) = (
        fixture["cases"].as_array().unwrap(),
        cases["cases"].as_array().unwrap(),
    );
    assert_eq!(want.len(), data.len());
    assert!(want.len() >= 8);
    for (w, c) in want.iter().zip(data) {
        let name = c["name"].as_str().unwrap();
        assert_eq!(w["name"].as_str(), Some(name));
        let u = Units {
            treated: numbers(&c["treatment"]).iter().map(|&t| t == 1.0).collect(),
            outcome: numbers(&c["y"]),
            score: numbers(&c["score"]),
        };
        check(&u, w, name);
    }
}

#[test]
fn hillstrom_scored_by_a_two_model_regression_agrees_with_causalml() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let h = &fixture["hillstrom"];
    let (rows, users) = hillstrom_scored(SCORED);
    assert_eq!(rows, h["rows"].as_u64().unwrap());
    for (outcome, u) in users {
        check(&u, &h["outcomes"][outcome], &format!("hillstrom {outcome}"));
    }
}

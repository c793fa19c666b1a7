//! What the reference tests share: reading a fixture's JSON and comparing
//! a computed value with the reference library's within a tolerance.
//! Each test file that uses it says `mod common;`; a file uses only some
//! of these, so the rest would be dead code in its binary.
#![allow(dead_code)]

use serde_json::Value;

/// A fixture's text (an `include_str!` of its JSON) as a value.
pub fn json(text: &str) -> Value {
    match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("the fixture is not JSON: {e}"),
    }
}

/// A fixture's number.
#[track_caller]
pub fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// `got` within `rel` of `want`, relative to |want| but never to less
/// than `floor` (so a reference value of 0 is met by `got` within
/// `rel × floor`).
#[track_caller]
pub fn assert_close_to(got: f64, want: f64, rel: f64, floor: f64, what: &str) {
    let tol = rel * want.abs().max(floor);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:e}, reference {want:e} (diff {:e}, tol {tol:e})",
        (got - want).abs()
    );
}

/// `got` within `rel` of `want`, relative to |want|.
#[track_caller]
pub fn assert_close(got: f64, want: f64, rel: f64, what: &str) {
    assert_close_to(got, want, rel, 1e-12, what);
}

/// `got` within 1e-9 of a reference value that may be `null`: the
/// reference library's value was not finite (a division by zero), so
/// `got` must not be finite either.
#[track_caller]
pub fn assert_close_or_not_finite(got: f64, want: &Value, what: &str) {
    match want.as_f64() {
        None => assert!(
            !got.is_finite(),
            "{what}: got {got}, want a non-finite value"
        ),
        Some(w) => assert_close_to(got, w, 1e-9, 1.0, what),
    }
}

/// A fixture's array of numbers.
#[track_caller]
pub fn numbers(v: &Value) -> Vec<f64> {
    match v.as_array() {
        Some(items) => items.iter().map(number).collect(),
        None => panic!("not an array: {v}"),
    }
}

/// Hillstrom's e-mail test scored by a two-model regression (the gzipped
/// `tests/data/hillstrom_targeting.csv.gz`: treatment, visit, conversion,
/// spend, score): its number of rows, and its users for each outcome
/// ("visit", "conversion") with their treatment flag and score.
#[cfg(not(target_arch = "wasm32"))]
pub fn hillstrom_scored(gz: &[u8]) -> (u64, Vec<(&'static str, uplift_engine::targeting::Units)>) {
    use std::io::Read;
    let mut text = String::new();
    if let Err(e) = flate2::read::GzDecoder::new(gz).read_to_string(&mut text) {
        panic!("the scored Hillstrom file cannot be read: {e}");
    }
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let cell = |r: &Vec<&str>, i: usize| -> f64 {
        match r.get(i).map(|c| c.parse()) {
            Some(Ok(v)) => v,
            _ => panic!("row {r:?} has no number in column {i}"),
        }
    };
    let users = [(1, "visit"), (2, "conversion")]
        .into_iter()
        .map(|(column, outcome)| {
            let units = uplift_engine::targeting::Units {
                treated: rows.iter().map(|r| r.first() == Some(&"1")).collect(),
                outcome: rows.iter().map(|r| cell(r, column)).collect(),
                score: rows.iter().map(|r| cell(r, 4)).collect(),
            };
            (outcome, units)
        })
        .collect();
    (rows.len() as u64, users)
}

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

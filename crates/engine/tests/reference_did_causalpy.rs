//! Difference in differences on the data sets CausalPy 0.9.0 ships, against
//! statsmodels 0.15.0 (the same conventions and checks as reference_did.rs)
//! and against CausalPy's own OLS estimate of the effect: its DiD example
//! (`did`, 20 units clustered), the Mississippi bank counts of its DiD
//! notebook (`banks`, Richardson & Troost 2009: the yearly medians' 2×2 and
//! the daily rows' event study by year, HC1) and California's Proposition 99
//! (`california_prop99`, 39 states clustered, an event study whose pre-trend
//! test rejects). From `tests/reference/generate_did_causalpy.py`
//! (did_causalpy_fixture.json, which holds the data as CSV text), to 1e-9
//! relative.
// Indexing a serde_json `Value` gives `Null` for a missing key or position
// rather than panicking.
#![allow(clippy::indexing_slicing)]

mod did_reference;

use did_reference::{cases, check_case, string};

const FIXTURE: &str = include_str!("../../../tests/reference/did_causalpy_fixture.json");

#[test]
fn did_on_causalpy_data_agrees_with_statsmodels_and_causalpy() {
    let cases = cases(FIXTURE);
    let names: Vec<&str> = cases.iter().map(|c| string(&c["name"], "name")).collect();
    assert_eq!(
        names,
        [
            "causalpy_did",
            "causalpy_banks_yearly",
            "causalpy_banks_daily",
            "causalpy_california_prop99"
        ]
    );
    for case in &cases {
        let name = string(&case["name"], "name");
        let (r, mut worst) = check_case(case);
        // CausalPy's coefficient on group:post_treatment, fitted by
        // scikit-learn on patsy's design matrix.
        worst.close(
            r.effect,
            &case["causalpy"]["effect"],
            &format!("{name} CausalPy's effect"),
        );
        println!(
            "{name}: n {} G {:?} effect {} se {} p {}; max abs diff {:.2e}, max rel diff {:.2e}",
            r.observations, r.clusters, r.effect, r.std_error, r.p_value, worst.abs, worst.rel
        );
    }
}

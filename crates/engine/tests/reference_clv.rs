//! BG/NBD and Gamma-Gamma against `lifetimes` 0.11.3 on its bundled CDNOW
//! sample (`tests/reference/generate_clv.py` → `clv_fixture.json`).
//! Summaries must match exactly; fitted parameters and predictions to 1e-3
//! relative (the brief's bar); the formulas themselves, evaluated at
//! lifetimes' parameters, to 1e-6.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{assert_close as close, json, number as f};

use uplift_engine::value::btyd::{
    customer_lifetime_value, fit_bgnbd, fit_gamma_gamma, BgNbd, GammaGamma,
};
use uplift_engine::value::transactions::{summarise_transactions, CustomerSummary, TimeUnit};

const LOG: &str = include_str!("../../../tests/reference/cdnow_sample.csv");
const FIXTURE: &str = include_str!("../../../tests/reference/clv_fixture.json");

fn summary(unit: TimeUnit) -> Vec<CustomerSummary> {
    summarise_transactions(LOG, unit, None).unwrap().customers
}

#[test]
fn summaries_match_lifetimes_in_weeks_and_days() {
    let fx = json(FIXTURE);
    for (unit, key) in [
        (TimeUnit::Weeks, "summary_weeks"),
        (TimeUnit::Days, "summary_days"),
    ] {
        let ours = summary(unit);
        let theirs = fx[key].as_array().unwrap();
        assert_eq!(ours.len(), theirs.len(), "{key}");
        let mut by_id: std::collections::HashMap<&str, &CustomerSummary> =
            ours.iter().map(|c| (c.customer_id.as_str(), c)).collect();
        for t in theirs {
            let id = t["customer_id"].as_str().unwrap();
            let c = by_id
                .remove(id)
                .unwrap_or_else(|| panic!("{key}: no customer {id}"));
            assert_eq!(c.frequency, f(&t["frequency"]), "{key} {id} frequency");
            assert_eq!(c.recency, f(&t["recency"]), "{key} {id} recency");
            assert_eq!(c.t, f(&t["T"]), "{key} {id} T");
            close(
                c.monetary_value,
                f(&t["monetary_value"]),
                1e-9,
                &format!("{key} {id} monetary"),
            );
        }
    }
    let s = summarise_transactions(LOG, TimeUnit::Weeks, None).unwrap();
    assert_eq!(
        s.observation_end,
        fx["observation_period_end"].as_str().unwrap()
    );
}

#[test]
fn fitted_parameters_match_lifetimes() {
    let fx = json(FIXTURE);
    let customers = summary(TimeUnit::Weeks);
    let bg = fit_bgnbd(&customers).unwrap();
    let want = &fx["bgnbd"]["params"];
    close(bg.params.r, f(&want["r"]), 1e-3, "r");
    close(bg.params.alpha, f(&want["alpha"]), 1e-3, "alpha");
    close(bg.params.a, f(&want["a"]), 1e-3, "a");
    close(bg.params.b, f(&want["b"]), 1e-3, "b");
    // Our optimum is at least as good as theirs.
    assert!(
        bg.log_likelihood >= f(&fx["bgnbd"]["log_likelihood"]) - 1e-6,
        "{}",
        bg.log_likelihood
    );
    let gg = fit_gamma_gamma(&customers).unwrap();
    let want = &fx["gamma_gamma"]["params"];
    close(gg.params.p, f(&want["p"]), 1e-3, "p");
    close(gg.params.q, f(&want["q"]), 1e-3, "q");
    close(gg.params.v, f(&want["v"]), 1e-3, "v");
    assert!(gg.log_likelihood >= f(&fx["gamma_gamma"]["log_likelihood"]) - 1e-6);
}

#[test]
fn predictions_match_lifetimes() {
    let fx = json(FIXTURE);
    let p = &fx["bgnbd"]["params"];
    let theirs_bg = BgNbd {
        r: f(&p["r"]),
        alpha: f(&p["alpha"]),
        a: f(&p["a"]),
        b: f(&p["b"]),
    };
    let g = &fx["gamma_gamma"]["params"];
    let theirs_gg = GammaGamma {
        p: f(&g["p"]),
        q: f(&g["q"]),
        v: f(&g["v"]),
    };
    let customers = summary(TimeUnit::Weeks);
    let ours_bg = fit_bgnbd(&customers).unwrap().params;
    let ours_gg = fit_gamma_gamma(&customers).unwrap().params;
    for (t, want) in fx["bgnbd"]["expected_purchases"].as_object().unwrap() {
        let t: f64 = t.parse().unwrap();
        close(theirs_bg.expected_purchases(t), f(want), 1e-6, "E[X(t)]");
    }
    let preds = fx["predictions"].as_array().unwrap();
    assert!(preds.len() >= 10);
    for c in preds {
        let id = c["customer_id"].as_str().unwrap();
        let (x, tx, t, m) = (
            f(&c["frequency"]),
            f(&c["recency"]),
            f(&c["T"]),
            f(&c["monetary_value"]),
        );
        let summary = CustomerSummary {
            customer_id: id.into(),
            variant: None,
            frequency: x,
            recency: tx,
            t,
            monetary_value: m,
        };
        for (model, rel, who) in [
            (&theirs_bg, 1e-6, "at lifetimes' params"),
            (&ours_bg, 1e-3, "at our fit"),
        ] {
            let what = |k: &str| format!("{id} {k} {who}");
            close(
                model.conditional_expected_purchases(39.0, x, tx, t),
                f(&c["purchases_39"]),
                rel,
                &what("E[purchases 39]"),
            );
            close(
                model.conditional_expected_purchases(52.0, x, tx, t),
                f(&c["purchases_52"]),
                rel,
                &what("E[purchases 52]"),
            );
            close(
                model.probability_alive(x, tx, t),
                f(&c["probability_alive"]),
                rel,
                &what("P(alive)"),
            );
        }
        if let Some(want) = c["expected_average_profit"].as_f64() {
            close(
                theirs_gg.conditional_expected_average_profit(x, m),
                want,
                1e-9,
                &format!("{id} spend"),
            );
            let clv = customer_lifetime_value(
                &theirs_bg,
                theirs_gg.conditional_expected_average_profit(x, m),
                &summary,
                12,
                0.01,
                4.345,
            );
            close(
                clv,
                f(&c["clv_12_months"]),
                1e-6,
                &format!("{id} CLV at lifetimes' params"),
            );
            let ours = customer_lifetime_value(
                &ours_bg,
                ours_gg.conditional_expected_average_profit(x, m),
                &summary,
                12,
                0.01,
                4.345,
            );
            close(
                ours,
                f(&c["clv_12_months"]),
                1e-3,
                &format!("{id} CLV at our fit"),
            );
        }
    }
}

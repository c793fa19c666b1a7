//! Attribution against its references (`tests/reference/generate_attribution.py`,
//! fixture `tests/reference/attribution_fixture.json`), on the sample paths
//! ChannelAttribution ships:
//! - the exact Markov removal effects, conversions and value of orders 1–3,
//!   with and without the journeys that did not convert, against an
//!   analytic numpy reference written from the formulas, to 1e-9;
//! - ChannelAttribution 2.2.5's heuristics (first, last, linear per touch)
//!   to 1e-9, and its simulated order-1 removal effects within 2e-2;
//! - mta 0.0.9's exact Shapley value, linear per channel and position-based
//!   40/20/40, and shapley-attribution 2.1.0's simplified Shapley value, to 1e-9.
#![cfg(not(target_arch = "wasm32"))]
// A fixture's JSON is indexed by its keys; a missing key is a failed test.
#![allow(clippy::indexing_slicing)]

mod common;

use std::io::Read;

use common::{assert_close_to, json, number, numbers};
use serde_json::Value;
use uplift_engine::attribution::{markov, read_paths, rule_credits, Credit, Journeys};

const FIXTURE: &str = include_str!("../../../tests/reference/attribution_fixture.json");
const PATHS_GZ: &[u8] = include_bytes!("../../../tests/data/channelattribution_paths.csv.gz");

fn journeys() -> Journeys {
    let mut text = String::new();
    if let Err(e) = flate2::read::GzDecoder::new(PATHS_GZ).read_to_string(&mut text) {
        panic!("the sample paths: {e}");
    }
    match read_paths(&text) {
        Ok(j) => j,
        Err(e) => panic!("the sample paths: {e}"),
    }
}

/// Every channel's `got` against `want` (in the fixture's channel order).
#[track_caller]
fn each_close(got: &[f64], want: &Value, rel: f64, what: &str) {
    let want = numbers(want);
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_close_to(*g, *w, rel, 1.0, &format!("{what}, channel {i}"));
    }
}

fn conversions(c: &[Credit]) -> Vec<f64> {
    c.iter().map(|c| c.conversions).collect()
}

fn values(c: &[Credit]) -> Vec<f64> {
    c.iter().map(|c| c.value).collect()
}

#[test]
fn the_channels_are_read_in_the_order_they_first_appear() {
    let f = json(FIXTURE);
    let j = journeys();
    let want: Vec<&str> = f["channels"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(j.channels, want);
    assert_eq!(j.paths.len(), 10_000);
}

#[test]
fn the_exact_markov_chain_agrees_with_the_analytic_reference() {
    let f = json(FIXTURE);
    let j = journeys();
    for case in f["exact_markov"].as_array().into_iter().flatten() {
        let order = number(&case["order"]) as usize;
        let nulls = case["with_nulls"].as_bool() == Some(true);
        let what = format!("order {order}, nulls {nulls}");
        let m = match markov(&j, order, nulls) {
            Ok(m) => m,
            Err(e) => panic!("{what}: {e}"),
        };
        assert_eq!(m.states, number(&case["states"]) as usize, "{what}: states");
        assert_close_to(
            m.conversion_probability,
            number(&case["conversion_probability"]),
            1e-9,
            1.0,
            &what,
        );
        let re: Vec<f64> = m.channels.iter().map(|c| c.removal_effect).collect();
        let conv: Vec<f64> = m.channels.iter().map(|c| c.conversions).collect();
        let rev: Vec<f64> = m
            .channels
            .iter()
            .map(|c| c.value_removal_effect.unwrap_or(f64::NAN))
            .collect();
        let value: Vec<f64> = m
            .channels
            .iter()
            .map(|c| c.value.unwrap_or(f64::NAN))
            .collect();
        each_close(&re, &case["removal_effect"], 1e-9, &format!("{what}: RE"));
        each_close(
            &conv,
            &case["conversions"],
            1e-9,
            &format!("{what}: conversions"),
        );
        each_close(
            &rev,
            &case["value_removal_effect"],
            1e-9,
            &format!("{what}: value RE"),
        );
        each_close(&value, &case["value"], 1e-9, &format!("{what}: value"));
    }
}

#[test]
fn the_toy_chain_agrees_with_the_reference() {
    let f = json(FIXTURE);
    let j = match read_paths(
        "path,conversions,value,nulls\nC1 > C2 > C3,1,0,0\nC1,0,0,1\nC2 > C3,0,0,1\n",
    ) {
        Ok(j) => j,
        Err(e) => panic!("{e}"),
    };
    let m = match markov(&j, 1, true) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let re: Vec<f64> = m.channels.iter().map(|c| c.removal_effect).collect();
    each_close(&re, &f["toy"]["removal_effect"], 1e-12, "toy RE");
}

#[test]
fn the_rules_agree_with_channelattribution_and_mta() {
    let f = json(FIXTURE);
    let r = rule_credits(&journeys());
    let ca = &f["channelattribution"];
    for (name, credits) in [
        ("first_touch", &r.first_touch),
        ("last_touch", &r.last_touch),
        ("linear_touch", &r.linear_touch),
    ] {
        each_close(&conversions(credits), &ca[name]["conversions"], 1e-9, name);
        each_close(&values(credits), &ca[name]["value"], 1e-9, name);
    }
    let mta = &f["mta"];
    each_close(
        &conversions(&r.shapley),
        &mta["shapley"],
        1e-9,
        "mta shapley",
    );
    each_close(
        &conversions(&r.shapley),
        &mta["linear"],
        1e-9,
        "mta linear (same)",
    );
    each_close(
        &conversions(&r.position_based),
        &mta["pos_based"],
        1e-9,
        "mta position-based",
    );
    each_close(
        &conversions(&r.shapley),
        &f["shapley_attribution"],
        1e-9,
        "shapley-attribution",
    );
}

#[test]
fn the_exact_removal_effects_are_within_the_simulations_noise() {
    let f = json(FIXTURE);
    let m = match markov(&journeys(), 1, true) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let simulated = numbers(&f["channelattribution"]["markov_order_1_removal_effect"]);
    for (c, s) in m.channels.iter().zip(simulated) {
        assert!(
            (c.removal_effect - s).abs() < 2e-2,
            "exact {} vs simulated {s}",
            c.removal_effect
        );
    }
}

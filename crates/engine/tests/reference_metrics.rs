//! Metric columns, ratio metrics and guardrail tests against reference
//! engines, on a real public file: the Cookie Cats mobile-game A/B test
//! (`tests/data/cookie_cats.csv.gz`, 90,189 players; a UTF-8 byte-order
//! mark, `TRUE`/`FALSE` retention flags, the variant in `version`).
//! Reference values come from `tests/reference/metrics_fixture.json`,
//! written by `tests/reference/generate_metrics.py` with gbstats, scipy and
//! statsmodels (versions recorded in the file).
//!
//! Tolerances: sums exactly (they are whole numbers); estimates, interval
//! ends and p-values 1e-6 relative, as in `reference_stats.rs`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::assert_close;

use std::io::Read;

use serde_json::Value;
use uplift_engine::decision::{analyze_metrics, MetricKind};
use uplift_engine::ingest::{parse_experiment, Experiment, ValueKind};
use uplift_engine::report::VsControl;
use uplift_engine::scenario::{Guardrail, MetricChoices, RatioMetric};
use uplift_engine::stats::noninferiority::non_inferiority;
use uplift_engine::stats::{Difference, SampleStats};
use uplift_engine::{analyze_experiment, Scenario};

const FIXTURE: &str = include_str!("../../../tests/reference/metrics_fixture.json");
const DATA: &[u8] = include_bytes!("../../../tests/data/cookie_cats.csv.gz");

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[track_caller]
fn close(got: f64, want: f64, what: &str) {
    assert_close(got, want, 1e-6, what);
}

const HILLSTROM: &[u8] = include_bytes!("../../../tests/data/hillstrom.csv.gz");

/// A gzipped file's text, as a user's file would hold it (mark and all).
fn unzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The Cookie Cats file's text.
fn file_text() -> String {
    unzip(DATA)
}

/// The header and the data rows `start..end`, as a file of its own.
fn slice(text: &str, start: usize, end: usize) -> String {
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut out = format!("{header}\n");
    for line in lines.skip(start).take(end - start) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn vs<'a>(results: &'a [uplift_engine::decision::ColumnMetric], key: &str) -> &'a VsControl {
    let m = results.iter().find(|c| c.key == key).unwrap();
    m.result.variants[1].vs_control.as_ref().unwrap()
}

fn check_test(got: &VsControl, reference: &Value, what: &str) {
    let rel = &reference["relative"];
    close(
        got.relative.unwrap(),
        f(&rel["estimate"]),
        &format!("{what} relative"),
    );
    let ci = got.relative_ci.unwrap();
    close(ci.low, f(&rel["ci"][0]), &format!("{what} relative ci low"));
    close(
        ci.high,
        f(&rel["ci"][1]),
        &format!("{what} relative ci high"),
    );
    close(
        got.p_value.unwrap(),
        f(&rel["p_value"]),
        &format!("{what} p"),
    );
    let abs = &reference["absolute"];
    close(
        got.absolute,
        f(&abs["estimate"]),
        &format!("{what} absolute"),
    );
    let aci = got.absolute_ci.unwrap();
    close(
        aci.low,
        f(&abs["ci"][0]),
        &format!("{what} absolute ci low"),
    );
    close(
        aci.high,
        f(&abs["ci"][1]),
        &format!("{what} absolute ci high"),
    );
}

fn column_stats(e: &Experiment, variant: usize, column: &str, binary: bool) -> SampleStats {
    let i = e
        .metric_columns
        .iter()
        .position(|c| c.name == column)
        .unwrap();
    let v = &e.variants[variant];
    let c = v.columns[i];
    if binary {
        SampleStats::proportion(c.sum as u64, v.users).unwrap()
    } else {
        SampleStats::from_sums(v.users, c.sum, c.sum_sq.unwrap()).unwrap()
    }
}

#[test]
fn cookie_cats_metrics_agree_with_gbstats_scipy_and_statsmodels() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let text = file_text();
    let alpha = f(&fixture["alpha"]);
    let mut checked = 0;
    for case in fixture["slices"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let (start, end) = (
            case["start"].as_u64().unwrap() as usize,
            case["end"].as_u64().unwrap() as usize,
        );
        let e = parse_experiment(&slice(&text, start, end)).unwrap();
        let index = |arm: &str| e.variants.iter().position(|v| v.name == arm).unwrap();
        let (control, treatment) = (index("gate_30"), index("gate_40"));
        let kinds: Vec<(&str, ValueKind)> = e
            .metric_columns
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("sum_gamerounds", ValueKind::Numeric),
                ("retention_1", ValueKind::Binary),
                ("retention_7", ValueKind::Binary)
            ]
        );
        // Sums per variant, exactly.
        for arm in ["gate_30", "gate_40"] {
            let v = &e.variants[index(arm)];
            for (ci, col) in e.metric_columns.iter().enumerate() {
                let r = &case["sums"][arm][&col.name];
                assert_eq!(v.users, r["n"].as_u64().unwrap(), "{name} {arm} n");
                assert_eq!(v.columns[ci].sum, f(&r["sum"]), "{name} {arm} {}", col.name);
                assert_eq!(v.columns[ci].sum_sq, Some(f(&r["sum_sq"])), "{name} {arm}");
            }
        }
        // The comparisons the page shows, through the whole analysis.
        let mut s = Scenario::demo();
        s.control = Some("gate_30".into());
        let ratios = case["ratios"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, r)| RatioMetric {
                name: k.clone(),
                numerator: r["numerator"].as_str().unwrap().into(),
                denominator: r["denominator"].as_str().unwrap().into(),
            })
            .collect();
        s.analysis.metrics = MetricChoices {
            ratios,
            ..MetricChoices::default()
        }
        .into();
        let report = analyze_metrics(&s, &e).unwrap();
        for (key, reference) in case["metrics"].as_object().unwrap() {
            check_test(
                vs(&report.column_metrics, key),
                reference,
                &format!("{name} {key}"),
            );
            checked += 2;
        }
        for (key, reference) in case["ratios"].as_object().unwrap() {
            let m = report
                .column_metrics
                .iter()
                .find(|c| &c.key == key)
                .unwrap();
            assert_eq!(m.kind, MetricKind::Ratio);
            close(
                m.result.variants[0].value,
                f(&reference["control_mean"]),
                key,
            );
            close(
                m.result.variants[1].value,
                f(&reference["treatment_mean"]),
                key,
            );
            check_test(
                vs(&report.column_metrics, key),
                reference,
                &format!("{name} {key}"),
            );
            checked += 2;
        }
        // Guardrails: one-sided non-inferiority.
        for (key, tests) in case["non_inferiority"].as_object().unwrap() {
            let binary = case["metrics"][key]["kind"] == "proportion";
            for t in tests.as_array().unwrap() {
                let rel = &t["relative"];
                let (a, b) = (
                    column_stats(&e, control, key, binary),
                    column_stats(&e, treatment, key, binary),
                );
                let got = non_inferiority(&a, &b, f(&rel["margin"]), Difference::Relative, alpha)
                    .unwrap();
                close(
                    got.estimate,
                    f(&rel["estimate"]),
                    &format!("{name} {key} NI estimate"),
                );
                close(
                    got.std_error,
                    f(&rel["std_error"]),
                    &format!("{name} {key} NI se"),
                );
                close(
                    got.p_value,
                    f(&rel["p_value"]),
                    &format!("{name} {key} NI p"),
                );
                close(
                    got.lower_bound,
                    f(&rel["lower_bound"]),
                    &format!("{name} {key} NI bound"),
                );
                // statsmodels tests raw values with sample variances (n − 1).
                let abs = &t["absolute"];
                let (a, b) = (
                    column_stats(&e, control, key, false),
                    column_stats(&e, treatment, key, false),
                );
                let got = non_inferiority(&a, &b, f(&abs["margin"]), Difference::Absolute, alpha)
                    .unwrap();
                close(
                    got.p_value,
                    f(&abs["p_value"]),
                    &format!("{name} {key} NI abs p"),
                );
                close(
                    (got.estimate + f(&abs["margin"])) / got.std_error,
                    f(&abs["t"]),
                    &format!("{name} {key} NI abs t"),
                );
                checked += 2;
            }
        }
    }
    assert!(checked >= 80, "only {checked} reference checks ran");
}

#[test]
fn guardrails_decide_the_cookie_cats_test() {
    // The published conclusion: moving the gate to level 40 lowers 7-day
    // retention, so the change must not ship.
    let e = parse_experiment(&file_text()).unwrap();
    let mut s = Scenario::demo();
    s.analysis.metrics = MetricChoices {
        primary: Some("retention_7".into()),
        guardrails: vec![Guardrail {
            metric: "retention_1".into(),
            margin: 0.01,
        }],
        ratios: Vec::new(),
        ..MetricChoices::default()
    }
    .into();
    let m = analyze_metrics(&s, &e).unwrap();
    let r = analyze_experiment(&s, &e).unwrap();
    let d = m.decision.unwrap();
    assert_eq!(r.primary.as_deref(), Some("retention_7"));
    assert_eq!(d.outcome, uplift_engine::decision::Outcome::DontShip);
    assert!(d.reasons[0].contains("worse"), "{:?}", d.reasons);
    // The investment case rests on the primary metric's uplift.
    close(
        r.roi.uplift.mean,
        vs(&m.column_metrics, "retention_7").relative.unwrap(),
        "uplift",
    );
}

/// The demo scenario on Hillstrom's data: the arm named in `segment` is the
/// variant (the user says so in the column step), no e-mail the control.
fn hillstrom_scenario(h: &Value) -> Scenario {
    let mut s = Scenario::demo();
    s.data = unzip(HILLSTROM);
    s.columns
        .insert("segment".into(), uplift_engine::ingest::ColumnRole::Variant);
    s.control = Some(h["control"].as_str().unwrap().into());
    s
}

#[test]
fn hillstrom_three_arms_agree_with_gbstats_and_statsmodels_holm() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let h = &fixture["hillstrom"];
    let s = hillstrom_scenario(h);
    let e = uplift_engine::ingest::parse_experiment_with(&s.data, &s.columns).unwrap();
    assert_eq!(e.rows, 64_000);
    let report = analyze_experiment(&s, &e).unwrap();
    let metrics = analyze_metrics(&s, &e).unwrap();
    let mut checked = 0;
    for (key, m) in h["metrics"].as_object().unwrap() {
        let result = match key.as_str() {
            "conversion" => &report.metrics[&uplift_engine::report::Metric::ConversionRate],
            "spend" => &report.metrics[&uplift_engine::report::Metric::RevenuePerUser],
            _ => {
                &metrics
                    .column_metrics
                    .iter()
                    .find(|c| &c.key == key)
                    .unwrap()
                    .result
            }
        };
        for (arm, want) in m["arms"].as_object().unwrap() {
            let v = result.variants.iter().find(|v| &v.name == arm).unwrap();
            let sums = &m["sums"][arm];
            assert_eq!(v.users, sums["n"].as_u64().unwrap(), "{key} {arm} users");
            close(
                v.value,
                f(&sums["sum"]) / f(&sums["n"]),
                &format!("{key} {arm} value"),
            );
            let vs = v.vs_control.as_ref().unwrap();
            let what = format!("{key} {arm}");
            close(vs.relative.unwrap(), f(&want["estimate"]), &what);
            close(
                vs.p_value.unwrap(),
                f(&want["p_value"]),
                &format!("{what} p"),
            );
            close(
                vs.p_value_adjusted.unwrap(),
                f(&want["p_adjusted"]),
                &format!("{what} Holm p"),
            );
            let ci = vs.relative_ci.unwrap();
            close(
                ci.low,
                f(&want["ci_adjusted"][0]),
                &format!("{what} widened ci low"),
            );
            close(
                ci.high,
                f(&want["ci_adjusted"][1]),
                &format!("{what} widened ci high"),
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
}

/// Field `n` of a CSV line, minding quotes (`"7) $1,000 +"`).
fn nth_field(line: &str, n: usize) -> String {
    let (mut field, mut index, mut quoted) = (String::new(), 0, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if index == n {
                    return field;
                }
                index += 1;
                field.clear();
            }
            _ => field.push(c),
        }
    }
    field
}

/// The Hillstrom file's rows whose `column` is (or is not) `level`, as a
/// file of their own.
fn rows_where(text: &str, column: usize, level: &str, inside: bool) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        if (nth_field(line, column) == level) == inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn hillstrom_segments_agree_with_gbstats_and_statsmodels_cochran_q() {
    use uplift_engine::stats::heterogeneity::cochran_q;
    use uplift_engine::stats::multiple::holm;
    use uplift_engine::stats::{compare, FrequentistOptions};

    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let h = &fixture["hillstrom"];
    let arm = h["segments"]["arm"].as_str().unwrap();
    let control = h["control"].as_str().unwrap();
    let text = unzip(HILLSTROM);
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let mut mapping = uplift_engine::ingest::ColumnMapping::new();
    mapping.insert("segment".into(), uplift_engine::ingest::ColumnRole::Variant);
    // The arm's relative lift over the control, and its standard error.
    let lift = |file: &str, metric: &str| {
        let e = uplift_engine::ingest::parse_experiment_with(file, &mapping).unwrap();
        let stats = |name: &str| {
            let v = e.variants.iter().find(|v| v.name == name).unwrap();
            if metric == "spend" {
                SampleStats::from_sums(v.users, v.revenue.unwrap(), v.revenue_sq.unwrap()).unwrap()
            } else {
                let i = e
                    .metric_columns
                    .iter()
                    .position(|c| c.name == metric)
                    .unwrap();
                SampleStats::proportion(v.columns[i].sum as u64, v.users).unwrap()
            }
        };
        let c = compare(&stats(control), &stats(arm), &FrequentistOptions::default()).unwrap();
        (c.estimate, c.std_error)
    };
    let mut checked = 0;
    for (name, seg) in h["segments"]["by"].as_object().unwrap() {
        let column = header
            .iter()
            .position(|c| *c == seg["column"].as_str().unwrap())
            .unwrap();
        let metric = seg["metric"].as_str().unwrap();
        let (mut estimates, mut errors, mut vs_rest) = (Vec::new(), Vec::new(), Vec::new());
        for level in seg["levels"].as_array().unwrap() {
            let value = level["level"].as_str().unwrap();
            let what = format!("{name} {value}");
            let (est, se) = lift(&rows_where(&text, column, value, true), metric);
            close(est, f(&level["estimate"]), &what);
            close(se, f(&level["std_error"]), &format!("{what} se"));
            let (rest, rest_se) = lift(&rows_where(&text, column, value, false), metric);
            close(rest, f(&level["rest_estimate"]), &format!("{what} rest"));
            let pair = cochran_q(&[est, rest], &[se, rest_se]).unwrap();
            close(
                pair.p_value,
                f(&level["vs_rest_p"]),
                &format!("{what} vs rest p"),
            );
            estimates.push(est);
            errors.push(se);
            vs_rest.push(pair.p_value);
            checked += 1;
        }
        for (p, level) in holm(&vs_rest).iter().zip(seg["levels"].as_array().unwrap()) {
            close(*p, f(&level["vs_rest_p_holm"]), &format!("{name} Holm"));
        }
        let q = cochran_q(&estimates, &errors).unwrap();
        close(q.q, f(&seg["q"]), &format!("{name} Q"));
        assert_eq!(q.df, f(&seg["df"]), "{name} df");
        close(q.p_value, f(&seg["p_value"]), &format!("{name} Q p"));
        close(q.pooled, f(&seg["pooled"]), &format!("{name} pooled"));
        close(
            q.pooled_se,
            f(&seg["pooled_se"]),
            &format!("{name} pooled se"),
        );
        if f(&seg["i_squared"]) > 0.0 {
            close(q.i_squared, f(&seg["i_squared"]), &format!("{name} I²"));
        } else {
            assert_eq!(q.i_squared, 0.0, "{name} I²");
        }
    }
    assert_eq!(checked, 26);
}

#[test]
fn the_segment_report_gives_the_reference_segments() {
    use uplift_engine::scenario::MetricChoices;
    use uplift_engine::segments::segment_report;

    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let h = &fixture["hillstrom"];
    let hillstrom = hillstrom_scenario(h);
    for (name, seg) in h["segments"]["by"].as_object().unwrap() {
        let mut s = hillstrom.clone();
        // `spend` is revenue, the default primary; `visit` is chosen.
        if seg["metric"] == "visit" {
            s.analysis.metrics = MetricChoices {
                primary: Some("visit".into()),
                ..MetricChoices::default()
            }
            .into();
        }
        let r = segment_report(&s, seg["column"].as_str().unwrap()).unwrap();
        let levels = seg["levels"].as_array().unwrap();
        assert_eq!(r.segments.len(), levels.len(), "{name}");
        for level in levels {
            let value = level["level"].as_str().unwrap();
            let got = r.segments.iter().find(|g| g.segment == value).unwrap();
            let what = format!("{name} {value}");
            close(got.uplift.mean, f(&level["estimate"]), &what);
            close(
                got.uplift.std_error,
                f(&level["std_error"]),
                &format!("{what} se"),
            );
            close(
                got.vs_rest_p.unwrap(),
                f(&level["vs_rest_p"]),
                &format!("{what} vs rest"),
            );
            close(
                got.vs_rest_p_adjusted.unwrap(),
                f(&level["vs_rest_p_holm"]),
                &format!("{what} Holm"),
            );
        }
        let q = r.heterogeneity.unwrap();
        close(q.q, f(&seg["q"]), &format!("{name} Q"));
        close(q.p_value, f(&seg["p_value"]), &format!("{name} Q p"));
        // Post-stratified on the column: the absolute effect is statsmodels'
        // interacted regression (HC2 errors for a mean; a proportion's
        // variance is p(1 − p), as gbstats'), the relative one its delta method.
        let want = &seg["post_stratified"];
        let got = r.post_stratified.unwrap();
        close(
            got.absolute,
            f(&want["absolute"]),
            &format!("{name} post-strat"),
        );
        let se = if seg["kind"] == "mean" {
            f(&want["absolute_se_hc2"])
        } else {
            f(&want["absolute_se"])
        };
        close(got.absolute_se, se, &format!("{name} post-strat se"));
        close(
            got.relative,
            f(&want["relative"]),
            &format!("{name} post-strat rel"),
        );
        close(
            got.relative_se,
            f(&want["relative_se"]),
            &format!("{name} post-strat rel se"),
        );
        assert_eq!(got.strata, levels.len());
        let shares: f64 = r.segments.iter().map(|g| g.share).sum();
        assert!(
            (shares - 1.0).abs() < 1e-12,
            "{name}: shares add up to {shares}"
        );
    }
}

#[test]
fn hillstrom_cuped_on_the_previous_year_s_spend_agrees_with_gbstats() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let h = &fixture["hillstrom"];
    // `history` is each customer's spend in the year before: the pre-period.
    let mut s = hillstrom_scenario(h);
    s.columns.insert(
        "history".into(),
        uplift_engine::ingest::ColumnRole::PreRevenue,
    );
    let e = uplift_engine::ingest::parse_experiment_with(&s.data, &s.columns).unwrap();
    let report = analyze_experiment(&s, &e).unwrap();
    let spend = &report.metrics[&uplift_engine::report::Metric::RevenuePerUser];
    let cuped = h["cuped"].as_object().unwrap();
    assert_eq!(cuped.len(), 2);
    for (arm, want) in cuped {
        let vs = spend
            .variants
            .iter()
            .find(|v| &v.name == arm)
            .unwrap()
            .vs_control
            .as_ref()
            .unwrap();
        close(
            vs.relative.unwrap(),
            f(&want["relative"]),
            &format!("{arm} CUPED lift"),
        );
        let abs = &want["absolute"];
        close(
            vs.absolute,
            f(&abs["estimate"]),
            &format!("{arm} CUPED difference"),
        );
        let ci = vs.absolute_ci.unwrap();
        close(ci.low, f(&abs["ci"][0]), &format!("{arm} CUPED low"));
        close(ci.high, f(&abs["ci"][1]), &format!("{arm} CUPED high"));
    }
}

//! Property tests over the whole engine: for any finite input it returns a
//! report or a typed error, never a panic; a report holds no NaN or infinity,
//! its probabilities lie in [0, 1], its intervals contain their estimates;
//! the order of a file's rows does not change what is read; and a scenario
//! with any text in it survives its JSON file.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use uplift_engine::ingest::parse_experiment;
use uplift_engine::scenario::Method;
use uplift_engine::units::Interval;
use uplift_engine::{analyze, Scenario};

prop_compose! {
    fn variant_row(i: usize)(users in 1u64..5_000_000, conv_share in 0.0f64..=1.0,
                             orders_extra in 0u64..1000, aov in 0.0f64..500.0,
                             spread in 0.0f64..3.0, consistent in any::<bool>())
        -> String {
        let conversions = (users as f64 * conv_share).floor() as u64;
        let orders = conversions + orders_extra.min(users);
        let revenue = orders as f64 * aov;
        // Sum of squares at least revenue²/users (a real variance) unless the
        // case deliberately breaks it.
        let floor = if users > 0 { revenue * revenue / users as f64 } else { 0.0 };
        let revenue_sq = if consistent { floor * (1.0 + spread) } else { floor * spread / 4.0 };
        format!("v{i},{users},{conversions},{orders},{revenue},{revenue_sq}\n")
    }
}

fn experiment() -> impl Strategy<Value = String> {
    (2usize..5).prop_flat_map(|n| {
        (0..n)
            .map(variant_row)
            .collect::<Vec<_>>()
            .prop_map(|rows| {
                format!(
                    "variant,users,conversions,orders,revenue,revenue_sq\n{}",
                    rows.concat()
                )
            })
    })
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Frequentist),
        Just(Method::Bayesian),
        Just(Method::Sequential)
    ]
}

fn in_unit(p: Option<f64>) -> bool {
    p.is_none_or(|p| (0.0..=1.0).contains(&p))
}

fn contains(ci: &Option<Interval>, x: f64) -> bool {
    // Up to rounding in the last digits.
    ci.as_ref().is_none_or(|ci| {
        ci.low <= x + 1e-9 * x.abs().max(1.0) && x - 1e-9 * x.abs().max(1.0) <= ci.high
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn reports_are_finite_and_coherent(data in experiment(), method in method(),
                                       confidence in 0.5f64..0.999, cost in 0.0f64..1e7,
                                       margin in 0.0f64..=1.0, users in 0.0f64..1e8,
                                       retention in (any::<bool>(), prop_oneof![Just(1.0f64), 0.0f64..=1.0],
                                                     prop_oneof![Just(1.0f64), 0.0f64..=1.0], 0u32..12),
                                       discount in prop_oneof![Just(0.0f64), 0.0f64..=1.0]) {
        let mut s = Scenario::demo();
        s.data = data;
        s.analysis.method = method;
        s.confidence = confidence;
        s.costs[0].amount.0 = cost;
        s.assumptions.gross_margin.0 = margin;
        s.assumptions.monthly_users = users;
        let (enabled, kept_before, kept_after, years) = retention;
        s.investment.retention.switch.enabled = enabled;
        s.investment.retention.retention_control.0 = kept_before;
        s.investment.retention.retention_variant.0 = kept_after;
        s.investment.retention.years = years;
        s.investment.discount_rate = discount;
        let Ok(r) = analyze(&s) else { return Ok(()) };
        // The charts module reads the report as JSON: every report must
        // come back from it (a non-finite number would be written as null).
        let json = serde_json::to_string(&r).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(serde_json::from_str::<uplift_engine::Report>(&json).is_ok(), "unreadable report JSON: {json}");
        let debug = format!("{r:?}");
        prop_assert!(!debug.contains("NaN") && !debug.contains(": inf") && !debug.contains(": -inf")
            && !debug.contains("(inf") && !debug.contains("(-inf"), "non-finite number in {debug}");
        for m in r.metrics.values() {
            for v in &m.variants {
                prop_assert!(contains(&v.ci, v.value), "{} {:?} ∌ {}", m.label, v.ci, v.value);
                let Some(c) = &v.vs_control else { continue };
                prop_assert!(in_unit(c.p_value) && in_unit(c.p_value_adjusted));
                prop_assert!(in_unit(c.chance_to_beat_control) && in_unit(c.beta_chance_to_beat_control));
                if method != Method::Bayesian {
                    prop_assert!(contains(&c.absolute_ci, c.absolute), "{}: {:?} ∌ {}", m.label, c.absolute_ci, c.absolute);
                    if let Some(rel) = c.relative {
                        prop_assert!(contains(&c.relative_ci, rel), "{}: {:?} ∌ {}", m.label, c.relative_ci, rel);
                    }
                }
                if let Some(ci) = &c.relative_ci {
                    prop_assert!(ci.low <= ci.high);
                }
            }
        }
        prop_assert!(in_unit(r.roi.probability_roi_positive));
        if let Some(p) = &r.roi.roi_percentiles {
            prop_assert!(p.p5 <= p.p50 && p.p50 <= p.p95);
        }
    }

    #[test]
    fn row_order_does_not_change_the_sums(
        rows in proptest::collection::vec((0usize..3, any::<bool>(), 0u32..100_000), 2..80),
        seed in any::<u64>(),
    ) {
        let line = |(v, c, cents): &(usize, bool, u32)| format!("arm{v},{},{}.{:02}\n", u8::from(*c), cents / 100, cents % 100);
        let mut shuffled = rows.clone();
        // A seeded Fisher–Yates shuffle.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let text = |rs: &[(usize, bool, u32)]| format!("variant,converted,revenue\n{}", rs.iter().map(line).collect::<String>());
        let (a, b) = (parse_experiment(&text(&rows)), parse_experiment(&text(&shuffled)));
        prop_assert_eq!(a.is_ok(), b.is_ok());
        let (Ok(a), Ok(b)) = (a, b) else { return Ok(()) };
        for va in &a.variants {
            let vb = b.variants.iter().find(|v| v.name == va.name).unwrap();
            prop_assert_eq!(va.users, vb.users);
            prop_assert_eq!(va.conversions, vb.conversions);
            let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                (x, y) => x == y,
            };
            prop_assert!(close(va.revenue, vb.revenue) && close(va.revenue_sq, vb.revenue_sq));
        }
    }

    #[test]
    fn scenario_json_round_trips_any_text(
        data in any::<String>(),
        label in any::<String>(),
        control in proptest::option::of(any::<String>()),
        amount in 0.0f64..1e9,
    ) {
        let mut s = Scenario::demo();
        s.data = data;
        s.control = control;
        if let Some(c) = s.costs.first_mut() {
            c.label = label;
            c.amount.0 = amount;
        }
        let json = s.to_json();
        // Indented exactly as serde_json's own pretty printer would.
        prop_assert_eq!(&json, &serde_json::to_string_pretty(&s).unwrap());
        let back = Scenario::from_json(&json);
        prop_assert!(back.is_ok(), "{:?}", back);
        let back = back.unwrap();
        prop_assert_eq!(&back.data, &s.data);
        prop_assert_eq!(&back.control, &s.control);
        prop_assert_eq!(&back.costs[0].label, &s.costs[0].label);
        // serde_json's default float parser may be one unit in the last
        // place off (its exact parser adds 8 KB to the page); amounts are
        // shown to the cent, far above that.
        let (a, b) = (back.costs[0].amount.0, s.costs[0].amount.0);
        prop_assert!((a - b).abs() <= 4.0 * f64::EPSILON * b.abs(), "{} vs {}", a, b);
    }
}

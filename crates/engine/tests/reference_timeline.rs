//! The lift over time against gbstats 0.8.0, scipy and statsmodels, on the
//! seeded simulated experiment of `tests/reference/generate_timeline.py`
//! (`tests/data/timeline_sim.csv.gz`, 23,392 users over 14 days, a
//! novelty effect in the treatment): per day users and daily lift, the
//! cumulative relative lift with the fixed-horizon (`TwoSidedTTest`) and
//! always-valid (`SequentialTwoSidedTTest`, τ = 5000) intervals and
//! p-values, the trend of the daily lift (`scipy.stats.linregress`) and
//! the users and days still needed (statsmodels' `NormalIndPower`), for the
//! conversion flag and the revenue, over 14 days and over the first 7.
//! Everything to 1e-6 (relative above 1).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Read;

use serde_json::Value;
use uplift_engine::timeline::{
    read_timeline, timeline, MetricKind, Timeline, TimelineColumns, TimelineOptions,
};

const FIXTURE: &str = include_str!("../../../tests/reference/timeline_fixture.json");
const DATA: &[u8] = include_bytes!("../../../tests/data/timeline_sim.csv.gz");

fn text() -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(DATA)
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

/// Tracks the largest difference seen, and fails past 1e-6.
struct Check(f64);

impl Check {
    fn close(&mut self, got: f64, want: f64, what: &str) {
        let diff = (got - want).abs() / want.abs().max(1.0);
        self.0 = self.0.max(diff);
        assert!(diff <= 1e-6, "{what}: got {got}, want {want}");
    }
}

fn read(text: &str, metric: &str) -> Timeline {
    let columns = TimelineColumns {
        date: "exposed_at".into(),
        variant: "variant".into(),
        metric: metric.into(),
        ..Default::default()
    };
    read_timeline(text, &columns).unwrap()
}

#[test]
fn the_timeline_agrees_with_gbstats_scipy_and_statsmodels() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let text = text();
    let mut check = Check(0.0);
    let cases = fixture["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let metric = case["metric"].as_str().unwrap();
        let observed = case["days_observed"].as_u64().unwrap() as usize;
        let what = format!("{metric}, {observed} days");
        let mut data = read(&text, metric);
        let kind = if case["kind"] == "proportion" {
            MetricKind::Proportion
        } else {
            MetricKind::Mean
        };
        assert_eq!(data.kind(), kind, "{what}");
        let keep: Vec<i64> = data.days.keys().copied().take(observed).collect();
        data.days.retain(|d, _| keep.contains(d));
        let r = timeline(&data, &TimelineOptions::default()).unwrap();
        assert_eq!(r.control, "control");
        assert_eq!(r.treatment, "personalized");
        let days = case["days"].as_array().unwrap();
        assert_eq!(r.days.len(), days.len(), "{what}");
        for (got, want) in r.days.iter().zip(days) {
            let at = format!("{what}, {}", want["date"]);
            assert_eq!(got.date, want["date"].as_str().unwrap(), "{at}");
            assert_eq!(got.day, want["day"].as_i64().unwrap(), "{at}");
            assert_eq!(got.control.users, want["users"][0].as_u64().unwrap());
            assert_eq!(got.treatment.users, want["users"][1].as_u64().unwrap());
            assert_eq!(
                got.cumulative_control.users,
                want["cumulative_users"][0].as_u64().unwrap()
            );
            check.close(
                got.daily_lift.unwrap(),
                f(&want["daily_lift"]),
                &format!("{at} daily lift"),
            );
            for (k, v) in [got.cumulative_control, got.cumulative_treatment]
                .iter()
                .enumerate()
            {
                check.close(
                    v.value.unwrap(),
                    f(&want["cumulative_value"][k]),
                    &format!("{at} value {k}"),
                );
            }
            let lift = got.lift.unwrap();
            check.close(lift.estimate, f(&want["estimate"]), &format!("{at} lift"));
            check.close(
                lift.fixed.low,
                f(&want["fixed_ci"][0]),
                &format!("{at} low"),
            );
            check.close(
                lift.fixed.high,
                f(&want["fixed_ci"][1]),
                &format!("{at} high"),
            );
            check.close(
                lift.fixed_p_value,
                f(&want["fixed_p_value"]),
                &format!("{at} p"),
            );
            check.close(
                lift.always_valid.low,
                f(&want["always_valid_ci"][0]),
                &format!("{at} always-valid low"),
            );
            check.close(
                lift.always_valid.high,
                f(&want["always_valid_ci"][1]),
                &format!("{at} always-valid high"),
            );
            check.close(
                lift.always_valid_p_value,
                f(&want["always_valid_p_value"]),
                &format!("{at} always-valid p"),
            );
        }
        let trend = r.trend.as_ref().unwrap();
        let want = &case["trend"];
        check.close(trend.slope, f(&want["slope"]), &format!("{what} slope"));
        check.close(
            trend.intercept,
            f(&want["intercept"]),
            &format!("{what} intercept"),
        );
        check.close(
            trend.std_error,
            f(&want["std_error"]),
            &format!("{what} se"),
        );
        check.close(
            trend.p_value,
            f(&want["p_value"]),
            &format!("{what} slope p"),
        );
        let plan = r.days_to_go.as_ref().unwrap();
        let want = &case["plan"];
        check.close(
            plan.min_lift,
            f(&want["min_lift"]),
            &format!("{what} min lift"),
        );
        check.close(
            plan.users_needed_per_variant,
            f(&want["users_needed_per_variant"]),
            &format!("{what} users needed"),
        );
        assert_eq!(plan.days, want["days"].as_u64(), "{what} days to go");
    }
    println!("largest difference from the references: {:.1e}", check.0);
}

/// The same experiment summed per day and variant reads as the same
/// timeline, and gives the same report.
#[test]
fn daily_aggregates_give_the_same_timeline() {
    let text = text();
    for (metric, squares) in [("converted", false), ("revenue", true)] {
        let by_user = read(&text, metric);
        let mut csv = String::from("day;arm;users;total;total_sq\n");
        for (day, sums) in &by_user.days {
            for (variant, s) in by_user.variants.iter().zip(sums) {
                let date = uplift_engine::value::transactions::civil_from_days(*day);
                csv.push_str(&format!(
                    "{date};{variant};{};{};{}\n",
                    s.users, s.sum, s.sum_sq
                ));
            }
        }
        let columns = TimelineColumns {
            date: "day".into(),
            variant: "arm".into(),
            metric: "total".into(),
            users: Some("users".into()),
            sum_squares: squares.then(|| "total_sq".into()),
            ..Default::default()
        };
        let by_day = read_timeline(&csv, &columns).unwrap();
        assert_eq!(by_day.kind(), by_user.kind());
        let (a, b) = (
            timeline(&by_user, &TimelineOptions::default()).unwrap(),
            timeline(&by_day, &TimelineOptions::default()).unwrap(),
        );
        assert_eq!(a, b, "{metric}");
    }
}

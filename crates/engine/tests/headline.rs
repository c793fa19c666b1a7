//! The headline as the report states it, for data whose arms or metric
//! are not named as the demo's: every arm's lift and decision when no arm
//! is named like a control, and the value of a metric that is not money.

use uplift_engine::decision::{analyze_metrics, every_arm, Outcome};
use uplift_engine::headline::{best_arm, Assumed, ValueBasis};
use uplift_engine::{analyze, Report, Scenario};

fn report(data: &str, edit: impl Fn(&mut Scenario)) -> Report {
    let mut s = Scenario::demo();
    s.data = data.to_string();
    // The column step's answer: which column names the arms.
    let variant = data.split(',').next().unwrap_or_default().to_string();
    s.columns = [(variant, uplift_engine::ingest::ColumnRole::Variant)].into();
    edit(&mut s);
    match analyze(&s) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

/// Three promotions by store-week: no arm is named like a control, so
/// the first is taken and the page asks; each arm has its decision.
const PROMOTIONS: &str = "Promotion,users,SalesInThousands,SalesInThousands_sq\n\
    3,188,10000,560000\n1,172,10500,680000\n2,188,8900,440000\n";

#[test]
fn every_arm_has_its_lift_and_decision_and_the_control_is_asked_for() {
    let arms_of = |r: &Report, s: &Scenario| {
        let e = match uplift_engine::ingest::parse_experiment_with(&s.data, &s.columns) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        };
        let m = match analyze_metrics(s, &e) {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        every_arm(r, &m.arms, e.variant_column.as_deref())
    };
    let mut s = Scenario::demo();
    s.data = PROMOTIONS.to_string();
    s.columns = [(
        "Promotion".to_string(),
        uplift_engine::ingest::ColumnRole::Variant,
    )]
    .into();
    let r = report(PROMOTIONS, |_| {});
    let h = &r.headline;
    assert!(h.control_assumed);
    assert_eq!(h.control_label, "Promotion 3");
    assert_eq!(h.treatment_label, "Promotion 1");
    assert_eq!(h.metric, "SalesInThousands");
    let arms = arms_of(&r, &s);
    let labels: Vec<&str> = arms.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Promotion 1", "Promotion 2"]);
    // Promotion 1 sells more per store-week than 3, Promotion 2 less.
    let lift = |name: &str| {
        arms.iter()
            .find(|a| a.name == name)
            .and_then(|a| a.relative)
            .unwrap_or(f64::NAN)
    };
    assert!(lift("1") > 0.0 && lift("2") < 0.0, "{arms:?}");
    assert_eq!(best_arm(&arms).map(|a| a.name.as_str()), Some("1"));
    // Sales are not revenue per user: the value of one unit is asked for.
    assert_eq!(h.value, ValueBasis::Needed);

    s.control = Some("1".into());
    s.treatment = Some("2".into());
    let chosen = report(PROMOTIONS, |t| {
        t.control = Some("1".into());
        t.treatment = Some("2".into());
    });
    let h = &chosen.headline;
    assert!(!h.control_assumed);
    assert_eq!(chosen.treatment, "2");
    assert_eq!(h.treatment_label, "Promotion 2");
    let arms = arms_of(&chosen, &s);
    // The treatment comes first, and its decision is the report's.
    assert_eq!(arms.first().map(|a| a.name.as_str()), Some("2"));
    assert_eq!(
        h.decision.as_ref().map(|d| d.0),
        arms.first().map(|a| a.outcome)
    );
    assert_eq!(arms.first().map(|a| a.outcome), Some(Outcome::DontShip));
}

#[test]
fn a_survey_answer_is_worth_what_the_user_says_and_nothing_before() {
    let survey = "experiment,users,yes\ncontrol,4000,264\nexposed,4000,308\n";
    let r = report(survey, |_| {});
    assert_eq!(r.headline.value, ValueBasis::Needed);
    assert_eq!(r.monthly_benefit.0, 0.0);
    assert!(!r.headline.assumed.contains(&Assumed::OrderValue));
    let valued = report(survey, |s| {
        s.assumptions.metric_value = Some(uplift_engine::units::Money(2.0))
    });
    assert_eq!(valued.headline.value, ValueBasis::Typed);
    assert!(!valued.headline.assumed.contains(&Assumed::OrderValue));
    // Valued at the demo's order value: still an assumption.
    let confirmed = report(survey, |s| {
        s.assumptions.metric_value = Some(uplift_engine::units::Money(80.0))
    });
    assert!(confirmed.headline.assumed.contains(&Assumed::OrderValue));
    // 100,000 users × 6.6% × $2 × 40% margin × the relative lift.
    let lift = valued
        .primary_vs_control()
        .and_then(|v| v.relative)
        .unwrap_or(f64::NAN);
    let expected = 100_000.0 * 0.066 * 2.0 * 0.4 * lift;
    assert!((valued.monthly_benefit.0 - expected).abs() < 1e-6 * expected.abs());
    // Conversions are purchases: valued at the order value.
    let demo = report(
        "variant,users,conversions\ncontrol,24000,480\npersonalized,24000,624\n",
        |_| {},
    );
    assert_eq!(demo.headline.value, ValueBasis::OrderValue);
    assert!(demo.headline.assumed.contains(&Assumed::OrderValue));
    assert_eq!(
        report(uplift_engine::scenario::DEMO_DATA, |_| {})
            .headline
            .value,
        ValueBasis::Revenue
    );
}

/// Support tickets per user should fall: a fall of 20% is a gain in the
/// investment case (each ticket avoided saves what the user says one costs),
/// and the verdict ships.
#[test]
fn a_fall_in_a_metric_that_should_fall_is_the_gain() {
    let tickets = "variant,users,tickets\ncontrol,50000,5000\nassistant,50000,4000\n";
    let r = report(tickets, |s| {
        s.assumptions.metric_value = Some(uplift_engine::units::Money(12.0))
    });
    assert_eq!(r.primary.as_deref(), Some("tickets"));
    let lift = r
        .primary_vs_control()
        .and_then(|v| v.relative)
        .unwrap_or(f64::NAN);
    assert!((lift + 0.2).abs() < 1e-9, "{lift}");
    // 100,000 users × 0.1 tickets × $12 × 40% margin × the 20% fall.
    let expected = 100_000.0 * 0.1 * 12.0 * 0.4 * 0.2;
    assert!(
        (r.monthly_benefit.0 - expected).abs() < 1e-6 * expected,
        "{} vs {expected}",
        r.monthly_benefit.0
    );
    assert_eq!(
        r.headline.decision.as_ref().map(|d| d.0),
        Some(Outcome::Ship)
    );
}

/// One whale in the control makes the raw revenue per user worse; capped
/// (in the metric plan), the same data is better, and the headline names
/// the metric as capped.
#[test]
fn a_capped_metric_is_named_so_and_can_turn_the_verdict() {
    let mut rows = String::from("variant,revenue\n");
    for i in 0..4000 {
        let arm = if i % 2 == 0 { "control" } else { "new" };
        let bought = i % 10 == 1 || i % 10 == 3 || i % 10 == 4 || i % 20 == 6;
        let revenue = match (i, bought) {
            (0, _) => 30_000.0,
            (_, true) => 40.0 + (i % 7) as f64,
            _ => 0.0,
        };
        rows.push_str(&format!("{arm},{revenue}\n"));
    }
    let raw = report(&rows, |_| {});
    assert_eq!(raw.headline.metric, "revenue per user");
    let capped = report(&rows, |s| {
        s.analysis.metrics = uplift_engine::scenario::MetricChoices {
            caps: uplift_engine::ingest::CapSpec::parse(
                uplift_engine::ingest::Tail::Upper,
                "revenue 99.9%",
            )
            .into_iter()
            .collect(),
            ..Default::default()
        }
        .into()
    });
    assert_eq!(capped.headline.metric, "capped revenue per user");
    assert_eq!(
        capped.headline.decision.as_ref().map(|d| d.1.as_str()),
        Some("Capped revenue per user is better (p < 0.05).")
    );
    let lift = |r: &Report| {
        r.primary_vs_control()
            .and_then(|v| v.relative)
            .unwrap_or(f64::NAN)
    };
    assert!(
        lift(&raw) < 0.0 && lift(&capped) > 0.0,
        "{} {}",
        lift(&raw),
        lift(&capped)
    );
    assert_ne!(
        raw.headline.decision.as_ref().map(|d| d.0),
        capped.headline.decision.as_ref().map(|d| d.0)
    );
}

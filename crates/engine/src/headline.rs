//! What the summary leads with, beyond the numbers: which arm is the
//! control and whether the data said so, every arm's lift and decision,
//! what one unit of the primary metric is worth and where that comes from,
//! and which inputs are still the demo's assumptions.

use serde::{Deserialize, Serialize};

use crate::decision::Outcome;
use crate::scenario::{Assumptions, Scenario};
use crate::units::Interval;

pub use crate::ingest::control_like;

/// The index of the control when no one chose it: the first arm named
/// like a control, else `A` when another arm is `B`; `None` when the names
/// do not say (`gate_30`, `3`), and the page must ask.
pub fn guess_control<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Option<usize> {
    if let Some(i) = names.clone().position(control_like) {
        return Some(i);
    }
    let a = names
        .clone()
        .position(|n| n.trim().eq_ignore_ascii_case("a"))?;
    names
        .clone()
        .any(|n| n.trim().eq_ignore_ascii_case("b"))
        .then_some(a)
}

/// An arm as a sentence names it: a number or a single letter with its
/// column ("Promotion 3"), else as it is written ("personalized").
pub fn arm_label(name: &str, column: Option<&str>) -> String {
    let bare = name.trim();
    let numeric = !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit() || c == '.');
    match column {
        Some(col) if numeric || bare.chars().count() == 1 => format!("{col} {bare}"),
        _ => bare.to_string(),
    }
}

/// Where the money value of the primary metric comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueBasis {
    /// Revenue per user, measured in the data.
    Revenue,
    /// Conversions at the order value in the inputs.
    OrderValue,
    /// The value of one unit of the primary metric, typed by the user.
    Typed,
    /// The data has no revenue and the primary metric is not a purchase:
    /// nobody has said what it is worth, so there is no ROI yet.
    Needed,
}

/// An input the investment case uses that is still at the demo's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assumed {
    OrderValue,
    Margin,
    Reach,
    Costs,
}

impl Assumed {
    /// The input's name as the verdict lists it.
    pub fn label(self) -> &'static str {
        match self {
            Assumed::OrderValue => "order value",
            Assumed::Margin => "margin",
            Assumed::Reach => "reach",
            Assumed::Costs => "costs",
        }
    }
}

/// The inputs `basis` relies on that equal the demo's: each is a guess
/// until someone types their own.
pub fn assumed_inputs(scenario: &Scenario, basis: ValueBasis) -> Vec<Assumed> {
    let (a, demo) = (&scenario.assumptions, Assumptions::default());
    let mut out = Vec::new();
    // The order value, or a unit of the primary metric valued at the
    // demo's order value ("Value it at the order value").
    let demo_value = match basis {
        ValueBasis::OrderValue => Some(a.average_order_value),
        ValueBasis::Typed => a.metric_value,
        _ => None,
    };
    if demo_value == Some(demo.average_order_value) {
        out.push(Assumed::OrderValue);
    }
    if a.gross_margin == demo.gross_margin {
        out.push(Assumed::Margin);
    }
    if a.monthly_users == demo.monthly_users {
        out.push(Assumed::Reach);
    }
    if scenario.costs == Scenario::demo().costs {
        out.push(Assumed::Costs);
    }
    out
}

/// One arm against the control on the primary metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arm {
    pub name: String,
    /// The name as a sentence says it ([`arm_label`]).
    pub label: String,
    pub relative: Option<f64>,
    pub relative_ci: Option<Interval>,
    pub significant: bool,
    pub outcome: Outcome,
}

/// What the summary states before any figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    /// The control was taken as the first arm because no name said which
    /// one it is and nobody chose: the page asks.
    pub control_assumed: bool,
    /// The control and the arm the investment case rests on, as sentences name them.
    pub control_label: String,
    pub treatment_label: String,
    /// The primary metric's name as a sentence says it.
    pub metric: String,
    /// The decision for the treatment on the primary metric alone, with
    /// its reason ([`crate::decision::primary_decision`]): the whole
    /// decision unless the plan has guardrails.
    pub decision: Option<(Outcome, String)>,
    /// The plan has guardrails: the whole decision is
    /// [`crate::decision::analyze_metrics`]'s.
    pub guardrails: bool,
    pub value: ValueBasis,
    pub assumed: Vec<Assumed>,
    /// The data is the built-in demo experiment (read from its sums, so a
    /// report made again from them says the same).
    pub demo: bool,
}

/// Every arm but the control against the control, in the report's order
/// (the treatment first), with its decision: `decisions` holds one per
/// arm, as [`crate::decision::MetricsReport::arms`] gives them.
pub fn every_arm(
    report: &crate::Report,
    decisions: &[(String, Outcome)],
    variant_column: Option<&str>,
) -> Vec<Arm> {
    let Some(result) = report.primary_result() else {
        return Vec::new();
    };
    result
        .variants
        .iter()
        .filter_map(|v| {
            let vs = v.vs_control.as_ref()?;
            let outcome = decisions
                .iter()
                .find(|(n, _)| *n == v.name)
                .map_or(Outcome::KeepRunning, |(_, o)| *o);
            Some(Arm {
                name: v.name.clone(),
                label: arm_label(&v.name, variant_column),
                relative: vs.relative,
                relative_ci: vs.relative_ci,
                significant: vs.significant,
                outcome,
            })
        })
        .collect()
}

/// The arm with the highest lift on the primary metric.
pub fn best_arm(arms: &[Arm]) -> Option<&Arm> {
    arms.iter()
        .filter(|a| a.relative.is_some_and(f64::is_finite))
        .max_by(|x, y| {
            x.relative
                .unwrap_or(0.0)
                .total_cmp(&y.relative.unwrap_or(0.0))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_names_are_recognised_and_others_are_not() {
        for name in [
            "control",
            "Control group",
            "CTRL",
            "baseline",
            "Hold-out",
            "No E-Mail",
            "no personalization",
            "default",
        ] {
            assert!(control_like(name), "{name}");
        }
        for name in [
            "personalized",
            "gate_30",
            "3",
            "exposed",
            "Mens E-Mail",
            "novel",
        ] {
            assert!(!control_like(name), "{name}");
        }
    }

    #[test]
    fn the_control_is_guessed_from_names_only() {
        let guess = |names: &[&str]| guess_control(names.iter().copied());
        assert_eq!(guess(&["exposed", "control"]), Some(1));
        assert_eq!(
            guess(&["Mens E-Mail", "No E-Mail", "Womens E-Mail"]),
            Some(1)
        );
        assert_eq!(guess(&["B", "A"]), Some(1));
        assert_eq!(guess(&["A", "C"]), None);
        assert_eq!(guess(&["3", "1", "2"]), None);
        assert_eq!(guess(&["gate_30", "gate_40"]), None);
    }

    #[test]
    fn numeric_arms_are_named_with_their_column() {
        assert_eq!(arm_label("3", Some("Promotion")), "Promotion 3");
        assert_eq!(arm_label("B", Some("group")), "group B");
        assert_eq!(arm_label("personalized", Some("variant")), "personalized");
        assert_eq!(arm_label("3", None), "3");
    }

    fn report(data: &str, edit: impl Fn(&mut Scenario)) -> crate::Report {
        let mut s = Scenario::demo();
        s.data = data.to_string();
        // The column step's answer: which column names the arms.
        let variant = data.split(',').next().unwrap_or_default().to_string();
        s.columns = [(variant, crate::ingest::ColumnRole::Variant)].into();
        edit(&mut s);
        match crate::analyze(&s) {
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
        let arms_of = |r: &crate::Report, s: &Scenario| {
            let e = match crate::ingest::parse_experiment_with(&s.data, &s.columns) {
                Ok(e) => e,
                Err(e) => panic!("{e}"),
            };
            let m = match crate::decision::analyze_metrics(s, &e) {
                Ok(m) => m,
                Err(e) => panic!("{e}"),
            };
            every_arm(r, &m.arms, e.variant_column.as_deref())
        };
        let mut s = Scenario::demo();
        s.data = PROMOTIONS.to_string();
        s.columns = [("Promotion".to_string(), crate::ingest::ColumnRole::Variant)].into();
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
            s.assumptions.metric_value = Some(crate::units::Money(2.0))
        });
        assert_eq!(valued.headline.value, ValueBasis::Typed);
        assert!(!valued.headline.assumed.contains(&Assumed::OrderValue));
        // Valued at the demo's order value: still an assumption.
        let confirmed = report(survey, |s| {
            s.assumptions.metric_value = Some(crate::units::Money(80.0))
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
            report(crate::scenario::DEMO_DATA, |_| {}).headline.value,
            ValueBasis::Revenue
        );
    }

    #[test]
    fn only_inputs_at_the_demo_value_are_assumed() {
        let mut s = Scenario::demo();
        assert_eq!(
            assumed_inputs(&s, ValueBasis::OrderValue),
            [
                Assumed::OrderValue,
                Assumed::Margin,
                Assumed::Reach,
                Assumed::Costs
            ]
        );
        assert_eq!(
            assumed_inputs(&s, ValueBasis::Revenue),
            [Assumed::Margin, Assumed::Reach, Assumed::Costs]
        );
        s.assumptions.gross_margin = crate::units::Rate(0.35);
        s.assumptions.monthly_users = 5_000.0;
        s.costs.truncate(1);
        assert!(assumed_inputs(&s, ValueBasis::Revenue).is_empty());
    }
}

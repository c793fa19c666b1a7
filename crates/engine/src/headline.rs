//! What the summary leads with, beyond the numbers: which arm is the
//! control and whether the data said so, the primary metric's decision
//! (the whole decision when there are no guardrails), what one unit of the primary metric is worth and where that comes from,
//! and which inputs are still the demo's assumptions.

use serde::{Deserialize, Serialize};

use crate::comparison::VsControl;
use crate::scenario::{Assumptions, Method, Scenario};
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

/// What the page recommends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ship,
    DontShip,
    KeepRunning,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ship => "Ship",
            Outcome::DontShip => "Don't ship",
            Outcome::KeepRunning => "Keep running",
        }
    }
}

/// The decision on the primary metric alone, with its reason: ship when it
/// is significantly better, don't when it is significantly worse, else keep
/// running. With no guardrails this is the whole decision (`decide`); the
/// page's summary computes only this, and takes a decision with guardrails
/// from the metrics panel.
pub fn primary_decision(
    scenario: &Scenario,
    primary: &str,
    primary_vs: Option<&VsControl>,
) -> (Outcome, String) {
    // The significant difference's sign, + when it is an improvement; 0
    // when there is none. The absolute difference, not the relative lift:
    // it keeps its sign when the control's value is below 0. A metric that
    // is better when it falls (churn, cost) improves when it falls.
    let direction = if scenario.analysis.metrics.lower_is_better(primary) {
        -1.0
    } else {
        1.0
    };
    let lift = primary_vs
        .filter(|v| v.significant)
        .map_or(0.0, |v| direction * v.absolute);
    let evidence = match scenario.analysis.method {
        Method::Bayesian => format!(
            "a chance to beat control of at least {:.0}%",
            scenario.confidence * 100.0
        ),
        _ => format!(
            "p < {}",
            ((1.0 - scenario.confidence) * 1000.0).round() / 1000.0
        ),
    };
    if lift > 0.0 {
        (Outcome::Ship, format!("{primary} is better ({evidence})."))
    } else if lift < 0.0 {
        (
            Outcome::DontShip,
            format!("{primary} is worse ({evidence})."),
        )
    } else {
        (
            Outcome::KeepRunning,
            format!("{primary} has not changed significantly yet."),
        )
    }
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

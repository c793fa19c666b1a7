//! What the tools below the results need from the page: the confidence level,
//! the loaded experiment's control conversion rate and users, and how numbers
//! are written. The tools are a separate WebAssembly module (see the tool
//! cards, `tools::tool_cards`), so the page hands them this small summary
//! as JSON instead of sharing its state.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uplift_engine::report::{Metric, Report};
use uplift_engine::Scenario;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolsContext {
    /// The analysis' confidence level, e.g. 0.95.
    pub confidence: f64,
    /// The control's conversion rate in the newest results, if any.
    pub baseline_rate: Option<f64>,
    /// Users in the control group in the newest results, if any.
    pub control_users: Option<f64>,
    pub locale: String,
    pub currency: String,
    /// The programme tool's inputs kept in the scenario, if any.
    #[serde(default)]
    pub programme: Option<String>,
    /// What the time and targeting tools offered the investment case
    /// (`tools::tool_choices::ToolChoices`), if anything.
    #[serde(default)]
    pub tools: Option<String>,
}

impl Default for ToolsContext {
    fn default() -> Self {
        ToolsContext {
            confidence: 0.95,
            baseline_rate: None,
            control_users: None,
            locale: "en-US".into(),
            currency: "USD".into(),
            programme: None,
            tools: None,
        }
    }
}

impl ToolsContext {
    /// The summary of a scenario and the newest report computed from it.
    pub fn new(scenario: &Scenario, report: Option<&Report>) -> ToolsContext {
        ToolsContext {
            confidence: scenario.confidence,
            baseline_rate: report
                .and_then(|r| r.metric(Metric::ConversionRate))
                .and_then(|m| m.variants.first())
                .map(|v| v.value),
            control_users: report.and_then(|r| r.value.first().map(|v| v.users as f64)),
            locale: scenario.display.locale.clone(),
            currency: scenario.display.currency.clone(),
            programme: scenario.programme.clone(),
            tools: scenario.tools.clone(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Read the page's summary; anything unreadable gives the defaults,
    /// so a tool always opens.
    pub fn from_json(text: &str) -> ToolsContext {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// The context provided to the tools' components.
pub fn use_tools_context() -> RwSignal<ToolsContext> {
    use_context::<RwSignal<ToolsContext>>()
        .unwrap_or_else(|| RwSignal::new(ToolsContext::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_gives_its_control_rate_and_users() {
        let scenario = Scenario::demo();
        let report = uplift_engine::analyze(&scenario).ok();
        let c = ToolsContext::new(&scenario, report.as_ref());
        let r = report
            .as_ref()
            .and_then(|r| r.metric(Metric::ConversionRate));
        assert_eq!(
            c.baseline_rate,
            r.and_then(|m| m.variants.first()).map(|v| v.value)
        );
        assert!(c.baseline_rate.is_some_and(|b| b > 0.0 && b < 1.0));
        assert!(c.control_users.is_some_and(|u| u > 0.0));
        assert_eq!(ToolsContext::from_json(&c.to_json()), c);
    }

    #[test]
    fn unreadable_context_gives_defaults() {
        assert_eq!(ToolsContext::from_json("<script>"), ToolsContext::default());
        assert_eq!(
            ToolsContext::new(&Scenario::demo(), None).baseline_rate,
            None
        );
    }
}

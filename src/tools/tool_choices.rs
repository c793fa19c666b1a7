//! What the time and targeting tools offer the investment case, kept in
//! the scenario's `tools` field: retention rates measured by Kaplan–Meier,
//! and a reach narrowed to the top of a model's ranking. An offer is
//! `pending` until the investment case's panel
//! (`crate::investment::from_data_panel`), which has the page's newest
//! inputs, puts it into them; the inputs hold the numbers in use, and the
//! panel says so and can put the typed assumptions back.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uplift_engine::finance::model::{InvestmentInputs, Reach};
use uplift_engine::survival::YearlyRetention;
use uplift_engine::units::Rate;

/// The offers are written under `offer_…` names, and only when made: the
/// page shows the investment case's panel (downloading the tools module)
/// only for a record that holds one (`crate::investment::from_data_slot`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ToolChoices {
    #[serde(rename = "offer_retention", skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionOffer>,
    #[serde(rename = "offer_reach", skip_serializing_if = "Option::is_none")]
    pub reach: Option<ReachOffer>,
    #[serde(rename = "offer_did", skip_serializing_if = "Option::is_none")]
    pub did: Option<DidOffer>,
    /// The time tool's last choices per analysis (its job name), field by
    /// field, given back when a file with those columns is opened again.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub time: BTreeMap<String, BTreeMap<String, String>>,
}

impl ToolChoices {
    /// Whether anything is offered to the investment case.
    pub fn offers(&self) -> bool {
        self.retention.is_some() || self.reach.is_some() || self.did.is_some()
    }
}

/// Whether a record (as the scenario keeps it) offers anything to the
/// investment case; read by the page without the record's types. The
/// offers are the record's first fields, written only when made (a prefix
/// test costs the page less code than a search).
pub fn record_offers(record: &str) -> bool {
    record.starts_with("{\"offer_")
}

/// Yearly retention of two groups of a retention file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionOffer {
    /// The file's name, and the groups without and with personalization.
    pub source: String,
    pub control: String,
    pub variant: String,
    /// The durations' unit (e.g. "days") and the time the curves were read at.
    pub unit: String,
    pub at: f64,
    pub control_rate: YearlyRetention,
    pub variant_rate: YearlyRetention,
    #[serde(default)]
    pub pending: bool,
}

/// The best share of the targeting tool's profit curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReachOffer {
    /// The file's name and its score column.
    pub source: String,
    pub score: String,
    pub reach: Reach,
    #[serde(default)]
    pub pending: bool,
}

/// A launch's difference in differences as a relative uplift: the effect
/// over the treated units' counterfactual mean, its standard error the
/// effect's over the same mean (delta method, the mean taken as known).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DidOffer {
    /// The file's name and its outcome column.
    pub source: String,
    pub outcome: String,
    pub relative: f64,
    pub std_error: f64,
    /// The pre-trend check's warning, if the groups drifted apart before.
    #[serde(default)]
    pub warning: Option<String>,
    #[serde(default)]
    pub pending: bool,
}

impl ToolChoices {
    /// The choices kept in a scenario; none if unreadable.
    pub fn from_json(text: Option<&str>) -> ToolChoices {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Put the pending offers into `inputs`; whether there were any.
    pub fn take_pending(&mut self, inputs: &mut InvestmentInputs) -> bool {
        let mut taken = false;
        if let Some(o) = self.retention.as_mut().filter(|o| o.pending) {
            o.pending = false;
            use_retention(o, inputs);
            taken = true;
        }
        if let Some(o) = self.reach.as_mut().filter(|o| o.pending) {
            o.pending = false;
            inputs.set_reach(o.reach);
            taken = true;
        }
        if let Some(o) = self.did.as_mut().filter(|o| o.pending) {
            o.pending = false;
            inputs.did_uplift = o.relative;
            inputs.did_uplift_se = o.std_error;
            taken = true;
        }
        taken
    }

    /// Whether the investment case rests on the difference in differences.
    pub fn did_in_use(&self, inputs: &InvestmentInputs) -> bool {
        self.did.as_ref().is_some_and(|o| {
            inputs.did_uplift_se > 0.0
                && inputs.did_uplift == o.relative
                && inputs.did_uplift_se == o.std_error
        })
    }

    /// Whether the investment inputs hold the measured retention rates.
    pub fn retention_in_use(&self, inputs: &InvestmentInputs) -> bool {
        let r = &inputs.retention;
        self.retention.as_ref().is_some_and(|o| {
            r.switch.enabled
                && r.retention_control.0 == o.control_rate.rate
                && r.retention_variant.0 == o.variant_rate.rate
                && r.std_error_control == o.control_rate.std_error
                && r.std_error_variant == o.variant_rate.std_error
        })
    }
}

/// The measured rates, with their standard errors, as the retention
/// benefit's rates; the benefit is switched on.
pub fn use_retention(offer: &RetentionOffer, inputs: &mut InvestmentInputs) {
    let r = &mut inputs.retention;
    r.switch.enabled = true;
    r.retention_control = Rate(offer.control_rate.rate);
    r.retention_variant = Rate(offer.variant_rate.rate);
    r.std_error_control = offer.control_rate.std_error;
    r.std_error_variant = offer.variant_rate.std_error;
}

/// Offer something to the investment case: the tools' record changed by
/// `edit` goes to the page, which keeps it and has the investment case's
/// panel take its pending offers (and into the shared context, so that the
/// next offer from another tool adds to it).
pub fn offer(
    context: RwSignal<crate::platform::tools_context::ToolsContext>,
    edit: impl FnOnce(&mut ToolChoices),
) {
    let mut choices = context.with_untracked(|c| ToolChoices::from_json(c.tools.as_deref()));
    edit(&mut choices);
    let json = choices.to_json();
    context.update_untracked(|c| c.tools = Some(json.clone()));
    // No inputs: the page keeps its own.
    crate::data::file_reader::tell_page(&crate::data::data_events::DataEvent::Investment(
        String::new(),
        json,
    ));
}

/// One year in a duration unit the time tool offers.
pub fn year_in(unit: &str) -> f64 {
    match unit {
        "weeks" => 365.25 / 7.0,
        "months" => 12.0,
        "years" => 1.0,
        _ => 365.25,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> RetentionOffer {
        RetentionOffer {
            source: "lung.csv".into(),
            control: "1".into(),
            variant: "2".into(),
            unit: "days".into(),
            at: 365.0,
            control_rate: YearlyRetention {
                rate: 0.34,
                std_error: 0.04,
            },
            variant_rate: YearlyRetention {
                rate: 0.53,
                std_error: 0.06,
            },
            pending: true,
        }
    }

    #[test]
    fn measured_rates_are_in_use_until_one_is_typed_over() {
        let o = offer();
        let mut choices = ToolChoices {
            retention: Some(o.clone()),
            ..ToolChoices::default()
        };
        assert!(record_offers(&choices.to_json()));
        let time_only = ToolChoices {
            time: BTreeMap::from([(
                "retention".into(),
                BTreeMap::from([("horizon".into(), "365".into())]),
            )]),
            ..ToolChoices::default()
        };
        assert!(!time_only.offers() && !record_offers(&time_only.to_json()));
        choices.time = time_only.time;
        let mut inputs = InvestmentInputs::default();
        assert!(!choices.retention_in_use(&inputs));
        assert!(choices.take_pending(&mut inputs));
        assert!(!choices.take_pending(&mut inputs), "taken once");
        assert!(choices.retention_in_use(&inputs));
        assert!(inputs.retention.switch.enabled);
        assert_eq!(inputs.retention.std_error_variant, 0.06);
        // A rate typed over the measured one is no longer the measurement.
        inputs.retention.retention_control = Rate(0.35);
        assert!(!choices.retention_in_use(&inputs));
        let text = choices.to_json();
        assert_eq!(ToolChoices::from_json(Some(&text)), choices);
        assert_eq!(ToolChoices::from_json(Some("<x>")), ToolChoices::default());
        assert!((year_in("weeks") - 52.178_571).abs() < 1e-6);
    }
}

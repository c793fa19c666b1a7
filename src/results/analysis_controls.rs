//! The bar above the experiment's tables: which method, which confidence
//! level, which variant is the control, and the method's own options. A
//! panel of the tools module (its slot: `analysis_controls_slot`), shown
//! once the page has painted; each change goes to the page as one
//! `DataEvent::Settings`.

use leptos::prelude::*;
use uplift_engine::scenario::{AnalysisSettings, Correction, Method};
use uplift_engine::stats::bayesian::Prior;
use uplift_engine::stats::IntervalKind;
use uplift_engine::{analyze_experiment, Scenario};

use crate::data::data_events::DataEvent;
use crate::data::file_reader::tell_page;

const METHODS: [(Method, &str, &str); 3] = [
    (
        Method::Frequentist,
        "Frequentist",
        "Confidence interval and p-value, for a test read once at its planned end.",
    ),
    (
        Method::Bayesian,
        "Bayesian",
        "Chance to beat control and expected loss.",
    ),
    (
        Method::Sequential,
        "Sequential",
        "Always-valid intervals: safe to check every day.",
    ),
];

const CONFIDENCE_LEVELS: [f64; 4] = [0.8, 0.9, 0.95, 0.99];

/// Parse "50, 50" or "90/10" into shares; empty means an equal split.
fn parse_split(text: &str) -> Vec<f64> {
    text.split(|c: char| matches!(c, ',' | '/' | ':' | ';') || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| uplift_engine::decimal::parse_f64(s.trim_end_matches('%')).unwrap_or(f64::NAN))
        .collect()
}

/// The variants in the report's order and the control the report took,
/// or nothing while the data cannot be analysed.
fn variants(s: &Scenario) -> Option<(Vec<String>, String)> {
    let e = s.experiment().ok()?;
    let r = analyze_experiment(s, &e).ok()?;
    Some((r.value.iter().map(|v| v.name.clone()).collect(), r.control))
}

/// Send the settings, `edit` applied to the page's current scenario.
fn send(scenario: RwSignal<Scenario>, edit: impl FnOnce(&mut Scenario)) {
    let mut s = scenario.get_untracked();
    edit(&mut s);
    // The whole scenario goes; the page takes only the settings from it.
    tell_page(&DataEvent::Settings(
        serde_json::to_string(&s).unwrap_or_default(),
    ));
}

/// The bar for the page's scenario (its data as sums).
#[component]
pub fn AnalysisControls(scenario: RwSignal<Scenario>) -> impl IntoView {
    let settings = move || scenario.with(|s| s.analysis.clone());
    let edit = move |f: &dyn Fn(&mut AnalysisSettings)| send(scenario, |s| f(&mut s.analysis));
    let method = move || settings().method;
    let arms = Memo::new(move |_| scenario.with(variants).unwrap_or_default());
    let variant_names = move || arms.with(|(names, _)| names.clone());
    let control = move || arms.with(|(_, control)| control.clone());
    let several = move || variant_names().len() > 2;

    view! {
        <div class="analysis-controls" role="group" aria-label="Analysis settings">
            <fieldset class="method-switch">
                <legend>"Method"</legend>
                {METHODS
                    .iter()
                    .map(|&(m, label, help)| {
                        let id = format!("method-{}", label.to_ascii_lowercase());
                        view! {
                            <label class="segment" title=help>
                                <input
                                    type="radio"
                                    name="method"
                                    id=id
                                    prop:checked=move || method() == m
                                    on:change=move |_| edit(&|a| a.method = m)
                                />
                                <span>{label}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="control-field">
                <label for="confidence" class="field-label">"Confidence level"</label>
                <select
                    id="confidence"
                    on:change=move |ev| {
                        if let Some(c) = uplift_engine::decimal::parse_f64(&event_target_value(&ev)) {
                            send(scenario, |s| s.confidence = c);
                        }
                    }
                >
                    {CONFIDENCE_LEVELS
                        .iter()
                        .map(|&c| view! {
                            <option
                                value=c.to_string()
                                prop:selected=move || scenario.with(|s| (s.confidence - c).abs() < 1e-9)
                            >
                                {format!("{:.0}%", c * 100.0)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="control-field">
                <label for="control-variant" class="field-label">"Control"</label>
                <select
                    id="control-variant"
                    on:change=move |ev| {
                        let name = event_target_value(&ev);
                        send(scenario, |s| s.control = Some(name));
                    }
                >
                    {move || {
                        let current = control();
                        variant_names()
                            .into_iter()
                            .map(|n| {
                                let selected = n == current;
                                view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            {move || (method() == Method::Frequentist).then(|| view! {
                <div class="control-field">
                    <label for="interval-kind" class="field-label">"Interval"</label>
                    <select
                        id="interval-kind"
                        on:change=move |ev| {
                            let kind = if event_target_value(&ev) == "log" { IntervalKind::LogRatio } else { IntervalKind::Symmetric };
                            edit(&|a| a.interval = kind);
                        }
                    >
                        <option value="symmetric" prop:selected=move || settings().interval == IntervalKind::Symmetric>"Symmetric (delta method)"</option>
                        <option value="log" prop:selected=move || settings().interval == IntervalKind::LogRatio>"Log-ratio (asymmetric)"</option>
                    </select>
                </div>
                        })}
            {move || (method() == Method::Bayesian).then(|| view! {
                <div class="control-field">
                    <label for="prior" class="field-label">"Prior on the lift"</label>
                    <select
                        id="prior"
                        on:change=move |ev| {
                            let prior = if event_target_value(&ev) == "normal" { Prior::GROWTHBOOK_DEFAULT } else { Prior::Flat };
                            edit(&|a| a.prior = prior);
                        }
                    >
                        <option value="flat" prop:selected=move || settings().prior == Prior::Flat>"Flat (data only)"</option>
                        <option value="normal" prop:selected=move || settings().prior != Prior::Flat>"Normal, mean 0, sd 30%"</option>
                    </select>
                </div>
                        })}
            {move || (several() && method() != Method::Bayesian).then(|| view! {
                <div class="control-field">
                    <label for="correction" class="field-label">"Several variants"</label>
                    <select
                        id="correction"
                        on:change=move |ev| {
                            let c = match event_target_value(&ev).as_str() {
                                "bh" => Correction::BenjaminiHochberg,
                                "none" => Correction::None,
                                _ => Correction::Holm,
                            };
                            edit(&|a| a.correction = c);
                        }
                    >
                        <option value="holm" prop:selected=move || settings().correction == Correction::Holm>"Holm–Bonferroni"</option>
                        <option value="bh" prop:selected=move || settings().correction == Correction::BenjaminiHochberg>"Benjamini–Hochberg"</option>
                        <option value="none" prop:selected=move || settings().correction == Correction::None>"No correction"</option>
                    </select>
                </div>
                        })}
            <div class="control-field">
                <label for="expected-split" class="field-label">"Planned split"</label>
                <input
                    id="expected-split"
                    type="text"
                    placeholder="equal"
                    autocomplete="off"
                    aria-describedby="split-help"
                    on:change=move |ev| {
                        let split = parse_split(&event_target_value(&ev));
                        edit(&|a| a.expected_split = split.clone());
                    }
                />
                <span id="split-help" class="visually-hidden">"Shares per variant in file order, for example 50, 50. Leave empty for an equal split."</span>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_read_forgivingly() {
        assert_eq!(parse_split("50, 50"), vec![50.0, 50.0]);
        assert_eq!(parse_split("90/10"), vec![90.0, 10.0]);
        assert_eq!(parse_split(" 34% 33% 33% "), vec![34.0, 33.0, 33.0]);
        assert!(parse_split("").is_empty());
        assert!(parse_split("half, half").iter().all(|x| x.is_nan()));
    }
}

//! Planning the next test: users needed per variant for a lift worth
//! detecting, and the smallest lift a given sample can detect.

use leptos::prelude::*;
use uplift_engine::stats::power::{minimum_detectable_effect, sample_size};

use crate::platform::format;
use crate::platform::tools_context::use_tools_context;

fn parse_percent(text: &str) -> Option<f64> {
    format::read_number(text).map(|p| p / 100.0)
}

fn parse_count(text: &str) -> Option<f64> {
    format::read_number(text)
}

/// The planner's own styles, added with it (the tools module).
const PLANNER_STYLE: &str = "\
.planner-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0 1rem; }\
.planner-grid .field-label { min-height: 2.9em; display: flex; align-items: flex-end; }\
.plan-result { font-weight: 600; margin: 0.6rem 0 0; }";

/// A planner input typed as a percentage and held as a fraction.
#[component]
fn PercentField(
    id: &'static str,
    label: &'static str,
    value: Signal<Option<f64>>,
    on_change: Callback<Option<f64>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id class="field-label">{label}</label>
            <div class="input-with-unit">
                <input id=id type="text" inputmode="decimal"
                    prop:value=move || value.get().map_or(String::new(), |v| format!("{}", (v * 1e6).round() / 1e4))
                    on:change=move |ev| on_change.run(parse_percent(&event_target_value(&ev)))/>
                <span class="unit">"%"</span>
            </div>
        </div>
    }
}

#[component]
pub fn PlannerPanel() -> impl IntoView {
    let context = use_tools_context();
    // Defaults come from the loaded experiment until the user types their own.
    let data_baseline = move || context.with(|c| c.baseline_rate);
    let data_users = move || context.with(|c| c.control_users);
    let baseline_typed = RwSignal::new(None::<Option<f64>>);
    let mde = RwSignal::new(Some(0.10));
    let power = RwSignal::new(Some(0.80));
    let users_typed = RwSignal::new(None::<Option<f64>>);
    let baseline = move || baseline_typed.get().unwrap_or_else(data_baseline);
    let users = move || users_typed.get().unwrap_or_else(data_users);
    let alpha = move || 1.0 - context.with(|c| c.confidence);

    let needed = move || {
        match (baseline(), mde.get(), power.get()) {
        (Some(b), Some(m), Some(p)) => match sample_size(b, m, alpha(), p) {
            Some(plan) => {
                let n = plan.users_per_variant.ceil();
                format!(
                    "To detect a {} lift on a {} conversion rate with {} power at {} confidence, you need {} users per variant ({} for an A/B test).",
                    format::signed_percent(m, 1),
                    format::percent(b, 2),
                    format::percent(p, 0),
                    format::percent(1.0 - alpha(), 0),
                    format::count(n as u64),
                    format::count(2 * n as u64),
                )
            }
            None => "Enter a baseline rate and lift that keep the variant's rate between 0% and 100%, and a power between 1% and 99%.".into(),
        },
        _ => "Enter a baseline rate, a lift and a power as percentages.".into(),
    }
    };
    let detectable = move || {
        match (baseline(), users(), power.get()) {
        (Some(b), Some(n), Some(p)) => match minimum_detectable_effect(b, n, alpha(), p) {
            Some(plan) => format!(
                "With {} users per variant, the smallest lift you can reliably detect is {}.",
                format::count(n.round().max(0.0) as u64),
                format::signed_percent(plan.relative_mde, 1)
            ),
            None => format!(
                "With {} users per variant no realistic lift can be detected reliably; collect more users.",
                format::number(n, 0)
            ),
        },
        _ => "Enter users per variant as a number.".into(),
    }
    };

    view! {
        <section class="panel planner" id="planner" aria-labelledby="planner-title">
            <h2 id="planner-title">"Plan the next test"</h2>
            <style>{PLANNER_STYLE}</style>
            <div class="planner-grid">
                <PercentField id="plan-baseline" label="Baseline conversion rate"
                    value=Signal::derive(baseline) on_change=Callback::new(move |v| baseline_typed.set(Some(v)))/>
                <PercentField id="plan-mde" label="Lift worth detecting"
                    value=Signal::derive(move || mde.get()) on_change=Callback::new(move |v| mde.set(v))/>
                <PercentField id="plan-power" label="Power"
                    value=Signal::derive(move || power.get()) on_change=Callback::new(move |v| power.set(v))/>
                <div class="field">
                    <label for="plan-users" class="field-label">"Users per variant"</label>
                    <input id="plan-users" type="text" inputmode="numeric"
                        prop:value=move || users().map_or(String::new(), |n| format!("{n}"))
                        on:change=move |ev| users_typed.set(Some(parse_count(&event_target_value(&ev))))/>
                </div>
            </div>
            <p class="plan-result" id="plan-needed" role="status">{needed}</p>
            <p class="plan-result" id="plan-detectable" role="status">{detectable}</p>
            <p class="method-note">"Two-sided test of two proportions with equal groups (Cohen's h), as statsmodels' NormalIndPower; the confidence level is the one chosen above the results."</p>
        </section>
    }
}

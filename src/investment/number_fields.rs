//! Labelled inputs shared by the panels: number fields that keep what the
//! user typed, and on/off switches.

use leptos::prelude::*;
use uplift_engine::Scenario;

use crate::state::use_app_state;

/// Read a typed number in the page's Numbers setting ("1,200" is 1,200 in
/// English, 1.2 in German). Anything else becomes NaN, which the engine's
/// validation reports in words.
pub fn parse_input(text: &str) -> f64 {
    crate::platform::format::read_number(text).unwrap_or(f64::NAN)
}

/// The text a number input should show for `v`. While the user is typing,
/// the text they typed is kept whenever it already means `v`, so "1." or
/// "1,200" is not rewritten under the cursor.
pub fn shown_number(node: NodeRef<leptos::html::Input>, v: f64) -> String {
    if let Some(el) = node.get_untracked() {
        let typed = el.value();
        let means = parse_input(&typed);
        if means == v || (means.is_nan() && v.is_nan()) {
            return typed;
        }
    }
    if v.is_finite() {
        crate::platform::format::input_number(v)
    } else {
        String::new()
    }
}

/// A labelled number input bound to one field of the scenario.
#[component]
pub fn NumberField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] unit: &'static str,
    #[prop(optional)] help: &'static str,
    #[prop(into)] value: Signal<f64>,
    #[prop(into)] on_change: Callback<f64>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Input>::new();
    view! {
        <div class="field">
            <label for=id class="field-label">{label}</label>
            <div class="input-with-unit">
                <input
                    id=id
                    node_ref=node
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    prop:value=move || shown_number(node, value.get())
                    on:input=move |ev| on_change.run(parse_input(&event_target_value(&ev)))
                />
                {(!unit.is_empty()).then(|| view! { <span class="unit">{unit}</span> })}
            </div>
            {(!help.is_empty()).then(|| view! { <p class="field-help">{help}</p> })}
        </div>
    }
}

/// Bind a field to one number of the scenario: `get` reads it, `set` writes it.
pub fn bind(
    get: fn(&Scenario) -> f64,
    set: fn(&mut Scenario, f64),
) -> (Signal<f64>, Callback<f64>) {
    let state = use_app_state();
    (
        Signal::derive(move || state.scenario.with(get)),
        Callback::new(move |v| state.scenario.update(|s| set(s, v))),
    )
}

/// A labelled checkbox bound to one switch of the scenario.
#[component]
pub fn Toggle(
    id: &'static str,
    label: &'static str,
    get: fn(&Scenario) -> bool,
    set: fn(&mut Scenario, bool),
) -> impl IntoView {
    let state = use_app_state();
    view! {
        <label class="toggle" for=id>
            <input
                id=id
                type="checkbox"
                prop:checked=move || state.scenario.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state.scenario.update(|s| set(s, on));
                }
            />
            <span>{label}</span>
        </label>
    }
}

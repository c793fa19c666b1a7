//! The number format and currency the page writes amounts in. Stored in the
//! scenario, so a shared link shows the same currency.

use leptos::prelude::*;

use crate::platform::format::{set_display, CURRENCIES, LOCALES};
use crate::state::use_app_state;

#[component]
pub fn DisplaySettings() -> impl IntoView {
    let state = use_app_state();
    let locale = move || state.scenario.with(|s| s.display.locale.clone());
    let currency = move || state.scenario.with(|s| s.display.currency.clone());
    // The format is switched before the scenario changes, so everything
    // that re-renders for the change already writes the new style.
    let set = move |l: Option<String>, c: Option<String>| {
        let (l, c) = state.scenario.with_untracked(|s| {
            (
                l.unwrap_or_else(|| s.display.locale.clone()),
                c.unwrap_or_else(|| s.display.currency.clone()),
            )
        });
        set_display(&l, &c);
        state.scenario.update(|s| {
            s.display.locale = l;
            s.display.currency = c;
        });
    };
    view! {
        <div class="display-settings">
            <label for="locale-select">"Numbers"</label>
            <select id="locale-select" on:change=move |ev| set(Some(event_target_value(&ev)), None)>
                {LOCALES
                    .into_iter()
                    .map(|l| view! { <option value=l.tag selected=move || locale() == l.tag>{l.label}</option> })
                    .collect_view()}
            </select>
            <label for="currency-select">"Currency"</label>
            <select id="currency-select" on:change=move |ev| set(None, Some(event_target_value(&ev)))>
                {CURRENCIES
                    .into_iter()
                    .map(|c| view! { <option value=c.code selected=move || currency() == c.code>{c.code}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

//! Choosing a file's columns in the tools: the select that offers the
//! file's columns for one role (the engine guesses them: `ingest::analysis_columns`).

use leptos::prelude::*;

/// A select of the file's columns bound to `signal` ("" for none when
/// `optional` names that choice).
pub fn column_select(
    id: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
    headers: Vec<String>,
    optional: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="control-field">
            <span class="field-label">{label}</span>
            <select id=id on:change=move |ev| signal.set(event_target_value(&ev))>
                {optional.map(|none| view! { <option value="" selected=move || signal.get().is_empty()>{none}</option> })}
                {headers.into_iter().map(|h| {
                    let selected = signal.get_untracked() == h;
                    view! { <option value=h.clone() selected=selected>{h.clone()}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

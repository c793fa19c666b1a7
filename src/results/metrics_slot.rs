//! Where the metrics panel appears, in the metrics view under the experiment
//! tables. The panel is part of the tools module: it is downloaded when the
//! data has metric columns beyond the fixed ones or a metric plan is set,
//! or when the visitor asks for it; until then a button stands in its place.

use leptos::prelude::*;

use crate::data::tool_slot::{show_metrics, ShowPanel, ToolSlot};
use crate::state::{use_app_state, AppState};

/// Whether the data asks for the metrics panel by itself: it has metric
/// columns beyond the fixed ones, or a metric plan is set.
pub fn metrics_wanted(state: AppState) -> bool {
    let columns = state
        .experiment
        .with(|e| e.as_ref().is_ok_and(|e| !e.metric_columns.is_empty()));
    columns || state.scenario.with(|s| !s.analysis.metrics.is_empty())
}

#[component]
pub fn MetricsSlot() -> impl IntoView {
    let state = use_app_state();
    let opened = RwSignal::new(false);
    let wanted = Memo::new(move |_| opened.get() || metrics_wanted(state));
    // Shown while the data can be analysed; the panel keeps its last
    // analysis while the data has a problem (its request is then empty).
    let needed = Memo::new(move |_| wanted.get() && state.analysis.with(Result::is_ok));
    // The scenario with its data as sums (small, whatever the paste), then,
    // for the segments and the user-id checks, the column roles and the
    // data itself (`AppState::rows`).
    let request = Memo::new(move |_| {
        if needed.get() {
            state.rows.get()
        } else {
            String::new()
        }
    });
    let show: ShowPanel = show_metrics;
    view! {
        {move || (!wanted.get()).then(|| view! {
            <button type="button" class="button secondary" id="open-metrics" on:click=move |_| opened.set(true)>
                "Choose the primary metric and guardrails"
            </button>
        })}
        <ToolSlot request needed show what="metrics panel" failed_id="metrics-failed"/>
    }
}

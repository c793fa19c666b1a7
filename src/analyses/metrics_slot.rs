//! Where the metrics panel appears, in the metrics view under the experiment
//! tables. The panel is part of the tools module: it is downloaded when the
//! data has metric columns beyond the fixed ones or a metric plan is set,
//! or when the visitor asks for it; until then a button stands in its place.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::data::file_loader::{data_tools_callback, tools_context};
use crate::platform::on_demand::{describe, load_tools};
use crate::state::use_app_state;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = show_metrics, catch)]
    fn show_metrics(
        slot: &web_sys::HtmlElement,
        scenario: &str,
        context: &str,
        format: &str,
        on_event: &js_sys::Function,
    ) -> Result<(), JsValue>;
}

#[component]
pub fn MetricsSlot() -> impl IntoView {
    let state = use_app_state();
    let slot = NodeRef::<Div>::new();
    let opened = RwSignal::new(false);
    let needed = Memo::new(move |_| {
        let columns = state
            .experiment
            .with(|e| e.as_ref().is_ok_and(|e| !e.metric_columns.is_empty()));
        let plan = state.scenario.with(|s| !s.analysis.metrics.is_empty());
        opened.get() || columns || plan
    });
    // The scenario the panel analyses, while it is needed.
    let request = Memo::new(move |_| {
        let ok = state.analysis.with(Result::is_ok);
        (needed.get() && ok).then(|| state.scenario.with(|s| s.to_json()))
    });
    let failed = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);
    Effect::new(move || {
        attempt.track();
        let Some(json) = request.get() else {
            return;
        };
        spawn_local(async move {
            let Some(target) = slot.get_untracked() else {
                return;
            };
            if let Err(e) = load_tools().await {
                failed.set(Some(e));
                return;
            }
            failed.set(None);
            // A newer scenario may have come while this one waited.
            if request.with_untracked(|r| r.as_deref() != Some(json.as_str())) {
                return;
            }
            if let Err(e) = show_metrics(
                &target,
                &json,
                &tools_context(state),
                env!("UPLIFT_PAGE_FORMAT"),
                &data_tools_callback(state),
            ) {
                state.load_error.set(Some(format!(
                    "The metrics panel could not be started ({}). Reload the page and try again.",
                    describe(&e)
                )));
            }
        });
    });
    let retry = move |_| {
        failed.set(None);
        attempt.update(|n| *n += 1);
    };
    view! {
        {move || (!needed.get()).then(|| view! {
            <button type="button" class="button secondary" id="open-metrics" on:click=move |_| opened.set(true)>
                "Choose the primary metric and guardrails"
            </button>
        })}
        {move || failed.get().map(|e| view! {
            <p class="status error" id="metrics-failed" title=e>
                "The metrics panel could not be downloaded. Check the connection, then "
                <button type="button" class="button secondary" on:click=retry>"try again"</button>
            </p>
        })}
        <div class="metrics-slot" node_ref=slot></div>
    }
}

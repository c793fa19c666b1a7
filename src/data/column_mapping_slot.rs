//! Where the column-mapping step appears under the text area when the page
//! cannot tell which column is the variant or what the rows count. The step
//! itself is part of the tools module ([`crate::data::column_mapping`]), downloaded
//! the first time it is needed; the page tells it the headers and the roles
//! chosen so far, and hears back each choice.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::ingest::{header_fields, IngestError};
use uplift_engine::report::AnalysisError;
use wasm_bindgen::prelude::*;

use crate::data::data_events::MappingRequest;
use crate::data::file_loader::{data_tools_callback, tools_context};
use crate::platform::on_demand::{describe, load_tools};
use crate::state::use_app_state;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = show_column_mapping, catch)]
    fn show_column_mapping(
        slot: &web_sys::HtmlElement,
        request: &str,
        context: &str,
        format: &str,
        on_event: &js_sys::Function,
    ) -> Result<(), JsValue>;
}

#[component]
pub fn ColumnMappingSlot() -> impl IntoView {
    let state = use_app_state();
    let slot = NodeRef::<Div>::new();
    // Asked while the data lacks a variant column or a known shape, and
    // while roles chosen earlier apply (so they can be changed).
    let request = Memo::new(move |_| {
        let missing = state.analysis.with(|a| {
            matches!(
                a,
                Err(AnalysisError::Data(
                    IngestError::MissingVariantColumn { .. } | IngestError::UnknownShape { .. }
                ))
            )
        });
        state.scenario.with(|s| {
            if missing || !s.columns.is_empty() {
                MappingRequest {
                    headers: header_fields(&s.data),
                    columns: s.columns.clone(),
                }
            } else {
                MappingRequest::default()
            }
        })
    });
    // Whether the step has been shown once (the tools module is loaded).
    let shown = StoredValue::new(false);
    // A failed download, said here with a button to try again.
    let failed = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);
    Effect::new(move || {
        attempt.track();
        let json = request.with(MappingRequest::to_json);
        let needed = request.with(|r| !r.headers.is_empty());
        if !needed && !shown.get_value() {
            return;
        }
        spawn_local(async move {
            let Some(target) = slot.get_untracked() else {
                return;
            };
            if let Err(e) = load_tools().await {
                failed.set(Some(e));
                return;
            }
            failed.set(None);
            // A newer request may have been sent while this one waited.
            if request.with_untracked(MappingRequest::to_json) != json {
                return;
            }
            shown.set_value(true);
            if let Err(e) = show_column_mapping(
                &target,
                &json,
                &tools_context(state),
                env!("UPLIFT_PAGE_FORMAT"),
                &data_tools_callback(state),
            ) {
                state.load_error.set(Some(format!(
                    "The column chooser could not be started ({}). Reload the page and try again.",
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
        {move || failed.get().map(|e| view! {
            <p class="status error" id="mapping-failed" title=e>
                "The column chooser could not be downloaded. Check the connection, then "
                <button type="button" class="button secondary" on:click=retry>"try again"</button>
            </p>
        })}
        <div class="column-mapping-slot" node_ref=slot></div>
    }
}

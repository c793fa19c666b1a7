//! A place on the page that a panel of the tools module fills: the
//! column-mapping step under the text area, the metrics panel in the
//! metrics view. The tools module is downloaded the first time the panel
//! is needed; after that every new request is handed to it, and a failed
//! download is said in place with a button to try again.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::data::file_loader::{data_tools_callback, tools_context};
use crate::platform::on_demand::{describe, load_tools};
use crate::state::use_app_state;

/// Declares the tools module's functions that show (or update) a panel in
/// a slot (src/bin/tools.rs), each with the slot, its request, the page's
/// context as JSON, the page's format and the callback for its
/// `DataEvent`s: the signature of [`ShowPanel`].
macro_rules! panels_of_the_tools_module {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        #[wasm_bindgen]
        extern "C" {
            $(
                $(#[$doc])*
                #[wasm_bindgen(js_namespace = wasm_bindgen, catch)]
                pub fn $name(
                    slot: &web_sys::HtmlElement,
                    request: &str,
                    context: &str,
                    format: &str,
                    on_event: &js_sys::Function,
                ) -> Result<(), JsValue>;
            )*
        }
    };
}

panels_of_the_tools_module! {
    /// The column-mapping step under the text area (`column_mapping_slot`).
    show_column_mapping;
    /// The metrics panel in the metrics view (`results::metrics_slot`).
    show_metrics;
    /// The choices under the verdict (`results::verdict_choices_slot`).
    show_verdict_choices;
    /// The analysis settings above the experiment's tables
    /// (`results::analysis_controls_slot`).
    show_analysis_controls;
    /// The investment case's inputs from data (`investment::from_data_slot`).
    show_from_data;
    /// The investment case's tables (`results::investment_details_slot`).
    show_investment_details;
    /// The views one load allows beyond the experiment's own
    /// (`results::data_views_slot`).
    show_data_views;
}

/// A tools-module function that shows its panel in a slot: (slot, request
/// JSON, tools context JSON, page format, callback for `DataEvent`s).
pub type ShowPanel =
    fn(&web_sys::HtmlElement, &str, &str, &str, &js_sys::Function) -> Result<(), JsValue>;

/// `needed`: whether the panel must be shown now. Until it first is,
/// nothing is downloaded; once shown, every change of `request` goes to it
/// (so it can also hide itself). `what` names the panel in messages;
/// `failed_id` is the id of the message of a failed download.
#[component]
pub fn ToolSlot(
    request: Memo<String>,
    needed: Memo<bool>,
    show: ShowPanel,
    what: &'static str,
    failed_id: &'static str,
) -> impl IntoView {
    let state = use_app_state();
    let slot = NodeRef::<Div>::new();
    let shown = StoredValue::new(false);
    let failed = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);
    Effect::new(move || {
        attempt.track();
        let json = request.get();
        if !needed.get() && !shown.get_value() {
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
            // A newer request may have come while this one waited.
            if request.with_untracked(|r| *r != json) {
                return;
            }
            shown.set_value(true);
            if let Err(e) = show(
                &target,
                &json,
                &tools_context(state),
                env!("UPLIFT_PAGE_FORMAT"),
                &data_tools_callback(state),
            ) {
                state.load_error.set(Some(format!(
                    "The {what} could not be started ({}). Reload the page and try again.",
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
            <p class="status error" id=failed_id title=e>
                {format!("The {what} could not be downloaded. Check the connection, then ")}
                <button type="button" class="button secondary" on:click=retry>"try again"</button>
            </p>
        })}
        <div class="tool-slot" node_ref=slot></div>
    }
}

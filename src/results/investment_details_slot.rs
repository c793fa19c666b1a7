//! Where the investment case's details appear (`investment_details`, a
//! panel of the tools module): under its key figures, once the charts are
//! on their way (a chart came near the screen) or the visitor opens the
//! investment case. Until then the key figures and charts stand alone.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::charts::lazy::ChartsStatus;
use crate::platform::tool_slot::{ShowPanel, ToolSlot};
use crate::state::{use_app_state, ResultView};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = show_investment_details, catch)]
    fn show_investment_details(
        slot: &web_sys::HtmlElement,
        scenario: &str,
        context: &str,
        format: &str,
        on_event: &js_sys::Function,
    ) -> Result<(), JsValue>;
}

#[component]
pub fn InvestmentDetailsSlot() -> impl IntoView {
    let state = use_app_state();
    let needed = Memo::new(move |_| {
        state.charts.status.with(|s| *s != ChartsStatus::NotLoaded)
            || state.view.get() == ResultView::InvestmentCase
    });
    // The scenario the report on screen was computed from, its data as sums.
    let request = Memo::new(move |_| state.shown_json.get().unwrap_or_default());
    let show: ShowPanel = |slot, request, context, format, on_event| {
        show_investment_details(slot, request, context, format, on_event)
    };
    view! { <ToolSlot request needed show what="investment case's details" failed_id="investment-details-failed"/> }
}

//! Where the investment case says which of its inputs come from data: the
//! retention rates measured by the time tool, a reach narrowed by the
//! targeting tool. The panel is part of the tools module
//! (`from_data_panel.rs`), downloaded only when a tool has offered
//! something; the numbers in use live in the investment inputs.

use leptos::prelude::*;

use crate::data::tool_slot::{show_from_data, ShowPanel, ToolSlot};
use crate::state::use_app_state;

#[component]
pub fn FromDataSlot() -> impl IntoView {
    let state = use_app_state();
    let needed = Memo::new(move |_| {
        state.scenario.with(|s| {
            s.tools
                .as_deref()
                .is_some_and(crate::tools::tool_choices::record_offers)
        })
    });
    // The scenario with its data as sums: the panel compares the
    // investment case with and without what the tools offer. "-" once the
    // offers are forgotten (the panel hides); "" while the data has a
    // problem (it keeps what it shows).
    let request = Memo::new(move |_| {
        if !needed.get() {
            return "-".into();
        }
        state.experiment.with(|e| {
            let Ok(e) = e else {
                return String::new();
            };
            state.scenario.with(|s| s.json_with_sums(e))
        })
    });
    let show: ShowPanel = show_from_data;
    view! { <ToolSlot request needed show what="inputs from data" failed_id="from-data-failed"/> }
}

//! Where the choices under the verdict appear: the control when no arm is
//! named like one, every arm when there are more than two, and the value of
//! one unit of the primary metric when the data has no revenue. The panel
//! is part of the tools module (`verdict_choices.rs`), downloaded only for
//! data that needs one of them; the demo never does.

use leptos::prelude::*;
use uplift_engine::headline::ValueBasis;

use crate::data::tool_slot::{show_verdict_choices, ShowPanel, ToolSlot};
use crate::state::use_app_state;

#[component]
pub fn VerdictChoicesSlot() -> impl IntoView {
    let state = use_app_state();
    let needed = Memo::new(move |_| {
        state.shown.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.headline.control_assumed
                    || r.value.len() > 2
                    || matches!(r.headline.value, ValueBasis::Needed | ValueBasis::Typed)
            })
        })
    });
    // The scenario with its data as sums, then the name of the variant
    // column (the sums call it "variant"), a line each.
    let request = Memo::new(move |_| {
        if !needed.get() {
            return "-".into();
        }
        let column = state.experiment.with(|e| {
            e.as_ref()
                .ok()
                .and_then(|e| e.variant_column.clone())
                .unwrap_or_default()
        });
        state
            .shown_json
            .get()
            .map_or(String::new(), |json| format!("{json}\n{column}"))
    });
    let show: ShowPanel = show_verdict_choices;
    view! { <ToolSlot request needed show what="choices under the verdict" failed_id="verdict-choices-failed"/> }
}

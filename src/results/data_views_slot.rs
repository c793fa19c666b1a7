//! Where the views one load allows beyond the experiment's own appear, after
//! the investment case: the lift over time, retention and cohorts, each a
//! section of the results that the index links to. The tools module tells
//! them from the columns' roles (`uplift_engine::data_views`), runs each in
//! the background worker on the same rows and reports back which there are;
//! it is downloaded only for rows of one user each (pasted, or a large file
//! whose sums the page holds), after the first paint.

use leptos::prelude::*;
use uplift_engine::ingest::DataShape;

use crate::data::tool_slot::{show_data_views, ShowPanel, ToolSlot};
use crate::state::use_app_state;

#[component]
pub fn DataViewsSlot() -> impl IntoView {
    let state = use_app_state();
    // Sums (a large file, the demo) allow no view: once shown, the panel
    // hears of them too and tells the index there are none.
    // A large file of one row per user is read again in the worker.
    let needed = Memo::new(move |_| {
        state.first_paint_done.get()
            && (state
                .shown
                .with(|r| r.as_ref().is_some_and(|r| r.shape == DataShape::RowLevel))
                || state
                    .file_note
                    .with(|n| n.as_ref().is_some_and(|n| n.read.shape_row_level)))
    });
    let show: ShowPanel = show_data_views;
    view! { <ToolSlot request=state.rows needed show what="views of the data" failed_id="data-views-failed"/> }
}

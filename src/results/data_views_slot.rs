//! Where the views one load allows beyond the experiment's own appear, after
//! the investment case: the lift over time, retention and cohorts, each a
//! section of the results that the index links to. The tools module tells
//! them from the columns' roles (`uplift_engine::data_views`), runs each in
//! the background worker on the same rows and reports back which there are;
//! it is downloaded only for rows of one user each, after the first paint.

use leptos::prelude::*;
use uplift_engine::data_views::ViewSettings;
use uplift_engine::ingest::DataShape;

use crate::data::data_events::ViewsRequest;
use crate::data::tool_slot::{show_data_views, ShowPanel, ToolSlot};
use crate::state::use_app_state;

#[component]
pub fn DataViewsSlot() -> impl IntoView {
    let state = use_app_state();
    let settings = Memo::new(move |_| {
        state.shown.with(|r| {
            r.as_ref()
                .filter(|r| r.shape == DataShape::RowLevel)
                .map(|r| ViewSettings {
                    confidence: r.confidence,
                    control: Some(r.control.clone()),
                    arm: Some(r.treatment.clone()),
                    primary: r.primary.clone(),
                    latest: None,
                })
        })
    });
    let needed = Memo::new(move |_| state.first_paint_done.get() && settings.with(Option::is_some));
    // The roles and settings on the first line, then the rows as they are.
    // Sums (a large file, the demo) allow no view: the panel is told so
    // with an empty request, and the index drops the views.
    let request = Memo::new(move |_| {
        let Some(settings) = settings.get() else {
            return String::new();
        };
        state.scenario.with(|s| {
            ViewsRequest {
                columns: s.columns.clone(),
                settings,
            }
            .with_rows(&s.data)
        })
    });
    Effect::new(move || {
        if settings.with(Option::is_none) && state.data_views.with_untracked(|v| !v.is_empty()) {
            state.data_views.set(Vec::new());
        }
    });
    let show: ShowPanel = show_data_views;
    view! { <ToolSlot request needed show what="views of the data" failed_id="data-views-failed"/> }
}

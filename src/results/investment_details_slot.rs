//! Where the investment case's details appear (`investment_details`, a
//! panel of the tools module): under its key figures, once the charts have
//! been drawn, or could not be (a chart came near the screen), or the
//! visitor opens the investment case. Until then the key figures and charts stand alone.
//! Not sooner: downloading the tools module beside the charts module slows
//! the charts (all drawn 150 → 270 ms after the scroll when both start
//! together).

use leptos::prelude::*;

use crate::charts::lazy::{use_charts, ChartsStatus};
use crate::data::tool_slot::{show_investment_details, ShowPanel, ToolSlot};
use crate::state::{use_app_state, ResultView};

#[component]
pub fn InvestmentDetailsSlot() -> impl IntoView {
    let state = use_app_state();
    let charts = use_charts();
    // A frame after the charts have been drawn.
    let charts_drawn = RwSignal::new(false);
    Effect::new(move || {
        // A failed download of the charts leaves the figures to the text:
        // the tables come then too.
        if charts
            .status
            .with(|s| matches!(s, ChartsStatus::Ready | ChartsStatus::Failed(_)))
        {
            leptos::task::spawn_local(async move {
                crate::platform::embed::after_paint().await;
                charts_drawn.set(true);
            });
        }
    });
    let needed =
        Memo::new(move |_| charts_drawn.get() || state.view.get() == ResultView::InvestmentCase);
    // The scenario the report on screen was computed from, its data as sums.
    let request = Memo::new(move |_| state.shown_json.get().unwrap_or_default());
    let show: ShowPanel = show_investment_details;
    view! { <ToolSlot request needed show what="investment case's details" failed_id="investment-details-failed"/> }
}

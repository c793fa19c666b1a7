//! The page: a header, the three steps (data, investment, results) and a footer.

use leptos::prelude::*;

use crate::data_panel::DataPanel;
use crate::display_settings::DisplaySettings;
use crate::drop_zone::DropZone;
use crate::embed::{is_embed, start_embed};
use crate::investment_panel::InvestmentPanel;
use crate::more_tools::MoreTools;
use crate::results_panel::ResultsPanel;
use crate::share_bar::ShareBar;
use crate::state::{start_autosave, AppState};
use uplift_engine::Scenario;

/// The page, starting from `initial` (see [`crate::state::initial_scenario`]).
#[component]
pub fn App(initial: Scenario, link_error: Option<String>) -> impl IntoView {
    let state = AppState::new(initial);
    state.load_error.set(link_error);
    provide_context(state);
    start_autosave(state);
    start_embed(state);
    let full = !is_embed();
    leptos::task::spawn_local(async move {
        crate::embed::after_paint().await;
        state.first_paint_done.set(true);
    });
    view! {
        <header class="site-header">
            <h1>"Uplift ROI"</h1>
            <p class="tagline">
                "Does your AI-personalization spend pay off? Paste an A/B test, add what it costs, and see uplift, customer value and ROI. "
                <strong>"Your data never leaves this browser."</strong>
            </p>
            <ShareBar/>
            <DisplaySettings/>
        </header>
        <main class="steps">
            <DataPanel/>
            <InvestmentPanel/>
            <ResultsPanel/>
            // Opened on request: their code is downloaded only then.
            {full.then(|| view! { <MoreTools/> })}
        </main>
        <DropZone/>
        <footer class="site-footer">
            <p>"Uplift ROI runs entirely on this page: no uploads, no analytics, no third-party requests."</p>
        </footer>
    }
}

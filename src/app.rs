//! The page: a header, the workbench and a footer. On wide screens the
//! workbench has the inputs (data, investment) on the left and the results
//! on the right, scrolling on their own under a summary that stays in view;
//! on narrow screens the summary comes first, then the inputs, then the
//! result views (style/main.css). The tools follow, opened on request.

use leptos::prelude::*;

use crate::data::data_panel::DataPanel;
use crate::data::drop_zone::DropZone;
use crate::header::display_settings::DisplaySettings;
use crate::header::share_bar::ShareBar;
use crate::investment::investment_panel::InvestmentPanel;
use crate::platform::embed::{is_embed, start_embed};
use crate::results::results_panel::ResultsPanel;
use crate::results::summary::{open_linked_view, Summary};
use crate::state::{start_autosave, AppState};
use crate::tools::tool_cards::MoreTools;
use uplift_engine::Scenario;

/// What the page is for, under its title (also in the demo's summary
/// written into the page at build time, src/bin/prerender.rs).
pub const TAGLINE: &str = "Does your AI-personalization spend pay off? Paste an A/B test, add what it costs, and see uplift, customer value and ROI. ";
pub const PROMISE: &str = "Your data never leaves this browser.";

/// The page, starting from `initial` (see [`crate::state::initial_scenario`]).
#[component]
pub fn App(initial: Scenario, link_error: Option<String>) -> impl IntoView {
    let state = AppState::new(initial);
    state.load_error.set(link_error);
    provide_context(state);
    provide_context(crate::charts::lazy::Charts::new());
    start_autosave(state);
    start_embed();
    let full = !is_embed();
    leptos::task::spawn_local(async move {
        crate::platform::embed::after_paint().await;
        state.first_paint_done.set(true);
        open_linked_view(state);
    });
    view! {
        <header class="site-header">
            <h1>"Uplift ROI"</h1>
            <p class="tagline">{TAGLINE}<strong>{PROMISE}</strong></p>
            <ShareBar/>
            <DisplaySettings/>
        </header>
        <main class="workbench">
            <div class="inputs-pane">
                <DataPanel/>
                <InvestmentPanel/>
            </div>
            <div class="results-pane">
                <Summary/>
                <div class="results-details">
                    <ResultsPanel/>
                </div>
            </div>
        </main>
        // Opened on request: their code is downloaded only then.
        {full.then(|| view! { <div class="tools-row"><MoreTools/></div> })}
        <DropZone/>
        <footer class="site-footer">
            <p>"Uplift ROI runs entirely on this page: no uploads, no analytics, no third-party requests."</p>
        </footer>
    }
}

//! The page: a header, the three steps (data, investment, results) and a footer.

use leptos::prelude::*;
use uplift_engine::Scenario;

use crate::clv_panel::ClvPanel;
use crate::data_panel::DataPanel;
use crate::investment_panel::InvestmentPanel;
use crate::planner_panel::PlannerPanel;
use crate::results_panel::ResultsPanel;
use crate::state::AppState;

#[component]
pub fn App() -> impl IntoView {
    provide_context(AppState::new(Scenario::demo()));
    view! {
        <header class="site-header">
            <h1>"Uplift ROI"</h1>
            <p class="tagline">
                "Does your AI-personalization spend pay off? Paste an A/B test, add what it costs, and see uplift, customer value and ROI. "
                <strong>"Your data never leaves this browser."</strong>
            </p>
        </header>
        <main class="steps">
            <DataPanel/>
            <InvestmentPanel/>
            <ResultsPanel/>
            <ClvPanel/>
            <PlannerPanel/>
        </main>
        <footer class="site-footer">
            <p>"Uplift ROI runs entirely on this page: no uploads, no analytics, no third-party requests."</p>
        </footer>
    }
}

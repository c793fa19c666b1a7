//! The app's shared state: one `Scenario` signal is the source of truth, and
//! the analysis is a memo of it.

use leptos::prelude::*;
use uplift_engine::report::AnalysisError;
use uplift_engine::{analyze, Report, Scenario};

#[derive(Clone, Copy)]
pub struct AppState {
    /// Everything the user entered.
    pub scenario: RwSignal<Scenario>,
    /// The engine's verdict on the current inputs: a report, or a message
    /// saying what is wrong with them.
    pub analysis: Memo<Result<Report, AnalysisError>>,
    /// The newest report that could be computed. A bad paste or typo leaves
    /// the previous results on screen instead of blanking them.
    pub shown: Memo<Option<Report>>,
    /// A problem that is not in the scenario itself, such as an unreadable file.
    pub load_error: RwSignal<Option<String>>,
}

impl AppState {
    pub fn new(initial: Scenario) -> AppState {
        let scenario = RwSignal::new(initial);
        let analysis = Memo::new(move |_| scenario.with(analyze));
        let shown = Memo::new(move |prev: Option<&Option<Report>>| match analysis.get() {
            Ok(report) => Some(report),
            Err(_) => prev.cloned().flatten(),
        });
        AppState {
            scenario,
            analysis,
            shown,
            load_error: RwSignal::new(None),
        }
    }
}

impl AppState {
    /// The current problem with the experiment data, if any.
    pub fn data_error(&self) -> Option<String> {
        match self.analysis.get() {
            Err(e @ (AnalysisError::Data(_) | AnalysisError::UnknownControl { .. })) => {
                Some(e.to_string())
            }
            _ => None,
        }
    }

    /// The current problem with costs or assumptions, if any.
    pub fn inputs_error(&self) -> Option<String> {
        match self.analysis.get() {
            Err(e @ AnalysisError::Inputs(_)) => Some(e.to_string()),
            _ => None,
        }
    }
}

/// The shared state, provided by [`crate::app::App`].
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

//! The app's shared state: one `Scenario` signal is the source of truth, and
//! the analysis is a memo of it.

use std::sync::Arc;

use leptos::prelude::*;
use uplift_engine::report::AnalysisError;
use uplift_engine::{analyze, Report, Scenario};

use crate::charts::lazy::ChartsStatus;
use crate::file_loader::FileNote;

#[derive(Clone, Copy)]
pub struct AppState {
    /// Everything the user entered.
    pub scenario: RwSignal<Scenario>,
    /// The engine's verdict on the current inputs: a report, or a message
    /// saying what is wrong with them.
    pub analysis: Memo<Result<Arc<Report>, AnalysisError>>,
    /// The newest report that could be computed. A bad paste or typo leaves
    /// the previous results on screen instead of blanking them.
    pub shown: Memo<Option<Arc<Report>>>,
    /// A problem that is not in the scenario itself, such as an unreadable file.
    pub load_error: RwSignal<Option<String>>,
    /// A large file waiting for the reader (the tools module) to download.
    pub opening_file: RwSignal<Option<String>>,
    /// What the last large file gave, while its sums are the data.
    pub file_note: RwSignal<Option<FileNote>>,
    /// False until the browser has painted the page once: the results'
    /// charts and later tables wait for it, so the first paint (verdict and
    /// experiment table) is not held up by them.
    pub first_paint_done: RwSignal<bool>,
    /// The charts module, downloaded when the charts come near the screen.
    pub charts: RwSignal<ChartsStatus>,
    /// `shown` as JSON, the form the charts module reads.
    pub shown_json: Memo<Option<String>>,
}

impl AppState {
    pub fn new(initial: Scenario) -> AppState {
        let scenario = RwSignal::new(initial);
        let analysis = Memo::new(move |_| {
            scenario.with(|s| {
                // Views showing the report render after this memo: they
                // write numbers in the scenario's locale and currency.
                crate::format::set_display(&s.display.locale, &s.display.currency);
                // Shared, not copied, by every view that shows it.
                analyze(s).map(Arc::new)
            })
        });
        let shown = Memo::new(
            move |prev: Option<&Option<Arc<Report>>>| match analysis.get() {
                Ok(report) => Some(report),
                Err(_) => prev.cloned().flatten(),
            },
        );
        AppState {
            scenario,
            analysis,
            shown,
            load_error: RwSignal::new(None),
            opening_file: RwSignal::new(None),
            file_note: RwSignal::new(None),
            first_paint_done: RwSignal::new(false),
            charts: RwSignal::new(ChartsStatus::NotLoaded),
            shown_json: Memo::new(move |_| {
                shown.with(|r| r.as_deref().and_then(|r| serde_json::to_string(r).ok()))
            }),
        }
    }
}

impl AppState {
    /// The current problem with the experiment data, if any.
    pub fn data_error(&self) -> Option<String> {
        self.analysis.with(|a| match a {
            Err(e @ (AnalysisError::Data(_) | AnalysisError::UnknownControl { .. })) => {
                Some(e.to_string())
            }
            _ => None,
        })
    }

    /// The current problem with costs or assumptions, if any.
    pub fn inputs_error(&self) -> Option<String> {
        self.analysis.with(|a| match a {
            Err(e @ AnalysisError::Inputs(_)) => Some(e.to_string()),
            _ => None,
        })
    }
}

/// Where the scenario is autosaved in this browser.
const STORAGE_KEY: &str = "uplift-roi:scenario";

/// Data larger than this is saved as its per-variant sums, so autosave
/// stays well inside the browser's storage quota.
const MAX_SAVED_DATA: usize = 1_000_000;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The scenario to start with: from the link's fragment, else the one saved
/// in this browser, else the demo. A link that cannot be read is explained
/// (and the saved scenario is kept, not overwritten by the demo).
pub async fn initial_scenario() -> (Scenario, Option<String>) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let saved = || {
        storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| Scenario::from_json(&json).ok())
    };
    if hash == "#reset" {
        // The panic notice's "Reset to the demo": forget what was saved.
        clear_saved();
        return (Scenario::demo(), None);
    }
    if hash.contains("s=") || hash.contains("z=") {
        return match crate::link_codec::from_link_fragment(&hash).await {
            Ok(s) => (s, None),
            Err(e) => (
                saved().unwrap_or_else(Scenario::demo),
                Some(format!("The link could not be opened: {e}")),
            ),
        };
    }
    (saved().unwrap_or_else(Scenario::demo), None)
}

/// Save the scenario in this browser (large row-level data as its sums).
fn autosave(scenario: &Scenario) {
    let Some(store) = storage() else { return };
    let json = if scenario.data.len() > MAX_SAVED_DATA {
        let mut small = scenario.clone();
        small.columns.clear();
        small.data =
            uplift_engine::ingest::parse_experiment_with(&scenario.data, &scenario.columns)
                .map(|e| uplift_engine::ingest::to_aggregated_csv(&e.variants))
                .unwrap_or_default();
        small.to_json()
    } else {
        scenario.to_json()
    };
    let _ = store.set_item(STORAGE_KEY, &json);
}

/// Remove everything this page saved in the browser, and the link's fragment.
pub fn clear_saved() {
    if let Some(store) = storage() {
        let _ = store.remove_item(STORAGE_KEY);
    }
    crate::column_memory::forget_all();
    if let Some(w) = web_sys::window() {
        if let Ok(history) = w.history() {
            let path = w.location().pathname().unwrap_or_default()
                + &w.location().search().unwrap_or_default();
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

/// Save every change in this browser (never anywhere else).
pub fn start_autosave(state: AppState) {
    Effect::new(move || state.scenario.with(autosave));
}

/// The shared state, provided by [`crate::app::App`].
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

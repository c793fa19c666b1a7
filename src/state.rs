//! The app's shared state: one `Scenario` signal is the source of truth, and
//! the analysis is a memo of it, built on a memo of the experiment read from
//! its data (read again only when the data or the column choices change).

use std::sync::Arc;

use leptos::prelude::*;
use uplift_engine::data_views::DataView;
use uplift_engine::ingest::{
    parse_experiment_known_caps, CapSpec, ColumnMapping, Experiment, IngestError,
};
use uplift_engine::report::AnalysisError;
use uplift_engine::{analyze_experiment, Report, Scenario};

use crate::platform::ingest_protocol::ReadSummary;

/// The views of the results, in the order their index lists them. Each is
/// a section whose id is its fragment (`#metrics`), so a link opens on it,
/// and the share link carries the current one (`…&view=metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResultView {
    /// The verdict and the key figures.
    #[default]
    Overview,
    /// Every metric per variant, with intervals and the uplift charts.
    Metrics,
    /// Average order value, revenue per user and CLV per variant.
    CustomerValue,
    /// Costs, benefits, ROI, payback, NPV and their uncertainty.
    InvestmentCase,
    /// A view the data allows beyond these (segments, over time,
    /// retention, cohorts).
    Data(DataView),
}

impl ResultView {
    /// Every view; those of the data are listed only when it allows them.
    pub const ALL: [ResultView; 8] = [
        ResultView::Overview,
        ResultView::Metrics,
        ResultView::CustomerValue,
        ResultView::InvestmentCase,
        ResultView::Data(DataView::Segments),
        ResultView::Data(DataView::OverTime),
        ResultView::Data(DataView::Retention),
        ResultView::Data(DataView::Cohorts),
    ];

    /// The id of the view's section, and its name in a link's fragment.
    pub fn id(self) -> &'static str {
        match self {
            ResultView::Overview => "overview",
            ResultView::Metrics => "metrics",
            ResultView::CustomerValue => "customer-value",
            ResultView::InvestmentCase => "investment-case",
            ResultView::Data(v) => v.id(),
        }
    }

    /// The id of the view's heading.
    pub fn title_id(self) -> &'static str {
        match self {
            ResultView::Overview => "overview-title",
            ResultView::Metrics => "metrics-title",
            ResultView::CustomerValue => "customer-value-title",
            ResultView::InvestmentCase => "investment-case-title",
            ResultView::Data(DataView::Segments) => "segments-title",
            ResultView::Data(DataView::OverTime) => "over-time-title",
            ResultView::Data(DataView::Retention) => "retention-title",
            ResultView::Data(DataView::Cohorts) => "cohorts-title",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResultView::Overview => "Overview",
            ResultView::Metrics => "Metrics",
            ResultView::CustomerValue => "Customer value",
            ResultView::InvestmentCase => "Investment case",
            ResultView::Data(v) => v.label(),
        }
    }

    /// The view a fragment names: `#metrics`, or `view=metrics` among its
    /// `&`-separated parts (a share link: `#z=…&view=metrics`).
    pub fn from_fragment(fragment: &str) -> Option<ResultView> {
        fragment
            .trim_start_matches('#')
            .split('&')
            .map(|part| part.strip_prefix("view=").unwrap_or(part))
            .find_map(|name| ResultView::ALL.into_iter().find(|v| v.id() == name))
    }
}

/// What the last large file gave, shown while its sums are the data.
#[derive(Debug, Clone, PartialEq)]
pub struct FileNote {
    pub name: String,
    pub read: ReadSummary,
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// Everything the user entered.
    pub scenario: RwSignal<Scenario>,
    /// The experiment read from the scenario's data and column choices.
    /// Reading is most of the work for a large paste, so editing a cost or
    /// an assumption reuses it instead of reading the data again.
    pub experiment: Memo<Result<Arc<Experiment>, IngestError>>,
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
    /// The result view last chosen in the index (or opened by the link).
    pub view: RwSignal<ResultView>,
    /// The views the data allows beyond the experiment's own, as the
    /// tools module found them from the columns' roles: their ids, by
    /// commas (`over-time,cohorts`).
    pub data_views: RwSignal<String>,
    /// The scenario with its data as sums, the column roles and the rows
    /// as they are, a line each ("" while the data cannot be read): what
    /// the tools module's panels that read the rows are given (the
    /// metrics panel, the views of the data). The rows go as they are,
    /// with no JSON escaping of megabytes.
    pub rows: Memo<String>,
    /// The metrics panel's decision with guardrails, as the verdict states
    /// it, with the `shown_json` of the report it is for.
    pub decision: RwSignal<Option<(String, String)>>,
    /// The scenario behind `shown`, with its data as sums, as JSON: the
    /// charts module analyses it again to the same report (cheaper for
    /// the page than writing the whole report out).
    pub shown_json: Memo<Option<String>>,
}

impl AppState {
    pub fn new(initial: Scenario) -> AppState {
        let scenario = RwSignal::new(initial);
        // Copying the text to compare it is far cheaper than reading it.
        // The caps are read with the data: they change its sums. A
        // percentile's value comes from the metrics panel, in the plan.
        let data: Memo<(String, ColumnMapping, Vec<CapSpec>)> = Memo::new(move |_| {
            scenario.with(|s| (s.data.clone(), s.columns.clone(), s.analysis.metrics.caps()))
        });
        let experiment = Memo::new_with_compare(
            move |_| {
                data.with(|(text, columns, caps)| {
                    parse_experiment_known_caps(text, columns, caps).map(Arc::new)
                })
            },
            new_result,
        );
        let analysis = Memo::new_with_compare(
            move |_| {
                let experiment = experiment.get();
                scenario.with(|s| {
                    // Views showing the report render after this memo: they
                    // write numbers in the scenario's locale and currency.
                    crate::platform::format::set_display(&s.display.locale, &s.display.currency);
                    // Invalid inputs are reported before unreadable data, as
                    // the engine's `analyze` does.
                    s.validate()?;
                    // Shared, not copied, by every view that shows it.
                    let experiment = experiment?;
                    analyze_experiment(s, &experiment).map(Arc::new)
                })
            },
            new_result,
        );
        let shown = Memo::new_with_compare(
            move |prev: Option<&Option<Arc<Report>>>| match analysis.get() {
                Ok(report) => Some(report),
                Err(_) => prev.cloned().flatten(),
            },
            |old, new| !matches!((old, new), (Some(Some(a)), Some(Some(b))) if Arc::ptr_eq(a, b)),
        );
        AppState {
            scenario,
            experiment,
            analysis,
            shown,
            load_error: RwSignal::new(None),
            opening_file: RwSignal::new(None),
            file_note: RwSignal::new(None),
            first_paint_done: RwSignal::new(false),
            view: RwSignal::new(ResultView::default()),
            data_views: RwSignal::new(String::new()),
            rows: Memo::new(move |_| {
                experiment.with(|e| {
                    let Ok(e) = e else {
                        return String::new();
                    };
                    scenario.with(|s| {
                        let mut request = s.json_with_sums(e);
                        request.push('\n');
                        request.push_str(&serde_json::to_string(&s.columns).unwrap_or_default());
                        request.push('\n');
                        request.push_str(&s.data);
                        request
                    })
                })
            }),
            decision: RwSignal::new(None),
            shown_json: Memo::new(move |prev: Option<&Option<String>>| {
                shown.track();
                let current = experiment.with_untracked(|e| {
                    let e = e.as_ref().ok()?;
                    analysis
                        .with_untracked(Result::is_ok)
                        .then(|| scenario.with_untracked(|s| s.json_with_sums(e)))
                });
                current.or_else(|| prev.cloned().flatten())
            }),
        }
    }
}

/// Whether a memo of a shared result has a new value: a new `Arc` is one.
/// Comparing reports field by field would put about 10 KB of comparison
/// code into the first download, and a report computed again from changed
/// inputs almost always differs anyway.
fn new_result<T, E>(old: Option<&Result<Arc<T>, E>>, new: Option<&Result<Arc<T>, E>>) -> bool {
    !matches!((old, new), (Some(Ok(a)), Some(Ok(b))) if Arc::ptr_eq(a, b))
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
        let opened = crate::platform::link_codec::from_link_fragment(&hash).await;
        return match opened.and_then(Scenario::with_readable_data) {
            Ok(s) => (s, None),
            Err(e) => (
                saved().unwrap_or_else(Scenario::demo),
                Some(format!("The link could not be opened: {e}")),
            ),
        };
    }
    (saved().unwrap_or_else(Scenario::demo), None)
}

/// Save the scenario in this browser (large row-level data as its sums,
/// taken from the experiment already read).
fn autosave(scenario: &Scenario, experiment: &Result<Arc<Experiment>, IngestError>) {
    let Some(store) = storage() else { return };
    let json = if scenario.data.len() > MAX_SAVED_DATA {
        let mut small = scenario.clone();
        small.columns.clear();
        small.data = experiment
            .as_ref()
            .map(|e| {
                uplift_engine::ingest::to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps)
            })
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
    crate::platform::column_memory::forget_all();
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
    Effect::new(move || {
        state
            .experiment
            .with(|e| state.scenario.with(|s| autosave(s, e)))
    });
}

/// The shared state, provided by the page (`crate::app::App`).
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

#[cfg(test)]
mod tests {
    use super::{DataView, ResultView};

    #[test]
    fn a_fragment_names_a_view_by_its_id_or_as_a_view_part() {
        assert_eq!(
            ResultView::from_fragment("#metrics"),
            Some(ResultView::Metrics)
        );
        assert_eq!(
            ResultView::from_fragment("#z=abc-_&view=investment-case"),
            Some(ResultView::InvestmentCase)
        );
        assert_eq!(ResultView::from_fragment("#z=abc"), None);
        assert_eq!(ResultView::from_fragment(""), None);
        assert_eq!(ResultView::from_fragment("#view=nothing"), None);
        assert_eq!(
            ResultView::from_fragment("#z=abc&view=over-time"),
            Some(ResultView::Data(DataView::OverTime))
        );
        // The tools module titles a data view's section by this rule.
        for v in DataView::ALL {
            assert_eq!(ResultView::Data(v).title_id(), format!("{}-title", v.id()));
        }
        for v in ResultView::ALL {
            assert_eq!(ResultView::from_fragment(&format!("#{}", v.id())), Some(v));
            assert_eq!(
                ResultView::from_fragment(&format!("s=x&view={}", v.id())),
                Some(v)
            );
        }
    }
}

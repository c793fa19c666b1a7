//! The tools below the results — customer value from a transaction log, the
//! test planner, warehouse SQL, targeting, the programme of experiments and
//! the time tools (lift by day, retention, cohorts, difference in
//! differences) — as a WebAssembly module of their own, with what the page
//! needs only now and then: the large-file reader, the column-mapping step,
//! the metrics panel, the analysis settings, the choices under the verdict, the investment's
//! figures from data and the investment case's details. Trunk builds it
//! beside the app (index.html); the page fetches it (`src/platform/on_demand.rs`) when a visitor opens a tool
//! (`src/tools/tool_cards.rs`), opens a large file
//! (`src/data/file_loader.rs`) or a slot needs its panel
//! (`src/platform/tool_slot.rs`), and calls the functions exported here.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The panic's message goes to the console; the page's own script (index.html)
    // shows the notice when the module stops. Release builds stop at once, with no message.
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    uplift_roi_app::platform::downloads::register_exports();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod tools {
    use std::cell::OnceCell;

    use leptos::prelude::*;
    use uplift_engine::Scenario;
    use uplift_roi_app::analyses::data_views::DataViewsPanel;
    use uplift_roi_app::analyses::metrics_panel::{MetricsPanel, MetricsRequest};
    use uplift_roi_app::data::column_mapping::TextColumnMapping;
    use uplift_roi_app::data::data_events::{DataEvent, MappingRequest};
    use uplift_roi_app::data::file_reader::{self, shared_reader};
    use uplift_roi_app::data::large_file_reader::LargeFileReader;
    use uplift_roi_app::investment::from_data_panel::FromDataPanel;
    use uplift_roi_app::platform::format;
    use uplift_roi_app::platform::tools_context::ToolsContext;
    use uplift_roi_app::results::analysis_controls::AnalysisControls;
    use uplift_roi_app::results::investment_details::InvestmentDetails;
    use uplift_roi_app::results::verdict_choices::{ChoicesRequest, VerdictChoices};
    use uplift_roi_app::tools::clv_panel::ClvPanel;
    use uplift_roi_app::tools::journeys_panel::JourneysPanel;
    use uplift_roi_app::tools::planner_panel::PlannerPanel;
    use uplift_roi_app::tools::programme_panel::ProgrammePanel;
    use uplift_roi_app::tools::targeting_panel::TargetingPanel;
    use uplift_roi_app::tools::time::TimePanel;
    use uplift_roi_app::tools::warehouse_panel::WarehousePanel;
    use wasm_bindgen::prelude::*;

    thread_local! {
        /// One context for every opened tool, created on the first opening.
        static CONTEXT: OnceCell<RwSignal<ToolsContext>> = const { OnceCell::new() };
        /// Whether the large-file reader is on the page.
        static READER_SHOWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// What the text area's column-mapping step shows, once shown.
        static MAPPING: OnceCell<RwSignal<MappingRequest>> = const { OnceCell::new() };
        /// The views of the page's rows (their request's text), once shown.
        static VIEWS: OnceCell<RwSignal<String>> = const { OnceCell::new() };
        /// The scenario the metrics panel analyses, once shown.
        static METRICS: OnceCell<RwSignal<MetricsRequest>> = const { OnceCell::new() };
        /// The scenario the investment case's inputs from data show, once shown.
        static FROM_DATA: OnceCell<RwSignal<Scenario>> = const { OnceCell::new() };
        /// The scenario the investment case's details show, once shown.
        static DETAILS: OnceCell<RwSignal<Scenario>> = const { OnceCell::new() };
        /// The scenario the analysis settings show, once shown.
        static SETTINGS: OnceCell<RwSignal<Scenario>> = const { OnceCell::new() };
        /// The choices under the verdict, once shown (`None` when hidden).
        static CHOICES: OnceCell<RwSignal<Option<ChoicesRequest>>> = const { OnceCell::new() };
    }

    fn apply(context: &ToolsContext) {
        format::set_display(&context.locale, &context.currency);
    }

    fn shared_context(json: &str) -> RwSignal<ToolsContext> {
        CONTEXT.with(|cell| {
            *cell.get_or_init(|| {
                let context = ToolsContext::from_json(json);
                apply(&context);
                RwSignal::new(context)
            })
        })
    }

    /// Render the tool `kind` ("clv", "planner", "warehouse", "targeting",
    /// "programme", "time" or "journeys")
    /// into `slot`.
    #[wasm_bindgen]
    pub fn mount_tool(
        kind: &str,
        slot: web_sys::HtmlElement,
        context_json: &str,
        on_event: js_sys::Function,
    ) {
        // The programme tool keeps its inputs in the page's scenario.
        file_reader::set_page(on_event);
        let context = shared_context(context_json);
        let kind = kind.to_string();
        leptos::mount::mount_to(slot, move || {
            provide_context(context);
            match kind.as_str() {
                "clv" => view! { <ClvPanel/> }.into_any(),
                "planner" => view! { <PlannerPanel/> }.into_any(),
                "warehouse" => view! { <WarehousePanel/> }.into_any(),
                "targeting" => view! { <TargetingPanel/> }.into_any(),
                "programme" => view! { <ProgrammePanel/> }.into_any(),
                "time" => view! { <TimePanel/> }.into_any(),
                "journeys" => view! { <JourneysPanel/> }.into_any(),
                _ => ().into_any(),
            }
        })
        .forget();
    }

    /// The page's newest confidence, baseline and number style.
    #[wasm_bindgen]
    pub fn update_context(context_json: &str) {
        let next = ToolsContext::from_json(context_json);
        let context = shared_context(context_json);
        if context.with_untracked(|c| *c == next) {
            return;
        }
        // The tools' record changes with what the tools offer; they read
        // it only when they offer something, so it is kept without
        // redrawing them.
        let quiet = context.with_untracked(|c| {
            ToolsContext {
                tools: next.tools.clone(),
                ..c.clone()
            } == next
        });
        if quiet {
            context.update_untracked(|c| c.tools = next.tools);
        } else {
            apply(&next);
            context.set(next);
        }
    }

    /// Whether the page speaks this module's version of the messages; if
    /// not (a tab left open across a deploy), it is told to reload.
    fn page_matches(format: &str) -> bool {
        if format == env!("UPLIFT_PAGE_FORMAT") {
            return true;
        }
        file_reader::tell_page(&DataEvent::Failed(
            "This page was updated while it was open, and its data tools no longer match it. Reload the page and try again; the data you had before is unchanged.".into(),
        ));
        false
    }

    /// Read a large file in the background, showing its progress (or the
    /// column-mapping step, if its headers are not recognised) in `slot`;
    /// the outcome goes to `on_event` as a `DataEvent` in JSON.
    #[wasm_bindgen]
    pub fn read_large_file(
        slot: web_sys::HtmlElement,
        file: web_sys::File,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        file_reader::set_page(on_event);
        update_context(context_json);
        if !page_matches(format) {
            return;
        }
        let reader = shared_reader();
        if !READER_SHOWN.with(|shown| shown.replace(true)) {
            let context = shared_context(context_json);
            leptos::mount::mount_to(slot, move || {
                provide_context(context);
                view! { <LargeFileReader reader/> }
            })
            .forget();
        }
        file_reader::read(reader, file);
    }

    /// The data was replaced: a file waiting for its column roles is dropped.
    #[wasm_bindgen]
    pub fn forget_pending_file() {
        file_reader::forget_pending(shared_reader());
    }

    /// Show (or update) the column-mapping step for the text area's data in
    /// `slot`; the user's choices go to `on_event` as `DataEvent`s.
    #[wasm_bindgen]
    pub fn show_column_mapping(
        slot: web_sys::HtmlElement,
        request_json: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        let request = MappingRequest::from_json(request_json);
        show_or_update(&MAPPING, slot, request, |request| {
            view! { <TextColumnMapping request/> }
        });
    }

    /// A panel's request from the page: where its events go, then whether
    /// the page speaks this module's version, then the page's context.
    fn accept(on_event: js_sys::Function, format: &str, context_json: &str) -> bool {
        file_reader::set_page(on_event);
        // Made here, outside any view, so the reader's signals belong to no
        // view that a redraw would dispose of (the panels share it).
        let _ = shared_reader();
        if !page_matches(format) {
            return false;
        }
        update_context(context_json);
        true
    }

    /// Mount `panel` in `slot` with `value` the first time; after that,
    /// hand the mounted panel each new value.
    fn show_or_update<T, V>(
        cell: &'static std::thread::LocalKey<OnceCell<RwSignal<T>>>,
        slot: web_sys::HtmlElement,
        value: T,
        panel: fn(RwSignal<T>) -> V,
    ) where
        T: PartialEq + Send + Sync + 'static,
        V: IntoView + 'static,
    {
        match cell.with(|c| c.get().copied()) {
            Some(shown) => {
                if shown.with_untracked(|v| *v != value) {
                    shown.set(value);
                }
            }
            None => {
                let shown = RwSignal::new(value);
                leptos::mount::mount_to(slot, move || panel(shown)).forget();
                cell.with(|c| {
                    let _ = c.set(shown);
                });
            }
        }
    }

    /// Show (or update) the metrics panel for `scenario_json` in `slot`;
    /// the user's choice of metrics goes to `on_event` as a `DataEvent`.
    #[wasm_bindgen]
    pub fn show_metrics(
        slot: web_sys::HtmlElement,
        scenario_json: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        // The scenario (its data as sums), then the column roles and the
        // data as it is in the text area, a line each. An empty request (the
        // page's data has a problem) keeps the last panel.
        let mut parts = scenario_json.splitn(3, '\n');
        let key = parts.next().unwrap_or_default();
        let Ok(scenario) = Scenario::from_json(key) else {
            return;
        };
        let key = key.to_string();
        let rows = match (parts.next(), parts.next()) {
            (Some(columns), Some(text)) => Some((
                serde_json::from_str(columns).unwrap_or_default(),
                text.to_string(),
            )),
            _ => None,
        };
        show_or_update(
            &METRICS,
            slot,
            MetricsRequest {
                scenario,
                rows,
                key,
            },
            |request| {
                view! { <MetricsPanel request/> }
            },
        );
    }

    /// Show (or update) the choices under the verdict for `request` (the
    /// scenario, its data as sums, then the variant column's name) in
    /// `slot`; the choices go to `on_event` as a `DataEvent`. "-": nothing
    /// is asked any more, the panel hides.
    #[wasm_bindgen]
    pub fn show_verdict_choices(
        slot: web_sys::HtmlElement,
        request: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        if request == "-" {
            if let Some(shown) = CHOICES.with(|c| c.get().copied()) {
                shown.set(None);
            }
            return;
        }
        let Some(request) = ChoicesRequest::from_text(request) else {
            return;
        };
        show_or_update(&CHOICES, slot, Some(request), |request| {
            view! { <VerdictChoices request/> }
        });
    }

    /// Show (or update) the investment case's inputs from data for
    /// `scenario_json` (its data as sums) in `slot`; the user's choices go
    /// to `on_event` as `DataEvent`s.
    #[wasm_bindgen]
    pub fn show_from_data(
        slot: web_sys::HtmlElement,
        scenario_json: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        // "-": nothing is offered any more, the panel hides. An empty
        // request (the page's data has a problem) keeps the panel.
        if scenario_json == "-" {
            if let Some(shown) = FROM_DATA.with(|c| c.get().copied()) {
                shown.update(|s| s.tools = None);
            }
            return;
        }
        let Ok(scenario) = Scenario::from_json(scenario_json) else {
            return;
        };
        show_or_update(&FROM_DATA, slot, scenario, |scenario| {
            view! { <FromDataPanel scenario/> }
        });
    }

    /// Show (or update) the investment case's details for `scenario_json`
    /// (its data as sums) in `slot`. An empty request (the page's data has
    /// a problem) keeps the last details.
    #[wasm_bindgen]
    pub fn show_investment_details(
        slot: web_sys::HtmlElement,
        scenario_json: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        let Ok(scenario) = Scenario::from_json(scenario_json) else {
            return;
        };
        show_or_update(&DETAILS, slot, scenario, |scenario| {
            view! { <InvestmentDetails scenario/> }
        });
    }

    /// Show (or update) the analysis settings for `scenario_json` (its data
    /// as sums) in `slot`; each change goes to `on_event` as a `DataEvent`.
    /// An empty request (the page's data has a problem) keeps the last bar.
    #[wasm_bindgen]
    pub fn show_analysis_controls(
        slot: web_sys::HtmlElement,
        scenario_json: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        let Ok(scenario) = Scenario::from_json(scenario_json) else {
            return;
        };
        show_or_update(&SETTINGS, slot, scenario, |scenario| {
            view! { <AnalysisControls scenario/> }
        });
    }

    /// Show (or update) the views the page's rows allow beyond the
    /// experiment's own in `slot`: `request` is their roles and settings
    /// on a line, then the rows (empty: no views). Which views there are
    /// goes to `on_event` as a `DataEvent`.
    #[wasm_bindgen]
    pub fn show_data_views(
        slot: web_sys::HtmlElement,
        request: &str,
        context_json: &str,
        format: &str,
        on_event: js_sys::Function,
    ) {
        if !accept(on_event, format, context_json) {
            return;
        }
        show_or_update(&VIEWS, slot, request.to_string(), |request| {
            view! { <DataViewsPanel request/> }
        });
    }
}

//! The tools below the results — customer value from a transaction log, the
//! test planner and warehouse SQL — as cards that open on request. The tools
//! are a second WebAssembly module (`src/bin/tools.rs`), downloaded from this
//! site the first time a visitor opens one, so a first visit downloads only
//! what the results need. The page keeps the tools' context (confidence,
//! baseline, locale) up to date once they are loaded.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::platform::on_demand::{describe, load_tools};
use crate::platform::tools_context::ToolsContext;
use crate::state::use_app_state;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = mount_tool, catch)]
    fn mount_tool(
        kind: &str,
        slot: &web_sys::HtmlElement,
        context: &str,
        on_event: &js_sys::Function,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = update_context, catch)]
    fn update_context(context: &str) -> Result<(), JsValue>;
}

/// Where the tools' module is.
#[derive(Clone, PartialEq)]
enum Status {
    NotLoaded,
    Loading,
    Ready,
    Failed(String),
}

/// One tool as its card shows it before it is opened.
struct Tool {
    kind: &'static str,
    title: &'static str,
    blurb: &'static str,
}

const TOOLS: [Tool; 7] = [
    Tool {
        kind: "clv",
        title: "Customer lifetime value from a transaction log",
        blurb: "BG/NBD and Gamma-Gamma fitted to one row per purchase; predicted CLV compared between variants.",
    },
    Tool {
        kind: "planner",
        title: "Plan the next test",
        blurb: "Users needed to detect the lift you want, and the smallest lift your traffic can detect.",
    },
    Tool {
        kind: "warehouse",
        title: "My data is in a warehouse",
        blurb: "SQL for BigQuery, Snowflake, Databricks, PostgreSQL or DuckDB that reduces events to the sums step 1 reads.",
    },
    Tool {
        kind: "targeting",
        title: "Whom to personalize for",
        blurb: "Qini curve, uplift by decile and the profit of targeting a model's top scores.",
    },
    Tool {
        kind: "programme",
        title: "What the programme is worth",
        blurb: "Lifts shrunk for the winner's curse; impact, NPV and the chance it paid off.",
    },
    Tool {
        kind: "time",
        title: "Retention and launches over time",
        blurb: "Lift by day, retention curves per variant, and launches without a control group.",
    },
    Tool {
        kind: "journeys",
        title: "Which touchpoints earn the conversions",
        blurb: "Customer paths credited by last touch, linear, Shapley and the Markov chain, side by side.",
    },
];

#[component]
pub fn MoreTools() -> impl IntoView {
    let state = use_app_state();
    let status = RwSignal::new(Status::NotLoaded);
    let context = Memo::new(move |_| {
        state
            .scenario
            .with(|s| state.shown.with(|r| ToolsContext::new(s, r.as_deref())))
    });
    // Keep the opened tools in step with the page.
    Effect::new(move || {
        let json = context.with(ToolsContext::to_json);
        // Also when the data tools (same module) loaded it first.
        if status.get() == Status::Ready || crate::platform::on_demand::tools_ready() {
            let _ = update_context(&json);
        }
    });
    let load = Callback::new(move |()| {
        if matches!(status.get_untracked(), Status::Loading | Status::Ready) {
            return;
        }
        status.set(Status::Loading);
        spawn_local(async move {
            status.set(match load_tools().await {
                Ok(()) => Status::Ready,
                Err(e) => Status::Failed(e),
            });
        });
    });
    // The card clicked last: it shows a failed download and takes focus.
    let last_clicked = RwSignal::new(None::<&'static str>);
    let cards = TOOLS
        .iter()
        .map(|tool| view! { <ToolCard tool context status load last_clicked/> })
        .collect_view();
    view! { {cards} }
}

#[component]
fn ToolCard(
    tool: &'static Tool,
    context: Memo<ToolsContext>,
    status: RwSignal<Status>,
    load: Callback<()>,
    last_clicked: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let kind = tool.kind;
    let state = use_app_state();
    // Asked for and waiting for the module; cleared if it fails to load.
    let requested = RwSignal::new(false);
    let opened = RwSignal::new(false);
    // Loaded, but the tool itself did not start.
    let mount_error = RwSignal::new(None::<String>);
    let slot = NodeRef::<Div>::new();
    let busy = move || requested.get() && status.get() == Status::Loading;
    let error = move || match (status.get(), mount_error.get()) {
        (_, Some(e)) => Some(format!(
            "The tool could not be started ({e}). Reload the page and try again."
        )),
        (Status::Failed(e), None) if last_clicked.get() == Some(kind) => Some(format!(
            "The tool could not be opened ({e}). Check the connection and try again."
        )),
        _ => None,
    };
    Effect::new(move || match status.get() {
        // A failed download opens nothing later on another card's click.
        Status::Failed(_) => requested.set(false),
        // Opened once the module is ready, whichever card asked first.
        Status::Ready if requested.get() && !opened.get_untracked() => {
            let Some(target) = slot.get_untracked() else {
                return;
            };
            // A tool that failed part-way leaves nothing behind.
            target.set_inner_html("");
            let json = context.with_untracked(ToolsContext::to_json);
            let on_event = crate::data::file_loader::data_tools_callback(state);
            match mount_tool(kind, &target, &json, &on_event) {
                Ok(()) => {
                    opened.set(true);
                    // Keyboard users continue in the tool they opened.
                    let first = target.query_selector("textarea, input, select");
                    if let (Some(kind_now), Ok(Some(first))) = (last_clicked.get_untracked(), first)
                    {
                        if kind_now == kind {
                            if let Some(el) = first.dyn_ref::<web_sys::HtmlElement>() {
                                let _ = el.focus();
                            }
                        }
                    }
                }
                Err(e) => {
                    mount_error.set(Some(describe(&e)));
                    requested.set(false);
                }
            }
        }
        _ => {}
    });
    let open = move |_| {
        last_clicked.set(Some(kind));
        mount_error.set(None);
        requested.set(true);
        load.run(());
    };
    let title_id = format!("{kind}-card-title");
    let labelled_by = title_id.clone();
    // "Open" is named by the card's title for screen readers.
    let described_by = title_id.clone();
    // `aria-disabled`, not `disabled`: a disabled button would drop the
    // keyboard focus while the tool loads (clicks meanwhile do nothing).
    view! {
        <section class="panel tool-card" id=format!("{kind}-card") aria-labelledby=labelled_by
            hidden=move || opened.get()>
            <h2 id=title_id>{tool.title}</h2>
            <p class="hint">{tool.blurb}</p>
            <button type="button" class="button secondary" id=format!("open-{kind}") on:click=open aria-describedby=described_by
                aria-disabled=move || busy().then_some("true") aria-busy=move || busy().then_some("true")>
                {move || if busy() { "Loading…" } else { "Open" }}
            </button>
            {move || error().map(|e| view! { <p class="status error" role="alert">{e}</p> })}
        </section>
        <div class="tool-slot" node_ref=slot></div>
    }
}

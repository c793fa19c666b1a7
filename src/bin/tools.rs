//! The tools below the results — customer value from a transaction log, the
//! test planner and warehouse SQL — as a second WebAssembly module. Trunk
//! builds it beside the app (index.html); the page fetches it only when a
//! visitor opens a tool (`src/more_tools.rs`) and calls the two functions
//! exported here.

#[cfg(target_arch = "wasm32")]
fn main() {
    uplift_roi_app::panic_notice::install();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod tools {
    use std::cell::OnceCell;

    use leptos::prelude::*;
    use uplift_roi_app::clv_panel::ClvPanel;
    use uplift_roi_app::format;
    use uplift_roi_app::planner_panel::PlannerPanel;
    use uplift_roi_app::tools_context::ToolsContext;
    use uplift_roi_app::warehouse_panel::WarehousePanel;
    use wasm_bindgen::prelude::*;

    thread_local! {
        /// One context for every opened tool, created on the first opening.
        static CONTEXT: OnceCell<RwSignal<ToolsContext>> = const { OnceCell::new() };
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

    /// Render the tool `kind` ("clv", "planner" or "warehouse") into `slot`.
    #[wasm_bindgen]
    pub fn mount_tool(kind: &str, slot: web_sys::HtmlElement, context_json: &str) {
        let context = shared_context(context_json);
        let kind = kind.to_string();
        leptos::mount::mount_to(slot, move || {
            provide_context(context);
            match kind.as_str() {
                "clv" => view! { <ClvPanel/> }.into_any(),
                "planner" => view! { <PlannerPanel/> }.into_any(),
                "warehouse" => view! { <WarehousePanel/> }.into_any(),
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
        if context.with_untracked(|c| *c != next) {
            apply(&next);
            context.set(next);
        }
    }
}

//! The charts of the results as a WebAssembly module of their own. Trunk
//! builds it beside the app (index.html); `public/charts-loader.js` starts it
//! when the first chart comes near the screen (`src/charts/lazy.rs`), and the
//! page calls the one function exported here for each chart.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod charts {
    use std::cell::RefCell;

    use uplift_engine::Report;
    use uplift_roi_app::charts::{draw, ChartKind};
    use uplift_roi_app::format;
    use wasm_bindgen::prelude::*;

    thread_local! {
        /// The last report read, by its JSON: the page asks for each of its
        /// charts in turn with the same report.
        static LAST: RefCell<Option<(String, Report)>> = const { RefCell::new(None) };
    }

    /// The SVG of chart `kind` (its element id, e.g. "forest-chart") for a
    /// report as JSON; `undefined` when there is nothing to draw or the
    /// report cannot be read.
    #[wasm_bindgen]
    pub fn chart_svg(kind: &str, report_json: &str) -> Option<String> {
        let kind = ChartKind::from_id(kind)?;
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last.as_ref().is_none_or(|(json, _)| json != report_json) {
                let report: Report = serde_json::from_str(report_json).ok()?;
                *last = Some((report_json.to_string(), report));
            }
            let (_, report) = last.as_ref()?;
            // The numbers on the chart are written as the page writes them.
            format::set_display(&report.display.locale, &report.display.currency);
            draw(kind, report)
        })
    }
}

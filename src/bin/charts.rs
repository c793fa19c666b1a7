//! The charts of the results as a WebAssembly module of their own. Trunk
//! builds it beside the app (index.html); `public/charts-loader.js` starts it
//! when the first chart comes near the screen (`src/charts/lazy.rs`), and the
//! page calls the one function exported here for each chart.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The charts' PNG and the tables' CSV are made by this module.
    uplift_roi_app::platform::downloads::register_exports();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod charts {
    use std::cell::RefCell;
    use std::rc::Rc;

    use uplift_engine::{analyze_experiment, Report, Scenario};
    use uplift_roi_app::charts::{draw, ChartKind};
    use uplift_roi_app::platform::format;
    use wasm_bindgen::prelude::*;

    thread_local! {
        /// The last report, by the JSON of its scenario: the page asks for
        /// each of its charts in turn with the same scenario.
        static LAST: RefCell<Option<(String, Rc<Report>)>> = const { RefCell::new(None) };
    }

    fn report(json: &str) -> Result<Rc<Report>, JsError> {
        let cached = LAST.with(|last| {
            last.borrow()
                .as_ref()
                .filter(|(text, _)| text == json)
                .map(|(_, r)| Rc::clone(r))
        });
        if let Some(r) = cached {
            return Ok(r);
        }
        let unreadable =
            |e: String| JsError::new(&format!("the results could not be read for drawing: {e}"));
        let scenario = Scenario::from_json(json).map_err(|e| unreadable(e.to_string()))?;
        let experiment = scenario
            .experiment()
            .map_err(|e| unreadable(e.to_string()))?;
        let r = Rc::new(
            analyze_experiment(&scenario, &experiment).map_err(|e| unreadable(e.to_string()))?,
        );
        LAST.with(|last| *last.borrow_mut() = Some((json.to_string(), Rc::clone(&r))));
        Ok(r)
    }

    /// The SVG of chart `kind` (its element id, e.g. "forest-chart"), `width`
    /// pixels wide, for the report of a scenario (as JSON, its data as
    /// sums) written by a page of format `format`; `undefined` when the
    /// report has nothing to draw for it. Throws when the page is of
    /// another version or the scenario cannot be analysed.
    #[wasm_bindgen]
    pub fn chart_svg(
        kind: &str,
        scenario_json: &str,
        format: &str,
        width: u32,
    ) -> Result<Option<String>, JsError> {
        if format != env!("UPLIFT_PAGE_FORMAT") {
            return Err(JsError::new(
                "this page was updated while it was open; reload it to see the charts",
            ));
        }
        let kind = ChartKind::from_id(kind)
            .ok_or_else(|| JsError::new(&format!("there is no chart called {kind}")))?;
        // No borrow is held while drawing: a failure in one chart leaves
        // the others working.
        let report = report(scenario_json)?;
        // The numbers on the chart are written as the page writes them.
        format::set_display(&report.display.locale, &report.display.currency);
        Ok(draw(kind, &report, width))
    }
}

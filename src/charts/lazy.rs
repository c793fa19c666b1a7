//! The charts module on demand. The charts sit below the verdict and the
//! tables, so the page does not download their drawing code up front: the
//! first chart to come within a screen's height of the viewport (or a print)
//! loads `charts-loader.js`, which starts the module built from
//! `src/bin/charts.rs`. Until then, and if it cannot be loaded, each chart
//! shows its text alternative.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::ChartKind;
use crate::platform::on_demand::{add_script, describe};

/// Where the charts module is.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartsStatus {
    NotLoaded,
    Loading,
    Ready,
    Failed(String),
}

/// The charts module on the page: whether it has arrived, and the width
/// the charts are drawn at (see [`follow_resizes`]).
#[derive(Clone, Copy)]
pub struct Charts {
    pub status: RwSignal<ChartsStatus>,
    pub width: RwSignal<u32>,
}

impl Charts {
    pub fn new() -> Charts {
        Charts {
            status: RwSignal::new(ChartsStatus::NotLoaded),
            width: RwSignal::new(super::NARROW_WIDTH),
        }
    }
}

/// The charts module's state, provided by the page (`crate::app::App`).
pub fn use_charts() -> Charts {
    expect_context::<Charts>()
}

impl Default for Charts {
    fn default() -> Self {
        Charts::new()
    }
}

/// How far outside the viewport (and outside the results' scroll area) a
/// chart starts the download: one screen height, so the charts are drawn
/// before they scroll into view.
const ROOT_MARGIN: &str = "100% 0px";

thread_local! {
    /// Whether the loader script is on the page (it stays after a failure).
    static SCRIPT_ADDED: Cell<bool> = const { Cell::new(false) };
    /// Downloads tried so far.
    static ATTEMPTS: Cell<u32> = const { Cell::new(0) };
    /// The module's drawing function, once it has started.
    static DRAW: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// Watches the charts on the page until the module is asked for.
    static OBSERVER: RefCell<Option<web_sys::IntersectionObserver>> = const { RefCell::new(None) };
}

/// Download and start the module. The loader script is added once; it
/// leaves `upliftCharts.start`, which fetches and starts the WebAssembly.
/// Each later attempt asks for every file afresh (`?attempt=n`): a browser
/// keeps a failed module download for the life of the page.
async fn load() -> Result<js_sys::Function, String> {
    let attempt = ATTEMPTS.with(|n| n.replace(n.get() + 1));
    if !SCRIPT_ADDED.with(Cell::get) {
        let src = match attempt {
            0 => "./charts-loader.js".to_string(),
            n => format!("./charts-loader.js?attempt={n}"),
        };
        add_script(&src, true).await?;
        SCRIPT_ADDED.with(|added| added.set(true));
    }
    let window = web_sys::window().ok_or("the page is not ready")?;
    let start = js_sys::Reflect::get(&window, &"upliftCharts".into())
        .and_then(|loader| js_sys::Reflect::get(&loader, &"start".into()))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("the charts loader did not start")?;
    let started = start
        .call1(&JsValue::NULL, &JsValue::from(attempt))
        .map_err(|e| describe(&e))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "the charts loader did not start".to_string())?;
    JsFuture::from(started)
        .await
        .map_err(|e| describe(&e))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "the charts module has no drawing function".into())
}

/// Ask for the module (once; again after a failure).
pub fn request(charts: Charts) {
    let status = charts.status;
    if matches!(
        status.get_untracked(),
        ChartsStatus::Loading | ChartsStatus::Ready
    ) {
        return;
    }
    status.set(ChartsStatus::Loading);
    spawn_local(async move {
        match load().await {
            Ok(draw) => {
                DRAW.with(|d| *d.borrow_mut() = Some(draw));
                stop_watching();
                follow_resizes(charts.width);
                status.set(ChartsStatus::Ready);
            }
            Err(e) => status.set(ChartsStatus::Failed(e)),
        }
    });
}

fn stop_watching() {
    OBSERVER.with(|o| {
        if let Some(observer) = o.borrow_mut().take() {
            observer.disconnect();
        }
    });
}

/// Load the module when `chart` comes near the viewport. The first call also
/// loads it before a print, so a printout has the charts once it is redone.
pub fn watch(chart: &web_sys::Element, charts: Charts) {
    let status = charts.status;
    if status.get_untracked() == ChartsStatus::Ready {
        return;
    }
    OBSERVER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let on_change =
                Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    let near = entries.iter().any(|e| {
                        e.dyn_into::<web_sys::IntersectionObserverEntry>()
                            .is_ok_and(|e| e.is_intersecting())
                    });
                    // Only the first approach downloads by itself: after a
                    // failure, the charts' own "Try again" (or a print) asks
                    // again. Otherwise each failure's change of layout would
                    // bring charts near and start the next failing download.
                    if near && status.get_untracked() == ChartsStatus::NotLoaded {
                        request(charts);
                    }
                });
            let options = web_sys::IntersectionObserverInit::new();
            options.set_root_margin(ROOT_MARGIN);
            // The same margin around the results' own scroll area (wide
            // screens), which would otherwise hide every chart below its
            // fold from the observer.
            let _ = js_sys::Reflect::set(&options, &"scrollMargin".into(), &ROOT_MARGIN.into());
            let observer = web_sys::IntersectionObserver::new_with_options(
                on_change.as_ref().unchecked_ref(),
                &options,
            );
            on_change.forget();
            match observer {
                Ok(observer) => *cell = Some(observer),
                // No IntersectionObserver: draw the charts at once.
                Err(_) => {
                    request(charts);
                    return;
                }
            }
            if let Some(window) = web_sys::window() {
                let on_print = Closure::<dyn FnMut()>::new(move || request(charts));
                let _ = window.add_event_listener_with_callback(
                    "beforeprint",
                    on_print.as_ref().unchecked_ref(),
                );
                on_print.forget();
            }
        }
        if let Some(observer) = cell.as_ref() {
            observer.observe(chart);
        }
    });
}

/// Stop watching a chart that has left the page.
pub fn unwatch(chart: &web_sys::Element) {
    OBSERVER.with(|o| {
        if let Some(observer) = o.borrow().as_ref() {
            observer.unobserve(chart);
        }
    });
}

/// Draw a chart of the report of a scenario (its JSON with the data as
/// sums, [`uplift_engine::Scenario::json_with_sums`]) with the loaded
/// module, `width` pixels wide. `Ok(None)`: the report has nothing to draw for it.
pub fn draw(kind: ChartKind, scenario_json: &str, width: u32) -> Result<Option<String>, String> {
    let draw = DRAW
        .with(|d| d.borrow().clone())
        .ok_or("the charts module is not loaded")?;
    let args = js_sys::Array::of4(
        &JsValue::from_str(kind.id()),
        &JsValue::from_str(scenario_json),
        &JsValue::from_str(env!("UPLIFT_PAGE_FORMAT")),
        &JsValue::from(width),
    );
    let svg = draw
        .apply(&JsValue::NULL, &args)
        .map_err(|e| describe(&e))?;
    Ok(svg.as_string())
}

/// The width charts are drawn at for the results as they are laid out now
/// (the metrics view spans the width a chart is given).
pub fn current_width() -> u32 {
    let available = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("metrics"))
        .map_or(0.0, |e| f64::from(e.client_width()));
    super::drawn_width(available)
}

/// The timer of the pending re-measure after a resize, and what it runs.
struct PendingMeasure {
    timer: i32,
    measure: Closure<dyn FnMut()>,
}

thread_local! {
    static RESIZE: RefCell<Option<PendingMeasure>> = const { RefCell::new(None) };
}

/// Keep `width` at [`current_width`] while the window is resized: measured
/// once the resizing pauses (150 ms), and changed only when it passes a
/// step, so dragging a window edge does not redraw the charts at every
/// pixel (the SVGs scale in between).
pub fn follow_resizes(width: RwSignal<u32>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    width.set(current_width());
    let measure = Closure::<dyn FnMut()>::new(move || {
        let now = current_width();
        if width.get_untracked() != now {
            width.set(now);
        }
    });
    RESIZE.with(|r| *r.borrow_mut() = Some(PendingMeasure { timer: 0, measure }));
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        RESIZE.with(|r| {
            if let Some(pending) = r.borrow_mut().as_mut() {
                window.clear_timeout_with_handle(pending.timer);
                pending.timer = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        pending.measure.as_ref().unchecked_ref(),
                        150,
                    )
                    .unwrap_or(0);
            }
        });
    });
    let _ = window.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    on_resize.forget();
}

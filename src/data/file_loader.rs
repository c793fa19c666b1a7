//! Loading a file the user picked or dropped.
//!
//! Small files are read whole and shown in the text area, where they can be
//! edited. Larger files (and files that are not all UTF-8) go to the
//! large-file reader ([`crate::data::large_file_reader`]), part of the tools module
//! the page downloads when it first needs it: its worker streams the file in
//! chunks and hands back only per-variant sums, so a gigabyte export never
//! sits in the page's memory and the page keeps answering while it loads.
//! Until a load succeeds, the scenario on screen is not touched.

use std::cell::{Cell, OnceCell};

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::ingest::{decode_text, header_fields, ColumnMapping, IngestError};
use uplift_engine::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use crate::data::data_events::DataEvent;
use crate::platform::column_memory;
use crate::platform::format;
use crate::platform::on_demand::{
    describe as js_error, load_tools, tools_ready as load_tools_ready,
};
use crate::platform::tools_context::ToolsContext;
use crate::state::{AppState, FileNote};

/// Files up to this size are read whole into the text area.
pub const SMALL_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

// The large-file reader's functions in the tools module (its no-modules
// glue declares the global `wasm_bindgen`).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = read_large_file, catch)]
    fn read_large_file(
        slot: &web_sys::HtmlElement,
        file: &File,
        context: &str,
        format: &str,
        on_event: &js_sys::Function,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = wasm_bindgen, js_name = forget_pending_file, catch)]
    fn forget_pending_file() -> Result<(), JsValue>;
}

thread_local! {
    /// The function the data tools call with their news (made once).
    static ON_EVENT: OnceCell<js_sys::Function> = const { OnceCell::new() };
    /// Counts loads and edits of the data: a file read that finishes after
    /// a newer one began is dropped (the last action wins).
    static LOAD: Cell<u64> = const { Cell::new(0) };
}

/// A new load or edit of the data begins; its number.
fn next_load() -> u64 {
    LOAD.set(LOAD.get() + 1);
    LOAD.get()
}

/// Apply what the data tools report to the page.
fn apply_event(state: AppState, event: DataEvent) {
    match event {
        DataEvent::Loaded(name, read) => {
            let data = read.data.clone();
            state.load_error.set(None);
            state.file_note.set(Some(FileNote { name, read }));
            // The sums carry canonical headers: no mapping needed any more.
            state.scenario.update(|s| {
                s.data = data;
                s.columns = ColumnMapping::new();
            });
        }
        DataEvent::Failed(message) => state.load_error.set(Some(message)),
        DataEvent::Columns(columns) => state.scenario.update(|s| s.columns = columns),
        DataEvent::Metrics(plan) => state.scenario.update(|s| s.analysis.metrics = plan),
        DataEvent::Decision(key, text) => state.decision.set(Some((key, text))),
        DataEvent::Views(views) => state.data_views.set(views),
        DataEvent::Choices(json) => {
            if let Ok(c) = Scenario::from_json(&json) {
                state.scenario.update(|s| {
                    s.control = c.control;
                    s.treatment = c.treatment;
                    s.assumptions.metric_value = c.assumptions.metric_value;
                    s.assumptions.reach_unit = c.assumptions.reach_unit;
                });
            }
        }
        DataEvent::Settings(json) => {
            if let Ok(c) = Scenario::from_json(&json) {
                state.scenario.update(|s| {
                    s.control = c.control;
                    s.confidence = c.confidence;
                    // The metric plan is the metrics panel's to change.
                    let plan = std::mem::take(&mut s.analysis.metrics);
                    s.analysis = c.analysis;
                    s.analysis.metrics = plan;
                });
            }
        }
        DataEvent::Text(text) => set_text_data(state, text),
        DataEvent::Programme(p) => state
            .scenario
            .update(|s| s.programme = Some(p).filter(|p| !p.is_empty())),
        // Inputs that do not read (none: a tool's offer) are kept as they are.
        DataEvent::Investment(inputs, t) => state.scenario.update(|s| {
            if let Ok(inputs) = serde_json::from_str(&inputs) {
                s.investment = inputs;
            }
            s.tools = Some(t).filter(|t| !t.is_empty());
        }),
    }
}

/// The callback handed to the data tools.
pub fn data_tools_callback(state: AppState) -> js_sys::Function {
    ON_EVENT.with(|cell| {
        cell.get_or_init(|| {
            Closure::<dyn FnMut(String)>::new(move |json: String| {
                match DataEvent::from_json(&json) {
                    Some(event) => apply_event(state, event),
                    // Tools from another version of the site (a deploy
                    // while this tab was open).
                    None => state.load_error.set(Some(
                        "This page was updated while it was open, and its data tools no longer match it. Reload the page and try again; the data you had before is unchanged.".into(),
                    )),
                }
            })
            .into_js_value()
            .unchecked_into()
        })
        .clone()
    })
}

/// What the tools need from the page, as JSON.
pub fn tools_context(state: AppState) -> String {
    state
        .scenario
        .with_untracked(|s| {
            state
                .shown
                .with_untracked(|r| ToolsContext::new(s, r.as_deref()))
        })
        .to_json()
}

/// Hand a large file to the reader in the tools module (downloaded first
/// if need be); it shows its progress under the text area.
fn read_large(state: AppState, file: File, load: u64) {
    state.opening_file.set(Some(file.name()));
    spawn_local(async move {
        let loaded = load_tools().await;
        // Cancelled, or other data chosen, while the reader downloaded.
        if state.opening_file.get_untracked().is_none() || LOAD.get() != load {
            return;
        }
        state.opening_file.set(None);
        if let Err(e) = loaded {
            state.load_error.set(Some(format!(
                "The reader for large files could not be downloaded ({e}). Check the connection and try again; the data you had before is unchanged."
            )));
            return;
        }
        let slot = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("file-slot"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        let Some(slot) = slot else { return };
        let started = read_large_file(
            &slot,
            &file,
            &tools_context(state),
            env!("UPLIFT_PAGE_FORMAT"),
            &data_tools_callback(state),
        );
        if let Err(e) = started {
            state.load_error.set(Some(format!(
                "The reader for large files could not be started ({}). Reload the page and try again.",
                js_error(&e)
            )));
        }
    });
}

/// Load a picked or dropped file into the scenario.
pub fn load_file(state: AppState, file: File) {
    state.load_error.set(None);
    let load = next_load();
    if file.size() <= SMALL_FILE_BYTES {
        read_small(state, file, load);
    } else {
        read_large(state, file, load);
    }
}

fn read_small(state: AppState, file: File, load: u64) {
    let name = file.name();
    spawn_local(async move {
        let bytes = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
            Err(_) => {
                state
                    .load_error
                    .set(Some(format!("“{name}” could not be read.")));
                return;
            }
        };
        if LOAD.get() != load {
            return;
        }
        match decode_text(&bytes) {
            Ok(text) => set_text_data(state, text),
            // Not all text: the streaming reader skips the bad rows and says which.
            Err(IngestError::NotUtf8 { .. }) => read_large(state, file, load),
            Err(e) => state.load_error.set(Some(format!("“{name}”: {e}"))),
        }
    });
}

/// The data is being replaced (typed, pasted, opened or cleared): a large
/// file waiting for its column roles, or still being read, is dropped.
pub fn drop_pending_file() {
    next_load();
    if load_tools_ready() {
        let _ = forget_pending_file();
    }
}

/// Replace the data with `text`, applying the column roles remembered for
/// its headers.
pub fn set_text_data(state: AppState, text: String) {
    state.load_error.set(None);
    drop_pending_file();
    // Typing below the header keeps the columns; only a new header row
    // looks up the roles remembered for it (a storage read and a parse).
    let headers = header_fields(&text);
    let same_headers = state
        .scenario
        .with_untracked(|s| header_fields(&s.data) == headers);
    let columns = (!same_headers).then(|| column_memory::recall(&headers));
    state.scenario.update(|s| {
        s.data = text;
        if let Some(columns) = columns {
            s.columns = columns;
        }
    });
}

/// "1,000,000 rows of big.csv (38.2 MB) read in 0.9 s (1,100,000 rows/s)."
pub fn describe(note: &FileNote) -> String {
    let r = &note.read;
    let seconds = r.millis / 1000.0;
    let mb = r.bytes / 1_048_576.0;
    let speed = if seconds > 0.0 {
        format!(
            " ({} rows/s, {} MB/s)",
            format::count((r.rows + r.skipped) as u64 * 1000 / (r.millis.max(1.0) as u64)),
            format::number(mb / seconds, 0)
        )
    } else {
        String::new()
    };
    format!(
        "Read {} {} from “{}” ({} MB) in {} s{speed}, kept as per-variant sums:",
        format::count(r.rows as u64),
        if r.shape_row_level {
            "user rows"
        } else {
            "rows"
        },
        note.name,
        format::number(mb, 1),
        format::number(seconds, 1),
    )
}

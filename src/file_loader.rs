//! Loading a file the user picked or dropped.
//!
//! Small files are read whole and shown in the text area, where they can be
//! edited. Larger files go to the file-reading worker, which streams them in
//! chunks and hands back only per-variant sums, so a gigabyte export never
//! sits in the page's memory and the page keeps answering while it loads.
//! Until a load succeeds, the scenario on screen is not touched.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::ingest::{decode_text, header_fields, ColumnMapping, IngestError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

use crate::column_memory;
use crate::format;
use crate::ingest_protocol::{ReadRequest, ReadSummary, WorkerMessage};
use crate::state::AppState;

/// Files up to this size are read whole into the text area.
pub const SMALL_FILE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// The worker's script, next to the page (Trunk writes it; relative, so the
/// site works from any sub-path).
const WORKER_URL: &str = "./ingest_worker_loader.js";

/// A file being read by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProgress {
    pub name: String,
    pub bytes: f64,
    pub total: f64,
    pub rows: usize,
    pub millis: f64,
}

impl LoadProgress {
    pub fn fraction(&self) -> f64 {
        if self.total > 0.0 {
            (self.bytes / self.total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    pub fn rows_per_second(&self) -> f64 {
        if self.millis > 0.0 {
            self.rows as f64 / (self.millis / 1000.0)
        } else {
            0.0
        }
    }
}

/// What the last large file gave, shown while its sums are the data.
#[derive(Debug, Clone, PartialEq)]
pub struct FileNote {
    pub name: String,
    pub read: ReadSummary,
}

/// A large file whose headers need the column-mapping step before it can
/// be read.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingFile {
    pub name: String,
    pub headers: Vec<String>,
}

thread_local! {
    /// The running worker, if any, and the file it was given (kept so a
    /// file that needs a column mapping can be read again once mapped).
    static JOB: RefCell<Option<(Worker, File)>> = const { RefCell::new(None) };
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Load a picked or dropped file into the scenario.
pub fn load_file(state: AppState, file: File) {
    state.load_error.set(None);
    if file.size() <= SMALL_FILE_BYTES {
        read_small(state, file);
    } else {
        spawn_local(async move {
            // The header row (in the first bytes) picks a remembered mapping.
            let head = file
                .slice_with_f64_and_f64(0.0, 65_536.0)
                .ok()
                .map(|b| b.array_buffer());
            let mut columns = ColumnMapping::new();
            if let Some(promise) = head {
                if let Ok(buffer) = JsFuture::from(promise).await {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    if let Ok(text) = decode_text(&bytes) {
                        columns = column_memory::recall(&header_fields(&text));
                    }
                }
            }
            start_worker(state, file, columns);
        });
    }
}

fn read_small(state: AppState, file: File) {
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
        match decode_text(&bytes) {
            Ok(text) => set_text_data(state, text),
            // Not all text: the streaming reader skips the bad rows and says which.
            Err(IngestError::NotUtf8 { .. }) => {
                let head = bytes.get(..65_536).unwrap_or(&bytes);
                let headers = header_fields(&String::from_utf8_lossy(head));
                start_worker(state, file, column_memory::recall(&headers));
            }
            Err(e) => state.load_error.set(Some(format!("“{name}”: {e}"))),
        }
    });
}

/// Replace the data with `text`, applying the column roles remembered for
/// its headers.
pub fn set_text_data(state: AppState, text: String) {
    state.load_error.set(None);
    state.pending_file.set(None);
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

/// Stop reading the current file; the data on screen stays as it was.
pub fn cancel_load(state: AppState) {
    let was_running = JOB.with(|job| {
        job.borrow_mut()
            .take()
            .map(|(worker, _)| worker.terminate())
            .is_some()
    });
    if was_running {
        let name = state
            .load_progress
            .get_untracked()
            .map(|p| p.name)
            .unwrap_or_default();
        state.load_progress.set(None);
        state.load_error.set(Some(format!(
            "Loading “{name}” was cancelled. The data you had before is unchanged."
        )));
    }
}

/// Read the large file that was waiting for its column mapping again, now
/// with the user's roles.
pub fn retry_pending(state: AppState, columns: ColumnMapping) {
    let file = JOB.with(|job| job.borrow().as_ref().map(|(_, f)| f.clone()));
    if let Some(file) = file {
        state.pending_file.set(None);
        start_worker(state, file, columns);
    }
}

fn start_worker(state: AppState, file: File, columns: ColumnMapping) {
    // One load at a time: a new file replaces one still being read.
    JOB.with(|job| {
        if let Some((old, _)) = job.borrow_mut().take() {
            old.terminate();
        }
    });
    let worker = match Worker::new(WORKER_URL) {
        Ok(w) => w,
        Err(_) => {
            state.load_error.set(Some(
                "This browser could not start the file reader for large files. Try a smaller file, or paste aggregated data.".into(),
            ));
            return;
        }
    };
    let name = file.name();
    let total = file.size();
    let started = now();
    state.load_progress.set(Some(LoadProgress {
        name: name.clone(),
        bytes: 0.0,
        total,
        rows: 0,
        millis: 0.0,
    }));
    let request = ReadRequest {
        columns: columns.clone(),
    };
    let to_send = file.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(message) = ev
            .data()
            .as_string()
            .and_then(|t| WorkerMessage::from_json(&t))
        else {
            // A reader from another version of the site (a deploy while
            // this tab was open): stop rather than wait for ever.
            finish(state);
            state.load_error.set(Some(
                "This page was updated while it was open, and its file reader no longer matches it. Reload the page and open the file again; the data you had before is unchanged.".into(),
            ));
            return;
        };
        match message {
            WorkerMessage::Ready => {
                let payload = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&payload, &"file".into(), &to_send);
                let json = serde_json::to_string(&request).unwrap_or_default();
                let _ = js_sys::Reflect::set(&payload, &"request".into(), &json.into());
                JOB.with(|job| {
                    if let Some((w, _)) = job.borrow().as_ref() {
                        let _ = w.post_message(&payload);
                    }
                });
            }
            WorkerMessage::Progress { bytes, total, rows } => {
                state.load_progress.set(Some(LoadProgress {
                    name: name.clone(),
                    bytes,
                    total,
                    rows,
                    millis: now() - started,
                }));
            }
            WorkerMessage::Done(read) => {
                finish(state);
                state.pending_file.set(None);
                let data = read.data.clone();
                state.file_note.set(Some(FileNote {
                    name: name.clone(),
                    read,
                }));
                // The sums carry canonical headers: no mapping needed any more.
                state.scenario.update(|s| {
                    s.data = data;
                    s.columns = ColumnMapping::new();
                });
            }
            WorkerMessage::Failed {
                message,
                needs_mapping,
            } => {
                state.load_progress.set(None);
                state.load_error.set(Some(format!("“{name}”: {message}")));
                if needs_mapping {
                    // Keep the file for a second read once mapped.
                    JOB.with(|job| {
                        if let Some((w, _)) = job.borrow().as_ref() {
                            w.terminate();
                        }
                    });
                    request_mapping(state, name.clone());
                } else {
                    finish(state);
                }
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        finish(state);
        state.load_error.set(Some(
            "The file reader stopped unexpectedly. The data you had before is unchanged.".into(),
        ));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    JOB.with(|job| *job.borrow_mut() = Some((worker, file)));
}

/// The worker is done with its file: stop it and hide the progress.
fn finish(state: AppState) {
    JOB.with(|job| {
        if let Some((worker, _)) = job.borrow_mut().take() {
            worker.terminate();
        }
    });
    state.load_progress.set(None);
}

/// Read the pending file's header row and ask the user for its column roles.
fn request_mapping(state: AppState, name: String) {
    let Some(file) = JOB.with(|job| job.borrow().as_ref().map(|(_, f)| f.clone())) else {
        return;
    };
    state.load_progress.set(None);
    spawn_local(async move {
        let Ok(head) = file.slice_with_f64_and_f64(0.0, 65_536.0) else {
            return;
        };
        let Ok(buffer) = JsFuture::from(head.array_buffer()).await else {
            return;
        };
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let headers = decode_text(&bytes)
            .map(|t| header_fields(&t))
            .unwrap_or_default();
        state.pending_file.set(Some(PendingFile { name, headers }));
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

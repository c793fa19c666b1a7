//! Work the tools hand to the background worker (`src/bin/ingest_worker.rs`):
//! a file and a request go to a fresh worker once it is ready, its messages
//! come back as text, and stopping a job (Cancel, or a newer job of the same
//! kind) terminates its worker, so nothing half-done reports later.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker};

/// The worker's script, next to the page.
const WORKER_URL: &str = "./ingest_worker_loader.js";

/// A running worker and its message and error handlers.
type Running = (
    Worker,
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

/// What a job's `on_message` gets when its worker fails (its script did not
/// load, or it stopped on an error): no protocol reads it, so every tool
/// ends the run with its message for an unreadable answer.
pub const FAILED: &str = "worker failed";

/// The message for an answer a tool cannot read, or a worker that failed.
pub const UNREADABLE: &str = "The background worker stopped without an answer this page can read, so nothing new is shown; your inputs are kept. Try again; if it happens again, the file may hold values too extreme to analyse.";

thread_local! {
    static JOBS: RefCell<BTreeMap<&'static str, Running>> = const { RefCell::new(BTreeMap::new()) };
}

/// Stop the job of `kind`, if one runs.
pub fn stop(kind: &'static str) {
    let running = JOBS.with(|jobs| jobs.borrow_mut().remove(kind));
    if let Some((worker, _, _)) = running {
        // Its handlers go first: a message it sent before it stopped finds
        // none, instead of a dropped closure.
        worker.set_onmessage(None);
        worker.set_onerror(None);
        worker.terminate();
    }
}

/// Start a job of `kind` in a new worker (stopping the one before): when
/// the worker is ready it gets `blob` as `file` and `request` under `key`;
/// each later message's text goes to `on_message`.
pub fn start(
    kind: &'static str,
    blob: Blob,
    key: &'static str,
    request: String,
    on_message: impl FnMut(String) + 'static,
) -> Result<(), String> {
    stop(kind);
    let worker = Worker::new(WORKER_URL)
        .map_err(|_| "This browser cannot start the background reader.".to_string())?;
    let sender = worker.clone();
    let on_message = std::rc::Rc::new(RefCell::new(on_message));
    let on_failure = on_message.clone();
    let failed = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        ev.prevent_default();
        if let Ok(mut f) = on_failure.try_borrow_mut() {
            f(FAILED.to_string());
        }
    });
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            return;
        };
        // The file reader's "ready": the worker listens now.
        if text == "\"ready\"" {
            let job = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&job, &"file".into(), &blob);
            let _ = js_sys::Reflect::set(&job, &key.into(), &JsValue::from_str(&request));
            let _ = sender.post_message(&job);
            return;
        }
        if let Ok(mut f) = on_message.try_borrow_mut() {
            f(text);
        }
    });
    worker.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    worker.set_onerror(Some(failed.as_ref().unchecked_ref()));
    JOBS.with(|jobs| jobs.borrow_mut().insert(kind, (worker, handler, failed)));
    Ok(())
}

/// The last day a file's dates can be from: today (days since 1970-01-01),
/// with a day's slack for the time zones ahead of UTC. The engine has no
/// clock, so the page says what today is.
pub fn latest_day() -> i64 {
    (js_sys::Date::now() / 86_400_000.0).floor() as i64 + 1
}

/// A blob of `text`, for pasted or generated data.
pub fn blob_of(text: &str) -> Option<Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    Blob::new_with_str_sequence(&parts).ok()
}

/// The header row of `blob`'s first 64 KiB; a file that is not text is
/// refused in words.
pub async fn headers_of(blob: &Blob) -> Result<Vec<String>, String> {
    let head = blob
        .slice_with_i32_and_i32(0, 64 * 1024)
        .map_err(|_| "The file could not be read.".to_string())?;
    let bytes = wasm_bindgen_futures::JsFuture::from(head.array_buffer())
        .await
        .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        .map_err(|_| "The file could not be read.".to_string())?;
    uplift_engine::ingest::header_of_bytes(&bytes).map_err(|e| e.to_string())
}

/// The width charts are drawn at inside the element `id`.
pub fn chart_width(id: &str) -> u32 {
    let available = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .map_or(0.0, |e| f64::from(e.client_width()));
    crate::charts::drawn_width(available)
}

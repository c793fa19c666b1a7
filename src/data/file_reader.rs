//! Reading a large file (over 2 MB, or not UTF-8) in the background: the
//! file-reading worker streams it in chunks and hands back only per-variant
//! sums, so a gigabyte export never sits in the page's memory and the page
//! keeps answering while it loads. This is the reader's state and its
//! actions (read, cancel, read again with the chosen column roles); what it
//! shows is [`crate::data::large_file_reader`]. Part of the tools module
//! (`src/bin/tools.rs`); the page hears the outcome as [`DataEvent`]s and,
//! until a load succeeds, keeps the data it had.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::ingest::{header_of_bytes, parse_experiment, ColumnMapping, ColumnRole};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, MessageEvent, Worker};

use crate::data::data_events::DataEvent;
use crate::platform::column_memory;
use crate::platform::ingest_protocol::{ReadRequest, WorkerMessage};

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

/// A large file whose headers need the column-mapping step before it can
/// be read.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingFile {
    pub name: String,
    pub headers: Vec<String>,
}

/// What the reader shows.
#[derive(Clone, Copy)]
pub struct Reader {
    pub progress: RwSignal<Option<LoadProgress>>,
    pub pending: RwSignal<Option<PendingFile>>,
    /// The roles chosen for the pending file, before it is read again.
    pub pending_mapping: RwSignal<ColumnMapping>,
    /// The column the last file is being read again split by, and why
    /// that failed, if it did.
    pub splitting: RwSignal<Option<String>>,
    pub split_error: RwSignal<Option<String>>,
}

/// The last large file read, kept so it can be read again split by one of
/// its columns: the page holds only its sums.
#[derive(Debug, Clone)]
struct LastFile {
    file: File,
    headers: Vec<String>,
    columns: ColumnMapping,
    /// The sums the page was given, and the column they are split by.
    data: String,
    split: Option<String>,
}

impl Reader {
    pub fn new() -> Reader {
        Reader {
            progress: RwSignal::new(None),
            pending: RwSignal::new(None),
            pending_mapping: RwSignal::new(ColumnMapping::new()),
            splitting: RwSignal::new(None),
            split_error: RwSignal::new(None),
        }
    }
}

impl Default for Reader {
    fn default() -> Self {
        Reader::new()
    }
}

thread_local! {
    /// The one reader of this page (created on first use).
    static READER: std::cell::OnceCell<Reader> = const { std::cell::OnceCell::new() };
    /// The running worker, if any, and the file it was given (kept so a
    /// file that needs a column mapping can be read again once mapped).
    static JOB: RefCell<Option<(Worker, File)>> = const { RefCell::new(None) };
    /// Where the page hears about loads.
    static PAGE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static LAST: RefCell<Option<LastFile>> = const { RefCell::new(None) };
    /// Bumped whenever the data is replaced or a load stopped, so a read
    /// still looking at its file's header when that happens never starts.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The page's reader: what it shows while a file loads or waits for its
/// column roles. First called outside any view (see `accept` in
/// `src/bin/tools.rs`): signals made inside a view are disposed with it.
pub fn shared_reader() -> Reader {
    READER.with(|cell| *cell.get_or_init(Reader::new))
}

/// Tell the page (see [`DataEvent`]).
pub fn tell_page(event: &DataEvent) {
    PAGE.with(|page| {
        if let Some(f) = page.borrow().as_ref() {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&event.to_json()));
        }
    });
}

/// Where events go from now on.
pub fn set_page(on_event: js_sys::Function) {
    PAGE.with(|page| *page.borrow_mut() = Some(on_event));
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The header row of a file, from its first 64 KiB.
async fn headers_of(file: &File) -> Vec<String> {
    let Ok(head) = file.slice_with_f64_and_f64(0.0, 65_536.0) else {
        return Vec::new();
    };
    let Ok(buffer) = JsFuture::from(head.array_buffer()).await else {
        return Vec::new();
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    // A file that is not all UTF-8 still has readable headers, mostly; one
    // that is not text has none (the worker says what it is).
    header_of_bytes(&bytes).unwrap_or_default()
}

/// Read `file` with the column roles remembered for its headers.
pub fn read(reader: Reader, file: File) {
    reader.pending.set(None);
    let generation = GENERATION.get();
    spawn_local(async move {
        let columns = column_memory::recall(&headers_of(&file).await);
        if GENERATION.get() == generation {
            start_worker(reader, file, columns, None);
        }
    });
}

/// Stop reading the current file; the data on screen stays as it was.
pub fn cancel(reader: Reader) {
    GENERATION.set(GENERATION.get() + 1);
    let was_running = JOB.with(|job| {
        job.borrow_mut()
            .take()
            .map(|(worker, _)| worker.terminate())
            .is_some()
    });
    if was_running {
        let name = reader
            .progress
            .get_untracked()
            .map(|p| p.name)
            .unwrap_or_default();
        reader.progress.set(None);
        if let Some(column) = reader.splitting.get_untracked() {
            reader.splitting.set(None);
            reader.split_error.set(Some(format!(
                "Splitting “{name}” by {column} was cancelled; the data is unchanged."
            )));
            return;
        }
        tell_page(&DataEvent::Failed(format!(
            "Loading “{name}” was cancelled. The data you had before is unchanged."
        )));
    }
}

/// The data was replaced (typed, pasted, another file, a sample): a file
/// waiting for its column mapping is forgotten, and one still being read
/// is stopped without a word, so its sums never replace the newer data
/// (the last action wins).
pub fn forget_pending(reader: Reader) {
    GENERATION.set(GENERATION.get() + 1);
    reader.pending.set(None);
    reader.splitting.set(None);
    finish(reader);
}

/// Read the file that was waiting for its column mapping again, now with
/// the user's roles.
pub fn read_pending(reader: Reader) {
    let mapping = reader.pending_mapping.get_untracked();
    if let Some(p) = reader.pending.get_untracked() {
        column_memory::remember(&p.headers, &mapping);
    }
    let file = JOB.with(|job| job.borrow().as_ref().map(|(_, f)| f.clone()));
    if let Some(file) = file {
        reader.pending.set(None);
        start_worker(reader, file, mapping, None);
    }
}

/// A large file whose sums are the data on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct LargeFile {
    /// Its columns, and the roles it was read with.
    pub headers: Vec<String>,
    pub columns: ColumnMapping,
    /// The column its sums are split by, if any.
    pub split: Option<String>,
    /// The file itself, for the views read from its rows.
    pub file: File,
}

/// The large file whose sums are `data` (the data on the page); `None`
/// when the data came from elsewhere.
pub fn large_file_of(data: &str) -> Option<LargeFile> {
    LAST.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|l| l.data == data)
            .map(|l| LargeFile {
                headers: l.headers.clone(),
                columns: l.columns.clone(),
                split: l.split.clone(),
                file: l.file.clone(),
            })
    })
}

/// Read the last large file again, split by `column`: its sums per segment
/// and variant become the data, which reads as the same experiment.
pub fn read_split(reader: Reader, column: String) {
    let Some(last) = LAST.with(|l| l.borrow().clone()) else {
        return;
    };
    reader.split_error.set(None);
    reader.splitting.set(Some(column.clone()));
    // The sums on the page name the variants in the file's order.
    let variants = parse_experiment(&last.data)
        .map(|e| e.variants.into_iter().map(|v| v.name).collect())
        .unwrap_or_default();
    start_worker(reader, last.file, last.columns, Some((column, variants)));
}

/// Read `file` in the worker; with `split`, split by its column, keeping
/// its order of the variants.
fn start_worker(
    reader: Reader,
    file: File,
    columns: ColumnMapping,
    split: Option<(String, Vec<String>)>,
) {
    // One load at a time: a new file replaces one still being read.
    JOB.with(|job| {
        if let Some((old, _)) = job.borrow_mut().take() {
            old.terminate();
        }
    });
    let worker = match Worker::new(WORKER_URL) {
        Ok(w) => w,
        Err(_) => {
            tell_page(&DataEvent::Failed(
                "This browser could not start the file reader for large files. Try a smaller file, or paste aggregated data.".into(),
            ));
            return;
        }
    };
    let name = file.name();
    let total = file.size();
    let started = now();
    reader.progress.set(Some(LoadProgress {
        name: name.clone(),
        bytes: 0.0,
        total,
        rows: 0,
        millis: 0.0,
    }));
    let kept = (file.clone(), columns.clone());
    let (segment, variants) = split.unzip();
    let split = segment.is_some();
    let split_by = segment.clone();
    let request = ReadRequest {
        columns,
        segment,
        variants: variants.unwrap_or_default(),
    };
    let to_send = file.clone();
    // This read's generation: a message that arrives after the data was
    // replaced or the read stopped (already queued, or finishing after
    // the header below) is dropped.
    let generation = GENERATION.get();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if GENERATION.get() != generation {
            return;
        }
        let Some(message) = ev
            .data()
            .as_string()
            .and_then(|t| WorkerMessage::from_json(&t))
        else {
            // A reader from another version of the site (a deploy while
            // this tab was open): stop rather than wait for ever.
            finish(reader);
            tell_page(&DataEvent::Failed(
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
                reader.progress.set(Some(LoadProgress {
                    name: name.clone(),
                    bytes,
                    total,
                    rows,
                    millis: now() - started,
                }));
            }
            WorkerMessage::Done(read) => {
                finish(reader);
                reader.pending.set(None);
                reader.splitting.set(None);
                let (file, columns) = kept.clone();
                let headers = LAST.with(|l| {
                    l.borrow()
                        .as_ref()
                        .filter(|_| split)
                        .map(|l| l.headers.clone())
                });
                let data = read.data.clone();
                let split = split_by.clone();
                let name_done = name.clone();
                spawn_local(async move {
                    let headers = match headers {
                        Some(h) => h,
                        None => headers_of(&file).await,
                    };
                    if GENERATION.get() != generation {
                        return;
                    }
                    LAST.with(|l| {
                        *l.borrow_mut() = Some(LastFile {
                            file,
                            headers,
                            columns,
                            data,
                            split,
                        })
                    });
                    tell_page(&DataEvent::Loaded(name_done, read));
                });
            }
            WorkerMessage::Failed {
                message,
                needs_mapping,
                confirm_variant,
            } => {
                reader.progress.set(None);
                if split {
                    // The data on the page stays as it was: say why here.
                    finish(reader);
                    reader.splitting.set(None);
                    reader.split_error.set(Some(message));
                    return;
                }
                tell_page(&DataEvent::Failed(format!("“{name}”: {message}")));
                if needs_mapping {
                    // Keep the file for a second read once mapped.
                    JOB.with(|job| {
                        if let Some((w, _)) = job.borrow().as_ref() {
                            w.terminate();
                        }
                    });
                    ask_for_mapping(reader, name.clone(), confirm_variant);
                } else {
                    finish(reader);
                }
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if GENERATION.get() != generation {
            return;
        }
        finish(reader);
        tell_page(&DataEvent::Failed(
            "The file reader stopped unexpectedly. The data you had before is unchanged.".into(),
        ));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    JOB.with(|job| *job.borrow_mut() = Some((worker, file)));
}

/// The worker is done with its file: stop it and hide the progress.
fn finish(reader: Reader) {
    JOB.with(|job| {
        if let Some((worker, _)) = job.borrow_mut().take() {
            worker.terminate();
        }
    });
    reader.progress.set(None);
}

/// Read the pending file's header row and ask the user for its column
/// roles (with `variant` set as the variant, to be confirmed).
fn ask_for_mapping(reader: Reader, name: String, variant: Option<String>) {
    let Some(file) = JOB.with(|job| job.borrow().as_ref().map(|(_, f)| f.clone())) else {
        return;
    };
    spawn_local(async move {
        let headers = headers_of(&file).await;
        let mut mapping = column_memory::recall(&headers);
        if let Some(v) = variant {
            mapping.insert(v, ColumnRole::Variant);
        }
        reader.pending_mapping.set(mapping);
        reader.pending.set(Some(PendingFile { name, headers }));
    });
}

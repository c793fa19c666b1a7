//! The file-reading worker: reads a file in chunks with `FileReaderSync`,
//! reduces each chunk to per-variant sums with the engine's streaming reader
//! and posts progress, so the page stays responsive and memory stays bounded
//! whatever the file's size. Trunk builds it as a second WebAssembly entry
//! (`data-type="worker"` in index.html). To cancel, the page terminates it.

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod worker {
    use uplift_engine::ingest::{to_aggregated_csv, DataShape, ExperimentReader, IngestError};
    use uplift_roi_app::data::ingest_protocol::{ReadRequest, ReadSummary, WorkerMessage};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    /// Bytes read per step: large enough that per-chunk overhead vanishes,
    /// small enough for frequent progress and little memory.
    const CHUNK: f64 = 4.0 * 1024.0 * 1024.0;

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(message: &WorkerMessage) {
        let _ = scope().post_message(&JsValue::from_str(&message.to_json()));
    }

    fn now() -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }

    pub fn start() {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
            let message = match read(&ev.data()) {
                Ok(done) => done,
                Err(e) => e,
            };
            post(&message);
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        post(&WorkerMessage::Ready);
    }

    fn failed(message: impl Into<String>) -> WorkerMessage {
        WorkerMessage::Failed {
            message: message.into(),
            needs_mapping: false,
        }
    }

    fn ingest_failed(e: IngestError) -> WorkerMessage {
        let needs_mapping = matches!(
            e,
            IngestError::MissingVariantColumn { .. } | IngestError::UnknownShape { .. }
        );
        WorkerMessage::Failed {
            message: e.to_string(),
            needs_mapping,
        }
    }

    /// Read the file in `data.file`, with the request in `data.request`.
    fn read(data: &JsValue) -> Result<WorkerMessage, WorkerMessage> {
        let file: Blob = js_sys::Reflect::get(data, &"file".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| failed("No file was given to read."))?;
        let request: ReadRequest = js_sys::Reflect::get(data, &"request".into())
            .ok()
            .and_then(|r| r.as_string())
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default();
        let sync =
            FileReaderSync::new().map_err(|_| failed("This browser cannot read files here."))?;
        let started = now();
        let total = file.size();
        let mut reader = ExperimentReader::new(request.columns);
        let mut buffer = Vec::new();
        let mut pos = 0.0;
        while pos < total {
            let end = (pos + CHUNK).min(total);
            let chunk = file
                .slice_with_f64_and_f64(pos, end)
                .and_then(|b| sync.read_as_array_buffer(&b))
                .map_err(|_| {
                    failed("The file could not be read; was it moved or changed while loading?")
                })?;
            let bytes = js_sys::Uint8Array::new(&chunk);
            buffer.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut buffer);
            reader.feed(&buffer).map_err(ingest_failed)?;
            pos = end;
            post(&WorkerMessage::Progress {
                bytes: pos,
                total,
                rows: reader.rows(),
            });
        }
        let experiment = reader.finish().map_err(ingest_failed)?;
        let memory = wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| {
                f64::from(
                    m.buffer()
                        .unchecked_into::<js_sys::ArrayBuffer>()
                        .byte_length(),
                )
            })
            .unwrap_or(0.0);
        Ok(WorkerMessage::Done(ReadSummary {
            data: to_aggregated_csv(&experiment.variants, &experiment.metric_columns),
            shape_row_level: experiment.shape == DataShape::RowLevel,
            rows: experiment.rows,
            skipped: experiment.skipped,
            problems: experiment
                .problems
                .iter()
                .map(ToString::to_string)
                .collect(),
            bytes: total,
            millis: now() - started,
            memory_bytes: memory,
        }))
    }
}

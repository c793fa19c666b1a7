//! The file-reading worker: reads a file in chunks with `FileReaderSync`,
//! reduces each chunk to per-variant sums with the engine's streaming reader
//! and posts progress, so the page stays responsive and memory stays bounded
//! whatever the file's size. It also evaluates a targeting model's scores
//! for the targeting tool (curves, bins, the bootstrap with progress), and
//! computes the time tool's retention curves and difference in differences.
//! Trunk
//! builds it as a second WebAssembly entry (`data-type="worker"` in
//! index.html). To cancel, the page terminates it.

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod worker {
    use uplift_engine::file_analysis::{run, run_timeline};
    use uplift_engine::ingest::{to_aggregated_csv, DataShape, ExperimentReader, IngestError};
    use uplift_engine::segments::{SegmentError, SegmentReader};
    use uplift_engine::targeting::{evaluate, profit_curve, QiniBootstrap, Units};
    use uplift_roi_app::platform::ingest_protocol::{ReadRequest, ReadSummary, WorkerMessage};
    use uplift_roi_app::tools::analysis_protocol::{
        thin_curves, AnalysisMessage, AnalysisRequest, AnalysisResult,
    };
    use uplift_roi_app::tools::targeting_protocol::{TargetingMessage, TargetingRequest};
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
            let targeting = js_sys::Reflect::get(&ev.data(), &"targeting".into())
                .ok()
                .and_then(|t| t.as_string());
            let analysis = js_sys::Reflect::get(&ev.data(), &"analysis".into())
                .ok()
                .and_then(|t| t.as_string());
            if let Some(request) = analysis {
                let message =
                    analysis_job(&ev.data(), &request).unwrap_or_else(AnalysisMessage::Failed);
                let _ = scope().post_message(&JsValue::from_str(&message.to_json()));
                return;
            }
            if let Some(request) = targeting {
                let outcome = match targeting_job(&ev.data(), &request) {
                    Ok(()) => return,
                    Err(e) => e,
                };
                let _ = scope().post_message(&JsValue::from_str(
                    &TargetingMessage::Failed(outcome).to_json(),
                ));
                return;
            }
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
            confirm_variant: None,
        }
    }

    fn ingest_failed(e: IngestError) -> WorkerMessage {
        let confirm_variant = match &e {
            IngestError::ManyVariants { column, .. } => Some(column.clone()),
            _ => None,
        };
        let needs_mapping = confirm_variant.is_some()
            || matches!(
                e,
                IngestError::MissingVariantColumn { .. } | IngestError::UnknownShape { .. }
            );
        WorkerMessage::Failed {
            message: e.to_string(),
            needs_mapping,
            confirm_variant,
        }
    }

    fn segment_failed(e: SegmentError) -> WorkerMessage {
        match e {
            SegmentError::Data(e) => ingest_failed(e),
            e => failed(e.to_string()),
        }
    }

    fn post_targeting(message: &TargetingMessage) {
        let _ = scope().post_message(&JsValue::from_str(&message.to_json()));
    }

    /// Evaluate the scores in `data.file` as `request` (JSON) asks, posting
    /// the report, the bootstrap's progress and its result; a failure's
    /// message is returned, for the user.
    fn targeting_job(data: &JsValue, request: &str) -> Result<(), String> {
        let request: TargetingRequest =
            serde_json::from_str(request).map_err(|_| "The request could not be read.")?;
        let started = now();
        let text = file_text(data)?;
        let units = Units::read(&text, &request.treatment, &request.outcome, &request.score)
            .map_err(|e| e.to_string())?;
        let value = match &request.revenue {
            Some(column) => Units::read_values(&text, column).map_err(|e| e.to_string())?,
            None => units
                .outcome
                .iter()
                .map(|y| y * request.value_per_response)
                .collect(),
        };
        drop(text);
        if request.part == 0 {
            let report = evaluate(&units, request.bins).map_err(|e| e.to_string())?;
            let profit =
                profit_curve(&units, &value, request.cost_per_user).map_err(|e| e.to_string())?;
            post_targeting(&TargetingMessage::Evaluated {
                report: Box::new(report),
                profit,
                millis: now() - started,
            });
        }
        let share = request.share();
        if share == 0 {
            return Ok(());
        }
        let started = now();
        let seed = request.seed.wrapping_add(request.part as u64);
        let mut boot = QiniBootstrap::new(&units, seed).map_err(|e| e.to_string())?;
        drop(units);
        // Batches of about a fortieth, so progress moves smoothly.
        let batch = (share / 40).max(1);
        while boot.done() < share {
            boot.run(batch.min(share - boot.done()));
            post_targeting(&TargetingMessage::Resampled {
                part: request.part,
                done: boot.done(),
            });
        }
        post_targeting(&TargetingMessage::Draws {
            draws: boot.draws(),
            millis: now() - started,
        });
        Ok(())
    }

    /// The worker's WebAssembly memory now, which is its peak so far:
    /// linear memory never shrinks.
    fn wasm_memory() -> f64 {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|m| {
                f64::from(
                    m.buffer()
                        .unchecked_into::<js_sys::ArrayBuffer>()
                        .byte_length(),
                )
            })
            .unwrap_or(0.0)
    }

    /// The file in `data.file` as text.
    fn file_text(data: &JsValue) -> Result<String, String> {
        let file: Blob = js_sys::Reflect::get(data, &"file".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or("No file was given to read.")?;
        FileReaderSync::new()
            .and_then(|sync| sync.read_as_text(&file))
            .map_err(|_| {
                "The file could not be read; was it moved or changed while loading?".to_string()
            })
    }

    /// Compute what `request` (JSON) asks of the file in `data.file`.
    fn analysis_job(data: &JsValue, request: &str) -> Result<AnalysisMessage, String> {
        let request: AnalysisRequest =
            serde_json::from_str(request).map_err(|_| "The request could not be read.")?;
        let started = now();
        // Every analysis but the timeline reads the file as one text.
        let text = match request {
            AnalysisRequest::Timeline { .. } => String::new(),
            _ => file_text(data)?,
        };
        let run = match &request {
            AnalysisRequest::Timeline { columns, options } => {
                // In pieces: the worker holds the sums per day and one
                // piece, whatever the file's size.
                use uplift_engine::timeline::TimelineStream;
                let file: Blob = js_sys::Reflect::get(data, &"file".into())
                    .ok()
                    .and_then(|f| f.dyn_into().ok())
                    .ok_or("No file was given to read.")?;
                let sync =
                    FileReaderSync::new().map_err(|_| "This browser cannot read files here.")?;
                let mut stream = TimelineStream::new(columns.clone());
                let mut buffer = Vec::new();
                let (mut pos, total) = (0.0, file.size());
                while pos < total {
                    let end = (pos + CHUNK).min(total);
                    let chunk = file
                        .slice_with_f64_and_f64(pos, end)
                        .and_then(|b| sync.read_as_array_buffer(&b))
                        .map_err(|_| {
                            "The file could not be read; was it moved or changed while loading?"
                        })?;
                    let bytes = js_sys::Uint8Array::new(&chunk);
                    buffer.resize(bytes.length() as usize, 0);
                    bytes.copy_to(&mut buffer);
                    stream.feed(&buffer).map_err(|e| e.to_string())?;
                    pos = end;
                }
                let data = stream.finish().map_err(|e| e.to_string())?;
                run_timeline(&data, options)?
            }
            _ => {
                let done = run(&request, &text);
                drop(text);
                done?
            }
        };
        let (mut result, rows) = (run.result, run.rows);
        if let AnalysisResult::Retention(report) = &mut result {
            thin_curves(report);
        }
        Ok(AnalysisMessage::Done {
            result: Box::new(result),
            rows,
            millis: now() - started,
            memory: wasm_memory(),
        })
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
        let mut buffer = Vec::new();
        // Every chunk to `feed`, with progress after each.
        let mut chunks = |feed: &mut dyn FnMut(&[u8]) -> Result<usize, WorkerMessage>| {
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
                let rows = feed(&buffer)?;
                pos = end;
                post(&WorkerMessage::Progress {
                    bytes: pos,
                    total,
                    rows,
                });
            }
            Ok::<(), WorkerMessage>(())
        };
        let (data, row_level, rows, skipped, problems) = match request.segment {
            None => {
                let mut reader = ExperimentReader::new(request.columns);
                chunks(&mut |c| {
                    reader
                        .feed(c)
                        .map(|()| reader.rows())
                        .map_err(ingest_failed)
                })?;
                let e = reader.finish().map_err(ingest_failed)?;
                let data = to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps);
                (
                    data,
                    e.shape == DataShape::RowLevel,
                    e.rows,
                    e.skipped,
                    e.problems,
                )
            }
            Some(column) => {
                let mut reader = SegmentReader::new(&request.columns, &column);
                chunks(&mut |c| {
                    reader
                        .feed(c)
                        .map(|()| reader.rows())
                        .map_err(segment_failed)
                })?;
                let split = reader.finish().map_err(segment_failed)?;
                let data = split
                    .to_csv_in_order(&request.variants)
                    .map_err(segment_failed)?;
                let row_level = split
                    .parts
                    .iter()
                    .all(|(_, e)| e.shape == DataShape::RowLevel);
                (data, row_level, split.rows(), split.skipped, split.problems)
            }
        };
        let memory = wasm_memory();
        Ok(WorkerMessage::Done(ReadSummary {
            data,
            shape_row_level: row_level,
            rows,
            skipped,
            problems: problems.iter().map(ToString::to_string).collect(),
            bytes: total,
            millis: now() - started,
            memory_bytes: memory,
        }))
    }
}

//! Over time: the lift day by day (fixed-horizon and always-valid
//! intervals, the novelty trend, the days still needed), retention measured
//! from data (Kaplan–Meier curves per
//! variant, log-rank, median and RMST) and a launch without a control
//! group (difference in differences with its event study). Files are read
//! and analysed in the background worker; Cancel stops it and keeps what
//! was shown.
//!
//! One file per section (`timeline`, `retention`, `cohorts`, `did`); here
//! the panel that holds them and what they share: a run of the worker with
//! its progress, Cancel and last result (`Analysis`), and its status line.
//! The views of the page's own rows (`crate::analyses::data_views`) run and
//! show their analyses with the same `Analysis` and result components.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Blob;

use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::{AnalysisMessage, AnalysisRequest, AnalysisResult};
use crate::tools::worker_job::{self, headers_of};

mod cohorts;
mod did;
mod retention;
mod timeline;

pub(crate) use cohorts::CohortResults;
use cohorts::CohortSection;
use did::DidSection;
pub(crate) use retention::RetentionResults;
use retention::RetentionSection;
pub(crate) use timeline::TimelineResults;
use timeline::TimelineSection;

/// How a run went: rows read, the worker's time and its memory at the end,
/// and what it answered: the file's name and the request, kept with the
/// result so a file chosen afterwards is never credited with it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub(crate) rows: usize,
    pub(crate) millis: f64,
    memory: f64,
    pub(crate) source: String,
    request: AnalysisRequest,
}

/// A section's choices: the field's name, its signal, and whether it names
/// a column (given back only if the file has that column).
type Kept = Vec<(&'static str, RwSignal<String>, bool)>;

/// One analysis of a file: its columns, whether it runs, its error and
/// its last result. (Copy whatever `T` is: it holds signals only.)
pub(crate) struct Analysis<T: Send + Sync + 'static> {
    pub(crate) job: &'static str,
    context: RwSignal<crate::platform::tools_context::ToolsContext>,
    /// Kept in the scenario after each run, given back for the next file.
    kept: StoredValue<Kept>,
    pub(crate) file: RwSignal<Option<(String, Vec<String>)>, LocalStorage>,
    blob: StoredValue<Option<Blob>, LocalStorage>,
    /// Files chosen so far: a choice whose header arrives after a later
    /// choice's is dropped.
    picks: StoredValue<u64>,
    pub(crate) running: RwSignal<bool>,
    pub(crate) error: RwSignal<Option<String>>,
    pub(crate) result: RwSignal<Option<(T, Run)>>,
}

impl<T: Send + Sync + 'static> Clone for Analysis<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Analysis<T> {}

impl<T: Clone + Send + Sync + 'static> Analysis<T> {
    pub(crate) fn new(job: &'static str) -> Self {
        Analysis {
            job,
            context: use_tools_context(),
            kept: StoredValue::new(Vec::new()),
            file: RwSignal::new_local(None),
            blob: StoredValue::new_local(None),
            picks: StoredValue::new(0),
            running: RwSignal::new(false),
            error: RwSignal::new(None),
            result: RwSignal::new(None),
        }
    }

    /// The choices to keep in the scenario (the tools record's `time`).
    fn keep(self, fields: Kept) -> Self {
        self.kept.set_value(fields);
        self
    }

    /// Keep this analysis' choices in the scenario (a view of the page's
    /// rows has none to keep).
    fn remember(self) {
        if self.kept.with_value(Vec::is_empty) {
            return;
        }
        let fields = self.kept.with_value(|k| {
            k.iter()
                .map(|(name, signal, _)| (name.to_string(), signal.get_untracked()))
                .collect()
        });
        crate::tools::tool_choices::offer(self.context, |c| {
            c.time.insert(self.job.to_string(), fields);
        });
    }

    /// Give back the choices kept in the scenario, where the file `headers`
    /// has the columns they name.
    fn recall(self, headers: &[String]) {
        let choices = self.context.with_untracked(|c| {
            crate::tools::tool_choices::ToolChoices::from_json(c.tools.as_deref())
        });
        let Some(saved) = choices.time.get(self.job) else {
            return;
        };
        self.kept.with_value(|k| {
            for (name, signal, column) in k {
                if let Some(v) = saved.get(*name) {
                    if !column || v.is_empty() || headers.contains(v) {
                        signal.set(v.clone());
                    }
                }
            }
        });
    }

    /// The file chosen in the input of `ev`: its headers, then `chosen`.
    pub(crate) fn choose(self, ev: leptos::ev::Event, chosen: impl Fn(&[String]) + 'static) {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        // Another file is the last action: a run on the one before stops
        // (its result, named for its own file, stays).
        if self.running.get_untracked() {
            self.cancel();
        }
        self.picks.update_value(|n| *n += 1);
        let pick = self.picks.get_value();
        let name = file.name();
        let blob: Blob = file.into();
        spawn_local(async move {
            let headers = headers_of(&blob).await;
            if self.picks.get_value() != pick {
                return;
            }
            match headers {
                Ok(headers) if headers.len() >= 2 => {
                    chosen(&headers);
                    self.recall(&headers);
                    self.blob.set_value(Some(blob));
                    self.file.set(Some((name, headers)));
                    self.error.set(None);
                }
                Ok(_) => self.error.set(Some(format!(
                    "“{name}” has fewer than 2 columns; is it a CSV file with a header row?"
                ))),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Run `request` on `blob`, named `source` in the results: rows that
    /// came with the page rather than from this analysis' file input.
    pub(crate) fn run_on(
        self,
        source: &str,
        blob: &Blob,
        request: AnalysisRequest,
        pick: fn(AnalysisResult) -> Option<T>,
    ) {
        self.blob.set_value(Some(blob.clone()));
        self.file.set(Some((source.to_string(), Vec::new())));
        self.run(request, pick);
    }

    /// Run `request` on the chosen file; `pick` takes this analysis' result
    /// out of the worker's.
    pub(crate) fn run(self, request: AnalysisRequest, pick: fn(AnalysisResult) -> Option<T>) {
        let Some(blob) = self.blob.get_value() else {
            self.error.set(Some("Choose a file first.".into()));
            return;
        };
        self.error.set(None);
        self.running.set(true);
        let json = serde_json::to_string(&request).unwrap_or_default();
        let source = self
            .file
            .get_untracked()
            .map(|(name, _)| name)
            .unwrap_or_default();
        let on_message = move |text: String| {
            match AnalysisMessage::from_json(&text) {
                Some(AnalysisMessage::Done {
                    result,
                    rows,
                    millis,
                    memory,
                }) => match pick(*result) {
                    Some(r) => {
                        self.result.set(Some((
                            r,
                            Run {
                                rows,
                                millis,
                                memory,
                                source: source.clone(),
                                request: request.clone(),
                            },
                        )));
                        self.remember();
                    }
                    None => self
                        .error
                        .set(Some("The worker answered another question.".into())),
                },
                Some(AnalysisMessage::Failed(message)) => self.error.set(Some(message)),
                // A result with a number JSON cannot hold, or a worker
                // that stopped: said, and the run ends.
                None => self.error.set(Some(worker_job::UNREADABLE.into())),
            }
            self.running.set(false);
            worker_job::stop(self.job);
        };
        if let Err(e) = worker_job::start(self.job, blob, "analysis", json, on_message) {
            self.error.set(Some(e));
            self.running.set(false);
        }
    }

    fn cancel(self) {
        worker_job::stop(self.job);
        self.running.set(false);
        self.error.set(Some(
            "Cancelled. What was shown before is unchanged.".into(),
        ));
    }
}

/// Progress and Cancel while `running`, else the error, if any.
pub(crate) fn status_line<T: Clone + Send + Sync + 'static>(
    a: Analysis<T>,
    id: &'static str,
) -> impl IntoView {
    move || {
        if a.running.get() {
            Some(
                view! {
                    <p class="status" role="status" id=format!("{id}-progress-text")>
                        <progress id=format!("{id}-progress")></progress>
                        " Reading and analysing the file… "
                        <button type="button" class="button secondary" id=format!("{id}-cancel")
                            on:click=move |_| a.cancel()>"Cancel"</button>
                    </p>
                }
                .into_any(),
            )
        } else {
            a.error.get().map(|e| view! {
                <p class="status error" role="alert" id=format!("{id}-error")>
                    {e}
                    {a.result.with(Option::is_some).then_some(" The results below are from the last analysis.")}
                </p>
            }.into_any())
        }
    }
}

#[component]
pub fn TimePanel() -> impl IntoView {
    view! {
        <section class="panel time" id="time" aria-labelledby="time-title">
            <h2 id="time-title">"Over time: retention and launches without a control group"</h2>
            <TimelineSection/>
            <RetentionSection/>
            <CohortSection/>
            <DidSection/>
        </section>
    }
}

/// The element whose width the charts are drawn for: the tool's panel,
/// or the results' pane for the views of the page's rows.
#[derive(Clone, Copy)]
pub(crate) struct ChartsIn(pub &'static str);

fn charts_in() -> &'static str {
    use_context::<ChartsIn>().map_or("time", |c| c.0)
}

/// What a file's placeholder dates became, when it had any.
pub(crate) fn placeholder_note(rows: u64) -> Option<String> {
    (rows > 0).then(|| {
        format!(
            "{} row(s) with a placeholder date (before 1900 or after 2100, such as 9999-12-31) or a date after today were left out.",
            format::count(rows)
        )
    })
}

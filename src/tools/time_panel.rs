//! Over time: the lift day by day (fixed-horizon and always-valid
//! intervals, the novelty trend, the days still needed), retention measured
//! from data (Kaplan–Meier curves per
//! variant, log-rank, median and RMST) and a launch without a control
//! group (difference in differences with its event study). Files are read
//! and analysed in the background worker; Cancel stops it and keeps what
//! was shown.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::cohorts::{CohortColumns, CohortReport};
use uplift_engine::did::{DidReport, PanelColumns};
use uplift_engine::survival::RetentionReport;
use uplift_engine::timeline::{TimelineColumns, TimelineOptions, TimelineReport};
use web_sys::Blob;

use crate::charts::time_charts::{
    cohort_summary, cohort_svg, event_study_summary, event_study_svg, km_summary, km_svg,
    lift_summary, lift_svg,
};
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::{AnalysisMessage, AnalysisRequest, AnalysisResult};
use crate::tools::file_columns::column_select;
use crate::tools::worker_job::{self, chart_width, headers_of};

/// How a run went: rows read, the worker's time and its memory at the end,
/// and what it answered: the file's name and the request, kept with the
/// result so a file chosen afterwards is never credited with it.
#[derive(Debug, Clone, PartialEq)]
struct Run {
    rows: usize,
    millis: f64,
    memory: f64,
    source: String,
    request: AnalysisRequest,
}

/// A section's choices: the field's name, its signal, and whether it names
/// a column (given back only if the file has that column).
type Kept = Vec<(&'static str, RwSignal<String>, bool)>;

/// One analysis of a file: its columns, whether it runs, its error and
/// its last result. (Copy whatever `T` is: it holds signals only.)
struct Analysis<T: Send + Sync + 'static> {
    job: &'static str,
    context: RwSignal<crate::platform::tools_context::ToolsContext>,
    /// Kept in the scenario after each run, given back for the next file.
    kept: StoredValue<Kept>,
    file: RwSignal<Option<(String, Vec<String>)>, LocalStorage>,
    blob: StoredValue<Option<Blob>, LocalStorage>,
    /// Files chosen so far: a choice whose header arrives after a later
    /// choice's is dropped.
    picks: StoredValue<u64>,
    running: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    result: RwSignal<Option<(T, Run)>>,
}

impl<T: Send + Sync + 'static> Clone for Analysis<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Analysis<T> {}

impl<T: Clone + Send + Sync + 'static> Analysis<T> {
    fn new(job: &'static str) -> Self {
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

    /// Keep this analysis' choices in the scenario.
    fn remember(self) {
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
    fn choose(self, ev: leptos::ev::Event, chosen: impl Fn(&[String]) + 'static) {
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

    /// Run `request` on the chosen file; `pick` takes this analysis' result
    /// out of the worker's.
    fn run(self, request: AnalysisRequest, pick: fn(AnalysisResult) -> Option<T>) {
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
fn status_line<T: Clone + Send + Sync + 'static>(
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

#[component]
fn TimelineSection() -> impl IntoView {
    let context = use_tools_context();
    let date = RwSignal::new(String::new());
    let variant = RwSignal::new(String::new());
    let metric = RwSignal::new(String::new());
    let users = RwSignal::new(String::new());
    let a = Analysis::<TimelineReport>::new("timeline").keep(vec![
        ("date", date, true),
        ("variant", variant, true),
        ("metric", metric, true),
        ("users", users, true),
    ]);
    let on_file = move |ev| {
        a.choose(ev, move |h| {
            let g = uplift_engine::ingest::timeline_columns(h);
            date.set(g.date);
            variant.set(g.variant);
            metric.set(g.metric);
            users.set(g.users.unwrap_or_default());
        });
    };
    let run = move |_| {
        if a.running.get_untracked() {
            return;
        }
        let confidence = context.with_untracked(|c| c.confidence);
        a.run(
            AnalysisRequest::Timeline {
                columns: TimelineColumns {
                    date: date.get_untracked(),
                    variant: variant.get_untracked(),
                    metric: metric.get_untracked(),
                    users: Some(users.get_untracked()).filter(|u| !u.is_empty()),
                    sum_squares: None,
                    latest: Some(worker_job::latest_day()),
                },
                options: TimelineOptions {
                    confidence,
                    ..TimelineOptions::default()
                },
            },
            |r| match r {
                AnalysisResult::Timeline(r) => Some(*r),
                _ => None,
            },
        );
    };
    view! {
        <h3>"Lift over time"</h3>
        <p class="hint">
            "One row per user with the date (or timestamp) of their first exposure, their variant and a metric (1/0 or a number), or one row per day and variant with its users and the metric's total. Shows the cumulative lift day by day with the interval for a single look and the one that stays valid however often you look."
        </p>
        <div class="actions">
            <label class="button secondary file-button">
                "Choose a file…"
                <input type="file" id="timeline-file" accept=".csv,.tsv,.txt,text/csv" class="visually-hidden" on:change=on_file/>
            </label>
        </div>
        {move || a.file.get().map(|(name, headers)| view! {
            <p class="status ok" id="timeline-source">{format!("“{name}”: {} columns.", headers.len())}</p>
            <div class="actions">
                {column_select("timeline-date", "Date", date, headers.clone(), None)}
                {column_select("timeline-variant", "Variant", variant, headers.clone(), None)}
                {column_select("timeline-metric", "Metric", metric, headers.clone(), None)}
                {column_select("timeline-users", "Users (one row per day)", users, headers, Some("none: one row per user"))}
                <button type="button" class="button" id="timeline-run" on:click=run
                    aria-disabled=move || a.running.get().then_some("true")>"Show the lift over time"</button>
            </div>
        })}
        {status_line(a, "timeline")}
        {move || {
            context.track();
            a.result.get().map(|(r, run)| view! { <TimelineResults report=r run/> })
        }}
    }
}

#[component]
fn TimelineResults(report: TimelineReport, run: Run) -> impl IntoView {
    let last = report
        .days
        .iter()
        .rev()
        .find_map(|d| d.lift.map(|l| (d, l)));
    let headline = last.map_or_else(
        || "Too few users yet to estimate the lift.".to_string(),
        |(d, l)| {
            format!(
                "After {} days: {} {} vs {}; {} interval {} to {} for a single look, {} to {} valid at every look.",
                d.day,
                format::signed_percent(l.estimate, 1),
                report.treatment,
                report.control,
                format::percent(report.confidence, 0),
                format::signed_percent(l.fixed.low, 1),
                format::signed_percent(l.fixed.high, 1),
                format::signed_percent(l.always_valid.low, 1),
                format::signed_percent(l.always_valid.high, 1),
            )
        },
    );
    let trend = report.trend.as_ref().map(|t| t.summary.clone());
    let to_go = report.days_to_go.as_ref().map(|g| match g.days {
        Some(days) => format!(
            "To detect a {} lift with {} power, each variant needs {} users: about {} more days at the traffic so far.",
            format::signed_percent(g.min_lift, 1),
            format::percent(g.power, 0),
            format::count(g.users_needed_per_variant.ceil() as u64),
            format::count(days),
        ),
        None => format!(
            "Each variant already has the {} users needed to detect a {} lift with {} power.",
            format::count(g.users_needed_per_variant.ceil() as u64),
            format::signed_percent(g.min_lift, 1),
            format::percent(g.power, 0),
        ),
    });
    let rows = report
        .days
        .iter()
        .map(|d| {
            let interval = |i: Option<uplift_engine::units::Interval>| {
                i.map_or("–".to_string(), |i| {
                    format!("{} to {}", format::signed_percent(i.low, 1), format::signed_percent(i.high, 1))
                })
            };
            view! {
                <tr>
                    <th scope="row">{d.date.clone()}</th>
                    <td class="num">{d.day}</td>
                    <td class="num">{format::count(d.cumulative_control.users)}</td>
                    <td class="num">{format::count(d.cumulative_treatment.users)}</td>
                    <td class="num">{d.daily_lift.map_or("–".to_string(), |x| format::signed_percent(x, 1))}</td>
                    <td class="num">{d.lift.map_or("–".to_string(), |l| format::signed_percent(l.estimate, 1))}</td>
                    <td class="num">{interval(d.lift.map(|l| l.fixed))}</td>
                    <td class="num">{interval(d.lift.map(|l| l.always_valid))}</td>
                </tr>
            }
        })
        .collect_view();
    let svg = lift_svg(&report, chart_width("time"));
    let words = lift_summary(&report);
    view! {
        <p class="verdict" id="timeline-verdict">{headline}</p>
        <p class="status ok" role="status" id="timeline-summary">
            {format!(
                "{} users of “{}” read in {} s, in pieces: the worker held {} MiB at most.",
                format::count(run.rows as u64),
                run.source,
                format::number(run.millis / 1000.0, 2),
                format::number(run.memory / 1_048_576.0, 1),
            )}
        </p>
        {placeholder_note(report.placeholder_dates).map(|t| view! { <p id="timeline-placeholders">{t}</p> })}
        {(report.period_days > 1).then(|| view! {
            <p id="timeline-period">{format!(
                "The data spans more than {} days, so each point is {} days, a week starting on Monday or a run of weeks: the table and chart stay readable.",
                format::count(uplift_engine::timeline::MAX_POINTS as u64),
                report.period_days
            )}</p>
        })}
        {trend.map(|t| view! { <p id="timeline-trend">{t}</p> })}
        {to_go.map(|t| view! { <p id="timeline-to-go">{t}</p> })}
        {svg.map(|svg| view! { <crate::charts::DrawnChart id="timeline-chart" name="lift over time chart" svg=svg summary=words.clone()/> })}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Lift by day">
            <table class="data-table" id="timeline-table">
                <caption>{if report.period_days > 1 {
                    format!("Cumulative lift by {} days", report.period_days)
                } else {
                    "Cumulative lift by day".to_string()
                }}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col" class="num">"Day"</th>
                        <th scope="col" class="num">{format!("Users, {}", report.control)}</th>
                        <th scope="col" class="num">{format!("Users, {}", report.treatment)}</th>
                        <th scope="col" class="num">"That day's lift"</th>
                        <th scope="col" class="num">"Cumulative lift"</th>
                        <th scope="col" class="num">"Single-look interval"</th>
                        <th scope="col" class="num">"Always-valid interval"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="timeline-table" name="lift by day table"/>
        <p class="method-note">
            {format!(
                "Relative lift with the delta method; the single-look interval is Welch's t (GrowthBook's frequentist test) and holds only if you look once, at a horizon fixed in advance. The always-valid interval is GrowthBook's sequential test (τ = {}): it holds at every look, so it is the one to watch daily. The trend is a straight line through the daily lifts; the days to go plan for the single-look test at 80% power.",
                format::number(report.tau, 0)
            )}
        </p>
    }
}

#[component]
fn RetentionSection() -> impl IntoView {
    let context = use_tools_context();
    let duration = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let horizon = RwSignal::new(String::new());
    let a = Analysis::<RetentionReport>::new("retention").keep(vec![
        ("duration", duration, true),
        ("event", event, true),
        ("group", group, true),
        ("horizon", horizon, false),
    ]);
    let on_file = move |ev| {
        a.choose(ev, move |h| {
            let g = uplift_engine::ingest::retention_columns(h);
            duration.set(g.duration);
            event.set(g.event);
            group.set(g.group.unwrap_or_default());
        });
    };
    let run = move |_| {
        if a.running.get_untracked() {
            return;
        }
        let text = horizon.get_untracked();
        let h = if text.trim().is_empty() {
            // The worker takes the shortest group's last time.
            0.0
        } else {
            match crate::platform::format::read_number(&text) {
                Some(h) if h > 0.0 => h,
                _ => {
                    a.error.set(Some(
                        "The horizon must be a number above 0, in the durations' unit (or empty)."
                            .into(),
                    ));
                    return;
                }
            }
        };
        a.run(
            AnalysisRequest::Retention {
                duration: duration.get_untracked(),
                event: event.get_untracked(),
                group: Some(group.get_untracked()).filter(|g| !g.is_empty()),
                horizon: h,
                confidence: context.with_untracked(|c| c.confidence),
            },
            |r| match r {
                AnalysisResult::Retention(r) => Some(r),
                _ => None,
            },
        );
    };
    view! {
        <h3>"Retention measured from data"</h3>
        <p class="hint">
            "One row per user: how long they were followed ("<code>"duration"</code>", any unit), whether they churned ("
            <code>"event"</code>": 1/0; 0 if still there when the data ends) and optionally their variant. Users still there count until they leave the data (censoring), not as retained for ever."
        </p>
        <div class="actions">
            <label class="button secondary file-button">
                "Choose a file…"
                <input type="file" id="retention-file" accept=".csv,.tsv,.txt,text/csv" class="visually-hidden" on:change=on_file/>
            </label>
        </div>
        {move || a.file.get().map(|(name, headers)| view! {
            <p class="status ok" id="retention-source">{format!("“{name}”: {} columns.", headers.len())}</p>
            <div class="actions">
                {column_select("retention-duration", "Duration", duration, headers.clone(), None)}
                {column_select("retention-event", "Churned (event)", event, headers.clone(), None)}
                {column_select("retention-group", "Variant or group", group, headers, Some("none: one group"))}
                <label class="control-field">
                    <span class="field-label">"Horizon for RMST"</span>
                    <input id="retention-horizon" type="text" inputmode="decimal" placeholder="common follow-up"
                        prop:value=move || horizon.get()
                        on:change=move |ev| horizon.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="button" id="retention-run" on:click=run
                    aria-disabled=move || a.running.get().then_some("true")>"Measure retention"</button>
            </div>
        })}
        {status_line(a, "retention")}
        {move || {
            context.track();
            a.result.get().map(|(r, run)| view! {
                <RetentionResults report=r.clone() rows=run.rows ms=run.millis source=run.source.clone()/>
                <RetentionOffer report=r source=run.source/>
            })
        }}
    }
}

#[component]
fn RetentionResults(
    report: RetentionReport,
    rows: usize,
    ms: f64,
    source: String,
) -> impl IntoView {
    let verdict = match (&report.log_rank, report.groups.first(), report.groups.get(1)) {
        (Some(lr), Some(a), Some(b)) => format!(
            "{} vs {}: {} (log-rank χ² = {}, {}). Up to {}, users of {} stay {} longer on average (RMST difference).",
            b.name,
            a.name,
            if lr.p_value < 0.05 { "retention differs" } else { "no clear difference in retention" },
            format::number(lr.statistic, 2),
            format::p_is(lr.p_value),
            format::number(report.horizon, 1),
            b.name,
            format::number(report.rmst_difference.unwrap_or(0.0), 2),
        ),
        _ => "One group: its curve, median and RMST below. Add a variant column to compare.".into(),
    };
    let table_rows = report
        .groups
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row">{g.name.clone()}</th>
                    <td class="num">{format::count(g.users)}</td>
                    <td class="num">{format::count(g.events)}</td>
                    <td class="num">{g.median.map_or("not reached".to_string(), |m| format::number(m, 1))}</td>
                    <td class="num">{format::number(g.rmst, 2)}</td>
                </tr>
            }
        })
        .collect_view();
    let svg = km_svg(&report, chart_width("time"));
    let words = km_summary(&report);
    view! {
        <p class="verdict" id="retention-verdict">{verdict}</p>
        <p class="status ok" role="status" id="retention-summary">
            {format!("{} users of “{source}” analysed in {} s.", format::count(rows as u64), format::number(ms / 1000.0, 2))}
        </p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Retention by group">
            <table class="data-table" id="retention-table">
                <caption>{format!("Retention by group; RMST up to {}", format::number(report.horizon, 1))}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col" class="num">"Users"</th>
                        <th scope="col" class="num">"Churned"</th>
                        <th scope="col" class="num">"Median time"</th>
                        <th scope="col" class="num">"RMST"</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="retention-table" name="retention table"/>
        {svg.map(|svg| view! { <crate::charts::DrawnChart id="retention-chart" name="retention chart" svg=svg summary=words.clone()/> })}
        <p class="method-note">
            "Kaplan–Meier estimate with exponential-Greenwood intervals, the log-rank test and the restricted mean survival time (RMST: the average time retained up to the horizon), as lifelines computes them."
        </p>
    }
}

/// Two groups' yearly retention, offered to the investment case.
#[component]
fn RetentionOffer(report: RetentionReport, source: String) -> impl IntoView {
    use crate::tools::tool_choices::{offer, year_in, RetentionOffer};
    let context = use_tools_context();
    let names: Vec<String> = report.groups.iter().map(|g| g.name.clone()).collect();
    if names.len() < 2 {
        return None;
    }
    let unit = RwSignal::new("days".to_string());
    let control = RwSignal::new(names.first().cloned().unwrap_or_default());
    let variant = RwSignal::new(names.get(1).cloned().unwrap_or_default());
    let sent = RwSignal::new(None::<String>);
    let at = report.horizon;
    let groups = report.groups.clone();
    let send = move |_| {
        let year = year_in(&unit.get_untracked());
        let rate = |name: String| {
            groups
                .iter()
                .find(|g| g.name == name)
                .and_then(|g| g.at_horizon.yearly(year))
                // Kept to a hundredth of a percent, as the investment
                // case's fields show it (far inside the standard error).
                .map(|mut y| {
                    y.rate = (y.rate * 1e4).round() / 1e4;
                    y
                })
        };
        let (c, v) = (control.get_untracked(), variant.get_untracked());
        let (Some(control_rate), Some(variant_rate)) = (rate(c.clone()), rate(v.clone())) else {
            sent.set(Some("Choose two groups and a horizon above 0.".into()));
            return;
        };
        if c == v {
            sent.set(Some("Choose two different groups.".into()));
            return;
        }
        let message = format!(
            "Sent: the investment case now uses {} ({c}) and {} ({v}) kept per year.",
            format::percent(control_rate.rate, 1),
            format::percent(variant_rate.rate, 1)
        );
        offer(context, |choices| {
            choices.retention = Some(RetentionOffer {
                source: source.clone(),
                control: c,
                variant: v,
                unit: unit.get_untracked(),
                at,
                control_rate,
                variant_rate,
                pending: true,
            });
        });
        sent.set(Some(message));
    };
    let units = ["days", "weeks", "months", "years"]
        .map(String::from)
        .to_vec();
    Some(view! {
        <h4>"Retention in the investment case"</h4>
        <p class="hint">
            {format!(
                "The investment case's retention benefit can take each group's yearly retention from these curves instead of typed assumptions: the share still there after a year, read at the horizon ({}) and, if that is not a year, carried to a year at the churn rate seen until then; its uncertainty goes into the chance of ROI > 0.",
                format::number(at, 1)
            )}
        </p>
        <div class="actions">
            {column_select("retention-unit", "Durations are in", unit, units, None)}
            {column_select("retention-control-group", "Without personalization", control, names.clone(), None)}
            {column_select("retention-variant-group", "With personalization", variant, names, None)}
            <button type="button" class="button" id="retention-use" on:click=send>"Use in the investment case"</button>
        </div>
        {move || sent.get().map(|m| view! { <p class="status ok" role="status" id="retention-sent">{m}</p> })}
    })
}

#[component]
fn CohortSection() -> impl IntoView {
    let context = use_tools_context();
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let duration = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let variant = RwSignal::new(String::new());
    let a = Analysis::<CohortReport>::new("cohorts").keep(vec![
        ("start", start, true),
        ("end", end, true),
        ("until", until, false),
        ("duration", duration, true),
        ("event", event, true),
        ("variant", variant, true),
    ]);
    let on_file = move |ev| {
        a.choose(ev, move |h| {
            let g = uplift_engine::ingest::cohort_columns(h);
            start.set(g.start);
            end.set(g.end.unwrap_or_default());
            duration.set(g.duration.unwrap_or_default());
            event.set(g.event.unwrap_or_default());
            variant.set(g.variant.unwrap_or_default());
        });
    };
    let run = move |_| {
        if a.running.get_untracked() {
            return;
        }
        let some = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let observed_until = match some(until) {
            Some(text) => match uplift_engine::value::transactions::parse_date(text.trim()) {
                Some(day) => Some(day),
                None => {
                    a.error.set(Some(format!(
                        "“{text}” is not a date; write it as YYYY-MM-DD."
                    )));
                    return;
                }
            },
            None => None,
        };
        let columns = CohortColumns {
            start: start.get_untracked(),
            end: some(end),
            observed_until,
            duration: some(duration),
            event: some(event),
            variant: some(variant),
            latest: Some(worker_job::latest_day()),
        };
        let last_seen = columns.end.is_some() && columns.observed_until.is_some();
        if !last_seen && (columns.duration.is_none() || columns.event.is_none()) {
            a.error.set(Some("Choose a last-seen date column and the day the data ends, or a duration column and a churn (event) column.".into()));
            return;
        }
        a.run(
            AnalysisRequest::Cohorts {
                columns,
                weeks: Some(26),
            },
            |r| match r {
                AnalysisResult::Cohorts(r) => Some(*r),
                _ => None,
            },
        );
    };
    view! {
        <h3>"Cohorts by signup week"</h3>
        <p class="hint">
            "One row per user: the signup date, and either the date last seen with the day the data ends, or the days followed with whether they churned; optionally the variant. Each signup week's share still active, week by week."
        </p>
        <div class="actions">
            <label class="button secondary file-button">
                "Choose a file…"
                <input type="file" id="cohort-file" accept=".csv,.tsv,.txt,text/csv" class="visually-hidden" on:change=on_file/>
            </label>
        </div>
        {move || a.file.get().map(|(name, headers)| view! {
            <p class="status ok" id="cohort-source">{format!("“{name}”: {} columns.", headers.len())}</p>
            <div class="actions">
                {column_select("cohort-start", "Signup date", start, headers.clone(), None)}
                {column_select("cohort-end", "Last seen", end, headers.clone(), Some("none"))}
                <label class="control-field">
                    <span class="field-label">"Data ends on"</span>
                    <input id="cohort-until" type="text" placeholder="YYYY-MM-DD" prop:value=move || until.get()
                        on:change=move |ev| until.set(event_target_value(&ev))/>
                </label>
                {column_select("cohort-duration", "Days followed", duration, headers.clone(), Some("none"))}
                {column_select("cohort-event", "Churned (event)", event, headers.clone(), Some("none"))}
                {column_select("cohort-variant", "Variant", variant, headers, Some("none: one group"))}
                <button type="button" class="button" id="cohort-run" on:click=run
                    aria-disabled=move || a.running.get().then_some("true")>"Show the cohorts"</button>
            </div>
        })}
        {status_line(a, "cohort")}
        {move || {
            context.track();
            a.result.get().map(|(r, _)| view! { <CohortResults report=r/> })
        }}
    }
}

/// `[prefix0, prefix1, …]` as `&'static str`s.
macro_rules! numbered {
    ($prefix:literal; $($n:literal)*) => { [$(concat!($prefix, $n)),*] };
}

/// Every drawn variant's table and chart has its own id, so each CSV
/// button exports its own table; beyond these, variants are not drawn.
const COHORT_TABLES: [&str; 20] =
    numbered!("cohort-table-"; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19);
const COHORT_CHARTS: [&str; 20] =
    numbered!("cohort-chart-"; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19);

/// What a file's placeholder dates became, when it had any.
pub(crate) fn placeholder_note(rows: u64) -> Option<String> {
    (rows > 0).then(|| {
        format!(
            "{} row(s) with a placeholder date (before 1900 or after 2100, such as 9999-12-31) or a date after today were left out.",
            format::count(rows)
        )
    })
}

#[component]
fn CohortResults(report: CohortReport) -> impl IntoView {
    let weeks = report.weeks;
    let width = chart_width("time");
    let not_drawn = report.variants.len().saturating_sub(COHORT_TABLES.len());
    let per_variant = report
        .variants
        .iter()
        .zip(COHORT_TABLES.iter().zip(COHORT_CHARTS))
        .map(|(v, (&table_id, chart_id))| {
            let rows = v
                .cohorts
                .iter()
                .map(|c| {
                    let cells = (0..weeks)
                        .map(|w| {
                            let share = c.active.get(w).copied().flatten();
                            view! { <td class="num">{share.map_or("–".to_string(), |s| format::percent(s, 0))}</td> }
                        })
                        .collect_view();
                    view! {
                        <tr>
                            <th scope="row">{c.week_start.clone()}</th>
                            <td class="num">{format::count(c.users)}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view();
            let heads = (0..weeks)
                .map(|w| view! { <th scope="col" class="num">{format!("Week {w}")}</th> })
                .collect_view();
            let svg = cohort_svg(v, weeks, width);
            let words = cohort_summary(v);
            view! {
                <h4>{v.variant.clone()}</h4>
                {svg.map(|svg| view! { <crate::charts::DrawnChart id=chart_id name="cohort chart" svg=svg summary=words.clone()/> })}
                <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Cohorts of {}", v.variant)>
                    <table class="data-table" id=table_id>
                        <caption>{format!("Share still active by weeks since signup: {}", v.variant)}</caption>
                        <thead><tr><th scope="col">"Signup week"</th><th scope="col" class="num">"Users"</th>{heads}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <crate::charts::TableDownload table_id=table_id name="cohort table"/>
            }
        })
        .collect_view();
    view! {
        <p class="status ok" role="status" id="cohort-summary">
            {format!(
                "{} variant(s), {} weeks since signup. A dash marks a week the data cannot tell yet: the cohort is too young, and those users are not counted as gone.",
                report.variants.len(),
                weeks
            )}
            {placeholder_note(report.placeholder_dates).map(|t| format!(" {t}"))}
            {(not_drawn > 0).then(|| format!(
                " The first {} variants are drawn; {not_drawn} more are in the command line's output (uplift-roi cohorts).",
                COHORT_TABLES.len()
            ))}
        </p>
        {per_variant}
    }
}

#[component]
fn DidSection() -> impl IntoView {
    let context = use_tools_context();
    let outcome = RwSignal::new(String::new());
    let treated = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let post = RwSignal::new(String::new());
    let launch = RwSignal::new(String::new());
    let a = Analysis::<DidReport>::new("did").keep(vec![
        ("outcome", outcome, true),
        ("treated", treated, true),
        ("unit", unit, true),
        ("period", period, true),
        ("post", post, true),
        ("launch", launch, false),
    ]);
    let on_file = move |ev| {
        a.choose(ev, move |h| {
            let g = uplift_engine::ingest::panel_columns(h);
            outcome.set(g.outcome);
            treated.set(g.treated);
            unit.set(g.unit.unwrap_or_default());
            period.set(g.period.unwrap_or_default());
            post.set(g.post.unwrap_or_default());
        });
    };
    let run = move |_| {
        if a.running.get_untracked() {
            return;
        }
        let some = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let columns = PanelColumns {
            outcome: outcome.get_untracked(),
            treated: treated.get_untracked(),
            unit: some(unit),
            period: some(period),
            post: some(post),
            launch: some(launch),
        };
        if columns.post.is_none() && (columns.period.is_none() || columns.launch.is_none()) {
            a.error.set(Some("Say which rows are after the launch: choose a column that is 1 after it, or a period column and the first period after the launch.".into()));
            return;
        }
        let event_study = columns.period.is_some();
        a.run(
            AnalysisRequest::Did {
                columns,
                event_study,
                confidence: context.with_untracked(|c| c.confidence),
            },
            |r| match r {
                AnalysisResult::Did(r) => Some(*r),
                _ => None,
            },
        );
    };
    view! {
        <h3>"A launch without a control group"</h3>
        <p class="hint">
            "One row per unit (store, region, account) and period, before and after personalization was switched on in some units: the outcome, whether the unit is in the treated group, and the period. The effect is the treated units' change across the launch less the untreated units' change (difference in differences)."
        </p>
        <div class="actions">
            <label class="button secondary file-button">
                "Choose a file…"
                <input type="file" id="did-file" accept=".csv,.tsv,.txt,text/csv" class="visually-hidden" on:change=on_file/>
            </label>
        </div>
        {move || a.file.get().map(|(name, headers)| view! {
            <p class="status ok" id="did-source">{format!("“{name}”: {} columns.", headers.len())}</p>
            <div class="actions">
                {column_select("did-outcome", "Outcome", outcome, headers.clone(), None)}
                {column_select("did-treated", "Treated group", treated, headers.clone(), None)}
                {column_select("did-unit", "Unit (clusters)", unit, headers.clone(), Some("none: rows independent"))}
                {column_select("did-period", "Period", period, headers.clone(), Some("none"))}
                {column_select("did-post", "After the launch (1/0)", post, headers, Some("none: use the launch period"))}
                <label class="control-field">
                    <span class="field-label">"First period after the launch"</span>
                    <input id="did-launch" type="text" prop:value=move || launch.get()
                        on:change=move |ev| launch.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="button" id="did-run" on:click=run
                    aria-disabled=move || a.running.get().then_some("true")>"Estimate the effect"</button>
            </div>
        })}
        {status_line(a, "did")}
        {move || {
            context.track();
            a.result.get().map(|(r, run)| {
                let outcome = match run.request {
                    AnalysisRequest::Did { columns, .. } => columns.outcome,
                    _ => String::new(),
                };
                view! {
                    <DidResults report=r.clone()/>
                    <DidOffer report=r source=run.source outcome/>
                }
            })
        }}
    }
}

#[component]
fn DidResults(report: DidReport) -> impl IntoView {
    let r = &report;
    let relative = r.relative_effect.map_or(String::new(), |x| {
        format!(
            " ({} of what the treated units would have had)",
            format::signed_percent(x, 1)
        )
    });
    let verdict = format!(
        "The launch changed the outcome by {}{} per treated unit and period.",
        format::number(r.effect, 2),
        relative,
    );
    let detail = format!(
        "{} interval {} to {}, {}. Quasi-experimental: this holds only if both groups would have moved alike without the launch.",
        format::percent(r.confidence, 0),
        format::number(r.ci_lower, 2),
        format::number(r.ci_upper, 2),
        format::p_is(r.p_value),
    );
    let m = &r.means;
    let cell = |c: &uplift_engine::did::CellMean| {
        format!(
            "{} ({} rows)",
            format::number(c.mean, 2),
            format::count(c.rows as u64)
        )
    };
    let warnings = r
        .warnings
        .iter()
        .map(|w| view! { <li>{w.clone()}</li> })
        .collect_view();
    let study = r.event_study.clone();
    let pre = study.as_ref().and_then(|s| s.pre_trend.clone()).map(|p| {
        format!(
            "Pre-trend check: F = {}, {} ({}).",
            format::number(p.f_statistic, 2),
            format::p_is(p.p_value),
            if p.p_value < 0.05 {
                "the groups already drifted apart before the launch"
            } else {
                "no sign that they drifted apart before the launch"
            }
        )
    });
    let chart = study.map(|s| {
        let words = event_study_summary(&s);
        event_study_svg(&s, chart_width("time")).map(|svg| view! {
            <crate::charts::DrawnChart id="did-chart" name="event study chart" svg=svg summary=words/>
        })
    });
    view! {
        <p class="verdict" id="did-verdict">{verdict}</p>
        <p id="did-detail">{detail}</p>
        {(!r.warnings.is_empty()).then(|| view! { <ul class="status warn" id="did-warnings">{warnings}</ul> })}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Means before and after the launch">
            <table class="data-table" id="did-table">
                <caption>"Mean outcome before and after the launch"</caption>
                <thead>
                    <tr><th scope="col">"Group"</th><th scope="col" class="num">"Before"</th><th scope="col" class="num">"After"</th><th scope="col" class="num">"Change"</th></tr>
                </thead>
                <tbody>
                    <tr><th scope="row">"Treated"</th><td class="num">{cell(&m.treated_before)}</td><td class="num">{cell(&m.treated_after)}</td>
                        <td class="num">{format::number(m.treated_after.mean - m.treated_before.mean, 2)}</td></tr>
                    <tr><th scope="row">"Untreated"</th><td class="num">{cell(&m.control_before)}</td><td class="num">{cell(&m.control_after)}</td>
                        <td class="num">{format::number(m.control_after.mean - m.control_before.mean, 2)}</td></tr>
                </tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="did-table" name="means table"/>
        {pre.map(|p| view! { <p id="did-pretrend">{p}</p> })}
        {chart}
        <p class="method-note" id="did-method">
            {format!(
                "OLS of the outcome on treated, after and their product; {} standard errors, {} rows{}. Checked against statsmodels.",
                r.standard_errors,
                format::count(r.observations as u64),
                r.clusters.map_or(String::new(), |g| format!(", {} clusters", format::count(g as u64))),
            )}
        </p>
    }
}

/// The launch's effect, offered to the investment case as its uplift.
#[component]
fn DidOffer(report: DidReport, source: String, outcome: String) -> impl IntoView {
    let context = use_tools_context();
    let sent = RwSignal::new(false);
    let mean = report.counterfactual_mean;
    let relative = report.relative_effect.filter(|_| mean != 0.0)?;
    let std_error = report.std_error / mean.abs();
    let warning = report.warnings.first().cloned();
    let send = move |_| {
        crate::tools::tool_choices::offer(context, |choices| {
            choices.did = Some(crate::tools::tool_choices::DidOffer {
                source: source.clone(),
                outcome: outcome.clone(),
                relative,
                std_error,
                warning: warning.clone(),
                pending: true,
            });
        });
        sent.set(true);
    };
    Some(view! {
        <h4>"The launch in the investment case"</h4>
        <p class="hint">
            {format!(
                "The investment case can rest on this estimate instead of an A/B test: a relative uplift of {} ± {} (the effect over what the treated units would have had), marked there as quasi-experimental.",
                format::signed_percent(relative, 1),
                format::percent(std_error, 1)
            )}
        </p>
        <div class="actions">
            <button type="button" class="button" id="did-use" on:click=send>"Use as the uplift in the investment case"</button>
        </div>
        {move || sent.get().then(|| view! {
            <p class="status ok" role="status" id="did-sent">"Sent: the investment case now rests on this launch's effect."</p>
        })}
    })
}

//! The views one load allows beyond the experiment's own, as sections of
//! the results: the lift over time, retention and cohorts of the rows in
//! step 1. Which there are is told from the columns' roles
//! (`uplift_engine::data_views`), each runs in the background worker on the
//! same rows as soon as they change (progress and Cancel while it runs),
//! and the page hears which views there are, for its index.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::cohorts::CohortReport;
use uplift_engine::data_views::{offered_views, DataView, ViewOffer, ViewSettings};
use uplift_engine::ingest::{guess_columns, parse_experiment_with, ColumnMapping, DataShape};
use uplift_engine::survival::RetentionReport;
use uplift_engine::timeline::TimelineReport;
use uplift_engine::{analyze_experiment, Scenario};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

use uplift_engine::segments::{segment_report, SegmentReport};

use crate::analyses::segment_view::{segment_table, SegmentIds, METRICS_SEGMENTS};
use crate::data::data_events::DataEvent;
use crate::data::file_reader::{large_file_of, tell_page};
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::AnalysisResult;
use crate::tools::worker_job::{self, blob_of};

use crate::tools::time::{
    status_line, Analysis, ChartsIn, CohortResults, RetentionResults, TimelineResults,
};

/// How pasted rows are named in the views' summaries.
const PASTED: &str = "the data in step 1";

/// Where the views' rows are: pasted or a small file's text, or the large
/// file the page holds the sums of (`file_reader::large_file_of`).
struct Rows {
    /// Its name in the views' summaries.
    name: String,
    /// Its first 64 KiB, cut at a line: what the roles are told from.
    sample: String,
    columns: ColumnMapping,
    blob: Option<Blob>,
    /// The rows themselves when the page holds them (not a large file's).
    text: Option<String>,
}

/// The rows of `request`: the scenario with its data as sums, the column
/// roles and the rows, a line each (`AppState::rows`). A large file's
/// rows are its own; the page has only its sums.
async fn rows_of(request: &str) -> Option<(Scenario, Rows)> {
    let mut parts = request.splitn(3, '\n');
    let (json, columns, data) = (parts.next()?, parts.next()?, parts.next()?);
    let scenario = Scenario::from_json(json).ok()?;
    let rows = match large_file_of(data) {
        Some(large) => {
            let head = large.file.slice_with_f64_and_f64(0.0, 64.0 * 1024.0).ok()?;
            let text = JsFuture::from(head.text()).await.ok()?.as_string()?;
            Rows {
                name: large.file.name(),
                sample: sample_of(&text).to_string(),
                columns: large.columns,
                blob: Some(large.file.into()),
                text: None,
            }
        }
        None => Rows {
            name: PASTED.to_string(),
            sample: sample_of(data).to_string(),
            columns: serde_json::from_str(columns).unwrap_or_default(),
            blob: blob_of(data),
            text: Some(data.to_string()),
        },
    };
    Some((scenario, rows))
}

/// The rows' first 64 KiB, cut at a line.
fn sample_of(rows: &str) -> &str {
    let mut end = rows.len().min(64 * 1024);
    while !rows.is_char_boundary(end) {
        end -= 1;
    }
    let head = rows.get(..end).unwrap_or(rows);
    match head.rfind('\n') {
        Some(i) if end < rows.len() => head.get(..=i).unwrap_or(head),
        _ => head,
    }
}

/// The views the rows allow, each with its analysis. Only rows of one
/// user each allow views; the verdict's control, arm, metric and
/// confidence (from the scenario) are theirs.
fn offers_of(scenario: &Scenario, rows: &Rows) -> Vec<ViewOffer> {
    let per_user = parse_experiment_with(&rows.sample, &rows.columns)
        .is_ok_and(|e| e.shape == DataShape::RowLevel);
    let report = scenario
        .experiment()
        .ok()
        .and_then(|e| analyze_experiment(scenario, &e).ok());
    let (true, Some(report)) = (per_user, report) else {
        return Vec::new();
    };
    let settings = ViewSettings {
        confidence: report.confidence,
        control: Some(report.control),
        arm: Some(report.treatment),
        primary: report.primary,
        latest: Some(worker_job::latest_day()),
    };
    let mut offers = offered_views(
        &guess_columns(&rows.sample),
        &rows.sample,
        &rows.columns,
        &settings,
    );
    // A large file's segments are read one column at a time, in Metrics.
    if rows.text.is_none() {
        offers.retain(|o| o.view != DataView::Segments);
    }
    offers
}

/// The uplift within each value of each of `columns`, on the page's rows.
fn segments_of(
    scenario: &Scenario,
    rows: &Rows,
    columns: &[String],
) -> Vec<(String, Result<SegmentReport, String>)> {
    let Some(text) = &rows.text else {
        return Vec::new();
    };
    let mut per_user = scenario.clone();
    per_user.data = text.clone();
    per_user.columns = rows.columns.clone();
    columns
        .iter()
        .take(SEGMENT_IDS.len())
        .map(|c| {
            let report = segment_report(&per_user, c).map_err(|e| e.to_string());
            (c.clone(), report)
        })
        .collect()
}

/// `[prefix0, prefix1, …]` as `&'static str`s.
macro_rules! numbered {
    ($prefix:literal, $suffix:literal; $($n:literal)*) => { [$(concat!($prefix, $n, $suffix)),*] };
}

/// The ids of each segment column's table, note and chart: at most six
/// columns are drawn, with a note for the rest.
const SEGMENT_IDS: [SegmentIds; 6] = {
    const TABLES: [&str; 6] = numbered!("segments-", "-table"; 0 1 2 3 4 5);
    const NOTES: [&str; 6] = numbered!("segments-", "-note"; 0 1 2 3 4 5);
    const POST: [&str; 6] = numbered!("segments-", "-poststrat"; 0 1 2 3 4 5);
    const CHARTS: [&str; 6] = numbered!("segments-", "-chart"; 0 1 2 3 4 5);
    let mut ids = [METRICS_SEGMENTS; 6];
    let mut i = 0;
    while i < 6 {
        ids[i] = SegmentIds {
            table: TABLES[i],
            note: NOTES[i],
            poststrat: POST[i],
            chart: CHARTS[i],
        };
        i += 1;
    }
    ids
};

/// A link that opens on one of these views (`#over-time`, or
/// `…&view=over-time`) is brought to it once it is drawn, the first time
/// it is offered: the page's own views are there before these.
fn open_linked(ids: &[&str]) {
    thread_local! {
        static OPENED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let linked = hash
        .trim_start_matches('#')
        .split('&')
        .map(|part| part.strip_prefix("view=").unwrap_or(part))
        .find(|name| ids.contains(name))
        .map(str::to_string);
    let Some(id) = linked else { return };
    if OPENED.with(|o| o.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async move {
        crate::platform::embed::after_paint().await;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
        {
            el.scroll_into_view();
        }
    });
}

/// Run `offer`'s analysis on `blob` in its view's analysis.
fn run_view(
    offer: ViewOffer,
    name: &str,
    blob: &Blob,
    timeline: Analysis<TimelineReport>,
    retention: Analysis<RetentionReport>,
    cohorts: Analysis<CohortReport>,
) {
    let Some(request) = offer.request else {
        return;
    };
    match offer.view {
        DataView::Segments => {}
        DataView::OverTime => timeline.run_on(name, blob, request, |r| match r {
            AnalysisResult::Timeline(r) => Some(*r),
            _ => None,
        }),
        DataView::Retention => retention.run_on(name, blob, request, |r| match r {
            AnalysisResult::Retention(r) => Some(r),
            _ => None,
        }),
        DataView::Cohorts => cohorts.run_on(name, blob, request, |r| match r {
            AnalysisResult::Cohorts(r) => Some(*r),
            _ => None,
        }),
    }
}

#[component]
pub fn DataViewsPanel(request: RwSignal<String>) -> impl IntoView {
    provide_context(ChartsIn("results"));
    let offers = RwSignal::new(Vec::<ViewOffer>::new());
    let timeline = Analysis::<TimelineReport>::new("view-timeline");
    let retention = Analysis::<RetentionReport>::new("view-retention");
    let cohorts = Analysis::<CohortReport>::new("view-cohorts");
    let segments = RwSignal::new(Vec::<(String, Result<SegmentReport, String>)>::new());
    let context = use_tools_context();
    // New rows or roles: every view runs again on them, and the page's
    // index lists the views there are.
    // The rows and views last run: an edit elsewhere (a cost, the
    // method) reaches the panel too, and must not run the views again.
    let ran = StoredValue::new((String::new(), Vec::<ViewOffer>::new()));
    Effect::new(move || {
        let text = request.get();
        spawn_local(async move {
            let found = rows_of(&text).await;
            // Newer rows came while a large file's head was read.
            if request.with_untracked(|r| *r != text) {
                return;
            }
            let (now, rows) = match found {
                Some((scenario, rows)) => {
                    let now = offers_of(&scenario, &rows);
                    let split = now.iter().find(|o| o.view == DataView::Segments);
                    segments.set(
                        split.map_or_else(Vec::new, |o| segments_of(&scenario, &rows, &o.columns)),
                    );
                    (now, Some(rows))
                }
                None => (Vec::new(), None),
            };
            let data = text.splitn(3, '\n').nth(2).unwrap_or_default();
            if ran.with_value(|(d, o)| d == data && *o == now) {
                return;
            }
            ran.set_value((data.to_string(), now.clone()));
            for job in [timeline.job, retention.job, cohorts.job] {
                worker_job::stop(job);
            }
            let ids: Vec<&str> = now.iter().map(|o| o.view.id()).collect();
            tell_page(&DataEvent::Views(ids.join(",")));
            open_linked(&ids);
            offers.set(now.clone());
            let Some(Rows {
                name,
                blob: Some(blob),
                ..
            }) = rows
            else {
                return;
            };
            for offer in now {
                run_view(offer, &name, &blob, timeline, retention, cohorts);
            }
        });
    });
    view! {
        <For each=move || offers.get() key=|o| (o.view.id(), o.reason.clone()) let:offer>
            {
                let id = offer.view.id();
                let title = format!("{id}-title");
                let labelled_by = title.clone();
                let more = offer.columns.len().saturating_sub(SEGMENT_IDS.len());
                let results = match offer.view {
                    DataView::Segments => view! {
                        {move || {
                            let confidence = context.with(|c| c.confidence);
                            segments
                                .get()
                                .into_iter()
                                .zip(SEGMENT_IDS)
                                .map(|((column, report), ids)| view! {
                                    <h3>{format!("By {column}")}</h3>
                                    {match report {
                                        Ok(r) => segment_table(&r, confidence, ids).into_any(),
                                        Err(e) => view! { <p class="status error">{e}</p> }.into_any(),
                                    }}
                                })
                                .collect_view()
                        }}
                        {(more > 0).then(|| view! {
                            <p id="segments-more">{format!(
                                "{more} more segment column(s) are not drawn here: choose one in Metrics."
                            )}</p>
                        })}
                    }
                    .into_any(),
                    DataView::OverTime => (move || {
                        timeline.result.get().map(|(r, run)| view! { <TimelineResults report=r run/> })
                    })
                    .into_any(),
                    DataView::Retention => (move || {
                        retention.result.get().map(|(r, run)| view! {
                            <RetentionResults report=r rows=run.rows ms=run.millis source=run.source/>
                        })
                    })
                    .into_any(),
                    DataView::Cohorts => (move || {
                        cohorts.result.get().map(|(r, _)| view! { <CohortResults report=r/> })
                    })
                    .into_any(),
                };
                let status = match offer.view {
                    DataView::Segments => ().into_any(),
                    DataView::OverTime => status_line(timeline, "over-time-view").into_any(),
                    DataView::Retention => status_line(retention, "retention-view").into_any(),
                    DataView::Cohorts => status_line(cohorts, "cohorts-view").into_any(),
                };
                view! {
                    <section class="result-view data-view" id=id aria-labelledby=labelled_by tabindex="-1">
                        <h2 id=title>{offer.view.label()}</h2>
                        <p class="hint" id=format!("{id}-reason")>
                            {offer.reason.clone()}
                            " From the rows loaded in step 1: no second upload. For a file of another shape, use the tools below."
                        </p>
                        {status}
                        {results}
                    </section>
                }
            }
        </For>
    }
}

#[cfg(test)]
mod tests {
    use super::sample_of;

    #[test]
    fn the_sample_ends_at_a_line() {
        let rows = format!("variant,day\n{}", "control,2024-01-01\n".repeat(10_000));
        let s = sample_of(&rows);
        assert!(s.len() <= 64 * 1024 && s.len() > 60 * 1024, "{}", s.len());
        assert!(s.ends_with("2024-01-01\n"));
        assert_eq!(sample_of("a,b\n1,2"), "a,b\n1,2");
    }
}

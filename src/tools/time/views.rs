//! The views one load allows beyond the experiment's own, as sections of
//! the results: the lift over time, retention and cohorts of the rows in
//! step 1. Which there are is told from the columns' roles
//! (`uplift_engine::data_views`), each runs in the background worker on the
//! same rows as soon as they change (progress and Cancel while it runs),
//! and the page hears which views there are, for its index.

use leptos::prelude::*;
use uplift_engine::cohorts::CohortReport;
use uplift_engine::data_views::{offered_views, DataView, ViewOffer, ViewSettings};
use uplift_engine::ingest::{guess_columns, parse_experiment_with, ColumnMapping, DataShape};
use uplift_engine::survival::RetentionReport;
use uplift_engine::timeline::TimelineReport;
use uplift_engine::{analyze_experiment, Scenario};

use crate::data::data_events::DataEvent;
use crate::data::file_reader::tell_page;
use crate::tools::analysis_protocol::AnalysisResult;
use crate::tools::worker_job::{self, blob_of};

use super::cohorts::CohortResults;
use super::retention::RetentionResults;
use super::timeline::TimelineResults;
use super::{status_line, Analysis, ChartsIn};

/// How the rows are named in the views' summaries.
const SOURCE: &str = "the data in step 1";

/// The rows the roles are guessed from: the first 64 KiB, cut at a line.
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

/// The views of `request`: the scenario with its data as sums, the column
/// roles and the rows, a line each (`AppState::rows`). Only rows of one
/// user each allow views; the verdict's control, arm, metric and
/// confidence are theirs.
fn offers_of(request: &str) -> Vec<ViewOffer> {
    let mut parts = request.splitn(3, '\n');
    let (Some(json), Some(columns), Some(rows)) = (parts.next(), parts.next(), parts.next()) else {
        return Vec::new();
    };
    let columns: ColumnMapping = serde_json::from_str(columns).unwrap_or_default();
    let sample = sample_of(rows);
    // The scenario carries its data as sums; whether the rows are one user
    // each is told from the rows themselves.
    let per_user =
        parse_experiment_with(sample, &columns).is_ok_and(|e| e.shape == DataShape::RowLevel);
    let report = Scenario::from_json(json)
        .ok()
        .and_then(|s| analyze_experiment(&s, &s.experiment().ok()?).ok());
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
    offered_views(&guess_columns(sample), sample, &columns, &settings)
}

/// The rows of `request` (its third line on).
fn rows_of(request: &str) -> &str {
    request.splitn(3, '\n').nth(2).unwrap_or("")
}

#[component]
pub fn DataViewsPanel(request: RwSignal<String>) -> impl IntoView {
    provide_context(ChartsIn("results"));
    let offers = Memo::new(move |_| request.with(|r| offers_of(r)));
    let timeline = Analysis::<TimelineReport>::new("view-timeline");
    let retention = Analysis::<RetentionReport>::new("view-retention");
    let cohorts = Analysis::<CohortReport>::new("view-cohorts");
    // New rows or roles: every view runs again on them, and the page's
    // index lists the views there are.
    Effect::new(move || {
        let offers = offers.get();
        let ids: Vec<&str> = offers.iter().map(|o| o.view.id()).collect();
        tell_page(&DataEvent::Views(ids.join(",")));
        let blob = request.with_untracked(|r| {
            let rows = rows_of(r);
            (!offers.is_empty()).then(|| blob_of(rows)).flatten()
        });
        for a in [timeline.job, retention.job, cohorts.job] {
            worker_job::stop(a);
        }
        let Some(blob) = blob else { return };
        for offer in offers {
            let request = offer.request;
            match offer.view {
                DataView::OverTime => timeline.run_on(SOURCE, &blob, request, |r| match r {
                    AnalysisResult::Timeline(r) => Some(*r),
                    _ => None,
                }),
                DataView::Retention => retention.run_on(SOURCE, &blob, request, |r| match r {
                    AnalysisResult::Retention(r) => Some(r),
                    _ => None,
                }),
                DataView::Cohorts => cohorts.run_on(SOURCE, &blob, request, |r| match r {
                    AnalysisResult::Cohorts(r) => Some(*r),
                    _ => None,
                }),
            }
        }
    });
    view! {
        <For each=move || offers.get() key=|o| (o.view.id(), o.reason.clone()) let:offer>
            {
                let id = offer.view.id();
                let title = format!("{id}-title");
                let labelled_by = title.clone();
                let results = match offer.view {
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
                    DataView::OverTime => status_line(timeline, "over-time-view").into_any(),
                    DataView::Retention => status_line(retention, "retention-view").into_any(),
                    DataView::Cohorts => status_line(cohorts, "cohorts-view").into_any(),
                };
                view! {
                    <section class="result-view data-view" id=id aria-labelledby=labelled_by tabindex="-1">
                        <h2 id=title>{offer.view.label()}</h2>
                        <p class="hint" id=format!("{id}-reason")>
                            {offer.reason.clone()}
                            " From the rows in step 1: no second upload. For a file of another shape, use the tools below."
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

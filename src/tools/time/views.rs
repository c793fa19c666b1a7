//! The views one load allows beyond the experiment's own, as sections of
//! the results: the lift over time, retention and cohorts of the rows in
//! step 1. Which there are is told from the columns' roles
//! (`uplift_engine::data_views`), each runs in the background worker on the
//! same rows as soon as they change (progress and Cancel while it runs),
//! and the page hears which views there are, for its index.

use leptos::prelude::*;
use uplift_engine::cohorts::CohortReport;
use uplift_engine::data_views::{offered_views, DataView, ViewOffer};
use uplift_engine::ingest::guess_columns;
use uplift_engine::survival::RetentionReport;
use uplift_engine::timeline::TimelineReport;

use crate::data::data_events::{DataEvent, ViewsRequest};
use crate::data::file_reader::tell_page;
use crate::tools::analysis_protocol::AnalysisResult;
use crate::tools::worker_job::{self, blob_of};

use super::cohorts::CohortResults;
use super::retention::RetentionResults;
use super::timeline::TimelineResults;
use super::{status_line, Analysis};

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

/// The views of `request` (its line, then the rows), each with its
/// analysis; none for an empty request (sums, or no rows).
fn offers_of(request: &str) -> Vec<ViewOffer> {
    let Some((r, rows)) = ViewsRequest::split(request) else {
        return Vec::new();
    };
    let sample = sample_of(rows);
    let mut settings = r.settings;
    settings.latest = Some(worker_job::latest_day());
    offered_views(&guess_columns(sample), sample, &r.columns, &settings)
}

#[component]
pub fn DataViewsPanel(request: RwSignal<String>) -> impl IntoView {
    let offers = Memo::new(move |_| request.with(|r| offers_of(r)));
    let timeline = Analysis::<TimelineReport>::new("view-timeline");
    let retention = Analysis::<RetentionReport>::new("view-retention");
    let cohorts = Analysis::<CohortReport>::new("view-cohorts");
    // New rows or roles: every view runs again on them, and the page's
    // index lists the views there are.
    Effect::new(move || {
        let offers = offers.get();
        tell_page(&DataEvent::Views(offers.iter().map(|o| o.view).collect()));
        let blob =
            request.with_untracked(|r| ViewsRequest::split(r).and_then(|(_, rows)| blob_of(rows)));
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

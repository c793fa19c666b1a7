//! The uplift within each value of a segment column: its table (uplift,
//! interval, the test against the rest, ROI, split check), the
//! heterogeneity test and the forest plot. Shown by the metrics panel for
//! the segment column chosen there, and by the Segments view for every
//! segment column of the data.

use leptos::prelude::*;
use uplift_engine::segments::SegmentReport;

use crate::platform::format;

/// The ids of one segment table and what goes with it (each CSV and chart
/// button exports its own).
#[derive(Debug, Clone, Copy)]
pub struct SegmentIds {
    pub table: &'static str,
    pub note: &'static str,
    pub poststrat: &'static str,
    pub chart: &'static str,
}

/// The metrics panel's one segment table.
pub const METRICS_SEGMENTS: SegmentIds = SegmentIds {
    table: "segment-table",
    note: "segment-note",
    poststrat: "segment-poststrat",
    chart: "segment-chart",
};

pub fn segment_table(r: &SegmentReport, confidence: f64, ids: SegmentIds) -> impl IntoView {
    let rows = r
        .segments
        .iter()
        .map(|s| {
            let ci = s.ci.map_or("—".to_string(), |ci| {
                format!(
                    "{} to {}",
                    format::signed_percent(ci.low, 1),
                    format::signed_percent(ci.high, 1)
                )
            });
            view! {
                <tr>
                    <th scope="row">{s.segment.clone()}</th>
                    <td class="num">{format!("{} ({})", format::count(s.users), format::percent(s.share, 0))}</td>
                    <td class="num uplift">{format::signed_percent(s.uplift.mean, 1)}</td>
                    <td class="num ci">{ci}</td>
                    <td class="num p">{s.vs_rest_p_adjusted.map_or("—".into(), format::p_value)}</td>
                    <td class="num roi">{s.roi_percent.map_or("—".into(), |p| format::signed_percent(p / 100.0, 0))}</td>
                    <td class="num srm">{s.srm.map_or("—".into(), |srm| {
                        let p = format::p_value(srm.p_value);
                        if srm.mismatch { format!("{p}, mismatch") } else { p }
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let summary = r.heterogeneity.map(|q| {
        let verdict = if q.p_value < 0.05 {
            "the uplift differs between segments"
        } else {
            "no difference between segments is detectable"
        };
        format!(
            "Cochran's Q = {} on {} degrees of freedom, {}: {verdict}. A segment's ROI is the programme's if it reached only that segment (its share of the monthly users, against all the costs).",
            format::number(q.q, 2),
            format::number(q.df, 0),
            format::p_is(q.p_value)
        )
    });
    let mismatched: Vec<&str> = r
        .segments
        .iter()
        .filter(|s| s.srm.is_some_and(|m| m.mismatch))
        .map(|s| s.segment.as_str())
        .collect();
    let srm_note = (!mismatched.is_empty()).then(|| {
        format!(
            " The split between variants is not the planned one in {} (sample-ratio mismatch, p < 0.001): the uplift there may be biased.",
            mismatched.join(", ")
        )
    });
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Segments">
            <table class="data-table" id=ids.table>
                <caption>{format!(
                    "Uplift of {} over {} on {} by {}",
                    r.treatment,
                    r.control,
                    r.primary_label.clone().unwrap_or_default(),
                    r.column
                )}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Segment"</th>
                        <th scope="col" class="num">"Users (share)"</th>
                        <th scope="col" class="num">"Uplift"</th>
                        <th scope="col" class="num">"Interval"</th>
                        <th scope="col" class="num">"vs the rest, p (Holm)"</th>
                        <th scope="col" class="num">"ROI, this segment only"</th>
                        <th scope="col" class="num">"Split check (SRM p)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id=ids.table name="segment table"/>
        <p class="method-note" id=ids.note>{summary}{srm_note}</p>
        {r.post_stratified.map(|p| view! {
            <p class="method-note" id=ids.poststrat>
                {format!(
                    "Post-stratified on {} (each segment weighted by its share of the users): {} ({} to {}), {}. This overall uplift does not move when the arms happen to be split unevenly within segments.",
                    r.column,
                    format::signed_percent(p.relative, 1),
                    format::signed_percent(p.relative_ci.low, 1),
                    format::signed_percent(p.relative_ci.high, 1),
                    format::p_is(p.p_value),
                )}
            </p>
        })}
        {segment_chart(r, confidence, ids.chart)}
    }
}

/// The segments' uplifts as a forest plot, with its text alternative and
/// downloads, drawn here at the width of the results.
fn segment_chart(r: &SegmentReport, confidence: f64, id: &'static str) -> impl IntoView {
    use crate::charts::forest_chart::{segment_forest_summary, segment_forest_svg};
    let interval = format!("{} confidence intervals", format::percent(confidence, 0));
    let width = crate::charts::lazy::current_width();
    let summary = segment_forest_summary(r, &interval);
    segment_forest_svg(r, &interval, width).map(|svg| {
        view! { <crate::charts::DrawnChart id=id name="segment chart" svg=svg summary=summary/> }
    })
}

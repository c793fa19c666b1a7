//! Cohorts by signup period: who is still active in each period after,
//! per variant, as tables and charts.

use leptos::prelude::*;
use uplift_engine::cohorts::{CohortColumns, CohortReport};

use crate::charts::time_charts::{cohort_summary, cohort_svg};
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::{AnalysisRequest, AnalysisResult};
use crate::tools::file_columns::column_select;
use crate::tools::worker_job::{self, chart_width};

use super::{placeholder_note, status_line, Analysis};

#[component]
pub(super) fn CohortSection() -> impl IntoView {
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
        if columns.end.is_none() && (columns.duration.is_none() || columns.event.is_none()) {
            a.error.set(Some(
                "Choose a last-seen date column, or a duration column and a churn (event) column."
                    .into(),
            ));
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
            "One row per user: the signup date, and either the date last seen (the data ends on the day you say, else on the last date seen), or the days followed with whether they churned; optionally the variant. Each signup week's share still active, week by week."
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
                    <input id="cohort-until" type="text" placeholder="YYYY-MM-DD (blank: the last date seen)" prop:value=move || until.get()
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

#[component]
pub(crate) fn CohortResults(report: CohortReport) -> impl IntoView {
    let weeks = report.weeks;
    let width = chart_width(super::charts_in());
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

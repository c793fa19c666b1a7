//! The lift day by day: a date column's file read in the worker, with the
//! fixed-horizon and always-valid intervals, the novelty trend and the
//! days still needed.

use leptos::prelude::*;
use uplift_engine::timeline::{TimelineColumns, TimelineOptions, TimelineReport};

use crate::charts::time_charts::{lift_summary, lift_svg};
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::{AnalysisRequest, AnalysisResult};
use crate::tools::file_columns::column_select;
use crate::tools::worker_job::{self, chart_width};

use super::{placeholder_note, status_line, Analysis, Run};

#[component]
pub(super) fn TimelineSection() -> impl IntoView {
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
pub(crate) fn TimelineResults(report: TimelineReport, run: Run) -> impl IntoView {
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
    let svg = lift_svg(&report, chart_width(super::charts_in()));
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

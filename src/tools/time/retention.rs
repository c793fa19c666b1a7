//! Retention measured from data: Kaplan–Meier curves per variant,
//! log-rank, median and RMST, and the offer of the measured rates to the
//! investment case.

use leptos::prelude::*;
use uplift_engine::survival::RetentionReport;

use crate::charts::time_charts::{km_summary, km_svg};
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::{AnalysisRequest, AnalysisResult};
use crate::tools::file_columns::column_select;
use crate::tools::worker_job::chart_width;

use super::{status_line, Analysis};

#[component]
pub(super) fn RetentionSection() -> impl IntoView {
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
pub(crate) fn RetentionResults(
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
    let svg = km_svg(&report, chart_width(super::charts_in()));
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
pub(super) fn RetentionOffer(report: RetentionReport, source: String) -> impl IntoView {
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

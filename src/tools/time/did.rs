//! A launch without a control group: difference in differences with its
//! event study, and the offer of the effect to the investment case as a
//! quasi-experimental uplift.

use leptos::prelude::*;
use uplift_engine::did::{DidReport, PanelColumns};

use crate::charts::time_charts::{event_study_summary, event_study_svg};
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::analysis_protocol::{AnalysisRequest, AnalysisResult};
use crate::tools::file_columns::column_select;
use crate::tools::worker_job::chart_width;

use super::{status_line, Analysis};

#[component]
pub(super) fn DidSection() -> impl IntoView {
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
pub(super) fn DidResults(report: DidReport) -> impl IntoView {
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
        event_study_svg(&s, chart_width(super::charts_in())).map(|svg| view! {
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
pub(super) fn DidOffer(report: DidReport, source: String, outcome: String) -> impl IntoView {
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

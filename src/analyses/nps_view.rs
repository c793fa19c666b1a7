//! An NPS question's results: each variant's Net Promoter Score in points,
//! each arm's difference from the control with its interval and p-value
//! (no relative uplift: a ratio of scores near or below 0 says nothing),
//! the choice of interval (Wald or adjusted Wald), and promoters, passives
//! and detractors as one stacked bar per variant.

use leptos::prelude::*;
use uplift_engine::comparison::VsControl;
use uplift_engine::decision::ColumnMetric;
use uplift_engine::scenario::MetricChoices;
use uplift_engine::stats::nps::{NpsInterval, ScoreCounts};

use crate::analyses::metrics_panel::{comparison_rows, comparison_table};
use crate::platform::format;

pub const STYLE: &str = "\
.nps-bars { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 0.6rem; align-items: center; margin: 0.5rem 0 0.3rem; }\
.nps-bar { display: flex; height: 1.5rem; border-radius: 4px; overflow: hidden; border: 1px solid var(--border); }\
.nps-bar span { display: flex; align-items: center; justify-content: center; font-size: 0.8rem; color: #fff; white-space: nowrap; overflow: hidden; }\
.nps-bar .detractors { background: #b3261e; }\
.nps-bar .passives { background: #6b6f76; }\
.nps-bar .promoters { background: #1e7b34; }\
.nps-legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.85rem; margin: 0 0 0.8rem; padding: 0; list-style: none; }\
.nps-legend li::before { content: ''; display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; margin-right: 0.3rem; vertical-align: -0.1rem; }\
.nps-legend .detractors::before { background: #b3261e; }\
.nps-legend .passives::before { background: #6b6f76; }\
.nps-legend .promoters::before { background: #1e7b34; }";

/// An NPS fraction in points, signed when asked: 0.236 → "+23.6".
fn points(fraction: f64, signed: bool) -> String {
    if !fraction.is_finite() {
        return "—".into();
    }
    let body = format::number((fraction * 100.0).abs(), 1);
    match (signed, fraction) {
        (_, f) if f < 0.0 => format!("−{body}"),
        (true, f) if f > 0.0 => format!("+{body}"),
        _ => body,
    }
}

/// The table of one NPS question (`i`: its place among the metric tables).
/// Changing the interval sends the plan with it through `choose`.
pub fn nps_table(
    i: usize,
    m: &ColumnMetric,
    confidence: f64,
    plan: MetricChoices,
    choose: fn(MetricChoices),
) -> impl IntoView {
    let absolute = |vs: &VsControl| (Some(vs.absolute), vs.absolute_ci);
    let rows = comparison_rows(&m.result, &|x| points(x, false), &absolute, &|x| {
        points(x, true)
    });
    let names: Vec<String> = m.result.variants.iter().map(|v| v.name.clone()).collect();
    let adjusted = plan.nps_interval == NpsInterval::AdjustedWald;
    let select_id = format!("nps-interval-{i}");
    let on_change = move |ev: leptos::ev::Event| {
        let mut next = plan.clone();
        next.nps_interval = if event_target_value(&ev) == "adjusted" {
            NpsInterval::AdjustedWald
        } else {
            NpsInterval::Wald
        };
        choose(next);
    };
    view! {
        {comparison_table(
            format!("metric-table-{i}"),
            &m.key,
            "metric-table nps-table",
            &format!("{} (Net Promoter Score, in points)", m.key),
            ["Answers", "NPS", "Difference vs control"],
            rows,
            confidence,
        )}
        <p class="method-note">
            "NPS = % promoters (9–10) − % detractors (0–6); blank answers are left out. Differences are in points, not percent. "
            <label for=select_id.clone()>"Interval: "</label>
            <select id=select_id on:change=on_change>
                <option value="wald" selected=!adjusted>"Wald"</option>
                <option value="adjusted" selected=adjusted>"Adjusted Wald (+3 answers; better for small groups)"</option>
            </select>
        </p>
        {nps_bars(i, &m.key, &names, &m.answers)}
    }
}

/// Promoters, passives and detractors of each variant as one bar each,
/// with the shares written in it and in the bar's accessible name.
fn nps_bars(i: usize, key: &str, names: &[String], answers: &[ScoreCounts]) -> impl IntoView {
    let share = |k: u64, n: u64| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let bars = names
        .iter()
        .zip(answers)
        .map(|(name, c)| {
            let (d, m, p) = (
                share(c.detractors, c.answers),
                share(c.passives(), c.answers),
                share(c.promoters, c.answers),
            );
            let label = format!(
                "{name}: {} detractors, {} passives, {} promoters",
                format::percent(d, 0),
                format::percent(m, 0),
                format::percent(p, 0)
            );
            let parts = [("detractors", d), ("passives", m), ("promoters", p)];
            let segments = parts
                .into_iter()
                .filter(|(_, s)| *s > 0.0)
                .map(|(class, s)| {
                    let text = format::percent(s, 0);
                    let title = format!("{text} {class}");
                    view! {
                        <span class=class style=format!("width: {:.2}%", s * 100.0) title=title>
                            {(s >= 0.08).then_some(text)}
                        </span>
                    }
                })
                .collect_view();
            view! {
                <span class="nps-bar-name" aria-hidden="true">{name.clone()}</span>
                <div class="nps-bar" role="img" aria-label=label>{segments}</div>
            }
        })
        .collect_view();
    view! {
        <div class="nps-bars" id=format!("nps-bars-{i}") aria-label=format!("{key}: answers by group")>{bars}</div>
        <ul class="nps-legend" aria-hidden="true">
            <li class="detractors">"Detractors (0–6)"</li>
            <li class="passives">"Passives (7–8)"</li>
            <li class="promoters">"Promoters (9–10)"</li>
        </ul>
    }
}

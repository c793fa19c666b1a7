//! Quantile metrics in the metrics panel: the median, p90, p95 or p99 of a
//! numeric column per variant, compared with the control (the engine's
//! `quantile_metric`, gbstats' method), each chosen one in a table of its
//! own with a button that removes it, and a form that adds one. Quantiles
//! need one row per user: the rows the page sent are read again.

use leptos::html::Select;
use leptos::prelude::*;
use uplift_engine::quantile_metric::quantile_metric;
use uplift_engine::scenario::MetricChoices;

use crate::analyses::metrics_panel::{result_table, MetricsRequest};

const LEVELS: [(&str, &str); 4] = [
    ("0.5", "Median"),
    ("0.9", "p90"),
    ("0.95", "p95"),
    ("0.99", "p99"),
];

/// The section's own styles, added with the panel.
pub const STYLE: &str = "\
.quantile-add { border: 1px solid var(--border); border-radius: var(--radius); margin: 0.8rem 0; padding: 0.5rem 0.8rem 0.8rem; }\
.quantile-add label { display: block; margin: 0.4rem 0 0.2rem; }";

/// The chosen quantiles' tables and the form to add one. `aggregated`:
/// the data are sums per variant; `numeric`: the columns of numbers a
/// quantile can be taken of.
pub fn quantile_section(
    request: RwSignal<MetricsRequest>,
    aggregated: bool,
    plan: MetricChoices,
    numeric: Vec<String>,
    confidence: f64,
    choose: fn(MetricChoices),
) -> impl IntoView {
    // The scenario with its rows as the user gave them, when they are rows.
    let rows = request.with_untracked(|r| {
        r.rows.as_ref().map(|(columns, text)| {
            let mut s = r.scenario.clone();
            s.data = text.clone();
            s.columns = columns.clone();
            s
        })
    });
    let Some(scenario) = rows else {
        return ().into_any();
    };
    if aggregated {
        return view! {
            <p class="method-note" id="quantile-note">"Quantiles (median, p90) need one row per user; these data are sums per variant."</p>
        }
        .into_any();
    }
    if numeric.is_empty() && plan.quantiles.is_empty() {
        return ().into_any();
    }
    let tables = plan
        .quantiles
        .iter()
        .enumerate()
        .map(|(i, (column, level))| {
            let remove = {
                let plan = plan.clone();
                move |_| {
                    let mut next = plan.clone();
                    next.quantiles.remove(i);
                    choose(next);
                }
            };
            let body = match quantile_metric(&scenario, column, *level) {
                Ok(r) => result_table(format!("quantile-table-{i}"), column, &format!("{} (quantile per user)", r.label), false, &r, confidence).into_any(),
                Err(e) => view! { <p class="status error" id=format!("quantile-error-{i}")>{e.to_string()}</p> }.into_any(),
            };
            view! {
                {body}
                <p><button type="button" class="button secondary" id=format!("remove-quantile-{i}") on:click=remove>"Remove this quantile"</button></p>
            }
        })
        .collect_view();
    let column_ref = NodeRef::<Select>::new();
    let level_ref = NodeRef::<Select>::new();
    let add = move |_| {
        let (Some(column), Some(level)) = (column_ref.get(), level_ref.get()) else {
            return;
        };
        let Some(level) = uplift_engine::decimal::parse_f64(&level.value()) else {
            return;
        };
        let mut next = plan.clone();
        next.quantiles.push((column.value(), level));
        choose(next);
    };
    view! {
        {tables}
        <fieldset class="quantile-add">
            <legend>"Quantile metrics (one row per user)"</legend>
            <label for="quantile-column">"Column"</label>
            <select id="quantile-column" node_ref=column_ref>
                {numeric.into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
            </select>
            <label for="quantile-level">"Quantile"</label>
            <select id="quantile-level" node_ref=level_ref>
                {LEVELS.iter().map(|(v, t)| view! { <option value=*v>{*t}</option> }).collect_view()}
            </select>
            <p><button type="button" class="button secondary" id="add-quantile" on:click=add>"Compare this quantile"</button></p>
        </fieldset>
    }
    .into_any()
}

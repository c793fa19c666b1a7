//! The metrics panel: the decision, the choice of primary metric, guardrails
//! and ratio metrics, and a table per metric column. Part of the tools
//! module; the page sends the scenario, the panel sends back the plan.

use leptos::prelude::*;
use uplift_engine::comparison::{MetricResult, VsControl};
use uplift_engine::decision::{
    analyze_metrics, ColumnMetric, Decision, GuardrailStatus, MetricKind, MetricsReport, Outcome,
};
use uplift_engine::ingest::{
    guess_roles, header_fields, parse_experiment_with, user_checks, without_repeated_users,
    ColumnMapping, ColumnRole, DataShape, UserChecks,
};
use uplift_engine::scenario::{Guardrail, MetricChoices, RatioMetric};
use uplift_engine::segments::{segment_report, segment_report_with};
use uplift_engine::units::Interval;
use uplift_engine::Scenario;

use crate::analyses::segment_view::{segment_table, METRICS_SEGMENTS};
use crate::analyses::{cap_view, nps_view, quantile_view};
use crate::data::data_events::DataEvent;
use crate::data::file_progress::FileProgress;
use crate::data::file_reader::{large_file_of, read_split, shared_reader, tell_page};
use crate::platform::format;
use crate::results::results_panel::full_decision_sentence;

/// The panel's own styles, added to the page with it: only visits that
/// open the panel need them, so they stay out of the first download.
const STYLE: &str = "\
.metrics-panel { margin-top: 1.5rem; }\
.decision { border-left: 4px solid var(--accent); background: var(--bg); border-radius: var(--radius); padding: 0.6rem 1rem; margin: 0.5rem 0 1rem; }\
.decision.ship { border-left-color: var(--up); }\
.decision.dont-ship { border-left-color: var(--down); }\
.decision-outcome { margin: 0 0 0.3rem; font-size: 1.05rem; }\
.decision-reasons { margin: 0.2rem 0 0.4rem; padding-left: 1.2rem; }\
.decision-rule summary { cursor: pointer; color: var(--accent); }\
.metric-choices select, .metric-choices input { max-width: 22rem; }\
.metric-choices fieldset { border: 1px solid var(--border); border-radius: var(--radius); margin: 0.8rem 0; padding: 0.5rem 0.8rem 0.8rem; }\
.metric-choices label { display: block; margin: 0.4rem 0 0.2rem; }\
.guardrail-row { display: flex; flex-wrap: wrap; gap: 0.2rem 0.6rem; align-items: end; margin-bottom: 0.6rem; }\
.guardrail-row label { width: 100%; margin: 0.2rem 0 0; }\
.guardrail-row .guardrail-margin { width: 6rem; }\
.ratio-list { padding-left: 1.2rem; }";

/// What the panel analyses: the scenario with its data as sums, and the
/// data as it is (with its column roles) for the segments and the user-id
/// checks.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsRequest {
    pub scenario: Scenario,
    pub rows: Option<(ColumnMapping, String)>,
    /// The scenario's JSON as the page sent it: the page matches the
    /// decision sent back with the report it shows.
    pub key: String,
}

/// The panel's analysis of a scenario, or why there is none.
fn analyse(request: &MetricsRequest) -> Result<MetricsReport, String> {
    let scenario = &request.scenario;
    let experiment = scenario.experiment().map_err(|e| e.to_string())?;
    analyze_metrics(scenario, &experiment).map_err(|e| e.to_string())
}

/// What the user ids say, in words; `None` when all is well.
fn user_note(c: UserChecks) -> Option<String> {
    (c.repeated_rows > 0).then(|| {
        let mixed = match c.in_several_variants {
            0 => " None of them is in more than one variant.".to_string(),
            n => format!(
                " {} users are in more than one variant, so their results mix both experiences: the assignment or the export is broken for them.",
                format::count(n)
            ),
        };
        format!(
            "Data check: {} rows carry {} different user ids, so {} rows repeat a user who came before.{mixed}",
            format::count(c.rows),
            format::count(c.users),
            format::count(c.repeated_rows),
        )
    })
}

/// Send the new choices to the page, which analyses the scenario again.
fn choose(choices: MetricChoices) {
    tell_page(&DataEvent::Metrics(choices.into()));
}

#[component]
pub fn MetricsPanel(request: RwSignal<MetricsRequest>) -> impl IntoView {
    let report = Memo::new(move |_| request.with(analyse));
    // With guardrails, the verdict's decision is this panel's, sent for
    // each new request (the page matches it with the report it shows),
    // even when the decision itself is unchanged.
    Effect::new(move || {
        let key = request.with(|q| q.key.clone());
        report.with(|r| {
            let Ok(r) = r else { return };
            let Some(d) = &r.decision else { return };
            if d.guardrails.is_empty() {
                return;
            }
            tell_page(&DataEvent::Decision(
                key.clone(),
                full_decision_sentence(d, &r.treatment_label),
            ));
        })
    });
    // The page caps with the values the plan holds: when the rows give a
    // percentile another value, the plan goes back with it.
    Effect::new(move || {
        if let Some(next) = request.with(cap_view::caps_taken_again) {
            choose(next);
        }
    });
    let plan = Memo::new(move |_| {
        request.with(|r| r.scenario.analysis.metrics.choices().unwrap_or_default())
    });
    let confidence = Memo::new(move |_| request.with(|r| r.scenario.confidence));
    // Read once per request for both sections that need one row per user.
    let sums_only = Memo::new(move |_| request.with(rows_are_sums));
    // The segment column chosen, kept while the analysis is redrawn; it
    // starts from the scenario's, so a link opens on the same segments.
    let segment_column = RwSignal::new(request.with_untracked(|r| {
        r.scenario
            .analysis
            .metrics
            .segment()
            .unwrap_or_default()
            .to_string()
    }));
    // The user-id checks read the rows again: after the comparisons are on
    // screen, not before.
    let users = RwSignal::new(None::<UserChecks>);
    Effect::new(move || {
        request.track();
        set_timeout(
            move || {
                let checks = request.with_untracked(|r| {
                    r.rows
                        .as_ref()
                        .and_then(|(columns, text)| user_checks(text, columns))
                });
                users.set(checks);
            },
            std::time::Duration::ZERO,
        );
    });
    // The rows before repeated users were left out, for "Put them back".
    let before_exclusion = RwSignal::new(None::<(String, String)>);
    let exclude = move |_| {
        let cleaned = request.with_untracked(|r| {
            let (columns, text) = r.rows.as_ref()?;
            Some((text.clone(), without_repeated_users(text, columns)?))
        });
        if let Some((old, clean)) = cleaned {
            let note = format!(
                "Left out {} rows: every row of the {} users in more than one variant, and later rows of a user id already counted.",
                format::count(clean.rows_removed),
                format::count(clean.users_removed)
            );
            before_exclusion.set(Some((old, note)));
            tell_page(&DataEvent::Text(clean.text));
        }
    };
    let restore = move |_| {
        if let Some((old, _)) = before_exclusion.get_untracked() {
            before_exclusion.set(None);
            tell_page(&DataEvent::Text(old));
        }
    };
    let exclusion = move || {
        before_exclusion.get().map(|(_, note)| {
            view! {
                <p class="status ok" id="exclusion-note">
                    {note}" "
                    <button type="button" class="button secondary" id="restore-repeats" on:click=restore>"Put them back"</button>
                </p>
            }
        })
    };
    let style =
        view! { <style>{STYLE}{nps_view::STYLE}{quantile_view::STYLE}{cap_view::STYLE}</style> };
    let body = move || match report.get() {
        Err(e) => view! { <p class="status error" id="metrics-error">{e}</p> }.into_any(),
        Ok(r) => {
            let available = r.available.clone();
            let checks = move || {
                users.get().map(|c| match user_note(c) {
                    Some(n) => view! {
                        <p class="status error" id="user-check">
                            {n}" "
                            <button type="button" class="button secondary" id="exclude-repeats" on:click=exclude>
                                "Leave these rows out"
                            </button>
                        </p>
                    }
                    .into_any(),
                    None => view! {
                        <p class="status ok" id="user-check">
                            {format!("Data check: every one of the {} user ids appears once.", format::count(c.users))}
                        </p>
                    }
                    .into_any(),
                })
            };
            view! {
                <section class="metrics-panel" aria-labelledby="metrics-panel-title">
                    <h3 id="metrics-panel-title">"Decision and metrics"</h3>
                    {r.plan_problem.clone().map(|p| view! {
                        <p class="status error" id="metrics-plan-problem">
                            {format!("The saved choice of metrics could not be read ({p}); choose them again below.")}
                        </p>
                    })}
                    {checks}
                    {exclusion}
                    {r.decision.clone().map(decision_view)}
                    <MetricChoices plan=plan available=available.clone() primary=r.primary.clone()/>
                    <SegmentView request column=segment_column/>
                    {column_tables(&r.column_metrics, confidence.get(), plan.get())}
                    {cap_view::cap_section(request, sums_only.get(), plan.get(), cappable(&r), choose)}
                    {quantile_view::quantile_section(
                        request,
                        sums_only.get(),
                        plan.get(),
                        r.column_metrics
                            .iter()
                            .filter(|c| c.kind == MetricKind::Mean)
                            .map(|c| c.key.clone())
                            .collect(),
                        confidence.get(),
                        choose,
                    )}
                </section>
            }
            .into_any()
        }
    };
    view! { {style} {body} }
}

/// Whether the data as the user gave it is sums per variant (or not sent):
/// caps and quantiles need one row per user.
fn rows_are_sums(request: &MetricsRequest) -> bool {
    request.rows.as_ref().is_none_or(|(columns, text)| {
        parse_experiment_with(text, columns).is_ok_and(|e| e.shape == DataShape::Aggregated)
    })
}

/// The metrics with numbers per user that a cap can apply to, as (key,
/// label): revenue per user when the data has revenue, and each numeric
/// metric column.
fn cappable(r: &MetricsReport) -> Vec<(String, String)> {
    // Named as before capping, whatever the table's label says now.
    let revenue = r
        .available
        .iter()
        .find(|(k, _)| k == uplift_engine::ingest::REVENUE_KEY)
        .map(|(k, _)| (k.clone(), "Revenue per user".to_string()));
    revenue
        .into_iter()
        .chain(
            r.column_metrics
                .iter()
                .filter(|c| c.kind == MetricKind::Mean)
                .map(|c| (c.key.clone(), c.key.clone())),
        )
        .collect()
}

fn decision_view(d: Decision) -> impl IntoView {
    let class = match d.outcome {
        Outcome::Ship => "decision ship",
        Outcome::DontShip => "decision dont-ship",
        Outcome::KeepRunning => "decision keep-running",
    };
    let reasons = d
        .reasons
        .into_iter()
        .map(|r| view! { <li>{r}</li> })
        .collect_view();
    let guardrails = (!d.guardrails.is_empty()).then(|| {
        let rows = d
            .guardrails
            .iter()
            .map(|g| {
                let status = match g.status {
                    GuardrailStatus::Holds => "Holds",
                    GuardrailStatus::NotYetShown => "Not shown yet",
                    GuardrailStatus::Failed => "Failed",
                    GuardrailStatus::Breached => "Breached",
                    GuardrailStatus::Unavailable => "Cannot be tested",
                };
                let cell = |f: &dyn Fn(
                    &uplift_engine::stats::noninferiority::NonInferiority,
                ) -> String| {
                    g.test.as_ref().map_or("—".to_string(), f)
                };
                // The test is on the change towards better: shown as the
                // change itself, and its bound as the worst change it allows.
                let sign = if g.lower_is_better { -1.0 } else { 1.0 };
                let margin = format::percent(g.margin, 1);
                view! {
                    <tr>
                        <th scope="row">{g.metric.clone()}</th>
                        <td class="num">{if g.lower_is_better { format!("+{margin}") } else { format!("−{margin}") }}</td>
                        <td class="num">{cell(&|t| format::signed_percent(sign * t.estimate, 2))}</td>
                        <td class="num">{cell(&|t| format::signed_percent(sign * t.lower_bound, 2))}</td>
                        <td class="num">{cell(&|t| format::p_value(t.p_value))}</td>
                        <td class="num">{cell(&|t| format::percent(t.power, 0))}</td>
                        <td>{status}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Guardrails">
                <table class="data-table" id="guardrail-table">
                    <caption>"Guardrails: one-sided non-inferiority tests"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Metric"</th>
                            <th scope="col" class="num">"May get worse by"</th>
                            <th scope="col" class="num">"Change"</th>
                            <th scope="col" class="num">"Worst change shown"</th>
                            <th scope="col" class="num">"p-value"</th>
                            <th scope="col" class="num">"Power"</th>
                            <th scope="col">"Status"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <div class=class id="decision" role="status">
            <p class="decision-outcome">
                <strong>{d.outcome.label()}</strong>
                {format!(" — decided on {}", d.primary)}
            </p>
            <ul class="decision-reasons">{reasons}</ul>
            <details class="decision-rule">
                <summary>"The rule"</summary>
                <p>{d.rule}</p>
            </details>
        </div>
        {guardrails}
    }
}

/// A `<select>` of every metric, with `selected` chosen.
fn metric_options(available: &[(String, String)], selected: &str) -> impl IntoView {
    available
        .iter()
        .map(|(key, label)| {
            view! { <option value=key.clone() selected=key == selected>{label.clone()}</option> }
        })
        .collect_view()
}

#[component]
fn MetricChoices(
    plan: Memo<MetricChoices>,
    available: Vec<(String, String)>,
    primary: Option<String>,
) -> impl IntoView {
    let available = StoredValue::new(available);
    let current = move || plan.get_untracked();
    let primary_key = primary.unwrap_or_default();
    let on_primary = move |ev| {
        let mut p = current();
        p.primary = Some(event_target_value(&ev));
        choose(p);
    };
    let guardrail_rows = move || {
        plan.get()
            .guardrails
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let metric_id = format!("guardrail-metric-{i}");
                let margin_id = format!("guardrail-margin-{i}");
                let options = available.with_value(|a| metric_options(a, &g.metric).into_any());
                let on_metric = move |ev| {
                    let mut p = current();
                    if let Some(g) = p.guardrails.get_mut(i) {
                        g.metric = event_target_value(&ev);
                    }
                    choose(p);
                };
                let on_margin = move |ev| {
                    let text = event_target_value(&ev);
                    let value = crate::platform::format::read_number(&text);
                    let mut p = current();
                    if let (Some(g), Some(v)) = (p.guardrails.get_mut(i), value) {
                        if v > 0.0 && v < 100.0 {
                            g.margin = v / 100.0;
                            choose(p);
                        }
                    }
                };
                let remove = move |_| {
                    let mut p = current();
                    if i < p.guardrails.len() {
                        p.guardrails.remove(i);
                    }
                    choose(p);
                };
                view! {
                    <div class="guardrail-row">
                        <label for=metric_id.clone()>"Guardrail"</label>
                        <select id=metric_id class="guardrail-metric" on:change=on_metric>{options}</select>
                        <label for=margin_id.clone()>"may get worse (drop, or rise if it should fall) by at most (%)"</label>
                        <input id=margin_id class="guardrail-margin" type="number" inputmode="decimal"
                            min="0.1" max="99" step="0.1" value=format::number(g.margin * 100.0, 1)
                            on:change=on_margin/>
                        <button type="button" class="button secondary remove-guardrail" on:click=remove>
                            {format!("Remove the guardrail on {}", g.metric)}
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    let add_guardrail = move |_| {
        let mut p = current();
        let first = available.with_value(|a| {
            a.iter().map(|(k, _)| k.clone()).find(|k| {
                Some(k) != p.primary.as_ref() && !p.guardrails.iter().any(|g| &g.metric == k)
            })
        });
        if let Some(metric) = first {
            p.guardrails.push(Guardrail {
                metric,
                margin: 0.01,
            });
            choose(p);
        }
    };
    // A ratio from two metric columns: picked, then added.
    let numerator = RwSignal::new(String::new());
    let denominator = RwSignal::new(String::new());
    let add_ratio = move |_| {
        let (n, d) = (numerator.get_untracked(), denominator.get_untracked());
        let pick = |chosen: String, nth: usize| {
            if chosen.is_empty() {
                available.with_value(|a| a.get(nth).map(|(k, _)| k.clone()).unwrap_or_default())
            } else {
                chosen
            }
        };
        let (n, d) = (pick(n, 0), pick(d, 1));
        if n.is_empty() || d.is_empty() || n == d {
            return;
        }
        let mut p = current();
        let name = format!("{n} per {d}");
        if !p.ratios.iter().any(|r| r.name == name) {
            p.ratios.push(RatioMetric {
                name,
                numerator: n,
                denominator: d,
            });
            choose(p);
        }
    };
    let ratio_rows = move || {
        plan.get()
            .ratios
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let remove = move |_| {
                    let mut p = current();
                    if i < p.ratios.len() {
                        p.ratios.remove(i);
                    }
                    choose(p);
                };
                view! {
                    <li>
                        {format!("{} = {} / {}", r.name, r.numerator, r.denominator)}
                        " "
                        <button type="button" class="button secondary" on:click=remove>
                            {format!("Remove {}", r.name)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let column_options = move |nth: usize| {
        available.with_value(|a| {
            a.iter()
                .enumerate()
                .map(|(i, (k, l))| view! { <option value=k.clone() selected=i == nth>{l.clone()}</option> })
                .collect_view()
        })
    };
    view! {
        <div class="metric-choices">
            <p class="field">
                <label for="primary-metric">"Primary metric (the decision and the ROI rest on it)"</label>
                <select id="primary-metric" on:change=on_primary>
                    // A ratio is a secondary metric or a guardrail, not the primary one.
                    {available.with_value(|a| {
                        let ratios = plan.get_untracked().ratios;
                        let choices: Vec<(String, String)> = a
                            .iter()
                            .filter(|(k, _)| !ratios.iter().any(|r| &r.name == k))
                            .cloned()
                            .collect();
                        metric_options(&choices, &primary_key).into_any()
                    })}
                </select>
            </p>
            <fieldset class="guardrails">
                <legend>"Guardrails: metrics that must not get worse"</legend>
                {guardrail_rows}
                <button type="button" class="button secondary" id="add-guardrail" on:click=add_guardrail>
                    "Add a guardrail"
                </button>
            </fieldset>
            <fieldset class="ratios">
                <legend>"Ratio metrics"</legend>
                <ul class="ratio-list">{ratio_rows}</ul>
                <label for="ratio-numerator">"Numerator"</label>
                <select id="ratio-numerator" on:change=move |ev| numerator.set(event_target_value(&ev))>
                    {column_options(0)}
                </select>
                <label for="ratio-denominator">"per"</label>
                <select id="ratio-denominator" on:change=move |ev| denominator.set(event_target_value(&ev))>
                    {column_options(1)}
                </select>
                <button type="button" class="button secondary" id="add-ratio" on:click=add_ratio>
                    "Add the ratio"
                </button>
            </fieldset>
        </div>
    }
}

/// One table per metric column or ratio: each variant's value and its
/// comparison with the control.
fn column_tables(metrics: &[ColumnMetric], confidence: f64, plan: MetricChoices) -> impl IntoView {
    metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let kind = m.kind;
            if kind == MetricKind::Nps {
                return nps_view::nps_table(i, m, confidence, plan.clone(), choose).into_any();
            }
            let kind_label = match kind {
                MetricKind::Proportion => "share of users",
                MetricKind::Mean => "mean per user",
                _ => "ratio of sums",
            };
            let percent = kind == MetricKind::Proportion;
            view! {
                {result_table(format!("metric-table-{i}"), &m.key, &format!("{} ({kind_label})", m.key), percent, &m.result, confidence)}
                {percent.then(|| retention_caveat(&m.key)).flatten().map(|note| view! {
                    <p class="method-note" id=format!("metric-note-{i}")>{note}</p>
                })}
                {direction_choice(i, &m.key, m.lower_is_better, plan.clone())}
            }
            .into_any()
        })
        .collect_view()
}

/// Which difference a table shows: the estimate and its interval.
pub(crate) type ChangeOf = dyn Fn(&VsControl) -> (Option<f64>, Option<Interval>);

/// One row per variant: its name, users, `value`, and the difference from
/// the control that `change` picks (estimate and interval, written by
/// `signed`), or the note that says why there is none, and the p-value
/// (adjusted when several arms are compared).
pub(crate) fn comparison_rows(
    result: &MetricResult,
    value: &dyn Fn(f64) -> String,
    change: &ChangeOf,
    signed: &dyn Fn(f64) -> String,
) -> impl IntoView {
    result
        .variants
        .iter()
        .map(|v| {
            let (uplift, interval, p) = match &v.vs_control {
                None => ("control".to_string(), "—".to_string(), "—".to_string()),
                Some(vs) => {
                    let (estimate, ci) = change(vs);
                    (
                        estimate.map_or("—".into(), signed),
                        match (ci, &vs.note) {
                            (Some(ci), _) => format!("{} to {}", signed(ci.low), signed(ci.high)),
                            (None, Some(note)) => note.clone(),
                            (None, None) => "—".into(),
                        },
                        vs.p_value_adjusted
                            .or(vs.p_value)
                            .map_or("—".into(), format::p_value),
                    )
                }
            };
            view! {
                <tr>
                    <th scope="row">{v.name.clone()}</th>
                    <td class="num">{format::count(v.users)}</td>
                    <td class="num value">{value(v.value)}</td>
                    <td class="num uplift">{uplift}</td>
                    <td class="num ci">{interval}</td>
                    <td class="num p">{p}</td>
                </tr>
            }
        })
        .collect_view()
}

/// One metric's table: each variant's value (a share when `percent`) and
/// its relative uplift on the control with interval and p-value.
pub(crate) fn result_table(
    id: String,
    key: &str,
    caption: &str,
    percent: bool,
    result: &MetricResult,
    confidence: f64,
) -> impl IntoView {
    let value = |x: f64| {
        if percent {
            format::percent(x, 2)
        } else {
            format::number(x, 3)
        }
    };
    let relative = |vs: &VsControl| (vs.relative, vs.relative_ci);
    let rows = comparison_rows(result, &value, &relative, &|x| format::signed_percent(x, 2));
    let heads = ["Users", "Value", "Uplift vs control"];
    comparison_table(id, key, "metric-table", caption, heads, rows, confidence)
}

/// A comparison table around `rows` (see [`comparison_rows`]): `heads`
/// names the users, value and difference columns; the interval's column
/// says its confidence level.
pub(crate) fn comparison_table(
    id: String,
    key: &str,
    class: &'static str,
    caption: &str,
    heads: [&'static str; 3],
    rows: impl IntoView,
    confidence: f64,
) -> impl IntoView {
    let conf = format::percent(confidence, 0);
    let [users, value, change] = heads;
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=key.to_string()>
            <table class=format!("data-table {class}") id=id data-metric=key.to_string()>
                <caption>{caption.to_string()}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Variant"</th>
                        <th scope="col" class="num">{users}</th>
                        <th scope="col" class="num">{value}</th>
                        <th scope="col" class="num">{change}</th>
                        <th scope="col" class="num">{format!("{conf} confidence interval")}</th>
                        <th scope="col" class="num">"p-value"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Whether a metric is better when it rises or falls (churn, cost), as
/// guessed from its name or chosen; a choice goes into the plan.
fn direction_choice(i: usize, key: &str, lower: bool, plan: MetricChoices) -> impl IntoView {
    let id = format!("direction-{i}");
    let key = key.to_string();
    let on_change = move |ev: leptos::ev::Event| {
        let mut next = plan.clone();
        next.lower_is_better.retain(|k| *k != key);
        next.higher_is_better.retain(|k| *k != key);
        if event_target_value(&ev) == "lower" {
            next.lower_is_better.push(key.clone());
        } else {
            next.higher_is_better.push(key.clone());
        }
        choose(next);
    };
    view! {
        <p class="direction">
            <label for=id.clone()>"Better when it "</label>
            <select id=id on:change=on_change>
                <option value="higher" selected=!lower>"rises"</option>
                <option value="lower" selected=lower>"falls (churn, cost, tickets)"</option>
            </select>
        </p>
    }
}

/// The censoring caveat of a retention flag (`retention_7`, `retained_d30`):
/// a user who joined less than that many days before the data ends could
/// not have been seen on that day, yet counts as not retained.
fn retention_caveat(key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    if !lower.contains("retain") && !lower.contains("retention") {
        return None;
    }
    let digits = lower
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default();
    let (span, day) = if digits.is_empty() {
        ("that long".to_string(), "that day".to_string())
    } else {
        (format!("{digits} days"), format!("day {digits}"))
    };
    Some(format!(
        "{key} is read as a share of all users. A user who joined less than {span} before the data ends could not yet have come back by {day}, but counts as not retained (censoring): compare variants over users followed for long enough, or measure retention with the time tool's Kaplan–Meier curves, which count such users only while they are followed."
    ))
}

/// The segments: pick a column, see the uplift on the primary metric and
/// the ROI in each of its values.
#[component]
fn SegmentView(request: RwSignal<MetricsRequest>, column: RwSignal<String>) -> impl IntoView {
    // A large file's page holds only its sums: its own columns are offered,
    // and choosing one reads the file again, split by it.
    let large = Memo::new(move |_| {
        request.with(|r| r.rows.as_ref().and_then(|(_, text)| large_file_of(text)))
    });
    // A large file's sums must be read again for a column they are not
    // split by (its other columns are there only as metric sums).
    let needs_reading = move |col: &str| {
        large.with(|l| l.as_ref().is_some_and(|l| l.split.as_deref() != Some(col)))
    };
    let headers = Memo::new(move |_| {
        if let Some(l) = large.get() {
            return segment_candidates(l.headers, &l.columns);
        }
        request.with(|r| {
            r.rows.as_ref().map_or_else(Vec::new, |(columns, text)| {
                segment_candidates(header_fields(text), columns)
            })
        })
    });
    let reader = shared_reader();
    let report = Memo::new(move |_| {
        let col = column.get();
        if col.is_empty() {
            return None;
        }
        if needs_reading(&col) {
            return None;
        }
        request.with(|r| {
            let (columns, text) = r.rows.as_ref()?;
            // The whole experiment from its sums, which the page has
            // already read: the rows are read once more, split by segment.
            let whole = parse_experiment_with(&r.scenario.data, &r.scenario.columns);
            let mut s = r.scenario.clone();
            s.data = text.clone();
            s.columns = columns.clone();
            Some(match whole {
                Ok(whole) => segment_report_with(&s, &col, &whole).map_err(|e| e.to_string()),
                Err(_) => segment_report(&s, &col).map_err(|e| e.to_string()),
            })
        })
    });
    let options = move || {
        headers
            .get()
            .into_iter()
            .map(|h| {
                let selected = column.with_untracked(|c| *c == h);
                view! { <option value=h.clone() selected=selected>{h.clone()}</option> }
            })
            .collect_view()
    };
    let choose = move |col: String| {
        reader.split_error.set(None);
        column.set(col.clone());
        // Kept in the metric plan, so links and the autosave show it.
        let mut plan =
            request.with_untracked(|r| r.scenario.analysis.metrics.choices().unwrap_or_default());
        plan.segment = (!col.is_empty()).then(|| col.clone());
        choose(plan);
        if !col.is_empty() && needs_reading(&col) {
            read_split(reader, col);
        }
    };
    let body = move || {
        if reader.splitting.with(Option::is_some) {
            return Some(view! { <FileProgress reader id="segment"/> }.into_any());
        }
        if let Some(e) = reader.split_error.get() {
            return Some(view! { <p class="status error" id="segment-error">{e}</p> }.into_any());
        }
        report.get().map(|r| match r {
            Err(e) => view! { <p class="status error" id="segment-error">{e}</p> }.into_any(),
            Ok(r) => {
                let confidence = request.with_untracked(|q| q.scenario.confidence);
                segment_table(&r, confidence, METRICS_SEGMENTS).into_any()
            }
        })
    };
    (!headers.with_untracked(Vec::is_empty)).then(|| {
        view! {
            <fieldset class="segments">
                <legend>"Segments"</legend>
                <label for="segment-column">"Compare the uplift within each value of"</label>
                <select id="segment-column" on:change=move |ev| choose(event_target_value(&ev))>
                    <option value="">"— choose a column —"</option>
                    {options}
                </select>
                {body}
            </fieldset>
        }
    })
}

/// Columns that can be segments: not the variant, the user id or another
/// fixed role, nor an aggregated file's squares and products.
fn segment_candidates(headers: Vec<String>, columns: &ColumnMapping) -> Vec<String> {
    let roles = guess_roles(&headers);
    headers
        .into_iter()
        .zip(roles)
        .filter(|(h, guess)| {
            let role = columns.get(h).copied().or(*guess);
            matches!(
                role,
                None | Some(ColumnRole::Metric | ColumnRole::Ignore | ColumnRole::Segment)
            ) && !h.ends_with("_sq")
                && !h.contains("_x_")
        })
        .map(|(h, _)| h)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::retention_caveat;

    #[test]
    fn retention_flags_say_their_day_and_others_nothing() {
        let Some(note) = retention_caveat("retention_7") else {
            panic!("a caveat")
        };
        assert!(note.contains("7 days") && note.contains("day 7"), "{note}");
        assert!(retention_caveat("retained")
            .is_some_and(|n| n.contains("that long") && n.contains("that day")));
        assert_eq!(retention_caveat("converted"), None);
    }
}

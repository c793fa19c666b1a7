//! The choices under the verdict, a panel of the tools module: which arm is
//! the control when no name says it, every arm's lift and decision with the
//! arm the investment case and the segments rest on ("best arm" is one
//! choice, marked, never a silent default), and what one unit of the
//! primary metric is worth when the data has no revenue, with the unit the
//! monthly reach is counted in. Each choice goes to the page as one
//! `DataEvent::Choices`.

use leptos::prelude::*;
use uplift_engine::decision::every_arm;
use uplift_engine::decision::{analyze_metrics, Outcome};
use uplift_engine::headline::{arm_label, best_arm, Arm, ValueBasis};
use uplift_engine::{analyze_experiment, Report, Scenario};

use crate::data::data_events::DataEvent;
use crate::data::file_reader::tell_page;
use crate::investment::number_fields::parse_input;
use crate::platform::format;
use crate::results::results_panel::interval_text;

/// The panel's own styles, added to the page with it: only visits that
/// need it carry them.
const STYLE: &str = "\
.verdict-choices { margin-top: 0.75rem; display: grid; gap: 0.5rem; }\
.verdict-choices .arm-choice { margin: 0; }\
.every-arm ul { margin: 0.25rem 0 0.5rem; padding-left: 1.2rem; }\
.worth.needed { border-left: 4px solid var(--focus); padding-left: 0.75rem; }";

/// What the panel shows: the page's scenario (its data as sums) and the
/// name of the variant column.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoicesRequest {
    pub scenario: Scenario,
    pub variant_column: Option<String>,
}

impl ChoicesRequest {
    /// `json` then the variant column's name, a line each.
    pub fn from_text(text: &str) -> Option<ChoicesRequest> {
        let (json, column) = text.rsplit_once('\n')?;
        Some(ChoicesRequest {
            scenario: Scenario::from_json(json).ok()?,
            variant_column: (!column.is_empty()).then(|| column.to_string()),
        })
    }
}

/// The report and every arm with its decision, or nothing while the data
/// cannot be analysed.
fn analyse(r: &ChoicesRequest) -> Option<(Report, Vec<Arm>)> {
    let e = r.scenario.experiment().ok()?;
    let report = analyze_experiment(&r.scenario, &e).ok()?;
    let decisions = analyze_metrics(&r.scenario, &e).ok()?.arms;
    let arms = every_arm(&report, &decisions, r.variant_column.as_deref());
    Some((report, arms))
}

/// Send the choices, `edit` applied to the request's current ones.
fn send(request: RwSignal<Option<ChoicesRequest>>, edit: impl FnOnce(&mut Scenario)) {
    let Some(mut s) = request.with_untracked(|r| r.as_ref().map(|r| r.scenario.clone())) else {
        return;
    };
    edit(&mut s);
    // The whole scenario goes; the page takes only these choices from it.
    tell_page(&DataEvent::Choices(
        serde_json::to_string(&s).unwrap_or_default(),
    ));
}

fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Ship => "ship",
        Outcome::DontShip => "don't ship",
        Outcome::KeepRunning => "keep running",
    }
}

#[component]
pub fn VerdictChoices(request: RwSignal<Option<ChoicesRequest>>) -> impl IntoView {
    // `None`: the page no longer asks anything, the panel is empty.
    let analysis = Memo::new(move |_| request.with(|r| r.as_ref().and_then(analyse)));
    move || {
        analysis.with(|a| {
            let (report, arms) = a.as_ref()?;
            let h = &report.headline;
            let control = h
                .control_assumed
                .then(|| control_question(request, report, &arms[..]));
            let every = (!h.control_assumed && arms.len() > 1)
                .then(|| every_arm_view(request, report, &arms[..]));
            let worth = matches!(h.value, ValueBasis::Needed | ValueBasis::Typed)
                .then(|| worth_field(request, &h.metric, h.value));
            Some(view! {
                <style>{STYLE}</style>
                <div class="verdict-choices" id="verdict-choices">{control}{every}{worth}</div>
            })
        })
    }
}

/// Asked when no arm is named like a control: the verdict waits for it.
fn control_question(
    request: RwSignal<Option<ChoicesRequest>>,
    report: &Report,
    arms: &[Arm],
) -> impl IntoView {
    let column = request.with_untracked(|r| r.as_ref().and_then(|r| r.variant_column.clone()));
    let names: Vec<(String, String)> = std::iter::once((
        report.control.clone(),
        arm_label(&report.control, column.as_deref()),
    ))
    .chain(arms.iter().map(|a| (a.name.clone(), a.label.clone())))
    .collect();
    let hint = column.map_or(String::new(), |c| format!(" (the values of {c})"));
    view! {
        <p class="arm-choice">
            <label for="control-question" class="field-label">{format!("Which arm is the control{hint}?")}</label>
            " "
            <select
                id="control-question"
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    send(request, |s| s.control = Some(name));
                }
            >
                <option value="" selected=true disabled=true>"Choose…"</option>
                {names
                    .into_iter()
                    .map(|(name, label)| view! { <option value=name>{label}</option> })
                    .collect_view()}
            </select>
        </p>
    }
}

/// Each arm's lift on the primary metric and its decision, and the arm the
/// investment case and the segments use.
fn every_arm_view(
    request: RwSignal<Option<ChoicesRequest>>,
    report: &Report,
    arms: &[Arm],
) -> impl IntoView {
    let h = &report.headline;
    // The data came as sums, whose variant column is called "variant".
    let column = request.with_untracked(|r| r.as_ref().and_then(|r| r.variant_column.clone()));
    let control = arm_label(&report.control, column.as_deref());
    let best = best_arm(arms).map(|a| a.name.clone());
    let rows = arms
        .iter()
        .map(|a| {
            let lift = a
                .relative
                .map_or("—".to_string(), |x| format::signed_percent(x, 1));
            view! {
                <li>
                    <strong>{a.label.clone()}</strong>
                    {format!(
                        ": {} {lift} ({}), {}",
                        h.metric,
                        interval_text(a.relative_ci),
                        outcome_words(a.outcome)
                    )}
                </li>
            }
        })
        .collect_view();
    let options = arms
        .iter()
        .map(|a| {
            let text = if best.as_deref() == Some(a.name.as_str()) {
                format!("{} (best arm)", a.label)
            } else {
                a.label.clone()
            };
            let selected = a.name == report.treatment;
            view! { <option value=a.name.clone() selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="every-arm" id="every-arm">
            <p class="field-label">{format!("Every arm against {control} on {}", h.metric)}</p>
            <ul>{rows}</ul>
            <p class="arm-choice">
                <label for="treatment-arm" class="field-label">"The investment case and the segments use"</label>
                " "
                <select
                    id="treatment-arm"
                    on:change=move |ev| {
                        let name = event_target_value(&ev);
                        send(request, |s| s.treatment = Some(name));
                    }
                >
                    {options}
                </select>
            </p>
        </div>
    }
}

/// What one unit of the primary metric is worth, and what the reach counts.
fn worth_field(
    request: RwSignal<Option<ChoicesRequest>>,
    metric: &str,
    basis: ValueBasis,
) -> impl IntoView {
    let (worth, unit, aov) = request.with_untracked(|r| {
        let a = r
            .as_ref()
            .map(|r| r.scenario.assumptions.clone())
            .unwrap_or_default();
        (
            a.metric_value.map_or(String::new(), |m| format!("{}", m.0)),
            a.reach_unit,
            a.average_order_value,
        )
    });
    let needed = basis == ValueBasis::Needed;
    let problem = RwSignal::new(None::<String>);
    let set_worth = move |text: String| {
        let v = (!text.trim().is_empty()).then(|| parse_input(&text));
        if v.is_some_and(|x| !(x.is_finite() && x >= 0.0)) {
            problem.set(Some(format!(
                "“{}” is not an amount: write it as a number, e.g. 2.50. The last value stays.",
                text.trim()
            )));
            return;
        }
        problem.set(None);
        send(request, |s| {
            s.assumptions.metric_value = v.map(uplift_engine::units::Money)
        });
    };
    let set_unit = move |text: String| {
        send(request, |s| {
            s.assumptions.reach_unit = text.trim().to_string()
        });
    };
    let use_order_value = move |_| {
        send(request, |s| s.assumptions.metric_value = Some(aov));
    };
    view! {
        <div class="worth" class:needed=needed id="worth">
            <div class="field">
                <label for="metric-value" class="field-label">{format!("What is one {metric} worth?")}</label>
                <div class="input-with-unit">
                    <input
                        id="metric-value"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        placeholder="e.g. 2.50"
                        value=worth
                        on:change=move |ev| set_worth(event_target_value(&ev))
                    />
                    <span class="unit">"$"</span>
                </div>
                <p class="field-help">
                    {format!(
                        "The data has no revenue and {metric} is not a purchase, so only you can say what one unit of it earns (one survey “yes”, one thousand of sales). Until then there is no ROI."
                    )}
                </p>
                {move || problem.get().map(|p| view! { <p class="status error" role="alert" id="metric-value-error">{p}</p> })}
                {needed.then(|| view! {
                    <button type="button" class="button secondary" id="use-order-value" on:click=use_order_value>
                        {format!("Value it at the order value, {}", format::money(aov.0))}
                    </button>
                })}
            </div>
            <div class="field">
                <label for="reach-unit" class="field-label">"Step 2's monthly reach counts"</label>
                <input
                    id="reach-unit"
                    type="text"
                    autocomplete="off"
                    placeholder="users"
                    value=unit
                    on:change=move |ev| set_unit(event_target_value(&ev))
                />
            </div>
        </div>
    }
}

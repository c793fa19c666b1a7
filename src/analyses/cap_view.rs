//! "Cap outliers" in the metrics panel: the caps (and floors) on per-user
//! values the metric plan holds, each said in words with its value and the
//! users it changed, with a button that removes it, and a form that adds
//! one (a percentile of every user's value or an amount, optionally
//! without the zeros). The page applies the plan's caps when it reads the
//! data (the engine's `parse_experiment_capped`), so every table, the
//! verdict and the ROI compare the capped values.

use leptos::html::{Input, Select};
use leptos::prelude::*;
use uplift_engine::ingest::{resolve_caps, AppliedCap, CapAt, CapSpec, Tail, REVENUE_KEY};
use uplift_engine::scenario::MetricChoices;

use crate::analyses::metrics_panel::MetricsRequest;
use crate::platform::format;

const LEVELS: [(&str, &str); 5] = [
    ("0.999", "99.9th percentile"),
    ("0.99", "99th percentile"),
    ("0.95", "95th percentile"),
    ("0.9", "90th percentile"),
    ("amount", "An amount…"),
];

/// The section's own styles, added with the panel.
pub const STYLE: &str = "\
.cap-add { border: 1px solid var(--border); border-radius: var(--radius); margin: 0.8rem 0; padding: 0.5rem 0.8rem 0.8rem; }\
.cap-add label { display: block; margin: 0.4rem 0 0.2rem; }\
.cap-add label.inline { display: flex; gap: 0.4rem; align-items: center; }\
.cap-list { padding-left: 1.2rem; }\
.cap-list button { margin-left: 0.4rem; }";

/// "99th", "99.9th", "1st", "2nd", "3rd", "11th".
fn ordinal(pct: f64) -> String {
    if pct.fract().abs() > 1e-9 {
        return format!("{}th", format::number(pct, 1));
    }
    let n = pct.round() as u64;
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// One cap in words: "Revenue per user: values above 362.2 count as 362.2
/// (the 95th percentile of every user's value, zeros left out); 28 users
/// changed."
fn cap_sentence(spec: &CapSpec, label: &str, applied: Option<&AppliedCap>) -> String {
    let (beyond_word, end) = match spec.tail {
        Tail::Upper => ("above", "lowered"),
        Tail::Lower => ("below", "raised"),
    };
    let how = match spec.at {
        CapAt::Percentile(p) => {
            let zeros = if spec.ignore_zeros {
                ", zeros left out"
            } else {
                ""
            };
            format!(
                " (the {} percentile of every user's value in all variants{zeros})",
                ordinal(p * 100.0)
            )
        }
        CapAt::Value(_) => String::new(),
    };
    match applied {
        Some(a) => {
            let value = format::number(a.value, 2);
            let users = if a.beyond > 0 {
                format!("; {} users' values {end}", format::count(a.beyond))
            } else {
                String::new()
            };
            format!("{label}: values {beyond_word} {value} count as {value}{how}{users}.")
        }
        None => format!("{label}: not applied{how}; capping needs one row per user."),
    }
}

/// Write each percentile cap's value as taken (`applied`, one per cap in
/// order) into the plan: the page caps with it. Whether any changed.
fn with_values(plan: &mut MetricChoices, applied: &[AppliedCap]) -> bool {
    if applied.len() != plan.caps.len() {
        return false;
    }
    let mut changed = false;
    for (spec, a) in plan.caps.iter_mut().zip(applied) {
        if matches!(spec.at, CapAt::Percentile(_)) && spec.resolved != Some(a.value) {
            spec.resolved = Some(a.value);
            changed = true;
        }
    }
    changed
}

/// The plan with its percentile caps taken again from the rows the page
/// sent, when a value differs from the one the page capped with (new data,
/// or a plan written without values); `None` when none does.
pub fn caps_taken_again(request: &MetricsRequest) -> Option<MetricChoices> {
    let mut plan = request.scenario.analysis.metrics.choices().ok()?;
    if plan.caps.is_empty() {
        return None;
    }
    let (columns, text) = request.rows.as_ref()?;
    let applied = resolve_caps(text, columns, &plan.caps).ok()?;
    with_values(&mut plan, &applied).then_some(plan)
}

/// The plan's caps with their notes, and the form that adds one.
/// `aggregated`: the data are sums per variant, which cannot be capped;
/// `cappable`: each metric with numbers per user, as (key, label).
pub fn cap_section(
    request: RwSignal<MetricsRequest>,
    aggregated: bool,
    plan: MetricChoices,
    cappable: Vec<(String, String)>,
    choose: fn(MetricChoices),
) -> impl IntoView {
    let rows = request.with_untracked(|r| r.rows.clone());
    let sums = request.with_untracked(|r| r.scenario.experiment().ok());
    if cappable.is_empty() && plan.caps.is_empty() {
        return ().into_any();
    }
    // Each cap as applied: from the rows (with the users it changed), else
    // as the sums say.
    let applied: Vec<AppliedCap> = match (&rows, aggregated) {
        (Some((columns, text)), false) => {
            resolve_caps(text, columns, &plan.caps).unwrap_or_default()
        }
        _ => sums.map(|e| e.caps).unwrap_or_default(),
    };
    let label_of = |key: &str| {
        cappable
            .iter()
            .find(|(k, _)| k == key)
            .map_or(key.to_string(), |(_, l)| l.clone())
    };
    let notes = plan
        .caps
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            // From the rows, one per cap in order; from sums, by key (a
            // cap on the revenue column by its header is revenue's).
            let found = if aggregated {
                applied.iter().find(|a| {
                    a.tail == spec.tail
                        && (a.metric == spec.metric
                            || a.metric == REVENUE_KEY
                                && !cappable.iter().any(|(k, _)| *k == spec.metric))
                })
            } else {
                applied.get(i)
            };
            let sentence = cap_sentence(spec, &label_of(&spec.metric), found);
            let remove = {
                let plan = plan.clone();
                move |_| {
                    let mut next = plan.clone();
                    next.caps.remove(i);
                    choose(next);
                }
            };
            view! {
                <li id=format!("cap-note-{i}")>
                    {sentence}
                    <button type="button" class="button secondary" id=format!("remove-cap-{i}") on:click=remove>"Remove"</button>
                </li>
            }
        })
        .collect_view();
    if aggregated {
        return view! {
            <ul class="cap-list">{notes}</ul>
            <p class="method-note" id="cap-rows-note">"Capping outliers needs one row per user; these data are sums per variant."</p>
        }
        .into_any();
    }
    let metric_ref = NodeRef::<Select>::new();
    let level_ref = NodeRef::<Select>::new();
    let tail_ref = NodeRef::<Select>::new();
    let amount_ref = NodeRef::<Input>::new();
    let zeros_ref = NodeRef::<Input>::new();
    let amount_chosen = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let add = move |_| {
        let (Some(metric), Some(level), Some(tail), Some(zeros)) = (
            metric_ref.get(),
            level_ref.get(),
            tail_ref.get(),
            zeros_ref.get(),
        ) else {
            return;
        };
        let at = if level.value() == "amount" {
            let typed = amount_ref.get().map(|a| a.value()).unwrap_or_default();
            match format::read_number(&typed).filter(|v| v.is_finite()) {
                Some(v) => CapAt::Value(v),
                None => {
                    problem.set(Some("Type the amount to cap at, e.g. 500.".into()));
                    return;
                }
            }
        } else {
            match uplift_engine::decimal::parse_f64(&level.value()) {
                Some(p) => CapAt::Percentile(p),
                None => return,
            }
        };
        let spec = CapSpec {
            metric: metric.value(),
            tail: if tail.value() == "lower" {
                Tail::Lower
            } else {
                Tail::Upper
            },
            at,
            ignore_zeros: zeros.checked(),
            resolved: None,
        };
        let mut next = plan.clone();
        next.caps.push(spec);
        // A cap that cannot be taken is said here and not kept; one that
        // can goes to the page with its value.
        let taken = request.with_untracked(|r| {
            r.rows
                .as_ref()
                .map(|(columns, text)| resolve_caps(text, columns, &next.caps))
        });
        match taken {
            Some(Err(e)) => {
                problem.set(Some(e.to_string()));
                return;
            }
            Some(Ok(applied)) => {
                with_values(&mut next, &applied);
            }
            None => {}
        }
        problem.set(None);
        choose(next);
    };
    view! {
        <ul class="cap-list" aria-label="Caps on outliers">{notes}</ul>
        <fieldset class="cap-add">
            <legend>"Cap outliers (one row per user)"</legend>
            <label for="cap-metric">"Metric"</label>
            <select id="cap-metric" node_ref=metric_ref>
                {cappable.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
            </select>
            <label for="cap-tail">"Which end"</label>
            <select id="cap-tail" node_ref=tail_ref>
                <option value="upper">"High values (cap)"</option>
                <option value="lower">"Low values (floor)"</option>
            </select>
            <label for="cap-level">"At"</label>
            <select id="cap-level" node_ref=level_ref on:change=move |ev| amount_chosen.set(event_target_value(&ev) == "amount")>
                {LEVELS.iter().map(|(v, t)| view! { <option value=*v>{*t}</option> }).collect_view()}
            </select>
            <div hidden=move || !amount_chosen.get()>
                <label for="cap-amount">"Amount per user"</label>
                <input id="cap-amount" type="text" inputmode="decimal" node_ref=amount_ref/>
            </div>
            <label class="inline" for="cap-zeros">
                <input id="cap-zeros" type="checkbox" node_ref=zeros_ref/>
                "Leave zeros out of the percentile (when most users buy nothing)"
            </label>
            {move || problem.get().map(|p| view! { <p class="status error" id="cap-add-error">{p}</p> })}
            <p><button type="button" class="button secondary" id="add-cap" on:click=add>"Cap this metric"</button></p>
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percentile_is_taken_again_from_the_rows_only_when_its_value_changed() {
        let rows = "variant,revenue\nA,0\nA,10\nB,20\nB,1000\n".to_string();
        let request = |plan: &str| {
            let mut scenario = uplift_engine::Scenario::demo();
            scenario.analysis.metrics = MetricChoices {
                caps: CapSpec::parse(Tail::Upper, plan).into_iter().collect(),
                ..MetricChoices::default()
            }
            .into();
            MetricsRequest {
                scenario,
                rows: Some((Default::default(), rows.clone())),
                key: String::new(),
            }
        };
        // Pooled 0 10 20 1000: the median 15.
        let Some(next) = caps_taken_again(&request("revenue 50%")) else {
            panic!("no value taken");
        };
        assert_eq!(next.caps[0].resolved, Some(15.0));
        assert_eq!(caps_taken_again(&request("revenue 50% = 15")), None);
        assert_eq!(
            caps_taken_again(&request("revenue 50% = 14")).map(|p| p.caps[0].resolved),
            Some(Some(15.0))
        );
        // An amount needs nothing taken.
        assert_eq!(caps_taken_again(&request("revenue 500")), None);
    }

    #[test]
    fn percentiles_are_said_as_ordinals() {
        let said: Vec<String> = [99.0, 99.9, 95.0, 1.0, 2.0, 3.0, 11.0, 12.0, 21.0, 50.0]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            said,
            ["99th", "99.9th", "95th", "1st", "2nd", "3rd", "11th", "12th", "21st", "50th"]
        );
    }

    #[test]
    fn a_cap_is_said_with_its_value_its_percentile_and_the_users_it_changed() {
        let spec = |tail, at, ignore_zeros| CapSpec {
            metric: "spend".into(),
            tail,
            at,
            ignore_zeros,
            resolved: None,
        };
        let applied = |tail, value, beyond| AppliedCap {
            metric: "spend".into(),
            tail,
            value,
            beyond,
        };
        assert_eq!(
            cap_sentence(
                &spec(Tail::Upper, CapAt::Percentile(0.95), true),
                "Spend",
                Some(&applied(Tail::Upper, 362.2, 28))
            ),
            "Spend: values above 362.20 count as 362.20 (the 95th percentile of every user's value in all variants, zeros left out); 28 users' values lowered."
        );
        assert_eq!(
            cap_sentence(
                &spec(Tail::Lower, CapAt::Value(1.0), false),
                "Spend",
                Some(&applied(Tail::Lower, 1.0, 0))
            ),
            "Spend: values below 1.00 count as 1.00."
        );
        assert_eq!(
            cap_sentence(
                &spec(Tail::Upper, CapAt::Value(500.0), false),
                "Spend",
                None
            ),
            "Spend: not applied; capping needs one row per user."
        );
    }
}

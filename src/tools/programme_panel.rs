//! What a programme of experiments is worth: every experiment's lift shrunk
//! toward the programme's mean (the winner's curse), the shipped winners'
//! annual impact, NPV and chance of paying off, and their cumulative impact
//! by month. The inputs live in the page's scenario, so a share link or a
//! saved file carries them like a single experiment.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uplift_engine::programme::{read, report, worth, ProgrammeReport, Valuation, Worth, SAMPLE};

use crate::charts::programme_chart::{cumulative_summary, cumulative_svg};
use crate::data::data_events::DataEvent;
use crate::data::file_reader::tell_page;
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;

/// What the scenario keeps of this tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeInputs {
    /// The experiments as CSV text.
    pub experiments: String,
    pub valuation: Valuation,
}

impl ProgrammeInputs {
    pub fn from_json(text: &str) -> Option<ProgrammeInputs> {
        serde_json::from_str(text).ok()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report and worth of these inputs, or why there are none.
    pub fn evaluate(&self) -> Result<(ProgrammeReport, Worth), String> {
        let r = read(&self.experiments)
            .and_then(report)
            .map_err(|e| e.to_string())?;
        let w = worth(&r, &self.valuation).map_err(|e| e.to_string())?;
        Ok((r, w))
    }
}

fn parse_number(text: &str) -> Option<f64> {
    crate::platform::format::read_number(text)
}

#[component]
pub fn ProgrammePanel() -> impl IntoView {
    let context = use_tools_context();
    let saved = context
        .with_untracked(|c| c.programme.clone())
        .and_then(|p| ProgrammeInputs::from_json(&p));
    let start = saved.clone().unwrap_or(ProgrammeInputs {
        experiments: String::new(),
        valuation: Valuation::default(),
    });
    let text = RwSignal::new(start.experiments.clone());
    let annual = RwSignal::new(format!("{}", start.valuation.annual_value));
    let months = RwSignal::new(start.valuation.months.to_string());
    let discount = RwSignal::new(format!("{}", start.valuation.discount_rate * 100.0));
    let last_good = RwSignal::new(None::<(ProgrammeReport, Worth)>);

    // The inputs as typed, or what is wrong with them.
    let inputs = Memo::new(move |_| {
        let (Some(value), Some(m), Some(rate)) = (
            parse_number(&annual.get()),
            parse_number(&months.get()),
            parse_number(&discount.get()),
        ) else {
            return Err(
                "The value per year, the months counted and the discount rate must be numbers."
                    .to_string(),
            );
        };
        Ok(ProgrammeInputs {
            experiments: text.get(),
            valuation: Valuation {
                annual_value: value,
                months: m.round().clamp(0.0, 1e6) as u32,
                discount_rate: rate / 100.0,
                ..Valuation::default()
            },
        })
    });
    let outcome = Memo::new(move |_| {
        let inputs = inputs.get()?;
        if inputs.experiments.trim().is_empty() {
            return Err(String::new());
        }
        inputs.evaluate()
    });
    // The last valid programme stays on screen and in the scenario.
    Effect::new(move || {
        if let Ok(result) = outcome.get() {
            last_good.set(Some(result));
            if let Ok(i) = inputs.get_untracked() {
                let json = i.to_json();
                if context.with_untracked(|c| c.programme.as_deref() != Some(json.as_str())) {
                    tell_page(&DataEvent::Programme(json));
                }
            }
        }
    });
    // A link or file opened later brings its own programme.
    Effect::new(move |seen: Option<Option<String>>| {
        let now = context.with(|c| c.programme.clone());
        if seen.is_some() && now != seen.clone().flatten() {
            if let Some(i) = now.as_deref().and_then(ProgrammeInputs::from_json) {
                if inputs.get_untracked().ok().as_ref() != Some(&i) {
                    text.set(i.experiments);
                    annual.set(format!("{}", i.valuation.annual_value));
                    months.set(i.valuation.months.to_string());
                    discount.set(format!("{}", i.valuation.discount_rate * 100.0));
                }
            }
        }
        now
    });
    let error = move || match outcome.get() {
        Err(e) if !e.is_empty() => Some(e),
        _ => None,
    };

    view! {
        <section class="panel programme" id="programme" aria-labelledby="programme-title">
            <h2 id="programme-title">"What the programme is worth"</h2>
            <p class="hint">
                "One row per experiment: "<code>"name, lift, std_error"</code>" (or "<code>"ci_low, ci_high"</code>
                "), and optionally "<code>"cost, share, date"</code>". Lifts are fractions (0.05 = +5%); "
                <code>"share"</code>" is the share of traffic the change reaches once shipped. Experiments significant at 5% count as shipped."
            </p>
            <label for="programme-input" class="field-label">"Experiments (CSV)"</label>
            <textarea id="programme-input" rows="6" spellcheck="false"
                prop:value=move || text.get()
                on:change=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="button secondary" id="programme-sample"
                    on:click=move |_| text.set(SAMPLE.to_string())>"Load a sample programme"</button>
                <label class="control-field">
                    <span class="field-label">"Value per year of all traffic"</span>
                    <input id="programme-value" type="text" inputmode="decimal"
                        prop:value=move || annual.get()
                        on:change=move |ev| annual.set(event_target_value(&ev))/>
                </label>
                <label class="control-field">
                    <span class="field-label">"Months counted"</span>
                    <input id="programme-months" type="text" inputmode="numeric"
                        prop:value=move || months.get()
                        on:change=move |ev| months.set(event_target_value(&ev))/>
                </label>
                <label class="control-field">
                    <span class="field-label">"Discount rate (% a year)"</span>
                    <input id="programme-discount" type="text" inputmode="decimal"
                        prop:value=move || discount.get()
                        on:change=move |ev| discount.set(event_target_value(&ev))/>
                </label>
            </div>
            {move || error().map(|e| view! {
                <p class="status error" role="alert" id="programme-error">
                    {e}
                    {last_good.with(Option::is_some).then_some(" The results below are from the last valid programme.")}
                </p>
            })}
            {move || {
                context.track();
                last_good.get().map(|(r, w)| view! { <ProgrammeResults report=r worth=w/> })
            }}
        </section>
    }
}

#[component]
fn ProgrammeResults(report: ProgrammeReport, worth: Worth) -> impl IntoView {
    let rows = report
        .experiments
        .iter()
        .zip(&report.shrinkage.shrunk)
        .map(|(e, s)| {
            let shipped = e.is_winner();
            let half = 1.959_963_984_540_054 * e.std_error;
            view! {
                <tr class:shipped=shipped>
                    <th scope="row">{e.name.clone()}</th>
                    <td class="num">{format::signed_percent(e.lift, 1)}</td>
                    <td class="num">{format!("{} to {}", format::signed_percent(e.lift - half, 1), format::signed_percent(e.lift + half, 1))}</td>
                    <td class="num">{format::signed_percent(*s, 1)}</td>
                    <td>{if shipped { "shipped" } else { "" }}</td>
                    <td class="num">{format::percent(e.share, 0)}</td>
                    <td class="num">{format::money(e.cost)}</td>
                </tr>
            }
        })
        .collect_view();
    let curse = worth.annual_impact_raw - worth.annual_impact_shrunk;
    let shipped = report.winners.len();
    let headline = format!(
        "{} of {} experiments shipped: {} a year once shrunk for the winner's curse; net present value {}{}, with a {} chance that the programme paid off.",
        shipped,
        report.experiments.len(),
        format::money(worth.annual_impact_shrunk),
        format::money(worth.npv),
        worth.roi.map_or(String::new(), |r| format!(" (ROI {})", format::signed_percent(r, 0))),
        format::percent(worth.probability_positive, 0),
    );
    let detail = format!(
        "As measured, the shipped changes add {} a year; the winner's curse takes {} of that away. Costs: {} for all {} experiments. Each lift keeps {} of its distance from the programme's mean of {} (positive-part James–Stein). Interval of the NPV over the uncertainty of the true lifts: {} to {}.",
        format::money(worth.annual_impact_raw),
        format::money(curse),
        format::money(worth.total_cost),
        report.experiments.len(),
        format::percent(report.shrinkage.kept, 0),
        format::signed_percent(report.shrinkage.mean, 2),
        format::money(worth.npv_interval.0),
        format::money(worth.npv_interval.1),
    );
    let width = crate::charts::drawn_width(
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("programme"))
            .map_or(0.0, |e| f64::from(e.client_width())),
    );
    let chart = cumulative_svg(&worth.cumulative, width);
    let words = cumulative_summary(&worth.cumulative);
    view! {
        <p class="verdict" id="programme-verdict">{headline}</p>
        <p id="programme-detail">{detail}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Experiments of the programme">
            <table class="data-table" id="programme-table">
                <caption>"Each experiment's lift as measured and shrunk toward the programme's mean"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Experiment"</th>
                        <th scope="col" class="num">"Lift"</th>
                        <th scope="col" class="num">"95% interval"</th>
                        <th scope="col" class="num">"Shrunk lift"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Traffic"</th>
                        <th scope="col" class="num">"Cost"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="programme-table" name="programme table"/>
        {chart.map(|svg| view! { <crate::charts::DrawnChart id="programme-chart" name="programme chart" svg=svg summary=words.clone()/> })}
        <p class="method-note">
            "An experiment is called a winner partly because its noise happened to be positive, so the winners' measured lifts overstate what they deliver. Shrinking every lift toward the programme's mean (Efron and Morris's positive-part James–Stein estimator, as GrowthBook's Insights; at least 6 experiments) removes most of that bias. Impact per year = lift × share of traffic × value per year; the NPV discounts monthly as the investment case does; the chance of paying off draws the true lifts from their empirical-Bayes posterior (Morris 1983)."
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_round_trip_and_evaluate() {
        let i = ProgrammeInputs {
            experiments: SAMPLE.to_string(),
            valuation: Valuation::default(),
        };
        assert_eq!(ProgrammeInputs::from_json(&i.to_json()), Some(i.clone()));
        assert!(i.evaluate().is_ok());
        let few = ProgrammeInputs {
            experiments: "name,lift,std_error\na,0.1,0.02\n".into(),
            ..i
        };
        assert_eq!(
            few.evaluate().err().as_deref(),
            Some("Shrinking needs at least 6 experiments; there are 1.")
        );
        assert_eq!(parse_number("1,000,000"), Some(1e6));
        assert_eq!(parse_number("8 %"), Some(8.0));
    }
}

//! The investment case's details: how the benefits were worked out, the
//! cost by category, three named scenarios and the cash flow in Forrester
//! TEI form. Part of the tools module (src/bin/tools.rs), shown in its slot
//! (`investment_details_slot`) when the charts around it are drawn, so the
//! first download does not carry them.

use leptos::prelude::*;

use uplift_engine::report::Report;
use uplift_engine::{analyze_experiment, Scenario};

use crate::charts::TableDownload;
use crate::platform::format;

/// " Assumed (the demo's values, still unchanged in step 2): margin, reach."
pub fn assumed_text(report: &Report) -> String {
    let names: Vec<&str> = report.headline.assumed.iter().map(|a| a.label()).collect();
    if names.is_empty() {
        return String::new();
    }
    format!(
        " Assumed (the demo's values, unchanged in step 2): {}.",
        names.join(", ")
    )
}

/// The details for `scenario` (its data as sums, as the page's report
/// was computed from), analysed again here; nothing while it cannot be.
#[component]
pub fn InvestmentDetails(scenario: RwSignal<Scenario>) -> impl IntoView {
    move || {
        scenario.with(|s| {
            let experiment = s.experiment().ok()?;
            analyze_experiment(s, &experiment).ok().map(|r| details(&r))
        })
    }
}

fn details(report: &Report) -> impl IntoView {
    let inv = &report.investment;
    let roi = &report.roi;
    let months = inv.horizon_months;
    let tei = &roi.tei;
    let b = roi.benefits_per_month;

    let scenario_rows = roi
        .scenarios
        .iter()
        .map(|s| {
            let sum = &s.summary;
            view! {
                <tr>
                    <th scope="row">{s.name.clone()}</th>
                    <td class="num">{format::signed_percent(s.relative_uplift, 1)}</td>
                    <td class="num">{format::money(sum.total_benefit.0)}</td>
                    <td class="num">{format::money(sum.net_profit.0)}</td>
                    <td class="num">{sum.roi.map_or("—".to_string(), |r| format::percent(r.0, 0))}</td>
                    <td class="num">{format::money(sum.npv.0)}</td>
                    <td class="num">{sum.payback_month.map_or("—".to_string(), |m| format!("month {m}"))}</td>
                </tr>
            }
        })
        .collect_view();
    let tei_cols = tei.total_costs.len();
    let tei_head = (0..tei_cols)
        .map(|c| {
            let label = if c == 0 {
                "Initial".to_string()
            } else {
                format!("Year {c}")
            };
            view! { <th scope="col" class="num">{label}</th> }
        })
        .collect_view();
    let tei_row = |label: &'static str, cells: &[uplift_engine::units::Money], pv: String| {
        let total: f64 = cells.iter().map(|m| m.0).sum();
        let cells = cells
            .iter()
            .map(|m| view! { <td class="num">{format::money(m.0)}</td> })
            .collect_view();
        view! {
            <tr>
                <th scope="row">{label}</th>
                {cells}
                <td class="num">{format::money(total)}</td>
                <td class="num">{pv}</td>
            </tr>
        }
    };

    view! {
        <p class="method-note">
            {format!(
                "Benefits per month: {} from {} ({} ± {} on {}), {} from retention, {} from savings, all risk-adjusted. NPV at {} a year; ROI = (gain − cost) / cost; the chance and range come from {} simulated draws of the uplift (seeded, reproducible). Break-even uplift = the smallest uplift for which ROI ≥ 0.{}",
                format::money(b.uplift.0),
                if roi.quasi_experimental { "the difference-in-differences uplift, quasi-experimental: a launch without a control group" } else { "the measured uplift" },
                format::signed_percent(roi.uplift.mean, 1),
                format::percent(roi.uplift.std_error, 1),
                report.headline.metric,
                format::money(b.retention.0),
                format::money(b.savings.0),
                format::percent(roi.discount_rate, 0),
                roi.distribution.as_ref().map_or("no".to_string(), |d| format::count(u64::from(d.draws))),
                assumed_text(report),
            )}
        </p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Cost by category">
            <table class="data-table" id="cost-table">
                <caption>{format!("Cost by category over {months} months")}</caption>
                <tbody>
                    {inv.cost_by_category.iter().map(|(cat, m)| view! {
                        <tr><th scope="row">{cat.label()}</th><td class="num">{format::money(m.0)}</td></tr>
                    }).collect_view()}
                    <tr class="total"><th scope="row">"Total"</th><td class="num">{format::money(inv.total_cost.0)}</td></tr>
                </tbody>
            </table>
        </div>
        <TableDownload table_id="cost-table" name="cost table"/>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Three scenarios">
            <table class="data-table" id="scenario-table">
                <caption>"Three scenarios"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Scenario"</th>
                        <th scope="col" class="num">"Uplift"</th>
                        <th scope="col" class="num">"Extra gross profit"</th>
                        <th scope="col" class="num">"Net profit"</th>
                        <th scope="col" class="num">"ROI"</th>
                        <th scope="col" class="num">"NPV"</th>
                        <th scope="col" class="num">"Payback"</th>
                    </tr>
                </thead>
                <tbody>{scenario_rows}</tbody>
            </table>
        </div>
        <TableDownload table_id="scenario-table" name="scenarios table"/>
        <p class="method-note">"Conservative and optimistic use the lower and upper end of the uplift's interval at the chosen confidence level."</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Cash flow in TEI form">
            <table class="data-table" id="tei-table">
                <caption>"Cash flow in Forrester TEI form (risk-adjusted)"</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Line"</span></th>
                        {tei_head}
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col" class="num">"Present value"</th>
                    </tr>
                </thead>
                <tbody>
                    {tei_row("Total costs", &tei.total_costs, format::money(tei.pv_costs.0))}
                    {tei_row("Total benefits", &tei.total_benefits, format::money(tei.pv_benefits.0))}
                    {tei_row("Net benefits", &tei.net_benefits, format::money(tei.npv.0))}
                </tbody>
            </table>
        </div>
        <TableDownload table_id="tei-table" name="TEI cash flow table"/>
        <p class="method-note">
            {format!(
                "TEI conventions: Initial costs are not discounted, later years are discounted at the year's end; ROI = NPV / PV(costs) = {}; payback {}.",
                tei.roi.map_or("—".to_string(), |r| format::percent(r, 0)),
                tei.payback_months.map_or("not within the horizon".to_string(), |p| if p < 6.0 { "< 6 months".to_string() } else { format!("{} months", format::number(p, 1)) }),
            )}
        </p>
    }
}

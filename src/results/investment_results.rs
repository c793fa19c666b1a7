//! The investment case in the results: key figures, the ROI distribution,
//! cumulative cash flow, sensitivity, three named scenarios and the same
//! figures in Forrester TEI form.

use leptos::prelude::*;
use std::sync::Arc;

use uplift_engine::report::Report;

use crate::charts::cost_chart::cost_summary;
use crate::charts::{ChartFigure, ChartKind, TableDownload};
use crate::platform::format;
use crate::results::glossary::Term;

fn kpi(label: &'static str, id: &'static str, value: String) -> impl IntoView {
    let term = match id {
        "roi" => "roi",
        "payback" => "payback",
        "npv" => "npv",
        "chance-positive" => "p_roi",
        _ => "",
    };
    view! {
        <div class="kpi">
            <dt><Term key=term>{label}</Term></dt>
            <dd id=id>{value}</dd>
        </div>
    }
}

/// When the investment pays back, in the mode the report is in (TEI's
/// fractional months, or the month the cumulative cash flow turns positive).
pub fn payback_text(report: &Report) -> String {
    let inv = &report.investment;
    let roi = &report.roi;
    let months = inv.horizon_months;
    if roi.tei_mode {
        roi.tei
            .payback_months
            .map_or(format!("not within {months} months"), |p| {
                if p < 6.0 {
                    "< 6 months".to_string()
                } else {
                    format!("{} months", format::number(p, 1))
                }
            })
    } else {
        inv.payback_month
            .map_or(format!("not within {months} months"), |m| {
                format!("month {m}")
            })
    }
}

/// The ROI the page leads with (risk-adjusted in TEI mode).
pub fn headline_roi(report: &Report) -> String {
    if report.roi.tei_mode {
        report
            .roi
            .tei
            .roi
            .map_or("—".to_string(), |r| format::percent(r, 0))
    } else {
        report
            .investment
            .roi
            .map_or("—".to_string(), |r| format::percent(r.0, 0))
    }
}

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

/// The simulated chance that ROI is above 0.
pub fn chance_roi_positive(report: &Report) -> String {
    report
        .roi
        .probability_roi_positive
        .map_or("—".to_string(), format::probability)
}

#[component]
pub fn InvestmentResults(report: Arc<Report>) -> impl IntoView {
    let inv = &report.investment;
    let roi = &report.roi;
    let months = inv.horizon_months;
    let tei = &roi.tei;
    let payback = payback_text(&report);
    let headline_roi = headline_roi(&report);
    let headline_npv = if roi.tei_mode { tei.npv.0 } else { inv.npv.0 };
    let break_even = roi
        .break_even_relative_uplift
        .map_or("—".to_string(), |l| format::signed_percent(l, 1));
    let chance = chance_roi_positive(&report);
    let range = roi.roi_percentiles.map_or("—".to_string(), |p| {
        format!(
            "{} to {}",
            format::percent(p.p5 / 100.0, 0),
            format::percent(p.p95 / 100.0, 0)
        )
    });
    let b = roi.benefits_per_month;

    let cash_summary = format!(
        "Cumulative cash flow over {months} months: {} after month 1, {} at the end{}.",
        format::money(inv.monthly.first().map_or(0.0, |m| m.cumulative.0)),
        format::money(inv.net_profit.0),
        inv.payback_month
            .map_or(String::new(), |p| format!(", payback in month {p}"))
    );
    let roi_chart = roi.distribution.as_ref().map(|d| {
        let summary = format!(
            "Simulated ROI: median {}, 90% of outcomes between {} and {}; {} chance ROI is above 0.",
            format::percent(d.p50, 0),
            format::percent(d.p5, 0),
            format::percent(d.p95, 0),
            format::probability(d.probability_positive)
        );
        view! { <ChartFigure kind=ChartKind::Roi name="ROI distribution chart" summary=summary/> }
    });
    let tornado_summary = roi
        .tornado
        .iter()
        .map(|t| {
            format!(
                "{}: {} to {}",
                t.input,
                format::percent(t.roi_low, 0),
                format::percent(t.roi_high, 0)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
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
        <h3>{format!("Investment over {months} months")}</h3>
        <dl class="kpis">
            {kpi("Total cost", "total-cost", format::money(inv.total_cost.0))}
            {kpi("Extra gross profit", "total-benefit", format::money(inv.total_benefit.0))}
            {kpi("Net profit", "net-profit", format::money(inv.net_profit.0))}
            {kpi(if roi.tei_mode { "ROI (TEI)" } else { "ROI" }, "roi", headline_roi)}
            {kpi("Payback", "payback", payback)}
            {kpi(if roi.tei_mode { "NPV (TEI)" } else { "NPV" }, "npv", format::money(headline_npv))}
            {kpi("IRR", "irr", inv.irr.map_or("—".to_string(), |r| if r.0 > 10.0 { "> 1,000%".to_string() } else { format::percent(r.0, 0) }))}
            {kpi("Break-even uplift", "break-even", break_even)}
            {kpi("Chance ROI > 0", "chance-positive", chance)}
            {kpi("ROI, 90% range", "roi-range", range)}
        </dl>
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
                assumed_text(&report),
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
        <ChartFigure kind=ChartKind::Cost name="cost breakdown chart" summary=cost_summary(inv)/>
        <ChartFigure kind=ChartKind::Cashflow name="cash flow chart" summary=cash_summary/>
        {roi_chart}
        <ChartFigure kind=ChartKind::Tornado name="sensitivity chart" summary=format!("Sensitivity of ROI to ±20% in each input (orange: input 20% lower, blue: 20% higher). {tornado_summary}")/>
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

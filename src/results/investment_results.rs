//! The investment case in the results: its key figures, and its charts
//! (cost by category, cumulative cash flow, the ROI distribution and
//! sensitivity). Its tables (three named scenarios, the same figures in
//! Forrester TEI form) are in the tools module (`investment_details`).

use leptos::prelude::*;
use std::sync::Arc;

use uplift_engine::report::Report;

use crate::charts::cost_chart::cost_summary;
use crate::charts::{ChartFigure, ChartKind};
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
    }
}

/// The investment case's charts: cost by category, cumulative cash flow,
/// the simulated ROI and its sensitivity to each input.
#[component]
pub fn InvestmentCharts(report: Arc<Report>) -> impl IntoView {
    let inv = &report.investment;
    let roi = &report.roi;
    let months = inv.horizon_months;
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
    view! {
        <ChartFigure kind=ChartKind::Cost name="cost breakdown chart" summary=cost_summary(inv)/>
        <ChartFigure kind=ChartKind::Cashflow name="cash flow chart" summary=cash_summary/>
        {roi_chart}
        <ChartFigure kind=ChartKind::Tornado name="sensitivity chart" summary=format!("Sensitivity of ROI to ±20% in each input (orange: input 20% lower, blue: 20% higher). {tornado_summary}")/>
    }
}

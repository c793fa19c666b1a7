//! Step 3: the verdict in one sentence, then the experiment table, customer
//! value, the investment case and the conversion chart.

use leptos::prelude::*;
use uplift_engine::report::{Metric, MetricVariant, Report, VsControl};

use crate::charts::conversion_chart::ConversionChart;
use crate::format;
use crate::state::use_app_state;

/// The sentence a budget owner can repeat.
pub fn verdict(r: &Report) -> String {
    let conf = format::percent(r.confidence, 0);
    let uplift = r
        .metric(Metric::ConversionRate)
        .and_then(|m| m.variants.iter().find(|v| v.name == r.treatment))
        .and_then(|v| v.vs_control.as_ref());
    let lift_part = match uplift {
        Some(VsControl {
            relative: Some(rel),
            relative_ci: Some(ci),
            significant,
            ..
        }) => {
            let verb = if *rel >= 0.0 { "lifts" } else { "lowers" };
            let caveat = if *significant {
                ""
            } else {
                ", which is not statistically significant"
            };
            format!(
                "The {} variant {verb} conversion by {} ({conf} CI {} to {}){caveat}.",
                r.treatment,
                format::percent(rel.abs(), 1),
                format::signed_percent(ci.low, 1),
                format::signed_percent(ci.high, 1),
            )
        }
        _ => format!(
            "The {} variant's conversion uplift cannot be estimated from this data.",
            r.treatment
        ),
    };
    let inv = &r.investment;
    let months = inv.horizon_months;
    let money_part = match inv.roi {
        Some(roi) => {
            let payback = match inv.payback_month {
                Some(m) => format!("payback in month {m}"),
                None => format!("no payback within {months} months"),
            };
            format!(
                " With {} of cost, ROI is {} over {months} months, {payback}.",
                format::money(inv.total_cost.0),
                format::percent(roi.fraction(), 0),
            )
        }
        None => format!(
            " With no costs entered, the extra gross profit is {} over {months} months.",
            format::money(inv.total_benefit.0)
        ),
    };
    format!("{lift_part}{money_part}")
}

fn uplift_cell(vs: Option<&VsControl>) -> (String, String, String) {
    match vs {
        None => ("control".into(), "—".into(), String::new()),
        Some(vs) => {
            let rel = vs
                .relative
                .map_or("—".to_string(), |r| format::signed_percent(r, 1));
            let ci = vs.relative_ci.map_or_else(
                || vs.note.clone().unwrap_or_default(),
                |ci| {
                    format!(
                        "{} to {}",
                        format::signed_percent(ci.low, 1),
                        format::signed_percent(ci.high, 1)
                    )
                },
            );
            let p = vs.p_value.map_or("—".to_string(), format::p_value);
            (rel, ci, p)
        }
    }
}

fn significance_class(v: &MetricVariant) -> &'static str {
    match &v.vs_control {
        Some(vs) if vs.significant => match vs.relative {
            Some(r) if r > 0.0 => "sig-up",
            Some(_) => "sig-down",
            None => "",
        },
        _ => "",
    }
}

#[component]
pub fn ResultsPanel() -> impl IntoView {
    let state = use_app_state();
    view! {
        <section class="panel results" id="results" aria-labelledby="results-title" aria-live="polite">
            <h2 id="results-title"><span class="step">"3"</span>" Results"</h2>
            {move || match state.shown.get() {
                None => view! {
                    <p class="status" id="no-results">"Results appear here once the data can be read."</p>
                }
                .into_any(),
                Some(r) => view! {
                    <p class="verdict" id="verdict">{verdict(&r)}</p>
                    <ExperimentTable report=r.clone()/>
                    <ConversionChart/>
                    <ValueTable report=r.clone()/>
                    <InvestmentSummary report=r/>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn ExperimentTable(report: Report) -> impl IntoView {
    let conf = format::percent(report.confidence, 0);
    let srm_warning = report.srm.filter(|s| s.mismatch).map(|s| {
        view! {
            <p class="status error" role="alert" id="srm-warning">
                {format!(
                    "Sample ratio mismatch: the users are not split as expected (p = {}). The assignment may be broken; treat these results with suspicion.",
                    format::p_value(s.p_value)
                )}
            </p>
        }
    });
    let metrics = report.metrics.clone();
    view! {
        {srm_warning}
        {metrics
            .into_iter()
            .map(|m| {
                let is_rate = m.metric == Metric::ConversionRate;
                let id = match m.metric {
                    Metric::ConversionRate => "conversion-table",
                    Metric::RevenuePerUser => "revenue-table",
                };
                let rows = m
                    .variants
                    .iter()
                    .map(|v| {
                        let (rel, ci, p) = uplift_cell(v.vs_control.as_ref());
                        let value = if is_rate {
                            format::percent(v.value, 2)
                        } else {
                            format::money(v.value)
                        };
                        let own_ci = v.ci.map(|ci| {
                            format!(" ({} to {})", format::percent(ci.low, 2), format::percent(ci.high, 2))
                        });
                        view! {
                            <tr class=significance_class(v)>
                                <th scope="row">{v.name.clone()}</th>
                                <td class="num">{format::count(v.users)}</td>
                                <td class="num value">{value}<span class="ci">{own_ci}</span></td>
                                <td class="num uplift">{rel}</td>
                                <td class="num ci">{ci}</td>
                                <td class="num p">{p}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="data-table" id=id>
                            <caption>{m.metric.label()}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Variant"</th>
                                    <th scope="col" class="num">"Users"</th>
                                    <th scope="col" class="num">{m.metric.label()}</th>
                                    <th scope="col" class="num">"Uplift vs control"</th>
                                    <th scope="col" class="num">{format!("{conf} interval of uplift")}</th>
                                    <th scope="col" class="num">"p-value"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
            })
            .collect_view()}
        <p class="method-note">
            {format!("Relative uplift with a {conf} interval by the delta method and a Welch t-test on the relative lift (as GrowthBook). The p-value comes from the same test, so an interval that excludes 0 is exactly p < {}.", format::number(1.0 - report.confidence, 2))}
        </p>
    }
}

#[component]
fn ValueTable(report: Report) -> impl IntoView {
    let a_note = "CLV = order value × purchases per year × gross margin × lifespan.";
    let rows = report
        .value
        .iter()
        .map(|v| {
            view! {
                <tr>
                    <th scope="row">{v.name.clone()}</th>
                    <td class="num">{v.average_order_value.map_or("—".to_string(), |m| format::money(m.0))}</td>
                    <td class="num">{format::money(v.revenue_per_user.0)}</td>
                    <td class="num clv">{format::money(v.clv.0)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table" id="value-table">
                <caption>"Customer value"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Variant"</th>
                        <th scope="col" class="num">"Average order value"</th>
                        <th scope="col" class="num">"Revenue per user"</th>
                        <th scope="col" class="num">"Customer lifetime value"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="method-note">{a_note}</p>
    }
}

#[component]
fn InvestmentSummary(report: Report) -> impl IntoView {
    let inv = report.investment;
    let item = |label: &'static str, id: &'static str, value: String| {
        view! {
            <div class="kpi">
                <dt>{label}</dt>
                <dd id=id>{value}</dd>
            </div>
        }
    };
    let roi = inv
        .roi
        .map_or("—".to_string(), |r| format::percent(r.fraction(), 0));
    let payback = inv
        .payback_month
        .map_or(format!("not within {} months", inv.horizon_months), |m| {
            format!("month {m}")
        });
    view! {
        <h3>{format!("Investment over {} months", inv.horizon_months)}</h3>
        <dl class="kpis">
            {item("Total cost", "total-cost", format::money(inv.total_cost.0))}
            {item("Extra gross profit", "total-benefit", format::money(inv.total_benefit.0))}
            {item("Net profit", "net-profit", format::money(inv.net_profit.0))}
            {item("ROI", "roi", roi)}
            {item("Payback", "payback", payback)}
        </dl>
        <p class="method-note">
            {format!(
                "Extra gross profit = users per month × (revenue per user of {} − of {}) × gross margin = {} a month. ROI = (gain − cost) / cost.",
                report.treatment,
                report.control,
                format::money(report.monthly_benefit.0),
            )}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::{analyze, Scenario};

    #[test]
    fn demo_verdict_reads_as_a_sentence() {
        let r = match analyze(&Scenario::demo()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let v = verdict(&r);
        assert!(
            v.starts_with("The personalized variant lifts conversion by 30.0% (95% CI +"),
            "{v}"
        );
        assert!(v.contains("With $114,000 of cost, ROI is"), "{v}");
        assert!(v.contains("payback in month 2"), "{v}");
    }
}

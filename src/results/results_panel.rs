//! The result views below the summary: the metrics (analysis controls,
//! experiment tables, uplift charts), customer value and the investment
//! case, each a section the view index links to. Also the verdict sentence
//! the summary leads with.

use leptos::prelude::*;
use std::sync::Arc;

use uplift_engine::decision::{GuardrailStatus, Outcome};
use uplift_engine::headline::ValueBasis;
use uplift_engine::report::{Metric, MetricVariant, Report, VsControl};
use uplift_engine::scenario::Method;
use uplift_engine::units::Interval;

use crate::charts::conversion_chart::ConversionChart;
use crate::charts::forest_chart::forest_summary;
use crate::charts::posterior_chart::posterior_summary;
use crate::charts::value_chart::value_summary;
use crate::charts::{interval_label, posterior_metric, ChartFigure, ChartKind, TableDownload};
use crate::platform::format;
use crate::results::analysis_controls_slot::AnalysisControlsSlot;
use crate::results::data_views_slot::DataViewsSlot;
use crate::results::glossary::Term;
use crate::results::investment_details_slot::InvestmentDetailsSlot;
use crate::results::investment_results::{InvestmentCharts, InvestmentResults};
use crate::results::metrics_slot::MetricsSlot;
use crate::state::{use_app_state, ResultView};

/// The uplift the key figures show: the primary metric's, for the arm the
/// investment case rests on; with the words that name the metric.
pub fn headline_uplift(r: &Report) -> (String, Option<&VsControl>) {
    (r.headline.metric.clone(), r.primary_vs_control())
}

/// The decision in a few words, as the verdict and the key figures start.
pub fn outcome_words(outcome: Outcome, arm: &str) -> String {
    match outcome {
        Outcome::Ship => format!("Ship {arm}"),
        Outcome::DontShip => format!("Don't ship {arm}"),
        Outcome::KeepRunning => "Keep running".to_string(),
    }
}

/// "Ship personalized: revenue per user is better (p < 0.05)."
pub fn decision_sentence(outcome: Outcome, arm: &str, reason: &str) -> String {
    format!("{}: {}", outcome_words(outcome, arm), lower_first(reason))
}

/// The whole decision as the verdict states it, from the metrics panel's
/// decision (guardrails included): the reason is the guardrail that stops
/// a ship when one does, else the primary metric's.
pub fn full_decision_sentence(d: &uplift_engine::decision::Decision, arm: &str) -> String {
    let primary_better = d
        .reasons
        .first()
        .is_some_and(|r| r.contains(" is better ("));
    let guardrail = |stops: &dyn Fn(GuardrailStatus) -> bool| {
        d.guardrails
            .iter()
            .zip(d.reasons.iter().skip(1))
            .find(|(g, _)| stops(g.status))
            .map(|(_, r)| r)
    };
    let reason = match d.outcome {
        Outcome::DontShip => {
            guardrail(&|s| matches!(s, GuardrailStatus::Breached | GuardrailStatus::Failed))
        }
        Outcome::KeepRunning if primary_better => guardrail(&|s| s != GuardrailStatus::Holds),
        _ => None,
    }
    .or(d.reasons.first())
    .map_or("", String::as_str);
    decision_sentence(d.outcome, arm, reason)
}

/// The decision's sentence for the report: the primary metric's alone, or,
/// when the plan has guardrails, the metrics panel's (`full`, for this very
/// report) once it has come.
pub fn decision_text(r: &Report, full: Option<&str>) -> String {
    let h = &r.headline;
    match (&h.decision, h.guardrails, full) {
        (_, true, Some(full)) => full.to_string(),
        (_, true, None) => "Checking the guardrails (see Metrics)…".to_string(),
        (Some((outcome, reason)), false, _) => {
            decision_sentence(*outcome, &h.treatment_label, reason)
        }
        (None, false, _) => "Keep running: there is no metric to decide on.".to_string(),
    }
}

/// The sentence a budget owner can repeat: the decision and why (`full`:
/// see [`decision_text`]), the lift in words, then the money — stated as
/// expected only when the lift is clear, what was assumed, and whether
/// the data is the built-in demo's.
pub fn verdict(r: &Report, full: Option<&str>) -> String {
    let h = &r.headline;
    if h.control_assumed {
        return format!(
            "Which arm is the control? No name says so ({} is first in the file): choose it below to see the verdict.",
            h.control_label
        );
    }
    let decision = decision_text(r, full);
    let conf = format::percent(r.confidence, 0);
    let interval_name = match r.method {
        Method::Frequentist => "CI",
        Method::Sequential => "always-valid CI",
        Method::Bayesian => "credible interval",
    };
    let metric = &h.metric;
    let vs = r.primary_vs_control();
    let lift_part = match vs {
        Some(
            vs @ VsControl {
                relative: Some(rel),
                relative_ci: Some(ci),
                ..
            },
        ) => {
            let verb = if *rel >= 0.0 { "lifts" } else { "lowers" };
            let chance = match (r.method, vs.chance_to_beat_control) {
                (Method::Bayesian, Some(c)) => {
                    format!(", with a {} chance to beat control", format::probability(c))
                }
                _ => String::new(),
            };
            format!(
                " Compared with {}, {} {verb} {metric} by {}, likely between {} and {} ({conf} {interval_name}){chance}.",
                h.control_label,
                h.treatment_label,
                format::percent(rel.abs(), 1),
                format::signed_percent(ci.low, 1),
                format::signed_percent(ci.high, 1),
            )
        }
        _ => format!(
            " The lift of {} in {metric} cannot be estimated from this data.",
            h.treatment_label
        ),
    };
    let inv = &r.investment;
    let months = inv.horizon_months;
    let clear = vs.is_some_and(|v| v.significant);
    let money_part = match inv.roi {
        _ if h.value == ValueBasis::Needed => {
            format!(" What is one {metric} worth? Say it below to see the ROI.")
        }
        Some(roi) => {
            let payback = match inv.payback_month {
                Some(m) => format!("payback in month {m}"),
                None => format!("no payback within {months} months"),
            };
            let cost = format::money(inv.total_cost.0);
            let tei = &r.roi.tei;
            match (r.roi.tei_mode, tei.roi) {
                (true, Some(tei_roi)) => format!(
                    " With {cost} of cost, risk-adjusted ROI in TEI terms is {} (NPV {}) over {months} months{}.",
                    format::percent(tei_roi, 0),
                    format::money(tei.npv.0),
                    r.roi.probability_roi_positive.map_or(String::new(), |p| {
                        format!(", {} chance ROI > 0", format::probability(p))
                    }),
                ),
                _ if clear => format!(
                    " With {cost} of cost, expected ROI is {} over {months} months, {payback}{}.",
                    format::percent(roi.fraction(), 0),
                    r.roi.probability_roi_positive.map_or(String::new(), |p| {
                        format!(", {} chance ROI > 0", format::probability(p))
                    }),
                ),
                _ => format!(
                    " If the observed lift holds, ROI would be {} over {months} months with {cost} of cost, {payback}{}.",
                    format::percent(roi.fraction(), 0),
                    r.roi.probability_roi_positive.map_or(String::new(), |p| {
                        format!("; the chance of a loss is {}", format::probability(1.0 - p))
                    }),
                ),
            }
        }
        None => format!(
            " With no costs entered, the extra gross profit is {} over {months} months.",
            format::money(inv.total_benefit.0)
        ),
    };
    let assumed = if h.assumed.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = h.assumed.iter().map(|a| a.label()).collect();
        format!(" Assumed: {}.", names.join(", "))
    };
    let demo = if h.demo {
        " These are the demo's numbers: paste or drop your export in step 1."
    } else {
        ""
    };
    format!("{decision}{lift_part}{money_part}{assumed}{demo}")
}

/// `Revenue per user is better` → `revenue per user is better`, unless the
/// first word is a column's name written in capitals (`SalesInThousands`).
fn lower_first(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or_default();
    let rest_lower = first_word.chars().skip(1).all(|c| !c.is_ascii_uppercase());
    let mut out = s.to_string();
    if rest_lower {
        if let Some(first) = out.get_mut(..1) {
            first.make_ascii_lowercase();
        }
    }
    out
}

/// A variant's verdict in plain words, from the method's own test.
pub fn variant_verdict(vs: &VsControl, method: Method, confidence: f64) -> String {
    if let Some(note) = &vs.note {
        if vs.relative_ci.is_none() {
            return note.clone();
        }
    }
    let up = vs.relative.unwrap_or(vs.absolute) > 0.0;
    match method {
        Method::Bayesian => match vs.chance_to_beat_control {
            Some(c) if c >= confidence => format!("Better ({} chance)", format::probability(c)),
            Some(c) if c <= 1.0 - confidence => {
                format!("Worse ({} chance it is better)", format::probability(c))
            }
            Some(c) => format!(
                "Not yet clear ({} chance to beat control)",
                format::probability(c)
            ),
            None => "Not enough data".into(),
        },
        Method::Frequentist | Method::Sequential => match (vs.significant, up) {
            (true, true) => "Better: significant".into(),
            (true, false) => "Worse: significant".into(),
            (false, _) => "No clear difference yet".into(),
        },
    }
}

pub fn interval_text(ci: Option<Interval>) -> String {
    ci.map_or("—".to_string(), |ci| {
        format!(
            "{} to {}",
            format::signed_percent(ci.low, 1),
            format::signed_percent(ci.high, 1)
        )
    })
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

/// True unless both results exist and are `same`.
fn changed_unless(
    a: Option<&Option<Arc<Report>>>,
    b: Option<&Option<Arc<Report>>>,
    same: impl Fn(&Report, &Report) -> bool,
) -> bool {
    match (a, b) {
        (Some(Some(a)), Some(Some(b))) => !same(a, b),
        (Some(None), Some(None)) => false,
        _ => true,
    }
}

/// What the experiment table and the uplift charts show.
fn experiment_changed(a: Option<&Option<Arc<Report>>>, b: Option<&Option<Arc<Report>>>) -> bool {
    changed_unless(a, b, |a, b| {
        a.control == b.control
            && a.treatment == b.treatment
            && a.confidence == b.confidence
            && a.method == b.method
            && a.srm == b.srm
            && a.metrics == b.metrics
            && a.value == b.value
            && a.display == b.display
    })
}

/// What the customer-value table and charts show.
fn value_changed(a: Option<&Option<Arc<Report>>>, b: Option<&Option<Arc<Report>>>) -> bool {
    changed_unless(a, b, |a, b| {
        a.value == b.value && a.clv == b.clv && a.display == b.display
    })
}

#[component]
pub fn ResultsPanel() -> impl IntoView {
    let state = use_app_state();
    let shown = state.shown;
    // Each part re-renders only when what it shows changes: editing a cost
    // redraws the investment case, not the experiment's tables and charts.
    let experiment = Memo::new_with_compare(move |_| shown.get(), experiment_changed);
    let value = Memo::new_with_compare(move |_| shown.get(), value_changed);
    let section = |v: ResultView| (v.id(), v.title_id(), v.label());
    let (metrics_id, metrics_title, metrics_label) = section(ResultView::Metrics);
    let (value_id, value_title, value_label) = section(ResultView::CustomerValue);
    let (case_id, case_title, case_label) = section(ResultView::InvestmentCase);
    view! {
        <div class="panel results" id="results">
            <section class="result-view" id=metrics_id aria-labelledby=metrics_title tabindex="-1">
                <h2 id=metrics_title>{metrics_label}</h2>
                <AnalysisControlsSlot/>
                {move || experiment.get().map(|r| view! { <ExperimentTable report=r/> })}
                // Drawn a frame after the first paint on page load; immediately
                // on every later change.
                {move || state.first_paint_done.get().then(|| view! {
                    {move || experiment.with(|r| r.as_deref().map(uplift_charts))}
                    <ConversionChart/>
                })}
                <MetricsSlot/>
            </section>
            <section class="result-view" id=value_id aria-labelledby=value_title tabindex="-1">
                <h2 id=value_title>{value_label}</h2>
                {move || state.first_paint_done.get().then(|| value.get().map(|r| view! { <ValueTable report=r/> }))}
            </section>
            <section class="result-view" id=case_id aria-labelledby=case_title tabindex="-1">
                <h2 id=case_title>{case_label}</h2>
                {move || state.first_paint_done.get().then(|| shown.get().map(|r| view! { <InvestmentResults report=r/> }))}
                // Made once, not per report: the tools module keeps its panel
                // in this slot and updates it.
                <InvestmentDetailsSlot/>
                {move || state.first_paint_done.get().then(|| shown.get().map(|r| view! { <InvestmentCharts report=r/> }))}
            </section>
            <DataViewsSlot/>
        </div>
    }
}

/// The forest plot of every uplift and, for the Bayesian method, the
/// posterior of the lift on the verdict's metric.
fn uplift_charts(r: &Report) -> impl IntoView {
    let interval = interval_label(r);
    let posterior = posterior_metric(r).map(|m| {
        view! {
            <ChartFigure
                kind=ChartKind::Posterior
                name="posterior chart"
                summary=posterior_summary(m, r.confidence)
            />
        }
    });
    // A file of metric columns only has no fixed metrics to plot here; its
    // comparisons are in the metrics panel.
    let forest = (!r.metrics.is_empty()).then(|| {
        view! {
            <ChartFigure
                kind=ChartKind::Forest
                name="uplift forest plot"
                summary=forest_summary(&r.metrics, &interval)
            />
        }
    });
    view! {
        {forest}
        {posterior}
    }
}

#[component]
fn ExperimentTable(report: Arc<Report>) -> impl IntoView {
    let conf = format::percent(report.confidence, 0);
    let method = report.method;
    let confidence = report.confidence;
    let srm_warning = report.srm.filter(|s| s.mismatch).map(|s| {
        view! {
            <p class="status error" role="alert" id="srm-warning">
                {format!(
                    "Sample ratio mismatch: the users are not split as planned (χ² {}). The assignment or tracking may be broken, so these results may be biased.",
                    format::p_is(s.p_value)
                )}
            </p>
        }
    });
    let several = report.value.len() > 2;
    let interval_label = match method {
        Method::Frequentist => format!("{conf} confidence interval"),
        Method::Sequential => format!("{conf} always-valid interval"),
        Method::Bayesian => format!("{conf} credible interval"),
    };
    let (col5, col6) = match method {
        Method::Bayesian => ("Chance to beat control", "Expected loss"),
        _ if several => ("p-value (adjusted)", "Verdict"),
        _ => ("p-value", "Verdict"),
    };
    let (key5, key6) = match method {
        Method::Bayesian => ("chance", "loss"),
        _ => ("p", ""),
    };
    let tables = report
        .metrics
        .iter()
        .map(|(&metric, m)| {
            let is_rate = matches!(metric, Metric::ConversionRate | Metric::ClickThroughRate);
            let (id, table_name) = match metric {
                Metric::ConversionRate => ("conversion-table", "conversion rate table"),
                Metric::RevenuePerUser => ("revenue-table", "revenue per user table"),
                Metric::AverageOrderValue => ("aov-table", "average order value table"),
                Metric::ClickThroughRate => ("ctr-table", "click-through rate table"),
            };
            let term = match metric {
                Metric::ConversionRate => "conversion",
                Metric::RevenuePerUser => "rpu",
                Metric::AverageOrderValue => "aov",
                Metric::ClickThroughRate => "ctr",
            };
            let cuped_note = m
                .variants
                .iter()
                .filter_map(|v| v.vs_control.as_ref().and_then(|vs| vs.cuped.map(|c| (v.name.clone(), c))))
                .map(|(name, c)| {
                    format!(
                        "{name}: CUPED used the pre-period revenue (θ = {}) and removed {} of the uplift's variance.",
                        format::number(c.theta, 3),
                        format::percent(c.variance_reduction.max(0.0), 0)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ");
            let rows = m
                .variants
                .iter()
                .map(|v| {
                    let value = if is_rate {
                        format::percent(v.value, 2)
                    } else {
                        format::money(v.value)
                    };
                    let own_ci = v.ci.map(|ci| {
                        format!(
                            " ({} to {})",
                            format::percent(ci.low, 2),
                            format::percent(ci.high, 2)
                        )
                    });
                    let (rel, ci, c5, c6) = match &v.vs_control {
                        None => (
                            "control".to_string(),
                            "—".to_string(),
                            "—".to_string(),
                            String::new(),
                        ),
                        Some(vs) => {
                            let rel = vs
                                .relative
                                .map_or("—".to_string(), |r| format::signed_percent(r, 1));
                            let ci = match (vs.relative_ci, &vs.note) {
                                (None, Some(note)) => note.clone(),
                                (ci, _) => interval_text(ci),
                            };
                            let (c5, c6) = match method {
                                Method::Bayesian => (
                                    vs.chance_to_beat_control
                                        .map_or("—".into(), format::probability),
                                    vs.expected_loss
                                        .map_or("—".into(), format::small_percent),
                                ),
                                _ => (
                                    vs.p_value_adjusted
                                        .or(vs.p_value)
                                        .map_or("—".into(), format::p_value),
                                    variant_verdict(vs, method, confidence),
                                ),
                            };
                            (rel, ci, c5, c6)
                        }
                    };
                    view! {
                        <tr class=significance_class(v)>
                            <th scope="row">{v.name.clone()}</th>
                            <td class="num">{format::count(v.users)}</td>
                            <td class="num value">{value}<span class="ci">{own_ci}</span></td>
                            <td class="num uplift">{rel}</td>
                            <td class="num ci">{ci}</td>
                            <td class="num p">{c5}</td>
                            <td class="verdict-cell">{c6}</td>
                        </tr>
                    }
                })
                .collect_view();
            let label = m.label.clone();
            let interval_text = interval_label.clone();
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=m.label.clone()>
                    <table class="data-table" id=id>
                        <caption>{m.label.clone()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Variant"</th>
                                <th scope="col" class="num">"Users"</th>
                                <th scope="col" class="num"><Term key=term>{label}</Term></th>
                                <th scope="col" class="num"><Term key="uplift">"Uplift vs control"</Term></th>
                                <th scope="col" class="num"><Term key="interval">{interval_text}</Term></th>
                                <th scope="col" class="num"><Term key=key5>{col5}</Term></th>
                                <th scope="col"><Term key=key6>{col6}</Term></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <TableDownload table_id=id name=table_name/>
                {(!cuped_note.is_empty()).then(|| view! { <p class="method-note cuped-note">{cuped_note}</p> })}
            }
        })
        .collect_view();
    let note = match method {
        Method::Frequentist => format!(
            "Relative uplift with a {conf} interval by the delta method and a Welch t-test on the relative lift (GrowthBook's convention). The p-value comes from the same test, so an interval that excludes 0 is exactly p < {}.{}",
            format::number(1.0 - confidence, 2),
            if several { " With several variants, p-values are adjusted for multiple comparisons and the intervals widened to match, so they still agree." } else { "" }
        ),
        Method::Sequential => "Always-valid intervals and p-values (mixture sequential test, as GrowthBook): you may look at the results every day without inflating false positives; they are wider than fixed-horizon ones.".to_string(),
        Method::Bayesian => "Normal posterior of the relative lift (GrowthBook's Bayesian engine). Chance to beat control = posterior probability the lift is above 0; expected loss = the average relative loss if you ship the variant and it is in fact worse.".to_string(),
    };
    view! {
        {srm_warning}
        {tables}
        <p class="method-note">{note}</p>
    }
}

#[component]
fn ValueTable(report: Arc<Report>) -> impl IntoView {
    let c = report.clv.clone();
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
        <div class="table-wrap" tabindex="0" role="region" aria-label="Customer value per variant">
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
        <TableDownload table_id="value-table" name="customer value table"/>
        <ChartFigure
            kind=ChartKind::Aov
            name="average order value chart"
            summary=format!("Average order value by variant. {}", value_summary(&report.value, |v| v.average_order_value.map(|m| m.0)))
        />
        <ChartFigure
            kind=ChartKind::Clv
            name="customer lifetime value chart"
            summary=format!("Customer lifetime value by variant. {}", value_summary(&report.value, |v| Some(v.clv.0)))
        />
        <p class="method-note">{a_note}</p>
        <p class="method-note" id="retention-clv">
            {format!(
                "Retention-based CLV (margin × r / (1 + d − r), summed over the years set under Benefits): {} at {} retention ({} churn) without personalization, {} at {} ({} churn) with it: {}. Churn falls by {} (relative).",
                format::money(c.retention_control.0),
                format::percent(1.0 - c.churn_control.0, 0),
                format::percent(c.churn_control.0, 0),
                format::money(c.retention_variant.0),
                format::percent(1.0 - c.churn_variant.0, 0),
                format::percent(c.churn_variant.0, 0),
                c.retention_uplift.map_or("—".to_string(), |u| format::signed_percent(u, 1)),
                c.churn_reduction.map_or("—".to_string(), |r| format::percent(r.0, 1)),
            )}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_a_cost_leaves_the_experiment_sections_alone() {
        use uplift_engine::{analyze, Scenario};
        let report = |s: &Scenario| analyze(s).ok().map(Arc::new);
        let demo = Scenario::demo();
        let mut cost = demo.clone();
        if let Some(c) = cost.costs.first_mut() {
            c.amount.0 += 1000.0;
        }
        let mut bayes = demo.clone();
        bayes.analysis.method = Method::Bayesian;
        let mut german = demo.clone();
        german.display.locale = "de-DE".into();
        let (a, b, c, d) = (
            report(&demo),
            report(&cost),
            report(&bayes),
            report(&german),
        );
        assert_ne!(a, b, "the cost changes the report");
        assert!(!experiment_changed(Some(&a), Some(&b)));
        assert!(!value_changed(Some(&a), Some(&b)));
        assert!(experiment_changed(Some(&a), Some(&c)));
        assert!(experiment_changed(Some(&a), Some(&d)) && value_changed(Some(&a), Some(&d)));
        // No report before, or none now, is a change; none twice is not.
        assert!(experiment_changed(None, Some(&a)));
        assert!(value_changed(Some(&a), Some(&None)));
        assert!(!value_changed(Some(&None), Some(&None)));
    }

    #[test]
    fn demo_verdict_leads_with_the_decision_and_names_what_is_assumed() {
        let r = crate::charts::demo_report();
        let v = verdict(&r, None);
        assert!(
            v.starts_with("Ship personalized: revenue per user is better (p < 0.05). Compared with control, personalized lifts revenue per user by "),
            "{v}"
        );
        assert!(v.contains("likely between +"), "{v}");
        assert!(v.contains("With $114,000 of cost, expected ROI is"), "{v}");
        assert!(v.contains("chance ROI > 0"), "{v}");
        assert!(v.contains("payback in month 2"), "{v}");
        assert!(
            v.contains(" Assumed: margin, reach, costs. These are the demo's numbers"),
            "{v}"
        );
    }

    #[test]
    fn an_unclear_lift_states_the_roi_as_conditional_and_an_unvalued_metric_asks() {
        let mut s = uplift_engine::Scenario::demo();
        s.data = "variant,users,yes\ncontrol,4000,264\nexposed,4000,280\n".into();
        let Ok(r) = uplift_engine::analyze(&s) else {
            panic!("the survey reads")
        };
        let v = verdict(&r, None);
        assert!(
            v.starts_with("Keep running: yes has not changed significantly yet."),
            "{v}"
        );
        assert!(v.contains("What is one yes worth?"), "{v}");
        assert!(!v.contains("ROI is"), "{v}");
        s.assumptions.metric_value = Some(uplift_engine::units::Money(3.0));
        let Ok(r) = uplift_engine::analyze(&s) else {
            panic!("the survey reads")
        };
        let v = verdict(&r, None);
        assert!(
            v.contains("If the observed lift holds, ROI would be"),
            "{v}"
        );
        assert!(v.contains("the chance of a loss is"), "{v}");
        s.data = "Promotion,users,sales\n3,100,500\n1,100,520\n".into();
        s.columns = [(
            "Promotion".to_string(),
            uplift_engine::ingest::ColumnRole::Variant,
        )]
        .into();
        let Ok(r) = uplift_engine::analyze(&s) else {
            panic!("the promotions read")
        };
        assert!(verdict(&r, None).starts_with("Which arm is the control?"));
    }
}

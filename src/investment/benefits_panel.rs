//! The benefits of the investment case, each switchable and with a risk
//! adjustment (Forrester TEI's haircut): the measured uplift, CLV from
//! better retention, and operational savings; plus the discount rate and the
//! ranges the simulation varies.

use leptos::prelude::*;
use uplift_engine::units::{Money, Rate};

use crate::investment::number_fields::{bind, NumberField, Toggle};
use crate::state::use_app_state;

/// Percent in the UI, fraction in the scenario.
fn pct(v: f64) -> f64 {
    v * 100.0
}

/// A retention rate typed over a measured one: the pair is an assumption
/// again, with no uncertainty drawn.
fn typed(s: &mut uplift_engine::Scenario) {
    s.investment.retention.std_error_control = 0.0;
    s.investment.retention.std_error_variant = 0.0;
}

#[component]
pub fn BenefitsFields() -> impl IntoView {
    let state = use_app_state();
    let retention_on = move || {
        state
            .scenario
            .with(|s| s.investment.retention.switch.enabled)
    };
    let savings_on = move || state.scenario.with(|s| s.investment.savings.switch.enabled);

    let (discount, set_discount) = bind(
        |s| pct(s.investment.discount_rate),
        |s, v| s.investment.discount_rate = v / 100.0,
    );
    let (start, set_start) = bind(
        |s| f64::from(s.investment.benefit_start_month),
        |s, v| {
            s.investment.benefit_start_month = if v.is_finite() && v >= 0.0 {
                v.round().min(10_000.0) as u32
            } else {
                0
            }
        },
    );
    let (uplift_risk, set_uplift_risk) = bind(
        |s| pct(s.investment.uplift.risk_adjustment),
        |s, v| s.investment.uplift.risk_adjustment = v / 100.0,
    );
    let (ret_risk, set_ret_risk) = bind(
        |s| pct(s.investment.retention.switch.risk_adjustment),
        |s, v| s.investment.retention.switch.risk_adjustment = v / 100.0,
    );
    let (new_customers, set_new_customers) = bind(
        |s| s.investment.retention.new_customers_per_month,
        |s, v| s.investment.retention.new_customers_per_month = v,
    );
    let (cust_margin, set_cust_margin) = bind(
        |s| s.investment.retention.margin_per_customer_per_year.0,
        |s, v| s.investment.retention.margin_per_customer_per_year = Money(v),
    );
    let (ret_c, set_ret_c) = bind(
        |s| s.investment.retention.retention_control.percent(),
        |s, v| {
            s.investment.retention.retention_control = Rate::from_percent(v);
            typed(s);
        },
    );
    let (ret_v, set_ret_v) = bind(
        |s| s.investment.retention.retention_variant.percent(),
        |s, v| {
            s.investment.retention.retention_variant = Rate::from_percent(v);
            typed(s);
        },
    );
    let (ret_years, set_ret_years) = bind(
        |s| f64::from(s.investment.retention.years),
        |s, v| {
            s.investment.retention.years = if v.is_finite() && v >= 0.0 {
                v.round().min(100.0) as u32
            } else {
                0
            }
        },
    );
    let (sav_risk, set_sav_risk) = bind(
        |s| pct(s.investment.savings.switch.risk_adjustment),
        |s, v| s.investment.savings.switch.risk_adjustment = v / 100.0,
    );
    let (prev_cost, set_prev_cost) = bind(
        |s| s.investment.savings.previous_cost_per_year.0,
        |s, v| s.investment.savings.previous_cost_per_year = Money(v),
    );
    let (new_cost, set_new_cost) = bind(
        |s| s.investment.savings.new_cost_per_year.0,
        |s, v| s.investment.savings.new_cost_per_year = Money(v),
    );
    let (time_saved, set_time_saved) = bind(
        |s| s.investment.savings.time_saved_value_per_year.0,
        |s, v| s.investment.savings.time_saved_value_per_year = Money(v),
    );
    let (cost_range, set_cost_range) = bind(
        |s| pct(s.investment.uncertainty.cost_range),
        |s, v| s.investment.uncertainty.cost_range = v / 100.0,
    );
    let (margin_range, set_margin_range) = bind(
        |s| pct(s.investment.uncertainty.margin_range),
        |s, v| s.investment.uncertainty.margin_range = v / 100.0,
    );

    view! {
        <fieldset class="benefits">
            <legend>"Benefits"</legend>
            <div class="benefit">
                <Toggle id="benefit-uplift" label="Extra gross profit from the measured uplift"
                    get=|s| s.investment.uplift.enabled set=|s, on| s.investment.uplift.enabled = on/>
                <div class="benefit-fields">
                    <NumberField id="uplift-risk" label="Risk adjustment" unit="%" value=uplift_risk on_change=set_uplift_risk
                        help="Share of the benefit to discount for risk (TEI-style haircut)."/>
                </div>
            </div>
            <div class="benefit">
                <Toggle id="benefit-retention" label="Customer lifetime value from better retention"
                    get=|s| s.investment.retention.switch.enabled set=|s, on| s.investment.retention.switch.enabled = on/>
                {move || (retention_on()).then(|| view! {
                    <div class="benefit-fields">
                        <NumberField id="new-customers" label="New customers per month" value=new_customers on_change=set_new_customers/>
                        <NumberField id="customer-margin" label="Margin per customer per year" unit="$" value=cust_margin on_change=set_cust_margin/>
                        <NumberField id="retention-control" label="Yearly retention today" unit="%" value=ret_c on_change=set_ret_c/>
                        <NumberField id="retention-variant" label="Yearly retention with personalization" unit="%" value=ret_v on_change=set_ret_v/>
                        <NumberField id="retention-years" label="Years counted (0 = no limit)" unit="years" value=ret_years on_change=set_ret_years/>
                        <NumberField id="retention-risk" label="Risk adjustment" unit="%" value=ret_risk on_change=set_ret_risk/>
                    </div>
                    <p class="field-help">"CLV = margin × r / (1 + d − r) (or its sum over the years counted), with r the retention and d the discount rate; the benefit is new customers × the CLV difference."</p>
                                })}
            </div>
            <div class="benefit">
                <Toggle id="benefit-savings" label="Operational savings"
                    get=|s| s.investment.savings.switch.enabled set=|s, on| s.investment.savings.switch.enabled = on/>
                {move || (savings_on()).then(|| view! {
                    <div class="benefit-fields">
                        <NumberField id="previous-cost" label="Previous cost per year" unit="$" value=prev_cost on_change=set_prev_cost/>
                        <NumberField id="new-cost" label="New cost per year" unit="$" value=new_cost on_change=set_new_cost/>
                        <NumberField id="time-saved" label="Value of time saved per year" unit="$" value=time_saved on_change=set_time_saved/>
                        <NumberField id="savings-risk" label="Risk adjustment" unit="%" value=sav_risk on_change=set_sav_risk/>
                    </div>
                    <p class="field-help">"Savings = (previous cost − new cost) + value of time saved."</p>
                                })}
            </div>
            <Toggle id="tei-mode" label="Headline ROI, NPV and payback in Forrester TEI form (yearly, risk-adjusted, ROI = NPV / PV of costs)"
                get=|s| s.investment.tei_mode set=|s, on| s.investment.tei_mode = on/>
            <div class="benefit-fields">
                <NumberField id="discount-rate" label="Discount rate (NPV)" unit="% / year" value=discount on_change=set_discount/>
                <NumberField id="benefit-start" label="Benefits start in month" value=start on_change=set_start/>
                <NumberField id="cost-range" label="Cost uncertainty" unit="± %" value=cost_range on_change=set_cost_range/>
                <NumberField id="margin-range" label="Margin uncertainty" unit="± %" value=margin_range on_change=set_margin_range/>
            </div>
        </fieldset>
    }
}

//! The investment case's inputs taken from data, in the tools module: the
//! retention rates the time tool measured and the reach the targeting tool
//! found, each said in words with a way back to the typed assumptions, and
//! "everyone" against "the top k%" side by side (ROI, NPV, chance of
//! ROI > 0). Offers made in a tool arrive pending and are taken in here.

use leptos::prelude::*;
use uplift_engine::finance::model::Reach;
use uplift_engine::Scenario;

use crate::data::data_events::DataEvent;
use crate::data::file_reader::tell_page;
use crate::platform::format;
use crate::tools::tool_choices::{
    use_retention, DidOffer, ReachOffer, RetentionOffer, ToolChoices,
};

/// Send the investment inputs after `change`, with the tools' record.
fn change(scenario: &Scenario, change: impl FnOnce(&mut Scenario, &mut ToolChoices)) {
    let mut s = scenario.clone();
    let mut choices = ToolChoices::from_json(s.tools.as_deref());
    change(&mut s, &mut choices);
    let record = if choices == ToolChoices::default() {
        String::new()
    } else {
        choices.to_json()
    };
    tell_page(&DataEvent::Investment(
        serde_json::to_string(&s.investment).unwrap_or_default(),
        record,
    ));
}

#[component]
pub fn FromDataPanel(scenario: RwSignal<Scenario>) -> impl IntoView {
    // Offers made in a tool arrive pending: taken in once, here, where the
    // page's newest inputs are.
    Effect::new(move || {
        scenario.with(|s| {
            let mut choices = ToolChoices::from_json(s.tools.as_deref());
            let mut inputs = s.investment;
            if choices.take_pending(&mut inputs) {
                tell_page(&DataEvent::Investment(
                    serde_json::to_string(&inputs).unwrap_or_default(),
                    choices.to_json(),
                ));
            }
        });
    });
    let forget = move |_| {
        scenario.with_untracked(|s| {
            change(s, |s, c| {
                let r = &mut s.investment.retention;
                r.std_error_control = 0.0;
                r.std_error_variant = 0.0;
                s.investment.set_reach(Reach::default());
                s.investment.did_uplift = 0.0;
                s.investment.did_uplift_se = 0.0;
                c.retention = None;
                c.reach = None;
                c.did = None;
            })
        })
    };
    move || {
        let s = scenario.get();
        let choices = ToolChoices::from_json(s.tools.as_deref());
        if !choices.offers() {
            return None;
        }
        let in_use = choices.retention_in_use(&s.investment);
        Some(view! {
            <fieldset class="from-data" id="from-data">
                <legend>"Inputs from your data"</legend>
                {choices.retention.clone().map(|o| view! { <RetentionFromData offer=o in_use scenario/> })}
                {choices.reach.clone().map(|o| view! { <ReachFromData offer=o current=s.clone() scenario/> })}
                {choices.did.clone().map(|o| {
                    let in_use = choices.did_in_use(&s.investment);
                    view! { <DidFromData offer=o in_use scenario/> }
                })}
                <div class="actions">
                    <button type="button" class="button secondary" id="from-data-forget" on:click=forget>
                        "Forget the inputs from data"
                    </button>
                </div>
            </fieldset>
        })
    }
}

#[component]
fn RetentionFromData(
    offer: RetentionOffer,
    in_use: bool,
    scenario: RwSignal<Scenario>,
) -> impl IntoView {
    let rate = |r: &uplift_engine::survival::YearlyRetention| {
        format!(
            "{} ± {}",
            format::percent(r.rate, 1),
            format::percent(r.std_error, 1)
        )
    };
    let year = crate::tools::tool_choices::year_in(&offer.unit);
    let at = format::number(offer.at, if offer.at.fract() == 0.0 { 0 } else { 1 });
    let read = if (offer.at - year).abs() < 1e-9 {
        format!("read at a year ({at} {})", offer.unit)
    } else {
        format!(
            "read at {at} {} and carried to a year at the churn rate seen until then",
            offer.unit
        )
    };
    let measured = format!(
        "Yearly retention measured in “{}” by Kaplan–Meier, {read}: {} without personalization (group “{}”), {} with it (group “{}”), each ± one standard error.",
        offer.source,
        rate(&offer.control_rate),
        offer.control,
        rate(&offer.variant_rate),
        offer.variant,
    );
    let toggle = {
        let offer = offer.clone();
        move |_| {
            scenario.with_untracked(|s| {
                change(s, |s, _| {
                    if in_use {
                        let r = &mut s.investment.retention;
                        r.std_error_control = 0.0;
                        r.std_error_variant = 0.0;
                    } else {
                        use_retention(&offer, &mut s.investment);
                    }
                })
            })
        }
    };
    let words = if in_use {
        format!("{measured} The chance of ROI > 0 draws both rates from their uncertainty.")
    } else {
        measured
    };
    view! {
        <InUse id="from-data-retention" class="status ok" in_use words toggle
            not_in_use="Not in use (the typed rates are): "
            labels=("Type the rates instead", "Use the measured rates")/>
    }
}

/// An input from data said in words, whether it is in use, and the button
/// that switches it (`labels`: while in use, while not).
#[component]
fn InUse(
    id: &'static str,
    class: &'static str,
    in_use: bool,
    words: String,
    not_in_use: &'static str,
    labels: (&'static str, &'static str),
    toggle: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    view! {
        <p class=class id=id>
            <strong>{if in_use { "In use: " } else { not_in_use }}</strong>
            {words}
        </p>
        <div class="actions">
            <button type="button" class="button secondary" id=format!("{id}-toggle") on:click=toggle>
                {if in_use { labels.0 } else { labels.1 }}
            </button>
        </div>
    }
}

/// The investment case for everyone and for the offered reach.
fn compare(s: &Scenario, offer: &ReachOffer) -> Option<[uplift_engine::Report; 2]> {
    let with = |reach: Reach| {
        let mut s = s.clone();
        s.investment.set_reach(reach);
        uplift_engine::analyze(&s).ok()
    };
    Some([with(Reach::default())?, with(offer.reach)?])
}

#[component]
fn ReachFromData(
    offer: ReachOffer,
    current: Scenario,
    scenario: RwSignal<Scenario>,
) -> impl IntoView {
    let top = format!(
        "The top {} by “{}”",
        format::percent(offer.reach.share, 0),
        offer.score
    );
    let chosen = current.investment.reach() == offer.reach;
    let pick = move |reach: Reach| {
        move |_| scenario.with_untracked(|s| change(s, |s, _| s.investment.set_reach(reach)))
    };
    let words = format!(
        "{top} in “{}” earn {}× the incremental profit of personalizing for everyone (the targeting tool's profit curve) and save {} on each user left out. The chance of ROI > 0 takes that multiple as known.",
        offer.source,
        format::number(offer.reach.gain, 2),
        format::money(offer.reach.cost_per_user.0),
    );
    let rows = compare(&current, &offer).map(|[all, part]| {
        let row = |name: String, r: &uplift_engine::Report, id: &'static str| {
            view! {
                <tr id=id>
                    <th scope="row">{name}</th>
                    <td class="num">{format::money(r.roi.benefits_per_month.uplift.0)}</td>
                    <td class="num">{r.roi.roi_percent.map_or("—".into(), |p| format::percent(p / 100.0, 1))}</td>
                    <td class="num">{format::money(r.roi.npv.0)}</td>
                    <td class="num">{r.roi.probability_roi_positive.map_or("—".into(), format::probability)}</td>
                </tr>
            }
        };
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Everyone or the top share">
                <table class="data-table" id="reach-table">
                    <caption>"Personalize for everyone, or only the top of the ranking"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Reach"</th>
                            <th scope="col" class="num">"Uplift benefit per month"</th>
                            <th scope="col" class="num">"ROI"</th>
                            <th scope="col" class="num">"NPV"</th>
                            <th scope="col" class="num">"Chance ROI > 0"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {row("Everyone".into(), &all, "reach-everyone")}
                        {row(top.clone(), &part, "reach-top")}
                    </tbody>
                </table>
            </div>
        }
    });
    view! {
        <fieldset class="method-switch" id="reach-choice">
            <legend>"Personalize for"</legend>
            <label class="segment">
                <input type="radio" name="reach" id="reach-all" prop:checked=!chosen on:change=pick(Reach::default())/>
                <span>"Everyone"</span>
            </label>
            <label class="segment">
                <input type="radio" name="reach" id="reach-part" prop:checked=chosen on:change=pick(offer.reach)/>
                <span>{top.clone()}</span>
            </label>
        </fieldset>
        <p class="field-help" id="from-data-reach">{words}</p>
        {rows}
    }
}

/// The uplift from a launch without a control group: said as
/// quasi-experimental, with the pre-trend check's warning if there was one.
#[component]
fn DidFromData(offer: DidOffer, in_use: bool, scenario: RwSignal<Scenario>) -> impl IntoView {
    let words = format!(
        "Uplift from the difference in differences of “{}” in “{}”: {} ± {} (one standard error). Quasi-experimental: it holds only if the treated and untreated units would have moved alike without the launch.{}",
        offer.outcome,
        offer.source,
        format::signed_percent(offer.relative, 1),
        format::percent(offer.std_error, 1),
        offer
            .warning
            .as_ref()
            .map_or(String::new(), |w| format!(" Warning: {w}")),
    );
    let toggle = move |_| {
        let offer = offer.clone();
        scenario.with_untracked(|s| {
            change(s, |s, _| {
                let i = &mut s.investment;
                (i.did_uplift, i.did_uplift_se) = if in_use {
                    (0.0, 0.0)
                } else {
                    (offer.relative, offer.std_error)
                };
            })
        })
    };
    view! {
        <InUse id="from-data-did" class=if in_use { "status warn" } else { "status" } in_use words toggle
            not_in_use="Not in use (the experiment's uplift is): "
            labels=("Use the experiment's uplift instead", "Use the launch's uplift")/>
    }
}

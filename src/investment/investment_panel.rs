//! Step 2: what the programme costs (line items in four categories) and the
//! business assumptions that turn uplift into money.

use leptos::prelude::*;
use uplift_engine::finance::{CostCategory, CostItem, Frequency};
use uplift_engine::units::{Money, Rate};

use crate::investment::benefits_panel::BenefitsFields;
use crate::investment::number_fields::{bind, parse_input, shown_number, NumberField};
use crate::state::use_app_state;

#[component]
pub fn InvestmentPanel() -> impl IntoView {
    let state = use_app_state();
    let (users, set_users) = bind(
        |s| s.assumptions.monthly_users,
        |s, v| s.assumptions.monthly_users = v,
    );
    let (margin, set_margin) = bind(
        |s| s.assumptions.gross_margin.percent(),
        |s, v| s.assumptions.gross_margin = Rate::from_percent(v),
    );
    let (horizon, set_horizon) = bind(
        |s| f64::from(s.assumptions.horizon_months),
        |s, v| {
            // Out-of-range or fractional months are clamped to what validation then checks.
            s.assumptions.horizon_months = if v.is_finite() {
                v.round().clamp(0.0, 10_000.0) as u32
            } else {
                0
            }
        },
    );
    let (freq, set_freq) = bind(
        |s| s.assumptions.purchases_per_year,
        |s, v| s.assumptions.purchases_per_year = v,
    );
    let (life, set_life) = bind(
        |s| s.assumptions.lifespan_years,
        |s, v| s.assumptions.lifespan_years = v,
    );
    let (aov, set_aov) = bind(
        |s| s.assumptions.average_order_value.0,
        |s, v| s.assumptions.average_order_value = Money(v),
    );
    let removed = RwSignal::new(None::<(usize, CostItem)>);
    let line_count = Memo::new(move |_| state.scenario.with(|s| s.costs.len()));
    let add_line = move |_| {
        removed.set(None);
        state.scenario.update(|s| {
            s.costs.push(CostItem {
                category: CostCategory::Technology,
                label: String::new(),
                amount: Money::ZERO,
                frequency: Frequency::Monthly,
                start_month: 1,
            })
        })
    };
    let undo = move |_| {
        if let Some((i, item)) = removed.get() {
            state.scenario.update(|s| {
                let at = i.min(s.costs.len());
                s.costs.insert(at, item);
            });
            removed.set(None);
        }
    };

    view! {
        <section class="panel" id="investment" aria-labelledby="investment-title">
            <h2 id="investment-title"><span class="step">"2"</span>" Investment"</h2>
            <fieldset class="assumptions">
                <legend>"Business assumptions"</legend>
                <NumberField id="monthly-users" label="Reached per month" value=users on_change=set_users
                    help="Traffic the personalized experience would serve after roll-out, counted like the data's rows (users, stores…)."/>
                <NumberField id="gross-margin" label="Gross margin" unit="%" value=margin on_change=set_margin/>
                <NumberField id="horizon" label="Horizon" unit="months" value=horizon on_change=set_horizon/>
                <NumberField id="purchases-per-year" label="Purchases per customer per year" value=freq on_change=set_freq/>
                <NumberField id="lifespan" label="Customer lifespan" unit="years" value=life on_change=set_life/>
                <NumberField id="fallback-aov" label="Order value if the data has no revenue" unit="$" value=aov on_change=set_aov/>
            </fieldset>
            <fieldset class="costs">
                <legend>"Costs"</legend>
                <table class="cost-table">
                    <thead>
                        <tr>
                            <th scope="col">"Category"</th>
                            <th scope="col">"Item"</th>
                            <th scope="col">"Amount ($)"</th>
                            <th scope="col">"Paid"</th>
                            <th scope="col">"From month"</th>
                            <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        // Rows by position, redrawn only when their count
                        // changes (each binds its fields to its line): a
                        // keyed <For> would cost the first download 4 KiB.
                        {move || (0..line_count.get())
                            .map(|index| view! { <CostRow index=index removed=removed/> })
                            .collect_view()}
                    </tbody>
                </table>
                <div class="actions">
                    <button type="button" class="button secondary" id="add-cost" on:click=add_line>
                        "+ Add cost line"
                    </button>
                    {move || removed.get().map(|(_, item)| view! {
                        <span class="undo" role="status">
                            {format!("Removed “{}”. ", if item.label.is_empty() { "cost line" } else { item.label.as_str() })}
                            <button type="button" class="link-button" on:click=undo>"Undo"</button>
                        </span>
                    })}
                </div>
            </fieldset>
            <BenefitsFields/>
            <crate::investment::from_data_slot::FromDataSlot/>
            {move || state.inputs_error().map(|msg| view! {
                <p class="status error" role="alert" id="inputs-error">
                    {msg}
                    <span class="kept">" The results (step 3) still show the last valid inputs, marked as previous."</span>
                </p>
            })}
        </section>
    }
}

/// One editable cost line.
#[component]
fn CostRow(index: usize, removed: RwSignal<Option<(usize, CostItem)>>) -> impl IntoView {
    let state = use_app_state();
    let read = move |f: fn(&CostItem) -> String| {
        state
            .scenario
            .with(|s| s.costs.get(index).map(f).unwrap_or_default())
    };
    let edit = move |f: Box<dyn FnOnce(&mut CostItem)>| {
        state.scenario.update(|s| {
            if let Some(item) = s.costs.get_mut(index) {
                f(item);
            }
        })
    };
    let category_is = move |c: CostCategory| {
        state
            .scenario
            .with(|s| s.costs.get(index).is_some_and(|i| i.category == c))
    };
    let frequency_is = move |f: Frequency| {
        state
            .scenario
            .with(|s| s.costs.get(index).is_some_and(|i| i.frequency == f))
    };
    let row = index + 1;
    let amount_node = NodeRef::<leptos::html::Input>::new();
    view! {
        <tr>
            <td>
                <select
                    aria-label=format!("Category of cost line {row}")
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev).parse::<usize>().ok();
                        if let Some(&c) = chosen.and_then(|i| CostCategory::VARIANTS.get(i)) {
                            edit(Box::new(move |item| item.category = c));
                        }
                    }
                >
                    {CostCategory::VARIANTS
                        .iter()
                        .enumerate()
                        .map(|(i, &c)| view! {
                            <option value=i.to_string() prop:selected=move || category_is(c)>{c.label()}</option>
                        })
                        .collect_view()}
                </select>
            </td>
            <td>
                <input
                    type="text"
                    class="cost-label"
                    aria-label=format!("Description of cost line {row}")
                    prop:value=move || read(|i| i.label.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        edit(Box::new(move |item| item.label = text));
                    }
                />
            </td>
            <td>
                <input
                    type="text"
                    inputmode="decimal"
                    class="cost-amount"
                    node_ref=amount_node
                    aria-label=format!("Amount of cost line {row}")
                    prop:value=move || {
                        let v = state.scenario.with(|s| s.costs.get(index).map_or(f64::NAN, |i| i.amount.0));
                        shown_number(amount_node, v)
                    }
                    on:input=move |ev| {
                        let v = parse_input(&event_target_value(&ev));
                        edit(Box::new(move |item| item.amount = Money(v)));
                    }
                />
            </td>
            <td>
                <select
                    aria-label=format!("How often cost line {row} is paid")
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev).parse::<usize>().ok();
                        if let Some(&f) = chosen.and_then(|i| Frequency::VARIANTS.get(i)) {
                            edit(Box::new(move |item| item.frequency = f));
                        }
                    }
                >
                    {Frequency::VARIANTS
                        .iter()
                        .enumerate()
                        .map(|(i, &f)| view! {
                            <option value=i.to_string() prop:selected=move || frequency_is(f)>{f.label()}</option>
                        })
                        .collect_view()}
                </select>
            </td>
            <td>
                <input
                    type="number"
                    min="1"
                    step="1"
                    class="cost-start"
                    aria-label=format!("First month of cost line {row}")
                    prop:value=move || read(|i| i.start_month.to_string())
                    on:input=move |ev| {
                        let v = parse_input(&event_target_value(&ev));
                        let m = if v.is_finite() && v >= 0.0 { v.round().min(10_000.0) as u32 } else { 0 };
                        edit(Box::new(move |item| item.start_month = m));
                    }
                />
            </td>
            <td>
                <button
                    type="button"
                    class="icon-button"
                    aria-label=move || format!("Remove cost line {row}: {}", read(|i| i.label.clone()))
                    on:click=move |_| {
                        let mut taken = None;
                        state.scenario.update(|s| {
                            if index < s.costs.len() {
                                taken = Some(s.costs.remove(index));
                            }
                        });
                        removed.set(taken.map(|item| (index, item)));
                    }
                >
                    "×"
                </button>
            </td>
        </tr>
    }
}

//! "My data is in a warehouse": SQL that reduces an events table to one row
//! per variant, which the user runs where the data lives and pastes into
//! step 1. Millions of rows never leave the warehouse, let alone reach here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::ingest::{CapSpec, Tail};
use uplift_engine::warehouse::{warehouse_sql, Dialect, OrdersKind, SqlMetric, WarehouseQuery};
use wasm_bindgen_futures::JsFuture;

/// A labelled text input for one table or column name.
#[component]
fn NameField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] help: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id class="field-label">{label}</label>
            <input id=id type="text" autocomplete="off" spellcheck="false" placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))/>
            {(!help.is_empty()).then(|| view! { <p class="field-help">{help}</p> })}
        </div>
    }
}

#[component]
pub fn WarehousePanel() -> impl IntoView {
    let dialect = RwSignal::new(Dialect::default());
    let query = RwSignal::new(WarehouseQuery::example());
    let message = RwSignal::new(None::<String>);
    // The metric list as typed; `None` while an entry cannot be read.
    let metrics = RwSignal::new((String::new(), Some(Vec::<SqlMetric>::new())));
    // The caps as typed; `None` while one cannot be read.
    let caps = RwSignal::new((String::new(), Some(Vec::<CapSpec>::new())));
    let sql = Memo::new(move |_| {
        if metrics.with(|(_, m)| m.is_none()) {
            return Err("Write each metric as its column name, or name:flag for a yes/no column, separated by commas (visits, minutes, retained:flag).".into());
        }
        if caps.with(|(_, c)| c.is_none()) {
            return Err("Write each cap as a column and a percentile or an amount, separated by commas (revenue 99%, minutes 500, revenue 95% ignoring zeros, floor revenue 1).".into());
        }
        query.with(|q| warehouse_sql(dialect.get(), q).map_err(|e| e.to_string()))
    });
    let set_metrics = Callback::new(move |text: String| {
        let parsed: Option<Vec<SqlMetric>> = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(SqlMetric::parse)
            .collect();
        if let Some(list) = &parsed {
            query.update(|q| q.metrics = list.clone());
        }
        metrics.set((text, parsed));
    });
    let metrics_text = Signal::derive(move || metrics.with(|(t, _)| t.clone()));
    let set_caps = Callback::new(move |text: String| {
        let parsed: Option<Vec<CapSpec>> = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|entry| match entry.strip_prefix("floor ") {
                Some(rest) => CapSpec::parse(Tail::Lower, rest),
                None => CapSpec::parse(Tail::Upper, entry),
            })
            .collect();
        if let Some(list) = &parsed {
            query.update(|q| q.caps = list.clone());
        }
        caps.set((text, parsed));
    });
    let caps_text = Signal::derive(move || caps.with(|(t, _)| t.clone()));

    // Bind a required name (a `String` of the query) to a field.
    let required = move |get: fn(&WarehouseQuery) -> &String,
                         set: fn(&mut WarehouseQuery, String)| {
        (
            Signal::derive(move || query.with(|q| get(q).clone())),
            Callback::new(move |v: String| query.update(|q| set(q, v))),
        )
    };
    // Bind an optional name: a blank input means "no such column".
    let optional = move |get: fn(&WarehouseQuery) -> &Option<String>,
                         set: fn(&mut WarehouseQuery, Option<String>)| {
        (
            Signal::derive(move || query.with(|q| get(q).clone().unwrap_or_default())),
            Callback::new(move |v: String| {
                query.update(|q| set(q, (!v.trim().is_empty()).then_some(v)))
            }),
        )
    };
    let (table, set_table) = required(|q| &q.table, |q, v| q.table = v);
    let (user, set_user) = required(|q| &q.user, |q, v| q.user = v);
    let (variant, set_variant) = required(|q| &q.variant, |q, v| q.variant = v);
    let (revenue, set_revenue) = optional(|q| &q.revenue, |q, v| q.revenue = v);
    let (orders, set_orders) = optional(|q| &q.orders, |q, v| q.orders = v);
    let (pre, set_pre) = optional(|q| &q.pre_revenue, |q, v| q.pre_revenue = v);
    let (timestamp, set_timestamp) = optional(|q| &q.timestamp, |q, v| q.timestamp = v);
    let (start, set_start) = optional(|q| &q.start, |q, v| q.start = v);
    let (end, set_end) = optional(|q| &q.end, |q, v| q.end = v);
    let (segment, set_segment) = optional(|q| &q.segment, |q, v| q.segment = v);

    let copy = move |_| {
        let Ok(text) = sql.get_untracked() else {
            return;
        };
        let Some(window) = web_sys::window() else {
            return;
        };
        let clipboard = window.navigator().clipboard();
        spawn_local(async move {
            message.set(Some(
                match JsFuture::from(clipboard.write_text(&text)).await {
                    Ok(_) => "SQL copied.".into(),
                    Err(_) => {
                        "The browser did not allow copying; select the SQL below and copy it."
                            .into()
                    }
                },
            ));
        });
    };

    view! {
        <section class="panel warehouse" id="warehouse" aria-labelledby="warehouse-title">
            <h2 id="warehouse-title">"My data is in a warehouse"</h2>
            <p class="hint">
                "Too many rows to export? Run this in your warehouse, then paste the result into step 1. "
                "It reduces an events table (one row per exposure or order; users who bought nothing keep their exposure row with empty revenue) to one row per variant (or per segment and variant). "
                "Users seen in more than one variant are left out."
            </p>
            <fieldset class="assumptions">
                <legend>"Your table"</legend>
                <div class="field">
                    <label for="wh-dialect" class="field-label">"Warehouse"</label>
                    <select id="wh-dialect"
                        on:change=move |ev| {
                            if let Some(d) = Dialect::from_id(&event_target_value(&ev)) {
                                dialect.set(d);
                                message.set(None);
                            }
                        }>
                        {Dialect::ALL
                            .iter()
                            .map(|&d| view! {
                                <option value=d.id() prop:selected=move || dialect.get() == d>{d.label()}</option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <NameField id="wh-table" label="Table" placeholder="project.dataset.events"
                    value=table on_input=set_table/>
                <NameField id="wh-user" label="User id column" value=user on_input=set_user/>
                <NameField id="wh-variant" label="Variant column" value=variant on_input=set_variant/>
                <NameField id="wh-revenue" label="Revenue column" placeholder="none"
                    help="Order amount; empty on exposure rows." value=revenue on_input=set_revenue/>
                <NameField id="wh-metrics" label="Other metric columns" placeholder="none"
                    help="Separated by commas; numbers are summed per user, name:flag marks a yes/no column."
                    value=metrics_text on_input=set_metrics/>
                <NameField id="wh-segment" label="Segment column" placeholder="none"
                    help="One row per segment and variant, to see where the uplift is."
                    value=segment on_input=set_segment/>
                <NameField id="wh-caps" label="Caps on outliers" placeholder="none"
                    help="Separated by commas: the revenue column or a metric with a percentile of all users (revenue 99%) or an amount (revenue 500); “ignoring zeros” leaves non-buyers out of the percentile; “floor revenue 1” raises low values."
                    value=caps_text on_input=set_caps/>
            </fieldset>
            <details>
                <summary>"Orders, pre-period revenue and dates"</summary>
                <fieldset class="assumptions">
                    <legend>"Optional columns"</legend>
                    <NameField id="wh-orders" label="Orders column" placeholder="none"
                        value=orders on_input=set_orders/>
                    <div class="field">
                        <label for="wh-orders-kind" class="field-label">"The orders column is"</label>
                        <select id="wh-orders-kind"
                            on:change=move |ev| {
                                let kind = if event_target_value(&ev) == "is_order" { OrdersKind::IsOrder } else { OrdersKind::OrderId };
                                query.update(|q| q.orders_kind = kind);
                            }>
                            <option value="order_id" prop:selected=move || query.with(|q| q.orders_kind == OrdersKind::OrderId)>
                                "an order id (distinct ids counted)"
                            </option>
                            <option value="is_order" prop:selected=move || query.with(|q| q.orders_kind == OrdersKind::IsOrder)>
                                "a 0/1 flag on order rows (summed)"
                            </option>
                        </select>
                    </div>
                    <NameField id="wh-pre" label="Pre-period revenue column" placeholder="none"
                        help="Each user's revenue before the test, for CUPED." value=pre on_input=set_pre/>
                    <NameField id="wh-timestamp" label="Timestamp column" placeholder="none"
                        value=timestamp on_input=set_timestamp/>
                    <NameField id="wh-start" label="First day" placeholder="YYYY-MM-DD"
                        value=start on_input=set_start/>
                    <NameField id="wh-end" label="Last day" placeholder="YYYY-MM-DD"
                        value=end on_input=set_end/>
                </fieldset>
            </details>
            {move || match sql.get() {
                Ok(text) => {
                    // Tall enough to show the whole query without a scrollbar.
                    let rows = text.lines().count().clamp(8, 40).to_string();
                    view! {
                        <label for="wh-sql" class="field-label">"SQL"</label>
                        <textarea id="wh-sql" class="warehouse-sql" readonly=true spellcheck="false"
                            rows=rows prop:value=text></textarea>
                        <div class="actions">
                            <button type="button" class="button" id="wh-copy" on:click=copy>"Copy SQL"</button>
                            {move || message.get().map(|m| view! { <span class="undo" role="status">{m}</span> })}
                        </div>
                    }
                    .into_any()
                }
                Err(e) => view! { <p class="status error" role="alert" id="warehouse-error">{e}</p> }.into_any(),
            }}
        </section>
    }
}

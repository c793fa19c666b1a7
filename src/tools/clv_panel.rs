//! Customer lifetime value from a transaction log: fit BG/NBD and
//! Gamma-Gamma in the browser and compare CLV between variants.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::value::btyd::{ClvJob, ClvReport, ClvSettings};
use uplift_engine::value::transactions::{demo_transaction_log, parse_date, TimeUnit};

use crate::platform::embed::next_frame;
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;

#[component]
pub fn ClvPanel() -> impl IntoView {
    let context = use_tools_context();
    let log = RwSignal::new(String::new());
    let unit = RwSignal::new(TimeUnit::Weeks);
    let months = RwSignal::new(12u32);
    let end = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<ClvReport, String>>);
    let kept = RwSignal::new(None::<ClvReport>);
    let progress = RwSignal::new((0usize, 1usize));

    let fit = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            next_frame().await;
            let text = log.get_untracked();
            let end_text = end.get_untracked();
            let end_day = if end_text.trim().is_empty() {
                Ok(None)
            } else {
                parse_date(&end_text)
                    .map(Some)
                    .ok_or_else(|| format!("“{end_text}” is not a date; use YYYY-MM-DD."))
            };
            let confidence = context.with_untracked(|c| c.confidence);
            let job = end_day.and_then(|end_day| {
                let settings = ClvSettings {
                    unit: unit.get_untracked(),
                    end: end_day,
                    months: months.get_untracked(),
                    monthly_discount: 0.01,
                    confidence,
                    latest: Some(crate::tools::worker_job::latest_day()),
                };
                ClvJob::new(&text, settings).map_err(|e| e.to_string())
            });
            // A few optimiser iterations per step, with a frame in between,
            // so the page keeps responding while a large log is fitted.
            let outcome = match job {
                Err(e) => Err(e),
                Ok(mut job) => loop {
                    progress.set(job.progress());
                    next_frame().await;
                    if let Some(report) = job.step() {
                        break Ok(report);
                    }
                },
            };
            // A failed fit keeps the previous result on screen.
            match outcome {
                Ok(r) => result.set(Some(Ok(r))),
                Err(e) => {
                    let previous = result.get_untracked().and_then(Result::ok);
                    result.set(Some(Err(e)));
                    if let Some(p) = previous {
                        kept.set(Some(p));
                    }
                }
            }
            busy.set(false);
        });
    };
    let shown = move || match result.get() {
        Some(Ok(r)) => Some(r),
        _ => kept.get(),
    };

    view! {
        <section class="panel clv" id="clv" aria-labelledby="clv-title">
            <h2 id="clv-title">"Customer lifetime value from a transaction log"</h2>
            <p class="hint">
                "One row per purchase: "<code>"customer_id, date, amount"</code>" and optionally "<code>"variant"</code>
                ". The BG/NBD model predicts how often each customer will buy and whether they are still active; Gamma-Gamma predicts how much they spend. Fitted here, in your browser."
            </p>
            <label for="clv-input" class="field-label">"Transactions (CSV)"</label>
            <textarea id="clv-input" rows="5" spellcheck="false"
                prop:value=move || log.get()
                on:input=move |ev| log.set(event_target_value(&ev))></textarea>
            <div class="actions">
                <button type="button" class="button secondary" id="clv-sample"
                    on:click=move |_| log.set(demo_transaction_log(1_000, 1))>
                    "Load sample log"
                </button>
                <label class="control-field">
                    <span class="field-label">"Time unit"</span>
                    <select id="clv-unit" on:change=move |ev| unit.set(if event_target_value(&ev) == "days" { TimeUnit::Days } else { TimeUnit::Weeks })>
                        <option value="weeks" selected=true>"weeks"</option>
                        <option value="days">"days"</option>
                    </select>
                </label>
                <label class="control-field">
                    <span class="field-label">"Horizon (months)"</span>
                    <input id="clv-months" type="number" min="1" max="120" prop:value=move || months.get().to_string()
                        on:change=move |ev| {
                            if let Ok(m) = event_target_value(&ev).parse::<u32>() {
                                months.set(m.clamp(1, 120));
                            }
                        }/>
                </label>
                <label class="control-field">
                    <span class="field-label">"Observation ends"</span>
                    <input id="clv-end" type="text" placeholder="last purchase" prop:value=move || end.get()
                        on:change=move |ev| end.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="button" id="clv-fit" on:click=fit prop:disabled=move || busy.get()>
                    {move || if busy.get() { "Fitting…" } else { "Fit models" }}
                </button>
            </div>
            <Show when=move || busy.get()>
                <p class="status" role="status" id="clv-progress-text">
                    <progress id="clv-progress" max=move || progress.get().1 value=move || progress.get().0></progress>
                    {move || format!(" Fitting the models… pass {} of {}", (progress.get().0 + 1).min(progress.get().1), progress.get().1)}
                </p>
            </Show>
            {move || match result.get() {
                Some(Err(e)) => Some(view! { <p class="status error" role="alert" id="clv-error">{e}</p> }),
                _ => None,
            }}
            // Redrawn when the page's number style changes, too.
            {move || {
                context.track();
                shown().map(|r| view! { <ClvResults report=r/> })
            }}
        </section>
    }
}

#[component]
fn ClvResults(report: ClvReport) -> impl IntoView {
    let unit = match report.unit {
        TimeUnit::Days => "days",
        TimeUnit::Weeks => "weeks",
    };
    let b = report.bgnbd.params;
    let gg = report.gamma_gamma.map(|g| g.params);
    let rows = report
        .by_variant
        .iter()
        .map(|v| {
            view! {
                <tr>
                    <th scope="row">{v.variant.clone()}</th>
                    <td class="num">{format::count(v.customers as u64)}</td>
                    <td class="num clv-mean">{format::money(v.mean_clv)}</td>
                    <td class="num">{format!("{} to {}", format::money(v.ci.low), format::money(v.ci.high))}</td>
                    <td class="num">{format::number(v.mean_expected_purchases, 2)}</td>
                    <td class="num">{format::percent(v.mean_probability_alive, 0)}</td>
                </tr>
            }
        })
        .collect_view();
    let uplift = report.clv_uplift.map(|c| {
        format!(
            "CLV uplift of {} over {}: {} ({} interval {} to {}).",
            report.by_variant.get(1).map_or("", |v| v.variant.as_str()),
            report.by_variant.first().map_or("", |v| v.variant.as_str()),
            format::signed_percent(c.estimate, 1),
            format::percent(report.confidence, 0),
            format::signed_percent(c.ci.low, 1),
            format::signed_percent(c.ci.high, 1),
        )
    });
    view! {
        <p class="status ok" role="status" id="clv-summary">
            {format!(
                "{} transactions of {} customers; time unit: {unit}; observation ends {}; CLV over {} months at 1% a month.",
                format::count(report.transactions as u64),
                format::count(report.customers as u64),
                report.observation_end,
                report.horizon_months,
            )}
            {super::time::placeholder_note(report.placeholder_dates as u64).map(|t| format!(" {t}"))}
        </p>
        {uplift.map(|u| view! { <p class="verdict" id="clv-uplift">{u}</p> })}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Predicted customer lifetime value">
            <table class="data-table" id="clv-table">
                <caption>"Predicted customer lifetime value"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Variant"</th>
                        <th scope="col" class="num">"Customers"</th>
                        <th scope="col" class="num">"Mean CLV"</th>
                        <th scope="col" class="num">"Interval of the mean"</th>
                        <th scope="col" class="num">{format!("Purchases, next {} months", report.horizon_months)}</th>
                        <th scope="col" class="num">"Still active"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="clv-table" name="predicted customer lifetime value table"/>
        <p class="method-note" id="clv-params">
            {format!(
                "BG/NBD (per {unit}): r = {}, α = {}, a = {}, b = {}; log-likelihood {}.",
                format::number(b.r, 4), format::number(b.alpha, 4), format::number(b.a, 4), format::number(b.b, 4),
                format::number(report.bgnbd.log_likelihood, 2)
            )}
            {gg.map(|g| format!(
                " Gamma-Gamma: p = {}, q = {}, v = {}.",
                format::number(g.p, 4), format::number(g.q, 4), format::number(g.v, 4)
            ))}
            " The interval reflects the spread between customers, not the uncertainty of the fitted parameters."
        </p>
    }
}

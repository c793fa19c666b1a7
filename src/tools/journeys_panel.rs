//! Which touchpoints earn the conversions: a file of customer paths
//! (ChannelAttribution's shape) or of touches attributed in the background worker by the
//! rules and the exact Markov chain, each channel's credit side by side, so
//! last touch can be read against the data-driven credit.

use leptos::prelude::*;
use uplift_engine::attribution::{AttributionReport, AttributionRequest, Credit};

use crate::platform::format;
use crate::tools::analysis_protocol::{AnalysisRequest, AnalysisResult};
use crate::tools::time::{status_line, Analysis};

#[component]
pub fn JourneysPanel() -> impl IntoView {
    let order = RwSignal::new(1usize);
    let with_nulls = RwSignal::new(true);
    let a = Analysis::<AttributionReport>::new("journeys");
    let on_file = move |ev| a.choose(ev, |_| {});
    let run = move |_| {
        if a.running.get_untracked() {
            return;
        }
        a.run(
            AnalysisRequest::Attribution(AttributionRequest {
                order: order.get_untracked(),
                with_nulls: with_nulls.get_untracked(),
            }),
            |r| match r {
                AnalysisResult::Attribution(r) => Some(*r),
                _ => None,
            },
        );
    };
    view! {
        <section class="panel journeys" id="journeys" aria-labelledby="journeys-title">
            <h2 id="journeys-title">"Which touchpoints earn the conversions"</h2>
            <p class="hint">
                "One row per distinct customer path: the path (channels split by "<code>">"</code>", e.g. "
                <code>"email > push > onsite"</code>"), the journeys along it that converted, their value, and the journeys that did not ("
                <code>"path;total_conversions;total_conversion_value;total_null"</code>", as ChannelAttribution reads them); or one row per touch ("<code>"user, timestamp, channel, conversion"</code>", optionally "<code>"value"</code>"), each user's touches made into journeys that end at a conversion. Every channel's credit by first touch, last touch, linear, position-based, the simplified Shapley value and the Markov chain, side by side."
            </p>
            <div class="actions">
                <label class="button secondary file-button">
                    "Choose a file…"
                    <input type="file" id="journeys-file" accept=".csv,.tsv,.txt,text/csv" class="visually-hidden" on:change=on_file/>
                </label>
            </div>
            {move || a.file.get().map(|(name, headers)| view! {
                <p class="status ok" id="journeys-source">{format!("“{name}”: {} columns.", headers.len())}</p>
                <div class="actions">
                    <label class="control-field">
                        <span class="field-label">"Markov chain remembers"</span>
                        <select id="journeys-order" on:change=move |ev| {
                            order.set(event_target_value(&ev).parse().unwrap_or(1));
                        }>
                            <option value="1" selected=move || order.get() == 1>"the last touch (order 1)"</option>
                            <option value="2" selected=move || order.get() == 2>"the last 2 touches (order 2)"</option>
                            <option value="3" selected=move || order.get() == 3>"the last 3 touches (order 3)"</option>
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" id="journeys-nulls" prop:checked=move || with_nulls.get()
                            on:change=move |ev| with_nulls.set(event_target_checked(&ev))/>
                        " Count the journeys that did not convert"
                    </label>
                    <button type="button" class="button" id="journeys-run" on:click=run
                        aria-disabled=move || a.running.get().then_some("true")>"Attribute the conversions"</button>
                </div>
            })}
            {status_line(a, "journeys")}
            {move || a.result.get().map(|(r, _)| view! { <JourneysResults report=r/> })}
        </section>
    }
}

/// The channel whose last-touch credit differs most from the Markov
/// chain's, in a sentence: the gap the attribution is about.
fn gap_sentence(r: &AttributionReport) -> Option<String> {
    let (name, last, markov) = r
        .channels
        .iter()
        .zip(&r.rules.last_touch)
        .zip(&r.markov.channels)
        .map(|((n, l), m)| (n, l.conversions, m.conversions))
        .max_by(|a, b| (a.1 - a.2).abs().total_cmp(&(b.1 - b.2).abs()))?;
    let total = r.conversions.max(f64::MIN_POSITIVE);
    Some(format!(
        "Last touch gives {name} {} of the conversions; the Markov chain, which credits every touch a journey needed, gives it {}.",
        format::percent(last / total, 1),
        format::percent(markov / total, 1),
    ))
}

#[component]
fn JourneysResults(report: AttributionReport) -> impl IntoView {
    let r = report;
    let total = r.conversions.max(f64::MIN_POSITIVE);
    let cell = |c: Option<&Credit>| {
        let c = c.map_or(0.0, |c| c.conversions);
        view! { <td class="num">{format!("{} ({})", format::number(c, 1), format::percent(c / total, 1))}</td> }
    };
    let rows = r
        .channels
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let m = r.markov.channels.get(i);
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    {cell(r.rules.first_touch.get(i))}
                    {cell(r.rules.last_touch.get(i))}
                    {cell(r.rules.linear_touch.get(i))}
                    {cell(r.rules.position_based.get(i))}
                    {cell(r.rules.shapley.get(i))}
                    <td class="num markov">{m.map_or("–".into(), |m| format!(
                        "{} ({})",
                        format::number(m.conversions, 1),
                        format::percent(m.conversions / total, 1)
                    ))}</td>
                    <td class="num removal">{m.map_or("–".into(), |m| format::percent(m.removal_effect, 1))}</td>
                </tr>
            }
        })
        .collect_view();
    let paths = r
        .common_paths
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.path.clone()}</th>
                    <td class="num">{format::count(p.journeys.round() as u64)}</td>
                    <td class="num">{format::count(p.conversions.round() as u64)}</td>
                </tr>
            }
        })
        .collect_view();
    let summary = format!(
        "{} paths, {} journeys, {} conversions{}; {} touches per journey on average, at most {}. A journey converts with probability {}.",
        format::count(r.paths as u64),
        format::count(r.journeys.round() as u64),
        format::number(r.conversions, 0),
        r.value.map_or(String::new(), |v| format!(" worth {}", format::number(v, 2))),
        format::number(r.mean_touches, 2),
        format::count(r.max_touches as u64),
        format::percent(r.markov.conversion_probability, 1),
    );
    view! {
        <p class="verdict" id="journeys-verdict">{gap_sentence(&r)}</p>
        <p class="status ok" role="status" id="journeys-summary">{summary}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Credit per channel">
            <table class="data-table" id="journeys-table">
                <caption>{format!("Conversions credited to each channel (share of all), by model; Markov chain of order {}", r.markov.order)}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Channel"</th>
                        <th scope="col" class="num">"First touch"</th>
                        <th scope="col" class="num">"Last touch"</th>
                        <th scope="col" class="num">"Linear (per touch)"</th>
                        <th scope="col" class="num">"Position 40/20/40"</th>
                        <th scope="col" class="num">"Shapley (simplified)"</th>
                        <th scope="col" class="num">"Markov"</th>
                        <th scope="col" class="num">"Removal effect"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="journeys-table" name="credit per channel table"/>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Most common paths">
            <table class="data-table" id="journeys-paths">
                <caption>"The paths most journeys took"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Path"</th>
                        <th scope="col" class="num">"Journeys"</th>
                        <th scope="col" class="num">"Conversions"</th>
                    </tr>
                </thead>
                <tbody>{paths}</tbody>
            </table>
        </div>
        <p class="method-note" id="journeys-method">
            {format!(
                "First and last touch give a journey's conversion to one touch; linear splits it equally over the touches, repeats counted (ChannelAttribution's linear); position-based gives 40% to the first touch, 40% to the last and 20% to those between (Google's position-based); the simplified Shapley value splits it equally over the distinct channels (Zhao, Mahboobi & Bagheri 2018). The Markov chain (Anderl et al. 2016) credits each channel by its removal effect, the share of conversions lost if the channel were gone, computed exactly{}; removal effects add up to more than 100% because a journey may need several channels.",
                if r.markov.with_nulls { ", with the journeys that did not convert" } else { ", from the converting journeys only" }
            )}
        </p>
    }
}

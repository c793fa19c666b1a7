//! Where the analysis settings appear, above the experiment's tables. The
//! bar is part of the tools module (`analysis_controls.rs`): until the
//! module is on the page anyway (the data has metric columns or a metric
//! plan) or the visitor asks to change a setting, a line says the settings
//! in use, with a button that brings the bar.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::scenario::Method;
use wasm_bindgen::JsCast;

use crate::data::tool_slot::{show_analysis_controls, ShowPanel, ToolSlot};
use crate::platform::embed::next_frame;
use crate::results::metrics_slot::metrics_wanted;
use crate::state::use_app_state;

#[component]
pub fn AnalysisControlsSlot() -> impl IntoView {
    let state = use_app_state();
    let opened = RwSignal::new(false);
    // The metrics panel's own reason to download the tools module.
    let needed = Memo::new(move |_| opened.get() || metrics_wanted(state));
    // The scenario with its data as sums; the bar keeps its last settings
    // while the data has a problem.
    let request = Memo::new(move |_| state.shown_json.get().unwrap_or_default());
    let settings = move || {
        let control = state
            .shown
            .with(|r| r.as_ref().map(|r| r.control.clone()))
            .unwrap_or_default();
        state.scenario.with(|s| {
            let method = match s.analysis.method {
                Method::Frequentist => "Frequentist",
                Method::Bayesian => "Bayesian",
                Method::Sequential => "Sequential",
            };
            format!(
                "{method} method, {:.0}% confidence, control “{control}”.",
                s.confidence * 100.0
            )
        })
    };
    // The button goes with the click: the focus goes to the bar's chosen
    // method once the bar is there (at most about ten seconds later).
    let open = move || {
        opened.set(true);
        spawn_local(async {
            for _ in 0..600 {
                next_frame().await;
                let chosen = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| {
                        d.query_selector(".method-switch input:checked")
                            .ok()
                            .flatten()
                    })
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(input) = chosen {
                    let _ = input.focus();
                    return;
                }
            }
        });
    };
    let show: ShowPanel = show_analysis_controls;
    view! {
        <div class="analysis-slot" class:awaiting=move || needed.get()>
            {move || (!needed.get()).then(|| view! {
                <p class="analysis-summary">
                    <span id="analysis-summary">{settings}</span>" "
                    <button type="button" class="button secondary" id="change-settings" on:click=move |_| open()>
                        "Change the method, confidence or control"
                    </button>
                </p>
            })}
            <ToolSlot request needed show what="analysis settings" failed_id="analysis-controls-failed"/>
        </div>
    }
}

//! Saving and sharing without a server: a link whose fragment holds the
//! scenario (browsers never send the fragment anywhere), a JSON file to save
//! and open, autosave in this browser, and a control that really clears it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::Scenario;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

use crate::platform::downloads::download;
use crate::state::{clear_saved, use_app_state, ResultView};

/// This tab's flag that "Clear my data" started the page afresh.
const CLEARED: &str = "uplift-roi:cleared";

/// The notice after "Clear my data", once (the flag is taken).
fn cleared_notice() -> Option<String> {
    let tab = web_sys::window()?.session_storage().ok()??;
    tab.get_item(CLEARED).ok()??;
    let _ = tab.remove_item(CLEARED);
    Some("Your data was removed from this browser, with the tools' files and results; the demo is loaded again.".into())
}

#[component]
pub fn ShareBar() -> impl IntoView {
    let state = use_app_state();
    let include_rows = RwSignal::new(false);
    let message = RwSignal::new(cleared_notice());
    let link = RwSignal::new(String::new());

    let copy_link = move |_| {
        let scenario = state.scenario.get_untracked();
        let rows = include_rows.get_untracked();
        let view = state.view.get_untracked();
        spawn_local(async move {
            let mut fragment = crate::platform::link_codec::to_link_fragment(&scenario, rows).await;
            // The link opens on the view being looked at.
            if view != ResultView::Overview {
                fragment.push_str("&view=");
                fragment.push_str(view.id());
            }
            let Some(window) = web_sys::window() else {
                return;
            };
            let location = window.location();
            // Setting the hash adds no history entry worth keeping and sends nothing.
            let _ = location.set_hash(&fragment);
            let href = location.href().unwrap_or_default();
            link.set(href.clone());
            let clipboard = window.navigator().clipboard();
            match JsFuture::from(clipboard.write_text(&href)).await {
                Ok(_) => message.set(Some(format!(
                    "Link copied. It holds your inputs; opening it restores this page.{}",
                    segments_lost(state, rows)
                ))),
                Err(_) => message.set(Some(
                    "The browser did not allow copying; select the link below and copy it.".into(),
                )),
            }
        });
    };
    let save = move |_| {
        let json = state.scenario.with(Scenario::to_json);
        match download("uplift-roi-scenario.json", &json, "application/json") {
            Ok(()) => message.set(Some("Scenario saved as uplift-roi-scenario.json.".into())),
            Err(e) => message.set(Some(format!("Could not save: {e}."))),
        }
    };
    let open = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.map(|t| Scenario::from_json(&t).and_then(Scenario::with_readable_data)) {
                Some(Ok(s)) => {
                    crate::data::file_loader::drop_pending_file();
                    state.scenario.set(s);
                    message.set(Some(format!("Opened “{name}”.")));
                }
                Some(Err(e)) => message.set(Some(format!(
                    "“{name}” was not opened: {e} Your current inputs are unchanged."
                ))),
                None => message.set(Some(format!("“{name}” could not be read."))),
            }
        });
    };
    // Everything the page holds beyond what it saved (a tool's file, its
    // inputs and results, a typed transaction log) goes with a fresh start
    // of the page; a flag for this tab only says so after it.
    let clear = move |_| {
        clear_saved();
        crate::data::file_loader::drop_pending_file();
        if let Some(w) = web_sys::window() {
            if let Ok(Some(tab)) = w.session_storage() {
                let _ = tab.set_item(CLEARED, "1");
            }
            let _ = w.location().reload();
        }
    };

    view! {
        <div class="share-bar" role="group" aria-label="Save and share">
            <button type="button" class="button secondary" id="copy-link" on:click=copy_link>"Copy link"</button>
            <button type="button" class="button secondary" id="save-scenario" on:click=save>"Save scenario"</button>
            <label class="button secondary file-button">
                "Open scenario…"
                <input id="open-scenario" type="file" accept=".json,application/json" on:change=open/>
            </label>
            <button type="button" class="button secondary danger" id="clear-my-data" on:click=clear>"Clear my data"</button>
            <label class="toggle small" for="share-rows">
                <input id="share-rows" type="checkbox" prop:checked=move || include_rows.get()
                    on:change=move |ev| include_rows.set(event_target_checked(&ev))/>
                <span>"Put row-level data in links"</span>
            </label>
            {move || {
                let lost = segments_lost(state, include_rows.get());
                (!lost.is_empty()).then(|| view! { <p class="share-message" id="share-segments-note">{lost}</p> })
            }}
            {move || message.get().map(|m| view! { <p class="share-message" role="status" id="share-message">{m}</p> })}
            {move || (!link.get().is_empty()).then(|| view! {
                <input class="share-link" id="share-link" type="text" readonly aria-label="Link to this scenario" prop:value=move || link.get()/>
                        })}
        </div>
    }
}

/// What a link without the rows cannot carry: the segments of row-level
/// data (a link holds its per-variant sums only). Empty when nothing is lost.
fn segments_lost(state: crate::state::AppState, rows: bool) -> String {
    let column = state
        .scenario
        .with(|s| s.analysis.metrics.segment().unwrap_or_default().to_string());
    let row_level = state.experiment.with(|e| {
        e.as_ref()
            .is_ok_and(|e| e.shape == uplift_engine::ingest::DataShape::RowLevel)
    });
    if rows || column.is_empty() || !row_level {
        return String::new();
    }
    format!(
        " Without the rows, the link shows the whole experiment but not the segments by {column}: tick “Put row-level data in links” to send them."
    )
}

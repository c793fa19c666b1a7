//! Step 1: the experiment data — a text area to paste CSV, a file picker,
//! and the demo experiment to start from.

use leptos::prelude::*;
use uplift_engine::ingest::{DataShape, MAX_PROBLEMS};
use uplift_engine::samples::Sample;
use uplift_engine::scenario::DEMO_DATA;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use crate::data::column_mapping_slot::ColumnMappingSlot;
use crate::data::file_loader::{describe, load_file, set_text_data};
use crate::platform::format;
use crate::state::use_app_state;

/// Above this size the text area shows only the first lines: laying out
/// megabytes of text in a text area takes the browser seconds.
const PREVIEW_BYTES: usize = 200_000;
const PREVIEW_LINES: usize = 40;

/// What the text area shows for `data`: all of it, or its first lines and
/// a note when it is too large to edit comfortably.
pub fn preview(data: &str) -> Option<String> {
    if data.len() <= PREVIEW_BYTES {
        return None;
    }
    let mut shown = String::new();
    let mut lines = data.lines();
    for line in lines.by_ref().take(PREVIEW_LINES) {
        shown.push_str(line);
        shown.push('\n');
    }
    let rest = lines.count();
    shown.push_str(&format!(
        "… {} more lines ({} MB) are loaded but not shown here. Load another file, paste new data or press Clear to replace them.",
        format::count(rest as u64),
        format::number(data.len() as f64 / 1_048_576.0, 1)
    ));
    Some(shown)
}

#[component]
pub fn DataPanel() -> impl IntoView {
    let state = use_app_state();
    let set_data = move |text: String| {
        state.file_note.set(None);
        set_text_data(state, text);
    };
    let on_file = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|list| list.get(0)) {
            load_file(state, file);
        }
        // Let the same file be picked again after it is edited on disk.
        input.set_value("");
    };
    let on_sample = move |ev: web_sys::Event| {
        let id = event_target_value(&ev);
        if let Some(sample) = Sample::from_id(&id) {
            set_data(sample.csv());
            show_verdict_above();
        }
        if let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            select.set_value("");
        }
    };

    // Write the scenario's data into the text area only when it differs from
    // what is there: re-setting an identical multi-megabyte value would make
    // the browser lay the whole text out again on every keystroke.
    let area = NodeRef::<leptos::html::Textarea>::new();
    let large = Memo::new(move |_| state.scenario.with(|s| s.data.len() > PREVIEW_BYTES));
    Effect::new(move || {
        state.scenario.with(|s| {
            if let Some(el) = area.get() {
                let shown = preview(&s.data);
                let text = shown.as_deref().unwrap_or(&s.data);
                if el.value() != text {
                    el.set_value(text);
                }
            }
        })
    });
    view! {
        <section class="panel" id="data" aria-labelledby="data-title">
            <h2 id="data-title"><span class="step">"1"</span>" Experiment data"</h2>
            <p class="hint">
                "One row per variant ("<code>"variant, users, conversions, orders, revenue"</code>
                ") or one row per user ("<code>"variant, converted, revenue"</code>
                "). Comma, semicolon, tab or pipe separated. An arm named like a control (control, baseline, holdout…) is the control; otherwise you are asked."
            </p>
            <label for="data-input" class="field-label">"CSV data"</label>
            <textarea
                id="data-input"
                rows="7"
                spellcheck="false"
                autocomplete="off"
                node_ref=area
                prop:readOnly=move || large.get()
                aria-describedby="data-size-note"
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    // Swap a large paste for its preview before anything lays
                    // the page out, so the browser never lays out megabytes.
                    if let (Some(shown), Some(el)) = (preview(&text), area.get_untracked()) {
                        el.set_value(&shown);
                    }
                    set_data(text)
                }
            ></textarea>
            <div class="actions">
                <label class="button secondary file-button">
                    "Choose a file…"
                    <input
                        id="data-file"
                        type="file"
                        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
                        on:change=on_file
                    />
                </label>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| {
                        set_data(DEMO_DATA.to_string());
                        show_verdict_above();
                    }
                >
                    "Load demo data"
                </button>
                <label class="visually-hidden" for="sample-select">"Load a sample file"</label>
                <select id="sample-select" class="sample-select" on:change=on_sample>
                    <option value="" selected>"Load a sample…"</option>
                    {Sample::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.id()>{s.label()}</option> })
                        .collect_view()}
                </select>
                {move || (large.get()).then(|| view! {
                    <button type="button" class="button secondary" id="clear-data" on:click=move |_| set_data(String::new())>
                        "Clear"
                    </button>
                                })}
            </div>
            <p id="data-size-note" class="visually-hidden">
                {move || if large.get() { "Large data: only its first lines are shown and the text is read-only." } else { "" }}
            </p>
            <p class="hint drop-hint">"Or drop a CSV file anywhere on this page. Large files are read in the background, in pieces; only per-variant totals are kept."</p>
            // The large-file reader shows its progress here (tools module).
            {move || state.opening_file.get().map(|name| {
                let label = format!("Opening “{name}”…");
                let cancel = move |_| {
                    state.opening_file.set(None);
                    state.load_error.set(Some(format!(
                        "Opening “{name}” was cancelled. The data you had before is unchanged."
                    )));
                };
                view! {
                    <div class="file-progress" id="file-opening">
                        <label role="status" for="file-opening-bar">{label}</label>
                        // No value: the browser shows it as under way.
                        <progress id="file-opening-bar"></progress>
                        <button type="button" class="button secondary" id="file-opening-cancel" on:click=cancel>"Cancel"</button>
                    </div>
                }
            })}
            <div class="file-slot" id="file-slot"></div>
            <ColumnMappingSlot/>
            <DataStatus/>
        </section>
    }
}

/// Under the text area: what was read, or what is wrong with it.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_data_is_shown_whole_and_large_data_previewed() {
        assert_eq!(preview("variant,users\nA,1\n"), None);
        let mut big = String::from("variant,converted\n");
        while big.len() <= PREVIEW_BYTES {
            big.push_str("control,1\n");
        }
        let Some(p) = preview(&big) else { panic!() };
        assert_eq!(p.lines().count(), PREVIEW_LINES + 1);
        assert!(p.starts_with("variant,converted\ncontrol,1\n"));
        assert!(p.contains("more lines") && p.contains("MB"), "{p}");
    }
}

#[component]
fn DataStatus() -> impl IntoView {
    let state = use_app_state();
    move || {
        if let Some(msg) = state.load_error.get() {
            return view! { <p class="status error" role="alert" id="data-error">{msg}</p> }
                .into_any();
        }
        if let Some(msg) = state.data_error() {
            return view! {
                <p class="status error" role="alert" id="data-error">
                    {msg}
                    <span class="kept">" The results (step 3) still show the last data that could be analysed, marked as previous."</span>
                </p>
            }
            .into_any();
        }
        let note = state
            .file_note
            .get()
            .filter(|n| state.scenario.with(|s| s.data == n.read.data));
        state
            .shown
            .get()
            .map(|r| {
                let shape = match r.shape {
                    DataShape::Aggregated => "aggregated rows",
                    DataShape::RowLevel => "user rows",
                };
                let (read, skipped, problems) = match &note {
                    Some(n) => (describe(n), n.read.skipped, n.read.problems.clone()),
                    None => (
                        format!("Read {} {shape}:", format::count(r.rows as u64)),
                        r.skipped_rows,
                        r.row_problems.clone(),
                    ),
                };
                let memory = note.as_ref().map(|n| format!("{}", n.read.memory_bytes));
                let millis = note.as_ref().map(|n| format!("{}", n.read.millis));
                view! {
                    <div class="status ok" role="status" id="data-ok" data-worker-memory=memory data-read-ms=millis>
                        <p>
                            {read}
                            {format!(" {} variants, control “{}”.", format::count(r.value.len() as u64), r.control)}
                        </p>
                        {(skipped > 0).then(|| view! {
                            <details class="skipped" id="skipped-rows">
                                <summary>
                                    {format!(
                                        "{} {} skipped because a value could not be used.",
                                        format::count(skipped as u64),
                                        if skipped == 1 { "row was" } else { "rows were" },
                                    )}
                                </summary>
                                <ul>
                                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                                {(skipped > MAX_PROBLEMS).then(|| view! {
                                    <p>{format!("The first {MAX_PROBLEMS} are listed.")}</p>
                                })}
                            </details>
                        })}
                    </div>
                }
            })
            .into_any()
    }
}

/// On a narrow screen the results sit above step 1, out of sight of the
/// button just pressed: bring them back into view. (On a wide screen they
/// are beside it, and the page barely moves.)
fn show_verdict_above() {
    if let Some(summary) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("overview"))
    {
        summary.scroll_into_view();
    }
}

//! Progress of a large file being read in the background: how far, how
//! fast, and a button to stop.

use leptos::prelude::*;

use crate::file_loader::cancel_load;
use crate::format;
use crate::state::use_app_state;

#[component]
pub fn FileProgress() -> impl IntoView {
    let state = use_app_state();
    move || {
        state.load_progress.get().map(|p| {
            let percent = p.fraction() * 100.0;
            let text = format!(
                "Reading “{}”: {} of {} MB, {} rows so far ({} rows/s).",
                p.name,
                format::number(p.bytes / 1_048_576.0, 1),
                format::number(p.total / 1_048_576.0, 1),
                format::count(p.rows as u64),
                format::count(p.rows_per_second() as u64),
            );
            view! {
                <div class="file-progress" id="file-progress">
                    <label for="file-progress-bar">{text}</label>
                    <progress id="file-progress-bar" max="100" value=format!("{percent:.1}")>
                        {format!("{percent:.0}%")}
                    </progress>
                    <button type="button" class="button secondary" id="file-cancel"
                        on:click=move |_| cancel_load(state)>
                        "Cancel"
                    </button>
                </div>
            }
        })
    }
}

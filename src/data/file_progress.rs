//! Progress of a large file being read in the background: how far, how
//! fast, and a button to stop. Part of the large-file reader, in the tools
//! module.

use leptos::prelude::*;

use crate::data::file_reader::{cancel, Reader};
use crate::platform::format;

/// `id` names the box (`{id}-progress`) and its Cancel button
/// (`{id}-cancel`), so it can be shown in more than one place.
#[component]
pub fn FileProgress(reader: Reader, #[prop(default = "file")] id: &'static str) -> impl IntoView {
    // Only the text and the bar's value follow each progress message; the
    // box and its Cancel button are built once per load, so a click on
    // Cancel is never lost to a re-render between mouse down and up.
    let text = move || {
        reader
            .progress
            .with(|p| {
                p.as_ref().map(|p| {
                    format!(
                        "Reading “{}”: {} of {} MB, {} rows so far ({} rows/s).",
                        p.name,
                        format::number(p.bytes / 1_048_576.0, 1),
                        format::number(p.total / 1_048_576.0, 1),
                        format::count(p.rows as u64),
                        format::count(p.rows_per_second() as u64),
                    )
                })
            })
            .unwrap_or_default()
    };
    let percent = move || {
        reader
            .progress
            .with(|p| p.as_ref().map_or(0.0, |p| p.fraction() * 100.0))
    };
    view! {
        {move || (reader.progress.with(Option::is_some)).then(|| view! {
            <div class="file-progress" id=format!("{id}-progress")>
                <label for=format!("{id}-progress-bar")>{text}</label>
                <progress id=format!("{id}-progress-bar") max="100" value=move || format!("{:.1}", percent())>
                    {move || format!("{:.0}%", percent())}
                </progress>
                <button type="button" class="button secondary" id=format!("{id}-cancel")
                    on:click=move |_| cancel(reader)>
                    "Cancel"
                </button>
            </div>
                })}
    }
}

//! Dropping a file anywhere on the page loads it, with an overlay that says
//! where it will go while the file is dragged over the window.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::DragEvent;

use crate::data::file_loader::load_file;
use crate::state::use_app_state;

/// Whether the drag carries files (not, say, selected text).
fn carries_files(ev: &DragEvent) -> bool {
    ev.data_transfer()
        .map(|dt| {
            dt.types()
                .iter()
                .any(|t| t.as_string().as_deref() == Some("Files"))
        })
        .unwrap_or(false)
}

#[component]
pub fn DropZone() -> impl IntoView {
    let state = use_app_state();
    let dragging = RwSignal::new(false);
    if let Some(window) = web_sys::window() {
        let over = Closure::<dyn FnMut(DragEvent)>::new(move |ev: DragEvent| {
            if carries_files(&ev) {
                // Without this the browser opens the file instead of dropping it here.
                ev.prevent_default();
                dragging.set(true);
            }
        });
        let leave = Closure::<dyn FnMut(DragEvent)>::new(move |ev: DragEvent| {
            // Leaving to outside the window has no related target.
            if ev.related_target().is_none() {
                dragging.set(false);
            }
        });
        let drop = Closure::<dyn FnMut(DragEvent)>::new(move |ev: DragEvent| {
            dragging.set(false);
            let file = ev
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                ev.prevent_default();
                load_file(state, file);
                if let Some(panel) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("data"))
                {
                    panel.scroll_into_view();
                }
            }
        });
        for (name, handler) in [
            ("dragover", over.as_ref()),
            ("dragleave", leave.as_ref()),
            ("drop", drop.as_ref()),
        ] {
            let _ = window.add_event_listener_with_callback(name, handler.unchecked_ref());
        }
        // The listeners live as long as the page.
        over.forget();
        leave.forget();
        drop.forget();
    }
    view! {
        <div class="drop-overlay" class:visible=move || dragging.get() aria-hidden="true">
            <p>"Drop the CSV to analyse it. It stays in this browser."</p>
        </div>
    }
}

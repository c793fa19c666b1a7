//! Embedding in documentation pages: `?embed` gives a compact page without
//! the extra panels, and the page tells its parent frame its height so the
//! iframe can fit it (`{type: "uplift-roi:height", height}` by postMessage —
//! a message between frames, not a network request).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::AppState;

/// Let the browser paint before continuing (one frame, about 16 ms).
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 16);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Resolve once the browser has painted the current page: the callback of
/// a second animation frame runs after the first frame's paint.
pub async fn after_paint() {
    for _ in 0..2 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(&resolve);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// True when the page was opened as `…?embed`.
pub fn is_embed() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| {
            q.trim_start_matches('?')
                .split('&')
                .any(|p| p == "embed" || p.starts_with("embed="))
        })
}

fn post_height() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(height) = window
        .document()
        .and_then(|d| d.document_element())
        .map(|e| e.scroll_height())
    else {
        return;
    };
    if let Ok(Some(parent)) = window.parent() {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"uplift-roi:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        let _ = parent.post_message(&message, "*");
    }
}

/// In embed mode: mark the page compact and report its height whenever the
/// results change or the charts are drawn (after the browser has laid them
/// out).
pub fn start_embed(state: AppState) {
    if !is_embed() {
        return;
    }
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.class_list().add_1("embed");
    }
    Effect::new(move || {
        state.shown.track();
        state.first_paint_done.track();
        // Charts are drawn as wide as the page, so their height is known
        // only once they are.
        state.charts.status.track();
        state.charts.width.track();
        spawn_local(async {
            next_frame().await;
            post_height();
        });
    });
}

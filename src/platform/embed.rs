//! Embedding in documentation pages: `?embed` gives a compact page without
//! the extra panels, and the page tells its parent frame its height so the
//! iframe can fit it (`{type: "uplift-roi:height", height}` by postMessage —
//! a message between frames, not a network request).

use wasm_bindgen::JsCast;

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

/// In embed mode: mark the page compact and report its height on every
/// change of the body's size (a `ResizeObserver`: new results, a cost line,
/// the column step, charts drawn), so the iframe never hides a part of it
/// behind an inner scroll.
pub fn start_embed() {
    if !is_embed() {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.class_list().add_1("embed");
    }
    // Reached through Reflect: web-sys' typed binding would add to the
    // first download for two calls.
    let observe = || -> Option<()> {
        let body = document.body()?;
        let window = web_sys::window()?;
        let ctor: js_sys::Function = js_sys::Reflect::get(&window, &"ResizeObserver".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(post_height);
        let observer =
            js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(callback.as_ref())).ok()?;
        // The observer lives as long as the page.
        callback.forget();
        let observe: js_sys::Function = js_sys::Reflect::get(&observer, &"observe".into())
            .ok()?
            .dyn_into()
            .ok()?;
        observe.call1(&observer, &body).ok()?;
        Some(())
    };
    // Every browser that runs this WebAssembly has ResizeObserver.
    let _ = observe();
}

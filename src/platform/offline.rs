//! Offline use: registers the service worker (`sw.js`, beside the page) that
//! keeps a copy of the site's own files, so after one visit the calculator
//! opens without a network. The URL is relative so it works from a sub-path.

use wasm_bindgen::{JsCast, JsValue};

/// Register `./sw.js`. Browsers without service workers (or pages served over
/// plain http from another host, where `navigator.serviceWorker` is absent)
/// simply run online-only; a refused registration is not an error for the user.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // Absent outside secure contexts; calling into it would throw.
    let available = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .is_ok_and(|sw| !sw.is_undefined() && !sw.is_null());
    if !available {
        return;
    }
    // Registered a moment after the results are on screen: installing
    // fetches the site's files again, which would otherwise compete with
    // the first render for the network and the CPU.
    let register = wasm_bindgen::closure::Closure::once_into_js(move || {
        let promise = navigator.service_worker().register("./sw.js");
        wasm_bindgen_futures::spawn_local(async move {
            // Awaited only so a refusal (e.g. storage blocked in a third-party
            // iframe) is handled rather than reported as an unhandled rejection.
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    });
    let _ = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(register.unchecked_ref(), 1_000);
}

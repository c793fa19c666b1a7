//! Uplift ROI in the browser: mounts the app into the page.

mod offline;

use leptos::prelude::*;
use uplift_roi_app::app::App;

fn main() {
    // The panic's message goes to the console; the page's own script (index.html)
    // shows the notice when the module stops. Release builds stop at once, with no message.
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    // A compressed link is opened (asynchronously) before the first render,
    // so neither the demo nor autosave ever replaces what the link holds.
    wasm_bindgen_futures::spawn_local(async {
        let (initial, link_error) = uplift_roi_app::state::initial_scenario().await;
        leptos::mount::mount_to_body(move || view! { <App initial link_error/> });
        // Lets the browser tests prove that a panic shows the notice.
        if web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .as_deref()
            == Some("#panic-test")
        {
            panic!("panic requested by #panic-test");
        }
    });
    offline::register_service_worker();
}

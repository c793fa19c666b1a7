//! Uplift ROI in the browser: mounts the app into the page.

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
        // The demo's summary written into the page at build time
        // (src/bin/prerender.rs) goes in the same frame as the app comes.
        if let Some(copy) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("prerendered"))
        {
            copy.remove();
        }
        leptos::mount::mount_to_body(move || view! { <App initial link_error/> });
        // Lets the browser tests prove that a panic, and running out of
        // stack (the module's own in memory, or the browser's call stack),
        // show the notice.
        match web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .as_deref()
        {
            Some("#panic-test") => panic!("panic requested by #panic-test"),
            Some("#stack-test") => {
                std::hint::black_box(depth(std::hint::black_box(0)));
            }
            Some("#call-stack-test") => {
                std::hint::black_box(calls(std::hint::black_box(0)));
            }
            _ => {}
        }
    });
    uplift_roi_app::platform::offline::register_service_worker();
}

/// Recursion without end (for `#stack-test`): each level keeps a buffer on
/// the stack, so the stack runs out.
#[allow(unconditional_recursion)]
fn depth(n: u64) -> u64 {
    let buffer = std::hint::black_box([n; 64]);
    depth(n + 1) + buffer.iter().sum::<u64>()
}

/// Recursion without end whose frames hold nothing in memory (for
/// `#call-stack-test`): the browser's call stack runs out first.
#[allow(unconditional_recursion)]
fn calls(n: u64) -> u64 {
    std::hint::black_box(calls(n + 1)) + n
}

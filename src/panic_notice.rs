//! If the app ever panics, the WebAssembly instance stops; instead of a
//! frozen page the user sees what happened and what is safe: the inputs are
//! autosaved, a reload continues, and a reset starts from the demo.

use wasm_bindgen::JsCast;

const NOTICE: &str = "Something went wrong inside the calculator and it stopped. \
Your inputs are saved in this browser. Reload the page to continue; \
if the problem comes back, reset to the demo (this clears the saved inputs).";

/// Log panics to the console and show a notice on the page.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_notice();
    }));
}

fn show_notice() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let Ok(panel) = document.create_element("div") else {
        return;
    };
    panel.set_id("panic-notice");
    panel.set_class_name("panic-notice");
    let _ = panel.set_attribute("role", "alert");
    let text = document.create_element("p");
    if let Ok(p) = text {
        p.set_text_content(Some(NOTICE));
        let _ = panel.append_child(&p);
    }
    // Plain links, not wasm handlers: the wasm instance is gone.
    let here = web_sys::window()
        .map(|w| {
            let l = w.location();
            l.pathname().unwrap_or_default() + &l.search().unwrap_or_default()
        })
        .unwrap_or_default();
    for (label, href, id) in [
        ("Reload", here.clone(), "panic-reload"),
        ("Reset to the demo", format!("{here}#reset"), "panic-reset"),
    ] {
        if let Ok(a) = document.create_element("a") {
            a.set_text_content(Some(label));
            a.set_id(id);
            let _ = a.set_attribute("href", &href);
            a.set_class_name("button");
            if let Ok(el) = a.dyn_into::<web_sys::HtmlElement>() {
                let _ = panel.append_child(&el);
            }
        }
    }
    let _ = body.prepend_with_node_1(&panel);
}

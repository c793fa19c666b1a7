//! Modules downloaded on demand: adding their scripts to the page, what went
//! wrong if that fails, and the tools module's one shared download (the
//! tool cards and the data tools both use it).

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Add a script to the page and wait for it to load. `module` makes it an
/// ES module (`type="module"`), which may import further files.
pub async fn add_script(src: &str, module: bool) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("the page is not ready")?;
    let body = document.body().ok_or("the page is not ready")?;
    let tag: web_sys::HtmlElement = document
        .create_element("script")
        .map_err(|e| describe(&e))?
        .unchecked_into();
    if module {
        tag.set_attribute("type", "module")
            .map_err(|e| describe(&e))?;
    }
    tag.set_attribute("src", src).map_err(|e| describe(&e))?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        tag.set_onload(Some(&resolve));
        tag.set_onerror(Some(&reject));
    });
    body.append_child(&tag).map_err(|e| describe(&e))?;
    if JsFuture::from(done).await.is_err() {
        tag.remove();
        return Err("the download failed".into());
    }
    Ok(())
}

/// What went wrong, from a JavaScript error or value. A `RuntimeError` is
/// a module that stopped (a panic in the tools or the charts, say): it says
/// so in words instead of wasm's "unreachable".
pub fn describe(e: &JsValue) -> String {
    if e.is_instance_of::<js_sys::WebAssembly::RuntimeError>() {
        return "it stopped unexpectedly; reload the page to start it again".into();
    }
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

// Trunk builds the tools with wasm-bindgen's no-modules target: their glue
// script declares a global `wasm_bindgen`, the function that starts the
// module, with the module's exports as its properties.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = wasm_bindgen, catch)]
    fn start_tools(options: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    /// The tools module's download: under way or done. Cleared after a
    /// failure, so the next request tries again.
    static TOOLS: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// Whether the tools' glue script is on the page (added once: it
    /// declares a global).
    static TOOLS_SCRIPT: Cell<bool> = const { Cell::new(false) };
    /// Whether it has started.
    static TOOLS_READY: Cell<bool> = const { Cell::new(false) };
}

async fn start_tools_module() -> Result<(), String> {
    if !TOOLS_SCRIPT.with(Cell::get) {
        add_script("./tools.js", false).await?;
        TOOLS_SCRIPT.with(|added| added.set(true));
    }
    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &"module_or_path".into(),
        &"./tools_bg.wasm".into(),
    )
    .map_err(|e| describe(&e))?;
    let started = start_tools(&options).map_err(|e| describe(&e))?;
    JsFuture::from(started).await.map_err(|e| describe(&e))?;
    Ok(())
}

/// Download and start the tools module (the tools below the results, the
/// large-file reader and the column-mapping step), once: callers while it
/// downloads wait for the same download.
pub async fn load_tools() -> Result<(), String> {
    let pending = TOOLS.with(|t| t.borrow().clone());
    let pending = pending.unwrap_or_else(|| {
        let p = wasm_bindgen_futures::future_to_promise(async {
            start_tools_module()
                .await
                .map(|()| JsValue::UNDEFINED)
                .map_err(|e| JsValue::from_str(&e))
        });
        TOOLS.with(|t| *t.borrow_mut() = Some(p.clone()));
        p
    });
    match JsFuture::from(pending).await {
        Ok(_) => {
            TOOLS_READY.with(|r| r.set(true));
            Ok(())
        }
        Err(e) => {
            TOOLS.with(|t| *t.borrow_mut() = None);
            Err(describe(&e))
        }
    }
}

/// Whether the tools module has started (its functions can be called now).
pub fn tools_ready() -> bool {
    TOOLS_READY.with(Cell::get)
}

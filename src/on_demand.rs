//! Adding a module that is downloaded on demand (the tools, the charts) to
//! the page: its script tag, once, and what went wrong if it fails.

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

/// What went wrong, from a JavaScript error or value.
pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

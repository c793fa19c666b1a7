//! Shorter share links: the scenario JSON is compressed with the browser's
//! own raw DEFLATE (`CompressionStream`), so no compression code ships in
//! the bundle, and written to the fragment as `z=…`. Old `s=…` links (plain
//! JSON) still open; see `Scenario::from_fragment`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use uplift_engine::scenario::{
    base64url_encode, bytes_to_text, fragment_payload, FragmentEncoding, ScenarioError,
};
use uplift_engine::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A link never expands to more than this: a hostile link cannot make the
/// page allocate gigabytes (DEFLATE can compress 1000:1).
const MAX_LINK_JSON: usize = 20 * 1024 * 1024;

#[wasm_bindgen]
extern "C" {
    /// A JS `ReadableStream`, with just what is used here.
    type Stream;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &Stream, transform: &JsValue) -> Stream;
    #[wasm_bindgen(method, js_name = getReader)]
    fn get_reader(this: &Stream) -> Reader;

    type Reader;
    #[wasm_bindgen(method)]
    fn read(this: &Reader) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &Reader) -> js_sys::Promise;

    #[wasm_bindgen(js_name = CompressionStream)]
    type Compressor;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Compressor, JsValue>;

    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompressor;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompressor, JsValue>;
}

fn stream_of(bytes: &[u8]) -> Result<Stream, JsValue> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    Ok(blob.stream().unchecked_into())
}

/// Read a stream to its end, refusing more than `limit` bytes.
async fn read_all(stream: Stream, limit: usize) -> Result<Vec<u8>, JsValue> {
    let reader = stream.get_reader();
    let mut out = Vec::new();
    loop {
        let chunk: Object = JsFuture::from(reader.read()).await?.unchecked_into();
        if Reflect::get(&chunk, &"done".into())?.as_bool() == Some(true) {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())?.unchecked_into();
        out.extend(value.to_vec());
        if out.len() > limit {
            let _ = reader.cancel();
            return Err(JsValue::from_str("too large"));
        }
    }
}

async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let compressed = stream_of(bytes)?.pipe_through(&Compressor::new("deflate-raw")?.into());
    read_all(compressed, usize::MAX).await
}

async fn inflate(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let plain = stream_of(bytes)?.pipe_through(&Decompressor::new("deflate-raw")?.into());
    read_all(plain, MAX_LINK_JSON).await
}

/// The fragment for a share link: `z=` + base64url(raw DEFLATE(JSON)), or
/// the plain `s=` form if this browser cannot compress.
pub async fn to_link_fragment(scenario: &Scenario, include_rows: bool) -> String {
    let json = scenario.shared_json(include_rows);
    match deflate(json.as_bytes()).await {
        Ok(z) => format!("z={}", base64url_encode(&z)),
        Err(_) => scenario.to_fragment(include_rows),
    }
}

/// Open a link's fragment, compressed or not.
pub async fn from_link_fragment(fragment: &str) -> Result<Scenario, ScenarioError> {
    let (encoding, bytes) = fragment_payload(fragment)?;
    let json = match encoding {
        FragmentEncoding::Json => bytes,
        FragmentEncoding::DeflateJson => {
            inflate(&bytes)
                .await
                .map_err(|_| ScenarioError::NotAScenario {
                    reason: "the link is damaged (it may have been cut short)".into(),
                })?
        }
    };
    Scenario::from_json(&bytes_to_text(json)?)
}

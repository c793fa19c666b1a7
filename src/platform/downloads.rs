//! Files made in the browser and handed to the user: the scenario, charts
//! (SVG and PNG) and tables (CSV). Nothing is sent anywhere: each file is a
//! Blob behind a `blob:` URL that a temporary link downloads.
//!
//! The PNG and CSV makers are needed only when a visitor asks for one, so
//! they live in the modules downloaded on demand: the charts and the tools
//! modules put them on the page as `upliftExport` when they start
//! ([`register_exports`]), and the page's buttons call them from there
//! ([`export`]), downloading the tools module first
//! if neither has arrived yet.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Document};

fn document() -> Result<Document, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".to_string())
}

fn text_blob(text: &str, mime: &str) -> Result<Blob, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the file could not be prepared".to_string())
}

fn download_blob(name: &str, blob: &Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| "no download URL")?;
    let a: web_sys::HtmlAnchorElement = document()?
        .create_element("a")
        .map_err(|_| "no link element")?
        .dyn_into()
        .map_err(|_| "no link element")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has already handed the blob to the download; free the URL.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Offer `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    download_blob(name, &text_blob(text, mime)?)
}

/// Offer an SVG document as a PNG at twice its size (sharp on high-density
/// screens and in slides). The SVG is decoded as an image from a `blob:` URL
/// (allowed by the page's `img-src`), drawn on a canvas, and the canvas
/// encoded as PNG: no request leaves the page.
pub async fn download_png(name: &str, svg: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(&text_blob(svg, "image/svg+xml")?)
        .map_err(|_| "no image URL")?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "no image element")?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(|_| "the chart could not be drawn as an image")?;
    let (width, height) = (image.natural_width() * 2, image.natural_height() * 2);
    if width == 0 || height == 0 {
        return Err("the chart has no size".into());
    }
    let canvas: web_sys::HtmlCanvasElement = document()?
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("no canvas context")?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &image,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| "the chart could not be drawn")?;
    // toBlob reports through a callback; the promise's resolve function is one.
    let encoded = js_sys::Promise::new(&mut |resolve, reject| {
        if canvas.to_blob(&resolve).is_err() {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob: Blob = JsFuture::from(encoded)
        .await
        .ok()
        .and_then(|b| b.dyn_into().ok())
        .ok_or("the image could not be encoded")?;
    download_blob(name, &blob)
}

/// Put the PNG and CSV makers on the page (`upliftExport.png(name, svg)`,
/// a promise; `upliftExport.csv(table_id)`). Called by the on-demand
/// modules as they start; the page calls them through [`export`].
pub fn register_exports() {
    use wasm_bindgen::closure::Closure;
    let png =
        Closure::<dyn Fn(String, String) -> js_sys::Promise>::new(|name: String, svg: String| {
            wasm_bindgen_futures::future_to_promise(async move {
                download_png(&name, &svg)
                    .await
                    .map(|()| JsValue::UNDEFINED)
                    .map_err(|e| JsValue::from_str(&e))
            })
        });
    let csv = Closure::<dyn Fn(String) -> Result<(), JsValue>>::new(|table_id: String| {
        table_csv(&table_id)
            .and_then(|csv| {
                download(
                    &format!("uplift-roi-{table_id}.csv"),
                    &csv,
                    "text/csv;charset=utf-8",
                )
            })
            .map_err(|e| JsValue::from_str(&e))
    });
    let exports = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&exports, &"png".into(), png.as_ref());
    let _ = js_sys::Reflect::set(&exports, &"csv".into(), csv.as_ref());
    let _ = js_sys::Reflect::set(&js_sys::global(), &"upliftExport".into(), &exports);
    png.forget();
    csv.forget();
}

/// One of the makers [`register_exports`] put on the page, once a module
/// that has them has started.
async fn exporter(kind: &str) -> Result<js_sys::Function, String> {
    let find = || {
        js_sys::Reflect::get(&js_sys::global(), &"upliftExport".into())
            .and_then(|e| js_sys::Reflect::get(&e, &kind.into()))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    };
    if let Some(f) = find() {
        return Ok(f);
    }
    crate::platform::on_demand::load_tools().await?;
    find().ok_or_else(|| "the file could not be made".into())
}

/// Offer a PNG of the chart `svg` named `name` (`kind` "png"), or the
/// table with id `name` as CSV (`kind` "csv", `svg` unused).
pub async fn export(kind: &str, name: &str, svg: &str) -> Result<(), String> {
    let describe = |e: JsValue| crate::platform::on_demand::describe(&e);
    let made = exporter(kind)
        .await?
        .call2(&JsValue::NULL, &name.into(), &svg.into())
        .map_err(describe)?;
    JsFuture::from(js_sys::Promise::resolve(&made))
        .await
        .map(|_| ())
        .map_err(describe)
}

/// The table with id `table_id` as CSV: one record per row of the table as
/// shown (header rows included), each cell's visible text.
pub fn table_csv(table_id: &str) -> Result<String, String> {
    let table = document()?
        .get_element_by_id(table_id)
        .ok_or("the table is not on the page")?;
    let rows = table
        .query_selector_all("tr")
        .map_err(|_| "the table could not be read")?;
    let records: Vec<Vec<String>> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .filter_map(|row| row.dyn_into::<web_sys::Element>().ok())
        .map(|row| {
            let cells = row.children();
            (0..cells.length())
                .filter_map(|j| cells.item(j))
                .map(|cell| cell_text(&visible_text(&cell)))
                .collect()
        })
        .collect();
    Ok(to_csv(&records))
}

/// A cell's text without the glossary's "?" button and definition.
fn visible_text(cell: &web_sys::Element) -> String {
    let Some(copy) = cell
        .clone_node_with_deep(true)
        .ok()
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
    else {
        return cell.text_content().unwrap_or_default();
    };
    if let Ok(extras) = copy.query_selector_all(".term-info, .term-tip") {
        for k in 0..extras.length() {
            if let Some(node) = extras.item(k) {
                if let Some(parent) = node.parent_node() {
                    let _ = parent.remove_child(&node);
                }
            }
        }
    }
    copy.text_content().unwrap_or_default()
}

/// A cell's text with the layout whitespace of the markup collapsed.
fn cell_text(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote
/// or line break, quotes doubled. A UTF-8 byte-order mark first so that
/// spreadsheet programs read "—" and "χ²" correctly.
pub fn to_csv(records: &[Vec<String>]) -> String {
    let mut out = String::from('\u{feff}');
    for record in records {
        let line = record
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out
}

fn csv_field(text: &str) -> String {
    // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as
    // a formula, so "-1+1+cmd|' /C calc'!A0" as a variant name would run
    // there; a leading apostrophe keeps it text. Only a cell that is wholly
    // a signed number, percentage or amount ("+30.0%", "−$1,200") is left
    // as it is (OWASP, "CSV Injection").
    let guarded =
        if text.starts_with(['=', '+', '-', '−', '@', '\t', '\r']) && !is_signed_number(text) {
            format!("'{text}")
        } else {
            text.to_string()
        };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Whether `text` is, as a whole, a sign, then digits with grouping and
/// decimal marks, with at most a currency sign before and a currency sign,
/// "%" or "pp" after.
fn is_signed_number(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-', '−']);
    let body = body.trim_start_matches(['$', '€', '£', '¥']);
    let body = body.trim_end_matches(['%', '$', '€', '£', '¥', 'p', ' ', '\u{a0}']);
    body.starts_with(|c: char| c.is_ascii_digit())
        && body.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, ',' | '.' | '\'' | ' ' | '\u{a0}' | '\u{202f}')
        })
        && text.chars().count() - body.chars().count() <= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = vec![
            vec!["Variant".to_string(), "Revenue".to_string()],
            vec!["a, \"b\"".to_string(), "$1,200".to_string()],
            vec!["two\nlines".to_string(), "+30.0%".to_string()],
        ];
        assert_eq!(
            to_csv(&rows),
            "\u{feff}Variant,Revenue\r\n\"a, \"\"b\"\"\",\"$1,200\"\r\n\"two\nlines\",+30.0%\r\n"
        );
    }

    #[test]
    fn csv_keeps_formulas_as_text_but_not_signed_numbers() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("+cmd"), "'+cmd");
        assert_eq!(csv_field("-30.5%"), "-30.5%");
        assert_eq!(csv_field("−$1,200"), "\"−$1,200\"");
        assert_eq!(csv_field("—"), "—");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("+1.2 pp"), "+1.2 pp");
        assert_eq!(csv_field("-1.234,5 €"), "\"-1.234,5 €\"");
        assert_eq!(csv_field("+16.5% to +57.0%"), "'+16.5% to +57.0%");
    }

    #[test]
    fn csv_keeps_owasp_payloads_as_text() {
        for payload in [
            "-1+1+cmd|' /C calc'!A0",
            "+1+cmd|' /C calc'!A0",
            "-2+3+HYPERLINK(\"http://evil\",\"x\")",
            "=cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1",
            "\r=1+1",
            "-1-1",
            "+1%+1",
            "−5$+cmd",
        ] {
            let field = csv_field(payload);
            let cell = field.strip_prefix('"').map_or(field.clone(), |f| {
                f.trim_end_matches('"').replace("\"\"", "\"")
            });
            assert!(cell.starts_with('\''), "{payload} went out as {field}");
        }
    }

    #[test]
    fn cell_text_collapses_markup_whitespace() {
        assert_eq!(
            cell_text("\n  2.00%\n (1.83% to 2.19%) "),
            "2.00% (1.83% to 2.19%)"
        );
    }
}

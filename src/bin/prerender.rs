//! Writes the demo's summary (the verdict and the key figures, under the
//! page's header) as HTML to standard output. scripts/build-site.sh runs
//! it natively before the build and scripts/prerender.mjs puts it into
//! index.html, so a first visit sees the verdict as soon as the HTML and
//! the stylesheet arrive, before the WebAssembly module has downloaded.
//! The words come from the functions the app draws its own summary with,
//! for the report the engine computes for the demo; the app removes this
//! copy when it starts (src/main.rs), and the page's own script hides it
//! at once when a link or a saved scenario will replace the demo
//! (index.html). tests/browser/first-paint.test.mjs compares the two.

use std::fmt::Write;

use uplift_engine::{analyze_experiment, Scenario};
use uplift_roi_app::app::{PROMISE, TAGLINE};
use uplift_roi_app::platform::format::{set_display, CURRENCIES, LOCALES};
use uplift_roi_app::results::results_panel::verdict;
use uplift_roi_app::results::summary::key_figures;
use uplift_roi_app::state::ResultView;

fn main() {
    match summary() {
        Ok(html) => print!("{html}"),
        Err(e) => {
            eprintln!("prerender: the demo has no report: {e}");
            std::process::exit(1);
        }
    }
}

/// `<`, `>`, `&` and `"` as entities (the verdict says "p < 0.05").
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn summary() -> Result<String, Box<dyn std::error::Error>> {
    let scenario = Scenario::demo();
    set_display(&scenario.display.locale, &scenario.display.currency);
    let experiment = scenario.experiment()?;
    let report = analyze_experiment(&scenario, &experiment)?;
    let mut h = String::new();
    // Inert: its buttons and links work only once the app has replaced it.
    write!(
        h,
        r#"<div id="prerendered" inert><header class="site-header"><h1>Uplift ROI</h1><p class="tagline">{}<strong>{}</strong></p>"#,
        escape(TAGLINE),
        escape(PROMISE)
    )?;
    // The header's controls, as the app draws them, so the summary below
    // sits where the app's will.
    h.push_str(r#"<div class="share-bar"><button class="button secondary">Copy link</button><button class="button secondary">Save scenario</button><label class="button secondary file-button">Open scenario…</label><button class="button secondary danger">Clear my data</button><label class="toggle small"><input type="checkbox"><span>Put row-level data in links</span></label></div>"#);
    h.push_str(r#"<div class="display-settings"><label>Numbers</label><select>"#);
    for l in LOCALES {
        write!(h, "<option>{}</option>", escape(l.label))?;
    }
    h.push_str("</select><label>Currency</label><select>");
    for c in CURRENCIES {
        write!(h, "<option>{}</option>", c.code)?;
    }
    h.push_str("</select></div></header>");
    write!(
        h,
        r#"<main class="workbench"><div class="results-pane"><section class="panel summary"><h2><span class="step">3</span> Results</h2><div class="summary-body"><p class="verdict">{}</p><dl class="kpis key-figures">"#,
        escape(&verdict(&report, None))
    )?;
    for f in key_figures(&report, None) {
        write!(
            h,
            "<div class=\"kpi\"><dt>{}</dt><dd>{}",
            escape(&f.label),
            escape(&f.value)
        )?;
        if let Some(d) = f.detail {
            write!(h, "<span class=\"ci\">{}</span>", escape(&d))?;
        }
        h.push_str("</dd></div>");
    }
    h.push_str(r##"</dl></div><p class="edit-links"><a class="button secondary" href="#data">Edit data</a><a class="button secondary" href="#investment">Edit costs</a></p><nav class="view-index"><ul>"##);
    for v in ResultView::ALL {
        let current = if v == ResultView::default() {
            r#" aria-current="true""#
        } else {
            ""
        };
        // The demo's sums allow no view of the data: listed, hidden.
        let hidden = if matches!(v, ResultView::Data(_)) {
            " hidden"
        } else {
            ""
        };
        write!(
            h,
            "<li{hidden}><a href=\"#{}\"{current}>{}</a></li>",
            v.id(),
            escape(v.label())
        )?;
    }
    h.push_str("</ul></nav></section></div></main></div>");
    Ok(h)
}

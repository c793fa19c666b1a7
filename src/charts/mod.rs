//! Charts drawn with plotters' SVG backend. Each chart is a pure function from
//! engine results to an SVG string (testable natively) plus a small component
//! that puts it on the page with a text alternative.

pub mod cashflow_chart;
pub mod conversion_chart;
pub mod roi_chart;
pub mod tornado_chart;

use leptos::prelude::*;
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor};

/// Colour-blind-safe palette (Okabe & Ito, 2008): control first, then variants.
pub const PALETTE: [(u8, u8, u8); 5] = [
    (120, 120, 120),
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
];

/// Okabe–Ito blue, for gains and the "higher" side.
pub const PALETTE_BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito vermillion, for losses.
pub const PALETTE_RED: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito orange, for the "lower" side of the tornado.
pub const PALETTE_ORANGE: RGBColor = RGBColor(230, 159, 0);

/// Chart title font: the page's system sans-serif.
pub fn title_font() -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, 22.0, FontStyle::Normal)
}

/// Axis labels and annotations.
pub fn axis_font() -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, 17.0, FontStyle::Normal)
}

/// A chart on the page: the SVG with a text alternative for screen readers,
/// the same text as a caption, or just the text if the chart failed.
#[component]
pub fn ChartFigure(id: &'static str, svg: Option<String>, summary: String) -> impl IntoView {
    match svg {
        Some(svg) => view! {
            <figure class="chart" id=id>
                <div class="chart-svg" role="img" aria-label=summary.clone() inner_html=svg></div>
                <figcaption>{summary}</figcaption>
            </figure>
        }
        .into_any(),
        None => view! { <p class="status" id=id>{summary}</p> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use uplift_engine::{analyze, Scenario};

    #[test]
    fn investment_charts_draw_from_the_demo() {
        let r = match analyze(&Scenario::demo()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let cash = super::cashflow_chart::cashflow_svg(&r.investment).unwrap_or_default();
        assert!(cash.contains("Payback: month 2"), "{cash}");
        let Some(d) = r.roi.distribution.as_ref() else {
            panic!("no simulation")
        };
        let hist = super::roi_chart::roi_histogram_svg(d).unwrap_or_default();
        assert!(
            hist.contains("ROI = 0") && hist.contains("10,000 simulated"),
            "{hist}"
        );
        let base = r.investment.roi.map_or(0.0, |x| x.0);
        let tornado = super::tornado_chart::tornado_svg(&r.roi.tornado, base).unwrap_or_default();
        assert!(
            tornado.contains("Measured uplift") && tornado.contains("Costs"),
            "{tornado}"
        );
    }
}

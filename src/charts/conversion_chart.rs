//! Conversion rate per variant, with its confidence interval as error bars.

use leptos::prelude::*;
use plotters::prelude::*;
use uplift_engine::report::{Metric, MetricResult};

use super::{ChartFigure, PALETTE};
use crate::format;
use crate::state::use_app_state;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 320;

/// Draw the chart as an SVG document. Returns `None` when plotters fails,
/// which the component shows as a plain message instead of a broken image.
pub fn conversion_svg(result: &MetricResult, confidence: f64) -> Option<String> {
    let variants = &result.variants;
    if variants.is_empty() {
        return None;
    }
    let top = variants
        .iter()
        .map(|v| v.ci.map_or(v.value, |ci| ci.high))
        .fold(0.0_f64, f64::max);
    let y_max = if top > 0.0 { top * 1.2 } else { 0.01 };
    // plotters' segmented ranges include their end, so 0..last gives one segment per variant.
    let last = variants.len() as i32 - 1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let caption = format!(
            "Conversion rate with {} confidence intervals",
            format::percent(confidence, 0)
        );
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(72)
            .build_cartesian_2d((0..last).into_segmented(), 0.0..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .y_desc("Conversion rate")
            .y_label_formatter(&|y| format::percent(*y, 1))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| variants.get(i))
                    .map(|v| v.name.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(("sans-serif", 17))
            .axis_desc_style(("sans-serif", 17))
            .draw()
            .ok()?;
        for (i, v) in variants.iter().enumerate() {
            let (r, g, b) = PALETTE
                .get(i.min(PALETTE.len() - 1))
                .copied()
                .unwrap_or((0, 0, 0));
            let colour = RGBColor(r, g, b);
            let x = i as i32;
            chart
                .draw_series(
                    Histogram::vertical(&chart)
                        .margin(40)
                        .style(colour.mix(0.8).filled())
                        .data(std::iter::once((x, v.value))),
                )
                .ok()?;
            if let Some(ci) = v.ci {
                chart
                    .draw_series(std::iter::once(ErrorBar::new_vertical(
                        SegmentValue::CenterOf(x),
                        ci.low,
                        v.value,
                        ci.high,
                        BLACK.stroke_width(2),
                        14,
                    )))
                    .ok()?;
            }
        }
        root.present().ok()?;
    }
    Some(svg)
}

/// Text alternative read by screen readers and shown if the SVG cannot be.
pub fn conversion_summary(result: &MetricResult) -> String {
    result
        .variants
        .iter()
        .map(|v| match v.ci {
            Some(ci) => format!(
                "{}: {} ({} to {})",
                v.name,
                format::percent(v.value, 2),
                format::percent(ci.low, 2),
                format::percent(ci.high, 2)
            ),
            None => format!("{}: {}", v.name, format::percent(v.value, 2)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
pub fn ConversionChart() -> impl IntoView {
    let state = use_app_state();
    let drawn = Memo::new(move |_| {
        state.shown.with(|r| {
            let r = r.as_ref()?;
            let m = r.metric(Metric::ConversionRate)?;
            Some((conversion_svg(m, r.confidence), conversion_summary(m)))
        })
    });
    move || {
        drawn.get().map(|(svg, summary)| {
            view! { <ChartFigure id="conversion-chart" svg=svg summary=format!("Conversion rate by variant. {summary}")/> }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::{analyze, Scenario};

    #[test]
    fn draws_one_bar_and_label_per_variant() {
        let report = match analyze(&Scenario::demo()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let Some(m) = report.metric(Metric::ConversionRate) else {
            panic!("no conversion metric")
        };
        let Some(svg) = conversion_svg(m, 0.95) else {
            panic!("no svg")
        };
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        assert!(
            svg.contains(">\ncontrol\n<"),
            "control label missing: {svg}"
        );
        assert!(svg.contains(">\npersonalized\n<"), "variant label missing");
        // One bar per variant, in the palette's colours.
        assert_eq!(svg.matches("fill=\"#787878\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("fill=\"#0072B2\"").count(), 1, "{svg}");
        assert!(svg.contains("95% confidence"));
        let summary = conversion_summary(m);
        assert!(summary.starts_with("control: 2.00%"), "{summary}");
    }
}

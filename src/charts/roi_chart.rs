//! The simulated ROI distribution, with ROI = 0 marked.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::finance::model::RoiDistribution;

use super::{large_font, large_title_font, PALETTE_BLUE, PALETTE_RED};
use crate::platform::format;

const HEIGHT: u32 = 310;

pub fn roi_histogram_svg(d: &RoiDistribution, width: u32) -> Option<String> {
    let first = d.histogram.first()?;
    let last = d.histogram.last()?;
    let (x0, x1) = (first.0.min(0.0), last.1.max(0.0));
    let top = d.histogram.iter().map(|b| b.2).max().unwrap_or(1).max(1);
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "ROI over {} simulated outcomes",
                    format::count(u64::from(d.draws))
                ),
                large_title_font(width),
            )
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(56)
            // Headroom above the tallest bar holds the "ROI = 0" label, so it
            // never sits on the bars.
            .build_cartesian_2d(x0..x1, 0.0..(f64::from(top) * 1.35))
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .x_desc("ROI")
            .x_labels(5)
            .x_label_formatter(&|x| format::percent(*x, 0))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        chart
            .draw_series(d.histogram.iter().map(|&(a, b, c)| {
                let colour = if b <= 0.0 { PALETTE_RED } else { PALETTE_BLUE };
                Rectangle::new([(a, 0.0), (b, f64::from(c))], colour.mix(0.8).filled())
            }))
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, f64::from(top) * 1.35)],
                BLACK.stroke_width(2),
            )))
            .ok()?;
        chart
            .draw_series(std::iter::once(Text::new(
                " ROI = 0",
                (0.0, f64::from(top) * 1.33),
                large_font(width),
            )))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

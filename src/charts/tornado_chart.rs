//! Sensitivity: ROI when each input is 20% lower or higher, biggest swing on top.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::finance::model::TornadoBar;

use super::{large_font, large_title_font, PALETTE_BLUE, PALETTE_ORANGE};
use crate::format;

/// Drawn narrow with large text, so it stays readable on a phone.
const WIDTH: u32 = super::NARROW_WIDTH;

pub fn tornado_svg(bars: &[TornadoBar], base_roi: f64) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let n = bars.len();
    let height = 100 + 48 * n as u32;
    let lo = bars
        .iter()
        .map(|b| b.roi_low.min(b.roi_high))
        .fold(base_roi, f64::min);
    let hi = bars
        .iter()
        .map(|b| b.roi_low.max(b.roi_high))
        .fold(base_roi, f64::max);
    let pad = ((hi - lo) * 0.08).max(0.01);
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            // The colours are explained in the caption below the chart; a
            // long title would not fit the narrow chart.
            .caption("ROI if an input is 20% off", large_title_font())
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(240)
            .build_cartesian_2d((lo - pad)..(hi + pad), (0..n as i32 - 1).into_segmented())
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .disable_y_mesh()
            .x_desc("ROI")
            .x_labels(4)
            .x_label_formatter(&|x| format::percent(*x, 0))
            .y_label_formatter(&|y| match y {
                // Row 0 is drawn at the bottom: list the biggest swing on top.
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| bars.get(n - 1 - i))
                    .map(|b| b.input.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(large_font())
            .axis_desc_style(large_font())
            .draw()
            .ok()?;
        for (row, bar) in bars.iter().rev().enumerate() {
            let y = row as i32;
            for (value, colour) in [(bar.roi_low, PALETTE_ORANGE), (bar.roi_high, PALETTE_BLUE)] {
                let (a, b) = if value < base_roi {
                    (value, base_roi)
                } else {
                    (base_roi, value)
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(a, SegmentValue::Exact(y)), (b, SegmentValue::Exact(y + 1))],
                        colour.mix(0.85).filled(),
                    )))
                    .ok()?;
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![
                    (base_roi, SegmentValue::Exact(0)),
                    (base_roi, SegmentValue::Exact(n as i32)),
                ],
                BLACK.stroke_width(2),
            )))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

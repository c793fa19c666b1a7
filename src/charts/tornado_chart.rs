//! Sensitivity: ROI when each input is 20% lower or higher, biggest swing on top.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::finance::model::TornadoBar;

use super::{large_font, large_title_font, PALETTE_BLUE, PALETTE_ORANGE};
use crate::platform::format;

pub fn tornado_svg(bars: &[TornadoBar], base_roi: f64, width: u32) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let n = bars.len();
    // A row under the chart holds the legend.
    const LEGEND: u32 = 36;
    let height = 100 + 48 * n as u32 + LEGEND;
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
        let root = Svg::new(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (plot, legend) = root.split_vertically(height - LEGEND);
        // Which colour is which side, under the axis: a swatch and its words.
        let font = large_font(width);
        let swatch = font.get_size().round() as i32;
        let mut x = 24;
        for (colour, words) in [
            (PALETTE_ORANGE, "input 20% lower"),
            (PALETTE_BLUE, "input 20% higher"),
        ] {
            legend
                .draw(&Rectangle::new(
                    [(x, 6), (x + swatch, 6 + swatch)],
                    colour.mix(0.85).filled(),
                ))
                .ok()?;
            legend
                .draw(&Text::new(words, (x + swatch + 8, 6), font.clone()))
                .ok()?;
            x += swatch
                + 8
                + (crate::charts::backend::text_width_em(words) * font.get_size()).round() as i32
                + 24;
        }
        let label_area = bars
            .iter()
            .map(|b| crate::charts::backend::text_width_em(&b.input.to_string()))
            .fold(0.0, f64::max)
            * font.get_size()
            / 1.24;
        let label_area = ((label_area * 1.15).ceil() as u32 + 16).min(width * 3 / 5);
        let mut chart = ChartBuilder::on(&plot)
            // A long title would not fit the narrow chart; the legend is
            // under the axis.
            .caption("ROI if an input is 20% off", large_title_font(width))
            .margin(12)
            .x_label_area_size(60)
            // As wide as the longest input's name (plotters draws a font of
            // size s at s / 1.24 px; Linux sans-serif faces run up to 15%
            // wider than the Helvetica widths measured), at most 60% of the
            // chart.
            .y_label_area_size(label_area)
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
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
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

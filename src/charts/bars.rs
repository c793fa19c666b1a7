//! Vertical bars, one per variant in the palette's colours, with optional
//! error bars: the shape shared by the conversion, AOV and CLV charts.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use plotters::style::text_anchor::{HPos, VPos};
use uplift_engine::units::Interval;

use super::{anchored_text, fit_name, large_font, large_title_font, variant_colour};

const HEIGHT: u32 = 340;
/// Characters of variant names that fit under the bars, shared between them.
const NAME_CHARS: usize = 40;
/// The most bars drawn; the tables list every variant.
pub const MAX_BARS: usize = 20;

/// One variant's bar.
pub struct Bar<'a> {
    pub name: &'a str,
    pub value: f64,
    pub ci: Option<Interval>,
}

/// Draw bars from 0 up to each value (control first) as an SVG document,
/// with `y_label` writing the axis values. `None` when there is nothing to
/// draw or plotters fails, which the page shows as text instead.
pub fn bars_svg(
    caption: &str,
    y_desc: &str,
    bars: &[Bar],
    y_label: &dyn Fn(f64) -> String,
    width: u32,
) -> Option<String> {
    if bars.is_empty() || bars.iter().any(|b| !b.value.is_finite()) {
        return None;
    }
    let more = bars.len().saturating_sub(MAX_BARS);
    let caption = match more {
        0 => caption.to_string(),
        _ => format!("{caption} (the first {MAX_BARS}; {more} more in the table)"),
    };
    let bars = bars.get(..MAX_BARS).unwrap_or(bars);
    // The gap beside each bar: 40 px, less where many bars share the width
    // (a fixed gap gave bars of negative width from ten variants on).
    let plot = f64::from(width.saturating_sub(84 + 24).max(1));
    let gap = (plot / bars.len() as f64 * 0.15).clamp(1.0, 40.0) as u32;
    let top = bars
        .iter()
        .map(|b| b.ci.map_or(b.value, |ci| ci.high.max(b.value)))
        .fold(0.0_f64, f64::max);
    let y_max = if top > 0.0 { top * 1.2 } else { 0.01 };
    // plotters' segmented ranges include their end, so 0..last gives one segment per bar.
    let last = bars.len() as i32 - 1;
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&caption, large_title_font(width))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(84)
            .build_cartesian_2d((0..last).into_segmented(), 0.0..y_max)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .y_desc(y_desc)
            .y_label_formatter(&|y| y_label(*y))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| bars.get(i))
                    .map(|b| fit_name(b.name, (NAME_CHARS / bars.len()).max(6)))
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        for (i, bar) in bars.iter().enumerate() {
            let x = i as i32;
            chart
                .draw_series(
                    Histogram::vertical(&chart)
                        .margin(gap)
                        .style(variant_colour(i).mix(0.8).filled())
                        .data(std::iter::once((x, bar.value))),
                )
                .ok()?;
            if let Some(ci) = bar.ci {
                chart
                    .draw_series(std::iter::once(ErrorBar::new_vertical(
                        SegmentValue::CenterOf(x),
                        ci.low,
                        bar.value,
                        ci.high,
                        BLACK.stroke_width(2),
                        14,
                    )))
                    .ok()?;
            } else {
                // Without an interval, the value itself sits on the bar.
                chart
                    .draw_series(std::iter::once(Text::new(
                        y_label(bar.value),
                        (SegmentValue::CenterOf(x), bar.value + y_max * 0.02),
                        anchored_text(large_font(width), HPos::Center, VPos::Bottom),
                    )))
                    .ok()?;
            }
        }
        root.present().ok()?;
    }
    Some(svg)
}

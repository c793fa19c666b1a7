//! Cumulative cash flow by month, with the payback month marked.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::finance::InvestmentSummary;

use super::{large_font, large_title_font, PALETTE_BLUE, PALETTE_RED};
use crate::platform::format;

const HEIGHT: u32 = 330;

pub fn cashflow_svg(s: &InvestmentSummary, width: u32) -> Option<String> {
    let months = s.monthly.len();
    if months == 0 {
        return None;
    }
    let values: Vec<f64> = s.monthly.iter().map(|m| m.cumulative.0).collect();
    let lo = values.iter().copied().fold(0.0_f64, f64::min);
    let hi = values.iter().copied().fold(0.0_f64, f64::max);
    let pad = ((hi - lo) * 0.1).max(1.0);
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Cumulative cash flow", large_title_font(width))
            .margin(12)
            .x_label_area_size(60)
            .y_label_area_size(78)
            .build_cartesian_2d(0.5..(months as f64 + 0.5), (lo - pad)..(hi + pad))
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Month")
            .x_labels(months.min(12))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format::money_short(*y))
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.5, 0.0), (months as f64 + 0.5, 0.0)],
                BLACK.mix(0.5),
            )))
            .ok()?;
        chart
            .draw_series(s.monthly.iter().map(|m| {
                let x = f64::from(m.month);
                let colour = if m.cumulative.0 >= 0.0 {
                    PALETTE_BLUE
                } else {
                    PALETTE_RED
                };
                Rectangle::new(
                    [(x - 0.35, 0.0), (x + 0.35, m.cumulative.0)],
                    colour.mix(0.8).filled(),
                )
            }))
            .ok()?;
        if let Some(p) = s.payback_month {
            let x = f64::from(p);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo - pad), (x, hi + pad)],
                    BLACK.stroke_width(2),
                )))
                .ok()?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(" Payback: month {p}"),
                    (x, hi + pad * 0.5),
                    large_font(width),
                )))
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}

//! Cost by category over the horizon: one horizontal bar per category with
//! its amount written at the end.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use crate::charts::draw_x_axis_only;
use plotters::style::text_anchor::{HPos, VPos};
use uplift_engine::finance::InvestmentSummary;

use super::{anchored_text, large_font, large_title_font, variant_colour, PALETTE};
use crate::platform::format;

/// Pixels per category: a label line over its bar, as in the forest plot,
/// so the category names keep the chart's full width.
const ROW: f64 = 62.0;

pub fn cost_breakdown_svg(s: &InvestmentSummary, width: u32) -> Option<String> {
    let rows = &s.cost_by_category;
    let top = rows.iter().map(|(_, m)| m.0).fold(0.0_f64, f64::max);
    if rows.is_empty() || !(top > 0.0 && top.is_finite()) {
        return None;
    }
    let plot = ROW * rows.len() as f64;
    let height = plot as u32 + 128;
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Cost by category over {} months", s.horizon_months),
                large_title_font(width),
            )
            .margin(12)
            .margin_right(24)
            .x_label_area_size(60)
            .y_label_area_size(4)
            // Room on the right for the amount written after the longest
            // bar; y counts pixels down from the top of the plot.
            .build_cartesian_2d(0.0..top * 1.35, -plot..0.0)
            .ok()?;
        draw_x_axis_only(&mut chart, width, 5, "Cost", &|x| format::money_short(*x))?;
        for (i, (category, amount)) in rows.iter().enumerate() {
            let row_top = -(ROW * i as f64);
            let y = row_top - 42.0;
            let end = amount.0.max(0.0);
            // Categories take the variant colours after the control's grey.
            let colour = variant_colour(1 + i % (PALETTE.len() - 1));
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y + 12.0), (end, y - 12.0)],
                    colour.mix(0.85).filled(),
                )))
                .ok()?;
            chart
                .draw_series([
                    Text::new(
                        category.label().to_string(),
                        (0.0, row_top - 2.0),
                        anchored_text(large_font(width), HPos::Left, VPos::Top),
                    ),
                    Text::new(
                        format!(" {}", format::money(amount.0)),
                        (end, y),
                        anchored_text(large_font(width), HPos::Left, VPos::Center),
                    ),
                ])
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}

/// Text alternative: each category's amount and share of the total.
pub fn cost_summary(s: &InvestmentSummary) -> String {
    let parts = s
        .cost_by_category
        .iter()
        .map(|(c, m)| format!("{}: {}", c.label(), format::money(m.0)))
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "Cost by category over {} months, {} in total. {parts}.",
        s.horizon_months,
        format::money(s.total_cost.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_and_amount_per_category() {
        let r = crate::charts::demo_report();
        let inv = &r.investment;
        let svg = cost_breakdown_svg(inv, crate::charts::NARROW_WIDTH).unwrap_or_default();
        for (c, m) in &inv.cost_by_category {
            // plotters escapes the "&" in the category names.
            let label = c.label().replace('&', "&amp;");
            assert!(svg.contains(&label), "{label} missing: {svg}");
            assert!(svg.contains(&format!(" {}\n", format::money(m.0))), "{svg}");
        }
        assert!(svg.contains("Cost by category over 12 months"));
        assert!(cost_summary(inv).contains("$114,000 in total"));
    }
}

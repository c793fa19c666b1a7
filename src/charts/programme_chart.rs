//! The programme's cumulative impact by month: the shipped changes' lifts
//! as measured and once shrunk for the winner's curse.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::programme::MonthImpact;

use super::{large_font, large_title_font, PALETTE_BLUE};
use crate::platform::format;

const HEIGHT: u32 = 340;

pub fn cumulative_svg(months: &[MonthImpact], width: u32) -> Option<String> {
    let n = months.len();
    if n == 0 {
        return None;
    }
    let values = months.iter().flat_map(|m| [m.raw, m.shrunk]);
    let lo = values.clone().fold(0.0_f64, f64::min);
    let hi = values.fold(0.0_f64, f64::max);
    let pad = ((hi - lo) * 0.08).max(1.0);
    let line = |f: fn(&MonthImpact) -> f64| -> Vec<(f64, f64)> {
        months
            .iter()
            .enumerate()
            .map(|(i, m)| (i as f64, f(m)))
            .collect()
    };
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Cumulative impact of the shipped changes",
                large_title_font(width),
            )
            .margin(14)
            .margin_right(34)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..(n.max(2) - 1) as f64, (lo - pad)..(hi + pad))
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(5)
            .x_label_formatter(&|x| {
                months
                    .get(x.round().max(0.0) as usize)
                    .map_or(String::new(), |m| m.month.clone())
            })
            .y_label_formatter(&|y| format::money_short(*y))
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        for (points, colour, label) in [
            (line(|m| m.raw), RGBColor(120, 120, 120), "As measured"),
            (line(|m| m.shrunk), PALETTE_BLUE, "Shrunk"),
        ] {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points,
                    colour.stroke_width(3),
                )))
                .ok()?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(large_font(width))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// What [`cumulative_svg`] shows, in words.
pub fn cumulative_summary(months: &[MonthImpact]) -> String {
    match (months.first(), months.last()) {
        (Some(first), Some(last)) => format!(
            "Cumulative impact from {} to {}: {} from the lifts as measured, {} once shrunk for the winner's curse.",
            first.month,
            last.month,
            format::money(last.raw),
            format::money(last.shrunk),
        ),
        _ => "No shipped experiment has a date, so there is no impact over time to draw.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_both_lines_with_words() {
        let months: Vec<MonthImpact> = (0..14)
            .map(|i| MonthImpact {
                month: format!("2024-{:02}", i % 12 + 1),
                raw: 1000.0 * f64::from(i),
                shrunk: 600.0 * f64::from(i),
            })
            .collect();
        let Some(svg) = cumulative_svg(&months, 800) else {
            panic!("draws")
        };
        assert!(svg.contains("As measured") && svg.contains("Shrunk"));
        assert!(cumulative_summary(&months).contains(&format::money(13_000.0)));
        assert!(cumulative_svg(&[], 800).is_none());
    }
}

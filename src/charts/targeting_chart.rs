//! The targeting tool's charts: the Qini curve of a model's ranking against
//! a random and a perfect ranking, and the profit of personalizing for the
//! top of that ranking only.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::targeting::{ProfitCurve, TargetingReport};

use super::{large_font, large_title_font, PALETTE_BLUE, PALETTE_ORANGE, PALETTE_RED};
use crate::platform::format;

const HEIGHT: u32 = 360;

/// A line to draw: its points, colour and stroke width.
type Line<'a> = (&'a [(f64, f64)], RGBColor, u32);

/// The pieces both charts share: a frame with the share of users targeted
/// (0–100%) across and `y` up, and lines drawn on it.
fn line_chart(
    title: &str,
    y_desc: &str,
    y_range: (f64, f64),
    width: u32,
    y_label: &dyn Fn(&f64) -> String,
    lines: &[Line<'_>],
    marks: &[((f64, f64), String)],
) -> Option<String> {
    let (lo, hi) = y_range;
    let pad = ((hi - lo) * 0.08).max(1e-9);
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, large_title_font(width))
            .margin(14)
            .margin_right(34)
            .x_label_area_size(60)
            .y_label_area_size(84)
            .build_cartesian_2d(0.0..1.0, (lo - pad)..(hi + pad))
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Users targeted, highest scores first")
            .y_desc(y_desc)
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|x| format::percent(*x, 0))
            .y_label_formatter(y_label)
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (1.0, 0.0)],
                BLACK.mix(0.4),
            )))
            .ok()?;
        for &(points, colour, stroke) in lines {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points.to_vec(),
                    colour.stroke_width(stroke),
                )))
                .ok()?;
        }
        for (point, label) in marks {
            chart
                .draw_series(std::iter::once(Circle::new(
                    *point,
                    6,
                    PALETTE_RED.filled(),
                )))
                .ok()?;
            // Labels right of points on the left half, left of the others.
            let style = super::anchored_text(
                large_font(width),
                if point.0 < 0.5 {
                    plotters::style::text_anchor::HPos::Left
                } else {
                    plotters::style::text_anchor::HPos::Right
                },
                plotters::style::text_anchor::VPos::Top,
            );
            let x = if point.0 < 0.5 {
                point.0 + 0.02
            } else {
                point.0 - 0.02
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x, point.1 - pad * 0.3),
                    style,
                )))
                .ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}

/// The Qini curve (incremental responses against users targeted), the
/// random ranking's straight line and the perfect ranking's curve.
pub fn qini_svg(r: &TargetingReport, width: u32) -> Option<String> {
    let n = r.users as f64;
    if n <= 0.0 {
        return None;
    }
    let points = |c: &uplift_engine::targeting::Curve| -> Vec<(f64, f64)> {
        c.x.iter().zip(&c.y).map(|(x, y)| (x / n, *y)).collect()
    };
    let actual = points(&r.qini_curve);
    let perfect = points(&r.perfect_qini_curve);
    let end = actual.last().map_or(0.0, |p| p.1);
    let random = vec![(0.0, 0.0), (1.0, end)];
    let ys = actual.iter().chain(&perfect).map(|p| p.1);
    let lo = ys.clone().fold(0.0_f64, f64::min);
    let hi = ys.fold(0.0_f64, f64::max);
    line_chart(
        "Qini curve",
        "Extra responses",
        (lo, hi),
        width,
        &|y| format::number(*y, 0),
        &[
            (&perfect, PALETTE_ORANGE, 2),
            (&random, RGBColor(120, 120, 120), 2),
            (&actual, PALETTE_BLUE, 3),
        ],
        &[],
    )
}

/// What [`qini_svg`] shows, in words.
pub fn qini_summary(r: &TargetingReport) -> String {
    let n = r.users as f64;
    let at = |share: f64| {
        let target = share * n;
        r.qini_curve
            .x
            .iter()
            .zip(&r.qini_curve.y)
            .min_by(|a, b| (a.0 - target).abs().total_cmp(&(b.0 - target).abs()))
            .map_or(0.0, |p| *p.1)
    };
    format!(
        "Qini curve: targeting the top 20% of scores gives {} extra responses, the top 50% {}, everyone {}. A random ranking gains in proportion to the share targeted (a straight line); the blue curve above it means the score finds the users who respond to personalization. Orange: the best possible ranking. Normalised Qini coefficient {}.",
        format::number(at(0.2), 0),
        format::number(at(0.5), 0),
        format::number(at(1.0), 0),
        format::number(r.qini_auc, 3),
    )
}

/// Profit per user of the audience against the share targeted, the best
/// share marked.
pub fn profit_svg(p: &ProfitCurve, width: u32) -> Option<String> {
    if p.share.is_empty() {
        return None;
    }
    let points: Vec<(f64, f64)> = p
        .share
        .iter()
        .copied()
        .zip(p.profit.iter().copied())
        .collect();
    let lo = points.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let hi = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let marks = vec![(
        (p.best_share, p.best_profit),
        format!("Best: top {}", format::percent(p.best_share, 0)),
    )];
    line_chart(
        "Profit of personalizing for the top",
        "Profit per user",
        (lo, hi),
        width,
        &|y| format::money(*y),
        &[(&points, PALETTE_BLUE, 3)],
        &marks,
    )
}

/// What [`profit_svg`] shows, in words.
pub fn profit_summary(p: &ProfitCurve) -> String {
    format!(
        "Profit curve: personalizing for the top {} of scores earns {} per user of the whole audience; personalizing for everyone earns {}.",
        format::percent(p.best_share, 0),
        format::money(p.best_profit),
        format::money(p.everyone_profit),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::targeting::{evaluate, profit_curve, sample_csv, Units};

    fn sample() -> (TargetingReport, ProfitCurve) {
        let text = sample_csv(4_000, 1);
        let drawn = Units::read(&text, "treatment", "conversion", "score").and_then(|units| {
            let value: Vec<f64> = units.outcome.iter().map(|y| y * 40.0).collect();
            Ok((evaluate(&units, 10)?, profit_curve(&units, &value, 0.5)?))
        });
        match drawn {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn both_charts_draw_with_their_words() {
        let (r, p) = sample();
        let (Some(qini), Some(profit)) = (qini_svg(&r, 800), profit_svg(&p, 480)) else {
            panic!("both charts draw");
        };
        assert!(qini.starts_with("<svg") && qini.contains("Qini curve"));
        assert!(qini.matches("<polyline").count() + qini.matches("<path").count() >= 3);
        assert!(profit.contains(&format!("Best: top {}", format::percent(p.best_share, 0))));
        assert!(qini_summary(&r).contains(&format::number(r.qini_auc, 3)));
        assert!(profit_summary(&p).contains(&format::money(p.everyone_profit)));
    }

    #[test]
    fn nothing_to_draw_gives_none() {
        let (mut r, mut p) = sample();
        r.users = 0;
        p.share.clear();
        assert!(qini_svg(&r, 800).is_none());
        assert!(profit_svg(&p, 800).is_none());
    }
}

//! Bayesian method: the posterior of each variant's relative lift, with the
//! part above 0 shaded and its chance to beat control written on the chart.

use plotters::prelude::*;

use crate::charts::backend::Svg;
use crate::charts::draw_x_axis_only;
use plotters::style::text_anchor::{HPos, VPos};
use uplift_engine::report::{MetricResult, Posterior};

use super::{anchored_text, fit_name, large_font, large_title_font, variant_colour};
use crate::platform::format;

const HEIGHT: u32 = 340;
/// Longest variant name drawn in a label line.
const NAME_CHARS: usize = 18;
/// Points along each curve: smooth at any size the page scales the SVG to.
const STEPS: usize = 160;

/// The variants that have a posterior: (palette index, name, posterior, chance).
fn curves(result: &MetricResult) -> Vec<(usize, &str, Posterior, f64)> {
    result
        .variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let vs = v.vs_control.as_ref()?;
            let p = vs
                .posterior
                .filter(|p| p.std_dev > 0.0 && p.mean.is_finite())?;
            Some((i, v.name.as_str(), p, vs.chance_to_beat_control?))
        })
        .collect()
}

/// Draw the posteriors of `result`'s variants; `None` when no variant has one
/// (another method was chosen, or the data has no variance).
pub fn posterior_svg(result: &MetricResult, width: u32) -> Option<String> {
    let curves = curves(result);
    if curves.is_empty() {
        return None;
    }
    // Four standard deviations either side holds all but 0.006% of each
    // curve; 0 is always in view because the chart is about which side wins.
    let x0 = curves
        .iter()
        .map(|(_, _, p, _)| p.mean - 4.0 * p.std_dev)
        .fold(0.0_f64, f64::min);
    let x1 = curves
        .iter()
        .map(|(_, _, p, _)| p.mean + 4.0 * p.std_dev)
        .fold(0.0_f64, f64::max);
    let peak = curves
        .iter()
        .map(|(_, _, p, _)| p.density(p.mean))
        .fold(0.0_f64, f64::max);
    // Headroom above the peak for one line of text per variant.
    let y_max = peak * (1.25 + 0.15 * curves.len() as f64);
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Posterior of the {} lift",
                    result.label.to_ascii_lowercase()
                ),
                large_title_font(width),
            )
            .margin(12)
            .margin_right(20)
            .x_label_area_size(60)
            .y_label_area_size(8)
            .build_cartesian_2d(x0..x1, 0.0..y_max)
            .ok()?;
        draw_x_axis_only(&mut chart, width, 6, "Relative lift vs control", &|x| {
            format::signed_percent(*x, 0)
        })?;
        let step = (x1 - x0) / STEPS as f64;
        for (line, (i, name, p, chance)) in curves.iter().enumerate() {
            let colour = variant_colour(*i);
            let points: Vec<(f64, f64)> = (0..=STEPS)
                .map(|k| {
                    let x = x0 + step * k as f64;
                    (x, p.density(x))
                })
                .collect();
            // Shade the area under the curve above 0: the chance to beat control.
            let mut above: Vec<(f64, f64)> = vec![(0.0_f64.max(x0), 0.0)];
            above.push((0.0_f64.max(x0), p.density(0.0_f64.max(x0))));
            above.extend(points.iter().copied().filter(|&(x, _)| x > 0.0));
            above.push((x1, 0.0));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    above,
                    colour.mix(0.35).filled(),
                )))
                .ok()?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    points,
                    colour.stroke_width(3),
                )))
                .ok()?;
            // A key line in the curve's colour, then the words in black
            // (the lighter palette colours are too faint for text).
            let y = y_max * (0.94 - 0.12 * line as f64);
            let key = (x1 - x0) * 0.04;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x0 + key * 0.25, y), (x0 + key * 1.25, y)],
                    colour.stroke_width(6),
                )))
                .ok()?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(
                        "{}: {} chance to beat control",
                        fit_name(name, NAME_CHARS),
                        format::probability(*chance)
                    ),
                    (x0 + key * 1.6, y),
                    anchored_text(large_font(width), HPos::Left, VPos::Center),
                )))
                .ok()?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, peak * 1.1)],
                BLACK.stroke_width(2),
            )))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Text alternative: each variant's posterior mean, interval and chance.
pub fn posterior_summary(result: &MetricResult, confidence: f64) -> String {
    let parts = result
        .variants
        .iter()
        .filter_map(|v| {
            let vs = v.vs_control.as_ref()?;
            let (p, ci, chance) = (vs.posterior?, vs.relative_ci?, vs.chance_to_beat_control?);
            Some(format!(
                "{}: lift {} ({} credible interval {} to {}), {} chance to beat control",
                v.name,
                format::signed_percent(p.mean, 1),
                format::percent(confidence, 0),
                format::signed_percent(ci.low, 1),
                format::signed_percent(ci.high, 1),
                format::probability(chance)
            ))
        })
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "Posterior distribution of the {} lift; the shaded part is above 0. {parts}.",
        result.label.to_ascii_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::report::Metric;
    use uplift_engine::scenario::Method;
    use uplift_engine::{analyze, Scenario};

    #[test]
    fn bayesian_report_draws_the_posterior_and_its_chance() {
        let mut s = Scenario::demo();
        s.analysis.method = Method::Bayesian;
        let r = match analyze(&s) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let Some(m) = r.metric(Metric::ConversionRate) else {
            panic!("no conversion")
        };
        let svg = posterior_svg(m, crate::charts::NARROW_WIDTH).unwrap_or_default();
        assert!(
            svg.contains("Posterior of the conversion rate lift"),
            "{svg}"
        );
        assert!(svg.contains("personalized: "), "{svg}");
        assert!(svg.contains("chance to beat control"), "{svg}");
        assert_eq!(svg.matches("<polygon").count(), 1, "{svg}");
        let summary = posterior_summary(m, 0.95);
        assert!(summary.contains("personalized: lift +"), "{summary}");

        // Frequentist reports have no posterior, so no chart.
        let Ok(f) = analyze(&Scenario::demo()) else {
            panic!()
        };
        assert!(f
            .metric(Metric::ConversionRate)
            .and_then(|m| posterior_svg(m, crate::charts::NARROW_WIDTH))
            .is_none());
    }
}

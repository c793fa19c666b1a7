//! Forest plot: every variant's relative uplift on every metric, with its
//! interval, against a line at 0 (no change). One row per variant × metric.
//! The same drawing shows the uplift per segment (one row per segment).

use std::collections::BTreeMap;

use plotters::prelude::*;

use crate::charts::backend::Svg;
use crate::charts::draw_x_axis_only;
use plotters::style::{FontFamily, FontStyle};
use uplift_engine::report::{Metric, MetricResult};
use uplift_engine::segments::SegmentReport;

use super::{fit_name, large_font, large_title_font, variant_colour};
use crate::platform::format;

/// Heights in pixels: a metric's heading, then per variant a line of text
/// over its interval. Text gets the chart's full width this way instead of
/// a cramped axis column, which keeps it legible on a phone.
const HEADING: f64 = 34.0;
const ROW: f64 = 62.0;
/// Longest variant name drawn; "name: +30.0% (+14.7% to +45.3%)" then fits.
const NAME_CHARS: usize = 20;

/// One row: a variant's (or a segment's) uplift with its interval.
struct Row {
    name: String,
    colour: RGBColor,
    estimate: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
}

impl Row {
    fn numbers(&self) -> String {
        match (self.estimate, self.low, self.high) {
            (Some(r), Some(lo), Some(hi)) => format!(
                "{} ({} to {})",
                format::signed_percent(r, 1),
                format::signed_percent(lo, 1),
                format::signed_percent(hi, 1)
            ),
            (Some(r), _, _) => format!("{} (no interval)", format::signed_percent(r, 1)),
            (None, _, _) => "cannot be estimated".to_string(),
        }
    }
}

/// Each metric's label with its non-control variants.
fn groups(metrics: &BTreeMap<Metric, MetricResult>) -> Vec<(&str, Vec<Row>)> {
    metrics
        .values()
        .map(|m| {
            let rows = m
                .variants
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let vs = v.vs_control.as_ref()?;
                    Some(Row {
                        name: v.name.clone(),
                        colour: variant_colour(i),
                        estimate: vs.relative,
                        low: vs.relative_ci.map(|ci| ci.low),
                        high: vs.relative_ci.map(|ci| ci.high),
                    })
                })
                .collect();
            (m.label.as_str(), rows)
        })
        .filter(|(_, rows): &(_, Vec<Row>)| !rows.is_empty())
        .collect()
}

/// Draw the forest plot; `interval` names the intervals in the title
/// ("95% confidence intervals"). `None` when no variant has an uplift.
pub fn forest_svg(
    metrics: &BTreeMap<Metric, MetricResult>,
    interval: &str,
    width: u32,
) -> Option<String> {
    let groups: Vec<(String, Vec<Row>)> = groups(metrics)
        .into_iter()
        .map(|(label, rows)| (label.to_string(), rows))
        .collect();
    rows_svg(&format!("Uplift vs control, {interval}"), &groups, width)
}

/// One row per segment; blue where the segment differs from the rest
/// (Holm-adjusted p below 5%), grey elsewhere.
fn segment_rows(r: &SegmentReport) -> Vec<Row> {
    r.segments
        .iter()
        .map(|s| Row {
            name: s.segment.clone(),
            colour: if s.vs_rest_p_adjusted.is_some_and(|p| p < 0.05) {
                super::PALETTE_BLUE
            } else {
                variant_colour(0)
            },
            estimate: s.uplift.mean.is_finite().then_some(s.uplift.mean),
            low: s.ci.map(|ci| ci.low),
            high: s.ci.map(|ci| ci.high),
        })
        .collect()
}

/// The uplift on the primary metric in each segment of a [`SegmentReport`],
/// with its interval (`interval` names it, as [`forest_svg`]).
pub fn segment_forest_svg(r: &SegmentReport, interval: &str, width: u32) -> Option<String> {
    let heading = format!(
        "{} by {}",
        r.primary_label.as_deref().unwrap_or("Primary metric"),
        r.column
    );
    rows_svg(
        &format!("Uplift vs control, {interval}"),
        &[(heading, segment_rows(r))],
        width,
    )
}

/// Text alternative of [`segment_forest_svg`]: every segment in words.
pub fn segment_forest_summary(r: &SegmentReport, interval: &str) -> String {
    let rows = segment_rows(r)
        .iter()
        .map(|row| format!("{}: {}", row.name, row.numbers()))
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "Relative uplift on {} vs control with {interval}, by {}. {rows}. In blue: a segment whose uplift differs from the rest's (Holm-adjusted p below 5%).",
        r.primary_label.as_deref().unwrap_or("the primary metric"),
        r.column
    )
}

/// The drawing: under `title`, each group's heading and its rows.
fn rows_svg(title: &str, groups: &[(String, Vec<Row>)], width: u32) -> Option<String> {
    let rows = || groups.iter().flat_map(|(_, rows)| rows);
    if rows().all(|r| r.estimate.is_none()) {
        return None;
    }
    let values = rows()
        .flat_map(|r| [r.estimate, r.low, r.high])
        .flatten()
        .filter(|x| x.is_finite());
    let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let pad = ((hi - lo) * 0.08).max(0.01);
    let (x0, x1) = (lo - pad, hi + pad);
    let plot = groups
        .iter()
        .map(|(_, rows)| HEADING + ROW * rows.len() as f64)
        .sum::<f64>();
    // Caption, axis labels and margins around the plot.
    let height = plot as u32 + 128;
    let heading_font = FontDesc::new(
        FontFamily::SansSerif,
        large_font(width).get_size(),
        FontStyle::Bold,
    );
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, large_title_font(width))
            .margin(12)
            .margin_right(20)
            .x_label_area_size(60)
            .y_label_area_size(4)
            // y counts pixels down from the top of the plot.
            .build_cartesian_2d(x0..x1, -plot..0.0)
            .ok()?;
        draw_x_axis_only(&mut chart, width, 6, "Relative uplift vs control", &|x| {
            format::signed_percent(*x, 0)
        })?;
        let mut top = 0.0;
        for (label, rows) in groups {
            chart
                .draw_series(std::iter::once(Text::new(
                    label.to_string(),
                    (x0, -(top + 6.0)),
                    heading_font.clone(),
                )))
                .ok()?;
            top += HEADING;
            for row in rows {
                let y = -(top + 44.0);
                chart
                    .draw_series([Text::new(
                        format!("{}: {}", fit_name(&row.name, NAME_CHARS), row.numbers()),
                        (x0, -(top + 2.0)),
                        large_font(width),
                    )])
                    .ok()?;
                // The line at 0 (no change) runs through the intervals only,
                // not through the text above them.
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(0.0, y - 16.0), (0.0, y + 16.0)],
                        BLACK.stroke_width(2),
                    )))
                    .ok()?;
                if let (Some(low), Some(high)) = (row.low, row.high) {
                    let style = row.colour.stroke_width(3);
                    chart
                        .draw_series([
                            PathElement::new(vec![(low, y), (high, y)], style),
                            PathElement::new(vec![(low, y - 8.0), (low, y + 8.0)], style),
                            PathElement::new(vec![(high, y - 8.0), (high, y + 8.0)], style),
                        ])
                        .ok()?;
                }
                if let Some(x) = row.estimate.filter(|x| x.is_finite()) {
                    chart
                        .draw_series(std::iter::once(Circle::new((x, y), 7, row.colour.filled())))
                        .ok()?;
                }
                top += ROW;
            }
        }
        root.present().ok()?;
    }
    Some(svg)
}

/// Text alternative: every row in words.
pub fn forest_summary(metrics: &BTreeMap<Metric, MetricResult>, interval: &str) -> String {
    let rows = groups(metrics)
        .iter()
        .flat_map(|(label, rows)| {
            rows.iter()
                .map(move |r| format!("{label}, {}: {}", r.name, r.numbers()))
        })
        .collect::<Vec<_>>()
        .join("; ");
    format!("Relative uplift vs control with {interval}, by metric and variant. {rows}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_variant_and_metric_with_a_zero_line() {
        let r = crate::charts::demo_report();
        let Some(svg) = forest_svg(
            &r.metrics,
            "95% confidence intervals",
            crate::charts::NARROW_WIDTH,
        ) else {
            panic!("no svg")
        };
        assert!(svg.starts_with("<svg"));
        // Conversion, revenue per user and AOV for the one variant.
        assert_eq!(r.metrics.len(), 3);
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
        for heading in ["Conversion rate", "Revenue per user", "Average order value"] {
            assert!(
                svg.contains(&format!(">\n{heading}\n<")),
                "{heading}: {svg}"
            );
        }
        assert!(svg.contains(">\npersonalized: +30.0% (+"), "{svg}");
        assert!(svg.contains("Relative uplift vs control"));
        let summary = forest_summary(&r.metrics, "95% confidence intervals");
        assert!(!summary.is_empty());
        assert!(
            summary.contains("Conversion rate, personalized: +30.0%"),
            "{summary}"
        );
    }

    #[test]
    fn one_row_per_segment_blue_where_it_differs_from_the_rest() {
        // Web: 10% → 30%; app: 10% → 10%, 400 users per arm and segment.
        let mut data = String::from("variant,channel,converted\n");
        for (channel, treated_rate) in [("web", 30), ("app", 10)] {
            for i in 0..400 {
                data.push_str(&format!("control,{channel},{}\n", u8::from(i % 10 == 0)));
                data.push_str(&format!(
                    "treatment,{channel},{}\n",
                    u8::from(i % 100 < treated_rate)
                ));
            }
        }
        let mut scenario = uplift_engine::Scenario::demo();
        scenario.data = data;
        let Ok(r) = uplift_engine::segments::segment_report(&scenario, "channel") else {
            panic!("segments")
        };
        let Some(svg) = segment_forest_svg(&r, "95% confidence intervals", 640) else {
            panic!("no svg")
        };
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        assert!(svg.contains(">\nweb: +200.0% ("), "{svg}");
        assert!(svg.contains(">\napp: 0.0% ("), "{svg}");
        assert!(svg.contains(">\nConversion rate by channel\n<"), "{svg}");
        // Web differs from the rest: drawn in blue; so does app, by symmetry.
        assert!(svg.contains("#0072B2"), "{svg}");
        let summary = segment_forest_summary(&r, "95% confidence intervals");
        assert!(summary.contains("by channel. web: +200.0% ("), "{summary}");
    }
}

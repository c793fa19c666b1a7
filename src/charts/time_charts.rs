//! The time tool's charts: Kaplan–Meier retention curves per group with
//! their intervals, and the event study of a launch without a control
//! group (the effect per period against the period before the launch).

use plotters::prelude::*;

use crate::charts::backend::Svg;
use uplift_engine::cohorts::VariantCohorts;
use uplift_engine::did::EventStudy;
use uplift_engine::survival::RetentionReport;
use uplift_engine::timeline::TimelineReport;

use super::{large_font, large_title_font, variant_colour, PALETTE_BLUE};
use crate::platform::format;

const HEIGHT: u32 = 360;

/// The groups' survival curves as steps, each with a lighter band for its
/// interval.
pub fn km_svg(r: &RetentionReport, width: u32) -> Option<String> {
    let end = r
        .groups
        .iter()
        .filter_map(|g| g.curve.steps.last().map(|s| s.time))
        .fold(0.0_f64, f64::max);
    if r.groups.is_empty() || end <= 0.0 {
        return None;
    }
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Still retained", large_title_font(width))
            .margin(14)
            .margin_right(34)
            .x_label_area_size(60)
            .y_label_area_size(78)
            .build_cartesian_2d(0.0..end, 0.0..1.02)
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Time since start")
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|x| format::number(*x, 0))
            .y_label_formatter(&|y| format::percent(*y, 0))
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        for (i, g) in r.groups.iter().enumerate() {
            // Colours as the variants': the first group is the control.
            let colour = variant_colour(i.min(4));
            let colour = if i == 1 { PALETTE_BLUE } else { colour };
            let step = |value: fn(&uplift_engine::survival::KmStep) -> f64| {
                let mut points = Vec::with_capacity(g.curve.steps.len() * 2);
                let mut last = 1.0;
                for s in &g.curve.steps {
                    points.push((s.time, last));
                    last = value(s);
                    points.push((s.time, last));
                }
                points
            };
            let (lower, upper) = (step(|s| s.ci_lower), step(|s| s.ci_upper));
            let band: Vec<(f64, f64)> = upper.iter().chain(lower.iter().rev()).copied().collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    colour.mix(0.15).filled(),
                )))
                .ok()?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    step(|s| s.survival),
                    colour.stroke_width(3),
                )))
                .ok()?
                .label(super::fit_name(&g.name, 18))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(large_font(width))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// What [`km_svg`] shows, in words.
pub fn km_summary(r: &RetentionReport) -> String {
    let groups: Vec<String> = r
        .groups
        .iter()
        .map(|g| {
            format!(
                "{}: {} users, median {}, {} retained on average up to {}",
                g.name,
                format::count(g.users),
                g.median
                    .map_or("not reached".to_string(), |m| format::number(m, 1)),
                format::number(g.rmst, 1),
                format::number(r.horizon, 0),
            )
        })
        .collect();
    format!(
        "Kaplan–Meier retention curves with 95% intervals. {}.",
        groups.join("; ")
    )
}

/// The effect per period with its interval, 0 marked, the launch as a
/// vertical line.
pub fn event_study_svg(study: &EventStudy, width: u32) -> Option<String> {
    let rows = &study.rows;
    if rows.is_empty() {
        return None;
    }
    // The reference period (−1) is 0 by construction: drawn too.
    let mut points: Vec<(f64, f64, f64, f64)> = rows
        .iter()
        .map(|r| (r.event_time as f64, r.effect, r.ci_lower, r.ci_upper))
        .collect();
    points.push((-1.0, 0.0, 0.0, 0.0));
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let lo = points.iter().map(|p| p.2).fold(0.0_f64, f64::min);
    let hi = points.iter().map(|p| p.3).fold(0.0_f64, f64::max);
    let pad = ((hi - lo) * 0.08).max(1e-9);
    let (first, last) = (
        points.first().map_or(-1.0, |p| p.0),
        points.last().map_or(0.0, |p| p.0),
    );
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Effect by period around the launch",
                large_title_font(width),
            )
            .margin(14)
            .margin_right(34)
            .x_label_area_size(60)
            .y_label_area_size(84)
            .build_cartesian_2d((first - 0.5)..(last + 0.5), (lo - pad)..(hi + pad))
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Periods since the launch")
            .x_labels(((last - first) as usize + 1).min(12))
            .y_labels(6)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format::number(*y, 1))
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(first - 0.5, 0.0), (last + 0.5, 0.0)],
                BLACK.mix(0.4),
            )))
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, lo - pad), (-0.5, hi + pad)],
                BLACK.mix(0.6).stroke_width(2),
            )))
            .ok()?;
        chart
            // Each bar draws its point, too.
            .draw_series(points.iter().map(|&(x, y, l, h)| {
                ErrorBar::new_vertical(x, l, y, h, PALETTE_BLUE.filled().stroke_width(2), 12)
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// What [`event_study_svg`] shows, in words.
pub fn event_study_summary(study: &EventStudy) -> String {
    let rows: Vec<String> = study
        .rows
        .iter()
        .map(|r| {
            format!(
                "{} ({:+}): {} ({} to {})",
                r.period,
                r.event_time,
                format::number(r.effect, 2),
                format::number(r.ci_lower, 2),
                format::number(r.ci_upper, 2)
            )
        })
        .collect();
    format!(
        "Event study: the difference between treated and untreated units in each period, against {} (the period before the launch, 0 by definition), with 95% intervals. {}.",
        study.reference_period,
        rows.join("; ")
    )
}

/// The cumulative lift by day with its always-valid band (light) and
/// single-look band (darker), the days' own lifts as points.
pub fn lift_svg(r: &TimelineReport, width: u32) -> Option<String> {
    let days: Vec<(f64, uplift_engine::timeline::CumulativeLift)> = r
        .days
        .iter()
        .filter_map(|d| d.lift.map(|l| (d.day as f64, l)))
        .collect();
    let (first, last) = (days.first()?.0, days.last()?.0);
    let daily: Vec<(f64, f64)> = r
        .days
        .iter()
        .filter_map(|d| d.daily_lift.map(|x| (d.day as f64, x)))
        .collect();
    let values = days
        .iter()
        .flat_map(|(_, l)| [l.always_valid.low, l.always_valid.high])
        .chain(daily.iter().map(|p| p.1))
        .filter(|v| v.is_finite());
    let lo = values.clone().fold(0.0_f64, f64::min);
    let hi = values.fold(0.0_f64, f64::max);
    let pad = ((hi - lo) * 0.06).max(1e-6);
    let band = |low: fn(&uplift_engine::timeline::CumulativeLift) -> f64,
                high: fn(&uplift_engine::timeline::CumulativeLift) -> f64|
     -> Vec<(f64, f64)> {
        days.iter()
            .map(|(d, l)| (*d, high(l)))
            .chain(days.iter().rev().map(|(d, l)| (*d, low(l))))
            .collect()
    };
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Cumulative lift by day", large_title_font(width))
            .margin(14)
            .margin_right(34)
            .x_label_area_size(60)
            .y_label_area_size(84)
            .build_cartesian_2d((first - 0.5)..(last + 0.5), (lo - pad)..(hi + pad))
            .ok()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Days since the first exposure")
            .x_labels(((last - first) as usize + 1).min(10))
            .y_labels(6)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format::signed_percent(*y, 0))
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(|l| l.always_valid.low, |l| l.always_valid.high),
                PALETTE_BLUE.mix(0.12).filled(),
            )))
            .ok()?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                band(|l| l.fixed.low, |l| l.fixed.high),
                PALETTE_BLUE.mix(0.25).filled(),
            )))
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(first - 0.5, 0.0), (last + 0.5, 0.0)],
                BLACK.mix(0.5),
            )))
            .ok()?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                days.iter()
                    .map(|(d, l)| (*d, l.estimate))
                    .collect::<Vec<_>>(),
                PALETTE_BLUE.stroke_width(3),
            )))
            .ok()?;
        chart
            .draw_series(
                daily
                    .iter()
                    .map(|&p| Circle::new(p, 4, RGBColor(120, 120, 120).filled())),
            )
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// What [`lift_svg`] shows, in words.
pub fn lift_summary(r: &TimelineReport) -> String {
    let last = r.days.iter().rev().find_map(|d| d.lift.map(|l| (d.day, l)));
    match last {
        Some((day, l)) => format!(
            "Cumulative lift of {} over {} by day (blue line), with the single-look interval (darker band) and the always-valid interval (lighter band); grey points are each day's own lift. On day {day}: {} (single look {} to {}; always valid {} to {}).",
            r.treatment,
            r.control,
            format::signed_percent(l.estimate, 1),
            format::signed_percent(l.fixed.low, 1),
            format::signed_percent(l.fixed.high, 1),
            format::signed_percent(l.always_valid.low, 1),
            format::signed_percent(l.always_valid.high, 1),
        ),
        None => "Too few users yet to draw the lift over time.".into(),
    }
}

/// One variant's cohorts as a heatmap: a row per signup week (oldest at
/// the top), a column per week since signup, darker where more of the
/// cohort is still active; cells the data cannot tell yet are left blank.
pub fn cohort_svg(v: &VariantCohorts, weeks: usize, width: u32) -> Option<String> {
    let rows = v.cohorts.len();
    if rows == 0 || weeks == 0 {
        return None;
    }
    let row_height = 26.0;
    let height = (110.0 + row_height * rows as f64).min(2000.0) as u32;
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Still active, {}", super::fit_name(&v.variant, 24)),
                large_title_font(width),
            )
            .margin(10)
            .margin_right(24)
            .x_label_area_size(50)
            .y_label_area_size(120)
            .build_cartesian_2d(0.0..weeks as f64, 0.0..rows as f64)
            .ok()?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Weeks since signup")
            .x_labels(weeks.min(12))
            .y_labels(rows.min(30))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| {
                // Row r (from the top) is the r-th oldest cohort.
                let r = rows.saturating_sub(1 + y.floor().max(0.0) as usize);
                v.cohorts
                    .get(r)
                    .filter(|_| y.fract().abs() < 1e-9)
                    .map_or(String::new(), |c| c.week_start.clone())
            })
            .label_style(large_font(width))
            .axis_desc_style(large_font(width))
            .draw()
            .ok()?;
        let cells = v.cohorts.iter().enumerate().flat_map(|(r, c)| {
            let y = (rows - 1 - r) as f64;
            c.active
                .iter()
                .enumerate()
                .filter_map(move |(w, share)| share.map(|s| (w as f64, y, s)))
        });
        chart
            .draw_series(cells.map(|(x, y, s)| {
                // From near-white to the palette's blue.
                let mix = |a: u8, b: u8| {
                    (f64::from(a) + (f64::from(b) - f64::from(a)) * s.clamp(0.0, 1.0)) as u8
                };
                let colour = RGBColor(mix(240, 0), mix(246, 84), mix(252, 147));
                Rectangle::new(
                    [(x + 0.03, y + 0.06), (x + 0.97, y + 0.94)],
                    colour.filled(),
                )
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// What [`cohort_svg`] shows, in words.
pub fn cohort_summary(v: &VariantCohorts) -> String {
    let week = |w: usize| {
        let shares: Vec<f64> = v
            .cohorts
            .iter()
            .filter_map(|c| c.active.get(w).copied().flatten())
            .collect();
        (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64)
    };
    let said: Vec<String> = [1usize, 4, 8]
        .iter()
        .filter_map(|&w| {
            week(w).map(|s| {
                format!(
                    "week {w}: {} on average over its cohorts",
                    format::percent(s, 0)
                )
            })
        })
        .collect();
    format!(
        "Cohort heatmap of {}: {} users in {} signup weeks, darker where more of a cohort is still active; blank where the data cannot tell yet. {}.",
        v.variant,
        format::count(v.users),
        v.cohorts.len(),
        if said.is_empty() { "Too few weeks to compare".to_string() } else { said.join("; ") },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::did::EventRow;
    use uplift_engine::survival::{retention, Group};

    #[test]
    fn retention_curves_draw_with_their_words() {
        let groups = vec![
            Group {
                name: "control".into(),
                durations: (1..200).map(f64::from).collect(),
                events: (1..200).map(|i| i % 4 != 0).collect(),
            },
            Group {
                name: "personalized".into(),
                durations: (1..200).map(|i| f64::from(i) * 1.3).collect(),
                events: (1..200).map(|i| i % 3 != 0).collect(),
            },
        ];
        let Ok(r) = retention(&groups, 100.0, 0.95) else {
            panic!("retention")
        };
        let Some(svg) = km_svg(&r, 800) else {
            panic!("draws")
        };
        assert!(svg.contains("personalized") && svg.contains("Still retained"));
        assert!(km_summary(&r).contains("personalized: 199 users"));
    }

    #[test]
    fn the_event_study_draws_every_period_and_the_reference() {
        let row = |t: i64, e: f64| EventRow {
            period: format!("{}", 2020 + t),
            event_time: t,
            effect: e,
            std_error: 1.0,
            ci_lower: e - 2.0,
            ci_upper: e + 2.0,
            p_value: 0.5,
        };
        let study = EventStudy {
            reference_period: "2019".into(),
            rows: vec![row(-2, 0.3), row(0, 4.0), row(1, 5.0)],
            pre_trend: None,
        };
        let Some(svg) = event_study_svg(&study, 480) else {
            panic!("draws")
        };
        assert_eq!(
            svg.matches("<circle").count(),
            4,
            "three periods and the reference"
        );
        assert!(event_study_summary(&study).contains("2020 (+0): 4.00"));
        let empty = EventStudy {
            rows: vec![],
            ..study
        };
        assert!(event_study_svg(&empty, 480).is_none());
    }

    #[test]
    fn the_lift_over_time_draws_with_its_words() {
        use uplift_engine::timeline::{timeline, Timeline, TimelineOptions};
        let mut data = Timeline::new();
        for day in 0..10 {
            data.add_day(19_000 + day, "control", 1000, 100.0, None);
            data.add_day(19_000 + day, "personalized", 1000, 110.0 + day as f64, None);
        }
        let Ok(r) = timeline(&data, &TimelineOptions::default()) else {
            panic!("timeline")
        };
        let Some(svg) = lift_svg(&r, 800) else {
            panic!("draws")
        };
        assert_eq!(svg.matches("<circle").count(), 10, "one point per day");
        assert!(lift_summary(&r).contains("On day 10"));
    }

    #[test]
    fn the_cohort_heatmap_draws_known_cells_only() {
        use uplift_engine::cohorts::CohortRow;
        let v = VariantCohorts {
            variant: "personalized".into(),
            users: 30,
            cohorts: vec![
                CohortRow {
                    week_start: "2024-01-01".into(),
                    users: 20,
                    active: vec![Some(1.0), Some(0.5), Some(0.25)],
                },
                CohortRow {
                    week_start: "2024-01-08".into(),
                    users: 10,
                    active: vec![Some(1.0), Some(0.6), None],
                },
            ],
        };
        let Some(svg) = cohort_svg(&v, 3, 800) else {
            panic!("draws")
        };
        // Five known cells (and the background).
        assert_eq!(svg.matches("<rect").count(), 5 + 1, "{svg}");
        assert!(svg.contains("2024-01-08"));
        assert!(cohort_summary(&v).contains("week 1: 55% on average"));
    }
}

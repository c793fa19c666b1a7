//! Conversion rate per variant, with its confidence interval as error bars.

use leptos::prelude::*;
use uplift_engine::report::{Metric, MetricResult};

use super::bars::{bars_svg, Bar};
use super::{ChartFigure, ChartKind};
use crate::platform::format;
use crate::state::use_app_state;

/// Draw the chart as an SVG document. Returns `None` when plotters fails,
/// which the component shows as a plain message instead of a broken image.
pub fn conversion_svg(result: &MetricResult, confidence: f64, width: u32) -> Option<String> {
    let bars: Vec<Bar> = result
        .variants
        .iter()
        .map(|v| Bar {
            name: &v.name,
            value: v.value,
            ci: v.ci,
        })
        .collect();
    let caption = format!(
        "Conversion rate, {} confidence intervals",
        format::percent(confidence, 0)
    );
    bars_svg(
        &caption,
        "Conversion rate",
        &bars,
        &|y| format::percent(y, 1),
        width,
    )
}

/// Text alternative read by screen readers and shown if the SVG cannot be.
pub fn conversion_summary(result: &MetricResult) -> String {
    result
        .variants
        .iter()
        .map(|v| match v.ci {
            Some(ci) => format!(
                "{}: {} ({} to {})",
                v.name,
                format::percent(v.value, 2),
                format::percent(ci.low, 2),
                format::percent(ci.high, 2)
            ),
            None => format!("{}: {}", v.name, format::percent(v.value, 2)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
pub fn ConversionChart() -> impl IntoView {
    let state = use_app_state();
    let drawn = Memo::new(move |_| {
        state.shown.with(|r| {
            let r = r.as_ref()?;
            let m = r.metric(Metric::ConversionRate)?;
            // The chart also shows the confidence level and the intervals
            // to more places than the summary: it is redrawn when they change.
            Some((conversion_summary(m), m.clone(), r.confidence))
        })
    });
    move || {
        drawn.get().map(|(summary, _, _)| {
            view! { <ChartFigure kind=ChartKind::Conversion name="conversion chart" summary=format!("Conversion rate by variant. {summary}")/> }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::{analyze, Scenario};

    #[test]
    fn draws_one_bar_and_label_per_variant() {
        let report = match analyze(&Scenario::demo()) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let Some(m) = report.metric(Metric::ConversionRate) else {
            panic!("no conversion metric")
        };
        let Some(svg) = conversion_svg(m, 0.95, crate::charts::NARROW_WIDTH) else {
            panic!("no svg")
        };
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        assert!(
            svg.contains(">\ncontrol\n<"),
            "control label missing: {svg}"
        );
        assert!(svg.contains(">\npersonalized\n<"), "variant label missing");
        // One bar per variant, in the palette's colours.
        assert_eq!(svg.matches("fill=\"#787878\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("fill=\"#0072B2\"").count(), 1, "{svg}");
        assert!(svg.contains("95% confidence"));
        let summary = conversion_summary(m);
        assert!(summary.starts_with("control: 2.00%"), "{summary}");
    }
}

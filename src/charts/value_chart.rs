//! Average order value and customer lifetime value, control vs variants.

use uplift_engine::report::VariantValue;

use super::bars::{bars_svg, Bar};
use crate::platform::format;

/// Average order value per variant; `None` when a variant has no orders.
pub fn aov_svg(values: &[VariantValue], width: u32) -> Option<String> {
    let bars = values
        .iter()
        .map(|v| {
            v.average_order_value.map(|m| Bar {
                name: &v.name,
                value: m.0,
                ci: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    bars_svg(
        "Average order value",
        "Per order",
        &bars,
        &format::money_short,
        width,
    )
}

/// Simple customer lifetime value per variant.
pub fn clv_svg(values: &[VariantValue], width: u32) -> Option<String> {
    let bars: Vec<Bar> = values
        .iter()
        .map(|v| Bar {
            name: &v.name,
            value: v.clv.0,
            ci: None,
        })
        .collect();
    bars_svg(
        "Customer lifetime value",
        "Per customer",
        &bars,
        &format::money_short,
        width,
    )
}

/// Text alternative for either chart: each variant's amount.
pub fn value_summary(
    values: &[VariantValue],
    amount: impl Fn(&VariantValue) -> Option<f64>,
) -> String {
    values
        .iter()
        .map(|v| {
            format!(
                "{}: {}",
                v.name,
                amount(v).map_or("—".to_string(), format::money)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aov_and_clv_bars_per_variant() {
        let r = crate::charts::demo_report();
        let aov = aov_svg(&r.value, crate::charts::NARROW_WIDTH).unwrap_or_default();
        assert!(aov.contains("Average order value"), "{aov}");
        assert!(aov.contains(">\ncontrol\n<") && aov.contains(">\npersonalized\n<"));
        assert_eq!(aov.matches("fill=\"#787878\"").count(), 1, "{aov}");
        assert_eq!(aov.matches("fill=\"#0072B2\"").count(), 1, "{aov}");
        let clv = clv_svg(&r.value, crate::charts::NARROW_WIDTH).unwrap_or_default();
        // Control CLV = 80 × 3 × 0.4 × 2 = $192, written on its bar.
        assert!(
            clv.contains("Customer lifetime value") && clv.contains(">\n$192\n<"),
            "{clv}"
        );
        let summary = value_summary(&r.value, |v| Some(v.clv.0));
        assert!(summary.starts_with("control: $192"), "{summary}");
    }
}

//! Customer value: order value, lifetime value, retention, churn, CTR and
//! operational savings. Formulas and worked examples are those of the domain
//! articles the product brief is distilled from (PRODUCT.md, "Formulas").
//! CLV from a transaction log (BG/NBD and Gamma-Gamma) is in [`btyd`], the
//! log's reduction to per-customer summaries in [`transactions`].

pub mod btyd;
pub mod transactions;

use crate::units::{Money, Rate};

/// Relative uplift of a variant over a control: (variant − control) / control.
/// Seed example: conversion 2% → 2.6% is a 30% uplift. `None` when control is 0.
pub fn relative_uplift(control: f64, variant: f64) -> Option<Rate> {
    (control != 0.0 && control.is_finite() && variant.is_finite())
        .then(|| Rate((variant - control) / control))
}

/// Average order value: total revenue / number of orders.
/// Seed example: 500,000 / 1,000 = 500.
pub fn average_order_value(revenue: Money, orders: u64) -> Option<Money> {
    (orders > 0).then(|| Money(revenue.0 / orders as f64))
}

/// Simple customer lifetime value:
/// AOV × purchase frequency (per year) × gross margin × lifespan (years).
/// Seed example: 1000 × 5 × 40% × 3 = 6,000.
pub fn clv_simple(
    aov: Money,
    purchases_per_year: f64,
    gross_margin: Rate,
    lifespan_years: f64,
) -> Money {
    Money(aov.0 * purchases_per_year * gross_margin.0 * lifespan_years)
}

/// Retention rate: (customers at end − new customers) / customers at start.
/// Seed example: (900 − 200) / 1000 = 70%.
pub fn retention_rate(at_start: u64, at_end: u64, new_customers: u64) -> Option<Rate> {
    (at_start > 0).then(|| Rate((at_end as f64 - new_customers as f64) / at_start as f64))
}

/// Churn rate: customers lost / total customers.
pub fn churn_rate(lost: u64, total: u64) -> Option<Rate> {
    (total > 0).then(|| Rate(lost as f64 / total as f64))
}

/// Relative churn reduction: (churn before − churn after) / churn before.
/// Seed example: churn 20% → 15% is a 25% relative reduction.
pub fn churn_reduction(before: Rate, after: Rate) -> Option<Rate> {
    (before.0 > 0.0).then(|| Rate((before.0 - after.0) / before.0))
}

/// Click-through rate: clicks / impressions. Seed example: 5,000 / 100,000 = 5%.
pub fn click_through_rate(clicks: u64, impressions: u64) -> Option<Rate> {
    (impressions > 0).then(|| Rate(clicks as f64 / impressions as f64))
}

/// Operational cost savings: (previous cost − new cost) + value of time saved.
/// Seed example: 200,000 − 140,000 + 20,000 = 80,000.
pub fn cost_savings(previous: Money, new: Money, time_saved_value: Money) -> Money {
    previous - new + time_saved_value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn seed_conversion_uplift_30_percent() {
        let u = relative_uplift(0.02, 0.026).map(Rate::percent);
        assert!(u.is_some_and(|u| approx(u, 30.0)), "{u:?}");
        assert_eq!(relative_uplift(0.0, 0.1), None);
    }

    #[test]
    fn seed_aov_500_and_20_percent_lift() {
        assert_eq!(
            average_order_value(Money(500_000.0), 1_000),
            Some(Money(500.0))
        );
        let lift = relative_uplift(500.0, 600.0).map(Rate::percent);
        assert!(lift.is_some_and(|l| approx(l, 20.0)));
        assert_eq!(average_order_value(Money(1.0), 0), None);
    }

    #[test]
    fn seed_clv_6000() {
        let clv = clv_simple(Money(1000.0), 5.0, Rate::from_percent(40.0), 3.0);
        assert!(approx(clv.0, 6000.0), "{clv:?}");
    }

    #[test]
    fn seed_retention_70_percent() {
        let r = retention_rate(1000, 900, 200).map(Rate::percent);
        assert!(r.is_some_and(|r| approx(r, 70.0)), "{r:?}");
        assert_eq!(retention_rate(0, 1, 0), None);
    }

    #[test]
    fn seed_churn_reduction_25_percent() {
        let before = churn_rate(200, 1000);
        let after = churn_rate(150, 1000);
        assert_eq!(before.map(Rate::percent), Some(20.0));
        let (Some(b), Some(a)) = (before, after) else {
            panic!()
        };
        let red = churn_reduction(b, a).map(Rate::percent);
        assert!(red.is_some_and(|r| approx(r, 25.0)), "{red:?}");
    }

    #[test]
    fn seed_ctr_5_percent() {
        let ctr = click_through_rate(5_000, 100_000).map(Rate::percent);
        assert!(ctr.is_some_and(|c| approx(c, 5.0)));
        assert_eq!(click_through_rate(1, 0), None);
    }

    #[test]
    fn seed_cost_savings_80000() {
        let s = cost_savings(Money(200_000.0), Money(140_000.0), Money(20_000.0));
        assert_eq!(s, Money(80_000.0));
    }
}

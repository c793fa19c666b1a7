//! The investment case: cost line items, monthly cash flow, ROI, payback,
//! NPV and IRR ([`mod@self`]); the model that ties benefits to the measured
//! uplift, with Monte Carlo, break-even and sensitivity ([`model`]); and
//! Forrester's Total Economic Impact conventions ([`tei`]).

pub mod model;
pub mod tei;

use serde::{Deserialize, Serialize};

use crate::units::{Money, Rate};

/// The four cost categories of an AI-personalization programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum CostCategory {
    Technology,
    Development,
    People,
    Compliance,
}

crate::named::named_enum!(CostCategory {
    Technology => "technology",
    Development => "development",
    People => "people",
    Compliance => "compliance",
});

impl CostCategory {
    pub fn label(self) -> &'static str {
        match self {
            CostCategory::Technology => "Technology & infrastructure",
            CostCategory::Development => "Development & implementation",
            CostCategory::People => "People & operations",
            CostCategory::Compliance => "Compliance & security",
        }
    }
}

/// How often a cost line is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Frequency {
    OneTime,
    Monthly,
    Annual,
}

crate::named::named_enum!(Frequency {
    OneTime => "one_time",
    Monthly => "monthly",
    Annual => "annual",
});

impl Frequency {
    pub fn label(self) -> &'static str {
        match self {
            Frequency::OneTime => "one-time",
            Frequency::Monthly => "monthly",
            Frequency::Annual => "annual",
        }
    }
}

/// One line of the budget, e.g. "Personalization platform licence, 8,000 monthly".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostItem {
    pub category: CostCategory,
    pub label: String,
    pub amount: Money,
    pub frequency: Frequency,
    /// Month (1-based) of the first payment.
    #[serde(default = "first_month")]
    pub start_month: u32,
}

fn first_month() -> u32 {
    1
}

impl CostItem {
    /// What this line costs in month `m` (1-based): one-time lines in their
    /// start month, monthly lines every month from it, annual lines in the
    /// start month and every twelfth month after.
    pub fn cost_in_month(&self, m: u32) -> Money {
        let start = self.start_month.max(1);
        let due = match self.frequency {
            Frequency::OneTime => m == start,
            Frequency::Monthly => m >= start,
            Frequency::Annual => m >= start && (m - start) % 12 == 0,
        };
        if due {
            self.amount
        } else {
            Money::ZERO
        }
    }
}

/// Return on investment: (gain − investment) / investment.
/// Seed example: (420,000 − 120,000) / 120,000 = 250%. `None` without investment.
pub fn roi(gain: Money, investment: Money) -> Option<Rate> {
    (investment.0 > 0.0).then(|| Rate((gain.0 - investment.0) / investment.0))
}

/// One month of the programme's cash flow.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CashFlowMonth {
    pub month: u32,
    pub cost: Money,
    pub benefit: Money,
    /// Running total of benefit − cost up to and including this month.
    pub cumulative: Money,
}

/// Everything the budget owner reads about the investment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvestmentSummary {
    pub horizon_months: u32,
    pub total_cost: Money,
    pub total_benefit: Money,
    pub net_profit: Money,
    /// `None` when there is no cost to divide by.
    pub roi: Option<Rate>,
    /// First month from which the cumulative cash flow stays ≥ 0 after money
    /// was spent; `None` when that does not happen within the horizon.
    pub payback_month: Option<u32>,
    /// Net present value at the annual discount rate.
    pub npv: Money,
    /// Annual internal rate of return, where one exists.
    pub irr: Option<Rate>,
    pub cost_by_category: Vec<(CostCategory, Money)>,
    pub monthly: Vec<CashFlowMonth>,
}

/// Discount factor of month `m` (1-based) at an annual rate: cash flows are
/// taken at the start of each month, so month 1 is not discounted:
/// (1 + d)^(−(m − 1)/12).
pub fn discount_factor(annual_rate: f64, m: u32) -> f64 {
    (1.0 + annual_rate).powf(-(f64::from(m) - 1.0) / 12.0)
}

/// Net present value of monthly net cash flows: Σ netₘ·(1 + d)^(−(m − 1)/12).
pub fn npv(net_by_month: &[f64], annual_rate: f64) -> f64 {
    net_by_month
        .iter()
        .zip(1u32..)
        .map(|(c, m)| c * discount_factor(annual_rate, m))
        .sum()
}

/// Annual internal rate of return: the rate at which the NPV of the monthly
/// net cash flows is 0, found by bisection on the monthly rate. `None` when
/// the flows never change sign or the NPV does not cross 0 between −99% a
/// year and +10,000% a month (a programme that pays back in weeks has an
/// astronomically high IRR; the UI says so rather than printing it).
pub fn irr(net_by_month: &[f64]) -> Option<Rate> {
    let has_neg = net_by_month.iter().any(|&c| c < 0.0);
    let has_pos = net_by_month.iter().any(|&c| c > 0.0);
    if !(has_neg && has_pos) {
        return None;
    }
    let npv_monthly = |r: f64| -> f64 {
        net_by_month
            .iter()
            .zip(0i32..)
            .map(|(c, k)| c / (1.0 + r).powi(k))
            .sum()
    };
    // Monthly rates: −99% a year up to +10,000% a month.
    let (mut lo, mut hi) = (0.01f64.powf(1.0 / 12.0) - 1.0, 100.0);
    let (f_lo, f_hi) = (npv_monthly(lo), npv_monthly(hi));
    if f_lo.signum() == f_hi.signum() {
        return None;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if npv_monthly(mid).signum() == f_lo.signum() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let monthly = 0.5 * (lo + hi);
    Some(Rate((1.0 + monthly).powi(12) - 1.0).min_finite())
}

/// Build the cash flow over `horizon_months` from the cost lines and the
/// benefit of each month, then total it: net profit = benefit − cost,
/// ROI = net profit / cost, payback = the month from which the running total
/// stays non-negative, NPV at `annual_rate`, and IRR.
pub fn summarise(
    costs: &[CostItem],
    benefit_in_month: impl Fn(u32) -> Money,
    horizon_months: u32,
    annual_rate: f64,
) -> InvestmentSummary {
    let mut monthly = Vec::with_capacity(horizon_months as usize);
    let mut cumulative = Money::ZERO;
    let mut payback_month = None;
    let mut spent = false;
    for m in 1..=horizon_months {
        let cost: Money = costs.iter().map(|c| c.cost_in_month(m)).sum();
        let benefit = benefit_in_month(m);
        cumulative += benefit - cost;
        spent |= cost.0 > 0.0;
        if payback_month.is_none() && spent && cumulative.0 >= 0.0 {
            payback_month = Some(m);
        }
        // A later cost can push the total negative again: payback is the
        // month from which it stays non-negative.
        if cumulative.0 < 0.0 {
            payback_month = None;
        }
        monthly.push(CashFlowMonth {
            month: m,
            cost,
            benefit,
            cumulative,
        });
    }
    let total_cost: Money = monthly.iter().map(|m| m.cost).sum();
    let total_benefit: Money = monthly.iter().map(|m| m.benefit).sum();
    let net: Vec<f64> = monthly.iter().map(|m| m.benefit.0 - m.cost.0).collect();
    let cost_by_category = CostCategory::VARIANTS
        .iter()
        .map(|&cat| {
            let total = costs
                .iter()
                .filter(|c| c.category == cat)
                .flat_map(|c| (1..=horizon_months).map(move |m| c.cost_in_month(m)))
                .sum();
            (cat, total)
        })
        .collect();
    InvestmentSummary {
        horizon_months,
        total_cost,
        total_benefit,
        net_profit: total_benefit - total_cost,
        roi: roi(total_benefit, total_cost),
        payback_month,
        npv: Money(npv(&net, annual_rate)),
        irr: irr(&net),
        cost_by_category,
        monthly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(amount: f64, frequency: Frequency, start: u32) -> CostItem {
        CostItem {
            category: CostCategory::Technology,
            label: "x".into(),
            amount: Money(amount),
            frequency,
            start_month: start,
        }
    }

    #[test]
    fn seed_roi_250_percent() {
        let r = roi(Money(420_000.0), Money(120_000.0));
        assert!(
            r.is_some_and(|r| (r.percent() - 250.0).abs() < 1e-9),
            "{r:?}"
        );
        assert_eq!(roi(Money(1.0), Money::ZERO), None);
    }

    #[test]
    fn frequencies_charge_the_right_months() {
        let one = item(100.0, Frequency::OneTime, 2);
        let monthly = item(10.0, Frequency::Monthly, 1);
        let annual = item(1200.0, Frequency::Annual, 1);
        let s = summarise(&[one, monthly, annual], |_| Money::ZERO, 24, 0.0);
        assert_eq!(s.total_cost, Money(100.0 + 240.0 + 2400.0));
        assert_eq!(s.monthly[0].cost, Money(1210.0));
        assert_eq!(s.monthly[1].cost, Money(110.0));
        assert_eq!(s.monthly[12].cost, Money(1210.0));
    }

    #[test]
    fn seed_example_as_cash_flow() {
        // 120,000 up front, 70,000 a month of benefit for 6 months = 420,000.
        let s = summarise(
            &[item(120_000.0, Frequency::OneTime, 1)],
            |_| Money(70_000.0),
            6,
            0.0,
        );
        assert_eq!(s.total_benefit, Money(420_000.0));
        assert_eq!(s.net_profit, Money(300_000.0));
        assert!(s.roi.is_some_and(|r| (r.percent() - 250.0).abs() < 1e-9));
        assert_eq!(s.payback_month, Some(2));
        assert_eq!(s.monthly[5].cumulative, Money(300_000.0));
    }

    #[test]
    fn no_payback_when_benefit_too_small() {
        let s = summarise(
            &[item(1000.0, Frequency::Monthly, 1)],
            |_| Money(500.0),
            12,
            0.0,
        );
        assert_eq!(s.payback_month, None);
        assert!(s.roi.is_some_and(|r| r.0 < 0.0));
    }

    #[test]
    fn late_cost_resets_payback() {
        let s = summarise(
            &[
                item(100.0, Frequency::OneTime, 1),
                item(1000.0, Frequency::OneTime, 3),
            ],
            |_| Money(150.0),
            12,
            0.0,
        );
        // Running total: 50, 200, −650, −500, −350, −200, −50, +100 (month 8).
        assert_eq!(s.payback_month, Some(8));
    }

    #[test]
    fn npv_at_zero_rate_is_net_profit_and_irr_solves_npv() {
        let s = summarise(
            &[item(10_000.0, Frequency::OneTime, 1)],
            |_| Money(1_000.0),
            24,
            0.0,
        );
        assert!((s.npv.0 - s.net_profit.0).abs() < 1e-6);
        let Some(rate) = s.irr else { panic!() };
        let net: Vec<f64> = s.monthly.iter().map(|m| m.benefit.0 - m.cost.0).collect();
        assert!(npv(&net, rate.0).abs() < 1e-6, "{rate:?}");
        // Discounting lowers the NPV of later benefits.
        let d = summarise(
            &[item(10_000.0, Frequency::OneTime, 1)],
            |_| Money(1_000.0),
            24,
            0.1,
        );
        assert!(d.npv.0 < s.npv.0);
        // No sign change, no IRR.
        assert_eq!(irr(&[1.0, 2.0]), None);
        // Paid back within weeks: a very large but finite IRR.
        let fast = irr(&[-17_000.0, 18_000.0, 18_000.0, 18_000.0]);
        assert!(
            fast.is_some_and(|r| r.0 > 100.0 && r.0.is_finite()),
            "{fast:?}"
        );
    }

    #[test]
    fn category_subtotals_add_up() {
        let mut a = item(100.0, Frequency::Monthly, 1);
        a.category = CostCategory::People;
        let b = item(50.0, Frequency::OneTime, 1);
        let s = summarise(&[a, b], |_| Money::ZERO, 3, 0.0);
        let people = s
            .cost_by_category
            .iter()
            .find(|(c, _)| *c == CostCategory::People)
            .map(|(_, m)| *m);
        assert_eq!(people, Some(Money(300.0)));
        let sum: Money = s.cost_by_category.iter().map(|(_, m)| *m).sum();
        assert_eq!(sum, s.total_cost);
    }
}

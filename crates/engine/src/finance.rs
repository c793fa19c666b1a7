//! The investment case: cost line items, monthly cash flow, ROI and payback.

use serde::{Deserialize, Serialize};

use crate::units::{Money, Rate};

/// The four cost categories of an AI-personalization programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostCategory {
    Technology,
    Development,
    People,
    Compliance,
}

impl CostCategory {
    pub const ALL: [CostCategory; 4] = [
        CostCategory::Technology,
        CostCategory::Development,
        CostCategory::People,
        CostCategory::Compliance,
    ];

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
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    OneTime,
    Monthly,
    Annual,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::OneTime, Frequency::Monthly, Frequency::Annual];

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
    /// First month whose cumulative cash flow is ≥ 0 after money was spent;
    /// `None` when that does not happen within the horizon.
    pub payback_month: Option<u32>,
    pub cost_by_category: Vec<(CostCategory, Money)>,
    pub monthly: Vec<CashFlowMonth>,
}

/// Build the cash flow over `horizon_months` from the cost lines and a
/// constant monthly benefit, then total it: net profit = benefit − cost,
/// ROI = net profit / cost, payback = first month the running total turns
/// non-negative.
pub fn summarise(
    costs: &[CostItem],
    monthly_benefit: Money,
    horizon_months: u32,
) -> InvestmentSummary {
    let mut monthly = Vec::with_capacity(horizon_months as usize);
    let mut cumulative = Money::ZERO;
    let mut payback_month = None;
    let mut spent = false;
    for m in 1..=horizon_months {
        let cost: Money = costs.iter().map(|c| c.cost_in_month(m)).sum();
        cumulative += monthly_benefit - cost;
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
            benefit: monthly_benefit,
            cumulative,
        });
    }
    let total_cost: Money = monthly.iter().map(|m| m.cost).sum();
    let total_benefit: Money = monthly.iter().map(|m| m.benefit).sum();
    let cost_by_category = CostCategory::ALL
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
        let s = summarise(&[one, monthly, annual], Money::ZERO, 24);
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
            Money(70_000.0),
            6,
        );
        assert_eq!(s.total_benefit, Money(420_000.0));
        assert_eq!(s.net_profit, Money(300_000.0));
        assert!(s.roi.is_some_and(|r| (r.percent() - 250.0).abs() < 1e-9));
        assert_eq!(s.payback_month, Some(2));
        assert_eq!(s.monthly[5].cumulative, Money(300_000.0));
    }

    #[test]
    fn no_payback_when_benefit_too_small() {
        let s = summarise(&[item(1000.0, Frequency::Monthly, 1)], Money(500.0), 12);
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
            Money(150.0),
            12,
        );
        // Running total: 50, 200, −650, −500, −350, −200, −50, +100 (month 8).
        assert_eq!(s.payback_month, Some(8));
    }

    #[test]
    fn category_subtotals_add_up() {
        let mut a = item(100.0, Frequency::Monthly, 1);
        a.category = CostCategory::People;
        let b = item(50.0, Frequency::OneTime, 1);
        let s = summarise(&[a, b], Money::ZERO, 3);
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

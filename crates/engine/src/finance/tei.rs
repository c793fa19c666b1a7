//! Forrester's Total Economic Impact (TEI) conventions: yearly columns with
//! an undiscounted "Initial" period, risk-adjusted benefit and cost lines,
//! present values at (by default) 10% with end-of-year discounting,
//! ROI = NPV / PV(costs), and payback interpolated within the year.

use serde::{Deserialize, Serialize};

use super::{CostItem, Frequency, InvestmentSummary};
use crate::units::Money;

/// One benefit or cost line, risk-adjusted: Initial, then Year 1, Year 2, ….
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeiLine {
    pub name: String,
    pub initial: Money,
    pub years: Vec<Money>,
}

impl TeiLine {
    /// Present value: Initial + Σ Yearₖ/(1 + d)ᵏ.
    pub fn present_value(&self, rate: f64) -> Money {
        Money(
            self.initial.0
                + self
                    .years
                    .iter()
                    .zip(1i32..)
                    .map(|(v, k)| v.0 / (1.0 + rate).powi(k))
                    .sum::<f64>(),
        )
    }

    pub fn total(&self) -> Money {
        self.initial + self.years.iter().copied().sum()
    }
}

/// The cash-flow table of a TEI study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeiTable {
    pub discount_rate: f64,
    pub benefits: Vec<TeiLine>,
    pub costs: Vec<TeiLine>,
}

/// Its summary: column totals, present values, NPV, ROI and payback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeiSummary {
    /// Per column: Initial, Year 1, ….
    pub total_benefits: Vec<Money>,
    pub total_costs: Vec<Money>,
    pub net_benefits: Vec<Money>,
    pub pv_benefits: Money,
    pub pv_costs: Money,
    pub npv: Money,
    /// NPV / PV(costs).
    pub roi: Option<f64>,
    /// Months until the cumulative net benefit turns non-negative,
    /// interpolated linearly within the year; `None` if it never does.
    pub payback_months: Option<f64>,
}

fn column_totals(lines: &[TeiLine], columns: usize) -> Vec<Money> {
    (0..columns)
        .map(|c| {
            lines
                .iter()
                .map(|l| {
                    if c == 0 {
                        l.initial
                    } else {
                        l.years.get(c - 1).copied().unwrap_or(Money::ZERO)
                    }
                })
                .sum()
        })
        .collect()
}

/// Summarise a TEI table. PV(costs) and PV(benefits) discount Year k by
/// (1 + d)ᵏ and leave Initial undiscounted; NPV = PV(benefits) − PV(costs);
/// ROI = NPV / PV(costs). Payback: with cumulative net Nₖ after year k
/// (N₀ = Initial net), the first k with Nₖ ≥ 0 gives
/// 12·(k − 1 + (−Nₖ₋₁)/netₖ) months.
pub fn tei_summary(table: &TeiTable) -> TeiSummary {
    let years = table
        .benefits
        .iter()
        .chain(&table.costs)
        .map(|l| l.years.len())
        .max()
        .unwrap_or(0);
    let columns = years + 1;
    let total_benefits = column_totals(&table.benefits, columns);
    let total_costs = column_totals(&table.costs, columns);
    let net_benefits: Vec<Money> = total_benefits
        .iter()
        .zip(&total_costs)
        .map(|(b, c)| *b - *c)
        .collect();
    let pv = |lines: &[TeiLine]| -> Money {
        lines
            .iter()
            .map(|l| l.present_value(table.discount_rate))
            .sum()
    };
    let (pv_benefits, pv_costs) = (pv(&table.benefits), pv(&table.costs));
    let npv = pv_benefits - pv_costs;
    let mut payback_months = None;
    let mut cumulative = net_benefits.first().map_or(0.0, |m| m.0);
    if cumulative >= 0.0 {
        payback_months = Some(0.0);
    } else {
        for (k, net) in net_benefits.iter().enumerate().skip(1) {
            let before = cumulative;
            cumulative += net.0;
            if cumulative >= 0.0 && net.0 > 0.0 {
                payback_months = Some(12.0 * ((k - 1) as f64 + (-before) / net.0));
                break;
            }
        }
    }
    TeiSummary {
        total_benefits,
        total_costs,
        net_benefits,
        pv_benefits,
        pv_costs,
        npv,
        roi: (pv_costs.0 > 0.0).then(|| npv.0 / pv_costs.0),
        payback_months,
    }
}

/// The scenario's cash flow in TEI form: one-time costs due in month 1 go to
/// Initial, everything else to the year it falls in; benefits by year. The
/// monthly figures are already risk-adjusted.
pub fn tei_from_cash_flow(
    summary: &InvestmentSummary,
    costs: &[CostItem],
    discount_rate: f64,
) -> TeiTable {
    let years = summary.horizon_months.div_ceil(12) as usize;
    let year_of = |m: u32| ((m - 1) / 12) as usize;
    let mut cost_lines: Vec<TeiLine> = costs
        .iter()
        .map(|c| {
            let mut line = TeiLine {
                name: c.label.clone(),
                initial: Money::ZERO,
                years: vec![Money::ZERO; years],
            };
            for m in 1..=summary.horizon_months {
                let due = c.cost_in_month(m);
                if m == 1 && c.frequency == Frequency::OneTime {
                    line.initial += due;
                } else if let Some(slot) = line.years.get_mut(year_of(m)) {
                    *slot += due;
                }
            }
            line
        })
        .collect();
    cost_lines.retain(|l| l.total().0 != 0.0);
    let mut benefit = TeiLine {
        name: "Benefits (risk-adjusted)".into(),
        initial: Money::ZERO,
        years: vec![Money::ZERO; years],
    };
    for month in &summary.monthly {
        if let Some(slot) = benefit.years.get_mut(year_of(month.month)) {
            *slot += month.benefit;
        }
    }
    TeiTable {
        discount_rate,
        benefits: vec![benefit],
        costs: cost_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(initial: f64, years: &[f64]) -> TeiLine {
        TeiLine {
            name: "x".into(),
            initial: Money(initial),
            years: years.iter().map(|&v| Money(v)).collect(),
        }
    }

    #[test]
    fn hand_example() {
        let t = TeiTable {
            discount_rate: 0.10,
            benefits: vec![line(0.0, &[110.0, 121.0, 133.1])],
            costs: vec![line(100.0, &[0.0, 0.0, 0.0])],
        };
        let s = tei_summary(&t);
        assert!((s.pv_benefits.0 - 300.0).abs() < 1e-9);
        assert!((s.npv.0 - 200.0).abs() < 1e-9);
        assert!(s.roi.is_some_and(|r| (r - 2.0).abs() < 1e-12));
        // −100 after Initial, +110 in year 1: 100/110 of a year.
        assert!(s
            .payback_months
            .is_some_and(|p| (p - 12.0 * 100.0 / 110.0).abs() < 1e-9));
    }
}

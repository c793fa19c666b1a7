//! The investment model: how the measured uplift, retention and savings turn
//! into monthly benefits, and what the uncertainty of the uplift means for
//! ROI — Monte Carlo, break-even uplift, sensitivity and named scenarios.
//!
//! Every benefit stream is constant per month from the benefit start month
//! and linear in the relative uplift L, so
//! ROI(L) = (n_b·(L·k·m + R·m + S) − C·c)/(C·c), with n_b benefit months,
//! k the monthly gross profit per unit of uplift, R the retention benefit,
//! S the savings, C the cost, and m, c the margin and cost multipliers the
//! simulation varies. With L ~ N(μ, σ) and nothing else varied,
//! P(ROI > 0) = Φ((μ − L*)/σ) where L* is the break-even uplift.

use serde::{Deserialize, Serialize};
use statrs::distribution::ContinuousCDF;

use super::{summarise, CostItem, InvestmentSummary};
use crate::rng::Rng;
use crate::units::{Money, Rate};

/// A benefit stream that can be switched off and carries a risk adjustment:
/// a haircut on its value, as in Forrester's Total Economic Impact method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenefitSwitch {
    pub enabled: bool,
    /// Share removed for risk, 0.1 = 10% lower.
    pub risk_adjustment: f64,
}

impl Default for BenefitSwitch {
    fn default() -> Self {
        BenefitSwitch {
            enabled: true,
            risk_adjustment: 0.0,
        }
    }
}

impl BenefitSwitch {
    fn factor(&self) -> f64 {
        if self.enabled {
            1.0 - self.risk_adjustment
        } else {
            0.0
        }
    }
}

/// Retention-based customer value of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetentionInputs {
    pub switch: BenefitSwitch,
    /// New customers acquired per month whose retention the programme changes.
    pub new_customers_per_month: f64,
    /// Gross margin per retained customer per year.
    pub margin_per_customer_per_year: Money,
    /// Yearly retention without and with personalization.
    pub retention_control: Rate,
    pub retention_variant: Rate,
    /// Years counted in the CLV; 0 means the infinite-horizon formula.
    pub years: u32,
    /// Standard errors of the two rates when they were measured (the
    /// time tool's Kaplan–Meier curves); 0 for rates typed as assumptions.
    /// The simulation then draws the rates too.
    pub std_error_control: f64,
    pub std_error_variant: f64,
}

impl Default for RetentionInputs {
    fn default() -> Self {
        RetentionInputs {
            switch: BenefitSwitch {
                enabled: false,
                risk_adjustment: 0.0,
            },
            new_customers_per_month: 500.0,
            margin_per_customer_per_year: Money(120.0),
            retention_control: Rate(0.60),
            retention_variant: Rate(0.65),
            years: 5,
            std_error_control: 0.0,
            std_error_variant: 0.0,
        }
    }
}

/// Operational savings: (previous cost − new cost) + value of time saved, per year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavingsInputs {
    pub switch: BenefitSwitch,
    pub previous_cost_per_year: Money,
    pub new_cost_per_year: Money,
    pub time_saved_value_per_year: Money,
}

impl Default for SavingsInputs {
    fn default() -> Self {
        SavingsInputs {
            switch: BenefitSwitch {
                enabled: false,
                risk_adjustment: 0.0,
            },
            previous_cost_per_year: Money(200_000.0),
            new_cost_per_year: Money(140_000.0),
            time_saved_value_per_year: Money(20_000.0),
        }
    }
}

/// Whom the programme personalizes for: everyone (share 1), or only the
/// top `share` of users by a targeting model's score, which earns `gain`
/// times the incremental profit of personalizing for everyone (the
/// targeting tool's profit curve) and saves `cost_per_user` on each user
/// left out. Kept in [`InvestmentInputs`] as three fields of its own.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reach {
    pub share: f64,
    pub gain: f64,
    pub cost_per_user: Money,
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            share: 1.0,
            gain: 1.0,
            cost_per_user: Money::ZERO,
        }
    }
}

/// How uncertain inputs are simulated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UncertaintyInputs {
    pub draws: u32,
    pub seed: u64,
    /// Costs vary uniformly within ±this share (0.1 = ±10%).
    pub cost_range: f64,
    /// Gross margin varies uniformly within ±this share.
    pub margin_range: f64,
}

impl Default for UncertaintyInputs {
    fn default() -> Self {
        UncertaintyInputs {
            draws: 10_000,
            seed: 20_261_123,
            cost_range: 0.0,
            margin_range: 0.0,
        }
    }
}

/// The investment settings of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvestmentInputs {
    /// Annual discount rate for NPV (0.1 = 10%).
    pub discount_rate: f64,
    /// First month in which benefits arrive (roll-out takes time).
    pub benefit_start_month: u32,
    pub uplift: BenefitSwitch,
    pub retention: RetentionInputs,
    pub savings: SavingsInputs,
    pub uncertainty: UncertaintyInputs,
    /// The [`Reach`]: everyone unless the targeting tool's best share was
    /// chosen. Three plain fields rather than a nested object, which
    /// keeps the web page's scenario reader smaller.
    pub reach_share: f64,
    pub reach_gain: f64,
    pub reach_cost_per_user: Money,
    /// A relative uplift measured without a control group (the time tool's
    /// difference in differences) and its standard error: used in place of
    /// the experiment's when the error is above 0.
    pub did_uplift: f64,
    pub did_uplift_se: f64,
    /// Report the headline ROI, NPV and payback with Forrester TEI's
    /// conventions (yearly, Initial undiscounted, ROI = NPV / PV(costs)).
    pub tei_mode: bool,
}

impl Default for InvestmentInputs {
    fn default() -> Self {
        InvestmentInputs {
            discount_rate: 0.10,
            benefit_start_month: 1,
            uplift: BenefitSwitch::default(),
            retention: RetentionInputs::default(),
            savings: SavingsInputs::default(),
            uncertainty: UncertaintyInputs::default(),
            reach_share: 1.0,
            reach_gain: 1.0,
            reach_cost_per_user: Money::ZERO,
            did_uplift: 0.0,
            did_uplift_se: 0.0,
            tei_mode: false,
        }
    }
}

impl InvestmentInputs {
    pub fn reach(&self) -> Reach {
        Reach {
            share: self.reach_share,
            gain: self.reach_gain,
            cost_per_user: self.reach_cost_per_user,
        }
    }

    pub fn set_reach(&mut self, reach: Reach) {
        self.reach_share = reach.share;
        self.reach_gain = reach.gain;
        self.reach_cost_per_user = reach.cost_per_user;
    }
}

/// Retention-based CLV with discounting, for a margin m per period, retention
/// r and discount rate d per period. Infinite horizon: m·r/(1 + d − r);
/// over T periods: Σₜ₌₁..T m·(r/(1 + d))ᵗ. Source: Gupta & Lehmann (2003),
/// "Customers as assets"; the product brief's formula.
pub fn clv_retention(margin: Money, retention: Rate, discount: f64, years: u32) -> Money {
    let (m, r, d) = (margin.0, retention.0, discount);
    if years == 0 {
        if 1.0 + d - r <= 0.0 {
            return Money(f64::INFINITY);
        }
        return Money(m * r / (1.0 + d - r));
    }
    let q = r / (1.0 + d);
    Money((1..=years).map(|t| m * q.powi(t as i32)).sum())
}

/// The measured relative uplift that drives the benefit, with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UpliftEstimate {
    pub mean: f64,
    pub std_error: f64,
}

/// Everything needed to evaluate the investment at any uplift.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentModel {
    pub horizon_months: u32,
    pub costs: Vec<CostItem>,
    pub inputs: InvestmentInputs,
    /// Monthly gross profit per unit of relative uplift (users × baseline
    /// value per user × margin), before the risk adjustment.
    pub profit_per_unit_uplift: Money,
    /// Users reached per month, for the per-user costs a narrower reach saves.
    pub monthly_users: f64,
    pub uplift: UpliftEstimate,
    /// Gross margin, for the share of benefits it scales.
    pub gross_margin: Rate,
}

/// Monthly benefit by stream, risk-adjusted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MonthlyBenefits {
    pub uplift: Money,
    pub retention: Money,
    pub savings: Money,
}

impl MonthlyBenefits {
    pub fn total(&self) -> Money {
        self.uplift + self.retention + self.savings
    }
}

/// ROI distribution from the simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoiDistribution {
    pub draws: u32,
    pub seed: u64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub mean: f64,
    pub probability_positive: f64,
    /// Histogram of ROI for the chart: (bin start, bin end, count).
    pub histogram: Vec<(f64, f64, u32)>,
}

/// One bar of the tornado chart: ROI when an input is 20% lower and higher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TornadoBar {
    pub input: String,
    pub roi_low: f64,
    pub roi_high: f64,
}

/// A named what-if: conservative, expected or optimistic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedScenario {
    pub name: String,
    pub relative_uplift: f64,
    pub summary: InvestmentSummary,
}

/// Multipliers a simulation or sensitivity run applies.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Shocks {
    lift: f64,
    cost: f64,
    margin: f64,
    users: f64,
    retention: f64,
    savings: f64,
    /// Drawn retention rates (without, with), in place of the entered ones.
    rates: Option<(f64, f64)>,
}

impl Shocks {
    fn at(lift: f64) -> Shocks {
        Shocks {
            lift,
            cost: 1.0,
            margin: 1.0,
            users: 1.0,
            retention: 1.0,
            savings: 1.0,
            rates: None,
        }
    }
}

impl InvestmentModel {
    fn benefit_months(&self) -> f64 {
        let start = self.inputs.benefit_start_month.max(1);
        f64::from(self.horizon_months.saturating_sub(start - 1))
    }

    fn total_cost(&self) -> f64 {
        (1..=self.horizon_months)
            .map(|m| self.costs.iter().map(|c| c.cost_in_month(m).0).sum::<f64>())
            .sum()
    }

    /// Retention benefit per month: new customers × (CLV with personalization
    /// − CLV without), spread over the month they are acquired in.
    pub fn retention_per_month(&self) -> Money {
        let r = &self.inputs.retention;
        self.retention_at(r.retention_control.0, r.retention_variant.0)
    }

    fn retention_at(&self, control: f64, variant: f64) -> Money {
        let r = &self.inputs.retention;
        let clv = |ret| {
            clv_retention(
                r.margin_per_customer_per_year,
                Rate(ret),
                self.inputs.discount_rate,
                r.years,
            )
        };
        let delta = clv(variant).0 - clv(control).0;
        Money(r.new_customers_per_month * delta * r.switch.factor())
    }

    /// Per-user costs saved each month by personalizing for only the top
    /// share of users: cost per user × users left out.
    pub fn reach_saving_per_month(&self) -> Money {
        let i = &self.inputs;
        Money(i.reach_cost_per_user.0 * (1.0 - i.reach_share) * self.monthly_users)
    }

    /// Savings per month: ((previous − new) + time saved) / 12, risk-adjusted.
    pub fn savings_per_month(&self) -> Money {
        let s = &self.inputs.savings;
        let yearly = crate::value::cost_savings(
            s.previous_cost_per_year,
            s.new_cost_per_year,
            s.time_saved_value_per_year,
        );
        Money(yearly.0 / 12.0 * s.switch.factor())
    }

    fn benefits(&self, k: &Shocks) -> MonthlyBenefits {
        let retention = match k.rates {
            Some((control, variant)) => self.retention_at(control, variant),
            None => self.retention_per_month(),
        };
        MonthlyBenefits {
            uplift: Money(
                self.profit_per_unit_uplift.0
                    * k.lift
                    * k.margin
                    * k.users
                    * self.inputs.uplift.factor()
                    * self.inputs.reach_gain
                    + self.reach_saving_per_month().0 * k.users,
            ),
            retention: Money(retention.0 * k.margin * k.retention),
            savings: Money(self.savings_per_month().0 * k.savings),
        }
    }

    /// Monthly benefits at the measured uplift.
    pub fn expected_benefits(&self) -> MonthlyBenefits {
        self.benefits(&Shocks::at(self.uplift.mean))
    }

    /// ROI (as a fraction) under the given shocks, without building the cash flow.
    fn roi_with(&self, k: &Shocks, total_cost: f64) -> Option<f64> {
        let cost = total_cost * k.cost;
        if cost <= 0.0 {
            return None;
        }
        let benefit = self.benefit_months() * self.benefits(k).total().0;
        Some((benefit - cost) / cost)
    }

    /// ROI at relative uplift `lift`, everything else as entered.
    pub fn roi_at(&self, lift: f64) -> Option<f64> {
        self.roi_with(&Shocks::at(lift), self.total_cost())
    }

    /// The full cash flow at relative uplift `lift`.
    pub fn summary_at(&self, lift: f64) -> InvestmentSummary {
        let monthly = self.benefits(&Shocks::at(lift)).total();
        let start = self.inputs.benefit_start_month.max(1);
        summarise(
            &self.costs,
            |m| if m >= start { monthly } else { Money::ZERO },
            self.horizon_months,
            self.inputs.discount_rate,
        )
    }

    /// The smallest relative uplift for which ROI ≥ 0:
    /// L* = (C/n_b − R − S)/k. `None` when the uplift does not drive any
    /// benefit (switched off, no traffic) or there is no cost.
    pub fn break_even_uplift(&self) -> Option<f64> {
        let cost = self.total_cost();
        let months = self.benefit_months();
        let saving = self.reach_saving_per_month().0;
        let per_unit = self.benefits(&Shocks::at(1.0)).uplift.0 - saving;
        if cost <= 0.0 || months <= 0.0 || per_unit <= 0.0 {
            return None;
        }
        let fixed = self.retention_per_month().0 + self.savings_per_month().0 + saving;
        Some((cost / months - fixed) / per_unit)
    }

    /// Monte Carlo over the uplift's sampling distribution N(μ, σ) and, when
    /// ranges are set, uniform cost and margin multipliers; measured
    /// retention rates are drawn from N(r, se), kept within [0, 1]. Seeded:
    /// the same inputs give the same distribution. `None` without costs.
    pub fn simulate(&self) -> Option<RoiDistribution> {
        let u = &self.inputs.uncertainty;
        let draws = u.draws.clamp(1, 1_000_000);
        let total_cost = self.total_cost();
        if total_cost <= 0.0 {
            return None;
        }
        let mut rng = Rng::new(u.seed);
        let r = &self.inputs.retention;
        // Typed rates (no standard error) keep the draws as they were.
        let measured = r.std_error_control > 0.0 || r.std_error_variant > 0.0;
        let mut rois = Vec::with_capacity(draws as usize);
        for _ in 0..draws {
            let lift = self.uplift.mean + self.uplift.std_error * rng.normal();
            let cost = 1.0 + u.cost_range * (2.0 * rng.uniform() - 1.0);
            let margin = 1.0 + u.margin_range * (2.0 * rng.uniform() - 1.0);
            let rates = measured.then(|| {
                let mut draw = |rate: Rate, se: f64| (rate.0 + se * rng.normal()).clamp(0.0, 1.0);
                (
                    draw(r.retention_control, r.std_error_control),
                    draw(r.retention_variant, r.std_error_variant),
                )
            });
            let k = Shocks {
                cost,
                margin,
                rates,
                ..Shocks::at(lift)
            };
            if let Some(r) = self.roi_with(&k, total_cost) {
                rois.push(r);
            }
        }
        if rois.is_empty() {
            return None;
        }
        let rois: Vec<f64> = crate::stats::ascending(&rois)
            .into_iter()
            .filter_map(|i| rois.get(i).copied())
            .collect();
        let n = rois.len();
        let quantile = |q: f64| {
            // Linear interpolation between order statistics (numpy's default).
            let pos = q * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let frac = pos - lo as f64;
            let at = |i: usize| rois.get(i).copied().unwrap_or(f64::NAN);
            at(lo) + (at(hi) - at(lo)) * frac
        };
        let positive = rois.iter().filter(|&&r| r > 0.0).count();
        Some(RoiDistribution {
            draws,
            seed: u.seed,
            p5: quantile(0.05),
            p50: quantile(0.5),
            p95: quantile(0.95),
            mean: rois.iter().sum::<f64>() / n as f64,
            probability_positive: positive as f64 / n as f64,
            histogram: histogram(&rois, quantile(0.005), quantile(0.995), 30),
        })
    }

    /// P(ROI > 0) in closed form when only the uplift is uncertain:
    /// Φ((μ − L*)/σ). The simulation's oracle.
    pub fn probability_roi_positive_exact(&self) -> Option<f64> {
        let l_star = self.break_even_uplift()?;
        if self.uplift.std_error <= 0.0 {
            return Some(if self.uplift.mean > l_star { 1.0 } else { 0.0 });
        }
        Some(crate::stats::std_normal().cdf((self.uplift.mean - l_star) / self.uplift.std_error))
    }

    /// ROI when each input moves 20% down and up, largest swing first.
    pub fn tornado(&self) -> Vec<TornadoBar> {
        let total_cost = self.total_cost();
        let base = Shocks::at(self.uplift.mean);
        let bars: Vec<TornadoBar> = [
            ("Measured uplift", 0usize),
            ("Users reached per month", 1),
            ("Gross margin", 2),
            ("Costs", 3),
            ("Retention benefit", 4),
            ("Operational savings", 5),
        ]
        .iter()
        .filter_map(|&(input, which)| {
            let shocked = |f: f64| {
                let mut k = base;
                match which {
                    0 => k.lift *= f,
                    1 => k.users = f,
                    2 => k.margin = f,
                    3 => k.cost = f,
                    4 => k.retention = f,
                    _ => k.savings = f,
                }
                self.roi_with(&k, total_cost)
            };
            let (lo, hi) = (shocked(0.8)?, shocked(1.2)?);
            // Inputs that do not move ROI (a switched-off benefit) are left out.
            ((hi - lo).abs() > 1e-12).then_some(TornadoBar {
                input: input.to_string(),
                roi_low: lo,
                roi_high: hi,
            })
        })
        .collect();
        // Widest swing first.
        let widths: Vec<f64> = bars
            .iter()
            .map(|b| -(b.roi_high - b.roi_low).abs())
            .collect();
        let mut bars: Vec<Option<TornadoBar>> = bars.into_iter().map(Some).collect();
        crate::stats::ascending(&widths)
            .into_iter()
            .filter_map(|i| bars.get_mut(i).and_then(Option::take))
            .collect()
    }

    /// Conservative, expected and optimistic cases: the uplift at the lower
    /// end of its interval, its estimate, and the upper end, where the
    /// interval is the estimate ± z·σ at `confidence`.
    pub fn named_scenarios(&self, confidence: f64) -> Vec<NamedScenario> {
        let z = crate::stats::z_critical(confidence);
        let (m, s) = (self.uplift.mean, self.uplift.std_error);
        [
            ("Conservative", m - z * s),
            ("Expected", m),
            ("Optimistic", m + z * s),
        ]
        .into_iter()
        .map(|(name, lift)| NamedScenario {
            name: name.to_string(),
            relative_uplift: lift,
            summary: self.summary_at(lift),
        })
        .collect()
    }
}

fn histogram(sorted: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<(f64, f64, u32)> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) || bins == 0 {
        return Vec::new();
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for &x in sorted {
        let i = (((x - lo) / width).floor().max(0.0) as usize).min(bins - 1);
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, c)| (lo + i as f64 * width, lo + (i + 1) as f64 * width, c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::{CostCategory, Frequency};

    fn model(mean: f64, se: f64) -> InvestmentModel {
        InvestmentModel {
            horizon_months: 12,
            costs: vec![
                CostItem {
                    category: CostCategory::Development,
                    label: "build".into(),
                    amount: Money(60_000.0),
                    frequency: Frequency::OneTime,
                    start_month: 1,
                },
                CostItem {
                    category: CostCategory::Technology,
                    label: "licence".into(),
                    amount: Money(5_000.0),
                    frequency: Frequency::Monthly,
                    start_month: 1,
                },
            ],
            inputs: InvestmentInputs::default(),
            // 100,000 users × $1.72 per user × 40% margin
            profit_per_unit_uplift: Money(68_800.0),
            monthly_users: 100_000.0,
            uplift: UpliftEstimate {
                mean,
                std_error: se,
            },
            gross_margin: Rate(0.4),
        }
    }

    #[test]
    fn break_even_gives_zero_roi() {
        let m = model(0.3, 0.08);
        let Some(l) = m.break_even_uplift() else {
            panic!()
        };
        // 120,000 of cost over 12 months = 10,000 a month = 68,800 × L
        assert!((l - 10_000.0 / 68_800.0).abs() < 1e-12, "{l}");
        assert!(m.roi_at(l).is_some_and(|r| r.abs() < 1e-12));
        let s = m.summary_at(l);
        assert!(s.net_profit.0.abs() < 1e-6);
    }

    /// The brief's oracle: with only the uplift uncertain, the simulated
    /// P(ROI > 0) converges to Φ((μ − L*)/σ).
    #[test]
    fn simulation_matches_closed_form_probability() {
        for (mean, se) in [(0.3, 0.08), (0.16, 0.05), (0.1, 0.1), (0.05, 0.02)] {
            let m = model(mean, se);
            let exact = m.probability_roi_positive_exact().unwrap_or(f64::NAN);
            let sim = m.simulate().map_or(f64::NAN, |d| d.probability_positive);
            // 10,000 draws: binomial standard error ≤ 0.005.
            assert!((sim - exact).abs() < 0.02, "{mean}/{se}: {sim} vs {exact}");
        }
    }

    #[test]
    fn simulation_is_reproducible_and_ordered() {
        let m = model(0.3, 0.08);
        let (a, b) = (m.simulate(), m.simulate());
        assert_eq!(a, b);
        let Some(d) = a else { panic!() };
        assert!(d.p5 <= d.p50 && d.p50 <= d.p95);
        let expected = m.roi_at(0.3).unwrap_or(f64::NAN);
        assert!((d.p50 - expected).abs() < 0.1, "{} vs {expected}", d.p50);
        let mut other = m.clone();
        other.inputs.uncertainty.seed += 1;
        assert_ne!(other.simulate(), Some(d));
    }

    /// Measured retention rates are drawn too: with the uplift known and
    /// only the rate with personalization uncertain, P(ROI > 0) is
    /// P(r_v > r*) = Φ((r_v − r*)/se) for the break-even rate r*, found here
    /// by bisection (the customer value rises with the rate).
    #[test]
    fn measured_retention_carries_its_uncertainty_into_the_simulation() {
        let mut m = model(0.1, 0.0);
        let r = &mut m.inputs.retention;
        r.switch.enabled = true;
        r.retention_control = Rate(0.60);
        r.retention_variant = Rate(0.65);
        r.new_customers_per_month = 200.0;
        let typed = m.simulate().map(|d| d.probability_positive);
        let cost = m.total_cost();
        let roi_at_rate = |v: f64| {
            let k = Shocks {
                rates: Some((0.60, v)),
                ..Shocks::at(0.1)
            };
            m.roi_with(&k, cost).unwrap_or(f64::NAN)
        };
        let (mut lo, mut hi) = (0.0, 1.0);
        for _ in 0..200 {
            let mid = (lo + hi) / 2.0;
            if roi_at_rate(mid) > 0.0 {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let se = 0.04;
        m.inputs.retention.std_error_variant = se;
        let exact = crate::stats::std_normal().cdf((0.65 - hi) / se);
        let Some(sim) = m.simulate() else { panic!() };
        assert!(
            (sim.probability_positive - exact).abs() < 0.02,
            "{} vs {exact}",
            sim.probability_positive
        );
        // The point estimate is between 0 and 1: the typed case is sure either way.
        assert!(exact > 0.05 && exact < 0.95, "{exact}");
        assert!(typed.is_some_and(|p| p == 0.0 || p == 1.0), "{typed:?}");
    }

    #[test]
    fn a_narrower_reach_scales_the_uplift_and_saves_per_user_costs() {
        let everyone = model(0.2, 0.05);
        let mut top = everyone.clone();
        top.inputs.set_reach(Reach {
            share: 0.3,
            gain: 1.2,
            cost_per_user: Money(0.05),
        });
        let (a, b) = (everyone.expected_benefits(), top.expected_benefits());
        // 68,800 × 0.2 × 1.2 + 0.05 × 70,000 users left out.
        assert!(
            (b.uplift.0 - (a.uplift.0 * 1.2 + 3_500.0)).abs() < 1e-6,
            "{b:?}"
        );
        let Some(l) = top.break_even_uplift() else {
            panic!()
        };
        assert!(top.roi_at(l).is_some_and(|r| r.abs() < 1e-12));
        assert!(top.break_even_uplift() < everyone.break_even_uplift());
        // Everyone, the default, is the model as it was.
        let mut same = everyone.clone();
        same.inputs.set_reach(Reach::default());
        assert_eq!(same.simulate(), everyone.simulate());
    }

    #[test]
    fn roi_is_monotone_in_uplift_and_anti_monotone_in_cost() {
        let m = model(0.3, 0.08);
        let mut last = f64::NEG_INFINITY;
        for i in 0..50 {
            let r = m.roi_at(-0.2 + 0.02 * f64::from(i)).unwrap_or(f64::NAN);
            assert!(r > last);
            last = r;
        }
        let mut dearer = m.clone();
        dearer.costs[0].amount = Money(90_000.0);
        assert!(dearer.roi_at(0.3) < m.roi_at(0.3));
    }

    #[test]
    fn payback_never_precedes_first_benefit() {
        let mut m = model(0.5, 0.08);
        m.inputs.benefit_start_month = 4;
        let s = m.summary_at(0.5);
        assert!(
            s.payback_month.is_none_or(|p| p >= 4),
            "{:?}",
            s.payback_month
        );
        assert_eq!(s.monthly[2].benefit, Money::ZERO);
    }

    #[test]
    fn tornado_puts_the_biggest_swing_first() {
        let m = model(0.3, 0.08);
        let bars = m.tornado();
        assert!(bars.len() >= 4, "{bars:?}");
        let swings: Vec<f64> = bars
            .iter()
            .map(|b| (b.roi_high - b.roi_low).abs())
            .collect();
        assert!(swings.windows(2).all(|w| w[0] >= w[1]));
        // Higher costs lower ROI.
        let costs = bars.iter().find(|b| b.input == "Costs");
        assert!(costs.is_some_and(|b| b.roi_high < b.roi_low));
    }

    #[test]
    fn named_scenarios_bracket_the_expected_case() {
        let m = model(0.3, 0.08);
        let s = m.named_scenarios(0.95);
        let rois: Vec<f64> = s
            .iter()
            .map(|x| x.summary.roi.map_or(f64::NAN, |r| r.0))
            .collect();
        assert!(rois[0] < rois[1] && rois[1] < rois[2], "{rois:?}");
    }

    #[test]
    fn seed_clv_retention_formula() {
        // margin 100, retention 80%, discount 10%: 100 × 0.8 / 0.3 = 266.67
        let c = clv_retention(Money(100.0), Rate(0.8), 0.1, 0);
        assert!((c.0 - 266.666_666_666_666_7).abs() < 1e-9);
        // The finite form tends to it.
        let f = clv_retention(Money(100.0), Rate(0.8), 0.1, 200);
        assert!((f.0 - c.0).abs() < 1e-6);
        let one = clv_retention(Money(100.0), Rate(0.8), 0.1, 1);
        assert!((one.0 - 100.0 * 0.8 / 1.1).abs() < 1e-12);
    }

    #[test]
    fn savings_and_retention_benefits_add_in() {
        let mut m = model(0.3, 0.08);
        let base = m.expected_benefits().total();
        m.inputs.savings.switch.enabled = true;
        // (200,000 − 140,000 + 20,000)/12
        assert!((m.savings_per_month().0 - 80_000.0 / 12.0).abs() < 1e-9);
        m.inputs.savings.switch.risk_adjustment = 0.1;
        assert!((m.savings_per_month().0 - 72_000.0 / 12.0).abs() < 1e-9);
        m.inputs.retention.switch.enabled = true;
        assert!(m.retention_per_month().0 > 0.0);
        assert!(m.expected_benefits().total().0 > base.0);
        // More fixed benefit lowers the uplift needed to break even.
        assert!(m.break_even_uplift() < model(0.3, 0.08).break_even_uplift());
    }
}

//! The profit of personalizing for the top of the ranking only, against
//! the share of users targeted.

use super::*;

/// Personalizing for the top of the ranking only: profit against the
/// share of users targeted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfitCurve {
    /// Share of the users targeted, highest scores first (0 to 1), and the
    /// profit per user of the whole audience there.
    pub share: Vec<f64>,
    pub profit: Vec<f64>,
    /// The best share and its profit per user (0 and 0 when targeting no
    /// one is best).
    pub best_share: f64,
    pub best_profit: f64,
    /// Targeting everyone.
    pub everyone_profit: f64,
}

impl ProfitCurve {
    /// The best share as a reach for the investment case: its gross
    /// incremental profit (before the per-user cost) as a multiple of
    /// everyone's, `(P(k*) + c·k*) / (P(1) + c)`, with `c` the cost per user
    /// the curve was drawn with. `None` when targeting no one (or everyone)
    /// is best, or personalizing for everyone earns nothing to scale.
    pub fn reach(&self, cost_per_user: f64) -> Option<crate::finance::model::Reach> {
        let everyone = self.everyone_profit + cost_per_user;
        let best = self.best_profit + cost_per_user * self.best_share;
        let narrower = self.best_share > 0.0 && self.best_share < 1.0;
        (narrower && everyone > 0.0 && best.is_finite()).then(|| crate::finance::model::Reach {
            share: self.best_share,
            gain: best / everyone,
            cost_per_user: crate::units::Money(cost_per_user),
        })
    }
}

/// The profit of targeting the top of the ranking: at each distinct score,
/// `(V_t / N_t − V_c / N_c) · N_k − cost · N_k`, divided by all users `N`,
/// where `N_k` users are targeted, `V` sums each user's value (revenue, or
/// the outcome times a value per response) over the treated and untreated
/// among them (the uplift curve of the value, as [`uplift_curve`]), and
/// `cost` is the cost of personalizing for one user. Thinned to about 100
/// points as [`evaluate`]'s curves; the best point is found on all of them.
pub fn profit_curve(
    units: &Units,
    value: &[f64],
    cost_per_user: f64,
) -> Result<ProfitCurve, TargetingError> {
    units.check()?;
    let n = units.score.len();
    if value.len() != n {
        return Err(TargetingError::Lengths {
            treated: units.treated.len(),
            outcome: value.len(),
            score: n,
        });
    }
    // Sums of a million amounts of 15 digits stay finite and exact enough.
    let amount = |v: f64| v.abs() <= 1e15;
    if let Some(row) = value.iter().position(|&v| !amount(v)) {
        return Err(TargetingError::TooLarge {
            what: format!("value of user {}", row + 1),
        });
    }
    if !amount(cost_per_user) {
        return Err(TargetingError::TooLarge {
            what: "cost per user".into(),
        });
    }
    let order = Units::ranked(&units.score);
    let (mut k, mut nt, mut vt, mut vc) = (0.0, 0.0, 0.0, 0.0);
    let mut points = vec![(0.0, 0.0)];
    for (j, &i) in order.iter().enumerate() {
        let v = value.get(i).copied().unwrap_or(0.0);
        k += 1.0;
        if units.treated.get(i).copied().unwrap_or(false) {
            nt += 1.0;
            vt += v;
        } else {
            vc += v;
        }
        let next = order.get(j + 1).and_then(|&m| units.score.get(m));
        if next != units.score.get(i) {
            let rate = |v: f64, n: f64| if n > 0.0 { v / n } else { 0.0 };
            let gain = (rate(vt, nt) - rate(vc, k - nt)) * k;
            points.push((k / n as f64, (gain - cost_per_user * k) / n as f64));
        }
    }
    let best = points
        .iter()
        .copied()
        .fold((0.0, 0.0), |b, p| if p.1 > b.1 { p } else { b });
    let everyone = points.last().map_or(0.0, |p| p.1);
    let step = points.len().div_ceil(100).max(1);
    let last = points.len().saturating_sub(1);
    let kept: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i == last)
        .map(|(_, p)| *p)
        .collect();
    Ok(ProfitCurve {
        share: kept.iter().map(|p| p.0).collect(),
        profit: kept.iter().map(|p| p.1).collect(),
        best_share: best.0,
        best_profit: best.1,
        everyone_profit: everyone,
    })
}

//! causalml's curves and scores (0.18.0, `causalml/metrics/visualize.py`):
//! read at every user, ties in file order, scaled by the curve's last
//! point, and averaged over the points (`qini_score`, `auuc_score`).

use super::*;

/// Users by `score`, highest first, tied users in file order: the order
/// a stable sort gives, used for causalml's curves (causalml's own sort
/// leaves ties in numpy's order; see [`causalml_qini_curve`]).
pub(super) fn ranked_in_file_order(score: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (score.get(a), score.get(b));
        sb.partial_cmp(&sa)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    order
}

/// A causalml curve: `value` of the running totals after each of the
/// first k users (k = 0, 1, …, n, highest scores first, ties in file
/// order), with pandas' linear interpolation (from 0 at k = 0) over the
/// leading users where `value` is undefined (`None`), and, with
/// `normalize`, divided by the absolute value of its last point.
pub(super) fn causalml_curve(
    units: &Units,
    value: fn(&Step) -> Option<f64>,
    normalize: bool,
) -> Result<Curve, TargetingError> {
    units.check()?;
    let order = ranked_in_file_order(&units.score);
    let n = order.len();
    let mut y = Vec::with_capacity(n + 1);
    y.push(0.0);
    let mut at = Step::default();
    // The points still undefined since the last defined one (only ever a
    // leading run: once both groups have a user, every value is defined).
    let mut pending = 0usize;
    for &i in &order {
        at.add(
            units.treated.get(i).copied().unwrap_or(false),
            units.outcome.get(i).copied().unwrap_or(0.0),
        );
        match value(&at) {
            None => pending += 1,
            Some(v) => {
                let start = y.last().copied().unwrap_or(0.0);
                let span = (pending + 1) as f64;
                for j in 1..=pending {
                    y.push(start + (v - start) * j as f64 / span);
                }
                pending = 0;
                y.push(v);
            }
        }
    }
    // Never left undefined past the last user (both groups are present),
    // but pandas would carry the last value forward.
    let last = y.last().copied().unwrap_or(0.0);
    y.extend(std::iter::repeat_n(last, pending));
    if normalize {
        let scale = last.abs();
        for v in &mut y {
            *v /= scale;
        }
    }
    Ok(Curve {
        x: (0..=n).map(|k| k as f64).collect(),
        y,
    })
}

/// causalml's Qini curve (`get_qini`, no true-effect column): with `k`
/// users targeted, highest scores first, `Y_t − Y_c · N_t / N_c` (the
/// treated users' responses less the untreated users' scaled to the
/// treated count), one point per user from 0 at k = 0; undefined while no
/// untreated user is in (`N_c = 0`), where pandas interpolates linearly
/// from 0 to the first defined point. With `normalize`, every point is
/// divided by the absolute value of the last one (not finite when the
/// treated and untreated respond equally often overall).
///
/// causalml sorts with pandas' default (unstable) quicksort, so the order
/// of tied users is numpy's and depends on the machine; here ties are in
/// file order, as a stable sort leaves them, which is what causalml gives
/// on the same ranking without ties.
pub fn causalml_qini_curve(units: &Units, normalize: bool) -> Result<Curve, TargetingError> {
    causalml_curve(
        units,
        |s| (s.control() > 0.0).then(|| s.y_treated - s.y_control * s.treated / s.control()),
        normalize,
    )
}

/// causalml's cumulative gain curve (`get_cumgain`, no true-effect
/// column): with `k` users targeted, highest scores first (ties in file
/// order, see [`causalml_qini_curve`]), `(Y_t / N_t − Y_c / N_c) · k`,
/// one point per user from 0 at k = 0. The difference of the response
/// rates (`get_cumlift`) is undefined while either group is empty, where
/// pandas interpolates it linearly from 0 to the first defined point
/// before it is multiplied by `k`. With `normalize`, every point is divided
/// by the absolute value of the last one.
pub fn causalml_gain_curve(units: &Units, normalize: bool) -> Result<Curve, TargetingError> {
    let lift = causalml_curve(
        units,
        |s| {
            (s.treated > 0.0 && s.control() > 0.0)
                .then(|| s.y_treated / s.treated - s.y_control / s.control())
        },
        false,
    )?;
    let mut gain: Vec<f64> = lift.x.iter().zip(&lift.y).map(|(k, l)| k * l).collect();
    if normalize {
        let scale = gain.last().copied().unwrap_or(0.0).abs();
        for v in &mut gain {
            *v /= scale;
        }
    }
    Ok(Curve { x: lift.x, y: gain })
}

/// causalml's `qini_score` with its defaults (normalize=True, tmle=False,
/// no true-effect column), from `causalml/metrics/visualize.py`: the area
/// between the normalised Qini curve `Q(k)` of [`causalml_qini_curve`]
/// and the random line (the straight line from `Q(0) = 0` to `Q(n)`), as
/// a mean over the n + 1 points:
///
/// `(Σₖ Q(k) − Σₖ Q(n)·k/n) / (n + 1) = mean(Q) − Q(n)/2`, k = 0, …, n.
///
/// `Q(n)` is ±1, so a random ranking scores about 0 and a good one can
/// score above 1 (the curve may rise above its end). Not finite when the
/// treated and untreated respond equally often overall (causalml divides
/// by zero). Ties in the score are in file order ([`causalml_qini_curve`]).
pub fn causalml_qini_score(units: &Units) -> Result<f64, TargetingError> {
    let q = causalml_qini_curve(units, true)?;
    let (Some(&end), points) = (q.y.last(), q.y.len() as f64) else {
        return Ok(f64::NAN);
    };
    let area: f64 = q.y.iter().sum();
    Ok((area - end * points / 2.0) / points)
}

/// causalml's `auuc_score` with its defaults (normalize=True, tmle=False,
/// no true-effect column), from `causalml/metrics/visualize.py`: the mean
/// over the n + 1 points k = 0, …, n of the normalised cumulative gain
/// curve `G(k)` of [`causalml_gain_curve`], `Σₖ G(k) / (n + 1)`.
///
/// A random ranking scores about 0.5, not 0 (no random line is taken
/// off). Not finite when the treated and untreated respond equally often
/// overall. Ties in the score are in file order ([`causalml_qini_curve`]).
pub fn causalml_auuc_score(units: &Units) -> Result<f64, TargetingError> {
    let g = causalml_gain_curve(units, true)?;
    let area: f64 = g.y.iter().sum();
    Ok(area / g.y.len() as f64)
}

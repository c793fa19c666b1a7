//! scikit-uplift's curves and areas (0.5.1, `sklift.metrics`): the Qini
//! and uplift curves read at every distinct score, the perfect curves, and
//! the areas between the curve and the random line over the perfect
//! ranking's (`qini_auc_score`, `uplift_auc_score`).

use super::*;

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Step {
    pub(super) all: f64,
    pub(super) treated: f64,
    pub(super) y_treated: f64,
    pub(super) y_control: f64,
}

impl Step {
    pub(super) fn add(&mut self, treated: bool, y: f64) {
        self.add_weighted(treated, y, 1.0);
    }

    pub(super) fn add_weighted(&mut self, treated: bool, y: f64, w: f64) {
        self.all += w;
        if treated {
            self.treated += w;
            self.y_treated += w * y;
        } else {
            self.y_control += w * y;
        }
    }

    pub(super) fn control(&self) -> f64 {
        self.all - self.treated
    }

    /// Incremental responders: `Y_t − Y_c · N_t / N_c`.
    pub(super) fn qini(&self) -> f64 {
        let c = self.control();
        self.y_treated
            - if c > 0.0 {
                self.y_control * self.treated / c
            } else {
                0.0
            }
    }

    /// `(Y_t / N_t − Y_c / N_c) · N`, a rate counted as 0 while its group
    /// is empty.
    pub(super) fn uplift(&self) -> f64 {
        let rate = |y: f64, n: f64| if n > 0.0 { y / n } else { 0.0 };
        (rate(self.y_treated, self.treated) - rate(self.y_control, self.control())) * self.all
    }
}

/// The Qini curve of `units` ranked by their score (scikit-uplift's
/// `qini_curve`).
pub fn qini_curve(units: &Units) -> Result<Curve, TargetingError> {
    units.check()?;
    Ok(units.curve(&units.score, Step::qini))
}

/// The uplift curve of `units` ranked by their score (scikit-uplift's
/// `uplift_curve`).
pub fn uplift_curve(units: &Units) -> Result<Curve, TargetingError> {
    units.check()?;
    Ok(units.curve(&units.score, Step::uplift))
}

/// The Qini curve of the best possible ranking (scikit-uplift's
/// `perfect_qini_curve`): with `negative_effect`, treated responders first
/// and untreated responders last (score `y·t − y·(1 − t)`); without, the
/// straight rise to the random curve's end and flat after it.
pub fn perfect_qini_curve(units: &Units, negative_effect: bool) -> Result<Curve, TargetingError> {
    units.check()?;
    if negative_effect {
        let score: Vec<f64> = units
            .treated
            .iter()
            .zip(&units.outcome)
            .map(|(&t, &y)| if t { y } else { -y })
            .collect();
        return Ok(units.curve(&score, Step::qini));
    }
    let last = units.total();
    let gain = last.qini();
    if gain < 0.0 {
        return Err(TargetingError::NoGain);
    }
    Ok(Curve {
        x: vec![0.0, gain, last.all],
        y: vec![0.0, gain, gain],
    })
}

/// The uplift curve of the best possible ranking (scikit-uplift's
/// `perfect_uplift_curve`): score `2·[y = t] + (y if untreated responders
/// outnumber treated non-responders, else t)`.
pub fn perfect_uplift_curve(units: &Units) -> Result<Curve, TargetingError> {
    units.check()?;
    let pairs = || units.treated.iter().zip(&units.outcome);
    let control_responders = pairs().filter(|&(&t, &y)| !t && y == 1.0).count();
    let treated_silent = pairs().filter(|&(&t, &y)| t && y == 0.0).count();
    let score: Vec<f64> = pairs()
        .map(|(&t, &y)| {
            let t = f64::from(u8::from(t));
            let same = if y == t { 2.0 } else { 0.0 };
            same + if control_responders > treated_silent {
                y
            } else {
                t
            }
        })
        .collect();
    Ok(units.curve(&score, Step::uplift))
}

/// The normalised area under the Qini curve (the Qini coefficient of
/// scikit-uplift's `qini_auc_score`): the area between the curve and the
/// random line over that of the perfect curve ([`perfect_qini_curve`]).
pub fn qini_auc_score(units: &Units, negative_effect: bool) -> Result<f64, TargetingError> {
    let actual = qini_curve(units)?;
    let perfect = perfect_qini_curve(units, negative_effect)?;
    Ok(normalised(&actual, &perfect))
}

/// The normalised area under the uplift curve (scikit-uplift's
/// `uplift_auc_score`), as [`qini_auc_score`] with uplift curves.
pub fn uplift_auc_score(units: &Units) -> Result<f64, TargetingError> {
    let actual = uplift_curve(units)?;
    let perfect = perfect_uplift_curve(units)?;
    Ok(normalised(&actual, &perfect))
}

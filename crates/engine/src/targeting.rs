//! Whom to personalize for: how well a model's score ranks users by the
//! uplift they get, from an experiment's users with their treatment flag,
//! a yes/no outcome and the score.
//!
//! The curves and areas are scikit-uplift's (0.5.1, `sklift.metrics`):
//! users are sorted by score, highest first, and the curve is read at every
//! distinct score, so tied users enter together. The Qini curve (Radcliffe
//! 2007) counts incremental responders, `Y_t − Y_c · N_t / N_c`; the uplift
//! curve is the difference of the response rates times the number
//! targeted, `(Y_t / N_t − Y_c / N_c) · N`. Their areas are normalised as
//! scikit-uplift's `qini_auc_score` and `uplift_auc_score`: the area
//! between the curve and the random line (the straight line to the
//! curve's end) over the same area of the perfect ranking, so a perfect
//! score gives 1 and a random one about 0.
//!
//! causalml's scores (0.18.0, `causalml.metrics`, in
//! `causalml/metrics/visualize.py`) are computed beside them
//! ([`causalml_qini_score`], [`causalml_auuc_score`]): their curves are read
//! at every user, not at every distinct score, scaled by the curve's last
//! point instead of the perfect curve, and averaged over the points.

use serde::{Deserialize, Serialize};

use crate::ingest::named::NamedCsv;
use crate::ingest::CsvError;
use thiserror::Error;

/// One experiment's users, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Units {
    pub treated: Vec<bool>,
    /// 1 for a response (a visit, a conversion), 0 otherwise.
    pub outcome: Vec<f64>,
    pub score: Vec<f64>,
}

/// Why the users cannot be evaluated. Messages are for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TargetingError {
    #[error("There are no users to evaluate.")]
    Empty,
    #[error("The columns have different lengths: {treated} treatment flags, {outcome} outcomes, {score} scores.")]
    Lengths {
        treated: usize,
        outcome: usize,
        score: usize,
    },
    #[error("User {row}: the outcome must be 1 or 0 (yes or no), not {value}.")]
    NotBinary { row: usize, value: f64 },
    #[error("User {row}: the score is not a finite number.")]
    NotFinite { row: usize },
    #[error("There are no {group} users: the curves compare treated users with untreated ones.")]
    NoGroup { group: &'static str },
    #[error("The treated respond less often than the untreated overall, so there is no best ranking without negative effects to compare with.")]
    NoGain,
    #[error("{bins} bins need more than {bins} users.")]
    TooManyBins { bins: usize },
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("The {what} is not an amount of at most 15 digits, too large to add up.")]
    TooLarge { what: String },
    #[error(
        "Nobody responded (every outcome is 0): there is no uplift for a score to rank users by."
    )]
    NoResponses,
    #[error("Everybody responded (every outcome is 1): there is no uplift for a score to rank users by.")]
    AllResponded,
}

/// Points of a curve: `x` users targeted (the highest scores first), `y`
/// the curve's value there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Curve {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl Curve {
    /// The area under the curve by the trapezoidal rule (as scikit-learn's
    /// `auc`).
    pub fn area(&self) -> f64 {
        self.x
            .windows(2)
            .zip(self.y.windows(2))
            .map(|(x, y)| match (x, y) {
                ([x0, x1], [y0, y1]) => (x1 - x0) * (y0 + y1) / 2.0,
                _ => 0.0,
            })
            .sum()
    }
}

impl Units {
    /// The users of a CSV file (one row per user) with the treatment flag,
    /// the outcome and the score in the named columns. Flags and outcomes
    /// are 1/0, true/false or yes/no; the score is a number. A cell that is
    /// not is reported with its line and column.
    pub fn read(
        text: &str,
        treatment: &str,
        outcome: &str,
        score: &str,
    ) -> Result<Units, TargetingError> {
        let wanted = [
            (treatment, Cell::Flag),
            (outcome, Cell::Flag),
            (score, Cell::Number),
        ];
        let mut columns = read_columns(text, &wanted)?.into_iter();
        let mut next = || columns.next().unwrap_or_default();
        let (t, y, s) = (next(), next(), next());
        Ok(Units {
            treated: t.iter().map(|&t| t > 0.0).collect(),
            outcome: y,
            score: s,
        })
    }

    /// The numbers in `column` of the same file, one per user (as
    /// [`Units::read`] reads its rows): a revenue per user, say.
    pub fn read_values(text: &str, column: &str) -> Result<Vec<f64>, TargetingError> {
        let mut columns = read_columns(text, &[(column, Cell::Amount)])?;
        Ok(columns.pop().unwrap_or_default())
    }

    fn check(&self) -> Result<(), TargetingError> {
        let n = self.score.len();
        if self.treated.len() != n || self.outcome.len() != n {
            return Err(TargetingError::Lengths {
                treated: self.treated.len(),
                outcome: self.outcome.len(),
                score: n,
            });
        }
        if n == 0 {
            return Err(TargetingError::Empty);
        }
        for (row, (&y, &s)) in self.outcome.iter().zip(&self.score).enumerate() {
            if y != 0.0 && y != 1.0 {
                return Err(TargetingError::NotBinary {
                    row: row + 1,
                    value: y,
                });
            }
            if !s.is_finite() {
                return Err(TargetingError::NotFinite { row: row + 1 });
            }
        }
        if !self.treated.iter().any(|&t| t) {
            return Err(TargetingError::NoGroup { group: "treated" });
        }
        if self.treated.iter().all(|&t| t) {
            return Err(TargetingError::NoGroup { group: "untreated" });
        }
        Ok(())
    }

    /// Users by `score`, highest first; tied users latest first (the order
    /// of scikit-uplift's reversed stable sort, which decides the bins).
    fn ranked(score: &[f64]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..score.len()).collect();
        order.sort_by(|&a, &b| {
            let (sa, sb) = (score.get(a), score.get(b));
            sb.partial_cmp(&sa)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(b.cmp(&a))
        });
        order
    }

    /// Running totals at each distinct score, highest first: users, treated
    /// users, treated responses, untreated responses.
    fn steps(&self, score: &[f64]) -> Vec<Step> {
        let order = Units::ranked(score);
        let mut steps = Vec::new();
        let mut at = Step::default();
        for (k, &i) in order.iter().enumerate() {
            at.add(
                self.treated.get(i).copied().unwrap_or(false),
                self.outcome.get(i).copied().unwrap_or(0.0),
            );
            let next = order.get(k + 1).and_then(|&j| score.get(j));
            if next != score.get(i) {
                steps.push(at);
            }
        }
        steps
    }

    /// The totals over all users.
    fn total(&self) -> Step {
        let mut at = Step::default();
        for (&t, &y) in self.treated.iter().zip(&self.outcome) {
            at.add(t, y);
        }
        at
    }

    fn curve(&self, score: &[f64], value: fn(&Step) -> f64) -> Curve {
        let steps = self.steps(score);
        let mut curve = Curve {
            x: Vec::with_capacity(steps.len() + 1),
            y: Vec::with_capacity(steps.len() + 1),
        };
        // scikit-uplift starts every curve at the origin.
        curve.x.push(0.0);
        curve.y.push(0.0);
        for s in &steps {
            curve.x.push(s.all);
            curve.y.push(value(s));
        }
        curve
    }
}

/// What a column must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// 1/0, true/false or yes/no, read as 1 or 0.
    Flag,
    /// A finite number.
    Number,
    /// A number of at most 15 digits before the point: an amount whose sums
    /// over a million users stay exact (1e308 made every sum infinite).
    Amount,
}

/// The named columns of a CSV file, one value per row (blank rows
/// skipped); a cell that does not hold what its column must is reported
/// with its line and column.
fn read_columns(text: &str, wanted: &[(&str, Cell)]) -> Result<Vec<Vec<f64>>, TargetingError> {
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    let at: Vec<(usize, &str, Cell)> = wanted
        .iter()
        .map(|&(column, kind)| {
            csv.find(column)
                .map(|i| (i, column, kind))
                .ok_or_else(|| CsvError::NoColumn {
                    column: column.to_string(),
                    found: csv.found(),
                })
        })
        .collect::<Result<_, _>>()?;
    let mut out = vec![Vec::new(); wanted.len()];
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        for (&(i, column, kind), values) in at.iter().zip(out.iter_mut()) {
            let raw = record.get(i).unwrap_or("").trim();
            let value = match kind {
                Cell::Flag => crate::ingest::parse_bool(raw)
                    .filter(|_| !raw.is_empty())
                    .map(|b| f64::from(u8::from(b))),
                Cell::Number => crate::decimal::parse_f64(raw).filter(|v| v.is_finite()),
                Cell::Amount => crate::decimal::parse_f64(raw).filter(|v| v.abs() <= 1e15),
            };
            let value = value.ok_or_else(|| CsvError::BadCell {
                line,
                column: column.to_string(),
                value: raw.to_string(),
                expected: match kind {
                    Cell::Flag => "1 or 0 (yes or no)",
                    Cell::Number => "a number",
                    Cell::Amount => "an amount of at most 15 digits",
                },
            })?;
            values.push(value);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, Default)]
struct Step {
    all: f64,
    treated: f64,
    y_treated: f64,
    y_control: f64,
}

impl Step {
    fn add(&mut self, treated: bool, y: f64) {
        self.add_weighted(treated, y, 1.0);
    }

    fn add_weighted(&mut self, treated: bool, y: f64, w: f64) {
        self.all += w;
        if treated {
            self.treated += w;
            self.y_treated += w * y;
        } else {
            self.y_control += w * y;
        }
    }

    fn control(&self) -> f64 {
        self.all - self.treated
    }

    /// Incremental responders: `Y_t − Y_c · N_t / N_c`.
    fn qini(&self) -> f64 {
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
    fn uplift(&self) -> f64 {
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

/// Users by `score`, highest first, tied users in file order: the order
/// a stable sort gives, used for causalml's curves (causalml's own sort
/// leaves ties in numpy's order; see [`causalml_qini_curve`]).
fn ranked_in_file_order(score: &[f64]) -> Vec<usize> {
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
fn causalml_curve(
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

/// `(A_actual − A_random) / (A_perfect − A_random)`, the random line being
/// the straight line to the perfect curve's last point.
fn normalised(actual: &Curve, perfect: &Curve) -> f64 {
    let (Some(&x), Some(&y)) = (perfect.x.last(), perfect.y.last()) else {
        return f64::NAN;
    };
    let random = x * y / 2.0;
    (actual.area() - random) / (perfect.area() - random)
}

/// Everything [`Units`] say about their score, for the command line and
/// the page: the areas, the curves (at most about 100 points each, at
/// every 1% of the users) and the uplift per bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetingReport {
    pub users: u64,
    pub treated: u64,
    /// NaN (`null` in JSON) when a perfect ranking is no better than a
    /// random one, as for the uplift AUC.
    #[serde(with = "crate::json_float")]
    pub qini_auc: f64,
    /// Against a perfect ranking without negative effects; `None` when the
    /// treated respond less often overall (there is no such ranking).
    pub qini_auc_no_negative: Option<f64>,
    #[serde(with = "crate::json_float")]
    pub uplift_auc: f64,
    /// causalml's `qini_score` ([`causalml_qini_score`]); `None` when not
    /// finite (the groups respond equally often overall).
    #[serde(default)]
    pub causalml_qini: Option<f64>,
    /// causalml's `auuc_score` ([`causalml_auuc_score`]); `None` when not
    /// finite.
    #[serde(default)]
    pub causalml_auuc: Option<f64>,
    pub qini_curve: Curve,
    pub uplift_curve: Curve,
    pub perfect_qini_curve: Curve,
    pub by_percentile: Vec<ScoreBin>,
}

/// Every area is normalised by the best ranking's, which is 0 without
/// responses (or without non-responses): said in words instead of as 0/0.
fn responses_vary(units: &Units) -> Result<(), TargetingError> {
    if units.outcome.is_empty() {
        return Ok(());
    }
    if units.outcome.iter().all(|&y| y == 0.0) {
        return Err(TargetingError::NoResponses);
    }
    if units.outcome.iter().all(|&y| y == 1.0) {
        return Err(TargetingError::AllResponded);
    }
    Ok(())
}

/// The [`TargetingReport`] of `units`, with `bins` bins (the overall
/// strategy).
pub fn evaluate(units: &Units, bins: usize) -> Result<TargetingReport, TargetingError> {
    responses_vary(units)?;
    let thin = |c: Curve| {
        let step = c.x.len().div_ceil(100).max(1);
        let last = c.x.len().saturating_sub(1);
        let keep = |i: &usize| i % step == 0 || *i == last;
        Curve {
            x: (0..c.x.len())
                .filter(keep)
                .filter_map(|i| c.x.get(i).copied())
                .collect(),
            y: (0..c.y.len())
                .filter(keep)
                .filter_map(|i| c.y.get(i).copied())
                .collect(),
        }
    };
    Ok(TargetingReport {
        users: units.score.len() as u64,
        treated: units.treated.iter().filter(|&&t| t).count() as u64,
        qini_auc: qini_auc_score(units, true)?,
        qini_auc_no_negative: qini_auc_score(units, false).ok(),
        uplift_auc: uplift_auc_score(units)?,
        causalml_qini: Some(causalml_qini_score(units)?).filter(|v| v.is_finite()),
        causalml_auuc: Some(causalml_auuc_score(units)?).filter(|v| v.is_finite()),
        qini_curve: thin(qini_curve(units)?),
        uplift_curve: thin(uplift_curve(units)?),
        perfect_qini_curve: thin(perfect_qini_curve(units, true)?),
        by_percentile: uplift_by_percentile(units, bins, BinStrategy::Overall)?,
    })
}

/// The Qini coefficient's uncertainty: a percentile bootstrap interval
/// (users resampled, the score's ranking kept) and the p-value of the score
/// against a random ranking (users put in a random order, as a score with
/// no information would). Resampling is the Poisson bootstrap: each user
/// counts a Poisson(1) number of times, independently (Hanley & MacGibbon
/// 2006, "Creating non-parametric bootstrap samples using Poisson
/// frequencies"; Chamandy et al. 2012 at Google), which for thousands of
/// users behaves as drawing n with replacement and needs one pass without
/// a table of counts. Run in batches, so a worker can report progress and
/// stop between them.
#[derive(Debug, Clone)]
pub struct QiniBootstrap {
    /// Users by score, highest first, as [`code`]s: treated, responded,
    /// last of its tied score. A byte each keeps a resample in the cache.
    ranked: Vec<u8>,
    /// The users in a random order, shuffled again for each ranking.
    shuffled: Vec<u8>,
    observed: f64,
    rng: crate::rng::Rng,
    boot: Vec<f64>,
    random: Vec<f64>,
    /// `1 / k` for every count of untreated users `k` a curve can reach
    /// (0 for none): a multiplication per step instead of a division.
    inverse: Vec<f64>,
    /// The perfect ranking's area and the random line's for the users as
    /// they are (each once): the same for every random ranking.
    unit: (f64, f64),
}

/// What [`QiniBootstrap`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QiniUncertainty {
    #[serde(with = "crate::json_float")]
    pub qini_auc: f64,
    /// The percentile interval at `confidence` over the resamples.
    pub ci: (f64, f64),
    pub confidence: f64,
    /// `(1 + #random rankings at least as good) / (1 + #random rankings)`.
    pub p_value_random: f64,
    pub resamples: usize,
}

impl QiniBootstrap {
    pub fn new(units: &Units, seed: u64) -> Result<QiniBootstrap, TargetingError> {
        responses_vary(units)?;
        let observed = qini_auc_score(units, true)?;
        let order = Units::ranked(&units.score);
        let ranked: Vec<u8> = order
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let next = order.get(k + 1).and_then(|&j| units.score.get(j));
                code(
                    units.treated.get(i).copied().unwrap_or(false),
                    units.outcome.get(i).is_some_and(|&y| y > 0.0),
                    next != units.score.get(i),
                )
            })
            .collect();
        // With no score, every user is a step of its own.
        let shuffled = ranked.iter().map(|&c| c | END).collect();
        // A Poisson resample's total is n ± a few √n: twice n is ample,
        // and a count beyond it is divided directly.
        let inverse = (0..=2 * ranked.len())
            .map(|k| if k == 0 { 0.0 } else { 1.0 / k as f64 })
            .collect::<Vec<f64>>();
        let kinds = ranked.iter().fold([0u64; 4], |mut k, &c| {
            if let Some(x) = k.get_mut(usize::from(c & (TREATED | RESPONDED))) {
                *x += 1;
            }
            k
        });
        let unit = perfect_and_random(kinds, &inverse);
        Ok(QiniBootstrap {
            ranked,
            shuffled,
            observed,
            rng: crate::rng::Rng::new(seed),
            boot: Vec::new(),
            random: Vec::new(),
            inverse,
            unit,
        })
    }

    /// Resamples done so far.
    pub fn done(&self) -> usize {
        self.boot.len()
    }

    /// Draw `count` more resamples and as many random rankings.
    pub fn run(&mut self, count: usize) {
        let Self {
            ranked,
            shuffled,
            rng,
            boot,
            random,
            inverse,
            unit,
            ..
        } = self;

        for _ in 0..count {
            // Each user drawn a Poisson(1) number of times, two users per
            // random number, in one pass with the curve.
            let mut bits = Bits::default();
            let drawn = ranked.iter().map(|&c| (c, poisson_one(bits.next_u32(rng))));
            boot.push(weighted_qini_auc(drawn, inverse));
            // A random ranking: the users shuffled as the curve is summed.
            let (perfect, line) = *unit;
            random.push((shuffled_qini_area(shuffled, rng, inverse) - line) / (perfect - line));
        }
    }

    /// The interval and p-value from the resamples so far.
    pub fn result(&self, confidence: f64) -> QiniUncertainty {
        self.draws().uncertainty(confidence)
    }

    /// The Qini coefficients drawn so far, to be joined with other runs'
    /// (several workers, each with its own seed).
    pub fn draws(&self) -> QiniDraws {
        QiniDraws {
            observed: self.observed,
            boot: self.boot.clone(),
            random: self.random.clone(),
        }
    }
}

/// The observed Qini coefficient with resampled and random-ranking ones.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QiniDraws {
    pub observed: f64,
    pub boot: Vec<f64>,
    pub random: Vec<f64>,
}

impl QiniDraws {
    /// Add another run's draws (of the same users).
    pub fn join(&mut self, other: QiniDraws) {
        self.observed = other.observed;
        self.boot.extend(other.boot);
        self.random.extend(other.random);
    }

    /// The percentile interval at `confidence` over the resamples
    /// (linear interpolation between order statistics, numpy's default) and
    /// the p-value against the random rankings.
    pub fn uncertainty(&self, confidence: f64) -> QiniUncertainty {
        let mut sorted: Vec<f64> = self
            .boot
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        sorted.sort_by(f64::total_cmp);
        let quantile = |q: f64| {
            let last = sorted.len().saturating_sub(1);
            let pos = q * last as f64;
            let lo = pos.floor() as usize;
            let at = |i: usize| sorted.get(i.min(last)).copied().unwrap_or(f64::NAN);
            at(lo) + (at(lo + 1) - at(lo)) * (pos - lo as f64)
        };
        let tail = (1.0 - confidence) / 2.0;
        let better = self.random.iter().filter(|&&r| r >= self.observed).count();
        QiniUncertainty {
            qini_auc: self.observed,
            ci: (quantile(tail), quantile(1.0 - tail)),
            confidence,
            p_value_random: (1 + better) as f64 / (1 + self.random.len()) as f64,
            resamples: self.boot.len(),
        }
    }
}

const TREATED: u8 = 1;
const RESPONDED: u8 = 2;
const END: u8 = 4;

/// A user as one byte: treated, responded, last of its tied score.
fn code(treated: bool, responded: bool, end: bool) -> u8 {
    u8::from(treated) * TREATED + u8::from(responded) * RESPONDED + u8::from(end) * END
}

/// 32-bit random numbers, two from each 64-bit one.
#[derive(Default)]
struct Bits {
    word: u64,
    left: u8,
}

impl Bits {
    fn next_u32(&mut self, rng: &mut crate::rng::Rng) -> u32 {
        if self.left == 0 {
            self.word = rng.next_u64();
            self.left = 2;
        }
        self.left -= 1;
        let out = (self.word >> 32) as u32;
        self.word <<= 32;
        out
    }
}

/// P(K ≤ k) for K ~ Poisson(1), k = 0…9, times 2^32.
const POISSON_ONE: [u32; 10] = [
    1_580_030_168,
    3_160_060_337,
    3_950_075_421,
    4_213_413_783,
    4_279_248_373,
    4_292_415_291,
    4_294_609_777,
    4_294_923_276,
    4_294_962_463,
    4_294_966_817,
];

/// A Poisson(1) draw from a uniform 32-bit number, by inversion (at most
/// 10: the chance of more is 1e-8).
fn poisson_one(u: u32) -> u32 {
    // Every threshold compared, without branches: which way a comparison
    // goes is random, so a branch would be mispredicted half the time.
    POISSON_ONE.iter().map(|&t| u32::from(u >= t)).sum()
}

/// A uniform integer below `n` (Lemire's multiply-shift: no division, and
/// a bias below n / 2^64): the high 64 bits of `r·n`. For `n < 2^32` they
/// are computed from two 64-bit products, which gives the same number
/// without the 128-bit multiplication WebAssembly has to emulate.
fn below(rng: &mut crate::rng::Rng, n: usize) -> usize {
    let r = rng.next_u64();
    let n = n as u64;
    if n >> 32 == 0 {
        // r·n = (hi·n)·2^32 + lo·n, and lo·n's low 32 bits cannot carry
        // into the high 64: ⌊r·n / 2^64⌋ = ⌊(hi·n + ⌊lo·n / 2^32⌋) / 2^32⌋.
        let (hi, lo) = (r >> 32, r & 0xffff_ffff);
        ((hi * n + ((lo * n) >> 32)) >> 32) as usize
    } else {
        ((u128::from(r) * u128::from(n)) >> 64) as usize
    }
}

/// `Y_t − Y_c · N_t / N_c` at a point of a curve, with `inverse[k] = 1/k`
/// for the untreated count `k` (divided directly past the table's end).
fn qini_value(inverse: &[f64], all: u64, treated: u64, y_treated: u64, y_control: u64) -> f64 {
    let inv = usize::try_from(all - treated)
        .ok()
        .map(|k| inverse.get(k).copied().unwrap_or(1.0 / k as f64))
        .unwrap_or(0.0);
    y_treated as f64 - y_control as f64 * treated as f64 * inv
}

/// The perfect ranking's area and the random line's, from the number of
/// users of each kind ([`code`] without the step bit): treated responders
/// first, then everyone else, then untreated responders.
fn perfect_and_random(kinds: [u64; 4], inverse: &[f64]) -> (f64, f64) {
    let kind = |c: u8| kinds.get(usize::from(c)).copied().unwrap_or(0);
    let (tr, t0, r0, none) = (
        kind(TREATED | RESPONDED),
        kind(TREATED),
        kind(RESPONDED),
        kind(0),
    );
    let steps = [
        (tr, tr, tr, 0),
        (tr + t0 + none, tr + t0, tr, 0),
        (tr + t0 + none + r0, tr + t0, tr, r0),
    ];
    let (mut perfect_area, mut px, mut py) = (0.0, 0.0, 0.0);
    for (all, treated, y_treated, y_control) in steps {
        let (x1, y1) = (
            all as f64,
            qini_value(inverse, all, treated, y_treated, y_control),
        );
        perfect_area += (x1 - px) * (py + y1) / 2.0;
        (px, py) = (x1, y1);
    }
    (perfect_area, px * py / 2.0)
}

/// [`qini_auc_score`] of users given in ranking order as ([`code`], how
/// often drawn), `inverse[k]` being `1 / k` for the untreated counts the
/// users reach.
fn weighted_qini_auc(users: impl Iterator<Item = (u8, u32)>, inverse: &[f64]) -> f64 {
    // Whole-number running totals (the weights are counts): integer adds
    // do not wait on each other as floating-point ones do.
    let (mut all, mut treated, mut y_treated, mut y_control) = (0u64, 0u64, 0u64, 0u64);
    let mut kinds = [0u64; 4];
    let (mut area, mut x, mut y) = (0.0, 0.0, 0.0);
    for (c, w) in users {
        let w = u64::from(w);
        let t = u64::from(c & TREATED);
        let r = u64::from((c & RESPONDED) >> 1);
        all += w;
        treated += w * t;
        y_treated += w * t * r;
        y_control += w * (1 - t) * r;
        if let Some(k) = kinds.get_mut(usize::from(c & (TREATED | RESPONDED))) {
            *k += w;
        }
        if c & END != 0 {
            let x1 = all as f64;
            let y1 = qini_value(inverse, all, treated, y_treated, y_control);
            area += (x1 - x) * (y + y1) / 2.0;
            (x, y) = (x1, y1);
        }
    }
    let (perfect, random) = perfect_and_random(kinds, inverse);
    (area - random) / (perfect - random)
}

/// Shuffle `users` (Fisher–Yates, front to back: place `k` is settled at
/// step `k`) and return the area under the Qini curve of that random
/// order, in the same pass. Each user is a step of its own (a random
/// ranking has no ties): with x advancing by 1 the trapezoids sum to
/// `Σ_k y_k − y_n / 2`. The caller normalises it; the totals, and so the
/// perfect ranking, do not change between orders.
fn shuffled_qini_area(users: &mut [u8], rng: &mut crate::rng::Rng, inverse: &[f64]) -> f64 {
    let n = users.len();
    let mut bits = Bits::default();
    let (mut treated, mut y_treated, mut y_control) = (0u32, 0u32, 0u32);
    let (mut sum, mut y) = (0.0, 0.0);
    for k in 0..n {
        let left = n - k;
        let j = k + match u32::try_from(left) {
            Ok(m) => ((u64::from(bits.next_u32(rng)) * u64::from(m)) >> 32) as usize,
            Err(_) => below(rng, left),
        };
        users.swap(k, j);
        let c = users.get(k).copied().unwrap_or(0);
        let t = u32::from(c & TREATED);
        let r = u32::from((c & RESPONDED) >> 1);
        treated += t;
        y_treated += t & r;
        y_control += (1 - t) & r;
        let inv = inverse
            .get(k + 1 - treated as usize)
            .copied()
            .unwrap_or(0.0);
        y = f64::from(y_treated) - f64::from(y_control) * f64::from(treated) * inv;
        sum += y;
    }
    sum - y / 2.0
}

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

/// How users are put into bins (scikit-uplift's `strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStrategy {
    /// All users ranked by score and cut into equal bins; each bin's
    /// treated and untreated users compared.
    Overall,
    /// Treated and untreated users ranked and cut separately.
    ByGroup,
}

/// One bin of users by score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreBin {
    /// "0-10": the bin's place, in percent of the ranking.
    pub percentile: String,
    pub n_treatment: u64,
    pub n_control: u64,
    /// Response rates (NaN for an empty group, `null` in JSON) and their
    /// difference.
    #[serde(with = "crate::json_float")]
    pub response_rate_treatment: f64,
    #[serde(with = "crate::json_float")]
    pub response_rate_control: f64,
    #[serde(with = "crate::json_float")]
    pub uplift: f64,
    /// Binomial standard errors `√(p(1 − p)/n)`, and the uplift's
    /// `√(se_t² + se_c²)`.
    #[serde(with = "crate::json_float")]
    pub std_treatment: f64,
    #[serde(with = "crate::json_float")]
    pub std_control: f64,
    #[serde(with = "crate::json_float")]
    pub std_uplift: f64,
}

/// The uplift in `bins` bins of the score (scikit-uplift's
/// `uplift_by_percentile` with `std=True`), then a row "total" over all
/// users. Bins are cut as numpy's `array_split`: the first `n mod bins`
/// bins get one user more.
pub fn uplift_by_percentile(
    units: &Units,
    bins: usize,
    strategy: BinStrategy,
) -> Result<Vec<ScoreBin>, TargetingError> {
    units.check()?;
    let n = units.score.len();
    if bins == 0 || bins >= n {
        return Err(TargetingError::TooManyBins { bins });
    }
    let order = Units::ranked(&units.score);
    let is_treated = |i: &usize| units.treated.get(*i).copied().unwrap_or(false);
    let outcome = |i: &usize| units.outcome.get(*i).copied().unwrap_or(0.0);
    // (treated, untreated) users of each bin.
    let groups: Vec<(Vec<usize>, Vec<usize>)> = match strategy {
        BinStrategy::Overall => split(&order, bins)
            .into_iter()
            .map(|b| b.iter().copied().partition(is_treated))
            .collect(),
        BinStrategy::ByGroup => {
            let (t, c): (Vec<usize>, Vec<usize>) = order.iter().copied().partition(is_treated);
            split(&t, bins)
                .into_iter()
                .zip(split(&c, bins))
                .map(|(t, c)| (t.to_vec(), c.to_vec()))
                .collect()
        }
    };
    let labels = percentile_labels(bins);
    let mut out: Vec<ScoreBin> = groups
        .iter()
        .zip(labels)
        .map(|((t, c), label)| {
            let rate = |g: &[usize]| g.iter().map(outcome).sum::<f64>() / g.len() as f64;
            bin(label, (t.len(), rate(t)), (c.len(), rate(c)))
        })
        .collect();
    let (t, c): (Vec<usize>, Vec<usize>) = order.iter().copied().partition(is_treated);
    let rate = |g: &[usize]| g.iter().map(outcome).sum::<f64>() / g.len() as f64;
    out.push(bin(
        "total".into(),
        (t.len(), rate(&t)),
        (c.len(), rate(&c)),
    ));
    Ok(out)
}

fn bin(percentile: String, (nt, pt): (usize, f64), (nc, pc): (usize, f64)) -> ScoreBin {
    let se = |p: f64, n: usize| (p * (1.0 - p) / n as f64).sqrt();
    let (st, sc) = (se(pt, nt), se(pc, nc));
    ScoreBin {
        percentile,
        n_treatment: nt as u64,
        n_control: nc as u64,
        response_rate_treatment: pt,
        response_rate_control: pc,
        uplift: pt - pc,
        std_treatment: st,
        std_control: sc,
        std_uplift: (st * st + sc * sc).sqrt(),
    }
}

/// `items` in `bins` consecutive parts, the first `len mod bins` one longer.
fn split(items: &[usize], bins: usize) -> Vec<&[usize]> {
    let (size, extra) = (items.len() / bins, items.len() % bins);
    let mut rest = items;
    (0..bins)
        .map(|k| {
            let take = (size + usize::from(k < extra)).min(rest.len());
            let (part, after) = rest.split_at(take);
            rest = after;
            part
        })
        .collect()
}

/// "0-10", "10-20", …: each bin's upper edge in percent, rounded half to
/// even as Python's `round`.
fn percentile_labels(bins: usize) -> Vec<String> {
    let edges: Vec<i64> = (1..=bins)
        .map(|p| (p as f64 * 100.0 / bins as f64).round_ties_even() as i64)
        .collect();
    std::iter::once(0)
        .chain(edges.iter().copied())
        .zip(&edges)
        .map(|(a, b)| format!("{a}-{b}"))
        .collect()
}

/// The columns a targeting file most likely holds, guessed from its
/// headers for the page's defaults: the first header naming a score
/// (score, uplift, propensity, prediction), a treatment flag (treatment,
/// treated, group, variant), an outcome (conversion, converted, visit,
/// outcome, response) and a value per user (revenue, spend, amount).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ColumnGuess {
    pub score: Option<String>,
    pub treatment: Option<String>,
    pub outcome: Option<String>,
    pub revenue: Option<String>,
}

/// [`ColumnGuess`] of `headers`; a header is used for one role only.
pub fn guess_columns(headers: &[String]) -> ColumnGuess {
    use crate::ingest::guess_header;
    let score = guess_header(headers, &["score", "uplift", "propensity", "predict"], &[]);
    let mut taken: Vec<String> = score.iter().cloned().collect();
    let mut pick = |words: &[&str]| {
        let found = guess_header(headers, words, &taken)?;
        taken.push(found.clone());
        Some(found)
    };
    ColumnGuess {
        treatment: pick(&["treat", "group", "variant", "arm"]),
        outcome: pick(&["conver", "visit", "outcome", "response", "purchase"]),
        revenue: pick(&["revenue", "spend", "amount", "value"]),
        score,
    }
}

/// A sample targeting file of `users` users: half treated at random; a
/// hidden benefit `u` in [0, 1) raises a treated user's response rate from
/// 10% by up to 8 points (and lowers it by 2 points at `u = 0`); the score
/// is `u` seen through noise, as a model's would be; revenue is 40 per
/// response. For trying the page without a file.
pub fn sample_csv(users: usize, seed: u64) -> String {
    let mut rng = crate::rng::Rng::new(seed);
    let mut out = String::from("user_id,score,treatment,conversion,revenue\n");
    for i in 0..users {
        let u = rng.uniform();
        let treated = rng.uniform() < 0.5;
        let rate = 0.10 + if treated { 0.10 * u - 0.02 } else { 0.0 };
        let converted = rng.uniform() < rate;
        let score = u + 0.25 * rng.normal();
        let revenue = if converted { 40 } else { 0 };
        out.push_str(&format!(
            "{},{score:.4},{},{},{revenue}\n",
            i + 1,
            u8::from(treated),
            u8::from(converted)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(y: &[u8], s: &[f64], t: &[u8]) -> Units {
        Units {
            treated: t.iter().map(|&t| t == 1).collect(),
            outcome: y.iter().map(|&y| f64::from(y)).collect(),
            score: s.to_vec(),
        }
    }

    #[test]
    fn no_responses_are_said_in_words_not_as_missing_numbers() {
        let s = [0.1, 0.4, 0.3, 0.2];
        let nobody = units(&[0, 0, 0, 0], &s, &[1, 0, 1, 0]);
        assert_eq!(
            evaluate(&nobody, 2).err().map(|e| e.to_string()).as_deref(),
            Some("Nobody responded (every outcome is 0): there is no uplift for a score to rank users by.")
        );
        let everybody = units(&[1, 1, 1, 1], &s, &[1, 0, 1, 0]);
        assert_eq!(
            evaluate(&everybody, 2).err(),
            Some(TargetingError::AllResponded)
        );
        assert!(evaluate(&units(&[1, 0, 0, 1], &s, &[1, 0, 1, 0]), 2).is_ok());
    }

    #[test]
    fn a_perfect_ranking_of_two_users_scores_one() {
        // scikit-uplift's own case: qini_auc_score([0,1],[.1,.3],[1,0]) = 1.
        let u = units(&[0, 1], &[0.1, 0.3], &[1, 0]);
        assert_eq!(qini_auc_score(&u, true), Ok(1.0));
    }

    #[test]
    fn bad_input_is_named() {
        let u = units(&[0, 2], &[0.1, 0.3], &[1, 0]);
        assert_eq!(
            qini_curve(&u),
            Err(TargetingError::NotBinary { row: 2, value: 2.0 })
        );
        let u = units(&[0, 1], &[0.1, f64::NAN], &[1, 0]);
        assert_eq!(qini_curve(&u), Err(TargetingError::NotFinite { row: 2 }));
        let u = units(&[0, 1], &[0.1, 0.2], &[1, 1]);
        assert_eq!(
            qini_curve(&u),
            Err(TargetingError::NoGroup { group: "untreated" })
        );
        assert_eq!(qini_curve(&Units::default()), Err(TargetingError::Empty));
        let u = units(&[0, 1], &[0.1, 0.2], &[1, 0]);
        assert_eq!(
            uplift_by_percentile(&u, 2, BinStrategy::Overall),
            Err(TargetingError::TooManyBins { bins: 2 })
        );
    }

    #[test]
    fn a_file_is_read_with_its_problems_named() {
        let text = "user,email,visit,score\n1,1,yes,0.5\n2,0,no,0.25\n\n3,TRUE,0,-1e-2\n";
        let Ok(u) = Units::read(text, "email", "visit", "score") else {
            panic!("reads")
        };
        assert_eq!(u.treated, [true, false, true]);
        assert_eq!(u.outcome, [1.0, 0.0, 0.0]);
        assert_eq!(u.score, [0.5, 0.25, -0.01]);
        let bad = "email,visit,score\n1,1,0.5\n0,maybe,0.1\n";
        assert_eq!(
            Units::read(bad, "email", "visit", "score").map_err(|e| e.to_string()),
            Err("Line 3, column 'visit': \"maybe\" is not 1 or 0 (yes or no).".into())
        );
        // Blank lines count: the problem is on the fifth line of the file.
        let bad = "email,visit,score\n1,1,0.5\n\n\n0,1,high\n";
        assert!(matches!(
            Units::read(bad, "email", "visit", "score"),
            Err(TargetingError::Csv(CsvError::BadCell { line: 5, .. }))
        ));
        let bad = "email,visit,score\n1,1,high\n";
        assert!(matches!(
            Units::read(bad, "email", "visit", "score"),
            Err(TargetingError::Csv(CsvError::BadCell {
                line: 2,
                expected: "a number",
                ..
            }))
        ));
        assert!(matches!(
            Units::read(bad, "treated", "visit", "score"),
            Err(TargetingError::Csv(CsvError::NoColumn { .. }))
        ));
    }

    #[test]
    fn the_report_thins_its_curves_to_about_a_hundred_points() {
        let n = 1000;
        let u = Units {
            treated: (0..n).map(|i| i % 2 == 0).collect(),
            outcome: (0..n).map(|i| f64::from(u8::from(i % 3 == 0))).collect(),
            score: (0..n).map(f64::from).collect(),
        };
        let Ok(r) = evaluate(&u, 10) else {
            panic!("evaluates")
        };
        assert!(r.qini_curve.x.len() <= 102, "{}", r.qini_curve.x.len());
        assert_eq!(r.qini_curve.x.last(), Some(&1000.0));
        assert_eq!(r.qini_curve.x.first(), Some(&0.0));
        assert_eq!(r.by_percentile.len(), 11);
        assert_eq!((r.users, r.treated), (1000, 500));
        let full = qini_curve(&u).map(|c| c.y.last().copied());
        assert_eq!(full, Ok(r.qini_curve.y.last().copied()));
    }

    fn simulated(n: usize, seed: u64, informative: bool) -> Units {
        let mut rng = crate::rng::Rng::new(seed);
        let mut u = Units::default();
        for _ in 0..n {
            let t = rng.uniform() < 0.5;
            let s = rng.normal();
            // Treatment helps only users with a positive score.
            let p = 0.2
                + if t && s > 0.0 && informative {
                    0.15
                } else {
                    0.0
                };
            u.treated.push(t);
            u.outcome.push(f64::from(u8::from(rng.uniform() < p)));
            u.score.push(s);
        }
        u
    }

    #[test]
    fn unit_weights_give_the_qini_coefficient() {
        let u = simulated(300, 1, true);
        let Ok(b) = QiniBootstrap::new(&u, 9) else {
            panic!("starts")
        };
        let ones = b.ranked.iter().map(|&c| (c, 1));
        let want = qini_auc_score(&u, true).unwrap_or(f64::NAN);
        assert!((weighted_qini_auc(ones, &b.inverse) - want).abs() < 1e-12);
        // Rounded scores: ties, which enter the curve together.
        let mut tied = u.clone();
        tied.score.iter_mut().for_each(|s| *s = (*s * 2.0).round());
        let Ok(b) = QiniBootstrap::new(&tied, 9) else {
            panic!("starts")
        };
        let ones = b.ranked.iter().map(|&c| (c, 1));
        let want = qini_auc_score(&tied, true).unwrap_or(f64::NAN);
        assert!((weighted_qini_auc(ones, &b.inverse) - want).abs() < 1e-12);
    }

    #[test]
    fn an_informative_score_beats_random_rankings_and_a_random_one_does_not() {
        let Ok(mut good) = QiniBootstrap::new(&simulated(2000, 3, true), 5) else {
            panic!("starts")
        };
        good.run(200);
        let r = good.result(0.95);
        assert_eq!(r.resamples, 200);
        assert!(
            r.ci.0 > 0.0 && r.ci.0 < r.qini_auc && r.qini_auc < r.ci.1,
            "{r:?}"
        );
        assert!(r.p_value_random < 0.01, "{r:?}");
        let Ok(mut noise) = QiniBootstrap::new(&simulated(2000, 4, false), 5) else {
            panic!("starts")
        };
        noise.run(200);
        let r = noise.result(0.95);
        assert!(r.ci.0 < 0.0 && 0.0 < r.ci.1, "{r:?}");
        assert!(r.p_value_random > 0.05, "{r:?}");
    }

    #[test]
    fn the_interval_of_a_random_score_covers_zero_in_at_least_94_percent_of_experiments() {
        // 500 simulated experiments, 400 users each, a score with no
        // information: how often the 95% bootstrap interval contains 0.
        let covered = (0..500)
            .filter(|&k| {
                let Ok(mut b) = QiniBootstrap::new(&simulated(400, 1000 + k, false), k) else {
                    return false;
                };
                b.run(200);
                let (lo, hi) = b.result(0.95).ci;
                lo <= 0.0 && 0.0 <= hi
            })
            .count();
        eprintln!("a random score's 95% interval covers 0 in {covered} of 500 experiments");
        assert!(covered >= 470, "{covered} of 500");
    }

    #[test]
    fn profit_is_the_value_s_uplift_curve_less_the_cost_of_those_targeted() {
        let u = simulated(2000, 7, true);
        // Value 1 per response and no cost: the uplift curve per user.
        let Ok(p) = profit_curve(&u, &u.outcome, 0.0) else {
            panic!("computes")
        };
        let Ok(c) = uplift_curve(&u) else {
            panic!("curve")
        };
        let n = 2000.0;
        assert_eq!(p.share.first(), Some(&0.0));
        assert_eq!(p.share.last(), Some(&1.0));
        assert!((p.everyone_profit - c.y.last().copied().unwrap_or(0.0) / n).abs() < 1e-12);
        // 30 per response, 1.5 per user targeted: by hand at every point.
        let value: Vec<f64> = u.outcome.iter().map(|y| 30.0 * y).collect();
        let Ok(p) = profit_curve(&u, &value, 1.5) else {
            panic!("computes")
        };
        let full: Vec<(f64, f64)> =
            c.x.iter()
                .zip(&c.y)
                .map(|(&x, &y)| (x / n, (30.0 * y - 1.5 * x) / n))
                .collect();
        for (s, v) in p.share.iter().zip(&p.profit) {
            let Some(want) = full.iter().find(|f| f.0 == *s) else {
                panic!("share {s} is a point of the curve")
            };
            assert!((v - want.1).abs() < 1e-9, "{s}: {v} vs {}", want.1);
        }
        let best = full
            .iter()
            .fold((0.0, 0.0), |b, &p| if p.1 > b.1 { p } else { b });
        assert_eq!(p.best_share, best.0);
        // As a reach: the top share's gross gain over everyone's.
        let Some(reach) = p.reach(1.5) else {
            panic!("a reach")
        };
        let gross = |share: f64| {
            let y = c.x.iter().zip(&c.y).find(|(x, _)| **x / n == share);
            y.map_or(f64::NAN, |(_, y)| 30.0 * y)
        };
        assert_eq!(reach.share, p.best_share);
        assert!(
            (reach.gain - gross(best.0) / gross(1.0)).abs() < 1e-12,
            "{reach:?}"
        );
        let nobody = ProfitCurve {
            best_share: 0.0,
            ..p.clone()
        };
        assert_eq!(nobody.reach(1.5), None);
        let everyone = ProfitCurve {
            best_share: 1.0,
            ..p.clone()
        };
        assert_eq!(everyone.reach(1.5), None);
        assert!((p.best_profit - best.1).abs() < 1e-12);
        // The score finds the users it helps (half of them): targeting
        // about half beats targeting everyone.
        assert!(p.best_share > 0.3 && p.best_share < 0.7, "{p:?}");
        assert!(p.best_profit > p.everyone_profit);
    }

    #[test]
    fn a_value_column_is_read_with_its_problems_named() {
        let text = "t,y,score,revenue\n1,1,0.5,30\n0,0,0.2,0\n";
        assert_eq!(Units::read_values(text, "revenue"), Ok(vec![30.0, 0.0]));
        let bad = "t,y,score,revenue\n1,1,0.5,30\n0,0,0.2,n/a\n";
        assert!(matches!(
            Units::read_values(bad, "revenue"),
            Err(TargetingError::Csv(CsvError::BadCell { line: 3, .. }))
        ));
    }

    #[test]
    fn labels_round_half_to_even_as_python() {
        assert_eq!(percentile_labels(4), ["0-25", "25-50", "50-75", "75-100"]);
        assert_eq!(
            percentile_labels(8),
            ["0-12", "12-25", "25-38", "38-50", "50-62", "62-75", "75-88", "88-100"]
        );
        let parts = split(&[0, 1, 2, 3, 4, 5, 6], 3);
        assert_eq!(parts, [&[0, 1, 2][..], &[3, 4], &[5, 6]]);
    }

    #[test]
    fn guesses_columns_by_name_each_once() {
        let h: Vec<String> = [
            "user_id",
            "uplift_score",
            "treatment_group",
            "visit",
            "spend",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let g = guess_columns(&h);
        assert_eq!(g.score.as_deref(), Some("uplift_score"));
        assert_eq!(g.treatment.as_deref(), Some("treatment_group"));
        assert_eq!(g.outcome.as_deref(), Some("visit"));
        assert_eq!(g.revenue.as_deref(), Some("spend"));
        assert_eq!(guess_columns(&["a".to_string()]), ColumnGuess::default());
    }

    #[test]
    fn the_sample_score_finds_its_hidden_uplift() -> Result<(), TargetingError> {
        let text = sample_csv(20_000, 3);
        let units = Units::read(&text, "treatment", "conversion", "score")?;
        assert_eq!(units.score.len(), 20_000);
        let report = evaluate(&units, 10)?;
        // The score carries the benefit: a clearly positive Qini coefficient,
        // and the top bin's uplift above the bottom one's.
        assert!(report.qini_auc > 0.05, "{}", report.qini_auc);
        let (top, bottom) = (&report.by_percentile[0], &report.by_percentile[9]);
        assert!(
            top.uplift > bottom.uplift + 0.03,
            "{} {}",
            top.uplift,
            bottom.uplift
        );
        assert_eq!(sample_csv(50, 3), sample_csv(50, 3));
        Ok(())
    }

    #[test]
    fn below_equals_the_wide_multiplication() {
        let mut a = crate::rng::Rng::new(9);
        let mut b = crate::rng::Rng::new(9);
        for n in [1usize, 2, 7, 1000, 100_003, (1 << 32) - 1, 1 << 32, 1 << 40] {
            for _ in 0..1000 {
                let wide = ((u128::from(b.next_u64()) * n as u128) >> 64) as usize;
                assert_eq!(below(&mut a, n), wide, "n = {n}");
            }
        }
    }

    #[test]
    fn poisson_draws_have_mean_and_variance_one() {
        let mut rng = crate::rng::Rng::new(3);
        let mut bits = Bits::default();
        let draws: Vec<f64> = (0..200_000)
            .map(|_| f64::from(poisson_one(bits.next_u32(&mut rng))))
            .collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(
            (mean - 1.0).abs() < 0.01 && (var - 1.0).abs() < 0.02,
            "{mean} {var}"
        );
        let zeros = draws.iter().filter(|&&d| d == 0.0).count() as f64 / draws.len() as f64;
        assert!((zeros - (-1.0f64).exp()).abs() < 0.005, "{zeros}");
    }

    #[test]
    fn joined_draws_give_the_combined_interval() {
        let u = simulated(400, 2, true);
        let (Ok(mut a), Ok(mut b)) = (QiniBootstrap::new(&u, 1), QiniBootstrap::new(&u, 2)) else {
            panic!("starts")
        };
        a.run(30);
        b.run(20);
        let mut joined = a.draws();
        joined.join(b.draws());
        let r = joined.uncertainty(0.95);
        assert_eq!(r.resamples, 50);
        assert_eq!(joined.boot.get(30), b.draws().boot.first());
        assert_eq!(a.result(0.9), a.draws().uncertainty(0.9));
    }
}

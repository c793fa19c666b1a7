//! What a launch did when there was no randomised control group: the
//! difference in differences between units that got it (stores, regions,
//! accounts) and units that did not, before and after the launch. The
//! untreated units' change stands in for the change the treated units would
//! have seen without the launch ("parallel trends"); the event study and its
//! pre-trend test show whether that holds before the launch.
//!
//! Estimates are ordinary least squares with robust standard errors, as
//! statsmodels 0.15 computes them (`OLS.fit(cov_type=…, use_t=True)`):
//! clustered by unit when a unit column is given (CR1), otherwise
//! heteroskedasticity-robust (HC1).

use serde::{Deserialize, Serialize};
use statrs::function::beta::beta_reg;
use thiserror::Error;

use crate::ingest::named::NamedCsv;
use crate::ingest::CsvError;
use crate::stats::frequentist::{t_quantile, t_two_sided_p};

/// The most periods an event study takes: one coefficient per period and
/// group, and the covariance grows with their square.
pub const MAX_PERIODS: usize = 60;

/// Fewer clusters than this and cluster-robust standard errors are too
/// small in practice (Cameron & Miller 2015, "A Practitioner's Guide to
/// Cluster-Robust Inference", section VI).
const FEW_CLUSTERS: usize = 30;

/// Why the panel cannot be analysed. Messages are for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DidError {
    #[error("There are no rows with an outcome to analyse.")]
    Empty,
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("Say when the launch was: either a column that is 1 on rows after the launch, or the period column and the launch period.")]
    NoTiming,
    #[error("The launch \"{launch}\" cannot be compared with the periods in the data ({example}, …): give it in the same form.")]
    BadLaunch { launch: String, example: String },
    #[error("There are no rows {which}: the difference in differences compares treated and untreated units, before and after the launch.")]
    NoRows { which: &'static str },
    #[error("There are no {group} rows {when} the launch: the difference in differences compares treated and untreated units, before and after it.")]
    NoCell {
        group: &'static str,
        when: &'static str,
    },
    #[error("Unit '{unit}' is marked untreated before the launch and treated after it (line {line}): the treated column should say whether the unit belongs to the treated group, 1 on its rows before the launch as after it.")]
    MixedTreatment { unit: String, line: u64 },
    #[error("The event study needs a period column (a number, a date or a label per row).")]
    NoPeriods,
    #[error(
        "The event study needs at least one period before the launch and the launch period itself."
    )]
    NoEventWindow,
    #[error("{periods} periods are too many for the event study (at most {max}): group the rows into weeks or months.")]
    TooManyPeriods { periods: usize, max: usize },
    #[error("Period {period} has no {group} rows: the event study compares both groups in every period.")]
    EmptyPeriod { period: String, group: &'static str },
    #[error("Only {clusters} unit(s) have an outcome: standard errors clustered by unit need at least two.")]
    TooFewClusters { clusters: usize },
    #[error("{rows} rows are too few for a model with {parameters} parameters.")]
    TooFewRows { rows: usize, parameters: usize },
    #[error("The model cannot be estimated: some of its columns repeat others.")]
    Singular,
    #[error("The outcome does not vary between the groups and periods (it is {value} throughout): there is no effect to estimate.")]
    NoVariation { value: String },
    #[error("The outcome moves in exactly the same way in every unit, so the effect has no measurable uncertainty (a standard error of 0): there is nothing to test. Check that the outcome column is the measured number.")]
    NoSpread,
    #[error("The confidence level must be between 0 and 1, not {0}.")]
    BadConfidence(f64),
}

/// The columns of a panel file. Either `post` or both `period` and
/// `launch` say which rows are after the launch; the event study needs
/// `period`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PanelColumns {
    /// The number measured (sales, visits, hours).
    pub outcome: String,
    /// Whether the row's unit is in the treated group (1/0, true/false,
    /// yes/no), the same before the launch as after it.
    pub treated: String,
    /// The unit the rows belong to (store, region, user): standard errors
    /// are clustered by it. Without it, rows are independent (HC1).
    pub unit: Option<String>,
    /// The period: a number, a date or a label; periods are sorted by
    /// number, by date, or else alphabetically.
    pub period: Option<String>,
    /// A column that is 1 on rows after the launch.
    pub post: Option<String>,
    /// The first period after the launch: rows with `period >= launch` are
    /// after it (unless `post` is given).
    pub launch: Option<String>,
}

/// The units the rows belong to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Units {
    /// Each row's unit, an index into `names`.
    pub of_row: Vec<usize>,
    pub names: Vec<String>,
}

/// The periods the rows belong to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Periods {
    /// Each row's period, an index into `labels`.
    pub of_row: Vec<usize>,
    /// The distinct periods in time order.
    pub labels: Vec<String>,
    /// The first period after the launch, an index into `labels`
    /// (`labels.len()` if none is).
    pub launch: usize,
}

/// One row per observation (a unit in a period), the rows without an
/// outcome left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    pub outcome: Vec<f64>,
    pub treated: Vec<bool>,
    pub post: Vec<bool>,
    pub units: Option<Units>,
    pub periods: Option<Periods>,
    /// Each row's line in the file (for messages), if read from one.
    pub lines: Vec<u64>,
    /// Rows left out because their outcome cell was empty.
    pub skipped: usize,
}

/// How a period column sorts: by number, by date, or by its text.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum Key {
    Number(f64),
    Text,
}

fn period_key(raw: &str, numbers: bool, dates: bool) -> Key {
    if numbers {
        Key::Number(crate::decimal::parse_f64(raw).unwrap_or(f64::NAN))
    } else if dates {
        Key::Number(crate::value::transactions::parse_date(raw).map_or(f64::NAN, |d| d as f64))
    } else {
        Key::Text
    }
}

impl From<crate::ingest::PanelGuess> for PanelColumns {
    /// The columns guessed from a file's header, with no launch period.
    fn from(g: crate::ingest::PanelGuess) -> PanelColumns {
        PanelColumns {
            outcome: g.outcome,
            treated: g.treated,
            unit: g.unit,
            period: g.period,
            post: g.post,
            launch: None,
        }
    }
}

/// The panel in a CSV file with the named columns. Rows whose outcome cell
/// is empty are left out (and counted), as statsmodels' formulas drop
/// missing values; any other cell that cannot be read is reported with its
/// line and column.
pub fn read_panel(text: &str, columns: &PanelColumns) -> Result<Panel, DidError> {
    if columns.post.is_none() && (columns.period.is_none() || columns.launch.is_none()) {
        return Err(DidError::NoTiming);
    }
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    let at = |column: &str| {
        csv.find(column).ok_or_else(|| CsvError::NoColumn {
            column: column.to_string(),
            found: csv.found(),
        })
    };
    let (yi, ti) = (at(&columns.outcome)?, at(&columns.treated)?);
    let ui = columns.unit.as_deref().map(at).transpose()?;
    let pi = columns.period.as_deref().map(at).transpose()?;
    let qi = columns.post.as_deref().map(at).transpose()?;
    let mut panel = Panel::default();
    let mut units = Units::default();
    let mut unit_index = std::collections::HashMap::new();
    let mut raw_periods: Vec<String> = Vec::new();
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |i: usize, column: &str, expected| CsvError::BadCell {
            line,
            column: column.to_string(),
            value: cell(i).to_string(),
            expected,
        };
        if cell(yi).is_empty() {
            panel.skipped += 1;
            continue;
        }
        // Beyond 1e15 the squares in the fit lose every digit of a change
        // (and beyond 1e154 they overflow): refused with the cell named.
        let y = crate::decimal::parse_f64(cell(yi))
            .filter(|y| y.is_finite())
            .ok_or_else(|| bad(yi, &columns.outcome, "a number"))?;
        if y.abs() > LARGEST_OUTCOME {
            return Err(bad(yi, &columns.outcome, "a number of at most 15 digits").into());
        }
        let flag = |i: usize, column: &str| {
            crate::ingest::parse_bool(cell(i))
                .filter(|_| !cell(i).is_empty())
                .ok_or_else(|| bad(i, column, "1 or 0 (yes or no)"))
        };
        let t = flag(ti, &columns.treated)?;
        if let (Some(i), Some(column)) = (qi, columns.post.as_deref()) {
            panel.post.push(flag(i, column)?);
        }
        if let (Some(i), Some(column)) = (ui, columns.unit.as_deref()) {
            let name = cell(i);
            if name.is_empty() {
                return Err(bad(i, column, "a unit's name or id").into());
            }
            let next = units.names.len();
            let k = *unit_index.entry(name.to_string()).or_insert(next);
            if k == next {
                units.names.push(name.to_string());
            }
            units.of_row.push(k);
        }
        if let (Some(i), Some(column)) = (pi, columns.period.as_deref()) {
            if cell(i).is_empty() {
                return Err(bad(i, column, "a period").into());
            }
            raw_periods.push(cell(i).to_string());
        }
        panel.outcome.push(y);
        panel.treated.push(t);
        panel.lines.push(line);
    }
    if panel.outcome.is_empty() {
        return Err(DidError::Empty);
    }
    if ui.is_some() {
        panel.units = Some(units);
    }
    if pi.is_some() {
        let periods = sort_periods(&raw_periods, columns)?;
        if qi.is_none() {
            panel.post = periods
                .of_row
                .iter()
                .map(|&p| p >= periods.launch)
                .collect();
        }
        panel.periods = Some(periods);
    }
    Ok(panel)
}

/// The distinct periods in time order, each row's period and the launch.
fn sort_periods(raw: &[String], columns: &PanelColumns) -> Result<Periods, DidError> {
    let numbers = raw.iter().all(|p| crate::decimal::parse_f64(p).is_some());
    let dates = !numbers
        && raw
            .iter()
            .all(|p| crate::value::transactions::parse_date(p).is_some());
    let key = |p: &str| period_key(p, numbers, dates);
    // The distinct periods, each labelled as it first appears.
    let mut distinct: Vec<(Key, &str)> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut first: Vec<usize> = Vec::with_capacity(raw.len());
    for p in raw {
        let id = match key(p) {
            Key::Number(x) => format!("{x}"),
            Key::Text => p.clone(),
        };
        let next = distinct.len();
        let k = *seen.entry(id).or_insert(next);
        if k == next {
            distinct.push((key(p), p));
        }
        first.push(k);
    }
    let order_of = |a: &(Key, &str), b: &(Key, &str)| match (a.0, b.0) {
        (Key::Number(x), Key::Number(y)) => x.total_cmp(&y),
        _ => a.1.cmp(b.1),
    };
    let mut order: Vec<usize> = (0..distinct.len()).collect();
    order.sort_by(|&a, &b| match (distinct.get(a), distinct.get(b)) {
        (Some(x), Some(y)) => order_of(x, y),
        _ => std::cmp::Ordering::Equal,
    });
    let mut rank = vec![0; distinct.len()];
    for (r, &k) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(k) {
            *slot = r;
        }
    }
    let labels: Vec<String> = order
        .iter()
        .filter_map(|&k| distinct.get(k).map(|d| d.1.to_string()))
        .collect();
    let of_row = first
        .iter()
        .map(|&k| rank.get(k).copied().unwrap_or(0))
        .collect();
    let launch = match columns.launch.as_deref().map(str::trim) {
        None => labels.len(),
        Some(launch) => {
            let l = key(launch);
            if matches!(l, Key::Number(x) if x.is_nan()) {
                return Err(DidError::BadLaunch {
                    launch: launch.to_string(),
                    example: labels.first().cloned().unwrap_or_default(),
                });
            }
            order
                .iter()
                .filter_map(|&k| distinct.get(k))
                .position(|d| order_of(d, &(l, launch)) != std::cmp::Ordering::Less)
                .unwrap_or(labels.len())
        }
    };
    Ok(Periods {
        of_row,
        labels,
        launch,
    })
}

/// The mean outcome of one group in one half, and its rows.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CellMean {
    pub mean: f64,
    pub rows: usize,
}

/// The means table: treated and untreated, before and after the launch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Means {
    pub control_before: CellMean,
    pub control_after: CellMean,
    pub treated_before: CellMean,
    pub treated_after: CellMean,
    /// `(treated_after − treated_before) − (control_after − control_before)`,
    /// equal to the regression's effect.
    pub difference_in_differences: f64,
}

/// One coefficient of the regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coefficient {
    pub name: String,
    pub estimate: f64,
    pub std_error: f64,
}

/// The effect in one period of the event study, against the period just
/// before the launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub period: String,
    /// Periods since the launch: 0 for the launch period, −1 for the
    /// reference period (not listed), −2 for the one before it.
    pub event_time: i64,
    pub effect: f64,
    pub std_error: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
    pub p_value: f64,
}

/// The joint test that the treated and untreated groups moved alike before
/// the launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreTrend {
    pub f_statistic: f64,
    pub df_numerator: f64,
    pub df_denominator: f64,
    pub p_value: f64,
}

/// The event study: the effect period by period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventStudy {
    /// The period just before the launch, against which every effect is
    /// measured.
    pub reference_period: String,
    pub rows: Vec<EventRow>,
    /// `None` when only the reference period precedes the launch.
    pub pre_trend: Option<PreTrend>,
}

/// The difference in differences of a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DidReport {
    /// The launch's effect on the outcome of a treated unit, in the
    /// outcome's unit, with its interval and p-value.
    pub effect: f64,
    pub std_error: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
    pub p_value: f64,
    pub t_statistic: f64,
    pub degrees_of_freedom: f64,
    pub confidence: f64,
    /// What the treated group's mean would have been after the launch
    /// without it: `treated_before + (control_after − control_before)`.
    pub counterfactual_mean: f64,
    /// `effect / counterfactual_mean`: the effect as a share of what the
    /// treated would have had (`None` unless that mean is above 0). Read it
    /// for outcomes in levels (sales, hours), not for logarithms.
    pub relative_effect: Option<f64>,
    pub means: Means,
    /// "cluster-robust by unit (CR1)" or "heteroskedasticity-robust (HC1)".
    pub standard_errors: String,
    pub observations: usize,
    pub clusters: Option<usize>,
    /// `y ~ 1 + treated + post + treated×post`.
    pub coefficients: Vec<Coefficient>,
    pub event_study: Option<EventStudy>,
    pub warnings: Vec<String>,
}

/// A symmetric or square matrix, row-major.
#[derive(Debug, Clone)]
struct Mat {
    n: usize,
    a: Vec<f64>,
}

impl Mat {
    fn zeros(n: usize) -> Mat {
        Mat {
            n,
            a: vec![0.0; n * n],
        }
    }
    fn at(&self, i: usize, j: usize) -> f64 {
        self.a.get(i * self.n + j).copied().unwrap_or(0.0)
    }
    fn add(&mut self, i: usize, j: usize, v: f64) {
        if let Some(x) = self.a.get_mut(i * self.n + j) {
            *x += v;
        }
    }
    fn set(&mut self, i: usize, j: usize, v: f64) {
        if let Some(x) = self.a.get_mut(i * self.n + j) {
            *x = v;
        }
    }
    fn mul(&self, b: &Mat) -> Mat {
        let mut c = Mat::zeros(self.n);
        for i in 0..self.n {
            for k in 0..self.n {
                let x = self.at(i, k);
                if x != 0.0 {
                    for j in 0..self.n {
                        c.add(i, j, x * b.at(k, j));
                    }
                }
            }
        }
        c
    }

    /// The lower-triangular `L` with `L·Lᵀ = self` (Cholesky), or `None`
    /// when a pivot vanishes (a column repeats others).
    fn cholesky(&self) -> Option<Mat> {
        let scale = (0..self.n).map(|i| self.at(i, i)).fold(0.0, f64::max);
        let mut l = Mat::zeros(self.n);
        for j in 0..self.n {
            let d = self.at(j, j) - (0..j).map(|k| l.at(j, k).powi(2)).sum::<f64>();
            if d.is_nan() || d <= 1e-11 * scale {
                return None;
            }
            let d = d.sqrt();
            l.set(j, j, d);
            for i in j + 1..self.n {
                let s = self.at(i, j) - (0..j).map(|k| l.at(i, k) * l.at(j, k)).sum::<f64>();
                l.set(i, j, s / d);
            }
        }
        Some(l)
    }

    /// `x` with `L·Lᵀ·x = b`, `self` being `L`.
    fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut z = vec![0.0; n];
        for i in 0..n {
            let s: f64 = (0..i)
                .map(|k| self.at(i, k) * z.get(k).unwrap_or(&0.0))
                .sum();
            if let Some(zi) = z.get_mut(i) {
                *zi = (b.get(i).unwrap_or(&0.0) - s) / self.at(i, i);
            }
        }
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n)
                .map(|k| self.at(k, i) * z.get(k).unwrap_or(&0.0))
                .sum();
            if let Some(zi) = z.get_mut(i) {
                *zi = (*zi - s) / self.at(i, i);
            }
        }
        z
    }
}

/// A row of a design matrix whose entries are 0 or 1: the columns that
/// are 1 (at most four here).
#[derive(Debug, Clone, Copy)]
struct Row {
    cols: [usize; 4],
    len: usize,
}

impl Row {
    fn new() -> Row {
        Row {
            cols: [0; 4],
            len: 0,
        }
    }
    fn with(mut self, col: usize, on: bool) -> Row {
        if on {
            if let Some(c) = self.cols.get_mut(self.len) {
                *c = col;
                self.len += 1;
            }
        }
        self
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.cols.iter().take(self.len).copied()
    }
}

/// A least-squares fit with its robust covariance.
#[derive(Debug, Clone)]
struct Fit {
    coef: Vec<f64>,
    cov: Mat,
    /// Degrees of freedom of the t and F tests.
    df: f64,
    clusters: Option<usize>,
}

/// Ordinary least squares `b = (XᵀX)⁻¹Xᵀy` (Cholesky of `XᵀX`, one step of
/// iterative refinement) with a sandwich covariance `V = c·A·M·A`,
/// `A = (XᵀX)⁻¹`:
/// - clustered by unit (CR1, Liang & Zeger 1986): `M = Σ_g s_g s_gᵀ` with
///   `s_g = Σ_{i∈g} e_i x_i`, `c = G/(G−1) · (N−1)/(N−K)`, and G − 1
///   degrees of freedom — statsmodels' `cov_type='cluster'` (its default
///   `use_correction=True`, and `df_resid_inference = G − 1`);
/// - otherwise HC1 (MacKinnon & White 1985): `M = Σ_i e_i² x_i x_iᵀ`,
///   `c = N/(N−K)`, N − K degrees of freedom (statsmodels' `cov_type='HC1'`).
fn fit(
    k: usize,
    y: &[f64],
    row: impl Fn(usize) -> Row,
    units: Option<&Units>,
) -> Result<Fit, DidError> {
    let n = y.len();
    if n <= k {
        return Err(DidError::TooFewRows {
            rows: n,
            parameters: k,
        });
    }
    let mut xtx = Mat::zeros(k);
    let mut xty = vec![0.0; k];
    for (i, &yi) in y.iter().enumerate() {
        let r = row(i);
        for a in r.iter() {
            if let Some(s) = xty.get_mut(a) {
                *s += yi;
            }
            for b in r.iter() {
                xtx.add(a, b, 1.0);
            }
        }
    }
    let l = xtx.cholesky().ok_or(DidError::Singular)?;
    let mut coef = l.solve(&xty);
    let residual: Vec<f64> = (0..k)
        .map(|a| {
            let fitted: f64 = (0..k)
                .map(|b| xtx.at(a, b) * coef.get(b).unwrap_or(&0.0))
                .sum();
            xty.get(a).unwrap_or(&0.0) - fitted
        })
        .collect();
    for (c, d) in coef.iter_mut().zip(l.solve(&residual)) {
        *c += d;
    }
    let mut bread = Mat::zeros(k);
    for j in 0..k {
        let mut e = vec![0.0; k];
        if let Some(x) = e.get_mut(j) {
            *x = 1.0;
        }
        for (i, v) in l.solve(&e).into_iter().enumerate() {
            bread.set(i, j, v);
        }
    }
    let resid = |i: usize, yi: f64| {
        yi - row(i)
            .iter()
            .map(|c| coef.get(c).unwrap_or(&0.0))
            .sum::<f64>()
    };
    let mut meat = Mat::zeros(k);
    let (scale, df, clusters) = match units {
        Some(units) => {
            let g = units.names.len();
            let mut scores = vec![0.0; g * k];
            let mut used = vec![false; g];
            for (i, &yi) in y.iter().enumerate() {
                let e = resid(i, yi);
                let u = units.of_row.get(i).copied().unwrap_or(0);
                if let Some(flag) = used.get_mut(u) {
                    *flag = true;
                }
                for a in row(i).iter() {
                    if let Some(s) = scores.get_mut(u * k + a) {
                        *s += e;
                    }
                }
            }
            for s in scores.chunks(k) {
                for (a, &sa) in s.iter().enumerate() {
                    if sa != 0.0 {
                        for (b, &sb) in s.iter().enumerate() {
                            meat.add(a, b, sa * sb);
                        }
                    }
                }
            }
            let g = used.iter().filter(|&&u| u).count();
            if g < 2 {
                return Err(DidError::TooFewClusters { clusters: g });
            }
            let (gf, nf, kf) = (g as f64, n as f64, k as f64);
            (gf / (gf - 1.0) * (nf - 1.0) / (nf - kf), gf - 1.0, Some(g))
        }
        None => {
            for (i, &yi) in y.iter().enumerate() {
                let e2 = resid(i, yi).powi(2);
                let r = row(i);
                for a in r.iter() {
                    for b in r.iter() {
                        meat.add(a, b, e2);
                    }
                }
            }
            let (nf, kf) = (n as f64, k as f64);
            (nf / (nf - kf), nf - kf, None)
        }
    };
    let mut cov = bread.mul(&meat).mul(&bread);
    for v in &mut cov.a {
        *v *= scale;
    }
    Ok(Fit {
        coef,
        cov,
        df,
        clusters,
    })
}

impl Fit {
    fn se(&self, j: usize) -> f64 {
        // Rounding can leave a zero variance a hair below 0.
        self.cov.at(j, j).max(0.0).sqrt()
    }

    /// The Wald test that the coefficients `cols` are all 0:
    /// `W = bᵀ V⁻¹ b` over them, `F = W / q` against F(q, df) — statsmodels'
    /// `f_test`, whose denominator degrees of freedom are `df_resid_inference`.
    fn wald(&self, cols: &[usize]) -> Option<PreTrend> {
        let q = cols.len();
        let mut v = Mat::zeros(q);
        for (i, &a) in cols.iter().enumerate() {
            for (j, &b) in cols.iter().enumerate() {
                v.set(i, j, self.cov.at(a, b));
            }
        }
        let b: Vec<f64> = cols
            .iter()
            .map(|&c| self.coef.get(c).copied().unwrap_or(0.0))
            .collect();
        let w: f64 = v
            .cholesky()?
            .solve(&b)
            .iter()
            .zip(&b)
            .map(|(x, y)| x * y)
            .sum();
        let (d1, d2) = (q as f64, self.df);
        let f = w / d1;
        // P(F > f) = I_{d2/(d2 + d1·f)}(d2/2, d1/2).
        let p_value = beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f));
        Some(PreTrend {
            f_statistic: f,
            df_numerator: d1,
            df_denominator: d2,
            p_value,
        })
    }
}

/// Checks that hold for every analysis: no unit is flagged treated only
/// after the launch (the treated column coded as "treated at that time").
/// A unit with treated rows before the launch and untreated rows is a
/// wider cluster (a region holding treated and untreated stores), which is
/// fine.
fn check(panel: &Panel) -> Result<(), DidError> {
    let n = panel.outcome.len();
    if n == 0 {
        return Err(DidError::Empty);
    }
    if let Some(units) = &panel.units {
        // Per unit: any untreated row, any treated row before the launch,
        // the first treated row.
        let mut seen: Vec<(bool, bool, Option<usize>)> =
            vec![(false, false, None); units.names.len()];
        for (i, &u) in units.of_row.iter().enumerate() {
            let t = panel.treated.get(i).copied().unwrap_or(false);
            let post = panel.post.get(i).copied().unwrap_or(false);
            if let Some(s) = seen.get_mut(u) {
                s.0 |= !t;
                s.1 |= t && !post;
                if t && s.2.is_none() {
                    s.2 = Some(i);
                }
            }
        }
        for (u, &(untreated, treated_before, first)) in seen.iter().enumerate() {
            if let (true, false, Some(i)) = (untreated, treated_before, first) {
                return Err(DidError::MixedTreatment {
                    unit: units.names.get(u).cloned().unwrap_or_default(),
                    line: panel.lines.get(i).copied().unwrap_or(i as u64 + 1),
                });
            }
        }
    }
    Ok(())
}

/// A p-value as words read it: "p < 0.001" or "p = 0.037".
fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {:.3}", p)
    }
}

fn interval(estimate: f64, se: f64, df: f64, confidence: f64) -> (f64, f64, f64) {
    let q = t_quantile(1.0 - (1.0 - confidence) / 2.0, df);
    (
        estimate - q * se,
        estimate + q * se,
        t_two_sided_p(estimate / se, df),
    )
}

/// The largest outcome, in size, that a panel may hold.
pub const LARGEST_OUTCOME: f64 = 1e15;

/// The difference in differences of `panel`: the coefficient on
/// treated×post in the least-squares fit of
/// `y ~ 1 + treated + post + treated×post` (Card & Krueger 1994; Angrist &
/// Pischke 2009, ch. 5), equal to the difference of the four means'
/// differences, with the sandwich covariance `c·A·M·A`, `A = (XᵀX)⁻¹`:
/// clustered by unit when the panel has units (CR1, Liang & Zeger 1986:
/// `M = Σ_g s_g s_gᵀ`, `s_g` the sum of `e_i x_i` over unit g's rows,
/// `c = G/(G−1)·(N−1)/(N−K)`, statsmodels' `cov_type='cluster'`), HC1
/// otherwise (MacKinnon & White 1985: `M = Σ e_i² x_i x_iᵀ`, `c = N/(N−K)`,
/// statsmodels' `cov_type='HC1'`). The interval and
/// p-value use Student's t with G − 1 degrees of freedom (clustered) or
/// N − K (HC1), as statsmodels with `use_t=True` (its default for robust
/// covariances is the normal distribution instead; Stata uses t).
/// With `event_study`, also [`event_study`].
pub fn difference_in_differences(
    panel: &Panel,
    confidence: f64,
    with_event_study: bool,
) -> Result<DidReport, DidError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(DidError::BadConfidence(confidence));
    }
    check(panel)?;
    let n = panel.outcome.len();
    let mut sums = [(0.0, 0usize); 4];
    for (i, &y) in panel.outcome.iter().enumerate() {
        let (t, p) = (
            panel.treated.get(i).copied().unwrap_or(false),
            panel.post.get(i).copied().unwrap_or(false),
        );
        if let Some(cell) = sums.get_mut(usize::from(t) * 2 + usize::from(p)) {
            cell.0 += y;
            cell.1 += 1;
        }
    }
    let names = [
        ("untreated", "before"),
        ("untreated", "after"),
        ("treated", "before"),
        ("treated", "after"),
    ];
    // A whole period or group missing is said as such, not as its first
    // empty cell ("no untreated rows before" when no row is before).
    let rows = |cells: [usize; 2]| {
        cells
            .iter()
            .map(|&i| sums.get(i).map_or(0, |c| c.1))
            .sum::<usize>()
    };
    for (cells, which) in [
        ([0, 2], "before the launch"),
        ([1, 3], "from the launch on"),
        ([0, 1], "of untreated units"),
        ([2, 3], "of treated units"),
    ] {
        if rows(cells) == 0 {
            return Err(DidError::NoRows { which });
        }
    }
    let mut cells = [CellMean::default(); 4];
    for ((cell, &(sum, rows)), (group, when)) in cells.iter_mut().zip(&sums).zip(names) {
        if rows == 0 {
            return Err(DidError::NoCell { group, when });
        }
        *cell = CellMean {
            mean: sum / rows as f64,
            rows,
        };
    }
    let [cb, ca, tb, ta] = cells;
    let means = Means {
        control_before: cb,
        control_after: ca,
        treated_before: tb,
        treated_after: ta,
        difference_in_differences: (ta.mean - tb.mean) - (ca.mean - cb.mean),
    };
    let row = |i: usize| {
        let t = panel.treated.get(i).copied().unwrap_or(false);
        let p = panel.post.get(i).copied().unwrap_or(false);
        Row::new()
            .with(0, true)
            .with(1, t)
            .with(2, p)
            .with(3, t && p)
    };
    let f = fit(4, &panel.outcome, row, panel.units.as_ref())?;
    let effect = f.coef.get(3).copied().unwrap_or(f64::NAN);
    let se = f.se(3);
    // A standard error of 0 (an outcome that never changes, or changes
    // the same way in every unit) would give p = 0 or 1 from rounding
    // alone: no test at all. "0" is relative to the outcome's size, as the
    // fit's rounding is.
    let scale = panel.outcome.iter().fold(1.0_f64, |m, y| m.max(y.abs()));
    if !(se > 1e-10 * scale && se.is_finite()) {
        let first = panel.outcome.first().copied().unwrap_or(0.0);
        return Err(if panel.outcome.iter().all(|&y| y == first) {
            DidError::NoVariation {
                value: format!("{first}"),
            }
        } else {
            DidError::NoSpread
        });
    }
    let (ci_lower, ci_upper, p_value) = interval(effect, se, f.df, confidence);
    let counterfactual_mean = tb.mean + (ca.mean - cb.mean);
    let coefficients = ["intercept", "treated", "post", "treated × post"]
        .iter()
        .enumerate()
        .map(|(j, name)| Coefficient {
            name: name.to_string(),
            estimate: f.coef.get(j).copied().unwrap_or(f64::NAN),
            std_error: f.se(j),
        })
        .collect();
    let mut warnings = Vec::new();
    if panel.skipped > 0 {
        warnings.push(format!(
            "{} rows without an outcome were left out.",
            panel.skipped
        ));
    }
    match f.clusters {
        None => warnings.push(
            "No unit column: every row is taken as a separate observation (HC1 standard errors). If the same stores, regions or users appear in several periods, name the unit column, or the interval will be too narrow."
                .to_string(),
        ),
        Some(g) if g < FEW_CLUSTERS => warnings.push(format!(
            "Only {g} units: standard errors clustered on so few units tend to be too small, so read the interval and p-value as rough."
        )),
        Some(_) => {}
    }
    let event_study = if with_event_study {
        let es = event_study(panel, confidence)?;
        match &es.pre_trend {
            Some(test) if test.p_value < 0.05 => warnings.push(format!(
                "The treated and untreated groups were already moving apart before the launch (pre-trend test {}), so the parallel-trends assumption looks broken and the effect may be partly a trend that was there anyway.",
                p_text(test.p_value)
            )),
            Some(_) => {}
            None => warnings.push(
                "Only one period precedes the launch, so whether the groups moved alike before it cannot be checked."
                    .to_string(),
            ),
        }
        Some(es)
    } else {
        None
    };
    Ok(DidReport {
        effect,
        std_error: se,
        ci_lower,
        ci_upper,
        p_value,
        t_statistic: effect / se,
        degrees_of_freedom: f.df,
        confidence,
        counterfactual_mean,
        relative_effect: (counterfactual_mean > 0.0).then(|| effect / counterfactual_mean),
        means,
        standard_errors: match f.clusters {
            Some(_) => "cluster-robust by unit (CR1)",
            None => "heteroskedasticity-robust (HC1)",
        }
        .to_string(),
        observations: n,
        clusters: f.clusters,
        coefficients,
        event_study,
        warnings,
    })
}

/// The event study: the least-squares fit of
/// `y ~ 1 + treated + Σ_p period_p + Σ_p treated×period_p` over every period
/// p but the one just before the launch (the reference), with the same
/// robust covariance and t degrees of freedom as
/// [`difference_in_differences`]. The coefficient on treated×period_p is
/// `(ȳ_T,p − ȳ_C,p) − (ȳ_T,ref − ȳ_C,ref)`: the effect in period p if the
/// trends were parallel, and about 0 before the launch if they were. The
/// pre-trend test is the joint Wald F test that all pre-launch
/// coefficients are 0 (F(q, G − 1) clustered, F(q, N − K) otherwise, as
/// statsmodels' `f_test`).
pub fn event_study(panel: &Panel, confidence: f64) -> Result<EventStudy, DidError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(DidError::BadConfidence(confidence));
    }
    check(panel)?;
    let periods = panel.periods.as_ref().ok_or(DidError::NoPeriods)?;
    let np = periods.labels.len();
    if np > MAX_PERIODS {
        return Err(DidError::TooManyPeriods {
            periods: np,
            max: MAX_PERIODS,
        });
    }
    if periods.launch == 0 || periods.launch >= np {
        return Err(DidError::NoEventWindow);
    }
    let reference = periods.launch - 1;
    let mut seen = vec![[false; 2]; np];
    for (&p, &t) in periods.of_row.iter().zip(&panel.treated) {
        if let Some(s) = seen.get_mut(p).and_then(|s| s.get_mut(usize::from(t))) {
            *s = true;
        }
    }
    for (p, s) in seen.iter().enumerate() {
        for (t, group) in [(0, "untreated"), (1, "treated")] {
            if s.get(t) != Some(&true) {
                return Err(DidError::EmptyPeriod {
                    period: periods.labels.get(p).cloned().unwrap_or_default(),
                    group,
                });
            }
        }
    }
    // Columns: 0 intercept, 1 treated, then the other periods' dummies,
    // then their interactions with treated.
    let slot = |p: usize| (p != reference).then(|| if p < reference { p } else { p - 1 });
    let k = 2 + 2 * (np - 1);
    let row = |i: usize| {
        let t = panel.treated.get(i).copied().unwrap_or(false);
        let p = periods.of_row.get(i).copied().unwrap_or(reference);
        let r = Row::new().with(0, true).with(1, t);
        match slot(p) {
            Some(s) => r.with(2 + s, true).with(2 + np - 1 + s, t),
            None => r,
        }
    };
    let f = fit(k, &panel.outcome, row, panel.units.as_ref())?;
    let mut rows = Vec::with_capacity(np - 1);
    let mut pre = Vec::new();
    for p in 0..np {
        let Some(s) = slot(p) else { continue };
        let col = 2 + np - 1 + s;
        let effect = f.coef.get(col).copied().unwrap_or(f64::NAN);
        let se = f.se(col);
        let (ci_lower, ci_upper, p_value) = interval(effect, se, f.df, confidence);
        if p < reference {
            pre.push(col);
        }
        rows.push(EventRow {
            period: periods.labels.get(p).cloned().unwrap_or_default(),
            event_time: p as i64 - periods.launch as i64,
            effect,
            std_error: se,
            ci_lower,
            ci_upper,
            p_value,
        });
    }
    let pre_trend = if pre.is_empty() { None } else { f.wald(&pre) };
    Ok(EventStudy {
        reference_period: periods.labels.get(reference).cloned().unwrap_or_default(),
        rows,
        pre_trend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(post: Option<&str>, period: Option<&str>, launch: Option<&str>) -> PanelColumns {
        PanelColumns {
            outcome: "sales".into(),
            treated: "personalized".into(),
            unit: Some("store".into()),
            period: period.map(Into::into),
            post: post.map(Into::into),
            launch: launch.map(Into::into),
        }
    }

    #[test]
    fn a_file_is_read_with_its_problems_named() {
        let text = "store,week,personalized,sales\nA,2024-01-08,yes,12\nA,2024-01-01,yes,10\n\
                    B,2024-01-01,no,8\nB,2024-01-08,no,\nB,2024-01-15,no,9\nA,2024-01-15,yes,15\n";
        let Ok(p) = read_panel(text, &columns(None, Some("week"), Some("2024-01-08"))) else {
            panic!("reads")
        };
        assert_eq!(p.outcome, [12.0, 10.0, 8.0, 9.0, 15.0]);
        assert_eq!(p.skipped, 1);
        let Some(periods) = &p.periods else {
            panic!("periods")
        };
        assert_eq!(periods.labels, ["2024-01-01", "2024-01-08", "2024-01-15"]);
        assert_eq!(periods.launch, 1);
        assert_eq!(p.post, [true, false, false, true, true]);
        assert_eq!(p.lines, [2, 3, 4, 6, 7]);
        // Numbers sort as numbers, not as text.
        let text = "store,month,personalized,sales\nA,9,1,1\nA,10,1,2\nB,9,0,1\nB,10,0,1\n";
        let Ok(p) = read_panel(text, &columns(None, Some("month"), Some("10"))) else {
            panic!("reads")
        };
        assert_eq!(
            p.periods.map(|p| p.labels),
            Some(vec!["9".into(), "10".into()])
        );
        assert_eq!(p.post, [false, true, false, true]);
        // Problems, in words.
        let bad = "store,week,personalized,sales\nA,1,yes,12\n\nA,2,maybe,3\n";
        assert!(matches!(
            read_panel(bad, &columns(None, Some("week"), Some("2"))),
            Err(DidError::Csv(CsvError::BadCell { line: 4, .. }))
        ));
        assert_eq!(
            read_panel(bad, &columns(None, None, None)),
            Err(DidError::NoTiming)
        );
        let good = "store,week,personalized,sales\nA,1,yes,12\nA,2,yes,3\n";
        assert!(matches!(
            read_panel(good, &columns(None, Some("week"), Some("March"))),
            Err(DidError::BadLaunch { .. })
        ));
        assert!(matches!(
            read_panel(bad, &columns(Some("after"), None, None)),
            Err(DidError::Csv(CsvError::NoColumn { .. }))
        ));
    }

    #[test]
    fn the_regression_is_the_difference_of_the_means() {
        // Two units per group, before and after; treated gain 3 more.
        let text = "store,post,personalized,sales\n\
                    a,0,0,10\na,1,0,12\nb,0,0,11\nb,1,0,14\n\
                    c,0,1,20\nc,1,1,26\nd,0,1,19\nd,1,1,24\n";
        let Ok(p) = read_panel(text, &columns(Some("post"), None, None)) else {
            panic!("reads")
        };
        let Ok(r) = difference_in_differences(&p, 0.95, false) else {
            panic!("estimates")
        };
        // (25 − 19.5) − (13 − 10.5) = 3.
        assert!((r.effect - 3.0).abs() < 1e-12);
        assert!((r.means.difference_in_differences - 3.0).abs() < 1e-12);
        assert!((r.counterfactual_mean - 22.0).abs() < 1e-12);
        assert!(r
            .relative_effect
            .is_some_and(|x| (x - 3.0 / 22.0).abs() < 1e-12));
        assert_eq!(r.clusters, Some(4));
        assert_eq!(r.degrees_of_freedom, 3.0);
        assert!(r.ci_lower < 3.0 && 3.0 < r.ci_upper);
        assert!(r.warnings.iter().any(|w| w.contains("Only 4 units")));
        // A unit flagged treated only after the launch is refused.
        let mixed = text.replace("d,0,1,19", "d,0,0,19");
        let Ok(p) = read_panel(&mixed, &columns(Some("post"), None, None)) else {
            panic!("reads")
        };
        assert!(matches!(
            difference_in_differences(&p, 0.95, false),
            Err(DidError::MixedTreatment { line: 9, .. })
        ));
        // No treated rows after the launch.
        let none = "post,personalized,sales\n0,0,1\n1,0,2\n0,1,3\n";
        let mut c = columns(Some("post"), None, None);
        c.unit = None;
        let Ok(p) = read_panel(none, &c) else {
            panic!("reads")
        };
        assert_eq!(
            difference_in_differences(&p, 0.95, false),
            Err(DidError::NoCell {
                group: "treated",
                when: "after"
            })
        );
    }

    #[test]
    fn the_event_study_needs_periods_on_both_sides_of_the_launch() {
        let text = "store,week,personalized,sales\nA,1,1,1\nA,2,1,2\nB,1,0,1\nB,2,0,1\n\
                    C,1,1,2\nC,2,1,3\nD,1,0,2\nD,2,0,2\n";
        let Ok(p) = read_panel(text, &columns(None, Some("week"), Some("1"))) else {
            panic!("reads")
        };
        assert_eq!(event_study(&p, 0.95), Err(DidError::NoEventWindow));
        let Ok(p) = read_panel(text, &columns(None, Some("week"), Some("2"))) else {
            panic!("reads")
        };
        let Ok(es) = event_study(&p, 0.95) else {
            panic!("estimates")
        };
        assert_eq!(es.reference_period, "1");
        assert_eq!(es.rows.len(), 1);
        assert_eq!(es.rows[0].event_time, 0);
        assert!((es.rows[0].effect - 1.0).abs() < 1e-12);
        assert!(es.pre_trend.is_none());
    }

    /// A panel of four stores over two weeks, `y(store, week)` as given.
    fn panel_of(y: impl Fn(usize, usize) -> String) -> String {
        let mut text = String::from("store,week,personalized,after,sales\n");
        for store in 0..4 {
            for week in 0..2 {
                let treated = u8::from(store >= 2);
                text.push_str(&format!(
                    "{store},{week},{treated},{week},{}\n",
                    y(store, week)
                ));
            }
        }
        text
    }

    #[test]
    fn no_variation_is_said_in_words_and_huge_outcomes_are_refused() -> Result<(), DidError> {
        let columns = PanelColumns {
            post: Some("after".into()),
            ..columns(None, None, None)
        };
        let read = |text: &str| read_panel(text, &columns);
        let constant = read(&panel_of(|_, _| "5".into()))?;
        assert_eq!(
            difference_in_differences(&constant, 0.95, false)
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("The outcome does not vary between the groups and periods (it is 5 throughout): there is no effect to estimate.")
        );
        // Every store moves by the same amount: the effect is exact, its
        // standard error 0, and no p-value is made up for it.
        let parallel = read(&panel_of(|s, w| format!("{}", 10 * s + 3 * w)))?;
        assert_eq!(
            difference_in_differences(&parallel, 0.95, false).err(),
            Some(DidError::NoSpread)
        );
        // 1e160 overflowed the squares and stopped the fit; now the cell is named.
        assert_eq!(
            read(&panel_of(|s, w| if s == 1 && w == 1 {
                "1e160".into()
            } else {
                "5".into()
            }))
            .err()
            .map(|e| e.to_string())
            .as_deref(),
            Some("Line 5, column 'sales': \"1e160\" is not a number of at most 15 digits.")
        );
        let big = read(&panel_of(|s, w| format!("{}e14", 1 + s + w * s)))?;
        assert!(difference_in_differences(&big, 0.95, false).is_ok());
        Ok(())
    }

    /// A launch before every period: there are no rows before it at all,
    /// which is said as such (it read "no untreated rows before the
    /// launch", as if the treated had some).
    #[test]
    fn a_missing_period_or_group_is_named_as_a_whole() {
        let columns = PanelColumns {
            outcome: "y".into(),
            treated: "t".into(),
            unit: Some("u".into()),
            period: Some("p".into()),
            post: None,
            launch: Some("1".into()),
        };
        let text = "u,p,t,y\n1,1,1,5\n1,2,1,6\n2,1,0,4\n2,2,0,4.5\n";
        let Ok(panel) = read_panel(text, &columns) else {
            panic!("reads")
        };
        let message = difference_in_differences(&panel, 0.95, false)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("There are no rows before the launch: the difference in differences compares treated and untreated units, before and after the launch.")
        );
        let untreated_only = "u,p,t,y\n1,1,0,5\n1,2,0,6\n2,1,0,4\n2,2,0,4.5\n";
        let columns = PanelColumns {
            launch: Some("2".into()),
            ..columns
        };
        let Ok(panel) = read_panel(untreated_only, &columns) else {
            panic!("reads")
        };
        assert_eq!(
            difference_in_differences(&panel, 0.95, false).err(),
            Some(DidError::NoRows {
                which: "of treated units"
            })
        );
    }
}

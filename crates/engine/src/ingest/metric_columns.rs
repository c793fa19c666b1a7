//! Metric columns without a fixed role: every column of numbers or yes/no
//! values that is not the variant, a segment, a user id or a date becomes a
//! metric, summed per variant on the same sufficient-statistics path.
//!
//! Row-level files give each such column its sum, sum of squares, and the
//! sum of products with every other metric column (for ratio metrics).
//! Aggregated files carry the sums under a naming convention: `X` is the
//! sum of metric X over the row's users, `X_sq` the sum of its squares and
//! `X_x_Y` the sum of X × Y per user; an NPS question's answers, promoters
//! and detractors are `X_answers`, `X_promoters` and `X_detractors`.

use serde::{Deserialize, Serialize};

use super::caps::{AppliedCap, Bounds};
use super::columns::normalise_header;
use super::numbers::{parse_bool, parse_number, NumberStyle};
use super::VariantStats;
pub use crate::stats::nps::ScoreCounts;

/// What a metric column holds, told from its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Only 0/1 (true/false, yes/no): compared as a proportion.
    Binary,
    /// Any numbers: compared as a mean per user.
    Numeric,
}

/// One metric column of a file, in the order of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricColumn {
    pub name: String,
    pub kind: ValueKind,
    /// Cells that were not numbers or yes/no and were counted as 0.
    #[serde(default)]
    pub not_numbers: u64,
}

/// A metric column's sums over one variant's users.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ColumnSums {
    pub sum: f64,
    /// `None` in an aggregated file without an `X_sq` column: the mean is
    /// known, its variance is not.
    pub sum_sq: Option<f64>,
    /// Row-level files whose every answer is a whole number from 0 to 10:
    /// the answers as a survey scale (blank cells are no answer), for NPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<ScoreCounts>,
}

/// The suffixes of an NPS question's counts in aggregated files.
const ANSWER_SUFFIXES: [&str; 3] = ["_answers", "_promoters", "_detractors"];

/// Row-level files keep the products of every pair of metric columns up to
/// this many columns (120 pairs); beyond it ratio metrics are not offered.
pub const MAX_CROSS_COLUMNS: usize = 16;

/// At most this many columns are read as metrics.
pub const MAX_METRIC_COLUMNS: usize = 64;

/// Position of the pair (i, j), i < j, in the upper triangle of k columns.
pub fn pair_index(i: usize, j: usize, k: usize) -> usize {
    let (i, j) = if i < j { (i, j) } else { (j, i) };
    i * (2 * k - i - 1) / 2 + (j - i - 1)
}

/// Headers that name a user, an order or a time rather than a measurement:
/// their numbers are labels, not metrics. Dates written as text are left
/// out anyway, since they are not numbers.
fn is_label(header: &str) -> bool {
    const LABELS: &[&str] = &[
        "id",
        "uid",
        "uuid",
        "userid",
        "user",
        "customerid",
        "customer",
        "clientid",
        "playerid",
        "visitorid",
        "sessionid",
        "accountid",
        "memberid",
        "deviceid",
        "orderid",
        "date",
        "day",
        "week",
        "month",
        "year",
        "time",
        "timestamp",
        "datetime",
        "ts",
        "zipcode",
        "zip",
        "postcode",
    ];
    let lower = header.trim().to_ascii_lowercase();
    LABELS.contains(&normalise_header(header).as_str())
        || ["_id", " id", "_date"]
            .iter()
            .any(|end| lower.ends_with(end))
}

/// A column holds an NPS question when its header says so: "nps",
/// "recommend" or "promoter" in it, whatever the case and punctuation (its
/// values must also be 0–10 answers).
pub fn named_like_nps(header: &str) -> bool {
    let h = normalise_header(header);
    ["nps", "recommend", "promoter"]
        .iter()
        .any(|w| h.contains(w))
}

/// The metric columns of one file while it is read.
pub(super) struct MetricTracker {
    aggregated: bool,
    /// File index and header of each candidate column.
    cols: Vec<(usize, String)>,
    /// Aggregated files: file index of each candidate's `X_sq` column.
    sq: Vec<Option<usize>>,
    /// Aggregated files: (candidate a, candidate b, file index of `a_x_b`).
    cross: Vec<(usize, usize, usize)>,
    not_numbers: Vec<u64>,
    non_binary: Vec<bool>,
    /// Aggregated files: file indices of each candidate's `X_answers`,
    /// `X_promoters` and `X_detractors` columns.
    answer_cols: Vec<Option<[usize; 3]>>,
    /// Row-level: a cell that is not blank and not a whole number from 0
    /// to 10; aggregated: a row without its counts of answers.
    off_scale: Vec<bool>,
    /// This row's values, read before anything is added.
    row: Vec<f64>,
    row_sq: Vec<Option<f64>>,
    /// This row's answers on the 0–10 scale (`None`: blank or not one).
    row_answers: Vec<Option<ScoreCounts>>,
    row_cross: Vec<f64>,
    /// Row-level: the bounds each column's values are clamped to.
    bounds: Vec<Bounds>,
}

impl MetricTracker {
    /// `candidates` lists the file's columns that no role claimed, each with
    /// whether the user chose it as a metric (then even an id-like name is one).
    pub(super) fn new(
        headers: &[String],
        candidates: &[(usize, bool)],
        aggregated: bool,
    ) -> MetricTracker {
        let header = |i: usize| headers.get(i).map_or("", String::as_str);
        let free: Vec<usize> = candidates.iter().map(|&(i, _)| i).collect();
        let chosen = |i: usize| candidates.iter().any(|&(j, c)| j == i && c);
        // Aggregated: `X_sq` and `X_x_Y` belong to X when X is a column
        // too (a metric column or one with a role, such as `spend`).
        let named = |name: &str| headers.iter().position(|h| h == name);
        let mut helper = vec![false; headers.len()];
        if aggregated {
            for &i in &free {
                let h = header(i);
                if let Some(base) = h.strip_suffix("_sq") {
                    if named(base).is_some() {
                        mark(&mut helper, i);
                    }
                }
                if let Some((a, b)) = h.split_once("_x_") {
                    if named(a).is_some() && named(b).is_some() {
                        mark(&mut helper, i);
                    }
                }
                if ANSWER_SUFFIXES
                    .iter()
                    .chain(&["_cap", "_floor"])
                    .any(|s| h.strip_suffix(s).and_then(named).is_some())
                {
                    mark(&mut helper, i);
                }
            }
        }
        let cols: Vec<(usize, String)> = free
            .iter()
            .copied()
            .filter(|&i| {
                !helper.get(i).copied().unwrap_or(false) && (chosen(i) || !is_label(header(i)))
            })
            .take(MAX_METRIC_COLUMNS)
            .map(|i| (i, header(i).to_string()))
            .collect();
        let position = |name: &str| cols.iter().position(|(_, h)| h == name);
        let mut sq = vec![None; cols.len()];
        let mut cross = Vec::new();
        if aggregated {
            for &i in &free {
                let h = header(i);
                if let Some(k) = h.strip_suffix("_sq").and_then(position) {
                    if let Some(slot) = sq.get_mut(k) {
                        *slot = Some(i);
                    }
                }
                if let Some((a, b)) = h.split_once("_x_") {
                    if let (Some(a), Some(b)) = (position(a), position(b)) {
                        if a != b {
                            cross.push((a, b, i));
                        }
                    }
                }
            }
        }
        let k = cols.len();
        let answer_cols = cols
            .iter()
            .map(|(_, name)| {
                let [a, p, d] = ANSWER_SUFFIXES.map(|s| named(&format!("{name}{s}")));
                Some([a?, p?, d?]).filter(|_| aggregated)
            })
            .collect();
        MetricTracker {
            aggregated,
            sq,
            cross,
            answer_cols,
            not_numbers: vec![0; k],
            non_binary: vec![false; k],
            off_scale: vec![false; k],
            row: vec![0.0; k],
            row_answers: vec![None; k],
            row_sq: vec![None; k],
            row_cross: Vec::new(),
            bounds: vec![Bounds::default(); k],
            cols,
        }
    }

    /// Clamp the capped columns' values to their caps from now on.
    pub(super) fn cap(&mut self, caps: &[AppliedCap]) {
        for ((_, name), b) in self.cols.iter().zip(self.bounds.iter_mut()) {
            *b = Bounds::of(caps, name);
        }
    }

    /// Whether `name` is one of the candidate columns.
    pub(super) fn has(&self, name: &str) -> bool {
        self.cols.iter().any(|(_, h)| h == name)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.cols.is_empty()
    }

    fn keeps_cross(&self) -> bool {
        !self.aggregated && self.cols.len() <= MAX_CROSS_COLUMNS
    }

    /// Read this row's metric cells. A cell that is neither a number nor
    /// yes/no counts as 0 and is counted; a column with too many of them is
    /// dropped when the file ends. Blank cells are 0, as elsewhere.
    pub(super) fn read<'a>(&mut self, field: &dyn Fn(usize) -> &'a str, style: NumberStyle) {
        let value = |raw: &str| cell_value(raw, style);
        for (k, &(i, _)) in self.cols.iter().enumerate() {
            let raw = field(i);
            let v = match value(raw) {
                Some(v) => v,
                None => {
                    if let Some(n) = self.not_numbers.get_mut(k) {
                        *n += 1;
                    }
                    0.0
                }
            };
            if v != 0.0 && v != 1.0 {
                if let Some(b) = self.non_binary.get_mut(k) {
                    *b = true;
                }
            }
            // The answers and the yes/no test read the value as written;
            // the sums, the capped one.
            let capped = self.bounds.get(k).map_or(v, |b| b.clamp(v));
            if let Some(slot) = self.row.get_mut(k) {
                *slot = capped;
            }
            let answers = match self.answer_cols.get(k).copied().flatten() {
                Some(cols) => {
                    let [a, p, d] =
                        cols.map(|j| value(field(j)).filter(|x| x.fract() == 0.0 && *x >= 0.0));
                    match (a, p, d) {
                        (Some(a), Some(p), Some(d)) => Some(ScoreCounts {
                            answers: a as u64,
                            promoters: p as u64,
                            detractors: d as u64,
                        }),
                        _ => None,
                    }
                }
                None if raw.is_empty() && !self.aggregated => None,
                None => (v.fract() == 0.0 && (0.0..=10.0).contains(&v) && !self.aggregated)
                    .then(|| ScoreCounts::of(v as u8)),
            };
            if answers.is_none() && (self.aggregated || !raw.is_empty()) {
                mark(&mut self.off_scale, k);
            }
            if let Some(slot) = self.row_answers.get_mut(k) {
                *slot = answers;
            }
            let sq = match self.sq.get(k).copied().flatten() {
                Some(j) => value(field(j)),
                None if self.aggregated => None,
                None => Some(capped * capped),
            };
            if let Some(slot) = self.row_sq.get_mut(k) {
                *slot = sq;
            }
        }
        self.row_cross.clear();
        if self.aggregated {
            for &(_, _, j) in &self.cross {
                self.row_cross.push(value(field(j)).unwrap_or(f64::NAN));
            }
        } else if self.keeps_cross() {
            for (a, &x) in self.row.iter().enumerate() {
                for &y in self.row.get(a + 1..).unwrap_or_default() {
                    self.row_cross.push(x * y);
                }
            }
        }
    }

    /// Add the row just read to a variant's sums.
    pub(super) fn add(&self, v: &mut VariantStats) {
        let k = self.cols.len();
        if v.columns.len() != k {
            v.columns = vec![
                ColumnSums {
                    sum: 0.0,
                    sum_sq: Some(0.0),
                    scores: Some(ScoreCounts::default()),
                };
                k
            ];
        }
        for (((sums, &x), &sq), &answers) in v
            .columns
            .iter_mut()
            .zip(&self.row)
            .zip(&self.row_sq)
            .zip(&self.row_answers)
        {
            sums.sum += x;
            if let (Some(counts), Some(answers)) = (sums.scores.as_mut(), answers) {
                counts.merge(answers);
            }
            sums.sum_sq = match (sums.sum_sq, sq) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
        }
        if self.aggregated {
            if v.cross.len() != k * k.saturating_sub(1) / 2 {
                v.cross = vec![None; k * k.saturating_sub(1) / 2];
            }
            let mut seen = vec![false; v.cross.len()];
            for (&(a, b, _), &x) in self.cross.iter().zip(&self.row_cross) {
                let p = pair_index(a, b, k);
                if let (Some(slot), Some(s)) = (v.cross.get_mut(p), seen.get_mut(p)) {
                    *s = true;
                    *slot = Some(slot.unwrap_or(0.0) + x).filter(|t| t.is_finite());
                }
            }
            // A pair some row lacks has no known total.
            for (slot, s) in v.cross.iter_mut().zip(seen) {
                if !s {
                    *slot = None;
                }
            }
        } else if self.keeps_cross() {
            if v.cross.len() != self.row_cross.len() {
                v.cross = vec![Some(0.0); self.row_cross.len()];
            }
            for (slot, &x) in v.cross.iter_mut().zip(&self.row_cross) {
                *slot = slot.map(|t| t + x);
            }
        }
    }

    /// The columns that held metrics, and each variant's sums cut down to
    /// them. A row-level column keeps up to 1% of cells that are not
    /// numbers; an aggregated one keeps none, and a column of text is a
    /// label (a segment, a page name), not a metric.
    pub(super) fn finish(&self, rows: usize, variants: &mut [VariantStats]) -> Vec<MetricColumn> {
        let k = self.cols.len();
        let allowed = if self.aggregated {
            0
        } else {
            rows as u64 / 100
        };
        let kept: Vec<usize> = (0..k)
            .filter(|&c| {
                let bad = self.not_numbers.get(c).copied().unwrap_or(0);
                bad <= allowed && bad < rows as u64
            })
            .collect();
        let kind = |c: usize| {
            let whole_counts = || {
                variants.iter().all(|v| {
                    v.columns.get(c).is_some_and(|s| {
                        s.sum.fract() == 0.0 && s.sum >= 0.0 && s.sum <= v.users as f64
                    })
                })
            };
            let binary = if self.aggregated {
                self.sq.get(c).copied().flatten().is_none() && whole_counts()
            } else {
                !self.non_binary.get(c).copied().unwrap_or(true)
            };
            if binary {
                ValueKind::Binary
            } else {
                ValueKind::Numeric
            }
        };
        let columns = kept
            .iter()
            .filter_map(|&c| {
                let (_, name) = self.cols.get(c)?;
                Some(MetricColumn {
                    name: name.clone(),
                    kind: kind(c),
                    not_numbers: self.not_numbers.get(c).copied().unwrap_or(0),
                })
            })
            .collect();
        let m = kept.len();
        let binary: Vec<bool> = kept.iter().map(|&c| kind(c) == ValueKind::Binary).collect();
        let on_scale: Vec<bool> = kept
            .iter()
            .zip(&binary)
            .map(|(&c, &b)| !b && !self.off_scale.get(c).copied().unwrap_or(true))
            .collect();
        for v in variants.iter_mut() {
            let had_cross = v.cross.len() == k * k.saturating_sub(1) / 2 && !v.cross.is_empty();
            v.columns = kept
                .iter()
                .zip(binary.iter().zip(&on_scale))
                .map(|(&c, (&is_binary, &is_scale))| {
                    let mut s = v.columns.get(c).copied().unwrap_or(ColumnSums {
                        sum: 0.0,
                        sum_sq: Some(0.0),
                        scores: None,
                    });
                    // 0/1 values are their own squares.
                    if is_binary {
                        s.sum_sq = Some(s.sum);
                    }
                    if !is_scale {
                        s.scores = None;
                    }
                    s
                })
                .collect();
            let mut cross = Vec::new();
            if had_cross {
                cross = vec![None; m * m.saturating_sub(1) / 2];
                for (a, &ca) in kept.iter().enumerate() {
                    for (b, &cb) in kept.iter().enumerate().skip(a + 1) {
                        let from = v.cross.get(pair_index(ca, cb, k)).copied().flatten();
                        if let Some(slot) = cross.get_mut(pair_index(a, b, m)) {
                            *slot = from;
                        }
                    }
                }
            }
            v.cross = cross;
        }
        columns
    }
}

/// A metric cell's value: a number, yes/no as 1/0, blank as 0; `None`
/// for text and for numbers too large to sum. Not inlined: one copy serves every cell kind of `read`.
#[inline(never)]
fn cell_value(raw: &str, style: NumberStyle) -> Option<f64> {
    if raw.is_empty() {
        return Some(0.0);
    }
    parse_number(raw, style)
        .filter(|v| v.abs() <= super::numbers::LARGEST)
        .or_else(|| parse_bool(raw).map(|b| f64::from(u8::from(b))))
}

fn mark(flags: &mut [bool], i: usize) {
    if let Some(f) = flags.get_mut(i) {
        *f = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_index_fills_the_triangle_once() {
        let k = 5;
        let mut seen = vec![0; k * (k - 1) / 2];
        for i in 0..k {
            for j in i + 1..k {
                seen[pair_index(i, j, k)] += 1;
                assert_eq!(pair_index(i, j, k), pair_index(j, i, k));
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
    }

    #[test]
    fn named_by_its_header() {
        for h in [
            "nps",
            "NPS score",
            "likely_to_recommend",
            "Promoter score",
            "npsScore",
            "q_NPS",
        ] {
            assert!(named_like_nps(h), "{h}");
        }
        for h in ["csat", "satisfaction", "score", "snaps", "synapse"] {
            assert!(!named_like_nps(h), "{h}");
        }
    }

    #[test]
    fn labels_are_not_metrics() {
        for h in [
            "userid",
            "user_id",
            "Customer ID",
            "timestamp",
            "zip_code",
            "order_id",
        ] {
            assert!(is_label(h), "{h}");
        }
        for h in ["sum_gamerounds", "spend", "time_on_site", "paid", "visit"] {
            assert!(!is_label(h), "{h}");
        }
    }
}

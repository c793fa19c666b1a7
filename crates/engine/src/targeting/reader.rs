//! Reading a targeting file: the users of a CSV file with their treatment
//! flag, outcome, score and value, the columns a file most likely holds,
//! and a sample file for trying the tool.

use super::*;

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

    pub(super) fn check(&self) -> Result<(), TargetingError> {
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
    pub(super) fn ranked(score: &[f64]) -> Vec<usize> {
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
    pub(super) fn steps(&self, score: &[f64]) -> Vec<Step> {
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
    pub(super) fn total(&self) -> Step {
        let mut at = Step::default();
        for (&t, &y) in self.treated.iter().zip(&self.outcome) {
            at.add(t, y);
        }
        at
    }

    pub(super) fn curve(&self, score: &[f64], value: fn(&Step) -> f64) -> Curve {
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
pub(super) enum Cell {
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
pub(super) fn read_columns(
    text: &str,
    wanted: &[(&str, Cell)],
) -> Result<Vec<Vec<f64>>, TargetingError> {
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

//! A programme of experiments: each experiment's measured lift shrunk
//! toward the programme's mean, so that the lifts of the "winners" are not
//! read at face value (the winner's curse: an experiment is called a winner
//! partly because its noise happened to be positive).

use serde::{Deserialize, Serialize};

use crate::ingest::line_of;
use thiserror::Error;

/// At least this many experiments before their lifts are shrunk, as
/// GrowthBook's Insights asks; with fewer, the spread between experiments
/// cannot be told from their noise.
pub const MIN_EXPERIMENTS: usize = 6;

/// One experiment of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub name: String,
    /// Relative lift (0.05 = +5%) and its standard error.
    pub lift: f64,
    pub std_error: f64,
}

/// Why the programme cannot be shrunk. Messages are for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ProgrammeError {
    #[error("Shrinking needs at least {MIN_EXPERIMENTS} experiments; there are {found}.")]
    TooFew { found: usize },
    #[error("Experiment '{name}': the standard error must be a positive number.")]
    BadError { name: String },
    #[error("Experiment '{name}': the lift is not a finite number.")]
    BadLift { name: String },
    #[error("No column '{column}': the file needs name, lift and std_error (or ci_low and ci_high) columns. Found columns: {found}.")]
    NoColumn { column: String, found: String },
    #[error("Line {line}, column '{column}': \"{value}\" is not a number.")]
    NotANumber {
        line: u64,
        column: String,
        value: String,
    },
}

/// The normal quantile of a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The experiments of a CSV file, one per row: `name`, `lift` (a fraction,
/// 0.05 = +5%) and `std_error`, or instead of the standard error a 95%
/// interval `ci_low`, `ci_high` (its width over 2 × 1.96).
pub fn read(text: &str) -> Result<Vec<Experiment>, ProgrammeError> {
    let (mut reader, text) = crate::ingest::csv_reader(text);
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let find = |c: &str| headers.iter().position(|h| h == c);
    let missing = |c: &str| ProgrammeError::NoColumn {
        column: c.to_string(),
        found: headers.join(", "),
    };
    let name = find("name").ok_or_else(|| missing("name"))?;
    let lift = find("lift").ok_or_else(|| missing("lift"))?;
    let se = find("std_error");
    let ci = find("ci_low").zip(find("ci_high"));
    if se.is_none() && ci.is_none() {
        return Err(missing("std_error"));
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else {
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let byte = record.position().map_or(0, csv::Position::byte);
        let number = |i: usize| {
            let raw = record.get(i).unwrap_or("").trim();
            crate::decimal::parse_f64(raw).ok_or_else(|| ProgrammeError::NotANumber {
                // The csv reader does not count blank lines: counted here.
                line: line_of(text, byte),
                column: headers.get(i).cloned().unwrap_or_default(),
                value: raw.to_string(),
            })
        };
        let std_error = match (se, ci) {
            (Some(i), _) => number(i)?,
            (None, Some((lo, hi))) => (number(hi)? - number(lo)?) / (2.0 * Z95),
            (None, None) => f64::NAN,
        };
        out.push(Experiment {
            name: record.get(name).unwrap_or("").trim().to_string(),
            lift: number(lift)?,
            std_error,
        });
    }
    Ok(out)
}

/// The programme as the command line prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeReport {
    pub shrinkage: Shrinkage,
    pub experiments: Vec<Experiment>,
    /// Experiments significant at 5% (|lift| > 1.96 standard errors, lift
    /// positive), the sum of their lifts as measured and once shrunk.
    pub winners: Vec<String>,
    pub winners_raw_sum: f64,
    pub winners_shrunk_sum: f64,
}

/// [`shrink`] the experiments and sum the winners both ways.
pub fn report(experiments: Vec<Experiment>) -> Result<ProgrammeReport, ProgrammeError> {
    let shrinkage = shrink(&experiments)?;
    let mut winners = Vec::new();
    let (mut raw, mut shrunk) = (0.0, 0.0);
    for (e, s) in experiments.iter().zip(&shrinkage.shrunk) {
        if e.lift / e.std_error > Z95 {
            winners.push(e.name.clone());
            raw += e.lift;
            shrunk += s;
        }
    }
    Ok(ProgrammeReport {
        shrinkage,
        experiments,
        winners,
        winners_raw_sum: raw,
        winners_shrunk_sum: shrunk,
    })
}

/// The programme's experiments, shrunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shrinkage {
    /// The programme's mean lift, toward which each lift is shrunk.
    pub mean: f64,
    /// How much of each experiment's distance from the mean is kept (1: all,
    /// 0: every lift is the mean).
    pub kept: f64,
    /// Each experiment's shrunken lift, in the order given.
    pub shrunk: Vec<f64>,
}

/// Positive-part James–Stein shrinkage toward the mean (Efron & Morris
/// 1973, 1975): with `k` lifts `x_i`, their mean `m`, and `σ²` the mean of
/// their squared standard errors,
/// `kept = max(0, 1 − (k − 3)·σ² / Σ(x_i − m)²)` and
/// `shrunk_i = m + kept·(x_i − m)`. Lifts far more spread out than their
/// noise are kept nearly as measured; lifts no more spread out than noise
/// would make them all shrink to the mean.
pub fn shrink(experiments: &[Experiment]) -> Result<Shrinkage, ProgrammeError> {
    let k = experiments.len();
    if k < MIN_EXPERIMENTS {
        return Err(ProgrammeError::TooFew { found: k });
    }
    for e in experiments {
        if !e.lift.is_finite() {
            return Err(ProgrammeError::BadLift {
                name: e.name.clone(),
            });
        }
        if !(e.std_error.is_finite() && e.std_error > 0.0) {
            return Err(ProgrammeError::BadError {
                name: e.name.clone(),
            });
        }
    }
    let n = k as f64;
    let mean = experiments.iter().map(|e| e.lift).sum::<f64>() / n;
    let noise = experiments.iter().map(|e| e.std_error.powi(2)).sum::<f64>() / n;
    let spread: f64 = experiments.iter().map(|e| (e.lift - mean).powi(2)).sum();
    let kept = if spread > 0.0 {
        (1.0 - (n - 3.0) * noise / spread).max(0.0)
    } else {
        0.0
    };
    Ok(Shrinkage {
        mean,
        kept,
        shrunk: experiments
            .iter()
            .map(|e| mean + kept * (e.lift - mean))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(lifts: &[(f64, f64)]) -> Vec<Experiment> {
        lifts
            .iter()
            .enumerate()
            .map(|(i, &(lift, std_error))| Experiment {
                name: format!("test {i}"),
                lift,
                std_error,
            })
            .collect()
    }

    #[test]
    fn six_experiments_shrink_as_derived_by_hand() {
        // Lifts 0.10, 0.02, −0.01, 0.05, 0.00, 0.08 with standard errors
        // 0.03, 0.02, 0.02, 0.04, 0.01, 0.03.
        // mean = 0.24 / 6 = 0.04; deviations 0.06, −0.02, −0.05, 0.01,
        // −0.04, 0.04; Σ dev² = 0.0036 + 0.0004 + 0.0025 + 0.0001 + 0.0016
        // + 0.0016 = 0.0098; σ² = (0.0009 + 0.0004 + 0.0004 + 0.0016
        // + 0.0001 + 0.0009) / 6 = 0.0043 / 6; kept = 1 − 3 · 0.0043 / 6
        // / 0.0098 = 1 − 0.0129 / 0.0588 = 0.780612…; the first lift
        // becomes 0.04 + 0.780612 · 0.06 = 0.086837.
        let p = programme(&[
            (0.10, 0.03),
            (0.02, 0.02),
            (-0.01, 0.02),
            (0.05, 0.04),
            (0.00, 0.01),
            (0.08, 0.03),
        ]);
        let Ok(s) = shrink(&p) else { panic!("shrinks") };
        assert!((s.mean - 0.04).abs() < 1e-15);
        let kept = 1.0 - 0.0129 / 0.0588;
        assert!((s.kept - kept).abs() < 1e-12, "{}", s.kept);
        assert!((s.shrunk[0] - (0.04 + kept * 0.06)).abs() < 1e-12);
        assert!((s.shrunk[2] - (0.04 - kept * 0.05)).abs() < 1e-12);
        // Shrinking keeps the mean.
        let sum: f64 = s.shrunk.iter().sum();
        assert!((sum / 6.0 - s.mean).abs() < 1e-15);
    }

    #[test]
    fn noise_alone_shrinks_to_the_mean_and_too_few_are_refused() {
        let p = programme(&[
            (0.01, 0.05),
            (0.02, 0.05),
            (0.00, 0.05),
            (0.01, 0.05),
            (0.03, 0.05),
            (0.02, 0.05),
        ]);
        let Ok(s) = shrink(&p) else { panic!("shrinks") };
        assert_eq!(s.kept, 0.0);
        assert!(s.shrunk.iter().all(|&x| (x - s.mean).abs() < 1e-15));
        assert_eq!(shrink(&p[..5]), Err(ProgrammeError::TooFew { found: 5 }));
        let mut bad = p.clone();
        bad[3].std_error = 0.0;
        assert!(matches!(shrink(&bad), Err(ProgrammeError::BadError { .. })));
    }

    #[test]
    fn a_file_with_intervals_or_errors_is_read() {
        let text = "name,lift,ci_low,ci_high\nhero banner,0.05,0.0108,0.0892\n\nemail,x,0,1\n";
        let got = read(text);
        assert!(
            matches!(got, Err(ProgrammeError::NotANumber { line: 4, .. })),
            "{got:?}"
        );
        let Ok(e) = read("Name,Lift,Std_Error\nhero banner,0.05,0.02\n") else {
            panic!("reads")
        };
        assert_eq!(e[0].name, "hero banner");
        assert_eq!((e[0].lift, e[0].std_error), (0.05, 0.02));
        let Ok(e) = read("name,lift,ci_low,ci_high\na,0.05,0.0108,0.0892\n") else {
            panic!("reads")
        };
        assert!((e[0].std_error - 0.0784 / (2.0 * Z95)).abs() < 1e-15);
        assert!(matches!(
            read("name,lift\na,0.1\n"),
            Err(ProgrammeError::NoColumn { .. })
        ));
    }

    #[test]
    fn the_sum_of_winners_is_overstated_raw_and_not_once_shrunk() {
        // 400 programmes of 20 experiments: true lifts around +1% (spread
        // 2%), each measured with a 2% standard error. "Winners" are the
        // experiments significant at 5%, as a team would ship them; the sum
        // of their measured lifts against the sum of their true ones.
        let mut rng = crate::rng::Rng::new(2024);
        let (mut raw_bias, mut shrunk_bias, mut winners) = (0.0, 0.0, 0usize);
        for _ in 0..400 {
            let truth: Vec<f64> = (0..20).map(|_| 0.01 + 0.02 * rng.normal()).collect();
            let p: Vec<Experiment> = truth
                .iter()
                .enumerate()
                .map(|(i, t)| Experiment {
                    name: format!("{i}"),
                    lift: t + 0.02 * rng.normal(),
                    std_error: 0.02,
                })
                .collect();
            let Ok(s) = shrink(&p) else { panic!("shrinks") };
            for ((e, t), sh) in p.iter().zip(&truth).zip(&s.shrunk) {
                if e.lift / e.std_error > 1.96 {
                    raw_bias += e.lift - t;
                    shrunk_bias += sh - t;
                    winners += 1;
                }
            }
        }
        let (raw, shrunk) = (raw_bias / winners as f64, shrunk_bias / winners as f64);
        eprintln!(
            "per winner ({winners} winners): raw lifts overstate the truth by {:+.2} points, shrunk ones by {:+.2}",
            raw * 100.0,
            shrunk * 100.0
        );
        assert!(raw > 0.01, "raw bias {raw}");
        assert!(
            shrunk.abs() < 0.3 * raw,
            "shrunk bias {shrunk} vs raw {raw}"
        );
    }
}

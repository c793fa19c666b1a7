//! A programme of experiments: each experiment's measured lift shrunk
//! toward the programme's mean, so that the lifts of the "winners" are not
//! read at face value (the winner's curse: an experiment is called a winner
//! partly because its noise happened to be positive).

use serde::{Deserialize, Serialize};

use crate::ingest::named::NamedCsv;
use crate::ingest::CsvError;
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
    /// What running it cost (0 when not given).
    #[serde(default)]
    pub cost: f64,
    /// Share of the traffic the change reaches once shipped (1 when not
    /// given).
    #[serde(default = "whole")]
    pub share: f64,
    /// When it was shipped (or ended), as days since 1970-01-01.
    #[serde(default)]
    pub day: Option<i64>,
}

fn whole() -> f64 {
    1.0
}

impl Experiment {
    /// An experiment with its lift and standard error only: no cost, all
    /// the traffic, no date.
    pub fn new(name: impl Into<String>, lift: f64, std_error: f64) -> Experiment {
        Experiment {
            name: name.into(),
            lift,
            std_error,
            cost: 0.0,
            share: 1.0,
            day: None,
        }
    }
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
    #[error("Line {line}, column '{column}': \"{value}\" is not {expected}.")]
    NotANumber {
        line: u64,
        column: String,
        value: String,
        expected: &'static str,
    },
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("Experiment '{name}': the share of traffic must be between 0% and 100%.")]
    BadShare { name: String },
    #[error("Experiment '{name}': the cost cannot be negative.")]
    BadCost { name: String },
    #[error("The value per year must be a positive amount, the horizon between 1 and 120 months and the discount rate between 0% and 100%.")]
    BadValuation,
}

/// The normal quantile of a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The largest lift, or its standard error, a programme may hold in size
/// (+10,000%).
pub const MAX_LIFT: f64 = 100.0;

/// The experiments of a CSV file, one per row: `name`, `lift` (a fraction,
/// 0.05 = +5%) and `std_error`, or instead of the standard error a 95%
/// interval `ci_low`, `ci_high` (its width over 2 × 1.96). Optional:
/// `cost`, `share` (of the traffic reached once shipped, a fraction; 1
/// when absent) and `date` (shipped or ended, `YYYY-MM-DD`); other columns
/// (metric, users) are kept out of the way.
pub fn read(text: &str) -> Result<Vec<Experiment>, ProgrammeError> {
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    // Headers in any case: "Lift" is `lift`.
    let headers: Vec<String> = csv.headers().iter().map(|h| h.to_lowercase()).collect();
    let find = |c: &str| headers.iter().position(|h| h == c);
    let missing = |c: &str| CsvError::NoColumn {
        column: c.to_string(),
        found: headers.join(", "),
    };
    let name = find("name").ok_or_else(|| missing("name"))?;
    let lift = find("lift").ok_or_else(|| missing("lift"))?;
    let se = find("std_error");
    let ci = find("ci_low").zip(find("ci_high"));
    if se.is_none() && ci.is_none() {
        return Err(missing("std_error").into());
    }
    let (cost, share, date) = (find("cost"), find("share"), find("date"));
    let mut out = Vec::new();
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        let bad = |i: usize, expected: &'static str| ProgrammeError::NotANumber {
            line,
            column: headers.get(i).cloned().unwrap_or_default(),
            value: record.get(i).unwrap_or("").trim().to_string(),
            expected,
        };
        let number = |i: usize| {
            let raw = record.get(i).unwrap_or("").trim();
            let v = crate::decimal::parse_f64(raw).ok_or_else(|| bad(i, "a number"))?;
            // Far beyond any budget or share: refused here, before the
            // shrinkage, the draws and the charts meet it.
            if v.abs() > 1e15 {
                return Err(bad(i, "a number of at most 15 digits"));
            }
            Ok(v)
        };
        // A lift of 100 is +10,000%: anything larger is a typo or a
        // percentage written without its "%" scaling (12 for 12%? 0.12).
        let relative = |i: usize| {
            let raw = record.get(i).unwrap_or("").trim();
            let v = crate::decimal::parse_f64(raw).ok_or_else(|| bad(i, "a number"))?;
            if v.abs() > MAX_LIFT {
                return Err(bad(i, "a relative lift of at most 100 (+10,000%) in size"));
            }
            Ok(v)
        };
        // An optional cell: empty means "not given".
        let optional =
            |i: Option<usize>| i.filter(|&i| !record.get(i).unwrap_or("").trim().is_empty());
        let std_error = match (se, ci) {
            (Some(i), _) => relative(i)?,
            (None, Some((lo, hi))) => (relative(hi)? - relative(lo)?) / (2.0 * Z95),
            (None, None) => f64::NAN,
        };
        let day = match optional(date) {
            Some(i) => Some(
                crate::value::transactions::parse_date(record.get(i).unwrap_or(""))
                    .ok_or_else(|| bad(i, "a date (YYYY-MM-DD)"))?,
            ),
            None => None,
        };
        out.push(Experiment {
            name: record.get(name).unwrap_or("").trim().to_string(),
            lift: relative(lift)?,
            std_error,
            cost: optional(cost).map(number).transpose()?.unwrap_or(0.0),
            share: optional(share).map(number).transpose()?.unwrap_or(1.0),
            day,
        });
    }
    Ok(out)
}

impl Experiment {
    /// Significant at 5% with a positive lift (`lift / SE > 1.96`): a
    /// winner, shipped. Decided per experiment, so two experiments with the
    /// same name are never taken for each other.
    pub fn is_winner(&self) -> bool {
        self.lift / self.std_error > Z95
    }
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
        if e.is_winner() {
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

/// A sample programme of twelve experiments over a year, for trying the
/// page without a file.
pub const SAMPLE: &str = "name,lift,std_error,cost,share,date
Homepage recommendations,0.061,0.021,18000,0.8,2024-01-22
Personalized search ranking,0.024,0.015,24000,0.6,2024-02-12
Cart cross-sell,0.052,0.024,12000,0.3,2024-03-04
Email send-time model,-0.011,0.018,8000,0.4,2024-03-25
Product page bundles,0.009,0.020,15000,0.5,2024-04-15
Browse abandonment nudge,0.071,0.033,10000,0.2,2024-05-06
Category page sorting,0.004,0.012,9000,0.7,2024-06-03
Loyalty offer targeting,0.038,0.017,21000,0.25,2024-07-01
Checkout reassurance copy,-0.006,0.014,6000,1,2024-08-12
Onboarding journey,0.017,0.019,14000,0.15,2024-09-09
Price-sensitive coupons,0.029,0.026,11000,0.35,2024-10-14
Returning-visitor banner,0.012,0.016,7000,0.9,2024-11-18
";

/// How the programme's lifts are turned into money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Valuation {
    /// What a year of all the traffic is worth on the lifts' metric (e.g.
    /// the annual revenue of the site): a +1% lift on all of it is worth 1%
    /// of this a year.
    pub annual_value: f64,
    /// Months a shipped change is counted for.
    pub months: u32,
    /// Annual discount rate for the net present value.
    pub discount_rate: f64,
    /// Monte Carlo draws for the chance that the programme pays off.
    pub draws: usize,
    pub seed: u64,
}

impl Default for Valuation {
    fn default() -> Valuation {
        Valuation {
            annual_value: 10_000_000.0,
            months: 12,
            discount_rate: 0.08,
            draws: 10_000,
            seed: 1,
        }
    }
}

/// One month of the programme's cumulative impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthImpact {
    /// "2024-03".
    pub month: String,
    /// Impact up to the end of this month, from lifts as measured and
    /// shrunk.
    pub raw: f64,
    pub shrunk: f64,
}

/// What the programme is worth: its shipped experiments (the winners,
/// as [`report`] finds them), valued as measured and shrunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Worth {
    /// Impact per year of the shipped changes: Σ lift × share × value.
    pub annual_impact_raw: f64,
    pub annual_impact_shrunk: f64,
    /// Cost of every experiment run, winners or not.
    pub total_cost: f64,
    /// Net present value over the horizon, from the shrunken lifts.
    pub npv: f64,
    /// NPV over the total cost; `None` without costs.
    pub roi: Option<f64>,
    /// Share of draws of the true lifts in which the NPV is above 0.
    pub probability_positive: f64,
    /// Interval of the NPV over the draws (2.5th and 97.5th percentiles).
    pub npv_interval: (f64, f64),
    /// Cumulative impact by month from the first shipped change to the
    /// horizon after the last one; empty when no shipped experiment has a
    /// date.
    pub cumulative: Vec<MonthImpact>,
}

/// Present value of one unit of annual impact counted for `months`
/// months: monthly impacts of 1/12 discounted as the investment case does,
/// `Σ_{m=1}^{M} (1/12)·(1 + r)^{−(m − 1)/12}`.
fn present_value_factor(months: u32, rate: f64) -> f64 {
    (1..=months)
        .map(|m| (1.0 + rate).powf(-(f64::from(m) - 1.0) / 12.0) / 12.0)
        .sum()
}

/// The programme's [`Worth`]: shipped changes are the winners (lift above
/// 1.96 standard errors); a change's annual impact is
/// `lift × share × annual_value`; the NPV is the present value of the
/// shrunken impacts over `months` months (monthly, discounted as the
/// investment case's NPV) less the total cost, paid up front.
///
/// The chance that the NPV is above 0 draws each winner's true lift from
/// its empirical-Bayes posterior under the James–Stein model:
/// `N(shrunk_i, kept·se_i² + (1 − kept)²·σ²/k)` (Morris 1983, "Parametric
/// empirical Bayes inference", JASA 78: the posterior variance with the
/// uncertainty of the estimated mean), with `σ²` the mean squared standard
/// error over the `k` experiments.
pub fn worth(report: &ProgrammeReport, valuation: &Valuation) -> Result<Worth, ProgrammeError> {
    let v = valuation;
    let valid = v.annual_value.is_finite()
        && v.annual_value > 0.0
        && (1..=120).contains(&v.months)
        && (0.0..=1.0).contains(&v.discount_rate);
    if !valid {
        return Err(ProgrammeError::BadValuation);
    }
    for e in &report.experiments {
        if !(0.0..=1.0).contains(&e.share) {
            return Err(ProgrammeError::BadShare {
                name: e.name.clone(),
            });
        }
        if !(e.cost.is_finite() && e.cost >= 0.0) {
            return Err(ProgrammeError::BadCost {
                name: e.name.clone(),
            });
        }
    }
    let shipped: Vec<(&Experiment, f64)> = report
        .experiments
        .iter()
        .zip(&report.shrinkage.shrunk)
        .filter(|(e, _)| e.is_winner())
        .map(|(e, s)| (e, *s))
        .collect();
    let annual = |lift: &dyn Fn(&Experiment, f64) -> f64| -> f64 {
        shipped
            .iter()
            .map(|(e, s)| lift(e, *s) * e.share * v.annual_value)
            .sum()
    };
    let annual_impact_raw = annual(&|e, _| e.lift);
    let annual_impact_shrunk = annual(&|_, s| s);
    let total_cost: f64 = report.experiments.iter().map(|e| e.cost).sum();
    let factor = present_value_factor(v.months, v.discount_rate);
    let npv = annual_impact_shrunk * factor - total_cost;
    // Draws of the NPV.
    let k = report.experiments.len() as f64;
    let kept = report.shrinkage.kept;
    let noise = report
        .experiments
        .iter()
        .map(|e| e.std_error.powi(2))
        .sum::<f64>()
        / k;
    let mut rng = crate::rng::Rng::new(v.seed);
    let mut draws: Vec<f64> = (0..v.draws.max(1))
        .map(|_| {
            let impact: f64 = shipped
                .iter()
                .map(|(e, s)| {
                    let sd = (kept * e.std_error.powi(2) + (1.0 - kept).powi(2) * noise / k).sqrt();
                    (s + sd * rng.normal()) * e.share * v.annual_value
                })
                .sum();
            impact * factor - total_cost
        })
        .collect();
    draws.sort_by(f64::total_cmp);
    let positive = draws.iter().filter(|&&d| d > 0.0).count() as f64 / draws.len() as f64;
    let at = |q: f64| {
        let i = ((draws.len() - 1) as f64 * q).round() as usize;
        draws.get(i).copied().unwrap_or(f64::NAN)
    };
    Ok(Worth {
        annual_impact_raw,
        annual_impact_shrunk,
        total_cost,
        npv,
        roi: (total_cost > 0.0).then(|| npv / total_cost),
        probability_positive: positive,
        npv_interval: (at(0.025), at(0.975)),
        cumulative: cumulative(&shipped, v),
    })
}

/// Months as a count since year 0, for a day number.
fn month_index(day: i64) -> i64 {
    let date = crate::value::transactions::civil_from_days(day);
    let year: i64 = date.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    let month: i64 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    year * 12 + month - 1
}

/// Cumulative impact by month: a change shipped in a month counts from
/// the next one, for `months` months.
fn cumulative(shipped: &[(&Experiment, f64)], v: &Valuation) -> Vec<MonthImpact> {
    let dated: Vec<(i64, f64, f64)> = shipped
        .iter()
        .filter_map(|(e, s)| {
            let monthly = e.share * v.annual_value / 12.0;
            e.day
                .map(|d| (month_index(d) + 1, e.lift * monthly, s * monthly))
        })
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|d| d.0).min(),
        dated.iter().map(|d| d.0).max(),
    ) else {
        return Vec::new();
    };
    let span = i64::from(v.months);
    let (mut raw, mut shrunk) = (0.0, 0.0);
    (first..last + span)
        .map(|m| {
            for &(start, r, s) in &dated {
                if (start..start + span).contains(&m) {
                    raw += r;
                    shrunk += s;
                }
            }
            MonthImpact {
                month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                raw,
                shrunk,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(lifts: &[(f64, f64)]) -> Vec<Experiment> {
        lifts
            .iter()
            .enumerate()
            .map(|(i, &(lift, std_error))| Experiment::new(format!("test {i}"), lift, std_error))
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
            Err(ProgrammeError::Csv(CsvError::NoColumn { .. }))
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
                .map(|(i, t)| Experiment::new(format!("{i}"), t + 0.02 * rng.normal(), 0.02))
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

    fn dated_programme() -> ProgrammeReport {
        let text = "name,lift,std_error,cost,share,date\n\
            a,0.08,0.02,10000,0.5,2024-01-15\n\
            b,0.01,0.02,10000,,2024-02-10\n\
            c,-0.02,0.02,10000,1,2024-03-01\n\
            d,0.06,0.02,10000,0.25,2024-03-20\n\
            e,0.00,0.02,10000,1,\n\
            f,0.03,0.02,10000,1,2024-05-02\n";
        match read(text).and_then(report) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn worth_values_the_shipped_winners_by_hand() -> Result<(), ProgrammeError> {
        let r = dated_programme();
        assert_eq!(r.winners, vec!["a".to_string(), "d".to_string()]);
        let v = Valuation {
            annual_value: 1_000_000.0,
            months: 12,
            discount_rate: 0.0,
            draws: 20_000,
            seed: 7,
        };
        let w = worth(&r, &v)?;
        let s = &r.shrinkage.shrunk;
        // a: half the traffic, d: a quarter.
        let raw = (0.08 * 0.5 + 0.06 * 0.25) * 1e6;
        let shrunk = (s[0] * 0.5 + s[3] * 0.25) * 1e6;
        assert!((w.annual_impact_raw - raw).abs() < 1e-6);
        assert!((w.annual_impact_shrunk - shrunk).abs() < 1e-6);
        assert!(w.annual_impact_shrunk < w.annual_impact_raw);
        assert_eq!(w.total_cost, 60_000.0);
        // No discounting over 12 months: the PV is one year's impact.
        assert!((w.npv - (shrunk - 60_000.0)).abs() < 1e-6);
        assert_eq!(w.roi, Some(w.npv / 60_000.0));
        assert!(w.npv_interval.0 < w.npv && w.npv < w.npv_interval.1);
        // The draws' mean NPV is the NPV: the chance of a positive one
        // follows its sign.
        assert!((w.probability_positive > 0.5) == (w.npv > 0.0));
        // Cumulative: a counts from February 2024, d from April, each for
        // 12 months; the chart runs to March 2025.
        assert_eq!(
            w.cumulative.first().map(|m| m.month.as_str()),
            Some("2024-02")
        );
        assert_eq!(
            w.cumulative.last().map(|m| m.month.as_str()),
            Some("2025-03")
        );
        let last = w.cumulative.last().map_or(0.0, |m| m.raw);
        assert!((last - raw).abs() < 1e-6, "{last} {raw}");
        // Discounting lowers the NPV; a bad valuation is named.
        let discounted = worth(
            &r,
            &Valuation {
                discount_rate: 0.1,
                ..v.clone()
            },
        )?;
        assert!(discounted.npv < w.npv);
        assert_eq!(
            worth(&r, &Valuation { months: 0, ..v }),
            Err(ProgrammeError::BadValuation)
        );
        Ok(())
    }

    /// Two experiments named alike, one a winner: only the winner ships
    /// (matched by name, both did, and the loser's lift was counted).
    #[test]
    fn experiments_with_the_same_name_are_told_apart() -> Result<(), ProgrammeError> {
        let text = "name,lift,std_error,cost,share,date\n\
            banner,0.08,0.02,10000,1,2024-01-15\n\
            banner,-0.05,0.02,10000,1,2024-02-10\n\
            c,0.01,0.02,10000,1,2024-03-01\n\
            d,0.00,0.02,10000,1,2024-03-20\n\
            e,0.02,0.02,10000,1,2024-04-20\n\
            f,-0.01,0.02,10000,1,2024-05-02\n";
        let r = report(read(text)?)?;
        let shipped: Vec<bool> = r.experiments.iter().map(Experiment::is_winner).collect();
        assert_eq!(shipped, [true, false, false, false, false, false]);
        let v = Valuation {
            annual_value: 1_000_000.0,
            discount_rate: 0.0,
            draws: 200,
            ..Valuation::default()
        };
        let w = worth(&r, &v)?;
        assert!(
            (w.annual_impact_raw - 0.08 * 1e6).abs() < 1e-6,
            "{}",
            w.annual_impact_raw
        );
        Ok(())
    }

    #[test]
    fn optional_cells_are_checked_and_named() {
        let bad_date = "name,lift,std_error,date\na,0.1,0.02,March\n";
        assert_eq!(
            read(bad_date),
            Err(ProgrammeError::NotANumber {
                line: 2,
                column: "date".into(),
                value: "March".into(),
                expected: "a date (YYYY-MM-DD)",
            })
        );
        let mut r = dated_programme();
        r.experiments[0].share = 1.5;
        assert_eq!(
            worth(&r, &Valuation::default()),
            Err(ProgrammeError::BadShare { name: "a".into() })
        );
    }

    #[test]
    fn absurd_lifts_and_amounts_are_refused_with_their_cell() {
        let huge = "name,lift,std_error,date\na,1e308,0.02,2024-01-05\nb,0.1,0.02,2024-02-01\n";
        assert_eq!(
            read(huge).err().map(|e| e.to_string()).as_deref(),
            Some("Line 2, column 'lift': \"1e308\" is not a relative lift of at most 100 (+10,000%) in size.")
        );
        let wide = "name,lift,ci_low,ci_high\na,0.1,-1e200,1e200\n";
        assert!(matches!(
            read(wide),
            Err(ProgrammeError::NotANumber { column, .. }) if column == "ci_high"
        ));
        let costly = "name,lift,std_error,cost\na,0.1,0.02,1e300\n";
        assert!(matches!(
            read(costly),
            Err(ProgrammeError::NotANumber { .. })
        ));
        assert!(read("name,lift,std_error\na,99,0.5\n").is_ok());
    }

    #[test]
    fn the_sample_reads_and_is_valued() -> Result<(), ProgrammeError> {
        let r = report(read(SAMPLE)?)?;
        assert_eq!(r.experiments.len(), 12);
        assert!(!r.winners.is_empty());
        let w = worth(&r, &Valuation::default())?;
        assert!(w.annual_impact_shrunk < w.annual_impact_raw);
        assert!(!w.cumulative.is_empty());
        Ok(())
    }
}

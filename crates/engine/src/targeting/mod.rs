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

mod bins;
mod bootstrap;
mod causalml;
mod profit;
mod reader;
mod sklift;

pub use bins::*;
pub use bootstrap::*;
pub use causalml::*;
pub use profit::*;
pub use reader::*;
pub use sklift::*;

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

//! Retention measured from data instead of typed in: how long users stay
//! (until an event such as churn, or until they were last observed), per
//! variant. Kaplan–Meier curves with their confidence intervals, the median
//! time, the log-rank test between two groups and the restricted mean
//! survival time, as lifelines computes them.

use crate::ingest::named::NamedCsv;
use crate::ingest::CsvError;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};
use thiserror::Error;

/// Why the durations cannot be analysed. Messages are for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SurvivalError {
    #[error("There are no users to follow.")]
    Empty,
    #[error("{durations} durations but {events} event flags: every user needs both.")]
    Lengths { durations: usize, events: usize },
    #[error("User {row}: the duration must be a number of zero or more.")]
    BadDuration { row: usize },
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("Nobody churned: retention is 100% in every group, and comparing the groups needs at least one churn (an event of 1).")]
    NoEvents,
    #[error("No churn happened while both groups still had users, so the log-rank test has nothing to compare.")]
    NoSharedEvents,
}

/// The users of one group (a variant, a cohort): how long each was
/// followed, and whether the event was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub durations: Vec<f64>,
    pub events: Vec<bool>,
}

/// Each group's users of a CSV file (one row per user): the duration
/// (days, weeks: any unit, ≥ 0) and whether the event (churn) was seen, or
/// the user was still there when the data ends (1/0, true/false, yes/no).
/// Without a group column, one group named "all". Groups in the order they
/// first appear.
pub fn read_groups(
    text: &str,
    duration: &str,
    event: &str,
    group: Option<&str>,
) -> Result<Vec<Group>, SurvivalError> {
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    let at = |column: &str| {
        csv.find(column).ok_or_else(|| CsvError::NoColumn {
            column: column.to_string(),
            found: csv.found(),
        })
    };
    let (di, ei) = (at(duration)?, at(event)?);
    let gi = group.map(at).transpose()?;
    let mut groups: Vec<Group> = Vec::new();
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |i: usize, column: &str, expected| CsvError::BadCell {
            line,
            column: column.to_string(),
            value: cell(i).to_string(),
            expected,
        };
        let d = crate::decimal::parse_f64(cell(di))
            .filter(|d| d.is_finite() && *d >= 0.0)
            .ok_or_else(|| bad(di, duration, "a duration of zero or more"))?;
        let e = crate::ingest::parse_bool(cell(ei))
            .filter(|_| !cell(ei).is_empty())
            .ok_or_else(|| bad(ei, event, "1 or 0 (yes or no)"))?;
        let name = gi.map_or("all", cell);
        let k = match groups.iter().position(|g| g.name == name) {
            Some(k) => k,
            None => {
                groups.push(Group {
                    name: name.to_string(),
                    durations: Vec::new(),
                    events: Vec::new(),
                });
                groups.len() - 1
            }
        };
        if let Some(g) = groups.get_mut(k) {
            g.durations.push(d);
            g.events.push(e);
        }
    }
    if groups.is_empty() {
        return Err(SurvivalError::Empty);
    }
    Ok(groups)
}

/// One group's retention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRetention {
    pub name: String,
    pub users: u64,
    pub events: u64,
    pub median: Option<f64>,
    /// Mean time without the event up to the horizon.
    pub rmst: f64,
    /// The curve at the horizon.
    pub at_horizon: SurvivalAt,
    pub curve: KaplanMeier,
}

/// Every group's curve, and the first two groups compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionReport {
    pub horizon: f64,
    pub groups: Vec<GroupRetention>,
    /// The log-rank test and the RMST difference (second group minus
    /// first), when there are at least two groups.
    pub log_rank: Option<LogRank>,
    pub rmst_difference: Option<f64>,
}

/// The RMST horizon when none is chosen: the follow-up every group has,
/// the shortest of the groups' longest durations (RMST beyond a group's
/// last time would extrapolate its curve).
pub fn default_horizon(groups: &[Group]) -> f64 {
    groups
        .iter()
        .map(|g| g.durations.iter().copied().fold(0.0_f64, f64::max))
        .fold(f64::INFINITY, f64::min)
}

/// [`kaplan_meier`], [`rmst`] up to `horizon` and [`log_rank`] for groups
/// as [`read_groups`] gives them.
pub fn retention(
    groups: &[Group],
    horizon: f64,
    confidence: f64,
) -> Result<RetentionReport, SurvivalError> {
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let curve = kaplan_meier(&g.durations, &g.events, confidence)?;
        out.push(GroupRetention {
            name: g.name.clone(),
            users: g.durations.len() as u64,
            events: g.events.iter().filter(|&&x| x).count() as u64,
            median: curve.median,
            rmst: rmst(&curve, horizon),
            at_horizon: survival_at(&curve, horizon),
            curve,
        });
    }
    let (log_rank, rmst_difference) = match (groups.first(), groups.get(1)) {
        (Some(a), Some(b)) => (
            Some(log_rank(
                (&a.durations, &a.events),
                (&b.durations, &b.events),
            )?),
            out.get(1).zip(out.first()).map(|(b, a)| b.rmst - a.rmst),
        ),
        _ => (None, None),
    };
    Ok(RetentionReport {
        horizon,
        groups: out,
        log_rank,
        rmst_difference,
    })
}

/// The curve at one time of the timeline (every distinct duration, and 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmStep {
    pub time: f64,
    /// Users still followed just before `time`, and those whose event, or
    /// whose follow-up's end, is at `time`.
    pub at_risk: u64,
    pub events: u64,
    pub censored: u64,
    /// The share still without the event after `time`, and its interval.
    pub survival: f64,
    pub ci_lower: f64,
    pub ci_upper: f64,
}

/// A Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    pub steps: Vec<KmStep>,
    /// The first time the curve is at or below one half; `None` if it never
    /// gets there.
    pub median: Option<f64>,
}

/// The Kaplan–Meier estimate `S(t) = Π_{t_j ≤ t} (1 − d_j / n_j)` (Kaplan &
/// Meier 1958) with `d_j` events among the `n_j` users at risk at `t_j`,
/// and its interval by the exponential Greenwood formula, as lifelines'
/// `KaplanMeierFitter`: with `c(t) = Σ d_j / (n_j (n_j − d_j))` and
/// `v = ln S(t)`, the bounds are `exp(−exp(ln(−v) ∓ z·√c / v))`, 1 where
/// that is undefined (S = 1).
pub fn kaplan_meier(
    durations: &[f64],
    events: &[bool],
    confidence: f64,
) -> Result<KaplanMeier, SurvivalError> {
    if durations.len() != events.len() {
        return Err(SurvivalError::Lengths {
            durations: durations.len(),
            events: events.len(),
        });
    }
    if durations.is_empty() {
        return Err(SurvivalError::Empty);
    }
    if let Some(row) = durations.iter().position(|d| !(d.is_finite() && *d >= 0.0)) {
        return Err(SurvivalError::BadDuration { row: row + 1 });
    }
    let z = Normal::standard().inverse_cdf(1.0 - (1.0 - confidence) / 2.0);
    let table = event_table(durations, events);
    let mut at_risk = durations.len() as u64;
    let (mut survival, mut greenwood) = (1.0f64, 0.0f64);
    let mut steps = Vec::with_capacity(table.len() + 1);
    let mut timeline = table;
    if timeline.first().is_none_or(|&(t, _, _)| t > 0.0) {
        timeline.insert(0, (0.0, 0, 0));
    }
    for (time, d, c) in timeline {
        let (n, d_f) = (at_risk as f64, d as f64);
        if d > 0 {
            survival *= 1.0 - d_f / n;
            // When every user at risk has the event the term is infinite;
            // lifelines counts it as 0 (the curve is then 0, its bounds too).
            if d_f < n {
                greenwood += d_f / (n * (n - d_f));
            }
        }
        let v = survival.ln();
        let bound = |sign: f64| {
            let b = (-(((-v).ln()) + sign * z * greenwood.sqrt() / v).exp()).exp();
            if b.is_nan() {
                1.0
            } else {
                b
            }
        };
        steps.push(KmStep {
            time,
            at_risk,
            events: d,
            censored: c,
            survival,
            ci_lower: bound(-1.0),
            ci_upper: bound(1.0),
        });
        at_risk -= d + c;
    }
    let median = steps.iter().find(|s| s.survival <= 0.5).map(|s| s.time);
    Ok(KaplanMeier { steps, median })
}

/// (time, events, censored) at each distinct duration, in time order.
fn event_table(durations: &[f64], events: &[bool]) -> Vec<(f64, u64, u64)> {
    let mut pairs: Vec<(f64, bool)> = durations
        .iter()
        .copied()
        .zip(events.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut table: Vec<(f64, u64, u64)> = Vec::new();
    for (t, e) in pairs {
        match table.last_mut() {
            Some(last) if last.0 == t => {
                if e {
                    last.1 += 1;
                } else {
                    last.2 += 1;
                }
            }
            _ => table.push((t, u64::from(e), u64::from(!e))),
        }
    }
    table
}

/// The restricted mean survival time up to `horizon`: the area under the
/// curve from 0 to `horizon` (Royston & Parmar 2013), as lifelines'
/// `restricted_mean_survival_time`. Each step holds its value until the
/// next time.
pub fn rmst(km: &KaplanMeier, horizon: f64) -> f64 {
    let mut area = 0.0;
    for (k, s) in km.steps.iter().enumerate() {
        if s.time >= horizon {
            break;
        }
        let next = km.steps.get(k + 1).map_or(horizon, |n| n.time.min(horizon));
        area += s.survival * (next - s.time);
    }
    area
}

/// A Kaplan–Meier curve read at one time, with Greenwood's sum
/// `c(t) = Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j))`, so that
/// `Var S(t) = S(t)² c(t)` (Greenwood 1926; Klein & Moeschberger 2003, §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurvivalAt {
    pub time: f64,
    pub survival: f64,
    pub greenwood: f64,
}

/// The curve at `time`: the last step at or before it.
pub fn survival_at(km: &KaplanMeier, time: f64) -> SurvivalAt {
    let (mut survival, mut greenwood) = (1.0, 0.0);
    for s in km.steps.iter().take_while(|s| s.time <= time) {
        survival = s.survival;
        let (n, d) = (s.at_risk as f64, s.events as f64);
        if s.events > 0 && d < n {
            greenwood += d / (n * (n - d));
        }
    }
    SurvivalAt {
        time,
        survival,
        greenwood,
    }
}

/// A share kept for a year, for the investment case's customer value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearlyRetention {
    pub rate: f64,
    pub std_error: f64,
}

impl SurvivalAt {
    /// The share kept for a year, `year` being one year in the durations'
    /// unit: `r = S(t)^(year/t)`, which is `S(year)` when the curve is read
    /// at a year and otherwise assumes the churn hazard stays as it was up
    /// to `t` (geometric retention). Its standard error by the delta
    /// method: `se(r) = r · (year/t) · √c(t)`. `None` unless `t` and
    /// `year` are above 0.
    pub fn yearly(&self, year: f64) -> Option<YearlyRetention> {
        if !(self.time > 0.0 && year > 0.0) {
            return None;
        }
        let power = year / self.time;
        let rate = self.survival.powf(power);
        Some(YearlyRetention {
            rate,
            std_error: rate * power * self.greenwood.sqrt(),
        })
    }
}

/// The log-rank test of two groups (Mantel 1966; Peto & Peto 1972).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogRank {
    /// `(O_a − E_a)² / V` over the pooled event times, χ² with 1 degree of
    /// freedom, and its p-value.
    pub statistic: f64,
    pub p_value: f64,
    /// Events observed in the first group, and expected under no difference.
    pub observed: f64,
    pub expected: f64,
}

/// At each distinct event time, with `n` at risk and `d` events in all and
/// `n_a` at risk in the first group: `E_a = d·n_a/n` and
/// `V = d·(n_a/n)(1 − n_a/n)(n − d)/(n − 1)`.
pub fn log_rank(a: (&[f64], &[bool]), b: (&[f64], &[bool])) -> Result<LogRank, SurvivalError> {
    let ta = event_table(a.0, a.1);
    let tb = event_table(b.0, b.1);
    for (d, e) in [a, b] {
        if d.len() != e.len() {
            return Err(SurvivalError::Lengths {
                durations: d.len(),
                events: e.len(),
            });
        }
        if d.is_empty() {
            return Err(SurvivalError::Empty);
        }
    }
    let (mut na, mut nb) = (a.0.len() as f64, b.0.len() as f64);
    let (mut ia, mut ib) = (ta.iter().peekable(), tb.iter().peekable());
    let (mut observed, mut expected, mut variance) = (0.0, 0.0, 0.0);
    loop {
        let t = match (ia.peek(), ib.peek()) {
            (Some(x), Some(y)) => x.0.min(y.0),
            (Some(x), None) => x.0,
            (None, Some(y)) => y.0,
            (None, None) => break,
        };
        let take =
            |it: &mut std::iter::Peekable<std::slice::Iter<'_, (f64, u64, u64)>>| match it.peek() {
                Some(&&(time, d, c)) if time == t => {
                    it.next();
                    (d as f64, c as f64)
                }
                _ => (0.0, 0.0),
            };
        let ((da, ca), (db, cb)) = (take(&mut ia), take(&mut ib));
        let (n, d) = (na + nb, da + db);
        if d > 0.0 && n > 0.0 {
            let share = na / n;
            observed += da;
            expected += d * share;
            if n > 1.0 {
                variance += d * share * (1.0 - share) * (n - d) / (n - 1.0);
            }
        }
        na -= da + ca;
        nb -= db + cb;
    }
    // Without an event while both groups are at risk the statistic is 0/0.
    if variance <= 0.0 || variance.is_nan() {
        return Err(if a.1.iter().chain(b.1).any(|&e| e) {
            SurvivalError::NoSharedEvents
        } else {
            SurvivalError::NoEvents
        });
    }
    let statistic = (observed - expected).powi(2) / variance;
    let p_value = ChiSquared::new(1.0)
        .map(|c| c.sf(statistic))
        .unwrap_or(f64::NAN);
    Ok(LogRank {
        statistic,
        p_value,
        observed,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_churn_is_said_in_words_not_as_a_missing_number() {
        let never = |name: &str, from: f64| Group {
            name: name.into(),
            durations: (0..10).map(|i| from + f64::from(i)).collect(),
            events: vec![false; 10],
        };
        let groups = [never("a", 1.0), never("b", 3.0)];
        assert_eq!(
            retention(&groups, 5.0, 0.95).err().map(|e| e.to_string()).as_deref(),
            Some("Nobody churned: retention is 100% in every group, and comparing the groups needs at least one churn (an event of 1).")
        );
        // One churn, after the other group has left the data.
        let mut late = never("b", 30.0);
        if let Some(e) = late.events.last_mut() {
            *e = true;
        }
        assert_eq!(
            retention(&[never("a", 1.0), late], 5.0, 0.95).err(),
            Some(SurvivalError::NoSharedEvents)
        );
    }

    #[test]
    fn a_file_is_read_by_group_with_its_problems_named() {
        let text = "user,variant,days,churned\n1,a,3,1\n2,b,5,no\n\n3,a,7,yes\n";
        let Ok(g) = read_groups(text, "days", "churned", Some("variant")) else {
            panic!("reads")
        };
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].name, "a");
        assert_eq!(g[0].durations, [3.0, 7.0]);
        assert_eq!(g[0].events, [true, true]);
        let Ok(r) = retention(&g, 6.0, 0.95) else {
            panic!("analyses")
        };
        assert!(r.log_rank.is_some());
        assert_eq!(r.rmst_difference, Some(r.groups[1].rmst - r.groups[0].rmst));
        let bad = "variant,days,churned\na,3,1\n\na,-1,1\n";
        assert!(matches!(
            read_groups(bad, "days", "churned", Some("variant")),
            Err(SurvivalError::Csv(CsvError::BadCell { line: 4, .. }))
        ));
        assert!(matches!(
            read_groups(text, "tenure", "churned", None),
            Err(SurvivalError::Csv(CsvError::NoColumn { .. }))
        ));
    }

    #[test]
    fn a_small_curve_by_hand() {
        // Times 1, 2 (censored), 3, 3, 5: S(1) = 4/5, S(3) = 4/5 · (1 − 2/3).
        let km = kaplan_meier(
            &[1.0, 2.0, 3.0, 3.0, 5.0],
            &[true, false, true, true, false],
            0.95,
        );
        let Ok(km) = km else { panic!("fits") };
        let s: Vec<(f64, f64)> = km.steps.iter().map(|s| (s.time, s.survival)).collect();
        assert_eq!(s[0], (0.0, 1.0));
        assert!((s[1].1 - 0.8).abs() < 1e-15);
        assert!((s[3].1 - 0.8 / 3.0).abs() < 1e-15);
        assert_eq!(km.median, Some(3.0));
        // Area: 1·1 + 0.8·2 + (0.8/3)·1 up to 4.
        assert!((rmst(&km, 4.0) - (1.0 + 1.6 + 0.8 / 3.0)).abs() < 1e-12);
        assert_eq!(
            kaplan_meier(&[1.0, -2.0], &[true, true], 0.95),
            Err(SurvivalError::BadDuration { row: 2 })
        );
    }

    #[test]
    fn a_year_is_read_off_the_curve_or_extrapolated_at_a_constant_hazard() {
        let km = kaplan_meier(
            &[1.0, 2.0, 3.0, 3.0, 5.0, 6.0],
            &[true, false, true, true, false, false],
            0.95,
        );
        let Ok(km) = km else { panic!("fits") };
        // S(4) = 5/6 · (1 − 2/4) with c = 1/(6·5) + 2/(4·2).
        let (s, c): (f64, f64) = (5.0 / 6.0 * 0.5, 1.0 / 30.0 + 0.25);
        let at = survival_at(&km, 4.0);
        assert!((at.survival - s).abs() < 1e-15 && (at.greenwood - c).abs() < 1e-15);
        let Some(y) = at.yearly(4.0) else { panic!() };
        assert!((y.rate - s).abs() < 1e-15 && (y.std_error - s * c.sqrt()).abs() < 1e-15);
        // Read at 4 for a year of 8: S(4)², its error twice as large relatively.
        let Some(y) = at.yearly(8.0) else { panic!() };
        assert!((y.rate - s * s).abs() < 1e-15, "{y:?}");
        assert!((y.std_error - s * s * 2.0 * c.sqrt()).abs() < 1e-15);
        assert_eq!(survival_at(&km, 0.0).yearly(8.0), None);
        // The Greenwood sum is the one behind the curve's interval (which
        // agrees with lifelines): exp(−exp(ln(−ln S) ± z·√c / ln S)).
        let step = &km.steps[3];
        let z = Normal::standard().inverse_cdf(0.975);
        let v = step.survival.ln();
        let lower = (-((-v).ln() - z * c.sqrt() / v).exp()).exp();
        assert!(
            (lower - step.ci_lower).abs() < 1e-15,
            "{lower} vs {}",
            step.ci_lower
        );
    }
}

//! The cohort table: users grouped by the week they signed up (weeks start
//! on Monday, as ISO 8601's), and for each cohort the share still active
//! 0, 1, 2, … weeks after signing up, per variant. A cell the data cannot
//! show yet, because the cohort is too young (or some of its users were
//! not followed that long), is empty, not 0.
//!
//! Each cohort keeps only counts (users by whole weeks active, and the
//! shortest follow-up), so memory grows with the cohorts, not the users.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ingest::named::NamedCsv;
use crate::ingest::CsvError;
use crate::value::transactions::{civil_from_days, is_placeholder_date, parse_date};

/// The longest duration read, in days (100 years): beyond it a number is
/// not a time a user stayed, and its weeks would not fit in memory.
pub const MAX_DAYS: f64 = 36_525.0;

/// The most cells (cohorts × weeks, over every variant) a report holds;
/// the weeks are cut to fit.
pub const MAX_CELLS: usize = 1_000_000;

/// Why the users cannot be put into cohorts. Messages are for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CohortError {
    #[error("There are no users to put into cohorts.")]
    Empty,
    #[error("Every user's date ({rows} of them) is a placeholder before 1900 or after 2100, such as 9999-12-31: there is no one to put into cohorts.")]
    OnlyPlaceholders { rows: u64 },
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("Say how long each user stayed: either a last-seen date column, or a duration column (days) and a churned column.")]
    NoFollowUp,
    #[error("Line {line}: the user was last seen ({end}) before signing up ({start}).")]
    EndBeforeStart {
        line: u64,
        start: String,
        end: String,
    },
    #[error("Line {line}: the date {date} is after the end of the data ({observed_until}).")]
    AfterObservation {
        line: u64,
        date: String,
        observed_until: String,
    },
}

/// The columns of a cohort file, one row per user. Either `end` with
/// `observed_until`, or `duration` with `event`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CohortColumns {
    /// The signup (or first exposure) date.
    pub start: String,
    /// The date the user was last seen (or churned). A user last seen
    /// before `observed_until` is taken to have left on that date.
    pub end: Option<String>,
    /// The day the data ends (days since 1970-01-01); without it, the
    /// latest date in `end`.
    pub observed_until: Option<i64>,
    /// Days from signup to churn, or to the end of the user's follow-up.
    pub duration: Option<String>,
    /// 1 if the user churned after `duration` days, 0 if still active then.
    pub event: Option<String>,
    /// The variant; without it, one group named "all".
    pub variant: Option<String>,
    /// The last day a date can be (today, as the page or the command line
    /// knows it): a user with a later date is left out and counted with the
    /// placeholder dates.
    #[serde(default)]
    pub latest: Option<i64>,
}

impl From<crate::ingest::CohortGuess> for CohortColumns {
    /// The columns guessed from a file's header, with no day the data
    /// ends and no last day.
    fn from(g: crate::ingest::CohortGuess) -> CohortColumns {
        CohortColumns {
            start: g.start,
            end: g.end,
            duration: g.duration,
            event: g.event,
            variant: g.variant,
            ..CohortColumns::default()
        }
    }
}

/// One cohort's counts.
#[derive(Debug, Clone, PartialEq, Default)]
struct Cohort {
    users: u64,
    /// Whole weeks active (⌊days active / 7⌋) → users.
    weeks_active: BTreeMap<u64, u64>,
    /// The fewest whole weeks any user was followed; `None` while every
    /// user's churn was seen (then every week is known).
    followed_weeks: Option<u64>,
}

/// Users in cohorts, per variant: what the table is computed from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortTable {
    /// Each variant with its cohorts, keyed by the Monday that starts the
    /// signup week, in the order the variants first appear.
    variants: Vec<(String, BTreeMap<i64, Cohort>)>,
    /// Users left out because a date was a placeholder (before 1900 or
    /// after 2100, e.g. `9999-12-31`).
    placeholder_dates: u64,
}

/// The Monday on or before `day` (days since 1970-01-01, a Thursday).
pub fn week_start(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

impl CohortTable {
    pub fn new() -> CohortTable {
        CohortTable::default()
    }

    /// One user of `variant` who signed up on day `start` and was active
    /// for `active_days` (until churn or last seen), and followed for
    /// `followed_days` (`None` when their churn was seen: nothing about
    /// them is unknown). A user counts as active `w` weeks after signup
    /// when `active_days ≥ 7w`, and as known there when `followed_days ≥ 7w`.
    pub fn add(&mut self, variant: &str, start: i64, active_days: f64, followed_days: Option<f64>) {
        let k = match self.variants.iter().position(|v| v.0 == variant) {
            Some(k) => k,
            None => {
                self.variants.push((variant.to_string(), BTreeMap::new()));
                self.variants.len() - 1
            }
        };
        let Some((_, cohorts)) = self.variants.get_mut(k) else {
            return;
        };
        let cohort = cohorts.entry(week_start(start)).or_default();
        let weeks = |days: f64| (days.max(0.0) / 7.0).floor() as u64;
        cohort.users += 1;
        *cohort.weeks_active.entry(weeks(active_days)).or_default() += 1;
        if let Some(f) = followed_days {
            let f = weeks(f);
            cohort.followed_weeks = Some(cohort.followed_weeks.map_or(f, |w| w.min(f)));
        }
    }
}

/// The users of a CSV file in cohorts. Dates are `YYYY-MM-DD` (a time
/// after them is ignored); durations are days.
pub fn read_cohorts(text: &str, columns: &CohortColumns) -> Result<CohortTable, CohortError> {
    enum FollowUp {
        LastSeen(usize, i64),
        Duration(usize, usize),
    }
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    let at = |column: &str| {
        csv.find(column).ok_or_else(|| CsvError::NoColumn {
            column: column.to_string(),
            found: csv.found(),
        })
    };
    let si = at(&columns.start)?;
    let gi = columns.variant.as_deref().map(at).transpose()?;
    // Without the day the data ends, it ends on the last day anyone was
    // seen: those users count as still active.
    let until = match (columns.end.as_deref(), columns.observed_until) {
        (Some(end), None) => last_seen(text, end, columns.latest),
        (_, until) => until,
    };
    let follow = match (
        columns.end.as_deref(),
        until,
        columns.duration.as_deref(),
        columns.event.as_deref(),
    ) {
        (Some(end), Some(until), _, _) => FollowUp::LastSeen(at(end)?, until),
        (_, _, Some(duration), Some(event)) => FollowUp::Duration(at(duration)?, at(event)?),
        _ => return Err(CohortError::NoFollowUp),
    };
    let mut table = CohortTable::new();
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |i: usize, column: &str, expected| CsvError::BadCell {
            line,
            column: column.to_string(),
            value: cell(i).to_string(),
            expected,
        };
        let date = |i: usize, column: &str| {
            parse_date(cell(i)).ok_or_else(|| bad(i, column, "a date (YYYY-MM-DD)"))
        };
        let start = date(si, &columns.start)?;
        let unlikely = |day: i64| {
            is_placeholder_date(day) || columns.latest.is_some_and(|latest| day > latest)
        };
        if unlikely(start) {
            table.placeholder_dates += 1;
            continue;
        }
        let variant = match (gi, columns.variant.as_deref()) {
            (Some(i), Some(column)) if cell(i).is_empty() => {
                return Err(bad(i, column, "a variant's name").into())
            }
            (Some(i), _) => cell(i),
            _ => "all",
        };
        match follow {
            FollowUp::LastSeen(ei, until) => {
                let end = date(ei, columns.end.as_deref().unwrap_or_default())?;
                if unlikely(end) {
                    table.placeholder_dates += 1;
                    continue;
                }
                if end < start {
                    return Err(CohortError::EndBeforeStart {
                        line,
                        start: civil_from_days(start),
                        end: civil_from_days(end),
                    });
                }
                if end > until {
                    return Err(CohortError::AfterObservation {
                        line,
                        date: civil_from_days(end),
                        observed_until: civil_from_days(until),
                    });
                }
                table.add(
                    variant,
                    start,
                    (end - start) as f64,
                    Some((until - start) as f64),
                );
            }
            FollowUp::Duration(di, ei) => {
                let (dc, ec) = (
                    columns.duration.as_deref().unwrap_or_default(),
                    columns.event.as_deref().unwrap_or_default(),
                );
                let d = crate::decimal::parse_f64(cell(di))
                    .filter(|d| (0.0..=MAX_DAYS).contains(d))
                    .ok_or_else(|| bad(di, dc, "a number of days from 0 to 36,525 (100 years)"))?;
                let churned = crate::ingest::parse_bool(cell(ei))
                    .filter(|_| !cell(ei).is_empty())
                    .ok_or_else(|| bad(ei, ec, "1 or 0 (yes or no)"))?;
                table.add(variant, start, d, (!churned).then_some(d));
            }
        }
    }
    if table.variants.is_empty() {
        return Err(match table.placeholder_dates {
            0 => CohortError::Empty,
            rows => CohortError::OnlyPlaceholders { rows },
        });
    }
    Ok(table)
}

/// The latest readable date in the column `end` (none after `latest`, no
/// placeholder): where a file without its end date ends.
fn last_seen(text: &str, end: &str, latest: Option<i64>) -> Option<i64> {
    let mut csv = NamedCsv::new(text).ok()?;
    let i = csv.find(end)?;
    let mut last = None;
    while let Some(Ok((record, _))) = csv.next_row() {
        let day = parse_date(record.get(i).unwrap_or("").trim())
            .filter(|d| !is_placeholder_date(*d) && latest.is_none_or(|l| *d <= l));
        last = last.max(day);
    }
    last
}

/// One signup week's cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// The Monday that starts the signup week.
    pub week_start: String,
    pub users: u64,
    /// The share still active 0, 1, 2, … weeks after signup; `None` where
    /// the data cannot tell yet.
    pub active: Vec<Option<f64>>,
}

/// One variant's cohorts, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantCohorts {
    pub variant: String,
    pub users: u64,
    pub cohorts: Vec<CohortRow>,
}

/// Every variant's cohort table, with the same weeks as columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortReport {
    /// The columns: weeks since signup 0, 1, …, `weeks − 1`.
    pub weeks: usize,
    pub variants: Vec<VariantCohorts>,
    /// Users left out because a date was a placeholder (before 1900 or
    /// after 2100).
    #[serde(default)]
    pub placeholder_dates: u64,
}

/// The cohort table: in cohort c, the share active w weeks after signup is
/// `#{users with days active ≥ 7w} / #users`; the cell is `None` when some
/// user of the cohort was followed for fewer than 7w days without their
/// churn being seen (with a last-seen date, when the cohort's youngest
/// user signed up less than 7w days before the data ends). The columns run
/// to the last week any cohort can show, at most `max_weeks`, and no more
/// than fit [`MAX_CELLS`] cells.
pub fn cohort_table(table: &CohortTable, max_weeks: Option<usize>) -> CohortReport {
    let cohorts: usize = table.variants.iter().map(|(_, c)| c.len()).sum();
    let known_weeks = |c: &Cohort| c.followed_weeks.unwrap_or(u64::MAX);
    let longest = table
        .variants
        .iter()
        .flat_map(|(_, cohorts)| cohorts.values())
        .map(|c| {
            let last_active = c.weeks_active.keys().next_back().copied().unwrap_or(0);
            known_weeks(c).min(last_active.saturating_add(1))
        })
        .max()
        .unwrap_or(0);
    let weeks = usize::try_from(longest)
        .unwrap_or(usize::MAX)
        .saturating_add(1)
        .min(max_weeks.unwrap_or(usize::MAX))
        .min(MAX_CELLS / cohorts.max(1))
        .max(1);
    let variants = table
        .variants
        .iter()
        .map(|(name, cohorts)| {
            let rows: Vec<CohortRow> = cohorts
                .iter()
                .map(|(&monday, c)| {
                    let active = (0..weeks as u64)
                        .map(|w| {
                            (w <= known_weeks(c)).then(|| {
                                let still: u64 = c.weeks_active.range(w..).map(|(_, n)| n).sum();
                                still as f64 / c.users as f64
                            })
                        })
                        .collect();
                    CohortRow {
                        week_start: civil_from_days(monday),
                        users: c.users,
                        active,
                    }
                })
                .collect();
            VariantCohorts {
                variant: name.clone(),
                users: rows.iter().map(|r| r.users).sum(),
                cohorts: rows,
            }
        })
        .collect();
    CohortReport {
        weeks,
        variants,
        placeholder_dates: table.placeholder_dates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        parse_date(s).unwrap_or(i64::MIN)
    }

    /// The data ends on Monday 2024-01-22.
    /// Week of 2024-01-01: signed up 01-01 (seen to the end: 21 days),
    /// 01-03 (last seen 01-09: 6 days), Sunday 01-07 (last seen 01-15: 8
    /// days). Its youngest user was followed 15 days: weeks 0–2 are known.
    /// Week 0: 3/3; week 1 (≥ 7 days): 2/3; week 2 (≥ 14): 1/3.
    /// Week of 01-08: 01-08 (14 days), 01-10 (0 days); followed 12 days:
    /// weeks 0–1, 1 and 1/2. Week of 01-15: 01-21 (1 day), week 0 only.
    const USERS: &str = "user,signup,last_seen,arm\n\
                         1,2024-01-01,2024-01-22,a\n\
                         2,2024-01-03,2024-01-09,a\n\
                         3,2024-01-07,2024-01-15,a\n\
                         4,2024-01-08,2024-01-22 10:00,a\n\
                         5,2024-01-10,2024-01-10,a\n\
                         6,2024-01-21,2024-01-22,a\n\
                         7,2024-01-02,2024-01-03,b\n";

    fn last_seen() -> CohortColumns {
        CohortColumns {
            start: "signup".into(),
            end: Some("last_seen".into()),
            observed_until: Some(day("2024-01-22")),
            variant: Some("arm".into()),
            ..CohortColumns::default()
        }
    }

    #[test]
    fn a_table_by_hand_with_young_cohorts_left_empty() {
        let Ok(t) = read_cohorts(USERS, &last_seen()) else {
            panic!("reads")
        };
        let r = cohort_table(&t, None);
        assert_eq!(r.weeks, 3);
        let a = &r.variants[0];
        assert_eq!((a.variant.as_str(), a.users), ("a", 6));
        let rows: Vec<(&str, u64, &[Option<f64>])> = a
            .cohorts
            .iter()
            .map(|c| (c.week_start.as_str(), c.users, c.active.as_slice()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "2024-01-01",
                    3,
                    &[Some(1.0), Some(2.0 / 3.0), Some(1.0 / 3.0)][..]
                ),
                ("2024-01-08", 2, &[Some(1.0), Some(0.5), None][..]),
                ("2024-01-15", 1, &[Some(1.0), None, None][..]),
            ]
        );
        // Variant b's user left after a day: 0 at week 1, known since the
        // cohort is three weeks old; week 2 too.
        assert_eq!(
            r.variants[1].cohorts[0].active,
            [Some(1.0), Some(0.0), Some(0.0)]
        );
        assert_eq!(cohort_table(&t, Some(2)).weeks, 2);
    }

    #[test]
    fn durations_with_churn_flags_give_the_same_cells_where_known() {
        // The same users as durations: churn seen for 2, 3, 5; 1, 4 and 6
        // still active at the end of their follow-up.
        let text = "signup,days,churned\n2024-01-01,21,0\n2024-01-03,6,1\n2024-01-07,8,1\n\
                    2024-01-08,14,0\n2024-01-10,0,1\n2024-01-21,1,0\n";
        let columns = CohortColumns {
            start: "signup".into(),
            duration: Some("days".into()),
            event: Some("churned".into()),
            ..CohortColumns::default()
        };
        let Ok(t) = read_cohorts(text, &columns) else {
            panic!("reads")
        };
        let r = cohort_table(&t, None);
        let c = &r.variants[0].cohorts;
        assert_eq!(r.variants[0].variant, "all");
        // Week of 01-01: user 1 followed 21 days, the others' churn seen: weeks 0–3.
        assert_eq!(
            c[0].active,
            [Some(1.0), Some(2.0 / 3.0), Some(1.0 / 3.0), Some(1.0 / 3.0)]
        );
        // Week of 01-08: user 4 followed 14 days: weeks 0–2.
        assert_eq!(c[1].active, [Some(1.0), Some(0.5), Some(0.5), None]);
        assert_eq!(c[2].active, [Some(1.0), None, None, None]);
    }

    #[test]
    fn problems_are_named_with_their_line() {
        assert_eq!(week_start(day("2024-01-07")), day("2024-01-01"));
        assert_eq!(week_start(day("2024-01-08")), day("2024-01-08"));
        assert_eq!(week_start(0), -3);
        let bad = "signup,last_seen,arm\n2024-01-05,2024-01-04,a\n";
        assert!(matches!(
            read_cohorts(bad, &last_seen()),
            Err(CohortError::EndBeforeStart { line: 2, .. })
        ));
        let bad = "signup,last_seen,arm\n\n2024-01-05,2024-02-04,a\n";
        assert!(matches!(
            read_cohorts(bad, &last_seen()),
            Err(CohortError::AfterObservation { line: 3, .. })
        ));
        let bad = "signup,last_seen,arm\n2024-01-05,soon,a\n";
        assert!(matches!(
            read_cohorts(bad, &last_seen()),
            Err(CohortError::Csv(CsvError::BadCell { line: 2, .. }))
        ));
        // Without the day the data ends, the last date seen is it.
        let columns = CohortColumns {
            observed_until: None,
            ..last_seen()
        };
        let latest = USERS
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(2).and_then(parse_date))
            .max();
        let given = CohortColumns {
            observed_until: latest,
            ..last_seen()
        };
        assert!(latest.is_some());
        assert_eq!(read_cohorts(USERS, &columns), read_cohorts(USERS, &given));
        let neither = CohortColumns {
            end: None,
            observed_until: None,
            ..last_seen()
        };
        assert_eq!(read_cohorts(USERS, &neither), Err(CohortError::NoFollowUp));
        assert_eq!(
            read_cohorts("signup,last_seen,arm\n", &last_seen()),
            Err(CohortError::Empty)
        );
    }

    #[test]
    fn placeholder_dates_are_left_out_and_counted() {
        let with = format!(
            "{USERS}8,9999-12-31,2024-01-22,a\n9,2024-01-02,0001-01-01,b\n10,1899-12-31,2024-01-02,b\n"
        );
        let Ok(table) = read_cohorts(&with, &last_seen()) else {
            panic!("the placeholders are left out, not refused");
        };
        let Ok(without) = read_cohorts(USERS, &last_seen()) else {
            panic!("the table by hand reads");
        };
        let (a, b) = (cohort_table(&table, None), cohort_table(&without, None));
        assert_eq!(a.placeholder_dates, 3);
        // Signed up after the day given as today: left out and counted.
        let until = CohortColumns {
            latest: Some(day("2024-01-20")),
            ..last_seen()
        };
        let Ok(early) = read_cohorts(USERS, &until) else {
            panic!("the users up to a day are read");
        };
        assert_eq!(cohort_table(&early, None).placeholder_dates, 3);
        assert_eq!((a.weeks, &a.variants), (b.weeks, &b.variants));
        let only = "signup,last_seen,arm\n9999-12-31,9999-12-31,a\n";
        let message = read_cohorts(only, &last_seen())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("Every user's date (1 of them) is a placeholder before 1900 or after 2100, such as 9999-12-31: there is no one to put into cohorts.")
        );
    }

    /// A duration of a billion days once asked for 140 million weeks of
    /// cells (found by the fuzzer); one of 100 years is read, and the
    /// table stays within its cells.
    #[test]
    fn absurd_durations_are_refused_and_the_table_has_a_size() {
        let columns = CohortColumns {
            start: "signup".into(),
            duration: Some("days".into()),
            event: Some("churned".into()),
            ..CohortColumns::default()
        };
        let text = "signup,days,churned\n2024-01-01,30,1\n2024-01-08,1e9,1\n";
        let message = read_cohorts(text, &columns).err().map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("Line 3, column 'days': \"1e9\" is not a number of days from 0 to 36,525 (100 years).")
        );
        let mut text = String::from("signup,days,churned\n");
        for week in 0..2_000 {
            text.push_str(&format!("{},36525,1\n", civil_from_days(7 * week)));
        }
        let Ok(table) = read_cohorts(&text, &columns) else {
            panic!("a century of follow-up is read");
        };
        let report = cohort_table(&table, None);
        let cells: usize = report
            .variants
            .iter()
            .map(|v| v.cohorts.len())
            .sum::<usize>()
            * report.weeks;
        assert_eq!(report.weeks, MAX_CELLS / 2_000);
        assert!(cells <= MAX_CELLS, "{cells}");
    }
}

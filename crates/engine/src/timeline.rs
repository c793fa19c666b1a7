//! Lift over time: how the treatment's lift over the control built up day
//! by day, whether it was safe to look at it every day, whether it fades
//! (novelty) or grows (primacy), and how many more days a running
//! experiment needs.
//!
//! The data is read into per-day sums per variant ([`Timeline`]), so memory
//! grows with the days of the experiment, not with its users. Every interval
//! comes from [`crate::stats::frequentist::compare`]: the fixed-horizon one
//! (gbstats' `TwoSidedTTest`), valid for one look at the end, and the
//! always-valid one (gbstats' `SequentialTwoSidedTTest`, the mixture
//! sequential probability ratio test), valid however often it is looked at.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ingest::named::NamedCsv;
use crate::ingest::CsvError;
use crate::stats::frequentist::{t_two_sided_p, FrequentistOptions};
use crate::stats::{compare, SampleStats};
use crate::units::Interval;
use crate::value::transactions::{civil_from_days, parse_date};

/// The relative lift planned for when none is given and the observed one
/// is not positive.
pub const DEFAULT_MIN_LIFT: f64 = 0.05;

/// Why the file cannot be read or the timeline computed. Messages are for
/// the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TimelineError {
    #[error("There are no users in the data.")]
    Empty,
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("Only one variant ('{found}') is in the data: the lift compares a treatment with a control.")]
    OneVariant { found: String },
    #[error("There is no variant '{name}' in the data. Found variants: {found}.")]
    NoVariant { name: String, found: String },
    #[error("There are {count} variants ({found}): say which one to compare with the control.")]
    WhichTreatment { count: usize, found: String },
    #[error("The control and the treatment are the same variant ('{0}').")]
    SameVariant(String),
    #[error("The confidence level must be between 0 and 1, not {0}.")]
    BadConfidence(f64),
    #[error("The sequential tuning parameter must be a number above 0, not {0}.")]
    BadTuning(f64),
    #[error("The power must be between 0 and 1, not {0}.")]
    BadPower(f64),
}

/// A metric's sums over the users of one day and variant.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DaySums {
    pub users: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl DaySums {
    fn add(&mut self, other: &DaySums) {
        self.users += other.users;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// The mean and variance per user: p(1 − p) for a proportion (gbstats'
    /// `ProportionStatistic`), the sample variance for a mean
    /// (`SampleMeanStatistic`). `None` without users.
    pub fn stats(&self, kind: MetricKind) -> Option<SampleStats> {
        match kind {
            MetricKind::Proportion => {
                let n = self.users as f64;
                let p = self.sum / n;
                (self.users > 0 && (0.0..=1.0).contains(&p)).then_some(SampleStats {
                    n,
                    mean: p,
                    variance: p * (1.0 - p),
                })
            }
            MetricKind::Mean => SampleStats::from_sums(self.users, self.sum, self.sum_sq),
        }
    }
}

/// What the metric is: a 0/1 flag per user (a conversion rate) or a number
/// per user (revenue, orders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    Proportion,
    Mean,
}

/// An experiment's users, summed per day and variant: what the timeline is
/// computed from. Fed one user ([`Timeline::add_user`]) or one day's
/// aggregate ([`Timeline::add_day`]) at a time, so a file of any size can
/// be streamed through it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// The variants, in the order they first appear.
    pub variants: Vec<String>,
    /// Day number (days since 1970-01-01) → the sums of each variant, in
    /// the order of `variants`.
    pub days: BTreeMap<i64, Vec<DaySums>>,
    /// Every value so far was 0 or 1, and no sum of squares was given.
    binary: bool,
    /// Rows left out because their date was a placeholder (before 1900 or
    /// after 2100, e.g. `9999-12-31`).
    pub placeholder_dates: u64,
}

impl Timeline {
    pub fn new() -> Timeline {
        Timeline {
            binary: true,
            ..Timeline::default()
        }
    }

    /// A proportion when every user's value was 0 or 1 (or every day's
    /// aggregate came without a sum of squares), else a mean.
    pub fn kind(&self) -> MetricKind {
        if self.binary {
            MetricKind::Proportion
        } else {
            MetricKind::Mean
        }
    }

    fn slot(&mut self, day: i64, variant: &str) -> Option<&mut DaySums> {
        let k = match self.variants.iter().position(|v| v == variant) {
            Some(k) => k,
            None => {
                self.variants.push(variant.to_string());
                self.variants.len() - 1
            }
        };
        let sums = self.days.entry(day).or_default();
        if sums.len() <= k {
            sums.resize(k + 1, DaySums::default());
        }
        sums.get_mut(k)
    }

    /// One user exposed on `day` with the metric's `value`.
    pub fn add_user(&mut self, day: i64, variant: &str, value: f64) {
        self.binary &= value == 0.0 || value == 1.0;
        if let Some(s) = self.slot(day, variant) {
            s.add(&DaySums {
                users: 1,
                sum: value,
                sum_sq: value * value,
            });
        }
    }

    /// A day's aggregate for one variant: its users and the sum of the
    /// metric. Without a sum of squares the sum is a count of conversions
    /// (its square sum is the sum itself), and the metric a proportion.
    pub fn add_day(&mut self, day: i64, variant: &str, users: u64, sum: f64, sum_sq: Option<f64>) {
        self.binary &= sum_sq.is_none();
        if let Some(s) = self.slot(day, variant) {
            s.add(&DaySums {
                users,
                sum,
                sum_sq: sum_sq.unwrap_or(sum),
            });
        }
    }

    fn sums(&self, day: &[DaySums], variant: usize) -> DaySums {
        day.get(variant).copied().unwrap_or_default()
    }
}

/// The columns of a timeline file. One row per user (the date they were
/// first exposed, their variant and their metric), or, with `users`, one
/// row per day and variant (the day's users, the metric's sum and, for a
/// metric that is not 0/1, the sum of its squares).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TimelineColumns {
    /// A date (`YYYY-MM-DD`) or a timestamp (`YYYY-MM-DD hh:mm:ss`, also
    /// with a `T`): the time of day is ignored.
    pub date: String,
    pub variant: String,
    /// Per user: a 0/1 flag (1/0, true/false, yes/no) or a number; a blank
    /// cell counts as 0. Per day: the sum over the day's users.
    pub metric: String,
    /// Per day: the users of the row's day and variant.
    pub users: Option<String>,
    /// Per day: the sum of the squared metric over the day's users.
    pub sum_squares: Option<String>,
    /// The last day a row can be from (today, as the page or the command
    /// line knows it; the engine has no clock): later rows are left out and
    /// counted with the placeholder dates.
    #[serde(default)]
    pub latest: Option<i64>,
}

impl From<crate::ingest::TimelineGuess> for TimelineColumns {
    /// The columns guessed from a file's header, no sum of squares and no
    /// last day.
    fn from(g: crate::ingest::TimelineGuess) -> TimelineColumns {
        TimelineColumns {
            date: g.date,
            variant: g.variant,
            metric: g.metric,
            users: g.users,
            ..TimelineColumns::default()
        }
    }
}

/// The timeline in a CSV file with the named columns. Rows of the same day
/// and variant are added up. A cell that cannot be read is reported with
/// its line and column.
pub fn read_timeline(text: &str, columns: &TimelineColumns) -> Result<Timeline, TimelineError> {
    let mut timeline = Timeline::new();
    add_rows(text, columns, &mut timeline, 0)?;
    if timeline.days.is_empty() {
        return Err(TimelineError::Empty);
    }
    Ok(timeline)
}

/// Add the rows of `text` (a header row, then rows) to `timeline`; lines
/// are reported `line_offset` further down than they are in `text`.
fn add_rows(
    text: &str,
    columns: &TimelineColumns,
    timeline: &mut Timeline,
    line_offset: u64,
) -> Result<(), TimelineError> {
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow {
        line: line + line_offset,
    })?;
    let at = |column: &str| {
        csv.find(column).ok_or_else(|| CsvError::NoColumn {
            column: column.to_string(),
            found: csv.found(),
        })
    };
    let (di, vi, mi) = (
        at(&columns.date)?,
        at(&columns.variant)?,
        at(&columns.metric)?,
    );
    let ui = columns.users.as_deref().map(at).transpose()?;
    let si = columns.sum_squares.as_deref().map(at).transpose()?;
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow {
            line: line + line_offset,
        })?;
        let line = line + line_offset;
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |i: usize, column: &str, expected| CsvError::BadCell {
            line,
            column: column.to_string(),
            value: cell(i).to_string(),
            expected,
        };
        let day = parse_date(cell(di)).ok_or_else(|| {
            bad(
                di,
                &columns.date,
                "a date (YYYY-MM-DD, optionally with a time)",
            )
        })?;
        if crate::value::transactions::is_placeholder_date(day)
            || columns.latest.is_some_and(|latest| day > latest)
        {
            timeline.placeholder_dates += 1;
            continue;
        }
        let variant = cell(vi);
        if variant.is_empty() {
            return Err(bad(vi, &columns.variant, "a variant's name").into());
        }
        let number = |i: usize, column: &str, expected| {
            crate::decimal::parse_f64(cell(i))
                .filter(|x| x.is_finite())
                .ok_or_else(|| bad(i, column, expected))
        };
        match (ui, columns.users.as_deref()) {
            (Some(ui), Some(users_column)) => {
                let users = number(ui, users_column, "a number of users")?;
                if !(users >= 0.0 && users.fract() == 0.0) {
                    return Err(bad(ui, users_column, "a number of users").into());
                }
                let sum = number(mi, &columns.metric, "a number (the metric's sum)")?;
                let sum_sq = match (si, columns.sum_squares.as_deref()) {
                    (Some(si), Some(c)) => Some(
                        number(si, c, "a sum of squares of zero or more").and_then(|s| {
                            if s >= 0.0 {
                                Ok(s)
                            } else {
                                Err(bad(si, c, "a sum of squares of zero or more"))
                            }
                        })?,
                    ),
                    _ => {
                        if !(sum >= 0.0 && sum <= users && sum.fract() == 0.0) {
                            return Err(bad(
                                mi,
                                &columns.metric,
                                "a count of conversions between 0 and the users (give a sum of squares column for a metric that is not 0/1)",
                            ).into());
                        }
                        None
                    }
                };
                timeline.add_day(day, variant, users as u64, sum, sum_sq);
            }
            _ => {
                let raw = cell(mi);
                let value = if raw.is_empty() {
                    0.0
                } else {
                    match crate::decimal::parse_f64(raw).filter(|x| x.is_finite()) {
                        Some(x) => x,
                        None => crate::ingest::parse_bool(raw)
                            .map(f64::from)
                            .ok_or_else(|| bad(mi, &columns.metric, "a number or 1/0"))?,
                    }
                };
                timeline.add_user(day, variant, value);
            }
        }
    }
    Ok(())
}

/// A timeline read from a file in pieces, as the page's worker reads it:
/// only the sums per day and the piece being read are held, so memory
/// stays flat however long the file. Pieces may end anywhere; rows are
/// read once complete (a line end outside quotes), with their lines in
/// the file.
#[derive(Debug, Clone, Default)]
pub struct TimelineStream {
    columns: TimelineColumns,
    timeline: Timeline,
    /// The header row, once read.
    header: Option<String>,
    /// Bytes not yet read: the end of the last piece, after its last
    /// complete row.
    pending: Vec<u8>,
    /// Of `pending`, the bytes already scanned for row ends, and whether
    /// that scan ended inside quotes.
    scanned: usize,
    in_quotes: bool,
    /// Lines of the file before `pending`.
    lines: u64,
}

impl TimelineStream {
    pub fn new(columns: TimelineColumns) -> TimelineStream {
        TimelineStream {
            columns,
            timeline: Timeline::new(),
            ..TimelineStream::default()
        }
    }

    /// Read the complete rows of `bytes` (after what came before).
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), TimelineError> {
        self.pending.extend_from_slice(bytes);
        let mut end = None;
        for (i, &b) in self.pending.iter().enumerate().skip(self.scanned) {
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => end = Some(i + 1),
                _ => {}
            }
        }
        self.scanned = self.pending.len();
        if let Some(end) = end {
            let rest = self.pending.split_off(end);
            let complete = std::mem::replace(&mut self.pending, rest);
            self.scanned -= end;
            self.read(&complete)?;
        }
        Ok(())
    }

    /// The rows left, then the timeline.
    pub fn finish(mut self) -> Result<Timeline, TimelineError> {
        let rest = std::mem::take(&mut self.pending);
        self.read(&rest)?;
        if self.header.is_none() {
            // No header at all: the whole file's reader's answer (no such
            // column), not "no rows".
            add_rows("", &self.columns, &mut self.timeline, 0)?;
        }
        if self.timeline.days.is_empty() {
            return Err(TimelineError::Empty);
        }
        Ok(self.timeline)
    }

    /// Read complete rows (the header row first, the first time).
    fn read(&mut self, bytes: &[u8]) -> Result<(), TimelineError> {
        let text = String::from_utf8_lossy(bytes);
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        let body = match &self.header {
            Some(_) => text.as_ref(),
            None => {
                // The header record as the whole file's reader reads it (a
                // byte-order mark and empty lines before it skipped, quotes
                // as CSV has them); none yet while the lines are empty.
                // A byte-order mark is the file's only at its very start;
                // after empty lines it belongs to the header's first name.
                let from_start = self.lines == 0;
                let end = match text.strip_prefix('\u{feff}') {
                    Some(rest) if !from_start => {
                        crate::ingest::named::header_end(&format!("\n{rest}"))
                            .map(|e| e - 1 + '\u{feff}'.len_utf8())
                    }
                    _ => crate::ingest::named::header_end(&text),
                };
                let Some(end) = end else {
                    self.lines += newlines;
                    return Ok(());
                };
                let header = text.get(..end).unwrap_or_default();
                let record = match header.strip_prefix('\u{feff}') {
                    Some(rest) if from_start => rest,
                    _ => header,
                };
                self.header = Some(record.trim_matches(['\r', '\n']).to_string());
                self.lines += header.matches('\n').count() as u64;
                text.get(end..).unwrap_or_default()
            }
        };
        let header = self.header.clone().unwrap_or_default();
        // The header row, then these rows: the rows start on line 2 of the
        // piece, and on line `lines + 1` of the file.
        // A header that starts with a byte-order mark not at the file's
        // start keeps it, as the whole file's reader does: an empty line
        // first keeps the piece's reader from taking it for the file's.
        let lead = usize::from(header.starts_with('\u{feff}'));
        let piece = format!("{}{header}\n{body}", "\n".repeat(lead));
        let offset = self.lines.saturating_sub(1 + lead as u64);
        add_rows(&piece, &self.columns, &mut self.timeline, offset)?;
        self.lines += body.matches('\n').count() as u64;
        Ok(())
    }
}

/// What the timeline compares, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineOptions {
    /// The control; by default the variant named "control", else the first.
    pub control: Option<String>,
    /// The treatment; needed only when there are more than two variants.
    pub treatment: Option<String>,
    /// Confidence level of both intervals, e.g. 0.95.
    pub confidence: f64,
    /// The sequential test's tuning parameter τ (gbstats' default 5000).
    pub tau: f64,
    /// The smallest relative lift worth detecting, for the days to go; by
    /// default the observed lift if positive, else [`DEFAULT_MIN_LIFT`].
    pub min_lift: Option<f64>,
    /// The power the days to go plan for, e.g. 0.8.
    pub power: f64,
}

impl Default for TimelineOptions {
    fn default() -> Self {
        TimelineOptions {
            control: None,
            treatment: None,
            confidence: 0.95,
            tau: 5000.0,
            min_lift: None,
            power: 0.8,
        }
    }
}

/// One variant's users and metric (the rate or the mean per user).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ArmValue {
    pub users: u64,
    /// `None` without users.
    pub value: Option<f64>,
}

/// The cumulative relative lift with its two intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CumulativeLift {
    /// μ_treatment / μ_control − 1 over every user so far.
    pub estimate: f64,
    /// Valid for one look, at a horizon fixed in advance.
    pub fixed: Interval,
    pub fixed_p_value: f64,
    /// Valid at every look: safe to watch daily.
    pub always_valid: Interval,
    pub always_valid_p_value: f64,
}

/// One day of the experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineDay {
    pub date: String,
    /// Days since the first exposure: 1 on the experiment's first day.
    pub day: i64,
    /// The day's users alone.
    pub control: ArmValue,
    pub treatment: ArmValue,
    /// That day's relative lift; `None` when an arm had no users that day
    /// or the control's value was zero.
    pub daily_lift: Option<f64>,
    /// Every user up to and including this day.
    pub cumulative_control: ArmValue,
    pub cumulative_treatment: ArmValue,
    /// `None` while the lift cannot be estimated (too few users, a control
    /// at zero, no variation yet).
    pub lift: Option<CumulativeLift>,
}

/// Which way the daily lift moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    /// Falling: an early novelty effect wearing off.
    Novelty,
    /// Rising: users warming to the change (primacy, learning).
    Primacy,
    /// No trend distinguishable from noise.
    None,
}

/// The straight line through the daily lifts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiftTrend {
    /// Days with a daily lift, each counted once.
    pub days: usize,
    /// Change of the daily relative lift per day (0.01: one point a day).
    pub slope: f64,
    pub intercept: f64,
    pub std_error: f64,
    pub p_value: f64,
    pub direction: TrendDirection,
    pub summary: String,
}

/// How many more days the experiment needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaysToGo {
    /// The relative lift planned for.
    pub min_lift: f64,
    /// Whether it is the observed lift (else given, or the 5% default).
    pub min_lift_observed: bool,
    pub power: f64,
    /// Users each variant needs for that lift.
    pub users_needed_per_variant: f64,
    /// Each arm's users so far, control first.
    pub users: [u64; 2],
    /// Each arm's users per calendar day so far, control first.
    pub daily_users: [f64; 2],
    /// More days at the observed traffic; `None` when both arms already
    /// have enough users.
    pub days: Option<u64>,
}

/// An experiment's lift over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineReport {
    pub metric: MetricKind,
    pub control: String,
    pub treatment: String,
    pub confidence: f64,
    pub tau: f64,
    pub days: Vec<TimelineDay>,
    /// `None` with fewer than three days with a daily lift.
    pub trend: Option<LiftTrend>,
    /// `None` when no plan is possible (a control at zero or with no
    /// variation, a lift that would take a rate above 100%).
    pub days_to_go: Option<DaysToGo>,
    /// Days in each point: 1, or 7 (a week, Monday first) and beyond when
    /// the data spans more than [`MAX_POINTS`] days, so a table and chart
    /// of them stay readable and quick.
    #[serde(default = "one_day")]
    pub period_days: i64,
    /// Rows left out because their date was a placeholder.
    #[serde(default)]
    pub placeholder_dates: u64,
}

fn one_day() -> i64 {
    1
}

/// The most points (days, or weeks beyond) a timeline has.
pub const MAX_POINTS: usize = 1_000;

/// The days of `data` in points of `period` days, each keyed by its first
/// day: a week starts on Monday, longer periods run from the first week.
fn grouped(data: &Timeline) -> (BTreeMap<i64, Vec<DaySums>>, i64) {
    if data.days.len() <= MAX_POINTS {
        return (data.days.clone(), 1);
    }
    let week = crate::cohorts::week_start;
    let (first, last) = match (data.days.keys().next(), data.days.keys().next_back()) {
        (Some(&a), Some(&b)) => (week(a), week(b)),
        _ => return (data.days.clone(), 1),
    };
    let weeks = (last - first) / 7 + 1;
    let period = 7 * ((weeks + MAX_POINTS as i64 - 1) / MAX_POINTS as i64).max(1);
    let mut points: BTreeMap<i64, Vec<DaySums>> = BTreeMap::new();
    for (&day, sums) in &data.days {
        let start = first + (week(day) - first) / period * period;
        let point = points.entry(start).or_default();
        if point.len() < sums.len() {
            point.resize(sums.len(), DaySums::default());
        }
        for (into, from) in point.iter_mut().zip(sums) {
            into.add(from);
        }
    }
    (points, period)
}

fn arm(sums: &DaySums, kind: MetricKind) -> ArmValue {
    ArmValue {
        users: sums.users,
        value: sums.stats(kind).map(|s| s.mean),
    }
}

/// The control's and the treatment's positions in `variants`.
fn pick_arms(
    variants: &[String],
    options: &TimelineOptions,
) -> Result<(usize, usize), TimelineError> {
    let found = || variants.join(", ");
    let find = |name: &str| {
        variants
            .iter()
            .position(|v| v == name)
            .ok_or_else(|| TimelineError::NoVariant {
                name: name.to_string(),
                found: found(),
            })
    };
    if variants.len() < 2 {
        return Err(TimelineError::OneVariant { found: found() });
    }
    let control = match options.control.as_deref() {
        Some(name) => find(name)?,
        None => variants
            .iter()
            .position(|v| v.eq_ignore_ascii_case("control"))
            .unwrap_or(0),
    };
    let treatment = match options.treatment.as_deref() {
        Some(name) => find(name)?,
        None if variants.len() == 2 => 1 - control,
        None => {
            return Err(TimelineError::WhichTreatment {
                count: variants.len(),
                found: found(),
            })
        }
    };
    if control == treatment {
        return Err(TimelineError::SameVariant(
            variants.get(control).cloned().unwrap_or_default(),
        ));
    }
    Ok((control, treatment))
}

/// The timeline of the treatment's lift over the control.
///
/// Each day, over every user exposed up to then, [`compare`] gives the
/// relative lift Δ = μ_t/μ_c − 1 with its delta-method variance, the
/// fixed-horizon interval Δ ± t_{ν,1−α/2}·√V (gbstats `TwoSidedTTest`) and
/// the always-valid one of the mixture sequential test with tuning τ
/// (gbstats `SequentialTwoSidedTTest`; Waudby-Smith et al. 2023,
/// arXiv:2103.06476), whose coverage holds at every look at once. The
/// daily lift uses that day's users alone; its trend is [`lift_trend`]; the
/// days to go plan for [`users_needed`] at the traffic so far.
pub fn timeline(
    data: &Timeline,
    options: &TimelineOptions,
) -> Result<TimelineReport, TimelineError> {
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(TimelineError::BadConfidence(options.confidence));
    }
    if !(options.tau > 0.0 && options.tau.is_finite()) {
        return Err(TimelineError::BadTuning(options.tau));
    }
    if !(options.power > 0.0 && options.power < 1.0) {
        return Err(TimelineError::BadPower(options.power));
    }
    let (c, t) = pick_arms(&data.variants, options)?;
    let kind = data.kind();
    let fixed = FrequentistOptions {
        confidence: options.confidence,
        ..FrequentistOptions::default()
    };
    let sequential = FrequentistOptions {
        sequential_tuning: Some(options.tau),
        ..fixed
    };
    let (points, period_days) = grouped(data);
    let first = points.keys().next().copied().unwrap_or(0);
    let (mut cum_c, mut cum_t) = (DaySums::default(), DaySums::default());
    let mut days = Vec::with_capacity(points.len());
    for (&day, sums) in &points {
        let (dc, dt) = (data.sums(sums, c), data.sums(sums, t));
        cum_c.add(&dc);
        cum_t.add(&dt);
        let daily_lift = match (dc.stats(kind), dt.stats(kind)) {
            (Some(a), Some(b)) if a.mean != 0.0 => Some(b.mean / a.mean - 1.0),
            _ => None,
        };
        let lift = match (cum_c.stats(kind), cum_t.stats(kind)) {
            (Some(a), Some(b)) => match (compare(&a, &b, &fixed), compare(&a, &b, &sequential)) {
                (Ok(f), Ok(s)) => Some(CumulativeLift {
                    estimate: f.estimate,
                    fixed: f.ci,
                    fixed_p_value: f.p_value,
                    always_valid: s.ci,
                    always_valid_p_value: s.p_value,
                }),
                _ => None,
            },
            _ => None,
        };
        days.push(TimelineDay {
            date: civil_from_days(day),
            day: day - first + 1,
            control: arm(&dc, kind),
            treatment: arm(&dt, kind),
            daily_lift,
            cumulative_control: arm(&cum_c, kind),
            cumulative_treatment: arm(&cum_t, kind),
            lift,
        });
    }
    let points: Vec<(f64, f64)> = days
        .iter()
        .filter_map(|d| d.daily_lift.map(|l| (d.day as f64, l)))
        .collect();
    let trend = lift_trend(&points, 1.0 - options.confidence);
    // Days from the first exposure to the last, whatever the points.
    let span = match (data.days.keys().next(), data.days.keys().next_back()) {
        (Some(a), Some(b)) => (b - a + 1) as f64,
        _ => 1.0,
    };
    let observed = days.last().and_then(|d| d.lift).map(|l| l.estimate);
    let min_lift = options.min_lift.map(|m| (m, false)).unwrap_or_else(|| {
        observed
            .filter(|l| *l > 0.0)
            .map_or((DEFAULT_MIN_LIFT, false), |l| (l, true))
    });
    let days_to_go = match (cum_c.stats(kind), cum_t.stats(kind)) {
        (Some(a), Some(_)) => users_needed(
            kind,
            &a,
            min_lift.0,
            1.0 - options.confidence,
            options.power,
        )
        .map(|needed| {
            let users = [cum_c.users, cum_t.users];
            let daily_users = users.map(|u| u as f64 / span);
            let more = users
                .iter()
                .zip(daily_users)
                .map(|(&u, per_day)| {
                    let missing = needed - u as f64;
                    if missing <= 0.0 {
                        0.0
                    } else {
                        (missing / per_day).ceil()
                    }
                })
                .fold(0.0f64, f64::max);
            DaysToGo {
                min_lift: min_lift.0,
                min_lift_observed: min_lift.1,
                power: options.power,
                users_needed_per_variant: needed,
                users,
                daily_users,
                days: (more > 0.0).then_some(more as u64),
            }
        }),
        _ => None,
    };
    Ok(TimelineReport {
        metric: kind,
        control: data.variants.get(c).cloned().unwrap_or_default(),
        treatment: data.variants.get(t).cloned().unwrap_or_default(),
        confidence: options.confidence,
        tau: options.tau,
        days,
        trend,
        days_to_go,
        period_days,
        placeholder_dates: data.placeholder_dates,
    })
}

/// Users per variant needed to detect a relative lift `min_lift` over the
/// control with a two-sided test at level α and the given power, for equal
/// groups (statsmodels' `NormalIndPower().solve_power(…, ratio=1)`): on a
/// rate p, with Cohen's h = 2·asin√(p(1 + lift)) − 2·asin√p
/// ([`crate::stats::power::sample_size`]); on a mean μ with standard
/// deviation σ, with Cohen's d = lift·μ/σ. `None` when no plan is possible.
pub fn users_needed(
    kind: MetricKind,
    control: &SampleStats,
    min_lift: f64,
    alpha: f64,
    power: f64,
) -> Option<f64> {
    match kind {
        MetricKind::Proportion => {
            crate::stats::power::sample_size(control.mean, min_lift, alpha, power)
                .map(|p| p.users_per_variant)
        }
        MetricKind::Mean => {
            let d = min_lift * control.mean / control.variance.sqrt();
            crate::stats::power::users_for_effect_size(d, alpha, power)
        }
    }
}

/// The least-squares line through `(day, lift)` points, each day counted
/// once (unweighted, as `scipy.stats.linregress`, so a day of heavy traffic
/// does not set the trend on its own): slope b = Sxy/Sxx, intercept
/// ȳ − b·x̄, standard error √(SSR/(n − 2)/Sxx), and the two-sided p-value
/// of b/se on Student's t with n − 2 degrees of freedom. A slope with
/// p < α reads as a novelty effect when it falls, primacy when it rises.
/// `None` with fewer than three points or all on one day.
pub fn lift_trend(points: &[(f64, f64)], alpha: f64) -> Option<LiftTrend> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let ssr: f64 = points
        .iter()
        .map(|p| (p.1 - intercept - slope * p.0).powi(2))
        .sum();
    let std_error = (ssr / (nf - 2.0) / sxx).sqrt();
    let p_value = if std_error > 0.0 {
        t_two_sided_p(slope / std_error, nf - 2.0)
    } else if slope == 0.0 {
        1.0
    } else {
        0.0
    };
    let direction = if p_value >= alpha {
        TrendDirection::None
    } else if slope < 0.0 {
        TrendDirection::Novelty
    } else {
        TrendDirection::Primacy
    };
    let points_a_day = format!("{:.2}", (slope * 100.0).abs());
    let p = format_p(p_value);
    let summary = match direction {
        TrendDirection::Novelty => format!(
            "The daily lift trends down by {points_a_day} points a day (p = {p}): an early novelty effect may be fading, so the lift so far may overstate the lasting one."
        ),
        TrendDirection::Primacy => format!(
            "The daily lift trends up by {points_a_day} points a day (p = {p}): users may be warming to the change (a primacy effect), so the lasting lift may be larger than the lift so far."
        ),
        TrendDirection::None => format!(
            "The daily lift shows no clear trend (p = {p}): no sign of a novelty or primacy effect."
        ),
    };
    Some(LiftTrend {
        days: n,
        slope,
        intercept,
        std_error,
        p_value,
        direction,
        summary,
    })
}

fn format_p(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn columns() -> TimelineColumns {
        TimelineColumns {
            date: "exposed_at".into(),
            variant: "variant".into(),
            metric: "converted".into(),
            ..Default::default()
        }
    }

    #[test]
    fn users_are_summed_per_day_and_problems_named() {
        let text = "exposed_at,variant,converted\n\
                    2024-03-04 09:10:00,control,1\n\
                    2024-03-04T23:59:59,treatment,0\n\
                    \n\
                    2024-03-05,control,yes\n\
                    2024-03-04,control,\n";
        let Ok(t) = read_timeline(text, &columns()) else {
            panic!("reads")
        };
        assert_eq!(t.variants, ["control", "treatment"]);
        assert_eq!(t.kind(), MetricKind::Proportion);
        let Some(d4) = t
            .days
            .get(&crate::value::transactions::days_from_civil(2024, 3, 4))
        else {
            panic!("the 4th")
        };
        assert_eq!(d4[0].users, 2);
        assert_eq!(d4[0].sum, 1.0);
        assert_eq!(d4[1].users, 1);
        assert_eq!(t.days.len(), 2);
        let bad = "exposed_at,variant,converted\n2024-03-04,control,1\n\n2024-13-01,control,1\n";
        assert!(matches!(
            read_timeline(bad, &columns()),
            Err(TimelineError::Csv(CsvError::BadCell { line: 4, ref column, .. })) if column == "exposed_at"
        ));
        let bad = "exposed_at,variant,converted\n2024-03-04,control,abc\n";
        assert!(matches!(
            read_timeline(bad, &columns()),
            Err(TimelineError::Csv(CsvError::BadCell { line: 2, .. }))
        ));
        let mut c = columns();
        c.metric = "revenue".into();
        assert!(matches!(
            read_timeline(text, &c),
            Err(TimelineError::Csv(CsvError::NoColumn { .. }))
        ));
    }

    #[test]
    fn daily_aggregates_read_as_the_users_they_sum() {
        let rows = "day,arm,revenue\n2024-01-01,a,2\n2024-01-01,a,0\n2024-01-01,b,3\n2024-01-02,b,1.5\n2024-01-02,a,1\n";
        let c = TimelineColumns {
            date: "day".into(),
            variant: "arm".into(),
            metric: "revenue".into(),
            ..Default::default()
        };
        let Ok(by_user) = read_timeline(rows, &c) else {
            panic!("reads")
        };
        assert_eq!(by_user.kind(), MetricKind::Mean);
        let agg = "date,variant,users,sum,sum_sq\n2024-01-01,a,2,2,4\n2024-01-01,b,1,3,9\n2024-01-02,a,1,1,1\n2024-01-02,b,1,1.5,2.25\n";
        let c = TimelineColumns {
            date: "date".into(),
            variant: "variant".into(),
            metric: "sum".into(),
            users: Some("users".into()),
            sum_squares: Some("sum_sq".into()),
            ..Default::default()
        };
        let Ok(by_day) = read_timeline(agg, &c) else {
            panic!("reads")
        };
        assert_eq!(by_day, by_user);
        // Without a sum of squares the sum counts conversions.
        let c = TimelineColumns {
            sum_squares: None,
            ..c
        };
        let conv = "date,variant,users,sum\n2024-01-01,a,10,3\n2024-01-01,b,10,11\n";
        assert!(matches!(
            read_timeline(conv, &c),
            Err(TimelineError::Csv(CsvError::BadCell { line: 3, .. }))
        ));
    }

    /// A 2-arm experiment of `days` days, `n` users per arm and day.
    fn simulated(rng: &mut Rng, days: i64, n: u64, pc: f64, pt: impl Fn(i64) -> f64) -> Timeline {
        let mut t = Timeline::new();
        for d in 0..days {
            for (name, p) in [("control", pc), ("treatment", pt(d))] {
                let conversions = binomial(rng, n, p);
                t.add_day(19_000 + d, name, n, conversions as f64, None);
            }
        }
        t
    }

    /// Binomial(n, p) by the normal approximation, rounded and clamped to
    /// 0..=n: with n·p = 100 it is accurate to well below what the
    /// simulation can resolve, and 28 million Bernoulli draws are not
    /// needed.
    fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
        let nf = n as f64;
        let x = nf * p + (nf * p * (1.0 - p)).sqrt() * rng.normal();
        x.round().clamp(0.0, nf) as u64
    }

    #[test]
    fn a_novelty_effect_is_seen_and_the_days_to_go_counted() {
        let mut rng = Rng::new(11);
        // 30% lift on day 1 fading by 2 points a day, 20,000 users a day.
        let t = simulated(&mut rng, 14, 20_000, 0.1, |d| 0.1 * (1.3 - 0.02 * d as f64));
        let Ok(r) = timeline(&t, &TimelineOptions::default()) else {
            panic!("computes")
        };
        assert_eq!(r.control, "control");
        assert_eq!(r.days.len(), 14);
        assert_eq!(r.days[13].day, 14);
        assert_eq!(r.days[0].date, "2022-01-08");
        let Some(trend) = &r.trend else {
            panic!("a trend")
        };
        assert_eq!(trend.direction, TrendDirection::Novelty);
        assert!((trend.slope + 0.02).abs() < 0.005, "{trend:?}");
        assert!(trend.summary.starts_with("The daily lift trends down by"));
        let Some(last) = r.days[13].lift else {
            panic!("a lift")
        };
        assert!(last.always_valid.low < last.fixed.low && last.fixed.high < last.always_valid.high);
        // The observed lift (~17%) is large: no more days needed.
        let Some(go) = &r.days_to_go else {
            panic!("a plan")
        };
        assert!(go.min_lift_observed);
        assert_eq!(go.days, None);
        // A 1% lift needs more users than 14 days brought.
        let opts = TimelineOptions {
            min_lift: Some(0.01),
            ..TimelineOptions::default()
        };
        let Ok(r) = timeline(&t, &opts) else { panic!() };
        let Some(go) = r.days_to_go else { panic!() };
        let Some(plan) = crate::stats::power::sample_size(
            r.days[13].cumulative_control.value.unwrap_or(0.0),
            0.01,
            0.05,
            0.8,
        ) else {
            panic!()
        };
        assert_eq!(go.users_needed_per_variant, plan.users_per_variant);
        let expected = ((plan.users_per_variant - 280_000.0) / 20_000.0).ceil() as u64;
        assert_eq!(go.days, Some(expected));
    }

    #[test]
    fn variants_are_chosen_or_the_choice_explained() {
        let mut t = Timeline::new();
        t.add_user(1, "b", 1.0);
        assert!(matches!(
            timeline(&t, &TimelineOptions::default()),
            Err(TimelineError::OneVariant { .. })
        ));
        t.add_user(1, "Control", 0.0);
        t.add_user(1, "c", 0.0);
        assert!(matches!(
            timeline(&t, &TimelineOptions::default()),
            Err(TimelineError::WhichTreatment { count: 3, .. })
        ));
        let opts = TimelineOptions {
            treatment: Some("b".into()),
            ..TimelineOptions::default()
        };
        let Ok(r) = timeline(&t, &opts) else { panic!() };
        assert_eq!((r.control.as_str(), r.treatment.as_str()), ("Control", "b"));
        // One user per arm: no lift yet, and no error either.
        assert_eq!(r.days[0].lift, None);
        assert_eq!(r.days[0].daily_lift, None);
        let opts = TimelineOptions {
            control: Some("d".into()),
            ..opts
        };
        assert!(matches!(
            timeline(&t, &opts),
            Err(TimelineError::NoVariant { .. })
        ));
    }

    #[test]
    fn the_trend_line_by_hand() {
        // y = 1 − x/10 exactly, then with residuals ±0.1.
        let exact: Vec<(f64, f64)> = (1..=5).map(|x| (x as f64, 1.0 - x as f64 / 10.0)).collect();
        let Some(t) = lift_trend(&exact, 0.05) else {
            panic!()
        };
        assert!((t.slope + 0.1).abs() < 1e-15 && (t.intercept - 1.0).abs() < 1e-15);
        assert_eq!(t.direction, TrendDirection::Novelty);
        // x = 1, 2, 3, y = 0, 1, 0: slope 0, SSR 2/3, se = √(2/3 / 1 / 2).
        let Some(t) = lift_trend(&[(1.0, 0.0), (2.0, 1.0), (3.0, 0.0)], 0.05) else {
            panic!()
        };
        assert_eq!(t.slope, 0.0);
        assert!((t.std_error - (1.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(t.p_value, 1.0);
        assert_eq!(t.direction, TrendDirection::None);
        assert!(lift_trend(&exact[..2], 0.05).is_none());
    }

    /// 2,000 A/A experiments (10% conversion in both arms, 1,000 users per
    /// arm and day), each looked at after each of 14 days: the always-valid
    /// interval may exclude 0 at some look in at most α = 5% of them; the
    /// fixed-horizon interval, looked at as often, does so far more often.
    #[test]
    fn always_valid_intervals_hold_their_level_over_daily_looks() {
        let mut rng = Rng::new(2024);
        let (experiments, days) = (2_000, 14);
        let (mut sequential, mut fixed) = (0u32, 0u32);
        for _ in 0..experiments {
            let t = simulated(&mut rng, days, 1_000, 0.1, |_| 0.1);
            let Ok(r) = timeline(&t, &TimelineOptions::default()) else {
                panic!("computes")
            };
            let lifts: Vec<CumulativeLift> = r.days.iter().filter_map(|d| d.lift).collect();
            assert_eq!(lifts.len(), days as usize);
            sequential += u32::from(lifts.iter().any(|l| l.always_valid.excludes_zero()));
            fixed += u32::from(lifts.iter().any(|l| l.fixed.excludes_zero()));
        }
        let share = |k: u32| f64::from(k) / f64::from(experiments);
        println!(
            "A/A, {experiments} experiments x {days} daily looks: always-valid interval excludes 0 at some look in {:.2}%, fixed-horizon in {:.2}%",
            100.0 * share(sequential),
            100.0 * share(fixed)
        );
        assert!(share(sequential) <= 0.06, "{}", share(sequential));
        assert!(share(fixed) > 0.12, "{}", share(fixed));
    }

    #[test]
    fn the_stream_reads_any_pieces_as_the_whole_file_does() {
        let columns = TimelineColumns {
            date: "date".into(),
            variant: "variant".into(),
            metric: "converted".into(),
            ..Default::default()
        };
        let mut text = String::from("\n\"date\",variant,converted\n");
        for i in 0..300 {
            let day = 1 + i % 9;
            let variant = if i % 2 == 0 {
                "control"
            } else {
                "\"treat\nment\""
            };
            text.push_str(&format!("2024-01-0{day},{variant},{}\r\n", i % 3 % 2));
            if i % 50 == 7 {
                text.push('\n');
            }
        }
        let whole = read_timeline(&text, &columns);
        assert!(whole.is_ok());
        for size in [1usize, 7, 64, 4096] {
            let mut stream = TimelineStream::new(columns.clone());
            for piece in text.as_bytes().chunks(size) {
                assert_eq!(stream.feed(piece), Ok(()));
            }
            assert_eq!(stream.finish(), whole, "pieces of {size} bytes");
        }
        // A bad cell is reported at its line in the file, however it is cut.
        let bad = text.replacen("2024-01-05,control", "yesterday,control", 1);
        let want = read_timeline(&bad, &columns).err();
        assert!(
            matches!(want, Some(TimelineError::Csv(CsvError::BadCell { .. }))),
            "{want:?}"
        );
        for size in [5usize, 300] {
            let mut stream = TimelineStream::new(columns.clone());
            let fed: Result<(), TimelineError> =
                bad.as_bytes().chunks(size).try_for_each(|p| stream.feed(p));
            let got = fed.and_then(|()| stream.finish().map(|_| ())).err();
            assert_eq!(got, want, "pieces of {size} bytes");
        }
    }

    /// 1,500 days of one user per arm and day: drawn as weeks (215 points,
    /// each a Monday-to-Sunday sum) with the same totals; placeholder
    /// dates are left out and counted.
    #[test]
    fn long_timelines_are_drawn_per_week_and_placeholders_are_left_out() {
        let mut text = String::from("date,variant,converted\n9999-12-31,control,1\n");
        for d in 0..1_500 {
            let date = civil_from_days(19_000 + d);
            text.push_str(&format!(
                "{date},control,{}\n{date},treatment,{}\n",
                d % 3 == 0,
                d % 2 == 0
            ));
        }
        let columns = TimelineColumns {
            date: "date".into(),
            variant: "variant".into(),
            metric: "converted".into(),
            ..Default::default()
        };
        let Ok(data) = read_timeline(&text, &columns) else {
            panic!("the timeline reads");
        };
        assert_eq!(data.placeholder_dates, 1);
        // Rows after the day given as today: left out and counted.
        let until = TimelineColumns {
            latest: Some(19_000 + 999),
            ..columns.clone()
        };
        let Ok(early) = read_timeline(&text, &until) else {
            panic!("the rows up to a day are read");
        };
        assert_eq!(
            (early.placeholder_dates, early.days.len()),
            (1 + 2 * 500, 1_000)
        );
        let Ok(report) = timeline(&data, &TimelineOptions::default()) else {
            panic!("the timeline is computed");
        };
        assert_eq!(report.period_days, 7);
        assert_eq!(report.placeholder_dates, 1);
        assert_eq!(report.days.len(), 215);
        let last = report.days.last().map(|d| d.cumulative_control.users);
        assert_eq!(last, Some(1_500));
        // Every point but the first starts on a Monday.
        assert!(report.days.iter().skip(1).all(|d| {
            parse_date(&d.date).is_some_and(|day| crate::cohorts::week_start(day) == day)
        }));
        // Within the limit, a point is a day.
        let text: String = text.lines().take(1_500).map(|l| format!("{l}\n")).collect();
        let Ok(short) = read_timeline(&text, &columns) else {
            panic!("the first half reads");
        };
        let Ok(report) = timeline(&short, &TimelineOptions::default()) else {
            panic!("the first half is computed");
        };
        assert_eq!(
            (report.period_days, report.days.len()),
            (1, short.days.len())
        );
    }
}

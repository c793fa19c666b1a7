//! Segments, not summed away: the experiment within each value of one
//! column (a channel, a region), its uplift on the primary metric, whether
//! it differs from the other segments, and the ROI of rolling out to that
//! segment only.
//!
//! Each segment is read as a file of its own (the rows with that value), so
//! every number is the one the whole analysis would give for those users.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::finance::model::UpliftEstimate;
use crate::ingest::{ColumnMapping, IngestError};
use crate::ingest::{Experiment, ValueKind, VariantStats};
use crate::metric_source::primary_stats;
use crate::report::{analyze_experiment, primary_uplift, AnalysisError};
use crate::scenario::Scenario;
use crate::stats::heterogeneity::{cochran_q, Heterogeneity};
use crate::stats::multiple::holm;
use crate::stats::poststrat::{post_stratify, PostStratified};
use crate::stats::Srm;
use crate::units::{Interval, Money};

mod reader;
pub use reader::{read_by_segment, SegmentReader, SplitRead};

/// More values than this and the column is not a segment (an id, a date).
pub const MAX_SEGMENTS: usize = 50;

/// Why a column could not be used as the segments.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SegmentError {
    #[error("There is no column '{column}' in the data.")]
    NoColumn { column: String },
    #[error("Column '{column}' has more than {limit} different values, so it is not a segment (an id or a date, perhaps).")]
    TooMany { column: String, limit: usize },
    #[error("Segment '{segment}': {error}")]
    Segment {
        segment: String,
        error: AnalysisError,
    },
    #[error("Segment '{segment}' of '{column}' has other columns than the first segment (a metric that is yes/no in one and a number in another, perhaps), so they cannot share one table.")]
    Mixed { column: String, segment: String },
    #[error(transparent)]
    Data(#[from] IngestError),
}

/// One segment's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentResult {
    pub segment: String,
    /// Users in the segment, all variants, and their share of all users.
    pub users: u64,
    pub share: f64,
    /// The treatment's relative uplift on the primary metric in the segment.
    pub uplift: UpliftEstimate,
    /// Its interval and p-value against the control, as the metric's table
    /// shows them for all users.
    pub ci: Option<Interval>,
    pub p_value: Option<f64>,
    /// Sample-ratio mismatch within the segment.
    pub srm: Option<Srm>,
    /// Rolling out to this segment only: its share of the monthly users,
    /// against all of the programme's costs.
    pub roi_percent: Option<f64>,
    pub net_profit: Money,
    /// This segment's uplift against the rest of the users': two-sided p
    /// (Cochran's Q on the pair), and Holm-adjusted over the segments.
    pub vs_rest_p: Option<f64>,
    pub vs_rest_p_adjusted: Option<f64>,
}

/// Every segment of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentReport {
    pub column: String,
    pub primary: Option<String>,
    /// How the primary metric is named on the page ("Conversion rate").
    pub primary_label: Option<String>,
    /// The arms compared in every segment, as sentences name them
    /// ("Promotion 2" against "Promotion 1").
    #[serde(default)]
    pub control: String,
    #[serde(default)]
    pub treatment: String,
    pub segments: Vec<SegmentResult>,
    /// Cochran's Q over the segments' uplifts: do they differ at all?
    pub heterogeneity: Option<Heterogeneity>,
    /// The overall uplift on the primary metric post-stratified on the
    /// column (each segment weighted by its share of the users).
    pub post_stratified: Option<PostStratified>,
}

/// The rows of `text` reduced to the aggregated CSV per value of `column`
/// (see [`SplitRead::to_csv`]).
pub fn aggregated_by_segment(
    text: &str,
    column: &str,
    mapping: &ColumnMapping,
) -> Result<String, SegmentError> {
    read_by_segment(text, column, mapping)?.to_csv()
}

/// `whole`'s sums less `part`'s, variant by variant (matched by name) and
/// metric column by column (matched by name: the part lacks the segment
/// column itself). Sums add up over rows, so this is the experiment of the
/// rows outside the part, without reading them again.
fn without(whole: &Experiment, part: &Experiment) -> Experiment {
    fn less<T: Copy + std::ops::Sub<Output = T>>(a: &mut Option<T>, b: Option<T>) {
        if let (Some(x), Some(y)) = (a.as_mut(), b) {
            *x = *x - y;
        }
    }
    let index: Vec<Option<usize>> = whole
        .metric_columns
        .iter()
        .map(|c| part.metric_columns.iter().position(|p| p.name == c.name))
        .collect();
    let mut rest = whole.clone();
    rest.rows = whole.rows.saturating_sub(part.rows);
    for v in &mut rest.variants {
        let Some(p) = part.variants.iter().find(|p| p.name == v.name) else {
            continue;
        };
        subtract(v, p, &index, part);
    }
    rest.variants.retain(|v| v.users > 0);
    return rest;

    fn subtract(
        v: &mut VariantStats,
        p: &VariantStats,
        index: &[Option<usize>],
        part: &Experiment,
    ) {
        v.users = v.users.saturating_sub(p.users);
        less(&mut v.conversions, p.conversions);
        less(&mut v.orders, p.orders);
        less(&mut v.clicks, p.clicks);
        less(&mut v.impressions, p.impressions);
        for (a, b) in [
            (&mut v.revenue, p.revenue),
            (&mut v.revenue_sq, p.revenue_sq),
            (&mut v.orders_sq, p.orders_sq),
            (&mut v.revenue_x_orders, p.revenue_x_orders),
            (&mut v.pre_revenue, p.pre_revenue),
            (&mut v.pre_revenue_sq, p.pre_revenue_sq),
            (&mut v.revenue_x_pre, p.revenue_x_pre),
        ] {
            less(a, b);
        }
        for (i, &j) in index.iter().enumerate() {
            let (Some(col), Some(q)) = (v.columns.get_mut(i), j.and_then(|j| p.columns.get(j)))
            else {
                continue;
            };
            col.sum -= q.sum;
            // A yes/no column in the part keeps no squares: they are its sum.
            let binary = j
                .and_then(|j| part.metric_columns.get(j))
                .is_some_and(|c| c.kind == ValueKind::Binary);
            let q_sq = if binary { Some(q.sum) } else { q.sum_sq };
            less(&mut col.sum_sq, q_sq);
        }
        let k = index.len();
        for a in 0..k {
            for b in (a + 1)..k {
                let pair = crate::ingest::pair_index(a, b, k);
                let theirs = match (index.get(a), index.get(b)) {
                    (Some(&Some(x)), Some(&Some(y))) => p.cross_sum(x.min(y), x.max(y)),
                    _ => None,
                };
                if let Some(slot) = v.cross.get_mut(pair) {
                    less(slot, theirs);
                }
            }
        }
    }
}

/// The scenario's analysis within each value of `column`.
///
/// Per segment: the treatment's relative uplift on the primary metric and
/// its standard error (the delta-method Welch test of
/// [`crate::stats::compare`]), SRM, and the ROI of the programme if it
/// reached only that segment (monthly users × the segment's share of the
/// experiment's users). Segment against the rest: Cochran's Q on the two
/// uplifts, i.e. z = (θ_s − θ_rest)/√(SE_s² + SE_rest²), Holm-adjusted over
/// the segments; over all segments, Cochran's Q (Cochran 1954), as
/// statsmodels' `combine_effects` with fixed effects.
pub fn segment_report(scenario: &Scenario, column: &str) -> Result<SegmentReport, SegmentError> {
    let whole = scenario.experiment()?;
    segment_report_with(scenario, column, &whole)
}

/// [`segment_report`] for a scenario whose data has already been read as
/// `whole` (or as its sums: only the per-variant sums are used).
pub fn segment_report_with(
    scenario: &Scenario,
    column: &str,
    whole: &Experiment,
) -> Result<SegmentReport, SegmentError> {
    let caps = crate::ingest::resolve_caps(
        &scenario.data,
        &scenario.columns,
        &scenario.analysis.metrics.caps(),
    )?;
    let mut reader = SegmentReader::new(&scenario.columns, column).capped(caps);
    reader.feed(scenario.data.as_bytes())?;
    let split = reader.finish()?;
    // Variants in the order of the whole file, so every segment compares
    // the same treatment with the control whichever row comes first in it.
    let order: Vec<&str> = whole.variants.iter().map(|v| v.name.as_str()).collect();
    let rank = |name: &str| order.iter().position(|n| *n == name).unwrap_or(usize::MAX);
    let mut experiments = split.parts;
    for (_, e) in &mut experiments {
        e.variants.sort_by_key(|v| rank(&v.name));
    }
    let total: u64 = experiments
        .iter()
        .map(|(_, e)| e.variants.iter().map(|v| v.users).sum::<u64>())
        .sum();
    let mut primary = None;
    let mut primary_label = None;
    let mut arms = (String::new(), String::new());
    let mut strata = Vec::new();
    let mut segments = Vec::new();
    // Each segment's scenario, without the rows (read already, and not
    // read again by the analysis): copying them for every segment cost
    // more than analysing it.
    let mut template = scenario.clone();
    template.data = String::new();
    for (value, e) in &experiments {
        let users: u64 = e.variants.iter().map(|v| v.users).sum();
        let share = users as f64 / total.max(1) as f64;
        let mut own = template.clone();
        own.assumptions.monthly_users *= share;
        // A segment's ROI is read at its expected uplift; its Monte Carlo
        // distribution is not shown, so one draw keeps ten segments cheap.
        own.investment.uncertainty.draws = 1;
        let failed = |error| SegmentError::Segment {
            segment: value.clone(),
            error,
        };
        let report = analyze_experiment(&own, e).map_err(failed)?;
        // The rest of the users: the whole file's sums minus this segment's.
        let rest = without(whole, e);
        let vs_rest_p = {
            let arm = |name: &str| rest.variants.iter().find(|v| v.name == name);
            let key = report.primary.as_deref();
            arm(&report.control)
                .zip(arm(&report.treatment))
                .filter(|(c, t)| c.users > 0 && t.users > 0)
                .and_then(|(c, t)| {
                    let (a, b) = (
                        report.roi.uplift,
                        primary_uplift(
                            c,
                            t,
                            &rest,
                            key,
                            &scenario.analysis.metrics,
                            scenario.confidence,
                        ),
                    );
                    cochran_q(&[a.mean, b.mean], &[a.std_error, b.std_error]).map(|q| q.p_value)
                })
        };
        primary = report.primary.clone();
        primary_label = report.primary_result().map(|m| m.label.clone());
        arms = (
            report.headline.control_label.clone(),
            report.headline.treatment_label.clone(),
        );
        let vs = report.primary_vs_control();
        let arm = |name: &str| {
            let key = report.primary.as_deref()?;
            let v = e.variants.iter().find(|v| v.name == name)?;
            primary_stats(key, v, e, &scenario.analysis.metrics)
        };
        if let (Some(c), Some(t)) = (arm(&report.control), arm(&report.treatment)) {
            strata.push((c, t));
        }
        segments.push(SegmentResult {
            segment: value.clone(),
            users,
            share,
            uplift: report.roi.uplift,
            ci: vs.and_then(|v| v.relative_ci),
            p_value: vs.and_then(|v| v.p_value_adjusted.or(v.p_value)),
            srm: report.srm,
            roi_percent: report.roi.roi_percent,
            net_profit: report.roi.net_profit,
            vs_rest_p,
            vs_rest_p_adjusted: None,
        });
    }
    let raw: Vec<f64> = segments.iter().filter_map(|s| s.vs_rest_p).collect();
    let mut adjusted = holm(&raw).into_iter();
    for s in segments.iter_mut().filter(|s| s.vs_rest_p.is_some()) {
        s.vs_rest_p_adjusted = adjusted.next();
    }
    let (estimates, errors): (Vec<f64>, Vec<f64>) = segments
        .iter()
        .map(|s| (s.uplift.mean, s.uplift.std_error))
        .unzip();
    Ok(SegmentReport {
        column: column.to_string(),
        primary,
        primary_label,
        control: arms.0,
        treatment: arms.1,
        heterogeneity: cochran_q(&estimates, &errors),
        // Every segment must contribute, or the weights would not be the
        // segments' shares.
        post_stratified: (strata.len() == segments.len())
            .then(|| post_stratify(&strata, scenario.confidence))
            .flatten(),
        segments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{parse_experiment, parse_experiment_with, to_aggregated_csv};

    fn sums(e: &Experiment) -> String {
        to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps)
    }

    #[test]
    fn rows_are_split_by_value_with_quotes_kept() {
        let text = "variant,region,converted\nA,\"North, East\",1\nB,South,0\n\nA,South,1\nB,\"North, East\",0\n";
        let Ok(split) = read_by_segment(text, "region", &ColumnMapping::new()) else {
            panic!("splits")
        };
        let names: Vec<&str> = split.parts.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(names, ["North, East", "South"]);
        let own = |rows: &str| {
            let Ok(e) = parse_experiment(&format!("variant,converted\n{rows}")) else {
                panic!("reads")
            };
            sums(&e)
        };
        assert_eq!(sums(&split.parts[0].1), own("A,1\nB,0\n"));
        // Variants in the order they first appear within the segment.
        assert_eq!(sums(&split.parts[1].1), own("B,0\nA,1\n"));
        assert_eq!(split.rows(), 4);
        // A numeric segment column is not read as a metric of its parts.
        let numeric = "variant,recency,spend\nA,1,0\nB,1,5\nA,10,2\nB,10,0\n";
        let Ok(out) = aggregated_by_segment(numeric, "recency", &ColumnMapping::new()) else {
            panic!("reduces")
        };
        assert_eq!(
            out.lines().next(),
            Some("recency,variant,users,conversions,revenue,revenue_sq")
        );
        assert!(matches!(
            read_by_segment(text, "city", &ColumnMapping::new()),
            Err(SegmentError::NoColumn { .. })
        ));
        let many: String = std::iter::once("variant,id,converted\n".to_string())
            .chain((0..60).map(|i| format!("A,{i},1\n")))
            .collect();
        assert!(matches!(
            read_by_segment(&many, "id", &ColumnMapping::new()),
            Err(SegmentError::TooMany { .. })
        ));
    }

    #[test]
    fn a_problem_in_a_segment_is_reported_at_its_line_in_the_file() {
        // Line 6 is a bad row of segment "b"; line 4 is too short to have
        // the segment column at all; line 7 spans two lines in quotes.
        let text = "variant,seg,converted,note\nA,a,1,x\nB,b,0,x\nA\nB,a,1,x\nA,b,maybe,x\nB,b,1,\"two\nlines\"\nA,b,0,x\n";
        let Ok(split) = read_by_segment(text, "seg", &ColumnMapping::new()) else {
            panic!("splits")
        };
        assert_eq!(split.skipped, 2);
        let lines: Vec<Option<u64>> = split.problems.iter().map(IngestError::line).collect();
        assert_eq!(lines, [Some(4), Some(6)]);
        assert!(matches!(
            split.problems[0],
            IngestError::RaggedRow {
                found: 1,
                expected: 4,
                ..
            }
        ));
        // The row after the quoted line break is read, as in the whole file.
        assert_eq!(split.rows(), 5);
    }

    #[test]
    fn chunks_of_any_size_give_the_same_segments() {
        let mut text = String::from("\u{feff}user,variant,channel,converted,spend\r\n");
        for i in 0..3000 {
            let arm = ["control", "treatment"][i % 2];
            let channel = ["web", "\"app, ios\"", "mail"][i % 3];
            text.push_str(&format!(
                "{i},{arm},{channel},{},{}.5\r\n",
                i % 7 == 0,
                i % 11
            ));
        }
        let mapping = ColumnMapping::new();
        let Ok(whole) = read_by_segment(&text, "channel", &mapping).and_then(|s| s.to_csv()) else {
            panic!("reads whole")
        };
        for size in [1, 7, 4096, 70_000] {
            let mut reader = SegmentReader::new(&mapping, "channel");
            for chunk in text.as_bytes().chunks(size) {
                assert!(reader.feed(chunk).is_ok());
            }
            let Ok(csv) = reader.finish().and_then(|s| s.to_csv()) else {
                panic!("reads in chunks of {size}")
            };
            assert_eq!(csv, whole, "chunks of {size}");
        }
        // The segments add up to the experiment of all the rows.
        let (Ok(all), Ok(back)) = (
            parse_experiment_with(&text, &mapping),
            parse_experiment_with(&whole, &mapping),
        ) else {
            panic!("both read")
        };
        assert_eq!(all.rows, 3000);
        assert_eq!(sums(&all), sums(&back));
    }

    #[test]
    fn aggregated_by_segment_writes_each_segment_s_sums_and_reads_back() {
        let text = "variant,channel,converted,minutes\nA,web,1,3\nB,web,0,2\nA,web,0,4\nB,\"app, ios\",1,5\nA,\"app, ios\",0,1\nB,web,1,7\n";
        let Ok(out) = aggregated_by_segment(text, "channel", &ColumnMapping::new()) else {
            panic!("reduces")
        };
        assert_eq!(
            out,
            "channel,variant,users,conversions,minutes,minutes_sq\n\
             \"app, ios\",A,1,0,1,1\n\"app, ios\",B,1,1,5,25\n\
             web,A,2,1,7,25\nweb,B,2,1,9,53\n"
        );
        // Read as a file, the segments sum to the whole experiment's sums.
        let (Ok(whole), Ok(back)) = (
            parse_experiment_with(text, &ColumnMapping::new()),
            parse_experiment_with(&out, &ColumnMapping::new()),
        ) else {
            panic!("both read")
        };
        assert_eq!(
            to_aggregated_csv(&whole.variants, &whole.metric_columns, &whole.caps),
            to_aggregated_csv(&back.variants, &back.metric_columns, &back.caps)
        );
    }
}

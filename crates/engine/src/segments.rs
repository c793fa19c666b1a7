//! Segments, not summed away: the experiment within each value of one
//! column (a channel, a region), its uplift on the primary metric, whether
//! it differs from the other segments, and the ROI of rolling out to that
//! segment only.
//!
//! Each segment is read as a file of its own (the rows with that value), so
//! every number is the one the whole analysis would give for those users.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::decision::primary_stats;
use crate::finance::model::UpliftEstimate;
use crate::ingest::{
    detect_delimiter, parse_experiment_with, push_field, to_aggregated_csv, ColumnMapping,
    ColumnRole, IngestError,
};
use crate::ingest::{Experiment, ValueKind, VariantStats};
use crate::report::{analyze_experiment, primary_uplift, AnalysisError};
use crate::scenario::Scenario;
use crate::stats::heterogeneity::{cochran_q, Heterogeneity};
use crate::stats::multiple::holm;
use crate::stats::poststrat::{post_stratify, PostStratified};
use crate::stats::Srm;
use crate::units::{Interval, Money};

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
    pub segments: Vec<SegmentResult>,
    /// Cochran's Q over the segments' uplifts: do they differ at all?
    pub heterogeneity: Option<Heterogeneity>,
    /// The overall uplift on the primary metric post-stratified on the
    /// column (each segment weighted by its share of the users).
    pub post_stratified: Option<PostStratified>,
}

/// The rows of `text` grouped by the value of `column`: (value, the header
/// and those rows as they are in `text`), in the order the values first
/// appear. Records are copied as written, not rewritten, which keeps this
/// a fraction of the cost of reading them; read each part with
/// [`part_mapping`], which leaves the column itself out (within a part it
/// is constant, and a column of numbers would otherwise be a metric).
pub fn split_by_column(text: &str, column: &str) -> Result<Vec<(String, String)>, SegmentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = detect_delimiter(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let header_read = reader.read_record(&mut record).unwrap_or(false);
    if !header_read {
        return Err(IngestError::Empty.into());
    }
    let at = record
        .iter()
        .position(|h| h.trim() == column)
        .ok_or_else(|| SegmentError::NoColumn {
            column: column.to_string(),
        })?;
    let mut start = reader.position().byte() as usize;
    let mut head = text.get(..start).unwrap_or_default().to_string();
    if !head.ends_with('\n') {
        head.push('\n');
    }
    let mut groups: Vec<(String, String)> = Vec::new();
    // A malformed record ends the split as it would end the reading.
    while let Ok(true) = reader.read_record(&mut record) {
        let end = reader.position().byte() as usize;
        let raw = text.get(start..end).unwrap_or_default();
        start = end;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let value = record.get(at).unwrap_or("").trim();
        let pos = match groups.iter().position(|(v, _)| v == value) {
            Some(p) => p,
            None => {
                if groups.len() == MAX_SEGMENTS {
                    return Err(SegmentError::TooMany {
                        column: column.to_string(),
                        limit: MAX_SEGMENTS,
                    });
                }
                groups.push((value.to_string(), head.clone()));
                groups.len() - 1
            }
        };
        if let Some((_, rows)) = groups.get_mut(pos) {
            rows.push_str(raw);
            if !raw.ends_with('\n') {
                rows.push('\n');
            }
        }
    }
    Ok(groups)
}

/// The column roles to read a part of [`split_by_column`] with: `mapping`,
/// and the segment column left out.
pub fn part_mapping(mapping: &ColumnMapping, column: &str) -> ColumnMapping {
    let mut m = mapping.clone();
    m.insert(column.to_string(), ColumnRole::Ignore);
    m
}

/// The rows of `text` reduced to the aggregated CSV per value of `column`:
/// the column first (under its own name), then the columns
/// [`to_aggregated_csv`] writes, one row per segment and variant, ordered by
/// segment. The same shape as the warehouse SQL's result with a segment.
pub fn aggregated_by_segment(
    text: &str,
    column: &str,
    mapping: &ColumnMapping,
) -> Result<String, SegmentError> {
    let mut groups = split_by_column(text, column)?;
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let mapping = &part_mapping(mapping, column);
    let mut header: Option<String> = None;
    let mut out = String::new();
    for (value, part) in &groups {
        let mut e =
            parse_experiment_with(part, mapping).map_err(|error| SegmentError::Segment {
                segment: value.clone(),
                error: error.into(),
            })?;
        // Ordered by variant within a segment, as the SQL's ORDER BY.
        e.variants.sort_by(|a, b| a.name.cmp(&b.name));
        let csv = to_aggregated_csv(&e.variants, &e.metric_columns);
        let mut lines = csv.lines();
        let head = lines.next().unwrap_or("");
        match &header {
            None => {
                push_field(&mut out, column, ',');
                out.push(',');
                out.push_str(head);
                out.push('\n');
                header = Some(head.to_string());
            }
            Some(h) if h != head => {
                return Err(SegmentError::Mixed {
                    column: column.to_string(),
                    segment: value.clone(),
                })
            }
            Some(_) => {}
        }
        for line in lines {
            push_field(&mut out, value, ',');
            out.push(',');
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
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
    let whole = parse_experiment_with(&scenario.data, &scenario.columns)?;
    segment_report_with(scenario, column, &whole)
}

/// [`segment_report`] for a scenario whose data has already been read as
/// `whole` (or as its sums: only the per-variant sums are used).
pub fn segment_report_with(
    scenario: &Scenario,
    column: &str,
    whole: &Experiment,
) -> Result<SegmentReport, SegmentError> {
    let groups = split_by_column(&scenario.data, column)?;
    // Variants in the order of the whole file, so every segment compares
    // the same treatment with the control whichever row comes first in it.
    let order: Vec<String> = whole.variants.iter().map(|v| v.name.clone()).collect();
    let columns = part_mapping(&scenario.columns, column);
    let read = |text: &str| {
        parse_experiment_with(text, &columns).map(|mut e| {
            let rank = |name: &str| order.iter().position(|n| n == name).unwrap_or(usize::MAX);
            e.variants.sort_by_key(|v| rank(&v.name));
            e
        })
    };
    let experiments = groups
        .iter()
        .map(|(value, text)| {
            read(text)
                .map(|e| (value.clone(), e))
                .map_err(|error| SegmentError::Segment {
                    segment: value.clone(),
                    error: error.into(),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = experiments
        .iter()
        .map(|(_, e)| e.variants.iter().map(|v| v.users).sum::<u64>())
        .sum();
    let mut primary = None;
    let mut primary_label = None;
    let mut strata = Vec::new();
    let mut segments = Vec::new();
    for (value, e) in &experiments {
        let users: u64 = e.variants.iter().map(|v| v.users).sum();
        let share = users as f64 / total.max(1) as f64;
        let mut own = scenario.clone();
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
                        primary_uplift(c, t, &rest, key, scenario.confidence),
                    );
                    cochran_q(&[a.mean, b.mean], &[a.std_error, b.std_error]).map(|q| q.p_value)
                })
        };
        primary = report.primary.clone();
        primary_label = report.primary_result().map(|m| m.label.clone());
        let vs = report.primary_vs_control();
        let arm = |name: &str| {
            let key = report.primary.as_deref()?;
            let v = e.variants.iter().find(|v| v.name == name)?;
            primary_stats(key, v, e)
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

    #[test]
    fn rows_are_grouped_by_value_with_quotes_kept() {
        let text = "variant,region,converted\nA,\"North, East\",1\nB,South,0\n\nA,South,1\nB,\"North, East\",0\n";
        let Ok(groups) = split_by_column(text, "region") else {
            panic!("splits")
        };
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "North, East");
        assert_eq!(
            groups[0].1,
            "variant,region,converted\nA,\"North, East\",1\nB,\"North, East\",0\n"
        );
        // Rows are copied as written; blank lines do not matter to the reader.
        assert_eq!(
            groups[1].1.replace("\n\n", "\n"),
            "variant,region,converted\nB,South,0\nA,South,1\n"
        );
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
            split_by_column(text, "city"),
            Err(SegmentError::NoColumn { .. })
        ));
        let many: String = std::iter::once("variant,id,converted\n".to_string())
            .chain((0..60).map(|i| format!("A,{i},1\n")))
            .collect();
        assert!(matches!(
            split_by_column(&many, "id"),
            Err(SegmentError::TooMany { .. })
        ));
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
            to_aggregated_csv(&whole.variants, &whole.metric_columns),
            to_aggregated_csv(&back.variants, &back.metric_columns)
        );
    }
}

//! Where a metric's per-user statistics come from: a fixed metric
//! (conversion, revenue per user, order value, click-through), a metric
//! column of the data (a share of yes, a mean, or NPS), or a ratio of two
//! columns; and which metric is the primary one. The report reads the
//! primary metric through it, the decision its guardrails.

use crate::comparison::{mean_only, Metric, MetricInput, MetricInputs};
use crate::ingest::{named_like_nps, Experiment, MetricColumn, ValueKind, VariantStats};
use crate::scenario::MetricPlan;
use crate::stats::{wilson_interval, SampleStats};

/// Where a metric's per-user statistics come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Source {
    Fixed(Metric),
    Column(usize, ValueKind),
    /// A column of 0–10 answers read as NPS: the answers recoded +1/0/−1.
    Nps(usize),
    Ratio(usize, usize),
}

pub(crate) fn column_index(e: &Experiment, name: &str) -> Option<usize> {
    e.metric_columns.iter().position(|c| c.name == name)
}

/// Whether metric column `i` is an NPS question: every answer a whole
/// number from 0 to 10 (row-level data), and a header that says NPS or a
/// plan that names the column.
pub(crate) fn is_nps(e: &Experiment, i: usize, plan: &MetricPlan) -> bool {
    let Some(c) = e.metric_columns.get(i) else {
        return false;
    };
    let answers = e
        .variants
        .iter()
        .all(|v| v.columns.get(i).is_some_and(|s| s.scores.is_some()));
    answers && (named_like_nps(&c.name) || plan.is_nps(&c.name))
}

/// A fixed metric or a metric column by its key: what a primary metric
/// can be (a ratio is a secondary metric or a guardrail).
pub(crate) fn primary_source(key: &str, e: &Experiment, plan: &MetricPlan) -> Option<Source> {
    let fixed = [
        Metric::ConversionRate,
        Metric::RevenuePerUser,
        Metric::AverageOrderValue,
        Metric::ClickThroughRate,
    ];
    if let Some(m) = fixed.into_iter().find(|m| m.key() == key) {
        return Some(Source::Fixed(m));
    }
    let i = column_index(e, key)?;
    if is_nps(e, i, plan) {
        return Some(Source::Nps(i));
    }
    e.metric_columns.get(i).map(|c| Source::Column(i, c.kind))
}

/// Any metric by its key, the plan's ratios included.
pub(crate) fn source(key: &str, e: &Experiment, plan: &MetricPlan) -> Option<Source> {
    if let Some(src) = primary_source(key, e, plan) {
        return Some(src);
    }
    let r = plan.ratio(key)?;
    Some(Source::Ratio(
        column_index(e, &r.numerator)?,
        column_index(e, &r.denominator)?,
    ))
}

/// Per-user statistics of one variant on a metric, with the successes and
/// trials of a proportion (for the Wilson interval on its own value).
/// `None` when the variant lacks the metric.
pub(crate) fn stats_of(src: Source, v: &VariantStats) -> Option<(SampleStats, Option<(u64, u64)>)> {
    let plain = |sum: f64, sq: Option<f64>| match sq {
        Some(sq) => SampleStats::from_sums(v.users, sum, sq),
        None => Some(mean_only(v.users, sum)),
    };
    match src {
        Source::Fixed(Metric::ConversionRate) => proportion(v.conversions?, v.users),
        Source::Fixed(Metric::ClickThroughRate) => proportion(v.clicks?, v.impressions?),
        Source::Fixed(Metric::RevenuePerUser) => plain(v.revenue?, v.revenue_sq).map(|s| (s, None)),
        Source::Fixed(Metric::AverageOrderValue) => {
            let (r, o) = (v.revenue?, v.orders? as f64);
            let ratio = match (v.revenue_sq, v.orders_sq, v.revenue_x_orders) {
                (Some(rsq), Some(osq), Some(rxo)) => {
                    SampleStats::ratio(v.users, (r, rsq), (o, osq), rxo)
                }
                _ => None,
            };
            let s = ratio.unwrap_or(SampleStats {
                n: v.users as f64,
                mean: r / o,
                variance: f64::NAN,
            });
            (o > 0.0).then_some((s, None))
        }
        Source::Column(i, ValueKind::Binary) => {
            proportion(v.columns.get(i)?.sum.round() as u64, v.users)
        }
        Source::Column(i, ValueKind::Numeric) => {
            let c = v.columns.get(i)?;
            plain(c.sum, c.sum_sq).map(|s| (s, None))
        }
        Source::Nps(i) => v.columns.get(i)?.scores?.recoded().map(|s| (s, None)),
        Source::Ratio(a, b) => {
            let (m, d) = (v.columns.get(a)?, v.columns.get(b)?);
            if d.sum == 0.0 {
                return None;
            }
            let exact = match (m.sum_sq, d.sum_sq, v.cross_sum(a, b)) {
                (Some(msq), Some(dsq), Some(md)) => {
                    SampleStats::ratio(v.users, (m.sum, msq), (d.sum, dsq), md)
                }
                _ => None,
            };
            let s = exact.unwrap_or(SampleStats {
                n: v.users as f64,
                mean: m.sum / d.sum,
                variance: f64::NAN,
            });
            Some((s, None))
        }
    }
}

fn proportion(successes: u64, n: u64) -> Option<(SampleStats, Option<(u64, u64)>)> {
    SampleStats::proportion(successes, n).map(|s| (s, Some((successes, n))))
}

/// What [`metric_result`] compares for one variant: its statistics, and
/// the Wilson interval on a proportion's own value.
pub(crate) fn metric_input(src: Source, v: &VariantStats, confidence: f64) -> MetricInputs {
    match stats_of(src, v) {
        Some((s, Some((k, n)))) => (
            Some(MetricInput::Plain(s)),
            wilson_interval(k, n, confidence),
        ),
        Some((s, None)) => (Some(MetricInput::Plain(s)), None),
        None => (None, None),
    }
}

/// Per-user statistics of a metric named by key, for one variant.
pub(crate) fn stats_by_key(
    key: &str,
    v: &VariantStats,
    e: &Experiment,
    plan: &MetricPlan,
) -> Option<SampleStats> {
    stats_of(source(key, e, plan)?, v).map(|(s, _)| s)
}

/// Per-user statistics of the primary metric, for one variant.
pub(crate) fn primary_stats(
    key: &str,
    v: &VariantStats,
    e: &Experiment,
    plan: &MetricPlan,
) -> Option<SampleStats> {
    stats_of(primary_source(key, e, plan)?, v).map(|(s, _)| s)
}

/// The primary metric's key: the plan's choice when the data has it (a
/// fixed metric or a metric column), else
/// revenue per user, conversion rate, a column named like a conversion or
/// revenue, the first yes/no column, the first column. An NPS question is
/// never the primary metric: its relative lift, which the verdict and the
/// investment case rest on, means nothing near or below a score of 0.
pub(crate) fn primary_key(plan: &MetricPlan, fixed: &[Metric], e: &Experiment) -> Option<String> {
    let columns: Vec<&MetricColumn> = e
        .metric_columns
        .iter()
        .enumerate()
        .filter(|&(i, _)| !is_nps(e, i, plan))
        .map(|(_, c)| c)
        .collect();
    let known = |k: &str| fixed.iter().any(|m| m.key() == k) || columns.iter().any(|c| c.name == k);
    if let Some(p) = plan.primary().filter(|p| known(p)) {
        return Some(p.to_string());
    }
    for m in [Metric::RevenuePerUser, Metric::ConversionRate] {
        if fixed.contains(&m) {
            return Some(m.key().to_string());
        }
    }
    let named = columns.iter().find(|c| {
        let n = crate::ingest::normalise_header(&c.name);
        ["conver", "revenue", "purchase", "spend", "sales"]
            .iter()
            .any(|w| n.contains(w))
    });
    named
        .or_else(|| columns.iter().find(|c| c.kind == ValueKind::Binary))
        .or_else(|| columns.first())
        .map(|c| c.name.clone())
}

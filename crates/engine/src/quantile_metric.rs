//! A quantile metric compared across variants: the median, p90 or p99 of a
//! numeric column of row-level data (order value, session length), each
//! variant's quantile with gbstats' variance (`stats::quantile`) and the
//! arms' differences by the engine's usual test, method and correction. A
//! quantile needs every value, which sums do not keep: it reads the rows.

use thiserror::Error;

use crate::comparison::{metric_result, MetricInput, MetricResult, MetricSpec};
use crate::ingest::{column_values, parse_experiment_with, IngestError};
use crate::report::{ordered_variants, AnalysisError};
use crate::scenario::Scenario;
use crate::stats::quantile::quantile_stats;

/// Why a quantile could not be compared, in words for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum QuantileError {
    #[error("{0}")]
    Data(#[from] IngestError),
    #[error("{0}")]
    Analysis(#[from] AnalysisError),
    #[error("There is no column '{0}' in the data.")]
    NoColumn(String),
    #[error(
        "A quantile needs a level between 0.1% and 99.9% (e.g. 50% for the median, 90% for p90)."
    )]
    Level,
    #[error("A quantile needs one row per user: these rows are already sums per variant.")]
    Aggregated,
    #[error("The {label} cannot be compared in {variant}: too few users, or too many with the same value around it (as in a 1–5 score), to bound it.")]
    Unbounded { label: String, variant: String },
}

/// The quantile at level `nu` (0.001 to 0.999) of `column` in each variant
/// of the scenario's row-level data, compared with the control: the
/// quantile as each variant's value, its difference from the control's
/// (relative, with interval and p-value; absolute with its interval) by
/// the scenario's method, confidence and correction (Deng, Knoblich & Lu
/// 2018; gbstats 0.8.0 `QuantileStatistic`). An error when a variant has
/// too few users, or too little spread, to bound its quantile.
pub fn quantile_metric(
    scenario: &Scenario,
    column: &str,
    nu: f64,
) -> Result<MetricResult, QuantileError> {
    if !(0.001..=0.999).contains(&nu) {
        return Err(QuantileError::Level);
    }
    let e = parse_experiment_with(&scenario.data, &scenario.columns)?;
    if e.shape == crate::ingest::DataShape::Aggregated {
        return Err(QuantileError::Aggregated);
    }
    let values = column_values(&scenario.data, &scenario.columns, column)?
        .ok_or_else(|| QuantileError::NoColumn(column.to_string()))?;
    let ordered = ordered_variants(scenario, &e)?;
    let label = format!("{} of {column}", level_label(nu));
    let stats: Vec<_> = ordered
        .iter()
        .map(|v| {
            values
                .iter()
                .find(|(name, _)| *name == v.name)
                .and_then(|(_, x)| quantile_stats(x, nu))
                .map(|s| (v.name.as_str(), s))
                .ok_or_else(|| QuantileError::Unbounded {
                    label: label.clone(),
                    variant: v.name.clone(),
                })
        })
        .collect::<Result<_, _>>()?;
    let spec = MetricSpec {
        label,
        missing_variance: "Too few users to bound this quantile.",
        beta: false,
        lower_is_better: scenario.analysis.metrics.lower_is_better(column),
    };
    Ok(metric_result(&spec, &ordered, scenario, &|v| {
        let s = stats.iter().find(|(name, _)| *name == v.name);
        (s.map(|(_, s)| MetricInput::Plain(*s)), None)
    }))
}

/// "Median" for 0.5, else "p90", "p99.5".
pub fn level_label(nu: f64) -> String {
    if (nu - 0.5).abs() < 1e-12 {
        return "Median".into();
    }
    let pct = (nu * 1000.0).round() / 10.0;
    format!("p{pct}")
}

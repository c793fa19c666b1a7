//! The metrics engine of Uplift ROI.
//!
//! Pure Rust with no DOM, clock, I/O or global state: text and numbers go in,
//! typed results or typed, user-readable errors come out. The web app and the
//! `uplift-roi` command-line tool are thin shells over this crate, so every
//! number either of them shows is computed, and unit-tested, here.
//!
//! - [`ingest`] turns pasted or uploaded CSV text into per-variant sufficient statistics.
//! - [`stats`] compares variants: rates, uplift, confidence intervals, p-values, SRM.
//! - [`value`] customer value: AOV, CLV, retention, churn, CTR, cost savings.
//! - [`finance`] costs, benefits, ROI, payback and cumulative cash flow.
//! - [`scenario`] the one serialisable description of a user's inputs.
//! - [`comparison`] one metric compared between variants, by the chosen method.
//! - [`decision`] metric columns, guardrails and the decision with them.
//! - [`programme`] a programme of experiments, each lift shrunk toward the programme's mean.
//! - [`quantile_metric`] the median or p90 of a numeric column, compared across variants;
//! - [`segments`] the analysis within each value of a segment column.
//! - [`attribution`] which touchpoints earn the conversions: rules, Shapley and the exact Markov removal effect.
//! - [`data_views`] the views one load allows beyond the experiment's tables (over time, retention, cohorts).
//! - [`file_analysis`] one request, `run` and result for the analyses of a file of its own shape.
//! - [`did`] a launch without a control group: difference in differences, event study, pre-trends.
//! - [`survival`] retention measured from data: Kaplan–Meier, log-rank, RMST.
//! - [`timeline`] the lift day by day: always-valid intervals, novelty trend, days to go.
//! - [`cohorts`] signup-week cohorts: the share still active each week since signup.
//! - [`targeting`] how well a model's score ranks users by their uplift (Qini, uplift curves).
//! - [`headline`] the control, the primary metric's decision, the value of the primary metric, what is assumed.
//! - [`metric_source`] where a metric's statistics come from, and which is the primary one.
//! - [`json_float`] numbers that may be NaN, carried through JSON as `null`.
//! - [`warehouse`] SQL that reduces an experiment table in a warehouse to the CSV the app reads.
//! - [`samples`] the seeded sample files of the "load a sample" menu.
//! - [`decimal`] decimal numbers read from text (cells, typed fields), exactly as written.
//! - [`units`] small domain types (rates, money, counts, intervals).
//! - [`rng`] a small seeded random number generator: the same draws everywhere.
//! - [`report`] runs a scenario through everything above into one result.

#![cfg_attr(test, allow(clippy::indexing_slicing))]

pub mod attribution;
pub mod cohorts;
pub mod comparison;
pub mod data_views;
pub mod decimal;
pub mod decision;
pub mod did;
pub mod file_analysis;
pub mod finance;
pub mod headline;
pub mod ingest;
pub mod json_float;
pub mod metric_source;
mod named;
pub mod programme;
pub mod quantile_metric;
pub mod report;
pub mod rng;
pub mod samples;
pub mod scenario;
pub mod segments;
pub mod stats;
pub mod survival;
pub mod targeting;
pub mod timeline;
pub mod units;
pub mod value;
pub mod warehouse;

pub use report::{analyze, analyze_experiment, Report};
pub use scenario::Scenario;

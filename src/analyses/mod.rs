//! Analyses beyond the fixed metrics: the metrics panel, where every metric
//! column of the data is compared across variants (an NPS question by its
//! own table and bars, `nps_view`; quantiles of a numeric column,
//! `quantile_view`; caps on outliers, `cap_view`; the uplift within each
//! segment, `segment_view`, also drawn by the Segments view), the user picks the
//! primary metric, guardrails and ratio metrics, and the page states its
//! decision (ship, don't ship, keep running).
//!
//! The panel lives in the tools module (`src/bin/tools.rs`), downloaded when
//! the data has metric columns, a metric plan is set, or the visitor opens
//! it; the page keeps only its slot (`crate::results::metrics_slot`, in
//! the metrics view: the results use nothing of this folder, so the
//! dependency runs one way, analyses → results). The panel reads the
//! scenario the page sends and writes back one thing, the metric plan, as a
//! `DataEvent`.
//!
//! The views one load allows beyond the experiment's own (segments, over
//! time, retention, cohorts: `data_views`) are a panel of the tools module
//! too, in the results' slot `crate::results::data_views_slot`; they run
//! the time tools' analyses (`crate::tools::time`) on the page's rows.

pub mod cap_view;
pub mod data_views;
pub mod metrics_panel;
pub mod nps_view;
pub mod quantile_view;
pub mod segment_view;

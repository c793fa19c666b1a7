//! What the page concludes: the summary (verdict and key figures, always in
//! view) with the index of result views, the analysis controls, the
//! experiment and customer-value tables, the investment case, and the
//! glossary terms their headings explain.
//!
//! Reads the report from the shared state; the only thing it writes is the
//! analysis settings (method, confidence, control). Charts come from
//! `crate::charts`.

pub mod analysis_controls;
pub mod glossary;
pub mod investment_results;
pub mod results_panel;
pub mod summary;

//! What the page concludes: the summary (verdict and key figures, always in
//! view) with the index of result views, the analysis controls, the
//! experiment and customer-value tables, the investment case, and the
//! glossary terms their headings explain.
//!
//! Reads the report from the shared state and writes nothing itself. The
//! analysis settings (method, confidence, control) are a panel of the tools
//! module (`analysis_controls`), shown in its slot once the page has
//! painted; it writes them back as a `DataEvent`. The choices under the
//! verdict (the control when no name says it, the arm the money rests on,
//! the value of one unit of the primary metric) are a panel of the tools
//! module (`verdict_choices`), shown in its slot only for data that needs
//! them; it writes them back as a `DataEvent`. The investment case's
//! details (its tables) are another panel of the tools module
//! (`investment_details`), shown once the charts around them are drawn.
//! The metrics panel (`crate::analyses`) has its slot here too
//! (`metrics_slot`). The views one load allows beyond these (over time,
//! retention, cohorts) are a panel of the tools module too, in
//! `data_views_slot`. Charts come from `crate::charts`.

pub mod analysis_controls;
pub mod analysis_controls_slot;
pub mod data_views_slot;
pub mod glossary;
pub mod investment_details;
pub mod investment_details_slot;
pub mod investment_results;
pub mod metrics_slot;
pub mod results_panel;
pub mod summary;
pub mod verdict_choices;
pub mod verdict_choices_slot;

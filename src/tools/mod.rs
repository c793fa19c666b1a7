//! The tools opened on request below the results: their cards on the page
//! (`tool_cards`, in the first download) and the tools themselves (CLV from
//! a transaction log, the test planner, the warehouse SQL, attribution
//! from customer paths), which live in
//! the tools module (`src/bin/tools.rs`) and learn what they need from the
//! page through [`crate::platform::tools_context::ToolsContext`].
//!
//! The tools read that context only; they never touch the page's state:
//! what they keep in the scenario (the programme's inputs, the offers to
//! the investment case in `tool_choices`) goes to the page as events.

pub mod analysis_protocol;
pub mod clv_panel;
pub mod file_columns;
pub mod journeys_panel;
pub mod planner_panel;
pub mod programme_panel;
pub mod targeting_panel;
pub mod targeting_protocol;
pub mod time;
pub mod tool_cards;
pub mod tool_choices;
pub mod warehouse_panel;
pub mod worker_job;

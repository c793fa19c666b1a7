//! Step 2 of the page, what the programme costs and earns: cost lines in
//! four categories, the benefits (uplift, retention, savings) and the
//! business assumptions, with the number fields they are typed into.
//!
//! May use the shared state and the platform; edits write the scenario.

pub mod benefits_panel;
pub mod investment_panel;
pub mod number_fields;

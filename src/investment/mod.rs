//! Step 2 of the page, what the programme costs and earns: cost lines in
//! four categories, the benefits (uplift, retention, savings) and the
//! business assumptions, with the number fields they are typed into, and
//! the place where the inputs taken from data (the time and targeting
//! tools) are shown; that panel itself is in the tools module.
//!
//! May use the shared state and the platform; edits write the scenario.

pub mod benefits_panel;
pub mod from_data_panel;
pub mod from_data_slot;
pub mod investment_panel;
pub mod number_fields;

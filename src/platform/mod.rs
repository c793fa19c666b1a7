//! What the page does for every part of it, rather than what it shows:
//! loading the on-demand modules, the embed mode, the offline copy (service
//! worker), share links and the scenario file, downloads, and how numbers,
//! money and percentages are written (with the number-style setting).
//!
//! Depends on nothing else in the app but the shared state (`crate::state`),
//! which the share bar and the number-style setting edit.

pub mod display_settings;
pub mod downloads;
pub mod embed;
pub mod format;
pub mod link_codec;
pub mod offline;
pub mod on_demand;
pub mod share_bar;
pub mod tool_slot;

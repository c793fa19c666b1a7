//! What the page does for every part of it, rather than what it shows:
//! loading the on-demand modules, the embed mode, the offline copy (service
//! worker), share links and the scenario file, downloads, how numbers,
//! money and percentages are written, what the browser remembers of column
//! roles (`column_memory`), and the messages to the other modules: the
//! file-reading worker's (`ingest_protocol`) and the summary of the page
//! the tools module reads (`tools_context`).
//!
//! The bottom of the app: it uses nothing else of it (no state, no views).

pub mod column_memory;
pub mod downloads;
pub mod embed;
pub mod format;
pub mod ingest_protocol;
pub mod link_codec;
pub mod offline;
pub mod on_demand;
pub mod tools_context;

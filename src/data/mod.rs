//! Step 1 of the page, getting experiment data in: the data panel (paste,
//! samples, file picker), dropping a file anywhere on the page, and the
//! large-file path that runs in the tools module (the file reader's state,
//! its progress bar and Cancel, the column-mapping step and the memory of
//! column roles), with the messages that cross between the page, the tools
//! module and the file-reading worker.
//!
//! May use the shared state (`crate::state`) and the platform; never the
//! results, the investment step or the tools. Views read the state; events
//! (a paste, a file, a chosen role) write the scenario or send a
//! [`data_events::DataEvent`], never another view.

pub mod column_mapping;
pub mod column_mapping_slot;
pub mod column_memory;
pub mod data_events;
pub mod data_panel;
pub mod drop_zone;
pub mod file_loader;
pub mod file_progress;
pub mod file_reader;
pub mod ingest_protocol;
pub mod large_file_reader;

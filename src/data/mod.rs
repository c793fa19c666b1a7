//! Step 1 of the page, getting experiment data in: the data panel (paste,
//! samples, file picker), dropping a file anywhere on the page, and the
//! large-file path that runs in the tools module (the file reader's state,
//! its progress bar and Cancel, the column-mapping step), with the events
//! that cross from the tools module to the page, and the slot any panel of
//! the tools module is shown in (`tool_slot`: the column step here, the
//! metrics panel, the choices under the verdict and the investment's panels
//! elsewhere).
//!
//! May use the shared state (`crate::state`) and the platform; never the
//! results, the investment step, the charts or the tools. Views read the state; events
//! (a paste, a file, a chosen role) write the scenario or send a
//! [`data_events::DataEvent`], never another view.

pub mod column_mapping;
pub mod column_mapping_slot;
pub mod data_events;
pub mod data_panel;
pub mod drop_zone;
pub mod file_loader;
pub mod file_progress;
pub mod file_reader;
pub mod large_file_reader;
pub mod tool_slot;

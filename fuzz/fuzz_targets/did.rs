//! Difference in differences on any panel, columns guessed as the CLI does;
//! the event study when the option byte asks for it.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::did::{difference_in_differences, read_panel, PanelColumns};
use uplift_engine::ingest::{header_fields, panel_columns};

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let mut columns = PanelColumns::from(panel_columns(&header_fields(&text)));
    // Without an after-launch flag, the first period after launch is "2".
    if columns.post.is_none() {
        columns.launch = Some("2".to_string());
    }
    let Ok(panel) = read_panel(&text, &columns) else {
        return;
    };
    if let Ok(report) = difference_in_differences(&panel, common::confidence(head), head % 2 == 1)
    {
        common::round_trips(&report);
    }
});

//! Retention on any file, with the columns guessed as the page and the CLI
//! guess them: a report the page can read, or a typed error; never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::ingest::{header_fields, retention_columns};
use uplift_engine::survival::{default_horizon, read_groups, retention};

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let guess = retention_columns(&header_fields(&text));
    let Ok(groups) = read_groups(&text, &guess.duration, &guess.event, guess.group.as_deref())
    else {
        return;
    };
    let horizon = if head % 2 == 0 {
        default_horizon(&groups)
    } else {
        f64::from(head)
    };
    if let Ok(report) = retention(&groups, horizon, common::confidence(head)) {
        common::round_trips(&report);
    }
});

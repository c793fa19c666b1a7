//! Customer value from any transaction log: BG/NBD and Gamma-Gamma fits,
//! or a typed error; never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::value::btyd::{analyze_transactions, ClvSettings};
use uplift_engine::value::transactions::TimeUnit;

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let settings = ClvSettings {
        unit: if head % 2 == 0 { TimeUnit::Weeks } else { TimeUnit::Days },
        months: u32::from(head % 25),
        confidence: common::confidence(head),
        ..ClvSettings::default()
    };
    let _ = analyze_transactions(&text, settings);
});

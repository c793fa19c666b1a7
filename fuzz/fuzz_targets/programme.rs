//! A programme of experiments from any file: shrinkage and its worth, or a
//! typed error.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::programme::{read, report, worth, Valuation};

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let Ok(experiments) = read(&text) else {
        return;
    };
    let Ok(r) = report(experiments) else {
        return;
    };
    common::round_trips(&r);
    let valuation = Valuation {
        months: u32::from(head % 37),
        draws: 200,
        seed: u64::from(head),
        ..Valuation::default()
    };
    if let Ok(w) = worth(&r, &valuation) {
        common::round_trips(&w);
    }
});

//! A targeting model's scores on any file: curves, profit and a short
//! bootstrap, each one the page can read, or a typed error.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::ingest::header_fields;
use uplift_engine::targeting::{evaluate, guess_columns, profit_curve, QiniBootstrap, Units};

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let guess = guess_columns(&header_fields(&text));
    let (Some(score), Some(treatment), Some(outcome)) = (guess.score, guess.treatment, guess.outcome)
    else {
        return;
    };
    let Ok(units) = Units::read(&text, &treatment, &outcome, &score) else {
        return;
    };
    let value: Vec<f64> = match &guess.revenue {
        Some(column) => match Units::read_values(&text, column) {
            Ok(v) => v,
            Err(_) => return,
        },
        None => units.outcome.iter().map(|y| y * f64::from(head)).collect(),
    };
    if let Ok(report) = evaluate(&units, usize::from(head % 12)) {
        common::round_trips(&report);
    }
    if let Ok(profit) = profit_curve(&units, &value, f64::from(head) / 10.0) {
        common::round_trips(&profit);
    }
    if let Ok(mut boot) = QiniBootstrap::new(&units, u64::from(head)) {
        boot.run(8);
        common::round_trips(&boot.result(common::confidence(head)));
    }
});

//! The whole analysis on any experiment data: a report or a typed error,
//! never a panic. The first bytes pick the method and confidence.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uplift_engine::scenario::Method;
use uplift_engine::{analyze, Scenario};

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let mut s = Scenario::demo();
    s.analysis.method = match head % 3 {
        0 => Method::Frequentist,
        1 => Method::Bayesian,
        _ => Method::Sequential,
    };
    s.confidence = 0.5 + f64::from(head) / 520.0;
    s.investment.uncertainty.draws = 200;
    s.data = String::from_utf8_lossy(rest).into_owned();
    let _ = analyze(&s);
});

//! Any text as a link's fragment (attacker-controlled): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uplift_engine::scenario::fragment_payload;
use uplift_engine::Scenario;

fuzz_target!(|text: &str| {
    let _ = fragment_payload(text);
    let _ = Scenario::from_fragment(text);
});

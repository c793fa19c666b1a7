//! Any text as a saved scenario file: opens or is refused with a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uplift_engine::Scenario;

fuzz_target!(|text: &str| {
    if let Ok(s) = Scenario::from_json(text) {
        // What opens must save and open again the same.
        assert_eq!(Scenario::from_json(&s.to_json()).ok().as_ref(), Some(&s));
    }
});

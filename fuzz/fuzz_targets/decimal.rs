//! Any text read as a decimal number: never a panic, and the same bits as
//! the standard library's parser wherever the text is a finite number in
//! the syntax both accept (the reader refuses words and over 800
//! significant digits, by design).
#![no_main]

use libfuzzer_sys::fuzz_target;
use uplift_engine::decimal::parse_f64;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse_f64(text);
    let words = text
        .chars()
        .any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E'));
    match text.parse::<f64>() {
        Ok(v) if !words => {
            // Refused only for too many significant digits.
            if let Some(o) = ours {
                assert_eq!(o.to_bits(), v.to_bits(), "{text:?}");
            } else {
                let digits = text
                    .split(['e', 'E'])
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches(['+', '-'])
                    .replace('.', "");
                assert!(digits.trim_matches('0').len() > 800, "{text:?} refused");
            }
        }
        _ => assert_eq!(ours, None, "{text:?}"),
    }
});

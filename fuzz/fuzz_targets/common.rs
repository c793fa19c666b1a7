//! What every file analysis's target shares: the first byte picks the
//! options, the rest is the file; a result must survive the trip to the
//! page as JSON (a NaN is written as `null`, which the page cannot read).


// Not every target uses every helper.
#![allow(dead_code)]
use serde::{de::DeserializeOwned, Serialize};

/// The option byte and the file's text, or `None` for empty input.
pub fn split(data: &[u8]) -> Option<(u8, String)> {
    let (&head, rest) = data.split_first()?;
    Some((head, String::from_utf8_lossy(rest).into_owned()))
}

/// A confidence between 0.5 and about 0.99 from the option byte.
pub fn confidence(head: u8) -> f64 {
    0.5 + f64::from(head) / 520.0
}

/// `value` written as the worker writes it must read back.
pub fn round_trips<T: Serialize + DeserializeOwned>(value: &T) {
    let json = serde_json::to_string(value).expect("a result is written as JSON");
    if let Err(e) = serde_json::from_str::<T>(&json) {
        panic!("the page could not read the result back: {e}\n{json}");
    }
}

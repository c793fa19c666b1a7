//! Lift over time on any file, read in two pieces as the worker streams it:
//! the same days, or the same error, as reading it whole.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::ingest::{header_fields, timeline_columns};
use uplift_engine::timeline::{
    read_timeline, timeline, TimelineColumns, TimelineOptions, TimelineStream,
};

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let columns = TimelineColumns::from(timeline_columns(&header_fields(&text)));
    let whole = read_timeline(&text, &columns);
    let cut = usize::from(head) % (text.len() + 1);
    let mut stream = TimelineStream::new(columns);
    let streamed = stream
        .feed(&text.as_bytes()[..cut])
        .and_then(|()| stream.feed(&text.as_bytes()[cut..]))
        .and_then(|()| stream.finish());
    // The same days either way, or an error either way. The streamed
    // reader ends rows at line ends outside quotes by counting them, which
    // differs from CSV only for a quote inside an unquoted field (`a"b`):
    // such files are left out of the comparison (they must still not
    // panic), as are files with a byte-order mark anywhere but at their
    // very start. An error's line can differ where lines end in a lone CR.
    let stray_mark = text.char_indices().any(|(i, c)| c == '\u{feff}' && i > 0);
    if !text.contains('"') && !stray_mark {
        match (&whole, &streamed) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "{a:?} / {b:?}"),
        }
    }
    let Ok(data) = whole else {
        return;
    };
    let options = TimelineOptions {
        confidence: common::confidence(head),
        tau: f64::from(head) * 100.0 + 1.0,
        ..TimelineOptions::default()
    };
    if let Ok(report) = timeline(&data, &options) {
        common::round_trips(&report);
    }
});

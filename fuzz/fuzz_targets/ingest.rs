//! Any bytes, cut anywhere into two chunks, read as an experiment file: an
//! `Ok` or a typed error, never a panic, and the same answer as reading
//! them whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uplift_engine::ingest::{parse_bytes, ColumnMapping, ExperimentReader};

fuzz_target!(|data: &[u8]| {
    let whole = parse_bytes(data, &ColumnMapping::new());
    let cut = data.first().map_or(0, |&b| usize::from(b)) % (data.len() + 1);
    let (a, b) = data.split_at(cut);
    let mut reader = ExperimentReader::new(ColumnMapping::new());
    let chunked = reader
        .feed(a)
        .and_then(|()| reader.feed(b))
        .and_then(|()| reader.finish());
    assert_eq!(whole, chunked);
});

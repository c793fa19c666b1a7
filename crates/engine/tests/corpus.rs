//! The tricky-file corpus (`tests/corpus/`, written by `make.py` there): every
//! file gives the users and skipped rows, or the error words, it expects;
//! plus the files too big to commit, generated here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use uplift_engine::ingest::{parse_bytes, ColumnMapping, ExperimentReader, IngestError};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

#[test]
fn every_corpus_file_reads_as_expected() {
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("expected.json")).unwrap())
            .unwrap();
    let cases = expected.as_object().unwrap();
    assert!(cases.len() >= 25, "corpus has {} files", cases.len());
    for (name, expect) in cases {
        let bytes = std::fs::read(corpus().join(name)).unwrap();
        // Fed whole, and in 7-byte chunks: the same answer either way.
        let whole = parse_bytes(&bytes, &ColumnMapping::new());
        let mut reader = ExperimentReader::new(ColumnMapping::new());
        let chunked = bytes
            .chunks(7)
            .try_for_each(|c| reader.feed(c))
            .and_then(|()| reader.finish());
        assert_eq!(whole, chunked, "{name}: chunked read differs");
        match (whole, expect.get("error")) {
            (Ok(e), None) => {
                let users: Vec<u64> = e.variants.iter().map(|v| v.users).collect();
                let want: Vec<u64> = expect["users"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_u64().unwrap())
                    .collect();
                assert_eq!(users, want, "{name}");
                assert_eq!(
                    e.skipped as u64,
                    expect["skipped"].as_u64().unwrap(),
                    "{name}"
                );
                assert_eq!(e.problems.len(), e.skipped.min(20), "{name}");
            }
            (Err(e), Some(words)) => {
                let msg = e.to_string();
                for w in words.as_array().unwrap() {
                    let w = w.as_str().unwrap();
                    assert!(msg.contains(w), "{name}: message {msg:?} lacks {w:?}");
                }
            }
            (got, _) => panic!("{name}: expected {expect}, got {got:?}"),
        }
    }
}

#[test]
fn ten_thousand_columns() {
    let mut header = String::from("variant,users");
    let mut a = String::from("A,10");
    let mut b = String::from("B,12");
    for i in 0..10_000 {
        header.push_str(&format!(",extra_{i}"));
        a.push_str(",1");
        b.push_str(",2");
    }
    let text = format!("{header}\n{a}\n{b}\n");
    let e = parse_bytes(text.as_bytes(), &ColumnMapping::new()).unwrap();
    assert_eq!(e.variants[1].users, 12);
}

#[test]
fn a_ten_megabyte_line() {
    let note = "x".repeat(10 * 1024 * 1024);
    let text = format!("variant,converted,note\nA,1,{note}\nB,0,short\nA,0,\"{note}\"\n");
    let mut reader = ExperimentReader::new(ColumnMapping::new());
    for chunk in text.as_bytes().chunks(1 << 20) {
        reader.feed(chunk).unwrap();
    }
    let e = reader.finish().unwrap();
    assert_eq!(e.rows, 3);
    assert_eq!(e.variants[0].users, 2);
}

#[test]
fn a_header_line_without_end_is_still_a_header() {
    // A one-line file with no line end at all.
    assert_eq!(
        parse_bytes(b"variant,users,conversions", &ColumnMapping::new()),
        Err(IngestError::HeaderOnly)
    );
}

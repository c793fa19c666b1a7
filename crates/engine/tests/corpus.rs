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

/// One tool's analysis of `text`, with the columns guessed as the page and
/// the CLI guess them: the report as JSON, or the error's words.
fn run_tool(analysis: &str, text: &str) -> Result<serde_json::Value, String> {
    use uplift_engine::ingest::{self, header_fields};
    let headers = header_fields(text);
    let json = |v: Result<serde_json::Value, serde_json::Error>| v.map_err(|e| e.to_string());
    let e = |e: &dyn std::fmt::Display| e.to_string();
    use uplift_engine::file_analysis::{run, AnalysisRequest};
    // The four analyses of the time tool go through the engine's one `run`.
    let request = match analysis {
        "retention" => {
            let g = ingest::retention_columns(&headers);
            Some(AnalysisRequest::Retention {
                duration: g.duration,
                event: g.event,
                group: g.group,
                horizon: 0.0,
                confidence: 0.95,
            })
        }
        "did" => Some(AnalysisRequest::Did {
            columns: ingest::panel_columns(&headers).into(),
            event_study: false,
            confidence: 0.95,
        }),
        "cohorts" => Some(AnalysisRequest::Cohorts {
            columns: ingest::cohort_columns(&headers).into(),
            weeks: Some(26),
        }),
        "timeline" => Some(AnalysisRequest::Timeline {
            columns: ingest::timeline_columns(&headers).into(),
            options: Default::default(),
        }),
        _ => None,
    };
    if let Some(request) = request {
        let done = run(&request, text)?;
        let report = done.result.report_json().map_err(|x| e(&x))?;
        return json(serde_json::from_str(&report));
    }
    match analysis {
        "targeting" => {
            use uplift_engine::targeting::{evaluate, guess_columns, profit_curve, Units};
            let g = guess_columns(&headers);
            let (score, treatment, outcome) =
                (g.score.unwrap(), g.treatment.unwrap(), g.outcome.unwrap());
            let units = Units::read(text, &treatment, &outcome, &score).map_err(|x| e(&x))?;
            let report = evaluate(&units, 10).map_err(|x| e(&x))?;
            let value = Units::read_values(text, &g.revenue.unwrap()).map_err(|x| e(&x))?;
            profit_curve(&units, &value, 0.5).map_err(|x| e(&x))?;
            json(serde_json::to_value(report))
        }
        "clv" => {
            use uplift_engine::value::btyd::{analyze_transactions, ClvSettings};
            json(serde_json::to_value(
                analyze_transactions(text, ClvSettings::default()).map_err(|x| e(&x))?,
            ))
        }
        "programme" => {
            use uplift_engine::programme::{read, report};
            let r = report(read(text).map_err(|x| e(&x))?).map_err(|x| e(&x))?;
            let shipped: Vec<bool> = r.experiments.iter().map(|x| x.is_winner()).collect();
            let mut v = serde_json::to_value(r).map_err(|x| e(&x))?;
            v["shipped"] = serde_json::json!(shipped);
            Ok(v)
        }
        other => panic!("no tool named {other}"),
    }
}

/// The tools' hostile and unlucky files (`tests/corpus/tools/`, written by
/// `make.py`): each gets its error in words, or an answer that holds what
/// it expects (a count of placeholder dates, the winners, the groups).
#[test]
fn every_tool_file_gets_its_expected_answer() {
    let dir = corpus().join("tools");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let cases = expected.as_object().unwrap();
    assert!(cases.len() >= 14, "{} tool files", cases.len());
    for (name, expect) in cases {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let analysis = expect["analysis"].as_str().unwrap();
        match (run_tool(analysis, &text), expect.get("error")) {
            (Err(msg), Some(words)) => {
                for w in words.as_array().unwrap() {
                    let w = w.as_str().unwrap();
                    assert!(msg.contains(w), "{name}: message {msg:?} lacks {w:?}");
                }
            }
            (Ok(report), None) => {
                for (key, want) in expect.as_object().unwrap() {
                    match key.as_str() {
                        "analysis" => {}
                        "groups" => assert_eq!(
                            report["groups"].as_array().map(Vec::len),
                            want.as_u64().map(|n| n as usize),
                            "{name}"
                        ),
                        _ => assert_eq!(&report[key], want, "{name}: {key}"),
                    }
                }
            }
            (got, _) => panic!("{name}: expected {expect}, got {got:?}"),
        }
    }
}

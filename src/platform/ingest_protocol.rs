//! Messages between the page and the file-reading worker
//! (`src/bin/ingest_worker.rs`), sent as JSON strings.

use serde::{Deserialize, Serialize};
use uplift_engine::ingest::ColumnMapping;

/// The page asks the worker to read one file with these column roles.
/// (The file itself travels beside this JSON, as a `File` object.)
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReadRequest {
    pub columns: ColumnMapping,
    /// Split the rows by this column: the sums per segment and variant.
    #[serde(default)]
    pub segment: Option<String>,
    /// The variants in the order the whole file has them, kept in the split.
    #[serde(default)]
    pub variants: Vec<String>,
}

/// A file read to its end. Sent as a JSON array (see [`SummaryFields`]):
/// the page decodes it, and an array's decoder is a fraction of the code
/// of a named struct's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "SummaryFields", into = "SummaryFields")]
pub struct ReadSummary {
    /// The per-variant sums, as an aggregated CSV.
    pub data: String,
    pub shape_row_level: bool,
    pub rows: usize,
    pub skipped: usize,
    pub problems: Vec<String>,
    pub bytes: f64,
    pub millis: f64,
    /// The worker's WebAssembly memory at the end, which is its peak:
    /// linear memory never shrinks.
    pub memory_bytes: f64,
}

/// [`ReadSummary`]'s fields in order, as it travels.
#[derive(Serialize, Deserialize)]
struct SummaryFields(String, bool, usize, usize, Vec<String>, f64, f64, f64);

impl From<SummaryFields> for ReadSummary {
    fn from(f: SummaryFields) -> ReadSummary {
        let SummaryFields(
            data,
            shape_row_level,
            rows,
            skipped,
            problems,
            bytes,
            millis,
            memory_bytes,
        ) = f;
        ReadSummary {
            data,
            shape_row_level,
            rows,
            skipped,
            problems,
            bytes,
            millis,
            memory_bytes,
        }
    }
}

impl From<ReadSummary> for SummaryFields {
    fn from(r: ReadSummary) -> SummaryFields {
        SummaryFields(
            r.data,
            r.shape_row_level,
            r.rows,
            r.skipped,
            r.problems,
            r.bytes,
            r.millis,
            r.memory_bytes,
        )
    }
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Externally tagged (`{"progress": {…}}`): an internally tagged enum would
// buffer every message before reading it, and costs more code in the page.
#[serde(rename_all = "snake_case")]
pub enum WorkerMessage {
    /// Loaded and listening: the file can be sent.
    Ready,
    /// Part of the file has been read and reduced.
    Progress { bytes: f64, total: f64, rows: usize },
    /// The whole file, reduced to an aggregated CSV of per-variant sums.
    Done(ReadSummary),
    /// The file could not be used; the message is for the user.
    Failed {
        message: String,
        /// The header row needs a column mapping before the file can be read.
        needs_mapping: bool,
        /// A variant column with so many values that the user must confirm
        /// it in the mapping.
        #[serde(default)]
        confirm_variant: Option<String>,
    },
}

impl WorkerMessage {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<WorkerMessage> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let m = WorkerMessage::Progress {
            bytes: 10.0,
            total: 20.0,
            rows: 3,
        };
        assert_eq!(WorkerMessage::from_json(&m.to_json()), Some(m));
        assert_eq!(WorkerMessage::Ready.to_json(), r#""ready""#);
        assert_eq!(
            WorkerMessage::from_json(r#""ready""#),
            Some(WorkerMessage::Ready)
        );
        assert_eq!(WorkerMessage::from_json("{}"), None);
    }
}

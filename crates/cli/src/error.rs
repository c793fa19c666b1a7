//! What can stop a subcommand, each with the message printed on standard
//! error: a file that cannot be read, or the engine's own error for the
//! data (its messages are written for the user), or output that cannot be
//! written.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CliError {
    /// A file (or standard input, "-") that cannot be read.
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    /// The scenario file given with `--scenario`.
    #[error("{file}: {source}")]
    Scenario {
        file: String,
        source: uplift_engine::scenario::ScenarioError,
    },
    #[error(transparent)]
    Analysis(#[from] uplift_engine::report::AnalysisError),
    #[error(transparent)]
    Ingest(#[from] uplift_engine::ingest::IngestError),
    #[error(transparent)]
    Targeting(#[from] uplift_engine::targeting::TargetingError),
    #[error(transparent)]
    Programme(#[from] uplift_engine::programme::ProgrammeError),
    #[error(transparent)]
    Segments(#[from] uplift_engine::segments::SegmentError),
    #[error(transparent)]
    Clv(#[from] uplift_engine::value::btyd::ClvError),
    #[error(transparent)]
    Warehouse(#[from] uplift_engine::warehouse::WarehouseError),
    #[error("the results could not be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Any other message, already in words: the file analyses' (which the
    /// page's worker shows as they are), a column flag's, the SQL's.
    #[error("{0}")]
    Message(String),
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Message(message)
    }
}

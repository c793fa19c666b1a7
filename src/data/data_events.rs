//! What the data tools tell the page. The large-file reader and the
//! column-mapping step are part of the tools module (`src/bin/tools.rs`),
//! downloaded when a large file is opened or the columns need naming; they
//! report back through a callback the page gives them, as JSON.

use serde::{Deserialize, Serialize};
use uplift_engine::ingest::ColumnMapping;
#[cfg(test)]
use uplift_engine::scenario::MetricChoices;
use uplift_engine::scenario::MetricPlan;

use crate::platform::ingest_protocol::ReadSummary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataEvent {
    /// A large file (its name) was read: its per-variant sums are the new
    /// data. A tuple, which the page decodes with less code than a struct.
    Loaded(String, ReadSummary),
    /// A load failed or was cancelled; the message is for the user.
    Failed(String),
    /// The user named the columns of the data in the text area.
    Columns(ColumnMapping),
    /// The user chose the primary metric, guardrails or ratio metrics.
    Metrics(MetricPlan),
    /// New rows for the text area: repeated users left out, or put back.
    Text(String),
    /// The programme tool's inputs, to be kept in the scenario ("" for none).
    Programme(String),
    /// The investment inputs (as JSON; "" keeps the page's) with values
    /// measured by the time or targeting tool taken in (or put back), and
    /// the tools' record of what they offered, to be kept in the scenario
    /// ("" for none). Text, read by the scenario's own reader: less code
    /// for the page.
    Investment(String, String),
    /// The choices under the verdict, as a scenario (JSON) of which the
    /// page takes the control, the arm the investment case rests on, what
    /// one unit of the primary metric is worth and what is reached each
    /// month. Text read by the scenario's own reader: less code for the page.
    Choices(String),
    /// The metrics panel's decision with guardrails, as the verdict states
    /// it, for the scenario (JSON, data as sums) it was made on.
    Decision(String, String),
    /// The analysis settings (method, confidence, control and the method's
    /// options), as a scenario (JSON) of which the page takes them.
    Settings(String),
    /// The views the data allows beyond the experiment's own (over time,
    /// retention, cohorts), for the results' index: their ids, by commas.
    Views(String),
}

impl DataEvent {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<DataEvent> {
        serde_json::from_str(text).ok()
    }
}

/// What the column-mapping step for the text area shows: the headers of
/// the data and the roles chosen so far (no headers: nothing to ask).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MappingRequest {
    pub headers: Vec<String>,
    pub columns: ColumnMapping,
    /// A guessed variant column with so many values that the user is
    /// asked to confirm it.
    #[serde(default)]
    pub confirm_variant: Option<String>,
    /// The data's first lines, from which the step guesses each column's
    /// role by its values.
    #[serde(default)]
    pub sample: String,
}

impl MappingRequest {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> MappingRequest {
        serde_json::from_str(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::ingest::ColumnRole;

    #[test]
    fn events_and_requests_round_trip() {
        let mut columns = ColumnMapping::new();
        columns.insert("arm".into(), ColumnRole::Variant);
        let read = ReadSummary {
            data: "variant,users\nA,1\n".into(),
            shape_row_level: true,
            rows: 1,
            skipped: 0,
            problems: vec!["row 2: bad".into()],
            bytes: 10.0,
            millis: 1.5,
            memory_bytes: 65536.0,
        };
        for e in [
            DataEvent::Loaded("big.csv".into(), read),
            DataEvent::Failed("“big.csv”: no".into()),
            DataEvent::Columns(columns.clone()),
            DataEvent::Text("user_id,variant,converted\n1,A,1\n".into()),
            DataEvent::Investment("{}".into(), "{}".into()),
            DataEvent::Choices("{}".into()),
            DataEvent::Settings("{}".into()),
            DataEvent::Views("over-time,cohorts".into()),
            DataEvent::Decision("{}".into(), "Keep running: …".into()),
            DataEvent::Metrics(
                MetricChoices {
                    primary: Some("retention_7".into()),
                    ..MetricChoices::default()
                }
                .into(),
            ),
        ] {
            assert_eq!(DataEvent::from_json(&e.to_json()), Some(e));
        }
        assert_eq!(DataEvent::from_json("{\"kind\":\"done\"}"), None);
        let r = MappingRequest {
            headers: vec!["arm".into()],
            columns,
            confirm_variant: Some("arm".into()),
            sample: "arm\nA".into(),
        };
        assert_eq!(MappingRequest::from_json(&r.to_json()), r);
        assert_eq!(
            MappingRequest::from_json("nonsense"),
            MappingRequest::default()
        );
    }
}

//! Messages between the time tool and the background worker
//! (`src/bin/ingest_worker.rs`), which reads the file and computes the
//! retention curves or the difference in differences. Sent as JSON.

use serde::{Deserialize, Serialize};
use uplift_engine::cohorts::{CohortColumns, CohortReport};
use uplift_engine::did::{DidReport, PanelColumns};
use uplift_engine::survival::RetentionReport;
use uplift_engine::timeline::{TimelineColumns, TimelineOptions, TimelineReport};

/// What to compute from the file sent beside this JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisRequest {
    /// Kaplan–Meier per group, log-rank and RMST up to `horizon`.
    Retention {
        duration: String,
        event: String,
        group: Option<String>,
        horizon: f64,
        confidence: f64,
    },
    /// The lift day by day, with both intervals, trend and days to go.
    Timeline {
        columns: TimelineColumns,
        options: TimelineOptions,
    },
    /// Signup-week cohorts per variant, at most `weeks` weeks wide.
    Cohorts {
        columns: CohortColumns,
        weeks: Option<usize>,
    },
    /// Difference in differences, with the event study if asked for.
    Did {
        columns: PanelColumns,
        event_study: bool,
        confidence: f64,
    },
}

/// What the worker computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisResult {
    /// Each curve thinned to at most [`CURVE_POINTS`] steps for drawing;
    /// medians and RMST come from the whole curve.
    Retention(RetentionReport),
    Timeline(Box<TimelineReport>),
    Cohorts(Box<CohortReport>),
    Did(Box<DidReport>),
}

/// Steps of a retention curve sent back for drawing.
pub const CURVE_POINTS: usize = 400;

/// What the worker tells the time tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisMessage {
    Done {
        result: Box<AnalysisResult>,
        rows: usize,
        millis: f64,
        /// The worker's memory at the end (its peak), in bytes.
        #[serde(default)]
        memory: f64,
    },
    /// The file cannot be analysed; the message is for the user.
    Failed(String),
}

impl AnalysisMessage {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<AnalysisMessage> {
        serde_json::from_str(text).ok()
    }
}

/// Thin each curve of `report` to at most [`CURVE_POINTS`] steps, keeping
/// the first and the last: enough to draw, a fraction of a million users'
/// steps to send.
pub fn thin_curves(report: &mut RetentionReport) {
    for g in &mut report.groups {
        let steps = &mut g.curve.steps;
        let n = steps.len();
        if n > CURVE_POINTS {
            let every = n.div_ceil(CURVE_POINTS);
            let kept: Vec<_> = steps
                .iter()
                .enumerate()
                .filter(|(i, _)| i % every == 0 || *i == n - 1)
                .map(|(_, s)| s.clone())
                .collect();
            *steps = kept;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uplift_engine::survival::{retention, Group};

    #[test]
    fn curves_are_thinned_and_messages_round_trip() {
        let n = 5_000;
        let groups = vec![Group {
            name: "all".into(),
            durations: (0..n).map(f64::from).collect(),
            events: (0..n).map(|i| i % 3 != 0).collect(),
        }];
        let Ok(mut report) = retention(&groups, 100.0, 0.95) else {
            panic!("retention");
        };
        let median = report.groups[0].median;
        let last = report.groups[0].curve.steps.last().cloned();
        thin_curves(&mut report);
        let steps = &report.groups[0].curve.steps;
        assert!(steps.len() <= CURVE_POINTS + 1, "{}", steps.len());
        assert_eq!(steps.last().cloned(), last);
        assert_eq!(report.groups[0].median, median);
        let m = AnalysisMessage::Done {
            result: Box::new(AnalysisResult::Retention(report)),
            rows: 5,
            millis: 1.0,
            memory: 65536.0,
        };
        // (Floats may come back an ulp off: the shape is what is checked.)
        assert!(matches!(
            AnalysisMessage::from_json(&m.to_json()),
            Some(AnalysisMessage::Done { rows: 5, .. })
        ));
        let failed = AnalysisMessage::Failed("Line 3: bad".into());
        assert_eq!(AnalysisMessage::from_json(&failed.to_json()), Some(failed));
    }
}

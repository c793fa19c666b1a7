//! Messages between the time tool and the background worker
//! (`src/bin/ingest_worker.rs`), which reads the file and computes the
//! retention curves, the timeline, the cohorts or the difference in
//! differences with the engine's one `run`. Sent as JSON.

use serde::{Deserialize, Serialize};
// The request and result are the engine's (`uplift_engine::file_analysis`),
// the same the command line runs.
pub use uplift_engine::file_analysis::{AnalysisRequest, AnalysisResult};
use uplift_engine::survival::RetentionReport;

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

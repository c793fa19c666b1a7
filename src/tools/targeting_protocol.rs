//! Messages between the targeting tool and the file-reading worker
//! (`src/bin/ingest_worker.rs`), which ranks the users, draws the curves
//! and runs the bootstrap off the page's thread. Sent as JSON strings.

use serde::{Deserialize, Serialize};
use uplift_engine::targeting::{ProfitCurve, QiniDraws, TargetingReport};

/// What to evaluate in the file sent beside this JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetingRequest {
    pub score: String,
    pub treatment: String,
    pub outcome: String,
    /// A value per user for the profit curve; without it each response is
    /// worth `value_per_response`.
    pub revenue: Option<String>,
    pub value_per_response: f64,
    pub cost_per_user: f64,
    pub bins: usize,
    /// Bootstrap resamples (and random rankings) of all the parts
    /// together; 0 for none.
    pub resamples: usize,
    pub seed: u64,
    pub confidence: f64,
    /// The bootstrap is shared by `parts` workers: this one is `part`, draws
    /// its share of the resamples with seed `seed + part`, and only part 0
    /// reports the curves.
    #[serde(default)]
    pub part: usize,
    #[serde(default = "one")]
    pub parts: usize,
}

fn one() -> usize {
    1
}

impl TargetingRequest {
    /// The resamples of this part: an equal share, the first parts taking
    /// one more when they do not divide evenly.
    pub fn share(&self) -> usize {
        let parts = self.parts.max(1);
        self.resamples / parts + usize::from(self.part < self.resamples % parts)
    }
}

/// What the worker tells the targeting tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetingMessage {
    /// Loaded and listening (the same message as the file reader's).
    Ready,
    /// The curves, bins and profit curve; resampling follows if asked for.
    Evaluated {
        report: Box<TargetingReport>,
        profit: ProfitCurve,
        millis: f64,
    },
    /// Resamples this part has done so far.
    Resampled { part: usize, done: usize },
    /// This part's draws, with the time they took.
    Draws { draws: QiniDraws, millis: f64 },
    /// The file cannot be evaluated; the message is for the user.
    Failed(String),
}

impl TargetingMessage {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<TargetingMessage> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::ingest_protocol::WorkerMessage;

    #[test]
    fn ready_is_the_file_readers_ready() {
        assert_eq!(
            TargetingMessage::from_json(&WorkerMessage::Ready.to_json()),
            Some(TargetingMessage::Ready)
        );
        let m = TargetingMessage::Resampled { part: 1, done: 3 };
        assert_eq!(TargetingMessage::from_json(&m.to_json()), Some(m));
        assert_eq!(TargetingMessage::from_json("{}"), None);
        let request = |part| TargetingRequest {
            score: "s".into(),
            treatment: "t".into(),
            outcome: "y".into(),
            revenue: None,
            value_per_response: 1.0,
            cost_per_user: 0.0,
            bins: 10,
            resamples: 1001,
            seed: 1,
            confidence: 0.95,
            part,
            parts: 2,
        };
        assert_eq!((request(0).share(), request(1).share()), (501, 500));
    }
}

//! Which touchpoints earn the conversions: multi-touch attribution from
//! customer journeys, read as aggregated paths (`paths`) or built from
//! touch-level rows (`touches`: user, timestamp, channel, conversion).
//!
//! Each channel is credited by the rules analysts compare (`rules`: first
//! and last touch, linear per touch, linear per channel = the simplified
//! Shapley value, position-based 40/20/40) and by the data-driven Markov
//! removal effect of order 1 to 3 (`markov`), computed exactly. The
//! journeys are summarised too: how many, how long, the most common paths.

mod markov;
mod paths;
mod rules;
mod touches;

pub use markov::{markov, MarkovChannel, MarkovResult, MAX_ORDER};
pub use paths::{read_paths, Journeys, Path, MAX_CHANNELS, MAX_TOUCHES};
pub use rules::{rule_credits, Credit, RuleCredits};
pub use touches::{is_touch_level, read_touches};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ingest::CsvError;

/// Why journeys cannot be attributed; messages are for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AttributionError {
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error("The file has no paths.")]
    Empty,
    #[error("Line {line}: the path in '{column}' names no channel.")]
    EmptyPath { line: u64, column: String },
    #[error("Line {line}: the path \"{path}\" is not split by '>'. Write each journey as channel > channel > channel.")]
    Separator { line: u64, path: String },
    #[error("Line {line}: the paths name more than {MAX_CHANNELS} channels. Group small channels into one, or check the path column.")]
    TooManyChannels { line: u64 },
    #[error("Line {line}: a journey of {} touches is more than the {} this page reads. Is the path column the right one?", thousands(*touches), thousands(MAX_TOUCHES))]
    TooLong { line: u64, touches: usize },
    #[error("A Markov chain of order {order} is not offered: choose 1, 2 or 3.")]
    Order { order: usize },
    #[error("No journey converted, so there is nothing to attribute.")]
    NoConversions,
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What to compute: the Markov chain's order, and whether journeys that
/// did not convert are part of it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AttributionRequest {
    pub order: usize,
    pub with_nulls: bool,
}

impl Default for AttributionRequest {
    fn default() -> Self {
        AttributionRequest {
            order: 1,
            with_nulls: true,
        }
    }
}

/// A path taken often, with its journeys and conversions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonPath {
    pub path: String,
    pub journeys: f64,
    pub conversions: f64,
}

/// Every channel's credit by every model, and what the journeys were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionReport {
    /// Channels in the order they first appear in the file.
    pub channels: Vec<String>,
    pub rules: RuleCredits,
    pub markov: MarkovResult,
    /// Distinct paths, journeys (converted or not), conversions and value.
    pub paths: usize,
    pub journeys: f64,
    pub conversions: f64,
    pub value: Option<f64>,
    /// Touches per journey: the mean over journeys, and the longest.
    pub mean_touches: f64,
    pub max_touches: usize,
    /// The ten paths most journeys took.
    pub common_paths: Vec<CommonPath>,
}

/// Paths listed among the most common.
const COMMON: usize = 10;

/// Attribute the journeys of a file by every rule and the Markov chain of
/// `request.order`: a path file, or touch-level rows (told by their
/// columns: a channel, a user and a time, and no path).
pub fn attribute(
    text: &str,
    request: &AttributionRequest,
) -> Result<AttributionReport, AttributionError> {
    let journeys = if is_touch_level(&crate::ingest::header_fields(text)) {
        read_touches(text)?
    } else {
        read_paths(text)?
    };
    attribute_journeys(journeys, request)
}

/// [`attribute`] for journeys already read.
pub fn attribute_journeys(
    j: Journeys,
    request: &AttributionRequest,
) -> Result<AttributionReport, AttributionError> {
    let markov = markov(&j, request.order, request.with_nulls)?;
    let journeys_of = |p: &Path| p.conversions + p.nulls;
    let journeys: f64 = j.paths.iter().map(journeys_of).sum();
    let touches: f64 = j
        .paths
        .iter()
        .map(|p| journeys_of(p) * p.touches.len() as f64)
        .sum();
    let mut common: Vec<&Path> = j.paths.iter().collect();
    common.sort_by(|a, b| journeys_of(b).total_cmp(&journeys_of(a)));
    let name = |p: &Path| {
        p.touches
            .iter()
            .filter_map(|&t| j.channels.get(t).map(String::as_str))
            .collect::<Vec<_>>()
            .join(" > ")
    };
    Ok(AttributionReport {
        rules: rule_credits(&j),
        markov,
        paths: j.paths.len(),
        journeys,
        conversions: j.paths.iter().map(|p| p.conversions).sum(),
        value: j.has_value.then(|| j.paths.iter().map(|p| p.value).sum()),
        mean_touches: if journeys > 0.0 {
            touches / journeys
        } else {
            0.0
        },
        max_touches: j.paths.iter().map(|p| p.touches.len()).max().unwrap_or(0),
        common_paths: common
            .into_iter()
            .take(COMMON)
            .map(|p| CommonPath {
                path: name(p),
                journeys: journeys_of(p),
                conversions: p.conversions,
            })
            .collect(),
        channels: j.channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_sums_the_journeys_and_lists_the_common_paths() -> Result<(), AttributionError> {
        let r = attribute(
            "path,conversions,value,nulls\na > b,2,10,8\nb,1,4,1\na > c > a,0,0,30\n",
            &AttributionRequest::default(),
        )?;
        assert_eq!(r.channels, ["a", "b", "c"]);
        assert_eq!(
            (r.paths, r.journeys, r.conversions, r.value),
            (3, 42.0, 3.0, Some(14.0))
        );
        assert_eq!(r.max_touches, 3);
        assert!((r.mean_touches - (10.0 * 2.0 + 2.0 + 30.0 * 3.0) / 42.0).abs() < 1e-12);
        let common: Vec<&str> = r.common_paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(common, ["a > c > a", "a > b", "b"]);
        let credited: f64 = r.markov.channels.iter().map(|c| c.conversions).sum();
        assert!((credited - 3.0).abs() < 1e-12);
        assert_eq!(thousands(1_001), "1,001");
        assert_eq!(thousands(999), "999");
        Ok(())
    }
}

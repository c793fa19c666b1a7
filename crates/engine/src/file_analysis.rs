//! One contract for the analyses of a file of its own shape: retention,
//! lift over time, cohorts, difference in differences and attribution from
//! customer paths. The request
//! (columns and options) and the result are the engine's, and [`run`] is
//! the one way to compute them, so the page's worker and the command line
//! call the same code with the same defaults (the RMST horizon, the
//! confidence) instead of each writing the dispatch.

use serde::{Deserialize, Serialize};

use crate::attribution::{attribute, AttributionReport, AttributionRequest};
use crate::cohorts::{cohort_table, read_cohorts, CohortColumns, CohortReport};
use crate::did::{difference_in_differences, read_panel, DidReport, PanelColumns};
use crate::survival::{default_horizon, read_groups, retention, RetentionReport};
use crate::timeline::{
    read_timeline, timeline, Timeline, TimelineColumns, TimelineOptions, TimelineReport,
};

/// What to compute from a file, with its columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisRequest {
    /// Kaplan–Meier per group, log-rank and RMST up to `horizon` (0: the
    /// follow-up every group has, [`default_horizon`]).
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
    /// Every channel's credit by the rules and the exact Markov chain.
    Attribution(AttributionRequest),
}

/// What an analysis of a file found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalysisResult {
    Retention(RetentionReport),
    Timeline(Box<TimelineReport>),
    Cohorts(Box<CohortReport>),
    Did(Box<DidReport>),
    Attribution(Box<AttributionReport>),
}

/// A result and the rows (users, or panel rows) it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisRun {
    pub result: AnalysisResult,
    pub rows: usize,
}

impl AnalysisResult {
    /// The report alone as JSON, as the command line prints it.
    pub fn report_json(&self) -> Result<String, serde_json::Error> {
        match self {
            AnalysisResult::Retention(r) => serde_json::to_string_pretty(r),
            AnalysisResult::Timeline(r) => serde_json::to_string_pretty(r),
            AnalysisResult::Cohorts(r) => serde_json::to_string_pretty(r),
            AnalysisResult::Did(r) => serde_json::to_string_pretty(r),
            AnalysisResult::Attribution(r) => serde_json::to_string_pretty(r),
        }
    }
}

/// Compute `request` on the CSV `text`; the error is a message for the
/// user, with the line and column where one applies. A timeline of a file
/// too large to hold is read in pieces instead and finished with
/// [`run_timeline`].
pub fn run(request: &AnalysisRequest, text: &str) -> Result<AnalysisRun, String> {
    let message = |e: &dyn std::fmt::Display| e.to_string();
    match request {
        AnalysisRequest::Retention {
            duration,
            event,
            group,
            horizon,
            confidence,
        } => {
            let groups =
                read_groups(text, duration, event, group.as_deref()).map_err(|e| message(&e))?;
            let rows = groups.iter().map(|g| g.durations.len()).sum();
            let horizon = if *horizon > 0.0 {
                *horizon
            } else {
                default_horizon(&groups)
            };
            let report = retention(&groups, horizon, *confidence).map_err(|e| message(&e))?;
            Ok(AnalysisRun {
                result: AnalysisResult::Retention(report),
                rows,
            })
        }
        AnalysisRequest::Timeline { columns, options } => {
            let data = read_timeline(text, columns).map_err(|e| message(&e))?;
            run_timeline(&data, options)
        }
        AnalysisRequest::Cohorts { columns, weeks } => {
            let table = read_cohorts(text, columns).map_err(|e| message(&e))?;
            let report = cohort_table(&table, *weeks);
            let rows = report.variants.iter().map(|v| v.users as usize).sum();
            Ok(AnalysisRun {
                result: AnalysisResult::Cohorts(Box::new(report)),
                rows,
            })
        }
        AnalysisRequest::Did {
            columns,
            event_study,
            confidence,
        } => {
            let panel = read_panel(text, columns).map_err(|e| message(&e))?;
            let rows = panel.outcome.len();
            let report = difference_in_differences(&panel, *confidence, *event_study)
                .map_err(|e| message(&e))?;
            Ok(AnalysisRun {
                result: AnalysisResult::Did(Box::new(report)),
                rows,
            })
        }
        AnalysisRequest::Attribution(request) => {
            let report = attribute(text, request).map_err(|e| message(&e))?;
            Ok(AnalysisRun {
                rows: report.paths,
                result: AnalysisResult::Attribution(Box::new(report)),
            })
        }
    }
}

/// The timeline of sums already read (whole, or in pieces by
/// [`crate::timeline::TimelineStream`]).
pub fn run_timeline(data: &Timeline, options: &TimelineOptions) -> Result<AnalysisRun, String> {
    let report = timeline(data, options).map_err(|e| e.to_string())?;
    let rows = report.days.last().map_or(0, |d| {
        (d.cumulative_control.users + d.cumulative_treatment.users) as usize
    });
    Ok(AnalysisRun {
        result: AnalysisResult::Timeline(Box::new(report)),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request travels as the page's worker reads it, and `run` gives
    /// the same report as the analysis called directly, with the default
    /// horizon when none is given.
    #[test]
    fn one_run_for_every_file_analysis() -> Result<(), String> {
        let text = "days,churned,group\n5,1,a\n8,0,a\n3,1,b\n9,1,b\n12,0,b\n7,1,a\n";
        let request = AnalysisRequest::Retention {
            duration: "days".into(),
            event: "churned".into(),
            group: Some("group".into()),
            horizon: 0.0,
            confidence: 0.95,
        };
        let json = serde_json::to_string(&request).map_err(|e| e.to_string())?;
        assert!(
            json.starts_with(r#"{"retention":{"duration":"days""#),
            "{json}"
        );
        let back: AnalysisRequest = serde_json::from_str(&json).map_err(|e| e.to_string())?;
        let done = run(&back, text)?;
        let groups =
            read_groups(text, "days", "churned", Some("group")).map_err(|e| e.to_string())?;
        let direct =
            retention(&groups, default_horizon(&groups), 0.95).map_err(|e| e.to_string())?;
        assert_eq!(done.rows, 6);
        assert_eq!(done.result, AnalysisResult::Retention(direct));
        let panel = "unit,period,treated,post,y\n1,1,1,0,5\n1,2,1,1,7\n2,1,0,0,4\n2,2,0,1,4.5\n3,1,1,0,6\n3,2,1,1,8.5\n4,1,0,0,3\n4,2,0,1,3.2\n";
        let request = AnalysisRequest::Did {
            columns: PanelColumns {
                outcome: "y".into(),
                treated: "treated".into(),
                unit: Some("unit".into()),
                period: Some("period".into()),
                post: Some("post".into()),
                launch: None,
            },
            event_study: false,
            confidence: 0.95,
        };
        assert_eq!(run(&request, panel)?.rows, 8);
        let bad = run(&request, "unit,period\n1,1\n").err();
        assert_eq!(
            bad.as_deref(),
            Some("There is no column 'y' in the data. Found columns: unit, period.")
        );
        Ok(())
    }
}

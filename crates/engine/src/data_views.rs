//! The views of one load beyond the experiment's own tables: the uplift
//! within each segment when the rows have segment columns, the lift over
//! time when the rows have a date, retention when they have a duration and
//! a churn flag, signup cohorts when they have a signup and a last-seen
//! date. Told from the columns' roles ([`crate::ingest::guess_columns`],
//! with the user's corrections), so the page offers each view the data
//! allows, from the same rows, with no second upload; each offer is a
//! [`crate::file_analysis::AnalysisRequest`] the worker and the command
//! line run alike, or, for the segments, the columns
//! [`crate::segments::segment_report`] splits the experiment by.

use serde::{Deserialize, Serialize};

use crate::cohorts::CohortColumns;
use crate::file_analysis::AnalysisRequest;
use crate::ingest::{guess_header, CellKind, ColumnGuess, ColumnMapping, ColumnRole};
use crate::timeline::{TimelineColumns, TimelineOptions};
use crate::value::transactions::parse_date;

/// A view the data allows, beyond Overview, Metrics, Customer value and
/// the Investment case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataView {
    /// The uplift within each value of each segment column.
    Segments,
    /// The lift day by day.
    OverTime,
    /// Kaplan–Meier curves per variant, log-rank and RMST.
    Retention,
    /// The share of each signup week still active, per variant.
    Cohorts,
}

impl DataView {
    pub const ALL: [DataView; 4] = [
        DataView::Segments,
        DataView::OverTime,
        DataView::Retention,
        DataView::Cohorts,
    ];

    /// The id of the view's section, and its name in a link (`view=over-time`).
    pub fn id(self) -> &'static str {
        match self {
            DataView::Segments => "segments",
            DataView::OverTime => "over-time",
            DataView::Retention => "retention",
            DataView::Cohorts => "cohorts",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DataView::Segments => "Segments",
            DataView::OverTime => "Over time",
            DataView::Retention => "Retention",
            DataView::Cohorts => "Cohorts",
        }
    }
}

/// A view the data allows: the analysis that draws it, and why it is offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewOffer {
    pub view: DataView,
    /// The file analysis that draws the view; none for the segments.
    pub request: Option<AnalysisRequest>,
    /// The segment columns, for the segments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// In a line: "'timestamp' holds dates; the lift of 'converted' day by day."
    pub reason: String,
}

/// What the views share with the experiment's analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewSettings {
    /// The confidence level, e.g. 0.95.
    pub confidence: f64,
    /// The control and the arm compared with it (the verdict's); `None`
    /// lets each analysis choose as it does for a file of its own.
    pub control: Option<String>,
    pub arm: Option<String>,
    /// The verdict's metric (`conversion_rate`, `revenue_per_user` or a
    /// column's name): the lift over time follows it when the rows hold it.
    pub primary: Option<String>,
    /// Today, as days since 1970-01-01 (the engine has no clock): later
    /// dates are left out and counted.
    pub latest: Option<i64>,
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings {
            confidence: 0.95,
            control: None,
            arm: None,
            primary: None,
            latest: None,
        }
    }
}

/// Words of a duration's header, and of a churn flag's.
const DURATION_WORDS: [&str; 7] = ["duration", "tenure", "days", "week", "month", "time", "age"];
const EVENT_WORDS: [&str; 8] = [
    "churn", "event", "status", "observed", "cancel", "left", "dead", "arrest",
];
/// Words of a signup date's header, and of a last-seen date's.
const START_WORDS: [&str; 7] = [
    "signup", "sign_up", "start", "first", "joined", "created", "exposed",
];
const END_WORDS: [&str; 6] = ["last", "end", "seen", "churn", "cancel", "left"];

/// Each view the columns allow, in the order the index lists them, with
/// `settings` as the analyses' defaults. `guesses` come from a sample of
/// the rows (with its values: only dates every analysis can read count);
/// `chosen` holds the roles the user set, which win over the guesses.
/// A view needs a variant column: without one there are no results to add
/// it to.
pub fn offered_views(
    guesses: &[ColumnGuess],
    sample: &str,
    chosen: &ColumnMapping,
    settings: &ViewSettings,
) -> Vec<ViewOffer> {
    let role = |g: &ColumnGuess| chosen.get(&g.header).copied().unwrap_or(g.role);
    let Some(variant) = guesses.iter().find(|g| role(g) == ColumnRole::Variant) else {
        return Vec::new();
    };
    let variant = variant.header.clone();
    // Dates and ids are guessed as left out of the metrics, and the
    // guesses go into the roles as such: only a column the user left out
    // against its guess is left out of the views too.
    let used = |g: &&ColumnGuess| {
        let left_out = chosen.get(&g.header) == Some(&ColumnRole::Ignore);
        !(left_out && g.role != ColumnRole::Ignore) && g.header != variant
    };
    let readable = readable_dates(sample);
    let dates: Vec<String> = guesses
        .iter()
        .filter(used)
        .filter(|g| g.kind == CellKind::Dates && readable.contains(&g.header))
        .map(|g| g.header.clone())
        .collect();
    let numbers = |kinds: &[CellKind]| -> Vec<String> {
        guesses
            .iter()
            .filter(used)
            .filter(|g| kinds.contains(&g.kind) && role(g) != ColumnRole::UserId)
            .map(|g| g.header.clone())
            .collect()
    };
    let flags = numbers(&[CellKind::Flags]);
    let durations = numbers(&[CellKind::Numbers, CellKind::Codes]);
    let mut offers = Vec::new();
    let segments: Vec<String> = guesses
        .iter()
        .filter(used)
        .filter(|g| role(g) == ColumnRole::Segment)
        .map(|g| g.header.clone())
        .collect();
    if !segments.is_empty() {
        let quoted: Vec<String> = segments.iter().map(|s| format!("'{s}'")).collect();
        let named = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                format!("{} and {last} split", rest.join(", "))
            }
            _ => format!("{} splits", quoted.join("")),
        };
        offers.push(ViewOffer {
            view: DataView::Segments,
            request: None,
            reason: format!(
                "{named} the data into groups: the uplift within each, and whether it differs."
            ),
            columns: segments,
        });
    }
    if let Some(offer) = over_time(guesses, &role, &dates, &variant, settings) {
        offers.push(offer);
    }
    let duration = guess_header(&durations, &DURATION_WORDS, &[]);
    let event = guess_header(&flags, &EVENT_WORDS, &[]);
    if let (Some(duration), Some(event)) = (duration, event) {
        offers.push(ViewOffer {
            view: DataView::Retention,
            reason: format!(
                "'{duration}' is how long each user stayed, '{event}' whether they left."
            ),
            request: Some(AnalysisRequest::Retention {
                duration,
                event,
                group: Some(variant.clone()),
                horizon: 0.0,
                confidence: settings.confidence,
            }),
            columns: Vec::new(),
        });
    }
    let start = guess_header(&dates, &START_WORDS, &[]);
    let end = start
        .as_ref()
        .and_then(|s| guess_header(&dates, &END_WORDS, std::slice::from_ref(s)));
    if let (Some(start), Some(end)) = (start, end) {
        offers.push(ViewOffer {
            view: DataView::Cohorts,
            reason: format!(
                "'{start}' is when each user signed up, '{end}' when they were last seen."
            ),
            request: Some(AnalysisRequest::Cohorts {
                columns: CohortColumns {
                    start,
                    end: Some(end),
                    observed_until: None,
                    duration: None,
                    event: None,
                    variant: Some(variant),
                    latest: settings.latest,
                },
                weeks: None,
            }),
            columns: Vec::new(),
        });
    }
    offers
}

/// The lift day by day needs a date, and a metric: the verdict's, else the
/// purchase flag, else the revenue, else the first metric column of flags
/// or numbers.
fn over_time(
    guesses: &[ColumnGuess],
    role: &dyn Fn(&ColumnGuess) -> ColumnRole,
    dates: &[String],
    variant: &str,
    settings: &ViewSettings,
) -> Option<ViewOffer> {
    let date = guess_header(dates, &["date", "time", "day", "exposed"], &[])
        .or_else(|| dates.first().cloned())?;
    let measured = |g: &&ColumnGuess| {
        matches!(g.kind, CellKind::Flags | CellKind::Numbers) && g.header != variant
    };
    let with_role = |wanted: &[ColumnRole]| {
        guesses
            .iter()
            .filter(measured)
            .find(|g| wanted.contains(&role(g)))
            .map(|g| g.header.clone())
    };
    let primary = match settings.primary.as_deref() {
        Some("conversion_rate") => with_role(&[ColumnRole::Converted]),
        Some(crate::ingest::REVENUE_KEY) => with_role(&[ColumnRole::Revenue]),
        Some(column) => guesses
            .iter()
            .filter(measured)
            .find(|g| g.header == column)
            .map(|g| g.header.clone()),
        None => None,
    };
    let metric = primary
        .or_else(|| with_role(&[ColumnRole::Converted]))
        .or_else(|| with_role(&[ColumnRole::Revenue]))
        .or_else(|| with_role(&[ColumnRole::Metric, ColumnRole::Conversions]))?;
    let users = guesses
        .iter()
        .find(|g| role(g) == ColumnRole::Users)
        .map(|g| g.header.clone());
    Some(ViewOffer {
        view: DataView::OverTime,
        reason: format!("'{date}' holds dates; the lift of '{metric}' day by day."),
        columns: Vec::new(),
        request: Some(AnalysisRequest::Timeline {
            columns: TimelineColumns {
                date,
                variant: variant.to_string(),
                metric,
                users,
                sum_squares: None,
                latest: settings.latest,
            },
            options: TimelineOptions {
                control: settings.control.clone(),
                treatment: settings.arm.clone(),
                confidence: settings.confidence,
                ..TimelineOptions::default()
            },
        }),
    })
}

/// The columns of `sample` whose every non-blank value is a date the
/// analyses read (year first: `2024-03-04`, with or without a time).
fn readable_dates(sample: &str) -> Vec<String> {
    let (mut reader, _) = crate::ingest::csv_reader(sample);
    let Ok(headers) = reader.headers().cloned() else {
        return Vec::new();
    };
    let mut ok = vec![true; headers.len()];
    let mut seen = vec![false; headers.len()];
    for record in reader.records().take(crate::ingest::SAMPLE_ROWS).flatten() {
        for ((cell, ok), seen) in record.iter().zip(ok.iter_mut()).zip(seen.iter_mut()) {
            let cell = cell.trim();
            if !cell.is_empty() {
                *seen = true;
                *ok &= parse_date(cell).is_some();
            }
        }
    }
    headers
        .iter()
        .zip(ok.iter().zip(&seen))
        .filter(|(_, (ok, seen))| **ok && **seen)
        .map(|(h, _)| h.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::guess_columns;

    fn offers(text: &str, chosen: &[(&str, ColumnRole)]) -> Vec<ViewOffer> {
        let chosen: ColumnMapping = chosen.iter().map(|(h, r)| (h.to_string(), *r)).collect();
        offered_views(
            &guess_columns(text),
            text,
            &chosen,
            &ViewSettings::default(),
        )
    }

    fn views(text: &str) -> Vec<DataView> {
        offers(text, &[]).iter().map(|o| o.view).collect()
    }

    #[test]
    fn a_date_column_offers_the_lift_over_time() {
        let text = "user_id,timestamp,group,landing_page,converted\n\
            851104,2017-01-21 22:11:48.556739,control,old_page,0\n\
            804228,2017-01-12 08:01:45.159739,control,old_page,0\n\
            661590,2017-01-11 16:55:06.154213,treatment,new_page,0\n\
            853541,2017-01-08 18:28:03.143765,treatment,new_page,1\n";
        let all = offers(text, &[]);
        let views: Vec<DataView> = all.iter().map(|o| o.view).collect();
        assert_eq!(views, vec![DataView::Segments, DataView::OverTime]);
        assert_eq!(
            all.first()
                .map(|o| (o.request.is_none(), o.columns.clone())),
            Some((true, vec!["landing_page".to_string()]))
        );
        // Chosen as a metric, the column is no segment.
        let chosen = offers(text, &[("landing_page", ColumnRole::Metric)]);
        assert_eq!(chosen.first().map(|o| o.view), Some(DataView::OverTime));
        let Some(offer) = all.get(1) else {
            panic!("no offer")
        };
        assert_eq!(
            offer.reason,
            "'timestamp' holds dates; the lift of 'converted' day by day."
        );
        let Some(AnalysisRequest::Timeline { columns, options }) = &offer.request else {
            panic!("{offer:?}")
        };
        assert_eq!(
            (
                columns.date.as_str(),
                columns.variant.as_str(),
                columns.metric.as_str()
            ),
            ("timestamp", "group", "converted")
        );
        assert_eq!(options.confidence, 0.95);
    }

    #[test]
    fn no_variant_or_no_readable_date_offers_nothing() {
        // Month-first dates are not read by the analyses, so not offered.
        let text =
            "experiment,date,yes\ncontrol,7/10/2020,1\nexposed,7/7/2020,0\ncontrol,7/8/2020,0\n";
        assert_eq!(views(text), vec![]);
        let text = "date,clicks\n2024-01-01,4\n2024-01-02,5\n";
        assert_eq!(views(text), vec![]);
        // The date's guessed role ("not used" as a metric) in the roles
        // keeps the view; the only metric left out by the user drops it.
        let text = "variant,day,converted\ncontrol,2024-01-01,1\ntreatment,2024-01-02,0\n";
        assert_eq!(views(text), vec![DataView::OverTime]);
        let dated = offers(text, &[("day", ColumnRole::Ignore)]);
        assert_eq!(
            dated.iter().map(|o| o.view).collect::<Vec<_>>(),
            vec![DataView::OverTime]
        );
        assert_eq!(offers(text, &[("converted", ColumnRole::Ignore)]), vec![]);
    }

    #[test]
    fn retention_and_cohorts_from_their_columns() {
        let text = "variant,signup_date,last_seen,tenure,churned,revenue\n\
            control,2024-01-01,2024-02-01,31,1,10\n\
            treatment,2024-01-03,2024-03-01,58,0,0\n\
            control,2024-01-08,2024-01-20,12,1,5.5\n\
            treatment,2024-01-09,2024-03-01,52,0,7\n\
            control,2024-01-10,2024-03-01,51,0,0\n";
        let all = offers(text, &[]);
        let got: Vec<DataView> = all.iter().map(|o| o.view).collect();
        assert_eq!(
            got,
            vec![DataView::OverTime, DataView::Retention, DataView::Cohorts]
        );
        let reasons: Vec<&str> = all.iter().map(|o| o.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec![
                "'signup_date' holds dates; the lift of 'revenue' day by day.",
                "'tenure' is how long each user stayed, 'churned' whether they left.",
                "'signup_date' is when each user signed up, 'last_seen' when they were last seen.",
            ]
        );
        let Some(Some(AnalysisRequest::Retention { group, .. })) = all.get(1).map(|o| &o.request)
        else {
            panic!("{all:?}")
        };
        assert_eq!(group.as_deref(), Some("variant"));
        // Each offer runs on the rows it was told from.
        for o in &all {
            let Some(request) = &o.request else {
                panic!("{:?} has no request", o.view)
            };
            if let Err(e) = crate::file_analysis::run(request, text) {
                panic!("{:?}: {e}", o.view);
            }
        }
        // The verdict's metric leads the lift over time when the rows hold it.
        let settings = ViewSettings {
            primary: Some("churned".into()),
            ..ViewSettings::default()
        };
        let first = offered_views(&guess_columns(text), text, &ColumnMapping::new(), &settings);
        assert_eq!(
            first.first().map(|o| o.reason.as_str()),
            Some("'signup_date' holds dates; the lift of 'churned' day by day.")
        );
    }

    /// On the heads of public exports (tests/data/exports_heads): the one
    /// with a year-first timestamp and a variant gets its lift over time;
    /// the ad test's month-first dates (7/10/2020) are not read by the
    /// analyses, so they offer no lift over time rather than a view that
    /// fails; every head with a variant and segment columns (as the
    /// column step guesses them from these 12 rows) gets its segments;
    /// heads without a variant get nothing.
    #[test]
    fn public_exports_get_the_views_their_columns_allow() -> Result<(), std::io::Error> {
        let segments = |named: &str| {
            format!("{named} the data into groups: the uplift within each, and whether it differs.")
        };
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/exports_heads/"
        );
        let mut seen = 0;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("csv") {
                continue;
            }
            seen += 1;
            let text = std::fs::read_to_string(&path)?;
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let got: Vec<String> = offers(&text, &[]).into_iter().map(|o| o.reason).collect();
            let expected: Vec<String> = match name {
                "udacity_ab_data.csv" => vec![
                    segments("'landing_page' splits"),
                    "'timestamp' holds dates; the lift of 'converted' day by day.".to_string(),
                ],
                "adsmart_ab.csv" => vec![segments(
                    "'hour', 'device_make', 'platform_os' and 'browser' split",
                )],
                "wa_marketing_campaign.csv" => vec![segments("'AgeOfStore' and 'week' split")],
                "hillstrom_email.csv" => vec![segments(
                    "'recency', 'history_segment', 'zip_code' and 'channel' split",
                )],
                "artea_ab_experiment.csv" => vec![segments("'channel_acq' splits")],
                "artea_ab_experiment_recoded.csv" => {
                    vec![segments("'channel_acq' and 'shopping_cart' split")]
                }
                "marketing_ab_sample.csv" => {
                    vec![segments("'most ads day' and 'most ads hour' split")]
                }
                "starbucks_promotion_training.csv" => {
                    vec![segments("'V4', 'V5', 'V6' and 'V7' split")]
                }
                "qss_progresa.csv" => vec![segments("'villages' splits")],
                "lifelines_waltons.csv" => vec![segments("'T' splits")],
                _ => vec![],
            };
            assert_eq!(got, expected, "{name}");
        }
        assert!(seen >= 20, "{seen} heads");
        Ok(())
    }
}

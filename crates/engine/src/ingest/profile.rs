//! What each column of a file holds, told from its header and a sample of
//! its values, with a one-line reason per guess: the column step shows the
//! guesses, the command line prints them, and both read the file with them.
//!
//! The header decides first (a column named `group` is the variant); the
//! values decide the rest. A column of a few values, one of them
//! control-like (`control`, `psa`, `A`…), is the variant. Text, dates, ids
//! (`*_id`, `*ID`, UUIDs, a new value on every row) and small whole-number
//! codes (an OS code, an hour) are never compared as metrics.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::columns::{guess_roles, normalise_header, ColumnMapping, ColumnRole};
use super::metric_columns::named_like_nps;
use super::numbers::{parse_bool, parse_number, NumberStyle};

/// Rows of the sample the guesses look at.
pub const SAMPLE_ROWS: usize = 2_000;

/// At most this many values make a column of codes or a variant.
const FEW_VALUES: usize = 24;

/// What a column's sampled cells look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// Every sampled cell is blank.
    Empty,
    /// 0/1, yes/no or true/false only.
    Flags,
    /// Few whole numbers that label rather than measure.
    Codes,
    /// Any numbers.
    Numbers,
    /// Calendar dates or timestamps.
    Dates,
    /// A different value on (nearly) every row, or UUIDs.
    Ids,
    /// Words.
    Text,
}

/// The guess for one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnGuess {
    pub header: String,
    pub kind: CellKind,
    /// Distinct non-blank values in the sample.
    pub distinct: usize,
    pub role: ColumnRole,
    /// Why, in a line: "experiment: 2 values, one is 'control'".
    pub reason: String,
}

/// Guess every column's role from the header and the first
/// [`SAMPLE_ROWS`] rows of `text` (the start of a file is enough).
pub fn guess_columns(text: &str) -> Vec<ColumnGuess> {
    let (mut reader, _) = super::csv_reader(text);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|f| f.trim().to_string()).collect(),
        Err(_) => return Vec::new(),
    };
    let mut columns: Vec<Sample> = headers.iter().map(|_| Sample::default()).collect();
    for record in reader.records().take(SAMPLE_ROWS).flatten() {
        for (cell, sample) in record.iter().zip(columns.iter_mut()) {
            sample.add(cell.trim());
        }
    }
    let by_header = guess_roles(&headers);
    let mut guesses: Vec<ColumnGuess> = headers
        .iter()
        .zip(&columns)
        .zip(by_header)
        .map(|((header, sample), named)| {
            let kind = sample.kind(header);
            let distinct = sample.all.len();
            let (role, reason) = match named {
                Some(role) => (role, format!("{header}: the header names {}", noun(role))),
                None => unnamed_role(header, kind, sample),
            };
            ColumnGuess {
                header: header.clone(),
                kind,
                distinct,
                role,
                reason,
            }
        })
        .collect();
    if !guesses.iter().any(|g| g.role == ColumnRole::Variant) {
        if let Some((i, reason)) = variant_from_values(&headers, &columns, &guesses) {
            if let Some(g) = guesses.get_mut(i) {
                g.role = ColumnRole::Variant;
                g.reason = reason;
            }
        }
    }
    guesses
}

/// The roles as a mapping for the reader: every column the values moved
/// away from the header's default (the variant found by its values, the
/// ids, dates, text and codes left out of the metrics).
pub fn guessed_mapping(guesses: &[ColumnGuess]) -> ColumnMapping {
    let by_header = guess_roles(&guesses.iter().map(|g| g.header.clone()).collect::<Vec<_>>());
    guesses
        .iter()
        .zip(by_header)
        .filter(|(g, named)| Some(g.role) != *named && g.role != ColumnRole::Metric)
        .map(|(g, _)| (g.header.clone(), g.role))
        .collect()
}

/// A column's sampled values and what kinds of cells it had.
#[derive(Default)]
struct Sample {
    /// Non-blank cells seen.
    cells: usize,
    /// Its distinct values, in order (the sample bounds their number).
    all: BTreeSet<String>,
    flags: bool,
    numbers: bool,
    whole: bool,
    dates: bool,
    uuids: bool,
    seen_any: bool,
}

impl Sample {
    fn add(&mut self, cell: &str) {
        // Blank, and the spellings of "missing" that R and pandas write.
        if cell.is_empty()
            || matches!(
                cell,
                "NA" | "N/A" | "NaN" | "nan" | "null" | "NULL" | "None" | "-"
            )
        {
            return;
        }
        if !self.seen_any {
            self.seen_any = true;
            self.flags = true;
            self.numbers = true;
            self.whole = true;
            self.dates = true;
            self.uuids = true;
        }
        self.cells += 1;
        self.all.insert(cell.to_string());
        self.flags &= parse_bool(cell).is_some();
        let number = parse_number(
            cell,
            NumberStyle {
                decimal_comma: false,
            },
        )
        .or_else(|| {
            parse_number(
                cell,
                NumberStyle {
                    decimal_comma: true,
                },
            )
        });
        self.numbers &= number.is_some();
        self.whole &= number.is_some_and(|v| v.fract() == 0.0);
        self.dates &= looks_like_date(cell);
        self.uuids &= looks_like_uuid(cell);
    }

    fn kind(&self, header: &str) -> CellKind {
        let distinct = self.all.len();
        if !self.seen_any {
            CellKind::Empty
        } else if self.uuids || id_like(header) {
            CellKind::Ids
        } else if self.dates {
            CellKind::Dates
        } else if self.flags {
            CellKind::Flags
        } else if distinct == self.cells && self.cells >= 10 && !self.numbers {
            // Words that never repeat: names, or dates spelt out.
            CellKind::Ids
        } else if self.cells >= 50 && distinct == self.cells && self.numbers && self.whole {
            CellKind::Ids
        } else if self.numbers && self.whole && distinct <= FEW_VALUES && self.codes(header) {
            CellKind::Codes
        } else if self.numbers {
            CellKind::Numbers
        } else {
            CellKind::Text
        }
    }

    /// Whole numbers that label: a period word in the header, or codes
    /// without a zero (counts start at 0; an OS code or a store size
    /// class does not) under a header that names no measurement.
    fn codes(&self, header: &str) -> bool {
        let h = normalise_header(header);
        const PERIODS: [&str; 8] = [
            "hour", "day", "week", "month", "year", "weekday", "quarter", "period",
        ];
        const MEASURES: [&str; 15] = [
            "count",
            "orders",
            "items",
            "qty",
            "quantity",
            "score",
            "rating",
            "nps",
            "stars",
            "visits",
            "rounds",
            "spend",
            "csat",
            "satisf",
            "recommend",
        ];
        if PERIODS.iter().any(|p| h == *p || h.ends_with(p)) {
            return true;
        }
        let zero = self
            .all
            .iter()
            .any(|v| v.trim_start_matches(['0', '.']).is_empty());
        // Codes repeat: on average each value is on two rows or more.
        !zero && !MEASURES.iter().any(|m| h.contains(m)) && self.all.len() * 2 <= self.cells
    }
}

/// A whole number from 0 to 10: an answer to an NPS question.
fn on_0_to_10(cell: &str) -> bool {
    cell.trim().parse::<u8>().is_ok_and(|v| v <= 10)
}

/// `2020-07-03`, `2020-07-03 10:15:00`, `2020-07-03T10:15Z`, `7/3/2020`,
/// `03.07.2020`.
fn looks_like_date(cell: &str) -> bool {
    let b = cell.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let iso = b.len() >= 10
        && digits(0..4)
        && matches!(b.get(4), Some(b'-' | b'/'))
        && digits(5..7)
        && matches!(b.get(7), Some(b'-' | b'/'))
        && digits(8..10);
    let day_first = {
        let parts: Vec<&str> = cell.split(['/', '.', '-']).collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
            && parts.first().is_some_and(|p| p.len() <= 2)
            && parts.get(1).is_some_and(|p| p.len() <= 2)
            && parts.get(2).is_some_and(|p| p.len() == 4 || p.len() == 2)
    };
    iso || day_first
}

/// Eight, four, four, four and twelve hex digits.
fn looks_like_uuid(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// `id`, `user id`, `*_id`, `MarketID`, `customerId`; not `paid`.
fn id_like(header: &str) -> bool {
    let h = header.trim();
    let lower = h.to_ascii_lowercase();
    lower == "id"
        || lower == "uuid"
        || [" id", "_id", "-id", ".id"]
            .iter()
            .any(|e| lower.ends_with(e))
        || h.ends_with("ID") && h.len() > 2
        || h.strip_suffix("Id")
            .and_then(|p| p.chars().last())
            .is_some_and(|c| c.is_ascii_lowercase())
}

/// A short list of a column's values for a reason: "6, 7, 5".
fn some_values(sample: &Sample) -> String {
    let shown: Vec<&str> = sample.all.iter().take(3).map(String::as_str).collect();
    let more = if sample.all.len() > shown.len() {
        "…"
    } else {
        ""
    };
    format!("{}{more}", shown.join(", "))
}

/// The role of a column the header does not name, from its values.
fn unnamed_role(header: &str, kind: CellKind, sample: &Sample) -> (ColumnRole, String) {
    let n = sample.all.len();
    match kind {
        CellKind::Empty => (ColumnRole::Ignore, format!("{header}: no values")),
        CellKind::Text | CellKind::Codes | CellKind::Ids if n == 1 => (
            ColumnRole::Ignore,
            format!(
                "{header}: the same value on every row ({})",
                some_values(sample)
            ),
        ),
        CellKind::Flags => (
            ColumnRole::Metric,
            format!("{header}: yes/no per row, compared as a proportion"),
        ),
        CellKind::Numbers if named_like_nps(header) && sample.all.iter().all(|v| on_0_to_10(v)) => {
            (
                ColumnRole::Metric,
                format!("{header}: answers from 0 to 10, compared as NPS (promoters − detractors)"),
            )
        }
        CellKind::Numbers => (
            ColumnRole::Metric,
            format!("{header}: numbers, compared as a mean"),
        ),
        CellKind::Dates => (
            ColumnRole::Ignore,
            format!("{header}: dates ({})", some_values(sample)),
        ),
        CellKind::Ids => (
            ColumnRole::Ignore,
            format!("{header}: an id or a name, not a measurement"),
        ),
        CellKind::Codes => (
            ColumnRole::Segment,
            format!(
                "{header}: {n} whole-number codes ({}), a breakdown rather than a metric",
                some_values(sample)
            ),
        ),
        CellKind::Text if n <= FEW_VALUES * 2 => (
            ColumnRole::Segment,
            format!(
                "{header}: text with {n} values ({}), a breakdown",
                some_values(sample)
            ),
        ),
        CellKind::Text => (
            ColumnRole::Ignore,
            format!("{header}: text with {n} values, left out"),
        ),
    }
}

/// Header words of an experiment's arms beyond the reader's own spellings
/// (`experiment`, `exp_group`, `Promotion`, `test_coupon`): trusted only
/// with few values.
fn arm_like(header: &str) -> bool {
    const WORDS: [&str; 9] = [
        "experiment",
        "promotion",
        "campaign",
        "test",
        "treat",
        "group",
        "variant",
        "version",
        "split",
    ];
    let h = normalise_header(header);
    WORDS.iter().any(|w| h.contains(w)) || h == "arm" || h == "segment"
}

/// Control names that need no support from the header: `control`, `ctrl`,
/// `baseline`, `holdout`, `psa`, `A` beside `B`. Negations ("No E-Mail",
/// "none") count only under an arm-like header, since "No phone service"
/// is an answer, not an arm.
fn control_value<'a>(header: &str, values: &'a BTreeSet<String>) -> Option<&'a String> {
    let strong = |v: &str| {
        let lower = v.trim().to_ascii_lowercase();
        (super::control_like(v) && !lower.starts_with("no") && !lower.starts_with("without"))
            || lower == "psa"
            || (lower == "a" && values.iter().any(|w| w.eq_ignore_ascii_case("b")))
    };
    values.iter().find(|v| strong(v)).or_else(|| {
        arm_like(header)
            .then(|| values.iter().find(|v| super::control_like(v)))
            .flatten()
    })
}

/// The column whose values are an experiment's arms: 2 to a few values
/// that repeat, one of them a control name; else an arm-like header with
/// few values (`Promotion`: 1, 2, 3). `None` leaves the choice to the user.
fn variant_from_values(
    headers: &[String],
    samples: &[Sample],
    guesses: &[ColumnGuess],
) -> Option<(usize, String)> {
    let few = |i: usize| {
        let s = samples.get(i)?;
        let g = guesses.get(i)?;
        let n = s.all.len();
        ((2..=FEW_VALUES).contains(&n)
            && n < s.cells
            && matches!(
                g.role,
                ColumnRole::Segment | ColumnRole::Metric | ColumnRole::Ignore
            ))
        .then_some((s, g.kind))
    };
    let named = headers.iter().enumerate().find_map(|(i, header)| {
        let (s, kind) = few(i)?;
        let control = (kind == CellKind::Text)
            .then(|| control_value(header, &s.all))
            .flatten()?;
        Some((
            i,
            format!("{header}: {} values, one is '{control}'", s.all.len()),
        ))
    });
    named.or_else(|| {
        headers.iter().enumerate().find_map(|(i, header)| {
            let (s, kind) = few(i)?;
            (arm_like(header) && matches!(kind, CellKind::Text | CellKind::Codes | CellKind::Flags))
                .then(|| {
                    (
                        i,
                        format!(
                            "{header}: {} values ({}), and the header names an experiment's arms",
                            s.all.len(),
                            some_values(s)
                        ),
                    )
                })
        })
    })
}

/// A role in a reason: "the header names the variant".
fn noun(role: ColumnRole) -> String {
    match role {
        ColumnRole::Variant => "the variant".to_string(),
        ColumnRole::UserId => "a user id".to_string(),
        ColumnRole::Segment => "a segment".to_string(),
        ColumnRole::Converted => "a yes/no conversion".to_string(),
        ColumnRole::Users => "the users per row".to_string(),
        other => other.label().to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, ColumnRole)> {
        guess_columns(text)
            .into_iter()
            .map(|g| (g.header, g.role))
            .collect()
    }

    #[test]
    fn dates_uuids_and_ids_are_told_apart() {
        assert!(looks_like_date("2020-07-03"));
        assert!(looks_like_date("2017-01-21 22:11:48.556739"));
        assert!(looks_like_date("7/3/2020"));
        assert!(!looks_like_date("12.5"));
        assert!(looks_like_uuid("0008ef63-77a7-448b-bd1e-075f42c55e39"));
        assert!(!looks_like_uuid("control"));
        assert!(
            id_like("MarketID") && id_like("user_id") && id_like("customerId") && id_like("ID")
        );
        assert!(!id_like("paid") && !id_like("valid"));
    }

    #[test]
    fn a_text_column_with_a_control_value_is_the_variant() {
        let text = "who,experiment,minutes\nx1,control,3.5\nx2,exposed,4\nx3,control,1\n";
        let g = guess_columns(text);
        let exp = g.iter().find(|g| g.header == "experiment");
        assert_eq!(exp.map(|e| e.role), Some(ColumnRole::Variant));
        assert_eq!(
            exp.map(|e| e.reason.as_str()),
            Some("experiment: 2 values, one is 'control'")
        );
        assert_eq!(roles(text)[2], ("minutes".to_string(), ColumnRole::Metric));
    }

    #[test]
    fn flags_are_metrics_even_with_a_zero() {
        let text = "arm,yes,no\nA,0,1\nB,1,0\nA,0,0\n";
        assert_eq!(
            roles(text),
            vec![
                ("arm".to_string(), ColumnRole::Variant),
                ("yes".to_string(), ColumnRole::Metric),
                ("no".to_string(), ColumnRole::Metric)
            ]
        );
    }

    /// Guesses on the first rows of public exports (tests/data/exports_heads,
    /// sources in its SOURCES.md): the roles and reasons a reader would give.
    #[test]
    fn public_exports_get_their_roles_from_names_and_values() -> std::io::Result<()> {
        use ColumnRole::*;
        type Expected<'a> = &'a [(&'a str, ColumnRole, &'a str)];
        let cases: &[(&str, Expected)] = &[
            ("adsmart_ab.csv", &[
                ("auction_id", Ignore, "auction_id: an id or a name, not a measurement"),
                ("experiment", Variant, "experiment: 2 values, one is 'control'"),
                ("date", Ignore, "date: dates (7/10/2020, 7/3/2020, 7/4/2020…)"),
                ("hour", Segment, "hour: 9 whole-number codes (0, 10, 13…), a breakdown rather than a metric"),
                ("device_make", Segment, "device_make: text with 7 values (E5823, Generic Smartphone, Samsung SM-A705FN…), a breakdown"),
                ("platform_os", Segment, "platform_os: 2 whole-number codes (5, 6), a breakdown rather than a metric"),
                ("no", Metric, "no: yes/no per row, compared as a proportion"),
            ]),
            ("wa_marketing_campaign.csv", &[
                ("MarketID", Ignore, "MarketID: the same value on every row (1)"),
                ("LocationID", Ignore, "LocationID: an id or a name, not a measurement"),
                ("Promotion", Variant, "Promotion: 3 values (1, 2, 3), and the header names an experiment's arms"),
                ("week", Segment, "week: 4 whole-number codes (1, 2, 3…), a breakdown rather than a metric"),
                ("SalesInThousands", Metric, "SalesInThousands: numbers, compared as a mean"),
            ]),
            ("cookie_cats.csv", &[
                ("userid", UserId, "userid: the header names a user id"),
                ("version", Variant, "version: the header names the variant"),
                ("sum_gamerounds", Metric, "sum_gamerounds: numbers, compared as a mean"),
                ("retention_7", Metric, "retention_7: yes/no per row, compared as a proportion"),
            ]),
            ("hillstrom_email.csv", &[
                ("segment", Variant, "segment: 3 values, one is 'No E-Mail'"),
                ("zip_code", Segment, "zip_code: text with 3 values (Rural, Surburban, Urban), a breakdown"),
                ("history", Metric, "history: numbers, compared as a mean"),
                ("spend", Revenue, "spend: the header names revenue"),
            ]),
            ("udacity_ab_data.csv", &[
                ("user_id", UserId, "user_id: the header names a user id"),
                ("timestamp", Ignore, "timestamp: dates (2017-01-04 17:58:08.979471, 2017-01-08 18:28:03.143765, 2017-01-10 15:20:49.083499…)"),
                ("group", Variant, "group: the header names the variant"),
                ("landing_page", Segment, "landing_page: text with 2 values (new_page, old_page), a breakdown"),
            ]),
            ("marketing_ab_sample.csv", &[
                ("test group", Variant, "test group: the header names the variant"),
                ("most ads day", Segment, "most ads day: text with 7 values (Friday, Monday, Saturday…), a breakdown"),
                ("most ads hour", Segment, "most ads hour: 10 whole-number codes (10, 11, 12…), a breakdown rather than a metric"),
            ]),
            ("artea_ab_experiment.csv", &[
                ("test_coupon", Variant, "test_coupon: 2 values (0, 1), and the header names an experiment's arms"),
                ("channel_acq", Segment, "channel_acq: 3 whole-number codes (1, 2, 3), a breakdown rather than a metric"),
                ("revenue_after", Metric, "revenue_after: numbers, compared as a mean"),
            ]),
            ("artea_ab_experiment_recoded.csv", &[
                ("test_coupon", Variant, "test_coupon: 2 values, one is 'control'"),
                ("channel_acq", Segment, "channel_acq: text with 3 values (facebook, google, instagram), a breakdown"),
            ]),
            ("starbucks_promotion_training.csv", &[
                ("ID", UserId, "ID: the header names a user id"),
                ("Promotion", Variant, "Promotion: 2 values (No, Yes), and the header names an experiment's arms"),
                ("V2", Metric, "V2: numbers, compared as a mean"),
            ]),
            ("feed_ctr_ab.csv", &[
                ("exp_group", Variant, "exp_group: 2 values (1, 2), and the header names an experiment's arms"),
                ("ctr", Metric, "ctr: numbers, compared as a mean"),
            ]),
            ("criteo_uplift_sample.csv", &[
                ("treatment", Variant, "treatment: the header names the variant"),
                ("conversion", Converted, "conversion: the header names a yes/no conversion"),
                ("f0", Metric, "f0: numbers, compared as a mean"),
            ]),
            ("fb_adword_control_group.csv", &[
                ("Campaign Name", Ignore, "Campaign Name: the same value on every row (Control Campaign)"),
                ("Date", Ignore, "Date: dates (1.08.2019, 10.08.2019, 11.08.2019…)"),
                ("# of Purchase", Metric, "# of Purchase: numbers, compared as a mean"),
            ]),
            ("udacity_free_trial_control.csv", &[
                ("Date", Ignore, "Date: an id or a name, not a measurement"),
                ("Clicks", Clicks, "Clicks: the header names clicks"),
            ]),
            ("telco_churn.csv", &[
                ("customerID", UserId, "customerID: the header names a user id"),
                ("MultipleLines", Segment, "MultipleLines: text with 3 values (No, No phone service, Yes), a breakdown"),
                ("Churn", Metric, "Churn: yes/no per row, compared as a proportion"),
            ]),
            ("resume_names_callback.csv", &[
                ("minimum", Segment, "minimum: text with 3 values (5, none, some), a breakdown"),
                ("city", Ignore, "city: the same value on every row (chicago)"),
                ("honors", Metric, "honors: yes/no per row, compared as a proportion"),
            ]),
            ("qss_star.csv", &[
                ("classtype", Segment, "classtype: 3 whole-number codes (1, 2, 3), a breakdown rather than a metric"),
                ("g4math", Metric, "g4math: numbers, compared as a mean"),
            ]),
            ("qss_progresa.csv", &[
                ("treatment", Variant, "treatment: the header names the variant"),
                ("avgpoverty", Metric, "avgpoverty: numbers, compared as a mean"),
            ]),
            ("lifelines_lung.csv", &[
                ("sex", Segment, "sex: 2 whole-number codes (1, 2), a breakdown rather than a metric"),
                ("wt.loss", Metric, "wt.loss: numbers, compared as a mean"),
            ]),
            ("lifelines_gbsg2.csv", &[
                ("menostat", Segment, "menostat: text with 2 values (Post, Pre), a breakdown"),
                ("horTh", Metric, "horTh: yes/no per row, compared as a proportion"),
            ]),
        ];
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/exports_heads/"
        );
        for (file, expected) in cases {
            let text = std::fs::read_to_string(format!("{dir}{file}"))?;
            let guesses = guess_columns(&text);
            for (header, role, reason) in *expected {
                let g = guesses
                    .iter()
                    .find(|g| g.header == *header)
                    .unwrap_or_else(|| panic!("{file}: no column {header}"));
                assert_eq!((g.role, g.reason.as_str()), (*role, *reason), "{file}");
            }
            // Never a metric: ids, dates and text.
            for g in &guesses {
                if matches!(g.kind, CellKind::Ids | CellKind::Dates | CellKind::Text) {
                    assert_ne!(g.role, Metric, "{file}: {}", g.reason);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_mapping_holds_what_the_values_changed() -> Result<(), Box<dyn std::error::Error>> {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/exports_heads/adsmart_ab.csv"
        ))?;
        let m = guessed_mapping(&guess_columns(&text));
        assert_eq!(m.get("experiment"), Some(&ColumnRole::Variant));
        assert_eq!(m.get("auction_id"), Some(&ColumnRole::Ignore));
        assert_eq!(m.get("platform_os"), Some(&ColumnRole::Segment));
        assert_eq!(m.get("yes"), None);
        let e = super::super::parse_experiment_with(&text, &m)?;
        assert_eq!(
            e.variants
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["exposed", "control"]
        );
        let metrics: Vec<&str> = e.metric_columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(metrics, ["yes", "no"]);
        Ok(())
    }
}

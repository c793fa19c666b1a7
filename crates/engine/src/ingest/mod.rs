//! Turning pasted or uploaded CSV text into per-variant sufficient statistics.
//!
//! Two shapes are understood, told apart by their headers:
//! - *aggregated*: one row per variant (optionally per segment) with a `users`
//!   column and sums such as `conversions`, `orders`, `revenue`;
//! - *row-level*: one row per user with a `converted` flag and/or `revenue`.
//!
//! Both reduce to [`VariantStats`], so every analysis runs from the same
//! sufficient statistics whatever the file looked like. Rows for the same
//! variant (segments) are summed. Every rejected value is reported with its
//! line and column in words a marketer understands.

use serde::{Deserialize, Serialize};
use thiserror::Error;

mod accumulate;
mod analysis_columns;
mod caps;
mod columns;
mod decode;
mod metric_columns;
pub(crate) mod named;
pub use named::CsvError;
mod numbers;
mod profile;
mod reader;
mod users;
mod values;

pub use analysis_columns::{
    cohort_columns, guess_header, panel_columns, retention_columns, timeline_columns, CohortGuess,
    PanelGuess, RetentionGuess, TimelineGuess,
};
pub use caps::{known_caps, resolve_caps, AppliedCap, CapAt, CapSpec, Tail, REVENUE_KEY};
pub(crate) use columns::normalise_header;
pub use columns::{control_like, guess_roles, ColumnMapping, ColumnRole};
pub(crate) use decode::Decoder;
pub use metric_columns::{
    named_like_nps, pair_index, ColumnSums, MetricColumn, ValueKind, MAX_CROSS_COLUMNS,
    MAX_METRIC_COLUMNS,
};
pub(crate) use numbers::parse_bool;
pub use profile::{guess_columns, guessed_mapping, CellKind, ColumnGuess, SAMPLE_ROWS};
pub(crate) use reader::header_line;
pub use reader::{ExperimentReader, ASK_VARIANTS, MAX_PROBLEMS, MAX_VARIANTS};
pub use users::{user_checks, without_repeated_users, UserChecks, WithoutRepeats};
pub use values::column_values;

/// Sufficient statistics of one variant: counts and sums, never raw rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantStats {
    pub name: String,
    pub users: u64,
    pub conversions: Option<u64>,
    pub orders: Option<u64>,
    pub revenue: Option<f64>,
    /// Sum over users of revenue², for the variance of revenue per user.
    pub revenue_sq: Option<f64>,
    /// Sum over users of orders², and of revenue × orders: with them AOV
    /// (revenue / orders) gets an interval as a ratio metric.
    #[serde(default)]
    pub orders_sq: Option<f64>,
    #[serde(default)]
    pub revenue_x_orders: Option<f64>,
    /// The same users' revenue before the experiment, for CUPED.
    #[serde(default)]
    pub pre_revenue: Option<f64>,
    #[serde(default)]
    pub pre_revenue_sq: Option<f64>,
    /// Sum over users of revenue × pre-period revenue.
    #[serde(default)]
    pub revenue_x_pre: Option<f64>,
    #[serde(default)]
    pub clicks: Option<u64>,
    #[serde(default)]
    pub impressions: Option<u64>,
    /// Sums of the file's other metric columns, in the order of
    /// [`Experiment::metric_columns`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ColumnSums>,
    /// Sums of products of each pair of those columns, by [`pair_index`]
    /// (row-level files with up to [`MAX_CROSS_COLUMNS`] metric columns,
    /// or `X_x_Y` columns of an aggregated file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross: Vec<Option<f64>>,
}

impl VariantStats {
    /// The sum of products of metric columns `a` and `b`, when known.
    pub fn cross_sum(&self, a: usize, b: usize) -> Option<f64> {
        let k = self.columns.len();
        if a == b || a >= k || b >= k {
            return None;
        }
        self.cross.get(pair_index(a, b, k)).copied().flatten()
    }
}

/// A parsed experiment: the variants in the order they first appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub shape: DataShape,
    pub variants: Vec<VariantStats>,
    /// Number of data rows used (not counting the header or blank lines).
    pub rows: usize,
    /// Rows of a row-level file left out because a value was unusable.
    #[serde(default)]
    pub skipped: usize,
    /// Why, for the first [`MAX_PROBLEMS`] of them.
    #[serde(skip)]
    pub problems: Vec<IngestError>,
    /// Metric columns beyond the fixed roles, whose sums each variant
    /// carries in [`VariantStats::columns`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metric_columns: Vec<MetricColumn>,
    /// The header of the column that names the variants (`Promotion`), so
    /// a numeric arm can be called "Promotion 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant_column: Option<String>,
    /// The caps its per-user values were clamped to before summing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<AppliedCap>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataShape {
    Aggregated,
    RowLevel,
}

/// Why a file could not be read. Messages are meant for the person who pasted it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IngestError {
    #[error("The data is empty. Paste a CSV with a header row, or load the demo.")]
    Empty,
    #[error("Only a header row was found; add at least one row of data below it.")]
    HeaderOnly,
    #[error("No column names the variant (looked for: variant, group, arm, bucket). Found columns: {found}.")]
    MissingVariantColumn { found: String },
    #[error("No column tells users or conversions. Add a 'users' column (one row per variant) or a 'converted' / 'revenue' column (one row per user). Found columns: {found}.")]
    UnknownShape { found: String },
    #[error(
        "No column holds numbers or yes/no values to compare, only text. Found columns: {found}."
    )]
    NoMetricColumn { found: String },
    #[error("Line {line}, column '{column}': \"{value}\" is not a number.")]
    NotANumber {
        line: u64,
        column: String,
        value: String,
    },
    #[error("Line {line}, column '{column}': {value} is too large to analyse.")]
    TooLarge {
        line: u64,
        column: String,
        value: String,
    },
    #[error("Line {line}, column '{column}': {value} is negative; counts and revenue cannot be below zero.")]
    Negative {
        line: u64,
        column: String,
        value: String,
    },
    #[error("Line {line}, column '{column}': {value} is not a whole number of people or orders.")]
    NotWhole {
        line: u64,
        column: String,
        value: String,
    },
    #[error("Line {line}, column '{column}': \"{value}\" is not yes/no (use 1/0, true/false or yes/no).")]
    NotABoolean {
        line: u64,
        column: String,
        value: String,
    },
    #[error("There is no column '{column}' of numbers per user to cap.")]
    NoCapColumn { column: String },
    #[error("Every value of '{column}' is 0, so it has no percentile to cap at without the zeros: count the zeros in, or cap at an amount.")]
    NothingToCap { column: String },
    #[error("Line {line}: the variant name is empty.")]
    EmptyVariant { line: u64 },
    #[error("Line {line}: the row has {found} fields but the header has {expected}; check for a missing or extra separator.")]
    RaggedRow {
        line: u64,
        found: usize,
        expected: usize,
    },
    #[error("Variant '{variant}' has more conversions ({conversions}) than users ({users}).")]
    ConversionsExceedUsers {
        variant: String,
        conversions: u64,
        users: u64,
    },
    #[error("Variant '{variant}' has zero users, so nothing can be measured for it.")]
    ZeroUsers { variant: String },
    #[error("Only one variant ('{variant}') was found; an experiment needs a control and at least one other variant.")]
    SingleVariant { variant: String },
    #[error("This file is {kind}, not CSV text. Open it in its program and save or export it as CSV (comma or semicolon separated), then load that.")]
    NotText { kind: &'static str },
    #[error("Line {line}, column '{column}': the text has characters that are not UTF-8. Save the file as “CSV UTF-8” (or UTF-16 “Unicode text”) and load it again.")]
    NotUtf8 { line: u64, column: String },
    #[error("Column '{column}' has more than {limit} different values, so it cannot be the variant column. Choose the column that names the variant (control, treatment, …).")]
    TooManyVariants { column: String, limit: usize },
    #[error("Column '{column}' has {count} different values: is it really the variant? Confirm it, or choose the variant column under “Which column is which?” (on the command line: --variant-column).")]
    ManyVariants { column: String, count: usize },
    #[error("None of the {skipped} data rows could be used. The first problem: {first}")]
    NoUsableRows {
        skipped: usize,
        first: Box<IngestError>,
    },
    #[error("Totals overflow: the numbers in column '{column}' are too large to add up.")]
    Overflow { column: String },
}

impl IngestError {
    /// The line of the file a problem is on, if it is about one row.
    pub fn line(&self) -> Option<u64> {
        match self {
            IngestError::NotANumber { line, .. }
            | IngestError::TooLarge { line, .. }
            | IngestError::Negative { line, .. }
            | IngestError::NotWhole { line, .. }
            | IngestError::NotABoolean { line, .. }
            | IngestError::EmptyVariant { line }
            | IngestError::RaggedRow { line, .. }
            | IngestError::NotUtf8 { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// The line (from 1) of the record that starts at byte `offset` of
/// `text`, past any blank lines there (the csv reader's record position
/// can be the start of the blank lines it skipped).
pub(crate) fn line_of(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while matches!(bytes.get(end), Some(b'\n' | b'\r')) {
        end += 1;
    }
    let before = bytes.get(..end).unwrap_or_default();
    1 + before.iter().filter(|&&b| b == b'\n').count() as u64
}

/// A CSV reader over `text` (its byte-order mark dropped) with the
/// delimiter of its header line, and the text it reads.
pub(crate) fn csv_reader(text: &str) -> (csv::Reader<&[u8]>, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(header))
        .flexible(true)
        .from_reader(text.as_bytes());
    (reader, text)
}

/// Pick the delimiter that splits the header line into the most fields,
/// counting only separators outside double quotes.
pub(crate) fn detect_delimiter(header_line: &str) -> u8 {
    let candidates = [b',', b';', b'\t', b'|'];
    let mut best = b',';
    let mut best_count = 0usize;
    for &d in &candidates {
        let mut in_quotes = false;
        let mut count = 0usize;
        for b in header_line.bytes() {
            if b == b'"' {
                in_quotes = !in_quotes;
            } else if b == d && !in_quotes {
                count += 1;
            }
        }
        if count > best_count {
            best = d;
            best_count = count;
        }
    }
    best
}

/// Parse CSV/TSV text into per-variant sufficient statistics.
///
/// Accepts a UTF-8 byte-order mark, `,` `;` tab or `|` delimiters (detected
/// from the header), quoted fields, CRLF line ends, blank lines, thousands
/// separators, and decimal commas in `;`-separated files.
pub fn parse_experiment(text: &str) -> Result<Experiment, IngestError> {
    parse_experiment_with(text, &ColumnMapping::new())
}

/// [`parse_experiment`] with the user's own roles for some headers.
pub fn parse_experiment_with(
    text: &str,
    mapping: &ColumnMapping,
) -> Result<Experiment, IngestError> {
    parse_bytes(text.as_bytes(), mapping)
}

/// [`parse_experiment_with`], each capped metric's per-user values clamped
/// to its cap first ([`resolve_caps`]: an amount, or a percentile of every
/// user's value, taken from the data now). Sums are read as they are, with
/// the caps they say were applied.
pub fn parse_experiment_capped(
    text: &str,
    mapping: &ColumnMapping,
    caps: &[CapSpec],
) -> Result<Experiment, IngestError> {
    let applied = resolve_caps(text, mapping, caps)?;
    read_whole(
        text.as_bytes(),
        ExperimentReader::new(mapping.clone()).capped(applied),
    )
}

/// [`parse_experiment_with`], each metric clamped to the caps whose value
/// is known without reading the data: amounts, and percentiles with the
/// value they were last taken at ([`CapSpec::known`]). What the web page
/// reads its data with: taking a percentile is left to the metrics panel,
/// which writes the value into the plan, so the first download carries
/// none of it.
pub fn parse_experiment_known_caps(
    text: &str,
    mapping: &ColumnMapping,
    caps: &[CapSpec],
) -> Result<Experiment, IngestError> {
    read_whole(
        text.as_bytes(),
        ExperimentReader::new(mapping.clone()).capped(known_caps(caps)),
    )
}

/// A whole file through `reader`: the one place every whole-text reading
/// goes through, so the page's download holds the reader's code once.
fn read_whole(bytes: &[u8], mut reader: ExperimentReader) -> Result<Experiment, IngestError> {
    reader.feed(bytes)?;
    reader.finish()
}

/// Parse a whole file's bytes (UTF-8 or UTF-16 with a byte-order mark).
pub fn parse_bytes(bytes: &[u8], mapping: &ColumnMapping) -> Result<Experiment, IngestError> {
    read_whole(bytes, ExperimentReader::new(mapping.clone()))
}

/// The text of a file's bytes, decoded as [`parse_bytes`] would, for showing
/// and editing a small file: UTF-16 converted, byte-order mark dropped,
/// binary files refused with a message. A stray non-UTF-8 byte after the
/// start gives `NotUtf8` (its line, no column): such a file is better read
/// with [`ExperimentReader`], which skips just that row.
pub fn decode_text(bytes: &[u8]) -> Result<String, IngestError> {
    let mut d = decode::Decoder::new();
    let mut out = d.decode(bytes)?.into_owned();
    out.extend_from_slice(&d.finish()?);
    String::from_utf8(out).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let before = e.as_bytes().get(..bad).unwrap_or_default();
        IngestError::NotUtf8 {
            line: 1 + before.iter().filter(|&&b| b == b'\n').count() as u64,
            column: String::new(),
        }
    })
}

/// The header row of a file's first bytes (a prefix, perhaps cut inside a
/// character): UTF-16 converted, a stray byte replaced, and a file that is
/// not text (a workbook, a PDF, an image, binary data) refused with
/// `NotText`, so its bytes are never shown as column names.
pub fn header_of_bytes(head: &[u8]) -> Result<Vec<String>, IngestError> {
    let text = match decode_text(head) {
        Ok(text) => text,
        Err(IngestError::NotUtf8 { .. }) => String::from_utf8_lossy(head).into_owned(),
        Err(e) => return Err(e),
    };
    Ok(header_fields(&text))
}

/// The header row of CSV text, split with its detected delimiter: for the
/// column-mapping step.
pub fn header_fields(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(line) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Vec::new();
    };
    let mut core = csv_core::ReaderBuilder::new()
        .delimiter(detect_delimiter(line))
        .build();
    // A header row has at most as many fields, and bytes, as the line has bytes.
    let mut out = vec![0u8; line.len() + 1];
    let mut ends = vec![0usize; line.len() + 2];
    let (mut nout, mut nend) = (0, 0);
    for input in [line.as_bytes(), &[]] {
        let (_, _, o, e) = core.read_record(
            input,
            out.get_mut(nout..).unwrap_or_default(),
            ends.get_mut(nend..).unwrap_or_default(),
        );
        nout += o;
        nend += e;
    }
    let text = String::from_utf8_lossy(out.get(..nout).unwrap_or_default()).into_owned();
    let mut start = 0;
    ends.iter()
        .take(nend)
        .map(|&end| {
            let f = text.get(start..end).unwrap_or("").trim().to_string();
            start = end;
            f
        })
        .collect()
}

/// Write sufficient statistics back as an aggregated CSV with canonical
/// headers: one row per variant, a column per statistic every variant has,
/// then each metric column under the naming convention of aggregated files
/// (`X`, `X_sq` for numbers, `X_x_Y` for products). Row-level data shared
/// this way carries only sums, never a user's row.
/// One CSV field, quoted when it must be.
pub(crate) fn push_field(out: &mut String, field: &str, delimiter: char) {
    if field.contains([delimiter, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

pub fn to_aggregated_csv(
    variants: &[VariantStats],
    metric_columns: &[MetricColumn],
    caps: &[AppliedCap],
) -> String {
    type Column = (&'static str, fn(&VariantStats) -> Option<f64>);
    let columns: [Column; 11] = [
        ("conversions", |v| v.conversions.map(|c| c as f64)),
        ("orders", |v| v.orders.map(|c| c as f64)),
        ("revenue", |v| v.revenue),
        ("revenue_sq", |v| v.revenue_sq),
        ("orders_sq", |v| v.orders_sq),
        ("revenue_x_orders", |v| v.revenue_x_orders),
        ("clicks", |v| v.clicks.map(|c| c as f64)),
        ("impressions", |v| v.impressions.map(|c| c as f64)),
        ("pre_revenue", |v| v.pre_revenue),
        ("pre_revenue_sq", |v| v.pre_revenue_sq),
        ("revenue_x_pre", |v| v.revenue_x_pre),
    ];
    let present: Vec<&Column> = columns
        .iter()
        .filter(|(_, get)| variants.iter().all(|v| get(v).is_some()))
        .collect();
    let quote = |name: &str| {
        if name.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name.to_string()
        }
    };
    // Metric columns: each header with its value in every variant.
    let k = metric_columns.len();
    let mut extra: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    let each = |get: &dyn Fn(&VariantStats) -> Option<f64>| variants.iter().map(get).collect();
    for (i, c) in metric_columns.iter().enumerate() {
        extra.push((c.name.clone(), each(&|v| v.columns.get(i).map(|s| s.sum))));
        if c.kind == ValueKind::Numeric {
            let sq = each(&|v| v.columns.get(i).and_then(|s| s.sum_sq));
            extra.push((format!("{}_sq", c.name), sq));
        }
        // An NPS question's answers, when its header says it is one and
        // every variant has them.
        let scores = |v: &VariantStats| v.columns.get(i).and_then(|s| s.scores);
        let nps = named_like_nps(&c.name);
        if nps && c.kind == ValueKind::Numeric && variants.iter().all(|v| scores(v).is_some()) {
            type Count = fn(&crate::stats::nps::ScoreCounts) -> u64;
            let counts: [(&str, Count); 3] = [
                ("answers", |s| s.answers),
                ("promoters", |s| s.promoters),
                ("detractors", |s| s.detractors),
            ];
            for (suffix, count) in counts {
                let values = each(&|v| scores(v).map(|s| count(&s) as f64));
                extra.push((format!("{}_{suffix}", c.name), values));
            }
        }
        for (j, d) in metric_columns.iter().enumerate().skip(i + 1) {
            let p = pair_index(i, j, k);
            let cross = each(&|v| v.cross.get(p).copied().flatten());
            extra.push((format!("{}_x_{}", c.name, d.name), cross));
        }
    }
    // Each cap as `X_cap` (`X_floor`), the same on every row: these sums
    // are capped already.
    for cap in caps {
        let base = if cap.metric == REVENUE_KEY {
            "revenue"
        } else {
            cap.metric.as_str()
        };
        let value = Some(cap.value);
        extra.push((
            format!("{base}{}", cap.tail.suffix()),
            vec![value; variants.len()],
        ));
    }
    extra.retain(|(_, values)| values.iter().all(Option::is_some));
    let mut out = String::from("variant,users");
    for name in present
        .iter()
        .map(|(n, _)| *n)
        .chain(extra.iter().map(|(n, _)| n.as_str()))
    {
        out.push(',');
        out.push_str(&quote(name));
    }
    out.push('\n');
    for (row, v) in variants.iter().enumerate() {
        out.push_str(&quote(&v.name));
        out.push_str(&format!(",{}", v.users));
        let values = present.iter().map(|(_, get)| get(v)).chain(
            extra
                .iter()
                .map(|(_, values)| values.get(row).copied().flatten()),
        );
        for x in values {
            // `{}` on f64 prints the shortest text that reads back exactly.
            out.push_str(&format!(",{}", x.unwrap_or(0.0)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Experiment {
        match parse_experiment(text) {
            Ok(e) => e,
            Err(e) => panic!("expected to parse, got: {e}"),
        }
    }

    #[test]
    fn aggregated_basic() {
        let e = ok("variant,users,conversions,orders,revenue\ncontrol,10000,200,210,20000\npersonalized,10000,260,280,30000\n");
        assert_eq!(e.shape, DataShape::Aggregated);
        assert_eq!(e.variants.len(), 2);
        assert_eq!(e.variants[0].name, "control");
        assert_eq!(e.variants[1].conversions, Some(260));
        assert_eq!(e.variants[1].orders, Some(280));
        assert_eq!(e.variants[1].revenue, Some(30000.0));
    }

    #[test]
    fn forgiving_headers_bom_crlf_semicolon_decimal_comma() {
        let e = ok("\u{feff}Group;Visitors;Purchases;Sales\r\nA;1.000;20;1.234,50\r\nB;1.000;26;2.000,25\r\n\r\n");
        assert_eq!(e.variants[0].users, 1000);
        assert_eq!(e.variants[0].conversions, Some(20));
        assert_eq!(e.variants[0].revenue, Some(1234.5));
        assert_eq!(e.variants[1].revenue, Some(2000.25));
    }

    #[test]
    fn tab_and_quoted_thousands() {
        let e = ok("arm\tusers\tconversions\nA\t\"1,000\"\t10\nB\t1000\t12\n");
        assert_eq!(e.variants[0].users, 1000);
        let e = ok("bucket,users,revenue\n\"ctrl, EU\",\"1,500\",\"$2,000.50\"\nnew,10,1\n");
        assert_eq!(e.variants[0].name, "ctrl, EU");
        assert_eq!(e.variants[0].users, 1500);
        assert_eq!(e.variants[0].revenue, Some(2000.5));
    }

    #[test]
    fn any_column_of_numbers_or_flags_is_a_metric() {
        // A mobile-game export: the variant is `version`, two retention
        // flags written True/False, a count, and a numeric user id.
        let e = ok("userid,version,sum_gamerounds,retention_1,retention_7\n\
116,gate_30,3,False,False\n337,gate_30,38,True,False\n377,gate_40,165,True,False\n\
483,gate_40,1,False,False\n488,gate_40,179,True,True\n");
        assert_eq!(e.shape, DataShape::RowLevel);
        let names: Vec<&str> = e.metric_columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["sum_gamerounds", "retention_1", "retention_7"]);
        let kinds: Vec<ValueKind> = e.metric_columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [ValueKind::Numeric, ValueKind::Binary, ValueKind::Binary]
        );
        let (a, b) = (&e.variants[0], &e.variants[1]);
        assert_eq!((a.name.as_str(), a.users, b.users), ("gate_30", 2, 3));
        assert_eq!(
            a.conversions, None,
            "no conversion column, so no conversion rate"
        );
        assert_eq!(a.columns[0].sum, 41.0);
        assert_eq!(a.columns[0].sum_sq, Some(9.0 + 38.0 * 38.0));
        assert_eq!(b.columns[1].sum, 2.0);
        assert_eq!(b.columns[2].sum, 1.0);
        // Σ rounds × retention_1 in gate_40: 165 + 179.
        assert_eq!(b.cross_sum(0, 1), Some(344.0));
        assert_eq!(b.cross_sum(1, 0), Some(344.0));
        assert_eq!(b.cross_sum(1, 1), None);
    }

    #[test]
    fn text_columns_are_labels_and_a_few_typos_are_counted() {
        let mut text = String::from("group,landing_page,converted,minutes\n");
        for i in 0..200 {
            let spend = if i == 7 {
                "n/a".to_string()
            } else {
                format!("{}", i % 3)
            };
            let arm = if i % 2 == 0 { "control" } else { "treatment" };
            text.push_str(&format!("{arm},page_{},{},{spend}\n", i % 2, i % 5 == 0));
        }
        let e = ok(&text);
        assert_eq!(e.metric_columns.len(), 1, "{:?}", e.metric_columns);
        assert_eq!(e.metric_columns[0].name, "minutes");
        assert_eq!(e.metric_columns[0].not_numbers, 1);
        assert_eq!(e.variants[0].conversions, Some(20));
        // Three unparseable cells in 200 rows is more than 1%: not a metric.
        let e = ok(&text.replace(",0\n", ",oops\n").replacen("oops", "0", 60));
        assert!(e.metric_columns.is_empty(), "{:?}", e.metric_columns);
    }

    #[test]
    fn aggregated_metric_columns_follow_the_naming_convention() {
        let e = ok(
            "variant,users,visits,minutes,minutes_sq,minutes_x_visits,country\n\
A,1000,120,5000,90000,4000,DE\nB,1000,150,6000,99000,5100,DE\n\
A,500,60,2500,45000,2000,FR\nB,500,70,3000,50000,2400,FR\n",
        );
        assert_eq!(e.shape, DataShape::Aggregated);
        let cols: Vec<(&str, ValueKind)> = e
            .metric_columns
            .iter()
            .map(|c| (c.name.as_str(), c.kind))
            .collect();
        assert_eq!(
            cols,
            [
                ("visits", ValueKind::Binary),
                ("minutes", ValueKind::Numeric)
            ]
        );
        let b = &e.variants[1];
        assert_eq!(
            b.columns[0],
            ColumnSums {
                sum: 220.0,
                sum_sq: Some(220.0),
                scores: None
            }
        );
        assert_eq!(
            b.columns[1],
            ColumnSums {
                sum: 9000.0,
                sum_sq: Some(149_000.0),
                scores: None
            }
        );
        assert_eq!(b.cross_sum(0, 1), Some(7500.0));
    }

    #[test]
    fn sums_of_squares_of_a_revenue_column_named_otherwise_are_not_metrics() {
        // `spend` is read as revenue; its `spend_sq` is not a metric of its
        // own (the app writes revenue's sums as `revenue_sq`).
        let e = ok("variant,users,spend,spend_sq\nA,10,50,400\nB,10,60,500\n");
        assert_eq!(e.variants[0].revenue, Some(50.0));
        assert!(e.metric_columns.is_empty(), "{:?}", e.metric_columns);
    }

    #[test]
    fn a_column_the_user_calls_a_metric_is_one_and_ignored_ones_are_not() {
        let mut mapping = ColumnMapping::new();
        mapping.insert("order_id".into(), ColumnRole::Metric);
        mapping.insert("clicks2".into(), ColumnRole::Ignore);
        let Ok(e) = parse_experiment_with(
            "variant,order_id,clicks2,x
A,1,2,3
B,4,5,6
",
            &mapping,
        ) else {
            panic!("a metric the user chose must parse")
        };
        let names: Vec<&str> = e.metric_columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["order_id", "x"]);
    }

    #[test]
    fn metric_columns_survive_the_aggregated_csv() {
        let e = ok("version,rounds,retained,later\nA,3,True,1\nA,38,True,0\nB,165,False,1\nB,1,True,1\nB,0,False,0\n");
        let csv = to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps);
        assert!(csv.starts_with("variant,users,rounds,rounds_sq,rounds_x_retained,rounds_x_later,retained,retained_x_later,later\n"), "{csv}");
        let back = ok(&csv);
        assert_eq!(back.metric_columns, e.metric_columns);
        assert_eq!(back.variants, e.variants);
    }

    #[test]
    fn segments_are_summed() {
        let e = ok("variant,segment,users,conversions\nA,mobile,100,5\nB,mobile,100,7\nA,desktop,50,5\nB,desktop,50,3\n");
        assert_eq!(e.variants[0].users, 150);
        assert_eq!(e.variants[0].conversions, Some(10));
        assert_eq!(e.variants[1].conversions, Some(10));
    }

    #[test]
    fn row_level_reduces_to_sufficient_statistics() {
        let e = ok("user_id,variant,converted,revenue\n1,A,1,10\n2,A,0,0\n3,B,yes,20\n4,B,no,\n5,B,true,5\n");
        assert_eq!(e.shape, DataShape::RowLevel);
        assert_eq!(e.rows, 5);
        assert_eq!(e.variants[0].users, 2);
        assert_eq!(e.variants[0].conversions, Some(1));
        assert_eq!(e.variants[1].users, 3);
        assert_eq!(e.variants[1].conversions, Some(2));
        assert_eq!(e.variants[1].revenue, Some(25.0));
        assert_eq!(e.variants[1].revenue_sq, Some(425.0));
    }

    #[test]
    fn row_level_collects_cuped_ratio_and_ctr_sums() {
        let e = ok("variant,orders,revenue,pre_revenue,clicks,impressions\nA,2,30,10,1,4\nA,1,5,,0,2\nB,0,0,3,2,5\nB,1,8,4,,1\n");
        let a = &e.variants[0];
        assert_eq!(a.users, 2);
        assert_eq!(a.orders_sq, Some(5.0));
        assert_eq!(a.revenue_x_orders, Some(65.0));
        assert_eq!(a.pre_revenue, Some(10.0));
        assert_eq!(a.pre_revenue_sq, Some(100.0));
        assert_eq!(a.revenue_x_pre, Some(300.0));
        assert_eq!(a.clicks, Some(1));
        assert_eq!(a.impressions, Some(6));
        assert_eq!(e.variants[1].revenue_x_pre, Some(32.0));
    }

    #[test]
    fn aggregated_pre_period_columns() {
        let e = ok("variant,users,revenue,revenue_sq,pre_revenue,pre_revenue_sq,revenue_x_pre\nA,10,100,2000,90,1500,1700\nB,10,120,2500,95,1600,1900\n");
        assert_eq!(e.variants[1].pre_revenue, Some(95.0));
        assert_eq!(e.variants[1].revenue_x_pre, Some(1900.0));
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = parse_experiment("variant,users,conversions\nA,100,5\nB,abc,7\n");
        assert_eq!(
            err,
            Err(IngestError::NotANumber {
                line: 3,
                column: "users".into(),
                value: "abc".into()
            })
        );
        let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("Line 3") && msg.contains("users"), "{msg}");
    }

    #[test]
    fn rejects_bad_inputs_with_reasons() {
        assert_eq!(parse_experiment("  \n"), Err(IngestError::Empty));
        assert_eq!(
            parse_experiment("variant,users\n"),
            Err(IngestError::HeaderOnly)
        );
        assert!(matches!(
            parse_experiment("name,users\nA,1\n"),
            Err(IngestError::MissingVariantColumn { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,user_id\nA,1\nB,2\n"),
            Err(IngestError::UnknownShape { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,page\nA,old\nB,new\n"),
            Err(IngestError::NoMetricColumn { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users\nA,-5\nB,3\n"),
            Err(IngestError::Negative { line: 2, .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users\nA,1.5\nB,3\n"),
            Err(IngestError::NotWhole { .. })
        ));
        // Revenue of 1e160 would make its sum of squares infinite: the row
        // is left out, with the reason.
        let huge = parse_experiment("variant,converted,revenue\nA,1,1e160\nA,0,1\nB,0,0\n");
        assert_eq!(
            huge.ok()
                .and_then(|e| e.problems.first().map(ToString::to_string)),
            Some("Line 2, column 'revenue': 1e160 is too large to analyse.".to_string())
        );
        assert!(matches!(
            parse_experiment("variant,users\nA,0\nB,3\n"),
            Err(IngestError::ZeroUsers { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users,conversions\nA,10,11\nB,3,1\n"),
            Err(IngestError::ConversionsExceedUsers { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users\nA,10\n"),
            Err(IngestError::SingleVariant { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users,conversions\nA,10\nB,3,1\n"),
            Err(IngestError::RaggedRow { line: 2, .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users\nA,NaN\nB,3\n"),
            Err(IngestError::NotANumber { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,converted\nA,maybe\nB,1\n"),
            Err(IngestError::SingleVariant { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,converted\nA,maybe\nB,what\n"),
            Err(IngestError::NoUsableRows { skipped: 2, .. })
        ));
        let many: String = (0..=MAX_VARIANTS).map(|i| format!("user{i},1\n")).collect();
        assert!(matches!(
            parse_experiment(&format!("variant,converted\n{many}")),
            Err(IngestError::TooManyVariants { .. })
        ));
        // In an aggregated file a column spelt like the per-user flag is a
        // metric's sum (as the warehouse SQL writes it).
        let Ok(e) = parse_experiment(
            "variant,users,visit,visit_x_conversion,conversion\nA,10,4,1,2\nB,10,5,2,3\n",
        ) else {
            panic!("reads")
        };
        let names: Vec<&str> = e.metric_columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["visit", "conversion"]);
        assert_eq!(e.variants[1].columns[1].sum, 3.0);
        assert_eq!(e.variants[1].conversions, None);
        // 21 arms: asked about, unless the column was chosen as the variant.
        let arms: String = (0..=ASK_VARIANTS).map(|i| format!("arm{i},1\n")).collect();
        let text = format!("variant,converted\n{arms}");
        assert!(matches!(
            parse_experiment(&text),
            Err(IngestError::ManyVariants { count: 21, ref column }) if column == "variant"
        ));
        let chosen: ColumnMapping = [("variant".to_string(), ColumnRole::Variant)].into();
        assert_eq!(
            parse_experiment_with(&text, &chosen).map(|e| e.variants.len()),
            Ok(21)
        );
        let twenty: String = (1..=ASK_VARIANTS).map(|i| format!("arm{i},1\n")).collect();
        assert!(parse_experiment(&format!("variant,converted\n{twenty}")).is_ok());
        // One row per variant with its users: each arm is named on purpose.
        let sums: String = (0..=ASK_VARIANTS)
            .map(|i| format!("arm{i},10,1\n"))
            .collect();
        assert_eq!(
            parse_experiment(&format!("variant,users,conversions\n{sums}"))
                .map(|e| e.variants.len()),
            Ok(21)
        );
    }

    #[test]
    fn row_level_skips_bad_rows_and_says_where() {
        let text = "variant,converted,revenue\r\nA,1,10\r\n\r\nA,maybe,3\r\nB,0,\r\n\"B\",1,\"1\n000\"\r\nB,1,-4\r\nA,0\r\nB,1,2\r\n";
        let e = ok(text);
        assert_eq!(e.rows, 3);
        assert_eq!(e.skipped, 4);
        let lines: Vec<u64> = e
            .problems
            .iter()
            .map(|p| match p {
                IngestError::NotABoolean { line, .. }
                | IngestError::NotANumber { line, .. }
                | IngestError::Negative { line, .. }
                | IngestError::RaggedRow { line, .. } => *line,
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(lines, vec![4, 6, 8, 9]);
        assert_eq!(e.variants[0].users, 1);
        assert_eq!(e.variants[1].users, 2);
        assert_eq!(e.variants[1].revenue, Some(2.0));
    }

    #[test]
    fn any_chunking_gives_the_same_result() {
        let text = "\u{feff}Group;Visitors;Purchases;Sales\r\n\"A; EU\";1.000;20;1.234,50\r\nB;1.000;26;2.000,25\r\n\r\n\"A; EU\";5;1;0,5";
        let whole = ok(text);
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            for cut2 in [cut, (cut + 7).min(bytes.len())] {
                let mut r = ExperimentReader::new(ColumnMapping::new());
                let (a, rest) = bytes.split_at(cut);
                let (b, c) = rest.split_at(cut2 - cut);
                for chunk in [a, b, c] {
                    assert_eq!(r.feed(chunk), Ok(()));
                }
                assert_eq!(r.finish().as_ref(), Ok(&whole), "cut at {cut}/{cut2}");
            }
        }
        assert_eq!(whole.variants[0].users, 1005);
        assert_eq!(whole.variants[0].revenue, Some(1235.0));
    }

    #[test]
    fn utf16_files_read_like_utf8() {
        let text = "variant,users,conversions\ncontrôle,100,5\ntest,100,9\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let e = parse_bytes(&bytes, &ColumnMapping::new());
        assert_eq!(
            e.as_ref().map(|e| e.variants[0].name.as_str()),
            Ok("contrôle")
        );
        assert_eq!(decode_text(&bytes).ok().as_deref(), Some(text));
    }

    #[test]
    fn a_mapping_names_columns_the_engine_does_not_know() {
        let text = "Test-Zelle,Besucher,Käufe\nA,100,5\nB,100,9\n";
        assert!(matches!(
            parse_experiment(text),
            Err(IngestError::MissingVariantColumn { .. })
        ));
        assert_eq!(header_fields(text), vec!["Test-Zelle", "Besucher", "Käufe"]);
        let mapping: ColumnMapping = [
            ("Test-Zelle".to_string(), ColumnRole::Variant),
            ("Besucher".to_string(), ColumnRole::Users),
            ("Käufe".to_string(), ColumnRole::Conversions),
        ]
        .into();
        let e = parse_experiment_with(text, &mapping);
        assert_eq!(e.map(|e| e.variants[1].conversions), Ok(Some(9)));
        // "Ignore" takes a recognised column out.
        let ignore: ColumnMapping = [("revenue".to_string(), ColumnRole::Ignore)].into();
        let e = parse_experiment_with("variant,users,revenue\nA,1,x\nB,2,y\n", &ignore);
        assert_eq!(e.map(|e| e.variants[0].revenue), Ok(None));
        assert_eq!(
            guess_roles(&header_fields("Arm,Visitors,notes")),
            vec![Some(ColumnRole::Variant), Some(ColumnRole::Users), None]
        );
        // Spelling is ignored; letters outside ASCII are not part of any known name.
        assert_eq!(
            guess_roles(&header_fields("UNIQUE-USERS,Käufe,revenue €")),
            vec![Some(ColumnRole::Users), None, Some(ColumnRole::Revenue)]
        );
    }

    #[test]
    fn not_utf8_names_line_and_column() {
        // UTF-8 at the start (so read as UTF-8), a stray byte much later.
        let mut bytes = b"variant,users\n".to_vec();
        for _ in 0..20_000 {
            bytes.extend_from_slice(b"A,10\n");
        }
        bytes.extend_from_slice(b"B\xff,3\n");
        assert_eq!(
            parse_bytes(&bytes, &ColumnMapping::new()),
            Err(IngestError::NotUtf8 {
                line: 20_002,
                column: "variant".into()
            })
        );
    }

    #[test]
    fn aggregated_csv_round_trips() {
        let e = ok("variant,orders,revenue,pre_revenue,clicks,impressions\nA,2,30.25,10,1,4\n\"B, new\",1,8,4,0,1\nA,0,0,1,0,2\n");
        let csv = to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps);
        let back = ok(&csv);
        assert_eq!(back.shape, DataShape::Aggregated);
        assert_eq!(back.variants, e.variants);
    }

    #[test]
    fn delimiter_detection_ignores_quoted_separators() {
        assert_eq!(detect_delimiter("\"a;b\",c,d"), b',');
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("a|b|c"), b'|');
        assert_eq!(detect_delimiter("a\tb"), b'\t');
    }

    #[test]
    fn a_header_from_the_first_bytes_refuses_binary_and_reads_utf16() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(
            header_of_bytes(png),
            Err(IngestError::NotText { kind: "an image" })
        ));
        assert!(matches!(
            header_of_bytes(b"a,b\n\0\x01\x02"),
            Err(IngestError::NotText {
                kind: "binary data"
            })
        ));
        let utf16: Vec<u8> = "\u{feff}days,churned\n1,0\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            header_of_bytes(&utf16).ok(),
            Some(vec!["days".to_string(), "churned".to_string()])
        );
        // Cut inside "é": the header is still read.
        let cut = "café,b\n1,\u{e9}".as_bytes();
        let cut = cut.get(..cut.len() - 1).unwrap_or_default();
        assert_eq!(
            header_of_bytes(cut).ok(),
            Some(vec!["café".to_string(), "b".to_string()])
        );
    }
}

//! Reading an experiment file in chunks of any size, reducing every row to
//! per-variant sums as it arrives, so memory stays bounded however large the
//! file is.

use super::accumulate::{add_count, add_sum, add_u64, Accumulator};
use super::caps::{AppliedCap, Bounds, Tail, REVENUE_KEY};
use super::columns::{ColumnMapping, ColumnRole, Columns};
use super::decode::Decoder;
use super::metric_columns::MetricTracker;
use super::numbers::{Cell, NumberStyle};
use super::{detect_delimiter, DataShape, Experiment, IngestError};

/// How many rejected rows are kept with their reasons; the rest are counted.
pub const MAX_PROBLEMS: usize = 20;

/// More distinct values than this in the variant column means the wrong
/// column was taken for the variant (a user id, say).
pub const MAX_VARIANTS: usize = 200;

/// Above this many variants the column must be confirmed as the variant
/// (chosen in the column mapping) before it is analysed.
pub const ASK_VARIANTS: usize = 20;

/// The header line is looked for within this many bytes.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// A streaming reader: feed it the file in chunks, then call [`finish`].
///
/// Aggregated files are strict (a bad cell stops the load, since a variant's
/// totals would be wrong). Row-level files skip a bad row, count it and keep
/// the first [`MAX_PROBLEMS`] reasons: one typo in a million users should not
/// block the analysis, but the user is told.
///
/// [`finish`]: ExperimentReader::finish
pub struct ExperimentReader {
    mapping: ColumnMapping,
    caps: Vec<AppliedCap>,
    decoder: Decoder,
    /// Text before the header line is complete.
    head: Vec<u8>,
    parser: Option<Parser>,
    bytes: u64,
    failed: Option<IngestError>,
}

impl std::fmt::Debug for ExperimentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExperimentReader")
            .field("bytes", &self.bytes)
            .finish()
    }
}

struct Parser {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// The current record's cells, trimmed: byte ranges in `out`.
    cells: Vec<(usize, usize)>,
    style: NumberStyle,
    mapping: ColumnMapping,
    caps: Vec<AppliedCap>,
    table: Option<Table>,
}

/// Everything known once the header row has been read.
struct Table {
    cols: Columns,
    shape: DataShape,
    variant_col: usize,
    has_converted: bool,
    /// Row-level files: whether users get a conversion (a `converted` or
    /// `revenue` column); a file of other metrics has none.
    counts_conversions: bool,
    metrics: MetricTracker,
    /// Row-level: the bounds of the revenue column's values.
    revenue_bounds: Bounds,
    /// Row-level: the caps applied; aggregated: the caps its `X_cap` and
    /// `X_floor` columns say were applied, once a row is read.
    caps: Vec<AppliedCap>,
    /// Aggregated: each cap column's metric key, tail and file index.
    cap_cols: Vec<(String, Tail, usize)>,
    acc: Accumulator,
    rows: usize,
    skipped: usize,
    problems: Vec<IngestError>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("shape", &self.shape)
            .field("rows", &self.rows)
            .field("skipped", &self.skipped)
            .finish()
    }
}

impl ExperimentReader {
    /// A reader that applies the user's column mapping on top of the
    /// headers it recognises by itself.
    pub fn new(mapping: ColumnMapping) -> ExperimentReader {
        ExperimentReader {
            mapping,
            caps: Vec::new(),
            decoder: Decoder::new(),
            head: Vec::new(),
            parser: None,
            bytes: 0,
            failed: None,
        }
    }

    /// The same reader, clamping each capped metric's per-user values to
    /// its caps (from [`super::resolve_caps`]) before they are summed.
    pub fn capped(mut self, caps: Vec<AppliedCap>) -> ExperimentReader {
        self.caps = caps;
        self
    }

    /// Bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Data rows read so far, used and skipped.
    pub fn rows(&self) -> usize {
        self.parser
            .as_ref()
            .and_then(|p| p.table.as_ref())
            .map_or(0, |t| t.rows + t.skipped)
    }

    /// Read the next chunk of the file. A chunk may end anywhere, even in
    /// the middle of a quoted field or a UTF-16 character.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), IngestError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        self.bytes += chunk.len() as u64;
        let result = self
            .decoder
            .decode(chunk)
            .and_then(|text| self.take_text(&text, false));
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    /// The per-variant sums of the whole file.
    pub fn finish(mut self) -> Result<Experiment, IngestError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let rest = self.decoder.finish()?;
        self.take_text(&rest, true)?;
        let Some(mut parser) = self.parser else {
            return Err(IngestError::Empty);
        };
        parser.run(&[], true)?;
        let Some(table) = parser.table else {
            return Err(IngestError::Empty);
        };
        // In one row per user, many values are more often an id or a date
        // than arms: ask, unless the column was chosen as the variant. One
        // row per variant, with its users, names each arm on purpose (and
        // is what a confirmed large file is reduced to).
        let chosen = parser.mapping.values().any(|r| *r == ColumnRole::Variant);
        let count = table.acc.variants.len();
        if count > ASK_VARIANTS && !chosen && table.shape == DataShape::RowLevel {
            return Err(IngestError::ManyVariants {
                column: table.cols.name(table.variant_col).to_string(),
                count,
            });
        }
        table.into_experiment()
    }

    fn take_text(&mut self, text: &[u8], last: bool) -> Result<(), IngestError> {
        if let Some(parser) = &mut self.parser {
            return parser.run(text, false);
        }
        self.head.extend_from_slice(text);
        let Some(first_line) = header_line(&self.head, last) else {
            return Ok(());
        };
        let delimiter = detect_delimiter(&String::from_utf8_lossy(first_line));
        let mut parser = Parser::new(delimiter, self.mapping.clone(), self.caps.clone());
        let head = std::mem::take(&mut self.head);
        parser.run(&head, false)?;
        self.parser = Some(parser);
        Ok(())
    }
}

/// The first non-blank line, once it is complete (or the data ends, or it
/// grows too long to be a header).
pub(crate) fn header_line(head: &[u8], last: bool) -> Option<&[u8]> {
    let mut rest = head;
    loop {
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                let (line, after) = rest.split_at(i);
                if !line.iter().all(u8::is_ascii_whitespace) {
                    return Some(line);
                }
                rest = after.get(1..).unwrap_or_default();
            }
            None if last || head.len() >= MAX_HEADER_BYTES => {
                return (!rest.iter().all(u8::is_ascii_whitespace)).then_some(rest);
            }
            None => return None,
        }
    }
}

impl Parser {
    fn new(delimiter: u8, mapping: ColumnMapping, caps: Vec<AppliedCap>) -> Parser {
        Parser {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            nout: 0,
            nend: 0,
            cells: Vec::new(),
            style: NumberStyle {
                decimal_comma: delimiter == b';',
            },
            mapping,
            caps,
            table: None,
        }
    }

    /// Parse every complete record in `input`; with `last`, also the final
    /// record that has no line end.
    fn run(&mut self, input: &[u8], last: bool) -> Result<(), IngestError> {
        let mut pos = 0;
        loop {
            let rest = input.get(pos..).unwrap_or_default();
            if rest.is_empty() && !last {
                return Ok(());
            }
            let out = self.out.get_mut(self.nout..).unwrap_or_default();
            let ends = self.ends.get_mut(self.nend..).unwrap_or_default();
            let (result, nin, nout, nend) = self.core.read_record(rest, out, ends);
            pos += nin;
            self.nout += nout;
            self.nend += nend;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {
                    if rest.is_empty() {
                        return Ok(());
                    }
                }
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    // The record's first line: the reader's line count, less
                    // the line end it just consumed and any line breaks
                    // inside quoted fields.
                    let consumed_newline = nin > 0 && rest.get(nin - 1) == Some(&b'\n');
                    let text = self.out.get(..self.nout).unwrap_or_default();
                    let inner = text.iter().filter(|&&b| b == b'\n').count() as u64;
                    let line = self
                        .core
                        .line()
                        .saturating_sub(u64::from(consumed_newline) + inner);
                    let result = self.record(line);
                    self.nout = 0;
                    self.nend = 0;
                    result?;
                }
                csv_core::ReadRecordResult::End => return Ok(()),
            }
        }
    }

    fn record(&mut self, line: u64) -> Result<(), IngestError> {
        let bytes = self.out.get(..self.nout).unwrap_or_default();
        let ends = self.ends.get(..self.nend).unwrap_or_default();
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.valid_up_to();
                let column = ends.iter().position(|&end| at < end).unwrap_or(0);
                let problem = |headers: &[String]| IngestError::NotUtf8 {
                    line,
                    column: headers
                        .get(column)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", column + 1)),
                };
                return match &mut self.table {
                    Some(t) if t.shape == DataShape::RowLevel => {
                        let p = problem(&t.cols.headers);
                        t.skip(p);
                        Ok(())
                    }
                    Some(t) => Err(problem(&t.cols.headers)),
                    None => Err(problem(&[])),
                };
            }
        };
        // Each cell trimmed once: its cells are looked at several times.
        self.cells.clear();
        let mut start = 0;
        for &end in ends {
            let cell = trim_cell(text.get(start..end).unwrap_or(""));
            let at = cell.as_ptr() as usize - text.as_ptr() as usize;
            self.cells.push((at, at + cell.len()));
            start = end;
        }
        let cells = &self.cells;
        let field = |i: usize| -> &str {
            cells
                .get(i)
                .and_then(|&(a, b)| text.get(a..b))
                .unwrap_or("")
        };
        let count = ends.len();
        if cells.iter().all(|(a, b)| a == b) {
            return Ok(());
        }
        match &mut self.table {
            None => {
                let headers: Vec<String> = (0..count).map(|i| field(i).to_string()).collect();
                self.table = Some(Table::new(headers, &self.mapping, &self.caps)?);
                Ok(())
            }
            Some(table) => table.row(&field, count, line, self.style),
        }
    }
}

/// A cell without its surrounding white space. Most cells start and end
/// with a visible ASCII character and need no look at every character
/// (which, for Unicode's white space, costs a large file's reading a
/// tenth of its time in the page).
fn trim_cell(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// One row's values, checked before anything is added, so a rejected row
/// leaves the totals untouched.
#[derive(Default)]
struct RowValues {
    users: u64,
    converted: Option<bool>,
    conversions: Option<u64>,
    orders: Option<u64>,
    clicks: Option<u64>,
    impressions: Option<u64>,
    revenue: Option<f64>,
    revenue_sq: Option<f64>,
    orders_sq: Option<f64>,
    revenue_x_orders: Option<f64>,
    pre_revenue: Option<f64>,
    pre_revenue_sq: Option<f64>,
    revenue_x_pre: Option<f64>,
}

impl Table {
    fn new(
        headers: Vec<String>,
        mapping: &ColumnMapping,
        caps: &[AppliedCap],
    ) -> Result<Table, IngestError> {
        let mut cols = Columns::find(&headers, mapping);
        // Per-user flags mean nothing in an aggregated file: a header spelt
        // like one (`conversion`) is a metric's sum there, unless the user
        // chose the role.
        if cols.get(ColumnRole::Users).is_some() {
            cols.index.retain(|&(role, i)| {
                role != ColumnRole::Converted
                    || headers.get(i).and_then(|h| mapping.get(h)) == Some(&role)
            });
        }
        let variant_col =
            cols.get(ColumnRole::Variant)
                .ok_or_else(|| IngestError::MissingVariantColumn {
                    found: cols.found_list(),
                })?;
        let has_converted = cols.get(ColumnRole::Converted).is_some();
        let counts_conversions = has_converted || cols.get(ColumnRole::Revenue).is_some();
        let aggregated = cols.get(ColumnRole::Users).is_some();
        let mut metrics = MetricTracker::new(&cols.headers, &cols.free(mapping), aggregated);
        let revenue = cols
            .get(ColumnRole::Revenue)
            .map(|i| cols.name(i).to_string());
        let key = |header: &str| match &revenue {
            Some(r) if r == header => REVENUE_KEY.to_string(),
            _ => header.to_string(),
        };
        // A cap on the revenue column by its header is revenue's.
        let caps: Vec<AppliedCap> = caps
            .iter()
            .map(|c| AppliedCap {
                metric: key(&c.metric),
                ..c.clone()
            })
            .collect();
        let mut cap_cols = Vec::new();
        let mut applied = Vec::new();
        if aggregated {
            for (i, h) in cols.headers.iter().enumerate() {
                for tail in [Tail::Upper, Tail::Lower] {
                    if let Some(base) = h.strip_suffix(tail.suffix()) {
                        if cols.headers.iter().any(|b| b == base) {
                            cap_cols.push((key(base), tail, i));
                        }
                    }
                }
            }
        } else {
            metrics.cap(&caps);
            applied = caps
                .iter()
                .filter(|c| {
                    (c.metric == REVENUE_KEY && revenue.is_some()) || metrics.has(&c.metric)
                })
                .cloned()
                .collect();
        }
        let shape = if aggregated {
            DataShape::Aggregated
        } else if counts_conversions || !metrics.is_empty() {
            DataShape::RowLevel
        } else {
            return Err(IngestError::UnknownShape {
                found: cols.found_list(),
            });
        };
        Ok(Table {
            cols,
            shape,
            variant_col,
            has_converted,
            counts_conversions,
            metrics,
            revenue_bounds: if aggregated {
                Bounds::default()
            } else {
                Bounds::of(&caps, REVENUE_KEY)
            },
            caps: applied,
            cap_cols,
            acc: Accumulator::default(),
            rows: 0,
            skipped: 0,
            problems: Vec::new(),
        })
    }

    fn skip(&mut self, problem: IngestError) {
        self.skipped += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }

    fn row<'a>(
        &mut self,
        field: &dyn Fn(usize) -> &'a str,
        count: usize,
        line: u64,
        style: NumberStyle,
    ) -> Result<(), IngestError> {
        let strict = self.shape == DataShape::Aggregated;
        let values = if count != self.cols.headers.len() {
            Err(IngestError::RaggedRow {
                line,
                found: count,
                expected: self.cols.headers.len(),
            })
        } else if field(self.variant_col).is_empty() {
            Err(IngestError::EmptyVariant { line })
        } else {
            self.values(field, line, style)
        };
        let values = match values {
            Ok(v) => v,
            Err(e) if strict => return Err(e),
            Err(e) => {
                self.skip(e);
                return Ok(());
            }
        };
        let name = field(self.variant_col);
        if self.acc.variants.len() >= MAX_VARIANTS
            && !self.acc.variants.iter().any(|v| v.name == name)
        {
            return Err(IngestError::TooManyVariants {
                column: self.cols.name(self.variant_col).to_string(),
                limit: MAX_VARIANTS,
            });
        }
        self.rows += 1;
        if self.caps.is_empty() {
            for (key, tail, i) in &self.cap_cols {
                let cell = Cell {
                    line,
                    column: self.cols.name(*i),
                    raw: field(*i),
                };
                self.caps.push(AppliedCap {
                    metric: key.clone(),
                    tail: *tail,
                    value: cell.number(style)?,
                    beyond: 0,
                });
            }
        }
        self.metrics.read(field, style);
        let v = self.acc.entry(name);
        self.metrics.add(v);
        v.users = add_u64(v.users, values.users, "users")?;
        for (slot, value, column) in [
            (&mut v.conversions, values.conversions, "conversions"),
            (&mut v.orders, values.orders, "orders"),
            (&mut v.clicks, values.clicks, "clicks"),
            (&mut v.impressions, values.impressions, "impressions"),
        ] {
            if let Some(x) = value {
                add_count(slot, x, column)?;
            }
        }
        for (slot, value) in [
            (&mut v.revenue, values.revenue),
            (&mut v.revenue_sq, values.revenue_sq),
            (&mut v.orders_sq, values.orders_sq),
            (&mut v.revenue_x_orders, values.revenue_x_orders),
            (&mut v.pre_revenue, values.pre_revenue),
            (&mut v.pre_revenue_sq, values.pre_revenue_sq),
            (&mut v.revenue_x_pre, values.revenue_x_pre),
        ] {
            if let Some(x) = value {
                add_sum(slot, x);
            }
        }
        Ok(())
    }

    /// Read and check every recognised cell of one row.
    fn values<'a>(
        &self,
        field: &dyn Fn(usize) -> &'a str,
        line: u64,
        style: NumberStyle,
    ) -> Result<RowValues, IngestError> {
        let mut r = RowValues::default();
        let cell = |i: usize| Cell {
            line,
            column: self.cols.name(i),
            raw: field(i),
        };
        match self.shape {
            DataShape::Aggregated => {
                for &(role, i) in &self.cols.index {
                    let c = cell(i);
                    match role {
                        ColumnRole::Users => r.users = c.count(style)?,
                        ColumnRole::Conversions => r.conversions = Some(c.count(style)?),
                        ColumnRole::Orders => r.orders = Some(c.count(style)?),
                        ColumnRole::Clicks => r.clicks = Some(c.count(style)?),
                        ColumnRole::Impressions => r.impressions = Some(c.count(style)?),
                        ColumnRole::Revenue => r.revenue = Some(c.number(style)?),
                        ColumnRole::RevenueSq => r.revenue_sq = Some(c.number(style)?),
                        ColumnRole::OrdersSq => r.orders_sq = Some(c.number(style)?),
                        ColumnRole::RevenueXOrders => r.revenue_x_orders = Some(c.number(style)?),
                        ColumnRole::PreRevenue => r.pre_revenue = Some(c.number(style)?),
                        ColumnRole::PreRevenueSq => r.pre_revenue_sq = Some(c.number(style)?),
                        ColumnRole::RevenueXPre => r.revenue_x_pre = Some(c.number(style)?),
                        ColumnRole::Variant
                        | ColumnRole::Segment
                        | ColumnRole::Converted
                        | ColumnRole::UserId
                        | ColumnRole::Metric
                        | ColumnRole::Ignore => {}
                    }
                }
            }
            DataShape::RowLevel => {
                r.users = 1;
                // One user's values; an empty cell counts as 0.
                let mut revenue = None;
                let mut orders = None;
                let mut pre = None;
                for &(role, i) in &self.cols.index {
                    let c = cell(i);
                    let blank = c.raw.is_empty();
                    let number = || if blank { Ok(0.0) } else { c.number(style) };
                    let count = || if blank { Ok(0) } else { c.count(style) };
                    match role {
                        ColumnRole::Converted => r.converted = Some(c.flag()?),
                        ColumnRole::Orders => orders = Some(count()?),
                        ColumnRole::Revenue => revenue = Some(number()?),
                        ColumnRole::PreRevenue => pre = Some(number()?),
                        ColumnRole::Clicks => r.clicks = Some(count()?),
                        ColumnRole::Impressions => r.impressions = Some(count()?),
                        _ => {}
                    }
                }
                r.orders = orders;
                // Whether the user bought is told from the value before capping.
                let bought = revenue.is_some_and(|x| x > 0.0);
                let revenue = revenue.map(|x| self.revenue_bounds.clamp(x));
                if let Some(rev) = revenue {
                    r.revenue = Some(rev);
                    r.revenue_sq = Some(rev * rev);
                    if let Some(o) = orders {
                        let o = o as f64;
                        r.orders_sq = Some(o * o);
                        r.revenue_x_orders = Some(rev * o);
                    }
                    if let Some(p) = pre {
                        r.pre_revenue = Some(p);
                        r.pre_revenue_sq = Some(p * p);
                        r.revenue_x_pre = Some(rev * p);
                    }
                }
                // A user with revenue but no `converted` column counts as converted.
                r.conversions = self.counts_conversions.then(|| {
                    u64::from(if self.has_converted {
                        r.converted.unwrap_or(false)
                    } else {
                        bought
                    })
                });
            }
        }
        Ok(r)
    }

    fn into_experiment(mut self) -> Result<Experiment, IngestError> {
        if self.rows == 0 {
            return Err(match self.problems.into_iter().next() {
                Some(first) => IngestError::NoUsableRows {
                    skipped: self.skipped,
                    first: Box::new(first),
                },
                None => IngestError::HeaderOnly,
            });
        }
        for v in &self.acc.variants {
            if v.users == 0 {
                return Err(IngestError::ZeroUsers {
                    variant: v.name.clone(),
                });
            }
            if let Some(c) = v.conversions {
                if c > v.users {
                    return Err(IngestError::ConversionsExceedUsers {
                        variant: v.name.clone(),
                        conversions: c,
                        users: v.users,
                    });
                }
            }
        }
        if let [only] = self.acc.variants.as_slice() {
            return Err(IngestError::SingleVariant {
                variant: only.name.clone(),
            });
        }
        let metric_columns = self.metrics.finish(self.rows, &mut self.acc.variants);
        if self.shape == DataShape::RowLevel
            && !self.counts_conversions
            && metric_columns.is_empty()
        {
            return Err(IngestError::NoMetricColumn {
                found: self.cols.found_list(),
            });
        }
        Ok(Experiment {
            shape: self.shape,
            variants: self.acc.variants,
            rows: self.rows,
            skipped: self.skipped,
            problems: self.problems,
            metric_columns,
            variant_column: self.cols.headers.get(self.variant_col).cloned(),
            caps: self.caps,
        })
    }
}

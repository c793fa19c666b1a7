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
}

/// A parsed experiment: the variants in the order they first appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub shape: DataShape,
    pub variants: Vec<VariantStats>,
    /// Number of data rows read (not counting the header or blank lines).
    pub rows: usize,
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
    #[error("Line {line}, column '{column}': \"{value}\" is not a number.")]
    NotANumber {
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
    #[error("Line {line}: the file could not be read as CSV ({reason}).")]
    Malformed { line: u64, reason: String },
    #[error("Totals overflow: the numbers in column '{column}' are too large to add up.")]
    Overflow { column: String },
}

/// The column roles the engine knows, with the header spellings that map to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Variant,
    Segment,
    Users,
    Conversions,
    Converted,
    Orders,
    Revenue,
    RevenueSq,
    OrdersSq,
    RevenueXOrders,
    PreRevenue,
    PreRevenueSq,
    RevenueXPre,
    Clicks,
    Impressions,
}

impl Role {
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Variant => &[
                "variant",
                "variation",
                "group",
                "arm",
                "bucket",
                "treatment",
                "experimentgroup",
                "cohort",
            ],
            Role::Segment => &["segment", "dimension"],
            Role::Users => &[
                "users",
                "visitors",
                "sessions",
                "participants",
                "n",
                "count",
                "samplesize",
                "uniqueusers",
                "exposures",
            ],
            Role::Conversions => &[
                "conversions",
                "purchases",
                "purchasers",
                "buyers",
                "convertedusers",
                "successes",
            ],
            Role::Converted => &["converted", "conversion", "purchased", "isconverted"],
            Role::Orders => &["orders", "transactions", "ordercount"],
            Role::Revenue => &["revenue", "sales", "amount", "value", "gmv", "totalrevenue"],
            Role::RevenueSq => &[
                "revenuesq",
                "revenuesquared",
                "revenuesumsq",
                "sumrevenuesq",
            ],
            Role::OrdersSq => &["orderssq", "orderssquared", "sumorderssq"],
            Role::RevenueXOrders => &["revenuexorders", "revenueorders", "ordersxrevenue"],
            Role::PreRevenue => &[
                "prerevenue",
                "revenuepre",
                "preperiodrevenue",
                "prerevenuesum",
                "covariate",
            ],
            Role::PreRevenueSq => &["prerevenuesq", "prerevenuesquared", "revenuepresq"],
            Role::RevenueXPre => &[
                "revenuexpre",
                "revenueprerevenue",
                "postxpre",
                "prexrevenue",
            ],
            Role::Clicks => &["clicks", "click", "clickcount"],
            Role::Impressions => &["impressions", "views", "impressioncount", "shown"],
        }
    }

    const ALL: [Role; 15] = [
        Role::Variant,
        Role::Segment,
        Role::Users,
        Role::Conversions,
        Role::Converted,
        Role::Orders,
        Role::Revenue,
        Role::RevenueSq,
        Role::OrdersSq,
        Role::RevenueXOrders,
        Role::PreRevenue,
        Role::PreRevenueSq,
        Role::RevenueXPre,
        Role::Clicks,
        Role::Impressions,
    ];
}

/// Lower-case and drop everything but letters and digits, so `Unique Users`,
/// `unique_users` and `UNIQUE-USERS` all match `uniqueusers`.
fn normalise_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How numbers are written in this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NumberStyle {
    decimal_comma: bool,
}

/// Pick the delimiter that splits the header line into the most fields,
/// counting only separators outside double quotes.
fn detect_delimiter(header_line: &str) -> u8 {
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

/// Parse a number the way spreadsheets export it: optional currency symbol or
/// percent sign, thousands separators, and a decimal comma when the file uses
/// `;` as its delimiter (European exports).
fn parse_number(raw: &str, style: NumberStyle) -> Option<f64> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Fast path for plain numbers, which is nearly every cell of a large
    // export: no allocation. A decimal comma file never has a plain "1.5".
    if !style.decimal_comma || !trimmed.contains('.') {
        if let Ok(v) = trimmed.parse::<f64>() {
            return v.is_finite().then_some(v);
        }
    }
    let mut s: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '$' | '€' | '£' | '¥' | '₹' | ' ' | '\u{a0}' | '\'' | '_'))
        .collect();
    if style.decimal_comma {
        s = s.replace('.', "").replace(',', ".");
    } else {
        s = s.replace(',', "");
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

fn parse_bool(raw: &str) -> Option<bool> {
    let t = raw.trim();
    match t {
        "1" => return Some(true),
        "0" | "" => return Some(false),
        _ => {}
    }
    match t.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "t" => Some(true),
        "false" | "no" | "n" | "f" => Some(false),
        _ => None,
    }
}

struct Columns {
    headers: Vec<String>,
    index: Vec<(Role, usize)>,
}

impl Columns {
    fn find(headers: &[String]) -> Columns {
        let mut index = Vec::new();
        for role in Role::ALL {
            let hit = headers.iter().position(|h| {
                let n = normalise_header(h);
                role.synonyms().contains(&n.as_str())
            });
            if let Some(i) = hit {
                // A header can serve only one role; the first role listed wins.
                if !index.iter().any(|&(_, j)| j == i) {
                    index.push((role, i));
                }
            }
        }
        Columns {
            headers: headers.to_vec(),
            index,
        }
    }

    fn get(&self, role: Role) -> Option<usize> {
        self.index.iter().find(|(r, _)| *r == role).map(|&(_, i)| i)
    }

    fn name(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", String::as_str)
    }

    fn found_list(&self) -> String {
        if self.headers.is_empty() {
            "none".to_string()
        } else {
            self.headers.join(", ")
        }
    }
}

/// Accumulates sums per variant in first-seen order.
#[derive(Default)]
struct Accumulator {
    variants: Vec<VariantStats>,
}

impl Accumulator {
    fn entry(&mut self, name: &str) -> &mut VariantStats {
        let pos = self.variants.iter().position(|v| v.name == name);
        let idx = match pos {
            Some(i) => i,
            None => {
                self.variants.push(VariantStats {
                    name: name.to_string(),
                    users: 0,
                    conversions: None,
                    orders: None,
                    revenue: None,
                    revenue_sq: None,
                    orders_sq: None,
                    revenue_x_orders: None,
                    pre_revenue: None,
                    pre_revenue_sq: None,
                    revenue_x_pre: None,
                    clicks: None,
                    impressions: None,
                });
                self.variants.len() - 1
            }
        };
        // `idx` was either found above or is the element just pushed.
        #[allow(clippy::indexing_slicing)]
        &mut self.variants[idx]
    }
}

fn add_count(slot: &mut Option<u64>, v: u64, column: &str) -> Result<(), IngestError> {
    let sum = slot
        .unwrap_or(0)
        .checked_add(v)
        .ok_or_else(|| IngestError::Overflow {
            column: column.to_string(),
        })?;
    *slot = Some(sum);
    Ok(())
}

fn add_sum(slot: &mut Option<f64>, v: f64) {
    *slot = Some(slot.unwrap_or(0.0) + v);
}

struct Cell<'a> {
    line: u64,
    column: &'a str,
    raw: &'a str,
}

impl Cell<'_> {
    fn number(&self, style: NumberStyle) -> Result<f64, IngestError> {
        let v = parse_number(self.raw, style).ok_or_else(|| IngestError::NotANumber {
            line: self.line,
            column: self.column.to_string(),
            value: self.raw.trim().to_string(),
        })?;
        if v < 0.0 {
            return Err(IngestError::Negative {
                line: self.line,
                column: self.column.to_string(),
                value: self.raw.trim().to_string(),
            });
        }
        Ok(v)
    }

    fn count(&self, style: NumberStyle) -> Result<u64, IngestError> {
        let v = self.number(style)?;
        if v.fract() != 0.0 || v > 9.0e15 {
            return Err(IngestError::NotWhole {
                line: self.line,
                column: self.column.to_string(),
                value: self.raw.trim().to_string(),
            });
        }
        Ok(v as u64)
    }

    fn flag(&self) -> Result<bool, IngestError> {
        parse_bool(self.raw).ok_or_else(|| IngestError::NotABoolean {
            line: self.line,
            column: self.column.to_string(),
            value: self.raw.trim().to_string(),
        })
    }
}

/// Parse CSV/TSV text into per-variant sufficient statistics.
///
/// Accepts a UTF-8 byte-order mark, `,` `;` tab or `|` delimiters (detected
/// from the header), quoted fields, CRLF line ends, blank lines, thousands
/// separators, and decimal commas in `;`-separated files.
pub fn parse_experiment(text: &str) -> Result<Experiment, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(IngestError::Empty)?;
    let delimiter = detect_delimiter(first_line);
    let style = NumberStyle {
        decimal_comma: delimiter == b';',
    };

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .has_headers(true)
        .from_reader(text.as_bytes());

    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    let cols = Columns::find(&headers);
    let variant_col = cols
        .get(Role::Variant)
        .ok_or_else(|| IngestError::MissingVariantColumn {
            found: cols.found_list(),
        })?;
    let shape = if cols.get(Role::Users).is_some() {
        DataShape::Aggregated
    } else if cols.get(Role::Converted).is_some() || cols.get(Role::Revenue).is_some() {
        DataShape::RowLevel
    } else {
        return Err(IngestError::UnknownShape {
            found: cols.found_list(),
        });
    };

    let mut acc = Accumulator::default();
    let mut rows = 0usize;
    // One record reused for every row: no allocation per row.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(malformed(&e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(IngestError::RaggedRow {
                line,
                found: record.len(),
                expected: headers.len(),
            });
        }
        rows += 1;
        let cell = |i: usize| Cell {
            line,
            column: cols.headers.get(i).map_or("", String::as_str),
            raw: record.get(i).unwrap_or(""),
        };
        let name = cell(variant_col).raw.trim();
        if name.is_empty() {
            return Err(IngestError::EmptyVariant { line });
        }
        let v = acc.entry(name);
        match shape {
            DataShape::Aggregated => {
                for &(role, i) in &cols.index {
                    let c = cell(i);
                    let col = cols.name(i);
                    match role {
                        Role::Users => v.users = add_u64(v.users, c.count(style)?, col)?,
                        Role::Conversions => add_count(&mut v.conversions, c.count(style)?, col)?,
                        Role::Orders => add_count(&mut v.orders, c.count(style)?, col)?,
                        Role::Revenue => add_sum(&mut v.revenue, c.number(style)?),
                        Role::RevenueSq => add_sum(&mut v.revenue_sq, c.number(style)?),
                        Role::OrdersSq => add_sum(&mut v.orders_sq, c.number(style)?),
                        Role::RevenueXOrders => add_sum(&mut v.revenue_x_orders, c.number(style)?),
                        Role::PreRevenue => add_sum(&mut v.pre_revenue, c.number(style)?),
                        Role::PreRevenueSq => add_sum(&mut v.pre_revenue_sq, c.number(style)?),
                        Role::RevenueXPre => add_sum(&mut v.revenue_x_pre, c.number(style)?),
                        Role::Clicks => add_count(&mut v.clicks, c.count(style)?, col)?,
                        Role::Impressions => add_count(&mut v.impressions, c.count(style)?, col)?,
                        Role::Variant | Role::Segment | Role::Converted => {}
                    }
                }
            }
            DataShape::RowLevel => {
                v.users = add_u64(v.users, 1, "users")?;
                // One user's values; an empty cell counts as 0.
                let mut revenue = None;
                let mut orders = None;
                let mut pre = None;
                for &(role, i) in &cols.index {
                    let c = cell(i);
                    let col = cols.name(i);
                    let blank = c.raw.trim().is_empty();
                    let number = || if blank { Ok(0.0) } else { c.number(style) };
                    let count = || if blank { Ok(0) } else { c.count(style) };
                    match role {
                        Role::Converted => {
                            add_count(&mut v.conversions, u64::from(c.flag()?), col)?
                        }
                        Role::Orders => {
                            let o = count()?;
                            orders = Some(o as f64);
                            add_count(&mut v.orders, o, col)?;
                        }
                        Role::Revenue => revenue = Some(number()?),
                        Role::PreRevenue => pre = Some(number()?),
                        Role::Clicks => add_count(&mut v.clicks, count()?, col)?,
                        Role::Impressions => add_count(&mut v.impressions, count()?, col)?,
                        _ => {}
                    }
                }
                if let Some(r) = revenue {
                    add_sum(&mut v.revenue, r);
                    add_sum(&mut v.revenue_sq, r * r);
                    if let Some(o) = orders {
                        add_sum(&mut v.orders_sq, o * o);
                        add_sum(&mut v.revenue_x_orders, r * o);
                    }
                    if let Some(p) = pre {
                        add_sum(&mut v.pre_revenue, p);
                        add_sum(&mut v.pre_revenue_sq, p * p);
                        add_sum(&mut v.revenue_x_pre, r * p);
                    }
                }
                // A user with revenue but no `converted` column counts as converted.
                if cols.get(Role::Converted).is_none() {
                    let bought = revenue.is_some_and(|r| r > 0.0);
                    add_count(&mut v.conversions, u64::from(bought), "revenue")?;
                }
            }
        }
    }
    if rows == 0 {
        return Err(IngestError::HeaderOnly);
    }
    for v in &acc.variants {
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
    if let [only] = acc.variants.as_slice() {
        return Err(IngestError::SingleVariant {
            variant: only.name.clone(),
        });
    }
    Ok(Experiment {
        shape,
        variants: acc.variants,
        rows,
    })
}

/// Write sufficient statistics back as an aggregated CSV with canonical
/// headers: one row per variant, a column per statistic any variant has.
/// Row-level data shared this way carries only sums, never a user's row.
pub fn to_aggregated_csv(variants: &[VariantStats]) -> String {
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
    let mut out = String::from("variant,users");
    for (name, _) in &present {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
    for v in variants {
        out.push_str(&quote(&v.name));
        out.push_str(&format!(",{}", v.users));
        for (_, get) in &present {
            // `{}` on f64 prints the shortest text that reads back exactly.
            out.push_str(&format!(",{}", get(v).unwrap_or(0.0)));
        }
        out.push('\n');
    }
    out
}

fn add_u64(a: u64, b: u64, column: &str) -> Result<u64, IngestError> {
    a.checked_add(b).ok_or_else(|| IngestError::Overflow {
        column: column.to_string(),
    })
}

fn malformed(e: &csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line());
    let reason = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "it contains characters that are not text".to_string(),
        _ => e.to_string(),
    };
    IngestError::Malformed { line, reason }
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
            parse_experiment("variant,foo\nA,1\n"),
            Err(IngestError::UnknownShape { .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users\nA,-5\nB,3\n"),
            Err(IngestError::Negative { line: 2, .. })
        ));
        assert!(matches!(
            parse_experiment("variant,users\nA,1.5\nB,3\n"),
            Err(IngestError::NotWhole { .. })
        ));
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
            Err(IngestError::NotABoolean { .. })
        ));
    }

    #[test]
    fn aggregated_csv_round_trips() {
        let e = ok("variant,orders,revenue,pre_revenue,clicks,impressions\nA,2,30.25,10,1,4\n\"B, new\",1,8,4,0,1\nA,0,0,1,0,2\n");
        let csv = to_aggregated_csv(&e.variants);
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
}

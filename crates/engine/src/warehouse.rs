//! SQL that reduces an experiment table in a warehouse to the aggregated CSV
//! the app reads, so millions of rows never need to be exported.
//!
//! # The table it expects
//!
//! An events (or orders) table with **one row per exposure or order event**:
//!
//! | column      | meaning                                                          |
//! |-------------|------------------------------------------------------------------|
//! | user id     | who; rows where it is NULL are ignored                           |
//! | variant     | the arm the user was exposed to                                  |
//! | revenue     | optional; the amount on an order row, NULL on exposure rows      |
//! | order id    | optional; set on order rows, NULL elsewhere; the rows of one order (line items) count once |
//! | is-order    | instead of an order id: a 0/1 or boolean flag, 1 on each order row |
//! | pre-revenue | optional; the user's revenue *before* the experiment, repeated on their rows (or on one row, NULL elsewhere) |
//! | timestamp   | optional; when the event happened, to keep only the experiment's days |
//! | metrics     | optional, any number: a number summed per user (visits, minutes), or a flag (boolean or 0/1) that is 1 for a user when any of their rows is true |
//! | segment     | optional; a per-user value (channel, country) to report each segment on its own |
//!
//! A user who saw the test and bought nothing still has an exposure row with
//! NULL revenue, so every exposed user is counted.
//!
//! # The reduction
//!
//! First per user *u* (grouped by user id and variant):
//! `revenue_u = Σ revenue` (NULL counts as 0), `orders_u = number of distinct
//! order ids` (or `Σ is-order`), `pre_u = MAX(pre-revenue)` (a per-user
//! value, so repeats must not add up; NULL counts as 0) and
//! `converted_u = 1 if orders_u > 0` (or, without an orders column,
//! `revenue_u > 0`, as the app's own row-level reading does).
//!
//! Users seen in more than one variant are left out: their outcome cannot be
//! credited to either arm, and keeping them in both would count them twice.
//!
//! Then per variant: `users = count(u)`, `conversions = Σ converted_u`,
//! `orders = Σ orders_u`, `revenue = Σ revenue_u`, `revenue_sq = Σ revenue_u²`,
//! `orders_sq = Σ orders_u²`, `revenue_x_orders = Σ revenue_u·orders_u`,
//! `pre_revenue = Σ pre_u`, `pre_revenue_sq = Σ pre_u²`,
//! `revenue_x_pre = Σ revenue_u·pre_u`; for each further metric *X*
//! (`X_u = Σ X` per user, or for a flag `X_u = 1` if any row is true):
//! `X = Σ X_u`, `X_sq = Σ X_u²` (not for flags, where it equals `X`) and,
//! for each later metric *Y*, `X_x_Y = Σ X_u·Y_u` (the delta method of a
//! ratio needs it) — the columns, named exactly as
//! [`crate::ingest::to_aggregated_csv`] writes them, that the app reads back.
//! `conversions` is written only with revenue or orders.
//!
//! With caps ([`WarehouseQuery::caps`], as the app's `cap:` and `floor:`
//! lines), each cap's value is taken over the users kept (in one variant)
//! of all variants and segments: an amount, or `PERCENTILE_CONT` of their
//! per-user values (exact, linear interpolation, as the app takes it;
//! zeros left out as NULLs when asked), and every per-user value is
//! clamped to it, a floor first, before the sums; whether a user bought is
//! told from revenue before capping. Each cap's value is written as
//! `X_cap` (`X_floor`) on every row, as the app writes it, so the result
//! reads back as capped.
//!
//! With a segment column the per-user segment is `MAX(segment)` (as text;
//! a user without one gets an empty segment) and the
//! result has one row per segment and variant, the segment first, under its
//! own name: the app sums the segments for the whole experiment and can
//! split the file by that column again.
//! Squares and products are computed in double precision so they cannot
//! overflow an integer type.
//!
//! Identifiers are always quoted (a column called `user` or `order` is a
//! keyword otherwise), each part of a dotted name separately. Names holding
//! the dialect's quote character or a control character are refused rather
//! than escaped: escaping rules differ between warehouses and a mistake here
//! would be an injection.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ingest::{CapAt, CapSpec, Tail, MAX_CROSS_COLUMNS, MAX_METRIC_COLUMNS};
use crate::value::transactions::{civil_from_days, parse_date};

/// The SQL flavours the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    #[default]
    #[serde(rename = "bigquery")]
    BigQuery,
    Snowflake,
    /// Spark SQL, as in Databricks.
    SparkSql,
    #[serde(rename = "postgresql")]
    PostgreSql,
    #[serde(rename = "duckdb")]
    DuckDb,
}

impl Dialect {
    /// Every dialect, in the order a picker lists them.
    pub const ALL: [Dialect; 5] = [
        Dialect::BigQuery,
        Dialect::Snowflake,
        Dialect::SparkSql,
        Dialect::PostgreSql,
        Dialect::DuckDb,
    ];

    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::BigQuery => "BigQuery",
            Dialect::Snowflake => "Snowflake",
            Dialect::SparkSql => "Spark SQL / Databricks",
            Dialect::PostgreSql => "PostgreSQL",
            Dialect::DuckDb => "DuckDB",
        }
    }

    /// The stable identifier, as serialised (`bigquery`, `spark_sql`, …).
    pub fn id(self) -> &'static str {
        match self {
            Dialect::BigQuery => "bigquery",
            Dialect::Snowflake => "snowflake",
            Dialect::SparkSql => "spark_sql",
            Dialect::PostgreSql => "postgresql",
            Dialect::DuckDb => "duckdb",
        }
    }

    /// Read an identifier, forgivingly: case, `-`/`_` and common other
    /// names (`databricks`, `postgres`, `bq`) are accepted.
    pub fn from_id(text: &str) -> Option<Dialect> {
        let key: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Some(match key.as_str() {
            "bigquery" | "bq" => Dialect::BigQuery,
            "snowflake" => Dialect::Snowflake,
            "sparksql" | "spark" | "databricks" => Dialect::SparkSql,
            "postgresql" | "postgres" | "pg" => Dialect::PostgreSql,
            "duckdb" | "duck" => Dialect::DuckDb,
            _ => return None,
        })
    }

    /// The exact percentile `p` of `x` over the rows (NULLs left out), by
    /// linear interpolation: SQL's `PERCENTILE_CONT`, numpy's default. An
    /// aggregate everywhere but in BigQuery, where it is a window function.
    fn percentile(self, x: &str, p: f64) -> String {
        match self {
            Dialect::BigQuery => format!("PERCENTILE_CONT({x}, {p}) OVER ()"),
            _ => format!("PERCENTILE_CONT({p}) WITHIN GROUP (ORDER BY {x})"),
        }
    }

    fn quote_char(self) -> char {
        match self {
            Dialect::BigQuery | Dialect::SparkSql => '`',
            Dialect::Snowflake | Dialect::PostgreSql | Dialect::DuckDb => '"',
        }
    }

    /// The 64-bit float type: sums of squares must not overflow integers.
    fn float_type(self) -> &'static str {
        match self {
            Dialect::BigQuery => "FLOAT64",
            Dialect::PostgreSql => "DOUBLE PRECISION",
            Dialect::Snowflake | Dialect::SparkSql | Dialect::DuckDb => "DOUBLE",
        }
    }

    /// Text, which every type casts to: segments are compared as text,
    /// and `MAX` of a boolean does not exist in PostgreSQL.
    fn text_type(self) -> &'static str {
        match self {
            Dialect::BigQuery | Dialect::SparkSql => "STRING",
            Dialect::PostgreSql => "TEXT",
            Dialect::Snowflake | Dialect::DuckDb => "VARCHAR",
        }
    }

    fn int_type(self) -> &'static str {
        match self {
            Dialect::BigQuery => "INT64",
            _ => "INTEGER",
        }
    }

    /// Why `c` cannot appear inside a quoted identifier, if it cannot.
    fn unquotable(self, c: char) -> Option<&'static str> {
        if c == self.quote_char() {
            Some(if c == '`' {
                "a backtick (`)"
            } else {
                "a double quote (\")"
            })
        } else if c.is_control() {
            Some("a control character (a tab, line break or similar)")
        } else if c == '\\' && self == Dialect::BigQuery {
            // BigQuery reads escape sequences inside backticks.
            Some("a backslash (\\)")
        } else {
            None
        }
    }

    /// Quote one part of a name. Snowflake stores unquoted names in upper
    /// case, so a plain name is upper-cased to find the column the user
    /// created without quotes; other dialects keep the case as typed.
    fn quote_part(self, part: &str) -> String {
        let q = self.quote_char();
        let plain = part
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        if self == Dialect::Snowflake && plain {
            format!("{q}{}{q}", part.to_ascii_uppercase())
        } else {
            format!("{q}{part}{q}")
        }
    }
}

/// How the orders column counts orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdersKind {
    /// An order id: distinct non-NULL ids are counted, so an order spread
    /// over several rows (line items) counts once.
    #[default]
    OrderId,
    /// A 0/1 or boolean flag set on each order row; the flags are summed.
    IsOrder,
}

/// How a metric column becomes one number per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// A number, summed over the user's rows.
    #[default]
    Sum,
    /// A boolean or 0/1 flag: 1 when any of the user's rows is true.
    Flag,
}

/// A further metric column of the table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SqlMetric {
    pub column: String,
    pub kind: MetricKind,
}

impl SqlMetric {
    /// `COL` or `COL:flag` (also `:sum`), as the command line takes it.
    pub fn parse(text: &str) -> Option<SqlMetric> {
        let (column, kind) = match text.rsplit_once(':') {
            Some((c, k)) if k.trim().eq_ignore_ascii_case("flag") => (c, MetricKind::Flag),
            Some((c, k)) if k.trim().eq_ignore_ascii_case("sum") => (c, MetricKind::Sum),
            Some(_) => return None,
            None => (text, MetricKind::Sum),
        };
        let column = column.trim();
        (!column.is_empty()).then(|| SqlMetric {
            column: column.to_string(),
            kind,
        })
    }
}

/// What the user told us about their table. Optional columns are `None` or
/// blank when the table has no such column; see the [module docs](self) for
/// the table's assumed shape.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WarehouseQuery {
    /// The table, possibly qualified: `project.dataset.events`.
    pub table: String,
    /// The user id column.
    pub user: String,
    /// The variant column.
    pub variant: String,
    /// The revenue of an order row (NULL on other rows).
    pub revenue: Option<String>,
    /// The order id or is-order column, read as [`WarehouseQuery::orders_kind`] says.
    pub orders: Option<String>,
    pub orders_kind: OrdersKind,
    /// The user's revenue before the experiment, repeated on their rows.
    pub pre_revenue: Option<String>,
    /// The event time, needed only for `start` / `end`.
    pub timestamp: Option<String>,
    /// First day of the experiment, inclusive (`YYYY-MM-DD`).
    pub start: Option<String>,
    /// Last day of the experiment, inclusive (`YYYY-MM-DD`).
    pub end: Option<String>,
    /// Further metric columns, in the order their sums are written.
    pub metrics: Vec<SqlMetric>,
    /// A per-user segment column: one result row per segment and variant.
    pub segment: Option<String>,
    /// Caps (and floors) on the per-user revenue or a summed metric, named
    /// as its column above: an amount, or a percentile of every kept
    /// user's value over all variants and segments, as the app caps.
    pub caps: Vec<CapSpec>,
}

impl WarehouseQuery {
    /// A filled-in example, the starting point a form shows.
    pub fn example() -> WarehouseQuery {
        WarehouseQuery {
            table: "analytics.experiment_events".into(),
            user: "user_id".into(),
            variant: "variant".into(),
            revenue: Some("revenue".into()),
            orders: Some("order_id".into()),
            ..WarehouseQuery::default()
        }
    }
}

/// Which name an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Table,
    User,
    Variant,
    Revenue,
    Orders,
    PreRevenue,
    Timestamp,
    Metric,
    Segment,
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Field::Table => "table",
            Field::User => "user id column",
            Field::Variant => "variant column",
            Field::Revenue => "revenue column",
            Field::Orders => "orders column",
            Field::PreRevenue => "pre-period revenue column",
            Field::Timestamp => "timestamp column",
            Field::Metric => "metric column",
            Field::Segment => "segment column",
        })
    }
}

/// Why no SQL could be written. Messages are meant for the person filling in
/// the form.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WarehouseError {
    #[error("Enter the table to read, e.g. analytics.experiment_events.")]
    EmptyTable,
    #[error("Enter the name of the {field}.")]
    EmptyColumn { field: Field },
    #[error("The {field} \"{name}\" has an empty part between dots.")]
    EmptyPart { field: Field, name: String },
    #[error("The {field} \"{name}\" contains {what}, which cannot be quoted safely in {dialect}. Use a view or an alias with a plainer name.")]
    Unquotable {
        field: Field,
        name: String,
        what: &'static str,
        dialect: &'static str,
    },
    #[error("Name a revenue column, an orders column or a metric column: without one there is nothing to compare between variants.")]
    NothingToMeasure,
    #[error("Pre-period revenue is only used with a revenue column; name the revenue column too.")]
    PreRevenueWithoutRevenue,
    #[error("\"{value}\" is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01.")]
    BadDate { value: String },
    #[error("A start or end date needs the timestamp column to filter on.")]
    DateWithoutTimestamp,
    #[error("The start date {start} is after the end date {end}.")]
    StartAfterEnd { start: String, end: String },
    #[error("The result would have two columns called \"{name}\"; each metric (and the segment) needs a name of its own.")]
    DuplicateName { name: String },
    #[error("At most {limit} metric columns fit in one query.")]
    TooManyMetrics { limit: usize },
    #[error("\"{column}\" is not the revenue column or a summed metric above, so it cannot be capped (a yes/no flag never is).")]
    CapColumn { column: String },
}

/// A blank optional entry means "no such column".
fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Quote a possibly dotted name part by part, or say why it cannot be.
fn quote_name(dialect: Dialect, field: Field, raw: &str) -> Result<String, WarehouseError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(match field {
            Field::Table => WarehouseError::EmptyTable,
            _ => WarehouseError::EmptyColumn { field },
        });
    }
    // Shown in messages: control characters written as escapes, not raw.
    let shown = || name.escape_debug().to_string();
    let mut parts = Vec::new();
    for part in name.split('.') {
        let part = part.trim();
        if part.is_empty() {
            return Err(WarehouseError::EmptyPart {
                field,
                name: shown(),
            });
        }
        if let Some(what) = part.chars().find_map(|c| dialect.unquotable(c)) {
            return Err(WarehouseError::Unquotable {
                field,
                name: shown(),
                what,
                dialect: dialect.label(),
            });
        }
        parts.push(dialect.quote_part(part));
    }
    Ok(parts.join("."))
}

/// A typed date as ISO `YYYY-MM-DD`, the only text that reaches the SQL.
/// Anything after the day (a time, or stray text) is refused, not ignored.
fn iso_date(value: &str) -> Result<(i64, String), WarehouseError> {
    let value = value.trim();
    let bad = || WarehouseError::BadDate {
        value: value.escape_debug().to_string(),
    };
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
    {
        return Err(bad());
    }
    let day = parse_date(value).ok_or_else(bad)?;
    Ok((day, civil_from_days(day)))
}

/// The SQL that reduces `query`'s table to one row per variant with the
/// app's canonical aggregated columns, in `dialect`. See the
/// [module docs](self) for the table it expects and the formulas.
pub fn warehouse_sql(dialect: Dialect, query: &WarehouseQuery) -> Result<String, WarehouseError> {
    let names = quoted(dialect, query)?;
    let start = given(&query.start).map(iso_date).transpose()?;
    let end = given(&query.end).map(iso_date).transpose()?;
    if let (Some((s, start)), Some((e, end))) = (&start, &end) {
        if s > e {
            return Err(WarehouseError::StartAfterEnd {
                start: start.clone(),
                end: end.clone(),
            });
        }
    }

    // Step 1: one row per user and variant.
    let per_user = per_user_columns(dialect, query, &names);
    let caps = sql_caps(dialect, query)?;
    let Quoted {
        table,
        user,
        variant,
        orders,
        pre,
        timestamp,
        segment,
        ..
    } = names;
    let mut filters = vec![
        format!("{user} IS NOT NULL"),
        format!("{variant} IS NOT NULL"),
    ];
    if start.is_some() || end.is_some() {
        let ts = timestamp.ok_or(WarehouseError::DateWithoutTimestamp)?;
        // Comparing dates, not timestamps, works for DATE, TIMESTAMP and
        // ISO text columns alike, and makes the end day inclusive.
        if let Some((_, day)) = &start {
            filters.push(format!("CAST({ts} AS DATE) >= DATE '{day}'"));
        }
        if let Some((_, day)) = &end {
            filters.push(format!("CAST({ts} AS DATE) <= DATE '{day}'"));
        }
    }

    // Step 2: per variant, the app's canonical columns.
    let per_variant = per_variant_columns(dialect, query, &caps)?;

    let orders_note = match (&orders, query.orders_kind) {
        (None, _) => "",
        (Some(_), OrdersKind::OrderId) => "\n-- Orders are distinct order ids per user.",
        (Some(_), OrdersKind::IsOrder) => "\n-- Orders are the sum of the is-order flag per user.",
    };
    let pre_note = if pre.is_some() {
        "\n-- Pre-period revenue is a per-user value: the largest on the user's rows."
    } else {
        ""
    };
    let (group, segment_note) = if segment.is_some() {
        (
            "uplift_segment, uplift_variant",
            "\n-- One row per segment and variant; a user's segment is the largest value on their rows.",
        )
    } else {
        ("uplift_variant", "")
    };
    let (kept, from) = if caps.is_empty() {
        (String::new(), "flagged\nWHERE uplift_variant_count = 1")
    } else {
        (capped_users(&per_user, &caps, dialect), "capped")
    };
    let caps_note = if caps.is_empty() {
        ""
    } else {
        "\n-- Capped values: each user's value beyond a cap counts as the cap; a\n-- percentile cap is taken over every kept user of all variants."
    };
    Ok(format!(
        "-- Uplift ROI: one row per variant with the sums the calculator needs.
-- Run this in your warehouse ({dialect}), then paste the result into step 1.
-- Users seen in more than one variant are left out: their outcome cannot be
-- credited to either arm.{orders_note}{pre_note}{segment_note}{caps_note}
WITH per_user AS (
  SELECT
    {per_user}
  FROM {table}
  WHERE {filters}
  GROUP BY {user}, {variant}
),
flagged AS (
  SELECT *, COUNT(*) OVER (PARTITION BY uplift_user) AS uplift_variant_count
  FROM per_user
){kept}
SELECT
  {per_variant}
FROM {from}
GROUP BY {group}
ORDER BY {group};
",
        dialect = dialect.label(),
        per_user = per_user.join(",\n    "),
        filters = filters.join("\n    AND "),
        per_variant = per_variant.join(",\n  "),
    ))
}

/// The query's names, each quoted for the dialect.
struct Quoted {
    table: String,
    user: String,
    variant: String,
    revenue: Option<String>,
    orders: Option<String>,
    pre: Option<String>,
    timestamp: Option<String>,
    segment: Option<String>,
    metrics: Vec<String>,
}

/// The query's names quoted, or why the query cannot be written: a name
/// that cannot be quoted safely, nothing to measure, too many metrics, a
/// pre-period without revenue.
fn quoted(dialect: Dialect, query: &WarehouseQuery) -> Result<Quoted, WarehouseError> {
    let table = quote_name(dialect, Field::Table, &query.table)?;
    let user = quote_name(dialect, Field::User, &query.user)?;
    let variant = quote_name(dialect, Field::Variant, &query.variant)?;
    let optional = |s: &Option<String>, field| {
        given(s)
            .map(|name| quote_name(dialect, field, name))
            .transpose()
    };
    let revenue = optional(&query.revenue, Field::Revenue)?;
    let orders = optional(&query.orders, Field::Orders)?;
    let pre = optional(&query.pre_revenue, Field::PreRevenue)?;
    let timestamp = optional(&query.timestamp, Field::Timestamp)?;
    let segment = optional(&query.segment, Field::Segment)?;
    if query.metrics.len() > MAX_METRIC_COLUMNS {
        return Err(WarehouseError::TooManyMetrics {
            limit: MAX_METRIC_COLUMNS,
        });
    }
    let metrics = query
        .metrics
        .iter()
        .map(|m| quote_name(dialect, Field::Metric, &m.column))
        .collect::<Result<Vec<_>, WarehouseError>>()?;
    if revenue.is_none() && orders.is_none() && metrics.is_empty() {
        return Err(WarehouseError::NothingToMeasure);
    }
    // The app pairs the pre-period with revenue only (CUPED), so a lone
    // pre-period column would be silently dropped; say so instead.
    if pre.is_some() && revenue.is_none() {
        return Err(WarehouseError::PreRevenueWithoutRevenue);
    }
    Ok(Quoted {
        table,
        user,
        variant,
        revenue,
        orders,
        pre,
        timestamp,
        segment,
        metrics,
    })
}

/// Step 1 of the reduction: the columns of one row per user and variant.
/// Internal names carry an `uplift_` prefix so they cannot collide with the
/// user's own columns.
fn per_user_columns(dialect: Dialect, query: &WarehouseQuery, names: &Quoted) -> Vec<String> {
    let Quoted {
        user,
        variant,
        revenue,
        orders,
        pre,
        segment,
        metrics,
        ..
    } = names;
    let float = dialect.float_type();
    let to_float = |expr: &str| format!("CAST({expr} AS {float})");

    let mut per_user = vec![
        format!("{user} AS uplift_user"),
        format!("{variant} AS uplift_variant"),
    ];
    if let Some(o) = &orders {
        per_user.push(match query.orders_kind {
            OrdersKind::OrderId => format!("COUNT(DISTINCT {o}) AS uplift_orders"),
            OrdersKind::IsOrder => format!(
                "COALESCE(SUM(CAST({o} AS {})), 0) AS uplift_orders",
                dialect.int_type()
            ),
        });
    }
    if let Some(r) = &revenue {
        per_user.push(format!(
            "COALESCE(SUM({}), 0) AS uplift_revenue",
            to_float(r)
        ));
    }
    if let Some(p) = &pre {
        per_user.push(format!("COALESCE(MAX({}), 0) AS uplift_pre", to_float(p)));
    }
    for (i, (column, m)) in metrics.iter().zip(&query.metrics).enumerate() {
        per_user.push(match m.kind {
            MetricKind::Sum => format!("COALESCE(SUM({}), 0) AS uplift_m{i}", to_float(column)),
            // Through an integer, which every dialect casts booleans and
            // numbers to alike; NULL and false are 0.
            MetricKind::Flag => format!(
                "MAX(CASE WHEN CAST({column} AS {}) <> 0 THEN 1 ELSE 0 END) AS uplift_m{i}",
                dialect.int_type()
            ),
        });
    }
    if let Some(s) = &segment {
        per_user.push(format!(
            "MAX(CAST({s} AS {})) AS uplift_segment",
            dialect.text_type()
        ));
    }
    per_user
}

/// Step 2 of the reduction: per variant (and segment), the app's canonical
/// columns, `expr AS "name"`, in the order the app writes them; an error
/// when two would have the same name.
fn per_variant_columns(
    dialect: Dialect,
    query: &WarehouseQuery,
    caps: &[SqlCap],
) -> Result<Vec<String>, WarehouseError> {
    let q = dialect.quote_char();
    let float = dialect.float_type();
    let to_float = |expr: &str| format!("CAST({expr} AS {float})");
    let orders = given(&query.orders);
    let revenue = given(&query.revenue);
    let pre = given(&query.pre_revenue);
    let out = |expr: String, name: &str| (expr, name.to_string());
    // Whether a user bought is told from revenue before any cap.
    let converted = match (orders.is_some(), caps.is_empty()) {
        (true, _) => "uplift_orders > 0",
        (false, true) => "uplift_revenue > 0",
        (false, false) => "uplift_raw_revenue > 0",
    };
    let mut per_variant = Vec::new();
    let segment_name = given(&query.segment)
        .and_then(|name| name.rsplit('.').next())
        .map(str::trim);
    if let Some(name) = segment_name {
        per_variant.push(out("uplift_segment".into(), name));
    }
    per_variant.push(out("uplift_variant".into(), "variant"));
    per_variant.push(out("COUNT(*)".into(), "users"));
    if orders.is_some() || revenue.is_some() {
        per_variant.push(out(
            format!("SUM(CASE WHEN {converted} THEN 1 ELSE 0 END)"),
            "conversions",
        ));
    }
    if orders.is_some() {
        per_variant.push(out("SUM(uplift_orders)".into(), "orders"));
    }
    if revenue.is_some() {
        per_variant.push(out("SUM(uplift_revenue)".into(), "revenue"));
        per_variant.push(out(
            "SUM(uplift_revenue * uplift_revenue)".into(),
            "revenue_sq",
        ));
        // As in the app's row-level reading, order moments come with revenue.
        if orders.is_some() {
            let o = to_float("uplift_orders");
            per_variant.push(out(format!("SUM({o} * {o})"), "orders_sq"));
            per_variant.push(out(
                format!("SUM(uplift_revenue * {o})"),
                "revenue_x_orders",
            ));
        }
        if pre.is_some() {
            per_variant.push(out("SUM(uplift_pre)".into(), "pre_revenue"));
            per_variant.push(out("SUM(uplift_pre * uplift_pre)".into(), "pre_revenue_sq"));
            per_variant.push(out(
                "SUM(uplift_revenue * uplift_pre)".into(),
                "revenue_x_pre",
            ));
        }
    }

    // Further metrics, in the order and with the names the app writes.
    let names: Vec<&str> = query
        .metrics
        .iter()
        .map(|m| m.column.trim().rsplit('.').next().unwrap_or("").trim())
        .collect();
    let crosses = names.len() <= MAX_CROSS_COLUMNS;
    for (i, (m, name)) in query.metrics.iter().zip(&names).enumerate() {
        let mi = to_float(&format!("uplift_m{i}"));
        per_variant.push(out(format!("SUM(uplift_m{i})"), name));
        if m.kind == MetricKind::Sum {
            per_variant.push(out(format!("SUM({mi} * {mi})"), &format!("{name}_sq")));
        }
        for (j, other) in names.iter().enumerate().skip(i + 1).filter(|_| crosses) {
            let mj = to_float(&format!("uplift_m{j}"));
            per_variant.push(out(
                format!("SUM({mi} * {mj})"),
                &format!("{name}_x_{other}"),
            ));
        }
    }
    // Each cap's value, the same on every row, as the app writes it.
    for (k, cap) in caps.iter().enumerate() {
        per_variant.push(out(format!("MAX(uplift_cap{k})"), &cap.name));
    }
    // Output names must be unique, or the app could not tell them apart.
    let mut seen = std::collections::HashSet::new();
    for (_, name) in &per_variant {
        if !seen.insert(name.to_ascii_lowercase()) {
            return Err(WarehouseError::DuplicateName { name: name.clone() });
        }
    }
    Ok(per_variant
        .iter()
        .map(|(expr, name)| format!("{expr} AS {q}{name}{q}"))
        .collect())
}

/// One cap in the SQL: the per-user column it clamps (`uplift_revenue`,
/// `uplift_m2`), its tail, the expression of its value over the kept users
/// and the name its value is written under (`revenue_cap`).
struct SqlCap {
    column: String,
    tail: Tail,
    value: String,
    name: String,
}

/// The query's caps, each on the revenue column or a summed metric named
/// as in the query; an error names a cap on anything else.
fn sql_caps(dialect: Dialect, query: &WarehouseQuery) -> Result<Vec<SqlCap>, WarehouseError> {
    query
        .caps
        .iter()
        .map(|cap| {
            let wanted = cap.metric.trim();
            let target = if given(&query.revenue) == Some(wanted) {
                Some(("uplift_revenue".to_string(), "revenue".to_string()))
            } else {
                query
                    .metrics
                    .iter()
                    .position(|m| m.column.trim() == wanted && m.kind == MetricKind::Sum)
                    .map(|i| {
                        let name = wanted.rsplit('.').next().unwrap_or("").trim();
                        (format!("uplift_m{i}"), name.to_string())
                    })
            };
            let Some((column, name)) = target else {
                return Err(WarehouseError::CapColumn {
                    column: wanted.to_string(),
                });
            };
            let float = dialect.float_type();
            let value = match cap.at {
                // An aggregate, as the percentiles are, so `uplift_caps` is
                // one row (BigQuery's percentile is a window: LIMIT 1 there).
                CapAt::Value(v) if dialect == Dialect::BigQuery => format!("CAST({v} AS {float})"),
                CapAt::Value(v) => format!("MAX(CAST({v} AS {float}))"),
                CapAt::Percentile(p) => {
                    let x = if cap.ignore_zeros {
                        format!("CASE WHEN {column} <> 0 THEN {column} END")
                    } else {
                        column.clone()
                    };
                    dialect.percentile(&x, p)
                }
            };
            Ok(SqlCap {
                column,
                tail: cap.tail,
                value,
                name: format!("{name}{}", cap.tail.suffix()),
            })
        })
        .collect()
}

/// The CTEs that cap the kept users' values: `kept` (users in one
/// variant), `uplift_caps` (each cap's value, one row) and `capped` (each
/// per-user column, a capped one clamped floor first, as the app does, and
/// revenue before capping, which says whether the user bought).
fn capped_users(per_user: &[String], caps: &[SqlCap], dialect: Dialect) -> String {
    let values: Vec<String> = caps
        .iter()
        .enumerate()
        .map(|(k, cap)| format!("{} AS uplift_cap{k}", cap.value))
        .collect();
    // BigQuery's percentile is a window: the same value on every row.
    let one_row = if dialect == Dialect::BigQuery {
        "\n  LIMIT 1"
    } else {
        ""
    };
    let mut columns = Vec::new();
    for alias in per_user.iter().filter_map(|c| c.rsplit(" AS ").next()) {
        let mut expr = alias.to_string();
        for tail in [Tail::Lower, Tail::Upper] {
            for (k, _) in caps
                .iter()
                .enumerate()
                .filter(|(_, c)| c.column == alias && c.tail == tail)
            {
                let beyond = if tail == Tail::Upper { ">" } else { "<" };
                expr = format!(
                    "CASE WHEN {expr} {beyond} uplift_cap{k} THEN uplift_cap{k} ELSE {expr} END"
                );
            }
        }
        columns.push(format!("{expr} AS {alias}"));
        if alias == "uplift_revenue" {
            columns.push("uplift_revenue AS uplift_raw_revenue".into());
        }
    }
    columns.extend((0..caps.len()).map(|k| format!("uplift_cap{k}")));
    format!(
        ",
kept AS (
  SELECT * FROM flagged WHERE uplift_variant_count = 1
),
uplift_caps AS (
  SELECT
    {values}
  FROM kept{one_row}
),
capped AS (
  SELECT
    {columns}
  FROM kept CROSS JOIN uplift_caps
)",
        values = values.join(",\n    "),
        columns = columns.join(",\n    "),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn query() -> WarehouseQuery {
        WarehouseQuery {
            table: "project.dataset.events".into(),
            user: "user_id".into(),
            variant: "variant".into(),
            revenue: Some("revenue".into()),
            orders: Some("order_id".into()),
            pre_revenue: Some("pre_revenue".into()),
            ..WarehouseQuery::default()
        }
    }

    fn sql(dialect: Dialect, q: &WarehouseQuery) -> String {
        warehouse_sql(dialect, q).unwrap()
    }

    #[test]
    fn dotted_names_are_quoted_part_by_part_in_each_dialect() {
        let cases = [
            (
                Dialect::BigQuery,
                "`project`.`dataset`.`events`",
                "`user_id`",
            ),
            (
                Dialect::SparkSql,
                "`project`.`dataset`.`events`",
                "`user_id`",
            ),
            (
                Dialect::PostgreSql,
                "\"project\".\"dataset\".\"events\"",
                "\"user_id\"",
            ),
            (
                Dialect::DuckDb,
                "\"project\".\"dataset\".\"events\"",
                "\"user_id\"",
            ),
            (
                Dialect::Snowflake,
                "\"PROJECT\".\"DATASET\".\"EVENTS\"",
                "\"USER_ID\"",
            ),
        ];
        for (d, table, user) in cases {
            let s = sql(d, &query());
            assert!(s.contains(&format!("FROM {table}\n")), "{d:?}\n{s}");
            assert!(s.contains(&format!("GROUP BY {user}, ")), "{d:?}\n{s}");
        }
    }

    #[test]
    fn quoting_keeps_case_and_spaces_except_snowflake_plain_names() {
        let q = |d, s| quote_name(d, Field::User, s).unwrap();
        assert_eq!(q(Dialect::PostgreSql, "userId"), "\"userId\"");
        assert_eq!(
            q(Dialect::BigQuery, "my-project.ds.t"),
            "`my-project`.`ds`.`t`"
        );
        assert_eq!(q(Dialect::DuckDb, " order date "), "\"order date\"");
        assert_eq!(q(Dialect::Snowflake, "user_id"), "\"USER_ID\"");
        // Not a plain name: Snowflake keeps it exactly as typed.
        assert_eq!(q(Dialect::Snowflake, "Order Date"), "\"Order Date\"");
        // The other dialect's quote character is harmless inside the quotes.
        assert_eq!(q(Dialect::PostgreSql, "it`s"), "\"it`s\"");
        assert_eq!(q(Dialect::SparkSql, "say \"hi\""), "`say \"hi\"`");
    }

    #[test]
    fn names_that_cannot_be_quoted_safely_are_refused() {
        let bad = [
            (Dialect::BigQuery, "a`b"),
            (Dialect::SparkSql, "a`b"),
            (Dialect::PostgreSql, "a\"b"),
            (Dialect::DuckDb, "a\"b"),
            (Dialect::Snowflake, "x.a\"b"),
            (Dialect::BigQuery, "a\\b"),
            (Dialect::PostgreSql, "a\nb"),
            (Dialect::DuckDb, "a\u{0}b"),
        ];
        for (d, name) in bad {
            let err = quote_name(d, Field::Revenue, name).unwrap_err();
            assert!(
                matches!(
                    err,
                    WarehouseError::Unquotable {
                        field: Field::Revenue,
                        ..
                    }
                ),
                "{d:?} {name:?}: {err:?}"
            );
            // The message names the dialect and never echoes a raw control character.
            let msg = err.to_string();
            assert!(
                msg.contains(d.label()) && !msg.chars().any(char::is_control),
                "{msg}"
            );
        }
        // A backslash is only special in BigQuery.
        assert!(quote_name(Dialect::PostgreSql, Field::User, "a\\b").is_ok());
    }

    #[test]
    fn empty_names_and_parts_are_refused_with_the_field_named() {
        let mut q = query();
        q.table = "  ".into();
        assert_eq!(
            warehouse_sql(Dialect::DuckDb, &q),
            Err(WarehouseError::EmptyTable)
        );
        q.table = "a..b".into();
        assert!(matches!(
            warehouse_sql(Dialect::DuckDb, &q),
            Err(WarehouseError::EmptyPart {
                field: Field::Table,
                ..
            })
        ));
        let mut q = query();
        q.variant = String::new();
        let err = warehouse_sql(Dialect::DuckDb, &q).unwrap_err();
        assert_eq!(
            err,
            WarehouseError::EmptyColumn {
                field: Field::Variant
            }
        );
        assert_eq!(err.to_string(), "Enter the name of the variant column.");
        let mut q = query();
        q.user = "events.".into();
        assert!(matches!(
            warehouse_sql(Dialect::DuckDb, &q),
            Err(WarehouseError::EmptyPart {
                field: Field::User,
                ..
            })
        ));
    }

    #[test]
    fn each_dialect_casts_to_its_own_double_type() {
        for (d, float, int) in [
            (Dialect::BigQuery, "FLOAT64", "INT64"),
            (Dialect::PostgreSql, "DOUBLE PRECISION", "INTEGER"),
            (Dialect::Snowflake, "DOUBLE", "INTEGER"),
            (Dialect::SparkSql, "DOUBLE", "INTEGER"),
            (Dialect::DuckDb, "DOUBLE", "INTEGER"),
        ] {
            let mut q = query();
            let s = sql(d, &q);
            let quoted = |name: &str| d.quote_part(name);
            let rev = quoted("revenue");
            assert!(
                s.contains(&format!("SUM(CAST({rev} AS {float}))")),
                "{d:?}\n{s}"
            );
            assert!(
                s.contains(&format!(
                    "SUM(CAST(uplift_orders AS {float}) * CAST(uplift_orders AS {float}))"
                )),
                "{d:?}\n{s}"
            );
            q.orders_kind = OrdersKind::IsOrder;
            let s = sql(d, &q);
            let ord = quoted("order_id");
            assert!(
                s.contains(&format!("SUM(CAST({ord} AS {int}))")),
                "{d:?}\n{s}"
            );
            if d != Dialect::PostgreSql {
                assert!(!s.contains("PRECISION"), "{d:?}");
            }
            if d != Dialect::BigQuery {
                assert!(!s.contains("FLOAT64") && !s.contains("INT64"), "{d:?}");
            }
        }
    }

    #[test]
    fn output_columns_are_the_canonical_headers_in_order() {
        for d in Dialect::ALL {
            let s = sql(d, &query());
            let q = d.quote_char();
            let names: Vec<&str> = s
                .split(&format!(" AS {q}"))
                .skip(1)
                .filter_map(|rest| rest.split(q).next())
                .collect();
            assert_eq!(
                names,
                [
                    "variant",
                    "users",
                    "conversions",
                    "orders",
                    "revenue",
                    "revenue_sq",
                    "orders_sq",
                    "revenue_x_orders",
                    "pre_revenue",
                    "pre_revenue_sq",
                    "revenue_x_pre"
                ],
                "{d:?}\n{s}"
            );
            assert!(s.trim_end().ends_with("ORDER BY uplift_variant;"));
            assert!(s.contains("WHERE uplift_variant_count = 1"));
        }
    }

    #[test]
    fn optional_columns_are_left_out_cleanly() {
        // Revenue only: conversions from revenue, no order or pre-period columns.
        let q = WarehouseQuery {
            table: "events".into(),
            user: "uid".into(),
            variant: "arm".into(),
            revenue: Some("amount".into()),
            orders: Some("  ".into()),
            ..WarehouseQuery::default()
        };
        let s = sql(Dialect::DuckDb, &q);
        assert!(s.contains("CASE WHEN uplift_revenue > 0"));
        for gone in [
            "uplift_orders",
            "uplift_pre",
            "\"orders\"",
            "orders_sq",
            "pre_revenue",
            "DATE",
        ] {
            assert!(!s.contains(gone), "{gone}\n{s}");
        }
        // Orders only: no revenue moments at all.
        let q = WarehouseQuery {
            revenue: None,
            orders: Some("order_id".into()),
            ..q
        };
        let s = sql(Dialect::DuckDb, &q);
        assert!(s.contains("CASE WHEN uplift_orders > 0") && s.contains("AS \"orders\""));
        for gone in ["uplift_revenue", "revenue", "_sq"] {
            assert!(!s.contains(gone), "{gone}\n{s}");
        }
        // Neither: nothing to compare.
        let q = WarehouseQuery { orders: None, ..q };
        assert_eq!(
            warehouse_sql(Dialect::DuckDb, &q),
            Err(WarehouseError::NothingToMeasure)
        );
        // Pre-period without revenue would be dropped by the app: refused.
        let q = WarehouseQuery {
            orders: Some("order_id".into()),
            pre_revenue: Some("pre".into()),
            ..q
        };
        assert_eq!(
            warehouse_sql(Dialect::DuckDb, &q),
            Err(WarehouseError::PreRevenueWithoutRevenue)
        );
    }

    /// The output names of `s`, in order.
    fn output_names(d: Dialect, s: &str) -> Vec<String> {
        let q = d.quote_char();
        s.split(&format!(" AS {q}"))
            .skip(1)
            .filter_map(|rest| rest.split(q).next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn metrics_and_a_segment_are_named_as_the_app_writes_them() {
        let q = WarehouseQuery {
            table: "games".into(),
            user: "userid".into(),
            variant: "version".into(),
            metrics: ["sum_gamerounds", "retention_1:flag", "t.retention_7:FLAG"]
                .iter()
                .filter_map(|m| SqlMetric::parse(m))
                .collect(),
            segment: Some("country".into()),
            ..WarehouseQuery::default()
        };
        // The app's own writer on the same columns gives the same header.
        let Ok(e) = crate::ingest::parse_experiment(
            "userid,version,country,sum_gamerounds,retention_1,retention_7\n1,a,de,3,True,False\n2,b,fr,5,False,True\n",
        ) else {
            panic!("reads")
        };
        let app = crate::ingest::to_aggregated_csv(&e.variants, &e.metric_columns, &e.caps);
        let app_header = app.lines().next().unwrap_or("");
        for d in Dialect::ALL {
            let s = sql(d, &q);
            let names = output_names(d, &s);
            assert_eq!(names[0], "country", "{d:?}");
            assert_eq!(names[1..].join(","), app_header, "{d:?}\n{s}");
            assert!(s.contains("MAX(CASE WHEN CAST("), "{s}");
            assert!(s
                .trim_end()
                .ends_with("ORDER BY uplift_segment, uplift_variant;"));
        }
        // Two metrics of one name, or a metric named like a fixed column.
        let twice = WarehouseQuery {
            metrics: vec![
                SqlMetric::parse("a.visits").unwrap_or_default(),
                SqlMetric::parse("b.visits").unwrap_or_default(),
            ],
            ..q.clone()
        };
        assert!(matches!(
            warehouse_sql(Dialect::DuckDb, &twice),
            Err(WarehouseError::DuplicateName { .. })
        ));
        let clash = WarehouseQuery {
            revenue: Some("spend".into()),
            metrics: vec![SqlMetric::parse("revenue").unwrap_or_default()],
            segment: None,
            ..q
        };
        assert!(matches!(
            warehouse_sql(Dialect::DuckDb, &clash),
            Err(WarehouseError::DuplicateName { .. })
        ));
        assert_eq!(SqlMetric::parse("x:count"), None);
        assert_eq!(SqlMetric::parse(":flag"), None);
    }

    #[test]
    fn date_filters_need_a_timestamp_and_valid_dates() {
        let mut q = query();
        q.start = Some("2024-03-01".into());
        assert_eq!(
            warehouse_sql(Dialect::BigQuery, &q),
            Err(WarehouseError::DateWithoutTimestamp)
        );
        q.timestamp = Some("event_time".into());
        q.end = Some("2024/03/31".into());
        let s = sql(Dialect::BigQuery, &q);
        assert!(
            s.contains("CAST(`event_time` AS DATE) >= DATE '2024-03-01'"),
            "{s}"
        );
        assert!(
            s.contains("CAST(`event_time` AS DATE) <= DATE '2024-03-31'"),
            "{s}"
        );
        q.end = Some("2024-02-30".into());
        assert_eq!(
            warehouse_sql(Dialect::BigQuery, &q),
            Err(WarehouseError::BadDate {
                value: "2024-02-30".into()
            })
        );
        q.end = Some("2024-01-31' OR 1=1 --".into());
        assert!(matches!(
            warehouse_sql(Dialect::BigQuery, &q),
            Err(WarehouseError::BadDate { .. })
        ));
        q.end = Some("2024-02-01".into());
        assert!(matches!(
            warehouse_sql(Dialect::BigQuery, &q),
            Err(WarehouseError::StartAfterEnd { .. })
        ));
        // Only an end date: one filter.
        q.start = None;
        let s = sql(Dialect::BigQuery, &q);
        assert!(!s.contains(">= DATE") && s.contains("<= DATE '2024-02-01'"));
        // A timestamp without dates filters nothing.
        q.end = None;
        assert!(!sql(Dialect::BigQuery, &q).contains("DATE"));
    }

    #[test]
    fn dialects_round_trip_through_their_ids_and_serde() {
        for d in Dialect::ALL {
            assert_eq!(Dialect::from_id(d.id()), Some(d));
            assert_eq!(
                serde_json::to_string(&d).unwrap(),
                format!("\"{}\"", d.id())
            );
            assert_eq!(
                serde_json::from_str::<Dialect>(&format!("\"{}\"", d.id())).unwrap(),
                d
            );
        }
        assert_eq!(Dialect::from_id("Databricks"), Some(Dialect::SparkSql));
        assert_eq!(Dialect::from_id("postgres"), Some(Dialect::PostgreSql));
        assert_eq!(Dialect::from_id("BigQuery"), Some(Dialect::BigQuery));
        assert_eq!(Dialect::from_id("oracle"), None);
        let q: WarehouseQuery =
            serde_json::from_str(r#"{"table":"t","orders_kind":"is_order"}"#).unwrap();
        assert_eq!(q.orders_kind, OrdersKind::IsOrder);
        assert_eq!(q.revenue, None);
    }

    #[test]
    fn caps_clamp_the_kept_users_values_and_are_written_as_the_app_writes_them() {
        let cap = |metric: &str, tail, at, ignore_zeros| CapSpec {
            metric: metric.into(),
            tail,
            at,
            ignore_zeros,
            resolved: None,
        };
        let mut q = query();
        // Without orders, buying is told from revenue: before the caps.
        q.orders = None;
        q.metrics = vec![
            SqlMetric::parse("minutes").unwrap(),
            SqlMetric::parse("clicked:flag").unwrap(),
        ];
        q.caps = vec![
            cap("revenue", Tail::Upper, CapAt::Percentile(0.99), true),
            cap("minutes", Tail::Upper, CapAt::Value(120.0), false),
            cap("revenue", Tail::Lower, CapAt::Value(1.0), false),
        ];
        for d in Dialect::ALL {
            let s = sql(d, &q);
            let names = output_names(d, &s);
            assert_eq!(
                names[names.len() - 3..],
                ["revenue_cap", "minutes_cap", "revenue_floor"],
                "{d:?}"
            );
            let percentile = if d == Dialect::BigQuery {
                "PERCENTILE_CONT(CASE WHEN uplift_revenue <> 0 THEN uplift_revenue END, 0.99) OVER ()"
            } else {
                "PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY CASE WHEN uplift_revenue <> 0 THEN uplift_revenue END)"
            };
            assert!(s.contains(percentile), "{d:?}: {s}");
            // An amount is an aggregate too, or the caps would be one row per user.
            let amount = if d == Dialect::BigQuery {
                "CAST(120 AS"
            } else {
                "MAX(CAST(120 AS"
            };
            assert!(s.contains(amount), "{d:?}: {s}");
            // The floor first, then the cap.
            assert!(s.contains("CASE WHEN CASE WHEN uplift_revenue < uplift_cap2 THEN uplift_cap2 ELSE uplift_revenue END > uplift_cap0"), "{s}");
            assert!(
                s.contains("SUM(CASE WHEN uplift_raw_revenue > 0 THEN 1 ELSE 0 END)"),
                "{s}"
            );
            assert!(
                s.contains("FROM kept CROSS JOIN uplift_caps") && s.contains("FROM capped\n"),
                "{s}"
            );
        }
        // Without caps, the query is as before.
        assert!(!sql(Dialect::DuckDb, &query()).contains("capped"));
        for bad in ["clicked", "visits"] {
            let mut q = q.clone();
            q.caps = vec![cap(bad, Tail::Upper, CapAt::Value(1.0), false)];
            assert_eq!(
                warehouse_sql(Dialect::DuckDb, &q),
                Err(WarehouseError::CapColumn { column: bad.into() })
            );
        }
    }

    #[test]
    fn the_example_makes_sql_in_every_dialect() {
        for d in Dialect::ALL {
            let s = sql(d, &WarehouseQuery::example());
            assert!(s.contains("COUNT(DISTINCT"), "{d:?}");
        }
    }
}

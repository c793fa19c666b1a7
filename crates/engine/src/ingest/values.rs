//! One numeric column's values per variant, as written in a row-level file:
//! what a quantile needs and sums cannot keep.

use super::columns::{ColumnMapping, ColumnRole, Columns};
use super::numbers::{parse_number, NumberStyle};
use super::{detect_delimiter, IngestError};

/// Each variant's name with its values, in the order of the file.
pub type ValuesByVariant = Vec<(String, Vec<f64>)>;

/// Each variant (in the order of the file) with the values of `column` on
/// its rows: blank cells are 0, as in every per-user metric. `None` when
/// the file has no such column; an error names the first cell that is not
/// a number, with its line, or says the file has no variant column.
pub fn column_values(
    text: &str,
    mapping: &ColumnMapping,
    column: &str,
) -> Result<Option<ValuesByVariant>, IngestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = detect_delimiter(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| IngestError::Empty)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let cols = Columns::find(&headers, mapping);
    let variant =
        cols.get(ColumnRole::Variant)
            .ok_or_else(|| IngestError::MissingVariantColumn {
                found: headers.join(", "),
            })?;
    let Some(at) = headers.iter().position(|h| h == column) else {
        return Ok(None);
    };
    let style = NumberStyle {
        decimal_comma: delimiter == b';',
    };
    let mut out: ValuesByVariant = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let Ok(record) = record else { continue };
        let name = record.get(variant).unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        let raw = record.get(at).unwrap_or("").trim();
        let value = if raw.is_empty() {
            0.0
        } else {
            parse_number(raw, style).ok_or_else(|| IngestError::NotANumber {
                line: row as u64 + 2,
                column: column.to_string(),
                value: raw.to_string(),
            })?
        };
        match out.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value),
            None => out.push((name.to_string(), vec![value])),
        }
    }
    Ok(Some(out))
}

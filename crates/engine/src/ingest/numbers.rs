//! Reading one cell: numbers as spreadsheets export them, yes/no flags.

use super::IngestError;

/// How numbers are written in this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NumberStyle {
    pub(super) decimal_comma: bool,
}

/// Parse a number the way spreadsheets export it: optional currency symbol or
/// percent sign, thousands separators, and a decimal comma when the file uses
/// `;` as its delimiter (European exports).
pub(super) fn parse_number(raw: &str, style: NumberStyle) -> Option<f64> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Fast path for plain numbers, which is nearly every cell of a large
    // export: no allocation. A decimal comma file never has a plain "1.5".
    if !style.decimal_comma || !trimmed.contains('.') {
        if let Some(v) = crate::decimal::parse_f64(trimmed) {
            return v.is_finite().then_some(v);
        }
    }
    // Text without a digit (a yes/no cell, a label) is no number: said
    // before anything is allocated for it.
    if !trimmed.bytes().any(|b| b.is_ascii_digit()) {
        return None;
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
    let v = crate::decimal::parse_f64(&s)?;
    v.is_finite().then_some(v)
}

pub(super) fn parse_bool(raw: &str) -> Option<bool> {
    let t = raw.trim();
    match t {
        "1" => return Some(true),
        "0" | "" => return Some(false),
        _ => {}
    }
    // Compared without case and without allocating: this runs per cell.
    let any = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if any(&["true", "yes", "y", "t"]) {
        Some(true)
    } else if any(&["false", "no", "n", "f"]) {
        Some(false)
    } else {
        None
    }
}

pub(super) struct Cell<'a> {
    pub(super) line: u64,
    pub(super) column: &'a str,
    pub(super) raw: &'a str,
}

impl Cell<'_> {
    pub(super) fn number(&self, style: NumberStyle) -> Result<f64, IngestError> {
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

    pub(super) fn count(&self, style: NumberStyle) -> Result<u64, IngestError> {
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

    pub(super) fn flag(&self) -> Result<bool, IngestError> {
        parse_bool(self.raw).ok_or_else(|| IngestError::NotABoolean {
            line: self.line,
            column: self.column.to_string(),
            value: self.raw.trim().to_string(),
        })
    }
}

//! Reading one cell: numbers as spreadsheets export them, yes/no flags.

use super::IngestError;

/// The largest number a cell may hold: its square, summed over a billion
/// rows, stays far from overflowing.
pub(super) const LARGEST: f64 = 1e100;

/// How numbers are written in this file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NumberStyle {
    pub(super) decimal_comma: bool,
}

/// Parse a number the way spreadsheets export it: optional currency symbol or
/// percent sign, thousands separators, and a decimal comma when the file uses
/// `;` as its delimiter (European exports).
/// `raw` is a trimmed cell, as the reader hands them out.
pub(super) fn parse_number(raw: &str, style: NumberStyle) -> Option<f64> {
    let trimmed = raw;
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
    // Text without a digit (a yes/no cell), or with a letter other than
    // an exponent's (a label such as "region_3"), is no number: said
    // before anything is allocated for it.
    let bytes = trimmed.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit)
        || bytes
            .iter()
            .any(|&b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
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

/// `raw` is a trimmed cell: 1/0, true/false, yes/no, t/f, y/n in any
/// case, blank as no. Matched on its lower-cased bytes: this runs per cell.
pub(crate) fn parse_bool(raw: &str) -> Option<bool> {
    let bytes = raw.as_bytes();
    let mut lower = [0u8; 5];
    if bytes.len() > lower.len() {
        return None;
    }
    for (l, b) in lower.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    match lower.get(..bytes.len())? {
        b"1" | b"true" | b"yes" | b"y" | b"t" => Some(true),
        b"0" | b"" | b"false" | b"no" | b"n" | b"f" => Some(false),
        _ => None,
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
        // Squares of larger values, summed over the rows, would overflow.
        if v > LARGEST {
            return Err(IngestError::TooLarge {
                line: self.line,
                column: self.column.to_string(),
                value: self.raw.trim().to_string(),
            });
        }
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

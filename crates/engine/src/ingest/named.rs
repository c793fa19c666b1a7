//! A CSV file read by its column names, for the analyses that take named
//! columns (retention, the timeline, cohorts, panels, programmes): the
//! header row, then each record that is not blank with its line in the
//! file. Lines are counted as the reader goes, so blank lines count and a
//! file of a million rows is counted once, not once per row.

use thiserror::Error;

use crate::ingest::{csv_reader, line_of};

/// Why a file read by its column names cannot be read, in the same words
/// for every analysis that reads one (retention, the timeline, cohorts,
/// panels, programmes, targeting), with the line and column.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CsvError {
    #[error("There is no column '{column}' in the data. Found columns: {found}.")]
    NoColumn { column: String, found: String },
    #[error("Line {line}, column '{column}': \"{value}\" is not {expected}.")]
    BadCell {
        line: u64,
        column: String,
        value: String,
        expected: &'static str,
    },
    #[error("Line {line}: the row could not be read as CSV.")]
    BadRow { line: u64 },
}

/// Where the header record of `text` ends (after its line end), as
/// [`NamedCsv`] reads it; `None` while there is no header yet (only empty
/// lines). For readers that take a file in pieces.
pub(crate) fn header_end(text: &str) -> Option<usize> {
    let (mut reader, rest) = csv_reader(text);
    let headers = reader.byte_headers().ok()?;
    if headers.is_empty() {
        return None;
    }
    let end = usize::try_from(reader.position().byte()).ok()?;
    Some(text.len() - rest.len() + end)
}

pub(crate) struct NamedCsv<'a> {
    reader: csv::Reader<&'a [u8]>,
    text: &'a str,
    headers: Vec<String>,
    record: csv::StringRecord,
    /// Newlines before byte `counted_to` of `text`.
    counted_to: usize,
    newlines: u64,
}

impl<'a> NamedCsv<'a> {
    /// The file's header row (trimmed); `Err(1)`, its line, when it cannot
    /// be read as CSV.
    pub(crate) fn new(text: &'a str) -> Result<NamedCsv<'a>, u64> {
        let (mut reader, text) = csv_reader(text);
        let headers = reader
            .headers()
            .map_err(|_| 1u64)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok(NamedCsv {
            reader,
            text,
            headers,
            record: csv::StringRecord::new(),
            counted_to: 0,
            newlines: 0,
        })
    }

    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The position of the column headed `name`.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The headers, for a message naming the columns there are.
    pub(crate) fn found(&self) -> String {
        self.headers.join(", ")
    }

    /// The next record that is not blank and its line in the file;
    /// `Err(line)` for a row that cannot be read as CSV.
    pub(crate) fn next_row(&mut self) -> Option<Result<(&csv::StringRecord, u64), u64>> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(_) => return Some(Err(self.reader.position().line())),
            }
            if self.record.iter().any(|f| !f.trim().is_empty()) {
                break;
            }
        }
        let byte = self.record.position().map_or(0, csv::Position::byte);
        let line = self.line_at(byte);
        Some(Ok((&self.record, line)))
    }

    /// [`line_of`] for an offset at or after the last one asked about,
    /// counting only the bytes in between.
    fn line_at(&mut self, offset: u64) -> u64 {
        let bytes = self.text.as_bytes();
        let mut end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while matches!(bytes.get(end), Some(b'\n' | b'\r')) {
            end += 1;
        }
        if end < self.counted_to {
            return line_of(self.text, offset);
        }
        let between = bytes.get(self.counted_to..end).unwrap_or_default();
        self.newlines += between.iter().filter(|&&b| b == b'\n').count() as u64;
        self.counted_to = end;
        1 + self.newlines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_with_their_lines_blank_ones_skipped() {
        let text = "\u{feff}a, b\n1,2\n\n,\n3,4\r\n5,\"x\ny\"\n6,7\n";
        let Ok(mut csv) = NamedCsv::new(text) else {
            panic!("headers")
        };
        assert_eq!(csv.headers(), ["a", "b"]);
        assert_eq!((csv.find("b"), csv.find("c")), (Some(1), None));
        let mut lines = Vec::new();
        while let Some(Ok((record, line))) = csv.next_row() {
            assert_eq!(
                line,
                line_of(
                    text.trim_start_matches('\u{feff}'),
                    record.position().map_or(0, |p| p.byte())
                )
            );
            lines.push((record.get(0).unwrap_or("").to_string(), line));
        }
        let want = [("1", 2), ("3", 5), ("5", 6), ("6", 8)];
        let want: Vec<(String, u64)> = want.iter().map(|(a, l)| (a.to_string(), *l)).collect();
        assert_eq!(lines, want);
    }
}

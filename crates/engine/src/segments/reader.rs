//! Reading a file split by the value of one column, in chunks of any size:
//! every record goes, as written, to the streaming reader of its segment,
//! so each segment's sums are those its rows alone would give and memory
//! stays bounded however large the file is.

use std::borrow::Cow;

use crate::ingest::{
    detect_delimiter, header_line, push_field, to_aggregated_csv, AppliedCap, ColumnMapping,
    ColumnRole, Decoder, Experiment, ExperimentReader, IngestError, MAX_PROBLEMS,
};

use super::{SegmentError, MAX_SEGMENTS};

/// A segment's rows are handed to its reader in batches of about this many
/// bytes: one call per row would cost more than reading the row.
const BATCH: usize = 64 * 1024;

/// Blank lines, copied into a segment's text in place of the other
/// segments' rows, so every line keeps its number in the file and a
/// problem is reported at the line the user sees.
const BLANK: [u8; 4096] = [b'\n'; 4096];

/// A streaming reader that splits the rows by one column: feed it the file
/// in chunks, then call [`SegmentReader::finish`].
pub struct SegmentReader {
    column: String,
    mapping: ColumnMapping,
    decoder: Decoder,
    /// Text before the header line is complete.
    head: Vec<u8>,
    split: Option<Split>,
    failed: Option<SegmentError>,
    caps: Vec<AppliedCap>,
}

impl std::fmt::Debug for SegmentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentReader")
            .field("column", &self.column)
            .finish()
    }
}

/// The record splitter, once the delimiter is known.
struct Split {
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// The bytes of the record being read, as written.
    raw: Vec<u8>,
    /// Line breaks before the record being read.
    lines: u64,
    /// The header record as written (with anything before it), and the
    /// split column's place in it, once read.
    header: Option<(Vec<u8>, usize, usize)>,
    parts: Vec<Part>,
    skipped: usize,
    problems: Vec<IngestError>,
    caps: Vec<AppliedCap>,
}

struct Part {
    value: String,
    reader: ExperimentReader,
    /// Text not yet handed to the reader.
    pending: Vec<u8>,
    /// Line breaks in the text given so far.
    lines: u64,
}

/// A file read split by one column.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitRead {
    /// The column, and each of its values with its rows' experiment, in the
    /// order the values first appear.
    pub column: String,
    pub parts: Vec<(String, Experiment)>,
    /// Rows too short to have the column (the parts count their own).
    pub skipped: usize,
    pub problems: Vec<IngestError>,
}

impl SegmentReader {
    /// Split by `column`, reading every part with `mapping` (the column
    /// itself is left out: within a part it is constant, and a column of
    /// numbers would otherwise be a metric).
    pub fn new(mapping: &ColumnMapping, column: &str) -> SegmentReader {
        let mut mapping = mapping.clone();
        mapping.insert(column.to_string(), ColumnRole::Ignore);
        SegmentReader {
            column: column.to_string(),
            mapping,
            decoder: Decoder::new(),
            head: Vec::new(),
            split: None,
            failed: None,
            caps: Vec::new(),
        }
    }

    /// The same reader, each part clamping the capped metrics' values to
    /// caps taken over the whole file ([`crate::ingest::resolve_caps`]).
    pub fn capped(mut self, caps: Vec<AppliedCap>) -> SegmentReader {
        self.caps = caps;
        self
    }

    /// Data rows read so far (roughly: parts read in batches).
    pub fn rows(&self) -> usize {
        self.split.as_ref().map_or(0, |s| {
            s.skipped + s.parts.iter().map(|p| p.reader.rows()).sum::<usize>()
        })
    }

    /// Read the next chunk of the file; it may end anywhere.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), SegmentError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = match self.decoder.decode(chunk) {
            Ok(text) => self.take_text(&text, false),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    /// Each segment's experiment.
    pub fn finish(mut self) -> Result<SplitRead, SegmentError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let rest = self.decoder.finish()?;
        self.take_text(&rest, true)?;
        let Some(mut split) = self.split.take() else {
            return Err(IngestError::Empty.into());
        };
        split.run(&[], true, &self.column, &self.mapping)?;
        if split.header.is_none() {
            return Err(IngestError::Empty.into());
        }
        if split.parts.is_empty() {
            return Err(IngestError::HeaderOnly.into());
        }
        let mut problems = split.problems;
        let mut skipped = split.skipped;
        let mut parts = Vec::with_capacity(split.parts.len());
        for mut part in split.parts {
            let failed = |error: IngestError| SegmentError::Segment {
                segment: part.value.clone(),
                error: error.into(),
            };
            let fed = part.reader.feed(&part.pending).map_err(failed);
            let e = fed.and_then(|()| part.reader.finish().map_err(failed))?;
            skipped += e.skipped;
            problems.extend(e.problems.iter().cloned());
            parts.push((part.value, e));
        }
        problems.sort_by_key(IngestError::line);
        problems.truncate(MAX_PROBLEMS);
        Ok(SplitRead {
            column: self.column,
            parts,
            skipped,
            problems,
        })
    }

    fn take_text(&mut self, text: &[u8], last: bool) -> Result<(), SegmentError> {
        if let Some(split) = &mut self.split {
            return split.run(text, last, &self.column, &self.mapping);
        }
        self.head.extend_from_slice(text);
        let Some(first_line) = header_line(&self.head, last) else {
            return Ok(());
        };
        let delimiter = detect_delimiter(&String::from_utf8_lossy(first_line));
        let mut split = Split {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            nout: 0,
            nend: 0,
            raw: Vec::new(),
            lines: 0,
            header: None,
            parts: Vec::new(),
            skipped: 0,
            problems: Vec::new(),
            caps: self.caps.clone(),
        };
        let head = std::mem::take(&mut self.head);
        split.run(&head, last, &self.column, &self.mapping)?;
        self.split = Some(split);
        Ok(())
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

impl Split {
    /// Route every complete record in `input`; with `last`, also the final
    /// record that has no line end.
    fn run(
        &mut self,
        input: &[u8],
        last: bool,
        column: &str,
        mapping: &ColumnMapping,
    ) -> Result<(), SegmentError> {
        let mut pos = 0;
        loop {
            let rest = input.get(pos..).unwrap_or_default();
            if rest.is_empty() && !last {
                return Ok(());
            }
            let out = self.out.get_mut(self.nout..).unwrap_or_default();
            let ends = self.ends.get_mut(self.nend..).unwrap_or_default();
            let (result, nin, nout, nend) = self.core.read_record(rest, out, ends);
            self.raw
                .extend_from_slice(rest.get(..nin).unwrap_or_default());
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
                    let routed = self.record(column, mapping);
                    self.nout = 0;
                    self.nend = 0;
                    routed?;
                }
                csv_core::ReadRecordResult::End => return Ok(()),
            }
        }
    }

    /// Field `i` of the record just read, as text (borrowed when UTF-8).
    fn field(&self, i: usize) -> Option<Cow<'_, str>> {
        let ends = self.ends.get(..self.nend)?;
        let start = if i == 0 { 0 } else { *ends.get(i - 1)? };
        let end = *ends.get(i)?;
        Some(String::from_utf8_lossy(self.out.get(start..end)?))
    }

    fn record(&mut self, column: &str, mapping: &ColumnMapping) -> Result<(), SegmentError> {
        let lines = self.lines;
        self.lines += newlines(&self.raw);
        let routed = self.route(lines, column, mapping);
        self.raw.clear();
        routed
    }

    /// Give the record just read, which starts after `lines` line breaks,
    /// to its segment's reader.
    fn route(
        &mut self,
        lines: u64,
        column: &str,
        mapping: &ColumnMapping,
    ) -> Result<(), SegmentError> {
        let count = self.nend;
        // Every field blank (the fields' text, run together, is blank).
        let text = self.out.get(..self.nout).unwrap_or_default();
        if String::from_utf8_lossy(text).trim().is_empty() {
            return Ok(());
        }
        let Some((_, at, expected)) = &self.header else {
            let at = (0..count)
                .position(|i| self.field(i).is_some_and(|h| h.trim() == column))
                .ok_or_else(|| SegmentError::NoColumn {
                    column: column.to_string(),
                })?;
            self.header = Some((self.raw.clone(), at, count));
            return Ok(());
        };
        let (at, expected) = (*at, *expected);
        // The record's segment: a known one, or a new value.
        let found = self.field(at).map(|cell| {
            let value = cell.trim();
            self.parts
                .iter()
                .position(|p| p.value == value)
                .ok_or_else(|| value.to_string())
        });
        let Some(found) = found else {
            // Too short to have the column: no segment to give it to.
            let blank = self
                .raw
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.skipped += 1;
            if self.problems.len() < MAX_PROBLEMS {
                self.problems.push(IngestError::RaggedRow {
                    line: lines + 1 + blank,
                    found: count,
                    expected,
                });
            }
            return Ok(());
        };
        let index = match found {
            Ok(i) => i,
            Err(value) => {
                if self.parts.len() == MAX_SEGMENTS {
                    return Err(SegmentError::TooMany {
                        column: column.to_string(),
                        limit: MAX_SEGMENTS,
                    });
                }
                let header = self
                    .header
                    .as_ref()
                    .map(|h| h.0.clone())
                    .unwrap_or_default();
                self.parts.push(Part {
                    value,
                    reader: ExperimentReader::new(mapping.clone()).capped(self.caps.clone()),
                    lines: newlines(&header),
                    pending: header,
                });
                self.parts.len() - 1
            }
        };
        let Some(part) = self.parts.get_mut(index) else {
            return Ok(());
        };
        let mut gap = lines.saturating_sub(part.lines);
        while gap > 0 {
            let n = gap.min(BLANK.len() as u64);
            part.pending
                .extend_from_slice(BLANK.get(..n as usize).unwrap_or_default());
            gap -= n;
        }
        part.pending.extend_from_slice(&self.raw);
        part.lines = self.lines;
        if part.pending.len() >= BATCH {
            let failed = |error: IngestError| SegmentError::Segment {
                segment: part.value.clone(),
                error: error.into(),
            };
            part.reader.feed(&part.pending).map_err(failed)?;
            part.pending.clear();
        }
        Ok(())
    }
}

impl SplitRead {
    /// Every segment's sums as one aggregated CSV: the column first (under
    /// its own name), then the columns [`to_aggregated_csv`] writes, one row
    /// per segment and variant, ordered by segment then variant: the shape
    /// of the warehouse SQL's result with a segment, which reads back as
    /// the same experiment as the rows.
    pub fn to_csv(&self) -> Result<String, SegmentError> {
        self.to_csv_in_order(&[])
    }

    /// [`SplitRead::to_csv`] with the variants in the order of `variants`
    /// (the whole file's, say, so that the first variant after the control
    /// stays the one compared), then any others by name.
    pub fn to_csv_in_order(&self, variants: &[String]) -> Result<String, SegmentError> {
        let rank = |name: &str| variants.iter().position(|v| v == name);
        let mut parts: Vec<&(String, Experiment)> = self.parts.iter().collect();
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        let mut header: Option<String> = None;
        let mut out = String::new();
        for (value, e) in parts {
            let mut ordered = e.variants.clone();
            ordered.sort_by(|a, b| {
                (rank(&a.name).unwrap_or(usize::MAX), &a.name)
                    .cmp(&(rank(&b.name).unwrap_or(usize::MAX), &b.name))
            });
            let csv = to_aggregated_csv(&ordered, &e.metric_columns, &e.caps);
            let mut lines = csv.lines();
            let head = lines.next().unwrap_or("");
            match &header {
                None => {
                    push_field(&mut out, &self.column, ',');
                    out.push(',');
                    out.push_str(head);
                    out.push('\n');
                    header = Some(head.to_string());
                }
                Some(h) if h != head => {
                    return Err(SegmentError::Mixed {
                        column: self.column.clone(),
                        segment: value.clone(),
                    })
                }
                Some(_) => {}
            }
            for line in lines {
                push_field(&mut out, value, ',');
                out.push(',');
                out.push_str(line);
                out.push('\n');
            }
        }
        Ok(out)
    }

    /// Data rows used, over all segments.
    pub fn rows(&self) -> usize {
        self.parts.iter().map(|(_, e)| e.rows).sum()
    }
}

/// Read all of `text` split by `column` (see [`SegmentReader`]).
pub fn read_by_segment(
    text: &str,
    column: &str,
    mapping: &ColumnMapping,
) -> Result<SplitRead, SegmentError> {
    let mut reader = SegmentReader::new(mapping, column);
    reader.feed(text.as_bytes())?;
    reader.finish()
}

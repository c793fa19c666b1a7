//! Customer journeys as ChannelAttribution reads them: one row per distinct
//! path (`eta > iota > alpha`), with the journeys along it that converted,
//! their value and the journeys that did not.

use serde::{Deserialize, Serialize};

use super::AttributionError;
use crate::ingest::named::NamedCsv;
use crate::ingest::{guess_header, CsvError};

/// At most this many channels, and touches in one journey: a path file
/// beyond them is more likely a wrong column than a real programme.
pub const MAX_CHANNELS: usize = 200;
pub const MAX_TOUCHES: usize = 1_000;

/// One distinct path and the journeys that took it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Path {
    /// Channel indices into [`Journeys::channels`], in the order touched.
    pub touches: Vec<usize>,
    /// Journeys along the path that converted.
    pub conversions: f64,
    /// Their total conversion value.
    pub value: f64,
    /// Journeys along the path that did not convert.
    pub nulls: f64,
}

/// Every path of a file, with the channels in the order they first appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journeys {
    pub channels: Vec<String>,
    pub paths: Vec<Path>,
    /// The file had a value column / a column of journeys that did not convert.
    pub has_value: bool,
    pub has_nulls: bool,
}

/// The columns of a path file: the path, then the counts by their usual
/// names (ChannelAttribution's `total_conversions`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PathColumns {
    path: usize,
    conversions: usize,
    value: Option<usize>,
    nulls: Option<usize>,
}

fn columns_of(csv: &NamedCsv) -> Result<PathColumns, AttributionError> {
    let headers = csv.headers();
    let at = |words: &[&str], taken: &[String]| {
        guess_header(headers, words, taken).and_then(|h| csv.find(&h))
    };
    let missing = |column: &str| {
        AttributionError::Csv(CsvError::NoColumn {
            column: column.to_string(),
            found: csv.found(),
        })
    };
    let path = at(&["path", "journey"], &[]).ok_or_else(|| missing("path"))?;
    let name = |i: Option<usize>| i.and_then(|i| headers.get(i).cloned());
    let path_name = name(Some(path)).into_iter().collect::<Vec<_>>();
    let conversions =
        at(&["conversions", "conv"], &path_name).ok_or_else(|| missing("total_conversions"))?;
    let mut taken = path_name;
    taken.extend(name(Some(conversions)));
    let value = at(&["value", "revenue"], &taken);
    taken.extend(name(value));
    let nulls = at(&["null", "non_conv", "not_conv"], &taken);
    Ok(PathColumns {
        path,
        conversions,
        value,
        nulls,
    })
}

/// Read a path file: a path column (channels separated by `>`, spaces
/// around a name trimmed, empty names skipped, as ChannelAttribution does)
/// and the counts. Counts must be numbers of at least 0; a path must name a
/// channel; at most [`MAX_CHANNELS`] channels and [`MAX_TOUCHES`] touches.
pub fn read_paths(text: &str) -> Result<Journeys, AttributionError> {
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    let cols = columns_of(&csv)?;
    let header = |i: usize| csv.headers().get(i).cloned().unwrap_or_default();
    let (path_h, conv_h) = (header(cols.path), header(cols.conversions));
    let value_h = cols.value.map(header);
    let null_h = cols.nulls.map(header);
    let mut journeys = Journeys {
        channels: Vec::new(),
        paths: Vec::new(),
        has_value: cols.value.is_some(),
        has_nulls: cols.nulls.is_some(),
    };
    let mut index = std::collections::HashMap::<String, usize>::new();
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let count = |i: Option<usize>, column: &Option<String>| -> Result<f64, AttributionError> {
            let (Some(i), Some(column)) = (i, column) else {
                return Ok(0.0);
            };
            let raw = cell(i);
            if raw.is_empty() {
                return Ok(0.0);
            }
            crate::decimal::parse_f64(raw)
                .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e15)
                .ok_or_else(|| {
                    AttributionError::Csv(CsvError::BadCell {
                        line,
                        column: column.clone(),
                        value: raw.to_string(),
                        expected: "a number of at least 0",
                    })
                })
        };
        let conversions = count(Some(cols.conversions), &Some(conv_h.clone()))?;
        let value = count(cols.value, &value_h)?;
        let nulls = count(cols.nulls, &null_h)?;
        let raw = cell(cols.path);
        if !raw.contains('>') && [',', '|', ';', '/'].iter().any(|s| raw.contains(*s)) {
            return Err(AttributionError::Separator {
                line,
                path: raw.chars().take(60).collect(),
            });
        }
        let mut touches = Vec::new();
        for name in raw.split('>').map(str::trim).filter(|n| !n.is_empty()) {
            let next = index.len();
            let i = *index.entry(name.to_string()).or_insert(next);
            if i == journeys.channels.len() {
                journeys.channels.push(name.to_string());
                if journeys.channels.len() > MAX_CHANNELS {
                    return Err(AttributionError::TooManyChannels { line });
                }
            }
            touches.push(i);
        }
        if touches.is_empty() {
            return Err(AttributionError::EmptyPath {
                line,
                column: path_h.clone(),
            });
        }
        if touches.len() > MAX_TOUCHES {
            return Err(AttributionError::TooLong {
                line,
                touches: touches.len(),
            });
        }
        journeys.paths.push(Path {
            touches,
            conversions,
            value,
            nulls,
        });
    }
    if journeys.paths.is_empty() {
        return Err(AttributionError::Empty);
    }
    Ok(journeys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_as_channelattribution_reads_them() -> Result<(), AttributionError> {
        let j = read_paths(
            "path;total_conversions;total_conversion_value;total_null\n\
             eta > iota > alpha > eta;1;0.244;3\n\
             iota>iota ;2;3.195;6\n\
             Paid Search > > eta;0;0;4\n",
        )?;
        assert_eq!(j.channels, ["eta", "iota", "alpha", "Paid Search"]);
        let touches: Vec<&[usize]> = j.paths.iter().map(|p| p.touches.as_slice()).collect();
        assert_eq!(touches, [&[0, 1, 2, 0][..], &[1, 1], &[3, 0]]);
        assert!(j.has_value && j.has_nulls);
        assert_eq!(
            j.paths.get(1).map(|p| (p.conversions, p.nulls)),
            Some((2.0, 6.0))
        );
        Ok(())
    }

    #[test]
    fn bad_paths_are_named_with_their_line() {
        let err = |text: &str| read_paths(text).err().map(|e| e.to_string());
        assert_eq!(
            err("path,conversions\na > b,1\n > ,2\n").as_deref(),
            Some("Line 3: the path in 'path' names no channel.")
        );
        assert_eq!(
            err("path,conversions\na > b,-1\n").as_deref(),
            Some("Line 2, column 'conversions': \"-1\" is not a number of at least 0.")
        );
        assert_eq!(
            err("path;conversions\na, b, c;1\n").as_deref(),
            Some("Line 2: the path \"a, b, c\" is not split by '>'. Write each journey as channel > channel > channel.")
        );
        let long = format!("path,conversions\n{},1\n", vec!["a"; 1_001].join(">"));
        assert_eq!(
            err(&long).as_deref(),
            Some("Line 2: a journey of 1,001 touches is more than the 1,000 this page reads. Is the path column the right one?")
        );
        let many: Vec<String> = (0..=200).map(|i| format!("c{i}")).collect();
        let wide = format!("path,conversions\n{},1\n", many.join(">"));
        assert_eq!(
            err(&wide).as_deref(),
            Some("Line 2: the paths name more than 200 channels. Group small channels into one, or check the path column.")
        );
        assert!(err("visits,conversions\na,1\n").is_some_and(|e| e.contains("no column 'path'")));
        assert_eq!(
            err("path,conversions\n").as_deref(),
            Some("The file has no paths.")
        );
    }
}

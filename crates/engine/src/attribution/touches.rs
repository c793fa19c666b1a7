//! Customer journeys from touch-level rows (user, timestamp, channel,
//! conversion, value): each user's touches in time order, a journey ending
//! at each conversion and the touches after the last one making a journey
//! that did not convert (the data ends there). The journeys are then the
//! aggregated paths every model reads.

use std::collections::HashMap;

use super::paths::{Journeys, Path, MAX_CHANNELS, MAX_TOUCHES};
use super::AttributionError;
use crate::ingest::named::NamedCsv;
use crate::ingest::{guess_header, parse_bool, CsvError};
use crate::value::transactions::parse_date;

/// Whether `headers` are touch-level rows: a channel, a user and a time.
pub fn is_touch_level(headers: &[String]) -> bool {
    let has = |words: &[&str]| guess_header(headers, words, &[]).is_some();
    !has(&["path", "journey"])
        && has(&["channel", "source", "touchpoint"])
        && has(&["user", "cookie", "customer", "visitor", "client"])
        && has(&["time", "date"])
}

/// One user's touch: its time (day, then the text, which orders times of
/// one day when they are written year first), its row, channel, whether it
/// converted and the value.
struct Touch {
    day: i64,
    at: String,
    row: u64,
    channel: usize,
    converted: bool,
    value: f64,
}

/// Read touch-level rows into journeys. A user's touches are put in time
/// order (rows out of order are fine); a touch marked converted (1, yes,
/// true) ends a journey with its value. Dates must read as dates (year
/// first, a time after them is kept for the order).
pub fn read_touches(text: &str) -> Result<Journeys, AttributionError> {
    let mut csv = NamedCsv::new(text).map_err(|line| CsvError::BadRow { line })?;
    let headers = csv.headers().to_vec();
    let missing = |column: &str| {
        AttributionError::Csv(CsvError::NoColumn {
            column: column.to_string(),
            found: headers.join(", "),
        })
    };
    let find = |words: &[&str], taken: &[String]| guess_header(&headers, words, taken);
    let channel_h =
        find(&["channel", "source", "touchpoint"], &[]).ok_or_else(|| missing("channel"))?;
    let user_h = find(&["user", "cookie", "customer", "visitor", "client"], &[])
        .ok_or_else(|| missing("user"))?;
    let time_h = find(&["time", "date"], &[]).ok_or_else(|| missing("timestamp"))?;
    let taken = [channel_h.clone(), user_h.clone(), time_h.clone()];
    let value_h = find(&["value", "revenue", "amount"], &taken);
    let mut taken = taken.to_vec();
    taken.extend(value_h.clone());
    let conv_h = find(&["conversion", "converted", "purchase", "order"], &taken)
        .ok_or_else(|| missing("conversion"))?;
    let at = |h: &str| csv.find(h).unwrap_or(usize::MAX);
    let (ci, ui, ti, vi, ki) = (
        at(&channel_h),
        at(&user_h),
        at(&time_h),
        value_h.as_deref().map(at),
        at(&conv_h),
    );
    let mut channels: Vec<String> = Vec::new();
    let mut channel_index: HashMap<String, usize> = HashMap::new();
    let mut users: HashMap<String, Vec<Touch>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    while let Some(row) = csv.next_row() {
        let (record, line) = row.map_err(|line| CsvError::BadRow { line })?;
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let bad = |i: usize, column: &str, expected| {
            AttributionError::Csv(CsvError::BadCell {
                line,
                column: column.to_string(),
                value: cell(i).to_string(),
                expected,
            })
        };
        let name = cell(ci);
        if name.is_empty() {
            return Err(bad(ci, &channel_h, "a channel's name"));
        }
        let day = parse_date(cell(ti))
            .ok_or_else(|| bad(ti, &time_h, "a date (YYYY-MM-DD, a time after it allowed)"))?;
        let converted = parse_bool(cell(ki))
            .filter(|_| !cell(ki).is_empty())
            .ok_or_else(|| bad(ki, &conv_h, "1 or 0 (yes or no)"))?;
        let value = match (vi, &value_h) {
            (Some(i), Some(h)) if !cell(i).is_empty() => crate::decimal::parse_f64(cell(i))
                .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e15)
                .ok_or_else(|| bad(i, h, "a number of at least 0"))?,
            _ => 0.0,
        };
        let next = channels.len();
        let channel = *channel_index.entry(name.to_string()).or_insert(next);
        if channel == next {
            channels.push(name.to_string());
            if channels.len() > MAX_CHANNELS {
                return Err(AttributionError::TooManyChannels { line });
            }
        }
        let user = cell(ui).to_string();
        let touches = users.entry(user.clone()).or_insert_with(|| {
            order.push(user);
            Vec::new()
        });
        touches.push(Touch {
            day,
            at: cell(ti).to_string(),
            row: line,
            channel,
            converted,
            value,
        });
    }
    let mut by_path: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut paths: Vec<Path> = Vec::new();
    let mut add = |touches: Vec<usize>, converted: bool, value: f64, line: u64| {
        if touches.len() > MAX_TOUCHES {
            return Err(AttributionError::TooLong {
                line,
                touches: touches.len(),
            });
        }
        let next = paths.len();
        let i = *by_path.entry(touches.clone()).or_insert(next);
        if i == next {
            paths.push(Path {
                touches,
                conversions: 0.0,
                value: 0.0,
                nulls: 0.0,
            });
        }
        if let Some(p) = paths.get_mut(i) {
            if converted {
                p.conversions += 1.0;
                p.value += value;
            } else {
                p.nulls += 1.0;
            }
        }
        Ok(())
    };
    for user in &order {
        let Some(mut touches) = users.remove(user) else {
            continue;
        };
        // Stable: touches at one time keep the file's order.
        touches.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.at.cmp(&b.at)));
        let mut journey = Vec::new();
        let mut last_row = 0;
        for t in touches {
            journey.push(t.channel);
            last_row = t.row;
            if t.converted {
                add(std::mem::take(&mut journey), true, t.value, t.row)?;
            }
        }
        if !journey.is_empty() {
            add(journey, false, 0.0, last_row)?;
        }
    }
    if paths.is_empty() {
        return Err(AttributionError::Empty);
    }
    Ok(Journeys {
        channels,
        paths,
        has_value: value_h.is_some(),
        has_nulls: true,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{attribute_journeys, paths::read_paths, AttributionRequest};
    use super::*;

    /// Two users, rows out of time order: u1 converts after email > push,
    /// then touches push again (the data ends); u2 converts on a lone
    /// email, then again after push > email.
    const TOUCHES: &str = "user_id,timestamp,channel,conversion,value\n\
        u1,2024-03-02 10:00,push,1,30\n\
        u1,2024-03-01 09:00,email,0,\n\
        u2,2024-03-01 08:00,email,1,10\n\
        u1,2024-03-05,push,0,\n\
        u2,2024-03-04 12:00,push,0,\n\
        u2,2024-03-04 13:00,email,1,20\n";

    #[test]
    fn touches_become_the_journeys_of_a_path_file() -> Result<(), AttributionError> {
        let headers: Vec<String> = ["user_id", "timestamp", "channel", "conversion", "value"]
            .map(String::from)
            .to_vec();
        assert!(is_touch_level(&headers));
        let j = read_touches(TOUCHES)?;
        assert_eq!(j.channels, ["push", "email"]);
        let same = read_paths(
            "path,total_conversions,total_conversion_value,total_null\n\
             email > push,1,30,0\npush,0,0,1\nemail,1,10,0\npush > email,1,20,0\n",
        )?;
        let request = AttributionRequest::default();
        let (a, b) = (
            attribute_journeys(j, &request)?,
            attribute_journeys(same, &request)?,
        );
        // The channels appear in another order in the two files.
        let credit = |r: &super::super::AttributionReport, name: &str| {
            let i = r
                .channels
                .iter()
                .position(|c| c == name)
                .unwrap_or(usize::MAX);
            (
                r.rules.last_touch.get(i).map(|c| (c.conversions, c.value)),
                r.markov.channels.get(i).map(|c| c.conversions),
            )
        };
        for name in ["email", "push"] {
            assert_eq!(credit(&a, name), credit(&b, name), "{name}");
        }
        assert_eq!((a.journeys, a.conversions, a.value), (4.0, 3.0, Some(60.0)));
        Ok(())
    }

    #[test]
    fn a_bad_touch_is_named_with_its_line() {
        let err = |t: &str| read_touches(t).err().map(|e| e.to_string());
        assert_eq!(
            err("user,time,channel,conversion\nu1,yesterday,email,0\n").as_deref(),
            Some("Line 2, column 'time': \"yesterday\" is not a date (YYYY-MM-DD, a time after it allowed).")
        );
        assert_eq!(
            err("user,time,channel,conversion\nu1,2024-01-01,email,maybe\n").as_deref(),
            Some("Line 2, column 'conversion': \"maybe\" is not 1 or 0 (yes or no).")
        );
        assert!(err("user,time,channel\nu1,2024-01-01,email\n")
            .is_some_and(|e| e.contains("no column 'conversion'")));
    }
}

//! Row-level hygiene: user ids that appear on more than one row, and users
//! that were counted in more than one variant (their results mix both
//! experiences, so the assignment or the join that made the file is broken).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{ColumnMapping, ExperimentReader};

/// What the user ids of a row-level file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserChecks {
    /// Rows used that carry a user id.
    pub rows: u64,
    /// Different user ids among them.
    pub users: u64,
    /// Rows whose user id came before on another row: `rows − users`.
    pub repeated_rows: u64,
    /// Users found in more than one variant.
    pub in_several_variants: u64,
}

/// 64-bit FNV-1a of an id: ids are kept as hashes, 8 bytes each, so a
/// million users need a few megabytes (two different ids share a hash with
/// odds of about n² / 2⁶⁵, under 1 in 30 million at a million ids).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Default)]
struct Seen {
    variants: Vec<String>,
    /// Per id: the variant it was first seen in, and whether another followed.
    ids: HashMap<u64, (usize, bool)>,
    rows: u64,
}

impl Seen {
    fn add(&mut self, variant: &str, id: &str) {
        if id.is_empty() {
            return;
        }
        self.rows += 1;
        let v = match self.variants.iter().position(|n| n == variant) {
            Some(v) => v,
            None => {
                self.variants.push(variant.to_string());
                self.variants.len() - 1
            }
        };
        let entry = self.ids.entry(fnv1a(id)).or_insert((v, false));
        if entry.0 != v {
            entry.1 = true;
        }
    }

    fn checks(&self) -> UserChecks {
        let users = self.ids.len() as u64;
        UserChecks {
            rows: self.rows,
            users,
            repeated_rows: self.rows - users,
            in_several_variants: self.ids.values().filter(|(_, multi)| *multi).count() as u64,
        }
    }
}

/// Check the user ids of `text` read with `mapping`; `None` when the file
/// has no user-id column (or cannot be read).
pub fn user_checks(text: &str, mapping: &ColumnMapping) -> Option<UserChecks> {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let mut reader = ExperimentReader::new(mapping.clone());
    let sink = Rc::clone(&seen);
    reader.observe_users(Box::new(move |variant, id| {
        sink.borrow_mut().add(variant, id)
    }));
    reader.feed(text.as_bytes()).ok()?;
    reader.finish().ok()?;
    let checks = seen.borrow().checks();
    (checks.rows > 0).then_some(checks)
}

/// A row-level file without its repeated users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithoutRepeats {
    /// The same CSV (header and delimiter kept) with the rows left out.
    pub text: String,
    /// Users left out entirely: they were in more than one variant.
    pub users_removed: u64,
    /// Rows left out: every row of those users, and repeats of a user id
    /// within one variant after its first row.
    pub rows_removed: u64,
}

/// `text` without the users found in more than one variant (all their rows:
/// neither arm can be credited with their outcome) and without second and
/// later rows of a user id within one variant (one row per user is what
/// the file promises). `None` when the file has no user-id column, cannot
/// be read, or has nothing to leave out.
pub fn without_repeated_users(text: &str, mapping: &ColumnMapping) -> Option<WithoutRepeats> {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let mut reader = ExperimentReader::new(mapping.clone());
    let sink = Rc::clone(&seen);
    reader.observe_users(Box::new(move |variant, id| {
        sink.borrow_mut().add(variant, id)
    }));
    reader.feed(text.as_bytes()).ok()?;
    reader.finish().ok()?;
    let seen = seen.take();
    let checks = seen.checks();
    if checks.repeated_rows == 0 {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = super::detect_delimiter(header_line);
    let mut records = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records();
    let header = records.next()?.ok()?;
    let headers: Vec<String> = header.iter().map(str::to_string).collect();
    let user = super::columns::Columns::find(&headers, mapping).get(super::ColumnRole::UserId)?;
    let d = char::from(delimiter);
    let mut out = String::with_capacity(text.len());
    super::push_record(&mut out, &header, d);
    let mut kept = std::collections::HashSet::new();
    let mut rows_removed = 0;
    for record in records.flatten() {
        let id = record.get(user).unwrap_or("").trim();
        if !id.is_empty() {
            let h = fnv1a(id);
            let several = seen.ids.get(&h).is_some_and(|&(_, multi)| multi);
            if several || !kept.insert(h) {
                rows_removed += 1;
                continue;
            }
        }
        super::push_record(&mut out, &record, d);
    }
    Some(WithoutRepeats {
        text: out,
        users_removed: checks.in_several_variants,
        rows_removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_and_users_in_two_variants_are_counted() {
        // 5 is twice in control; 7 is in both variants; 9 once.
        let text = "user_id,group,converted\n5,control,0\n7,control,1\n5,control,0\n7,treatment,0\n9,treatment,1\n";
        let checks = user_checks(text, &ColumnMapping::new());
        assert_eq!(
            checks,
            Some(UserChecks {
                rows: 5,
                users: 3,
                repeated_rows: 2,
                in_several_variants: 1,
            })
        );
        let Some(clean) = without_repeated_users(text, &ColumnMapping::new()) else {
            panic!("something to leave out")
        };
        // 7 goes entirely; 5's second row goes; 9 stays.
        assert_eq!(
            clean,
            WithoutRepeats {
                text: "user_id,group,converted\n5,control,0\n9,treatment,1\n".into(),
                users_removed: 1,
                rows_removed: 3,
            }
        );
        let checks = user_checks(&clean.text, &ColumnMapping::new());
        assert_eq!(
            checks.map(|c| (c.repeated_rows, c.in_several_variants)),
            Some((0, 0))
        );
        assert_eq!(
            without_repeated_users(&clean.text, &ColumnMapping::new()),
            None
        );
        // No user-id column: nothing to check.
        assert_eq!(
            user_checks("group,converted\nA,1\nB,0\n", &ColumnMapping::new()),
            None
        );
    }
}
